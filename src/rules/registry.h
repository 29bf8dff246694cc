/*
 * registry.h — the 18 checklist items and their rules, loaded once from the
 * rule data embedded from rules/CLnn.json. Every other module refers to items
 * and rules through these read-only records. Owns the parsed rule data; must
 * not know how any rule is checked (that is checks.h).
 */
#ifndef CL_REGISTRY_H
#define CL_REGISTRY_H
#include <stdbool.h>
#include <stddef.h>

/* Item and rule identities, generated at build time from rules/CLnn.json by
 * tools/gen_ids.c: CL_ITEM_COUNT, CL_ITEM(CL05) (an item's 0-based index),
 * CL_RULE(CL05_no_timeout) (a rule's generated id: cl_registry_rule_of) and
 * CL_META_ITEM, the index of CL00: the meta item whose rules check claudit's
 * own suppression comments (rules/CL00.json). Not a checklist item: loops
 * over the items stop before it, and reports keep its findings apart. */
#include "rule_ids.h"

enum cl_severity { CL_SEV_ERROR, CL_SEV_WARNING, CL_SEV_NOTE };

/* How an item's status is decided (rules/CLnn.json "kind"). */
enum cl_item_kind {
	CL_KIND_CODE,     /* fail on an error finding; pass when Claude is used */
	CL_KIND_EVIDENCE, /* pass when evidence is found, else its rule fails */
	CL_KIND_MANUAL,   /* cannot be decided from code */
	CL_KIND_META,     /* CL00: findings about suppressions, no status */
};

struct cl_rule {
	const char *id;        /* "CL15.model-alias", sorted in the table */
	const char *slug;      /* "model-alias" */
	int item;              /* index into the items, 0 for CL01 */
	enum cl_severity severity;
	const char *name;      /* short title */
	const char *summary;   /* one line: what it catches */
	const char *docs;      /* paragraphs */
	const char *bad;       /* example that fires */
	const char *good;      /* example that stays quiet */
	const char *languages; /* "python,javascript,typescript,text" */
	bool implemented;      /* false: the item reports manual, "not checked yet" */
	bool preview;          /* "preview": true: runs only with --preview (or
	                          "preview": true in the config); never decides a
	                          status without it */
};

struct cl_item {
	const char *id;       /* "CL01" */
	const char *section;  /* "Authentication and key management" */
	const char *title;
	const char *docs;
	enum cl_item_kind kind;
	bool implemented;     /* every rule of it is checked by this version */
	const char *applies;  /* precondition: "claude", "agent_loop", "web_server", "tool_side_effect", "always" */
	bool repo_level;      /* "scope": "repository": its evidence can live in any
	                         file, so a files-only run (pre-commit) leaves it out */
	const char *covers;   /* what its checks look at, for the coverage a verdict
	                         states: "calls", "clients", "routes", "agent_loops",
	                         "repository" or "" (status.c) */
	const struct cl_rule **rules;
	size_t nrules;
};

/* Loads the registry from the embedded rule data, and compiles every
 * pattern of the items' "data" (patterns.h). On malformed data — a bad
 * pattern, an unknown key, a data key "data_keys" does not declare — prints
 * one line and returns false (a build defect for the built-in data: every
 * test fails). */
bool cl_registry_load(void);
/* Returns the text of rule file NAME ("rules/CL04.json") and its length, or
 * NULL to use the embedded one. */
typedef const char *(*cl_registry_reader)(const char *name, size_t *len, void *ud);
/* The same, reading each file through READER first (a user overlay, a test's
 * own rule data); on malformed data sets *ERR (caller frees) to one line,
 * "rule data FILE: what is wrong", and leaves nothing loaded. */
bool cl_registry_load_from(cl_registry_reader reader, void *ud, char **err);
void cl_registry_unload(void);

const struct cl_item *cl_registry_item(int index);   /* 0..17, CL_META_ITEM for CL00 */
const struct cl_item *cl_registry_item_by_id(const char *id); /* "CL00" … "CL18" */
const struct cl_rule *cl_registry_rule(const char *id); /* bsearch; NULL if unknown */
const struct cl_rule *cl_registry_rule_of(enum cl_rule_id id); /* CL_RULE(CL05_no_timeout) */
size_t cl_registry_rule_count(void);
const struct cl_rule *cl_registry_rule_at(size_t i);  /* sorted by id */

const char *cl_severity_name(enum cl_severity s);     /* "error" ... */

/* Item INDEX's rule data ("data" in rules/CLnn.json: library names, patterns
 * and other lists a check reads), or NULL. Lives until cl_registry_unload. */
struct cJSON;
const struct cJSON *cl_registry_item_data(int index);
/* The strings of the array KEY in item INDEX's data (NULL-free, may be empty):
 * true when S equals one of them. */
bool cl_registry_data_has(int index, const char *key, const char *s);

#endif
