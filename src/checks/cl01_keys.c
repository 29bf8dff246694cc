/*
 * cl01_keys.c — CL01: keys in source, committed env files, keys exposed to
 * the browser. Messages never carry a whole key: only cl_secrets_redact
 * output.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "adapters/settings.h"
#include "scan/secrets.h"

struct text_ctx {
	const struct cl_source *src;
	struct cl_file_out *out;
};

static void on_env(void *ud, size_t line_start, size_t value_start, size_t value_end)
{
	struct text_ctx *t = ud;
	struct cl_span sp = cl_span_at(t->src, line_start, value_end);
	char *shown = cl_secrets_redact(t->src->data + value_start, value_end - value_start);
	cl_emit(t->out, CL_RULE(CL01_committed_env_file), -1, &sp,
		"%s sets an Anthropic credential (%s); keep real keys out of the repository "
		"(add the file to .gitignore, commit a .env.example with a placeholder) and rotate this key",
		t->src->path, shown);
	free(shown);
}

static void on_key(void *ud, size_t start, size_t end, const char *kind)
{
	struct text_ctx *t = ud;
	struct cl_span sp = cl_span_at(t->src, start, end);
	char *shown = cl_secrets_redact(t->src->data + start, end - start);
	cl_emit(t->out, CL_RULE(CL01_hardcoded_key), -1, &sp,
		"Anthropic %s in the file (%s); load it from the environment or a secret manager, and rotate it",
		kind, shown);
	free(shown);
}

void cl_check_cl01_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	struct text_ctx t = {src, out};
	if (src->text_kind == CL_TEXT_ENV)
		cl_secrets_scan_env(src->data, src->len, on_env, &t);
	cl_secrets_scan(src->data, src->len, on_key, &t);
}

void cl_check_cl01_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	const cJSON *key_options = cJSON_GetObjectItemCaseSensitive(cl_registry_item_data(CL_ITEM(CL01)), "key_options");
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_client *c = &f->clients.v[i];
		const cJSON *opt;
		cJSON_ArrayForEach(opt, key_options) {
			const char *k = opt->valuestring;
			const struct cl_value *v = cl_value_get(c->opts, k);
			if (!v)
				continue;
			if (v->kind == CL_V_STRING && !v->open && !v->env &&
			    !cl_secrets_contains_key(v->str, v->len) && cl_secrets_literal_is_secret(v->str, v->len)) {
				char *shown = cl_secrets_redact(v->str, v->len);
				cl_emit(out, CL_RULE(CL01_hardcoded_key), -1, &v->span,
					"string literal passed as %s to %s (%s); read the key from the environment "
					"or a secret manager", k, c->cls, shown);
				free(shown);
			}
			if (v->env && v->env_browser)
				cl_emit(out, CL_RULE(CL01_browser_exposed_key), -1, &v->span,
					"%s reads its key from %s, a variable the framework inlines into the browser "
					"bundle; call Claude from server code and keep the key in a server-only variable",
					c->cls, v->env);
		}
		struct cl_settings st;
		cl_settings_of_client(ctx->project, f, i, false, &st);
		const struct cl_setting *b = &st.s[CL_SET_BROWSER];
		if (b->prov == CL_PROV_EXPLICIT && b->value->kind == CL_V_BOOL && b->value->b)
			cl_emit(out, CL_RULE(CL01_browser_exposed_key), -1, &b->written->span,
				"%s is created with %s: true, which ships the API key to "
				"every visitor; proxy the call through your server", c->cls, b->key);
		else if (c->use_client_module && c->kind != CL_CLIENT_DERIVED)
			cl_emit(out, CL_RULE(CL01_browser_exposed_key), -1, &c->span,
				"%s is constructed in a \"use client\" module, so it runs in the browser with the "
				"key; move the call to a route handler or server action", c->cls);
	}
}
