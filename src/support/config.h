/*
 * config.h — run settings from .claudit.json (or --config) over built-in
 * defaults: rule thresholds, include / exclude globs, items turned off, the
 * allowed-model policy and attestations. The format is documented by
 * claudit.schema.json at the top of the repository (tests/run-config-schema
 * checks that the schema and this parser accept and reject the same files).
 * Owns the parsed values; decides no status and matches no path (discover.h
 * applies the globs, status.h the attestations).
 */
#ifndef CL_CONFIG_H
#define CL_CONFIG_H
#include <stdbool.h>
#include <stddef.h>

#include "rules/registry.h"

/* attestations.CLnn: a person vouches that a manual or evidence item is in
 * place. Dates are YYYY-MM-DD; the attestation holds through EXPIRES. */
struct cl_attestation {
	char *by;
	char *date;
	char *expires;
	char *note;
};

struct cl_config {
	int max_tokens_limit;      /* CL08: above it is a ceiling finding (8192) */
	double timeout_max_s;      /* CL05: above it is too long (300 s) */
	int cache_min_tokens;      /* CL10: default threshold (1024) */
	char **include;            /* gitignore-style globs; none: every file */
	size_t ninclude;
	char **exclude;            /* gitignore-style globs (`!` re-includes) */
	size_t nexclude;
	bool item_off[CL_ITEM_COUNT];   /* items.CLnn.enabled: false */
	char **models_allow;       /* models.allow: ids or globs; NULL: any model */
	size_t nmodels_allow;
	char *models_catalog;      /* models.catalog: a catalog overlay, relative to the
	                            * config file's directory; NULL: none */
	struct cl_attestation *attest[CL_ITEM_COUNT]; /* NULL: not attested */
	bool preview;              /* "preview": true (or --preview): rules in preview run */
};

/* Built-in defaults; nothing to free until a load. */
void cl_config_defaults(struct cl_config *c);
/* Frees what a load allocated; C is left at its defaults. Accepts NULL. */
void cl_config_finish(struct cl_config *c);

/*
 * Reads PATH over the defaults. The registry must be loaded (item ids and
 * kinds are checked against it). False with *ERR (caller frees) in the form
 * "PATH: KEY.PATH: expected ...": one line naming the key and the expected
 * type or value. C may be partly filled on failure: call cl_config_finish.
 * The file must be a regular file (opened without blocking; at most
 * 16 MiB); with NOFOLLOW a symbolic link is refused (the default
 * .claudit.json of a scanned tree).
 */
bool cl_config_load(struct cl_config *c, const char *path, bool nofollow, char **err);
/* The same over a buffer of LEN bytes; NAME is used in messages. */
bool cl_config_parse(struct cl_config *c, const char *name, const char *text, size_t len,
	char **err);

/* False when items.ITEM_ID.enabled is false ("CL06"). */
bool cl_config_item_on(const struct cl_config *c, const char *item_id);

/* True when ID (a model id as written) is allowed by models.allow: it, or
 * CANONICAL (its first-party id, may be NULL), matches an entry (`*`, `?`
 * and `[...]` as in globs). Always true without an allow list. */
bool cl_config_model_allowed(const struct cl_config *c, const char *id, const char *canonical);

#endif
