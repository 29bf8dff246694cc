/*
 * cl11_rate_limits.c — CL11 (entry points users drive that reach Claude are
 * rate limited), decided from evidence anywhere in the repository: imports,
 * dependency manifests and the names of the tree's own classes and
 * functions; also a limiter on the entry point itself (a bot command's
 * per-user cooldown), which covers that entry point only. CL06 is
 * cl06_circuit_breaker.c's.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/evidence.h"
#include "model/callgraph.h"
#include "adapters/settings.h"

/* ------------------------------------------------------------------------ */
/*
 * CL11.no-end-user-id (preview): a Claude call reachable from
 * an entry point that many users drive (a function the facts flag as a
 * route: web routes today, other entry points as the facts learn them)
 * that sends no end-user id (health and readiness probes aside). Where the id lives (metadata.user_id for the
 * Messages API) is the adapter's `user_id` setting (rules/adapters.json):
 * calls whose adapter has none are not judged.
 */
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

static void check_end_user(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
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

enum { FOUND_DEP = 1, FOUND_CONFIG = 2 };

static bool name_matches(int item, const char *name)
{
	if (!name || !cl_evidence_search(item, "handwritten_names", name, strlen(name), NULL, NULL))
		return false;
	return !cl_evidence_search(item, "handwritten_not", name, strlen(name), NULL, NULL);
}

/* Evidence in the files' facts: an import of a limiter library (or a
 * manifest / config mark of the text check). One piece of evidence per
 * file; true when any. */
static bool library_evidence(struct cl_file_out **outs, size_t n)
{
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		if (cl_evidence_imports(outs[i], CL_ITEM(CL11), CL_ITEM(CL11), "limiter_modules", "a rate limiter"))
			found = true;
		if (outs[i]->marks[CL_ITEM(CL11)])
			found = true;
	}
	return found;
}

/* Browser code: a 429 banner or a client-side counter limits nobody. */
static bool browser(const struct cl_file_facts *f)
{
	return f->use_client || f->lang == CL_LANG_TSX;
}

/* The first class or function of server code named like a hand-written
 * limiter (handwritten_names, not handwritten_not), into *AT / *AT_F. */
static bool handwritten_defined(struct cl_file_out **outs, size_t n, const struct cl_region **at,
	const struct cl_file_facts **at_f)
{
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		for (size_t r = 0; !browser(f) && r < f->regions.n; r++) {
			const struct cl_region *g = &f->regions.v[r];
			if ((g->kind == CL_R_FUNCTION || g->kind == CL_R_CLASS) && name_matches(CL_ITEM(CL11), g->name)) {
				*at = g;
				*at_f = f;
				return true;
			}
		}
	}
	return false;
}

/* Does the text S (LEN bytes) call a hand-written limiter (handwritten_call,
 * not handwritten_not)? */
static bool calls_limiter(const char *s, size_t len)
{
	return cl_evidence_search(CL_ITEM(CL11), "handwritten_call", s, len, NULL, NULL) &&
		!cl_evidence_search(CL_ITEM(CL11), "handwritten_not", s, len, NULL, NULL);
}

/* Does the callee of REF of F (its text up to the call's parenthesis:
 * `rate_limiter.check`, `new RateLimiter`) name a hand-written limiter? */
static bool ref_is_limiter(const struct cl_file_facts *f, const struct cl_ref *ref)
{
	const char *s = ref->name;
	size_t len = strlen(s);
	if (f->code && ref->span.start < f->code_len) {
		s = f->code + ref->span.start;
		len = 0;
		while (ref->span.start + len < f->code_len && len < 160 && s[len] != '(')
			len++;
	}
	return calls_limiter(s, len);
}

/* The first call of a hand-written limiter in SPAN of F, or NULL. */
static const struct cl_ref *limiter_call_in(const struct cl_file_facts *f, const struct cl_span *sp)
{
	for (size_t i = 0; i < f->refs.n; i++) {
		const struct cl_ref *ref = &f->refs.v[i];
		if (ref->span.start >= sp->start && ref->span.end <= sp->end && ref_is_limiter(f, ref))
			return ref;
	}
	return NULL;
}

/* Server code that answers 429 itself: a hand-written limit (a per-user
 * quota, a counter in a cache). */
static bool answers_429(struct cl_file_out **outs, size_t n)
{
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (!f->text || f->use_client || f->lang == CL_LANG_TSX)
			continue;
		size_t ms, me, from = 0;
		for (; cl_evidence_search_from(CL_ITEM(CL11), "limit_response_pattern", f->text, f->text_len, from, &ms, &me);
		     from = me > ms ? me : ms + 1) {
			/* passing Claude's own 429 on from an error handler limits nobody */
			int r = cl_facts_region_at(f, (uint32_t)ms);
			if (cl_evidence_in_comment(f->text, ms) || cl_facts_enclosing(f, r, CL_R_HANDLER) >= 0)
				continue;
			struct cl_span sp = cl_evidence_line_span(1);
			for (size_t k = 0; k < ms; k++)
				sp.line += f->text[k] == '\n';
			sp.end_line = sp.line;
			cl_emit_evidence(outs[i], CL_ITEM(CL11), &sp, "answers 429 Too Many Requests itself (%.*s): a hand-written limit",
				cl_evidence_quote_len(f->text, ms, me), f->text + ms);
			found = true;
			break;
		}
	}
	return found;
}

/* ---------------------------------------------------------------- CL11 */

void cl_check_cl11_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_evidence_text_deps(src, out, CL_ITEM(CL11), CL_ITEM(CL11), "limiter_modules", FOUND_DEP, "a rate limiter");
	if (src->text_kind == CL_TEXT_PROSE)
		return;
	size_t ms, me;
	if (cl_evidence_search(CL_ITEM(CL11), "config_pattern", src->data, src->len, &ms, &me)) {
		struct cl_span sp = cl_span_at(src, ms, me);
		out->marks[CL_ITEM(CL11)] |= FOUND_CONFIG;
		cl_emit_evidence(out, CL_ITEM(CL11), &sp, "configures the framework's throttling (%.*s)",
			cl_evidence_quote_len(src->data, ms, me), src->data + ms);
	}
}

/* How route R of F reaches Claude, for the message. */
static const char *reach_of(const struct cl_file_facts *f, const struct cl_region *r, char *buf, size_t cap)
{
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *c = &f->calls.v[i];
		if (c->claude && c->span.start >= r->span.start && c->span.end <= r->span.end) {
			snprintf(buf, cap, "calls %s (line %u)", c->method, c->span.line);
			return buf;
		}
	}
	for (size_t i = 0; i < f->refs.n; i++) {
		const struct cl_ref *ref = &f->refs.v[i];
		if (ref->reaches_claude && ref->span.start >= r->span.start && ref->span.end <= r->span.end) {
			snprintf(buf, cap, "reaches Claude through %s() (line %u)", ref->name, ref->span.line);
			return buf;
		}
	}
	return "reaches Claude";
}

/* Entry point R of F reaches Claude (only) through an entry point nested in
 * it (`wss.on("connection", s => s.on("message", …))`): the inner one is
 * the entry point to limit, the outer one is not reported. */
static bool entry_reaches(const struct cl_file_facts *f, size_t r)
{
	const struct cl_region *g = &f->regions.v[r];
	if (!g->route || !cl_project_region_reaches(f, (int)r))
		return false;
	for (size_t k = r + 1; k < f->regions.n && f->regions.v[k].span.start < g->span.end; k++)
		if (f->regions.v[k].route && cl_project_region_reaches(f, (int)k))
			return false;
	return true;
}

enum { MAX_PATH = 64 };

/* A hand-written limiter on the path of entry G of F (SP its span): named in
 * its head (a decorator, a dependency), called in it, in a function it calls
 * (its helpers), or in a function on its way to Claude through the call
 * graph (any file). A limiter called only beyond that — an API client's
 * outbound throttle, reached from a tool — guards no route. The call found
 * goes to *AT_F / *AT. */
static bool limiter_on_path(const struct cl_project *p, const struct cl_file_facts *f, const struct cl_region *g,
	const struct cl_file_facts **at_f, const struct cl_ref **at)
{
	const char *code = f->code;
	if (code && g->head.end > g->head.start && g->head.end <= f->code_len &&
	    calls_limiter(code + g->head.start, g->head.end - g->head.start)) {
		*at_f = f;
		*at = NULL;
		return true;
	}
	struct fn_key seen[MAX_PATH];
	size_t nseen = 0, head = 0;
	const struct cl_file_facts *cur = f;
	struct cl_span sp = g->span;
	for (bool first = true; first || head < nseen; first = false) {
		if (!first) {
			cur = seen[head].file;
			sp = cur->regions.v[seen[head].region].span;
			head++;
		}
		if ((*at = limiter_call_in(cur, &sp)) != NULL) {
			*at_f = cur;
			return true;
		}
		/* past the entry's own helpers, only the functions on the way to Claude */
		if (!first && !cl_callgraph_reaches(cur, seen[head - 1].region))
			continue;
		for (size_t i = 0; i < cur->refs.n && p->graph; i++) {
			const struct cl_ref *ref = &cur->refs.v[i];
			if (ref->span.start < sp.start || ref->span.end > sp.end)
				continue;
			struct cl_fn fns[8];
			size_t k = cl_callgraph_callees(p, cur, i, fns, 8);
			for (size_t j = 0; j < k && j < 8; j++) {
				bool dup = fns[j].file == f && fns[j].region >= 0 &&
					f->regions.v[fns[j].region].span.start == g->span.start;
				for (size_t q = 0; q < nseen && !dup; q++)
					dup = seen[q].file == fns[j].file && seen[q].region == fns[j].region;
				if (!dup && nseen < MAX_PATH)
					seen[nseen++] = (struct fn_key){fns[j].file, fns[j].region};
			}
		}
	}
	return false;
}

/* A limiter every request passes through: a class or function named as both
 * a limiter and a middleware (RateLimitMiddleware), or a hand-written
 * limiter called in a middleware (a function whose head says so:
 * `@app.middleware("http")`, `before_request`; or a middleware file:
 * Next.js middleware.ts, SvelteKit hooks.server.ts — CL11.json
 * middleware_head, middleware_files). */
static bool middleware_limiter(struct cl_file_out **outs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (browser(f) || !f->code)
			continue;
		const struct cl_ref *ref = NULL;
		if (cl_evidence_path_matches(CL_ITEM(CL11), "middleware_files", f->path)) {
			struct cl_span all = {.start = 0, .end = UINT32_MAX};
			ref = limiter_call_in(f, &all);
		}
		for (size_t r = 0; !ref && r < f->regions.n; r++) {
			const struct cl_region *g = &f->regions.v[r];
			/* a limiter that is a middleware by name (a Django RateLimitMiddleware) */
			if (g->name && name_matches(CL_ITEM(CL11), g->name) &&
			    cl_evidence_search(CL_ITEM(CL11), "middleware_head", g->name, strlen(g->name), NULL, NULL)) {
				cl_emit_evidence(outs[i], CL_ITEM(CL11), &g->span, "defines %s, a rate-limiting middleware "
					"every request passes", g->name);
				return true;
			}
			if (g->kind == CL_R_FUNCTION && g->head.end > g->head.start && g->head.end <= f->code_len &&
			    cl_evidence_search(CL_ITEM(CL11), "middleware_head", f->code + g->head.start,
				    g->head.end - g->head.start, NULL, NULL))
				ref = limiter_call_in(f, &g->span);
		}
		if (ref) {
			cl_emit_evidence(outs[i], CL_ITEM(CL11), &ref->span, "calls %s() in a middleware every request "
				"passes (a hand-written rate limiter)", ref->name);
			return true;
		}
	}
	return false;
}

/* Server code mounting a limiter for every route (global_limit_pattern). */
static bool global_mount(struct cl_file_out **outs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (f->text && !f->use_client &&
		    cl_evidence_search(CL_ITEM(CL11), "global_limit_pattern", f->text, f->text_len, NULL, NULL))
			return true;
	}
	return false;
}

/* A limiter on some web routes only (route_limiters of rules/entrypoints.json),
 * no code setting a limit for every route (a route registered by name in
 * another file carries its own limiter there: project.c): the limiter covers
 * those routes only. Returns the first such limiter's text, or NULL. */
static const char *route_scoped_limiter(struct cl_file_out **outs, size_t n)
{
	const char *first = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (f->text && !f->use_client &&
		    cl_evidence_search(CL_ITEM(CL11), "global_limit_pattern", f->text, f->text_len, NULL, NULL))
			return NULL;
		for (size_t r = 0; r < f->regions.n && !first; r++)
			if (f->regions.v[r].route && !f->regions.v[r].entry && f->regions.v[r].entry_guard)
				first = f->regions.v[r].entry_guard;
	}
	return first;
}

/* An entry point of the tree that reaches Claude: a region, or a script file
 * as a whole (a made-up region spanning the file, named after it). AT is
 * where a finding goes: the handler's head, or the script's first input. */
struct entry {
	struct cl_file_out *out;
	const struct cl_file_facts *f;
	struct cl_region g;
	struct cl_span at;
};

/* The entry points of OUTS that reach Claude, in file order; caller frees. */
static struct entry *entries(struct cl_file_out **outs, size_t n, size_t *count)
{
	CL_VEC(struct entry) v = {0};
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		for (size_t k = 0; k < f->runnable_routes.n; k++) {
			const struct cl_runnable_route *r = &f->runnable_routes.v[k];
			if (!r->reaches_claude)
				continue;
			struct entry e = {outs[i], f, {.kind = CL_R_FUNCTION, .parent = -1, .route = true}, r->span};
			e.g.span = r->span;
			e.g.head = r->span;
			e.g.name = r->name;
			e.g.entry = r->kind;
			cl_vec_push(&v, e);
		}
		if (f->script_entry && cl_project_file_reaches(f)) {
			struct entry e = {outs[i], f, {.kind = CL_R_FUNCTION, .parent = -1, .route = true}, f->script_span};
			e.g.span.end = UINT32_MAX;
			e.g.span.end_line = UINT32_MAX;
			e.g.head = f->script_span;
			e.g.name = cl_path_basename(f->path);
			e.g.entry = f->script_entry;
			cl_vec_push(&v, e);
		}
		for (size_t r = 0; r < f->regions.n; r++) {
			const struct cl_region *g = &f->regions.v[r];
			if (!entry_reaches(f, r))
				continue;
			struct entry e = {outs[i], f, *g, g->span};
			e.at.end = g->head.end > e.at.start ? g->head.end : e.at.start;
			e.at.end_line = g->head.end_line >= e.at.line ? g->head.end_line : e.at.line;
			e.at.end_col = g->head.end_line >= e.at.line ? g->head.end_col : e.at.col;
			cl_vec_push(&v, e);
		}
	}
	*count = v.n;
	return v.v;
}

/* Is entry point G limited on its own (its guard, not exempted)? */
static bool own_limit(const struct cl_region *g)
{
	return g->entry_guard && !g->entry_skip;
}

void cl_check_cl11_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
{
	check_end_user(ctx, outs, n);
	size_t ne = 0, open = 0, skipped = 0;
	struct entry *es = entries(outs, n, &ne);
	for (size_t k = 0; k < ne; k++) {
		const struct cl_region *g = &es[k].g;
		cl_mark_applies(es[k].out, CL_ITEM(CL11));
		skipped += g->entry_skip != NULL;
		if (!own_limit(g)) {
			open++;
			continue;
		}
		cl_emit_evidence(es[k].out, CL_ITEM(CL11), &g->head, "%s %s is limited by %.80s",
			g->entry ? g->entry : "route handler", g->name ? g->name : "(anonymous)", g->entry_guard);
	}
	const char *scoped = open ? route_scoped_limiter(outs, n) : NULL;
	bool library = open && library_evidence(outs, n);
	const struct cl_region *own = NULL;
	const struct cl_file_facts *own_f = NULL;
	bool handwritten = open && handwritten_defined(outs, n, &own, &own_f);
	bool config = false;
	for (size_t i = 0; i < n; i++)
		config |= (outs[i]->marks[CL_ITEM(CL11)] & FOUND_CONFIG) != 0;
	/* a limit for every route: only the routes exempted from it are open */
	bool everywhere = open && (answers_429(outs, n) || config || (library && !scoped) ||
		(handwritten && global_mount(outs, n)) || middleware_limiter(outs, n));
	for (size_t k = 0; k < ne && open && (!everywhere || skipped); k++) {
		const struct cl_region *g = &es[k].g;
		if (own_limit(g) || (everywhere && !g->entry_skip))
			continue;
		const struct cl_file_facts *lf = NULL;
		const struct cl_ref *lr = NULL;
		if (!g->entry_skip && limiter_on_path(ctx->project, es[k].f, g, &lf, &lr)) {
			cl_emit_evidence(es[k].out, CL_ITEM(CL11), lr && lf == es[k].f ? &lr->span : &g->head,
				"%s %s is limited by %s%s (a hand-written rate limiter on its path)",
				g->entry ? g->entry : "route handler", g->name ? g->name : "(anonymous)",
				lr ? lr->name : "its own decorator or dependency", lr ? "()" : "");
			continue;
		}
		char buf[160], why[360];
		if (g->entry_skip)
			snprintf(why, sizeof why, "the tree's limiter is turned off on it (%.80s)", g->entry_skip);
		else if (scoped)
			snprintf(why, sizeof why, "no limiter is on it (%.80s limits other routes only, and nothing "
				"sets a limit for every route)", scoped);
		else if (handwritten)
			snprintf(why, sizeof why, "no limiter is on its path (the tree's own %.60s, %.60s:%u, is not "
				"called by it, its helpers, the functions on its way to Claude or a middleware)",
				own->name, own_f->path, own->span.line);
		else
			snprintf(why, sizeof why, "nothing limits requests per user (no rate limiter is imported "
				"or listed as a dependency, none of the tree's own, and no handler answers 429)");
		cl_emit(es[k].out, CL_RULE(CL11_no_rate_limit), -1, &es[k].at,
			"%s %s %s and %s: one user can spend the whole Claude budget; limit requests per user "
			"or API key before the call",
			g->entry ? g->entry : "route handler", g->name ? g->name : "(anonymous)",
			reach_of(es[k].f, g, buf, sizeof buf), why);
	}
	free(es);
}
