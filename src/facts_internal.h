/*
 * facts_internal.h — what the three parts of the facts extractor share:
 * facts.c (queries, name table, imports, bindings, the driver),
 * facts_value.c (evaluating expressions to values, strings, clients) and
 * facts_calls.c (classifying calls, model-id strings). Not for other modules.
 */
#ifndef CL_FACTS_INTERNAL_H
#define CL_FACTS_INTERNAL_H
#include <string.h>
#include <tree_sitter/api.h>

#include "facts.h"

/* Recursion guard for expression evaluation: deeper values are unknown and
 * the file gets a note (cl_facts_extract). */
#define EVAL_DEPTH 24
#define CL_STR_(x) #x
#define CL_STR(x) CL_STR_(x)

/* A name bound in the file: an assignment, a parameter or an import, with
 * the byte range of the scope it is visible in (the whole file for module
 * names and self./this. fields). Value bindings cache their evaluation. */
struct binding {
	const char *name;
	TSNode value;         /* null node for parameters and imports */
	uint32_t scope_start, scope_end;
	uint32_t pos;
	int next;             /* hash chain */
	enum { B_VALUE, B_PARAM, B_IMPORT } kind;
	const char *module;   /* B_IMPORT */
	const char *imported; /* B_IMPORT: name in the module; "*" namespace */
	const char *type;     /* B_PARAM: type annotation text */
	const char *member;   /* B_VALUE bound by a destructuring pattern: the key it
	                         takes from the value ("" for a list element) */
	bool injected;        /* B_PARAM: a dependency the framework injects (Depends(...)) */
	struct cl_value *cache;
	bool evaluating;
};

/* A function body: names bound inside it are local to it. */
struct scope {
	uint32_t start, end;
	int parent;       /* the innermost scope containing this one, or -1 */
};

/* One file's extraction: its source, the facts being filled, the name table
 * (bindings hashed by name, scopes sorted and linked to their parents) and
 * the nodes the query captured, alive only while the tree is. */
struct ctx {
	const struct cl_source *src;
	struct cl_file_facts *f;
	struct cl_arena *A;
	bool py;
	TSNode root;
	CL_VEC(struct binding) binds;
	int *buckets;
	size_t nbuckets;
	CL_VEC(struct scope) scopes;
	CL_VEC(TSNode) imports, calls, strings;
	CL_VEC(uint32_t) client_starts; /* span start of each client, parallel to f->clients */
	bool anthropic_sdk_import;
	bool other_llm_import;
	bool too_deep;         /* an evaluation stopped at EVAL_DEPTH: a note */
	uint64_t work;         /* analysis steps spent on this file */
	uint64_t budget;       /* steps allowed: linear in the file's size */
	bool over_budget;      /* the analysis stopped early: a note */
	struct facts_u32s { uint32_t *v; size_t n, cap; }
		retry_callers;     /* calls whose callee names a retry/backoff helper */
	bool retry_callers_known;
};

/* Charges N steps of analysis to the file; false once its budget is spent
 * (every loop of the facts layer that can grow with the input stops then). */
static inline bool facts_spend(struct ctx *c, uint64_t n)
{
	c->work += n;
	if (c->work > c->budget)
		c->over_budget = true;
	return !c->over_budget;
}

/* A worker's parser (facts.h); TREE is the tree being analysed, released
 * by facts_guard.c after a jump out of the analysis. */
struct cl_parser {
	TSParser *ts;
	TSQueryCursor *cursor;
	TSTree *tree;
};

/* facts_guard.c: the bounds of one file's analysis. */
#define MAX_BRACKET_DEPTH 10000 /* brackets left unclosed: tree-sitter 0.20's
	error recovery frees memory twice past about 32 000 (`f(` repeated);
	closed nesting, however deep, parses */
bool facts_guard_init(char **err);       /* CLAUDIT_WORK_BUDGET, allocator */
uint64_t facts_work_budget(size_t len);  /* steps allowed for LEN bytes */
void facts_work_add(uint64_t steps);     /* into cl_facts_work_total */
bool facts_too_nested(const char *s, size_t len);
/* facts.c: the analysis that cl_facts_extract guards, and the compilation
 * of a language's query (under a lock: done before the guard is armed). */
bool facts_query_ready(enum cl_lang lang);
bool facts_extract_file(struct cl_parser *p, const struct cl_source *src, struct cl_file_facts *f,
	const char **note);

/* Small node helpers. */

static inline const char *type_of(TSNode n)
{
	return ts_node_is_null(n) ? "" : ts_node_type(n);
}

static inline bool is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

static inline TSNode field(TSNode n, const char *name)
{
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static inline const char *text(struct ctx *c, TSNode n)
{
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	if (e > c->src->len || s > e)
		return "";
	return cl_arena_strndup(c->A, c->src->data + s, e - s);
}

static inline bool text_eq(struct ctx *c, TSNode n, const char *s)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	size_t len = strlen(s);
	return b - a == len && b <= c->src->len && memcmp(c->src->data + a, s, len) == 0;
}

static inline struct cl_span span_of(TSNode n)
{
	struct cl_span sp;
	TSPoint a = ts_node_start_point(n), b = ts_node_end_point(n);
	sp.start = ts_node_start_byte(n);
	sp.end = ts_node_end_byte(n);
	sp.line = a.row + 1;
	sp.col = a.column + 1;
	sp.end_line = b.row + 1;
	sp.end_col = b.column + 1;
	return sp;
}

static inline struct cl_value *new_value(struct ctx *c, enum cl_vkind kind, TSNode n)
{
	struct cl_value *v = cl_arena_alloc(c->A, sizeof *v);
	v->kind = kind;
	v->client = -1;
	if (!ts_node_is_null(n))
		v->span = span_of(n);
	return v;
}

static inline struct cl_value *unknown(struct ctx *c, TSNode n)
{
	return new_value(c, CL_V_UNKNOWN, n);
}

static inline struct cl_value *empty_object(struct ctx *c, TSNode n)
{
	return new_value(c, CL_V_OBJECT, n);
}

/* What an imported name (or a member of one) is. */
struct symbol {
	const char *module;
	const char *name;
};

/* A call's arguments: positional, and Python keyword arguments (never NULL). */
struct args {
	struct cl_value **pos;
	size_t npos;
	struct cl_value *kw;
};

/* The member chain of a callee, innermost first: for `a.b.c` the props are
 * {"c", "b"} and the base node is `a`. */
struct chain {
	const char *props[8];
	TSNode objs[8];   /* objs[i]: the object the prop props[i] is read from */
	int n;
};

/* facts.c */
struct binding *facts_lookup(struct ctx *c, const char *name, uint32_t pos);
const char *facts_require_module(struct ctx *c, TSNode value);

/* facts_value.c */
struct cl_value *facts_eval(struct ctx *c, TSNode n, int depth);
struct cl_value *facts_binding_value(struct ctx *c, struct binding *b, TSNode n, int depth);
struct cl_value *facts_eval_identifier(struct ctx *c, TSNode n, const char *name, int depth);
const char *facts_string_content(struct ctx *c, TSNode n, bool *partial);
bool facts_resolve_symbol(struct ctx *c, TSNode n, struct symbol *out, int depth);
const char *facts_constructor_kind(struct ctx *c, TSNode callee, const char **cls);
struct args facts_eval_args(struct ctx *c, TSNode argsn, int depth);
struct cl_value *facts_arg(struct ctx *c, struct args *a, size_t i, const char *kw);
struct cl_value *facts_as_object(struct ctx *c, struct cl_value *v);
struct cl_value *facts_object_arg(struct ctx *c, struct args *a, size_t i);
void facts_object_put(struct ctx *c, struct cl_value *obj, const char *key, struct cl_value *val);
void facts_merge_into(struct ctx *c, struct cl_value *obj, struct cl_value *from);
void facts_callee_chain(struct ctx *c, TSNode callee, struct chain *ch);
const char *facts_last_prop(struct ctx *c, TSNode callee);
const char *facts_js_env_name(struct ctx *c, TSNode n);
bool facts_callee_is(struct ctx *c, TSNode callee, const char *const *names);
bool facts_type_names_client(const char *type);

/* facts_regions.c: regions, routes and calls by name; before the calls are classified */
void facts_extract_regions(struct ctx *c, const TSNode *calls, size_t ncalls);

/* facts_value.c: request data and files */
struct cl_value *facts_tainted(struct ctx *c, TSNode n, const char *taint);

/* facts_value.c: taint */
struct cl_value *facts_taint_with(struct ctx *c, struct cl_value *v, const char *taint);

/* facts_paths.c: path values and files read from them */
struct cl_value *facts_path_value(struct ctx *c, TSNode n, const char *path, bool anchored);
const char *facts_path_join(struct ctx *c, const char *dir, const char *rel);
const char *facts_path_dir(struct ctx *c, const char *path);
struct cl_value *facts_file_contents(struct ctx *c, TSNode n, const struct cl_value *p);
bool facts_as_path(const struct cl_value *v, const char **path, bool *anchored);
struct cl_value *facts_path_join_value(struct ctx *c, TSNode n, struct cl_value *a, struct cl_value *b);

/* facts_calls.c */
void facts_process_call(struct ctx *c, TSNode n);
void facts_process_string(struct ctx *c, TSNode n);

#endif
