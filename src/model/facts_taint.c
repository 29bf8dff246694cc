/*
 * facts_taint.c — request data and user input within a function: values
 * derived from a route handler's parameters or an HTTP request's fields,
 * and parameters remembered for following callers' arguments.
 */
#include "model/facts_internal.h"

#include <string.h>

#include "adapters/surface.h"
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
	if (r->entry)
		return cl_arena_printf(c->A, "%s parameter `%s`", r->entry, b->name);
	return cl_arena_printf(c->A, "route parameter `%s`", b->name);
}

/* A parameter's value: request data in a route handler; otherwise unknown,
 * remembering which parameter of which function it is (CL17 follows the
 * callers' arguments). */
struct cl_value *facts_param_value(struct ctx *c, TSNode n, const struct binding *b)
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
const char *facts_request_field(struct ctx *c, TSNode obj, TSNode prop)
{
	if (ts_node_is_null(obj) || ts_node_is_null(prop))
		return NULL;
	if (!cl_surface_has("request_names", text(c, obj)) || !cl_surface_has("request_fields", text(c, prop)))
		return NULL;
	return cl_arena_printf(c->A, "%s.%s", text(c, obj), text(c, prop));
}

/* A comprehension (`[m["content"] for m in body["messages"]]`, a generator):
 * request data when what it iterates is. */
struct cl_value *facts_comprehension_value(struct ctx *c, TSNode n, int depth)
{
	const char *taint = NULL;
	for (uint32_t i = 0, k = ts_node_named_child_count(n); i < k && !taint; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (sym_is(c, ch, SYM_FOR_IN_CLAUSE))
			taint = facts_eval(c, field(ch, "right"), depth + 1)->taint;
	}
	return facts_tainted(c, n, taint);
}

/* Member MEMBER of O (NULL: a method's result on it, `file.buffer
 * .toString()`): derived from the parameter O is (or is derived from), so
 * CL17 and CL05 can ask that parameter's callers; NULL when O is no
 * parameter. */
struct cl_value *facts_param_derived(struct ctx *c, TSNode n, const struct cl_value *o, const char *member)
{
	if (!o || o->kind != CL_V_UNKNOWN || !o->param || o->taint)
		return NULL;
	struct cl_value *v = unknown(c, n);
	v->param = o->param;
	v->param_fn = o->param_fn;
	v->param_pos = o->param_pos;
	v->param_derived = true;
	v->param_member = o->param_derived ? NULL : member;
	return v;
}

/* Are the arguments of this file's calls by name read (facts_regions.c)?
 * In a web server, a file using Claude or reading input() (request data
 * may flow into the functions it calls), and where a timeout or an abort
 * signal may be passed on (`ask(q, timeout=45)`, `generate(msg,
 * controller.signal)`: settings_signal.c asks the callers). */
bool facts_reads_args(struct ctx *c)
{
	const char *s = c->src->data;
	size_t n = c->src->len;
	return c->f->web_server || c->f->claude_import || memmem(s, n, "input(", 6) || memmem(s, n, "imeout", 6) ||
		memmem(s, n, "IMEOUT", 6) || memmem(s, n, "ignal", 5);
}
