/*
 * registry.c — parses rules/CL01.json … rules/CL18.json and the meta item
 * rules/CL00.json (embedded) into the item and rule tables. The cJSON trees stay alive: every string in the
 * tables points into them.
 */
#include "rules/registry.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/embed.h"
#include "rules/patterns.h"
#include "support/xalloc.h"

/* The 18 items, then CL00 at CL_META_ITEM. */
#define NSLOTS (CL_ITEM_COUNT + 1)

static struct {
	bool loaded;
	cJSON *docs[NSLOTS];
	struct cl_item items[NSLOTS];
	struct cl_rule *rules;
	size_t nalloc;              /* rules allocated (filled or not) */
	const struct cl_rule **sorted;
	size_t nrules;
	const struct cl_rule *by_id[CL_RULE_COUNT]; /* CL_RULE(...) -> its record */
} reg;

const struct cl_embedded *cl_embed_find(const char *name)
{
	size_t lo = 0, hi = cl_embedded_count;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(name, cl_embedded_files[mid].name);
		if (c == 0)
			return &cl_embedded_files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

static const char *str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static bool flag(const cJSON *obj, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj, key));
}

static bool parse_severity(const char *s, enum cl_severity *out)
{
	if (!strcmp(s, "error"))
		*out = CL_SEV_ERROR;
	else if (!strcmp(s, "warning"))
		*out = CL_SEV_WARNING;
	else if (!strcmp(s, "note"))
		*out = CL_SEV_NOTE;
	else
		return false;
	return true;
}

static char *join_languages(const cJSON *arr)
{
	size_t n = 1;
	const cJSON *v;
	cJSON_ArrayForEach(v, arr)
		if (cJSON_IsString(v))
			n += strlen(v->valuestring) + 1;
	char *s = xcalloc(n, 1);
	cJSON_ArrayForEach(v, arr) {
		if (!cJSON_IsString(v))
			continue;
		if (*s)
			strcat(s, ",");
		strcat(s, v->valuestring);
	}
	return s;
}

static int by_id(const void *a, const void *b)
{
	return strcmp((*(const struct cl_rule *const *)a)->id, (*(const struct cl_rule *const *)b)->id);
}

/* Sets *ERR to "rule data FILE: WHAT" and returns false. */
static bool fail(char **err, const char *file, const char *what)
{
	*err = xasprintf("rule data %s: %s", file, what);
	return false;
}

/* The keys an item file and a rule may have: anything else is a typo that
 * would otherwise be ignored ("_comment" and "about" hold prose). */
static const char *const item_keys[] = {
	"_comment", "about", "applies", "covers", "data", "data_keys", "docs", "id", "implemented", "kind",
	"rules", "scope", "section", "title",
};
static const char *const rule_keys[] = {
	"_comment", "bad", "docs", "good", "id", "implemented", "languages", "name", "preview", "severity",
	"summary",
};
/* What an item's checks look at, for the coverage its verdict states. */
static const char *const covers[] = {"agent_loops", "calls", "files", "repository", "routes"};
/* What an item's data key may hold ("data_keys": {"retry_words": "patterns"}). */
static const char *const data_kinds[] = {"names", "number", "patterns", "records", "text"};

static bool known(const char *const *keys, size_t n, const char *k)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(keys[i], k))
			return true;
	return false;
}

static bool only_keys(const cJSON *obj, const char *const *keys, size_t n, const char *file,
	const char *what, char **err)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, obj)
		if (!known(keys, n, e->string)) {
			*err = xasprintf("rule data %s: %s: unknown key %s", file, what, e->string);
			return false;
		}
	return true;
}

static bool all_strings(const cJSON *arr)
{
	const cJSON *e;
	if (!cJSON_IsArray(arr))
		return false;
	cJSON_ArrayForEach(e, arr)
		if (!cJSON_IsString(e))
			return false;
	return true;
}

/* Data keys that moved elsewhere, with where: one left behind would be
 * read by nothing. */
static const char *const retired_keys[][2] = {
	{"web_entries", "an entry point's record in rules/entrypoints.json says \"web_request\": true"},
};

/* Checks item I's "data" against its "data_keys" and compiles every key of
 * kind "patterns" (a string or an array of strings: one alternation). */
static bool load_data(int i, const cJSON *doc, const char *file, char **err)
{
	const cJSON *data = cJSON_GetObjectItemCaseSensitive(doc, "data");
	const cJSON *kinds = cJSON_GetObjectItemCaseSensitive(doc, "data_keys"), *e;
	if (!data && !kinds)
		return true;
	if (!cJSON_IsObject(data) || !cJSON_IsObject(kinds))
		return fail(err, file, "data and data_keys are objects and come together");
	for (size_t r = 0; r < sizeof retired_keys / sizeof *retired_keys; r++)
		if (cJSON_HasObjectItem(data, retired_keys[r][0]) || cJSON_HasObjectItem(kinds, retired_keys[r][0])) {
			*err = xasprintf("rule data %s: data.%s: retired key (%s)", file, retired_keys[r][0],
				retired_keys[r][1]);
			return false;
		}
	cJSON_ArrayForEach(e, data)
		if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(kinds, e->string))) {
			*err = xasprintf("rule data %s: data.%s: unknown data key (data_keys does not declare it)",
				file, e->string);
			return false;
		}
	cJSON_ArrayForEach(e, kinds) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(data, e->string);
		const char *kind = cJSON_IsString(e) ? e->valuestring : "";
		bool ok = v != NULL;
		if (!known(data_kinds, sizeof data_kinds / sizeof *data_kinds, kind))
			ok = false;
		else if (!strcmp(kind, "text"))
			ok = ok && cJSON_IsString(v);
		else if (!strcmp(kind, "names"))
			ok = ok && all_strings(v);
		else if (!strcmp(kind, "number"))
			ok = ok && cJSON_IsNumber(v);
		else if (!strcmp(kind, "records"))
			ok = ok && cJSON_IsArray(v);
		else
			ok = ok && (cJSON_IsString(v) || all_strings(v));
		if (!ok) {
			*err = xasprintf("rule data %s: data_keys.%s: needs data.%s of kind %s (one of names, "
				"number, patterns, records, text)", file, e->string, e->string, kind);
			return false;
		}
		if (strcmp(kind, "patterns") != 0)
			continue;
		size_t n = cJSON_IsString(v) ? 1 : (size_t)cJSON_GetArraySize(v), k = 0;
		const char **alts = xcalloc(n + 1, sizeof *alts);
		if (cJSON_IsString(v))
			alts[k++] = v->valuestring;
		const cJSON *a;
		cJSON_ArrayForEach(a, (cJSON_IsArray(v) ? v : NULL))
			alts[k++] = a->valuestring;
		char *where = xasprintf("rule data %s: data.%s", file, e->string);
		const struct cl_pattern *p = cl_patterns_compile(where, alts, k, 0, err);
		free(where);
		free(alts);
		if (!p && k)
			return false;
		cl_patterns_name(i, e->string, p);
	}
	return true;
}

/* The text of rule file NAME: the embedded one, unless the test reader
 * has its own. */
static const char *file_text(const char *name, size_t *len, cl_registry_reader reader, void *ud)
{
	if (reader) {
		const char *t = reader(name, len, ud);
		if (t)
			return t;
	}
	const struct cl_embedded *e = cl_embed_find(name);
	if (!e)
		return NULL;
	*len = e->size;
	return e->data;
}

static bool load(cl_registry_reader reader, void *ud, char **err)
{
	size_t total = 0;
	for (int i = 0; i < NSLOTS; i++) {
		char name[32];
		snprintf(name, sizeof name, "rules/%s.json", cl_item_ids[i]);
		size_t len = 0;
		const char *text = file_text(name, &len, reader, ud);
		if (!text)
			return fail(err, name, "missing");
		reg.docs[i] = cJSON_ParseWithLength(text, len);
		if (!reg.docs[i])
			return fail(err, name, "invalid JSON");
		cJSON *rules = cJSON_GetObjectItemCaseSensitive(reg.docs[i], "rules");
		total += (size_t)cJSON_GetArraySize(rules);
	}
	reg.rules = xcalloc(total ? total : 1, sizeof *reg.rules);
	reg.nalloc = total;
	reg.sorted = xcalloc(total ? total : 1, sizeof *reg.sorted);
	size_t k = 0, first[NSLOTS];
	for (int i = 0; i < NSLOTS; i++) {
		const cJSON *doc = reg.docs[i];
		struct cl_item *it = &reg.items[i];
		char name[32];
		snprintf(name, sizeof name, "rules/%s.json", cl_item_ids[i]);
		if (!only_keys(doc, item_keys, sizeof item_keys / sizeof *item_keys, name, "the item", err))
			return false;
		it->id = str(doc, "id");
		if (strcmp(it->id, cl_item_ids[i]) != 0)
			return fail(err, name, "id does not match the file name");
		it->section = str(doc, "section");
		it->title = str(doc, "title");
		it->docs = str(doc, "docs");
		it->applies = str(doc, "applies");
		it->covers = str(doc, "covers");
		if (*it->covers && !known(covers, sizeof covers / sizeof *covers, it->covers))
			return fail(err, name, "covers must be calls, routes, agent_loops, files or repository");
		it->implemented = flag(doc, "implemented");
		const char *scope = str(doc, "scope");
		if (*scope && strcmp(scope, "repository") != 0 && strcmp(scope, "file") != 0)
			return fail(err, name, "scope must be file or repository");
		it->repo_level = !strcmp(scope, "repository");
		const char *kind = str(doc, "kind");
		if (!strcmp(kind, "code"))
			it->kind = CL_KIND_CODE;
		else if (!strcmp(kind, "evidence"))
			it->kind = CL_KIND_EVIDENCE;
		else if (!strcmp(kind, "manual"))
			it->kind = CL_KIND_MANUAL;
		else if (!strcmp(kind, "meta") && i == CL_META_ITEM)
			it->kind = CL_KIND_META;
		else
			return fail(err, name, "kind must be code, evidence or manual");
		if (!load_data(i, doc, name, err))
			return false;
		const cJSON *rules = cJSON_GetObjectItemCaseSensitive(doc, "rules");
		first[i] = k;
		const cJSON *r;
		cJSON_ArrayForEach(r, rules) {
			struct cl_rule *rule = &reg.rules[k];
			rule->id = str(r, "id");
			if (!only_keys(r, rule_keys, sizeof rule_keys / sizeof *rule_keys, name, rule->id, err))
				return false;
			size_t idlen = strlen(it->id);
			if (strncmp(rule->id, it->id, idlen) != 0 || rule->id[idlen] != '.')
				return fail(err, name, "a rule id does not start with its item id");
			rule->slug = rule->id + idlen + 1;
			rule->item = i;
			if (!parse_severity(str(r, "severity"), &rule->severity))
				return fail(err, name, "bad severity");
			rule->name = str(r, "name");
			rule->summary = str(r, "summary");
			rule->docs = str(r, "docs");
			rule->bad = str(r, "bad");
			rule->good = str(r, "good");
			rule->languages = join_languages(cJSON_GetObjectItemCaseSensitive(r, "languages"));
			rule->implemented = flag(r, "implemented");
			rule->preview = flag(r, "preview");
			if (!*rule->name || !*rule->summary || !*rule->docs || !*rule->bad || !*rule->good)
				return fail(err, name, "every rule needs a name, summary, docs, and bad and good examples");
			reg.sorted[k] = rule;
			k++;
		}
		it->nrules = k - first[i];
	}
	reg.nrules = k;
	/* each item gets its own copy of its slice of `sorted` before it is sorted */
	for (int i = 0; i < NSLOTS; i++) {
		struct cl_item *it = &reg.items[i];
		if (!it->nrules)
			continue;
		const struct cl_rule **own = xcalloc(it->nrules, sizeof *own);
		memcpy(own, &reg.sorted[first[i]], it->nrules * sizeof *own);
		it->rules = own;
	}
	qsort(reg.sorted, reg.nrules, sizeof *reg.sorted, by_id);
	for (size_t i = 1; i < reg.nrules; i++)
		if (!strcmp(reg.sorted[i - 1]->id, reg.sorted[i]->id))
			return fail(err, reg.sorted[i]->id, "duplicate rule id");
	/* the generated ids (rule_ids.h) come from the same files; a reader may
	 * add rules, never take one away */
	for (size_t i = 0; i < CL_RULE_COUNT; i++) {
		reg.by_id[i] = cl_registry_rule(cl_rule_ids[i]);
		if (!reg.by_id[i])
			return fail(err, cl_rule_ids[i], "a rule the build knows is missing from the rule data");
	}
	return true;
}

bool cl_registry_load_from(cl_registry_reader reader, void *ud, char **err)
{
	if (reg.loaded)
		return true;
	if (!load(reader, ud, err)) {
		cl_registry_unload();
		return false;
	}
	reg.loaded = true;
	return true;
}

bool cl_registry_load(void)
{
	char *err = NULL;
	if (cl_registry_load_from(NULL, NULL, &err))
		return true;
	fprintf(stderr, "claudit: %s\n", err);
	free(err);
	return false;
}

void cl_registry_unload(void)
{
	for (int i = 0; i < NSLOTS; i++) {
		free((void *)reg.items[i].rules);
		cJSON_Delete(reg.docs[i]);
	}
	for (size_t i = 0; reg.rules && i < reg.nalloc; i++)
		free((void *)reg.rules[i].languages);
	free(reg.rules);
	free(reg.sorted);
	memset(&reg, 0, sizeof reg);
	cl_patterns_unload();
}

const struct cl_item *cl_registry_item(int index)
{
	return index >= 0 && index < NSLOTS ? &reg.items[index] : NULL;
}

const struct cl_item *cl_registry_item_by_id(const char *id)
{
	for (int i = 0; i < NSLOTS; i++)
		if (reg.items[i].id && !strcmp(reg.items[i].id, id))
			return &reg.items[i];
	return NULL;
}

const struct cl_rule *cl_registry_rule(const char *id)
{
	size_t lo = 0, hi = reg.nrules;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(id, reg.sorted[mid]->id);
		if (c == 0)
			return reg.sorted[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const struct cl_rule *cl_registry_rule_of(enum cl_rule_id id)
{
	return (size_t)id < CL_RULE_COUNT ? reg.by_id[id] : NULL;
}

size_t cl_registry_rule_count(void)
{
	return reg.nrules;
}

const struct cl_rule *cl_registry_rule_at(size_t i)
{
	return i < reg.nrules ? reg.sorted[i] : NULL;
}

const char *cl_severity_name(enum cl_severity s)
{
	switch (s) {
	case CL_SEV_ERROR: return "error";
	case CL_SEV_WARNING: return "warning";
	case CL_SEV_NOTE: return "note";
	}
	return "error";
}

const struct cJSON *cl_registry_item_data(int index)
{
	if (index < 0 || index >= CL_ITEM_COUNT || !reg.docs[index])
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(reg.docs[index], "data");
}

bool cl_registry_data_has(int index, const char *key, const char *s)
{
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(cl_registry_item_data(index), key), *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e) && !strcmp(e->valuestring, s))
			return true;
	return false;
}
