/*
 * catalog_doc.c — checks a catalog document key by key (the same rules as
 * rules/catalog.schema.json; tests/run-catalog-check holds the two to the
 * same files) and merges documents by id.
 */
#include "adapters/catalog_doc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "support/date.h"
#include "support/jsonfile.h"
#include "support/xalloc.h"

enum field_type {
	F_STRING,       /* a non-empty string */
	F_STRING_NULL,  /* a non-empty string or null */
	F_DATE_NULL,    /* "YYYY-MM-DD" or null */
	F_DATE,         /* "YYYY-MM-DD" */
	F_TOKENS_NULL,  /* an integer from 1 to 10000000, or null */
	F_TOKENS,       /* an integer from 1 to 10000000 */
	F_KIND,         /* snapshot | alias | pinned */
	F_STATUS,       /* active | deprecated | retired */
	F_REJECTS,      /* an object of request facts, each naming a source */
	F_STRINGS,      /* an array of non-empty strings */
	F_SCHEMA,       /* the format's version: 1 or 2 */
	F_SOURCES,      /* an object of source objects */
	F_TIERS,        /* an object of tier names to model ids */
	F_DEFAULTS,     /* the defaults object */
	F_MODELS,       /* an array of model entries */
	F_PLATFORM,     /* an array of Bedrock or Vertex entries */
};

struct field {
	const char *name;
	enum field_type type;
	bool required;
};

static const struct field top_fields[] = {
	{"$schema", F_STRING, false}, {"schema", F_SCHEMA, false}, {"read_on", F_DATE, false},
	{"sources", F_SOURCES, false}, {"defaults", F_DEFAULTS, false}, {"tiers", F_TIERS, false},
	{"tiers_source", F_STRING, false}, {"models", F_MODELS, false}, {"bedrock", F_PLATFORM, false},
	{"vertex", F_PLATFORM, false}, {NULL, 0, false},
};

static const struct field model_fields[] = {
	{"id", F_STRING, true}, {"kind", F_KIND, false}, {"alias_of", F_STRING_NULL, false},
	{"family", F_STRING, false}, {"tier", F_STRING_NULL, false}, {"display", F_STRING_NULL, false},
	{"max_output_tokens", F_TOKENS_NULL, false}, {"min_cache_tokens", F_TOKENS_NULL, false},
	{"deprecated_on", F_DATE_NULL, false}, {"retires_on", F_DATE_NULL, false},
	{"not_before", F_DATE_NULL, false}, {"status", F_STATUS, false},
	{"replacement", F_STRING_NULL, false}, {"source", F_STRING, false},
	{"max_output_source", F_STRING, false}, {"min_cache_source", F_STRING, false},
	{"lifecycle", F_STRING, false}, {"rejects", F_REJECTS, false}, {"note", F_STRING, false},
	{NULL, 0, false},
};

static const struct field platform_fields[] = {
	{"id", F_STRING, true}, {"model", F_STRING, true}, {"source", F_STRING, false},
	{"status", F_STATUS, false}, {"deprecated_on", F_DATE_NULL, false},
	{"retires_on", F_DATE_NULL, false}, {"replacement", F_STRING_NULL, false},
	{"max_output_tokens", F_TOKENS_NULL, false}, {"min_cache_tokens", F_TOKENS_NULL, false},
	{"lifecycle_source", F_STRING, false}, {"min_cache_source", F_STRING, false},
	{"note", F_STRING, false}, {NULL, 0, false},
};

static const struct field source_fields[] = {
	{"url", F_STRING, true}, {"copy", F_STRING, false}, {"read_on", F_DATE, false}, {NULL, 0, false},
};

static const struct field default_fields[] = {
	{"min_cache_tokens", F_TOKENS, false}, {"bedrock_prefixes", F_STRINGS, false},
	{"bedrock_arn_marker", F_STRING, false}, {NULL, 0, false},
};

static const char *const request_facts[] = {
	"temperature_with_top_p", "sampling_parameters", "thinking_budget_tokens", "assistant_prefill", NULL,
};

struct check {
	const char *name;
	char **err;
};

static bool fail(struct check *c, const char *key, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(struct check *c, const char *key, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	cl_jsonfile_vfail(c->err, c->name, key, fmt, ap);
	va_end(ap);
	return false;
}

static bool nonempty(const cJSON *v)
{
	return cJSON_IsString(v) && v->valuestring[0];
}

static bool tokens(const cJSON *v)
{
	return cJSON_IsNumber(v) && isfinite(v->valuedouble) && v->valuedouble >= 1 &&
		v->valuedouble <= 1e7 && v->valuedouble == floor(v->valuedouble);
}

static bool one_of(const cJSON *v, const char *const *names)
{
	if (!cJSON_IsString(v))
		return false;
	for (; *names; names++)
		if (!strcmp(v->valuestring, *names))
			return true;
	return false;
}

/* "a, b, c": the names of FIELDS, for an unknown-key message. */
static void field_names(const struct field *fields, char *buf, size_t size)
{
	size_t used = 0;
	buf[0] = 0;
	for (; fields->name; fields++) {
		int n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "", fields->name);
		if (n < 0 || (size_t)n >= size - used)
			break;
		used += (size_t)n;
	}
}

static bool check_object(struct check *c, const char *key, const cJSON *v, const struct field *fields);

/* BUF = KEY + "." + NAME (or "[I]" when NAME is NULL), cut to fit. */
static const char *subkey(char *buf, size_t size, const char *key, const char *name, size_t i)
{
	int n = name ? snprintf(buf, size, "%s%s%.60s", key, *key ? "." : "", name) :
		snprintf(buf, size, "%s[%zu]", key, i);
	if (n < 0)
		buf[0] = 0;
	return buf;
}

/* An object whose every member is an object of FIELDS (sources). */
static bool check_object_of(struct check *c, const char *key, const cJSON *v, const struct field *fields)
{
	if (!cJSON_IsObject(v))
		return fail(c, key, "expected an object");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char sub[256];
		if (!check_object(c, subkey(sub, sizeof sub, key, e->string, 0), e, fields))
			return false;
	}
	return true;
}

static bool check_array_of(struct check *c, const char *key, const cJSON *v, const struct field *fields)
{
	if (!cJSON_IsArray(v))
		return fail(c, key, "expected an array of objects");
	size_t i = 0;
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char sub[256];
		if (!check_object(c, subkey(sub, sizeof sub, key, NULL, i++), e, fields))
			return false;
	}
	return true;
}

static bool check_value(struct check *c, const char *key, const cJSON *v, enum field_type type)
{
	static const char *const kinds[] = {"snapshot", "alias", "pinned", NULL};
	static const char *const statuses[] = {"active", "deprecated", "retired", NULL};
	const cJSON *e;
	switch (type) {
	case F_STRING:
		return nonempty(v) || fail(c, key, "expected a non-empty string");
	case F_STRING_NULL:
		return nonempty(v) || cJSON_IsNull(v) || fail(c, key, "expected a non-empty string or null");
	case F_DATE:
		return (cJSON_IsString(v) && cl_date_valid(v->valuestring)) ||
			fail(c, key, "expected a date as a string YYYY-MM-DD");
	case F_DATE_NULL:
		return (cJSON_IsString(v) && cl_date_valid(v->valuestring)) || cJSON_IsNull(v) ||
			fail(c, key, "expected a date as a string YYYY-MM-DD, or null");
	case F_TOKENS:
		return tokens(v) || fail(c, key, "expected an integer from 1 to 10000000");
	case F_TOKENS_NULL:
		return tokens(v) || cJSON_IsNull(v) || fail(c, key, "expected an integer from 1 to 10000000, or null");
	case F_KIND:
		return one_of(v, kinds) || fail(c, key, "expected one of: snapshot, alias, pinned");
	case F_STATUS:
		return one_of(v, statuses) || fail(c, key, "expected one of: active, deprecated, retired");
	case F_SCHEMA:
		return (cJSON_IsNumber(v) && (v->valuedouble == 1 || v->valuedouble == 2)) ||
			fail(c, key, "expected 1 or 2");
	case F_REJECTS:
		if (!cJSON_IsObject(v))
			return fail(c, key, "expected an object of request facts");
		cJSON_ArrayForEach(e, v) {
			char sub[256];
			subkey(sub, sizeof sub, key, e->string, 0);
			size_t f = 0;
			while (request_facts[f] && strcmp(request_facts[f], e->string) != 0)
				f++;
			if (!request_facts[f])
				return fail(c, sub, "unknown request fact (expected one of: temperature_with_top_p, "
					"sampling_parameters, thinking_budget_tokens, assistant_prefill)");
			if (!nonempty(e))
				return fail(c, sub, "expected a non-empty string naming the fact's source");
		}
		return true;
	case F_STRINGS:
		if (!cJSON_IsArray(v))
			return fail(c, key, "expected an array of non-empty strings");
		cJSON_ArrayForEach(e, v)
			if (!nonempty(e))
				return fail(c, key, "expected an array of non-empty strings");
		return true;
	case F_TIERS:
		if (!cJSON_IsObject(v))
			return fail(c, key, "expected an object of tier names to model ids");
		cJSON_ArrayForEach(e, v) {
			char sub[256];
			subkey(sub, sizeof sub, key, e->string, 0);
			if (!nonempty(e))
				return fail(c, sub, "expected a non-empty string (a model id)");
		}
		return true;
	case F_SOURCES:
		return check_object_of(c, key, v, source_fields);
	case F_DEFAULTS:
		return check_object(c, key, v, default_fields);
	case F_MODELS:
		return check_array_of(c, key, v, model_fields);
	case F_PLATFORM:
		return check_array_of(c, key, v, platform_fields);
	}
	return false;
}

static bool check_object(struct check *c, const char *key, const cJSON *v, const struct field *fields)
{
	if (!cJSON_IsObject(v))
		return fail(c, key, "expected an object");
	const cJSON *e;
	cJSON_ArrayForEach(e, v) {
		char sub[256];
		subkey(sub, sizeof sub, key, e->string, 0);
		const struct field *f = fields;
		while (f->name && strcmp(f->name, e->string) != 0)
			f++;
		if (!f->name) {
			char names[600];
			field_names(fields, names, sizeof names);
			return fail(c, sub, "unknown key (expected one of: %s)", names);
		}
		if (!check_value(c, sub, e, f->type))
			return false;
	}
	for (const struct field *f = fields; f->name; f++)
		if (f->required && !cJSON_GetObjectItemCaseSensitive(v, f->name)) {
			char sub[256];
			return fail(c, subkey(sub, sizeof sub, key, f->name, 0), "missing (required)");
		}
	return true;
}

bool cl_catalog_doc_check(const cJSON *doc, const char *name, char **err)
{
	struct check c = {name, err};
	if (!cJSON_IsObject(doc)) {
		*err = xasprintf("%s: a model catalog must be a JSON object", name);
		return false;
	}
	return check_object(&c, "", doc, top_fields);
}

static cJSON *entry_by_id(cJSON *array, const char *id)
{
	cJSON *e;
	cJSON_ArrayForEach(e, array) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(e, "id");
		if (cJSON_IsString(v) && !strcmp(v->valuestring, id))
			return e;
	}
	return NULL;
}

/* Copies every member of OVER into BASE, replacing members of the same name. */
static void merge_members(cJSON *base, const cJSON *over)
{
	const cJSON *m;
	cJSON_ArrayForEach(m, over) {
		cJSON *copy = cJSON_Duplicate(m, true);
		if (cJSON_GetObjectItemCaseSensitive(base, m->string))
			cJSON_ReplaceItemInObjectCaseSensitive(base, m->string, copy);
		else
			cJSON_AddItemToObject(base, m->string, copy);
	}
}

/* BASE's member NAME, created as an empty array or object when absent. */
static cJSON *member(cJSON *base, const char *name, bool array)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(base, name);
	if (!v)
		v = array ? cJSON_AddArrayToObject(base, name) : cJSON_AddObjectToObject(base, name);
	return v;
}

void cl_catalog_doc_merge(cJSON *base, const cJSON *over)
{
	static const char *const arrays[] = {"models", "bedrock", "vertex"};
	static const char *const objects[] = {"sources", "tiers", "defaults"};
	for (size_t a = 0; a < sizeof arrays / sizeof *arrays; a++) {
		const cJSON *list = cJSON_GetObjectItemCaseSensitive(over, arrays[a]), *e;
		if (!list)
			continue;
		cJSON *into = member(base, arrays[a], true);
		cJSON_ArrayForEach(e, list) {
			cJSON *old = entry_by_id(into, cJSON_GetObjectItemCaseSensitive(e, "id")->valuestring);
			if (old)
				merge_members(old, e);
			else
				cJSON_AddItemToArray(into, cJSON_Duplicate(e, true));
		}
	}
	for (size_t o = 0; o < sizeof objects / sizeof *objects; o++) {
		const cJSON *obj = cJSON_GetObjectItemCaseSensitive(over, objects[o]);
		if (obj)
			merge_members(member(base, objects[o], false), obj);
	}
}
