/*
 * registry.c — parses rules/CL01.json … rules/CL18.json and the meta item
 * rules/CL00.json (embedded) into the item and rule tables. The cJSON trees stay alive: every string in the
 * tables points into them.
 */
#include "registry.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "xalloc.h"

/* The 18 items, then CL00 at CL_META_ITEM. */
#define NSLOTS (CL_ITEM_COUNT + 1)

static struct {
	bool loaded;
	cJSON *docs[NSLOTS];
	struct cl_item items[NSLOTS];
	struct cl_rule *rules;
	const struct cl_rule **sorted;
	size_t nrules;
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

/* rules/CLnn.json of item slot I: CL01 … CL18, then CL00. */
static int file_number(int i)
{
	return i == CL_META_ITEM ? 0 : i + 1;
}

static bool fail(const char *file, const char *what)
{
	fprintf(stderr, "claudit: rule data %s: %s\n", file, what);
	return false;
}

bool cl_registry_load(void)
{
	if (reg.loaded)
		return true;
	size_t total = 0;
	for (int i = 0; i < NSLOTS; i++) {
		char name[32];
		snprintf(name, sizeof name, "rules/CL%02d.json", file_number(i));
		const struct cl_embedded *e = cl_embed_find(name);
		if (!e)
			return fail(name, "missing");
		reg.docs[i] = cJSON_ParseWithLength(e->data, e->size);
		if (!reg.docs[i])
			return fail(name, "invalid JSON");
		cJSON *rules = cJSON_GetObjectItemCaseSensitive(reg.docs[i], "rules");
		total += (size_t)cJSON_GetArraySize(rules);
	}
	reg.rules = xcalloc(total ? total : 1, sizeof *reg.rules);
	reg.sorted = xcalloc(total ? total : 1, sizeof *reg.sorted);
	size_t k = 0;
	for (int i = 0; i < NSLOTS; i++) {
		const cJSON *doc = reg.docs[i];
		struct cl_item *it = &reg.items[i];
		char name[32];
		snprintf(name, sizeof name, "rules/CL%02d.json", file_number(i));
		it->id = str(doc, "id");
		char want[8];
		snprintf(want, sizeof want, "CL%02d", file_number(i));
		if (strcmp(it->id, want) != 0)
			return fail(name, "id does not match the file name");
		it->section = str(doc, "section");
		it->title = str(doc, "title");
		it->docs = str(doc, "docs");
		it->applies = str(doc, "applies");
		it->implemented = flag(doc, "implemented");
		const char *scope = str(doc, "scope");
		if (*scope && strcmp(scope, "repository") != 0 && strcmp(scope, "file") != 0)
			return fail(name, "scope must be file or repository");
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
			return fail(name, "kind must be code, evidence or manual");
		const cJSON *rules = cJSON_GetObjectItemCaseSensitive(doc, "rules");
		size_t first = k;
		const cJSON *r;
		cJSON_ArrayForEach(r, rules) {
			struct cl_rule *rule = &reg.rules[k];
			rule->id = str(r, "id");
			size_t idlen = strlen(it->id);
			if (strncmp(rule->id, it->id, idlen) != 0 || rule->id[idlen] != '.')
				return fail(name, "a rule id does not start with its item id");
			rule->slug = rule->id + idlen + 1;
			rule->item = i;
			if (!parse_severity(str(r, "severity"), &rule->severity))
				return fail(name, "bad severity");
			rule->name = str(r, "name");
			rule->summary = str(r, "summary");
			rule->docs = str(r, "docs");
			rule->bad = str(r, "bad");
			rule->good = str(r, "good");
			rule->languages = join_languages(cJSON_GetObjectItemCaseSensitive(r, "languages"));
			rule->implemented = flag(r, "implemented");
			if (!*rule->name || !*rule->summary || !*rule->docs || !*rule->bad || !*rule->good)
				return fail(name, "every rule needs a name, summary, docs, and bad and good examples");
			reg.sorted[k] = rule;
			k++;
		}
		it->nrules = k - first;
		it->rules = it->nrules ? (const struct cl_rule **)&reg.sorted[first] : NULL;
	}
	reg.nrules = k;
	/* items point at their slice of `sorted` before it is sorted: copy them. */
	for (int i = 0; i < NSLOTS; i++) {
		struct cl_item *it = &reg.items[i];
		if (!it->nrules)
			continue;
		const struct cl_rule **own = xcalloc(it->nrules, sizeof *own);
		memcpy(own, it->rules, it->nrules * sizeof *own);
		it->rules = own;
	}
	qsort(reg.sorted, reg.nrules, sizeof *reg.sorted, by_id);
	for (size_t i = 1; i < reg.nrules; i++)
		if (!strcmp(reg.sorted[i - 1]->id, reg.sorted[i]->id))
			return fail(reg.sorted[i]->id, "duplicate rule id");
	reg.loaded = true;
	return true;
}

void cl_registry_unload(void)
{
	for (int i = 0; i < NSLOTS; i++) {
		if (reg.items[i].nrules)
			free((void *)reg.items[i].rules);
		cJSON_Delete(reg.docs[i]);
	}
	for (size_t i = 0; i < reg.nrules; i++)
		free((void *)reg.rules[i].languages);
	free(reg.rules);
	free(reg.sorted);
	memset(&reg, 0, sizeof reg);
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
