/*
 * facts_value.c — evaluates expressions to values while the tree is alive:
 * literals, constants through the name table, env lookups and their
 * defaults, object/dict literals and spreads, operators, members and
 * subscripts, imports (left for project.c). Calls are facts_callvalue.c,
 * strings facts_strings.c, request data facts_taint.c.
 */
#include "model/facts_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan/secrets.h"
#include "adapters/surface.h"

void facts_object_put(struct ctx *c, struct cl_value *obj, const char *key, struct cl_value *val)
{
	for (size_t i = 0; i < obj->npairs; i++) {
		if (strcmp(obj->pairs[i].key, key) == 0) {
			obj->pairs[i].val = val;
			return;
		}
	}
	struct cl_kv *p = cl_arena_alloc(c->A, (obj->npairs + 1) * sizeof *p);
	if (obj->npairs)
		memcpy(p, obj->pairs, obj->npairs * sizeof *p);
	p[obj->npairs].key = key;
	p[obj->npairs].val = val;
	obj->pairs = p;
	obj->npairs++;
}


/* ------------------------------------------------------------------------ */
/* Symbols: what an imported name (or a member of one) is.                  */

/* Resolves an identifier or a member chain to (module, name) through the
 * file's imports, e.g. `anthropic.Anthropic` -> ("anthropic", "Anthropic"). */
bool facts_resolve_symbol(struct ctx *c, TSNode n, struct symbol *out, int depth)
{
	if (depth > EVAL_DEPTH) {
		c->too_deep = true;
		return false;
	}
	if (sym_is(c, n, SYM_IDENTIFIER)) {
		struct binding *b = facts_lookup(c, text(c, n), ts_node_start_byte(n));
		if (!b)
			return false;
		if (b->kind == B_IMPORT) {
			out->module = b->module;
			out->name = b->imported;
			return true;
		}
		if (b->kind == B_VALUE && !ts_node_is_null(b->value) && depth < 4) {
			/* `const Anthropic = require("@anthropic-ai/sdk")` */
			const char *m = facts_require_module(c, b->value);
			if (m) {
				out->module = m;
				out->name = "*";
				return true;
			}
		}
		return false;
	}
	if (is_member_node(c, n)) {
		TSNode obj = field(n, "object");
		TSNode prop = field(n, sym_is(c, n, SYM_ATTRIBUTE) ? "attribute" : "property");
		struct symbol base;
		if (ts_node_is_null(prop) || !facts_resolve_symbol(c, obj, &base, depth + 1))
			return false;
		const char *p = text(c, prop);
		if (!strcmp(base.name, "*") || !strcmp(base.name, "default")) {
			out->module = base.module;
			out->name = p;
		} else {
			out->module = cl_arena_printf(c->A, "%s%c%s", base.module, c->py ? '.' : '/', base.name);
			out->name = p;
		}
		return true;
	}
	return false;
}

/* The kind of client a construction makes, or NULL. */
const char *facts_constructor_kind(struct ctx *c, TSNode callee, const char **cls)
{
	struct symbol s;
	if (!facts_resolve_symbol(c, callee, &s, 0))
		return NULL;
	const char *name = strcmp(s.name, "*") == 0 ? "default" : s.name;
	*cls = name;
	const char *kind = cl_surface_symbol("constructors", c->py, s.module, name);
	if (kind && !strcmp(name, "default")) {
		/* `new Anthropic()` from a default import: name the class by its local name */
		*cls = text(c, callee);
	}
	return kind;
}

/* ------------------------------------------------------------------------ */
/* Arguments.                                                               */

void facts_merge_into(struct ctx *c, struct cl_value *obj, struct cl_value *from)
{
	if (from->taint && !obj->taint)
		obj->taint = from->taint; /* `...body`, `**payload` */
	if (from->kind == CL_V_OBJECT) {
		for (size_t i = 0; i < from->npairs; i++)
			facts_object_put(c, obj, from->pairs[i].key, from->pairs[i].val);
		if (from->open)
			obj->open = true;
	} else {
		obj->open = true;
	}
}

struct args facts_eval_args(struct ctx *c, TSNode argsn, int depth)
{
	struct args a = {NULL, 0, empty_object(c, argsn)};
	uint32_t k = ts_node_named_child_count(argsn);
	a.pos = cl_arena_alloc(c->A, (k + 1) * sizeof *a.pos);
	if (sym_is(c, argsn, SYM_GENERATOR_EXPRESSION)) { /* next(m for m in body["turns"]) */
		a.pos[a.npos++] = facts_eval(c, argsn, depth + 1);
		return a;
	}
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(argsn, i);
		if (sym_is(c, ch, SYM_COMMENT))
			continue;
		if (sym_is(c, ch, SYM_KEYWORD_ARGUMENT)) {
			TSNode name = field(ch, "name");
			facts_object_put(c, a.kw, text(c, name), facts_eval(c, field(ch, "value"), depth + 1));
		} else if (sym_is(c, ch, SYM_DICTIONARY_SPLAT)) {
			facts_merge_into(c, a.kw, facts_eval(c, ts_node_named_child(ch, 0), depth + 1));
		} else if (sym_is(c, ch, SYM_LIST_SPLAT) || sym_is(c, ch, SYM_SPREAD_ELEMENT)) {
			a.pos[a.npos++] = unknown(c, ch);
			a.kw->open = true;
		} else {
			a.pos[a.npos++] = facts_eval(c, ch, depth + 1);
		}
	}
	return a;
}

/* The first positional argument, or the keyword KW. */
struct cl_value *facts_arg(struct ctx *c, struct args *a, size_t i, const char *kw)
{
	if (kw) {
		struct cl_value *v = cl_value_get(a->kw, kw);
		if (v)
			return v;
	}
	if (i < a->npos)
		return a->pos[i];
	return unknown(c, (TSNode){0});
}

struct cl_value *facts_as_object(struct ctx *c, struct cl_value *v)
{
	if (v && v->kind == CL_V_OBJECT)
		return v;
	struct cl_value *o = empty_object(c, (TSNode){0});
	if (v) {
		o->span = v->span;
		o->taint = v->taint; /* `body: JSON.stringify(await req.json())` */
	}
	o->open = true;
	return o;
}

/* Positional argument I as an options object: an object literal as it is,
 * an absent argument as an empty object with nothing more to come, anything
 * else as an open object (it may hold any key). */
struct cl_value *facts_object_arg(struct ctx *c, struct args *a, size_t i)
{
	if (i >= a->npos)
		return empty_object(c, (TSNode){0});
	return facts_as_object(c, a->pos[i]);
}

/* ------------------------------------------------------------------------ */
/* Evaluation.                                                              */

struct cl_value *facts_env_value(struct ctx *c, TSNode n, const char *name, struct cl_value *deflt)
{
	struct cl_value *v = cl_arena_alloc(c->A, sizeof *v);
	if (deflt)
		*v = *deflt;
	else {
		v->kind = CL_V_UNKNOWN;
		v->client = -1;
		v->span = span_of(n);
	}
	v->env = name;
	v->env_browser = cl_secrets_browser_env_name(name, strlen(name));
	return v;
}

/* `process.env.X`, `import.meta.env.X`, `process.env["X"]`: the name, or NULL. */
const char *facts_js_env_name(struct ctx *c, TSNode n)
{
	TSNode obj, prop;
	if (sym_is(c, n, SYM_MEMBER_EXPRESSION)) {
		obj = field(n, "object");
		prop = field(n, "property");
	} else if (sym_is(c, n, SYM_SUBSCRIPT_EXPRESSION)) {
		obj = field(n, "object");
		prop = field(n, "index");
	} else {
		return NULL;
	}
	if (ts_node_is_null(obj) || ts_node_is_null(prop))
		return NULL;
	if (!text_eq(c, obj, "process.env") && !text_eq(c, obj, "import.meta.env") &&
	    !text_eq(c, obj, "Deno.env"))
		return NULL;
	if (sym_is(c, prop, SYM_STRING)) {
		bool partial = false;
		return facts_string_content(c, prop, &partial);
	}
	return text(c, prop);
}

bool facts_callee_is(struct ctx *c, TSNode callee, const char *const *names)
{
	for (; *names; names++)
		if (text_eq(c, callee, *names))
			return true;
	return false;
}

static double parse_number(const char *s)
{
	char buf[64];
	size_t n = 0;
	for (; *s && n + 1 < sizeof buf; s++)
		if (*s != '_' && *s != 'n' && *s != 'j' && *s != 'J' && *s != 'l' && *s != 'L')
			buf[n++] = *s;
	buf[n] = 0;
	if (n > 2 && buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
		return (double)strtoull(buf + 2, NULL, 8);
	if (n > 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		return (double)strtoull(buf + 2, NULL, 2);
	return strtod(buf, NULL);
}


/* ------------------------------------------------------------------------ */
/* Operators.                                                               */

static struct cl_value *eval_binary(struct ctx *c, TSNode n, int depth)
{
	TSNode l = field(n, "left"), r = field(n, "right"), op = field(n, "operator");
	if (ts_node_is_null(l) || ts_node_is_null(r))
		return unknown(c, n);
	const char *o = ts_node_is_null(op) ? "" : text(c, op);
	if (sym_is(c, n, SYM_BOOLEAN_OPERATOR))
		o = text_eq(c, op, "or") ? "||" : "&&";
	struct cl_value *a = facts_eval(c, l, depth + 1);
	if (!strcmp(o, "??") || !strcmp(o, "||")) {
		if (a->kind == CL_V_UNKNOWN || a->kind == CL_V_NULL || a->env) {
			if (a->kind != CL_V_UNKNOWN && a->kind != CL_V_NULL)
				return a;
			struct cl_value *b = facts_eval(c, r, depth + 1);
			/* `req.body.system || DEFAULT`: whoever sends the request chooses */
			return facts_taint_with(c, a->env ? facts_env_value(c, n, a->env, b) : b, a->taint);
		}
		return a;
	}
	struct cl_value *b = facts_eval(c, r, depth + 1);
	return facts_taint_with(c, facts_binary_value(c, n, o, a, b), a->taint ? a->taint : b->taint);
}


static struct cl_value *eval_object(struct ctx *c, TSNode n, int depth)
{
	struct cl_value *obj = empty_object(c, n);
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (sym_is(c, ch, SYM_PAIR)) {
			TSNode key = field(ch, "key"), val = field(ch, "value");
			const char *ks;
			if (sym_is(c, key, SYM_STRING)) {
				bool partial = false;
				ks = facts_string_content(c, key, &partial);
			} else if (sym_is(c, key, SYM_COMPUTED_PROPERTY_NAME)) {
				obj->open = true;
				continue;
			} else {
				ks = text(c, key);
			}
			facts_object_put(c, obj, ks, facts_eval(c, val, depth + 1));
		} else if (sym_is(c, ch, SYM_SHORTHAND_PROPERTY_IDENTIFIER)) {
			/* { timeout } is { timeout: timeout } */
			const char *name = text(c, ch);
			facts_object_put(c, obj, name, facts_eval_identifier(c, ch, name, depth + 1));
		} else if (sym_is(c, ch, SYM_SPREAD_ELEMENT) || sym_is(c, ch, SYM_DICTIONARY_SPLAT)) {
			facts_merge_into(c, obj, facts_eval(c, ts_node_named_child(ch, 0), depth + 1));
		} else if (sym_is(c, ch, SYM_METHOD_DEFINITION)) {
			TSNode name = field(ch, "name");
			if (!ts_node_is_null(name))
				facts_object_put(c, obj, text(c, name), unknown(c, ch));
		} else if (!sym_is(c, ch, SYM_COMMENT)) {
			obj->open = true;
		}
	}
	return obj;
}

/* A scalar read through a name is reported where the name is used (the
 * argument line), not where the constant is defined. */
static struct cl_value *at_use(struct ctx *c, struct cl_value *v, TSNode n)
{
	bool call_result = v->kind == CL_V_IMPORT && strchr(v->name, '('); /* as an unknown result was */
	if (v->kind != CL_V_STRING && v->kind != CL_V_NUMBER && v->kind != CL_V_BOOL &&
	    v->kind != CL_V_NULL && v->kind != CL_V_SIGNAL && v->kind != CL_V_UNKNOWN && !call_result)
		return v;
	struct cl_value *copy = cl_arena_alloc(c->A, sizeof *copy);
	*copy = *v;
	copy->span = span_of(n);
	return copy;
}

/* The value binding B holds, read at node N: a value binding is evaluated
 * once and cached (a binding being evaluated reads as unknown, which breaks
 * cycles); an import is an IMPORT value for project.c to resolve; a parameter
 * is a client when its type names one. */
struct cl_value *facts_binding_value(struct ctx *c, struct binding *b, TSNode n, int depth)
{
	switch (b->kind) {
	case B_IMPORT: {
		struct cl_value *v = new_value(c, CL_V_IMPORT, n);
		v->module = b->module;
		v->name = b->imported;
		v->from_file = c->f->path;
		if (cl_surface_symbol("request_globals", c->py, b->module, b->imported))
			v->taint = cl_arena_printf(c->A, "%s (%s)", b->name, b->module);
		return v;
	}
	case B_PARAM:
		if (facts_type_names_client(b->type))
			return facts_client_value(c, n, -1);
		{
			struct cl_value *pv = facts_param_value(c, n, b);
			struct cl_value *inst = pv->taint ? NULL : facts_typed_instance(c, n, b->type, depth);
			return inst ? inst : pv;
		}
	case B_VALUE:
		break;
	}
	if (b->key_set || b->append)
		return facts_update_value(c, b, n, depth);
	if (b->member) {
		/* one name of a destructuring pattern */
		if (b->evaluating || depth > EVAL_DEPTH)
			return unknown(c, n);
		b->evaluating = true;
		struct cl_value *whole = facts_eval(c, b->value, depth + 1);
		b->evaluating = false;
		struct cl_value *v = *b->member ? cl_value_get(whole, b->member) : NULL;
		if (!v && *b->member) /* `const { abortSignal } = options`, options a parameter */
			v = facts_param_derived(c, n, whole, b->member);
		return v ? at_use(c, v, n) : facts_tainted(c, n, whole->taint);
	}
	if (b->cache)
		return at_use(c, b->cache, n);
	if (depth > EVAL_DEPTH)
		c->too_deep = true;
	if (b->evaluating || ts_node_is_null(b->value) || depth > EVAL_DEPTH)
		return unknown(c, n);
	const char *m = facts_require_module(c, b->value);
	if (m) {
		struct cl_value *v = new_value(c, CL_V_IMPORT, n);
		v->module = m;
		v->name = "*";
		v->from_file = c->f->path;
		return v;
	}
	b->evaluating = true;
	struct cl_value *v = facts_eval(c, b->value, depth + 1);
	b->evaluating = false;
	if (b->property && v->kind == CL_V_FUNCTION)
		v = v->ret ? v->ret : unknown(c, n);
	if (c->regions_done || !(is_function_def_node(c, b->value) || is_class_node(c, b->value)))
		b->cache = v;
	return at_use(c, v, n);
}

struct cl_value *facts_eval_identifier(struct ctx *c, TSNode n, const char *name, int depth)
{
	if (!strcmp(name, "undefined"))
		return new_value(c, CL_V_NULL, n);
	if (!strcmp(name, "Infinity")) {
		struct cl_value *v = new_value(c, CL_V_NUMBER, n);
		v->num = INFINITY;
		return v;
	}
	struct binding *b = facts_lookup(c, name, ts_node_start_byte(n));
	if (b)
		return facts_binding_value(c, b, n, depth);
	if (c->py ? !strcmp(name, "__file__") : !strcmp(name, "__filename"))
		return facts_path_value(c, n, c->f->path, true);
	if (!c->py && !strcmp(name, "__dirname"))
		return facts_path_value(c, n, facts_path_dir(c, c->f->path), true);
	return unknown(c, n);
}

/* How each node type evaluates, in one sorted table (both grammars). */
enum how {
	H_UNWRAP, H_UNWRAP_LAST, H_BINARY, H_CALL, H_OBJECT, H_FALSE, H_TRUE, H_NULL,
	H_IDENTIFIER, H_NUMBER, H_STRING, H_LIST, H_MEMBER, H_SUBSCRIPT, H_UNARY, H_CONDITIONAL,
	H_FUNCTION, H_CLASS, H_ASSIGN, H_COMPREHENSION,
};

static const struct node_how {
	const char *type;
	enum how how;
} node_hows[] = {
	{"abstract_class_declaration", H_CLASS},
	{"array", H_LIST},
	{"arrow_function", H_FUNCTION},
	{"as_expression", H_UNWRAP},
	{"assignment_expression", H_ASSIGN},
	{"attribute", H_MEMBER},
	{"augmented_assignment_expression", H_ASSIGN},
	{"await", H_UNWRAP},
	{"await_expression", H_UNWRAP},
	{"binary_expression", H_BINARY},
	{"binary_operator", H_BINARY},
	{"boolean_operator", H_BINARY},
	{"call", H_CALL},
	{"call_expression", H_CALL},
	{"class", H_CLASS},
	{"class_declaration", H_CLASS},
	{"class_definition", H_CLASS},
	{"concatenated_string", H_STRING},
	{"conditional_expression", H_CONDITIONAL},
	{"dictionary", H_OBJECT},
	{"dictionary_comprehension", H_COMPREHENSION},
	{"expression_statement", H_UNWRAP},
	{"false", H_FALSE},
	{"float", H_NUMBER},
	{"function_declaration", H_FUNCTION},
	{"function_definition", H_FUNCTION},
	{"function_expression", H_FUNCTION},
	{"generator_expression", H_COMPREHENSION},
	{"generator_function", H_FUNCTION},
	{"generator_function_declaration", H_FUNCTION},
	{"identifier", H_IDENTIFIER},
	{"integer", H_NUMBER},
	{"list", H_LIST},
	{"list_comprehension", H_COMPREHENSION},
	{"list_splat", H_LIST},
	{"member_expression", H_MEMBER},
	{"method_definition", H_FUNCTION},
	{"named_expression", H_ASSIGN},
	{"new_expression", H_CALL},
	{"non_null_expression", H_UNWRAP},
	{"none", H_NULL},
	{"null", H_NULL},
	{"number", H_NUMBER},
	{"object", H_OBJECT},
	{"parenthesized_expression", H_UNWRAP},
	{"satisfies_expression", H_UNWRAP},
	{"set_comprehension", H_COMPREHENSION},
	{"string", H_STRING},
	{"subscript", H_SUBSCRIPT},
	{"subscript_expression", H_SUBSCRIPT},
	{"template_string", H_STRING},
	{"ternary_expression", H_CONDITIONAL},
	{"true", H_TRUE},
	{"type_assertion", H_UNWRAP_LAST},
	{"unary_expression", H_UNARY},
	{"unary_operator", H_UNARY},
};

void facts_symtab_init(struct symtab *t, const TSLanguage *lang)
{
	static const struct {
		const char *name;
		bool named;
	} types[NSYMS] = {
#define CL_SYM_NAME(id, name, named) {name, named},
		CL_NODE_TYPES(CL_SYM_NAME)
#undef CL_SYM_NAME
	};
	memset(t, 0, sizeof *t);
	for (int i = 0; i < NSYMS; i++)
		t->id[i] = ts_language_symbol_for_name(lang, types[i].name, (uint32_t)strlen(types[i].name),
						       types[i].named);
	t->nsymbols = ts_language_symbol_count(lang);
	t->how = xcalloc(t->nsymbols ? t->nsymbols : 1, 1);
	/* every symbol of each name (a grammar may give one name several ids) */
	for (uint32_t sym = 0; sym < t->nsymbols; sym++) {
		const char *name = ts_language_symbol_name(lang, (TSSymbol)sym);
		if (!name || ts_language_symbol_type(lang, (TSSymbol)sym) != TSSymbolTypeRegular)
			continue;
		for (size_t k = 0; k < sizeof node_hows / sizeof *node_hows; k++)
			if (!strcmp(name, node_hows[k].type))
				t->how[sym] = (uint8_t)(node_hows[k].how + 1);
	}
}

void facts_symtab_finish(struct symtab *t)
{
	free(t->how);
	memset(t, 0, sizeof *t);
}

static struct cl_value *eval_unary(struct ctx *c, TSNode n, int depth)
{
	TSNode arg = field(n, "argument");
	if (ts_node_is_null(arg))
		arg = field(n, "operand");
	struct cl_value *a = facts_eval(c, arg, depth + 1);
	TSNode op = field(n, "operator");
	if (a->kind == CL_V_NUMBER && !ts_node_is_null(op) && text_eq(c, op, "-")) {
		struct cl_value *v = new_value(c, CL_V_NUMBER, n);
		v->num = -a->num;
		return v;
	}
	if (a->kind == CL_V_NUMBER && !ts_node_is_null(op) && text_eq(c, op, "+"))
		return a;
	return unknown(c, n);
}

/* A member of an imported name: `config.MODEL` of `import * as config`
 * is the export MODEL; `PERSONAS["formal"]` is "PERSONAS.formal", resolved by
 * project.c. */
static struct cl_value *import_member(struct ctx *c, TSNode n, struct cl_value *o, const char *key)
{
	struct cl_value *v = new_value(c, CL_V_IMPORT, n);
	v->module = o->module;
	v->name = !strcmp(o->name, "*") ? key : cl_arena_printf(c->A, "%s.%s", o->name, key);
	v->from_file = o->from_file;
	v->taint = o->taint;
	return v;
}

static bool empty_value(const struct cl_value *v)
{
	return v->kind == CL_V_NULL || (v->kind == CL_V_ARRAY && !v->nitems) ||
		(v->kind == CL_V_STRING && !v->len && !v->open) || (v->kind == CL_V_BOOL && !v->b);
}

/* `a if c else b`, `c ? a : b`: the branch that is not empty (`system_prompt
 * if system_prompt else []`), otherwise unknown; request data in either
 * branch taints the result. */
static struct cl_value *eval_conditional(struct ctx *c, TSNode n, int depth)
{
	TSNode a = c->py ? ts_node_named_child(n, 0) : field(n, "consequence");
	TSNode b = c->py ? ts_node_named_child(n, 2) : field(n, "alternative");
	struct cl_value *va = facts_eval(c, a, depth + 1), *vb = facts_eval(c, b, depth + 1);
	const char *taint = va->taint ? va->taint : vb->taint;
	if (facts_claude_value(va) || facts_claude_value(vb))
		return facts_taint_with(c, facts_prefer(c, va, vb), taint);
	/* `isFirst ? systemPrompt : undefined` (TS parses `undefined` as a node of its own) */
	if (empty_value(vb) || (!c->py && text_eq(c, b, "undefined")))
		return facts_taint_with(c, va, taint);
	if (empty_value(va) || (!c->py && text_eq(c, a, "undefined")))
		return facts_taint_with(c, vb, taint);
	return facts_tainted(c, n, taint);
}

struct cl_value *facts_eval(struct ctx *c, TSNode n, int depth)
{
	if (depth > EVAL_DEPTH)
		c->too_deep = true;
	if (ts_node_is_null(n) || depth > EVAL_DEPTH || !facts_spend(c, 1))
		return unknown(c, n);
	TSSymbol sym = ts_node_symbol(n);
	if (sym >= c->sym->nsymbols || !c->sym->how[sym])
		return unknown(c, n);
	enum how how = (enum how)(c->sym->how[sym] - 1);
	switch (how) {
	case H_UNWRAP:
		return facts_eval(c, ts_node_named_child(n, 0), depth + 1);
	case H_UNWRAP_LAST:
		return facts_eval(c, ts_node_named_child(n, ts_node_named_child_count(n) - 1), depth + 1);
	case H_BINARY:
		return eval_binary(c, n, depth);
	case H_CALL:
		return facts_eval_call(c, n, depth);
	case H_OBJECT:
		return eval_object(c, n, depth);
	case H_FALSE:
	case H_TRUE: {
		struct cl_value *v = new_value(c, CL_V_BOOL, n);
		v->b = how == H_TRUE;
		return v;
	}
	case H_NULL:
		return new_value(c, CL_V_NULL, n);
	case H_IDENTIFIER:
		return facts_eval_identifier(c, n, text(c, n), depth);
	case H_UNARY:
		return eval_unary(c, n, depth);
	case H_CONDITIONAL:
		return eval_conditional(c, n, depth);
	case H_FUNCTION:
		return facts_function_value(c, n, depth);
	case H_COMPREHENSION:
		return facts_comprehension_value(c, n, depth);
	case H_ASSIGN: {
		/* `(client = new Anthropic())`, `client ??= …`, `(x := …)`: the value assigned */
		TSNode op = field(n, "operator");
		if (!ts_node_is_null(op) && !text_eq(c, op, "?\?=") && !text_eq(c, op, "||="))
			return unknown(c, n);
		return facts_eval(c, field(n, c->py ? "value" : "right"), depth + 1);
	}
	case H_CLASS:
		return facts_class_value(c, n, depth);
	case H_NUMBER:
		goto number;
	case H_STRING:
		goto string;
	case H_LIST:
		goto list;
	case H_MEMBER:
		goto member;
	case H_SUBSCRIPT:
		goto subscript;
	}
	return unknown(c, n);

number: {
	struct cl_value *v = new_value(c, CL_V_NUMBER, n);
	v->num = parse_number(text(c, n));
	return v;
}
string: {
	bool partial = false;
	struct cl_value *v = new_value(c, CL_V_STRING, n);
	v->str = facts_string_eval(c, n, &partial, v, depth);
	v->len = strlen(v->str);
	v->open = partial || v->nitems;
	v->open_imports = !partial && v->nitems;
	return v;
}
list: {
	struct cl_value *v = new_value(c, CL_V_ARRAY, n);
	uint32_t k = ts_node_named_child_count(n);
	v->items = cl_arena_alloc(c->A, (k + 1) * sizeof *v->items);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (sym_is(c, ch, SYM_COMMENT))
			continue;
		bool spread = sym_is(c, ch, SYM_SPREAD_ELEMENT);
		struct cl_value *item = facts_eval(c, spread ? ts_node_named_child(ch, 0) : ch, depth + 1);
		if (spread && item->taint && !v->taint)
			v->taint = item->taint; /* `[...body.messages]` */
		v->items[v->nitems++] = spread ? unknown(c, ch) : item;
	}
	return v;
}
member: {
	const char *env = c->py ? NULL : facts_js_env_name(c, n);
	if (env)
		return facts_env_value(c, n, env, NULL);
	const char *full = text(c, n);
	if (!strncmp(full, "self.", 5) || !strncmp(full, "this.", 5)) {
		struct binding *b = facts_lookup(c, full, ts_node_start_byte(n));
		if (b)
			return facts_binding_value(c, b, n, depth);
		/* `this.service.client`: a member of instance state */
		if (!strchr(full + 5, '.'))
			return unknown(c, n);
	}
	TSNode obj = field(n, "object");
	TSNode prop = field(n, c->py ? "attribute" : "property");
	if (!c->py && text_eq(c, obj, "import.meta") && !ts_node_is_null(prop)) {
		if (text_eq(c, prop, "url") || text_eq(c, prop, "filename"))
			return facts_path_value(c, n, c->f->path, true);
		if (text_eq(c, prop, "dirname"))
			return facts_path_value(c, n, facts_path_dir(c, c->f->path), true);
	}
	const char *req = facts_request_field(c, obj, prop);
	if (req)
		return facts_tainted(c, n, req);
	struct cl_value *o = facts_eval(c, obj, depth + 1);
	if (o->kind == CL_V_OBJECT && !ts_node_is_null(prop)) {
		struct cl_value *v = cl_value_get(o, text(c, prop));
		if (v)
			return v;
	}
	if (o->kind == CL_V_PATH && text_eq(c, prop, "parent"))
		return facts_path_value(c, n, o->b ? facts_path_dir(c, o->str) : facts_path_join(c, o->str, ".."), o->b);
	if (o->taint)
		return facts_tainted(c, n, o->taint);
	if (o->kind == CL_V_IMPORT && !ts_node_is_null(prop))
		return import_member(c, n, o, text(c, prop));
	struct cl_value *d = facts_param_derived(c, n, o, ts_node_is_null(prop) ? NULL : text(c, prop));
	return d ? d : unknown(c, n);
}
subscript: {
	TSNode obj = field(n, c->py ? "value" : "object");
	TSNode idx = c->py ? field(n, "subscript") : field(n, "index");
	if (ts_node_is_null(obj) || ts_node_is_null(idx))
		return unknown(c, n);
	if (c->py && (text_eq(c, obj, "os.environ") || text_eq(c, obj, "environ")) && sym_is(c, idx, SYM_STRING)) {
		bool partial = false;
		return facts_env_value(c, n, facts_string_content(c, idx, &partial), NULL);
	}
	const char *env = c->py ? NULL : facts_js_env_name(c, n);
	if (env)
		return facts_env_value(c, n, env, NULL);
	struct cl_value *o = facts_eval(c, obj, depth + 1);
	struct cl_value *k = facts_eval(c, idx, depth + 1);
	if (o->kind == CL_V_OBJECT && k->kind == CL_V_STRING) {
		struct cl_value *v = cl_value_get(o, k->str);
		if (v)
			return v;
	}
	if (o->kind == CL_V_IMPORT && k->kind == CL_V_STRING && !k->open && !strchr(k->str, '.'))
		return import_member(c, n, o, k->str);
	struct cl_value *e = facts_container_element(c, obj, n, depth);
	if (!e)
		e = facts_param_derived(c, n, o, k->kind == CL_V_STRING && !k->open ? k->str : NULL);
	return e ? e : facts_tainted(c, n, o->taint);
}
}

void facts_callee_chain(struct ctx *c, TSNode callee, struct chain *ch)
{
	ch->n = 0;
	TSNode n = callee;
	for (int hops = 0;; hops++) {
		while (ch->n < 8 && (is_member_node(c, n))) {
			TSNode prop = field(n, c->py ? "attribute" : "property");
			TSNode obj = field(n, "object");
			if (ts_node_is_null(prop) || ts_node_is_null(obj))
				return;
			ch->props[ch->n] = text(c, prop);
			ch->objs[ch->n] = obj;
			ch->n++;
			n = obj;
		}
		/* `messages = client.beta.messages; messages.stream(...)`: the chain
		 * goes on through a name bound to a member expression */
		if (hops == 2 || ch->n == 0 || !sym_is(c, n, SYM_IDENTIFIER))
			return;
		struct binding *b = facts_lookup(c, text(c, n), ts_node_start_byte(n));
		if (!b || b->kind != B_VALUE || ts_node_is_null(b->value) ||
		    !(is_member_node(c, b->value)))
			return;
		n = b->value;
	}
}

const char *facts_last_prop(struct ctx *c, TSNode callee)
{
	if (sym_is(c, callee, SYM_ATTRIBUTE))
		return text(c, field(callee, "attribute"));
	if (sym_is(c, callee, SYM_MEMBER_EXPRESSION))
		return text(c, field(callee, "property"));
	if (sym_is(c, callee, SYM_IDENTIFIER))
		return text(c, callee);
	return "";
}
