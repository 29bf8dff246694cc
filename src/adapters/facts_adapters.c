/*
 * facts_adapters.c — the facts layer's hooks for the Claude adapter records
 * of rules/adapters.json: constructions of a record (kept when its gate
 * holds), clients made by factory methods, methods that return the same
 * client, option classes read as objects, and the record's calls (methods
 * of its clients, functions, Bedrock commands). Knows the records only
 * through adapters.h; everything else is the facts layer's own evaluation.
 */
#include "model/facts_internal.h"

#include <stdio.h>
#include <string.h>

#include "adapters/adapters.h"
#include "adapters/surface.h"

/* Puts A's positional arguments into its keywords under the names the
 * adapter record AD lists in TABLE ("call_args", "constructor_args"),
 * where the keyword is not given too. */
static void name_positional(struct ctx *c, struct args *a, const struct cl_adapter *ad, const char *table)
{
	for (size_t i = 0; i < a->npos; i++) {
		const char *name = cl_adapters_arg_name(ad, table, i);
		if (name && !cl_value_get(a->kw, name))
			facts_object_put(c, a->kw, name, a->pos[i]);
	}
}

/* A construction of record AD whose gate held: a client of the record, or,
 * for a record whose constructions are not Claude clients by themselves (a
 * Bedrock runtime client serves every vendor), an object of its options
 * tagged with the record ("__adapter__") that its gated calls recognise. */
static struct cl_value *construction(struct ctx *c, TSNode n, const struct cl_adapter *ad,
	const char *cls, struct args *a, struct cl_value *opts)
{
	if (c->py) /* Agent("anthropic:…"), boto3.client("bedrock-runtime") */
		name_positional(c, a, ad, "constructor_args");
	if (ad->handle_only) {
		struct cl_value *o = empty_object(c, n);
		facts_merge_into(c, o, opts);
		o->open = opts->open;
		struct cl_value *tag = new_value(c, CL_V_STRING, n);
		tag->str = ad->id;
		tag->len = strlen(ad->id);
		facts_object_put(c, o, "__adapter__", tag);
		return o;
	}
	struct cl_value *v = facts_register_client(c, n, CL_CLIENT_ADAPTER, cls, opts);
	c->f->clients.v[v->client].adapter = ad->id;
	return v;
}

struct cl_value *facts_adapter_construction(struct ctx *c, TSNode n, const char *kind, const char *cls,
	struct args *a, struct cl_value *opts)
{
	const struct cl_adapter *ad = cl_adapters_find(cl_adapters_kind_id(kind));
	if (!ad || !cl_adapters_gate(ad, opts, a->pos, a->npos, c->f->claude_import))
		return NULL;
	return construction(c, n, ad, cls, a, opts);
}

struct cl_value *facts_adapter_value(struct ctx *c, TSNode n, TSNode callee, TSNode argsn,
	const char *last, int depth)
{
	bool member = is_member_node(c, callee);
	/* session.client("bedrock-runtime"): the receiver need not resolve */
	const struct cl_adapter *factory = member ? cl_adapters_factory(last, c->py) : NULL;
	if (factory) {
		struct args a = facts_eval_args(c, argsn, depth);
		struct cl_value *opts = c->py ? a.kw : facts_object_arg(c, &a, 0);
		if (cl_adapters_gate(factory, opts, a.pos, a.npos, c->f->claude_import))
			return construction(c, n, factory, last, &a, opts);
	}
	/* builder.compile(): the same adapter client, where its record says so */
	if (member && cl_surface_has("adapter_passthrough_methods", last)) {
		struct cl_value *base = facts_eval(c, field(callee, "object"), depth + 1);
		if (base->kind == CL_V_CLIENT && base->owner == c->f && base->client >= 0 &&
		    c->f->clients.v[base->client].kind == CL_CLIENT_ADAPTER &&
		    cl_adapters_passthrough(cl_adapters_find(c->f->clients.v[base->client].adapter), last))
			return base;
	}
	/* an option class (ClaudeAgentOptions(...), UsageLimits(...), botocore
	 * Config(...)): the object of its options; a lone positional argument is
	 * its model (AnthropicModel("claude-…")) */
	struct symbol s;
	if (facts_resolve_symbol(c, callee, &s, 0) && cl_surface_symbol("options_classes", c->py, s.module, s.name)) {
		struct args a = facts_eval_args(c, argsn, depth);
		struct cl_value *o = c->py ? a.kw : facts_object_arg(c, &a, 0);
		if (c->py && a.npos == 1 && !cl_value_get(o, "model"))
			facts_object_put(c, o, "model", a.pos[0]);
		return o;
	}
	(void)n;
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Calls.                                                                   */

static struct cl_call *adapter_call(struct ctx *c, TSNode n, const struct cl_adapter *ad, const char *method,
	struct cl_value *params, struct cl_value *opts)
{
	struct cl_call *call = facts_add_call(c, n, CL_CALL_ADAPTER, method);
	call->adapter = ad->id;
	call->params = params;
	call->opts = opts;
	enum cl_gate g = cl_adapters_call_gate_of(ad, params);
	if (g == CL_GATE_UNKNOWN) { /* decided once the files are linked */
		call->gate_pending = true;
		call->gate_context = cl_adapters_context_file(ad, c->src->data, c->src->len);
	}
	return call;
}

/* Bedrock's `new ConverseCommand({ modelId, ... })` (sent by client.send):
 * the command is the Claude call when its model id is Anthropic's. */
static bool command(struct ctx *c, TSNode n, TSNode callee, TSNode argsn)
{
	struct symbol s;
	const char *id;
	if (c->py || !sym_is(c, n, SYM_NEW_EXPRESSION) || !facts_resolve_symbol(c, callee, &s, 0) ||
	    !(id = cl_surface_symbol("adapter_commands", false, s.module, s.name)))
		return false;
	const struct cl_adapter *ad = cl_adapters_find(id);
	struct args a = facts_eval_args(c, argsn, 0);
	struct cl_value *p = facts_object_arg(c, &a, 0);
	if (ad && cl_adapters_call_gate_of(ad, p) != CL_GATE_NO)
		adapter_call(c, n, ad, s.name, p, empty_object(c, (TSNode){0}));
	return true;
}

/* A function of a record called without a client (`query(...)` of the
 * Claude Agent SDK). */
static bool function(struct ctx *c, TSNode n, TSNode callee, TSNode argsn)
{
	struct symbol s;
	const char *id;
	if (sym_is(c, n, SYM_NEW_EXPRESSION) || !facts_resolve_symbol(c, callee, &s, 0) ||
	    !(id = cl_surface_symbol("adapter_functions", c->py, s.module, s.name)))
		return false;
	const struct cl_adapter *ad = cl_adapters_find(id);
	struct args a = facts_eval_args(c, argsn, 0);
	struct cl_value *p = c->py ? a.kw : facts_object_arg(c, &a, 0);
	if (ad && cl_adapters_call_gate_of(ad, p) != CL_GATE_NO)
		adapter_call(c, n, ad, s.name, p, c->py ? a.kw : facts_object_arg(c, &a, 1));
	return true;
}

/* A call method of a record's client (`agent.run_sync(...)`,
 * `bedrock.converse(...)`), longest suffix first. */
static bool method(struct ctx *c, TSNode n, const struct chain *ch, TSNode argsn)
{
	for (int k = ch->n; k >= 1; k--) {
		char name[128];
		size_t len = 0;
		name[0] = 0;
		for (int i = k - 1; i >= 0 && len < sizeof name - 1; i--)
			len += (size_t)snprintf(name + len, sizeof name - len, "%s%s", ch->props[i], i ? "." : "");
		if (len >= sizeof name)
			continue;
		struct cl_value *recv = facts_eval(c, ch->objs[k - 1], 0);
		const struct cl_value *tag = recv->kind == CL_V_OBJECT ? cl_value_get(recv, "__adapter__") : NULL;
		const struct cl_adapter *ad = NULL;
		if (tag && tag->kind == CL_V_STRING) {
			ad = cl_adapters_find(tag->str); /* a handle: its options ride on the call */
		} else if (recv->kind == CL_V_CLIENT && recv->owner && recv->client >= 0 &&
			   (size_t)recv->client < recv->owner->clients.n) {
			const struct cl_client *cl = &recv->owner->clients.v[recv->client];
			ad = cl->kind == CL_CLIENT_ADAPTER ? cl_adapters_find(cl->adapter) : NULL;
		}
		if (!ad || !cl_adapters_call_method(ad, name))
			continue;
		struct args a = facts_eval_args(c, argsn, 0);
		if (c->py) /* invoke(input, config): positional arguments by the names the record gives */
			name_positional(c, &a, ad, "call_args");
		struct cl_value *p = c->py ? a.kw : facts_object_arg(c, &a, 0);
		if (cl_adapters_call_gate_of(ad, p) == CL_GATE_NO)
			return true;
		struct cl_value *opts = c->py ? a.kw : facts_object_arg(c, &a, 1);
		if (tag) {
			struct cl_value *o = empty_object(c, (TSNode){0});
			o->span = opts->span;
			facts_merge_into(c, o, opts);
			o->open = opts->open;
			facts_object_put(c, o, "__client__", recv);
			adapter_call(c, n, ad, cl_arena_strdup(c->A, name), p, o);
			return true;
		}
		struct cl_call *call = adapter_call(c, n, ad, cl_arena_strdup(c->A, name), p, opts);
		call->client = recv;
		if (recv->owner == c->f)
			c->f->clients.v[recv->client].used = true;
		return true;
	}
	return false;
}

bool facts_adapter_call(struct ctx *c, TSNode n, TSNode callee, TSNode argsn, const struct chain *ch)
{
	return command(c, n, callee, argsn) || function(c, n, callee, argsn) || method(c, n, ch, argsn);
}
