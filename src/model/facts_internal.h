/*
 * facts_internal.h — what the parts of the facts extractor share:
 * facts.c (queries, the driver, exports), facts_names.c (scopes, bindings,
 * imports), facts_model.c (function summaries, instance state),
 * facts_value.c (evaluating expressions to values), facts_callvalue.c (what
 * calls evaluate to, clients), facts_strings.c, facts_taint.c, facts_paths.c,
 * facts_regions.c and facts_calls.c (classifying calls, model-id strings).
 * Not for other modules.
 */
#ifndef CL_FACTS_INTERNAL_H
#define CL_FACTS_INTERNAL_H
#include <string.h>
#include <tree_sitter/api.h>

#include "model/facts.h"

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
	bool property;        /* B_VALUE of a method read as an attribute (@property, a
	                         TS getter): the binding's value is what it returns */
	bool key_set;         /* B_VALUE of `NAME[KEY] = value` / `NAME.KEY = value`: the
	                         name's value before it with KEY set (set_key; NULL
	                         when the key is not a known string: then open) */
	const char *set_key;
	struct cl_value *cache;
	bool evaluating;
};

/* A function body: names bound inside it are local to it. */
struct scope {
	uint32_t start, end;
	int parent;       /* the innermost scope containing this one, or -1 */
};

/* Node types the facts layer compares, as symbol ids resolved once per
 * language (0: the grammar has no such node): X(ID, type name, named). */
#define CL_NODE_TYPES(X) \
	X(ABSTRACT_CLASS_DECLARATION, "abstract_class_declaration", true) \
	X(ACCESSIBILITY_MODIFIER, "accessibility_modifier", true) \
	X(ALIASED_IMPORT, "aliased_import", true) \
	X(ARGUMENT_LIST, "argument_list", true) \
	X(ARGUMENTS, "arguments", true) \
	X(ARRAY_PATTERN, "array_pattern", true) \
	X(ARROW_FUNCTION, "arrow_function", true) \
	X(AS_EXPRESSION, "as_expression", true) \
	X(ASSIGNMENT, "assignment", true) \
	X(ASSIGNMENT_EXPRESSION, "assignment_expression", true) \
	X(ASSIGNMENT_PATTERN, "assignment_pattern", true) \
	X(ATTRIBUTE, "attribute", true) \
	X(AUGMENTED_ASSIGNMENT, "augmented_assignment", true) \
	X(AUGMENTED_ASSIGNMENT_EXPRESSION, "augmented_assignment_expression", true) \
	X(AWAIT, "await", true) \
	X(AWAIT_EXPRESSION, "await_expression", true) \
	X(BINARY_EXPRESSION, "binary_expression", true) \
	X(BLOCK, "block", true) \
	X(BOOLEAN_OPERATOR, "boolean_operator", true) \
	X(BREAK_STATEMENT, "break_statement", true) \
	X(CALL, "call", true) \
	X(CALL_EXPRESSION, "call_expression", true) \
	X(CATCH_CLAUSE, "catch_clause", true) \
	X(CLASS, "class", true) \
	X(CLASS_BODY, "class_body", true) \
	X(CLASS_DECLARATION, "class_declaration", true) \
	X(CLASS_DEFINITION, "class_definition", true) \
	X(COMMENT, "comment", true) \
	X(COMPARISON_OPERATOR, "comparison_operator", true) \
	X(COMPUTED_PROPERTY_NAME, "computed_property_name", true) \
	X(CONCATENATED_STRING, "concatenated_string", true) \
	X(DECORATED_DEFINITION, "decorated_definition", true) \
	X(DECORATOR, "decorator", true) \
	X(DEFAULT_PARAMETER, "default_parameter", true) \
	X(DICTIONARY_SPLAT, "dictionary_splat", true) \
	X(DICTIONARY_SPLAT_PATTERN, "dictionary_splat_pattern", true) \
	X(DO_STATEMENT, "do_statement", true) \
	X(DOTTED_NAME, "dotted_name", true) \
	X(ELIF_CLAUSE, "elif_clause", true) \
	X(EMPTY_STATEMENT, "empty_statement", true) \
	X(ESCAPE_SEQUENCE, "escape_sequence", true) \
	X(EXCEPT_CLAUSE, "except_clause", true) \
	X(EXCEPT_GROUP_CLAUSE, "except_group_clause", true) \
	X(EXPORT_CLAUSE, "export_clause", true) \
	X(EXPORT_SPECIFIER, "export_specifier", true) \
	X(EXPORT_STATEMENT, "export_statement", true) \
	X(EXPRESSION_STATEMENT, "expression_statement", true) \
	X(FLOAT, "float", true) \
	X(FOR_IN_CLAUSE, "for_in_clause", true) \
	X(FOR_IN_STATEMENT, "for_in_statement", true) \
	X(FOR_STATEMENT, "for_statement", true) \
	X(FUNCTION, "function", true) \
	X(FUNCTION_DECLARATION, "function_declaration", true) \
	X(FUNCTION_DEFINITION, "function_definition", true) \
	X(FUNCTION_EXPRESSION, "function_expression", true) \
	X(GENERATOR_EXPRESSION, "generator_expression", true) \
	X(GENERATOR_FUNCTION, "generator_function", true) \
	X(GENERATOR_FUNCTION_DECLARATION, "generator_function_declaration", true) \
	X(IDENTIFIER, "identifier", true) \
	X(IF_STATEMENT, "if_statement", true) \
	X(IMPORT_CLAUSE, "import_clause", true) \
	X(IMPORT_FROM_STATEMENT, "import_from_statement", true) \
	X(IMPORT_SPECIFIER, "import_specifier", true) \
	X(IMPORT_STATEMENT, "import_statement", true) \
	X(INTEGER, "integer", true) \
	X(INTERPOLATION, "interpolation", true) \
	X(KEYWORD_ARGUMENT, "keyword_argument", true) \
	X(LAMBDA, "lambda", true) \
	X(LEXICAL_DECLARATION, "lexical_declaration", true) \
	X(LIST_SPLAT, "list_splat", true) \
	X(LIST_SPLAT_PATTERN, "list_splat_pattern", true) \
	X(MEMBER_EXPRESSION, "member_expression", true) \
	X(METHOD_DEFINITION, "method_definition", true) \
	X(MODULE, "module", true) \
	X(NAMED_EXPRESSION, "named_expression", true) \
	X(NAMED_IMPORTS, "named_imports", true) \
	X(NAMESPACE_EXPORT, "namespace_export", true) \
	X(NAMESPACE_IMPORT, "namespace_import", true) \
	X(NEW_EXPRESSION, "new_expression", true) \
	X(NOT_OPERATOR, "not_operator", true) \
	X(NUMBER, "number", true) \
	X(OBJECT, "object", true) \
	X(OBJECT_ASSIGNMENT_PATTERN, "object_assignment_pattern", true) \
	X(OBJECT_PATTERN, "object_pattern", true) \
	X(OPTIONAL_PARAMETER, "optional_parameter", true) \
	X(PAIR, "pair", true) \
	X(PAIR_PATTERN, "pair_pattern", true) \
	X(PARENTHESIZED_EXPRESSION, "parenthesized_expression", true) \
	X(PATTERN_LIST, "pattern_list", true) \
	X(PRIVATE_PROPERTY_IDENTIFIER, "private_property_identifier", true) \
	X(PROGRAM, "program", true) \
	X(PROPERTY_IDENTIFIER, "property_identifier", true) \
	X(PUBLIC_FIELD_DEFINITION, "public_field_definition", true) \
	X(RAISE_STATEMENT, "raise_statement", true) \
	X(REQUIRED_PARAMETER, "required_parameter", true) \
	X(REST_PATTERN, "rest_pattern", true) \
	X(RETURN_STATEMENT, "return_statement", true) \
	X(SATISFIES_EXPRESSION, "satisfies_expression", true) \
	X(SHORTHAND_PROPERTY_IDENTIFIER, "shorthand_property_identifier", true) \
	X(SHORTHAND_PROPERTY_IDENTIFIER_PATTERN, "shorthand_property_identifier_pattern", true) \
	X(SPREAD_ELEMENT, "spread_element", true) \
	X(STATEMENT_BLOCK, "statement_block", true) \
	X(STRING, "string", true) \
	X(STRING_CONTENT, "string_content", true) \
	X(STRING_FRAGMENT, "string_fragment", true) \
	X(STRING_START, "string_start", true) \
	X(SUBSCRIPT, "subscript", true) \
	X(SUBSCRIPT_EXPRESSION, "subscript_expression", true) \
	X(TEMPLATE_STRING, "template_string", true) \
	X(TEMPLATE_SUBSTITUTION, "template_substitution", true) \
	X(THROW_STATEMENT, "throw_statement", true) \
	X(TRUE, "true", true) \
	X(TRY_STATEMENT, "try_statement", true) \
	X(TUPLE_PATTERN, "tuple_pattern", true) \
	X(TYPED_DEFAULT_PARAMETER, "typed_default_parameter", true) \
	X(TYPED_PARAMETER, "typed_parameter", true) \
	X(UNARY_EXPRESSION, "unary_expression", true) \
	X(UNARY_OPERATOR, "unary_operator", true) \
	X(UPDATE_EXPRESSION, "update_expression", true) \
	X(VARIABLE_DECLARATION, "variable_declaration", true) \
	X(VARIABLE_DECLARATOR, "variable_declarator", true) \
	X(WHILE_STATEMENT, "while_statement", true) \
	X(WILDCARD_IMPORT, "wildcard_import", true) \
	X(WITH_STATEMENT, "with_statement", true) \
	X(STAR, "*", false) \
	X(GET, "get", false)

enum sym {
#define CL_SYM_ENUM(id, name, named) SYM_##id,
	CL_NODE_TYPES(CL_SYM_ENUM)
#undef CL_SYM_ENUM
	NSYMS
};

struct symtab {
	TSSymbol id[NSYMS];
	uint8_t *how;      /* facts_value.c: how each node type evaluates (0: unknown) */
	uint32_t nsymbols;
};

/* Resolves the symbols of LANG into T (facts.c calls it once per language);
 * facts_symtab_finish frees it. */
void facts_symtab_init(struct symtab *t, const TSLanguage *lang);
void facts_symtab_finish(struct symtab *t);

/* A binding of instance state, by position (facts_model.c). */
struct member_ref {
	uint32_t pos;
	int idx;
};

/* One file's extraction: its source, the facts being filled, the name table
 * (bindings hashed by name, scopes sorted and linked to their parents) and
 * the nodes the query captured, alive only while the tree is. */
struct ctx {
	const struct cl_source *src;
	struct cl_file_facts *f;
	struct cl_arena *A;
	bool py;
	const struct symtab *sym; /* the language's node symbols */
	TSNode root;
	CL_VEC(struct binding) binds;
	int *buckets;
	size_t nbuckets;
	CL_VEC(struct scope) scopes;
	CL_VEC(TSNode) imports, calls, strings;
	CL_VEC(TSNode) region_nodes; /* the node of each region, parallel to f->regions */
	CL_VEC(TSNode) ref_nodes;    /* the call of each call by name, parallel to f->refs */
	CL_VEC(uint32_t) client_starts; /* span start of each client, parallel to f->clients */
	bool anthropic_sdk_import;
	bool other_llm_import;
	bool too_deep;         /* an evaluation stopped at EVAL_DEPTH: a note */
	CL_VEC(struct member_ref) members; /* instance state bindings, by position */
	bool members_indexed;
	CL_VEC(uint32_t) map_sets; /* JS: the calls (c->calls) `X.set(k, v)` (at most 256), */
	bool map_sets_indexed;     /* found on first use (facts_container_element) */
	bool exporting;        /* export_definitions is summarising the module's
	                          definitions: class values include their methods */
	bool regions_done;     /* regions and routes are known: definitions may be
	                          summarised (their values depend on routes) */
	uint64_t work;         /* analysis steps spent on this file */
	uint64_t budget;       /* steps allowed: linear in the file's size */
	size_t mem_budget;     /* bytes its arena may hold: linear in the file's size */
	const TSNode *anc;     /* the region walk's ancestors of ANC_CHILD, root first */
	size_t nanc;
	TSNode anc_child;
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
	if (c->work > c->budget || c->A->bytes > c->mem_budget)
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
size_t facts_mem_budget(size_t len);     /* arena bytes allowed for LEN bytes */
void facts_work_add(uint64_t steps);     /* into cl_facts_work_total */
bool facts_too_nested(const char *s, size_t len);
/* facts.c: the analysis that cl_facts_extract guards, and the compilation
 * of a language's query (under a lock: done before the guard is armed). */
bool facts_query_ready(enum cl_lang lang);
bool facts_extract_file(struct cl_parser *p, const struct cl_source *src, struct cl_file_facts *f,
	const char **note);

/* Small node helpers. */

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

static inline bool sym_is(const struct ctx *c, TSNode n, enum sym s)
{
	return c->sym->id[s] && !ts_node_is_null(n) && ts_node_symbol(n) == c->sym->id[s];
}

static inline bool is_class_node(const struct ctx *c, TSNode n)
{
	return sym_is(c, n, SYM_CLASS_DEFINITION) || sym_is(c, n, SYM_CLASS_DECLARATION) ||
		sym_is(c, n, SYM_CLASS) || sym_is(c, n, SYM_ABSTRACT_CLASS_DECLARATION);
}

static inline bool is_function_def_node(const struct ctx *c, TSNode n)
{
	return sym_is(c, n, SYM_FUNCTION_DEFINITION) || sym_is(c, n, SYM_FUNCTION_DECLARATION) ||
		sym_is(c, n, SYM_ARROW_FUNCTION) || sym_is(c, n, SYM_FUNCTION_EXPRESSION) ||
		sym_is(c, n, SYM_FUNCTION) || sym_is(c, n, SYM_GENERATOR_FUNCTION_DECLARATION) ||
		sym_is(c, n, SYM_GENERATOR_FUNCTION) || sym_is(c, n, SYM_METHOD_DEFINITION);
}

/* A function of any kind, lambdas included: the boundary of a body. */
static inline bool is_function_node(const struct ctx *c, TSNode n)
{
	return is_function_def_node(c, n) || sym_is(c, n, SYM_LAMBDA);
}

static inline bool is_loop_node(const struct ctx *c, TSNode n)
{
	return sym_is(c, n, SYM_FOR_STATEMENT) || sym_is(c, n, SYM_FOR_IN_STATEMENT) ||
		sym_is(c, n, SYM_WHILE_STATEMENT) || sym_is(c, n, SYM_DO_STATEMENT);
}

/* A call: Python's call, JS/TS call_expression. */
static inline bool is_call_node(const struct ctx *c, TSNode n)
{
	return sym_is(c, n, SYM_CALL) || sym_is(c, n, SYM_CALL_EXPRESSION);
}

/* A dotted access: Python's attribute, JS/TS member_expression. */
static inline bool is_member_node(const struct ctx *c, TSNode n)
{
	return sym_is(c, n, SYM_ATTRIBUTE) || sym_is(c, n, SYM_MEMBER_EXPRESSION);
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

/* facts_names.c: the name table (facts.c fills it from the query's captures) */
struct binding *facts_lookup(struct ctx *c, const char *name, uint32_t pos);
/* The binding of NAME in scope at POS and written before it (NOT aside):
 * the innermost scope's latest, or NULL. */
struct binding *facts_lookup_before(struct ctx *c, const char *name, uint32_t pos, const struct binding *not);
/* The first binding of NAME's hash chain (c->binds index, -1: none); follow
 * binding.next and compare names. */
int facts_first_named(struct ctx *c, const char *name);
const char *facts_require_module(struct ctx *c, TSNode value);
void facts_index_scopes(struct ctx *c);
void facts_index_bindings(struct ctx *c);
void facts_note_module(struct ctx *c, TSNode at, const char *module);
void facts_py_import(struct ctx *c, TSNode n);
void facts_js_import(struct ctx *c, TSNode n);
void facts_process_def(struct ctx *c, TSNode def, TSNode name);
void facts_process_bind(struct ctx *c, TSNode bind, TSNode name, TSNode value);
void facts_process_param(struct ctx *c, TSNode param, TSNode name);

/* facts_value.c */
struct cl_value *facts_eval(struct ctx *c, TSNode n, int depth);
struct cl_value *facts_binding_value(struct ctx *c, struct binding *b, TSNode n, int depth);
struct cl_value *facts_eval_identifier(struct ctx *c, TSNode n, const char *name, int depth);
/* The element a container OBJ holds, read at N (`sessions[sid]`,
 * `self.sessions.get(sid)`): the client (or model) some `OBJ[key] = value`
 * of the file stores in the same container, or NULL. */
struct cl_value *facts_container_element(struct ctx *c, TSNode obj, TSNode n, int depth);
/* The value of a key-set binding B (binding.key_set), read at N. */
struct cl_value *facts_key_set_value(struct ctx *c, struct binding *b, TSNode n, int depth);
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
void facts_ref_args_late(struct ctx *c);
void facts_extract_regions(struct ctx *c, const TSNode *calls, size_t ncalls);
/* facts_loops.c: loop shapes and guards (struct cl_loop, cl_compare), once
 * the calls are classified (bounds are evaluated like any value) */
void facts_extract_loops(struct ctx *c);
/* facts_regions.c: the class of the file a method call's receiver is an
 * instance of (cl_ref.cls), once definitions can be summarised */
void facts_ref_receivers(struct ctx *c);
/* facts_handoff.c: the refs' receiver members (recv_key) and the values
 * the file's calls hand over by name (f->handoffs). */
void facts_handoffs(struct ctx *c);

/* facts_callvalue.c: calls' values and clients */
struct cl_value *facts_eval_call(struct ctx *c, TSNode n, int depth);
struct cl_value *facts_client_value(struct ctx *c, TSNode n, int index);
struct cl_value *facts_env_value(struct ctx *c, TSNode n, const char *name, struct cl_value *deflt);

/* facts_model.c: definitions (function summaries, instance state) and alternatives */
struct cl_value *facts_function_value(struct ctx *c, TSNode fn, int depth);
struct cl_value *facts_class_value(struct ctx *c, TSNode cls, int depth);
/* What calling CALLEE (a function, a class or an import) gives at N, or NULL. */
struct cl_value *facts_call_result(struct ctx *c, TSNode n, const struct cl_value *callee);
/* An instance of the class (of the file or imported) TYPE names, or NULL. */
struct cl_value *facts_typed_instance(struct ctx *c, TSNode n, const char *type, int depth);
/* Of two alternatives, the one that says most about Claude (marked alt). */
struct cl_value *facts_prefer(struct ctx *c, struct cl_value *a, struct cl_value *b);
/* A Claude client or a Claude model (AI SDK). */
bool facts_claude_value(const struct cl_value *v);
/* What the exports keep of a function or class V (summarised in a scratch
 * arena): a copy in A when it gives or holds a client or model, else NULL. */
struct cl_value *facts_keep_definition(struct cl_arena *A, const struct cl_value *v);
/* A Claude client or model, or an import that may lead to one. */
bool facts_model_value(const struct cl_value *v);

/* facts_taint.c: request data and user input */
struct cl_value *facts_tainted(struct ctx *c, TSNode n, const char *taint);
struct cl_value *facts_comprehension_value(struct ctx *c, TSNode n, int depth);
struct cl_value *facts_taint_with(struct ctx *c, struct cl_value *v, const char *taint);
struct cl_value *facts_param_value(struct ctx *c, TSNode n, const struct binding *b);
const char *facts_request_field(struct ctx *c, TSNode obj, TSNode prop);

/* facts_strings.c: strings being built */
const char *facts_string_content(struct ctx *c, TSNode n, bool *partial);
const char *facts_string_eval(struct ctx *c, TSNode n, bool *partial, struct cl_value *into, int depth);
bool facts_string_part(struct ctx *c, struct cl_value *into, struct cl_value *v);
struct cl_value *facts_string_method(struct ctx *c, TSNode n, struct cl_value *recv, const char *m,
	struct args *a);
bool facts_name_in(const char *s, const char *const *names);

/* facts_paths.c: path values and files read from them */
struct cl_value *facts_path_value(struct ctx *c, TSNode n, const char *path, bool anchored);
const char *facts_path_join(struct ctx *c, const char *dir, const char *rel);
const char *facts_path_dir(struct ctx *c, const char *path);
struct cl_value *facts_file_contents(struct ctx *c, TSNode n, const struct cl_value *p);
bool facts_as_path(const struct cl_value *v, const char **path, bool *anchored);
struct cl_value *facts_path_join_value(struct ctx *c, TSNode n, struct cl_value *a, struct cl_value *b);

/* facts_value.c: a client of the file (kind, class name, options) */
struct cl_value *facts_register_client(struct ctx *c, TSNode n, enum cl_client_kind kind,
	const char *cls, struct cl_value *opts);

/* facts_calls.c */
void facts_process_call(struct ctx *c, TSNode n);
struct cl_call *facts_add_call(struct ctx *c, TSNode n, enum cl_call_kind kind, const char *method);

/* facts_adapters.c: the hooks for rules/adapters.json records.
 * A construction of constructor KIND "adapter:<id>" (its gate checked; the
 * arguments A already evaluated, OPTS its options object), or NULL when its
 * gate does not hold (the caller evaluates it as any other call). */
struct cl_value *facts_adapter_construction(struct ctx *c, TSNode n, const char *kind, const char *cls,
	struct args *a, struct cl_value *opts);
/* The value of a call an adapter record explains (a factory method, a
 * method returning the same client, an option class), or NULL. */
struct cl_value *facts_adapter_value(struct ctx *c, TSNode n, TSNode callee, TSNode argsn,
	const char *last, int depth);
/* Records the call N as a record's Claude call (a method of its client, a
 * function, a command) when it is one; true when the call is the record's
 * (Claude or gated out), so nothing else classifies it. */
bool facts_adapter_call(struct ctx *c, TSNode n, TSNode callee, TSNode argsn, const struct chain *ch);
void facts_process_string(struct ctx *c, TSNode n);

#endif
