/*
 * cl17_system_prompt.c — CL17: untrusted input never goes into the system
 * prompt. Request data or user input in the system prompt, followed from
 * every entry point's inputs through functions of any file; system prompts of
 * unknown origin. And CL17.model-output-to-sink (preview): the model's
 * output, a taint source, followed to code execution, SQL text, HTML and
 * written file paths.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/callgraph.h"
#include "checks/checks.h"
#include "rules/patterns.h"
#include "adapters/settings.h"

static const struct cl_value *res(const struct cl_check_ctx *ctx, const struct cl_value *v)
{
	return v ? cl_project_resolve(ctx->project, v) : NULL;
}

/* The module name CALLER would import F by: its path without the
 * extension matches the import's last segments ("app/prompts.py" for
 * ".prompts", "./prompts", "app.prompts"). */
static bool imports_file(const struct cl_file_facts *caller, const struct cl_file_facts *f)
{
	const char *base = cl_path_basename(f->path);
	const char *dot = strrchr(base, '.');
	size_t bl = dot ? (size_t)(dot - base) : strlen(base);
	for (size_t i = 0; i < caller->imported_modules.n; i++) {
		const char *m = caller->imported_modules.v[i];
		size_t ml = strlen(m);
		if (ml >= bl && !strncmp(m + ml - bl, base, bl) &&
		    (ml == bl || m[ml - bl - 1] == '.' || m[ml - bl - 1] == '/'))
			return true;
	}
	return false;
}

/* Is argument V (parameter v->param at v->param_pos) among the call's
 * arguments marked in BITS / KW? */
static bool arg_marked(const struct cl_value *v, uint32_t bits, const char *kw)
{
	if (v->param_pos >= 0 && v->param_pos < 32 && (bits >> v->param_pos) & 1u)
		return true;
	size_t nl = strlen(v->param);
	for (const char *q = kw; q && (q = strstr(q, v->param)); q += nl)
		if ((q == kw || q[-1] == ',') && (q[nl] == ',' || !q[nl]))
			return true;
	return false;
}

/* The callers of parameter V's function (in F's file, or a file importing
 * it): the first passing request data ("…, passed as `p` to fn() at
 * path:line") in *TAINT; whether every caller passes a known string. */
static bool callers_of(const struct cl_check_ctx *ctx, struct cl_file_facts *f, const struct cl_value *v,
	const char **taint)
{
	const struct cl_project *p = ctx->project;
	size_t n = 0, constant = 0;
	*taint = NULL;
	for (size_t i = 0; i < p->nfiles && !*taint; i++) {
		const struct cl_file_facts *g = p->files[i];
		if (g != f && !imports_file(g, f))
			continue;
		for (size_t k = 0; k < g->refs.n && !*taint; k++) {
			const struct cl_ref *r = &g->refs.v[k];
			if (strcmp(r->name, v->param_fn) != 0)
				continue;
			n++;
			if (r->arg_taint && arg_marked(v, r->tainted_args, r->tainted_kw))
				*taint = r->several_tainted ?
					cl_arena_printf(&f->arena, "the call to %s() at %s:%u passes it as `%s`",
						v->param_fn, g->path, r->span.line, v->param) :
					cl_arena_printf(&f->arena, "%s, passed as `%s` to %s() at %s:%u",
						r->arg_taint, v->param, v->param_fn, g->path, r->span.line);
			else if (r->args_seen && arg_marked(v, r->const_args, r->const_kw))
				constant++;
		}
	}
	return n && constant == n;
}

/* The request data a system prompt is built from, or NULL. */
static const char *taint_of(const struct cl_check_ctx *ctx, struct cl_file_facts *out_file,
	const struct cl_value *v, bool *dynamic, int depth)
{
	if (!v || depth > 8)
		return NULL;
	if (v->taint)
		return v->taint;
	const struct cl_value *r = res(ctx, v);
	if (r->taint)
		return r->taint;
	switch (r->kind) {
	case CL_V_STRING:
		if (r->open && !r->open_imports)
			*dynamic = true;
		for (size_t i = 0; i < r->nitems; i++) {
			const char *t = taint_of(ctx, out_file, r->items[i], dynamic, depth + 1);
			if (t)
				return t;
		}
		return NULL;
	case CL_V_ARRAY:
		for (size_t i = 0; i < r->nitems; i++) {
			const char *t = taint_of(ctx, out_file, r->items[i], dynamic, depth + 1);
			if (t)
				return t;
		}
		return NULL;
	case CL_V_OBJECT: {
		const struct cl_value *text = cl_value_get(r, "text");
		if (!text)
			text = cl_value_get(r, "content");
		if (text)
			return taint_of(ctx, out_file, text, dynamic, depth + 1);
		/* another shape of prompt object (a preset with text appended to it):
		 * request data in any of its strings */
		for (size_t i = 0; i < r->npairs; i++) {
			bool ignored = false;
			const char *t = taint_of(ctx, out_file, r->pairs[i].val, &ignored, depth + 1);
			if (t)
				return t;
		}
		return NULL;
	}
	case CL_V_NULL:
		return NULL;
	case CL_V_UNKNOWN: {
		const char *t = NULL;
		/* a parameter that every caller gives a known string is traced */
		bool traced = r->param && r->param_fn && callers_of(ctx, out_file, r, &t);
		if (t)
			return t;
		/* an environment variable is deployment configuration, not request data */
		if (!r->env && !traced)
			*dynamic = true;
		return NULL;
	}
	default:
		*dynamic = true;
		return NULL;
	}
}

struct cl17 {
	struct cl_file_out *out;
	const struct cl_span *at;
	const char *where;
};

static void check_system_value(const struct cl_check_ctx *ctx, const struct cl_value *v, void *arg)
{
	struct cl17 *a = arg;
	bool dynamic = false;
	const char *taint = taint_of(ctx, a->out->facts, v, &dynamic, 0);
	const struct cl_span *at = v->span.line ? &v->span : a->at;
	if (taint)
		cl_emit(a->out, CL_RULE(CL17_untrusted_input_in_system_prompt), -1, at,
			"The system prompt (%s) is built from request data: %s. Keep it fixed and pass "
			"user input in the user turn, delimited as data", a->where, taint);
	else if (dynamic)
		cl_emit(a->out, CL_RULE(CL17_dynamic_system_prompt), -1, at,
			"The system prompt (%s) is not a constant and its source could not be traced; "
			"build it from constants, choosing among fixed variants where it must vary", a->where);
}

/* LangChain system messages count where the tree calls Claude at all. */
static bool project_uses_claude(const struct cl_project *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		if (p->files[i]->claude_import)
			return true;
		for (size_t k = 0; k < p->files[i]->calls.n; k++)
			if (p->files[i]->calls.v[k].claude)
				return true;
	}
	return false;
}

void cl_check_cl17_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		struct cl17 a = {out, &call->span, ""};
		struct cl_settings st;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *sys = &st.s[CL_SET_SYSTEM];
		const struct cl_value *system = sys->prov == CL_PROV_EXPLICIT && sys->scope != CL_KEY_CLIENT ?
			sys->written : NULL;
		if (!system && call->params->taint) {
			/* a proxy: the client sends the whole request, system prompt included */
			cl_emit(out, CL_RULE(CL17_untrusted_input_in_system_prompt), -1, &call->span,
				"The request is passed through from request data (%s), so whoever calls this code "
				"chooses the system prompt; build the request on the server and take only the "
				"user's message from the client", call->params->taint);
			continue;
		}
		if (system && !(call->params->open && system->kind == CL_V_UNKNOWN)) {
			a.where = cl_arena_printf(&f->arena, "%s%s", sys->key, cl_lang_is_js(f->lang) ? ":" : "=");
			check_system_value(ctx, system, &a);
		}
		a.where = "a system-role message";
		cl_each_system_message(ctx, cl_value_get(call->params, "messages"), check_system_value, &a);
	}
	/* a system prompt set on the client (a Claude Agent SDK client's options, an
	 * agent's instructions): checked once, at the client */
	for (size_t i = 0; i < f->clients.n; i++) {
		struct cl_settings st;
		cl_settings_of_client(ctx->project, f, i, false, &st);
		const struct cl_setting *sys = &st.s[CL_SET_SYSTEM];
		if (sys->prov != CL_PROV_EXPLICIT || (sys->written->kind == CL_V_UNKNOWN && f->clients.v[i].opts &&
		    f->clients.v[i].opts->open))
			continue;
		struct cl17 a = {out, &f->clients.v[i].span,
			cl_arena_printf(&f->arena, "%s%s", sys->key, cl_lang_is_js(f->lang) ? ":" : "=")};
		check_system_value(ctx, sys->written, &a);
	}
	bool claude = f->prompts.n && project_uses_claude(ctx->project);
	for (size_t i = 0; i < f->prompts.n && claude; i++) {
		const struct cl_prompt *p = &f->prompts.v[i];
		struct cl17 a = {out, &p->span, p->how};
		check_system_value(ctx, p->value, &a);
	}
}

/* ------------------------------------------------------------------------ */
/*
 * CL17.model-output-to-sink (preview): the model's output, a
 * taint source, followed to code execution, SQL text, HTML and written file
 * paths. Within a function the check reads the kept source text statement
 * by statement: a Claude call's result assigned to a name is a response, a
 * member of it that holds the model's text or tool input (rules/CL17.json
 * output_access) is output, and names assigned from output (or looping over
 * it) carry it on; a sanitizer, a validator or an allow-list check clears a
 * name. Across functions the call graph carries it: a function that returns
 * a response or output (its summary) makes its callers' results one too;
 * summaries settle in a few rounds before anything is reported. Sources,
 * sinks, sanitizers and validators are rule data, never names in C.
 */

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

static bool word(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
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
			if (memcmp(t + i, nm->s, nm->len) || (i > 0 && (word(t[i - 1]) || t[i - 1] == '.')) ||
			    (i + nm->len < fl->f->code_len && word(t[i + nm->len])))
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
	for (size_t k = i; k > 0 && k + 2 > i && word(t[k - 1]); k--)
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
			hit = !memcmp(t + i, nm->s, nm->len) && (i == 0 || !word(t[i - 1])) && !word(t[i + nm->len]);
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
	return s + n <= e && !memcmp(t + s, kw, n) && (s + n == e || !word(t[s + n]));
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
		while (i < e && !word(t[i]))
			i++;
		size_t a = i;
		while (i < e && (word(t[i]) || t[i] == '.'))
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
		while (i < e && !word(t[i]))
			i++;
		for (const char *kw[] = {"const", "let", "var"}, **k = kw; k < kw + 3; k++)
			if (starts(t, i, e, *k))
				i = trim_left(t, i + strlen(*k), e);
		for (a = i; i < e && word(t[i]); i++)
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
