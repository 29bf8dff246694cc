/*
 * parameters.c — CL15.parameter-rejected (preview): a Claude request whose
 * known model refuses it with a 400, from the catalog's per-model request
 * facts (cl_catalog_rejects). Reads only effective settings: where each
 * adapter keeps temperature, top_p, top_k, thinking and the messages is
 * adapter data (rules/adapters.json).
 */
#include <string.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "adapters/settings.h"

/* The setting's value when it is written as a literal that is sent (an
 * explicit None / null / undefined sends nothing). Options written on a
 * client construction are read by the client pass (CLIENT), reported there
 * once; a request's own by the call pass. */
static const struct cl_value *sent(const struct cl_setting *s, bool client)
{
	if (s->prov != CL_PROV_EXPLICIT || !s->value || (s->scope == CL_KEY_CLIENT) != client)
		return NULL;
	return s->value->kind == CL_V_NULL || s->value->kind == CL_V_UNKNOWN ? NULL : s->value;
}

static bool number(const struct cl_value *v, double *out)
{
	if (!v || v->kind != CL_V_NUMBER)
		return false;
	*out = v->num;
	return true;
}

static bool string_is(const struct cl_project *p, const struct cl_value *v, const char *s)
{
	v = v ? cl_project_resolve(p, v) : NULL;
	return v && v->kind == CL_V_STRING && !v->open && !strcmp(v->str, s);
}

/* Sampling at a value other than the API's default (temperature 1, top_p
 * 1, no top_k); the setting written there, or NULL. */
static const struct cl_setting *non_default_sampling(const struct cl_settings *st, bool client)
{
	double n;
	const struct cl_setting *t = &st->s[CL_SET_TEMPERATURE], *p = &st->s[CL_SET_TOP_P], *k = &st->s[CL_SET_TOP_K];
	if (number(sent(t, client), &n) && n != 1.0)
		return t;
	if (number(sent(p, client), &n) && n < 1.0)
		return p;
	if (number(sent(k, client), &n))
		return k;
	return NULL;
}

/* The last message of a literal conversation when it is an assistant turn. */
static const struct cl_value *prefill(const struct cl_project *p, const struct cl_setting *s, bool client)
{
	const struct cl_value *msgs = sent(s, client);
	if (!msgs || msgs->kind != CL_V_ARRAY || !msgs->nitems)
		return NULL;
	const struct cl_value *last = cl_project_resolve(p, msgs->items[msgs->nitems - 1]);
	if (!last || last->kind != CL_V_OBJECT)
		return NULL;
	return string_is(p, cl_value_get(last, "role"), "assistant") ? msgs->items[msgs->nitems - 1] : NULL;
}

static void report(struct cl_file_out *out, const struct cl_span *at, const char *model,
	const char *what, const char *fix, const char *source)
{
	cl_emit(out, CL_RULE(CL15_parameter_rejected), -1, at,
		"%s: %s rejects it with a 400 (%s); %s", what, model, source, fix);
}

/* "temperature set to a non-default value" */
static void report_sampling(struct cl_file_out *out, const struct cl_setting *s, const char *model, const char *source)
{
	cl_emit(out, CL_RULE(CL15_parameter_rejected), -1, &s->written->span,
		"%s set to a non-default value: %s rejects sampling parameters with a 400 (%s); leave temperature, top_p "
		"and top_k at their defaults", s->key, model, source);
}

static void check(const struct cl_check_ctx *ctx, struct cl_file_out *out, const struct cl_settings *st, bool client)
{
	const char *platform;
	const struct cl_model *m = st->model ? cl_catalog_find(st->model, &platform) : NULL;
	if (!m)
		return;
	const char *src;
	const struct cl_setting *t = &st->s[CL_SET_TEMPERATURE], *tp = &st->s[CL_SET_TOP_P];
	const struct cl_setting *samp = non_default_sampling(st, client);
	if (samp && (src = cl_catalog_rejects(m, CL_REJECTS_SAMPLING_PARAMETERS)))
		report_sampling(out, samp, st->model, src);
	else if (sent(t, client) && sent(tp, client) && (src = cl_catalog_rejects(m, CL_REJECTS_TEMPERATURE_WITH_TOP_P)))
		report(out, &tp->written->span, st->model, "temperature and top_p set together",
			"keep one of them", src);
	const struct cl_value *th = sent(&st->s[CL_SET_THINKING], client);
	if (th && th->kind == CL_V_OBJECT && string_is(ctx->project, cl_value_get(th, "type"), "enabled") &&
		(src = cl_catalog_rejects(m, CL_REJECTS_THINKING_BUDGET_TOKENS)))
		report(out, &st->s[CL_SET_THINKING].written->span, st->model, "manual extended thinking (type \"enabled\" with a token budget)",
			"use adaptive thinking ({\"type\": \"adaptive\"}) instead", src);
	const struct cl_value *last = prefill(ctx->project, &st->s[CL_SET_MESSAGES], client);
	if (last && (src = cl_catalog_rejects(m, CL_REJECTS_ASSISTANT_PREFILL)))
		report(out, &last->span, st->model, "the conversation ends with an assistant turn (prefill)",
			"ask for the format in the prompt or with structured outputs", src);
}

void cl_check_cl15_parameters(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	if (!out->preview)
		return;
	struct cl_file_facts *f = out->facts;
	struct cl_settings st;
	for (size_t i = 0; i < f->clients.n; i++) {
		if (f->clients.v[i].kind == CL_CLIENT_DERIVED)
			continue;
		cl_settings_of_client(ctx->project, f, i, false, &st);
		check(ctx, out, &st, true);
	}
	for (size_t i = 0; i < f->calls.n; i++) {
		if (!f->calls.v[i].claude)
			continue;
		cl_settings_of_call(ctx->project, f, &f->calls.v[i], &st);
		check(ctx, out, &st, false);
	}
}
