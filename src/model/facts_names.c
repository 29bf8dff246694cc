/*
 * facts_names.c — the name table of one file: scopes (function bodies),
 * bindings (assignments, parameters, imports, definitions, instance state
 * scoped to its class) hashed by name, and the imports that bind them
 * (Python, ES modules, require, re-exports). Filled from the facts query's
 * captures by facts.c, read through facts_lookup.
 */
#include "model/facts_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "adapters/surface.h"

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
void facts_index_scopes(struct ctx *c)
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

void facts_index_bindings(struct ctx *c)
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
		/* `messages = messages.map(...)`: a name read in the value a binding
		 * assigns is the binding before it (a function may name itself) */
		if (b->kind == B_VALUE && !ts_node_is_null(b->value) && ts_node_start_byte(b->value) > b->pos &&
		    ts_node_start_byte(b->value) <= pos && pos < ts_node_end_byte(b->value) &&
		    !is_function_node(c, b->value) && !is_class_node(c, b->value))
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

struct binding *facts_lookup_before(struct ctx *c, const char *name, uint32_t pos, const struct binding *not)
{
	if (!c->nbuckets)
		return NULL;
	struct binding *best = NULL;
	int budget = 512;
	for (int i = c->buckets[hash_str(name) & (c->nbuckets - 1)]; i >= 0 && budget-- > 0; i = c->binds.v[i].next) {
		struct binding *b = &c->binds.v[i];
		if (b == not || b->pos >= pos || strcmp(b->name, name) || !(b->scope_start <= pos && pos < b->scope_end))
			continue;
		uint32_t size = b->scope_end - b->scope_start, best_size = best ? best->scope_end - best->scope_start : 0;
		if (!best || size < best_size || (size == best_size && b->pos > best->pos))
			best = b;
	}
	return best;
}

int facts_first_named(struct ctx *c, const char *name)
{
	return c->nbuckets ? c->buckets[hash_str(name) & (c->nbuckets - 1)] : -1;
}

/* ------------------------------------------------------------------------ */
/* Imports.                                                                 */

void facts_note_module(struct ctx *c, TSNode at, const char *module)
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


void facts_py_import(struct ctx *c, TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);
	if (sym_is(c, n, SYM_IMPORT_STATEMENT)) {
		for (uint32_t i = 0; i < count; i++) {
			TSNode ch = ts_node_named_child(n, i);
			if (sym_is(c, ch, SYM_DOTTED_NAME)) {
				const char *full = text(c, ch);
				facts_note_module(c, n, full);
				const char *dot = strchr(full, '.');
				const char *local = dot ? cl_arena_strndup(c->A, full, (size_t)(dot - full)) : full;
				bind_import(c, n, local, local, "*");
			} else if (sym_is(c, ch, SYM_ALIASED_IMPORT)) {
				const char *full = text(c, field(ch, "name"));
				facts_note_module(c, n, full);
				bind_import(c, n, text(c, field(ch, "alias")), full, "*");
			}
		}
		return;
	}
	if (!sym_is(c, n, SYM_IMPORT_FROM_STATEMENT))
		return;
	TSNode modn = field(n, "module_name");
	if (ts_node_is_null(modn))
		return;
	const char *module = text(c, modn);
	facts_note_module(c, n, module);
	size_t ml = strlen(module);
	for (uint32_t i = 0; i < count; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (ts_node_eq(ch, modn))
			continue;
		const char *name = NULL;
		if (sym_is(c, ch, SYM_DOTTED_NAME)) {
			name = text(c, ch);
			bind_import(c, n, name, module, name);
		} else if (sym_is(c, ch, SYM_ALIASED_IMPORT)) {
			name = text(c, field(ch, "name"));
			bind_import(c, n, text(c, field(ch, "alias")), module, name);
		} else if (sym_is(c, ch, SYM_WILDCARD_IMPORT)) {
			cl_vec_push(&c->f->star_exports, module);
		}
		/* `from app.ai import tutor` may import the submodule app.ai.tutor
		 * (`tutor.generate_lesson()`): noted too, so the links, the call
		 * graph and the import closure reach its file when there is one */
		if (name && ((name[0] >= 'a' && name[0] <= 'z') || name[0] == '_'))
			facts_note_module(c, n, cl_arena_printf(c->A, "%s%s%s", module,
				ml && module[ml - 1] == '.' ? "" : ".", name));
	}
}

void facts_js_import(struct ctx *c, TSNode n)
{
	TSNode srcn = field(n, "source");
	if (ts_node_is_null(srcn))
		return;
	bool partial = false;
	const char *module = facts_string_content(c, srcn, &partial);
	facts_note_module(c, n, module);
	if (sym_is(c, n, SYM_EXPORT_STATEMENT)) { /* export * from "m", export * as ns from "m" */
		uint32_t all = ts_node_child_count(n);
		for (uint32_t i = 0; i < all; i++) {
			TSNode ch = ts_node_child(n, i);
			if (sym_is(c, ch, SYM_STAR))
				cl_vec_push(&c->f->star_exports, module);
			else if (sym_is(c, ch, SYM_NAMESPACE_EXPORT) && ts_node_named_child_count(ch))
				bind_import(c, n, text(c, ts_node_named_child(ch, 0)), module, "*");
		}
	}
	uint32_t count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode clause = ts_node_named_child(n, i);
		if (sym_is(c, clause, SYM_EXPORT_CLAUSE)) { /* export { a as b } from "m" */
			uint32_t k = ts_node_named_child_count(clause);
			for (uint32_t j = 0; j < k; j++) {
				TSNode spec = ts_node_named_child(clause, j);
				TSNode name = field(spec, "name"), alias = field(spec, "alias");
				if (!sym_is(c, spec, SYM_EXPORT_SPECIFIER) || ts_node_is_null(name))
					continue;
				const char *nm = text(c, name);
				bind_import(c, n, ts_node_is_null(alias) ? nm : text(c, alias), module, nm);
			}
			continue;
		}
		if (!sym_is(c, clause, SYM_IMPORT_CLAUSE))
			continue;
		uint32_t k = ts_node_named_child_count(clause);
		for (uint32_t j = 0; j < k; j++) {
			TSNode ch = ts_node_named_child(clause, j);
			if (sym_is(c, ch, SYM_IDENTIFIER)) {
				bind_import(c, n, text(c, ch), module, "default");
			} else if (sym_is(c, ch, SYM_NAMESPACE_IMPORT)) {
				TSNode id = ts_node_named_child(ch, 0);
				if (!ts_node_is_null(id))
					bind_import(c, n, text(c, id), module, "*");
			} else if (sym_is(c, ch, SYM_NAMED_IMPORTS)) {
				uint32_t m = ts_node_named_child_count(ch);
				for (uint32_t s = 0; s < m; s++) {
					TSNode spec = ts_node_named_child(ch, s);
					if (!sym_is(c, spec, SYM_IMPORT_SPECIFIER))
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
	while (sym_is(c, value, SYM_AWAIT_EXPRESSION) || sym_is(c, value, SYM_PARENTHESIZED_EXPRESSION))
		value = ts_node_named_child(value, 0);
	if (!sym_is(c, value, SYM_CALL_EXPRESSION))
		return NULL;
	TSNode fn = field(value, "function");
	if (!sym_is(c, fn, SYM_IDENTIFIER) || !text_eq(c, fn, "require"))
		return NULL;
	TSNode args = field(value, "arguments");
	TSNode a0 = ts_node_named_child(args, 0);
	if (!sym_is(c, a0, SYM_STRING))
		return NULL;
	bool partial = false;
	return facts_string_content(c, a0, &partial);
}

/* ------------------------------------------------------------------------ */
/* Bindings from the query.                                                 */

/* The span of the class N is written in (a Python class or a JS/TS class
 * declaration or expression): instance state (`self.x`, `this.x`, fields)
 * is visible in it only. False when N is in no class (within 64 levels). */
static bool class_scope(const struct ctx *c, TSNode n, uint32_t *start, uint32_t *end)
{
	TSNode p = ts_node_parent(n);
	for (int hops = 0; !ts_node_is_null(p) && hops < 64; hops++, p = ts_node_parent(p)) {
		if (is_class_node(c, p)) {
			*start = ts_node_start_byte(p);
			*end = ts_node_end_byte(p);
			return true;
		}
	}
	return false;
}

/* A binding of instance state: scoped to its class when there is one. */
static struct binding *add_member_binding(struct ctx *c, TSNode at, const char *name, uint32_t pos)
{
	struct binding *b = add_binding(c, name, pos, true);
	uint32_t s, e;
	if ((!strncmp(name, "self.", 5) || !strncmp(name, "this.", 5)) && class_scope(c, at, &s, &e)) {
		b->scope_start = s;
		b->scope_end = e;
	}
	return b;
}

/* A method read as an attribute: `@property` / `@cached_property` on a
 * Python method, `get x()` in a JS/TS class. */
static bool property_method(struct ctx *c, TSNode def)
{
	uint32_t k = ts_node_child_count(def);
	for (uint32_t i = 0; !c->py && i < k; i++)
		if (sym_is(c, ts_node_child(def, i), SYM_GET))
			return true;
	TSNode d = ts_node_parent(def);
	if (!c->py || !sym_is(c, d, SYM_DECORATED_DEFINITION))
		return false;
	k = ts_node_named_child_count(d);
	for (uint32_t i = 0; i < k; i++) {
		TSNode dec = ts_node_named_child(d, i);
		if (sym_is(c, dec, SYM_DECORATOR) && (text_eq(c, dec, "@property") ||
			text_eq(c, dec, "@cached_property") ||
		    text_eq(c, dec, "@functools.cached_property")))
			return true;
	}
	return false;
}

/* `def f(...)`, `class C`, `function f(...)`: the name is bound to the
 * definition in the scope the definition is written in; a method is bound
 * as instance state (`self.f`, `this.f`) in its class. */
void facts_process_def(struct ctx *c, TSNode def, TSNode name)
{
	TSNode p = ts_node_parent(def);
	if (sym_is(c, p, SYM_DECORATED_DEFINITION) || sym_is(c, p, SYM_EXPORT_STATEMENT))
		p = ts_node_parent(p);
	if (ts_node_is_null(p))
		return;
	if (sym_is(c, p, SYM_CLASS_BODY) || is_class_node(c, ts_node_parent(p))) {
		struct binding *b = add_member_binding(c, def,
			cl_arena_printf(c->A, "%s.%s", c->py ? "self" : "this", text(c, name)), ts_node_start_byte(def));
		b->kind = B_VALUE;
		b->value = def;
		b->property = property_method(c, def);
		return;
	}
	bool top = sym_is(c, p, SYM_MODULE) || sym_is(c, p, SYM_PROGRAM);
	struct binding *b = add_binding(c, text(c, name), ts_node_start_byte(p), top);
	b->pos = ts_node_start_byte(def);
	b->kind = B_VALUE;
	b->value = def;
}

/* `const { question, persona } = await req.json()`, `a, b = pair`: each name
 * takes its key (or an element) of the value. */
static void destructure(struct ctx *c, TSNode bind, TSNode pattern, TSNode value)
{
	uint32_t k = ts_node_named_child_count(pattern);
	for (uint32_t i = 0; i < k && i < 64; i++) {
		TSNode ch = ts_node_named_child(pattern, i);
		TSNode nm = {0};
		const char *member = "";
		if (sym_is(c, ch, SYM_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN)) {
			nm = ch;
			member = text(c, ch);
		} else if (sym_is(c, ch, SYM_PAIR_PATTERN)) {
			nm = field(ch, "value");
			member = text(c, field(ch, "key"));
		} else if (sym_is(c, ch, SYM_OBJECT_ASSIGNMENT_PATTERN)) { /* { n = 1 } */
			nm = field(ch, "left");
			member = text(c, nm);
		} else if (sym_is(c, ch, SYM_IDENTIFIER)) {
			nm = ch;
		}
		if (!sym_is(c, nm, SYM_IDENTIFIER) && !sym_is(c, nm, SYM_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN))
			continue;
		struct binding *b = add_binding(c, text(c, nm), ts_node_start_byte(bind), false);
		b->kind = B_VALUE;
		b->value = value;
		b->member = member;
	}
}

/* `d["max_turns"] = 8`, `opts.maxTurns = 8` on a local name (not self /
 * this / exports): a binding of the name to its value before with that key
 * set (facts_binding_value), so an options dict built up key by key and
 * spread (`**d`) keeps every key. */
static bool key_set(struct ctx *c, TSNode bind, TSNode name, TSNode value)
{
	TSNode obj, key = {0};
	const char *k = NULL;
	if (sym_is(c, name, SYM_SUBSCRIPT) || sym_is(c, name, SYM_SUBSCRIPT_EXPRESSION)) {
		obj = field(name, sym_is(c, name, SYM_SUBSCRIPT) ? "value" : "object");
		key = field(name, sym_is(c, name, SYM_SUBSCRIPT) ? "subscript" : "index");
		bool partial = false;
		if (sym_is(c, key, SYM_STRING)) {
			k = facts_string_content(c, key, &partial);
			if (partial)
				k = NULL;
		}
	} else if (!c->py && sym_is(c, name, SYM_MEMBER_EXPRESSION)) {
		obj = field(name, "object");
		k = text(c, field(name, "property"));
	} else {
		return false;
	}
	/* instance state too: `self.sessions[sid] = client` (a container of the class) */
	if (!k && !c->py)
		return false; /* a container written by computed keys: Python only (JS keeps them in a Map) */
	bool state = k == NULL && is_member_node(c, obj) && sym_is(c, field(obj, "object"), SYM_IDENTIFIER) &&
		(text_eq(c, field(obj, "object"), "self") || text_eq(c, field(obj, "object"), "this"));
	if (!state && (!sym_is(c, obj, SYM_IDENTIFIER) || text_eq(c, obj, "self") || text_eq(c, obj, "this") ||
	    text_eq(c, obj, "exports") || text_eq(c, obj, "module")))
		return false;
	struct binding *b = state ? add_member_binding(c, bind, text(c, obj), ts_node_start_byte(bind)) :
		add_binding(c, text(c, obj), ts_node_start_byte(bind), false);
	b->kind = B_VALUE;
	b->value = value;
	b->key_set = true;
	b->set_key = k;
	return true;
}

void facts_process_bind(struct ctx *c, TSNode bind, TSNode name, TSNode value)
{
	uint32_t pos = ts_node_start_byte(bind);
	if (sym_is(c, name, SYM_IDENTIFIER)) {
		struct binding *b = add_binding(c, text(c, name), pos, false);
		b->kind = B_VALUE;
		b->value = value;
		/* `prompt += text` (the queries capture only `+=` besides `??=` / `||=`) */
		b->append = (sym_is(c, bind, SYM_AUGMENTED_ASSIGNMENT) || sym_is(c, bind, SYM_AUGMENTED_ASSIGNMENT_EXPRESSION)) &&
			text_eq(c, field(bind, "operator"), "+=");
		return;
	}
	if (key_set(c, bind, name, value))
		return;
	if (is_member_node(c, name)) {
		const char *full = text(c, name);
		bool file_scope = !strncmp(full, "self.", 5) || !strncmp(full, "this.", 5) ||
			!strncmp(full, "module.exports", 14) || !strncmp(full, "exports.", 8);
		if (!file_scope)
			return;
		struct binding *b = add_member_binding(c, bind, full, pos);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (sym_is(c, name, SYM_PROPERTY_IDENTIFIER) || sym_is(c, name, SYM_PRIVATE_PROPERTY_IDENTIFIER)) {
		/* a class field: `client = new Anthropic()` is this.client */
		const char *nm = text(c, name);
		struct binding *b = add_member_binding(c, bind, cl_arena_printf(c->A, "this.%s", nm[0] == '#' ? nm + 1 : nm), pos);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (sym_is(c, name, SYM_OBJECT_PATTERN) || sym_is(c, name, SYM_ARRAY_PATTERN) ||
	    sym_is(c, name, SYM_PATTERN_LIST) || sym_is(c, name, SYM_TUPLE_PATTERN)) {
		/* const { Anthropic } = require("@anthropic-ai/sdk") */
		const char *m = sym_is(c, name, SYM_OBJECT_PATTERN) ? facts_require_module(c, value) : NULL;
		if (!m) {
			destructure(c, bind, name, value);
			return;
		}
		uint32_t k = ts_node_named_child_count(name);
		for (uint32_t i = 0; i < k; i++) {
			TSNode ch = ts_node_named_child(name, i);
			if (sym_is(c, ch, SYM_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN)) {
				const char *nm = text(c, ch);
				bind_import(c, bind, nm, m, nm);
			} else if (sym_is(c, ch, SYM_PAIR_PATTERN)) {
				TSNode key = field(ch, "key"), val = field(ch, "value");
				if (sym_is(c, val, SYM_IDENTIFIER))
					bind_import(c, bind, text(c, val), m, text(c, key));
			}
		}
	}
}

void facts_process_param(struct ctx *c, TSNode param, TSNode name)
{
	if (sym_is(c, param, SYM_PUBLIC_FIELD_DEFINITION) && !ts_node_is_null(field(param, "value")))
		return; /* `client = new Anthropic()`: the field's value binds it */
	struct binding *b = add_binding(c, text(c, name), ts_node_start_byte(name), false);
	b->kind = B_PARAM;
	TSNode type = field(param, "type");
	b->type = ts_node_is_null(type) ? NULL : text(c, type);
	TSNode deflt = field(param, "value");
	if (sym_is(c, deflt, SYM_CALL)) {
		const char *fn = facts_last_prop(c, field(deflt, "function"));
		b->injected = !strcmp(fn, "Depends") || !strcmp(fn, "Security");
	}
	if (sym_is(c, param, SYM_PUBLIC_FIELD_DEFINITION)) {
		b->name = cl_arena_printf(c->A, "this.%s", b->name);
		b->scope_start = 0;
		b->scope_end = UINT32_MAX;
		class_scope(c, param, &b->scope_start, &b->scope_end);
		return;
	}
	/* constructor(private client: Anthropic): also this.client */
	uint32_t k = ts_node_child_count(param);
	for (uint32_t i = 0; i < k; i++) {
		if (sym_is(c, ts_node_child(param, i), SYM_ACCESSIBILITY_MODIFIER)) {
			struct binding *t = add_member_binding(c, param, cl_arena_printf(c->A, "this.%s", text(c, name)),
				ts_node_start_byte(name));
			t->kind = B_PARAM;
			t->type = c->binds.v[c->binds.n - 2].type;
			break;
		}
	}
}
