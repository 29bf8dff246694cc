/*
 * facts.c — extracts a file's Claude facts from its syntax tree.
 *
 * One pass of the language's facts query (rules/queries/) collects imports,
 * bindings, calls, scopes, parameters and strings; this file builds the name
 * table from them and drives the rest: facts_value.c evaluates expressions
 * to values (literals, constants, env defaults, spreads, imports) and
 * facts_calls.c classifies calls against the surface data
 * (rules/surface.json). Nothing here looks at another file.
 */
#include "facts_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "surface.h"

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

enum { LANG_PY, LANG_JS, LANG_TS, LANG_TSX, NLANGS };

enum cap {
	CAP_IMPORT, CAP_BIND, CAP_BIND_NAME, CAP_BIND_VALUE, CAP_CALL, CAP_NEW,
	CAP_CALL_CALLEE, CAP_CALL_ARGS, CAP_SCOPE, CAP_PARAM, CAP_PARAM_NAME,
	CAP_STRING, CAP_EXPORT, CAP_EXPORT_VALUE, NCAPS, CAP_NONE = -1,
};

static const char *const cap_names[NCAPS] = {
	"import", "bind", "bind.name", "bind.value", "call", "new",
	"call.callee", "call.args", "scope", "param", "param.name",
	"string", "export", "export.value",
};

static struct {
	pthread_mutex_t lock;
	bool tried[NLANGS];
	TSQuery *query[NLANGS];
	int8_t *capmap[NLANGS]; /* query capture id -> enum cap */
} Q = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* Parse budget per file: a pathological file gets a note, not a hang.
 * CLAUDIT_PARSE_BUDGET_MS (1 ms to 10 min) overrides it, for tests. */
#define PARSE_TIMEOUT_MICROS (10ull * 1000 * 1000)
static uint64_t parse_budget_us = PARSE_TIMEOUT_MICROS;


static const TSLanguage *language(int l)
{
	switch (l) {
	case LANG_PY: return tree_sitter_python();
	case LANG_JS: return tree_sitter_javascript();
	case LANG_TS: return tree_sitter_typescript();
	default: return tree_sitter_tsx();
	}
}

static int lang_index(enum cl_lang lang)
{
	switch (lang) {
	case CL_LANG_PYTHON: return LANG_PY;
	case CL_LANG_JAVASCRIPT: return LANG_JS;
	case CL_LANG_TYPESCRIPT: return LANG_TS;
	case CL_LANG_TSX: return LANG_TSX;
	case CL_LANG_TEXT: break;
	}
	return -1;
}

static char *query_source(int l)
{
	const char *parts[2] = {NULL, NULL};
	if (l == LANG_PY) {
		parts[0] = "rules/queries/python.scm";
	} else {
		parts[0] = "rules/queries/ecmascript.scm";
		parts[1] = l == LANG_JS ? "rules/queries/javascript.scm" : "rules/queries/typescript.scm";
	}
	size_t total = 1;
	for (int i = 0; i < 2; i++) {
		const struct cl_embedded *e = parts[i] ? cl_embed_find(parts[i]) : NULL;
		if (parts[i] && !e)
			return NULL;
		total += e ? e->size + 1 : 0;
	}
	char *s = xcalloc(total, 1);
	for (int i = 0; i < 2; i++) {
		const struct cl_embedded *e = parts[i] ? cl_embed_find(parts[i]) : NULL;
		if (e) {
			strcat(s, e->data);
			strcat(s, "\n");
		}
	}
	return s;
}

/* Compiles language L's facts query (Q.query[L] stays NULL on failure). */
static void compile_query(int l)
{
	char *src = query_source(l);
	if (!src)
		return;
	uint32_t off = 0;
	TSQueryError qerr = TSQueryErrorNone;
	Q.query[l] = ts_query_new(language(l), src, (uint32_t)strlen(src), &off, &qerr);
	free(src);
	if (!Q.query[l])
		return;
	uint32_t n = ts_query_capture_count(Q.query[l]);
	Q.capmap[l] = xmalloc(n ? n : 1);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t len;
		const char *name = ts_query_capture_name_for_id(Q.query[l], i, &len);
		Q.capmap[l][i] = CAP_NONE;
		for (int c = 0; c < NCAPS; c++)
			if (strlen(cap_names[c]) == len && !strncmp(cap_names[c], name, len))
				Q.capmap[l][i] = (int8_t)c;
	}
}

/* Language L's query, compiled on first use: tens of milliseconds each, so
 * a scan whose files need no syntax tree (a pre-commit run) compiles none. */
static const TSQuery *query(int l)
{
	pthread_mutex_lock(&Q.lock);
	if (!Q.tried[l]) {
		compile_query(l);
		Q.tried[l] = true;
	}
	const TSQuery *q = Q.query[l];
	pthread_mutex_unlock(&Q.lock);
	return q;
}

bool cl_facts_init(char **err)
{
	const char *budget = getenv("CLAUDIT_PARSE_BUDGET_MS");
	if (budget && *budget) {
		char *end;
		unsigned long long ms = strtoull(budget, &end, 10);
		if (*end || ms < 1 || ms > 600000) {
			*err = xasprintf("CLAUDIT_PARSE_BUDGET_MS: expected milliseconds from 1 to 600000, not '%s'", budget);
			return false;
		}
		parse_budget_us = ms * 1000;
	}
	return facts_guard_init(err) && cl_surface_load(err);
}

void cl_facts_cleanup(void)
{
	for (int l = 0; l < NLANGS; l++) {
		ts_query_delete(Q.query[l]);
		free(Q.capmap[l]);
		Q.query[l] = NULL;
		Q.capmap[l] = NULL;
		Q.tried[l] = false;
	}
	cl_surface_unload();
}

struct cl_parser *cl_parser_create(void)
{
	struct cl_parser *p = xcalloc(1, sizeof *p);
	p->ts = ts_parser_new();
	p->cursor = ts_query_cursor_new();
	return p;
}

void cl_parser_destroy(struct cl_parser *p)
{
	if (!p)
		return;
	ts_parser_delete(p->ts);
	ts_query_cursor_delete(p->cursor);
	free(p);
}

/* ------------------------------------------------------------------------ */
/* Scopes and the name table.                                               */

static int by_scope_start(const void *a, const void *b)
{
	const struct scope *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

/* Sorts the scopes and links each to its parent (they nest properly). */
static void index_scopes(struct ctx *c)
{
	if (c->scopes.n)
		qsort(c->scopes.v, c->scopes.n, sizeof *c->scopes.v, by_scope_start);
	int *stack = xmalloc((c->scopes.n + 1) * sizeof *stack);
	size_t depth = 0;
	for (size_t i = 0; i < c->scopes.n; i++) {
		struct scope *s = &c->scopes.v[i];
		while (depth && c->scopes.v[stack[depth - 1]].end <= s->start)
			depth--;
		s->parent = depth ? stack[depth - 1] : -1;
		stack[depth++] = (int)i;
	}
	free(stack);
}

/* The innermost scope containing POS: the last scope starting at or before
 * it, then up its parents until one contains it. O(log n + depth). */
static void scope_of(struct ctx *c, uint32_t pos, uint32_t *start, uint32_t *end)
{
	*start = 0;
	*end = UINT32_MAX;
	size_t lo = 0, hi = c->scopes.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->scopes.v[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = (int)lo - 1; i >= 0; i = c->scopes.v[i].parent) {
		struct scope *s = &c->scopes.v[i];
		if (s->start <= pos && pos < s->end) {
			*start = s->start;
			*end = s->end;
			return;
		}
	}
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static struct binding *add_binding(struct ctx *c, const char *name, uint32_t pos, bool file_scope)
{
	struct binding b;
	memset(&b, 0, sizeof b);
	b.name = name;
	b.pos = pos;
	b.value = (TSNode){0};
	if (file_scope) {
		b.scope_start = 0;
		b.scope_end = UINT32_MAX;
	} else {
		scope_of(c, pos, &b.scope_start, &b.scope_end);
	}
	cl_vec_push(&c->binds, b);
	return &c->binds.v[c->binds.n - 1];
}

static void index_bindings(struct ctx *c)
{
	size_t n = 16;
	while (n < 2 * c->binds.n)
		n *= 2;
	c->nbuckets = n;
	c->buckets = xmalloc(n * sizeof *c->buckets);
	for (size_t i = 0; i < n; i++)
		c->buckets[i] = -1;
	for (size_t i = 0; i < c->binds.n; i++) {
		size_t h = hash_str(c->binds.v[i].name) & (n - 1);
		c->binds.v[i].next = c->buckets[h];
		c->buckets[h] = (int)i;
	}
}

/* The binding NAME refers to at POS: the innermost scope that binds it, and
 * in that scope the last binding before POS (or the first after it). */
struct binding *facts_lookup(struct ctx *c, const char *name, uint32_t pos)
{
	if (!c->nbuckets)
		return NULL;
	struct binding *best = NULL;
	uint32_t best_size = 0;
	/* Minified bundles bind one name thousands of times: look at the 512
	 * nearest bindings of a bucket (newest first) and no further, so a
	 * lookup stays bounded; real source never comes near that. */
	int budget = 512;
	for (int i = c->buckets[hash_str(name) & (c->nbuckets - 1)]; i >= 0 && budget-- > 0; i = c->binds.v[i].next) {
		struct binding *b = &c->binds.v[i];
		if (strcmp(b->name, name) != 0)
			continue;
		if (!(b->scope_start <= pos && pos < b->scope_end))
			continue;
		uint32_t size = b->scope_end - b->scope_start;
		if (!best || size < best_size) {
			best = b;
			best_size = size;
			continue;
		}
		if (size == best_size) {
			bool b_before = b->pos <= pos, best_before = best->pos <= pos;
			if ((b_before && (!best_before || b->pos > best->pos)) ||
			    (!b_before && !best_before && b->pos < best->pos))
				best = b;
		}
	}
	return best;
}

/* ------------------------------------------------------------------------ */
/* Imports.                                                                 */

static void note_module(struct ctx *c, TSNode at, const char *module)
{
	cl_vec_push(&c->f->imported_modules, module);
	cl_vec_push(&c->f->imported_lines, ts_node_start_point(at).row + 1);
	if (cl_surface_symbol("constructors", c->py, module, "Anthropic") ||
	    cl_surface_symbol("constructors", c->py, module, "default") ||
	    cl_surface_module_matches(module, "anthropic") ||
	    cl_surface_module_matches(module, "@anthropic-ai/sdk") ||
	    cl_surface_module_matches(module, "@anthropic-ai/bedrock-sdk") ||
	    cl_surface_module_matches(module, "@anthropic-ai/vertex-sdk") ||
	    cl_surface_module_matches(module, "@anthropic-ai/foundry-sdk")) {
		c->anthropic_sdk_import = true;
		c->f->claude_import = true;
	}
	if (cl_surface_module_matches(module, "langchain_anthropic") ||
	    cl_surface_module_matches(module, "@langchain/anthropic") ||
	    cl_surface_module_matches(module, "@ai-sdk/anthropic") ||
	    cl_surface_module_matches(module, "llama_index.llms.anthropic"))
		c->f->claude_import = true;
	if (cl_surface_has_module("retry_modules", module))
		c->f->retry_library = true;
	if (cl_surface_has_module("other_llm_modules", module))
		c->other_llm_import = true;
}

static void bind_import(struct ctx *c, TSNode at, const char *local, const char *module,
	const char *imported)
{
	struct binding *b = add_binding(c, local, ts_node_start_byte(at), false);
	b->kind = B_IMPORT;
	b->module = module;
	b->imported = imported;
}


static void py_import(struct ctx *c, TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);
	if (is(n, "import_statement")) {
		for (uint32_t i = 0; i < count; i++) {
			TSNode ch = ts_node_named_child(n, i);
			if (is(ch, "dotted_name")) {
				const char *full = text(c, ch);
				note_module(c, n, full);
				const char *dot = strchr(full, '.');
				const char *local = dot ? cl_arena_strndup(c->A, full, (size_t)(dot - full)) : full;
				bind_import(c, n, local, local, "*");
			} else if (is(ch, "aliased_import")) {
				const char *full = text(c, field(ch, "name"));
				note_module(c, n, full);
				bind_import(c, n, text(c, field(ch, "alias")), full, "*");
			}
		}
		return;
	}
	if (!is(n, "import_from_statement"))
		return;
	TSNode modn = field(n, "module_name");
	if (ts_node_is_null(modn))
		return;
	const char *module = text(c, modn);
	note_module(c, n, module);
	for (uint32_t i = 0; i < count; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (ts_node_eq(ch, modn))
			continue;
		if (is(ch, "dotted_name")) {
			const char *name = text(c, ch);
			bind_import(c, n, name, module, name);
		} else if (is(ch, "aliased_import")) {
			bind_import(c, n, text(c, field(ch, "alias")), module, text(c, field(ch, "name")));
		}
	}
}

static void js_import(struct ctx *c, TSNode n)
{
	TSNode srcn = field(n, "source");
	if (ts_node_is_null(srcn))
		return;
	bool partial = false;
	const char *module = facts_string_content(c, srcn, &partial);
	note_module(c, n, module);
	uint32_t count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode clause = ts_node_named_child(n, i);
		if (!is(clause, "import_clause"))
			continue;
		uint32_t k = ts_node_named_child_count(clause);
		for (uint32_t j = 0; j < k; j++) {
			TSNode ch = ts_node_named_child(clause, j);
			if (is(ch, "identifier")) {
				bind_import(c, n, text(c, ch), module, "default");
			} else if (is(ch, "namespace_import")) {
				TSNode id = ts_node_named_child(ch, 0);
				if (!ts_node_is_null(id))
					bind_import(c, n, text(c, id), module, "*");
			} else if (is(ch, "named_imports")) {
				uint32_t m = ts_node_named_child_count(ch);
				for (uint32_t s = 0; s < m; s++) {
					TSNode spec = ts_node_named_child(ch, s);
					if (!is(spec, "import_specifier"))
						continue;
					TSNode name = field(spec, "name"), alias = field(spec, "alias");
					const char *nm = text(c, name);
					bind_import(c, n, ts_node_is_null(alias) ? nm : text(c, alias), module, nm);
				}
			}
		}
	}
}

/* `require("m")`: the module name, or NULL. */
const char *facts_require_module(struct ctx *c, TSNode value)
{
	while (is(value, "await_expression") || is(value, "parenthesized_expression"))
		value = ts_node_named_child(value, 0);
	if (!is(value, "call_expression"))
		return NULL;
	TSNode fn = field(value, "function");
	if (!is(fn, "identifier") || !text_eq(c, fn, "require"))
		return NULL;
	TSNode args = field(value, "arguments");
	TSNode a0 = ts_node_named_child(args, 0);
	if (!is(a0, "string"))
		return NULL;
	bool partial = false;
	return facts_string_content(c, a0, &partial);
}

/* ------------------------------------------------------------------------ */
/* Bindings from the query.                                                 */

/* `const { question, persona } = await req.json()`, `a, b = pair`: each name
 * takes its key (or an element) of the value. */
static void destructure(struct ctx *c, TSNode bind, TSNode pattern, TSNode value)
{
	uint32_t k = ts_node_named_child_count(pattern);
	for (uint32_t i = 0; i < k && i < 64; i++) {
		TSNode ch = ts_node_named_child(pattern, i);
		TSNode nm = {0};
		const char *member = "";
		if (is(ch, "shorthand_property_identifier_pattern")) {
			nm = ch;
			member = text(c, ch);
		} else if (is(ch, "pair_pattern")) {
			nm = field(ch, "value");
			member = text(c, field(ch, "key"));
		} else if (is(ch, "object_assignment_pattern")) { /* { n = 1 } */
			nm = field(ch, "left");
			member = text(c, nm);
		} else if (is(ch, "identifier")) {
			nm = ch;
		}
		if (!is(nm, "identifier") && !is(nm, "shorthand_property_identifier_pattern"))
			continue;
		struct binding *b = add_binding(c, text(c, nm), ts_node_start_byte(bind), false);
		b->kind = B_VALUE;
		b->value = value;
		b->member = member;
	}
}

static void process_bind(struct ctx *c, TSNode bind, TSNode name, TSNode value)
{
	const char *t = type_of(name);
	uint32_t pos = ts_node_start_byte(bind);
	if (!strcmp(t, "identifier")) {
		struct binding *b = add_binding(c, text(c, name), pos, false);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (!strcmp(t, "attribute") || !strcmp(t, "member_expression")) {
		const char *full = text(c, name);
		bool file_scope = !strncmp(full, "self.", 5) || !strncmp(full, "this.", 5) ||
			!strncmp(full, "module.exports", 14) || !strncmp(full, "exports.", 8);
		if (!file_scope)
			return;
		struct binding *b = add_binding(c, full, pos, true);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (!strcmp(t, "property_identifier") || !strcmp(t, "private_property_identifier")) {
		/* a class field: `client = new Anthropic()` is this.client */
		const char *nm = text(c, name);
		struct binding *b = add_binding(c, cl_arena_printf(c->A, "this.%s", nm[0] == '#' ? nm + 1 : nm), pos, true);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (!strcmp(t, "object_pattern") || !strcmp(t, "array_pattern") ||
	    !strcmp(t, "pattern_list") || !strcmp(t, "tuple_pattern")) {
		/* const { Anthropic } = require("@anthropic-ai/sdk") */
		const char *m = !strcmp(t, "object_pattern") ? facts_require_module(c, value) : NULL;
		if (!m) {
			destructure(c, bind, name, value);
			return;
		}
		uint32_t k = ts_node_named_child_count(name);
		for (uint32_t i = 0; i < k; i++) {
			TSNode ch = ts_node_named_child(name, i);
			if (is(ch, "shorthand_property_identifier_pattern")) {
				const char *nm = text(c, ch);
				bind_import(c, bind, nm, m, nm);
			} else if (is(ch, "pair_pattern")) {
				TSNode key = field(ch, "key"), val = field(ch, "value");
				if (is(val, "identifier"))
					bind_import(c, bind, text(c, val), m, text(c, key));
			}
		}
	}
}

static void process_param(struct ctx *c, TSNode param, TSNode name)
{
	struct binding *b = add_binding(c, text(c, name), ts_node_start_byte(name), false);
	b->kind = B_PARAM;
	TSNode type = field(param, "type");
	b->type = ts_node_is_null(type) ? NULL : text(c, type);
	TSNode deflt = field(param, "value");
	if (is(deflt, "call")) {
		const char *fn = facts_last_prop(c, field(deflt, "function"));
		b->injected = !strcmp(fn, "Depends") || !strcmp(fn, "Security");
	}
	if (is(param, "public_field_definition")) {
		b->name = cl_arena_printf(c->A, "this.%s", b->name);
		b->scope_start = 0;
		b->scope_end = UINT32_MAX;
		return;
	}
	/* constructor(private client: Anthropic): also this.client */
	uint32_t k = ts_node_child_count(param);
	for (uint32_t i = 0; i < k; i++) {
		if (is(ts_node_child(param, i), "accessibility_modifier")) {
			struct binding *t = add_binding(c, cl_arena_printf(c->A, "this.%s", text(c, name)),
				ts_node_start_byte(name), true);
			t->kind = B_PARAM;
			t->type = c->binds.v[c->binds.n - 2].type;
			break;
		}
	}
}

static bool use_client_directive(struct ctx *c)
{
	uint32_t k = ts_node_named_child_count(c->root);
	for (uint32_t i = 0; i < k && i < 4; i++) {
		TSNode ch = ts_node_named_child(c->root, i);
		if (is(ch, "comment"))
			continue;
		if (!is(ch, "expression_statement"))
			return false;
		TSNode s = ts_node_named_child(ch, 0);
		if (!is(s, "string"))
			return false;
		if (text_eq(c, s, "\"use client\"") || text_eq(c, s, "'use client'"))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* The driver.                                                              */

struct pending_bind {
	TSNode bind, name, value;
};
struct pending_param {
	TSNode param, name;
};

void cl_facts_init_empty(struct cl_file_facts *f, const char *path, enum cl_lang lang)
{
	memset(f, 0, sizeof *f);
	cl_arena_init(&f->arena);
	f->path = path;
	f->lang = lang;
}

bool facts_query_ready(enum cl_lang lang)
{
	int l = lang_index(lang);
	return l < 0 || query(l) != NULL;
}

bool facts_extract_file(struct cl_parser *p, const struct cl_source *src, struct cl_file_facts *f,
	const char **note)
{
	int l = lang_index(src->lang);
	*note = NULL;
	if (l < 0)
		return true;
	const TSQuery *q = query(l);
	if (!q) {
		*note = "rule data: the facts query of this language does not compile; only the text rules ran on it";
		return false;
	}
	if (facts_too_nested(src->data, src->len)) {
		*note = "more than " CL_STR(MAX_BRACKET_DEPTH) " brackets left unclosed: not parsed (the "
			"parser corrupts its memory past about 32 000); only the text rules ran on it";
		return false;
	}
	ts_parser_set_language(p->ts, language(l));
	ts_parser_set_timeout_micros(p->ts, parse_budget_us);
	TSTree *tree = p->tree = ts_parser_parse_string(p->ts, NULL, src->data, (uint32_t)src->len);
	if (!tree) {
		ts_parser_reset(p->ts);
		*note = "parse time budget exceeded; only text rules ran on this file";
		return false;
	}
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.budget = facts_work_budget(src->len);
	c.src = src;
	c.f = f;
	c.A = &f->arena;
	c.py = l == LANG_PY;
	c.root = ts_tree_root_node(tree);
	f->parse_error = ts_node_has_error(c.root);
	f->use_client = !c.py && use_client_directive(&c);

	CL_VEC(struct pending_bind) binds = {0};
	CL_VEC(struct pending_param) params = {0};
	CL_VEC(TSNode) export_values = {0};
	ts_query_cursor_exec(p->cursor, q, c.root);
	TSQueryMatch m;
	while (facts_spend(&c, 1) && ts_query_cursor_next_match(p->cursor, &m)) {
		TSNode nodes[NCAPS];
		bool have[NCAPS] = {false};
		for (uint16_t i = 0; i < m.capture_count; i++) {
			int cap = Q.capmap[l][m.captures[i].index];
			if (cap >= 0) {
				nodes[cap] = m.captures[i].node;
				have[cap] = true;
			}
		}
		if (have[CAP_IMPORT]) {
			cl_vec_push(&c.imports, nodes[CAP_IMPORT]);
		} else if (have[CAP_BIND] && have[CAP_BIND_NAME] && have[CAP_BIND_VALUE]) {
			struct pending_bind b = {nodes[CAP_BIND], nodes[CAP_BIND_NAME], nodes[CAP_BIND_VALUE]};
			cl_vec_push(&binds, b);
		} else if (have[CAP_CALL] || have[CAP_NEW]) {
			cl_vec_push(&c.calls, have[CAP_CALL] ? nodes[CAP_CALL] : nodes[CAP_NEW]);
		} else if (have[CAP_SCOPE]) {
			struct scope s = {ts_node_start_byte(nodes[CAP_SCOPE]), ts_node_end_byte(nodes[CAP_SCOPE]), -1};
			cl_vec_push(&c.scopes, s);
		} else if (have[CAP_PARAM] && have[CAP_PARAM_NAME]) {
			struct pending_param pp = {nodes[CAP_PARAM], nodes[CAP_PARAM_NAME]};
			cl_vec_push(&params, pp);
		} else if (have[CAP_STRING]) {
			cl_vec_push(&c.strings, nodes[CAP_STRING]);
		} else if (have[CAP_EXPORT] && have[CAP_EXPORT_VALUE]) {
			cl_vec_push(&export_values, nodes[CAP_EXPORT_VALUE]);
		}
	}
	index_scopes(&c);
	/* names first (all of them: a function may use a constant defined below it) */
	for (size_t i = 0; i < c.imports.n; i++) {
		if (c.py)
			py_import(&c, c.imports.v[i]);
		else
			js_import(&c, c.imports.v[i]);
	}
	for (size_t i = 0; i < c.calls.n && !c.py; i++) {
		const char *m = facts_require_module(&c, c.calls.v[i]);
		if (m)
			note_module(&c, c.calls.v[i], m);
	}
	for (size_t i = 0; i < params.n; i++)
		process_param(&c, params.v[i].param, params.v[i].name);
	for (size_t i = 0; i < binds.n; i++)
		process_bind(&c, binds.v[i].bind, binds.v[i].name, binds.v[i].value);
	index_bindings(&c);
	/* then what they say */
	facts_extract_regions(&c, c.calls.v, c.calls.n);
	for (size_t i = 0; i < c.calls.n && facts_spend(&c, 1); i++)
		facts_process_call(&c, c.calls.v[i]);
	for (size_t i = 0; i < c.strings.n && facts_spend(&c, 1); i++)
		facts_process_string(&c, c.strings.v[i]);
	for (size_t i = 0; i < c.binds.n && facts_spend(&c, 1); i++) {
		struct binding *b = &c.binds.v[i];
		if (b->scope_start != 0 || b->scope_end != UINT32_MAX || b->kind == B_PARAM)
			continue;
		const char *name = b->name;
		if (!strncmp(name, "self.", 5) || !strncmp(name, "this.", 5))
			continue;
		if (!strcmp(name, "module.exports"))
			name = "default";
		else if (!strncmp(name, "module.exports.", 15))
			name += 15;
		else if (!strncmp(name, "exports.", 8))
			name += 8;
		struct cl_export ex = {name, facts_binding_value(&c, b, b->value, 0)};
		cl_vec_push(&f->exports, ex);
	}
	for (size_t i = 0; i < export_values.n; i++) {
		struct cl_export ex = {"default", facts_eval(&c, export_values.v[i], 0)};
		cl_vec_push(&f->exports, ex);
	}
	/* loops and try blocks may reach Claude through an imported function
	 * (known only once the files are linked): the checks read around them;
	 * so do files that handle a model's tool calls (CL07) */
	bool around = false;
	for (size_t i = 0; i < f->regions.n && f->imported_modules.n && !around; i++)
		around = f->regions.v[i].kind == CL_R_LOOP || f->regions.v[i].kind == CL_R_TRY;
	if (f->calls.n || f->claude_import || f->web_server || around || memmem(src->data, src->len, "tool_use", 8) ||
	    memmem(src->data, src->len, "tool_calls", 10) || memmem(src->data, src->len, "toolCalls", 9)) {
		f->text = cl_arena_strndup(c.A, src->data, src->len);
		f->text_len = src->len;
	}
	cl_vec_free(&binds);
	cl_vec_free(&params);
	cl_vec_free(&export_values);
	cl_vec_free(&c.binds);
	cl_vec_free(&c.scopes);
	cl_vec_free(&c.imports);
	cl_vec_free(&c.calls);
	cl_vec_free(&c.strings);
	cl_vec_free(&c.client_starts);
	cl_vec_free(&c.retry_callers);
	free(c.buckets);
	ts_tree_delete(tree);
	p->tree = NULL;
	facts_work_add(c.work);
	if (c.over_budget)
		*note = "analysis stopped at the per-file work budget (a step count linear in the "
			"file's size): findings in this file may be incomplete";
	else if (c.too_deep)
		*note = "expressions nested more than " CL_STR(EVAL_DEPTH) " levels deep: "
			"values were followed down to that depth only";
	return true;
}

void cl_facts_finish(struct cl_file_facts *f)
{
	if (!f)
		return;
	cl_vec_free(&f->clients);
	cl_vec_free(&f->calls);
	cl_vec_free(&f->models);
	cl_vec_free(&f->prompts);
	cl_vec_free(&f->exports);
	cl_vec_free(&f->imported_modules);
	cl_vec_free(&f->imported_lines);
	cl_vec_free(&f->route_handlers);
	cl_vec_free(&f->regions);
	cl_vec_free(&f->refs);
	cl_arena_finish(&f->arena);
}

/* snake_case <-> camelCase: "max_tokens" and "maxTokens" name one option. */
static bool key_eq(const char *a, const char *b)
{
	for (;;) {
		if (*a == '_' && *b != '_') {
			a++;
			if (!*a || !*b || (*a | 32) != (*b | 32))
				return false;
			a++, b++;
			continue;
		}
		if (*b == '_' && *a != '_') {
			b++;
			if (!*a || !*b || (*a | 32) != (*b | 32))
				return false;
			a++, b++;
			continue;
		}
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++, b++;
	}
}

struct cl_value *cl_value_get(const struct cl_value *obj, const char *key)
{
	if (!obj || obj->kind != CL_V_OBJECT)
		return NULL;
	for (size_t i = obj->npairs; i-- > 0;)
		if (!strcmp(obj->pairs[i].key, key))
			return obj->pairs[i].val;
	for (size_t i = obj->npairs; i-- > 0;)
		if (key_eq(obj->pairs[i].key, key))
			return obj->pairs[i].val;
	return NULL;
}

struct cl_value *cl_value_path(const struct cl_value *obj, const char *path)
{
	char part[64];
	const struct cl_value *v = obj;
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, path, n);
		part[n] = 0;
		v = cl_value_get(v, part);
		path += n + (dot ? 1 : 0);
	}
	return (struct cl_value *)v;
}
