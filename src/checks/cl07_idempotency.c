/*
 * cl07_idempotency.c — CL07: code handling the model's tool calls (a branch
 * on a tool_use block, an AI SDK execute, a LangChain / Agent SDK / MCP tool
 * handler) that leads, in its file or through the call graph into others, to
 * a side effect (payment, email / SMS, HTTP write, database write) with no
 * idempotency key. What counts as a tool branch, a side effect and an
 * idempotency key is data (rules/CL07.json "data"): lists of PCRE2 patterns
 * matched against the file's text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/callgraph.h"
#include "checks/checks.h"
#include "rules/patterns.h"
#include "support/utf8.h"
#include "support/xalloc.h"
#include "checks/around.h"
#include "checks/cl07.h"

/* F's text as CL07 reads it (facts.h code: also kept for a file of named
 * functions that tool code may call); NULL when not kept. */
static const char *code_of(const struct cl_file_facts *f, size_t *len)
{
	*len = f->code_len;
	return f->code;
}

/* F is browser UI code (a "use client" module, or a .tsx / .jsx one that is
 * no "use server" module): a tool_use branch there renders the block, and
 * what its components do is the user's action, not the model's. */
static bool ui_code(const struct cl_file_facts *f)
{
	size_t n = strlen(f->path), len;
	const char *text = code_of(f, &len);
	bool jsx = n > 4 && (!strcmp(f->path + n - 4, ".tsx") || !strcmp(f->path + n - 4, ".jsx"));
	return f->use_client || (jsx && !(text && memmem(text, len < 512 ? len : 512, "use server", 10)));
}

/* A stretch of code that runs on the model's tool call: in file F, from
 * the tool branch at line LINE of file ORIGIN. */
struct stretch {
	const struct cl_file_facts *f;
	uint32_t start, end;
	const struct cl_file_facts *origin;
	unsigned line;
	char tool[48];   /* the tool it runs for, when a case or a comparison names it */
	size_t idx, parent; /* its index in the reach, the one it was reached from (SIZE_MAX: none) */
	bool mixed;      /* also reached for another tool: the tools on and below it are not named */
};

struct reach {
	const struct cl_project *p;
	CL_VEC(struct stretch) spans;
	CL_VEC(struct cl_fn) seen;   /* functions already followed */
	CL_VEC(size_t) seen_span;    /* the span of each */
	CL_VEC(const struct cl_file_facts *) registries; /* files whose registrations were followed */
};

/* The indentation of the line holding AT. */
static size_t indent_at(const char *t, size_t at, size_t *bol)
{
	size_t b = at;
	while (b > 0 && t[b - 1] != '\n')
		b--;
	size_t i = b;
	while (t[i] == ' ' || t[i] == '\t')
		i++;
	*bol = b;
	return i - b;
}

/* The label at AT governs POS: POS is on its line, or every line from the
 * next to POS's is blank or indented deeper (the body of `case "x":`,
 * `if name == "x":`, `} else if (name === "x") {`). */
static bool governs(const char *t, size_t at, size_t pos)
{
	size_t bol, eol = at;
	size_t ind = indent_at(t, at, &bol);
	while (eol < pos && t[eol] != '\n')
		eol++;
	for (size_t line = eol + 1; eol < pos && line <= pos;) {
		size_t i = line, e;
		while (i < pos && (t[i] == ' ' || t[i] == '\t'))
			i++;
		for (e = i; e < pos && t[e] != '\n'; e++)
			;
		/* a blank line (a lone \r too) says nothing; POS's line holds code */
		bool blank = e < pos && (i == e || (t[i] == '\r' && i + 1 == e));
		if (!blank && i - line <= ind)
			return false;
		line = e + 1;
	}
	return true;
}

/* The switch (or Python match) that the case label at AT in T belongs to
 * (the nearest before it, from FROM on) is over a tool's name: `switch
 * (toolName)`, `switch (block.name)`, `match tool:`; not `switch
 * (event.type)`. */
static bool names_tool_switch(const char *t, size_t from, size_t at)
{
	for (size_t i = at; i-- > from;) {
		bool sw = !memcmp(t + i, "switch", 6), mt = !memcmp(t + i, "match", 5);
		if (!(sw || mt) || (i > 0 && cl_around_ident_char(t[i - 1])) || cl_around_ident_char(t[i + (sw ? 6 : 5)]))
			continue;
		size_t e = i;
		while (e < at && t[e] != '\n' && t[e] != '{' && t[e] != ':')
			e++;
		return cl_memcasemem(t + i, e - i, "name", 4) || cl_memcasemem(t + i, e - i, "tool", 4);
	}
	return false;
}

enum { LABEL_WINDOW = 16384 };

/* The tool the code at POS in T runs for: the name in the nearest label
 * (rules/CL07.json tool_name: `case "refund":`, `if name == "refund"`)
 * in [FROM, POS) (its last 16 KiB), when it governs POS, into OUT, the label's start in *LABEL
 * (may be NULL); false when none does. */
static bool tool_label_at(const char *t, size_t from, size_t pos, char *out, size_t cap, size_t *label)
{
	const struct cl_pattern *pat = cl07_pattern(P_TOOL_NAME);
	size_t at, me, best = SIZE_MAX, best_end = 0;
	if (pos > from + LABEL_WINDOW)
		from = pos - LABEL_WINDOW; /* a tool's case is near its code: the work stays linear */
	for (size_t k = from; k < pos && cl_pattern_find(pat, t, pos, k, &at, &me); k = at + 1)
		if (!cl07_in_comment(t, at)) {
			best = at;
			best_end = me;
		}
	if (best == SIZE_MAX || !governs(t, best, pos) || (!strncmp(t + best, "case", 4) && !names_tool_switch(t, from, best)))
		return false;
	if (label)
		*label = best;
	const char *q = NULL;
	for (size_t i = best; i < best_end && !q; i++)
		if (t[i] == '"' || t[i] == '\'')
			q = t + i;
	size_t n = 0;
	for (const char *p = q ? q + 1 : NULL; p && p < t + best_end && *p != *q && n + 1 < cap; p++)
		out[n++] = *p;
	out[n] = 0;
	return n > 0;
}

static bool tool_label(const char *t, size_t from, size_t pos, char *out, size_t cap)
{
	return tool_label_at(t, from, pos, out, cap, NULL);
}

/* A tool's name says it moves money (payment_words or payment_tools over
 * its words: issue_refund, chargeCard, place_order). */
static bool names_payment(const char *tool)
{
	char words[2 * 48];
	size_t n = 0;
	for (const char *p = tool; *p && n + 2 < sizeof words; p++) {
		if (*p >= 'A' && *p <= 'Z' && p > tool)
			words[n++] = ' ';
		words[n++] = *p == '_' || *p == '-' || *p == '.' || *p == ':' ? ' ' : *p;
	}
	return n && (cl07_matches(P_PAYMENT_WORDS, words, n) || cl07_matches(P_PAYMENT_TOOLS, words, n));
}


/* The key under which T's table lists function NAME (`"add_note": note`,
 * `add_note: note`), into OUT when there is exactly one. */
static bool table_key(const char *t, size_t len, const char *name, char *out, size_t cap)
{
	size_t n = strlen(name), found = 0;
	for (const char *p = t; n && (p = memmem(p, len - (size_t)(p - t), name, n)); p++) {
		if ((p > t && cl_around_ident_char(p[-1])) || (p + n < t + len && cl_around_ident_char(p[n])))
			continue;
		const char *q = p;
		while (q > t && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		if (q == t || q[-1] != ':')
			continue;
		q--;
		while (q > t && (q[-1] == ' ' || q[-1] == '\t'))
			q--;
		const char *end = q;
		if (q > t && (q[-1] == '"' || q[-1] == '\''))
			end = --q;
		const char *b = q;
		while (b > t && cl_around_ident_char(b[-1]))
			b--;
		if (b == end || (size_t)(end - b) + 1 > cap || (found && (strlen(out) != (size_t)(end - b) || memcmp(out, b, (size_t)(end - b)))))
			return false; /* none, or listed under two keys */
		memcpy(out, b, (size_t)(end - b));
		out[end - b] = 0;
		found++;
	}
	return found > 0;
}

/* FROM handing on at POS of its file to function NAME (may be NULL): what
 * runs there runs for FROM's tool, or for the one a label there names, or
 * for the key a table there lists NAME under. */
static void add_span(struct reach *r, const struct cl_file_facts *f, uint32_t s, uint32_t e,
	const struct stretch *from, size_t pos, const char *name)
{
	struct stretch sp = {f, s, e, from->origin, from->line, "", r->spans.n, from->idx, false};
	size_t len;
	const char *t = code_of(from->f, &len);
	if (!(t && pos <= len && tool_label(t, from->start, pos, sp.tool, sizeof sp.tool)) &&
	    !(t && name && table_key(t, len, name, sp.tool, sizeof sp.tool)))
		memcpy(sp.tool, from->tool, sizeof sp.tool);
	cl_vec_push(&r->spans, sp);
}

/* Follows function REGION of F (once), called at POS of FROM. */
static void add_fn(struct reach *r, const struct cl_file_facts *f, int region, const struct stretch *from, size_t pos)
{
	if (ui_code(f))
		return;
	for (size_t i = 0; i < r->seen.n; i++)
		if (r->seen.v[i].file == f && r->seen.v[i].region == region) {
			struct stretch *was = &r->spans.v[r->seen_span.v[i]];
			char tool[sizeof was->tool];
			size_t len;
			const char *t = code_of(from->f, &len);
			if (!(t && pos <= len && tool_label(t, from->start, pos, tool, sizeof tool)))
				memcpy(tool, from->tool, sizeof tool);
			if (*tool && strcmp(tool, was->tool))
				was->mixed = true; /* (a path with no label tells nothing) */
			return;
		}
	struct cl_fn fn = {f, region, false};
	cl_vec_push(&r->seen, fn);
	cl_vec_push(&r->seen_span, r->spans.n);
	add_span(r, f, f->regions.v[region].span.start, f->regions.v[region].span.end, from, pos,
		f->regions.v[region].name);
}


/* NAME as a whole word in S. */
static bool mentions(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = s; n && (p = memmem(p, len - (size_t)(p - s), name, n)); p++)
		if ((p == s || !cl_around_ident_char(p[-1])) && (p + n == s + len || !cl_around_ident_char(p[n])))
			return true;
	return false;
}

/* The functions of G that the text S mentions by name (handed on: `blocks.map(runTool)`,
 * `TOOLS = {"trade": trade}`); every one of them when ALL. */
static void follow_named(struct reach *r, const struct cl_file_facts *g, const char *s, size_t len, bool all,
	const struct stretch *from)
{
	for (size_t k = 0; k < g->regions.n; k++) {
		const struct cl_region *fn = &g->regions.v[k];
		if (fn->kind == CL_R_FUNCTION && (all || (fn->name && mentions(s, len, fn->name))))
			add_fn(r, g, (int)k, from, from->start);
	}
}

/* NAME is named in G outside its functions: listed in a table
 * (`TOOLS = {"watch": watch}`), registered, exported. */
static bool named_at_top(const struct cl_file_facts *g, const char *gtext, size_t glen, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = gtext; n && (p = memmem(p, glen - (size_t)(p - gtext), name, n)); p++) {
		if ((p > gtext && cl_around_ident_char(p[-1])) || (p + n < gtext + glen && cl_around_ident_char(p[n])))
			continue;
		uint32_t at = (uint32_t)(p - gtext);
		bool inside = false;
		for (size_t k = 0; k < g->regions.n && !inside; k++)
			inside = g->regions.v[k].kind == CL_R_FUNCTION && g->regions.v[k].span.start <= at &&
				at < g->regions.v[k].span.end;
		if (!inside)
			return true;
	}
	return false;
}

/* G's text registers function NAME by a call naming it (rules/CL07.json
 * register_call: `registry.register(spec, NAME)` on one line). */
static bool registers_by_call(const char *t, size_t len, const char *name)
{
	size_t at, me;
	for (size_t k = 0; cl_pattern_find(cl07_pattern(P_REGISTER_CALL), t, len, k, &at, &me); k = at + 1) {
		size_t e = me;
		while (e < len && t[e] != '\n' && t[e] != ')')
			e++;
		if (!cl07_in_comment(t, at) && mentions(t + me, e - me, name))
			return true;
	}
	return false;
}

/* The functions that files importing F register with it (a decorator,
 * rules/CL07.json registered: `@tool_registry.register("x")`, or a call
 * naming them, register_call): where F dispatches through its table any of
 * them may run. Once per file F. */
static void follow_registered(struct reach *r, const struct cl_file_facts *f, const struct stretch *from)
{
	for (size_t i = 0; i < r->registries.n; i++)
		if (r->registries.v[i] == f)
			return;
	cl_vec_push(&r->registries, f);
	for (size_t k = 0; k < r->p->nfiles; k++) {
		const struct cl_file_facts *g = r->p->files[k];
		size_t glen;
		const char *gt = code_of(g, &glen);
		bool imports = false;
		for (size_t m = 0; gt && g != f && m < g->imported_modules.n && !imports; m++)
			imports = cl_project_import_file(r->p, g, m) == f;
		for (size_t j = 0; imports && j < g->regions.n; j++) {
			const struct cl_region *fn = &g->regions.v[j];
			if (fn->kind != CL_R_FUNCTION || !fn->name || fn->head.end > glen || fn->head.start > fn->head.end)
				continue;
			size_t b = fn->span.start < fn->head.start ? fn->span.start : fn->head.start, bol;
			while (b > 0) { /* the decorator lines right above it */
				size_t ind = indent_at(gt, b - 1, &bol);
				if (gt[bol + ind] != '@')
					break;
				b = bol;
			}
			if (cl07_matches(P_REGISTERED, gt + b, fn->head.end - b) ||
			    registers_by_call(gt, glen, fn->name))
				add_fn(r, g, (int)j, from, from->start);
		}
	}
}

/* Follows calls from the spans to the functions of the tree: calls by name
 * through the call graph (any file), functions of the file or of a file it
 * imports handed on by name, and, where the code dispatches through a table
 * or getattr, every function of the file, the imported functions its text
 * names and those an imported file names outside its functions (its table). */
static void follow(struct reach *r)
{
	struct cl_fn callees[16];
	size_t glen;
	for (size_t k = 0; k < r->spans.n && r->spans.n < 4096; k++) {
		struct stretch sp = r->spans.v[k];
		const struct cl_file_facts *f = sp.f;
		size_t flen;
		const char *ftext = code_of(f, &flen);
		if (!ftext || sp.end > flen || sp.start > sp.end)
			continue;
		const char *text = ftext + sp.start;
		size_t len = sp.end - sp.start;
		bool all = cl07_matches(P_DISPATCH, text, len);
		for (size_t i = 0; i < f->refs.n; i++) {
			const struct cl_ref *ref = &f->refs.v[i];
			if (ref->span.start < sp.start || ref->span.start >= sp.end)
				continue;
			size_t n = cl_callgraph_callees(r->p, f, i, callees, 16);
			for (size_t c = 0; c < n && c < 16; c++)
				if (!callees[c].queued && code_of(callees[c].file, &glen)) /* a job runs apart */
					add_fn(r, callees[c].file, callees[c].region, &sp, ref->span.start);
			for (size_t g = 0; g < f->regions.n; g++) {
				const struct cl_region *fn = &f->regions.v[g];
				if (fn->kind == CL_R_FUNCTION && fn->name && !strcmp(fn->name, ref->name))
					add_fn(r, f, (int)g, &sp, ref->span.start);
			}
		}
		follow_named(r, f, text, len, all, &sp);
		if (all)
			follow_registered(r, f, &sp);
		for (size_t m = 0; m < f->imported_modules.n; m++) {
			const struct cl_file_facts *g = cl_project_import_file(r->p, f, m);
			const char *gtext = g && g != f ? code_of(g, &glen) : NULL;
			if (!gtext)
				continue;
			follow_named(r, g, all ? ftext : text, all ? flen : len, false, &sp);
			for (size_t k = 0; all && k < g->regions.n; k++) /* its dispatch table may live there */
				if (g->regions.v[k].kind == CL_R_FUNCTION && g->regions.v[k].name &&
				    named_at_top(g, gtext, glen, g->regions.v[k].name))
					add_fn(r, g, (int)k, &sp, sp.start);
		}
	}
}

static bool is_claude_call(const struct cl_file_facts *f, const struct cl_ref *ref)
{
	for (size_t i = 0; i < f->calls.n; i++) /* a Claude call (Twilio's messages.create is none) */
		if (f->calls.v[i].claude && f->calls.v[i].span.start == ref->span.start)
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

/* The text of the function around POS (the file at top level). */
static void function_text(const struct cl_file_facts *f, int region, size_t len, size_t *s, size_t *e)
{
	int fn = cl_facts_enclosing(f, region, CL_R_FUNCTION);
	*s = fn >= 0 ? f->regions.v[fn].span.start : 0;
	*e = fn >= 0 ? f->regions.v[fn].span.end : len;
}

/* The code handling the tool call that matched at AT (to ME) in F: the
 * function a decorator match decorates (`@tool`, `@mcp.tool()`), the call a
 * match ending in its parenthesis opens (`server.tool("x", schema, async
 * (args) => ...)`), else the loop or named function around it, else the
 * rest of the file. */
static void branch_span(const struct cl_file_facts *f, size_t at, size_t me, uint32_t *s, uint32_t *e)
{
	*s = (uint32_t)at;
	if (f->text[at] == '@') {
		/* the function right below: only decorator lines between (not an
		 * example in a docstring) */
		for (size_t g = 0; g < f->regions.n; g++) {
			const struct cl_region *fn = &f->regions.v[g];
			if (fn->kind != CL_R_FUNCTION || fn->span.end <= at || (fn->span.start < at && fn->head.start > at))
				continue;
			unsigned lines = 0;
			for (size_t i = at; i < fn->span.start; i++)
				lines += f->text[i] == '\n';
			if (lines <= 8 && !memmem(f->text + at, fn->span.start > at ? fn->span.start - at : 0, "\n\n", 2))
				*e = fn->span.end;
			else
				*e = (uint32_t)at; /* nothing it decorates */
			return;
		}
		*e = (uint32_t)at;
		return;
	}
	if (me > at && f->text[me - 1] == '(') {
		int depth = 0;
		for (size_t i = me - 1; i < f->text_len; i++) {
			depth += f->text[i] == '(' ? 1 : f->text[i] == ')' ? -1 : 0;
			if (depth == 0) {
				*e = (uint32_t)(i + 1);
				return;
			}
		}
	}
	int reg = cl_facts_region_at(f, (uint32_t)at);
	while (reg >= 0 && ((f->regions.v[reg].kind != CL_R_LOOP && f->regions.v[reg].kind != CL_R_FUNCTION) ||
	       (f->regions.v[reg].kind == CL_R_FUNCTION && !f->regions.v[reg].name)))
		reg = f->regions.v[reg].parent; /* past `(b) => b.type === "tool_use"` */
	*s = reg >= 0 ? f->regions.v[reg].span.start : (uint32_t)at;
	*e = reg >= 0 ? f->regions.v[reg].span.end : (uint32_t)f->text_len;
}

/* F's text binds NAME to an agent on another vendor's model (rules/CL07.json
 * other_agent: `proxy = Agent("openai:gpt-4o")`; the match is the name). */
static bool other_agent(const struct cl_file_facts *f, const char *name, size_t n)
{
	const struct cl_pattern *pat = cl07_pattern(P_OTHER_AGENT);
	size_t at, me;
	for (size_t k = 0; cl_pattern_find(pat, f->text, f->text_len, k, &at, &me); k = at + 1)
		if (me - at == n && !memcmp(f->text + at, name, n))
			return true;
	return false;
}

/* G uses a model of another vendor (other_model: ChatOpenAI(...)) and no
 * Claude: no Claude client or call, no word of Anthropic or Claude. */
static int other_vendor_only(const struct cl_file_facts *g)
{
	size_t len;
	const char *t = code_of(g, &len);
	if (!t || g->clients.n || g->claude_import)
		return -1;
	for (size_t i = 0; i < g->calls.n; i++)
		if (g->calls.v[i].claude)
			return -1;
	if (cl_memcasemem(t, len, "claude", 6) || cl_memcasemem(t, len, "anthropic", 9))
		return -1;
	return cl07_matches_code(P_OTHER_MODEL, t, len) ? 1 : 0;
}

/* The tool handled at [AT, ME) of F (its function, REGION when >= 0)
 * belongs to an agent whose model is known and is not Claude: a decorator's
 * agent bound to another vendor's model in F (`@proxy.tool`), or F and the
 * files importing it that name the function use other vendors' models and
 * no Claude. Unknown models count as Claude, as before. */
/* What other_vendor_tool learns once per file: its own verdict and the
 * files importing it. */
struct vendor_cache {
	const struct cl_file_facts *f;
	int own;
	bool listed;
	CL_VEC(const struct cl_file_facts *) importers;
};

static bool other_vendor_tool(const struct cl_project *p, struct vendor_cache *vc, const struct cl_file_facts *f,
	size_t at, size_t me, int region)
{
	const char *dot = NULL;
	for (size_t i = at; f->text[at] == '@' && i < me; i++)
		if (f->text[i] == '.')
			dot = f->text + i;
	if (dot && other_agent(f, f->text + at + 1, (size_t)(dot - f->text) - at - 1))
		return true;
	if (vc->f != f) {
		vc->f = f;
		vc->own = other_vendor_only(f);
		vc->listed = false;
		vc->importers.n = 0;
	}
	if (vc->own < 0)
		return false;
	bool other = vc->own > 0;
	const char *name = region >= 0 ? f->regions.v[region].name : NULL;
	for (size_t k = 0; name && !vc->listed && k < p->nfiles; k++) {
		const struct cl_file_facts *g = p->files[k];
		size_t glen;
		bool imports = false;
		for (size_t m = 0; g != f && code_of(g, &glen) && m < g->imported_modules.n && !imports; m++)
			imports = cl_project_import_file(p, g, m) == f;
		if (imports)
			cl_vec_push(&vc->importers, g);
	}
	vc->listed = vc->listed || name;
	for (size_t k = 0; name && k < vc->importers.n; k++) {
		const struct cl_file_facts *g = vc->importers.v[k];
		size_t glen;
		const char *gt = code_of(g, &glen);
		if (!mentions(gt, glen, name))
			continue;
		int v = other_vendor_only(g);
		if (v < 0)
			return false;
		other = other || v > 0;
	}
	return other;
}

/* Every stretch of the tree's code that runs on a model's tool call. */
static void tool_code(const struct cl_project *p, struct reach *r)
{
	struct vendor_cache vc = {0};
	for (size_t k = 0; k < p->nfiles; k++) {
		const struct cl_file_facts *f = p->files[k];
		size_t at, me;
		if (!f->text || ui_code(f) || cl_around_test_file(f))
			continue; /* a test's tool handlers run against fakes */
		for (size_t from = 0; cl_pattern_find(cl07_pattern(P_TOOL_BRANCH),
			f->text, f->text_len, from, &at, &me); from = at + 1) {
			if (cl07_in_comment(f->text, at))
				continue;
			struct stretch origin = {f, 0, 0, f, 1, "", r->spans.n, SIZE_MAX, false};
			for (size_t i = 0; i < at; i++)
				origin.line += f->text[i] == '\n';
			branch_span(f, at, me, &origin.start, &origin.end);
			int fn = -1; /* the function the branch is (a decorated one, a handler) */
			for (size_t g = 0; g < f->regions.n; g++)
				if (f->regions.v[g].kind == CL_R_FUNCTION && f->regions.v[g].span.end == origin.end &&
				    f->regions.v[g].span.start >= origin.start && fn < 0)
					fn = (int)g;
			if (other_vendor_tool(p, &vc, f, at, me, fn))
				continue; /* another vendor's model calls this tool */
			cl_vec_push(&r->spans, origin);
		}
	}
	cl_vec_free(&vc.importers);
	follow(r);
}

static void free_reach(void *p)
{
	struct reach *r = p;
	if (!r)
		return;
	cl_vec_free(&r->spans);
	cl_vec_free(&r->seen);
	cl_vec_free(&r->seen_span);
	cl_vec_free(&r->registries);
	free(r);
}

/* F has a call that would be a side effect: the tree's tool code is
 * followed only then. */
static bool has_effect_call(const struct cl_project *p, const struct cl_file_facts *f)
{
	struct cl07_effect e;
	size_t len;
	const char *text = code_of(f, &len);
	for (size_t i = 0; text && i < f->refs.n; i++)
		if (cl07_effect(p, f, &f->refs.v[i], text, len, "", &e))
			return true;
	return false;
}

void cl_check_cl07_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const struct cl_file_facts *f = out->facts;
	size_t text_len;
	const char *text = code_of(f, &text_len);
	if (!text || !f->refs.n || !has_effect_call(ctx->project, f))
		return;
	/* the facts checks run on one thread: the reach is computed once per tree */
	struct cl_project *proj = (struct cl_project *)ctx->project;
	if (!proj->tool_reach) {
		struct reach *fresh = xcalloc(1, sizeof *fresh);
		fresh->p = proj;
		tool_code(proj, fresh);
		proj->tool_reach = fresh;
		proj->tool_reach_free = free_reach;
	}
	const struct reach *rp = proj->tool_reach, r = *rp;
	bool *done = xcalloc(f->refs.n + 1, sizeof *done);
	struct cl_fn callees[1];
	for (size_t k = 0; k < r.spans.n; k++) {
		struct stretch sp = r.spans.v[k];
		if (sp.f != f)
			continue;
		for (size_t i = 0; i < f->refs.n; i++) {
			const struct cl_ref *ref = &f->refs.v[i];
			if (done[i] || ref->span.start < sp.start || ref->span.start >= sp.end || ref->span.end > text_len)
				continue;
			done[i] = true;
			if (is_claude_call(f, ref) || (ref->how != CL_REF_MEMBER && defines(f, ref->name)) ||
			    (ref->how != CL_REF_MEMBER && cl_callgraph_callees(ctx->project, f, i, callees, 1)))
				continue; /* a function of the tree is followed, not judged by its name */
			const char *call = text + ref->span.start;
			size_t call_len = ref->span.end - ref->span.start;
			char tool[sizeof sp.tool] = "";
			bool mixed = false;
			for (size_t j = k; j != SIZE_MAX && !mixed; j = r.spans.v[j].parent)
				mixed = r.spans.v[j].mixed;
			size_t label = SIZE_MAX;
			if (!tool_label_at(text, sp.start, ref->span.start, tool, sizeof tool, &label) && !mixed)
				memcpy(tool, sp.tool, sizeof tool);
			struct cl07_effect e;
			if (!cl07_effect(ctx->project, f, ref, text, text_len, tool, &e))
				continue;
			const char *kind = e.kind, *callee = e.callee;
			bool payment = e.payment;
			if (!payment && strstr(kind, "HTTP") && names_payment(tool)) {
				payment = true; /* the tool's name says it moves money: issue_refund */
				kind = "a payment (an HTTP write)";
			}
			cl_mark_applies(out, CL_ITEM(CL07));
			size_t fs, fe, next;
			function_text(f, ref->region, text_len, &fs, &fe);
			if (label != SIZE_MAX && label >= fs && label < fe) {
				/* a dispatcher: the key belongs in this tool's case, not another's */
				fs = label;
				if (fe <= text_len && cl_pattern_find(cl07_pattern(P_TOOL_NAME),
					text, fe, ref->span.end, &next, NULL))
					fe = next;
			}
			if (e.keyed || cl07_matches_code(P_IDEMPOTENT, call, call_len) ||
			    (!e.sql && fe <= text_len && fs < fe && cl07_matches_code(P_IDEMPOTENT, text + fs, fe - fs)))
				continue;
			char where[300] = "", named[64] = "";
			if (sp.origin != f)
				snprintf(where, sizeof where, "%s, ", sp.origin->path);
			if (*tool)
				snprintf(named, sizeof named, " to %s", tool);
			cl_emit(out, CL_RULE(CL07_side_effect_without_idempotency_key), payment ? CL_SEV_ERROR : -1, &ref->span,
				"%.60s() makes %s on the model's tool call%s (tool branch at %sline %u) with no idempotency key; "
				"pass one derived from the operation or the tool_use id%s",
				callee, kind, named, where, sp.line, strstr(kind, "HTTP") ? " (an Idempotency-Key header)" :
				payment ? " (idempotency_key / idempotencyKey)" : strstr(kind, "queued") ?
				" (as the job's id: jobId, task_id, job_id, MessageDeduplicationId)" :
				strstr(kind, "database") ? ", or make it an upsert on a unique key" : "");
		}
	}
	free(done);
}
