/*
 * facts_loops.c — how often a loop runs, as facts: each loop's shape
 * (forever, a range, a collection, a condition), the comparisons of its
 * condition (a counter, a length or a call against a bound, the bound's
 * value with constants followed and where it comes from), what the loop
 * updates, and the comparisons of the `if`s of a loop's or a named
 * function's body with whether their branch leaves (struct cl_loop,
 * cl_compare in facts.h). CL18 reads these instead of the loop's text.
 * Language knowledge only (range, len, .length, itertools.count); no
 * framework is named here.
 */
#include "model/facts_internal.h"

#include <stdlib.h>
#include <string.h>

#define MAX_COMPARES 16
#define MAX_NAMES 32

struct names {
	const char *v[MAX_NAMES];
	size_t n;
};

static void add_name(struct names *ns, const char *s)
{
	if (!s || !*s || ns->n == MAX_NAMES)
		return;
	for (size_t i = 0; i < ns->n; i++)
		if (!strcmp(ns->v[i], s))
			return;
	ns->v[ns->n++] = s;
}

static bool has_name(const struct names *ns, const char *s)
{
	for (size_t i = 0; s && i < ns->n; i++)
		if (!strcmp(ns->v[i], s))
			return true;
	return false;
}

static TSNode unwrap(const struct ctx *c, TSNode n)
{
	while (sym_is(c, n, SYM_PARENTHESIZED_EXPRESSION) || sym_is(c, n, SYM_EXPRESSION_STATEMENT) ||
	       sym_is(c, n, SYM_AWAIT) || sym_is(c, n, SYM_AWAIT_EXPRESSION))
		n = ts_node_named_child(n, 0);
	return n;
}

/* Visits the nodes of ROOT in order, not entering functions or classes
 * defined inside it (their code runs elsewhere). */
typedef void (*visit_fn)(struct ctx *c, TSNode n, void *arg);

static void walk_own(struct ctx *c, TSNode root, visit_fn visit, void *arg)
{
	if (ts_node_is_null(root))
		return;
	TSTreeCursor cur = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (!facts_spend(c, 1))
			break;
		bool inner = !ts_node_eq(n, root) && (is_function_node(c, n) || is_class_node(c, n));
		if (!inner && ts_node_is_named(n))
			visit(c, n, arg);
		if (!inner && ts_tree_cursor_goto_first_child(&cur))
			continue;
		bool done = false;
		while (!ts_tree_cursor_goto_next_sibling(&cur))
			if (!ts_tree_cursor_goto_parent(&cur) || ts_node_eq(ts_tree_cursor_current_node(&cur), root)) {
				done = true;
				break;
			}
		if (done)
			break;
	}
	ts_tree_cursor_delete(&cur);
}

/* ------------------------------------------------------------------------ */
/* What a loop updates.                                                     */

struct updates {
	struct names assigned; /* assigned, incremented, walrus-bound */
	struct names touched;  /* a method called on it or passed as an argument */
};

static void add_targets(struct ctx *c, TSNode left, struct names *ns)
{
	if (sym_is(c, left, SYM_PATTERN_LIST) || sym_is(c, left, SYM_TUPLE_PATTERN) ||
	    sym_is(c, left, SYM_ARRAY_PATTERN)) {
		uint32_t k = ts_node_named_child_count(left);
		for (uint32_t i = 0; i < k && i < 8; i++)
			add_targets(c, ts_node_named_child(left, i), ns);
		return;
	}
	if (sym_is(c, left, SYM_IDENTIFIER) || is_member_node(c, left))
		add_name(ns, text(c, left));
}

static void visit_update(struct ctx *c, TSNode n, void *arg)
{
	struct updates *u = arg;
	if (sym_is(c, n, SYM_AUGMENTED_ASSIGNMENT) || sym_is(c, n, SYM_AUGMENTED_ASSIGNMENT_EXPRESSION) ||
	    sym_is(c, n, SYM_ASSIGNMENT) || sym_is(c, n, SYM_ASSIGNMENT_EXPRESSION))
		add_targets(c, field(n, "left"), &u->assigned);
	else if (sym_is(c, n, SYM_NAMED_EXPRESSION))
		add_targets(c, field(n, "name"), &u->assigned);
	else if (sym_is(c, n, SYM_UPDATE_EXPRESSION))
		add_targets(c, unwrap(c, field(n, "argument")), &u->assigned);
	else if (is_call_node(c, n)) {
		TSNode callee = field(n, "function");
		if (is_member_node(c, callee))
			add_targets(c, unwrap(c, field(callee, "object")), &u->touched);
		TSNode args = field(n, "arguments");
		uint32_t k = ts_node_named_child_count(args);
		for (uint32_t i = 0; i < k && i < 16; i++)
			add_targets(c, ts_node_named_child(args, i), &u->touched);
	}
}

/* ------------------------------------------------------------------------ */
/* Comparisons.                                                             */

enum side_kind { S_OTHER, S_LITERAL, S_NAME, S_LENGTH, S_CALL };

struct side {
	TSNode n;
	enum side_kind kind;
	const char *text;  /* S_LENGTH: the collection */
	bool local;        /* a plain name, or the length of one */
};

static bool number_literal(const struct ctx *c, TSNode n)
{
	if (sym_is(c, n, SYM_UNARY_OPERATOR) || sym_is(c, n, SYM_UNARY_EXPRESSION))
		n = field(n, "argument");
	return sym_is(c, n, SYM_INTEGER) || sym_is(c, n, SYM_FLOAT) || sym_is(c, n, SYM_NUMBER);
}

/* A plain name bound in a function (a local or a parameter): only the
 * function's own code changes it (a module's name may change in any
 * function that declares it global). */
static bool function_local(struct ctx *c, TSNode n)
{
	if (!sym_is(c, n, SYM_IDENTIFIER))
		return false;
	struct binding *b = facts_lookup(c, text(c, n), ts_node_start_byte(n));
	return b && b->kind != B_IMPORT && !(b->scope_start == 0 && b->scope_end == UINT32_MAX);
}

static struct side side_of(struct ctx *c, TSNode n)
{
	struct side s = {unwrap(c, n), S_OTHER, NULL, false};
	n = s.n;
	if (number_literal(c, n)) {
		s.kind = S_LITERAL;
	} else if (c->py && sym_is(c, n, SYM_CALL) && text_eq(c, field(n, "function"), "len") &&
		   ts_node_named_child_count(field(n, "arguments")) == 1) {
		TSNode x = unwrap(c, ts_node_named_child(field(n, "arguments"), 0));
		s.kind = S_LENGTH;
		s.text = text(c, x);
		s.local = function_local(c, x);
		return s;
	} else if (!c->py && sym_is(c, n, SYM_MEMBER_EXPRESSION) &&
		   (text_eq(c, field(n, "property"), "length") || text_eq(c, field(n, "property"), "size"))) {
		TSNode x = unwrap(c, field(n, "object"));
		s.kind = S_LENGTH;
		s.text = text(c, x);
		s.local = function_local(c, x);
		return s;
	} else if (sym_is(c, n, SYM_IDENTIFIER) || is_member_node(c, n)) {
		s.kind = S_NAME;
		s.local = function_local(c, n);
	} else if (sym_is(c, n, SYM_UPDATE_EXPRESSION)) {
		/* `++steps >= MAX`: the counter, updated where it is compared */
		TSNode x = unwrap(c, field(n, "argument"));
		s.kind = S_NAME;
		s.text = text(c, x);
		s.local = function_local(c, x);
		return s;
	} else if (is_call_node(c, n)) {
		s.kind = S_CALL;
	}
	s.text = text(c, n);
	return s;
}

/* Where the value of bound N comes from, and the line it is bound on. */
static const char *limit_origin(struct ctx *c, TSNode n, const struct cl_value *v, uint32_t *line)
{
	*line = 0;
	if (number_literal(c, n))
		return "literal";
	const char *name = sym_is(c, n, SYM_IDENTIFIER) ? text(c, n) : NULL;
	bool instance = false;
	if (!name && is_member_node(c, n)) {
		const char *full = text(c, n);
		if (!strncmp(full, "self.", 5) || !strncmp(full, "this.", 5))
			name = full, instance = true;
	}
	struct binding *b = name ? facts_lookup(c, name, ts_node_start_byte(n)) : NULL;
	if (b && b->kind == B_IMPORT)
		return "import";
	if (b && b->kind == B_PARAM)
		return "parameter";
	if (b && b->kind == B_VALUE) {
		if (!ts_node_is_null(b->value))
			*line = ts_node_start_point(b->value).row + 1;
		return instance ? "instance" : "constant";
	}
	if (v->kind == CL_V_IMPORT)
		return "import";
	if (v->param && !v->param_derived)
		return "parameter";
	if (v->kind != CL_V_UNKNOWN) {
		*line = v->span.line;
		return "constant";
	}
	return "unknown";
}

struct compares {
	struct cl_compare v[MAX_COMPARES];
	size_t n;
	const struct updates *u;
	bool ordering_only;
};

static bool ordering(const char *op)
{
	return !strcmp(op, "<") || !strcmp(op, "<=") || !strcmp(op, ">") || !strcmp(op, ">=");
}

static const char *comparison_op(const char *op)
{
	if (ordering(op) || !strcmp(op, "==") || !strcmp(op, "!="))
		return op;
	if (!strcmp(op, "==="))
		return "==";
	if (!strcmp(op, "!=="))
		return "!=";
	return NULL;
}

static bool updated(const struct updates *u, const struct side *s)
{
	return s->text && (has_name(&u->assigned, s->text) || (s->kind == S_LENGTH && has_name(&u->touched, s->text)));
}

/* How surely the loop changes side S: 2 assigned or incremented (also where
 * it is compared: `++steps`), 1 a collection it calls a method on or passes
 * on (it may grow), 0 not at all. */
static int update_strength(const struct ctx *c, const struct updates *u, const struct side *s)
{
	if (sym_is(c, s->n, SYM_UPDATE_EXPRESSION) || (s->text && has_name(&u->assigned, s->text)))
		return 2;
	return updated(u, s) ? 1 : 0;
}

/* A name bound once for the module (a constant) or imported. */
static bool constant_like(struct ctx *c, TSNode n)
{
	if (!sym_is(c, n, SYM_IDENTIFIER))
		return false;
	struct binding *b = facts_lookup(c, text(c, n), ts_node_start_byte(n));
	return b && (b->kind == B_IMPORT || (b->kind == B_VALUE && b->scope_start == 0 && b->scope_end == UINT32_MAX));
}

static void add_compare(struct ctx *c, struct compares *out, TSNode at, const char *op, TSNode l, TSNode r)
{
	op = comparison_op(op);
	if (!op || out->n == MAX_COMPARES || (out->ordering_only && !ordering(op)))
		return;
	struct side a = side_of(c, l), b = side_of(c, r);
	/* the counter: the side the loop updates (`i < items.length` with i++),
	 * else the side that is not a number, else a length */
	bool swap = false;
	int ua = update_strength(c, out->u, &a), ub = update_strength(c, out->u, &b);
	if (ua != ub)
		swap = ub > ua;
	else if (a.kind == S_LITERAL && b.kind != S_LITERAL)
		swap = true;
	else if (b.kind == S_LENGTH && a.kind != S_LENGTH)
		swap = true;
	else if (a.kind == S_NAME && b.kind == S_NAME && ua == 0)
		/* `MAX_TURNS > turns`: a module's constant or an import is the bound */
		swap = constant_like(c, a.n) && !constant_like(c, b.n);
	if (swap) {
		struct side t = a;
		a = b;
		b = t;
		static const char *const flip[][2] = {{"<", ">"}, {"<=", ">="}, {">", "<"}, {">=", "<="}};
		for (size_t i = 0; i < 4; i++)
			if (!strcmp(op, flip[i][0])) {
				op = flip[i][1];
				break;
			}
	}
	struct cl_compare *k = &out->v[out->n++];
	memset(k, 0, sizeof *k);
	k->span = span_of(at);
	k->op = op;
	k->counter = a.text;
	k->length = a.kind == S_LENGTH;
	k->local = a.local;
	k->updated = updated(out->u, &a) || sym_is(c, a.n, SYM_UPDATE_EXPRESSION);
	k->limit_text = b.kind == S_LENGTH ? text(c, b.n) : b.text;
	/* names and numbers are followed; a call or an expression is not evaluated */
	k->limit = b.kind == S_NAME || b.kind == S_LITERAL ? facts_eval(c, b.n, 0) : unknown(c, b.n);
	k->limit_from = limit_origin(c, b.n, k->limit, &k->limit_line);
}

/* The comparisons of condition N, its clauses split on and / or / && / ||
 * and through not / !. */
static void clauses(struct ctx *c, TSNode n, struct compares *out, int depth)
{
	n = unwrap(c, n);
	if (ts_node_is_null(n) || depth > 16 || !facts_spend(c, 1))
		return;
	if (sym_is(c, n, SYM_BOOLEAN_OPERATOR)) {
		clauses(c, field(n, "left"), out, depth + 1);
		clauses(c, field(n, "right"), out, depth + 1);
	} else if (sym_is(c, n, SYM_NOT_OPERATOR) ||
		   (sym_is(c, n, SYM_UNARY_EXPRESSION) && text_eq(c, field(n, "operator"), "!"))) {
		clauses(c, field(n, "argument"), out, depth + 1);
	} else if (sym_is(c, n, SYM_BINARY_EXPRESSION)) {
		TSNode op = field(n, "operator");
		if (text_eq(c, op, "&&") || text_eq(c, op, "||")) {
			clauses(c, field(n, "left"), out, depth + 1);
			clauses(c, field(n, "right"), out, depth + 1);
		} else {
			add_compare(c, out, n, text(c, op), field(n, "left"), field(n, "right"));
		}
	} else if (sym_is(c, n, SYM_COMPARISON_OPERATOR)) {
		/* a < b <= c: one comparison per operator, between its operands */
		uint32_t k = ts_node_child_count(n);
		TSNode prev = {0};
		const char *op = NULL;
		for (uint32_t i = 0; i < k && i < 32; i++) {
			TSNode ch = ts_node_child(n, i);
			if (!ts_node_is_named(ch)) {
				op = text(c, ch);
				continue;
			}
			if (op && !ts_node_is_null(prev))
				add_compare(c, out, n, op, prev, ch);
			prev = ch;
			op = NULL;
		}
	}
}

static struct cl_compare *keep(struct ctx *c, const struct compares *cs)
{
	if (!cs->n)
		return NULL;
	struct cl_compare *v = cl_arena_alloc(c->A, cs->n * sizeof *v);
	memcpy(v, cs->v, cs->n * sizeof *v);
	return v;
}

/* ------------------------------------------------------------------------ */
/* Guards: the `if`s of a body and whether they leave.                       */

static void visit_exit(struct ctx *c, TSNode n, void *arg)
{
	if (sym_is(c, n, SYM_BREAK_STATEMENT) || sym_is(c, n, SYM_RETURN_STATEMENT) ||
	    sym_is(c, n, SYM_RAISE_STATEMENT) || sym_is(c, n, SYM_THROW_STATEMENT))
		*(bool *)arg = true;
}

/* The ifs of a body (collected by the body's one walk, with its updates). */
#define MAX_IFS 32
struct body {
	struct updates u;
	bool updates;          /* record the updates too (a loop) */
	TSNode ifs[MAX_IFS];
	size_t nifs;
};

static void visit_body(struct ctx *c, TSNode n, void *arg)
{
	struct body *b = arg;
	if (sym_is(c, n, SYM_IF_STATEMENT) || sym_is(c, n, SYM_ELIF_CLAUSE)) {
		if (b->nifs < MAX_IFS)
			b->ifs[b->nifs++] = n;
	} else if (b->updates) {
		visit_update(c, n, &b->u);
	}
}

/* R's guards: the comparisons of the ifs of its body, each with whether
 * its branch leaves. */
static void region_guards(struct ctx *c, struct cl_region *r, const struct body *b)
{
	struct compares cs = {.n = 0, .u = &b->u, .ordering_only = false};
	for (size_t i = 0; i < b->nifs && cs.n < MAX_COMPARES; i++) {
		size_t from = cs.n;
		clauses(c, field(b->ifs[i], "condition"), &cs, 0);
		if (cs.n == from)
			continue;
		bool exits = false;
		walk_own(c, field(b->ifs[i], "consequence"), visit_exit, &exits);
		for (size_t k = from; k < cs.n; k++)
			cs.v[k].exits = exits;
	}
	r->guards = keep(c, &cs);
	r->nguards = cs.n;
}

/* ------------------------------------------------------------------------ */
/* Loops.                                                                   */

static bool truthy_literal(const struct ctx *c, TSNode n)
{
	return sym_is(c, n, SYM_TRUE) || ((sym_is(c, n, SYM_INTEGER) || sym_is(c, n, SYM_NUMBER)) &&
		!(ts_node_end_byte(n) - ts_node_start_byte(n) == 1 && c->src->data[ts_node_start_byte(n)] == '0'));
}

/* A Python `for`: range(N) and range(a, N), itertools.count() and an
 * unbounded repeat (forever), or a collection. */
static void py_for(struct ctx *c, TSNode n, struct cl_loop *lp, struct compares *cs)
{
	TSNode it = unwrap(c, field(n, "right"));
	lp->shape = CL_LOOP_COLLECTION;
	if (!sym_is(c, it, SYM_CALL))
		return;
	TSNode fn = field(it, "function"), args = field(it, "arguments");
	uint32_t na = ts_node_named_child_count(args);
	bool range = text_eq(c, fn, "range") || text_eq(c, fn, "xrange");
	bool repeat = text_eq(c, fn, "itertools.repeat") || text_eq(c, fn, "repeat");
	if (text_eq(c, fn, "itertools.count") || text_eq(c, fn, "count") || (repeat && na < 2)) {
		lp->shape = CL_LOOP_FOREVER;
		return;
	}
	if (!(range || repeat) || na == 0)
		return;
	lp->shape = CL_LOOP_RANGE;
	TSNode lim = ts_node_named_child(args, range && na == 1 ? 0 : 1);
	if (sym_is(c, lim, SYM_KEYWORD_ARGUMENT))
		lim = field(lim, "value");
	struct cl_compare *k = &cs->v[cs->n++];
	memset(k, 0, sizeof *k);
	k->span = span_of(it);
	k->op = "range";
	k->counter = text(c, field(n, "left"));
	k->local = function_local(c, unwrap(c, field(n, "left")));
	k->updated = true;
	k->limit_text = text(c, lim);
	k->limit = facts_eval(c, lim, 0);
	k->limit_from = limit_origin(c, unwrap(c, lim), k->limit, &k->limit_line);
}

static void loop_facts(struct ctx *c, struct cl_region *r, TSNode n)
{
	struct body body, *b = &body;
	memset(b, 0, sizeof *b);
	b->updates = true;
	walk_own(c, n, visit_body, b);
	struct updates u = b->u;
	if (sym_is(c, n, SYM_FOR_IN_STATEMENT) || (c->py && sym_is(c, n, SYM_FOR_STATEMENT)))
		add_targets(c, unwrap(c, field(n, "left")), &u.assigned); /* the loop's own variable */
	struct cl_loop *lp = cl_arena_alloc(c->A, sizeof *lp);
	struct compares cs = {.n = 0, .u = &u, .ordering_only = true};
	TSNode cond = field(n, "condition");
	if (sym_is(c, n, SYM_FOR_IN_STATEMENT)) {
		lp->shape = CL_LOOP_COLLECTION;
	} else if (c->py && sym_is(c, n, SYM_FOR_STATEMENT)) {
		py_for(c, n, lp, &cs);
	} else {
		cond = unwrap(c, cond);
		if (ts_node_is_null(cond) || sym_is(c, cond, SYM_EMPTY_STATEMENT) || truthy_literal(c, cond))
			lp->shape = CL_LOOP_FOREVER;
		else
			clauses(c, cond, &cs, 0);
	}
	lp->cond = keep(c, &cs);
	lp->ncond = cs.n;
	if (u.assigned.n) {
		lp->updated = cl_arena_alloc(c->A, u.assigned.n * sizeof *lp->updated);
		memcpy(lp->updated, u.assigned.v, u.assigned.n * sizeof *lp->updated);
		lp->nupdated = u.assigned.n;
	}
	r->loop = lp;
	b->u = u;
	region_guards(c, r, b);
}

void facts_extract_loops(struct ctx *c)
{
	struct cl_file_facts *f = c->f;
	for (size_t i = 0; i < f->regions.n && i < c->region_nodes.n && !c->over_budget; i++) {
		struct cl_region *r = &f->regions.v[i];
		if (r->kind == CL_R_LOOP) {
			loop_facts(c, r, c->region_nodes.v[i]);
		} else if (r->kind == CL_R_FUNCTION && r->name) {
			struct body b;
			memset(&b, 0, sizeof b);
			walk_own(c, c->region_nodes.v[i], visit_body, &b);
			region_guards(c, r, &b);
		}
	}
}
