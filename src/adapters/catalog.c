/*
 * catalog.c — builds sorted lookup tables from the model catalog
 * (rules/models.json, merged with any overlay files by catalog_doc.c) and
 * resolves the many spellings of a model id.
 */
#include "adapters/catalog.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/catalog_doc.h"
#include "support/date.h"
#include "support/embed.h"
#include "support/jsonfile.h"
#include "support/xalloc.h"

struct alias_entry {
	const char *id;           /* the platform id without regional prefix */
	const struct cl_model *model;
};

static struct {
	cJSON *doc;               /* the built-in catalog with overlays merged in */
	struct cl_model *models;  /* first-party records, sorted by id */
	size_t nmodels;
	struct alias_entry *platform; /* bedrock + vertex ids, sorted */
	size_t nplatform;
	struct cl_model *own;     /* platform records with their platform's own facts */
	size_t nown;
	char today[11];
	char read_on[11];         /* the built-in catalog's date */
} cat;

static const char *const request_facts[CL_REQUEST_FACT_COUNT] = {
	"temperature_with_top_p", "sampling_parameters", "thinking_budget_tokens", "assistant_prefill",
};

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int by_model_id(const void *a, const void *b)
{
	return strcmp(((const struct cl_model *)a)->id, ((const struct cl_model *)b)->id);
}

static int by_alias_id(const void *a, const void *b)
{
	return strcmp(((const struct alias_entry *)a)->id, ((const struct alias_entry *)b)->id);
}

static const struct cl_model *find_model(const char *id)
{
	struct cl_model key = {.id = id};
	return bsearch(&key, cat.models, cat.nmodels, sizeof *cat.models, by_model_id);
}

/* A source key's URL, or the key itself when the catalog has no such source. */
static const char *source_url(const char *key)
{
	const cJSON *src = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(cat.doc, "sources"), key);
	const char *url = jstr(src, "url");
	return url ? url : key;
}

/* The lifecycle and limit fields ENTRY sets, over what X holds. */
static void apply_fields(struct cl_model *x, const cJSON *entry)
{
	const cJSON *v;
	if ((v = cJSON_GetObjectItemCaseSensitive(entry, "retires_on")))
		x->retires_on = cJSON_IsString(v) ? v->valuestring : NULL;
	if ((v = cJSON_GetObjectItemCaseSensitive(entry, "replacement")))
		x->replacement = cJSON_IsString(v) ? v->valuestring : NULL;
	if ((v = cJSON_GetObjectItemCaseSensitive(entry, "max_output_tokens")))
		x->max_output_tokens = cJSON_IsNumber(v) ? v->valueint : 0;
	if ((v = cJSON_GetObjectItemCaseSensitive(entry, "min_cache_tokens")))
		x->min_cache_tokens = cJSON_IsNumber(v) ? v->valueint : 0;
	const char *status = jstr(entry, "status");
	if (status)
		x->status = !strcmp(status, "retired") ? CL_MODEL_RETIRED :
			!strcmp(status, "deprecated") ? CL_MODEL_DEPRECATED : CL_MODEL_ACTIVE;
	/* the run's date moves a deprecated model past its retirement */
	if (x->retires_on && cat.today[0] && strcmp(x->retires_on, cat.today) <= 0)
		x->status = CL_MODEL_RETIRED;
	else if (x->retires_on && x->status == CL_MODEL_RETIRED && cat.today[0])
		x->status = CL_MODEL_DEPRECATED;
}

static void read_model(struct cl_model *x, const cJSON *m)
{
	memset(x, 0, sizeof *x);
	x->id = x->first_party = jstr(m, "id");
	const char *kind = jstr(m, "kind");
	x->kind = kind && !strcmp(kind, "alias") ? CL_MODEL_ALIAS :
		kind && !strcmp(kind, "pinned") ? CL_MODEL_PINNED : CL_MODEL_SNAPSHOT;
	x->alias_of = jstr(m, "alias_of");
	x->tier = jstr(m, "tier");
	apply_fields(x, m);
	const cJSON *rejects = cJSON_GetObjectItemCaseSensitive(m, "rejects");
	for (int f = 0; f < CL_REQUEST_FACT_COUNT; f++) {
		const char *key = jstr(rejects, request_facts[f]);
		x->rejects[f] = key ? source_url(key) : NULL;
	}
}

/* True when a platform ENTRY sets facts of its own (its platform's dates). */
static bool has_own_facts(const cJSON *entry)
{
	static const char *const keys[] = {"status", "deprecated_on", "retires_on", "replacement",
		"max_output_tokens", "min_cache_tokens"};
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (cJSON_GetObjectItemCaseSensitive(entry, keys[i]))
			return true;
	return false;
}

static void free_tables(void)
{
	free(cat.models);
	free(cat.platform);
	free(cat.own);
	cat.models = NULL;
	cat.platform = NULL;
	cat.own = NULL;
	cat.nmodels = cat.nplatform = cat.nown = 0;
}

/* (Re)builds every table from cat.doc. */
static void build_tables(void)
{
	free_tables();
	const cJSON *models = cJSON_GetObjectItemCaseSensitive(cat.doc, "models"), *m;
	cat.models = xcalloc((size_t)cJSON_GetArraySize(models) + 1, sizeof *cat.models);
	cJSON_ArrayForEach(m, models)
		read_model(&cat.models[cat.nmodels++], m);
	qsort(cat.models, cat.nmodels, sizeof *cat.models, by_model_id);
	static const char *const tables[] = {"bedrock", "vertex"};
	size_t total = 0;
	for (int t = 0; t < 2; t++)
		total += (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(cat.doc, tables[t]));
	cat.platform = xcalloc(total + 1, sizeof *cat.platform);
	cat.own = xcalloc(total + 1, sizeof *cat.own);
	for (int t = 0; t < 2; t++) {
		cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(cat.doc, tables[t])) {
			const char *id = jstr(m, "id"), *model = jstr(m, "model");
			const struct cl_model *target = model ? find_model(model) : NULL;
			if (!id || !target)
				continue;
			if (has_own_facts(m)) {
				struct cl_model *x = &cat.own[cat.nown++];
				*x = *target;
				x->id = id;
				x->platform = tables[t];
				apply_fields(x, m);
				target = x;
			}
			cat.platform[cat.nplatform].id = id;
			cat.platform[cat.nplatform].model = target;
			cat.nplatform++;
		}
	}
	qsort(cat.platform, cat.nplatform, sizeof *cat.platform, by_alias_id);
}

bool cl_catalog_load(const char *today, char **err)
{
	if (cat.doc)
		return true;
	const struct cl_embedded *e = cl_embed_find("rules/models.json");
	if (!e || !(cat.doc = cJSON_ParseWithLength(e->data, e->size))) {
		*err = xstrdup("rule data rules/models.json: missing or invalid JSON");
		return false;
	}
	if (!cl_catalog_doc_check(cat.doc, "rule data rules/models.json", err)) {
		cJSON_Delete(cat.doc);
		cat.doc = NULL;
		return false;
	}
	snprintf(cat.today, sizeof cat.today, "%s", today && cl_date_valid(today) ? today : "");
	const char *read_on = jstr(cat.doc, "read_on");
	snprintf(cat.read_on, sizeof cat.read_on, "%s", read_on ? read_on : "");
	build_tables();
	return true;
}

bool cl_catalog_overlay(const char *path, char **err)
{
	size_t len;
	const char *why;
	char *text = cl_jsonfile_read(path, false, &len, &why);
	if (!text) {
		*err = xasprintf("%s: cannot read model catalog: %s", path, why);
		return false;
	}
	cJSON *doc = cl_jsonfile_parse(path, text, len, err);
	free(text);
	if (!doc)
		return false;
	bool ok = cl_catalog_doc_check(doc, path, err);
	if (ok) {
		cl_catalog_doc_merge(cat.doc, doc);
		build_tables();
	}
	cJSON_Delete(doc);
	return ok;
}

void cl_catalog_unload(void)
{
	free_tables();
	cJSON_Delete(cat.doc);
	memset(&cat, 0, sizeof cat);
}

const char *cl_catalog_read_on(void)
{
	return cat.read_on;
}

bool cl_catalog_stale(void)
{
	return cat.today[0] && cl_date_valid(cat.read_on) &&
		cl_date_days(cat.today) - cl_date_days(cat.read_on) > 90;
}

const char *cl_catalog_rejects(const struct cl_model *m, enum cl_request_fact f)
{
	return m && f >= 0 && f < CL_REQUEST_FACT_COUNT ? m->rejects[f] : NULL;
}

const struct cl_model *cl_catalog_replacement(const struct cl_model *m)
{
	const struct cl_model *r = NULL;
	const char *next = m->replacement;
	for (int hops = 0; next && hops < 8; hops++) {
		r = find_model(next);
		if (!r || r->status != CL_MODEL_RETIRED)
			break;
		next = r->replacement;
	}
	if (r && (r->status == CL_MODEL_RETIRED || (m->tier && (!r->tier || strcmp(r->tier, m->tier) != 0))))
		r = NULL;
	if (!r && m->tier) {
		const char *current = jstr(cJSON_GetObjectItemCaseSensitive(cat.doc, "tiers"), m->tier);
		r = current ? find_model(current) : NULL;
		if (r && (r->status == CL_MODEL_RETIRED || !strcmp(r->id, m->first_party)))
			r = NULL;
	}
	return r;
}

static const struct cl_model *find_platform(const char *id)
{
	struct alias_entry key = {.id = id};
	const struct alias_entry *a = bsearch(&key, cat.platform, cat.nplatform, sizeof *cat.platform, by_alias_id);
	return a ? a->model : NULL;
}

const struct cl_model *cl_catalog_find(const char *id, const char **platform)
{
	*platform = "first-party";
	const char *p;
	/* Router and provider prefixes ("anthropic/", "anthropic:messages:",
	 * "bedrock/us.", an ARN's ".../foundation-model/") stand before the id:
	 * the id starts at "anthropic.claude" (Bedrock, its region dropped) or
	 * else at "claude-", after a '/', ':' or the start. */
	const char *bedrock = strstr(id, "anthropic.claude");
	if (bedrock) {
		id = bedrock;
	} else if ((p = strstr(id, "claude-")) && p != id && (p[-1] == '/' || p[-1] == ':')) {
		id = p;
	}
	if (!strncmp(id, "anthropic.", 10)) {
		*platform = "bedrock";
		const struct cl_model *m = find_platform(id);
		if (m)
			return m;
		/* anthropic.<id>-v1:0 */
		char buf[128];
		const char *base = id + 10;
		const char *v = strstr(base, "-v");
		size_t n = v ? (size_t)(v - base) : strlen(base);
		if (n >= sizeof buf)
			return NULL;
		memcpy(buf, base, n);
		buf[n] = 0;
		return find_model(buf);
	}
	const char *at = strchr(id, '@');
	if (at) {
		*platform = "vertex";
		const struct cl_model *m = find_platform(id);
		if (m)
			return m;
		char buf[128];
		size_t n = strlen(id);
		if (n >= sizeof buf)
			return NULL;
		memcpy(buf, id, n + 1);
		buf[at - id] = '-';
		return find_model(buf);
	}
	return find_model(id);
}

static bool is_family(const char *p)
{
	static const char *const families[] = {"opus", "sonnet", "haiku", "instant", "fable", "mythos", "v1", "v2"};
	for (size_t i = 0; i < sizeof families / sizeof *families; i++) {
		size_t n = strlen(families[i]);
		if (!strncmp(p, families[i], n) && (p[n] == 0 || p[n] == '-' || p[n] == '@' || p[n] == ':'))
			return true;
	}
	return false;
}

bool cl_catalog_model_shaped(const char *id)
{
	const char *p = strstr(id, "claude-");
	if (!p)
		return false;
	p += 7;
	if (*p >= '0' && *p <= '9') {
		/* claude-2, claude-2.1, claude-3-5-…, claude-3-opus-…: not claude-3-rag */
		const char *q = p;
		while ((*q >= '0' && *q <= '9') || *q == '.')
			q++;
		if (*q == 0 || *q == '@' || *q == ':')
			return true;
		if (*q != '-')
			return false;
		q++;
		return (*q >= '0' && *q <= '9') || is_family(q);
	}
	if (is_family(p))
		return true;
	/* claude-<word>-<digit>: a misspelt family ("claude-sonet-4-6") */
	const char *q = p;
	while (*q >= 'a' && *q <= 'z')
		q++;
	return q > p && q - p <= 8 && q[0] == '-' && q[1] >= '0' && q[1] <= '9';
}

const char *cl_catalog_platform_name(const char *platform)
{
	if (!platform || !strcmp(platform, "first-party"))
		return "Anthropic's API";
	return !strcmp(platform, "bedrock") ? "Bedrock" : "Google Cloud";
}
