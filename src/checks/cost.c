/*
 * cost.c — CL08: max_tokens missing, or at the model's ceiling / above the
 * configured limit, read from the effective settings of clients and calls;
 * an adapter's default counts where the option is unset.
 */
#include <stdio.h>
#include <string.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "adapters/settings.h"

static void check_value(const struct cl_check_ctx *ctx, struct cl_file_out *out,
	const struct cl_value *written, const struct cl_value *v, const char *model, const char *key)
{
	const struct cl_span *at = &written->span;
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

/* An unset max_tokens whose default (a number, the model's maximum, a
 * per-model table) is above the limit, reported at AT. */
static void check_default(const struct cl_check_ctx *ctx, struct cl_file_out *out, const struct cl_settings *st,
	const char *what, const struct cl_span *at)
{
	const struct cl_setting *mt = &st->s[CL_SET_MAX_TOKENS];
	int value = cl_adapter_default_max_tokens(mt->spec, st->model);
	if (value > ctx->config->max_tokens_limit)
		cl_emit(out, CL_RULE(CL08_max_tokens_ceiling), -1, at,
			"%s without max_tokens sends %s's default of %d tokens%s%s, above the limit of %d; set max_tokens",
			what, st->adapter->name, value, st->model ? " for " : "", st->model ? st->model : "",
			ctx->config->max_tokens_limit);
}

static bool client_scoped(const struct cl_adapter_setting *spec)
{
	for (size_t k = 0; k < spec->nkeys; k++)
		if (spec->keys[k].scope == CL_KEY_CLIENT)
			return true;
	return false;
}

void cl_check_cl08_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	struct cl_settings st;
	cl_check_cl08_truncation(ctx, out);
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_client *c = &f->clients.v[i];
		if (c->kind == CL_CLIENT_DERIVED)
			continue;
		cl_settings_of_client(ctx->project, f, i, false, &st);
		const struct cl_setting *mt = &st.s[CL_SET_MAX_TOKENS];
		if (mt->prov == CL_PROV_ABSENT || !client_scoped(mt->spec))
			continue;
		if (mt->prov == CL_PROV_EXPLICIT)
			check_value(ctx, out, mt->written, mt->value, st.model, mt->key);
		else if (mt->prov == CL_PROV_DEFAULT)
			check_default(ctx, out, &st, c->cls, &c->span);
	}
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude || !(call->counts_for_max_tokens || call->kind == CL_CALL_ADAPTER))
			continue;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *mt = &st.s[CL_SET_MAX_TOKENS];
		const struct cl_value *reqs = strstr(call->method, "batches") ? cl_value_get(call->params, "requests") : NULL;
		if (reqs && reqs->kind == CL_V_ARRAY) {
			for (size_t k = 0; k < reqs->nitems; k++) {
				const struct cl_value *rp = cl_value_get(reqs->items[k], "params");
				const struct cl_value *rmt = rp ? cl_value_get(rp, "max_tokens") : NULL;
				const struct cl_value *rm = rp ? cl_value_get(rp, "model") : NULL;
				rm = rm ? cl_project_resolve(ctx->project, rm) : NULL;
				if (rmt)
					check_value(ctx, out, rmt, cl_project_resolve(ctx->project, rmt),
						rm && rm->kind == CL_V_STRING && !rm->open ? rm->str : NULL, "max_tokens");
			}
			continue;
		}
		if (mt->prov == CL_PROV_EXPLICIT) {
			if (mt->scope != CL_KEY_CLIENT)
				check_value(ctx, out, mt->written, mt->value, st.model, mt->key);
			continue;
		}
		if (mt->prov != CL_PROV_DEFAULT || client_scoped(mt->spec))
			continue;
		if (mt->spec->unset && !strcmp(mt->spec->unset, "missing")) {
			const char *label = cl_call_label(out, &st, call);
			cl_emit(out, CL_RULE(CL08_missing_max_tokens), -1, &call->span, "%s",
				cl_fill_message(out, mt->spec->message ? mt->spec->message :
					"{call} request has no max_tokens; set a conservative cap for this call type",
					label, call, mt->spec));
		} else {
			check_default(ctx, out, &st, cl_call_label(out, &st, call), &call->span);
		}
	}
}
