/*
 * cl05_timeouts.c — CL05: a hard request timeout on every Claude call
 * (missing, too long, in the wrong unit), read from the effective settings of
 * clients and calls (settings.h); the adapter records say where each option
 * lives and what its default is. Also CL05.no-disconnect-abort (preview).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "checks/checks.h"
#include "adapters/settings.h"
#include "adapters/surface.h"
#include "checks/around.h"
#include "model/callgraph.h"
#include "rules/patterns.h"

/* ------------------------------------------------------------------------ */
/*
 * CL05.no-disconnect-abort (preview): a Claude call made for
 * a web request (JavaScript / TypeScript) that passes no abort signal, or
 * only a timer's, keeps generating after the user has gone. A call is made
 * for a web request when a function around it, or one reaching it through
 * the call graph, is a web handler: a route (facts) or a function named like
 * a Web-standard handler (rules/CL05.json "web_handlers") whose first
 * parameter is the request ("request_params").
 */
#define MAX_HOPS 3
#define MAX_SITES 16

static bool data_match(const char *key, const char *s)
{
	return s && cl_pattern_find(cl_patterns_get(CL_ITEM(CL05), key), s, strlen(s), 0, NULL, NULL);
}

/* Function REGION of F takes the web request as its first parameter and is
 * a route or a Web-standard handler (an entry point of another kind is not). */
static bool web_handler(const struct cl_file_facts *f, int region)
{
	const struct cl_region *fn = &f->regions.v[region];
	if (!fn->params || !(fn->route || data_match("web_handlers", fn->name)))
		return false;
	if (fn->entry && !cl_entry_web_request(fn->entry))
		return false; /* a bot's or a queue's handler: no request to abort */
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

static void check_disconnect(const struct cl_check_ctx *ctx, struct cl_file_out *out)
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

/* Checks an explicit timeout S (milliseconds when MS) of WHAT. */
static void timeout_value(const struct cl_check_ctx *ctx, struct cl_file_out *out,
	const struct cl_setting *s, bool ms, const char *what)
{
	const struct cl_value *v = s->value;
	const struct cl_span *at = &s->written->span;
	double max = ctx->config->timeout_max_s;
	if (v->kind == CL_V_NULL) {
		cl_emit(out, CL_RULE(CL05_timeout_too_long), CL_SEV_ERROR, at,
			"%s has its timeout set to %s, which disables it; set 60–120 s", what, ms ? "null" : "None");
		return;
	}
	double n;
	if (!cl_setting_number(s, &n))
		return;
	if (n == 0 || isinf(n)) {
		cl_emit(out, CL_RULE(CL05_timeout_too_long), CL_SEV_ERROR, at,
			"%s has timeout %s, which means no timeout at all; set 60–120 s", what, n == 0 ? "0" : "Infinity");
		return;
	}
	if (ms && n < 1000) {
		cl_emit(out, CL_RULE(CL05_timeout_unit), -1, at,
			"%s has timeout %g: TypeScript/JavaScript timeouts are milliseconds, so this is %g ms; "
			"did you mean %g (%g s)?", what, n, n, n * 1000, n);
		return;
	}
	double secs = ms ? n / 1000 : n;
	if (secs > max)
		cl_emit(out, CL_RULE(CL05_timeout_too_long), -1, at,
			"%s has a %g s timeout, above the %g s maximum; 60–120 s is typical", what, secs, max);
}

static bool has_scope(const struct cl_adapter_setting *spec, enum cl_key_scope scope)
{
	for (size_t k = 0; k < spec->nkeys; k++)
		if (spec->keys[k].scope == scope)
			return true;
	return false;
}

static bool derives_from(const struct cl_client_ref ref, const struct cl_file_facts *f, size_t index)
{
	return ref.file == f && ref.index == (int)index;
}

/* Of the calls made through client INDEX of F (or its with_options()
 * children), how many, how many set no timeout of their own, and how many
 * take one from a parameter whose callers cannot all be told (UNTOLD). */
static void count_calls(const struct cl_check_ctx *ctx, const struct cl_file_facts *f, size_t index,
	size_t *calls, size_t *without, size_t *untold)
{
	const struct cl_client *root = &f->clients.v[index];
	struct cl_settings st;
	for (size_t k = 0; k < ctx->project->nfiles; k++) {
		const struct cl_file_facts *g = ctx->project->files[k];
		for (size_t j = 0; j < g->calls.n; j++) {
			const struct cl_call *call = &g->calls.v[j];
			struct cl_client_ref ref = cl_project_call_client(call);
			if (!call->claude || !ref.file)
				continue;
			cl_settings_of_call(ctx->project, g, call, &st);
			const struct cl_setting *t = &st.s[CL_SET_TIMEOUT];
			/* through this client: its own option, its default, or a derived client's */
			bool through = derives_from(ref, f, index) || (t->prov == CL_PROV_EXPLICIT && t->client == root);
			for (int hop = 0; !through && hop < 8; hop++) {
				const struct cl_client *c = cl_project_client(ref);
				if (!c || c->kind != CL_CLIENT_DERIVED)
					break;
				if (c->parent >= 0) {
					ref.index = c->parent;
				} else if (c->parent_ref) {
					const struct cl_value *v = cl_project_resolve(ctx->project, c->parent_ref);
					if (v->kind != CL_V_CLIENT)
						break;
					ref.file = v->owner;
					ref.index = v->client;
				} else {
					break;
				}
				through = derives_from(ref, f, index);
			}
			if (!through)
				continue;
			(*calls)++;
			if (t->prov == CL_PROV_UNKNOWN && t->from_callers)
				(*untold)++;
			else if (!(t->prov == CL_PROV_EXPLICIT && t->client != root))
				(*without)++;
		}
	}
}

static void client_timeout(const struct cl_check_ctx *ctx, struct cl_file_out *out, size_t index)
{
	struct cl_file_facts *f = out->facts;
	const struct cl_client *c = &f->clients.v[index];
	struct cl_settings st;
	cl_settings_of_client(ctx->project, f, index, false, &st);
	const struct cl_setting *t = &st.s[CL_SET_TIMEOUT];
	if (t->prov == CL_PROV_ABSENT || !has_scope(t->spec, CL_KEY_CLIENT))
		return;
	if (t->prov == CL_PROV_EXPLICIT) {
		timeout_value(ctx, out, t, t->spec->ms, c->cls);
		return;
	}
	if (c->kind == CL_CLIENT_DERIVED || t->prov == CL_PROV_UNKNOWN)
		return;
	const struct cl_adapter_setting *spec = t->spec;
	if (spec->def == CL_DEF_UNKNOWN || spec->def == CL_DEF_ABSENT ||
	    (spec->def == CL_DEF_VALUE && (spec->ms ? spec->value / 1000 : spec->value) <= ctx->config->timeout_max_s))
		return;
	size_t calls = 0, without = 0, untold = 0;
	if (has_scope(spec, CL_KEY_OPTIONS)) {
		count_calls(ctx, f, index, &calls, &without, &untold);
		if (calls > 0 && without == 0 && untold > 0) {
			cl_emit(out, CL_RULE(CL05_no_timeout), CL_SEV_NOTE, &c->span,
				"%s has no timeout, and %zu of its %zu calls %s the timeout from a parameter whose callers "
				"cannot all be seen passing one; set %s on the client", c->cls, untold, calls,
				untold == 1 ? "gets" : "get",
				spec->fix ? spec->fix : "a timeout");
			return;
		}
		if (calls > 0 && without == 0)
			return;
	}
	const char *note = spec->note ? spec->note : "no timeout by default";
	const char *fix = spec->fix ? spec->fix : "a timeout";
	if (calls)
		cl_emit(out, CL_RULE(CL05_no_timeout), -1, &c->span,
			"%s has no timeout and %zu of its %zu calls set none (%s); set %s on the client",
			c->cls, without, calls, note, fix);
	else
		cl_emit(out, CL_RULE(CL05_no_timeout), -1, &c->span,
			"%s has no timeout (%s); set %s on the client", c->cls, note, fix);
}

void cl_check_cl05_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->clients.n; i++)
		client_timeout(ctx, out, i);
	struct cl_settings st;
	struct cl_seen seen = {{0}, 0};
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *t = &st.s[CL_SET_TIMEOUT];
		if (t->prov == CL_PROV_EXPLICIT) {
			if ((t->scope != CL_KEY_CLIENT || !t->client) && cl_seen_first(&seen, &t->written->span))
				timeout_value(ctx, out, t, t->spec->ms, call->method);
			continue;
		}
		if (!t->spec || !t->spec->unset || strcmp(t->spec->unset, "missing") != 0)
			continue;
		if (t->prov == CL_PROV_UNKNOWN && t->from_callers)
			cl_emit(out, CL_RULE(CL05_no_timeout), CL_SEV_NOTE, &call->span,
				"%s takes its %s from a parameter, and not every caller can be seen passing %s; pass %s",
				call->method, t->key, strstr(t->key, "ignal") ? "a timer's signal" : "a number",
				t->spec->fix ? t->spec->fix : "a timeout");
		if (t->prov != CL_PROV_DEFAULT)
			continue;
		const char *tmpl = t->spec->message;
		const char *msg = cl_fill_message(out, tmpl ? tmpl : "{call} has no timeout ({note}); pass {fix}",
			cl_call_label(out, &st, call), call, t->spec);
		if (t->unsignalled)
			cl_emit(out, CL_RULE(CL05_no_timeout), -1, &call->span, "%s (its abort signal is a parameter, "
				"and the call at %s:%u passes no timer's signal for it)", msg, t->unsignalled->path,
				t->unsignalled_line);
		else
			cl_emit(out, CL_RULE(CL05_no_timeout), -1, &call->span, "%s", msg);
	}
	check_disconnect(ctx, out);
}
