/*
 * facts_value.c — evaluates expressions to values while the tree is alive:
 * literals and strings, constants through the name table, env lookups and
 * their defaults, object/dict literals and spreads, imports (left for
 * project.c), client constructions and with_options(), timeouts, AI SDK
 * provider models.
 */
#include "facts_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "secrets.h"
#include "surface.h"

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
/* Strings.                                                                 */

static void buf_add(struct ctx *c, char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap : 32);
		while (nc < *len + n + 1)
			nc *= 2;
		char *nb = cl_arena_alloc(c->A, nc);
		if (*len)
			memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

static void unescape_into(struct ctx *c, char **buf, size_t *len, size_t *cap, const char *s, size_t n, bool raw)
{
	size_t i = 0;
	while (i < n) {
		const char *bs = raw ? NULL : memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		buf_add(c, buf, len, cap, s + i, run);
		i += run;
		if (i >= n)
			break;
		/* a backslash escape */
		char e = i + 1 < n ? s[i + 1] : '\\';
		char out = e;
		switch (e) {
		case 'n': out = '\n'; break;
		case 't': out = '\t'; break;
		case 'r': out = '\r'; break;
		case '0': out = ' '; break;
		case '\n': i += 2; continue;
		default: break;
		}
		buf_add(c, buf, len, cap, &out, 1);
		i += 2;
	}
}


/* The decoded text of a string literal node; *PARTIAL when interpolations
 * could not all be resolved (their text is left out). */
static const char *string_content_eval(struct ctx *c, TSNode n, bool *partial, int depth)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	buf_add(c, &buf, &len, &cap, "", 0);
	if (is(n, "concatenated_string")) {
		uint32_t k = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < k; i++) {
			const char *s = string_content_eval(c, ts_node_named_child(n, i), partial, depth);
			buf_add(c, &buf, &len, &cap, s, strlen(s));
		}
		return buf;
	}
	const char *src = c->src->data;
	bool py = c->py;
	bool raw = false;
	uint32_t k = ts_node_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_child(n, i);
		const char *t = type_of(ch);
		uint32_t s = ts_node_start_byte(ch), e = ts_node_end_byte(ch);
		if (py && !strcmp(t, "string_start")) {
			for (uint32_t j = s; j < e; j++)
				if (src[j] == 'r' || src[j] == 'R')
					raw = true;
		} else if (!strcmp(t, "string_content") || !strcmp(t, "string_fragment") ||
			   !strcmp(t, "escape_sequence")) {
			/* Python string_content may hold escape_sequence and interpolation
			 * children of its own: walk it for interpolations. */
			uint32_t kk = ts_node_named_child_count(ch);
			uint32_t pos = s;
			for (uint32_t j = 0; j < kk; j++) {
				TSNode g = ts_node_named_child(ch, j);
				if (is(g, "interpolation")) {
					unescape_into(c, &buf, &len, &cap, src + pos, ts_node_start_byte(g) - pos, raw);
					struct cl_value *v = facts_eval(c, ts_node_named_child(g, 0), depth + 1);
					if (v->kind == CL_V_STRING && !v->open)
						buf_add(c, &buf, &len, &cap, v->str, v->len);
					else
						*partial = true;
					pos = ts_node_end_byte(g);
				}
			}
			unescape_into(c, &buf, &len, &cap, src + pos, e - pos, raw);
		} else if (!strcmp(t, "interpolation") || !strcmp(t, "template_substitution")) {
			TSNode inner = ts_node_named_child(ch, 0);
			struct cl_value *v = ts_node_is_null(inner) ? NULL : facts_eval(c, inner, depth + 1);
			if (v && v->kind == CL_V_STRING && !v->open)
				buf_add(c, &buf, &len, &cap, v->str, v->len);
			else if (v && v->kind == CL_V_NUMBER) {
				char num[64];
				snprintf(num, sizeof num, "%g", v->num);
				buf_add(c, &buf, &len, &cap, num, strlen(num));
			} else
				*partial = true;
		}
	}
	return buf;
}

const char *facts_string_content(struct ctx *c, TSNode n, bool *partial)
{
	return string_content_eval(c, n, partial, EVAL_DEPTH - 2);
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
	if (is(n, "identifier")) {
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
	if (is(n, "attribute") || is(n, "member_expression")) {
		TSNode obj = field(n, "object");
		TSNode prop = field(n, is(n, "attribute") ? "attribute" : "property");
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
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(argsn, i);
		const char *t = type_of(ch);
		if (!strcmp(t, "comment"))
			continue;
		if (!strcmp(t, "keyword_argument")) {
			TSNode name = field(ch, "name");
			facts_object_put(c, a.kw, text(c, name), facts_eval(c, field(ch, "value"), depth + 1));
		} else if (!strcmp(t, "dictionary_splat")) {
			facts_merge_into(c, a.kw, facts_eval(c, ts_node_named_child(ch, 0), depth + 1));
		} else if (!strcmp(t, "list_splat") || !strcmp(t, "spread_element")) {
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
	if (v)
		o->span = v->span;
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
/* Clients.                                                                 */

static int find_client(struct ctx *c, uint32_t start)
{
	for (size_t i = 0; i < c->client_starts.n; i++)
		if (c->client_starts.v[i] == start)
			return (int)i;
	return -1;
}

static struct cl_value *client_value(struct ctx *c, TSNode n, int index)
{
	struct cl_value *v = new_value(c, CL_V_CLIENT, n);
	v->client = index;
	v->owner = c->f;
	return v;
}

static struct cl_value *register_client(struct ctx *c, TSNode n, enum cl_client_kind kind,
	const char *cls, struct cl_value *opts, int parent, struct cl_value *parent_ref)
{
	uint32_t start = ts_node_start_byte(n);
	int idx = find_client(c, start);
	if (idx < 0) {
		struct cl_client cl;
		memset(&cl, 0, sizeof cl);
		cl.kind = kind;
		cl.cls = cls;
		cl.span = span_of(n);
		cl.opts = opts;
		cl.parent = parent;
		cl.parent_ref = parent_ref;
		cl.use_client_module = c->f->use_client;
		cl_vec_push(&c->f->clients, cl);
		cl_vec_push(&c->client_starts, start);
		idx = (int)c->f->clients.n - 1;
	}
	return client_value(c, n, idx);
}

static enum cl_client_kind client_kind_from(const char *kind)
{
	if (!strcmp(kind, "cloud"))
		return CL_CLIENT_CLOUD;
	if (!strcmp(kind, "langchain"))
		return CL_CLIENT_LANGCHAIN;
	if (!strcmp(kind, "llamaindex"))
		return CL_CLIENT_LLAMAINDEX;
	if (!strcmp(kind, "aisdk_provider"))
		return CL_CLIENT_AISDK_PROVIDER;
	return CL_CLIENT_SDK;
}

/* A parameter or field type that names an Anthropic client class. */
bool facts_type_names_client(const char *type)
{
	if (!type)
		return false;
	static const char *const names[] = {
		"Anthropic", "AsyncAnthropic", "AnthropicBedrock", "AsyncAnthropicBedrock",
		"AnthropicVertex", "AsyncAnthropicVertex", "AnthropicFoundry", "AsyncAnthropicFoundry",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *p = type;
		size_t n = strlen(names[i]);
		while ((p = strstr(p, names[i]))) {
			bool left = p == type || !(p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') ||
				(p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9'));
			char r = p[n];
			bool right = !(r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') ||
				(r >= '0' && r <= '9'));
			if (left && right)
				return true;
			p += n;
		}
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Evaluation.                                                              */

static struct cl_value *env_value(struct ctx *c, TSNode n, const char *name, struct cl_value *deflt)
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
	if (is(n, "member_expression")) {
		obj = field(n, "object");
		prop = field(n, "property");
	} else if (is(n, "subscript_expression")) {
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
	if (is(prop, "string")) {
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

static struct cl_value *eval_call(struct ctx *c, TSNode n, int depth);

static struct cl_value *eval_binary(struct ctx *c, TSNode n, int depth)
{
	TSNode l = field(n, "left"), r = field(n, "right"), op = field(n, "operator");
	if (ts_node_is_null(l) || ts_node_is_null(r))
		return unknown(c, n);
	const char *o = ts_node_is_null(op) ? "" : text(c, op);
	if (is(n, "boolean_operator"))
		o = text_eq(c, op, "or") ? "||" : "&&";
	struct cl_value *a = facts_eval(c, l, depth + 1);
	if (!strcmp(o, "??") || !strcmp(o, "||")) {
		if (a->kind == CL_V_UNKNOWN || a->kind == CL_V_NULL || a->env) {
			if (a->kind != CL_V_UNKNOWN && a->kind != CL_V_NULL)
				return a;
			struct cl_value *b = facts_eval(c, r, depth + 1);
			return a->env ? env_value(c, n, a->env, b) : b;
		}
		return a;
	}
	struct cl_value *b = facts_eval(c, r, depth + 1);
	if (a->kind == CL_V_NUMBER && b->kind == CL_V_NUMBER) {
		struct cl_value *v = new_value(c, CL_V_NUMBER, n);
		switch (o[0]) {
		case '+': v->num = a->num + b->num; break;
		case '-': v->num = a->num - b->num; break;
		case '*': v->num = o[1] == '*' ? pow(a->num, b->num) : a->num * b->num; break;
		case '/': v->num = b->num != 0 ? a->num / b->num : INFINITY; break;
		default: return unknown(c, n);
		}
		return v;
	}
	if (!strcmp(o, "+") && (a->kind == CL_V_STRING || b->kind == CL_V_STRING)) {
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		const char *sa = a->kind == CL_V_STRING ? a->str : "";
		const char *sb = b->kind == CL_V_STRING ? b->str : "";
		size_t la = a->kind == CL_V_STRING ? a->len : 0, lb = b->kind == CL_V_STRING ? b->len : 0;
		char *s = cl_arena_alloc(c->A, la + lb + 1);
		memcpy(s, sa, la);
		memcpy(s + la, sb, lb);
		v->str = s;
		v->len = la + lb;
		v->open = a->kind != CL_V_STRING || b->kind != CL_V_STRING || a->open || b->open;
		return v;
	}
	return unknown(c, n);
}

static struct cl_value *eval_object(struct ctx *c, TSNode n, int depth)
{
	struct cl_value *obj = empty_object(c, n);
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		const char *t = type_of(ch);
		if (!strcmp(t, "pair")) {
			TSNode key = field(ch, "key"), val = field(ch, "value");
			const char *ks;
			if (is(key, "string")) {
				bool partial = false;
				ks = facts_string_content(c, key, &partial);
			} else if (is(key, "computed_property_name")) {
				obj->open = true;
				continue;
			} else {
				ks = text(c, key);
			}
			facts_object_put(c, obj, ks, facts_eval(c, val, depth + 1));
		} else if (!strcmp(t, "shorthand_property_identifier")) {
			/* { timeout } is { timeout: timeout } */
			const char *name = text(c, ch);
			facts_object_put(c, obj, name, facts_eval_identifier(c, ch, name, depth + 1));
		} else if (!strcmp(t, "spread_element") || !strcmp(t, "dictionary_splat")) {
			facts_merge_into(c, obj, facts_eval(c, ts_node_named_child(ch, 0), depth + 1));
		} else if (!strcmp(t, "method_definition")) {
			TSNode name = field(ch, "name");
			if (!ts_node_is_null(name))
				facts_object_put(c, obj, text(c, name), unknown(c, ch));
		} else if (strcmp(t, "comment") != 0) {
			obj->open = true;
		}
	}
	return obj;
}

/* A scalar read through a name is reported where the name is used (the
 * argument line), not where the constant is defined. */
static struct cl_value *at_use(struct ctx *c, struct cl_value *v, TSNode n)
{
	if (v->kind != CL_V_STRING && v->kind != CL_V_NUMBER && v->kind != CL_V_BOOL &&
	    v->kind != CL_V_NULL && v->kind != CL_V_SIGNAL && v->kind != CL_V_UNKNOWN)
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
		return v;
	}
	case B_PARAM:
		return facts_type_names_client(b->type) ? client_value(c, n, -1) : unknown(c, n);
	case B_VALUE:
		break;
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
	return b ? facts_binding_value(c, b, n, depth) : unknown(c, n);
}

/* How each node type evaluates, in one sorted table (both grammars). */
enum how {
	H_UNWRAP, H_UNWRAP_LAST, H_BINARY, H_CALL, H_OBJECT, H_FALSE, H_TRUE, H_NULL,
	H_IDENTIFIER, H_NUMBER, H_STRING, H_LIST, H_MEMBER, H_SUBSCRIPT, H_UNARY,
};

static const struct node_how {
	const char *type;
	enum how how;
} node_hows[] = {
	{"array", H_LIST},
	{"as_expression", H_UNWRAP},
	{"attribute", H_MEMBER},
	{"await_expression", H_UNWRAP},
	{"binary_expression", H_BINARY},
	{"binary_operator", H_BINARY},
	{"boolean_operator", H_BINARY},
	{"call", H_CALL},
	{"call_expression", H_CALL},
	{"concatenated_string", H_STRING},
	{"dictionary", H_OBJECT},
	{"expression_statement", H_UNWRAP},
	{"false", H_FALSE},
	{"float", H_NUMBER},
	{"identifier", H_IDENTIFIER},
	{"integer", H_NUMBER},
	{"list", H_LIST},
	{"list_splat", H_LIST},
	{"member_expression", H_MEMBER},
	{"new_expression", H_CALL},
	{"non_null_expression", H_UNWRAP},
	{"none", H_NULL},
	{"null", H_NULL},
	{"number", H_NUMBER},
	{"object", H_OBJECT},
	{"parenthesized_expression", H_UNWRAP},
	{"satisfies_expression", H_UNWRAP},
	{"string", H_STRING},
	{"subscript", H_SUBSCRIPT},
	{"subscript_expression", H_SUBSCRIPT},
	{"template_string", H_STRING},
	{"true", H_TRUE},
	{"type_assertion", H_UNWRAP_LAST},
	{"unary_expression", H_UNARY},
	{"unary_operator", H_UNARY},
};

static int by_type(const void *key, const void *elem)
{
	return strcmp(key, ((const struct node_how *)elem)->type);
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

struct cl_value *facts_eval(struct ctx *c, TSNode n, int depth)
{
	if (depth > EVAL_DEPTH)
		c->too_deep = true;
	if (ts_node_is_null(n) || depth > EVAL_DEPTH)
		return unknown(c, n);
	const struct node_how *h = bsearch(ts_node_type(n), node_hows,
		sizeof node_hows / sizeof *node_hows, sizeof *node_hows, by_type);
	if (!h)
		return unknown(c, n);
	switch (h->how) {
	case H_UNWRAP:
		return facts_eval(c, ts_node_named_child(n, 0), depth + 1);
	case H_UNWRAP_LAST:
		return facts_eval(c, ts_node_named_child(n, ts_node_named_child_count(n) - 1), depth + 1);
	case H_BINARY:
		return eval_binary(c, n, depth);
	case H_CALL:
		return eval_call(c, n, depth);
	case H_OBJECT:
		return eval_object(c, n, depth);
	case H_FALSE:
	case H_TRUE: {
		struct cl_value *v = new_value(c, CL_V_BOOL, n);
		v->b = h->how == H_TRUE;
		return v;
	}
	case H_NULL:
		return new_value(c, CL_V_NULL, n);
	case H_IDENTIFIER:
		return facts_eval_identifier(c, n, text(c, n), depth);
	case H_UNARY:
		return eval_unary(c, n, depth);
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
	v->str = string_content_eval(c, n, &partial, depth);
	v->len = strlen(v->str);
	v->open = partial;
	return v;
}
list: {
	struct cl_value *v = new_value(c, CL_V_ARRAY, n);
	uint32_t k = ts_node_named_child_count(n);
	v->items = cl_arena_alloc(c->A, (k + 1) * sizeof *v->items);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (is(ch, "comment"))
			continue;
		v->items[v->nitems++] = facts_eval(c, ch, depth + 1);
	}
	return v;
}
member: {
	const char *env = c->py ? NULL : facts_js_env_name(c, n);
	if (env)
		return env_value(c, n, env, NULL);
	const char *full = text(c, n);
	if (!strncmp(full, "self.", 5) || !strncmp(full, "this.", 5)) {
		struct binding *b = facts_lookup(c, full, ts_node_start_byte(n));
		return b ? facts_binding_value(c, b, n, depth) : unknown(c, n);
	}
	TSNode obj = field(n, "object");
	TSNode prop = field(n, c->py ? "attribute" : "property");
	struct cl_value *o = facts_eval(c, obj, depth + 1);
	if (o->kind == CL_V_OBJECT && !ts_node_is_null(prop)) {
		struct cl_value *v = cl_value_get(o, text(c, prop));
		if (v)
			return v;
	}
	if (o->kind == CL_V_IMPORT && !ts_node_is_null(prop) && !strcmp(o->name, "*")) {
		/* `import * as config from "./config"; config.MODEL` */
		struct cl_value *v = new_value(c, CL_V_IMPORT, n);
		v->module = o->module;
		v->name = text(c, prop);
		v->from_file = o->from_file;
		return v;
	}
	return unknown(c, n);
}
subscript: {
	TSNode obj = field(n, c->py ? "value" : "object");
	TSNode idx = c->py ? field(n, "subscript") : field(n, "index");
	if (ts_node_is_null(obj) || ts_node_is_null(idx))
		return unknown(c, n);
	if (c->py && (text_eq(c, obj, "os.environ") || text_eq(c, obj, "environ")) && is(idx, "string")) {
		bool partial = false;
		return env_value(c, n, facts_string_content(c, idx, &partial), NULL);
	}
	const char *env = c->py ? NULL : facts_js_env_name(c, n);
	if (env)
		return env_value(c, n, env, NULL);
	struct cl_value *o = facts_eval(c, obj, depth + 1);
	struct cl_value *k = facts_eval(c, idx, depth + 1);
	if (o->kind == CL_V_OBJECT && k->kind == CL_V_STRING) {
		struct cl_value *v = cl_value_get(o, k->str);
		if (v)
			return v;
	}
	return unknown(c, n);
}
}

void facts_callee_chain(struct ctx *c, TSNode callee, struct chain *ch)
{
	ch->n = 0;
	TSNode n = callee;
	for (int hops = 0;; hops++) {
		while (ch->n < 8 && (is(n, "attribute") || is(n, "member_expression"))) {
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
		if (hops == 2 || ch->n == 0 || !is(n, "identifier"))
			return;
		struct binding *b = facts_lookup(c, text(c, n), ts_node_start_byte(n));
		if (!b || b->kind != B_VALUE || ts_node_is_null(b->value) ||
		    !(is(b->value, "attribute") || is(b->value, "member_expression")))
			return;
		n = b->value;
	}
}

const char *facts_last_prop(struct ctx *c, TSNode callee)
{
	if (is(callee, "attribute"))
		return text(c, field(callee, "attribute"));
	if (is(callee, "member_expression"))
		return text(c, field(callee, "property"));
	if (is(callee, "identifier"))
		return text(c, callee);
	return "";
}

static struct cl_value *eval_call(struct ctx *c, TSNode n, int depth)
{
	bool is_new = is(n, "new_expression");
	TSNode callee = field(n, is_new ? "constructor" : "function");
	TSNode argsn = field(n, "arguments");
	if (ts_node_is_null(callee))
		return unknown(c, n);
	if (ts_node_is_null(argsn) || !(is(argsn, "arguments") || is(argsn, "argument_list")))
		return unknown(c, n);
	static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", "os.environ.setdefault", NULL};
	static const char *const serialize[] = {"JSON.stringify", "json.dumps", "orjson.dumps", NULL};
	const char *cls = NULL;
	const char *kind = facts_constructor_kind(c, callee, &cls);
	if (kind) {
		struct args a = facts_eval_args(c, argsn, depth);
		struct cl_value *opts = c->py ? a.kw : facts_object_arg(c, &a, 0);
		enum cl_client_kind k = client_kind_from(kind);
		return register_client(c, n, k, cls, opts, -1, NULL);
	}
	const char *last = facts_last_prop(c, callee);
	if (cl_surface_has("client_option_methods", last) && (is(callee, "attribute") || is(callee, "member_expression"))) {
		struct cl_value *base = facts_eval(c, field(callee, "object"), depth + 1);
		if (base->kind == CL_V_CLIENT || base->kind == CL_V_IMPORT) {
			struct args a = facts_eval_args(c, argsn, depth);
			struct cl_value *opts = c->py ? a.kw : facts_object_arg(c, &a, 0);
			int parent = base->kind == CL_V_CLIENT && base->owner == c->f ? base->client : -1;
			return register_client(c, n, CL_CLIENT_DERIVED, last, opts, parent,
				base->kind == CL_V_IMPORT ? base : NULL);
		}
		return unknown(c, n);
	}
	/* llm.bind_tools(tools), llm.with_structured_output(...): the same wrapper model */
	if (cl_surface_has("wrapper_passthrough_methods", last) && (is(callee, "attribute") || is(callee, "member_expression"))) {
		struct cl_value *base = facts_eval(c, field(callee, "object"), depth + 1);
		if (base->kind == CL_V_CLIENT && base->owner == c->f && base->client >= 0 &&
		    c->f->clients.v[base->client].kind == CL_CLIENT_LANGCHAIN)
			return base;
		return unknown(c, n);
	}
	if (c->py && facts_callee_is(c, callee, env_get)) {
		struct args a = facts_eval_args(c, argsn, depth);
		struct cl_value *name = facts_arg(c, &a, 0, "key");
		if (name->kind != CL_V_STRING)
			return unknown(c, n);
		struct cl_value *d = a.npos > 1 ? a.pos[1] : cl_value_get(a.kw, "default");
		return env_value(c, n, name->str, d);
	}
	if (facts_callee_is(c, callee, serialize)) {
		TSNode a0 = ts_node_named_child(argsn, 0);
		return facts_eval(c, a0, depth + 1);
	}
	if (!strcmp(last, "Timeout") || !strcmp(last, "ClientTimeout")) {
		struct args a = facts_eval_args(c, argsn, depth);
		struct cl_value *v = cl_value_get(a.kw, "read");
		if (!v)
			v = cl_value_get(a.kw, "total");
		if (!v)
			v = facts_arg(c, &a, 0, "timeout");
		if (v->kind == CL_V_NUMBER || v->kind == CL_V_NULL) {
			struct cl_value *r = cl_arena_alloc(c->A, sizeof *r);
			*r = *v;
			r->span = span_of(n);
			return r;
		}
		return unknown(c, n);
	}
	if (!c->py && text_eq(c, callee, "AbortSignal.timeout")) {
		struct args a = facts_eval_args(c, argsn, depth);
		struct cl_value *ms = facts_arg(c, &a, 0, NULL);
		struct cl_value *v = new_value(c, CL_V_SIGNAL, n);
		v->num = ms->kind == CL_V_NUMBER ? ms->num : 0;
		return v;
	}
	if (!c->py) {
		/* Vercel AI SDK: anthropic('claude-…'), provider('…'), provider.languageModel('…') */
		struct symbol s;
		bool provider = false;
		if (facts_resolve_symbol(c, callee, &s, 0) &&
		    cl_surface_symbol("ai_sdk_providers", false, s.module, s.name))
			provider = true;
		if (!provider && is(callee, "member_expression") &&
		    cl_surface_has("ai_sdk_provider_methods", last)) {
			TSNode obj = field(callee, "object");
			if (facts_resolve_symbol(c, obj, &s, 0) &&
			    cl_surface_symbol("ai_sdk_providers", false, s.module, s.name))
				provider = true;
			else {
				struct cl_value *o = facts_eval(c, obj, depth + 1);
				provider = o->kind == CL_V_CLIENT && o->owner == c->f && o->client >= 0 &&
					c->f->clients.v[o->client].kind == CL_CLIENT_AISDK_PROVIDER;
			}
		}
		if (!provider && is(callee, "identifier")) {
			struct cl_value *o = facts_eval(c, callee, depth + 1);
			provider = o->kind == CL_V_CLIENT && o->owner == c->f && o->client >= 0 &&
				c->f->clients.v[o->client].kind == CL_CLIENT_AISDK_PROVIDER;
		}
		if (provider) {
			struct args a = facts_eval_args(c, argsn, depth);
			struct cl_value *id = facts_arg(c, &a, 0, NULL);
			struct cl_value *v = new_value(c, CL_V_AI_MODEL, n);
			v->str = id->kind == CL_V_STRING ? id->str : "";
			v->len = strlen(v->str);
			return v;
		}
	}
	{
		struct symbol s;
		if (facts_resolve_symbol(c, callee, &s, 0) &&
		    cl_surface_symbol("chat_model_factories", c->py, s.module, s.name)) {
			struct args a = facts_eval_args(c, argsn, depth);
			struct cl_value *model = facts_arg(c, &a, 0, "model");
			struct cl_value *provider = cl_value_get(a.kw, "model_provider");
			bool claude = (model->kind == CL_V_STRING &&
				(strstr(model->str, "claude") || !strncmp(model->str, "anthropic:", 10))) ||
				(provider && provider->kind == CL_V_STRING && !strcmp(provider->str, "anthropic"));
			if (claude) {
				struct cl_value *opts = c->py ? a.kw : facts_object_arg(c, &a, 1);
				if (c->py && !cl_value_get(opts, "model"))
					facts_object_put(c, opts, "model", model);
				return register_client(c, n, CL_CLIENT_LANGCHAIN, s.name, opts, -1, NULL);
			}
		}
		if (facts_resolve_symbol(c, callee, &s, 0) &&
		    cl_surface_symbol("http_functions", c->py, s.module, s.name) &&
		    (!strcmp(s.name, "Client") || !strcmp(s.name, "AsyncClient") ||
		     !strcmp(s.name, "Session") || !strcmp(s.name, "ClientSession") ||
		     !strcmp(s.name, "create"))) {
			/* an HTTP client: its options apply to its requests */
			struct args a = facts_eval_args(c, argsn, depth);
			struct cl_value *opts = c->py ? a.kw : facts_object_arg(c, &a, 0);
			struct cl_value *o = empty_object(c, n);
			facts_merge_into(c, o, opts);
			o->open = opts->open;
			facts_object_put(c, o, "__http_client__", new_value(c, CL_V_BOOL, n));
			return o;
		}
	}
	if (c->py && text_eq(c, callee, "dict")) {
		struct args a = facts_eval_args(c, argsn, depth);
		if (a.npos == 0)
			return a.kw;
		return unknown(c, n);
	}
	return unknown(c, n);
}
