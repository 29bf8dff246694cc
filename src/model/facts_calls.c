/*
 * facts_calls.c — classifies calls (SDK methods on a Claude client, wrapper
 * methods, Vercel AI SDK and LiteLLM functions, raw HTTP to the Messages API
 * and whether something retries it) and picks out string literals that are
 * model ids.
 */
#include "model/facts_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan/secrets.h"
#include "adapters/surface.h"
#include "support/utf8.h"

/* ------------------------------------------------------------------------ */
/* Calls.                                                                   */

static bool text_has_ci(const char *s, size_t n, const char *needle)
{
	return cl_memcasemem(s, n, needle, strlen(needle)) != NULL;
}

/* The calls of the file whose callee names a retry or backoff helper,
 * found once per file (per call, the search was quadratic). */
static const struct facts_u32s *retry_callers(struct ctx *c)
{
	const char *src = c->src->data;
	if (!c->retry_callers_known) {
		c->retry_callers_known = true;
		for (size_t i = 0; i < c->calls.n; i++) {
			TSNode fn = field(c->calls.v[i], "function");
			if (ts_node_is_null(fn))
				continue;
			uint32_t fs = ts_node_start_byte(fn), fe = ts_node_end_byte(fn);
			if (text_has_ci(src + fs, fe - fs, "retry") || text_has_ci(src + fs, fe - fs, "backoff"))
				cl_vec_push(&c->retry_callers, (uint32_t)i);
		}
	}
	return &c->retry_callers;
}

/* Marks a raw HTTP call that is re-sent on failure: inside a loop that looks
 * at 429/529/overload, inside a retry decorator, or passed to a retry helper. */
static void retry_context(struct ctx *c, TSNode n, struct cl_call *call)
{
	const char *src = c->src->data;
	int guard = 0;
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && guard < 200 && facts_spend(c, 1);
	     p = ts_node_parent(p), guard++) {
		uint32_t s = ts_node_start_byte(p), e = ts_node_end_byte(p);
		if (is_loop_node(c, p)) {
			if (text_has_ci(src + s, e - s, "429") || text_has_ci(src + s, e - s, "529") ||
			    text_has_ci(src + s, e - s, "overloaded") || text_has_ci(src + s, e - s, "retry") ||
			    text_has_ci(src + s, e - s, "attempt"))
				call->in_retry_loop = true;
		}
		if (sym_is(c, p, SYM_DECORATED_DEFINITION)) {
			uint32_t k = ts_node_named_child_count(p);
			for (uint32_t i = 0; i < k; i++) {
				TSNode d = ts_node_named_child(p, i);
				if (!sym_is(c, d, SYM_DECORATOR))
					continue;
				uint32_t ds = ts_node_start_byte(d), de = ts_node_end_byte(d);
				if (text_has_ci(src + ds, de - ds, "retry") || text_has_ci(src + ds, de - ds, "backoff"))
					call->retry_wrapped = true;
			}
		}
		if (is_call_node(c, p)) {
			TSNode fn = field(p, "function");
			uint32_t fs = ts_node_start_byte(fn), fe = ts_node_end_byte(fn);
			if (!ts_node_is_null(fn) && (text_has_ci(src + fs, fe - fs, "retry") ||
			    text_has_ci(src + fs, fe - fs, "backoff")))
				call->retry_wrapped = true;
		}
		if (is_function_node(c, p) && !call->retry_wrapped) {
			/* the enclosing function handed to a retry helper elsewhere in the file */
			TSNode name = field(p, "name");
			if (ts_node_is_null(name) && (sym_is(c, p, SYM_ARROW_FUNCTION) ||
				sym_is(c, p, SYM_FUNCTION_EXPRESSION))) {
				TSNode decl = ts_node_parent(p);
				if (sym_is(c, decl, SYM_VARIABLE_DECLARATOR))
					name = field(decl, "name");
			}
			if (!ts_node_is_null(name)) {
				const char *nm = text(c, name);
				const struct facts_u32s *rc = retry_callers(c);
				for (size_t i = 0; i < rc->n && !call->retry_wrapped && facts_spend(c, 1); i++) {
					TSNode other = c->calls.v[rc->v[i]];
					uint32_t os = ts_node_start_byte(other), oe = ts_node_end_byte(other);
					if (text_has_ci(src + os, oe - os, nm))
						call->retry_wrapped = true;
				}
			}
		}
	}
}

static bool anthropic_url(const struct cl_value *url)
{
	if (!url || url->kind != CL_V_STRING)
		return false;
	return strstr(url->str, "api.anthropic.com") != NULL;
}

static bool messages_path(const struct cl_value *url)
{
	return url && url->kind == CL_V_STRING && strstr(url->str, "/v1/messages") != NULL;
}

static bool anthropic_headers(const struct cl_value *opts)
{
	struct cl_value *h = cl_value_get(opts, "headers");
	if (!h || h->kind != CL_V_OBJECT)
		return false;
	for (size_t i = 0; i < h->npairs; i++)
		if (!strcasecmp(h->pairs[i].key, "x-api-key") || !strcasecmp(h->pairs[i].key, "anthropic-version"))
			return true;
	return false;
}

struct cl_call *facts_add_call(struct ctx *c, TSNode n, enum cl_call_kind kind, const char *method)
{
	struct cl_call call;
	memset(&call, 0, sizeof call);
	call.kind = kind;
	call.method = method;
	call.span = span_of(n);
	call.region = cl_facts_region_at(c->f, call.span.start);
	cl_vec_push(&c->f->calls, call);
	return &c->f->calls.v[c->f->calls.n - 1];
}

/* `signal: controller.signal` (or the AI SDK's `abortSignal`) bounds the
 * request only when a timer armed before the request aborts that controller;
 * otherwise — the web request's own `req.signal`, a controller no timer
 * aborts — the option is renamed so that it does not count as a timeout
 * (CL05.no-disconnect-abort still reads it under the new name). With
 * LOCAL_ONLY (SDK and AI SDK calls) a signal from elsewhere (`opts.signal`,
 * a caller's, perhaps a timer's) is left alone: only the request's own and
 * a controller the file creates are judged. */
static void untimed_signal(struct ctx *c, TSNode call, struct cl_value *opts, bool local_only)
{
	for (size_t i = 0; opts && i < opts->npairs; i++) {
		struct cl_kv *kv = &opts->pairs[i];
		if ((strcmp(kv->key, "signal") != 0 && strcmp(kv->key, "abortSignal") != 0) ||
		    kv->val->kind != CL_V_UNKNOWN)
			continue;
		uint32_t s = kv->val->span.start, e = kv->val->span.end;
		if (e <= s || e > c->src->len || e - s < 8 || memcmp(c->src->data + e - 7, ".signal", 7) != 0)
			continue;
		char needle[128];
		int n = snprintf(needle, sizeof needle, "%.*s", (int)(e - s), c->src->data + s);
		if (n < 0 || (size_t)n >= sizeof needle)
			continue;
		if (cl_surface_has("request_signals", needle)) { /* the web request's own: never a timer's */
			kv->key = CL_UNTIMED_SIGNAL_KEY;
			continue;
		}
		if (local_only) {
			n = snprintf(needle, sizeof needle, "%.*s = new AbortController", (int)(e - s - 7), c->src->data + s);
			if (n < 0 || (size_t)n >= sizeof needle || !memmem(c->src->data, c->src->len, needle, (size_t)n))
				continue;
		}
		n = snprintf(needle, sizeof needle, "%.*s.abort", (int)(e - s - 7), c->src->data + s);
		bool armed = false;
		uint32_t start = ts_node_start_byte(call);
		for (size_t k = 0; k < c->calls.n && !armed; k++) {
			TSNode t = c->calls.v[k];
			if (ts_node_start_byte(t) >= start)
				break;
			TSNode fn = field(t, "function");
			if (ts_node_is_null(fn) || !text_eq(c, fn, "setTimeout"))
				continue;
			uint32_t ts = ts_node_start_byte(t), te = ts_node_end_byte(t);
			armed = memmem(c->src->data + ts, te - ts, needle, (size_t)n) != NULL;
		}
		if (!armed)
			kv->key = CL_UNTIMED_SIGNAL_KEY;
	}
}

static bool raw_http_call(struct ctx *c, TSNode n, TSNode callee, TSNode argsn)
{
	const char *last = facts_last_prop(c, callee);
	struct symbol s = {NULL, NULL};
	bool resolved = facts_resolve_symbol(c, callee, &s, 0);
	bool fetchlike = sym_is(c, callee, SYM_IDENTIFIER) && (!strcmp(last, "fetch") || !strcmp(last, "$fetch") ||
		!strcmp(last, "ofetch"));
	bool known = resolved && cl_surface_symbol("http_functions", c->py, s.module, s.name);
	bool method = cl_surface_has("http_methods", last);
	if (!fetchlike && !known && !method)
		return false;
	struct args a = facts_eval_args(c, argsn, 0);
	struct cl_value *url = facts_arg(c, &a, 0, "url");
	struct cl_value *cfg0 = NULL;
	if (url->kind == CL_V_OBJECT) { /* axios({ url, data }) */
		cfg0 = url;
		url = cl_value_get(cfg0, "url");
	}
	struct cl_value *params = NULL, *opts = NULL;
	if (c->py) {
		opts = a.kw;
		params = cl_value_get(a.kw, "json");
		if (!params)
			params = cl_value_get(a.kw, "data");
		if (!params)
			params = cl_value_get(a.kw, "content");
	} else if (cfg0) {
		opts = cfg0;
		params = cl_value_get(cfg0, "data");
	} else if (fetchlike || (!strcmp(last, "request") && !resolved)) {
		opts = facts_object_arg(c, &a, 1);
		params = cl_value_get(opts, "body");
	} else if ((resolved && (!strcmp(s.module, "got") || !strcmp(s.module, "ky"))) ||
		   (!resolved && a.npos == 2 && a.pos[1]->kind == CL_V_OBJECT && cl_value_get(a.pos[1], "json"))) {
		opts = facts_object_arg(c, &a, 1);
		params = cl_value_get(opts, "json");
	} else {
		/* axios.post(url, data, config) */
		params = facts_arg(c, &a, 1, NULL);
		opts = facts_object_arg(c, &a, 2);
	}
	if (!url || !(anthropic_url(url) || (messages_path(url) && anthropic_headers(opts))))
		return false;
	/* the client the request is sent through: httpx.Client(timeout=…), axios.create(…) */
	if (is_member_node(c, callee)) {
		struct cl_value *recv = facts_eval(c, field(callee, "object"), 0);
		if (recv->kind == CL_V_OBJECT && cl_value_get(recv, "__http_client__")) {
			struct cl_value *merged = empty_object(c, (TSNode){0});
			merged->span = opts->span;
			facts_merge_into(c, merged, recv);
			facts_merge_into(c, merged, opts);
			merged->open = recv->open || opts->open;
			opts = merged;
		}
	}
	untimed_signal(c, n, opts, false);
	const char *lib = fetchlike ? "fetch" : resolved ? s.module : text(c, callee);
	struct cl_call *call = facts_add_call(c, n, CL_CALL_RAW_HTTP, last);
	call->lib = lib;
	call->params = params ? facts_as_object(c, params) : facts_as_object(c, NULL);
	call->opts = opts;
	call->counts_for_max_tokens = params != NULL && strstr(url->str, "/messages") != NULL &&
		!strstr(url->str, "count_tokens") && !strstr(url->str, "/batches");
	retry_context(c, n, call);
	return true;
}

/* LangChain `SystemMessage(content)`, `SystemMessagePromptTemplate.from_template(t)`. */
static bool system_prompt(struct ctx *c, TSNode n, TSNode callee, TSNode argsn)
{
	struct symbol s;
	const char *last = facts_last_prop(c, callee);
	bool tmpl = !strcmp(last, "from_template") || !strcmp(last, "fromTemplate");
	TSNode cls = tmpl && (is_member_node(c, callee)) ? field(callee, "object") : callee;
	if (!facts_resolve_symbol(c, cls, &s, 0) ||
	    !cl_surface_symbol("system_prompt_constructors", c->py, s.module, s.name))
		return false;
	if (!tmpl && strcmp(s.name, "SystemMessage") != 0)
		return false;
	struct args a = facts_eval_args(c, argsn, 0);
	struct cl_value *v = facts_arg(c, &a, 0, tmpl ? "template" : "content");
	if (!c->py && !tmpl && v->kind == CL_V_OBJECT) /* new SystemMessage({ content }) */
		v = cl_value_get(v, "content") ? cl_value_get(v, "content") : unknown(c, n);
	struct cl_prompt p;
	p.how = tmpl ? cl_arena_printf(c->A, "%s.%s", s.name, last) : s.name;
	p.span = span_of(n);
	p.value = v;
	cl_vec_push(&c->f->prompts, p);
	return true;
}

/* A receiver whose own name says it is a Claude client (`anthropic`,
 * `this.claudeClient`, `self.anthropic_client`, `getAnthropic()`) though its
 * value is unknown, e.g. returned by a getter in another module. */
static bool named_claude(struct ctx *c, TSNode recv)
{
	while (sym_is(c, recv, SYM_AWAIT_EXPRESSION) || sym_is(c, recv, SYM_AWAIT) ||
		sym_is(c, recv, SYM_PARENTHESIZED_EXPRESSION))
		recv = ts_node_named_child(recv, 0);
	if (is_call_node(c, recv)) /* getAnthropic().messages */
		recv = field(recv, "function");
	const char *name = facts_last_prop(c, recv);
	return text_has_ci(name, strlen(name), "anthropic") || text_has_ci(name, strlen(name), "claude");
}

void facts_process_call(struct ctx *c, TSNode n)
{
	bool is_new = sym_is(c, n, SYM_NEW_EXPRESSION);
	TSNode callee = field(n, is_new ? "constructor" : "function");
	TSNode argsn = field(n, "arguments");
	if (ts_node_is_null(callee) || ts_node_is_null(argsn) || sym_is(c, argsn, SYM_TEMPLATE_STRING))
		return; /* a tagged template */
	const char *cls;
	if (facts_constructor_kind(c, callee, &cls)) {
		facts_eval(c, n, 0); /* registers the client */
		return;
	}
	/* asyncio.to_thread(client.messages.create, model=…): the first argument's
	 * call, with the keyword arguments after it (surface.json deferred_calls) */
	TSNode a0 = ts_node_named_child(argsn, 0);
	if (c->py && !ts_node_is_null(a0) && is_member_node(c, a0) && cl_surface_has("deferred_calls", text(c, callee)))
		callee = a0;
	struct chain ch;
	facts_callee_chain(c, callee, &ch);
	if (facts_adapter_call(c, n, callee, argsn, &ch)) /* rules/adapters.json records */
		return;
	if (system_prompt(c, n, callee, argsn) || is_new)
		return;
	/* SDK methods, longest suffix first: beta.messages.create before messages.create */
	for (int k = ch.n; k >= 1; k--) {
		char method[128];
		size_t len = 0;
		method[0] = 0;
		for (int i = k - 1; i >= 0 && len < sizeof method - 1; i--)
			len += (size_t)snprintf(method + len, sizeof method - len, "%s%s", ch.props[i], i ? "." : "");
		if (len >= sizeof method || !cl_surface_has("sdk_methods", method))
			continue;
		struct cl_value *recv = facts_eval(c, ch.objs[k - 1], 0);
		if (recv->kind == CL_V_IMPORT && strchr(recv->name, '.') && !strchr(recv->name, '('))
			recv = unknown(c, ch.objs[k - 1]); /* a member of an imported object: untyped */
		bool guess = (c->anthropic_sdk_import && !c->other_llm_import) || named_claude(c, ch.objs[k - 1]);
		bool claude = recv->kind == CL_V_IMPORT ||
			(recv->kind == CL_V_CLIENT && (recv->client < 0 || recv->owner != c->f ||
				c->f->clients.v[recv->client].kind <= CL_CLIENT_DERIVED)) ||
			(recv->kind == CL_V_UNKNOWN && ((c->anthropic_sdk_import && !c->other_llm_import) ||
				named_claude(c, ch.objs[k - 1])));
		if (!claude)
			return;
		struct args a = facts_eval_args(c, argsn, 0);
		struct cl_call *call = facts_add_call(c, n, CL_CALL_SDK, cl_arena_strdup(c->A, method));
		call->client = recv->kind == CL_V_UNKNOWN ? NULL : recv;
		/* a call's result or an instance's member: the guess stands when
		 * project.c finds nothing better */
		call->receiver_guess = guess && recv->kind == CL_V_IMPORT && strchr(recv->name, '(');
		if (c->py) {
			call->params = a.kw;
			call->opts = a.kw;
		} else {
			call->params = facts_object_arg(c, &a, 0);
			call->opts = facts_object_arg(c, &a, 1);
			untimed_signal(c, n, call->opts, true);
		}
		call->counts_for_max_tokens = cl_surface_has("sdk_methods_with_body", method);
		call->no_answer = cl_surface_has("sdk_methods_without_answer", method);
		if (recv->kind == CL_V_CLIENT && recv->owner == c->f && recv->client >= 0)
			c->f->clients.v[recv->client].used = true;
		return;
	}
	const char *last = facts_last_prop(c, callee);
	if (ch.n >= 1 && cl_surface_has("wrapper_methods", last)) {
		struct cl_value *recv = facts_eval(c, ch.objs[0], 0);
		bool wrapper = recv->kind == CL_V_CLIENT && recv->owner == c->f && recv->client >= 0 &&
			(c->f->clients.v[recv->client].kind == CL_CLIENT_LANGCHAIN ||
			 c->f->clients.v[recv->client].kind == CL_CLIENT_LLAMAINDEX);
		/* a model built by a factory of another file: project.c decides */
		size_t nl = recv->kind == CL_V_IMPORT ? strlen(recv->name) : 0;
		wrapper = wrapper || (nl > 2 && !strcmp(recv->name + nl - 2, "()"));
		if (wrapper) {
			struct args a = facts_eval_args(c, argsn, 0);
			struct cl_call *call = facts_add_call(c, n, CL_CALL_WRAPPER, last);
			call->client = recv;
			call->params = c->py ? a.kw : facts_object_arg(c, &a, 1);
			call->opts = call->params;
			if (recv->kind == CL_V_CLIENT)
				c->f->clients.v[recv->client].used = true;
			return;
		}
	}
	struct symbol s;
	if (facts_resolve_symbol(c, callee, &s, 0)) {
		if (cl_surface_symbol("ai_sdk_functions", c->py, s.module, s.name)) {
			struct args a = facts_eval_args(c, argsn, 0);
			struct cl_value *p = facts_object_arg(c, &a, 0);
			struct cl_value *model = cl_value_get(p, "model");
			bool claude = model && (model->kind == CL_V_AI_MODEL || model->kind == CL_V_IMPORT ||
				(model->kind == CL_V_STRING && !strncmp(model->str, "anthropic/", 10)));
			if (claude) {
				struct cl_call *call = facts_add_call(c, n, CL_CALL_AISDK, s.name);
				call->params = p;
				call->opts = p;
				untimed_signal(c, n, p, true);
				call->counts_for_max_tokens = true;
			}
			return;
		}
		if (cl_surface_symbol("litellm_functions", c->py, s.module, s.name)) {
			struct args a = facts_eval_args(c, argsn, 0);
			struct cl_value *model = facts_arg(c, &a, 0, "model");
			if (model->kind == CL_V_STRING && cl_surface_has_prefix("litellm_model_prefixes", model->str)) {
				struct cl_call *call = facts_add_call(c, n, CL_CALL_LITELLM, s.name);
				call->params = a.kw;
				call->opts = a.kw;
				if (!cl_value_get(a.kw, "model"))
					facts_object_put(c, a.kw, "model", model);
				call->counts_for_max_tokens = true;
			}
			return;
		}
	}
	raw_http_call(c, n, callee, argsn);
}

/* ------------------------------------------------------------------------ */
/* Strings that are model ids.                                              */

static bool looks_like_model(const char *s, size_t n)
{
	if (n < 8 || n > 100)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '"' || s[i] == '\'')
			return false;
	const char *p = s;
	while ((p = strstr(p, "claude-"))) {
		if ((p == s || p[-1] == '.' || p[-1] == '/' || p[-1] == ':') &&
		    ((p[7] >= 'a' && p[7] <= 'z') || (p[7] >= '0' && p[7] <= '9')))
			return true;
		p += 7;
	}
	return false;
}

/* The env variable whose default string node N is, or NULL. */
static const char *env_default_of(struct ctx *c, TSNode n)
{
	TSNode p = ts_node_parent(n);
	while (sym_is(c, p, SYM_PARENTHESIZED_EXPRESSION))
		p = ts_node_parent(p);
	if (c->py && sym_is(c, p, SYM_ARGUMENT_LIST)) {
		TSNode call = ts_node_parent(p);
		static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", NULL};
		if (!sym_is(c, call, SYM_CALL) || !facts_callee_is(c, field(call, "function"), env_get))
			return NULL;
		TSNode a0 = ts_node_named_child(p, 0);
		if (ts_node_eq(a0, n) || !sym_is(c, a0, SYM_STRING))
			return NULL;
		bool partial = false;
		return facts_string_content(c, a0, &partial);
	}
	if (c->py && sym_is(c, p, SYM_KEYWORD_ARGUMENT)) {
		TSNode name = field(p, "name");
		TSNode args = ts_node_parent(p);
		if (!text_eq(c, name, "default") || !sym_is(c, args, SYM_ARGUMENT_LIST))
			return NULL;
		TSNode call = ts_node_parent(args);
		static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", NULL};
		if (!sym_is(c, call, SYM_CALL) || !facts_callee_is(c, field(call, "function"), env_get))
			return NULL;
		TSNode a0 = ts_node_named_child(args, 0);
		bool partial = false;
		return sym_is(c, a0, SYM_STRING) ? facts_string_content(c, a0, &partial) : NULL;
	}
	if (sym_is(c, p, SYM_BINARY_EXPRESSION) || sym_is(c, p, SYM_BOOLEAN_OPERATOR)) {
		TSNode l = field(p, "left"), r = field(p, "right");
		if (!ts_node_eq(r, n))
			return NULL;
		while (sym_is(c, l, SYM_PARENTHESIZED_EXPRESSION))
			l = ts_node_named_child(l, 0);
		if (c->py) {
			if (sym_is(c, l, SYM_CALL)) {
				static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", NULL};
				if (!facts_callee_is(c, field(l, "function"), env_get))
					return NULL;
				TSNode a0 = ts_node_named_child(field(l, "arguments"), 0);
				bool partial = false;
				return sym_is(c, a0, SYM_STRING) ? facts_string_content(c, a0, &partial) : NULL;
			}
			return NULL;
		}
		return facts_js_env_name(c, l);
	}
	return NULL;
}

/* For a string that is the value of a map entry (`{'claude-3-5-sonnet-20240620':
 * 'claude-3-5-sonnet'}`, a price or alias table), the entry's key when it is
 * a model-shaped string; else NULL. */
static const char *map_key_id(struct ctx *c, TSNode n)
{
	TSNode p = ts_node_parent(n);
	if (!sym_is(c, p, SYM_PAIR) || !ts_node_eq(field(p, "value"), n))
		return NULL;
	TSNode k = field(p, "key");
	if (!sym_is(c, k, SYM_STRING))
		return NULL;
	bool partial = false;
	const char *key = facts_string_content(c, k, &partial);
	return !partial && looks_like_model(key, strlen(key)) ? key : NULL;
}

void facts_process_string(struct ctx *c, TSNode n)
{
	TSNode parent = ts_node_parent(n);
	/* docstrings and directives are prose, and a string inside a string
	 * (concatenation parts) is handled by its parent */
	if (sym_is(c, parent, SYM_EXPRESSION_STATEMENT) || sym_is(c, parent, SYM_CONCATENATED_STRING))
		return;
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (sym_is(c, ch, SYM_INTERPOLATION) || sym_is(c, ch, SYM_TEMPLATE_SUBSTITUTION))
			return;
		if (sym_is(c, ch, SYM_STRING_CONTENT) && ts_node_named_child_count(ch) &&
		    sym_is(c, ts_node_named_child(ch, 0), SYM_INTERPOLATION))
			return;
	}
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	if (e - s > 200 || !memmem(c->src->data + s, e - s, "claude-", 7))
		return;
	bool partial = false;
	const char *str = facts_string_content(c, n, &partial);
	while (*str == ' ')
		str++;
	size_t len = strlen(str);
	while (len && str[len - 1] == ' ')
		len--;
	if (partial || !looks_like_model(str, len))
		return;
	struct cl_model_ref ref;
	memset(&ref, 0, sizeof ref);
	ref.id = cl_arena_strndup(c->A, str, len);
	ref.span = span_of(n);
	ref.env = env_default_of(c, n);
	ref.env_default = ref.env != NULL;
	ref.key_id = map_key_id(c, n);
	cl_vec_push(&c->f->models, ref);
}
