/*
 * disconnect.c — CL05.no-disconnect-abort (preview): a Claude call made for
 * a web request (JavaScript / TypeScript) that passes no abort signal, or
 * only a timer's, keeps generating after the user has gone. A call is made
 * for a web request when a function around it, or one reaching it through
 * the call graph, is a web handler: a route (facts) or a function named like
 * a Web-standard handler (rules/CL05.json "web_handlers") whose first
 * parameter is the request ("request_params").
 */
#include <string.h>

#include "model/callgraph.h"
#include "checks/checks.h"
#include "rules/patterns.h"

#define MAX_HOPS 3
#define MAX_SITES 16

static bool data_match(const char *key, const char *s)
{
	return s && cl_pattern_find(cl_patterns_get(CL_ITEM(CL05), key), s, strlen(s), 0, NULL, NULL);
}

/* Function REGION of F takes the web request as its first parameter and is
 * a route or a Web-standard handler. */
static bool web_handler(const struct cl_file_facts *f, int region)
{
	const struct cl_region *fn = &f->regions.v[region];
	if (!fn->params || !(fn->route || data_match("web_handlers", fn->name)))
		return false;
	char first[64];
	size_t n = strcspn(fn->params, ",");
	if (n == 0 || n >= sizeof first)
		return false;
	memcpy(first, fn->params, n);
	first[n] = 0;
	return data_match("request_params", first);
}

/* A web handler among the functions around REGION of F, or (through up to
 * HOPS calls) among their callers'; its file and line in *AT. */
struct where {
	const struct cl_file_facts *file;
	unsigned line;
};

static bool for_web_request(const struct cl_project *p, const struct cl_file_facts *f, int region, int hops,
	struct where *at)
{
	int innermost = -1;
	for (int r = cl_facts_enclosing(f, region, CL_R_FUNCTION); r >= 0;
	     r = f->regions.v[r].parent >= 0 ? cl_facts_enclosing(f, f->regions.v[r].parent, CL_R_FUNCTION) : -1) {
		if (innermost < 0)
			innermost = r;
		if (web_handler(f, r)) {
			at->file = f;
			at->line = f->regions.v[r].span.line;
			return true;
		}
		if (f->regions.v[r].name)
			break; /* a named function: its callers decide */
	}
	if (innermost < 0 || hops <= 0)
		return false;
	int named = innermost;
	while (named >= 0 && !f->regions.v[named].name)
		named = f->regions.v[named].parent >= 0 ?
			cl_facts_enclosing(f, f->regions.v[named].parent, CL_R_FUNCTION) : -1;
	if (named < 0)
		return false;
	struct cl_site sites[MAX_SITES];
	size_t n = cl_callgraph_callers(p, f, named, sites, MAX_SITES);
	for (size_t i = 0; i < n && i < MAX_SITES; i++) {
		const struct cl_file_facts *g = sites[i].file;
		if (for_web_request(p, g, g->refs.v[sites[i].ref].region, hops - 1, at))
			return true;
	}
	return false;
}

/* The call passes an abort signal other than a timer's alone. */
static bool passes_signal(const struct cl_call *call)
{
	static const char *const keys[] = {"signal", "abortSignal", CL_UNTIMED_SIGNAL_KEY};
	for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
		const struct cl_value *v = call->opts ? cl_value_get(call->opts, keys[k]) : NULL;
		if (v && v->kind != CL_V_SIGNAL)
			return true;
	}
	return false;
}

void cl_check_cl05_disconnect(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const struct cl_file_facts *f = out->facts;
	if (!out->preview || !cl_lang_is_js(f->lang))
		return;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		struct where at = {NULL, 0};
		if (!call->claude || call->region < 0 || passes_signal(call) ||
		    !for_web_request(ctx->project, f, call->region, MAX_HOPS, &at))
			continue;
		cl_emit(out, CL_RULE(CL05_no_disconnect_abort), -1, &call->span,
			"%s is made for a web request (handler at %s%sline %u) but does not pass the request's "
			"abort signal: it keeps generating, and billing, after the user disconnects; pass "
			"AbortSignal.any([req.signal, AbortSignal.timeout(60_000)])", call->method,
			at.file == f ? "" : at.file->path, at.file == f ? "" : ", ", at.line);
	}
}
