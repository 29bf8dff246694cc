/*
 * packages.h — the packages of a tree: the folder of each dependency
 * manifest (package.json, pyproject.toml, requirements*.txt, go.mod,
 * setup.py, setup.cfg, Pipfile) roots a package, and a file belongs to the
 * package of its nearest manifest above it (the tree's root package when
 * none). A monorepo is judged per package: evidence in one service says
 * nothing about another.
 */
#ifndef CL_PACKAGES_H
#define CL_PACKAGES_H
#include <stdbool.h>
#include <stddef.h>

struct cl_packages {
	char **roots;   /* folders ("" is the tree's root), sorted, unique */
	size_t n;
};

/* True when PATH's file name is a dependency manifest. */
bool cl_packages_is_manifest(const char *path);

/* The packages of the N paths PATHS (relative to the scan root). */
void cl_packages_init(struct cl_packages *p, const char *const *paths, size_t n);
void cl_packages_finish(struct cl_packages *p);

/* The index in P->roots of PATH's package: its nearest manifest's folder,
 * else the root package (always index 0, ""). */
size_t cl_packages_of(const struct cl_packages *p, const char *path);

#endif
