/*
 * cl14_error_handling.c — CL14: what an except / catch around a Claude call
 * does with the error. Dropping it is an error finding (swallowed-error);
 * handling every error alike is a note (untyped-error-handling), one per
 * handler.
 */
#include <string.h>

#include "checks/checks.h"
#include "checks/around.h"

#define D CL_ITEM(CL14)
#define MAX_HANDLERS 16
#define MAX_TYPES 16

/* What a handler catches. */
struct caught {
	const char *types[MAX_TYPES];
	size_t n;           /* 0: everything (bare except, any JS catch) */
	bool api;           /* can catch an API error */
	bool broad;         /* catches every error (or every API error) alike */
};

static struct caught caught_by(const struct cl_file_facts *f, int handler, struct cl_arena *a)
{
	struct caught c;
	c.n = cl_around_caught(f, handler, c.types, MAX_TYPES, a);
	c.api = c.n == 0;
	c.broad = c.n == 0;
	for (size_t i = 0; i < c.n; i++) {
		if (!cl_registry_data_has(D, "non_api_types", c.types[i]))
			c.api = true;
		if (cl_registry_data_has(D, "broad_types", c.types[i]))
			c.broad = true;
	}
	return c;
}

/* Does the handler log, record, re-raise, or return or send an error? */
static bool handles(const struct cl_file_facts *f, int handler, struct cl_arena *a)
{
	struct cl_span body = cl_around_handler_body(f, handler);
	size_t len;
	const char *s = cl_around_text(f, &body, &len);
	if (!s)
		return true;
	if (cl_around_match(D, "handled", s, len))
		return true;
	/* the error itself goes somewhere: stored, passed on, formatted */
	const char *name = cl_around_error_name(f, handler, a);
	if (name && strcmp(name, "_") != 0) {
		size_t nl = strlen(name);
		for (size_t i = 0; i + nl <= len; i++)
			if (!memcmp(s + i, name, nl) && (i == 0 || !cl_around_ident_char(s[i - 1])) &&
			    (i + nl == len || !cl_around_ident_char(s[i + nl])))
				return true;
	}
	return false;
}

static bool typed_body(const struct cl_file_facts *f, int handler)
{
	struct cl_span body = cl_around_handler_body(f, handler);
	return cl_around_has(f, D, "typed", body.start, body.end);
}

/* The first line of a handler, where its findings are shown. */
static struct cl_span handler_line(const struct cl_file_facts *f, int handler)
{
	struct cl_span s = f->regions.v[handler].span;
	const struct cl_span *h = &f->regions.v[handler].head;
	if (h->end > s.start) {
		s.end = h->end;
		s.end_line = h->end_line;
		s.end_col = h->end_col;
	} else {
		s.end = s.start;
		s.end_line = s.line;
		s.end_col = s.col;
	}
	return s;
}

static const char *caught_text(const struct caught *c, bool js)
{
	if (c->n == 0)
		return js ? "catch" : "bare except";
	return c->types[0];
}

static void check_try(struct cl_file_out *out, int try_region)
{
	struct cl_file_facts *f = out->facts;
	const char *what = cl_around_claude_in(f, try_region);
	if (!what)
		return;
	int hs[MAX_HANDLERS];
	size_t nh = cl_around_handlers(f, try_region, hs, MAX_HANDLERS);
	struct caught cs[MAX_HANDLERS];
	bool some_narrow = false;
	for (size_t i = 0; i < nh; i++) {
		cs[i] = caught_by(f, hs[i], &f->arena);
		if (cs[i].api && !cs[i].broad)
			some_narrow = true;
	}
	bool js = cl_lang_is_js(f->lang);
	/* a retry loop's handler lets the loop try again: CL04 judges it */
	int loop = cl_around_loop_of(f, try_region);
	bool retrying = loop >= 0 && cl_around_retry_loop(f, loop);
	for (size_t i = 0; i < nh; i++) {
		if (!cs[i].api)
			continue;
		if ((retrying && !cl_around_handler_exits(f, hs[i])) || cl_around_recursive_retry(f, hs[i]))
			continue;
		struct cl_span at = handler_line(f, hs[i]);
		if (!handles(f, hs[i], &f->arena)) {
			cl_emit(out, CL_RULE(CL14_swallowed_error), -1, &at,
				"this %s around %s drops the error: it neither logs it, records it, re-raises it nor "
				"returns or sends an error, so rate limits, overloads and bad requests vanish; log the "
				"error type, status and request id at least", caught_text(&cs[i], js), what);
			continue;
		}
		if (cs[i].broad && !some_narrow && !typed_body(f, hs[i]))
			cl_emit(out, CL_RULE(CL14_untyped_error_handling), -1, &at,
				"this %s around %s handles every error alike: no branch on the error type or status, "
				"so 429, 529, other 4xx and timeouts look the same in logs and alerts; branch on the "
				"type (%s) and log the request id", caught_text(&cs[i], js), what,
				js ? "err instanceof Anthropic.RateLimitError, err.status" :
				     "except anthropic.RateLimitError, e.status_code");
	}
}

/* ------------------------------------------------------------------------ */
/* Promise handlers: `ask(q).catch((err) => ...)`.                          */

/* The end of the bracketed text opening at POS (the matching close + 1). */
static uint32_t matching(const struct cl_file_facts *f, uint32_t pos)
{
	int depth = 0;
	for (uint32_t i = pos; i < f->text_len; i++) {
		char c = f->text[i];
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if ((c == ')' || c == ']' || c == '}') && --depth == 0)
			return i + 1;
	}
	return (uint32_t)f->text_len;
}

/* `.catch(` right after the call (or after one `.then(...)`): its position. */
static long promise_catch(const struct cl_file_facts *f, uint32_t end)
{
	for (int hop = 0; hop < 2; hop++) {
		uint32_t i = end;
		while (i < f->text_len && (f->text[i] == ' ' || f->text[i] == '\n' || f->text[i] == '\t'))
			i++;
		if (i + 7 <= f->text_len && !memcmp(f->text + i, ".catch(", 7))
			return i;
		if (i + 6 > f->text_len || memcmp(f->text + i, ".then(", 6) != 0)
			return -1;
		end = matching(f, i + 5);
	}
	return -1;
}

static void check_promise(struct cl_file_out *out, const struct cl_span *call, const char *what)
{
	struct cl_file_facts *f = out->facts;
	long at = promise_catch(f, call->end);
	if (at < 0)
		return;
	uint32_t open = (uint32_t)at + 6, close = matching(f, open);
	const char *s = f->text + open + 1;
	size_t len = close > open + 1 ? close - open - 2 : 0;
	struct cl_span sp = cl_around_span_at(f, (uint32_t)at + 1, open);
	/* the error's name: `(err) =>`, `err =>`, `function (err)` */
	size_t i = 0;
	while (i < len && (s[i] == ' ' || s[i] == '(' || s[i] == '\n'))
		i++;
	if (i + 8 <= len && !memcmp(s + i, "function", 8)) {
		i += 8;
		while (i < len && s[i] != '(')
			i++;
		i++;
	} else if (i + 5 <= len && !memcmp(s + i, "async", 5)) {
		i += 5;
		while (i < len && (s[i] == ' ' || s[i] == '('))
			i++;
	}
	size_t n0 = i;
	while (i < len && cl_around_ident_char(s[i]))
		i++;
	bool callback = false;
	for (size_t k = 0; k + 1 < len && !callback; k++)
		callback = (s[k] == '=' && s[k + 1] == '>') || (k + 8 <= len && !memcmp(s + k, "function", 8));
	if (!callback)
		return; /* `.catch(handleError)`, `.catch(console.error)`: handed on */
	bool handled = cl_around_match(D, "handled", s, len);
	size_t nl = i - n0;
	for (size_t k = i; k + nl <= len && nl && !handled; k++)
		handled = !memcmp(s + k, s + n0, nl) && !cl_around_ident_char(s[k - 1]) &&
			(k + nl == len || !cl_around_ident_char(s[k + nl]));
	if (!handled)
		cl_emit(out, CL_RULE(CL14_swallowed_error), -1, &sp,
			"this .catch on %s drops the error: it neither logs it, records it, rethrows it nor returns "
			"or sends an error, so rate limits, overloads and bad requests vanish; log the error type, "
			"status and request id at least", what);
	else if (!cl_around_match(D, "typed", s, len))
		cl_emit(out, CL_RULE(CL14_untyped_error_handling), -1, &sp,
			"this .catch on %s handles every error alike: no branch on the error type or status; branch "
			"on it (err instanceof Anthropic.RateLimitError, err.status) and log the request id", what);
}

static void check_promises(struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->calls.n; i++)
		if (f->calls.v[i].claude)
			check_promise(out, &f->calls.v[i].span, f->calls.v[i].method);
	for (size_t i = 0; i < f->refs.n; i++)
		if (f->refs.v[i].reaches_claude)
			check_promise(out, &f->refs.v[i].span, f->refs.v[i].name);
}

/* Does F make a Claude call itself? */
static bool calls_claude(const struct cl_file_facts *f)
{
	for (size_t i = 0; i < f->calls.n; i++)
		if (f->calls.v[i].claude)
			return true;
	return false;
}

void cl_check_cl14_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	(void)ctx;
	struct cl_file_facts *f = out->facts;
	if (!f->text || cl_around_test_file(f))
		return;
	/* a "use client" module reaches Claude only through the server (a server
	 * action, a fetch of its route): the API's error types never cross to it,
	 * so its catches are the server's to get right */
	if (f->use_client && !calls_claude(f))
		return;
	for (size_t i = 0; i < f->regions.n; i++)
		if (f->regions.v[i].kind == CL_R_TRY)
			check_try(out, (int)i);
	if (cl_lang_is_js(f->lang))
		check_promises(out);
}
