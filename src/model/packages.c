/*
 * packages.c — packages rooted at dependency manifests (see packages.h).
 */
#include "model/packages.h"

#include <stdlib.h>
#include <string.h>

#include "support/xalloc.h"

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);
	return n >= m && !strcmp(s + n - m, tail);
}

bool cl_packages_is_manifest(const char *path)
{
	static const char *const names[] = {"package.json", "pyproject.toml", "go.mod", "setup.py",
		"setup.cfg", "Pipfile", NULL};
	const char *b = base_name(path);
	for (const char *const *n = names; *n; n++)
		if (!strcmp(b, *n))
			return true;
	if (!strncmp(b, "requirements", 12) && (ends_with(b, ".txt") || ends_with(b, ".in")))
		return true;
	/* requirements/base.txt: a folder of requirements files */
	size_t n = (size_t)(b - path);
	return ends_with(b, ".txt") && n >= 13 && !strncmp(b - 13, "requirements/", 13) &&
		(n == 13 || b[-14] == '/');
}

/* The folder PATH's manifest roots, as a new string: its own folder, or the
 * parent of a requirements/ folder (requirements/base.txt). */
static char *root_of(const char *path)
{
	const char *b = base_name(path);
	size_t n = b > path ? (size_t)(b - path - 1) : 0;
	if (n >= 12 && !strncmp(path + n - 12, "requirements", 12) && (n == 12 || path[n - 13] == '/'))
		n = n == 12 ? 0 : n - 13;
	char *r = xmalloc(n + 1);
	memcpy(r, path, n);
	r[n] = 0;
	return r;
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cl_packages_init(struct cl_packages *p, const char *const *paths, size_t n)
{
	p->roots = xmalloc((n + 1) * sizeof *p->roots);
	p->n = 0;
	p->roots[p->n++] = xstrdup("");
	for (size_t i = 0; i < n; i++) {
		if (!cl_packages_is_manifest(paths[i]))
			continue;
		char *r = root_of(paths[i]);
		if (!*r) {
			free(r);
			continue;
		}
		p->roots[p->n++] = r;
	}
	qsort(p->roots, p->n, sizeof *p->roots, by_string); /* "" stays first */
	size_t k = 1;
	for (size_t i = 1; i < p->n; i++) {
		if (!strcmp(p->roots[i], p->roots[k - 1]))
			free(p->roots[i]);
		else
			p->roots[k++] = p->roots[i];
	}
	p->n = k;
}

void cl_packages_finish(struct cl_packages *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->roots[i]);
	free(p->roots);
	p->roots = NULL;
	p->n = 0;
}

size_t cl_packages_of(const struct cl_packages *p, const char *path)
{
	size_t best = 0, best_len = 0;
	for (size_t i = 1; i < p->n; i++) {
		size_t m = strlen(p->roots[i]);
		if (m > best_len && !strncmp(path, p->roots[i], m) && path[m] == '/') {
			best = i;
			best_len = m;
		}
	}
	return best;
}
