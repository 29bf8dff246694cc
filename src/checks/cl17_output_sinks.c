/*
 * cl17_output_sinks.c — CL17.model-output-to-sink (preview): the model's
 * output, a taint source, followed to code execution, SQL text, HTML and
 * written file paths. Within a function the check reads the kept source text statement
 * by statement: a Claude call's result assigned to a name is a response, a
 * member of it that holds the model's text or tool input (rules/CL17.json
 * output_access) is output, and names assigned from output (or looping over
 * it) carry it on; a sanitizer, a validator or an allow-list check clears a
 * name. Across functions the call graph carries it: a function that returns
 * a response or output (its summary) makes its callers' results one too;
 * summaries settle in a few rounds before anything is reported. Sources,
 * sinks, sanitizers and validators are rule data, never names in C.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/callgraph.h"
#include "checks/checks.h"
#include "checks/around.h"
#include "rules/patterns.h"

enum level { L_NONE, L_RESP, L_OUT };
enum { MAX_NAMES = 48, MAX_CALLEES = 8, ROUNDS = 3, MAX_STMT_LINES = 60 };

struct name {
	const char *s;     /* into the file's text */
	size_t len;
	enum level lv;
	const char *from;  /* what the output came from, for messages */
	uint32_t line;
};

struct sums {
	const struct cl_file_facts **files; /* sorted by address */
	uint8_t **lv;                       /* per file: per region, its return level */
	size_t n;
};

struct flow {
	const struct cl_project *p;
	const struct cl_file_facts *f;
	uint8_t *own;           /* F's summaries */
	const struct sums *sums;
	struct cl_file_out *out; /* NULL: summaries only */
	struct name v[MAX_NAMES];
	size_t n;
	bool changed;
	CL_VEC(uint32_t) emitted; /* sink offsets already reported */
};

static const struct cl_pattern *pat(const char *key)
{
	return cl_patterns_get(CL_ITEM(CL17), key);
}

static bool has(const char *key, const char *t, size_t s, size_t e)
{
	return s < e && cl_pattern_find(pat(key), t + s, e - s, 0, NULL, NULL);
}

/* Skips a string literal starting at I (a quote); returns the index after it. */
static size_t skip_string(const char *t, size_t len, size_t i)
{
	char q = t[i];
	bool triple = q != '`' && i + 2 < len && t[i + 1] == q && t[i + 2] == q;
	i += triple ? 3 : 1;
	for (; i < len; i++) {
		if (t[i] == '\\') {
			i++;
			continue;
		}
		if (t[i] == '\n' && q != '`' && !triple)
			return i;
		if (t[i] == q && (!triple || (i + 2 < len && t[i + 1] == q && t[i + 2] == q)))
			return i + (triple ? 3 : 1);
	}
	return len;
}

static bool comment_at(const char *t, size_t len, size_t i, bool py)
{
	return py ? t[i] == '#' : (t[i] == '/' && i + 1 < len && t[i + 1] == '/');
}

/* The end of the statement starting at S: the line's end, continued while
 * parentheses or brackets are open (at most MAX_STMT_LINES lines, LIMIT). */
static size_t stmt_end(const char *t, size_t limit, size_t s, bool py)
{
	int depth = 0, lines = 0;
	size_t i = s;
	while (i < limit) {
		char c = t[i];
		if (c == '"' || c == '\'' || c == '`') {
			i = skip_string(t, limit, i);
			continue;
		}
		if (comment_at(t, limit, i, py)) {
			while (i < limit && t[i] != '\n')
				i++;
			continue;
		}
		if (c == '(' || c == '[')
			depth++;
		else if ((c == ')' || c == ']') && depth > 0)
			depth--;
		else if (c == '\n' && (depth == 0 || ++lines > MAX_STMT_LINES))
			return i;
		i++;
	}
	return limit;
}

/* The end of the value that starts after the opener at O-1 (a call's
 * arguments: to the matching ')'; FIRST: to the first top-level ','). */
static size_t value_end(const char *t, size_t e, size_t o, bool first)
{
	int depth = 0;
	for (size_t i = o; i < e;) {
		char c = t[i];
		if (c == '"' || c == '\'' || c == '`') {
			i = skip_string(t, e, i);
			continue;
		}
		if (c == '(' || c == '[' || c == '{')
			depth++;
		else if (c == ')' || c == ']' || c == '}') {
			if (depth-- == 0)
				return i;
		} else if (c == ',' && depth == 0 && first)
			return i;
		i++;
	}
	return e;
}

static uint8_t summary_of(const struct sums *S, const struct cl_file_facts *f, int region)
{
	size_t lo = 0, hi = S->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if ((uintptr_t)S->files[mid] < (uintptr_t)f)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == S->n || S->files[lo] != f || region < 0 || (size_t)region >= f->regions.n)
		return L_NONE;
	return S->lv[lo][region];
}

/* The names of FL mentioned in [S, E) of the text (plain string literals
 * left out; f-strings and template literals read as code): the highest
 * level, and its origin in *FROM / *LINE. */
static enum level names_in(struct flow *fl, size_t s, size_t e, enum level best, const char **from, uint32_t *line)
{
	const char *t = fl->f->code;
	const struct cl_pattern *acc = pat("output_access");
	for (size_t k = 0; k < fl->n && best < L_OUT; k++) {
		const struct name *nm = &fl->v[k];
		for (size_t i = s; i + nm->len <= e; i++) {
			if (memcmp(t + i, nm->s, nm->len) || (i > 0 && (cl_around_ident_char(t[i - 1]) || t[i - 1] == '.')) ||
			    (i + nm->len < fl->f->code_len && cl_around_ident_char(t[i + nm->len])))
				continue;
			size_t ms;
			enum level lv = nm->lv == L_OUT || cl_pattern_find(acc, t, e, i + nm->len, &ms, NULL) ? L_OUT : L_RESP;
			if (lv > best) {
				best = lv;
				*from = nm->from;
				*line = nm->line;
			}
		}
	}
	return best;
}

/* Is the quote at I the start of an interpolating string (an f-string,
 * a template literal)? */
static bool interpolating(const char *t, size_t i, bool py)
{
	if (t[i] == '`')
		return !py;
	if (!py)
		return false;
	for (size_t k = i; k > 0 && k + 2 > i && cl_around_ident_char(t[k - 1]); k--)
		if (t[k - 1] == 'f' || t[k - 1] == 'F')
			return true;
	return false;
}

/* What the range [S, E) of the text carries: the highest level of the names
 * it mentions, the Claude calls and the calls of functions whose summary
 * says they return a response or output. FROM/LINE: its origin. */
static enum level mention(struct flow *fl, size_t s, size_t e, const char **from, uint32_t *line)
{
	const char *t = fl->f->code;
	bool py = fl->f->lang == CL_LANG_PYTHON;
	enum level best = L_NONE;
	const struct cl_pattern *acc = pat("output_access");
	size_t a = s;
	for (size_t i = s; i < e;) {
		if (t[i] != '"' && t[i] != '\'' && t[i] != '`') {
			i++;
			continue;
		}
		size_t end = skip_string(t, e, i);
		if (!interpolating(t, i, py)) {
			best = names_in(fl, a, i, best, from, line);
			a = end;
		}
		i = end;
	}
	best = names_in(fl, a, e, best, from, line);
	for (size_t k = 0; k < fl->f->calls.n && best < L_OUT; k++) {
		const struct cl_call *c = &fl->f->calls.v[k];
		if (!c->claude || c->span.start < s || c->span.start >= e || c->no_answer)
			continue;
		best = L_RESP;
		*from = c->method;
		*line = c->span.line;
	}
	for (size_t k = 0; k < fl->f->refs.n && best < L_OUT; k++) {
		const struct cl_ref *r = &fl->f->refs.v[k];
		if (r->span.start < s || r->span.start >= e)
			continue;
		struct cl_fn fns[MAX_CALLEES];
		size_t n = cl_callgraph_callees(fl->p, fl->f, k, fns, MAX_CALLEES);
		for (size_t j = 0; j < n && j < MAX_CALLEES; j++) {
			enum level lv = summary_of(fl->sums, fns[j].file, fns[j].region);
			size_t ms;
			if (lv == L_RESP && r->span.end < e && cl_pattern_find(acc, t, e, r->span.end, &ms, NULL))
				lv = L_OUT;
			if (lv > best) {
				best = lv;
				*from = r->name;
				*line = r->span.line;
			}
		}
	}
	return best;
}

static void set_name(struct flow *fl, const char *s, size_t len, enum level lv, const char *from, uint32_t line)
{
	size_t k;
	for (k = 0; k < fl->n; k++)
		if (fl->v[k].len == len && !memcmp(fl->v[k].s, s, len))
			break;
	if (lv == L_NONE) {
		if (k < fl->n)
			fl->v[k] = fl->v[--fl->n];
		return;
	}
	if (k == fl->n) {
		if (fl->n == MAX_NAMES)
			return;
		fl->n++;
	}
	fl->v[k] = (struct name){s, len, lv, from, line};
}

/* Clears the names mentioned in [S, E) (an allow-list check, a validation). */
static void clear_mentioned(struct flow *fl, size_t s, size_t e)
{
	const char *t = fl->f->code;
	for (size_t k = 0; k < fl->n;) {
		const struct name *nm = &fl->v[k];
		bool hit = false;
		for (size_t i = s; i + nm->len <= e && !hit; i++)
			hit = !memcmp(t + i, nm->s, nm->len) && (i == 0 || !cl_around_ident_char(t[i - 1])) && !cl_around_ident_char(t[i + nm->len]);
		if (hit)
			fl->v[k] = fl->v[--fl->n];
		else
			k++;
	}
}

static const char *const sink_keys[] = {"sink_code", "sink_sql", "sink_html", "sink_path"};
static const char *const sink_what[] = {"code execution", "SQL text", "HTML", "a written file path"};

static void span_at(const char *t, size_t at, struct cl_span *sp)
{
	memset(sp, 0, sizeof *sp);
	sp->line = 1;
	size_t bol = 0;
	for (size_t i = 0; i < at; i++)
		if (t[i] == '\n') {
			sp->line++;
			bol = i + 1;
		}
	sp->start = sp->end = (uint32_t)at;
	sp->col = (uint32_t)(at - bol + 1);
	sp->end_line = sp->line;
	sp->end_col = sp->col;
}

static void sinks(struct flow *fl, size_t s, size_t e)
{
	const char *t = fl->f->code;
	for (size_t k = 0; k < sizeof sink_keys / sizeof *sink_keys; k++) {
		size_t ms, me;
		for (size_t from = s; from < e && cl_pattern_find(pat(sink_keys[k]), t, e, from, &ms, &me);
		     from = me > ms ? me : ms + 1) {
			bool call = me > ms && t[me - 1] == '(';
			bool first = k == 1 || k == 3;
			size_t ve = call ? value_end(t, e, me, first) : value_end(t, e, me, false);
			if (!call) {
				const char *nl = memchr(t + me, '\n', ve - me);
				if (nl)
					ve = (size_t)(nl - t);
			}
			const char *src = NULL;
			uint32_t line = 0;
			if (mention(fl, me, ve, &src, &line) != L_OUT || has("sanitizer", t, me, ve) ||
			    has("validator", t, me, ve))
				continue;
			bool dup = false;
			for (size_t j = 0; j < fl->emitted.n && !dup; j++)
				dup = fl->emitted.v[j] == ms;
			if (dup)
				continue;
			cl_vec_push(&fl->emitted, (uint32_t)ms);
			struct cl_span sp;
			span_at(t, ms, &sp);
			int quote = (int)(me - ms) > 40 ? 40 : (int)(me - ms);
			cl_emit(fl->out, CL_RULE(CL17_model_output_to_sink), -1, &sp,
				"the model's output (from %s, line %u) reaches %s at `%.*s` with no validation, escaping or "
				"allow-list in between: a prompt injection can choose what runs; validate it against a "
				"schema or allow-list, pass it as a parameter, or sanitize it",
				src, line, sink_what[k], quote, t + ms);
		}
	}
}

/* The '=' of an assignment in [S, E) (not ==, <=, =>, a keyword argument
 * or a default inside parentheses), or E. AUG: it is `+=`. */
static size_t assign_at(const char *t, size_t s, size_t e, bool *aug)
{
	for (size_t i = s; i < e; i++) {
		char c = t[i];
		if (c == '(' || c == '"' || c == '\'' || c == '`' || c == '\n')
			return e;
		if (c != '=')
			continue;
		if ((i + 1 < e && (t[i + 1] == '=' || t[i + 1] == '>')) ||
		    (i > s && strchr("=!<>*/%&|^-", t[i - 1])))
			return e;
		*aug = i > s && t[i - 1] == '+';
		return i;
	}
	return e;
}

static size_t trim_left(const char *t, size_t s, size_t e)
{
	while (s < e && (t[s] == ' ' || t[s] == '\t'))
		s++;
	return s;
}

static bool starts(const char *t, size_t s, size_t e, const char *kw)
{
	size_t n = strlen(kw);
	return s + n <= e && !memcmp(t + s, kw, n) && (s + n == e || !cl_around_ident_char(t[s + n]));
}

/* Assigns LV to the names of the left side [S, E): one name (a member path
 * allowed), a destructuring pattern or a tuple. */
static void assign_names(struct flow *fl, size_t s, size_t e, enum level lv, bool destructured_out,
	const char *from, uint32_t line)
{
	const char *t = fl->f->code;
	for (const char *kw[] = {"export", "const", "let", "var", "final"}, **k = kw; k < kw + 5; k++)
		if (starts(t, s, e, *k))
			s = trim_left(t, s + strlen(*k), e);
	bool pattern = s < e && (t[s] == '{' || t[s] == '[');
	size_t i = s;
	while (i < e) {
		while (i < e && !cl_around_ident_char(t[i]))
			i++;
		size_t a = i;
		while (i < e && (cl_around_ident_char(t[i]) || t[i] == '.'))
			i++;
		if (a == i)
			break;
		size_t b = i;
		while (i < e && (t[i] == ' ' || t[i] == '\t'))
			i++;
		if (i < e && t[i] == ':') { /* `key: local` in a pattern; `x: Type` otherwise */
			if (!pattern) {
				set_name(fl, t + a, b - a, lv, from, line);
				return;
			}
			continue;
		}
		enum level nl = lv;
		if (pattern && destructured_out && lv == L_RESP &&
		    cl_pattern_find(pat("output_names"), t + a, b - a, 0, NULL, NULL))
			nl = L_OUT;
		set_name(fl, t + a, b - a, nl, from, line);
		while (i < e && t[i] != ',')
			i++;
		if (!pattern && i >= e)
			return;
	}
}

static void statement(struct flow *fl, size_t s, size_t e)
{
	const char *t = fl->f->code;
	bool py = fl->f->lang == CL_LANG_PYTHON;
	s = trim_left(t, s, e);
	if (s >= e || comment_at(t, e, s, py) || t[s] == '*')
		return;
	if (fl->out)
		sinks(fl, s, e);
	const char *from = NULL;
	uint32_t line = 0;
	size_t body = s;
	if (starts(t, s, e, "await") || starts(t, s, e, "async"))
		body = trim_left(t, s + 5, e);
	if (starts(t, body, e, "return")) {
		enum level lv = mention(fl, body + 6, e, &from, &line);
		if (lv && !has("sanitizer", t, body, e) && !has("validator", t, body, e)) {
			int fn = cl_facts_enclosing(fl->f, cl_facts_region_at(fl->f, (uint32_t)s), CL_R_FUNCTION);
			if (fn >= 0 && fl->own[fn] < lv) {
				fl->own[fn] = (uint8_t)lv;
				fl->changed = true;
			}
		}
		return;
	}
	if (starts(t, body, e, "for")) { /* for x in EXPR: / for (const x of EXPR) */
		size_t i = body + 3, a, b;
		while (i < e && !cl_around_ident_char(t[i]))
			i++;
		for (const char *kw[] = {"const", "let", "var"}, **k = kw; k < kw + 3; k++)
			if (starts(t, i, e, *k))
				i = trim_left(t, i + strlen(*k), e);
		for (a = i; i < e && cl_around_ident_char(t[i]); i++)
			;
		b = i;
		i = trim_left(t, i, e);
		if (b > a && (starts(t, i, e, "in") || starts(t, i, e, "of"))) {
			enum level lv = mention(fl, i + 2, e, &from, &line);
			set_name(fl, t + a, b - a, lv, from, line);
		}
		return;
	}
	bool aug = false;
	size_t eq = assign_at(t, s, e, &aug);
	if (eq == e) {
		/* a check that names a value: an allow-list test or a validation */
		if (has("allowlist", t, s, e) || has("validator", t, s, e))
			clear_mentioned(fl, s, e);
		return;
	}
	enum level lv = mention(fl, eq + 1, e, &from, &line);
	if (lv && (has("sanitizer", t, eq + 1, e) || has("validator", t, eq + 1, e)))
		lv = L_NONE;
	if (aug && lv == L_NONE)
		return; /* x += clean: x stays what it was */
	size_t le = aug ? eq - 1 : eq;
	while (le > s && (t[le - 1] == ' ' || t[le - 1] == '\t'))
		le--;
	assign_names(fl, s, le, lv, true, from, line);
}

/* Reads [S, E) of F statement by statement. */
static void read_range(struct flow *fl, size_t s, size_t e)
{
	bool py = fl->f->lang == CL_LANG_PYTHON;
	fl->n = 0;
	for (size_t i = s; i < e;) {
		size_t end = stmt_end(fl->f->code, e, i, py);
		statement(fl, i, end);
		i = end + 1;
	}
}

/* Does region R (or the file, R < 0) hold a source: a Claude call, or a
 * call of a function whose summary is a response or output? */
static bool has_source(const struct flow *fl, size_t s, size_t e)
{
	for (size_t k = 0; k < fl->f->calls.n; k++)
		if (fl->f->calls.v[k].claude && fl->f->calls.v[k].span.start >= s && fl->f->calls.v[k].span.start < e)
			return true;
	for (size_t k = 0; k < fl->f->refs.n; k++) {
		const struct cl_ref *r = &fl->f->refs.v[k];
		if (r->span.start < s || r->span.start >= e)
			continue;
		struct cl_fn fns[MAX_CALLEES];
		size_t n = cl_callgraph_callees(fl->p, fl->f, k, fns, MAX_CALLEES);
		for (size_t j = 0; j < n && j < MAX_CALLEES; j++)
			if (summary_of(fl->sums, fns[j].file, fns[j].region))
				return true;
	}
	return false;
}

/* One pass over F: every outermost function with a source, and the top
 * level when it has one itself. */
static void pass_file(struct flow *fl)
{
	const struct cl_file_facts *f = fl->f;
	if (has_source(fl, 0, f->code_len)) {
		bool top = false;
		for (size_t k = 0; k < f->calls.n && !top; k++)
			top = f->calls.v[k].claude && cl_facts_enclosing(f, f->calls.v[k].region, CL_R_FUNCTION) < 0;
		if (top) {
			read_range(fl, 0, f->code_len);
			return;
		}
	}
	for (size_t r = 0; r < f->regions.n; r++) {
		const struct cl_region *g = &f->regions.v[r];
		if (g->kind != CL_R_FUNCTION || cl_facts_enclosing(f, g->parent, CL_R_FUNCTION) >= 0)
			continue;
		if (g->span.end <= f->code_len && has_source(fl, g->span.start, g->span.end))
			read_range(fl, g->span.start, g->span.end);
	}
}

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)((const struct cl_file_out *const *)a)[0]->facts;
	uintptr_t y = (uintptr_t)((const struct cl_file_out *const *)b)[0]->facts;
	return x < y ? -1 : x > y;
}

void cl_check_cl17_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
{
	if (!n || !outs[0]->preview || !ctx->project)
		return; /* preview: nothing to emit without --preview */
	struct cl_file_out **by = xmalloc(n * sizeof *by);
	memcpy(by, outs, n * sizeof *by);
	qsort(by, n, sizeof *by, by_address);
	struct sums S = {xmalloc(n * sizeof *S.files), xmalloc(n * sizeof *S.lv), n};
	for (size_t i = 0; i < n; i++) {
		S.files[i] = by[i]->facts;
		S.lv[i] = xcalloc(by[i]->facts->regions.n + 1, 1);
	}
	struct flow fl;
	memset(&fl, 0, sizeof fl);
	fl.p = ctx->project;
	fl.sums = &S;
	for (int round = 0; round <= ROUNDS; round++) {
		bool last = round == ROUNDS;
		fl.changed = false;
		for (size_t i = 0; i < n; i++) {
			if (!by[i]->facts->code)
				continue;
			fl.f = by[i]->facts;
			fl.own = S.lv[i];
			fl.out = last ? by[i] : NULL;
			fl.emitted.n = 0;
			pass_file(&fl);
		}
		if (!last && !fl.changed)
			round = ROUNDS - 1; /* settled: go to the reporting pass */
	}
	cl_vec_free(&fl.emitted);
	for (size_t i = 0; i < n; i++)
		free(S.lv[i]);
	free(S.lv);
	free(S.files);
	free(by);
}
