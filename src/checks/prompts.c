/*
 * prompts.c — what goes into the system prompt and the tools list: CL10
 * (large prompts sent without a cache breakpoint, sizes from literals,
 * constants and files read from literal paths) and CL17 (request data or
 * user input in the system prompt; system prompts of unknown origin).
 */
#include <stdio.h>
#include <string.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "adapters/settings.h"

static const struct cl_value *res(const struct cl_check_ctx *ctx, const struct cl_value *v)
{
	return v ? cl_project_resolve(ctx->project, v) : NULL;
}

/* The system-role messages of a messages array (the OpenAI shape some
 * adapters take): calls FN on each one's content. */
static void each_system_message(const struct cl_check_ctx *ctx, const struct cl_value *msgs,
	void (*fn)(const struct cl_check_ctx *, const struct cl_value *, void *), void *arg)
{
	msgs = res(ctx, msgs);
	if (!msgs || msgs->kind != CL_V_ARRAY)
		return;
	for (size_t i = 0; i < msgs->nitems; i++) {
		const struct cl_value *m = res(ctx, msgs->items[i]);
		const struct cl_value *role = res(ctx, cl_value_get(m, "role"));
		if (role && role->kind == CL_V_STRING && !strcmp(role->str, "system")) {
			const struct cl_value *content = cl_value_get(m, "content");
			if (content)
				fn(ctx, content, arg);
		}
	}
}

/* ---------------------------------------------------------------- CL10 */

struct size {
	size_t bytes;   /* known bytes (a lower bound when partial) */
	bool partial;   /* some part is unknown */
	bool marked;    /* a cache_control seen inside */
	bool unsure;    /* a part could hold a cache_control we cannot see */
	const char *file; /* read from this file */
};

/* The text size of a system prompt: a string, or the text of its blocks. */
static void text_size(const struct cl_check_ctx *ctx, const struct cl_value *v, struct size *s, int depth)
{
	v = res(ctx, v);
	if (!v || depth > 8) {
		s->partial = s->unsure = true;
		return;
	}
	switch (v->kind) {
	case CL_V_STRING:
		s->bytes += v->len;
		s->partial |= v->open && !v->open_imports;
		if (v->file && !s->file)
			s->file = v->file;
		for (size_t i = 0; i < v->nitems; i++)
			if (v->items[i]->kind == CL_V_IMPORT)
				text_size(ctx, v->items[i], s, depth + 1);
		break;
	case CL_V_ARRAY:
		for (size_t i = 0; i < v->nitems; i++)
			text_size(ctx, v->items[i], s, depth + 1);
		break;
	case CL_V_OBJECT:
		if (cl_value_get(v, "cache_control") || cl_value_path(v, "providerOptions.anthropic.cacheControl"))
			s->marked = true;
		if (v->open)
			s->unsure = true;
		if (cl_value_get(v, "text"))
			text_size(ctx, cl_value_get(v, "text"), s, depth + 1);
		else if (cl_value_get(v, "content"))
			text_size(ctx, cl_value_get(v, "content"), s, depth + 1);
		break;
	case CL_V_NULL:
		break;
	default:
		s->partial = s->unsure = true;
	}
}

/* The size of a value serialised as JSON (a tools list). */
static void json_size(const struct cl_check_ctx *ctx, const struct cl_value *v, struct size *s, int depth)
{
	v = res(ctx, v);
	if (!v || depth > 16) {
		s->partial = s->unsure = true;
		return;
	}
	switch (v->kind) {
	case CL_V_STRING:
		s->bytes += v->len + 2;
		s->partial |= v->open && !v->open_imports;
		if (v->file && !s->file)
			s->file = v->file;
		for (size_t i = 0; i < v->nitems; i++)
			if (v->items[i]->kind == CL_V_IMPORT)
				text_size(ctx, v->items[i], s, depth + 1);
		break;
	case CL_V_NUMBER: s->bytes += 2; break;
	case CL_V_BOOL: s->bytes += 4; break;
	case CL_V_NULL: s->bytes += 4; break;
	case CL_V_ARRAY:
		s->bytes += 2;
		for (size_t i = 0; i < v->nitems; i++)
			json_size(ctx, v->items[i], s, depth + 1);
		break;
	case CL_V_OBJECT:
		s->bytes += 2;
		if (v->open)
			s->partial = s->unsure = true;
		for (size_t i = 0; i < v->npairs; i++) {
			if (!strcmp(v->pairs[i].key, "cache_control"))
				s->marked = true;
			s->bytes += strlen(v->pairs[i].key) + 4;
			json_size(ctx, v->pairs[i].val, s, depth + 1);
		}
		break;
	default:
		s->partial = s->unsure = true;
	}
}

/* Does a later message block carry a cache breakpoint (or may it)? A
 * messages list built at run time (a history, a helper's result) may get its
 * breakpoint where we cannot see it: then the function the call is in (the
 * file at top level) must not mention cache_control. */
static bool messages_cached(const struct cl_check_ctx *ctx, const struct cl_file_facts *f,
	const struct cl_call *call, const struct cl_value *msgs)
{
	msgs = res(ctx, msgs);
	if (!msgs)
		return false;
	bool unsure = msgs->kind != CL_V_ARRAY;
	struct size s = {0};
	if (!unsure) {
		json_size(ctx, msgs, &s, 0);
		for (size_t i = 0; i < msgs->nitems; i++) {
			const struct cl_value *m = res(ctx, msgs->items[i]);
			if (m->kind != CL_V_OBJECT || m->open)
				unsure = true;
		}
	}
	if (s.marked)
		return true;
	if (!unsure || !f->text)
		return false;
	int fn = cl_facts_enclosing(f, call->region, CL_R_FUNCTION);
	size_t start = fn >= 0 ? f->regions.v[fn].span.start : 0;
	size_t end = fn >= 0 ? f->regions.v[fn].span.end : f->text_len;
	if (end > f->text_len || start > end)
		return false;
	return memmem(f->text + start, end - start, "cache_control", 13) ||
		memmem(f->text + start, end - start, "cacheControl", 12);
}

static void report_size(const struct cl_check_ctx *ctx, struct cl_file_out *out, const struct cl_span *at,
	const char *what, const struct size *s, const char *model, const char *fix)
{
	const char *platform;
	const struct cl_model *m = model ? cl_catalog_find(model, &platform) : NULL;
	int threshold = m && m->min_cache_tokens ? m->min_cache_tokens : ctx->config->cache_min_tokens;
	size_t tokens = s->bytes / 4;
	if (threshold <= 0 || tokens * 10 < (size_t)threshold * 9)
		return;
	bool near = tokens * 10 < (size_t)threshold * 11;
	char from[300] = "";
	if (s->file)
		snprintf(from, sizeof from, ", read from %s", s->file);
	char limit[200];
	if (m && m->min_cache_tokens)
		snprintf(limit, sizeof limit, "%s's minimum cacheable prompt of %d tokens", model, threshold);
	else
		snprintf(limit, sizeof limit, "the caching threshold of %d tokens", threshold);
	cl_emit(out, CL_RULE(CL10_large_prompt_uncached), near ? CL_SEV_NOTE : -1, at,
		"%s of %s%zu bytes (about %zu tokens, estimated as bytes / 4%s) is sent with no cache_control; "
		"it is %s %s: %s",
		what, s->partial ? "at least " : "", s->bytes, tokens, from,
		near ? "within 10 % of" : "above", limit, fix);
}

static void check_cl10_call(const struct cl_check_ctx *ctx, struct cl_file_out *out, const struct cl_call *call)
{
	const struct cl_value *p = call->params;
	struct cl_settings st;
	cl_settings_of_call(ctx->project, out->facts, call, &st);
	const struct cl_setting *cache = &st.s[CL_SET_CACHE];
	if (p->open || cache->prov == CL_PROV_EXPLICIT)
		return;
	const char *model = st.model;
	bool later = messages_cached(ctx, out->facts, call, cl_value_get(p, "messages"));
	if (later)
		return;
	struct size sys = {0};
	const struct cl_setting *system = &st.s[CL_SET_SYSTEM];
	if (system->prov == CL_PROV_EXPLICIT && system->scope != CL_KEY_CLIENT)
		text_size(ctx, system->written, &sys, 0);
	const struct cl_value *msgs = res(ctx, cl_value_get(p, "messages"));
	if (msgs && msgs->kind == CL_V_ARRAY)
		for (size_t i = 0; i < msgs->nitems; i++) {
			const struct cl_value *m = res(ctx, msgs->items[i]);
			const struct cl_value *role = res(ctx, cl_value_get(m, "role"));
			if (role && role->kind == CL_V_STRING && !strcmp(role->str, "system"))
				text_size(ctx, m, &sys, 0);
		}
	if (sys.marked)
		return; /* the breakpoint on the system prompt covers the tools before it */
	struct size tools = {0};
	const struct cl_setting *t = &st.s[CL_SET_TOOLS];
	if (t->prov == CL_PROV_EXPLICIT && t->scope != CL_KEY_CLIENT && !t->spec->opaque) {
		json_size(ctx, t->written, &tools, 0);
		if (tools.marked)
			tools.bytes = 0;
	}
	const char *fix = cache->spec && cache->spec->fix ? cache->spec->fix :
		"send it as a text block with cache_control: {\"type\": \"ephemeral\"}";
	if (sys.bytes && !sys.unsure)
		report_size(ctx, out, &call->span, "The system prompt", &sys, model, fix);
	else if (tools.bytes && !tools.unsure)
		report_size(ctx, out, &call->span, "The tools list", &tools, model,
			"add cache_control: {\"type\": \"ephemeral\"} to the last tool");
}

/* Adapters that take the system prompt as prompt objects (a system message
 * built beside the client): the file's system messages, sized with the
 * model of the file's first such client. */
static void check_cl10_prompts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const struct cl_file_facts *f = out->facts;
	struct cl_settings st;
	bool found = false;
	for (size_t i = 0; i < f->clients.n && !found; i++) {
		cl_settings_of_client(ctx->project, f, i, false, &st);
		found = st.adapter && st.adapter->set[CL_SET_SYSTEM].from_prompts;
	}
	if (!found)
		return;
	const char *model = st.model;
	for (size_t i = 0; i < f->prompts.n; i++) {
		const struct cl_prompt *p = &f->prompts.v[i];
		struct size sys = {0};
		text_size(ctx, p->value, &sys, 0);
		if (sys.marked || sys.unsure || !sys.bytes)
			continue;
		report_size(ctx, out, &p->span, "The system message", &sys, model,
			"pass its content as a list of blocks whose last one has \"cache_control\": {\"type\": \"ephemeral\"}");
	}
}

void cl_check_cl10_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude || !call->counts_for_max_tokens)
			continue;
		check_cl10_call(ctx, out, call);
	}
	check_cl10_prompts(ctx, out);
}

/* ---------------------------------------------------------------- CL17 */

/* The module name CALLER would import F by: its path without the
 * extension matches the import's last segments ("app/prompts.py" for
 * ".prompts", "./prompts", "app.prompts"). */
static bool imports_file(const struct cl_file_facts *caller, const struct cl_file_facts *f)
{
	const char *base = cl_path_basename(f->path);
	const char *dot = strrchr(base, '.');
	size_t bl = dot ? (size_t)(dot - base) : strlen(base);
	for (size_t i = 0; i < caller->imported_modules.n; i++) {
		const char *m = caller->imported_modules.v[i];
		size_t ml = strlen(m);
		if (ml >= bl && !strncmp(m + ml - bl, base, bl) &&
		    (ml == bl || m[ml - bl - 1] == '.' || m[ml - bl - 1] == '/'))
			return true;
	}
	return false;
}

/* Is argument V (parameter v->param at v->param_pos) among the call's
 * arguments marked in BITS / KW? */
static bool arg_marked(const struct cl_value *v, uint32_t bits, const char *kw)
{
	if (v->param_pos >= 0 && v->param_pos < 32 && (bits >> v->param_pos) & 1u)
		return true;
	size_t nl = strlen(v->param);
	for (const char *q = kw; q && (q = strstr(q, v->param)); q += nl)
		if ((q == kw || q[-1] == ',') && (q[nl] == ',' || !q[nl]))
			return true;
	return false;
}

/* The callers of parameter V's function (in F's file, or a file importing
 * it): the first passing request data ("…, passed as `p` to fn() at
 * path:line") in *TAINT; whether every caller passes a known string. */
static bool callers_of(const struct cl_check_ctx *ctx, struct cl_file_facts *f, const struct cl_value *v,
	const char **taint)
{
	const struct cl_project *p = ctx->project;
	size_t n = 0, constant = 0;
	*taint = NULL;
	for (size_t i = 0; i < p->nfiles && !*taint; i++) {
		const struct cl_file_facts *g = p->files[i];
		if (g != f && !imports_file(g, f))
			continue;
		for (size_t k = 0; k < g->refs.n && !*taint; k++) {
			const struct cl_ref *r = &g->refs.v[k];
			if (strcmp(r->name, v->param_fn) != 0)
				continue;
			n++;
			if (r->arg_taint && arg_marked(v, r->tainted_args, r->tainted_kw))
				*taint = r->several_tainted ?
					cl_arena_printf(&f->arena, "the call to %s() at %s:%u passes it as `%s`",
						v->param_fn, g->path, r->span.line, v->param) :
					cl_arena_printf(&f->arena, "%s, passed as `%s` to %s() at %s:%u",
						r->arg_taint, v->param, v->param_fn, g->path, r->span.line);
			else if (r->args_seen && arg_marked(v, r->const_args, r->const_kw))
				constant++;
		}
	}
	return n && constant == n;
}

/* The request data a system prompt is built from, or NULL. */
static const char *taint_of(const struct cl_check_ctx *ctx, struct cl_file_facts *out_file,
	const struct cl_value *v, bool *dynamic, int depth)
{
	if (!v || depth > 8)
		return NULL;
	if (v->taint)
		return v->taint;
	const struct cl_value *r = res(ctx, v);
	if (r->taint)
		return r->taint;
	switch (r->kind) {
	case CL_V_STRING:
		if (r->open && !r->open_imports)
			*dynamic = true;
		for (size_t i = 0; i < r->nitems; i++) {
			const char *t = taint_of(ctx, out_file, r->items[i], dynamic, depth + 1);
			if (t)
				return t;
		}
		return NULL;
	case CL_V_ARRAY:
		for (size_t i = 0; i < r->nitems; i++) {
			const char *t = taint_of(ctx, out_file, r->items[i], dynamic, depth + 1);
			if (t)
				return t;
		}
		return NULL;
	case CL_V_OBJECT: {
		const struct cl_value *text = cl_value_get(r, "text");
		if (!text)
			text = cl_value_get(r, "content");
		if (text)
			return taint_of(ctx, out_file, text, dynamic, depth + 1);
		return NULL;
	}
	case CL_V_NULL:
		return NULL;
	case CL_V_UNKNOWN: {
		const char *t = NULL;
		/* a parameter that every caller gives a known string is traced */
		bool traced = r->param && r->param_fn && callers_of(ctx, out_file, r, &t);
		if (t)
			return t;
		/* an environment variable is deployment configuration, not request data */
		if (!r->env && !traced)
			*dynamic = true;
		return NULL;
	}
	default:
		*dynamic = true;
		return NULL;
	}
}

struct cl17 {
	struct cl_file_out *out;
	const struct cl_span *at;
	const char *where;
};

static void check_system_value(const struct cl_check_ctx *ctx, const struct cl_value *v, void *arg)
{
	struct cl17 *a = arg;
	bool dynamic = false;
	const char *taint = taint_of(ctx, a->out->facts, v, &dynamic, 0);
	const struct cl_span *at = v->span.line ? &v->span : a->at;
	if (taint)
		cl_emit(a->out, CL_RULE(CL17_untrusted_input_in_system_prompt), -1, at,
			"The system prompt (%s) is built from request data: %s. Keep it fixed and pass "
			"user input in the user turn, delimited as data", a->where, taint);
	else if (dynamic)
		cl_emit(a->out, CL_RULE(CL17_dynamic_system_prompt), -1, at,
			"The system prompt (%s) is not a constant and its source could not be traced; "
			"build it from constants, choosing among fixed variants where it must vary", a->where);
}

/* LangChain system messages count where the tree calls Claude at all. */
static bool project_uses_claude(const struct cl_project *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		if (p->files[i]->claude_import)
			return true;
		for (size_t k = 0; k < p->files[i]->calls.n; k++)
			if (p->files[i]->calls.v[k].claude)
				return true;
	}
	return false;
}

void cl_check_cl17_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		struct cl17 a = {out, &call->span, ""};
		struct cl_settings st;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *sys = &st.s[CL_SET_SYSTEM];
		const struct cl_value *system = sys->prov == CL_PROV_EXPLICIT && sys->scope != CL_KEY_CLIENT ?
			sys->written : NULL;
		if (!system && call->params->taint) {
			/* a proxy: the client sends the whole request, system prompt included */
			cl_emit(out, CL_RULE(CL17_untrusted_input_in_system_prompt), -1, &call->span,
				"The request is passed through from request data (%s), so whoever calls this code "
				"chooses the system prompt; build the request on the server and take only the "
				"user's message from the client", call->params->taint);
			continue;
		}
		if (system && !(call->params->open && system->kind == CL_V_UNKNOWN)) {
			a.where = cl_arena_printf(&f->arena, "%s%s", sys->key, cl_lang_is_js(f->lang) ? ":" : "=");
			check_system_value(ctx, system, &a);
		}
		a.where = "a system-role message";
		each_system_message(ctx, cl_value_get(call->params, "messages"), check_system_value, &a);
	}
	bool claude = f->prompts.n && project_uses_claude(ctx->project);
	for (size_t i = 0; i < f->prompts.n && claude; i++) {
		const struct cl_prompt *p = &f->prompts.v[i];
		struct cl17 a = {out, &p->span, p->how};
		check_system_value(ctx, p->value, &a);
	}
}
