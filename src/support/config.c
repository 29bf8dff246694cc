/*
 * config.c — .claudit.json: a JSON object of known keys, checked the way
 * claudit.schema.json describes it; anything else is an error naming the key
 * path and what was expected.
 */
#include "support/config.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/date.h"
#include "scan/gitignore.h"
#include "support/jsonfile.h"
#include "support/xalloc.h"

void cl_config_defaults(struct cl_config *c)
{
	memset(c, 0, sizeof *c);
	c->max_tokens_limit = 8192;
	c->timeout_max_s = 300;
	c->cache_min_tokens = 1024;
}

static void free_list(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void attestation_destroy(struct cl_attestation *a)
{
	if (!a)
		return;
	free(a->by);
	free(a->date);
	free(a->expires);
	free(a->note);
	free(a);
}

void cl_config_finish(struct cl_config *c)
{
	if (!c)
		return;
	free_list(c->include, c->ninclude);
	free_list(c->exclude, c->nexclude);
	free_list(c->models_allow, c->nmodels_allow);
	free(c->models_catalog);
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		attestation_destroy(c->attest[i]);
	cl_config_defaults(c);
}

struct parse {
	struct cl_config *c;
	const char *name;
	char **err;
};

/* Sets *ERR to "NAME: KEY: <formatted>" and returns false. */
static bool fail(struct parse *p, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool fail(struct parse *p, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cl_jsonfile_vfail(p->err, p->name, key, fmt, ap);
	va_end(ap);
	return false;
}

static bool number_in(const cJSON *v, double lo, double hi, bool integer, double *out)
{
	if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble < lo || v->valuedouble > hi)
		return false;
	if (integer && v->valuedouble != floor(v->valuedouble))
		return false;
	*out = v->valuedouble;
	return true;
}

static bool nonempty_string(const cJSON *v)
{
	return cJSON_IsString(v) && v->valuestring[0];
}

/* An array (non-empty when NONEMPTY) of non-empty strings, copied into *OUT. */
static bool string_list(struct parse *p, const char *key, const cJSON *v, bool nonempty,
	char ***out, size_t *n)
{
	if (!cJSON_IsArray(v) || (nonempty && cJSON_GetArraySize(v) == 0))
		return fail(p, key, "expected %s array of non-empty strings", nonempty ? "a non-empty" : "an");
	size_t count = (size_t)cJSON_GetArraySize(v), i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		if (!nonempty_string(e)) {
			char at[64];
			snprintf(at, sizeof at, "%s[%zu]", key, i);
			return fail(p, at, "expected a non-empty string");
		}
		i++;
	}
	free_list(*out, *n);
	*out = xcalloc(count ? count : 1, sizeof **out);
	*n = 0;
	cJSON_ArrayForEach(e, v)
		(*out)[(*n)++] = xstrdup(e->valuestring);
	return true;
}

static int item_index(const char *id)
{
	const struct cl_item *it = cl_registry_item_by_id(id);
	for (int i = 0; it && i < CL_ITEM_COUNT; i++)
		if (cl_registry_item(i) == it)
			return i;
	return -1;
}

static bool parse_items(struct parse *p, const cJSON *v)
{
	if (!cJSON_IsObject(v))
		return fail(p, "items", "expected an object of item ids (CL01 ... CL18)");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		int idx = item_index(e->string);
		char key[96];
		snprintf(key, sizeof key, "items.%.40s", e->string);
		if (idx < 0)
			return fail(p, key, "unknown item (expected CL01 ... CL18)");
		if (!cJSON_IsObject(e))
			return fail(p, key, "expected an object");
		const cJSON *f;
		cJSON_ArrayForEach(f, e) {
			char sub[160];
			snprintf(sub, sizeof sub, "%s.%.40s", key, f->string);
			if (strcmp(f->string, "enabled") != 0)
				return fail(p, sub, "unknown key (expected: enabled)");
			if (!cJSON_IsBool(f))
				return fail(p, sub, "expected a boolean");
			p->c->item_off[idx] = cJSON_IsFalse(f);
		}
	}
	return true;
}

/* PATH as seen from the current directory: relative to the config file's
 * directory when it is relative. Caller frees. */
static char *beside_config(const char *config, const char *path)
{
	const char *slash = strrchr(config, '/');
	if (path[0] == '/' || !slash)
		return xstrdup(path);
	return xasprintf("%.*s/%s", (int)(slash - config), config, path);
}

static bool parse_models(struct parse *p, const cJSON *v)
{
	if (!cJSON_IsObject(v))
		return fail(p, "models", "expected an object");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		if (!strcmp(e->string, "catalog")) {
			if (!nonempty_string(e))
				return fail(p, "models.catalog", "expected a non-empty string (a model catalog file)");
			free(p->c->models_catalog);
			p->c->models_catalog = beside_config(p->name, e->valuestring);
			continue;
		}
		if (strcmp(e->string, "allow") != 0) {
			char key[96];
			snprintf(key, sizeof key, "models.%.40s", e->string);
			return fail(p, key, "unknown key (expected: allow, catalog)");
		}
		if (!string_list(p, "models.allow", e, true, &p->c->models_allow, &p->c->nmodels_allow))
			return false;
	}
	return true;
}

/* "CL02, CL03, ...": the items an attestation can cover. */
static void attestable(char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = 0;
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		const struct cl_item *it = cl_registry_item(i);
		if (!it || !it->id || it->kind == CL_KIND_CODE)
			continue;
		int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", it->id);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

static bool parse_attestation(struct parse *p, const char *key, int idx, const cJSON *v)
{
	static const char *const fields[] = {"by", "date", "expires", "note"};
	if (!cJSON_IsObject(v))
		return fail(p, key, "expected an object with by, date, expires and note");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char sub[160];
		snprintf(sub, sizeof sub, "%s.%.40s", key, e->string);
		size_t f = 0;
		while (f < 4 && strcmp(e->string, fields[f]) != 0)
			f++;
		if (f == 4)
			return fail(p, sub, "unknown key (expected one of: by, date, expires, note)");
		if (f == 1 || f == 2) {
			if (!cJSON_IsString(e) || !cl_date_valid(e->valuestring))
				return fail(p, sub, "expected a date as a string YYYY-MM-DD");
		} else if (!nonempty_string(e)) {
			return fail(p, sub, "expected a non-empty string");
		}
	}
	for (size_t f = 0; f < 4; f++)
		if (!cJSON_GetObjectItemCaseSensitive(v, fields[f])) {
			char sub[160];
			snprintf(sub, sizeof sub, "%s.%s", key, fields[f]);
			return fail(p, sub, "missing (an attestation needs by, date, expires and note)");
		}
	const char *date = cJSON_GetObjectItemCaseSensitive(v, "date")->valuestring;
	const char *expires = cJSON_GetObjectItemCaseSensitive(v, "expires")->valuestring;
	if (strcmp(expires, date) < 0) {
		char sub[160];
		snprintf(sub, sizeof sub, "%s.expires", key);
		return fail(p, sub, "%s is before the date of the attestation (%s)", expires, date);
	}
	attestation_destroy(p->c->attest[idx]);
	struct cl_attestation *a = p->c->attest[idx] = xcalloc(1, sizeof *a);
	a->by = xstrdup(cJSON_GetObjectItemCaseSensitive(v, "by")->valuestring);
	a->date = xstrdup(cJSON_GetObjectItemCaseSensitive(v, "date")->valuestring);
	a->expires = xstrdup(cJSON_GetObjectItemCaseSensitive(v, "expires")->valuestring);
	a->note = xstrdup(cJSON_GetObjectItemCaseSensitive(v, "note")->valuestring);
	return true;
}

static bool parse_attestations(struct parse *p, const cJSON *v)
{
	if (!cJSON_IsObject(v))
		return fail(p, "attestations", "expected an object of item ids");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char key[96];
		snprintf(key, sizeof key, "attestations.%.40s", e->string);
		int idx = item_index(e->string);
		if (idx < 0 || cl_registry_item(idx)->kind == CL_KIND_CODE) {
			char list[128];
			attestable(list, sizeof list);
			return fail(p, key, "%s (attestable items: %s)",
				idx < 0 ? "unknown item" : "checked from code, it cannot be attested", list);
		}
		if (!parse_attestation(p, key, idx, e))
			return false;
	}
	return true;
}

static bool parse_top(struct parse *p, const cJSON *e)
{
	struct cl_config *c = p->c;
	const char *k = e->string;
	double v;
	if (!strcmp(k, "$schema")) {
		if (!cJSON_IsString(e))
			return fail(p, k, "expected a string");
	} else if (!strcmp(k, "max_tokens_limit")) {
		if (!number_in(e, 1, 1e7, true, &v))
			return fail(p, k, "expected an integer from 1 to 10000000");
		c->max_tokens_limit = (int)v;
	} else if (!strcmp(k, "timeout_max_seconds")) {
		if (!number_in(e, 1, 86400, false, &v))
			return fail(p, k, "expected a number from 1 to 86400");
		c->timeout_max_s = v;
	} else if (!strcmp(k, "cache_min_tokens")) {
		if (!number_in(e, 1, 1e7, true, &v))
			return fail(p, k, "expected an integer from 1 to 10000000");
		c->cache_min_tokens = (int)v;
	} else if (!strcmp(k, "include")) {
		return string_list(p, k, e, false, &c->include, &c->ninclude);
	} else if (!strcmp(k, "exclude")) {
		return string_list(p, k, e, false, &c->exclude, &c->nexclude);
	} else if (!strcmp(k, "items")) {
		return parse_items(p, e);
	} else if (!strcmp(k, "models")) {
		return parse_models(p, e);
	} else if (!strcmp(k, "attestations")) {
		return parse_attestations(p, e);
	} else if (!strcmp(k, "preview")) {
		if (!cJSON_IsBool(e))
			return fail(p, k, "expected true or false");
		c->preview = cJSON_IsTrue(e);
	} else {
		char key[64];
		snprintf(key, sizeof key, "%.60s", k);
		return fail(p, key, "unknown key (expected one of: $schema, include, exclude, items, "
			"max_tokens_limit, timeout_max_seconds, cache_min_tokens, models, attestations, preview)");
	}
	return true;
}

bool cl_config_parse(struct cl_config *c, const char *name, const char *text, size_t len,
	char **err)
{
	cJSON *doc = cl_jsonfile_parse(name, text, len, err);
	if (!doc)
		return false;
	struct parse p = {c, name, err};
	bool ok = true;
	if (!cJSON_IsObject(doc)) {
		*err = xasprintf("%s: the config must be a JSON object", name);
		ok = false;
	}
	const cJSON *e;
	cJSON *top = ok ? doc : NULL;
	cJSON_ArrayForEach(e, top)
		if (!(ok = parse_top(&p, e)))
			break;
	cJSON_Delete(doc);
	return ok;
}

bool cl_config_load(struct cl_config *c, const char *path, bool nofollow, char **err)
{
	size_t len;
	const char *why;
	char *text = cl_jsonfile_read(path, nofollow, &len, &why);
	if (!text) {
		*err = xasprintf("%s: cannot read config: %s", path, why);
		return false;
	}
	bool ok = cl_config_parse(c, path, text, len, err);
	free(text);
	return ok;
}

bool cl_config_model_allowed(const struct cl_config *c, const char *id, const char *canonical)
{
	if (!c->models_allow)
		return true;
	for (size_t i = 0; i < c->nmodels_allow; i++) {
		const char *pat = c->models_allow[i];
		if (cl_gitignore_wildmatch(pat, id) || (canonical && cl_gitignore_wildmatch(pat, canonical)))
			return true;
	}
	return false;
}

bool cl_config_item_on(const struct cl_config *c, const char *item_id)
{
	int idx = item_index(item_id);
	return idx < 0 || !c->item_off[idx];
}
