/*
 * facts_callvalue.c — what a call expression evaluates to: client
 * constructions (registered in the file's facts) and with_options(),
 * env lookups, timeouts, AI SDK provider models, chat model factories,
 * HTTP clients, paths and files, string methods, and the results of the
 * file's own functions.
 */
#include "model/facts_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapters.h"
#include "adapters/surface.h"

/* ------------------------------------------------------------------------ */
/* Clients.                                                                 */

static int find_client(struct ctx *c, uint32_t start)
{
	for (size_t i = 0; i < c->client_starts.n; i++)
		if (c->client_starts.v[i] == start)
			return (int)i;
	return -1;
}

struct cl_value *facts_client_value(struct ctx *c, TSNode n, int index)
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
	return facts_client_value(c, n, idx);
}

struct cl_value *facts_register_client(struct ctx *c, TSNode n, enum cl_client_kind kind,
	const char *cls, struct cl_value *opts)
{
	return register_client(c, n, kind, cls, opts, -1, NULL);
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


static bool is_function_node_type(const struct ctx *c, TSNode n)
{
	return sym_is(c, n, SYM_FUNCTION_DEFINITION) || sym_is(c, n, SYM_FUNCTION_DECLARATION) ||
		sym_is(c, n, SYM_ARROW_FUNCTION) || sym_is(c, n, SYM_FUNCTION_EXPRESSION) ||
			sym_is(c, n, SYM_FUNCTION);
}

bool facts_name_in(const char *s, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(s, *names))
			return true;
	return false;
}

/* Does N (a statement) hold a return, a yield aside, outside nested
 * functions? BUDGET bounds the nodes looked at (unknown counts as yes). */
static bool holds_return(const struct ctx *c, TSNode n, int *budget)
{
	if (--*budget < 0 || sym_is(c, n, SYM_RETURN_STATEMENT))
		return true;
	if (is_function_node(c, n) || is_class_node(c, n))
		return false;
	for (uint32_t i = 0, k = ts_node_named_child_count(n); i < k; i++)
		if (holds_return(c, ts_node_named_child(n, i), budget))
			return true;
	return false;
}

/* The last statement of a straight-line function body (comments aside);
 * null when the body branches or loops (it might return elsewhere).
 * BRANCHES: a branch, loop or handler before it is read too when it holds
 * no return (a builder setting keys under an `if`: those keys are maybe). */
static TSNode last_statement(const struct ctx *c, TSNode body, bool branches)
{
	TSNode last = {0};
	uint32_t k = ts_node_named_child_count(body);
	for (uint32_t i = 0; i < k; i++) {
		TSNode st = ts_node_named_child(body, i);
		if (sym_is(c, st, SYM_COMMENT))
			continue;
		int budget = 512;
		if (!sym_is(c, st, SYM_EXPRESSION_STATEMENT) && !sym_is(c, st, SYM_RETURN_STATEMENT) &&
		    !sym_is(c, st, SYM_WITH_STATEMENT) && !sym_is(c, st, SYM_LEXICAL_DECLARATION) &&
		    !sym_is(c, st, SYM_VARIABLE_DECLARATION) &&
		    !(branches && i + 1 < k && (is_branching_node(c, st) || sym_is(c, st, SYM_TRY_STATEMENT)) &&
		      !holds_return(c, st, &budget)))
			return (TSNode){0};
		last = st;
	}
	return last;
}

/* The method NAME of the class whose code holds POS (`self._opts()`), as a
 * node, or null. */
static TSNode own_method(struct ctx *c, const char *name, uint32_t pos)
{
	for (size_t i = 0; i < c->f->regions.n; i++) {
		const struct cl_region *r = &c->f->regions.v[i];
		if (r->kind != CL_R_FUNCTION || !r->name || strcmp(r->name, name) || r->parent < 0)
			continue;
		const struct cl_region *cls = &c->f->regions.v[r->parent];
		if (cls->kind == CL_R_CLASS && cls->span.start <= pos && pos < cls->span.end)
			return ts_node_descendant_for_byte_range(c->root, r->span.start, r->span.end);
	}
	return (TSNode){0};
}

/* What `f()` returns when f is a function of the file without parameters
 * whose straight-line body ends in a return (possibly inside a `with`):
 * `def load_prompt(): return Path(...).read_text()`, `const prompt = () => …`.
 * BUILDER: f (also a method of the caller's class, `self._opts()`) may take
 * arguments, and only an object it returns is taken — an options dict built
 * by a helper (`d = {...}; d["max_turns"] = 8; return d`), its values read
 * in the helper (parameters stay unknown). */
static struct cl_value *function_result(struct ctx *c, TSNode n, TSNode callee, int depth, bool builder)
{
	if (depth > EVAL_DEPTH - 4)
		return NULL;
	TSNode fn = {0};
	struct binding *b = NULL;
	if (is_member_node(c, callee)) {
		TSNode obj = field(callee, "object");
		if (!builder || !(text_eq(c, obj, "self") || text_eq(c, obj, "this")))
			return NULL;
		fn = own_method(c, text(c, field(callee, c->py ? "attribute" : "property")), ts_node_start_byte(n));
	} else {
		const char *name = text(c, callee);
		b = facts_lookup(c, name, ts_node_start_byte(callee));
		if (b && b->kind == B_VALUE && is_function_def_node(c, b->value))
			fn = b->value;
		for (size_t i = 0; !b && i < c->f->regions.n && ts_node_is_null(fn); i++) {
			const struct cl_region *r = &c->f->regions.v[i];
			if (r->kind == CL_R_FUNCTION && r->name && !strcmp(r->name, name) && r->params &&
			    (builder || !r->params[0]) &&
			    (r->parent < 0 || c->f->regions.v[r->parent].kind == CL_R_FUNCTION))
				fn = ts_node_descendant_for_byte_range(c->root, r->span.start, r->span.end);
		}
	}
	if (ts_node_is_null(fn) || !is_function_node_type(c, fn))
		return NULL;
	TSNode ps = field(fn, "parameters");
	if (!builder && !ts_node_is_null(ps) && ts_node_named_child_count(ps) > 0)
		return NULL;
	TSNode body = field(fn, "body");
	TSNode st = body;
	if (sym_is(c, body, SYM_BLOCK) || sym_is(c, body, SYM_STATEMENT_BLOCK)) {
		st = last_statement(c, body, builder);
		if (sym_is(c, st, SYM_WITH_STATEMENT))
			st = last_statement(c, field(st, "body"), builder);
		if (!sym_is(c, st, SYM_RETURN_STATEMENT) || ts_node_named_child_count(st) == 0)
			return NULL;
		st = ts_node_named_child(st, 0);
	}
	struct cl_value *v = facts_eval(c, st, depth + 2);
	if (builder && v->kind != CL_V_OBJECT)
		return NULL;
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
	bool member = is_member_node(c, callee);
	TSNode recvn = member ? field(callee, "object") : (TSNode){0};
	bool no_args = ts_node_named_child_count(argsn) == 0;
	if (sym_is(c, callee, SYM_IDENTIFIER) && no_args) {
		struct cl_value *r = function_result(c, n, callee, depth, false);
		if (r)
			return r;
	}
	if (member && (!strcmp(last, "get") || !strcmp(last, "pop"))) {
		/* `sessions.get(sid)`: a container's element */
		struct cl_value *e = facts_container_element(c, recvn, n, depth);
		if (e)
			return e;
	}
	struct cl_value *built = function_result(c, n, callee, depth, true);
	struct args a = facts_eval_args(c, argsn, depth);
	if (built) {
		/* an options builder: its dict, derived from request data when an argument is */
		for (size_t i = 0; i < a.npos && !built->taint; i++)
			built = facts_taint_with(c, built, a.pos[i]->taint);
		return built;
	}
	struct cl_value *recv = member ? facts_eval(c, recvn, depth + 1) : NULL;
	struct cl_value *a0 = a.npos ? a.pos[0] : NULL;
	if (c->py && sym_is(c, callee, SYM_IDENTIFIER) && !strcmp(last, "input") &&
		!facts_lookup(c, "input", ts_node_start_byte(n)))
		return facts_tainted(c, n, "input()");
	{
		struct symbol sym;
		if (facts_resolve_symbol(c, callee, &sym, 0) &&
		    cl_surface_symbol("user_input_functions", c->py, sym.module, sym.name))
			return facts_tainted(c, n, cl_arena_printf(c->A, "%s()", text(c, callee)));
	}
	if (member) {
		const char *req = facts_request_field(c, recvn, field(callee, c->py ? "attribute" : "property"));
		if (req)
			return facts_tainted(c, n, cl_arena_printf(c->A, "%s()", req));
	}
	if (a0 && (facts_callee_is(c, callee, opens) || (!member && facts_name_in(last, path_ctors)) ||
		   (member && facts_name_in(last, path_ctors) && !strcmp(text(c, recvn), "pathlib")))) {
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
		if (facts_name_in(last, path_methods))
			return recv;
		if (!strcmp(last, "joinpath") && a0)
			return facts_path_join_value(c, n, recv, a0);
		if (facts_name_in(last, reads))
			return facts_file_contents(c, n, recv);
	}
	if (a0 && facts_name_in(last, read_fns))
		return facts_file_contents(c, n, a0);
	if (a0 && facts_callee_is(c, callee, parse_fns))
		return a0->kind == CL_V_PATH ? facts_file_contents(c, n, a0) : a0;
	if (recv) {
		struct cl_value *v = facts_string_method(c, n, recv, last, &a);
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
	/* a function or class of the tree: what its summary says it gives (a
	 * client, a model, an instance), or a call to an imported name that
	 * project.c resolves through the other file */
	if (sym_is(c, callee, SYM_IDENTIFIER) || member) {
		struct cl_value *fv = facts_eval(c, callee, depth + 1);
		struct cl_value *r = facts_call_result(c, n, fv);
		if (r && (fv->kind != CL_V_FUNCTION || facts_model_value(r)))
			return facts_taint_with(c, r, t);
	}
	struct cl_value *d = t ? NULL : facts_param_derived(c, n, recv, NULL); /* `file.buffer.toString()` */
	return d ? d : facts_tainted(c, n, t);
}

struct cl_value *facts_eval_call(struct ctx *c, TSNode n, int depth)
{
	bool is_new = sym_is(c, n, SYM_NEW_EXPRESSION);
	TSNode callee = field(n, is_new ? "constructor" : "function");
	TSNode argsn = field(n, "arguments");
	if (ts_node_is_null(callee))
		return unknown(c, n);
	if (sym_is(c, argsn, SYM_TEMPLATE_STRING)) /* dedent`…`: a tagged template */
		return facts_eval(c, argsn, depth + 1);
	if (ts_node_is_null(argsn) || !(sym_is(c, argsn, SYM_ARGUMENTS) || sym_is(c, argsn, SYM_ARGUMENT_LIST) ||
	    sym_is(c, argsn, SYM_GENERATOR_EXPRESSION)))
		return unknown(c, n);
	static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", "os.environ.setdefault", NULL};
	static const char *const serialize[] = {"JSON.stringify", "json.dumps", "orjson.dumps", NULL};
	const char *cls = NULL;
	const char *kind = facts_constructor_kind(c, callee, &cls);
	if (kind) {
		struct args a = facts_eval_args(c, argsn, depth);
		struct cl_value *opts = c->py ? a.kw : facts_object_arg(c, &a, 0);
		if (!cl_adapters_kind_id(kind))
			return register_client(c, n, client_kind_from(kind), cls, opts, -1, NULL);
		/* a construction of a rules/adapters.json record; gated out (an
		 * OpenAI client of another endpoint), it is any other call, so that
		 * what it came from (another vendor's SDK) stays known */
		struct cl_value *v = facts_adapter_construction(c, n, kind, cls, &a, opts);
		if (v)
			return v;
	}
	const char *last = facts_last_prop(c, callee);
	struct cl_value *adapted = facts_adapter_value(c, n, callee, argsn, last, depth);
	if (adapted) /* rules/adapters.json: factory methods, pass-through methods, option classes */
		return adapted;
	if (cl_surface_has("client_option_methods", last) && (is_member_node(c, callee))) {
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
	if (cl_surface_has("wrapper_passthrough_methods", last) && (is_member_node(c, callee))) {
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
		return facts_env_value(c, n, name->str, d);
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
		if (!provider && sym_is(c, callee, SYM_MEMBER_EXPRESSION) &&
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
		if (!provider && (sym_is(c, callee, SYM_IDENTIFIER) || sym_is(c, callee, SYM_CALL_EXPRESSION))) {
			/* anthropic('…'), createAnthropic({ … })('…') */
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
