/*
 * config.h — run settings that rules read: thresholds from .claudit.json
 * (or --config) over built-in defaults. Owns the parsed values; the format
 * grows with the adoption work (include/exclude, attestations).
 */
#ifndef CL_CONFIG_H
#define CL_CONFIG_H
#include <stdbool.h>

struct cl_config {
	int max_tokens_limit;      /* CL08: above it is a ceiling finding (8192) */
	double timeout_max_s;      /* CL05: above it is too long (300 s) */
	int cache_min_tokens;      /* CL10: default threshold (1024) */
};

void cl_config_defaults(struct cl_config *c);
/* Reads PATH over the defaults. False with *ERR (caller frees) naming the
 * key path and what was expected. */
bool cl_config_load(struct cl_config *c, const char *path, char **err);

#endif
