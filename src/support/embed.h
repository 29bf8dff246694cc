/*
 * embed.h — the rule data (rules/ JSON and query files) compiled into the
 * binary by tools/embed.c. Owns nothing at run time; read-only.
 */
#ifndef CL_EMBED_H
#define CL_EMBED_H
#include <stddef.h>

struct cl_embedded {
	const char *name; /* "rules/models.json" */
	const char *data; /* NUL-terminated */
	size_t size;
};

extern const struct cl_embedded cl_embedded_files[];
extern const size_t cl_embedded_count;

/* The embedded file at NAME, or NULL. */
const struct cl_embedded *cl_embed_find(const char *name);

#endif
