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

/* Request facts per model for CL15.parameter-rejected (rules/models.json
 * "rejects"): requests the model refuses with a 400. */
enum cl_request_fact {
	CL_REJECTS_TEMPERATURE_WITH_TOP_P, /* temperature and top_p together */
	CL_REJECTS_SAMPLING_PARAMETERS,    /* temperature / top_p / top_k at a non-default value */
	CL_REJECTS_THINKING_BUDGET_TOKENS, /* thinking {type: "enabled", budget_tokens} */
	CL_REJECTS_ASSISTANT_PREFILL,      /* a final assistant turn the model continues */
	CL_REQUEST_FACT_COUNT
};

/*
 * One catalog record. First-party ids have one each; a Bedrock or Vertex id
 * whose catalog entry sets its platform's own lifecycle or limits has a
 * record of its own (PLATFORM set), the other platform ids share their
 * first-party record. Strings live as long as the catalog.
 */
struct cl_model {
	const char *id;           /* the id this record was found under */
	enum cl_model_kind kind;
	const char *alias_of;     /* ALIAS: the snapshot it points at (may be NULL) */
	enum cl_model_status status; /* as of the run's date */
	const char *retires_on;   /* YYYY-MM-DD or NULL */
	const char *replacement;  /* the deprecations page's recommendation, or NULL */
	const char *tier;         /* "opus", "sonnet", "haiku", "fable", "mythos" or NULL */
	int max_output_tokens;    /* 0: unknown */
	int min_cache_tokens;     /* 0: unknown */
	const char *platform;     /* NULL, or "bedrock" / "vertex" for a platform's own record */
	const char *first_party;  /* the first-party id (the id itself for first-party records) */
	const char *rejects[CL_REQUEST_FACT_COUNT]; /* each fact's source URL; NULL: not known */
};

/* Loads the built-in catalog; TODAY ("YYYY-MM-DD") decides deprecated vs
 * retired and whether the catalog is stale. False with *ERR (caller frees). */
bool cl_catalog_load(const char *today, char **err);
/*
 * Merges the catalog file at PATH (the catalog's own format, see
 * rules/catalog.schema.json) over the loaded one: entries of models,
 * bedrock and vertex by id (an entry's fields replace the same fields),
 * sources and tiers by key. False with *ERR (caller frees) as
 * "PATH: KEY.PATH: expected ..." when the file is unreadable or invalid;
 * the catalog is then unchanged.
 */
bool cl_catalog_overlay(const char *path, char **err);
void cl_catalog_unload(void);

/*
 * Looks a model string up as written in code or config: first-party ids,
 * Bedrock ids (regional prefixes, ARNs, `bedrock/`), Vertex ids (`@date`),
 * `anthropic/` and `anthropic:` prefixes. *PLATFORM is set to "bedrock",
 * "vertex" or "first-party". Returns NULL when the id is not in the catalog.
 */
const struct cl_model *cl_catalog_find(const char *id, const char **platform);
/* How a report names PLATFORM ("bedrock" → "Bedrock", "vertex" → "Google
 * Cloud", NULL or "first-party" → "Anthropic's API"). */
const char *cl_catalog_platform_name(const char *platform);

/* True when ID names a Claude model in shape (claude-<digit|family>…), so
 * that an id missing from the catalog is worth an unknown-model warning. */
bool cl_catalog_model_shaped(const char *id);

/*
 * The model to move to from M: the deprecations page's recommendation,
 * followed while it has itself retired, kept only when it is in M's tier
 * (or M has none); else the current model of M's tier ("tiers" in the
 * catalog). NULL when there is none.
 */
const struct cl_model *cl_catalog_replacement(const struct cl_model *m);

/* The source of the fact that M rejects F, or NULL when it is not known to. */
const char *cl_catalog_rejects(const struct cl_model *m, enum cl_request_fact f);

/* The built-in catalog's date ("read_on"), whatever overlays say. */
const char *cl_catalog_read_on(void);
/* True when the built-in catalog is more than 90 days older than today. */
bool cl_catalog_stale(void);

#endif
