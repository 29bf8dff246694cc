/*
 * facts_handoff.c — a client handed over in a config object: the values a
 * file's calls pass by name (`createAIBot({ aiClient: claude })`,
 * `Bot(llm=client)`) and the member each method call's receiver is read
 * from (`config.aiClient.ask()`, `this.config.aiClient.ask()`,
 * `self.llm.ask()`). The call graph (callgraph.c) gives such a call the
 * methods of the classes handed over under that name anywhere in the tree.
 * And a job queue's two ends (rules/surface.json queue_*), joined by the
 * call graph by the queue's name.
 */
#include "model/facts_internal.h"

#include <string.h>

#include "adapters/surface.h"

/* The member name of receiver OBJ when it is a member access (`config
 * .aiClient`, `self.llm`), else NULL. */
static const char *member_key(struct ctx *c, TSNode obj)
{
	if (!is_member_node(c, obj))
		return NULL;
	TSNode prop = field(obj, c->py ? "attribute" : "property");
	if (ts_node_is_null(prop) || (!sym_is(c, prop, SYM_IDENTIFIER) && !sym_is(c, prop, SYM_PROPERTY_IDENTIFIER)))
		return NULL;
	return text(c, prop);
}

/* Keeps KEY -> the value of name VAL when it is an instance or an import
 * (a singleton, a client), not a literal or a parameter. */
static void hand(struct ctx *c, const char *key, TSNode val)
{
	if (!sym_is(c, val, SYM_IDENTIFIER) || !key || !*key)
		return;
	const struct cl_value *v = facts_eval(c, val, 0);
	if (!((v->kind == CL_V_IMPORT && v->module && v->name) ||
	      ((v->kind == CL_V_OBJECT || v->kind == CL_V_CLASS) && v->name && *v->name)))
		return;
	struct cl_handoff h = {key, v};
	cl_vec_push(&c->f->handoffs, h);
}

/* The pairs of object literal OBJ (`{ aiClient: claude }`, `{ claude }`). */
static void hand_object(struct ctx *c, TSNode obj)
{
	uint32_t n = ts_node_named_child_count(obj);
	for (uint32_t i = 0; i < n && i < 64; i++) {
		TSNode p = ts_node_named_child(obj, i);
		if (sym_is(c, p, SYM_SHORTHAND_PROPERTY_IDENTIFIER)) {
			hand(c, text(c, p), p);
		} else if (sym_is(c, p, SYM_PAIR)) {
			TSNode k = field(p, "key");
			if (sym_is(c, k, SYM_PROPERTY_IDENTIFIER) || sym_is(c, k, SYM_IDENTIFIER))
				hand(c, text(c, k), field(p, "value"));
		}
	}
}

/* The queue symbol call N makes (`new Queue(...)`, `@Processor(...)`):
 * its kind in rules/surface.json queue_symbols, or NULL. */
static const char *queue_symbol(struct ctx *c, TSNode n)
{
	TSNode callee = field(n, sym_is(c, n, SYM_NEW_EXPRESSION) ? "constructor" : "function");
	struct symbol s;
	if (ts_node_is_null(callee) || !facts_resolve_symbol(c, callee, &s, 0) || !s.module || !s.name)
		return NULL;
	return cl_surface_symbol("queue_symbols", c->py, s.module, s.name);
}

/* The literal value of the K-th argument of call N, or NULL. */
static const char *arg_literal(struct ctx *c, TSNode n, uint32_t k)
{
	TSNode args = field(n, "arguments");
	if (ts_node_is_null(args) || ts_node_named_child_count(args) <= k)
		return NULL;
	const struct cl_value *v = facts_eval(c, ts_node_named_child(args, k), 0);
	return v->kind == CL_V_STRING && !v->open ? v->str : NULL;
}

/* The name a queue made by call N is bound to: `const q = new Queue()`,
 * `private q = new Queue()`, `this.q = new Queue()`, a parameter decorated
 * `@InjectQueue('q') private q: Queue`; NULL when none. */
static const char *queue_binding(struct ctx *c, TSNode n)
{
	TSNode up = ts_node_parent(n);
	if (sym_is(c, up, SYM_DECORATOR)) {
		TSNode param = ts_node_parent(up);
		TSNode pat = sym_is(c, param, SYM_REQUIRED_PARAMETER) ? field(param, "pattern") : (TSNode){0};
		return ts_node_is_null(pat) ? NULL : text(c, pat);
	}
	TSNode name = sym_is(c, up, SYM_VARIABLE_DECLARATOR) || sym_is(c, up, SYM_PUBLIC_FIELD_DEFINITION) ?
		field(up, "name") : sym_is(c, up, SYM_ASSIGNMENT_EXPRESSION) ? field(up, "left") : (TSNode){0};
	if (!ts_node_is_null(name) && is_member_node(c, name))
		return member_key(c, name);
	return ts_node_is_null(name) ? NULL : text(c, name);
}

/* The region of F starting at byte POS of KIND, or -1: found from the
 * innermost region there (cl_facts_region_at, a binary search), not by a
 * scan of every region per consumer. */
static int region_at(const struct cl_file_facts *f, uint32_t pos, enum cl_region_kind kind)
{
	for (int r = cl_facts_region_at(f, pos); r >= 0 && f->regions.v[r].span.start == pos; r = f->regions.v[r].parent)
		if (f->regions.v[r].kind == kind)
			return r;
	return -1;
}

/* Consumers: `new Worker('q', fn)` and the process method of a class
 * decorated `@Processor('q')`. */
static void queue_consumer(struct ctx *c, TSNode n, const char *kind)
{
	struct cl_file_facts *f = c->f;
	struct cl_queue_link q = {.queue = arg_literal(c, n, 0), .consumer = true, .region = -1};
	if (!strcmp(kind, "worker")) {
		TSNode args = field(n, "arguments");
		TSNode fn = ts_node_named_child_count(args) > 1 ? ts_node_named_child(args, 1) : (TSNode){0};
		if (ts_node_is_null(fn))
			return;
		if (sym_is(c, fn, SYM_IDENTIFIER))
			q.fn_name = text(c, fn);
		else
			q.region = region_at(f, ts_node_start_byte(fn), CL_R_FUNCTION);
	} else {
		TSNode cls = ts_node_parent(ts_node_parent(n));
		if (sym_is(c, cls, SYM_EXPORT_STATEMENT))
			cls = field(cls, "declaration");
		TSNode name = ts_node_is_null(cls) ? (TSNode){0} : field(cls, "name");
		if (ts_node_is_null(name))
			return;
		/* the class's methods: the regions after it, within its span */
		int k = region_at(f, ts_node_start_byte(cls), CL_R_CLASS);
		for (size_t i = k < 0 ? f->regions.n : (size_t)k + 1;
		     i < f->regions.n && f->regions.v[i].span.start < f->regions.v[k].span.end && q.region < 0; i++) {
			const struct cl_region *m = &f->regions.v[i];
			if (m->kind == CL_R_FUNCTION && m->name && m->parent == k &&
			    cl_surface_has("queue_consumer_methods", m->name))
				q.region = (int)i;
		}
	}
	if (q.region >= 0 || q.fn_name)
		cl_vec_push(&f->queues, q);
}

/* A queue's name by the name it is bound to, among the NB bindings seen. */
struct qname {
	const char *bound, *queue;
};

static void queue_links(struct ctx *c)
{
	struct cl_file_facts *f = c->f;
	CL_VEC(struct qname) names = {0};
	bool any = false;
	for (size_t i = 0; i < f->refs.n && i < c->ref_nodes.n && facts_spend(c, 1); i++) {
		const struct cl_ref *r = &f->refs.v[i];
		if (r->how != CL_REF_PLAIN)
			continue;
		const char *kind = queue_symbol(c, c->ref_nodes.v[i]);
		if (!kind)
			continue;
		any = true;
		if (!strcmp(kind, "queue")) {
			struct qname q = {queue_binding(c, c->ref_nodes.v[i]), arg_literal(c, c->ref_nodes.v[i], 0)};
			if (q.bound)
				cl_vec_push(&names, q);
		} else {
			queue_consumer(c, c->ref_nodes.v[i], kind);
		}
	}
	/* each call is checked against the bound queues: charged to the work budget */
	for (size_t i = 0; i < f->refs.n && i < c->ref_nodes.n && facts_spend(c, 1 + names.n); i++) {
		const struct cl_ref *r = &f->refs.v[i];
		if (r->how != CL_REF_MEMBER)
			continue;
		TSNode callee = field(c->ref_nodes.v[i], "function");
		TSNode obj = ts_node_is_null(callee) || !is_member_node(c, callee) ? (TSNode){0} : field(callee, "object");
		if (ts_node_is_null(obj))
			continue;
		const char *recv = r->recv_key ? r->recv_key : sym_is(c, obj, SYM_IDENTIFIER) ? text(c, obj) : NULL;
		if (!recv)
			continue;
		if (sym_is(c, obj, SYM_IDENTIFIER) && cl_surface_has("queue_task_methods", r->name)) {
			struct cl_queue_link q = {.task = recv, .ref = i, .region = -1};
			cl_vec_push(&f->queues, q);
		} else if (any && cl_surface_has("queue_enqueue_methods", r->name)) {
			for (size_t k = 0; k < names.n; k++)
				if (!strcmp(names.v[k].bound, recv)) {
					struct cl_queue_link q = {.queue = names.v[k].queue, .ref = i, .region = -1};
					cl_vec_push(&f->queues, q);
					break;
				}
		}
	}
	cl_vec_free(&names);
}

void facts_handoffs(struct ctx *c)
{
	struct cl_file_facts *f = c->f;
	for (size_t i = 0; i < f->refs.n && i < c->ref_nodes.n && facts_spend(c, 1); i++) {
		TSNode call = c->ref_nodes.v[i];
		TSNode callee = field(call, "function");
		if (f->refs.v[i].how == CL_REF_MEMBER && !ts_node_is_null(callee) && is_member_node(c, callee))
			f->refs.v[i].recv_key = member_key(c, field(callee, "object"));
		TSNode args = field(call, "arguments");
		uint32_t n = ts_node_is_null(args) ? 0 : ts_node_named_child_count(args);
		for (uint32_t k = 0; k < n && k < 16; k++) {
			TSNode a = ts_node_named_child(args, k);
			if (sym_is(c, a, SYM_OBJECT))
				hand_object(c, a);
			else if (sym_is(c, a, SYM_KEYWORD_ARGUMENT))
				hand(c, text(c, field(a, "name")), field(a, "value"));
		}
	}
	queue_links(c);
}
