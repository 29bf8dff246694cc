/*
 * facts.c — extracts a file's Claude facts from its syntax tree.
 *
 * One pass of the language's facts query (rules/queries/) collects imports,
 * bindings, calls, scopes, parameters and strings; facts_names.c builds the
 * name table from them, and this file drives the rest: facts_value.c evaluates expressions
 * to values (literals, constants, env defaults, spreads, imports) and
 * facts_calls.c classifies calls against the surface data
 * (rules/surface.json). Nothing here looks at another file.
 */
#include "model/facts_internal.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/embed.h"
#include "adapters/surface.h"
#include "scan/tsparse.h"

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

enum { LANG_PY, LANG_JS, LANG_TS, LANG_TSX, NLANGS };

enum cap {
	CAP_IMPORT, CAP_BIND, CAP_BIND_NAME, CAP_BIND_VALUE, CAP_CALL, CAP_NEW,
	CAP_CALL_CALLEE, CAP_CALL_ARGS, CAP_SCOPE, CAP_PARAM, CAP_PARAM_NAME,
	CAP_STRING, CAP_EXPORT, CAP_EXPORT_VALUE, CAP_DEF, CAP_DEF_NAME, NCAPS, CAP_NONE = -1,
};

static const char *const cap_names[NCAPS] = {
	"import", "bind", "bind.name", "bind.value", "call", "new",
	"call.callee", "call.args", "scope", "param", "param.name",
	"string", "export", "export.value", "def", "def.name",
};

static struct {
	pthread_mutex_t lock;
	bool tried[NLANGS];
	TSQuery *query[NLANGS];
	int8_t *capmap[NLANGS]; /* query capture id -> enum cap */
	struct symtab syms[NLANGS]; /* node symbols, resolved with the query */
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
		facts_symtab_init(&Q.syms[l], language(l));
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
		facts_symtab_finish(&Q.syms[l]);
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

static bool use_client_directive(struct ctx *c)
{
	uint32_t k = ts_node_named_child_count(c->root);
	for (uint32_t i = 0; i < k && i < 4; i++) {
		TSNode ch = ts_node_named_child(c->root, i);
		if (sym_is(c, ch, SYM_COMMENT))
			continue;
		if (!sym_is(c, ch, SYM_EXPRESSION_STATEMENT))
			return false;
		TSNode s = ts_node_named_child(ch, 0);
		if (!sym_is(c, s, SYM_STRING))
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

/* The module-level functions and classes other files may import, each
 * kept only when it gives or holds a client or a model. Their summaries
 * are worked out in a scratch arena (most say nothing of Claude, and what
 * they evaluate would otherwise stay for the whole run); the bindings cached
 * meanwhile are forgotten. Should a summary register a client (a chat model
 * factory nobody else evaluated), the pass is redone in the file's arena. */
/* The name other files import binding NAME by, or NULL when it is not an
 * export (instance state): `module.exports` is the default export,
 * `exports.x` / `module.exports.x` the export x. */
static const char *export_name(const char *name)
{
	if (!strncmp(name, "self.", 5) || !strncmp(name, "this.", 5))
		return NULL;
	if (!strcmp(name, "module.exports"))
		return "default";
	if (!strncmp(name, "module.exports.", 15))
		return name + 15;
	if (!strncmp(name, "exports.", 8))
		return name + 8;
	return name;
}

static void export_definitions(struct ctx *c)
{
	struct cl_arena scratch, *main = c->A;
	size_t nclients = c->f->clients.n, nexports = c->f->exports.n;
	CL_VEC(size_t) uncached = {0};
	for (size_t i = 0; i < c->binds.n; i++) {
		struct binding *b = &c->binds.v[i];
		/* a class read in this file was summarised without its methods */
		if (b->kind == B_VALUE && is_class_node(c, b->value))
			b->cache = NULL;
		if (!b->cache)
			cl_vec_push(&uncached, i);
	}
	c->exporting = true;
	for (int pass = 0; pass < 2; pass++) {
		cl_arena_init(&scratch);
		c->A = pass == 0 ? &scratch : main;
		for (size_t i = 0; i < c->binds.n; i++) {
			struct binding *b = &c->binds.v[i];
			if (b->scope_start != 0 || b->scope_end != UINT32_MAX || b->kind != B_VALUE ||
			    !(is_function_def_node(c, b->value) || is_class_node(c, b->value)))
				continue;
			struct cl_value *v = facts_keep_definition(main, facts_binding_value(c, b, b->value, 0));
			if (v && export_name(b->name)) {
				struct cl_export ex = {export_name(b->name), v};
				cl_vec_push(&c->f->exports, ex);
			}
		}
		c->A = main;
		for (size_t k = 0; k < uncached.n; k++) {
			c->binds.v[uncached.v[k]].cache = NULL;
			c->binds.v[uncached.v[k]].evaluating = false;
		}
		cl_arena_finish(&scratch);
		if (c->f->clients.n == nclients)
			break;
		c->f->clients.n = nclients;
		c->client_starts.n = nclients;
		c->f->exports.n = nexports;
	}
	c->exporting = false;
	cl_vec_free(&uncached);
}

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
	TSTree *tree = p->tree = cl_tsparse_within(p->ts, src->data, (uint32_t)src->len, parse_budget_us);
	if (!tree) {
		*note = "parse time budget exceeded; only text rules ran on this file";
		return false;
	}
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.budget = facts_work_budget(src->len);
	c.mem_budget = facts_mem_budget(src->len);
	c.src = src;
	c.f = f;
	c.A = &f->arena;
	c.py = l == LANG_PY;
	c.sym = &Q.syms[l]; /* written once, under Q.lock, by query(l) above */
	c.root = ts_tree_root_node(tree);
	f->parse_error = ts_node_has_error(c.root);
	f->use_client = !c.py && use_client_directive(&c);

	CL_VEC(struct pending_bind) binds = {0};
	CL_VEC(struct pending_param) params = {0};
	CL_VEC(TSNode) export_values = {0};
	CL_VEC(struct pending_bind) defs = {0};
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
		} else if (have[CAP_DEF] && have[CAP_DEF_NAME]) {
			struct pending_bind b = {nodes[CAP_DEF], nodes[CAP_DEF_NAME], nodes[CAP_DEF]};
			cl_vec_push(&defs, b);
		}
	}
	facts_index_scopes(&c);
	/* names first (all of them: a function may use a constant defined below it) */
	for (size_t i = 0; i < c.imports.n; i++) {
		if (c.py)
			facts_py_import(&c, c.imports.v[i]);
		else
			facts_js_import(&c, c.imports.v[i]);
	}
	for (size_t i = 0; i < c.calls.n && !c.py; i++) {
		const char *m = facts_require_module(&c, c.calls.v[i]);
		if (m)
			facts_note_module(&c, c.calls.v[i], m);
	}
	for (size_t i = 0; i < params.n; i++)
		facts_process_param(&c, params.v[i].param, params.v[i].name);
	for (size_t i = 0; i < binds.n; i++)
		facts_process_bind(&c, binds.v[i].bind, binds.v[i].name, binds.v[i].value);
	for (size_t i = 0; i < defs.n; i++)
		facts_process_def(&c, defs.v[i].bind, defs.v[i].name);
	facts_index_bindings(&c);
	/* then what they say */
	facts_extract_regions(&c, c.calls.v, c.calls.n);
	c.regions_done = true;
	for (size_t i = 0; i < c.calls.n && facts_spend(&c, 1); i++)
		facts_process_call(&c, c.calls.v[i]);
	facts_ref_receivers(&c);
	facts_handoffs(&c);
	facts_ref_args_late(&c);
	for (size_t i = 0; i < c.strings.n && facts_spend(&c, 1); i++)
		facts_process_string(&c, c.strings.v[i]);
	for (size_t i = 0; i < c.binds.n && facts_spend(&c, 1); i++) {
		struct binding *b = &c.binds.v[i];
		if (b->scope_start != 0 || b->scope_end != UINT32_MAX || b->kind == B_PARAM ||
		    (b->kind == B_VALUE && (is_function_def_node(&c, b->value) || is_class_node(&c, b->value))))
			continue;
		const char *name = export_name(b->name);
		if (!name)
			continue;
		struct cl_value *v = facts_binding_value(&c, b, b->value, 0);
		if (v->kind == CL_V_FUNCTION || v->kind == CL_V_CLASS) /* module.exports = Bot */
			v = facts_keep_definition(c.A, v);
		if (!v)
			continue;
		struct cl_export ex = {name, v};
		cl_vec_push(&f->exports, ex);
	}
	export_definitions(&c);
	for (size_t i = 0; i < export_values.n; i++) {
		struct cl_export ex = {"default", facts_eval(&c, export_values.v[i], 0)};
		cl_vec_push(&f->exports, ex);
	}
	/* loops and try blocks may reach Claude through an imported function
	 * (known only once the files are linked): the checks read around them;
	 * so do files that handle a model's tool calls (CL07), and files that
	 * may look at why an answer stopped (stop_reason, finishReason: CL08
	 * reads callers' text) */
	bool around = false, named = false;
	for (size_t i = 0; i < f->regions.n && f->imported_modules.n && !around; i++) {
		around = f->regions.v[i].kind == CL_R_LOOP || f->regions.v[i].kind == CL_R_TRY;
		named = named || (f->regions.v[i].kind == CL_R_FUNCTION && f->regions.v[i].name);
	}
	bool text = f->calls.n || f->clients.n || f->claude_import || f->web_server || around ||
		memmem(src->data, src->len, "tool_use", 8) || memmem(src->data, src->len, "tool_calls", 10) ||
		memmem(src->data, src->len, "toolCalls", 9) || memmem(src->data, src->len, "tool(", 5) ||
		memmem(src->data, src->len, "@tool", 5) || memmem(src->data, src->len, "_reason", 7) ||
		memmem(src->data, src->len, "Reason", 6);
	/* one copy: a file that calls imported functions may receive the model's
	 * output from them (CL17 follows it through the call graph), and tool
	 * code may call into a file of named functions (CL07) */
	if (text || (f->imported_modules.n && (named || f->refs.n))) {
		f->code = cl_arena_strndup(c.A, src->data, src->len);
		f->code_len = src->len;
	}
	if (text) {
		f->text = f->code;
		f->text_len = f->code_len;
		facts_extract_loops(&c); /* what the checks that read around a call ask */
	}
	cl_vec_free(&binds);
	cl_vec_free(&params);
	cl_vec_free(&export_values);
	cl_vec_free(&defs);
	cl_vec_free(&c.binds);
	cl_vec_free(&c.scopes);
	cl_vec_free(&c.imports);
	cl_vec_free(&c.calls);
	cl_vec_free(&c.strings);
	cl_vec_free(&c.region_nodes);
	cl_vec_free(&c.ref_nodes);
	cl_vec_free(&c.map_sets);
	cl_vec_free(&c.client_starts);
	cl_vec_free(&c.members);
	cl_vec_free(&c.retry_callers);
	free(c.buckets);
	ts_tree_delete(tree);
	p->tree = NULL;
	facts_work_add(c.work);
	if (c.over_budget)
		*note = "analysis stopped at the per-file work budget (steps and memory linear in the "
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
	cl_vec_free(&f->star_exports);
	cl_vec_free(&f->handoffs);
	cl_vec_free(&f->queues);
	cl_vec_free(&f->route_handlers);
	cl_vec_free(&f->runnable_routes);
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
