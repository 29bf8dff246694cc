/*
 * test_packages.c — unit test for packages.c: which file names are
 * dependency manifests, which folders they root, and which package a file
 * belongs to (the nearest manifest above it; the root package otherwise).
 */
#include "model/packages.h"

#include <stdio.h>
#include <string.h>

#include "check.h"

static const char *root_of(const struct cl_packages *p, const char *path)
{
	return p->roots[cl_packages_of(p, path)];
}

int main(void)
{
	CHECK(cl_packages_is_manifest("package.json"), "package.json");
	CHECK(cl_packages_is_manifest("svc/pyproject.toml"), "pyproject.toml");
	CHECK(cl_packages_is_manifest("svc/requirements-dev.txt"), "requirements-dev.txt");
	CHECK(cl_packages_is_manifest("svc/requirements.in"), "requirements.in");
	CHECK(cl_packages_is_manifest("go/go.mod"), "go.mod");
	CHECK(cl_packages_is_manifest("lib/setup.py"), "setup.py");
	CHECK(!cl_packages_is_manifest("lib/setup_helpers.py"), "setup_helpers.py is code");
	CHECK(!cl_packages_is_manifest("docs/package.json.md"), "a page about package.json");
	CHECK(!cl_packages_is_manifest("notes/requirements.md"), "requirements.md is prose");

	const char *paths[] = {
		"package.json",
		"apps/web/package.json",
		"apps/web/src/claude.ts",
		"apps/webhooks/index.js",
		"services/chat/requirements/base.txt",
		"services/chat/app/main.py",
		"services/quotes/pyproject.toml",
		"services/quotes/pyproject.toml",
		"scripts/seed.py",
	};
	struct cl_packages p;
	cl_packages_init(&p, paths, sizeof paths / sizeof *paths);
	CHECK(p.n == 4, "4 packages (root, apps/web, services/chat, services/quotes), got %zu", p.n);
	CHECK(!strcmp(p.roots[0], ""), "the root package first");
	CHECK(!strcmp(root_of(&p, "apps/web/src/claude.ts"), "apps/web"), "nearest manifest");
	CHECK(!strcmp(root_of(&p, "apps/web/package.json"), "apps/web"), "a manifest is in its package");
	CHECK(!strcmp(root_of(&p, "apps/webhooks/index.js"), ""), "apps/webhooks is not under apps/web");
	CHECK(!strcmp(root_of(&p, "services/chat/app/main.py"), "services/chat"), "requirements/ roots its parent");
	CHECK(!strcmp(root_of(&p, "services/quotes/q.py"), "services/quotes"), "pyproject.toml");
	CHECK(!strcmp(root_of(&p, "scripts/seed.py"), ""), "no manifest above: the root package");
	cl_packages_finish(&p);

	const char *none[] = {"a.py", "b/c.py"};
	cl_packages_init(&p, none, 2);
	CHECK(p.n == 1 && cl_packages_of(&p, "b/c.py") == 0, "no manifest: one package");
	cl_packages_finish(&p);

	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
