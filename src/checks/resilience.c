/*
 * resilience.c — CL04 (retries turned off, raw HTTP without retry) and CL05
 * (request timeouts: missing, too long, wrong unit), read from the effective
 * settings of clients and calls (settings.h); the adapter records say where
 * each option lives and what its default is.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "checks/checks.h"
#include "adapters/settings.h"
#include "checks/around.h"

/* ---------------------------------------------------------------- CL04 */

/* Options written on a construction that is no client by itself (its calls
 * carry them) are reported once, at the option: true the first time SP is
 * seen in SEEN (capacity 64). */
struct seen {
	uint32_t at[64];
	size_t n;
};

static bool first_time(struct seen *s, const struct cl_span *sp)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->at[i] == sp->start)
			return false;
	if (s->n < 64)
		s->at[s->n++] = sp->start;
	return true;
}

static bool turned_off(const struct cl_setting *s)
{
	double n;
	return cl_setting_number(s, &n) && n == s->spec->off_at;
}

static bool file_imports_any(const struct cl_file_facts *f, const struct cl_adapter_setting *spec)
{
	for (size_t i = 0; i < f->imported_modules.n; i++)
		for (size_t k = 0; k < spec->ntransports; k++)
			if (!strcmp(f->imported_modules.v[i], spec->transports[k]))
				return true;
	return false;
}

void cl_check_cl04_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	struct cl_settings st;
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_client *c = &f->clients.v[i];
		cl_settings_of_client(ctx->project, f, i, false, &st);
		const struct cl_setting *r = &st.s[CL_SET_RETRIES];
		if (!turned_off(r))
			continue;
		if (c->kind == CL_CLIENT_DERIVED)
			cl_emit(out, CL_RULE(CL04_retries_disabled), -1, &r->written->span,
				"%s=%g on %s turns off the built-in retries on 429 and 529; keep the default (%g) "
				"or raise it", r->key, r->spec->off_at, c->cls, r->spec->value);
		else
			cl_emit(out, CL_RULE(CL04_retries_disabled), -1, &r->written->span,
				"%s is built with %s=%g, which turns off the built-in retries on 429 and 529; "
				"keep the default (%g) or raise it", c->cls, r->key, r->spec->off_at, r->spec->value);
	}
	struct seen seen = {{0}, 0};
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *r = &st.s[CL_SET_RETRIES];
		if (r->prov == CL_PROV_EXPLICIT) {
			if ((r->scope != CL_KEY_CLIENT || !r->client) && turned_off(r) && first_time(&seen, &r->written->span))
				cl_emit(out, CL_RULE(CL04_retries_disabled), -1, &r->written->span,
					"%s=%g on %s turns off the built-in retries on 429 and 529; keep the default (%g) "
					"or raise it", r->key, r->spec->off_at, cl_call_label(out, &st, call), r->spec->value);
			continue;
		}
		if (r->prov != CL_PROV_DEFAULT || r->spec->def != CL_DEF_VALUE || r->spec->value != r->spec->off_at)
			continue;
		if (r->spec->unset && !strcmp(r->spec->unset, "no_retry")) {
			if (!call->in_retry_loop && !call->retry_wrapped && !file_imports_any(f, r->spec) &&
			    !cl_around_retried(f, call->region))
				cl_emit(out, CL_RULE(CL04_raw_http_no_retry), -1, &call->span,
					"raw %s request to the Messages API with no retry: nothing re-sends it on 429 "
					"or 529; use the SDK (it retries with backoff) or wrap the call in a retry "
					"with exponential backoff and jitter", call->lib);
		} else {
			cl_emit(out, CL_RULE(CL04_retries_disabled), -1, &call->span,
				"%s %s; pass %s (or more) so 429 and 529 are retried",
				cl_call_label(out, &st, call), r->spec->note ? r->spec->note : "retries nothing by default",
				r->spec->fix ? r->spec->fix : "a retry count");
		}
	}
	cl_check_cl04_handwritten(ctx, out);
}

/* ---------------------------------------------------------------- CL05 */

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
 * children), how many, and how many set no timeout of their own. */
static void count_calls(const struct cl_check_ctx *ctx, const struct cl_file_facts *f, size_t index,
	size_t *calls, size_t *without)
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
			if (!(t->prov == CL_PROV_EXPLICIT && t->client != root))
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
	size_t calls = 0, without = 0;
	if (has_scope(spec, CL_KEY_OPTIONS)) {
		count_calls(ctx, f, index, &calls, &without);
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
	struct seen seen = {{0}, 0};
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *t = &st.s[CL_SET_TIMEOUT];
		if (t->prov == CL_PROV_EXPLICIT) {
			if ((t->scope != CL_KEY_CLIENT || !t->client) && first_time(&seen, &t->written->span))
				timeout_value(ctx, out, t, t->spec->ms, call->method);
			continue;
		}
		if (t->prov != CL_PROV_DEFAULT || !t->spec->unset || strcmp(t->spec->unset, "missing") != 0)
			continue;
		const char *tmpl = t->spec->message;
		cl_emit(out, CL_RULE(CL05_no_timeout), -1, &call->span, "%s",
			cl_fill_message(out, tmpl ? tmpl : "{call} has no timeout ({note}); pass {fix}",
				cl_call_label(out, &st, call), call, t->spec));
	}
	cl_check_cl05_disconnect(ctx, out);
}
