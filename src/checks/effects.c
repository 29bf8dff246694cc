/*
 * effects.c — CL07: a branch on the model's tool calls that leads, in the
 * same file, to a side effect (payment, email / SMS, HTTP write, database
 * write) with no idempotency key. What counts as a tool branch, a side
 * effect and an idempotency key is data (rules/CL07.json "data"): lists of
 * PCRE2 patterns matched against the file's text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../checks.h"
#include "../patterns.h"
#include "../xalloc.h"

enum pat {
	P_TOOL_BRANCH, P_DISPATCH, P_PAYMENT, P_PAYMENT_WORDS, P_MESSAGE, P_HTTP_WRITE, P_HTTP_REQUEST,
	P_HTTP_METHOD, P_DB_WRITE, P_SQL_WRITE, P_IDEMPOTENT, P_COUNT
};
static const char *const pat_keys[P_COUNT] = {
	"tool_branch", "dispatch", "payment", "payment_words", "message", "http_write", "http_request",
	"http_method", "db_write", "sql_write", "idempotent",
};
/* The first match of pattern K in S[from, len), its start in *AT. */
static bool find(enum pat k, const char *s, size_t len, size_t from, size_t *at)
{
	return cl_pattern_find(cl_patterns_get(CL_ITEM(CL07), pat_keys[k]), s, len, from, at, NULL);
}

static bool matches(enum pat k, const char *s, size_t len)
{
	return find(k, s, len, 0, NULL);
}

/* A match of K in code: not on a line after a comment marker. */
static bool matches_code(enum pat k, const char *s, size_t len)
{
	size_t at;
	for (size_t from = 0; find(k, s, len, from, &at); from = at + 1) {
		size_t bol = at;
		while (bol > 0 && s[bol - 1] != '\n')
			bol--;
		bool comment = false;
		for (size_t i = bol; i < at && !comment; i++)
			comment = s[i] == '#' || (s[i] == '/' && i + 1 < at && s[i + 1] == '/');
		if (!comment)
			return true;
	}
	return false;
}

/* The callee of the call at [S, E): its text before the argument list,
 * whitespace removed, in BUF. */
static const char *callee_text(const char *t, size_t s, size_t e, char *buf, size_t cap)
{
	size_t open = e;
	if (e > s && t[e - 1] == ')') {
		int depth = 0;
		for (size_t i = e; i-- > s;) {
			if (t[i] == ')')
				depth++;
			else if (t[i] == '(' && --depth == 0) {
				open = i;
				break;
			}
		}
	}
	size_t n = 0;
	for (size_t i = s; i < open && n + 1 < cap; i++)
		if (t[i] != ' ' && t[i] != '\n' && t[i] != '\t' && t[i] != '\r')
			buf[n++] = t[i];
	buf[n] = 0;
	return buf;
}

struct reach {
	const struct cl_file_facts *f;
	bool *fn_seen;      /* per region: a function already followed */
	bool all;           /* dynamic dispatch: every function of the file */
	CL_VEC(struct cl_span) spans;
};

static void add_span(struct reach *r, uint32_t s, uint32_t e)
{
	struct cl_span sp;
	memset(&sp, 0, sizeof sp);
	sp.start = s;
	sp.end = e;
	cl_vec_push(&r->spans, sp);
}

static bool word_char(char ch)
{
	return ch == '_' || ch == '$' || (ch >= '0' && ch <= '9') || ((ch | 32) >= 'a' && (ch | 32) <= 'z');
}

/* NAME as a whole word in S. */
static bool mentions(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = s; n && (p = memmem(p, len - (size_t)(p - s), name, n)); p++)
		if ((p == s || !word_char(p[-1])) && (p + n == s + len || !word_char(p[n])))
			return true;
	return false;
}

/* Follows calls by name from the spans to the functions of the file. */
static void follow(struct reach *r)
{
	const struct cl_file_facts *f = r->f;
	for (size_t k = 0; k < r->spans.n; k++) {
		struct cl_span sp = r->spans.v[k];
		if (!r->all && matches(P_DISPATCH, f->text + sp.start, sp.end - sp.start))
			r->all = true;
		for (size_t i = 0; i < f->refs.n; i++) {
			const struct cl_ref *ref = &f->refs.v[i];
			if (ref->span.start < sp.start || ref->span.start >= sp.end)
				continue;
			for (size_t g = 0; g < f->regions.n; g++) {
				const struct cl_region *fn = &f->regions.v[g];
				if (fn->kind == CL_R_FUNCTION && fn->name && !r->fn_seen[g] && !strcmp(fn->name, ref->name)) {
					r->fn_seen[g] = true;
					add_span(r, fn->span.start, fn->span.end);
				}
			}
		}
		/* functions handed on by name: `blocks.map(runTool)` */
		for (size_t g = 0; g < f->regions.n; g++) {
			const struct cl_region *fn = &f->regions.v[g];
			if (fn->kind == CL_R_FUNCTION && fn->name && !r->fn_seen[g] &&
			    mentions(f->text + sp.start, sp.end - sp.start, fn->name)) {
				r->fn_seen[g] = true;
				add_span(r, fn->span.start, fn->span.end);
			}
		}
		if (r->all)
			for (size_t g = 0; g < f->regions.n; g++)
				if (f->regions.v[g].kind == CL_R_FUNCTION && !r->fn_seen[g]) {
					r->fn_seen[g] = true;
					add_span(r, f->regions.v[g].span.start, f->regions.v[g].span.end);
				}
	}
}

static bool is_claude_call(const struct cl_file_facts *f, const struct cl_ref *ref)
{
	for (size_t i = 0; i < f->calls.n; i++)
		if (f->calls.v[i].span.start == ref->span.start)
			return true;
	return false;
}

static bool defines(const struct cl_file_facts *f, const char *name)
{
	for (size_t g = 0; g < f->regions.n; g++)
		if (f->regions.v[g].kind == CL_R_FUNCTION && f->regions.v[g].name && !strcmp(f->regions.v[g].name, name))
			return true;
	return false;
}

static const char *effect_kind(const char *callee, const char *call, size_t call_len, bool *payment)
{
	size_t cl = strlen(callee);
	*payment = false;
	if (matches(P_PAYMENT, callee, cl)) {
		*payment = true;
		return "a payment";
	}
	if (matches(P_MESSAGE, callee, cl))
		return "a message (email / SMS / chat)";
	if (matches(P_HTTP_WRITE, callee, cl) ||
	    (matches(P_HTTP_REQUEST, callee, cl) && matches(P_HTTP_METHOD, call, call_len))) {
		*payment = matches(P_PAYMENT_WORDS, call, call_len);
		return *payment ? "a payment (an HTTP write)" : "an HTTP write";
	}
	if (matches(P_DB_WRITE, callee, cl) || matches(P_SQL_WRITE, call, call_len))
		return "a database write";
	return NULL;
}

/* The text of the function around POS (the file at top level). */
static void function_text(const struct cl_file_facts *f, int region, size_t *s, size_t *e)
{
	int fn = cl_facts_enclosing(f, region, CL_R_FUNCTION);
	*s = fn >= 0 ? f->regions.v[fn].span.start : 0;
	*e = fn >= 0 ? f->regions.v[fn].span.end : f->text_len;
}

void cl_check_cl07_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	(void)ctx;
	const struct cl_file_facts *f = out->facts;
	if (!f->text || !f->refs.n)
		return;
	size_t at;
	if (!find(P_TOOL_BRANCH, f->text, f->text_len, 0, &at))
		return;
	struct reach r;
	memset(&r, 0, sizeof r);
	r.f = f;
	r.fn_seen = xcalloc(f->regions.n + 1, sizeof *r.fn_seen);
	unsigned branch_line = 0;
	for (size_t from = 0; find(P_TOOL_BRANCH, f->text, f->text_len, from, &at); from = at + 1) {
		/* the loop or function handling the tool call */
		int reg = cl_facts_region_at(f, (uint32_t)at);
		while (reg >= 0 && ((f->regions.v[reg].kind != CL_R_LOOP && f->regions.v[reg].kind != CL_R_FUNCTION) ||
		       (f->regions.v[reg].kind == CL_R_FUNCTION && !f->regions.v[reg].name)))
			reg = f->regions.v[reg].parent; /* past `(b) => b.type === "tool_use"` */
		if (reg >= 0)
			add_span(&r, f->regions.v[reg].span.start, f->regions.v[reg].span.end);
		else
			add_span(&r, (uint32_t)at, (uint32_t)f->text_len);
		if (!branch_line) {
			branch_line = 1;
			for (size_t i = 0; i < at; i++)
				branch_line += f->text[i] == '\n';
		}
	}
	follow(&r);
	bool *done = xcalloc(f->refs.n + 1, sizeof *done);
	for (size_t k = 0; k < r.spans.n; k++) {
		struct cl_span sp = r.spans.v[k];
		for (size_t i = 0; i < f->refs.n; i++) {
			const struct cl_ref *ref = &f->refs.v[i];
			if (done[i] || ref->span.start < sp.start || ref->span.start >= sp.end || ref->span.end > f->text_len)
				continue;
			done[i] = true;
			if (is_claude_call(f, ref) || (ref->how != CL_REF_MEMBER && defines(f, ref->name)))
				continue; /* a function of the file is followed, not judged by its name */
			char callee[160];
			callee_text(f->text, ref->span.start, ref->span.end, callee, sizeof callee);
			const char *call = f->text + ref->span.start;
			size_t call_len = ref->span.end - ref->span.start;
			bool payment;
			const char *kind = effect_kind(callee, call, call_len, &payment);
			if (!kind)
				continue;
			cl_mark_applies(out, CL_ITEM(CL07));
			size_t fs, fe;
			function_text(f, ref->region, &fs, &fe);
			if (matches_code(P_IDEMPOTENT, call, call_len) ||
			    (fe <= f->text_len && fs < fe && matches_code(P_IDEMPOTENT, f->text + fs, fe - fs)))
				continue;
			cl_emit(out, CL_RULE(CL07_side_effect_without_idempotency_key), payment ? CL_SEV_ERROR : -1, &ref->span,
				"%.60s() makes %s on the model's tool call (tool branch at line %u) with no idempotency key; "
				"pass one derived from the operation or the tool_use id%s",
				callee, kind, branch_line, strstr(kind, "HTTP") ? " (an Idempotency-Key header)" :
				payment ? " (idempotency_key / idempotencyKey)" :
				strstr(kind, "database") ? ", or make it an upsert on a unique key" : "");
		}
	}
	free(done);
	free(r.fn_seen);
	cl_vec_free(&r.spans);
}
