/*
 * catalog_doc.h — the model catalog's file format (rules/models.json, and
 * the files --catalog and models.catalog name): checks a parsed document
 * the way rules/catalog.schema.json describes it, and merges one document
 * over another by id. Works on cJSON trees only; catalog.c builds the
 * lookup tables from the result.
 */
#ifndef CL_CATALOG_DOC_H
#define CL_CATALOG_DOC_H
#include <cjson/cJSON.h>
#include <stdbool.h>

/*
 * True when DOC has the catalog's shape. False with *ERR (caller frees) in
 * the form "NAME: KEY.PATH: expected ..." naming the first offending key.
 */
bool cl_catalog_doc_check(const cJSON *doc, const char *name, char **err);

/*
 * Merges OVER into BASE: in "models", "bedrock" and "vertex" an entry with
 * the id of a BASE entry replaces that entry's fields one by one, a new id
 * is appended; in "sources", "tiers" and "defaults" keys replace keys. Other
 * top-level keys of OVER (its own read_on, schema) are ignored: the
 * built-in catalog's date stays the one --version shows.
 */
void cl_catalog_doc_merge(cJSON *base, const cJSON *over);

#endif
