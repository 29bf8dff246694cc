/*
 * around.c — regions' text, rule-data patterns, try handlers and retry loops
 * for the checks that look at the code around a Claude call.
 */
#include "checks/around.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "rules/patterns.h"
#include "rules/registry.h"
#include "support/xalloc.h"

/* ------------------------------------------------------------------------ */
/* Patterns from rule data (compiled at load by patterns.c).                */

static long find_in(int item, const char *key, const char *s, size_t n)
{
	size_t at;
	if (!cl_pattern_find(cl_patterns_get(item, key), s, n, 0, &at, NULL))
		return -1;
	return (long)at;
}

bool cl_around_match(int item, const char *key, const char *s, size_t n)
{
	return find_in(item, key, s, n) >= 0;
}

long cl_around_find(const struct cl_file_facts *f, int item, const char *key, uint32_t start, uint32_t end)
{
	if (!f->text || start >= end || end > f->text_len)
		return -1;
	long at = find_in(item, key, f->text + start, end - start);
	return at < 0 ? -1 : at + (long)start;
}

const char *cl_around_text(const struct cl_file_facts *f, const struct cl_span *span, size_t *len)
{
	if (!f->text || span->end > f->text_len || span->start > span->end)
		return NULL;
	*len = span->end - span->start;
	return f->text + span->start;
}

/* ------------------------------------------------------------------------ */
/* Regions.                                                                 */

const char *cl_around_claude_in(const struct cl_file_facts *f, int region)
{
	if (region < 0)
		return NULL;
	const struct cl_span *sp = &f->regions.v[region].span;
	int fn = cl_facts_enclosing(f, region, CL_R_FUNCTION);
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *c = &f->calls.v[i];
		if (c->claude && cl_around_within(&c->span, sp) && cl_facts_enclosing(f, c->region, CL_R_FUNCTION) == fn)
			return c->method;
	}
	for (size_t i = 0; i < f->refs.n; i++) {
		const struct cl_ref *r = &f->refs.v[i];
		if (r->reaches_claude && cl_around_within(&r->span, sp) && cl_facts_enclosing(f, r->region, CL_R_FUNCTION) == fn)
			return r->name;
	}
	return NULL;
}

int cl_around_loop_of(const struct cl_file_facts *f, int region)
{
	while (region >= 0 && f->regions.v[region].kind != CL_R_LOOP) {
		if (f->regions.v[region].kind == CL_R_FUNCTION)
			return -1;
		region = f->regions.v[region].parent;
	}
	return region;
}

size_t cl_around_handlers(const struct cl_file_facts *f, int try_region, int *out, size_t cap)
{
	const struct cl_region *t = &f->regions.v[try_region];
	size_t n = 0;
	uint32_t inside_until = t->span.end; /* regions nested in the body or a handler */
	for (size_t k = (size_t)try_region + 1; k < f->regions.n && n < cap; k++) {
		const struct cl_region *r = &f->regions.v[k];
		if (r->span.start < inside_until)
			continue;
		if (r->parent != t->parent || r->kind != CL_R_HANDLER)
			break;
		out[n++] = (int)k;
		inside_until = r->span.end;
	}
	return n;
}

size_t cl_around_caught(const struct cl_file_facts *f, int handler, const char **out, size_t cap,
	struct cl_arena *a)
{
	size_t len;
	const char *h = cl_around_text(f, &f->regions.v[handler].head, &len);
	if (!h || cl_lang_is_js(f->lang))
		return 0;
	/* Python: `T`, `T as e`, `(T1, T2) as e`, `T1, T2` */
	const char *as = NULL;
	for (size_t i = 0; i + 4 <= len; i++)
		if (!memcmp(h + i, " as ", 4)) {
			as = h + i;
			break;
		}
	size_t end = as ? (size_t)(as - h) : len;
	size_t n = 0;
	for (size_t i = 0; i < end && n < cap;) {
		while (i < end && !cl_around_ident_char(h[i]))
			i++;
		size_t s = i, last = i;
		while (i < end && (cl_around_ident_char(h[i]) || h[i] == '.')) {
			if (h[i] == '.')
				last = i + 1;
			i++;
		}
		if (i > last)
			out[n++] = cl_arena_strndup(a, h + last, i - last);
		(void)s;
	}
	return n;
}

const char *cl_around_error_name(const struct cl_file_facts *f, int handler, struct cl_arena *a)
{
	size_t len;
	const char *h = cl_around_text(f, &f->regions.v[handler].head, &len);
	if (!h || !len)
		return NULL;
	size_t i = 0;
	if (!cl_lang_is_js(f->lang)) {
		const char *as = NULL;
		for (size_t k = 0; k + 4 <= len; k++)
			if (!memcmp(h + k, " as ", 4))
				as = h + k + 4;
		if (!as)
			return NULL;
		i = (size_t)(as - h);
	}
	while (i < len && isspace((unsigned char)h[i]))
		i++;
	size_t s = i;
	while (i < len && cl_around_ident_char(h[i]))
		i++;
	return i > s ? cl_arena_strndup(a, h + s, i - s) : NULL;
}

struct cl_span cl_around_handler_body(const struct cl_file_facts *f, int handler)
{
	const struct cl_region *r = &f->regions.v[handler];
	struct cl_span b = r->span;
	if (r->head.end > b.start && r->head.end <= b.end) {
		b.start = r->head.end;
		b.line = r->head.end_line;
		b.col = r->head.end_col;
	}
	return b;
}

static bool starts_word(const char *s, size_t n, const char *w)
{
	size_t m = strlen(w);
	return n >= m && !memcmp(s, w, m) && (n == m || !cl_around_ident_char(s[m]));
}

bool cl_around_handler_exits(const struct cl_file_facts *f, int handler)
{
	struct cl_span b = cl_around_handler_body(f, handler);
	size_t len;
	const char *s = cl_around_text(f, &b, &len);
	if (!s)
		return false;
	if (cl_around_match(CL_ITEM(CL04), "continue", s, len))
		return false;
	/* the last statement: strip closing braces, semicolons and comments-free tail */
	while (len && (isspace((unsigned char)s[len - 1]) || s[len - 1] == '}' || s[len - 1] == ';'))
		len--;
	size_t ls = len;
	while (ls && s[ls - 1] != '\n')
		ls--;
	const char *line = s + ls;
	size_t n = len - ls;
	while (n && isspace((unsigned char)*line)) {
		line++;
		n--;
	}
	/* a one-line handler (`except X: return`, `catch (e) { return null; }`):
	 * the statement after its opening */
	if (ls == 0 || starts_word(line, n, "except") || starts_word(line, n, "catch") || (n && *line == '}')) {
		size_t k = 0;
		while (k < n && line[k] != '{' && line[k] != ':')
			k++;
		if (k < n) {
			line += k + 1;
			n -= k + 1;
		}
		while (n && isspace((unsigned char)*line)) {
			line++;
			n--;
		}
	}
	static const char *const exits[] = {"raise", "throw", "return", "break", "sys.exit", "exit", "process.exit"};
	for (size_t i = 0; i < sizeof exits / sizeof *exits; i++)
		if (starts_word(line, n, exits[i]))
			return true;
	return false;
}

bool cl_around_collection_loop(const struct cl_file_facts *f, int loop)
{
	const struct cl_loop *lp = f->regions.v[loop].loop;
	return lp && lp->shape == CL_LOOP_COLLECTION;
}

/* A try inside LOOP (in the same function, not in a nested loop) around a
 * Claude call, that leaves the loop on success (in the try or after it: a
 * loop that leaves only before it, when its queue is empty, takes a new
 * item each time) and has a handler that lets the loop go round again. */
static bool retrying_try(const struct cl_file_facts *f, int loop)
{
	const struct cl_region *l = &f->regions.v[loop];
	for (size_t k = (size_t)loop + 1; k < f->regions.n && f->regions.v[k].span.start < l->span.end; k++) {
		const struct cl_region *t = &f->regions.v[k];
		if (t->kind != CL_R_TRY || cl_around_loop_of(f, (int)k) != loop || !cl_around_claude_in(f, (int)k))
			continue;
		if (!cl_around_has(f, CL_ITEM(CL04), "leaves_loop", t->span.start, l->span.end))
			continue;
		int hs[16];
		size_t nh = cl_around_handlers(f, (int)k, hs, 16);
		for (size_t i = 0; i < nh; i++)
			if (!cl_around_handler_exits(f, hs[i]))
				return true;
	}
	return false;
}

bool cl_around_retry_loop(const struct cl_file_facts *f, int loop)
{
	const struct cl_region *l = &f->regions.v[loop];
	if (!f->text || !cl_around_claude_in(f, loop))
		return false;
	if (cl_around_has(f, CL_ITEM(CL04), "retry_library_loops", l->span.start, l->head.end))
		return false;
	if (cl_around_has(f, CL_ITEM(CL18), "interactive", l->span.start, l->span.end))
		return false; /* waits for the user each turn */
	if (cl_around_scheduled_loop(f, loop))
		return false; /* runs a job on a schedule */
	if (cl_around_has(f, CL_ITEM(CL04), "retry_head_words", l->span.start, l->head.end))
		return true;
	if (cl_around_collection_loop(f, loop))
		return false;
	if (cl_around_has(f, CL_ITEM(CL18), "agent_markers", l->span.start, l->span.end))
		return false;
	if ((cl_around_has(f, CL_ITEM(CL04), "retry_words", l->span.start, l->span.end) ||
	     cl_around_has(f, CL_ITEM(CL04), "retry_statuses", l->span.start, l->span.end)) &&
	    cl_around_has(f, CL_ITEM(CL04), "leaves_loop", l->span.start, l->span.end))
		return true;
	return retrying_try(f, loop);
}

bool cl_around_recursive_retry(const struct cl_file_facts *f, int handler)
{
	int fn = cl_facts_enclosing(f, handler, CL_R_FUNCTION);
	if (fn < 0 || !f->regions.v[fn].name)
		return false;
	const struct cl_span *h = &f->regions.v[handler].span;
	if (cl_around_has(f, CL_ITEM(CL04), "fallback_words", h->start, h->end))
		return false; /* another model or provider: a fallback, not a retry */
	if (cl_around_rearms_itself(f, handler))
		return false; /* runs again after a success too: a schedule */
	for (size_t i = 0; i < f->refs.n; i++) {
		const struct cl_ref *r = &f->refs.v[i];
		if (r->how != CL_REF_MEMBER && r->span.start >= h->start && r->span.end <= h->end &&
		    !strcmp(r->name, f->regions.v[fn].name) && cl_facts_enclosing(f, r->region, CL_R_FUNCTION) == fn)
			return true;
	}
	return false;
}

bool cl_around_retried(const struct cl_file_facts *f, int region)
{
	for (int l = cl_around_loop_of(f, region); l >= 0; l = cl_around_loop_of(f, f->regions.v[l].parent))
		if (cl_around_retry_loop(f, l))
			return true;
	for (int t = region; t >= 0; t = f->regions.v[t].parent) {
		if (f->regions.v[t].kind == CL_R_FUNCTION)
			break;
		if (f->regions.v[t].kind != CL_R_TRY)
			continue;
		int hs[16];
		size_t nh = cl_around_handlers(f, t, hs, 16);
		for (size_t i = 0; i < nh; i++)
			if (cl_around_recursive_retry(f, hs[i]))
				return true;
	}
	return false;
}

bool cl_around_test_file(const struct cl_file_facts *f)
{
	return cl_around_match(CL_ITEM(CL14), "test_paths", f->path, strlen(f->path));
}

struct cl_span cl_around_span_at(const struct cl_file_facts *f, uint32_t start, uint32_t end)
{
	struct cl_span sp;
	uint32_t line = 1, col = 1;
	for (uint32_t i = 0; i < start && i < f->text_len; i++) {
		if (f->text[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	sp.start = start;
	sp.end = end;
	sp.line = sp.end_line = line;
	sp.col = col;
	sp.end_col = col + (end - start);
	return sp;
}

struct cl_span cl_around_first_line(const struct cl_file_facts *f, const struct cl_span *sp)
{
	struct cl_span s = *sp;
	uint32_t e = s.start;
	while (e < s.end && e < f->text_len && f->text[e] != '\n')
		e++;
	s.end = e;
	s.end_line = s.line;
	s.end_col = s.col + (e - s.start);
	return s;
}
