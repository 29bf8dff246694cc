/*
 * test_globs.c — cl_gitignore_index (src/scan/gitignore.c): a glob list
 * with its index covers exactly the paths the same list without it covers,
 * on the rule data's shapes ("*.py", a docs folder at any depth, "*rotat*",
 * "values-*.yaml", "build/") and on random lists and paths; a list with a
 * negation keeps git's last-match order.
 */
#include "scan/gitignore.h"
#include "check.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t seed = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
	seed ^= seed << 13;
	seed ^= seed >> 7;
	seed ^= seed << 17;
	return seed;
}

static struct cl_gitignore *list(const char *const *pats, size_t n, bool index)
{
	struct cl_gitignore *g = cl_gitignore_create();
	for (size_t i = 0; i < n; i++)
		cl_gitignore_add_line(g, pats[i], strlen(pats[i]));
	if (index)
		cl_gitignore_index(g);
	return g;
}

static const char *const pool[] = {
	"*.py", "*.js", "*.tf.json", "*.s", "*.ts", "*.cts", "*.yml", "*.env", "*y", "*", "*.",
	"**/docs/**/*.md", "*rotat*", "values-*.yaml", "SECURITY.md", "build/", "*.d/", "a/*.py",
	"/top.py", "**/overlays/**", ".env.*", "Pulumi.*.yaml", "*[.]py", "*.p?", "**/b",
};
static const char *const parts[] = {
	"a", "b", "docs", "x.py", "y.js", "build", "main.tf.json", "z.ts", "overlays", "values-1.yaml",
	"SECURITY.md", "rotate.sh", "top.py", ".env.local", "q.d", "Pulumi.dev.yaml", "p.pyc", "f.cts", "yy",
};

int main(void)
{
	/* fixed cases: the index's verdicts, each checked against the plain list */
	static const char *const hints[] = {"*.py", "*.js", "*.tf.json", "build/", "**/docs/**/*.md", "*rotat*"};
	struct cl_gitignore *g = list(hints, 6, true), *plain = list(hints, 6, false);
	static const struct {
		const char *path;
		bool want;
	} cases[] = {
		{"app/main.py", true},   {"main.pyc", false},     {"x.py/readme", true}, {"infra/a.tf.json", true},
		{"infra/a.json", false}, {"build/out.txt", true}, {"build", false},      {"src/build/x", true},
		{"docs/a/b.md", true},   {"a/docs/b.md", true},   {"docs.md", false},    {"ops/rotate.txt", true},
		{"py", false},           {".py", true},           {"a//b.py", true},     {"/abs.py", true},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		CHECK(cl_gitignore_covers(g, cases[i].path) == cases[i].want, "indexed: %s", cases[i].path);
		CHECK(cl_gitignore_covers(plain, cases[i].path) == cases[i].want, "plain: %s", cases[i].path);
	}
	/* adding a line drops the index: the new line counts */
	cl_gitignore_add_line(g, "*.md", 4);
	CHECK(cl_gitignore_covers(g, "README.md"), "a line added after the index counts");
	cl_gitignore_destroy(g);
	cl_gitignore_destroy(plain);

	/* a negation: no index, the last match decides */
	static const char *const neg[] = {"*.py", "!keep.py"};
	g = list(neg, 2, true);
	CHECK(!cl_gitignore_covers(g, "src/keep.py") && cl_gitignore_covers(g, "src/drop.py"), "negation kept");
	cl_gitignore_destroy(g);

	/* random lists and paths: the same verdicts with and without the index */
	size_t wrong = 0;
	char path[256];
	const char *pats[6];
	for (int round = 0; round < 4000; round++) {
		size_t n = 1 + next() % 6;
		for (size_t k = 0; k < n; k++)
			pats[k] = pool[next() % (sizeof pool / sizeof *pool)];
		g = list(pats, n, true);
		plain = list(pats, n, false);
		for (int p = 0; p < 8; p++) {
			size_t depth = 1 + next() % 4, used = 0;
			for (size_t d = 0; d < depth; d++)
				used += (size_t)snprintf(path + used, sizeof path - used, "%s%s", d ? "/" : "",
					parts[next() % (sizeof parts / sizeof *parts)]);
			if (cl_gitignore_covers(g, path) != cl_gitignore_covers(plain, path) && wrong++ < 3)
				fprintf(stderr, "  %s with %s...: the index says %d\n", path, pats[0],
					cl_gitignore_covers(g, path));
		}
		cl_gitignore_destroy(g);
		cl_gitignore_destroy(plain);
	}
	CHECK(wrong == 0, "the index agrees with the plain walk (%zu differ of 32000)", wrong);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
