/*
 * adapters.c — loads the Claude adapter records of rules/adapters.json and
 * answers which record a client or call belongs to, whether a record's
 * gates hold, and what its settings' defaults are.
 */
#include "adapters/adapters.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/catalog.h"
#include "support/embed.h"
#include "support/utf8.h"
#include "support/xalloc.h"

static struct {
	cJSON *doc;
	struct cl_adapter *v;
	size_t n;
} ad;

static const char *const setting_names[CL_SET_COUNT] = {
	"model", "max_tokens", "timeout", "retries", "system", "tools", "stream", "turn_cap", "cache", "browser", "user_id",
	"temperature", "top_p", "top_k", "thinking", "messages",
};

static const char *const client_kinds[] = {
	[CL_CLIENT_SDK] = "sdk", [CL_CLIENT_CLOUD] = "cloud", [CL_CLIENT_DERIVED] = "derived",
	[CL_CLIENT_LANGCHAIN] = "langchain", [CL_CLIENT_LLAMAINDEX] = "llamaindex",
	[CL_CLIENT_AISDK_PROVIDER] = "aisdk_provider", [CL_CLIENT_ADAPTER] = "adapter",
};

static const char *const call_kinds[] = {
	[CL_CALL_SDK] = "sdk", [CL_CALL_RAW_HTTP] = "raw_http", [CL_CALL_AISDK] = "aisdk",
	[CL_CALL_LITELLM] = "litellm", [CL_CALL_WRAPPER] = "wrapper", [CL_CALL_ADAPTER] = "adapter",
};

const char *cl_setting_name(enum cl_setting_id id)
{
	return id < CL_SET_COUNT ? setting_names[id] : "";
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool fail(char **err, const char *id, const char *what, const char *value)
{
	size_t n = strlen(id) + strlen(what) + strlen(value) + 64;
	*err = xmalloc(n);
	snprintf(*err, n, "rule data rules/adapters.json: adapter %s: %s \"%s\"", id, what, value);
	return false;
}

static size_t strings(const cJSON *arr, const char **out, size_t cap)
{
	size_t n = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && n < cap)
			out[n++] = e->valuestring;
	return n;
}

static bool parse_setting(const char *id, const cJSON *j, struct cl_adapter_setting *s, char **err)
{
	static const struct { const char *name; enum cl_default_kind kind; } kinds[] = {
		{"value", CL_DEF_VALUE}, {"none", CL_DEF_NONE}, {"required", CL_DEF_REQUIRED},
		{"model_max_output", CL_DEF_MODEL_MAX}, {"per_model_table", CL_DEF_TABLE},
		{"unbounded", CL_DEF_UNBOUNDED}, {"unknown", CL_DEF_UNKNOWN},
	};
	const cJSON *k;
	cJSON_ArrayForEach(k, cJSON_GetObjectItemCaseSensitive(j, "keys")) {
		if (!cJSON_IsString(k) || s->nkeys == CL_ADAPTER_MAX_KEYS)
			return fail(err, id, "bad or too many keys at", cJSON_IsString(k) ? k->valuestring : "?");
		const char *colon = strchr(k->valuestring, ':');
		size_t len = colon ? (size_t)(colon - k->valuestring) : 0;
		struct cl_adapter_key *key = &s->keys[s->nkeys++];
		if (len == 6 && !memcmp(k->valuestring, "params", 6))
			key->scope = CL_KEY_PARAMS;
		else if (len == 7 && !memcmp(k->valuestring, "options", 7))
			key->scope = CL_KEY_OPTIONS;
		else if (len == 6 && !memcmp(k->valuestring, "client", 6))
			key->scope = CL_KEY_CLIENT;
		else
			return fail(err, id, "key without a params:/options:/client: scope", k->valuestring);
		key->path = colon + 1;
	}
	const char *unit = jstr(j, "unit");
	s->ms = unit && !strcmp(unit, "ms");
	const char *dk = jstr(j, "default_kind");
	s->def = CL_DEF_UNKNOWN;
	if (dk) {
		size_t i;
		for (i = 0; i < sizeof kinds / sizeof *kinds && strcmp(kinds[i].name, dk); i++)
			;
		if (i == sizeof kinds / sizeof *kinds)
			return fail(err, id, "unknown default_kind", dk);
		s->def = kinds[i].kind;
	}
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(j, "default");
	if (cJSON_IsNumber(v))
		s->value = v->valuedouble;
	else if (s->def == CL_DEF_VALUE)
		return fail(err, id, "default_kind value without a number", dk);
	v = cJSON_GetObjectItemCaseSensitive(j, "fallback");
	s->fallback = cJSON_IsNumber(v) ? v->valueint : 0;
	v = cJSON_GetObjectItemCaseSensitive(j, "off_at");
	s->off_at = cJSON_IsNumber(v) ? v->valuedouble : 0;
	s->unset = jstr(j, "unset");
	s->default_is_cap = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "default_is_cap"));
	s->note = jstr(j, "note");
	s->fix = jstr(j, "fix");
	s->message = jstr(j, "message");
	s->nbounded_by = strings(cJSON_GetObjectItemCaseSensitive(j, "bounded_by"), s->bounded_by, CL_ADAPTER_MAX_KEYS);
	s->opaque = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "opaque"));
	s->from_prompts = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "from_prompts"));
	s->source = jstr(j, "source");
	s->nmethods = strings(cJSON_GetObjectItemCaseSensitive(j, "methods"), s->methods, CL_ADAPTER_MAX_KEYS);
	s->ntransports = strings(cJSON_GetObjectItemCaseSensitive(j, "retry_transports"), s->transports, CL_ADAPTER_MAX_KEYS);
	return true;
}

static bool parse_record(const cJSON *rec, struct cl_adapter *a, char **err)
{
	a->id = jstr(rec, "id");
	a->name = jstr(rec, "name");
	const char *lang = jstr(rec, "lang");
	if (!a->id || !a->name || !lang)
		return fail(err, a->id ? a->id : "?", "needs id, name and lang", "");
	a->python = !strcmp(lang, "python");
	a->call_prefix = jstr(rec, "call_prefix");
	a->handle_only = cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(rec, "client_is_claude"));
	const cJSON *tracing = cJSON_GetObjectItemCaseSensitive(rec, "tracing");
	a->tracing_pattern = jstr(tracing, "pattern");
	a->tracing_evidence = jstr(tracing, "evidence");
	a->record = rec;
	const cJSON *batch = cJSON_GetObjectItemCaseSensitive(rec, "batch");
	if (batch) {
		a->nbatch_methods = strings(cJSON_GetObjectItemCaseSensitive(batch, "methods"), a->batch_methods,
			CL_ADAPTER_MAX_KEYS);
		a->batch_requests = jstr(batch, "requests");
		a->batch_params = jstr(batch, "params");
		if (!a->nbatch_methods || !a->batch_requests || !a->batch_params)
			return fail(err, a->id, "batch needs methods, requests and params", "");
	}
	const cJSON *settings = cJSON_GetObjectItemCaseSensitive(rec, "settings"), *s;
	cJSON_ArrayForEach(s, settings) {
		int i;
		for (i = 0; i < CL_SET_COUNT && strcmp(setting_names[i], s->string); i++)
			;
		if (i == CL_SET_COUNT)
			return fail(err, a->id, "unknown setting", s->string);
		if (!parse_setting(a->id, s, &a->set[i], err))
			return false;
	}
	return true;
}

bool cl_adapters_load(char **err)
{
	if (ad.doc)
		return true;
	const struct cl_embedded *e = cl_embed_find("rules/adapters.json");
	if (!e || !(ad.doc = cJSON_ParseWithLength(e->data, e->size))) {
		*err = xstrdup("rule data rules/adapters.json: missing or invalid JSON");
		return false;
	}
	const cJSON *recs = cJSON_GetObjectItemCaseSensitive(ad.doc, "adapters"), *r;
	ad.v = xcalloc((size_t)cJSON_GetArraySize(recs) + 1, sizeof *ad.v);
	cJSON_ArrayForEach(r, recs) {
		if (!parse_record(r, &ad.v[ad.n], err)) {
			cl_adapters_unload();
			return false;
		}
		ad.n++;
	}
	return true;
}

void cl_adapters_unload(void)
{
	free(ad.v);
	cJSON_Delete(ad.doc);
	memset(&ad, 0, sizeof ad);
}

size_t cl_adapters_count(void)
{
	return ad.n;
}

const struct cl_adapter *cl_adapters_at(size_t i)
{
	return i < ad.n ? &ad.v[i] : NULL;
}

const struct cl_adapter *cl_adapters_find(const char *id)
{
	for (size_t i = 0; id && i < ad.n; i++)
		if (!strcmp(ad.v[i].id, id))
			return &ad.v[i];
	return NULL;
}

static bool lists(const cJSON *arr, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return true;
	return false;
}

static const struct cl_adapter *match(const char *table, const char *kind, bool python)
{
	for (size_t i = 0; i < ad.n; i++) {
		if (ad.v[i].python != python)
			continue;
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(ad.v[i].record, "match");
		if (lists(cJSON_GetObjectItemCaseSensitive(m, table), kind))
			return &ad.v[i];
	}
	return NULL;
}

const struct cl_adapter *cl_adapters_of_client(const struct cl_client *c, bool python)
{
	if (c->adapter)
		return cl_adapters_find(c->adapter);
	return match("clients", client_kinds[c->kind], python);
}

const struct cl_adapter *cl_adapters_of_call(const struct cl_call *call, bool python)
{
	if (call->adapter)
		return cl_adapters_find(call->adapter);
	return match("calls", call_kinds[call->kind], python);
}

bool cl_adapter_setting_on(const struct cl_adapter_setting *s, const char *method)
{
	if (s->def == CL_DEF_ABSENT && !s->nkeys)
		return false;
	if (!s->nmethods)
		return true;
	for (size_t i = 0; method && i < s->nmethods; i++)
		if (!strcmp(s->methods[i], method))
			return true;
	return false;
}

int cl_adapter_default_max_tokens(const struct cl_adapter_setting *s, const char *model)
{
	const char *platform;
	const struct cl_model *m;
	switch (s->def) {
	case CL_DEF_VALUE:
		return (int)s->value;
	case CL_DEF_MODEL_MAX:
		m = model ? cl_catalog_find(model, &platform) : NULL;
		return m && m->max_output_tokens ? m->max_output_tokens : s->fallback;
	case CL_DEF_TABLE: {
		const cJSON *table = NULL, *set, *e;
		for (size_t i = 0; i < ad.n && !table; i++)
			if (&ad.v[i].set[CL_SET_MAX_TOKENS] == s) {
				set = cJSON_GetObjectItemCaseSensitive(ad.v[i].record, "settings");
				table = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(set, "max_tokens"), "table");
			}
		int best = 0;
		size_t best_len = 0;
		cJSON_ArrayForEach(e, table) {
			size_t l = strlen(e->string);
			if (model && !strncmp(model, e->string, l) && l > best_len && cJSON_IsNumber(e)) {
				best = e->valueint;
				best_len = l;
			}
		}
		return best ? best : s->fallback;
	}
	default:
		return 0;
	}
}

/* ------------------------------------------------------------------------ */
/* Classification hooks.                                                    */

const struct cl_adapter *cl_adapters_factory(const char *method, bool python)
{
	for (size_t i = 0; method && i < ad.n; i++)
		if (ad.v[i].python == python &&
		    lists(cJSON_GetObjectItemCaseSensitive(ad.v[i].record, "factory_methods"), method))
			return &ad.v[i];
	return NULL;
}

const char *cl_adapters_kind_id(const char *kind)
{
	return kind && !strncmp(kind, "adapter:", 8) ? kind + 8 : NULL;
}

static bool contains_any(const cJSON *needles, const char *s)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, needles)
		if (cJSON_IsString(e) && strstr(s, e->valuestring))
			return true;
	return false;
}

/* A Claude model as a value: a claude-… / anthropic… string, a Claude
 * client (a chat model object), or an AI SDK Anthropic model. */
static bool claude_model(const struct cl_value *v)
{
	if (!v)
		return false;
	if (v->kind == CL_V_OBJECT) /* AnthropicModel("claude-…") read as its options */
		return claude_model(cl_value_get(v, "model"));
	if (v->kind == CL_V_STRING)
		return !strncmp(v->str, "anthropic:", 10) || !strncmp(v->str, "anthropic/", 10) ||
			!strncmp(v->str, "claude", 6) || strstr(v->str, "anthropic.claude") != NULL;
	if (v->kind == CL_V_CLIENT && v->owner && v->client >= 0 && (size_t)v->client < v->owner->clients.n) {
		const struct cl_client *cl = &v->owner->clients.v[v->client];
		/* a chat model of a record gated on its Claude model id (ChatBedrockConverse) */
		const struct cl_adapter *a = cl->kind == CL_CLIENT_ADAPTER ? cl_adapters_find(cl->adapter) : NULL;
		return cl->kind == CL_CLIENT_LANGCHAIN || cl->kind == CL_CLIENT_LLAMAINDEX ||
			(a && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a->record, "chat_model")));
	}
	return v->kind == CL_V_AI_MODEL;
}

bool cl_adapters_gate(const struct cl_adapter *a, const struct cl_value *opts,
	struct cl_value *const *pos, size_t npos, bool file_claude)
{
	const cJSON *gate = cJSON_GetObjectItemCaseSensitive(a->record, "gate");
	if (!gate)
		return true;
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(gate, "file_claude")))
		return file_claude;
	const cJSON *needles = cJSON_GetObjectItemCaseSensitive(gate, "contains");
	const char *option = jstr(gate, "option");
	if (option) {
		const struct cl_value *v = cl_value_path(opts, option);
		return v && v->kind == CL_V_STRING && contains_any(needles, v->str);
	}
	const struct cl_value *v = NULL;
	const char *kw = jstr(gate, "keyword");
	if (kw)
		v = cl_value_get(opts, kw);
	const cJSON *keys = cJSON_GetObjectItemCaseSensitive(gate, "option_keys"), *k;
	cJSON_ArrayForEach(k, keys)
		if (!v && cJSON_IsString(k))
			v = cl_value_get(opts, k->valuestring);
	const cJSON *arg = cJSON_GetObjectItemCaseSensitive(gate, "arg");
	if (!v && cJSON_IsNumber(arg) && (size_t)arg->valueint < npos)
		v = pos[arg->valueint];
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(gate, "claude_model")))
		return claude_model(v);
	return v && v->kind == CL_V_STRING && contains_any(needles, v->str);
}

bool cl_adapters_passthrough(const struct cl_adapter *a, const char *method)
{
	return lists(cJSON_GetObjectItemCaseSensitive(a->record, "passthrough_methods"), method);
}

const char *cl_adapters_arg_name(const struct cl_adapter *a, const char *table, size_t i)
{
	const cJSON *e = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(a->record, table), (int)i);
	return cJSON_IsString(e) ? e->valuestring : NULL;
}

bool cl_adapters_call_method(const struct cl_adapter *a, const char *method)
{
	return lists(cJSON_GetObjectItemCaseSensitive(a->record, "call_methods"), method);
}

const char *cl_adapters_call_gate_arg(const struct cl_adapter *a)
{
	return jstr(cJSON_GetObjectItemCaseSensitive(a->record, "call_gate"), "arg");
}

enum cl_gate cl_adapters_call_gate_value(const struct cl_adapter *a, const struct cl_value *v, bool open)
{
	const cJSON *gate = cJSON_GetObjectItemCaseSensitive(a->record, "call_gate");
	if (!gate)
		return CL_GATE_YES;
	bool policy = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(gate, "unknown"));
	/* only an Anthropic model id counts: an unknown one may be any vendor's */
	if (v && v->kind == CL_V_STRING) {
		if (contains_any(cJSON_GetObjectItemCaseSensitive(gate, "contains"), v->str))
			return CL_GATE_YES;
		/* a string built from parts we cannot see (`f"{REGION}.{MODEL}"`), or
		 * empty (`process.env.MODEL_ID ?? ""`): no model id is known */
		return policy && (v->open || !v->len) ? CL_GATE_UNKNOWN : CL_GATE_NO;
	}
	if (!policy)
		return CL_GATE_NO;
	/* absent from a request a spread may fill, or a value that cannot be resolved */
	if (!v)
		return open ? CL_GATE_UNKNOWN : CL_GATE_NO;
	return v->kind == CL_V_UNKNOWN || v->kind == CL_V_IMPORT ? CL_GATE_UNKNOWN : CL_GATE_NO;
}

enum cl_gate cl_adapters_call_gate_of(const struct cl_adapter *a, const struct cl_value *params)
{
	const char *key = cl_adapters_call_gate_arg(a);
	return cl_adapters_call_gate_value(a, key ? cl_value_get(params, key) : NULL, params && params->open);
}

/* Does TEXT hold one of NEEDLES (with FOLD, in any case)? */
static bool text_has(const cJSON *needles, const char *text, size_t len, bool fold)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, needles) {
		size_t n = cJSON_IsString(e) ? strlen(e->valuestring) : 0;
		if (n && (fold ? cl_memcasemem(text, len, e->valuestring, n) : memmem(text, len, e->valuestring, n)))
			return true;
	}
	return false;
}

static const cJSON *unknown_policy(const struct cl_adapter *a)
{
	return cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(a->record, "call_gate"), "unknown");
}

bool cl_adapters_context_file(const struct cl_adapter *a, const char *text, size_t len)
{
	const cJSON *u = unknown_policy(a);
	return u && text && text_has(cJSON_GetObjectItemCaseSensitive(u, "file_mentions"), text, len, true);
}

bool cl_adapters_context_package(const char *text, size_t len)
{
	for (size_t i = 0; text && i < ad.n; i++) {
		const cJSON *u = unknown_policy(&ad.v[i]);
		if (u && text_has(cJSON_GetObjectItemCaseSensitive(u, "package_text"), text, len, false))
			return true;
	}
	return false;
}
