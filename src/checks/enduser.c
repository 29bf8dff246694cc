/*
 * enduser.c — CL11.no-end-user-id (preview): a Claude call reachable from
 * an entry point that many users drive (a function the facts flag as a
 * route: web routes today, other entry points as the facts learn them)
 * that sends no end-user id (health and readiness probes aside). Where the id lives (metadata.user_id for the
 * Messages API) is the adapter's `user_id` setting (rules/adapters.json):
 * calls whose adapter has none are not judged.
 */
#include <stdio.h>
#include <string.h>

#include "model/callgraph.h"
#include "checks/checks.h"
#include "adapters/settings.h"
#include "checks/evidence.h"

enum { MAX_SEEN = 64, MAX_CALLERS = 32 };

struct fn_key {
	const struct cl_file_facts *file;
	int region;
};

/* The route among REGION of F and the functions around it, or -1. */
static int route_around(const struct cl_file_facts *f, int region)
{
	for (int r = cl_facts_enclosing(f, region, CL_R_FUNCTION); r >= 0;
	     r = cl_facts_enclosing(f, f->regions.v[r].parent, CL_R_FUNCTION))
		if (f->regions.v[r].route)
			return r;
	return -1;
}

/* An entry point (route) from which code at REGION of F runs: in the
 * function itself or around it, else through its callers (breadth first,
 * at most MAX_SEEN functions). True with the route in *AT. */
static bool entry_reaching(const struct cl_project *p, const struct cl_file_facts *f, int region,
	struct fn_key *at)
{
	struct fn_key queue[MAX_SEEN];
	size_t head = 0, tail = 0;
	int r = route_around(f, region);
	if (r >= 0) {
		*at = (struct fn_key){f, r};
		return true;
	}
	int fn = cl_facts_enclosing(f, region, CL_R_FUNCTION);
	if (fn < 0 || !p->graph)
		return false;
	queue[tail++] = (struct fn_key){f, fn};
	while (head < tail) {
		struct fn_key k = queue[head++];
		struct cl_site sites[MAX_CALLERS];
		size_t n = cl_callgraph_callers(p, k.file, k.region, sites, MAX_CALLERS);
		for (size_t i = 0; i < n && i < MAX_CALLERS; i++) {
			const struct cl_file_facts *cf = sites[i].file;
			int cr = cf->refs.v[sites[i].ref].region;
			if ((r = route_around(cf, cr)) >= 0) {
				*at = (struct fn_key){cf, r};
				return true;
			}
			int cfn = cl_facts_enclosing(cf, cr, CL_R_FUNCTION);
			if (cfn < 0)
				continue;
			bool seen = false;
			for (size_t j = 0; j < tail && !seen; j++)
				seen = queue[j].file == cf && queue[j].region == cfn;
			if (!seen && tail < MAX_SEEN)
				queue[tail++] = (struct fn_key){cf, cfn};
		}
	}
	return false;
}

void cl_check_cl11_end_user(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
{
	if (!outs || !n || !outs[0]->preview)
		return; /* preview: nothing to emit without --preview */
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		for (size_t k = 0; k < f->calls.n; k++) {
			const struct cl_call *call = &f->calls.v[k];
			if (!call->claude || !call->counts_for_max_tokens)
				continue;
			struct cl_settings st;
			cl_settings_of_call(ctx->project, f, call, &st);
			const struct cl_setting *uid = &st.s[CL_SET_USER_ID];
			if (uid->prov != CL_PROV_DEFAULT)
				continue; /* written, possibly set by a spread, or no such setting */
			struct fn_key at;
			if (!entry_reaching(ctx->project, f, call->region, &at))
				continue;
			const struct cl_region *route = &at.file->regions.v[at.region];
			if (cl_evidence_path_matches(CL_ITEM(CL11), "probe_routes", at.file->path) ||
			    (route->name && cl_evidence_path_matches(CL_ITEM(CL11), "probe_routes", route->name)))
				continue; /* a health or readiness probe: no end user behind it */
			char where[96] = "";
			if (at.file != f || route->span.line != call->span.line)
				snprintf(where, sizeof where, " (%s:%u)", at.file->path, route->span.line);
			cl_emit(outs[i], CL_RULE(CL11_no_end_user_id), -1, &call->span,
				"this %s call is reachable from the entry point %s%s, which many users drive, and sends "
				"no %s: Anthropic's abuse safeguards can then act only on the whole API key; "
				"send an opaque per-user id (a hash or uuid, never an email or name)",
				cl_call_label(outs[i], &st, call), route->name ? route->name : "(anonymous handler)", where,
				uid->spec->nkeys ? uid->spec->keys[0].path : "end-user id");
		}
	}
}
