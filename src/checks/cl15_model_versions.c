/*
 * cl15_model_versions.c — CL15: every Claude model id in code (string literals) and in
 * config files (.env, YAML, JSON, TOML; notebook code cells the facts layer
 * could not read, notebook.h) is checked
 * against the model catalog: aliases, retired and deprecated models, ids the
 * catalog does not know, aliases as env-lookup defaults, and ids outside the
 * config's allowed-model list (models.allow).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "adapters/settings.h"

/* ------------------------------------------------------------------------ */
/*
 * CL15.parameter-rejected (preview): a Claude request whose
 * known model refuses it with a 400, from the catalog's per-model request
 * facts (cl_catalog_rejects). Reads only effective settings: where each
 * adapter keeps temperature, top_p, top_k, thinking and the messages is
 * adapter data (rules/adapters.json).
 */
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

static void check_parameters(const struct cl_check_ctx *ctx, struct cl_file_out *out)
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

static bool is_latest(const char *id)
{
	size_t n = strlen(id);
	return n > 7 && !strcmp(id + n - 7, "-latest");
}

/* ", move to X" / "; plan the move to X": the same-tier advice, if any. */
static const char *advice(const struct cl_model *m)
{
	const struct cl_model *r = cl_catalog_replacement(m);
	return r ? r->id : NULL;
}

/* A platform id that shares its first-party record carries Anthropic's
 * dates: say so, since the platform sets its own. */
static const char *whose_dates(const struct cl_model *m, const char *platform)
{
	if (m->platform || !strcmp(platform, "first-party"))
		return "";
	static _Thread_local char buf[96];
	snprintf(buf, sizeof buf, " (Anthropic's date; %s sets its own, not in the catalog)",
		cl_catalog_platform_name(platform));
	return buf;
}

/* " on Bedrock" for a record of the platform's own lifecycle. */
static const char *where(const struct cl_model *m)
{
	static _Thread_local char buf[48];
	if (!m->platform)
		return "";
	snprintf(buf, sizeof buf, " on %s", cl_catalog_platform_name(m->platform));
	return buf;
}

static void unknown_model(struct cl_file_out *out, const struct cl_span *span, const char *id,
	const char *platform)
{
	bool first = !strcmp(platform, "first-party");
	if (cl_catalog_stale())
		cl_emit(out, CL_RULE(CL15_unknown_model), -1, span,
			"\"%s\" is not a%s%s Claude model id claudit knows; its built-in catalog was read on %s, over "
			"90 days ago, so a newer model may be missing: check the id for a typo, or add the model "
			"with --catalog FILE or models.catalog in .claudit.json (see rules/README-catalog.md)",
			id, first ? "" : " ", first ? "" : platform, cl_catalog_read_on());
	else
		cl_emit(out, CL_RULE(CL15_unknown_model), -1, span,
			"\"%s\" is not a%s%s Claude model id claudit knows (catalog read %s); check it for a typo",
			id, first ? "" : " ", first ? "" : platform, cl_catalog_read_on());
}

/* AS_MODEL: the string is given as the model of a Claude client or call, so
 * even a spelling no Anthropic id has ("claude-3.5") is a mistake there. */
static void check_id(const struct cl_check_ctx *ctx, struct cl_file_out *out, const char *id,
	const struct cl_span *span, const char *env, bool as_model, const char *key_id)
{
	const char *platform;
	const struct cl_model *m = cl_catalog_find(id, &platform);
	if (m && m->status == CL_MODEL_RETIRED) {
		const char *to = advice(m);
		cl_emit(out, CL_RULE(CL15_retired_model), -1, span,
			"model \"%s\" is retired%s%s%s%s: the API rejects it%s%s",
			id, where(m), m->retires_on ? " since " : "", m->retires_on ? m->retires_on : "",
			m->retires_on ? whose_dates(m, platform) : "", to ? "; move to " : "", to ? to : "");
		return;
	}
	/* "claude-3.5-sonnet-latest" (OpenRouter, tool aliases) is no Anthropic
	 * id: Anthropic ids never put a dot in the version */
	bool foreign = !as_model && !m && strcmp(platform, "first-party") == 0 && strchr(id, '.');
	if (foreign)
		return;
	bool alias = (m && m->kind == CL_MODEL_ALIAS) || (!m && is_latest(id) && cl_catalog_model_shaped(id));
	if (alias) {
		const char *target = m && m->alias_of ? m->alias_of : NULL;
		if (env)
			cl_emit(out, CL_RULE(CL15_unpinned_default), -1, span,
				"the default of %s is the alias \"%s\": when the variable is unset the model can change "
				"under you; default to a pinned id%s%s", env, id, target ? " such as " : "", target ? target : "");
		else
			cl_emit(out, CL_RULE(CL15_model_alias), -1, span,
				"model \"%s\" is an alias that moves to new snapshots; pin %s",
				id, target ? target : "a dated snapshot or a 4.6+ model id");
		return;
	}
	if ((m || cl_catalog_model_shaped(id)) && !cl_config_model_allowed(ctx->config, id, m ? m->first_party : NULL)) {
		cl_emit(out, CL_RULE(CL15_model_not_allowed), -1, span,
			"model \"%s\" is not in the allowed list (models.allow in the config)%s",
			id, m ? "" : "; claudit does not know it either: check it for a typo");
		return;
	}
	if (m && m->status == CL_MODEL_DEPRECATED) {
		const char *to = advice(m);
		cl_emit(out, CL_RULE(CL15_deprecated_model), -1, span,
			"model \"%s\" is deprecated%s%s%s%s%s%s",
			id, where(m), m->retires_on ? " and retires on " : "", m->retires_on ? m->retires_on : "",
			m->retires_on ? whose_dates(m, platform) : "", to ? "; plan the move to " : "", to ? to : "");
		return;
	}
	/* the value of a known id in a price or alias table is a family name
	 * the table's owner chose ("claude-3-5-sonnet"), not a model id sent to
	 * the API: its key is what is checked */
	const char *key_platform;
	if (!m && cl_catalog_model_shaped(id) && !(key_id && !as_model && cl_catalog_find(key_id, &key_platform)))
		unknown_model(out, span, id, platform);
}

/* True when ID is the model option of one of F's Claude clients or calls. */
static bool used_as_model(const struct cl_check_ctx *ctx, const struct cl_file_facts *f, const char *id)
{
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_value *m = cl_value_get(f->calls.v[i].params, "model");
		m = m ? cl_project_resolve(ctx->project, m) : NULL;
		if (m && (m->kind == CL_V_STRING || m->kind == CL_V_AI_MODEL) && !strcmp(m->str, id))
			return true;
	}
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_value *m = cl_value_get(f->clients.v[i].opts, "model");
		m = m ? cl_project_resolve(ctx->project, m) : NULL;
		if (m && m->kind == CL_V_STRING && !strcmp(m->str, id))
			return true;
	}
	return false;
}

void cl_check_cl15_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->models.n; i++) {
		const struct cl_model_ref *r = &f->models.v[i];
		check_id(ctx, out, r->id, &r->span, r->env, strchr(r->id, '.') && used_as_model(ctx, f, r->id),
			r->key_id);
	}
	check_parameters(ctx, out);
}

/* ---------------------------------------------------------------- config files */

static bool id_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		c == '-' || c == '.' || c == '_' || c == ':' || c == '@' || c == '/';
}

/* The last occurrence of NEEDLE in d[0, end), or (size_t)-1. */
static size_t last_before(const char *d, size_t end, const char *needle)
{
	size_t n = strlen(needle);
	for (size_t i = end; i-- > 0;)
		if (i + n <= end && !memcmp(d + i, needle, n))
			return i;
	return (size_t)-1;
}

/* In a notebook, only code cells' source counts: not markdown, not outputs. */
static bool notebook_code(const char *d, size_t at)
{
	size_t cell = last_before(d, at, "\"cell_type\"");
	if (cell == (size_t)-1)
		return false;
	const char *v = d + cell + 11;
	while (*v == ' ' || *v == ':' || *v == '\t')
		v++;
	if (strncmp(v, "\"code\"", 6) != 0)
		return false;
	size_t src = last_before(d, at, "\"source\"");
	size_t outs = last_before(d, at, "\"outputs\"");
	if (src == (size_t)-1 || src < cell)
		return false;
	return outs == (size_t)-1 || outs < src || outs < cell;
}

/* Where a scan of a file's lines for `#` comments has got to: bytes before
 * POS are read, QUOTE is the open quote there, COMMENT whether a comment has
 * started on POS's line. Ids are found in order, so the whole file is read
 * once (a minified one-line file stays linear). */
struct hash_scan {
	size_t start, pos;
	char quote;
	bool comment;
};

/* True when byte AT of D is in a `#` comment: the line starts with one, or
 * one outside quotes follows white space (`KEY=v  # note`, as .env, YAML
 * and TOML read it). */
static bool in_hash_comment(struct hash_scan *h, const char *d, size_t at)
{
	for (; h->pos < at; h->pos++) {
		char ch = d[h->pos];
		if (ch == '\n') {
			h->quote = 0;
			h->comment = false;
		} else if (h->comment) {
		} else if (h->quote) {
			if (ch == h->quote)
				h->quote = 0;
		} else if (ch == '"' || ch == '\'') {
			h->quote = ch;
		} else if (ch == '#' && (h->pos == h->start || d[h->pos - 1] == ' ' || d[h->pos - 1] == '\t' ||
				d[h->pos - 1] == '\n')) {
			h->comment = true;
		}
	}
	return h->comment;
}

/* True when the bytes before S close a shell parameter expansion's name and
 * open its default: `${CLAUDE_MODEL:-claude-opus-4-7}` (also `:=`, `-`, `=`
 * after a `${NAME`), as .env files and compose files write it. The id is
 * the default, not `CLAUDE_MODEL:-claude-…`. */
static bool shell_default_at(const char *d, size_t from, size_t s)
{
	size_t i = s;
	if (i > from && (d[i - 1] == '-' || d[i - 1] == '='))
		i--;
	else
		return false;
	if (i > from && d[i - 1] == ':')
		i--;
	size_t name_end = i;
	while (i > from && (d[i - 1] == '_' || (d[i - 1] >= 'A' && d[i - 1] <= 'Z') || (d[i - 1] >= 'a' && d[i - 1] <= 'z') ||
			(d[i - 1] >= '0' && d[i - 1] <= '9')))
		i--;
	return name_end > i && i >= from + 2 && d[i - 1] == '{' && d[i - 2] == '$';
}

/* Scans text for model ids: in config files every occurrence outside a
 * comment line counts; in JSON only whole string values. */
static void scan_ids(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out,
	size_t from, size_t to, bool hash_comments)
{
	const char *d = src->data;
	size_t i = from;
	struct hash_scan hs = {from, from, 0, false};
	while (i < to) {
		const char *p = memmem(d + i, to - i, "claude-", 7);
		if (!p)
			break;
		size_t at = (size_t)(p - d);
		size_t s = at, e = at;
		while (s > from && id_char(d[s - 1]) && !shell_default_at(d, from, s))
			s--;
		while (e < to && id_char(d[e]))
			e++;
		i = e > at + 7 ? e : at + 7;
		if (hash_comments && in_hash_comment(&hs, d, at))
			continue;
		while (e > s && (d[e - 1] == '.' || d[e - 1] == ':' || d[e - 1] == '/'))
			e--;
		if (src->text_kind == CL_TEXT_JSON &&
		    !(s > 0 && d[s - 1] == '"' && e < to && d[e] == '"'))
			continue;
		if (src->text_kind == CL_TEXT_NOTEBOOK &&
		    (!notebook_code(d, s) || !(s > 0 && (d[s - 1] == '"' || d[s - 1] == '\'')) ||
		     !(e < to && (d[e] == '\\' || d[e] == '"' || d[e] == '\''))))
			continue;
		char id[128];
		size_t n = e - s;
		if (n < 8 || n >= sizeof id)
			continue;
		memcpy(id, d + s, n);
		id[n] = 0;
		if (!cl_catalog_model_shaped(id) && !strstr(id, "-latest"))
			continue;
		struct cl_span sp = cl_span_at(src, s, e);
		check_id(ctx, out, id, &sp, NULL, false, NULL);
	}
}

void cl_check_cl15_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	switch (src->text_kind) {
	case CL_TEXT_ENV:
	case CL_TEXT_ENV_EXAMPLE:
	case CL_TEXT_YAML:
	case CL_TEXT_TOML:
		if (src->lang == CL_LANG_TEXT)
			scan_ids(ctx, src, out, 0, src->len, true);
		break;
	case CL_TEXT_NOTEBOOK:
		if (ctx->cells_parsed)
			break; /* the code cells' facts hold their model ids */
		/* fall through */
	case CL_TEXT_JSON:
		/* claudit's own config names models to allow, not to call */
		if (src->lang == CL_LANG_TEXT && strcmp(cl_path_basename(src->path), ".claudit.json") != 0)
			scan_ids(ctx, src, out, 0, src->len, false);
		break;
	case CL_TEXT_OTHER:
	case CL_TEXT_PROSE:
		break;
	}
}
