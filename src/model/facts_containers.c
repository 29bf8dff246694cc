/*
 * facts_containers.c — values written into a name key by key: an options
 * dict built up (`d["max_turns"] = 8`, `options.maxTurns = 8`) and a
 * container of clients (`sessions[sid] = client`, a JS Map's `set`) read
 * back (`sessions[sid]`, `sessions.get(sid)`). The bindings are made by
 * facts_names.c (key_set); values here.
 */
#include "model/facts_internal.h"

#include <string.h>

/* The binding NAME refers to at POS, past the key sets written on it. */
static struct binding *base_binding(struct ctx *c, const char *name, uint32_t pos)
{
	struct binding *b = facts_lookup(c, name, pos);
	for (int hops = 0; b && b->key_set && hops < 64; hops++)
		b = facts_lookup_before(c, name, b->pos, b);
	return b;
}

struct cl_value *facts_container_element(struct ctx *c, TSNode obj, TSNode n, int depth)
{
	if (depth > EVAL_DEPTH - 4)
		return NULL;
	bool state = is_member_node(c, obj) && (text_eq(c, field(obj, "object"), "self") ||
		text_eq(c, field(obj, "object"), "this"));
	if (!sym_is(c, obj, SYM_IDENTIFIER) && !state)
		return NULL;
	const char *name = text(c, obj);
	struct binding *base = state ? NULL : base_binding(c, name, ts_node_start_byte(obj));
	struct cl_value *best = NULL;
	int budget = 64;
	for (int i = facts_first_named(c, name); i >= 0 && budget > 0; i = c->binds.v[i].next) {
		struct binding *b = &c->binds.v[i];
		if (!b->key_set || b->set_key || b->evaluating || strcmp(b->name, name))
			continue;
		budget--;
		/* the same container: the same instance state, or the same binding under the key sets */
		if (state ? !(b->scope_start <= ts_node_start_byte(obj) && ts_node_start_byte(obj) < b->scope_end) :
			    (!base || facts_lookup_before(c, name, b->pos, b) != base))
			continue;
		b->evaluating = true;
		struct cl_value *v = facts_eval(c, b->value, depth + 1);
		b->evaluating = false;
		best = facts_prefer(c, best, v);
	}
	/* JS: a Map's `X.set(key, value)` */
	if (!c->py && !c->map_sets_indexed) {
		c->map_sets_indexed = true;
		for (size_t i = 0; i < c->calls.n && c->map_sets.n < 256; i++) {
			TSNode callee = field(c->calls.v[i], "function");
			if (is_member_node(c, callee) && text_eq(c, field(callee, "property"), "set"))
				cl_vec_push(&c->map_sets, (uint32_t)i);
		}
	}
	for (size_t i = 0; !c->py && i < c->map_sets.n; i++) {
		TSNode call = c->calls.v[c->map_sets.v[i]];
		TSNode recv = field(field(call, "function"), "object");
		TSNode args = field(call, "arguments");
		if (ts_node_named_child_count(args) != 2 || !text_eq(c, recv, name) ||
		    (!state && facts_lookup(c, name, ts_node_start_byte(call)) != facts_lookup(c, name, ts_node_start_byte(obj))))
			continue;
		best = facts_prefer(c, best, facts_eval(c, ts_node_named_child(args, 1), depth + 1));
	}
	if (!facts_model_value(best))
		return NULL;
	struct cl_value *copy = cl_arena_alloc(c->A, sizeof *copy);
	*copy = *best;
	copy->span = span_of(n);
	return copy;
}

/* Is the key set B made on some paths only: under a branch, a loop, a case
 * or a handler that does not also hold the binding it sets a key of (PREV,
 * past other key sets): `body = {...}; if system: body["system"] = system`? */
static bool conditional_key_set(struct ctx *c, const struct binding *b, const struct binding *prev)
{
	for (int hops = 0; prev && prev->key_set && hops < 64; hops++)
		prev = facts_lookup_before(c, prev->name, prev->pos, prev);
	TSNode n = ts_node_parent(b->value);
	for (int hops = 0; !ts_node_is_null(n) && hops < 64 && !is_function_node(c, n); hops++) {
		if (is_branching_node(c, n) &&
		    !(prev && ts_node_start_byte(n) <= prev->pos && prev->pos < ts_node_end_byte(n)))
			return true;
		n = ts_node_parent(n);
	}
	return false;
}

/* BASE, the object NAME held before key-set binding B, with KEY set — open
 * when the key is not a known string; anything but an object is left as it
 * was. A key set on some paths only is kept as what the key may be (maybe),
 * carrying the request data of the value it may replace. */
static struct cl_value *with_key(struct ctx *c, struct binding *b, const struct binding *prev,
	struct cl_value *base, TSNode n, int depth)
{
	if (base->kind != CL_V_OBJECT)
		return base;
	struct cl_value *v = empty_object(c, n);
	v->span = base->span;
	facts_merge_into(c, v, base);
	if (!b->set_key) {
		v->open = true;
		return v;
	}
	struct cl_value *val = facts_eval(c, b->value, depth + 1);
	if (conditional_key_set(c, b, prev)) {
		const struct cl_value *before = cl_value_get(base, b->set_key);
		struct cl_value *m = cl_arena_alloc(c->A, sizeof *m);
		*m = *val;
		m->maybe = true;
		if (!m->taint && before)
			m->taint = before->taint;
		val = m;
	}
	facts_object_put(c, v, b->set_key, val);
	return v;
}

/* BASE, the string NAME held before append binding B, with B's value
 * appended, derived from request data when the value is (`system_prompt +=
 * f"Uploaded file:\n{text}"`; a value of unknown origin too when a string is
 * appended); anything else is left as it was (a counter, a list). */
static struct cl_value *appended(struct ctx *c, struct binding *b, struct cl_value *base, int depth)
{
	if (base->kind != CL_V_STRING && base->kind != CL_V_UNKNOWN)
		return base;
	struct cl_value *more = facts_eval(c, b->value, depth + 1);
	if (base->kind != CL_V_STRING && more->kind != CL_V_STRING)
		return base;
	return facts_concat(c, b->value, base, more);
}

/* A binding B updating the value NAME held before it (its binding strictly
 * before B): `NAME[KEY] = value` / `NAME.KEY = value` (key_set) or `NAME +=
 * value` (append). */
struct cl_value *facts_update_value(struct ctx *c, struct binding *b, TSNode n, int depth)
{
	if (b->cache)
		return b->cache;
	if (b->evaluating || depth > EVAL_DEPTH)
		return unknown(c, n);
	struct binding *prev = facts_lookup_before(c, b->name, b->pos, b);
	b->evaluating = true;
	struct cl_value *base = prev ? facts_binding_value(c, prev, n, depth + 1) : unknown(c, n);
	struct cl_value *v = b->append ? appended(c, b, base, depth) : with_key(c, b, prev, base, n, depth);
	b->evaluating = false;
	/* only the value built here is kept: anything else is the value before,
	 * placed where it is read (a scalar is reported at its use) */
	if (c->regions_done && v != base)
		b->cache = v;
	return v;
}
