/*
 * facts_regions.c — the code structure around calls: one walk of the syntax
 * tree records functions, classes, loops, try bodies and their handlers as
 * regions (source order, each linked to its parent), marks web route
 * handlers, and lists calls by name so that checks can follow a call into
 * the functions of the tree. Route shapes and framework names are data
 * (rules/surface.json); other entry points (bots, serverless, Workers) are
 * rules/entrypoints.json's, matched by facts_entry.c.
 */
#include "adapters/facts_entry.h"
#include "model/facts_internal.h"

#include <stdlib.h>
#include <string.h>

#include "adapters/surface.h"

#define MAX_OPEN 512 /* regions nested deeper than this are not recorded */

struct walk {
	struct ctx *c;
	int open[MAX_OPEN];   /* the regions containing the current node */
	int nopen;
	struct { uint32_t pos; int idx; } pending[64]; /* try bodies to open */
	int npending;
	CL_VEC(const char *) route_names; /* handlers registered by name, */
	CL_VEC(const char *) route_guards; /* and the limiter middleware before each (or NULL) */
	CL_VEC(const char *) entry_names; /* other entry points registered by name, */
	CL_VEC(const char *) entry_kinds; /* and their kinds (parallel) */
	bool route_file;      /* Next.js route.ts / pages/api / "use server" */
	bool django;
	CL_VEC(TSNode) anc;   /* the current node's ancestors, root first: a
	                         parent in O(1) (ts_node_parent walks down from
	                         the root, quadratic in deeply nested code) */
};

/* The K-th ancestor of N, the node being walked (K = 1: its parent). */
static TSNode up(const struct walk *w, TSNode n, size_t k)
{
	if (k && k <= w->anc.n) {
		TSNode a = w->anc.v[w->anc.n - k];
		if (ts_node_start_byte(a) <= ts_node_start_byte(n) && ts_node_end_byte(a) >= ts_node_end_byte(n))
			return a;
	}
	for (; k; k--)
		n = ts_node_parent(n);
	return n;
}

static struct cl_span empty_span_at(TSNode n)
{
	struct cl_span sp = span_of(n);
	sp.end = sp.start;
	sp.end_line = sp.line;
	sp.end_col = sp.col;
	return sp;
}

/* The span from A's start to B's end. */
static struct cl_span join(TSNode a, TSNode b)
{
	struct cl_span sa = span_of(a), sb = span_of(b);
	sa.end = sb.end;
	sa.end_line = sb.end_line;
	sa.end_col = sb.end_col;
	return sa;
}

static int push_region(struct walk *w, enum cl_region_kind kind, TSNode n, int parent)
{
	struct cl_span span = span_of(n);
	struct cl_region r;
	memset(&r, 0, sizeof r);
	r.kind = kind;
	r.span = span;
	r.head = span;
	r.head.end = span.start;
	r.head.end_line = span.line;
	r.head.end_col = span.col;
	r.parent = parent;
	cl_vec_push(&w->c->f->regions, r);
	cl_vec_push(&w->c->region_nodes, n);
	return (int)w->c->f->regions.n - 1;
}

static void open_region(struct walk *w, int idx)
{
	if (w->nopen < MAX_OPEN)
		w->open[w->nopen++] = idx;
}

static int current(struct walk *w)
{
	return w->nopen ? w->open[w->nopen - 1] : -1;
}

/* ------------------------------------------------------------------------ */
/* Functions: name, parameters, route handlers.                             */

static void add_param_names(struct ctx *c, TSNode n, char *buf, size_t cap, size_t *len)
{
	TSNode name = {0};
	if (sym_is(c, n, SYM_IDENTIFIER) || sym_is(c, n, SYM_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN))
		name = n;
	else if (sym_is(c, n, SYM_TYPED_PARAMETER) || sym_is(c, n, SYM_LIST_SPLAT_PATTERN) ||
		 sym_is(c, n, SYM_DICTIONARY_SPLAT_PATTERN))
		name = ts_node_named_child(n, 0);
	else if (sym_is(c, n, SYM_DEFAULT_PARAMETER) || sym_is(c, n, SYM_TYPED_DEFAULT_PARAMETER))
		name = field(n, "name");
	else if (sym_is(c, n, SYM_REQUIRED_PARAMETER) || sym_is(c, n, SYM_OPTIONAL_PARAMETER)) {
		TSNode pat = field(n, "pattern");
		if (sym_is(c, pat, SYM_IDENTIFIER))
			name = pat;
		else if (!ts_node_is_null(pat))
			add_param_names(c, pat, buf, cap, len);
	} else if (sym_is(c, n, SYM_ASSIGNMENT_PATTERN)) {
		add_param_names(c, field(n, "left"), buf, cap, len);
	} else if (sym_is(c, n, SYM_OBJECT_PATTERN) || sym_is(c, n, SYM_ARRAY_PATTERN) ||
		   sym_is(c, n, SYM_REST_PATTERN)) {
		uint32_t k = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < k && i < 32; i++)
			add_param_names(c, ts_node_named_child(n, i), buf, cap, len);
	} else if (sym_is(c, n, SYM_PAIR_PATTERN)) {
		add_param_names(c, field(n, "value"), buf, cap, len);
	}
	if (!sym_is(c, name, SYM_IDENTIFIER) && !sym_is(c, name, SYM_SHORTHAND_PROPERTY_IDENTIFIER_PATTERN))
		return;
	uint32_t s = ts_node_start_byte(name), e = ts_node_end_byte(name);
	if (e - s + 2 >= cap - *len)
		return;
	if (*len)
		buf[(*len)++] = ',';
	memcpy(buf + *len, c->src->data + s, e - s);
	*len += e - s;
	buf[*len] = 0;
}

static const char *param_names(struct ctx *c, TSNode fn)
{
	char buf[512];
	size_t len = 0;
	buf[0] = 0;
	TSNode ps = field(fn, "parameters");
	if (ts_node_is_null(ps))
		ps = field(fn, "parameter");
	if (ts_node_is_null(ps))
		return "";
	if (sym_is(c, ps, SYM_IDENTIFIER)) {
		add_param_names(c, ps, buf, sizeof buf, &len);
	} else {
		uint32_t k = ts_node_named_child_count(ps);
		for (uint32_t i = 0; i < k && i < 32; i++)
			add_param_names(c, ts_node_named_child(ps, i), buf, sizeof buf, &len);
	}
	return cl_arena_strdup(c->A, buf);
}

/* An anonymous function's name: what it is assigned to or the key it is stored under. */
static const char *function_name(struct walk *w, TSNode fn)
{
	struct ctx *c = w->c;
	TSNode nm = field(fn, "name");
	if (!ts_node_is_null(nm))
		return text(c, nm);
	size_t k = 1;
	TSNode p = up(w, fn, k);
	while (sym_is(c, p, SYM_PARENTHESIZED_EXPRESSION) || sym_is(c, p, SYM_AS_EXPRESSION) ||
		sym_is(c, p, SYM_SATISFIES_EXPRESSION))
		p = up(w, fn, ++k);
	if (sym_is(c, p, SYM_VARIABLE_DECLARATOR))
		nm = field(p, "name");
	else if (sym_is(c, p, SYM_ASSIGNMENT_EXPRESSION) || sym_is(c, p, SYM_ASSIGNMENT))
		nm = field(p, "left");
	else if (sym_is(c, p, SYM_PAIR))
		nm = field(p, "key");
	if (sym_is(c, nm, SYM_IDENTIFIER) || sym_is(c, nm, SYM_PROPERTY_IDENTIFIER))
		return text(c, nm);
	if (sym_is(c, nm, SYM_MEMBER_EXPRESSION))
		return text(c, field(nm, "property"));
	if (sym_is(c, nm, SYM_ATTRIBUTE))
		return text(c, field(nm, "attribute"));
	return NULL;
}

static bool string_arg_is_path(struct ctx *c, TSNode s)
{
	if (!sym_is(c, s, SYM_STRING) && !sym_is(c, s, SYM_TEMPLATE_STRING))
		return false;
	uint32_t a = ts_node_start_byte(s), b = ts_node_end_byte(s);
	const char *d = c->src->data;
	/* skip Python prefixes and the quote */
	while (a < b && (d[a] == 'r' || d[a] == 'f' || d[a] == 'b' || d[a] == 'u'))
		a++;
	return b - a >= 2 && (d[a + 1] == '/' || d[a + 1] == d[a]);
}

/* `app.post("/x", …)`, `router.get("/x", …)`, `@app.route("/x")`: a call that
 * registers a route (a route method with a path argument). */
static bool route_registration(struct ctx *c, TSNode call)
{
	TSNode callee = field(call, "function");
	if (!is_member_node(c, callee))
		return false;
	const char *m = facts_last_prop(c, callee);
	if (!cl_surface_has("route_methods", m))
		return false;
	TSNode args = field(call, "arguments");
	uint32_t k = ts_node_named_child_count(args);
	for (uint32_t i = 0; i < k && i < 3; i++)
		if (string_arg_is_path(c, ts_node_named_child(args, i)))
			return true;
	/* Flask's @bp.route() and FastAPI's @router.api_route() default to "" */
	return k == 0 && (!strcmp(m, "route") || !strcmp(m, "api_route"));
}

static bool py_route_decorators(struct ctx *c, TSNode decorated)
{
	uint32_t k = ts_node_named_child_count(decorated);
	for (uint32_t i = 0; i < k; i++) {
		TSNode d = ts_node_named_child(decorated, i);
		if (!sym_is(c, d, SYM_DECORATOR))
			continue;
		TSNode e = ts_node_named_child(d, 0);
		if (sym_is(c, e, SYM_CALL) && route_registration(c, e))
			return true;
		TSNode callee = sym_is(c, e, SYM_CALL) ? field(e, "function") : e;
		const char *name = facts_last_prop(c, callee);
		if (!strcmp(name, "api_view") || !strncmp(name, "require_", 8))
			return true;
	}
	return false;
}

static bool nest_decorated(struct ctx *c, TSNode method)
{
	for (TSNode s = ts_node_prev_named_sibling(method); sym_is(c, s, SYM_DECORATOR) || sym_is(c, s, SYM_COMMENT);
	     s = ts_node_prev_named_sibling(s)) {
		if (sym_is(c, s, SYM_COMMENT))
			continue;
		TSNode e = ts_node_named_child(s, 0);
		TSNode callee = sym_is(c, e, SYM_CALL_EXPRESSION) ? field(e, "function") : e;
		if (sym_is(c, callee, SYM_IDENTIFIER) && cl_surface_has("route_decorators_nest", text(c, callee)))
			return true;
	}
	uint32_t k = ts_node_named_child_count(method);
	for (uint32_t i = 0; i < k; i++) {
		TSNode d = ts_node_named_child(method, i);
		if (!sym_is(c, d, SYM_DECORATOR))
			continue;
		TSNode e = ts_node_named_child(d, 0);
		TSNode callee = sym_is(c, e, SYM_CALL_EXPRESSION) ? field(e, "function") : e;
		if (sym_is(c, callee, SYM_IDENTIFIER) && cl_surface_has("route_decorators_nest", text(c, callee)))
			return true;
	}
	return false;
}

static bool use_server_body(struct ctx *c, TSNode fn)
{
	TSNode body = field(fn, "body");
	TSNode first = ts_node_named_child(body, 0);
	if (!sym_is(c, first, SYM_EXPRESSION_STATEMENT))
		return false;
	TSNode s = ts_node_named_child(first, 0);
	return sym_is(c, s, SYM_STRING) && (text_eq(c, s, "\"use server\"") || text_eq(c, s, "'use server'"));
}

static bool is_exported(const struct walk *w, TSNode fn)
{
	const struct ctx *c = w->c;
	TSNode p = up(w, fn, 1);
	if (sym_is(c, p, SYM_VARIABLE_DECLARATOR))
		p = up(w, fn, 3);
	return sym_is(c, p, SYM_EXPORT_STATEMENT);
}

static bool js_route(struct walk *w, TSNode fn)
{
	struct ctx *c = w->c;
	TSNode p = up(w, fn, 1);
	if (sym_is(c, p, SYM_ARGUMENTS) && route_registration(c, up(w, fn, 2)))
		return true;
	if (sym_is(c, fn, SYM_METHOD_DEFINITION) && nest_decorated(c, fn))
		return true;
	if (use_server_body(c, fn))
		return true;
	/* a route file's exports (route.ts handlers, a pages/api handler, the
	 * server actions of a "use server" module) are all reachable over HTTP */
	return w->route_file && is_exported(w, fn);
}

static bool py_route(struct walk *w, TSNode fn, const char *params)
{
	const struct ctx *c = w->c;
	TSNode p = up(w, fn, 1);
	if (sym_is(c, p, SYM_DECORATED_DEFINITION) && py_route_decorators(w->c, p))
		return true;
	/* Django: a view takes the request first (after self in a class-based view) */
	if (w->django) {
		if (!strncmp(params, "request", 7) && (params[7] == ',' || !params[7]))
			return true;
		if (!strncmp(params, "self,request", 12) && (params[12] == ',' || !params[12]))
			return true;
	}
	return false;
}

static void function_region(struct walk *w, TSNode fn)
{
	struct ctx *c = w->c;
	TSNode outer = fn;
	if (w->c->py && sym_is(c, up(w, fn, 1), SYM_DECORATED_DEFINITION))
		outer = up(w, fn, 1);
	int idx = push_region(w, CL_R_FUNCTION, fn, current(w));
	struct cl_region *r = &c->f->regions.v[idx];
	TSNode body = field(fn, "body");
	if (!ts_node_is_null(body)) {
		struct cl_span h = span_of(outer), b = span_of(body);
		h.end = b.start;
		h.end_line = b.line;
		h.end_col = b.col;
		r->head = h;
	}
	r->name = function_name(w, fn);
	r->params = param_names(c, fn);
	r->route = c->py ? py_route(w, fn, r->params) : js_route(w, fn);
	const char *guard = NULL, *kind = NULL;
	c->anc = w->anc.v; /* parents in O(1) for the entry-point matching */
	c->nanc = w->anc.n;
	c->anc_child = fn;
	if (!r->route)
		kind = facts_entry_function(c, fn, r->name, r->params, &guard);
	if (kind) {
		r->route = true;
		r->entry = kind;
		r->entry_guard = guard;
	} else if (r->route) {
		r->entry_guard = facts_route_limiter(c, fn);
		r->entry_skip = facts_route_skip(c, fn, r->entry_guard);
	}
	c->nanc = 0;
	open_region(w, idx);
}

/* ------------------------------------------------------------------------ */
/* Loops and try statements.                                                */

static void loop_region(struct walk *w, TSNode n)
{
	const struct ctx *c = w->c;
	int idx = push_region(w, CL_R_LOOP, n, current(w));
	struct cl_region *r = &w->c->f->regions.v[idx];
	TSNode cond = field(n, "condition");
	if (sym_is(c, n, SYM_FOR_IN_STATEMENT) || (w->c->py && sym_is(c, n, SYM_FOR_STATEMENT)))
		cond = field(n, "right");
	if (sym_is(c, cond, SYM_EMPTY_STATEMENT) || (sym_is(c, n, SYM_FOR_STATEMENT) && !w->c->py &&
		ts_node_is_null(cond)))
		r->head = empty_span_at(n);
	else if (!ts_node_is_null(cond))
		r->head = span_of(cond);
	r->is_do_while = sym_is(c, n, SYM_DO_STATEMENT);
	open_region(w, idx);
}

static void defer_open(struct walk *w, int idx)
{
	if (w->npending < (int)(sizeof w->pending / sizeof *w->pending)) {
		w->pending[w->npending].pos = w->c->f->regions.v[idx].span.start;
		w->pending[w->npending].idx = idx;
		w->npending++;
	}
}

/* When the walk reaches a handler, the try body is closed: the current
 * region is the try statement's enclosing one. */
static void handler_region(struct walk *w, TSNode h)
{
	const struct ctx *c = w->c;
	int idx = push_region(w, CL_R_HANDLER, h, current(w));
	open_region(w, idx);
	struct cl_region *r = &w->c->f->regions.v[idx];
	TSNode first = {0}, last = {0};
	if (w->c->py) {
		uint32_t k = ts_node_named_child_count(h);
		for (uint32_t i = 0; i < k; i++) {
			TSNode ch = ts_node_named_child(h, i);
			if (sym_is(c, ch, SYM_BLOCK) || sym_is(c, ch, SYM_COMMENT))
				continue;
			if (ts_node_is_null(first))
				first = ch;
			last = ch;
		}
	} else {
		first = last = field(h, "parameter");
	}
	r->head = ts_node_is_null(first) ? empty_span_at(h) : join(first, last);
}

/* A try statement: its body is a TRY region; its handlers are HANDLER
 * regions beside it (an error raised in a handler is not caught by it),
 * recorded when the walk reaches them so that the regions stay in source
 * order (regions nested in the try body come before the handlers). */
static void try_region(struct walk *w, TSNode n)
{
	TSNode body = field(n, "body");
	if (!ts_node_is_null(body)) {
		int idx = push_region(w, CL_R_TRY, body, current(w));
		defer_open(w, idx);
	}
}

/* ------------------------------------------------------------------------ */
/* The walk.                                                                */

static void enter(struct walk *w, TSNode n)
{
	const struct ctx *c = w->c;
	if (is_function_node(c, n))
		function_region(w, n);
	else if (sym_is(c, n, SYM_CLASS_DEFINITION) || sym_is(c, n, SYM_CLASS_DECLARATION) ||
		sym_is(c, n, SYM_CLASS)) {
		int idx = push_region(w, CL_R_CLASS, n, current(w));
		TSNode nm = field(n, "name");
		if (!ts_node_is_null(nm))
			w->c->f->regions.v[idx].name = text(w->c, nm);
		open_region(w, idx);
	} else if (is_loop_node(c, n))
		loop_region(w, n);
	else if (sym_is(c, n, SYM_TRY_STATEMENT))
		try_region(w, n);
	else if (sym_is(c, n, SYM_EXCEPT_CLAUSE) || sym_is(c, n, SYM_EXCEPT_GROUP_CLAUSE) ||
		 sym_is(c, n, SYM_CATCH_CLAUSE))
		handler_region(w, n);
}

/* Regions whose end is at or before POS are closed. Try bodies are recorded
 * when the try statement is entered and opened when the walk reaches them. */
static void close_before(struct walk *w, uint32_t pos)
{
	const struct cl_region *v = w->c->f->regions.v;
	while (w->nopen && v[w->open[w->nopen - 1]].span.end <= pos)
		w->nopen--;
}

static void open_try_parts(struct walk *w, uint32_t pos)
{
	for (int i = w->npending; i-- > 0;)
		if (w->pending[i].pos == pos) {
			open_region(w, w->pending[i].idx);
			w->pending[i] = w->pending[--w->npending];
			return;
		}
}

static void walk_tree(struct walk *w, TSNode root)
{
	TSTreeCursor cur = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (!facts_spend(w->c, 1))
			break;
		uint32_t pos = ts_node_start_byte(n);
		close_before(w, pos);
		if (ts_node_is_named(n)) {
			open_try_parts(w, pos);
			enter(w, n);
		}
		if (ts_tree_cursor_goto_first_child(&cur)) {
			cl_vec_push(&w->anc, n);
			continue;
		}
		while (!ts_tree_cursor_goto_next_sibling(&cur)) {
			if (!ts_tree_cursor_goto_parent(&cur)) {
				ts_tree_cursor_delete(&cur);
				cl_vec_free(&w->anc);
				return;
			}
			w->anc.n--;
		}
	}
	ts_tree_cursor_delete(&cur);
	cl_vec_free(&w->anc);
}

/* ------------------------------------------------------------------------ */
/* Calls by name, handlers registered by name.                              */

static const char *ref_name(struct ctx *c, TSNode callee)
{
	const char *n = facts_last_prop(c, callee);
	return *n ? n : NULL;
}

/* Handlers registered by name: `Route("/x", endpoint)`, `path("x/", views.chat)` */
static void note_route_names(struct walk *w, TSNode call, const char *name)
{
	struct ctx *c = w->c;
	if (!cl_surface_has("route_registrars", name) && !route_registration(c, call))
		return;
	TSNode args = field(call, "arguments");
	uint32_t k = ts_node_named_child_count(args);
	for (uint32_t i = 1; i < k && i < 8; i++) {
		TSNode a = ts_node_named_child(args, i);
		if (sym_is(c, a, SYM_KEYWORD_ARGUMENT)) {
			TSNode key = field(a, "name");
			if (!text_eq(c, key, "endpoint") && !text_eq(c, key, "view_func") && !text_eq(c, key, "view"))
				continue;
			a = field(a, "value");
		}
		if (sym_is(c, a, SYM_IDENTIFIER) || is_member_node(c, a)) {
			const char *h = ref_name(c, a);
			if (h && !c->py && facts_route_limiter_name(h))
				continue; /* `app.post("/x", limiter, handler)`: middleware, not a handler */
			if (h) {
				cl_vec_push(&w->route_names, h);
				cl_vec_push(&w->route_guards, c->py ? NULL : facts_route_limiter_arg(c, call, a));
			}
		}
	}
}

/* A string whose text is known here, or a name imported from the tree. */
static bool known_string(const struct cl_value *v)
{
	return !v->taint && ((v->kind == CL_V_STRING && (!v->open || v->open_imports)) ||
		(v->kind == CL_V_IMPORT && !strchr(v->name, '(')));
}

/* Which arguments of a call by name carry request data or are known strings */
static void ref_arg_taint(struct ctx *c, struct cl_ref *r, TSNode call)
{
	TSNode argsn = field(call, "arguments");
	if (!sym_is(c, argsn, SYM_ARGUMENTS) && !sym_is(c, argsn, SYM_ARGUMENT_LIST))
		return;
	struct args a = facts_eval_args(c, argsn, 0);
	r->args_seen = true;
	r->arg_pos = a.pos;
	r->narg_pos = a.npos;
	r->arg_kw = a.kw;
	for (size_t i = 0; i < a.npos && i < 32; i++)
		if (known_string(a.pos[i]))
			r->const_args |= 1u << i;
	for (size_t i = 0; i < a.kw->npairs; i++)
		if (known_string(a.kw->pairs[i].val))
			r->const_kw = r->const_kw ? cl_arena_printf(c->A, "%s,%s", r->const_kw, a.kw->pairs[i].key) :
				a.kw->pairs[i].key;
	for (size_t i = 0; i < a.npos && i < 32; i++)
		if (a.pos[i]->taint) {
			r->tainted_args |= 1u << i;
			r->several_tainted = r->arg_taint != NULL;
			if (!r->arg_taint)
				r->arg_taint = a.pos[i]->taint;
		}
	for (size_t i = 0; i < a.kw->npairs; i++)
		if (a.kw->pairs[i].val->taint) {
			r->several_tainted = r->arg_taint != NULL;
			r->tainted_kw = r->tainted_kw ? cl_arena_printf(c->A, "%s,%s", r->tainted_kw, a.kw->pairs[i].key) :
				a.kw->pairs[i].key;
			if (!r->arg_taint)
				r->arg_taint = a.kw->pairs[i].val->taint;
		}
}

/* Once calls are known, a file using Claude through an adapter only (boto3) too */
void facts_ref_args_late(struct ctx *c)
{
	size_t n = c->f->refs.n < c->ref_nodes.n ? c->f->refs.n : c->ref_nodes.n;
	for (size_t i = 0; (c->f->calls.n || c->f->clients.n) && i < n && facts_spend(c, 1); i++)
		if (!c->f->refs.v[i].args_seen)
			ref_arg_taint(c, &c->f->refs.v[i], c->ref_nodes.v[i]);
}

static bool route_file(struct ctx *c)
{
	const char *p = c->f->path;
	const char *base = cl_path_basename(p);
	bool app_dir = !strncmp(p, "app/", 4) || strstr(p, "/app/");
	if (app_dir && !strncmp(base, "route.", 6))
		return true;
	if (!strncmp(p, "pages/api/", 10) || strstr(p, "/pages/api/"))
		return true;
	/* a "use server" module: every export is a server action */
	uint32_t k = ts_node_named_child_count(c->root);
	for (uint32_t i = 0; i < k && i < 4; i++) {
		TSNode ch = ts_node_named_child(c->root, i);
		if (sym_is(c, ch, SYM_COMMENT))
			continue;
		TSNode s = ts_node_named_child(ch, 0);
		if (!sym_is(c, ch, SYM_EXPRESSION_STATEMENT) || !sym_is(c, s, SYM_STRING))
			return false;
		if (text_eq(c, s, "\"use server\"") || text_eq(c, s, "'use server'"))
			return true;
	}
	return false;
}

void facts_extract_regions(struct ctx *c, const TSNode *calls, size_t ncalls)
{
	struct walk w;
	memset(&w, 0, sizeof w);
	w.c = c;
	struct cl_file_facts *f = c->f;
	for (size_t i = 0; i < f->imported_modules.n; i++) {
		const char *m = f->imported_modules.v[i];
		if (cl_surface_has_module("web_frameworks", m))
			f->web_server = true;
		if (c->py && cl_surface_module_matches(m, "django"))
			w.django = true;
	}
	if (!c->py) {
		w.route_file = route_file(c);
		if (w.route_file)
			f->web_server = true;
	}
	walk_tree(&w, c->root);
	for (size_t i = 0; i < ncalls; i++) {
		TSNode callee = field(calls[i], sym_is(c, calls[i], SYM_NEW_EXPRESSION) ? "constructor" : "function");
		const char *name = ref_name(c, callee);
		if (!name)
			continue;
		struct cl_ref r;
		memset(&r, 0, sizeof r);
		r.name = name;
		r.span = span_of(calls[i]);
		r.region = cl_facts_region_at(f, r.span.start);
		if (is_member_node(c, callee)) {
			TSNode obj = field(callee, "object");
			r.how = text_eq(c, obj, "self") || text_eq(c, obj, "this") ? CL_REF_SELF : CL_REF_MEMBER;
		}
		cl_vec_push(&f->refs, r);
		cl_vec_push(&c->ref_nodes, calls[i]);
		if (f->web_server)
			note_route_names(&w, calls[i], name);
		if (!f->script_entry && (f->script_entry = facts_entry_script(c, calls[i])))
			f->script_span = span_of(calls[i]);
		facts_entry_runnable(c, calls[i]);
		const char *kind = facts_entry_call(c, calls[i]), *handlers[8];
		size_t nh = kind ? facts_entry_handler_names(c, calls[i], handlers, 8) : 0;
		for (size_t h = 0; h < nh; h++) {
			cl_vec_push(&w.entry_names, handlers[h]);
			cl_vec_push(&w.entry_kinds, kind);
		}
	}
	for (size_t k = 0; k < w.entry_names.n; k++) {
		bool local = false;
		for (size_t i = 0; i < f->regions.n; i++) {
			struct cl_region *r = &f->regions.v[i];
			if (r->kind != CL_R_FUNCTION || !r->name || strcmp(r->name, w.entry_names.v[k]))
				continue;
			local = true;
			if (!r->route) {
				r->route = true;
				r->entry = w.entry_kinds.v[k];
			}
		}
		if (!local) {
			struct cl_named_handler h = {w.entry_names.v[k], w.entry_kinds.v[k], NULL};
			cl_vec_push(&f->route_handlers, h);
		}
	}
	for (size_t i = 0; i < f->regions.n; i++) {
		struct cl_region *r = &f->regions.v[i];
		if (r->kind != CL_R_FUNCTION || r->route || !r->name)
			continue;
		for (size_t k = 0; k < w.route_names.n; k++)
			if (!strcmp(w.route_names.v[k], r->name)) {
				r->route = true;
				r->entry_guard = w.route_guards.v[k];
				break;
			}
		if (!r->route && w.route_file && !strcmp(r->name, "handler"))
			r->route = r->parent < 0;
	}
	for (size_t k = 0; k < w.route_names.n; k++) {
		bool local = false;
		for (size_t i = 0; i < f->regions.n && !local; i++)
			local = f->regions.v[i].name && !strcmp(f->regions.v[i].name, w.route_names.v[k]);
		if (!local) {
			struct cl_named_handler h = {w.route_names.v[k], NULL, w.route_guards.v[k]};
			cl_vec_push(&f->route_handlers, h);
		}
	}
	for (size_t i = 0; i < f->regions.n && !f->web_server; i++)
		if (f->regions.v[i].route)
			f->web_server = true;
	if (facts_reads_args(c))
		for (size_t i = 0; i < f->refs.n; i++)
			ref_arg_taint(c, &f->refs.v[i], c->ref_nodes.v[i]);
	cl_vec_free(&w.route_names);
	cl_vec_free(&w.route_guards);
	cl_vec_free(&w.entry_names);
	cl_vec_free(&w.entry_kinds);
}

/* The imported module the receiver of member call N comes from: its root
 * name (through members and calls: `client.Sheets`, `smartsheet.Smartsheet()`)
 * an import, or bound to a value made from one, a few bindings deep. */
static const char *receiver_module(struct ctx *c, TSNode n, const char **name, bool *param)
{
	TSNode fn = sym_is(c, n, SYM_NEW_EXPRESSION) ? (TSNode){0} : field(n, "function");
	if (ts_node_is_null(fn) || !is_member_node(c, fn))
		return NULL;
	TSNode at = field(fn, "object"), call = {0};
	for (int hops = 0; hops < 24 && !ts_node_is_null(at); hops++) {
		if (is_member_node(c, at)) {
			TSNode o = field(at, "object");
			if (ts_node_is_null(o))
				return NULL;
			if (text_eq(c, o, "self") || text_eq(c, o, "this")) { /* TS `this` is no identifier */
				struct binding *b = facts_lookup(c, text(c, at), ts_node_start_byte(at));
				if (!b || b->kind != B_VALUE)
					return NULL;
				at = b->value;
			} else {
				at = o;
			}
		} else if (sym_is(c, at, SYM_NEW_EXPRESSION)) {
			at = field(at, "constructor");
		} else if (is_call_node(c, at)) {
			call = at;
			at = field(at, "function");
		} else if (sym_is(c, at, SYM_AWAIT) || sym_is(c, at, SYM_AWAIT_EXPRESSION) ||
			   sym_is(c, at, SYM_PARENTHESIZED_EXPRESSION)) {
			at = ts_node_named_child(at, 0);
		} else if (sym_is(c, at, SYM_IDENTIFIER)) {
			struct binding *b = facts_lookup(c, text(c, at), ts_node_start_byte(at));
			*param = b && b->kind == B_PARAM;
			if (!b || *param)
				return NULL;
			if (b->kind == B_IMPORT) {
				*name = b->imported;
				return b->module;
			}
			if (!ts_node_is_null(call) && !ts_node_is_null(b->value) && is_function_node(c, b->value)) {
				/* a getter of the file (`getTodoist()` returning `new TodoistApi()`):
				 * what its summary says it returns */
				const struct cl_value *v = facts_eval(c, call, 0);
				return v->kind == CL_V_IMPORT ? v->module : NULL;
			}
			if (b->member || ts_node_is_null(b->value) || is_function_node(c, b->value) || is_class_node(c, b->value))
				return NULL;
			call = (TSNode){0};
			at = b->value;
		} else {
			return NULL;
		}
	}
	return NULL;
}

void facts_ref_receivers(struct ctx *c)
{
	struct cl_file_facts *f = c->f;
	for (size_t i = 0; i < f->refs.n && i < c->ref_nodes.n && facts_spend(c, 1); i++)
		if (f->refs.v[i].how == CL_REF_MEMBER)
			f->refs.v[i].recv_module = receiver_module(c, c->ref_nodes.v[i], &f->refs.v[i].recv_name,
				&f->refs.v[i].recv_param);
	bool classes = false;
	for (size_t i = 0; i < f->regions.n && !classes; i++)
		classes = f->regions.v[i].kind == CL_R_CLASS;
	for (size_t i = 0; classes && i < f->refs.n && i < c->ref_nodes.n && facts_spend(c, 1); i++) {
		struct cl_ref *r = &f->refs.v[i];
		if (r->how != CL_REF_MEMBER)
			continue;
		TSNode callee = field(c->ref_nodes.v[i], "function");
		if (!is_member_node(c, callee))
			continue;
		/* a name, or one member of self / this: instance state */
		TSNode obj = field(callee, "object");
		bool state = is_member_node(c, obj) && sym_is(c, field(obj, "object"), SYM_IDENTIFIER) &&
			(text_eq(c, field(obj, "object"), "self") || text_eq(c, field(obj, "object"), "this"));
		if (!sym_is(c, obj, SYM_IDENTIFIER) && !state)
			continue;
		const struct cl_value *v = facts_eval(c, obj, 0);
		if (v->kind == CL_V_OBJECT && v->name)
			r->cls = v->name;
	}
}

int cl_facts_region_at(const struct cl_file_facts *f, uint32_t pos)
{
	/* the last region starting at or before POS, then up to one containing it */
	size_t lo = 0, hi = f->regions.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (f->regions.v[mid].span.start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	int r = (int)lo - 1;
	while (r >= 0 && !(f->regions.v[r].span.start <= pos && pos < f->regions.v[r].span.end))
		r = f->regions.v[r].parent;
	return r;
}

int cl_facts_enclosing(const struct cl_file_facts *f, int region, enum cl_region_kind kind)
{
	while (region >= 0 && f->regions.v[region].kind != kind)
		region = f->regions.v[region].parent;
	return region;
}
