/*
 * cost.c — CL08: max_tokens missing, or at the model's ceiling / above the
 * configured limit; wrapper defaults count where the option is unset.
 */
#include <stdio.h>
#include <string.h>

#include "../catalog.h"
#include "../checks.h"

static const char *model_of(const struct cl_check_ctx *ctx, const struct cl_value *params)
{
	const struct cl_value *m = cl_value_get(params, "model");
	if (!m)
		return NULL;
	m = cl_project_resolve(ctx->project, m);
	if (m->kind == CL_V_STRING && !m->open)
		return m->str;
	if (m->kind == CL_V_AI_MODEL && m->str[0])
		return m->str;
	return NULL;
}

static void check_value(const struct cl_check_ctx *ctx, struct cl_file_out *out,
	const struct cl_value *v, const char *model, const char *key)
{
	const struct cl_span *at = &v->span;
	v = cl_project_resolve(ctx->project, v);
	if (v->kind != CL_V_NUMBER)
		return;
	const char *platform;
	const struct cl_model *m = model ? cl_catalog_find(model, &platform) : NULL;
	if (m && m->max_output_tokens && v->num >= m->max_output_tokens) {
		cl_emit(out, CL_RULE(CL08_max_tokens_ceiling), -1, at,
			"%s=%g is %s the maximum output of %s (%d); cap it per call type, well below the ceiling",
			key, v->num, v->num == m->max_output_tokens ? "exactly" : "above", model, m->max_output_tokens);
		return;
	}
	if (v->num > ctx->config->max_tokens_limit)
		cl_emit(out, CL_RULE(CL08_max_tokens_ceiling), -1, at,
			"%s=%g is above the configured limit of %d; cap it per call type",
			key, v->num, ctx->config->max_tokens_limit);
}

static void wrapper_default(const struct cl_check_ctx *ctx, struct cl_file_out *out,
	const struct cl_client *c, bool js)
{
	const char *name = c->kind == CL_CLIENT_LLAMAINDEX ? "llamaindex Anthropic" :
		js ? "langchain-js ChatAnthropic" : "langchain-python ChatAnthropic";
	const struct cl_wrapper_defaults *d = cl_catalog_wrapper(name);
	if (!d || !d->max_tokens_mode)
		return;
	const char *model = model_of(ctx, c->opts);
	int value = 0;
	if (!strcmp(d->max_tokens_mode, "fixed")) {
		value = d->max_tokens;
	} else if (!strcmp(d->max_tokens_mode, "per_model_table")) {
		value = cl_catalog_wrapper_max_tokens(name, model);
	} else if (!strcmp(d->max_tokens_mode, "model_max_output")) {
		const char *platform;
		const struct cl_model *m = model ? cl_catalog_find(model, &platform) : NULL;
		value = m && m->max_output_tokens ? m->max_output_tokens : 0;
	}
	if (value > ctx->config->max_tokens_limit)
		cl_emit(out, CL_RULE(CL08_max_tokens_ceiling), -1, &c->span,
			"%s without max_tokens sends %s's default of %d tokens%s%s, above the limit of %d; set max_tokens",
			c->cls, name, value, model ? " for " : "", model ? model : "", ctx->config->max_tokens_limit);
}

void cl_check_cl08_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	bool js = cl_lang_is_js(f->lang);
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_client *c = &f->clients.v[i];
		if (c->kind != CL_CLIENT_LANGCHAIN && c->kind != CL_CLIENT_LLAMAINDEX)
			continue;
		const struct cl_value *mt = cl_value_get(c->opts, "max_tokens");
		if (!mt)
			mt = cl_value_get(c->opts, "max_tokens_to_sample");
		if (mt)
			check_value(ctx, out, mt, model_of(ctx, c->opts), js ? "maxTokens" : "max_tokens");
		else if (!c->opts->open)
			wrapper_default(ctx, out, c, js);
	}
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->counts_for_max_tokens || !call->claude)
			continue;
		const struct cl_value *p = call->params;
		const char *model = model_of(ctx, p);
		if (call->kind == CL_CALL_AISDK) {
			const struct cl_value *mt = cl_value_get(p, "maxOutputTokens");
			const char *key = "maxOutputTokens";
			if (!mt && (mt = cl_value_get(p, "maxTokens")))
				key = "maxTokens";
			if (!mt && (mt = cl_value_path(p, "providerOptions.anthropic.maxTokens")))
				key = "providerOptions.anthropic.maxTokens";
			if (mt)
				check_value(ctx, out, mt, model, key);
			else if (!p->open)
				cl_emit(out, CL_RULE(CL08_missing_max_tokens), -1, &call->span,
					"%s has no maxOutputTokens: the Anthropic provider then asks for the model's "
					"full output limit; set maxOutputTokens for this call type", call->method);
			continue;
		}
		const struct cl_value *reqs = strstr(call->method, "batches") ? cl_value_get(p, "requests") : NULL;
		if (reqs && reqs->kind == CL_V_ARRAY) {
			for (size_t k = 0; k < reqs->nitems; k++) {
				const struct cl_value *rp = cl_value_get(reqs->items[k], "params");
				const struct cl_value *rmt = rp ? cl_value_get(rp, "max_tokens") : NULL;
				if (rmt)
					check_value(ctx, out, rmt, model_of(ctx, rp), "max_tokens");
			}
			continue;
		}
		const struct cl_value *mt = cl_value_get(p, "max_tokens");
		if (mt)
			check_value(ctx, out, mt, model, "max_tokens");
		else if (!p->open && call->kind != CL_CALL_LITELLM)
			cl_emit(out, CL_RULE(CL08_missing_max_tokens), -1, &call->span,
				"%s request has no max_tokens; set a conservative cap for this call type",
				call->kind == CL_CALL_RAW_HTTP ? "Messages API" : call->method);
	}
}
