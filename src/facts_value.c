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
static void add_item(struct ctx *c, struct cl_value *v, struct cl_value *item)
{
	struct cl_value **items = cl_arena_alloc(c->A, (v->nitems + 1) * sizeof *items);
	if (v->nitems)
		memcpy(items, v->items, v->nitems * sizeof *items);
	items[v->nitems++] = item;
	v->items = items;
}

/* What a part of a string being built brings to it (INTO may be NULL): its
 * taint, the file it was read from, its imported parts. False when the
 * part's text is unknown here. */
static bool note_part(struct ctx *c, struct cl_value *into, struct cl_value *v)
{
	if (!into)
		return v->kind == CL_V_STRING && !v->open;
	if (v->taint && !into->taint)
		into->taint = v->taint;
	if (v->file && !into->file)
		into->file = v->file;
	if (v->kind == CL_V_IMPORT) {
		add_item(c, into, v);
		return true;
	}
	if (v->param) { /* a parameter: its callers may tell */
		add_item(c, into, v);
		return false;
	}
	if (v->kind != CL_V_STRING)
		return false;
	for (size_t i = 0; i < v->nitems; i++)
		add_item(c, into, v->items[i]);
	return !v->open || v->open_imports;
}

static const char *string_content_eval(struct ctx *c, TSNode n, bool *partial, struct cl_value *into, int depth)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	buf_add(c, &buf, &len, &cap, "", 0);
	if (is(n, "concatenated_string")) {
		uint32_t k = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < k; i++) {
			const char *s = string_content_eval(c, ts_node_named_child(n, i), partial, into, depth);
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
					if (!note_part(c, into, v))
						*partial = true;
					if (v->kind == CL_V_STRING)
						buf_add(c, &buf, &len, &cap, v->str, v->len);
					pos = ts_node_end_byte(g);
				}
			}
			unescape_into(c, &buf, &len, &cap, src + pos, e - pos, raw);
		} else if (!strcmp(t, "interpolation") || !strcmp(t, "template_substitution")) {
			TSNode inner = ts_node_named_child(ch, 0);
			struct cl_value *v = ts_node_is_null(inner) ? NULL : facts_eval(c, inner, depth + 1);
			if (v && v->kind == CL_V_NUMBER) {
				char num[64];
				snprintf(num, sizeof num, "%g", v->num);
				buf_add(c, &buf, &len, &cap, num, strlen(num));
				continue;
			}
			if (!v || !note_part(c, into, v))
				*partial = true;
			if (v && v->kind == CL_V_STRING)
				buf_add(c, &buf, &len, &cap, v->str, v->len);
		}
	}
	return buf;
}

const char *facts_string_content(struct ctx *c, TSNode n, bool *partial)
{
	return string_content_eval(c, n, partial, NULL, EVAL_DEPTH - 2);
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

/* ------------------------------------------------------------------------ */
/* Request data and user input (taint), within a function.                  */

struct cl_value *facts_tainted(struct ctx *c, TSNode n, const char *taint)
{
	struct cl_value *v = unknown(c, n);
	v->taint = taint;
	return v;
}

/* V marked as derived from TAINT (a copy when it is not already). */
struct cl_value *facts_taint_with(struct ctx *c, struct cl_value *v, const char *taint)
{
	if (!taint || v->taint)
		return v;
	struct cl_value *t = cl_arena_alloc(c->A, sizeof *t);
	*t = *v;
	t->taint = taint;
	return t;
}

/* A parameter of a web route handler (not self/cls, not an injected
 * dependency) is request data. */
static const char *param_taint(struct ctx *c, const struct binding *b)
{
	if (b->injected || !strcmp(b->name, "self") || !strcmp(b->name, "cls") || !strncmp(b->name, "this.", 5))
		return NULL;
	int fn = cl_facts_enclosing(c->f, cl_facts_region_at(c->f, b->pos), CL_R_FUNCTION);
	if (fn < 0 || !c->f->regions.v[fn].route)
		return NULL;
	const struct cl_region *r = &c->f->regions.v[fn];
	if (b->pos < r->head.start || b->pos >= r->head.end)
		return NULL;
	return cl_arena_printf(c->A, "route parameter `%s`", b->name);
}

/* A parameter's value: request data in a route handler; otherwise unknown,
 * remembering which parameter of which function it is (CL17 follows the
 * callers' arguments). */
static struct cl_value *param_value(struct ctx *c, TSNode n, const struct binding *b)
{
	struct cl_value *v = facts_tainted(c, n, param_taint(c, b));
	int fn = cl_facts_enclosing(c->f, cl_facts_region_at(c->f, b->pos), CL_R_FUNCTION);
	if (v->taint || fn < 0 || !c->f->regions.v[fn].name || !c->f->regions.v[fn].params)
		return v;
	const struct cl_region *r = &c->f->regions.v[fn];
	if (b->pos < r->head.start || b->pos >= r->head.end)
		return v;
	int pos = 0;
	size_t nl = strlen(b->name);
	for (const char *p = r->params; *p; pos++) {
		const char *comma = strchr(p, ',');
		size_t l = comma ? (size_t)(comma - p) : strlen(p);
		if (l == nl && !strncmp(p, b->name, l)) {
			bool self = c->py && (!strncmp(r->params, "self", 4) || !strncmp(r->params, "cls", 3)) &&
				strchr(",", r->params[r->params[0] == 's' ? 4 : 3]);
			v->param = b->name;
			v->param_fn = r->name;
			v->param_pos = c->py && self ? pos - 1 : pos;
			return v;
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	return v;
}

/* `req.body`, `request.args`, `ctx.request.body`: a field of an HTTP request
 * object read by a conventional name (rules/surface.json request_names,
 * request_fields). */
static const char *request_field(struct ctx *c, TSNode obj, TSNode prop)
{
	if (ts_node_is_null(obj) || ts_node_is_null(prop))
		return NULL;
	if (!cl_surface_has("request_names", text(c, obj)) || !cl_surface_has("request_fields", text(c, prop)))
		return NULL;
	return cl_arena_printf(c->A, "%s.%s", text(c, obj), text(c, prop));
}

/* ------------------------------------------------------------------------ */
/* Operators.                                                               */

static struct cl_value *eval_binary_untainted(struct ctx *c, TSNode n, const char *o,
	struct cl_value *a, struct cl_value *b)
{
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
	if (!strcmp(o, "/") && a->kind == CL_V_PATH)
		return facts_path_join_value(c, n, a, b);
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
		bool known = note_part(c, v, a) & note_part(c, v, b);
		v->open = !known || v->nitems;
		v->open_imports = known && v->nitems;
		return v;
	}
	if (!strcmp(o, "%") && a->kind == CL_V_STRING) {
		/* "…%s…" % args: at least the template's text */
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		v->str = a->str;
		v->len = a->len;
		v->open = true;
		return v;
	}
	return unknown(c, n);
}

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
			/* `req.body.system || DEFAULT`: whoever sends the request chooses */
			return facts_taint_with(c, a->env ? env_value(c, n, a->env, b) : b, a->taint);
		}
		return a;
	}
	struct cl_value *b = facts_eval(c, r, depth + 1);
	return facts_taint_with(c, eval_binary_untainted(c, n, o, a, b), a->taint ? a->taint : b->taint);
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
		if (cl_surface_symbol("request_globals", c->py, b->module, b->imported))
			v->taint = cl_arena_printf(c->A, "%s (%s)", b->name, b->module);
		return v;
	}
	case B_PARAM:
		if (facts_type_names_client(b->type))
			return client_value(c, n, -1);
		return param_value(c, n, b);
	case B_VALUE:
		break;
	}
	if (b->member) {
		/* one name of a destructuring pattern */
		if (b->evaluating || depth > EVAL_DEPTH)
			return unknown(c, n);
		b->evaluating = true;
		struct cl_value *whole = facts_eval(c, b->value, depth + 1);
		b->evaluating = false;
		struct cl_value *v = *b->member ? cl_value_get(whole, b->member) : NULL;
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
};

static const struct node_how {
	const char *type;
	enum how how;
} node_hows[] = {
	{"array", H_LIST},
	{"as_expression", H_UNWRAP},
	{"attribute", H_MEMBER},
	{"await", H_UNWRAP},
	{"await_expression", H_UNWRAP},
	{"binary_expression", H_BINARY},
	{"binary_operator", H_BINARY},
	{"boolean_operator", H_BINARY},
	{"call", H_CALL},
	{"call_expression", H_CALL},
	{"concatenated_string", H_STRING},
	{"conditional_expression", H_CONDITIONAL},
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
	{"ternary_expression", H_CONDITIONAL},
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
	if (empty_value(vb))
		return facts_taint_with(c, va, taint);
	if (empty_value(va))
		return facts_taint_with(c, vb, taint);
	return facts_tainted(c, n, taint);
}

struct cl_value *facts_eval(struct ctx *c, TSNode n, int depth)
{
	if (depth > EVAL_DEPTH)
		c->too_deep = true;
	if (ts_node_is_null(n) || depth > EVAL_DEPTH || !facts_spend(c, 1))
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
	case H_CONDITIONAL:
		return eval_conditional(c, n, depth);
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
	v->str = string_content_eval(c, n, &partial, v, depth);
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
	if (!c->py && text_eq(c, obj, "import.meta") && !ts_node_is_null(prop)) {
		if (text_eq(c, prop, "url") || text_eq(c, prop, "filename"))
			return facts_path_value(c, n, c->f->path, true);
		if (text_eq(c, prop, "dirname"))
			return facts_path_value(c, n, facts_path_dir(c, c->f->path), true);
	}
	const char *req = request_field(c, obj, prop);
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
	if (o->kind == CL_V_IMPORT && k->kind == CL_V_STRING && !k->open && !strchr(k->str, '.'))
		return import_member(c, n, o, k->str);
	return facts_tainted(c, n, o->taint);
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

static bool is_function_node_type(TSNode n)
{
	return is(n, "function_definition") || is(n, "function_declaration") || is(n, "arrow_function") ||
		is(n, "function_expression") || is(n, "function");
}

static bool name_in(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(s, *names))
			return true;
	return false;
}

/* A string method that keeps the receiver's text (more or less): strip,
 * format, replace ... The result is at least as long as the receiver's
 * known text, minus what a strip removes. */
static struct cl_value *string_method(struct ctx *c, TSNode n, struct cl_value *recv, const char *m,
	struct args *a)
{
	static const char *const same[] = {"strip", "lstrip", "rstrip", "trim", "trimStart", "trimEnd",
		"lower", "upper", "toLowerCase", "toUpperCase", "encode", "decode", "normalize", NULL};
	static const char *const grows[] = {"format", "format_map", "replace", "replaceAll", "substitute",
		"safe_substitute", "concat", NULL};
	if (recv->kind == CL_V_STRING && name_in(m, same))
		return recv;
	if (recv->kind == CL_V_STRING && name_in(m, grows)) {
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		v->str = recv->str;
		v->len = recv->len;
		v->open = true;
		v->file = recv->file;
		return v;
	}
	if (!strcmp(m, "join")) {
		/* "\n".join(parts) / parts.join("\n") */
		struct cl_value *sep = c->py ? recv : (a->npos ? a->pos[0] : NULL);
		struct cl_value *list = c->py ? (a->npos ? a->pos[0] : NULL) : recv;
		if (!list || list->kind != CL_V_ARRAY)
			return NULL;
		char *buf = NULL;
		size_t len = 0, cap = 0;
		bool open = !sep || sep->kind != CL_V_STRING;
		buf_add(c, &buf, &len, &cap, "", 0);
		for (size_t i = 0; i < list->nitems; i++) {
			struct cl_value *it = list->items[i];
			if (i && sep && sep->kind == CL_V_STRING)
				buf_add(c, &buf, &len, &cap, sep->str, sep->len);
			if (it->kind == CL_V_STRING)
				buf_add(c, &buf, &len, &cap, it->str, it->len);
			if (it->kind != CL_V_STRING || it->open)
				open = true;
		}
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		v->str = buf;
		v->len = len;
		v->open = open;
		return v;
	}
	return NULL;
}

/* The last statement of a straight-line function body (comments aside);
 * null when the body branches or loops (it might return elsewhere). */
static TSNode last_statement(TSNode body)
{
	TSNode last = {0};
	uint32_t k = ts_node_named_child_count(body);
	for (uint32_t i = 0; i < k; i++) {
		TSNode st = ts_node_named_child(body, i);
		if (is(st, "comment"))
			continue;
		if (!is(st, "expression_statement") && !is(st, "return_statement") && !is(st, "with_statement") &&
		    !is(st, "lexical_declaration") && !is(st, "variable_declaration"))
			return (TSNode){0};
		last = st;
	}
	return last;
}

/* What `f()` returns when f is a function of the file without parameters
 * whose straight-line body ends in a return (possibly inside a `with`):
 * `def load_prompt(): return Path(...).read_text()`, `const prompt = () => …`. */
static struct cl_value *function_result(struct ctx *c, TSNode n, TSNode callee, int depth)
{
	if (depth > EVAL_DEPTH - 4)
		return NULL;
	const char *name = text(c, callee);
	TSNode fn = {0};
	struct binding *b = facts_lookup(c, name, ts_node_start_byte(callee));
	if (b && b->kind == B_VALUE && (is(b->value, "arrow_function") || is(b->value, "function_expression") ||
	    is(b->value, "function")))
		fn = b->value;
	for (size_t i = 0; !b && i < c->f->regions.n && ts_node_is_null(fn); i++) {
		const struct cl_region *r = &c->f->regions.v[i];
		if (r->kind == CL_R_FUNCTION && r->name && !strcmp(r->name, name) && r->params && !r->params[0] &&
		    (r->parent < 0 || c->f->regions.v[r->parent].kind == CL_R_FUNCTION))
			fn = ts_node_descendant_for_byte_range(c->root, r->span.start, r->span.end);
	}
	if (ts_node_is_null(fn) || !is_function_node_type(fn))
		return NULL;
	TSNode ps = field(fn, "parameters");
	if (!ts_node_is_null(ps) && ts_node_named_child_count(ps) > 0)
		return NULL;
	TSNode body = field(fn, "body");
	if (!is(body, "block") && !is(body, "statement_block"))
		return facts_eval(c, body, depth + 1); /* () => expression */
	TSNode st = last_statement(body);
	if (is(st, "with_statement"))
		st = last_statement(field(st, "body"));
	if (!is(st, "return_statement") || ts_node_named_child_count(st) == 0)
		return NULL;
	struct cl_value *v = facts_eval(c, ts_node_named_child(st, 0), depth + 2);
	struct cl_value *copy = cl_arena_alloc(c->A, sizeof *copy);
	*copy = *v;
	copy->span = span_of(n);
	return copy;
}

/* Paths, files read from them, user input, string methods; otherwise an
 * unknown result, derived from request data when its receiver or an
 * argument is (`retrieve_context(question)`). */
static struct cl_value *eval_other_call(struct ctx *c, TSNode n, TSNode callee, TSNode argsn,
	const char *last, int depth)
{
	static const char *const opens[] = {"open", "io.open", "codecs.open", "aiofiles.open", NULL};
	static const char *const path_ctors[] = {"Path", "PurePath", "PosixPath", "URL", NULL};
	static const char *const joins[] = {"os.path.join", "path.join", "path.resolve", "posixpath.join",
		"join", "resolve", NULL};
	static const char *const dirnames[] = {"os.path.dirname", "path.dirname", "dirname", NULL};
	static const char *const same_path[] = {"os.path.abspath", "os.path.realpath", "os.path.normpath",
		"path.normalize", "fileURLToPath", "url.fileURLToPath", "Path.resolve", NULL};
	static const char *const path_methods[] = {"resolve", "absolute", "expanduser", "open", NULL};
	static const char *const reads[] = {"read", "read_text", "read_bytes", "text", NULL};
	static const char *const read_fns[] = {"readFileSync", "readFile", "readTextFile", "readTextFileSync", NULL};
	static const char *const parse_fns[] = {"json.load", "json.loads", "JSON.parse", "yaml.safe_load",
		"yaml.load", "textwrap.dedent", "dedent", "inspect.cleandoc", "cleandoc", "str", "String", NULL};
	bool member = is(callee, "attribute") || is(callee, "member_expression");
	TSNode recvn = member ? field(callee, "object") : (TSNode){0};
	if (is(callee, "identifier") && ts_node_named_child_count(argsn) == 0) {
		struct cl_value *r = function_result(c, n, callee, depth);
		if (r)
			return r;
	}
	struct args a = facts_eval_args(c, argsn, depth);
	struct cl_value *recv = member ? facts_eval(c, recvn, depth + 1) : NULL;
	struct cl_value *a0 = a.npos ? a.pos[0] : NULL;
	if (c->py && is(callee, "identifier") && !strcmp(last, "input") && !facts_lookup(c, "input", ts_node_start_byte(n)))
		return facts_tainted(c, n, "input()");
	{
		struct symbol sym;
		if (facts_resolve_symbol(c, callee, &sym, 0) &&
		    cl_surface_symbol("user_input_functions", c->py, sym.module, sym.name))
			return facts_tainted(c, n, cl_arena_printf(c->A, "%s()", text(c, callee)));
	}
	if (member) {
		const char *req = request_field(c, recvn, field(callee, c->py ? "attribute" : "property"));
		if (req)
			return facts_tainted(c, n, cl_arena_printf(c->A, "%s()", req));
	}
	if (a0 && (facts_callee_is(c, callee, opens) || (!member && name_in(last, path_ctors)) ||
		   (member && name_in(last, path_ctors) && !strcmp(text(c, recvn), "pathlib")))) {
		struct cl_value *p = a0;
		if (!strcmp(last, "URL") && a.npos > 1 && a.pos[1]->kind == CL_V_PATH) {
			/* new URL("./prompt.md", import.meta.url) */
			const char *dir = facts_path_dir(c, a.pos[1]->str);
			const char *j = a0->kind == CL_V_STRING && !a0->open ? facts_path_join(c, dir, a0->str) : NULL;
			return j ? facts_path_value(c, n, j, a.pos[1]->b) : unknown(c, n);
		}
		for (size_t i = 1; i < a.npos && !facts_callee_is(c, callee, opens); i++)
			p = facts_path_join_value(c, n, p, a.pos[i]);
		const char *path;
		bool anchored;
		return facts_as_path(p, &path, &anchored) ? facts_path_value(c, n, path, anchored) : facts_taint_with(c, unknown(c, n), p->taint);
	}
	if (a0 && facts_callee_is(c, callee, joins)) {
		struct cl_value *p = a0;
		for (size_t i = 1; i < a.npos; i++)
			p = facts_path_join_value(c, n, p, a.pos[i]);
		if (p->kind == CL_V_PATH || (a.npos == 1 && member))
			return p->kind == CL_V_STRING ? facts_path_value(c, n, p->str, false) : p;
	}
	if (a0 && facts_callee_is(c, callee, dirnames) && a0->kind == CL_V_PATH)
		return facts_path_value(c, n, a0->b ? facts_path_dir(c, a0->str) : facts_path_join(c, a0->str, ".."), a0->b);
	if (a0 && facts_callee_is(c, callee, same_path) && (a0->kind == CL_V_PATH || a0->kind == CL_V_STRING))
		return a0;
	if (recv && recv->kind == CL_V_PATH) {
		if (name_in(last, path_methods))
			return recv;
		if (!strcmp(last, "joinpath") && a0)
			return facts_path_join_value(c, n, recv, a0);
		if (name_in(last, reads))
			return facts_file_contents(c, n, recv);
	}
	if (a0 && name_in(last, read_fns))
		return facts_file_contents(c, n, a0);
	if (a0 && facts_callee_is(c, callee, parse_fns))
		return a0->kind == CL_V_PATH ? facts_file_contents(c, n, a0) : a0;
	if (recv) {
		struct cl_value *v = string_method(c, n, recv, last, &a);
		if (v) {
			for (size_t i = 0; i < a.npos && !v->taint; i++)
				v = facts_taint_with(c, v, a.pos[i]->taint);
			for (size_t i = 0; i < a.kw->npairs && !v->taint; i++)
				v = facts_taint_with(c, v, a.kw->pairs[i].val->taint);
			return facts_taint_with(c, v, recv->taint);
		}
	}
	/* taint flows through calls */
	const char *t = recv ? recv->taint : NULL;
	for (size_t i = 0; i < a.npos && !t; i++)
		t = a.pos[i]->taint;
	for (size_t i = 0; i < a.kw->npairs && !t; i++)
		t = a.kw->pairs[i].val->taint;
	if (t && !strstr(t, " through "))
		t = cl_arena_printf(c->A, "%s, through %s()", t, last);
	return facts_tainted(c, n, t);
}

static struct cl_value *eval_call(struct ctx *c, TSNode n, int depth)
{
	bool is_new = is(n, "new_expression");
	TSNode callee = field(n, is_new ? "constructor" : "function");
	TSNode argsn = field(n, "arguments");
	if (ts_node_is_null(callee))
		return unknown(c, n);
	if (is(argsn, "template_string")) /* dedent`…`: a tagged template */
		return facts_eval(c, argsn, depth + 1);
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
	return eval_other_call(c, n, callee, argsn, last, depth);
}
