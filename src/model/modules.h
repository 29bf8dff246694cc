/*
 * modules.h — how the tree's JS/TS imports name its files, read once per
 * scan from the tree's own settings: tsconfig.json / jsconfig.json
 * `compilerOptions.paths` and `baseUrl` (with `extends` of a file of the
 * tree, one level and more, up to 8; comments and trailing commas accepted
 * as tsc does), package.json `imports` (`#lib/` with a wildcard), the aliases
 * a framework the package depends on defines without a committed file
 * (SvelteKit's `$lib`, rules/surface.json module_aliases), and the tree's packages
 * by name (package.json `name`: npm / yarn / pnpm workspaces, the root
 * package) with their entry file. Only files the discovery listed are read
 * (through source.c), so nothing outside the scan root is. project.c asks it
 * which paths an import may name; it decides nothing else.
 */
#ifndef CL_MODULES_H
#define CL_MODULES_H
#include <stdbool.h>
#include <stddef.h>

#include "scan/discover.h"

struct cl_alias {
	char *pattern;     /* "@/", "~/" or "#lib/" with a '*' wildcard after them,
	                      "@acme/ai": at most one '*' */
	char **targets;    /* root-relative, with the same '*' ("src/" and a '*',
	                      "packages/ai/src/index") */
	size_t ntargets;
};

/* The settings of one folder: a tsconfig/jsconfig, or a package.json. */
struct cl_module_scope {
	char *dir;         /* root-relative folder ("" for the root) */
	char *base_url;    /* root-relative baseUrl, or NULL */
	struct cl_alias *aliases; /* paths (tsconfig) or imports (package.json) */
	size_t naliases;
	int kind;          /* 0 tsconfig / jsconfig, 1 package.json imports, 2 a
	                      framework's own aliases (rules/surface.json
	                      module_aliases: SvelteKit's $lib) */
};

struct cl_modules {
	struct cl_module_scope *scopes;
	size_t nscopes;
	struct cl_alias *packages; /* workspace packages: name -> entry candidates */
	size_t npackages;
};

/* Normalises DIR/REL ("." and ".." segments) into OUT; false when it
 * leaves the scan root or does not fit. */
bool cl_modules_join(char *out, size_t cap, const char *dir, const char *rel);

/* Reads the settings files among D's files into M (empty when none). */
void cl_modules_load(struct cl_modules *m, const struct cl_discovery *d);
void cl_modules_finish(struct cl_modules *m);

/* Root-relative paths (without an extension) MODULE may name when the file
 * FROM imports it, most specific first, into OUT (at most CAP, each of
 * OUTLEN bytes); returns how many. */
size_t cl_modules_candidates(const struct cl_modules *m, const char *from, const char *module,
	char (*out)[1024], size_t cap);

#endif
