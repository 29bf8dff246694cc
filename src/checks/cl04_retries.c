/*
 * cl04_retries.c — CL04: retries with exponential backoff and jitter on 429
 * and 529. The built-in retries turned off or absent (retries-disabled,
 * raw-http-no-retry), read from the effective settings of clients and calls;
 * and hand-written retries around a Claude call (a loop that re-sends the
 * request, or a handler that calls its own function again): no growing delay
 * (retry-without-backoff), every error retried (retry-on-client-error), and,
 * where the retry replaces the SDK's, 529 not retried and no jitter
 * (retry-misses-overloaded). Loops that run a job on a schedule are no
 * retry (schedules.c).
 */
#include <stdio.h>
#include <string.h>

#include "checks/checks.h"
#include "model/callgraph.h"
#include "adapters/settings.h"
#include "checks/around.h"

#define D CL_ITEM(CL04)
#define MAX_HANDLERS 32

/* One hand-written retry: the code that re-sends (a loop, or a handler that
 * recurses), the handlers that let it go round again, where to report. */
struct retry {
	struct cl_span span;   /* the loop or the recursing handler */
	struct cl_span at;     /* its first line */
	int handlers[MAX_HANDLERS];
	size_t nhandlers;
	const char *what;      /* the Claude call or function retried */
};

/* ------------------------------------------------------------------------ */
/* Does the retry replace the built-in one?                                 */

/* The only retry in place: a Claude call within SP whose effective retry
 * count is off, written so or by default (raw HTTP, a wrapper that retries
 * nothing unless told). Unknown (through a helper, spread options): false. */
static bool replaces_sdk(const struct cl_check_ctx *ctx, const struct cl_file_facts *f, const struct cl_span *sp)
{
	struct cl_settings st;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *c = &f->calls.v[i];
		if (!c->claude || !cl_around_within(&c->span, sp))
			continue;
		cl_settings_of_call(ctx->project, f, c, &st);
		const struct cl_setting *r = &st.s[CL_SET_RETRIES];
		double n;
		if (r->prov == CL_PROV_EXPLICIT && cl_setting_number(r, &n) && n == r->spec->off_at)
			return true;
		if (r->prov == CL_PROV_DEFAULT && r->spec->def == CL_DEF_VALUE && r->spec->value == r->spec->off_at)
			return true;
	}
	return false;
}

/* What a retry's condition reads: its own text, the definitions of the
 * UPPER_CASE constants it names (RETRYABLE = {429, 500, ...}) in its file or
 * a file it imports, and the bodies of the helpers it calls (is_transient(),
 * in any file of the tree, with their constants in turn). */
struct cond {
	char *buf;
	size_t n, cap;
};

static void cond_add(struct cond *c, const char *s, size_t len)
{
	if (c->n + len + 2 >= c->cap)
		return;
	c->buf[c->n++] = '\n';
	memcpy(c->buf + c->n, s, len);
	c->n += len;
	c->buf[c->n] = 0;
}

/* NAME at K of T starts its line, after `export`, `const`, `let`, `var`
 * at most (TS / JS: `export const RETRYABLE = new Set([...])`). */
static bool defined_at(const char *t, size_t k)
{
	static const char *const lead[] = {"export ", "const ", "let ", "var "};
	size_t b = k;
	while (b > 0 && t[b - 1] != '\n')
		b--;
	for (size_t i = 0; i < sizeof lead / sizeof *lead && b < k; i++)
		if (!strncmp(t + b, lead[i], strlen(lead[i])))
			b += strlen(lead[i]), i = (size_t)-1;
	return b == k;
}

/* Appends G's line "NAME = ..." (NAME first on its line): true when found. */
static bool cond_definition(struct cond *c, const struct cl_file_facts *g, const char *name, size_t len)
{
	if (!g || !g->text)
		return false;
	for (size_t k = 0; k + len < g->text_len; k++) {
		if (memcmp(g->text + k, name, len) != 0 || (k && cl_around_ident_char(g->text[k - 1])) ||
		    !defined_at(g->text, k))
			continue;
		size_t d = k + len;
		while (d < g->text_len && (g->text[d] == ' ' || g->text[d] == ':'))
			d++;
		if (d >= g->text_len || g->text[d] != '=' || g->text[d + 1] == '=')
			continue;
		size_t end = d;
		while (end < g->text_len && end - d < 300 && g->text[end] != '\n')
			end++;
		cond_add(c, g->text + k, end - k);
		return true;
	}
	return false;
}

/* Appends the numbers and strings of value V (a tuple, list or set of
 * them, nested at most DEPTH deep). */
static void cond_value(struct cond *c, const struct cl_value *v, int depth)
{
	char num[32];
	if (!v || depth > 3)
		return;
	if (v->kind == CL_V_NUMBER) {
		int k = snprintf(num, sizeof num, "%g", v->num);
		cond_add(c, num, (size_t)k);
	} else if (v->kind == CL_V_STRING && v->str) {
		cond_add(c, v->str, v->len < 200 ? v->len : 200);
	} else if (v->kind == CL_V_ARRAY) {
		for (size_t i = 0; i < v->nitems; i++)
			cond_value(c, v->items[i], depth + 1);
	}
}

/* A value cond_value renders: a number, a string, a list holding one. */
static bool renders(const struct cl_value *v, int depth)
{
	if (!v || depth > 3)
		return false;
	if (v->kind == CL_V_NUMBER || (v->kind == CL_V_STRING && v->str && !v->open))
		return true;
	for (size_t i = 0; v->kind == CL_V_ARRAY && i < v->nitems; i++)
		if (renders(v->items[i], depth + 1))
			return true;
	return false;
}

/* Appends the value G's module binds to NAME (its exports: every module
 * name), as the facts layer read it: true when G binds it. With KNOWN, only
 * a value the facts know (else the caller reads the definition's text: a
 * set literal, a value built by a call). */
static bool cond_export(struct cond *c, const struct cl_file_facts *g, const char *name, size_t len, bool known)
{
	if (!g)
		return false;
	for (size_t i = 0; i < g->exports.n; i++)
		if (strlen(g->exports.v[i].name) == len && !memcmp(g->exports.v[i].name, name, len)) {
			if (known && !renders(g->exports.v[i].val, 0))
				return false;
			cond_add(c, name, len);
			cond_value(c, g->exports.v[i].val, 0);
			return true;
		}
	return false;
}

/* NAME's value in G: from the facts when they know it, else the line that
 * defines it (G's text kept), else what G exports (its text not kept). */
static bool cond_named(struct cond *c, const struct cl_file_facts *g, const char *name, size_t len)
{
	if (!g)
		return false;
	if (cond_export(c, g, name, len, true))
		return true;
	return g->text ? cond_definition(c, g, name, len) : cond_export(c, g, name, len, false);
}

/* The constants S[0..LEN) (text of G) names: defined in G, else in a file G
 * imports. */
static void cond_constants(const struct cl_check_ctx *ctx, struct cond *c, const struct cl_file_facts *g,
	const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (!(s[i] >= 'A' && s[i] <= 'Z') || (i && cl_around_ident_char(s[i - 1])))
			continue;
		size_t e = i;
		bool upper = true;
		while (e < len && cl_around_ident_char(s[e])) {
			if (s[e] >= 'a' && s[e] <= 'z')
				upper = false;
			e++;
		}
		if (upper && e - i >= 3 && !(g->text && cond_named(c, g, s + i, e - i)))
			for (size_t k = 0; k < g->imported_modules.n; k++) {
				const struct cl_file_facts *h = cl_project_import_file(ctx->project, g, k);
				if (h && cond_named(c, h, s + i, e - i))
					break;
			}
		i = e;
	}
}

static size_t condition_text(const struct cl_check_ctx *ctx, const struct cl_file_facts *f,
	const struct cl_span *sp, char *buf, size_t cap)
{
	struct cond c = {buf, 0, cap};
	size_t len = sp->end - sp->start;
	if (len >= cap)
		len = cap - 1;
	memcpy(buf, f->text + sp->start, len);
	c.n = len;
	buf[len] = 0;
	cond_constants(ctx, &c, f, f->text + sp->start, len);
	for (size_t i = 0; i < f->refs.n; i++) {
		if (!cl_around_within(&f->refs.v[i].span, sp))
			continue;
		struct cl_fn fns[4];
		size_t m = cl_callgraph_callees(ctx->project, f, i, fns, 4);
		for (size_t k = 0; k < m && k < 4; k++) {
			const struct cl_file_facts *g = fns[k].file;
			const struct cl_span *body = &g->regions.v[fns[k].region].span;
			if (!g->text || body->end > g->text_len || cl_around_within(body, sp))
				continue; /* a helper inside the retry is already read */
			size_t blen = body->end - body->start;
			if (blen > 600)
				blen = 600;
			cond_add(&c, g->text + body->start, blen);
			cond_constants(ctx, &c, g, g->text + body->start, blen);
		}
	}
	return c.n;
}

/* ------------------------------------------------------------------------ */
/* The rules.                                                               */

static bool broad_untyped(const struct cl_file_facts *f, int handler, struct cl_arena *a)
{
	const char *types[16];
	size_t n = cl_around_caught(f, handler, types, 16, a);
	bool broad = n == 0;
	for (size_t i = 0; i < n; i++)
		if (cl_registry_data_has(CL_ITEM(CL14), "broad_types", types[i]))
			broad = true;
	struct cl_span body = cl_around_handler_body(f, handler);
	return broad && !cl_around_has(f, CL_ITEM(CL14), "typed", body.start, body.end);
}

static void check_retry(const struct cl_check_ctx *ctx, struct cl_file_out *out, const struct retry *r)
{
	struct cl_file_facts *f = out->facts;
	const struct cl_span *sp = &r->span;
	long sleep = cl_around_find(f, D, "sleep_calls", sp->start, sp->end);
	bool grows = cl_around_has(f, D, "growth", sp->start, sp->end);
	if (sleep < 0)
		cl_emit(out, CL_RULE(CL04_retry_without_backoff), -1, &r->at,
			"this hand-written retry around %s sends the request again at once, with no delay between "
			"attempts; sleep min(cap, base * 2 ** attempt) with random jitter, or leave retries to the SDK",
			r->what);
	else if (!grows) {
		size_t e = (size_t)sleep;
		while (e < sp->end && f->text[e] != '\n' && f->text[e] != ';' && e - (size_t)sleep < 40)
			e++;
		cl_emit(out, CL_RULE(CL04_retry_without_backoff), -1, &r->at,
			"this hand-written retry around %s waits a fixed delay (%.*s) between attempts: clients that "
			"failed together retry together; grow it (base * 2 ** attempt, capped) and add jitter",
			r->what, (int)(e - (size_t)sleep), f->text + sleep);
	}
	bool all_errors = false;
	for (size_t i = 0; i < r->nhandlers; i++) {
		if (!broad_untyped(f, r->handlers[i], &f->arena))
			continue;
		all_errors = true;
		const struct cl_region *h = &f->regions.v[r->handlers[i]];
		struct cl_span at = cl_around_first_line(f, &h->span);
		cl_emit(out, CL_RULE(CL04_retry_on_client_error), -1, &at,
			"this handler retries %s on every error, 400, 401, 403, 404 and 413 included, which fail "
			"the same way every time; retry only 408, 409, 429, 5xx (529 included) and connection errors, "
			"re-raise the rest", r->what);
	}
	if (!replaces_sdk(ctx, f, sp))
		return;
	char buf[8192];
	size_t n = condition_text(ctx, f, sp, buf, sizeof buf);
	if (!all_errors && cl_around_match(D, "names_statuses", buf, n) &&
	    !cl_around_match(D, "covers_overloaded", buf, n))
		cl_emit(out, CL_RULE(CL04_retry_misses_overloaded), -1, &r->at,
			"this retry replaces the SDK's (%s) but does not retry 529 overloaded_error, which is as "
			"transient as 429; add 529 (or any status >= 500) to what it retries",
			"raw HTTP or SDK retries turned off");
	if (sleep >= 0 && !cl_around_match(D, "jitter", buf, n))
		cl_emit(out, CL_RULE(CL04_retry_misses_overloaded), CL_SEV_NOTE, &r->at,
			"this retry replaces the SDK's but its delay has no random jitter: clients that failed "
			"together retry in lockstep; multiply the delay by a random factor");
}

/* The retry re-sends on API errors: a handler that can catch one lets it go
 * round again, or it looks at 429 / 529 / overloaded itself. */
static bool api_retry(const struct cl_check_ctx *ctx, struct cl_file_facts *f, const struct retry *r)
{
	char buf[8192];
	size_t len = condition_text(ctx, f, &r->span, buf, sizeof buf);
	if (cl_around_match(D, "retry_statuses", buf, len))
		return true;
	for (size_t i = 0; i < r->nhandlers; i++) {
		const char *types[16];
		size_t n = cl_around_caught(f, r->handlers[i], types, 16, &f->arena);
		if (n == 0)
			return true;
		for (size_t k = 0; k < n; k++)
			if (!cl_registry_data_has(CL_ITEM(CL14), "non_api_types", types[k]))
				return true;
	}
	return false;
}

static void check_handwritten(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	if (!f->text || cl_around_test_file(f))
		return;
	for (size_t i = 0; i < f->regions.n; i++) {
		const struct cl_region *reg = &f->regions.v[i];
		struct retry r;
		memset(&r, 0, sizeof r);
		if (reg->kind == CL_R_LOOP && cl_around_retry_loop(f, (int)i)) {
			r.span = reg->span;
			r.what = cl_around_claude_in(f, (int)i);
			/* the handlers of the tries in this loop that let it go round again */
			for (size_t k = i + 1; k < f->regions.n && f->regions.v[k].span.start < reg->span.end; k++) {
				if (f->regions.v[k].kind != CL_R_TRY || cl_around_loop_of(f, (int)k) != (int)i ||
				    !cl_around_claude_in(f, (int)k))
					continue;
				int hs[16];
				size_t nh = cl_around_handlers(f, (int)k, hs, 16);
				for (size_t j = 0; j < nh && r.nhandlers < MAX_HANDLERS; j++)
					if (!cl_around_handler_exits(f, hs[j]))
						r.handlers[r.nhandlers++] = hs[j];
			}
		} else if (reg->kind == CL_R_HANDLER && cl_around_recursive_retry(f, (int)i)) {
			/* the try this handler belongs to must be around a Claude call */
			int t = (int)i - 1;
			while (t >= 0 && !(f->regions.v[t].kind == CL_R_TRY && f->regions.v[t].parent == reg->parent))
				t--;
			if (t < 0 || !(r.what = cl_around_claude_in(f, t)))
				continue;
			r.span = reg->span;
			r.handlers[r.nhandlers++] = (int)i;
		} else {
			continue;
		}
		if (!api_retry(ctx, f, &r))
			continue; /* re-asks on a bad answer (parse, validation): not an API retry */
		if (cl_around_has(f, D, "recovery_words", r.span.start, r.span.end))
			continue; /* shrinks the request or switches model before sending again */
		r.at = cl_around_first_line(f, &r.span);
		check_retry(ctx, out, &r);
	}
}

/* ------------------------------------------------ the built-in retries */

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
	struct cl_seen seen = {{0}, 0};
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *r = &st.s[CL_SET_RETRIES];
		if (r->prov == CL_PROV_EXPLICIT) {
			if ((r->scope != CL_KEY_CLIENT || !r->client) && turned_off(r) && cl_seen_first(&seen, &r->written->span))
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
	check_handwritten(ctx, out);
}
