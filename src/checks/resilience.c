/*
 * resilience.c — CL04 (retries turned off, raw HTTP without retry) and CL05
 * (request timeouts: missing, too long, wrong unit).
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../catalog.h"
#include "../checks.h"
#include "around.h"

/* Follows with_options() parents to the client that was constructed. */
static struct cl_client_ref parent_of(const struct cl_check_ctx *ctx, struct cl_client_ref ref)
{
	const struct cl_client *c = cl_project_client(ref);
	struct cl_client_ref none = {NULL, -1};
	if (!c || c->kind != CL_CLIENT_DERIVED)
		return none;
	if (c->parent >= 0) {
		struct cl_client_ref p = {ref.file, c->parent};
		return p;
	}
	if (c->parent_ref) {
		const struct cl_value *v = cl_project_resolve(ctx->project, c->parent_ref);
		if (v->kind == CL_V_CLIENT) {
			struct cl_client_ref p = {v->owner, v->client};
			return p;
		}
	}
	return none;
}

static bool same_ref(struct cl_client_ref a, struct cl_client_ref b)
{
	return a.file == b.file && a.index == b.index;
}

static bool is_sdk_client(const struct cl_client *c)
{
	return c->kind == CL_CLIENT_SDK || c->kind == CL_CLIENT_CLOUD;
}

/* ---------------------------------------------------------------- CL04 */

/* A retry count of 0 in V; reported at AT (the value itself, or the
 * constructor of a client built with it). */
static void retries_value(struct cl_file_out *out, const struct cl_value *v,
	const struct cl_span *at, const char *what, const char *key)
{
	if (!v || v->kind != CL_V_NUMBER || v->num != 0)
		return;
	if (at)
		cl_emit(out, CL_RULE(CL04_retries_disabled), -1, at,
			"%s is built with %s=0, which turns off the built-in retries on 429 and 529; "
			"keep the default (2) or raise it", what, key);
	else
		cl_emit(out, CL_RULE(CL04_retries_disabled), -1, &v->span,
			"%s=0 on %s turns off the built-in retries on 429 and 529; keep the default (2) "
			"or raise it", key, what);
}

static bool file_imports(const struct cl_file_facts *f, const char *module)
{
	for (size_t i = 0; i < f->imported_modules.n; i++)
		if (!strcmp(f->imported_modules.v[i], module))
			return true;
	return false;
}

void cl_check_cl04_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_client *c = &f->clients.v[i];
		if (c->kind == CL_CLIENT_AISDK_PROVIDER)
			continue;
		retries_value(out, cl_value_get(c->opts, "max_retries"),
			c->kind == CL_CLIENT_DERIVED ? NULL : &c->span, c->cls,
			cl_lang_is_js(f->lang) ? "maxRetries" : "max_retries");
	}
	bool global_retry = file_imports(f, "axios-retry") || file_imports(f, "fetch-retry") ||
		file_imports(f, "urllib3.util.retry") || file_imports(f, "aiohttp_retry");
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		switch (call->kind) {
		case CL_CALL_SDK:
			if (cl_lang_is_js(f->lang))
				retries_value(out, cl_value_get(call->opts, "maxRetries"), NULL, call->method, "maxRetries");
			break;
		case CL_CALL_AISDK:
			retries_value(out, cl_value_get(call->opts, "maxRetries"), NULL, call->method, "maxRetries");
			break;
		case CL_CALL_LITELLM: {
			const struct cl_value *n = cl_value_get(call->opts, "num_retries");
			if (!n)
				n = cl_value_get(call->opts, "max_retries");
			if (n)
				retries_value(out, n, NULL, call->method, "num_retries");
			else if (!call->opts->open)
				cl_emit(out, CL_RULE(CL04_retries_disabled), -1, &call->span,
					"litellm.%s retries nothing unless num_retries is set; pass num_retries=2 "
					"(or more) so 429 and 529 are retried", call->method);
			break;
		}
		case CL_CALL_RAW_HTTP:
			if (!call->in_retry_loop && !call->retry_wrapped && !global_retry &&
			    !cl_around_retried(f, call->region))
				cl_emit(out, CL_RULE(CL04_raw_http_no_retry), -1, &call->span,
					"raw %s request to the Messages API with no retry: nothing re-sends it on 429 "
					"or 529; use the SDK (it retries with backoff) or wrap the call in a retry "
					"with exponential backoff and jitter", call->lib);
			break;
		case CL_CALL_WRAPPER:
			break;
		}
	}
	cl_check_cl04_handwritten(ctx, out);
}

/* ---------------------------------------------------------------- CL05 */

/* Checks an explicit timeout value; JS values are milliseconds. */
static void timeout_value(const struct cl_check_ctx *ctx, struct cl_file_out *out,
	const struct cl_value *v, bool js, const char *what)
{
	if (!v)
		return;
	const struct cl_value *use = v;
	v = cl_project_resolve(ctx->project, v);
	double max = ctx->config->timeout_max_s;
	if (v->kind == CL_V_NULL) {
		cl_emit(out, CL_RULE(CL05_timeout_too_long), CL_SEV_ERROR, &use->span,
			"%s has its timeout set to %s, which disables it; set 60–120 s", what, js ? "null" : "None");
		return;
	}
	if (v->kind != CL_V_NUMBER && v->kind != CL_V_SIGNAL)
		return;
	if (v->kind == CL_V_SIGNAL && v->num == 0)
		return;
	double n = v->num;
	if (n == 0 || isinf(n)) {
		cl_emit(out, CL_RULE(CL05_timeout_too_long), CL_SEV_ERROR, &use->span,
			"%s has timeout %s, which means no timeout at all; set 60–120 s", what, n == 0 ? "0" : "Infinity");
		return;
	}
	if (js && n < 1000) {
		cl_emit(out, CL_RULE(CL05_timeout_unit), -1, &use->span,
			"%s has timeout %g: TypeScript/JavaScript timeouts are milliseconds, so this is %g ms; "
			"did you mean %g (%g s)?", what, n, n, n * 1000, n);
		return;
	}
	double secs = js ? n / 1000 : n;
	if (secs > max)
		cl_emit(out, CL_RULE(CL05_timeout_too_long), -1, &use->span,
			"%s has a %g s timeout, above the %g s maximum; 60–120 s is typical", what, secs, max);
}

/* The timeout option a call sets itself (Python `timeout=`, TS options
 * `timeout` / `signal`), or NULL. */
static const struct cl_value *call_timeout(const struct cl_call *call, bool js)
{
	const struct cl_value *t = cl_value_get(call->opts, "timeout");
	if (t)
		return t;
	if (js) {
		t = cl_value_get(call->opts, "signal");
		if (t)
			return t;
		t = cl_value_get(call->opts, "abortSignal");
		if (t)
			return t;
	}
	return NULL;
}

/* True when CALL, made through client REF (or a with_options child of
 * it), ends up with a timeout of its own. */
static bool call_has_timeout(const struct cl_check_ctx *ctx, const struct cl_file_facts *f,
	const struct cl_call *call, struct cl_client_ref ref)
{
	if (call_timeout(call, cl_lang_is_js(f->lang)))
		return true;
	for (int hop = 0; hop < 8; hop++) {
		const struct cl_client *c = cl_project_client(ref);
		if (!c || c->kind != CL_CLIENT_DERIVED)
			return false;
		if (cl_value_get(c->opts, "timeout"))
			return true;
		ref = parent_of(ctx, ref);
	}
	return false;
}

/* Is REF, or a with_options() chain ending at it, ROOT? */
static bool derives_from(const struct cl_check_ctx *ctx, struct cl_client_ref ref, struct cl_client_ref root)
{
	for (int hop = 0; hop < 8 && ref.file; hop++) {
		if (same_ref(ref, root))
			return true;
		ref = parent_of(ctx, ref);
	}
	return false;
}

static void client_timeouts(const struct cl_check_ctx *ctx, struct cl_file_out *out, size_t index)
{
	struct cl_file_facts *f = out->facts;
	const struct cl_client *c = &f->clients.v[index];
	bool js = cl_lang_is_js(f->lang);
	const struct cl_value *t = cl_value_get(c->opts, "timeout");
	if (c->kind == CL_CLIENT_LANGCHAIN && !t)
		t = cl_value_get(c->opts, "default_request_timeout");
	if (c->kind == CL_CLIENT_LANGCHAIN && !t && js)
		t = cl_value_path(c->opts, "clientOptions.timeout");
	if (c->kind == CL_CLIENT_DERIVED) {
		timeout_value(ctx, out, t, js, c->cls);
		return;
	}
	if (c->kind == CL_CLIENT_AISDK_PROVIDER)
		return;
	if (t) {
		timeout_value(ctx, out, t, js, c->cls);
		return;
	}
	if (c->opts->open)
		return; /* options spread from somewhere unknown may set it */
	/* no timeout on the client: do all its calls set one? */
	struct cl_client_ref root = {f, (int)index};
	size_t calls = 0, without = 0;
	if (is_sdk_client(c)) {
		for (size_t k = 0; k < ctx->project->nfiles; k++) {
			const struct cl_file_facts *g = ctx->project->files[k];
			for (size_t j = 0; j < g->calls.n; j++) {
				const struct cl_call *call = &g->calls.v[j];
				if (call->kind != CL_CALL_SDK)
					continue;
				struct cl_client_ref ref = cl_project_call_client(call);
				if (!ref.file || !derives_from(ctx, ref, root))
					continue;
				calls++;
				if (!call_has_timeout(ctx, g, call, ref))
					without++;
			}
		}
		if (calls > 0 && without == 0)
			return;
	}
	const char *deflt = "the SDK default is 10 minutes";
	if (c->kind == CL_CLIENT_LANGCHAIN && !js)
		deflt = "langchain-anthropic then passes timeout=None: no timeout at all";
	else if (c->kind == CL_CLIENT_LLAMAINDEX)
		deflt = "llama-index then passes timeout=None: no timeout at all";
	if (calls)
		cl_emit(out, CL_RULE(CL05_no_timeout), -1, &c->span,
			"%s has no timeout and %zu of its %zu calls set none (%s); set timeout=%s on the client",
			c->cls, without, calls, deflt, js ? "60_000 (ms)" : "60 (s)");
	else
		cl_emit(out, CL_RULE(CL05_no_timeout), -1, &c->span,
			"%s has no timeout (%s); set timeout=%s on the client",
			c->cls, deflt, js ? "60_000 (ms)" : "60 (s)");
}

void cl_check_cl05_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	bool js = cl_lang_is_js(f->lang);
	for (size_t i = 0; i < f->clients.n; i++)
		client_timeouts(ctx, out, i);
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		const struct cl_value *t = call_timeout(call, js);
		if (call->kind == CL_CALL_RAW_HTTP && t && t->kind == CL_V_OBJECT)
			t = cl_value_get(t, "request"); /* got: timeout: { request: ms } */
		bool raw_js_ms = js; /* fetch signals, axios and got timeouts are ms too */
		if (t) {
			timeout_value(ctx, out, t, raw_js_ms, call->method);
			continue;
		}
		if (call->opts->open)
			continue;
		switch (call->kind) {
		case CL_CALL_RAW_HTTP:
			cl_emit(out, CL_RULE(CL05_no_timeout), -1, &call->span,
				"raw %s request to the Messages API has no timeout; pass %s",
				call->lib, js ? "signal: AbortSignal.timeout(60_000)" : "timeout=60");
			break;
		case CL_CALL_AISDK:
			cl_emit(out, CL_RULE(CL05_no_timeout), -1, &call->span,
				"%s has neither timeout nor abortSignal; pass abortSignal: AbortSignal.timeout(60_000)",
				call->method);
			break;
		case CL_CALL_LITELLM:
			cl_emit(out, CL_RULE(CL05_no_timeout), -1, &call->span,
				"litellm.%s has no timeout (LiteLLM's default is 600 s); pass timeout=60",
				call->method);
			break;
		case CL_CALL_SDK:
		case CL_CALL_WRAPPER:
			break;
		}
	}
}
