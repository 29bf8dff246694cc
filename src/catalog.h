/*
 * catalog.h — the model catalog (rules/models.json): which Claude model ids
 * exist, which are aliases, pinned, deprecated or retired, their output and
 * cache limits, across first-party, Bedrock and Vertex spellings. Read-only
 * after cl_catalog_load; safe from any thread.
 */
#ifndef CL_CATALOG_H
#define CL_CATALOG_H
#include <stdbool.h>

enum cl_model_kind { CL_MODEL_SNAPSHOT, CL_MODEL_ALIAS, CL_MODEL_PINNED };
enum cl_model_status { CL_MODEL_ACTIVE, CL_MODEL_DEPRECATED, CL_MODEL_RETIRED };

struct cl_model {
	const char *id;           /* first-party id */
	enum cl_model_kind kind;
	const char *alias_of;     /* ALIAS: the snapshot it points at (may be NULL) */
	enum cl_model_status status; /* as of the run's date */
	const char *retires_on;   /* YYYY-MM-DD or NULL */
	const char *replacement;  /* suggested id or NULL */
	int max_output_tokens;    /* 0: unknown */
	int min_cache_tokens;     /* 0: unknown */
};

/* Loads the catalog; TODAY ("YYYY-MM-DD") decides deprecated vs retired. */
bool cl_catalog_load(const char *today, char **err);
void cl_catalog_unload(void);

/*
 * Looks a model string up as written in code or config: first-party ids,
 * Bedrock ids (regional prefixes, ARNs, `bedrock/`), Vertex ids (`@date`),
 * `anthropic/` and `anthropic:` prefixes. *PLATFORM is set to "bedrock",
 * "vertex" or "first-party". Returns NULL when the id is not in the catalog.
 */
const struct cl_model *cl_catalog_find(const char *id, const char **platform);

/* True when ID names a Claude model in shape (claude-<digit|family>…), so
 * that an id missing from the catalog is worth an unknown-model warning. */
bool cl_catalog_model_shaped(const char *id);

const char *cl_catalog_read_on(void);

#endif

/* Defaults of a client library or wrapper (rules/wrapper-defaults.json). */
struct cl_wrapper_defaults {
	const char *name;        /* "langchain-python ChatAnthropic" */
	const char *max_tokens_mode; /* "required", "fixed", "model_max_output", "per_model_table" */
	int max_tokens;          /* "fixed": the value */
	int max_tokens_fallback;
	const char *timeout_effective; /* "sdk_default", "wrapper_default", "none" */
	double timeout_s;        /* 0: none */
	int max_retries;
	const char *source;
};
/* NAME as in the file's "name" field; NULL when absent. */
const struct cl_wrapper_defaults *cl_catalog_wrapper(const char *name);
/* The per-model default max_tokens of a "per_model_table" wrapper. */
int cl_catalog_wrapper_max_tokens(const char *name, const char *model);
