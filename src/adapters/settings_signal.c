/*
 * settings_signal.c — a timeout or an abort signal that a Claude call takes
 * from a parameter of its function (`generate(msg, abortSignal)` →
 * `generateText({ …, abortSignal })`; `ask(q, timeout)` → `create(…,
 * timeout=timeout)`): what its callers pass, through the call graph. A
 * signal is a timeout only when every caller passes a timer's signal; a
 * caller passing none, the web request's own signal or a controller no
 * timer aborts leaves that path without one. A timeout parameter is known
 * when every caller passes a number.
 */
#include "adapters/settings.h"

#include <stdio.h>
#include <string.h>

#include "adapters/surface.h"
#include "model/callgraph.h"

#define MAX_CALLERS 16

/* Does the caller's code G arm a timer aborting controller X (`setTimeout(()
 * => X.abort(), 30_000)`)? Whether X is a controller it creates, in *LOCAL. */
static bool timer_aborts(const struct cl_file_facts *g, const char *x, size_t xl, bool *local)
{
	char needle[160];
	int n = snprintf(needle, sizeof needle, "%.*s = new AbortController", (int)xl, x);
	*local = n > 0 && (size_t)n < sizeof needle && memmem(g->code, g->code_len, needle, (size_t)n);
	n = snprintf(needle, sizeof needle, "%.*s.abort(", (int)xl, x);
	if (n <= 0 || (size_t)n >= sizeof needle)
		return false;
	for (const char *at = g->code; (at = memmem(at, g->code_len - (size_t)(at - g->code), needle, (size_t)n));
	     at += n) {
		size_t back = (size_t)(at - g->code) < 160 ? (size_t)(at - g->code) : 160;
		if (memmem(at - back, back, "setTimeout(", 11))
			return true;
	}
	return false;
}

/* What argument A of a call in G is as an abort signal (SIGNAL), else as a
 * timeout: a number is one, anything else (none, the parameter's default)
 * cannot be told. */
static enum cl_signal_origin caller_signal(const struct cl_file_facts *g, const struct cl_value *a, bool signal)
{
	if (!signal)
		return a && a->kind == CL_V_NUMBER ? CL_SIGNAL_TIMER : CL_SIGNAL_UNKNOWN;
	if (!a || a->kind == CL_V_NULL)
		return CL_SIGNAL_NONE;
	if (a->kind == CL_V_SIGNAL)
		return CL_SIGNAL_TIMER;
	if (!g->code || a->span.end <= a->span.start || a->span.end > g->code_len)
		return CL_SIGNAL_UNKNOWN;
	const char *s = g->code + a->span.start;
	size_t n = a->span.end - a->span.start;
	if (memmem(s, n, "AbortSignal.timeout(", 20)) /* also inside AbortSignal.any([…]) */
		return CL_SIGNAL_TIMER;
	if (n <= 7 || n >= 120 || memcmp(s + n - 7, ".signal", 7) != 0)
		return CL_SIGNAL_UNKNOWN;
	char expr[128];
	memcpy(expr, s, n);
	expr[n] = 0;
	if (cl_surface_has("request_signals", expr)) /* the web request's own */
		return CL_SIGNAL_NONE;
	bool local = false;
	if (timer_aborts(g, s, n - 7, &local))
		return CL_SIGNAL_TIMER;
	return local ? CL_SIGNAL_NONE : CL_SIGNAL_UNKNOWN;
}

enum cl_signal_origin cl_signal_from_callers(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, const struct cl_value *v, bool signal, const struct cl_file_facts **by,
	unsigned *line)
{
	*by = NULL;
	*line = 0;
	if (v->kind != CL_V_UNKNOWN || !v->param || (v->param_derived && !v->param_member) || v->param_pos < 0 ||
	    call->region < 0)
		return CL_SIGNAL_NOT_PARAMETER;
	int fn = cl_facts_enclosing(f, call->region, CL_R_FUNCTION);
	if (fn < 0 || !f->regions.v[fn].name || strcmp(f->regions.v[fn].name, v->param_fn) != 0)
		return CL_SIGNAL_NOT_PARAMETER;
	struct cl_site sites[MAX_CALLERS];
	size_t n = cl_callgraph_callers(p, f, fn, sites, MAX_CALLERS);
	if (n == 0 || n > MAX_CALLERS)
		return CL_SIGNAL_UNKNOWN;
	enum cl_signal_origin all = CL_SIGNAL_TIMER;
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *g = sites[i].file;
		const struct cl_ref *r = &g->refs.v[sites[i].ref];
		if (!r->args_seen) {
			all = CL_SIGNAL_UNKNOWN;
			continue;
		}
		const struct cl_value *a = (size_t)v->param_pos < r->narg_pos ? r->arg_pos[v->param_pos] :
			r->arg_kw ? cl_value_get(r->arg_kw, v->param) : NULL;
		enum cl_signal_origin s = CL_SIGNAL_UNKNOWN;
		if (v->param_member) {
			/* `generate({ …, abortSignal: controller.signal })` for `options.abortSignal` */
			if (a && a->kind == CL_V_OBJECT) {
				const struct cl_value *m = cl_value_get(a, v->param_member);
				if (m || !a->open)
					s = caller_signal(g, m, signal);
			}
		} else {
			s = caller_signal(g, a, signal);
		}
		if (s == CL_SIGNAL_NONE) {
			*by = g;
			*line = r->span.line;
			return CL_SIGNAL_NONE;
		}
		if (s == CL_SIGNAL_UNKNOWN)
			all = CL_SIGNAL_UNKNOWN;
	}
	return all;
}
