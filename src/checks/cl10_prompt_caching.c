/*
 * cl10_prompt_caching.c — CL10: large system prompts and tool lists sent
 * without a cache breakpoint, sizes from literals, constants and files read
 * from literal paths.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "adapters/settings.h"

static const struct cl_value *res(const struct cl_check_ctx *ctx, const struct cl_value *v)
{
	return v ? cl_project_resolve(ctx->project, v) : NULL;
}

struct size {
	size_t bytes;   /* known bytes (a lower bound when partial) */
	bool partial;   /* some part is unknown */
	bool marked;    /* a cache_control seen inside */
	bool unsure;    /* a part could hold a cache_control we cannot see */
	const char *file; /* read from this file */
};

/* Does block V carry a cache breakpoint (rules/CL10.json cache_markers)? */
static bool cache_marked(const struct cl_value *v)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(cl_registry_item_data(CL_ITEM(CL10)), "cache_markers"))
		if (cl_value_path(v, m->valuestring))
			return true;
	return false;
}

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
		if (cache_marked(v))
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
