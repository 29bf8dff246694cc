/*
 * surface.h — the API surface claudit recognises (rules/surface.json):
 * which imported names construct Claude clients, which functions and methods
 * are Claude calls, which modules are HTTP or retry libraries. Read-only
 * after cl_surface_load; safe to query from any thread.
 */
#ifndef CL_SURFACE_H
#define CL_SURFACE_H
#include <stdbool.h>

bool cl_surface_load(char **err); /* caller frees *err */
void cl_surface_unload(void);

/* True when MODULE is PATTERN or a submodule of it (Python '.', JS '/'). */
bool cl_surface_module_matches(const char *module, const char *pattern);

/*
 * Looks (MODULE, NAME) up in the table LIST ("constructors", "ai_sdk_functions",
 * "http_functions", ...). Returns the entry's "kind" (its "adapter" id in the
 * adapter tables, or "" for tables without either), or NULL when absent. PYTHON selects the entries of that language.
 */
const char *cl_surface_symbol(const char *list, bool python, const char *module, const char *name);

/* True when S is in the string list LIST ("sdk_methods", "retry_modules", ...).
 * With PREFIX, true when S starts with one of the list's strings. */
bool cl_surface_has(const char *list, const char *s);
bool cl_surface_has_prefix(const char *list, const char *s);
/* True when MODULE matches a module in the string list LIST. */
bool cl_surface_has_module(const char *list, const char *module);

/* The table LIST of the merged surface document (also rules/entrypoints.json's
 * tables), a cJSON array, or NULL. */
struct cJSON;
const struct cJSON *cl_surface_table(const char *list);

/* Does the entry point of kind KIND (cl_region.entry: the "kind" string of
 * its rules/entrypoints.json record, that very string) serve a request with
 * an abort signal of its own (the record's "web_request": true)? */
bool cl_entry_web_request(const char *kind);

#endif
