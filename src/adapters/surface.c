/*
 * surface.c — loads rules/surface.json, merges in the `surface` tables of
 * every adapter record of rules/adapters.json, and answers membership
 * questions. Owns only the merged document.
 */
#include "adapters/surface.h"

#include <cjson/cJSON.h>
#include <string.h>

#include "adapters/adapters.h"
#include "support/embed.h"
#include "support/xalloc.h"

static cJSON *doc;

/* Appends a copy of every element of each array in SURFACE to the array of
 * the same name in doc (created when absent). */
static void merge_surface(const cJSON *surface)
{
	const cJSON *table;
	cJSON_ArrayForEach(table, surface) {
		if (!cJSON_IsArray(table))
			continue;
		cJSON *into = cJSON_GetObjectItemCaseSensitive(doc, table->string);
		if (!into) {
			into = cJSON_CreateArray();
			cJSON_AddItemToObject(doc, table->string, into);
		}
		const cJSON *e;
		cJSON_ArrayForEach(e, table)
			cJSON_AddItemToArray(into, cJSON_Duplicate(e, true));
	}
}

bool cl_surface_load(char **err)
{
	if (doc)
		return true;
	const struct cl_embedded *e = cl_embed_find("rules/surface.json");
	if (!e || !(doc = cJSON_ParseWithLength(e->data, e->size))) {
		*err = xstrdup("rule data rules/surface.json: missing or invalid JSON");
		return false;
	}
	const struct cl_embedded *ep = cl_embed_find("rules/entrypoints.json");
	cJSON *entries = ep ? cJSON_ParseWithLength(ep->data, ep->size) : NULL;
	if (!entries) {
		cl_surface_unload();
		*err = xstrdup("rule data rules/entrypoints.json: missing or invalid JSON");
		return false;
	}
	merge_surface(entries);
	cJSON_Delete(entries);
	const struct cl_embedded *a = cl_embed_find("rules/adapters.json");
	cJSON *adapters = a ? cJSON_ParseWithLength(a->data, a->size) : NULL;
	if (!adapters) {
		cl_surface_unload();
		*err = xstrdup("rule data rules/adapters.json: missing or invalid JSON");
		return false;
	}
	const cJSON *rec;
	cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(adapters, "adapters"))
		merge_surface(cJSON_GetObjectItemCaseSensitive(rec, "surface"));
	cJSON_Delete(adapters);
	if (!cl_adapters_load(err)) {
		cl_surface_unload();
		return false;
	}
	return true;
}

void cl_surface_unload(void)
{
	cl_adapters_unload();
	cJSON_Delete(doc);
	doc = NULL;
}

bool cl_surface_module_matches(const char *module, const char *pattern)
{
	size_t n = strlen(pattern);
	if (strncmp(module, pattern, n) != 0)
		return false;
	return module[n] == 0 || module[n] == '.' || module[n] == '/';
}

const char *cl_surface_symbol(const char *list, bool python, const char *module, const char *name)
{
	const cJSON *entries = cJSON_GetObjectItemCaseSensitive(doc, list), *e;
	cJSON_ArrayForEach(e, entries) {
		const cJSON *lang = cJSON_GetObjectItemCaseSensitive(e, "lang");
		if (!cJSON_IsString(lang) || (strcmp(lang->valuestring, "python") == 0) != python)
			continue;
		const cJSON *mod = cJSON_GetObjectItemCaseSensitive(e, "module");
		if (!cJSON_IsString(mod) || !cl_surface_module_matches(module, mod->valuestring))
			continue;
		const cJSON *names = cJSON_GetObjectItemCaseSensitive(e, "names"), *nm;
		cJSON_ArrayForEach(nm, names) {
			if (cJSON_IsString(nm) && strcmp(nm->valuestring, name) == 0) {
				const cJSON *kind = cJSON_GetObjectItemCaseSensitive(e, "kind");
				if (!cJSON_IsString(kind))
					kind = cJSON_GetObjectItemCaseSensitive(e, "adapter");
				return cJSON_IsString(kind) ? kind->valuestring : "";
			}
		}
	}
	return NULL;
}

static bool list_any(const char *list, const char *s, int mode)
{
	const cJSON *entries = cJSON_GetObjectItemCaseSensitive(doc, list), *e;
	cJSON_ArrayForEach(e, entries) {
		if (!cJSON_IsString(e))
			continue;
		const char *v = e->valuestring;
		if (mode == 0 && strcmp(v, s) == 0)
			return true;
		if (mode == 1 && strncmp(s, v, strlen(v)) == 0)
			return true;
		if (mode == 2 && cl_surface_module_matches(s, v))
			return true;
	}
	return false;
}

bool cl_surface_has(const char *list, const char *s)
{
	return list_any(list, s, 0);
}

bool cl_surface_has_prefix(const char *list, const char *s)
{
	return list_any(list, s, 1);
}

bool cl_surface_has_module(const char *list, const char *module)
{
	return list_any(list, module, 2);
}

const struct cJSON *cl_surface_table(const char *list)
{
	return cJSON_GetObjectItemCaseSensitive(doc, list);
}

bool cl_entry_web_request(const char *kind)
{
	const cJSON *rec;
	cJSON_ArrayForEach(rec, cl_surface_table("entry_points")) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(rec, "kind");
		/* the record itself, not a display name: a renamed kind keeps its flag */
		if (cJSON_IsString(k) && k->valuestring == kind)
			return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rec, "web_request"));
	}
	return false;
}
