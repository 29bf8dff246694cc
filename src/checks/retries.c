/*
 * retries.c — CL04's hand-written retries around a Claude call (a loop that
 * re-sends the request, or a handler that calls its own function again):
 * no growing delay (retry-without-backoff), every error retried
 * (retry-on-client-error), and, where the retry replaces the SDK's, 529 not
 * retried and no jitter (retry-misses-overloaded).
 */
#include <stdio.h>
#include <string.h>

#include "../checks.h"
#include "../settings.h"
#include "around.h"

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

/* The retry's text plus the definitions of the UPPER_CASE constants it
 * names (RETRYABLE = {429, 500, ...}), into BUF. */
static size_t condition_text(const struct cl_file_facts *f, const struct cl_span *sp, char *buf, size_t cap)
{
	size_t n = sp->end - sp->start;
	if (n >= cap)
		n = cap - 1;
	memcpy(buf, f->text + sp->start, n);
	const char *s = f->text + sp->start;
	size_t len = sp->end - sp->start;
	for (size_t i = 0; i < len && n + 2 < cap; i++) {
		if (!(s[i] >= 'A' && s[i] <= 'Z') || (i && cl_around_ident_char(s[i - 1])))
			continue;
		size_t e = i;
		bool upper = true;
		while (e < len && cl_around_ident_char(s[e])) {
			if (s[e] >= 'a' && s[e] <= 'z')
				upper = false;
			e++;
		}
		if (!upper || e - i < 3) {
			i = e;
			continue;
		}
		/* its definition: NAME = ... at the start of a line */
		for (size_t k = 0; k + (e - i) < f->text_len; k++) {
			if ((k && f->text[k - 1] != '\n') || memcmp(f->text + k, s + i, e - i) != 0)
				continue;
			size_t d = k + (e - i);
			while (d < f->text_len && (f->text[d] == ' ' || f->text[d] == ':'))
				d++;
			if (d >= f->text_len || f->text[d] != '=')
				continue;
			size_t end = d;
			while (end < f->text_len && end - d < 300 && f->text[end] != '\n')
				end++;
			size_t add = end - k;
			if (n + add + 1 < cap) {
				buf[n++] = '\n';
				memcpy(buf + n, f->text + k, add);
				n += add;
			}
			break;
		}
		i = e;
	}
	buf[n] = 0;
	return n;
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
	size_t n = condition_text(f, sp, buf, sizeof buf);
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
static bool api_retry(struct cl_file_facts *f, const struct retry *r)
{
	char buf[8192];
	size_t len = condition_text(f, &r->span, buf, sizeof buf);
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

void cl_check_cl04_handwritten(const struct cl_check_ctx *ctx, struct cl_file_out *out)
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
		if (!api_retry(f, &r))
			continue; /* re-asks on a bad answer (parse, validation): not an API retry */
		if (cl_around_has(f, D, "recovery_words", r.span.start, r.span.end))
			continue; /* shrinks the request or switches model before sending again */
		r.at = cl_around_first_line(f, &r.span);
		check_retry(ctx, out, &r);
	}
}
