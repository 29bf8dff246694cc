/*
 * facts_entry.c — entry points users drive beyond web routes: the records
 * of rules/entrypoints.json (Workers, serverless handlers, SvelteKit /
 * Remix / Astro / Nuxt endpoints, tRPC, WebSocket and chat-bot handlers,
 * Gradio / Chainlit apps) matched against a function or a call that
 * registers handlers. Framework knowledge is all in the data.
 */
#include "adapters/facts_entry.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "adapters/surface.h"

/* N's parent: from the region walk's ancestors when N is the function being
 * looked at or one of them (ts_node_parent walks down from the root, so a
 * lookup per function would be quadratic in deeply nested code), else from
 * tree-sitter. */
static TSNode parent_of(const struct ctx *c, TSNode n)
{
	if (c->nanc && ts_node_eq(n, c->anc_child))
		return c->anc[c->nanc - 1];
	for (size_t i = c->nanc; i-- > 1;)
		if (ts_node_eq(c->anc[i], n))
			return c->anc[i - 1];
	return ts_node_parent(n);
}

static const cJSON *list(const cJSON *rec, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(rec, key);
}

static bool in_list(const cJSON *rec, const char *key, const char *s)
{
	const cJSON *e;
	if (!s)
		return false;
	cJSON_ArrayForEach(e, list(rec, key))
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return true;
	return false;
}

static const char *kind_of(const cJSON *rec)
{
	const cJSON *k = list(rec, "kind");
	return cJSON_IsString(k) ? k->valuestring : "entry point";
}

/* Does the file's path fit REC's paths / basenames? */
static bool path_fits(const char *path, const cJSON *rec)
{
	const cJSON *e, *paths = list(rec, "paths"), *bases = list(rec, "basenames");
	if (cJSON_GetArraySize(paths)) {
		bool ok = false;
		cJSON_ArrayForEach(e, paths) {
			if (!cJSON_IsString(e))
				continue;
			/* "/api": at the scan root only; "functions": a folder anywhere */
			const char *want = e->valuestring + (e->valuestring[0] == '/');
			size_t n = strlen(want);
			for (const char *p = path; p && !ok; p = strchr(p, '/'), p = p ? p + 1 : NULL) {
				ok = !strncmp(p, want, n) && p[n] == '/';
				if (want != e->valuestring)
					break;
			}
		}
		if (!ok)
			return false;
	}
	if (cJSON_GetArraySize(bases)) {
		const char *b = strrchr(path, '/');
		b = b ? b + 1 : path;
		cJSON_ArrayForEach(e, bases)
			if (cJSON_IsString(e) && !strncmp(b, e->valuestring, strlen(e->valuestring)))
				return true;
		return false;
	}
	return true;
}

/* Does REC apply to C's file: its language, an import of its modules (or
 * CALLEE's text containing one of callee_contains), its paths? */
static bool applies(struct ctx *c, const cJSON *rec, const char *callee)
{
	const cJSON *lang = list(rec, "lang"), *e;
	if (!cJSON_IsString(lang) || (!strcmp(lang->valuestring, "python")) != c->py)
		return false;
	if (!path_fits(c->f->path, rec))
		return false;
	const cJSON *mods = list(rec, "modules");
	if (!cJSON_GetArraySize(mods))
		return true;
	cJSON_ArrayForEach(e, mods)
		for (size_t i = 0; cJSON_IsString(e) && i < c->f->imported_modules.n; i++) {
			const char *m = c->f->imported_modules.v[i];
			size_t n = strlen(e->valuestring);
			/* also a versioned URL import (`https://deno.land/x/discordeno@18.0.1/mod.ts`) */
			if (cl_surface_module_matches(m, e->valuestring) || (!strncmp(m, e->valuestring, n) && m[n] == '@'))
				return true;
		}
	cJSON_ArrayForEach(e, list(rec, "callee_contains"))
		if (callee && cJSON_IsString(e) && strstr(callee, e->valuestring))
			return true;
	return false;
}

#define FOR_RECORDS(rec) \
	for (const cJSON *rec = cl_surface_table("entry_points") ? cl_surface_table("entry_points")->child : NULL; \
	     rec; rec = rec->next)

/* The record whose handler_calls CALL is, or NULL. */
static const cJSON *registering(struct ctx *c, TSNode call)
{
	if (!sym_is(c, call, SYM_CALL) && !sym_is(c, call, SYM_CALL_EXPRESSION))
		return NULL;
	TSNode callee = field(call, "function");
	if (ts_node_is_null(callee))
		return NULL;
	/* the whole callee only when short (`Deno.serve`, a tRPC procedure chain): bounded work per call */
	bool shrt = ts_node_end_byte(callee) - ts_node_start_byte(callee) < 256;
	const char *last = facts_last_prop(c, callee), *whole = shrt ? text(c, callee) : "";
	FOR_RECORDS(rec)
		if ((in_list(rec, "handler_calls", last) || in_list(rec, "handler_calls", whole)) && applies(c, rec, whole))
			return rec;
	return NULL;
}

const char *facts_entry_call(struct ctx *c, TSNode call)
{
	const cJSON *rec = registering(c, call);
	return rec ? kind_of(rec) : NULL;
}

/* Does text S hold one of REC's owner_filters? */
static bool owner_text(const cJSON *rec, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, list(rec, "owner_filters"))
		if (cJSON_IsString(e) && strstr(s, e->valuestring))
			return true;
	return false;
}

/* Is registration CALL of REC restricted to listed users (owner_filters in
 * its arguments, or in the value of a name they use: `user_filter =
 * filters.User(user_id=OWNER)`)? A personal bot's handlers are no entry
 * point many users drive. */
static bool owner_only(struct ctx *c, const cJSON *rec, TSNode call)
{
	if (!cJSON_GetArraySize(list(rec, "owner_filters")))
		return false;
	TSNode args = field(call, "arguments");
	if (ts_node_end_byte(args) - ts_node_start_byte(args) > 2048)
		return false;
	if (owner_text(rec, text(c, args)))
		return true;
	TSNode stack[64];
	int n = 0, seen = 0;
	stack[n++] = args;
	while (n && seen++ < 128) {
		TSNode x = stack[--n];
		if (sym_is(c, x, SYM_IDENTIFIER)) {
			struct binding *b = facts_lookup(c, text(c, x), ts_node_start_byte(x));
			if (b && b->kind == B_VALUE && !ts_node_is_null(b->value) &&
			    ts_node_end_byte(b->value) - ts_node_start_byte(b->value) < 512 && owner_text(rec, text(c, b->value)))
				return true;
			continue;
		}
		uint32_t k = ts_node_named_child_count(x);
		for (uint32_t i = 0; i < k && n < 64; i++)
			stack[n++] = ts_node_named_child(x, i);
	}
	return false;
}

/* Is PAIR's key (`Query`, `'Query'`) in REC's list LISTNAME? */
static bool key_in(struct ctx *c, const cJSON *rec, const char *listname, TSNode pair)
{
	if (!sym_is(c, pair, SYM_PAIR))
		return false;
	TSNode key = field(pair, "key");
	bool partial = false;
	const char *k = sym_is(c, key, SYM_STRING) ? facts_string_content(c, key, &partial) : text(c, key);
	return k && !partial && in_list(rec, listname, k);
}

/* The handlers named in OBJ's properties held under one of REC's
 * handler_objects keys (`{ events: { messageCreate: onMessage, ready } }`),
 * into OUT. */
static size_t object_handler_names(struct ctx *c, const cJSON *rec, TSNode obj, const char **out, size_t cap)
{
	size_t n = 0;
	uint32_t k = ts_node_named_child_count(obj);
	for (uint32_t i = 0; i < k && i < 32; i++) {
		TSNode p = ts_node_named_child(obj, i), inner = field(p, "value");
		if (!key_in(c, rec, "handler_objects", p) || !sym_is(c, inner, SYM_OBJECT))
			continue;
		uint32_t m = ts_node_named_child_count(inner);
		for (uint32_t j = 0; j < m && j < 64 && n < cap; j++) {
			TSNode q = ts_node_named_child(inner, j), v = sym_is(c, q, SYM_PAIR) ? field(q, "value") : q;
			if (sym_is(c, v, SYM_IDENTIFIER) || sym_is(c, v, SYM_MEMBER_EXPRESSION) ||
			    sym_is(c, v, SYM_SHORTHAND_PROPERTY_IDENTIFIER))
				out[n++] = facts_last_prop(c, v);
		}
	}
	return n;
}

size_t facts_entry_handler_names(struct ctx *c, TSNode call, const char **out, size_t cap)
{
	const cJSON *rec = registering(c, call);
	if (!rec || owner_only(c, rec, call))
		return 0;
	TSNode args = field(call, "arguments");
	uint32_t k = ts_node_named_child_count(args);
	size_t n = 0;
	for (uint32_t i = 0; i < k && i < 8 && n < cap; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (sym_is(c, a, SYM_KEYWORD_ARGUMENT)) {
			if (!text_eq(c, field(a, "name"), "fn"))
				continue;
			a = field(a, "value");
		}
		/* a handler wrapped where it is registered (`MessageHandler(filters.TEXT, _w(handle_message))`) */
		if ((sym_is(c, a, SYM_CALL) || sym_is(c, a, SYM_CALL_EXPRESSION)) &&
		    ts_node_named_child_count(field(a, "arguments")) == 1)
			a = ts_node_named_child(field(a, "arguments"), 0);
		if (sym_is(c, a, SYM_IDENTIFIER) || sym_is(c, a, SYM_ATTRIBUTE) || sym_is(c, a, SYM_MEMBER_EXPRESSION)) {
			const char *h = facts_last_prop(c, a);
			if (h && *h)
				out[n++] = h;
		} else if (sym_is(c, a, SYM_OBJECT)) {
			n += object_handler_names(c, rec, a, out + n, cap - n);
		}
	}
	return n;
}

static TSNode skip_wrappers(const struct ctx *c, TSNode p)
{
	while (sym_is(c, p, SYM_PARENTHESIZED_EXPRESSION) || sym_is(c, p, SYM_AS_EXPRESSION) || sym_is(c, p, SYM_SATISFIES_EXPRESSION))
		p = parent_of(c, p);
	return p;
}

/* FN's place as a function value in an object literal: the object, or null. */
static TSNode object_of(const struct ctx *c, TSNode fn)
{
	TSNode p = parent_of(c, fn);
	if (sym_is(c, fn, SYM_METHOD_DEFINITION) && sym_is(c, p, SYM_OBJECT))
		return p;
	if (sym_is(c, p, SYM_PAIR) && ts_node_eq(field(p, "value"), fn))
		return parent_of(c, p);
	return (TSNode){0};
}

static bool export_default(struct ctx *c, TSNode stmt)
{
	return sym_is(c, stmt, SYM_EXPORT_STATEMENT) && !strncmp(text(c, stmt), "export default", 14);
}

/* The name FN is exported under ("default" for a default export), or NULL;
 * a function of an exported object is exported under the object's name. */
static const char *export_name(struct ctx *c, TSNode fn, const char *name)
{
	TSNode p = skip_wrappers(c, parent_of(c, fn));
	if (export_default(c, p))
		return "default";
	if (sym_is(c, p, SYM_ASSIGNMENT_EXPRESSION)) { /* exports.handler = / module.exports.handler = */
		TSNode left = field(p, "left");
		const char *obj = sym_is(c, left, SYM_MEMBER_EXPRESSION) ? text(c, field(left, "object")) : "";
		return !strcmp(obj, "exports") || !strcmp(obj, "module.exports") ? name : NULL;
	}
	TSNode obj = object_of(c, fn);
	if (!ts_node_is_null(obj)) {
		p = skip_wrappers(c, parent_of(c, obj));
		if (!sym_is(c, p, SYM_VARIABLE_DECLARATOR))
			return NULL;
		name = text(c, field(p, "name"));
		p = parent_of(c, p);
	} else if (sym_is(c, p, SYM_VARIABLE_DECLARATOR)) {
		p = parent_of(c, p);
	}
	if ((sym_is(c, p, SYM_LEXICAL_DECLARATION) || sym_is(c, p, SYM_VARIABLE_DECLARATION)) && sym_is(c, parent_of(c, p), SYM_EXPORT_STATEMENT))
		return name;
	if (sym_is(c, p, SYM_EXPORT_STATEMENT))
		return name;
	return NULL;
}

/* FN's method name when it is a function of the default-exported object. */
static const char *default_method(struct ctx *c, TSNode fn, const char *name)
{
	TSNode obj = object_of(c, fn);
	if (ts_node_is_null(obj))
		return NULL;
	return export_default(c, skip_wrappers(c, parent_of(c, obj))) ? name : NULL;
}

/* The call FN is passed to, inline (also as an object property or the
 * keyword argument `fn`), or null. */
static TSNode call_taking(const struct ctx *c, TSNode fn)
{
	TSNode p = parent_of(c, fn), obj = object_of(c, fn);
	if (!ts_node_is_null(obj))
		p = parent_of(c, obj);
	if (sym_is(c, p, SYM_KEYWORD_ARGUMENT))
		p = parent_of(c, p);
	if (sym_is(c, p, SYM_ARGUMENTS) || sym_is(c, p, SYM_ARGUMENT_LIST))
		return parent_of(c, p);
	return (TSNode){0};
}

static bool first_param(const char *params, const char *want)
{
	size_t n = strlen(want);
	return !strncmp(params, want, n) && (params[n] == ',' || !params[n]);
}

static bool has_prefix(const cJSON *rec, const char *key, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, list(rec, key))
		if (s && cJSON_IsString(e) && !strncmp(s, e->valuestring, strlen(e->valuestring)))
			return true;
	return false;
}

/* The decorators of FN, into OUT (at most CAP): a Python decorated
 * definition's; a JS method's (before it in the class body, or its own). */
static size_t decorators_of(const struct ctx *c, TSNode fn, TSNode *out, size_t cap)
{
	size_t n = 0;
	if (c->py) {
		TSNode d = parent_of(c, fn);
		uint32_t k = sym_is(c, d, SYM_DECORATED_DEFINITION) ? ts_node_named_child_count(d) : 0;
		for (uint32_t i = 0; i < k && n < cap; i++)
			if (sym_is(c, ts_node_named_child(d, i), SYM_DECORATOR))
				out[n++] = ts_node_named_child(d, i);
		return n;
	}
	if (!sym_is(c, fn, SYM_METHOD_DEFINITION) && !is_class_node(c, fn) && !sym_is(c, fn, SYM_EXPORT_STATEMENT))
		return 0;
	if (sym_is(c, fn, SYM_METHOD_DEFINITION))
		for (TSNode s = ts_node_prev_named_sibling(fn); n < cap && (sym_is(c, s, SYM_DECORATOR) || sym_is(c, s, SYM_COMMENT));
		     s = ts_node_prev_named_sibling(s))
			if (sym_is(c, s, SYM_DECORATOR))
				out[n++] = s;
	uint32_t k = ts_node_named_child_count(fn);
	for (uint32_t i = 0; i < k && n < cap; i++)
		if (sym_is(c, ts_node_named_child(fn, i), SYM_DECORATOR))
			out[n++] = ts_node_named_child(fn, i);
	return n;
}

/* The decorators of the class a JS method FN is defined in (also those
 * written before `export class`), into OUT. */
static size_t class_decorators_of(const struct ctx *c, TSNode fn, TSNode *out, size_t cap)
{
	if (c->py || !sym_is(c, fn, SYM_METHOD_DEFINITION))
		return 0;
	TSNode body = parent_of(c, fn), cls = sym_is(c, body, SYM_CLASS_BODY) ? parent_of(c, body) : (TSNode){0};
	if (!is_class_node(c, cls))
		return 0;
	size_t n = decorators_of(c, cls, out, cap);
	TSNode ex = parent_of(c, cls);
	if (sym_is(c, ex, SYM_EXPORT_STATEMENT))
		n += decorators_of(c, ex, out + n, cap - n);
	return n;
}

/* A decorator's expression, its callee (`@x.y(...)` -> x.y), last name. */
static TSNode deco_callee(const struct ctx *c, TSNode d)
{
	TSNode e = ts_node_named_child(d, 0);
	return sym_is(c, e, SYM_CALL) || sym_is(c, e, SYM_CALL_EXPRESSION) ? field(e, "function") : e;
}

/* FN is a resolver of a GraphQL resolver map: a function of an object held
 * under one of REC's resolver_maps keys (`Query: { ask: (_, args) => … }`)
 * or in a variable so named (`export const Mutation = { … }`, merged into
 * the map elsewhere), or one level deeper (`Subscription: { onX: {
 * subscribe: … } }`). */
static bool in_resolver_map(struct ctx *c, const cJSON *rec, TSNode fn)
{
	if (!cJSON_GetArraySize(list(rec, "resolver_maps")))
		return false;
	TSNode obj = object_of(c, fn);
	for (int level = 0; level < 2 && !ts_node_is_null(obj); level++) {
		TSNode p = skip_wrappers(c, parent_of(c, obj));
		/* a map of its own file: `export const Mutation = { … }` */
		if (sym_is(c, p, SYM_VARIABLE_DECLARATOR))
			return in_list(rec, "resolver_maps", text(c, field(p, "name")));
		if (!sym_is(c, p, SYM_PAIR))
			return false;
		if (key_in(c, rec, "resolver_maps", p))
			return true;
		obj = parent_of(c, p);
		if (!sym_is(c, obj, SYM_OBJECT))
			return false;
	}
	return false;
}

static bool range_has(const struct ctx *c, uint32_t from, uint32_t to, const cJSON *strs)
{
	const cJSON *e;
	if (to > c->src->len || from >= to)
		return false;
	cJSON_ArrayForEach(e, strs)
		if (cJSON_IsString(e) && memmem(c->src->data + from, to - from, e->valuestring, strlen(e->valuestring)))
			return true;
	return false;
}

/* REC's event_shape: does FN's text (with a JS declarator's type, `const
 * handler: APIGatewayProxyHandler = …`) show the event users send? `http`
 * decides yes, then `other` no, then `http_weak` yes; nothing: no. */
static bool shape_fits(const struct ctx *c, const cJSON *rec, TSNode fn)
{
	const cJSON *want = list(rec, "event_shape"), *shape = NULL, *e;
	if (!cJSON_IsString(want))
		return true;
	cJSON_ArrayForEach(e, cl_surface_table("event_shapes"))
		if (cJSON_IsString(list(e, "name")) && !strcmp(list(e, "name")->valuestring, want->valuestring))
			shape = e;
	if (!shape)
		return false;
	uint32_t from = ts_node_start_byte(fn), to = ts_node_end_byte(fn);
	TSNode p = skip_wrappers(c, parent_of(c, fn));
	if (!c->py && sym_is(c, p, SYM_VARIABLE_DECLARATOR))
		from = ts_node_start_byte(p);
	if (range_has(c, from, to, cJSON_GetObjectItemCaseSensitive(shape, "http")))
		return true;
	if (range_has(c, from, to, cJSON_GetObjectItemCaseSensitive(shape, "other")))
		return false;
	return range_has(c, from, to, cJSON_GetObjectItemCaseSensitive(shape, "http_weak"));
}

bool facts_route_limiter_name(const char *name)
{
	const cJSON *rl = cl_surface_table("route_limiters"), *e;
	const cJSON *parts = rl ? cJSON_GetObjectItemCaseSensitive(rl->child, "middleware_contains") : NULL;
	cJSON_ArrayForEach(e, parts)
		if (cJSON_IsString(e) && name && strcasestr(name, e->valuestring))
			return true;
	return false;
}

const char *facts_route_limiter_arg(struct ctx *c, TSNode call, TSNode before)
{
	TSNode args = field(call, "arguments");
	uint32_t k = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < k && i < 12; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (!ts_node_is_null(before) && ts_node_start_byte(a) >= ts_node_start_byte(before))
			break;
		TSNode name = sym_is(c, a, SYM_CALL_EXPRESSION) ? field(a, "function") : a;
		if ((sym_is(c, name, SYM_IDENTIFIER) || sym_is(c, name, SYM_MEMBER_EXPRESSION)) && facts_route_limiter_name(facts_last_prop(c, name)))
			return text(c, a);
	}
	return NULL;
}

static const cJSON *limiter_data(const char *key)
{
	const cJSON *rl = cl_surface_table("route_limiters");
	return rl ? cJSON_GetObjectItemCaseSensitive(rl->child, key) : NULL;
}

/* Is decorator D one of the route_limiters list KEY: `@limiter.limit(...)`
 * (its object named like a limiter), `@Throttle(...)` (a bare name), or, for
 * guard_decorators, `@UseGuards(ThrottlerGuard)` (an argument named so)? */
static bool limiter_decorator(struct ctx *c, TSNode d, const char *key)
{
	TSNode callee = deco_callee(c, d);
	const char *last = facts_last_prop(c, callee);
	const cJSON *x;
	bool listed = false;
	cJSON_ArrayForEach(x, limiter_data(key))
		listed |= cJSON_IsString(x) && !strcmp(last, x->valuestring);
	if (!listed)
		return false;
	if (!strcmp(key, "guard_decorators")) {
		TSNode e = ts_node_named_child(d, 0);
		return (sym_is(c, e, SYM_CALL) || sym_is(c, e, SYM_CALL_EXPRESSION)) &&
			facts_route_limiter_arg(c, e, (TSNode){0});
	}
	if (sym_is(c, callee, SYM_ATTRIBUTE) || sym_is(c, callee, SYM_MEMBER_EXPRESSION))
		return facts_route_limiter_name(text(c, field(callee, "object")));
	return sym_is(c, callee, SYM_IDENTIFIER) && !c->py;
}

/* The first of FN's decorators, then its class's, that is in KEY (or in
 * KEY2 when not null), or null. */
static TSNode limiter_decorated(struct ctx *c, TSNode fn, const char *key, const char *key2)
{
	TSNode decos[32];
	size_t n = decorators_of(c, fn, decos, 16);
	n += class_decorators_of(c, fn, decos + n, 16);
	for (size_t i = 0; i < n; i++)
		if (limiter_decorator(c, decos[i], key) || (key2 && limiter_decorator(c, decos[i], key2)))
			return decos[i];
	return (TSNode){0};
}

static const char *text_or_null(struct ctx *c, TSNode n)
{
	return ts_node_is_null(n) ? NULL : text(c, n);
}

const char *facts_route_limiter(struct ctx *c, TSNode fn)
{
	const char *d = text_or_null(c, limiter_decorated(c, fn, "decorators", "guard_decorators"));
	if (d || c->py)
		return d;
	TSNode call = call_taking(c, fn);
	return ts_node_is_null(call) ? NULL : facts_route_limiter_arg(c, call, fn);
}

/* The object decorator D's first argument evaluates to, its keys the
 * throttlers it names: a literal (`@Throttle({ ask: { limit: 5 } })`), a
 * constant (`@SkipThrottle(SKIP_ASK)` with `const SKIP_ASK = { ask: true }`),
 * a spread of one; NULL for a bare decorator, or one whose argument is not
 * an object claudit can read. */
static const struct cl_value *deco_object(struct ctx *c, TSNode d)
{
	TSNode e = ts_node_is_null(d) ? d : ts_node_named_child(d, 0);
	if (!sym_is(c, e, SYM_CALL_EXPRESSION) && !sym_is(c, e, SYM_CALL))
		return NULL;
	TSNode args = field(e, "arguments");
	if (!ts_node_named_child_count(args))
		return NULL;
	const struct cl_value *v = facts_eval(c, ts_node_named_child(args, 0), 0);
	return v->kind == CL_V_OBJECT && (v->npairs || !v->open) ? v : NULL;
}

static bool is_false(const struct cl_value *v)
{
	return v && v->kind == CL_V_BOOL && !v->b;
}

/* Does the skip decorator whose object is SKIP exempt the throttler NAME? A
 * bare one (SKIP null) names skip_default_name; else each key not set false. */
static bool skips_name(const struct cl_value *skip, const char *name)
{
	const cJSON *dflt = limiter_data("skip_default_name");
	if (!skip)
		return !cJSON_IsString(dflt) || !strcmp(name, dflt->valuestring);
	const struct cl_value *v = cl_value_get(skip, name);
	return v && !is_false(v);
}

const char *facts_route_skip(struct ctx *c, TSNode fn, const char *guard)
{
	TSNode d = limiter_decorated(c, fn, "skip_decorators", NULL);
	if (ts_node_is_null(d))
		return NULL;
	const struct cl_value *skip = deco_object(c, d);
	/* `@SkipThrottle({ default: false })`: every throttler it names set false turns the skip off */
	bool any = !skip;
	for (size_t i = 0; skip && i < skip->npairs; i++)
		any |= !is_false(skip->pairs[i].val);
	if (!any)
		return NULL;
	/* the route's own named limit that the skip does not name still holds:
	 * `@SkipThrottle()` on the controller skips the `default` throttler,
	 * `@Throttle({ ask: {...} })` on the route sets the `ask` one */
	const struct cl_value *own = guard ? deco_object(c, limiter_decorated(c, fn, "decorators", NULL)) : NULL;
	for (size_t i = 0; own && i < own->npairs; i++)
		if (!skips_name(skip, own->pairs[i].key))
			return NULL;
	return text(c, d);
}

/* FN is a method NAME of REC's `methods` in a Python class deriving from
 * one of REC's `base_classes` (by last name: `discord.Client`,
 * `commands.Cog`): an event the framework calls by its name. */
static bool subclass_method(struct ctx *c, const cJSON *rec, TSNode fn, const char *name)
{
	if (!c->py || !in_list(rec, "methods", name))
		return false;
	TSNode p = parent_of(c, fn);
	if (sym_is(c, p, SYM_DECORATED_DEFINITION))
		p = parent_of(c, p);
	TSNode cls = sym_is(c, p, SYM_BLOCK) ? parent_of(c, p) : (TSNode){0};
	if (!sym_is(c, cls, SYM_CLASS_DEFINITION))
		return false;
	TSNode bases = field(cls, "superclasses");
	uint32_t k = ts_node_is_null(bases) ? 0 : ts_node_named_child_count(bases);
	for (uint32_t i = 0; i < k && i < 8; i++) {
		TSNode b = ts_node_named_child(bases, i);
		if ((sym_is(c, b, SYM_IDENTIFIER) || sym_is(c, b, SYM_ATTRIBUTE)) &&
		    in_list(rec, "base_classes", facts_last_prop(c, b)))
			return true;
	}
	return false;
}

/* FN held in an object under one of handler_objects of the object passed to
 * a registering call (`createBot({ events: { messageCreate(bot, m) {…} } })`):
 * that record, the call in *CALL. */
static const cJSON *nested_registration(struct ctx *c, TSNode fn, TSNode *call)
{
	TSNode obj = object_of(c, fn);
	if (c->py || ts_node_is_null(obj))
		return NULL;
	TSNode pair = parent_of(c, obj), outer = parent_of(c, pair), args = parent_of(c, outer);
	if (!sym_is(c, pair, SYM_PAIR) || !sym_is(c, outer, SYM_OBJECT) || !sym_is(c, args, SYM_ARGUMENTS))
		return NULL;
	*call = parent_of(c, args);
	const cJSON *rec = registering(c, *call);
	return rec && key_in(c, rec, "handler_objects", pair) ? rec : NULL;
}

/* FN assigned to a member of an object under one of REC's handler_objects
 * (`bot.events.messageCreate = (bot, m) => …`). */
static bool member_handler(struct ctx *c, const cJSON *rec, TSNode fn)
{
	if (c->py || !cJSON_GetArraySize(list(rec, "handler_objects")))
		return false;
	TSNode p = skip_wrappers(c, parent_of(c, fn));
	if (!sym_is(c, p, SYM_ASSIGNMENT_EXPRESSION) || !ts_node_eq(field(p, "right"), fn))
		return false;
	TSNode left = field(p, "left"), obj = field(left, "object");
	return sym_is(c, left, SYM_MEMBER_EXPRESSION) && sym_is(c, obj, SYM_MEMBER_EXPRESSION) &&
		in_list(rec, "handler_objects", text(c, field(obj, "property")));
}

const char *facts_entry_function(struct ctx *c, TSNode fn, const char *name, const char *params,
	const char **guard)
{
	*guard = NULL;
	TSNode decos[16];
	size_t nd = decorators_of(c, fn, decos, 16);
	TSNode call = call_taking(c, fn);
	const cJSON *by_call = ts_node_is_null(call) ? NULL : registering(c, call);
	if (!by_call)
		by_call = nested_registration(c, fn, &call);
	if (by_call) {
		/* a limiter middleware passed before it (`createHandlers(chatLimiter, async (c) => …)`) */
		*guard = c->py ? NULL : facts_route_limiter_arg(c, call, fn);
		return kind_of(by_call);
	}
	const char *exported = c->py ? NULL : export_name(c, fn, name);
	const char *method = c->py ? NULL : default_method(c, fn, name);
	FOR_RECORDS(rec) {
		if (!applies(c, rec, NULL))
			continue;
		bool hit = (exported && in_list(rec, "exports", exported)) ||
			(method && in_list(rec, "default_export_methods", method)) || member_handler(c, rec, fn);
		/* with first_param: a function named (or exported) so whose first parameter is that */
		const cJSON *fp = list(rec, "first_param");
		bool named = in_list(rec, "names", name) || has_prefix(rec, "name_prefixes", name);
		if (cJSON_IsString(fp))
			hit = (hit || named) && params && first_param(params, fp->valuestring) && shape_fits(c, rec, fn);
		else
			hit = hit || named || (!c->py && in_resolver_map(c, rec, fn)) || subclass_method(c, rec, fn, name);
		for (size_t i = 0; i < nd; i++) {
			const char *last = facts_last_prop(c, deco_callee(c, decos[i]));
			if (in_list(rec, "decorators", last))
				hit = true;
			else if (in_list(rec, "guards", last))
				*guard = text(c, decos[i]);
		}
		if (hit)
			return kind_of(rec);
		*guard = NULL;
	}
	return NULL;
}

void facts_entry_runnable(struct ctx *c, TSNode call)
{
	if (!sym_is(c, call, SYM_CALL) && !sym_is(c, call, SYM_CALL_EXPRESSION))
		return;
	const char *last = facts_last_prop(c, field(call, "function"));
	FOR_RECORDS(rec) {
		if (!in_list(rec, "runnable_calls", last) || !applies(c, rec, NULL))
			continue;
		const cJSON *at = list(rec, "runnable_arg");
		TSNode args = field(call, "arguments"), arg = {0};
		uint32_t k = ts_node_named_child_count(args), pos = 0;
		for (uint32_t i = 0; i < k && i < 16 && ts_node_is_null(arg); i++) {
			TSNode a = ts_node_named_child(args, i);
			if (sym_is(c, a, SYM_KEYWORD_ARGUMENT)) {
				if (text_eq(c, field(a, "name"), "runnable"))
					arg = field(a, "value");
			} else if (!sym_is(c, a, SYM_COMMENT) && cJSON_IsNumber(at) && pos++ == (uint32_t)at->valueint) {
				arg = a;
			}
		}
		if (ts_node_is_null(arg))
			return;
		/* a runnable's own methods give a runnable (`chain.with_types(input_type=X)`) */
		for (int hops = 0; hops < 4 && (sym_is(c, arg, SYM_CALL) || sym_is(c, arg, SYM_CALL_EXPRESSION)) &&
		     (sym_is(c, field(arg, "function"), SYM_ATTRIBUTE) || sym_is(c, field(arg, "function"), SYM_MEMBER_EXPRESSION)); hops++)
			arg = field(field(arg, "function"), "object");
		struct cl_runnable_route r = {kind_of(rec), span_of(call), NULL, facts_eval(c, arg, 0), false};
		r.name = ts_node_end_byte(arg) - ts_node_start_byte(arg) < 64 ? text(c, arg) : "(runnable)";
		cl_vec_push(&c->f->runnable_routes, r);
		return;
	}
}

const char *facts_entry_script(struct ctx *c, TSNode call)
{
	if (!sym_is(c, call, SYM_CALL) && !sym_is(c, call, SYM_CALL_EXPRESSION))
		return NULL;
	const char *last = facts_last_prop(c, field(call, "function"));
	FOR_RECORDS(rec)
		if (in_list(rec, "script_calls", last) && applies(c, rec, NULL))
			return kind_of(rec);
	return NULL;
}
