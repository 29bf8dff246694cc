/*
 * facts_model.c — the semantic model's values for definitions, within one
 * file: a function's summary (what it returns, in terms of the values it
 * builds; the Claude alternative when it returns several), a class's
 * instance state (`self.x = …` in any method, `this.x`, fields, constructor
 * parameter properties), and what calling either gives. A name bound to an
 * import gives an IMPORT value naming the call ("build_client()"), which
 * project.c resolves through the other file's summary.
 *
 * Definitions are bound by name in the name table (facts.c), so a summary is
 * computed once, when the name is first read, and cached with the binding;
 * a definition being summarised reads as unknown (recursion ends there).
 */
#include "model/facts_internal.h"

#include <stdlib.h>
#include <string.h>

/* How much a value says about Claude, for choosing among alternatives. */
static int rank(const struct cl_value *v)
{
	switch (v->kind) {
	case CL_V_CLIENT:
		return 6;
	case CL_V_AI_MODEL:
		return 5;
	case CL_V_IMPORT:
		return 4;
	case CL_V_FUNCTION:
	case CL_V_CLASS:
		return 3;
	case CL_V_NULL:
		return 1;
	case CL_V_UNKNOWN:
		return v->taint ? 2 : 0;
	default:
		return 2;
	}
}

struct cl_value *facts_prefer(struct ctx *c, struct cl_value *a, struct cl_value *b)
{
	if (!a || !b)
		return a ? a : b;
	struct cl_value *best = rank(b) > rank(a) ? b : a;
	struct cl_value *other = best == a ? b : a;
	if (rank(best) < 4 || rank(other) < 2 || best->alt)
		return best;
	struct cl_value *v = cl_arena_alloc(c->A, sizeof *v);
	*v = *best;
	v->alt = true;
	return v;
}

bool facts_claude_value(const struct cl_value *v)
{
	return v && rank(v) >= 5;
}

bool facts_model_value(const struct cl_value *v)
{
	return v && rank(v) >= 4;
}

/* The return statements of function FN, not of the functions nested in it
 * (at most CAP; a walk of FN's subtree, once per function). */
static size_t returns_of(const struct ctx *c, TSNode fn, TSNode *out, size_t cap)
{
	size_t n = 0;
	TSTreeCursor cur = ts_tree_cursor_new(fn);
	bool down = ts_tree_cursor_goto_first_child(&cur);
	while (down && n < cap) {
		TSNode node = ts_tree_cursor_current_node(&cur);
		bool nested = is_function_node(c, node) || is_class_node(c, node);
		if (sym_is(c, node, SYM_RETURN_STATEMENT))
			out[n++] = node;
		else if (!nested && ts_tree_cursor_goto_first_child(&cur))
			continue;
		while (!ts_tree_cursor_goto_next_sibling(&cur)) {
			if (!ts_tree_cursor_goto_parent(&cur) || ts_node_eq(ts_tree_cursor_current_node(&cur), fn)) {
				down = false;
				break;
			}
		}
	}
	ts_tree_cursor_delete(&cur);
	return n;
}

struct cl_value *facts_function_value(struct ctx *c, TSNode fn, int depth)
{
	if (!c->regions_done)
		return unknown(c, fn); /* not before routes are known (request data) */
	struct cl_value *v = new_value(c, CL_V_FUNCTION, fn);
	TSNode name = field(fn, "name");
	v->name = ts_node_is_null(name) ? "" : text(c, name);
	TSNode body = field(fn, "body");
	if (ts_node_is_null(body) || depth > EVAL_DEPTH - 4) {
		v->ret = unknown(c, fn);
		return v;
	}
	if (!sym_is(c, body, SYM_BLOCK) && !sym_is(c, body, SYM_STATEMENT_BLOCK)) {
		v->ret = facts_eval(c, body, depth + 1); /* () => expression */
		return v;
	}
	TSNode rets[32];
	size_t n = returns_of(c, body, rets, 32);
	for (size_t i = 0; i < n; i++) {
		TSNode e = ts_node_named_child(rets[i], 0);
		struct cl_value *r = ts_node_is_null(e) ? new_value(c, CL_V_NULL, rets[i]) : facts_eval(c, e, depth + 1);
		v->ret = facts_prefer(c, v->ret, r);
	}
	if (!v->ret)
		v->ret = unknown(c, fn);
	return v;
}

/* The bindings of instance state (`self.x`, `this.x`), sorted by position,
 * computed on first use. */
static int by_pos(const void *a, const void *b)
{
	const struct member_ref *x = a, *y = b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static void index_members(struct ctx *c)
{
	if (c->members_indexed)
		return;
	c->members_indexed = true;
	for (size_t i = 0; i < c->binds.n; i++) {
		const char *nm = c->binds.v[i].name;
		struct member_ref m = {c->binds.v[i].pos, (int)i};
		if (!strncmp(nm, "self.", 5) || !strncmp(nm, "this.", 5))
			cl_vec_push(&c->members, m);
	}
	if (c->members.n)
		qsort(c->members.v, c->members.n, sizeof *c->members.v, by_pos);
}

struct cl_value *facts_class_value(struct ctx *c, TSNode cls, int depth)
{
	if (!c->regions_done)
		return unknown(c, cls);
	struct cl_value *v = new_value(c, CL_V_CLASS, cls);
	TSNode name = field(cls, "name");
	v->name = ts_node_is_null(name) ? "" : text(c, name);
	index_members(c);
	uint32_t s = ts_node_start_byte(cls), e = ts_node_end_byte(cls);
	size_t lo = 0, hi = c->members.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->members.v[mid].pos < s)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < c->members.n; i++) {
		struct binding *b = &c->binds.v[c->members.v[i].idx];
		if (b->pos >= e)
			break;
		if (b->scope_start != s || b->scope_end != e)
			continue; /* a nested class's */
		if (!c->exporting && is_function_def_node(c, b->value) && !b->property)
			continue; /* methods matter to other files only (this file reads self.f) */
		const char *key = b->name + 5;
		if (strchr(key, '.'))
			continue;
		struct cl_value *val = facts_binding_value(c, b, b->value, depth + 1);
		struct cl_value *old = NULL;
		for (size_t k = 0; k < v->npairs; k++)
			if (!strcmp(v->pairs[k].key, key))
				old = v->pairs[k].val;
		facts_object_put(c, v, key, facts_prefer(c, old, val));
	}
	return v;
}

/* An instance of class value CLS, at N. */
static struct cl_value *instance(struct ctx *c, TSNode n, const struct cl_value *cls)
{
	struct cl_value *o = empty_object(c, n);
	o->name = cls->name; /* an instance of this class */
	for (size_t i = 0; i < cls->npairs; i++)
		facts_object_put(c, o, cls->pairs[i].key, cls->pairs[i].val);
	return o;
}

struct cl_value *facts_call_result(struct ctx *c, TSNode n, const struct cl_value *callee)
{
	switch (callee->kind) {
	case CL_V_FUNCTION: {
		if (!callee->ret || callee->ret->kind == CL_V_UNKNOWN)
			return NULL;
		struct cl_value *v = cl_arena_alloc(c->A, sizeof *v);
		*v = *callee->ret;
		v->span = span_of(n);
		return v;
	}
	case CL_V_CLASS:
		return instance(c, n, callee);
	case CL_V_IMPORT: {
		/* calling a whole module is calling what it exports as its default
		 * (`const Bot = require('./bot'); new Bot()`) */
		const char *name = strcmp(callee->name, "*") ? callee->name : "default";
		struct cl_value *v = new_value(c, CL_V_IMPORT, n);
		v->module = callee->module;
		v->name = cl_arena_printf(c->A, "%s()", name);
		v->from_file = callee->from_file;
		return v;
	}
	default:
		return NULL;
	}
}

struct cl_value *facts_typed_instance(struct ctx *c, TSNode n, const char *type, int depth)
{
	if (!type)
		return NULL;
	while (*type == ':' || *type == ' ')
		type++;
	size_t len = strlen(type);
	if (!len || len > 64)
		return NULL;
	for (size_t i = 0; i < len; i++)
		if (!(type[i] == '_' || (type[i] >= 'a' && type[i] <= 'z') || (type[i] >= 'A' && type[i] <= 'Z') ||
		      (i && type[i] >= '0' && type[i] <= '9')))
			return NULL;
	struct binding *b = facts_lookup(c, type, ts_node_start_byte(n));
	if (!b || (b->kind != B_IMPORT && !(b->kind == B_VALUE && is_class_node(c, b->value))))
		return NULL;
	struct cl_value *cls = facts_binding_value(c, b, n, depth + 1);
	return cls->kind == CL_V_CLASS || cls->kind == CL_V_IMPORT ? facts_call_result(c, n, cls) : NULL;
}

/* V copied into arena A with everything it points to (strings, members, a
 * function's summary), DEPTH levels deep at most. */
static const char *keep_str(struct cl_arena *A, const char *s)
{
	return s ? cl_arena_strdup(A, s) : NULL;
}

static struct cl_value *keep(struct cl_arena *A, const struct cl_value *v, int depth)
{
	struct cl_value *k = cl_arena_alloc(A, sizeof *k);
	*k = *v;
	if (depth > 8) {
		memset(k, 0, sizeof *k);
		k->kind = CL_V_UNKNOWN;
		k->client = -1;
		k->span = v->span;
		return k;
	}
	k->str = v->str ? cl_arena_strndup(A, v->str, v->len) : NULL;
	k->module = keep_str(A, v->module);
	k->name = keep_str(A, v->name);
	k->from_file = keep_str(A, v->from_file);
	k->env = keep_str(A, v->env);
	k->file = keep_str(A, v->file);
	k->param = keep_str(A, v->param);
	k->param_fn = keep_str(A, v->param_fn);
	k->param_member = keep_str(A, v->param_member);
	k->taint = keep_str(A, v->taint);
	k->ret = v->ret ? keep(A, v->ret, depth + 1) : NULL;
	if (v->npairs) {
		k->pairs = cl_arena_alloc(A, v->npairs * sizeof *k->pairs);
		for (size_t i = 0; i < v->npairs; i++) {
			k->pairs[i].key = cl_arena_strdup(A, v->pairs[i].key);
			k->pairs[i].val = keep(A, v->pairs[i].val, depth + 1);
		}
	}
	if (v->nitems) {
		k->items = cl_arena_alloc(A, v->nitems * sizeof *k->items);
		for (size_t i = 0; i < v->nitems; i++)
			k->items[i] = keep(A, v->items[i], depth + 1);
	}
	return k;
}

struct cl_value *facts_keep_definition(struct cl_arena *A, const struct cl_value *v)
{
	if (v->kind == CL_V_FUNCTION)
		return v->ret && facts_model_value(v->ret) ? keep(A, v, 0) : NULL;
	if (v->kind != CL_V_CLASS)
		return NULL;
	struct cl_value shell = *v;
	shell.npairs = 0;
	struct cl_kv *pairs = v->npairs ? calloc(v->npairs, sizeof *pairs) : NULL;
	for (size_t i = 0; i < v->npairs; i++) {
		const struct cl_value *m = v->pairs[i].val;
		if (facts_model_value(m) || (m->kind == CL_V_FUNCTION && m->ret && facts_model_value(m->ret)))
			pairs[shell.npairs++] = v->pairs[i];
	}
	shell.pairs = pairs;
	struct cl_value *k = shell.npairs ? keep(A, &shell, 0) : NULL;
	free(pairs);
	return k;
}
