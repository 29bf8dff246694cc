/*
 * facts_handoff.c — a client handed over in a config object: the values a
 * file's calls pass by name (`createAIBot({ aiClient: claude })`,
 * `Bot(llm=client)`) and the member each method call's receiver is read
 * from (`config.aiClient.ask()`, `this.config.aiClient.ask()`,
 * `self.llm.ask()`). The call graph (callgraph.c) gives such a call the
 * methods of the classes handed over under that name anywhere in the tree.
 */
#include "model/facts_internal.h"

#include <string.h>

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
}
