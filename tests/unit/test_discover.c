/*
 * test_discover.c — unit tests for gitignore.c and discover.c: pattern
 * matching against git's rules, then whole walks over throwaway trees built
 * under a mkdtemp directory (nested .gitignore files, negation, skip list,
 * symlink loops, explicit paths, unreadable directories, path reporting).
 * When git is installed, a tree is also checked against
 * `git ls-files --others --exclude-standard`.
 */
#include "scan/discover.h"
#include "scan/gitignore.h"
#include "support/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"

static char tmproot[256];

/* --- helpers -------------------------------------------------------------- */

static void mkdirs(const char *path)
{
	char *p = xstrdup(path);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
	free(p);
}

/* Creates BASE/REL with CONTENT, making parent directories. */
static void put(const char *base, const char *rel, const char *content)
{
	char *path = xasprintf("%s/%s", base, rel);
	char *slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	FILE *f = fopen(path, "w");
	if (!f) {
		fprintf(stderr, "cannot create %s: %s\n", path, strerror(errno));
		exit(2);
	}
	fputs(content, f);
	fclose(f);
	free(path);
}

static void link_at(const char *base, const char *rel, const char *target)
{
	char *path = xasprintf("%s/%s", base, rel);
	if (symlink(target, path) != 0) {
		fprintf(stderr, "cannot symlink %s: %s\n", path, strerror(errno));
		exit(2);
	}
	free(path);
}

/* A fresh directory under the temporary root. */
static char *newtree(const char *name)
{
	char *dir = xasprintf("%s/%s", tmproot, name);
	mkdirs(dir);
	return dir;
}

/* The discovered paths joined with ',' (caller frees). */
static char *joined(const struct cl_discovery *d)
{
	CL_VEC(char) out = { 0 };
	for (size_t i = 0; i < d->nfiles; i++) {
		if (i)
			cl_vec_push(&out, ',');
		for (const char *s = d->files[i].path; *s; s++)
			cl_vec_push(&out, *s);
	}
	cl_vec_push(&out, '\0');
	return out.v;
}

static bool sorted_unique(const struct cl_discovery *d)
{
	for (size_t i = 1; i < d->nfiles; i++)
		if (strcmp(d->files[i - 1].path, d->files[i].path) >= 0)
			return false;
	return true;
}

static const struct cl_discovered *find(const struct cl_discovery *d, const char *path)
{
	for (size_t i = 0; i < d->nfiles; i++)
		if (strcmp(d->files[i].path, path) == 0)
			return &d->files[i];
	return NULL;
}

/* Discovers the single directory DIR and compares the list with WANT. */
static void expect_tree(int line, const char *dir, const char *want)
{
	struct cl_discovery d;
	char *err = NULL;
	const char *args[] = { dir };
	bool ok = cl_discover(&d, args, 1, &err);
	if (!ok) {
		failed++;
		fprintf(stderr, "FAIL line %d: cl_discover(%s): %s\n", line, dir, err);
		free(err);
		return;
	}
	char *got = joined(&d);
	if (strcmp(got, want) == 0 && sorted_unique(&d)) {
		passed++;
	} else {
		failed++;
		fprintf(stderr, "FAIL line %d: %s\n  want: %s\n  got:  %s\n", line, dir, want, got);
	}
	free(got);
	cl_discovery_finish(&d);
}

/* --- pattern matching ----------------------------------------------------- */

static void test_wildmatch(void)
{
	static const struct {
		const char *pat, *text;
		bool want;
	} cases[] = {
		{ "foo", "foo", true },
		{ "foo", "bar", false },
		{ "", "", true },
		{ "???", "foo", true },
		{ "??", "foo", false },
		{ "*", "foo", true },
		{ "f*", "foo", true },
		{ "*f", "foo", false },
		{ "*foo*", "foo", true },
		{ "*ob*a*r*", "foobar", true },
		{ "*ab", "aaaaaaabababab", true },
		{ "foo\\*", "foo*", true },
		{ "foo\\*bar", "foobar", false },
		{ "f\\\\oo", "f\\oo", true },
		{ "*[al]?", "ball", true },
		{ "[ten]", "ten", false },
		{ "**[!te]", "ten", true },
		{ "**[!ten]", "ten", false },
		{ "t[a-g]n", "ten", true },
		{ "t[!a-g]n", "ten", false },
		{ "t[!a-g]n", "ton", true },
		{ "t[^a-g]n", "ton", true },
		{ "a[]]b", "a]b", true },
		{ "a[]-]b", "a-b", true },
		{ "a[]-]b", "a]b", true },
		{ "a[]-]b", "aab", false },
		{ "a[]a-]b", "aab", true },
		{ "]", "]", true },
		{ "foo*bar", "foo/baz/bar", false },
		{ "foo**bar", "foo/baz/bar", false },
		{ "foo**bar", "foobazbar", true },
		{ "foo/**/bar", "foo/baz/bar", true },
		{ "foo/**/**/bar", "foo/baz/bar", true },
		{ "foo/**/bar", "foo/b/a/z/bar", true },
		{ "foo/**/bar", "foo/bar", true },
		{ "foo/**", "foo/a/b", true },
		{ "foo/**", "foo", false },
		{ "**/foo", "foo", true },
		{ "**/foo", "a/b/foo", true },
		{ "**/foo", "a/b/foox", false },
		{ "foo?bar", "foo/bar", false },
		{ "foo[/]bar", "foo/bar", false },
		{ "foo[^a-z]bar", "foo/bar", false },
		{ "*/foo", "bar/foo", true },
		{ "*/foo", "a/bar/foo", false },
		{ "**/bar*", "deep/foo/bar/baz", false },
		{ "**/bar/*", "deep/foo/bar/baz", true },
		{ "**/bar/**", "deep/foo/bar/baz/x", true },
		{ "*/bar/**", "deep/foo/bar/baz/x", false },
		{ "[[:alpha:]][[:digit:]][[:upper:]]", "a1B", true },
		{ "[[:digit:][:upper:][:space:]]", "a", false },
		{ "[[:digit:][:upper:][:space:]]", "A", true },
		{ "[[:digit:][:upper:][:space:]]", " ", true },
		{ "[[:xdigit:]]", "f", true },
		{ "[[:nope:]]", "a", false },
		{ "[a-c", "b", false },
		{ "-*-*-*-*-*-*-12-*-*-*-m-*-*-*",
			"-adobe-courier-bold-o-normal--12-120-75-75-m-70-iso8859-1", true },
		{ "XXX/*/*/*/*/*/*/12/*/*/*/m/*/*/*",
			"XXX/adobe/courier/bold/o/normal//12/120/75/75/m/70/iso8859/1", true },
		{ "**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txt", true },
		{ "**/*a*b*g*n*t", "abcd/abcdefg/abcdefghijk/abcdefghijklmnop.txtz", false },
		{ "\\#foo", "#foo", true },
		{ "\\!foo", "!foo", true },
		{ "foo\\", "foo", false },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		bool got = cl_gitignore_wildmatch(cases[i].pat, cases[i].text);
		CHECK(got == cases[i].want, "wildmatch(\"%s\", \"%s\") = %d", cases[i].pat,
			cases[i].text, got);
	}
}

static void test_gitignore_lines(void)
{
	static const struct {
		const char *file, *path;
		bool is_dir;
		enum cl_gitignore_verdict want;
	} cases[] = {
		{ "*.log\n", "a.log", false, CL_GITIGNORE_IGNORE },
		{ "*.log\n", "sub/deep/a.log", false, CL_GITIGNORE_IGNORE },
		{ "*.log\n!keep.log\n", "sub/keep.log", false, CL_GITIGNORE_INCLUDE },
		{ "!keep.log\n*.log\n", "sub/keep.log", false, CL_GITIGNORE_IGNORE },
		{ "/top.txt\n", "top.txt", false, CL_GITIGNORE_IGNORE },
		{ "/top.txt\n", "sub/top.txt", false, CL_GITIGNORE_NONE },
		{ "a/b\n", "a/b", false, CL_GITIGNORE_IGNORE },
		{ "a/b\n", "x/a/b", false, CL_GITIGNORE_NONE },
		{ "build/\n", "build", true, CL_GITIGNORE_IGNORE },
		{ "build/\n", "build", false, CL_GITIGNORE_NONE },
		{ "build/\n", "src/build", true, CL_GITIGNORE_IGNORE },
		{ "/build/\n", "src/build", true, CL_GITIGNORE_NONE },
		{ "# comment\n", "# comment", false, CL_GITIGNORE_NONE },
		{ "\\#hash\n", "#hash", false, CL_GITIGNORE_IGNORE },
		{ "\\!bang\n", "!bang", false, CL_GITIGNORE_IGNORE },
		{ "trail   \n", "trail", false, CL_GITIGNORE_IGNORE },
		{ "trail\\ \n", "trail ", false, CL_GITIGNORE_IGNORE },
		{ "trail\\ \n", "trail", false, CL_GITIGNORE_NONE },
		{ "crlf\r\n", "crlf", false, CL_GITIGNORE_IGNORE },
		{ "\xEF\xBB\xBF" "bom\n", "bom", false, CL_GITIGNORE_IGNORE },
		{ "\n\n   \n", "x", false, CL_GITIGNORE_NONE },
		{ "**/logs\n", "logs", true, CL_GITIGNORE_IGNORE },
		{ "**/logs\n", "a/b/logs", true, CL_GITIGNORE_IGNORE },
		{ "**/logs/debug.log\n", "a/logs/debug.log", false, CL_GITIGNORE_IGNORE },
		{ "logs/**\n", "logs/a/b.txt", false, CL_GITIGNORE_IGNORE },
		{ "logs/**\n", "logs", true, CL_GITIGNORE_NONE },
		{ "a/**/b\n", "a/x/y/b", false, CL_GITIGNORE_IGNORE },
		{ "a/**/b\n", "a/b", false, CL_GITIGNORE_IGNORE },
		{ "doc/*.txt\n", "doc/x.txt", false, CL_GITIGNORE_IGNORE },
		{ "doc/*.txt\n", "doc/sub/x.txt", false, CL_GITIGNORE_NONE },
		{ "*\n!*/\n", "dir", true, CL_GITIGNORE_INCLUDE },
		{ "*\n!*/\n", "file", false, CL_GITIGNORE_IGNORE },
		{ "/\n", "x", false, CL_GITIGNORE_NONE },
		{ "!\n", "x", false, CL_GITIGNORE_NONE },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct cl_gitignore *g = cl_gitignore_create();
		cl_gitignore_add_buffer(g, cases[i].file, strlen(cases[i].file));
		enum cl_gitignore_verdict got = cl_gitignore_match(g, cases[i].path, cases[i].is_dir);
		CHECK(got == cases[i].want, "case %zu: \"%s\" vs %s%s: got %d want %d", i,
			cases[i].file, cases[i].path, cases[i].is_dir ? "/" : "", got, cases[i].want);
		cl_gitignore_destroy(g);
	}
	cl_gitignore_destroy(NULL);
	CHECK(cl_gitignore_count(NULL) == 0, "count(NULL)");
}

/* --- walks ---------------------------------------------------------------- */

static void test_skip_list(void)
{
	char *t = newtree("skip");
	put(t, "a.py", "");
	put(t, ".git/config", "");
	put(t, ".hg/x", "");
	put(t, ".svn/x", "");
	put(t, "node_modules/pkg/index.js", "");
	put(t, "web/bower_components/x.js", "");
	put(t, ".venv/lib/x.py", "");
	put(t, "venv/lib/x.py", "");
	put(t, "env/pyvenv.cfg", "home = /usr/bin\ninclude-system-site-packages = false\n");
	put(t, "env/lib/x.py", "");
	put(t, "myenv/pyvenv.cfg", "  home=/opt/python\n");
	put(t, "myenv/x.py", "");
	/* an empty pyvenv.cfg (or one naming no interpreter) does not hide a folder */
	put(t, "src/pyvenv.cfg", "");
	put(t, "src/app.py", "");
	put(t, "src2/pyvenv.cfg", "homepage = x\n");
	put(t, "src2/b.py", "");
	put(t, "envs/keep.py", "");
	put(t, "env2/env/keep.py", "");
	put(t, "pkg/__pycache__/a.pyc", "");
	put(t, ".tox/x", "");
	put(t, ".nox/x", "");
	put(t, ".mypy_cache/x", "");
	put(t, ".pytest_cache/x", "");
	put(t, ".ruff_cache/x", "");
	put(t, "lib/site-packages/x.py", "");
	put(t, ".next/cache/x.js", "");
	put(t, ".cache/x", "");
	put(t, "dist/bundle.min.js", "");
	put(t, "build/out.js", "");
	put(t, "target/x.rs", "");
	put(t, "vendor/x.go", "");
	put(t, ".env", "");
	put(t, ".github/workflows/ci.yml", "");
	put(t, "submod/.git", "gitdir: ../.git/modules/submod\n");
	put(t, "submod/s.py", "");
	expect_tree(__LINE__, t,
		".env,.github/workflows/ci.yml,a.py,build/out.js,dist/bundle.min.js,"
		"env2/env/keep.py,envs/keep.py,src/app.py,src/pyvenv.cfg,src2/b.py,src2/pyvenv.cfg,"
		"submod/s.py,target/x.rs,vendor/x.go");

	/* A skipped directory named on the command line is walked. */
	char *nm = xasprintf("%s/node_modules", t);
	expect_tree(__LINE__, nm, "pkg/index.js");
	free(nm);
	char *venv = xasprintf("%s/myenv", t);
	expect_tree(__LINE__, venv, "pyvenv.cfg,x.py");
	free(venv);
	free(t);
}

static void test_gitignore_walk(void)
{
	char *t = newtree("ign");
	put(t, ".gitignore",
		"# comment\n"
		"*.log\n"
		"!important.log\n"
		"/anchored.txt\n"
		"out/\n"
		"docs/**/*.tmp\n"
		"**/gen\n"
		"secret?.txt\n"
		"data[0-9].csv\n"
		"\\#literal\n"
		"\\!bang\n"
		"spaced   \n"
		"excluded_dir/\n"
		"!excluded_dir/keep.txt\n"
		"star/*\n"
		"!star/keep/\n");
	put(t, "a.log", "");
	put(t, "important.log", "");
	put(t, "sub/b.log", "");
	put(t, "sub/important.log", "");
	put(t, "anchored.txt", "");
	put(t, "sub/anchored.txt", "");
	put(t, "out/x.js", "");
	put(t, "sub/out/y.js", "");
	put(t, "out.js", "");
	put(t, "docs/a.tmp", "");
	put(t, "docs/x/y/b.tmp", "");
	put(t, "docs/keep.md", "");
	put(t, "gen/g.py", "");
	put(t, "sub/deep/gen/g.py", "");
	put(t, "generated.py", "");
	put(t, "secret1.txt", "");
	put(t, "secret12.txt", "");
	put(t, "data5.csv", "");
	put(t, "dataX.csv", "");
	put(t, "#literal", "");
	put(t, "!bang", "");
	put(t, "spaced", "");
	put(t, "excluded_dir/keep.txt", "");
	put(t, "star/a.txt", "");
	put(t, "star/keep/b.txt", "");
	put(t, "star/drop/c.txt", "");
	/* nested: overrides the parent, applies to its own subtree only */
	put(t, "nested/.gitignore", "!*.log\n/local.txt\nonly_here/\n");
	put(t, "nested/n.log", "");
	put(t, "nested/local.txt", "");
	put(t, "nested/deeper/local.txt", "");
	put(t, "nested/only_here/z.py", "");
	put(t, "only_here/z.py", "");
	put(t, "nested/deeper/.gitignore", "*.py\n");
	put(t, "nested/deeper/d.py", "");
	put(t, "nested/other.py", "");
	expect_tree(__LINE__, t,
		".gitignore,dataX.csv,docs/keep.md,generated.py,important.log,nested/.gitignore,"
		"nested/deeper/.gitignore,nested/deeper/local.txt,nested/n.log,nested/other.py,"
		"only_here/z.py,out.js,secret12.txt,star/keep/b.txt,sub/anchored.txt,"
		"sub/important.log");
	free(t);

	/* .git/info/exclude at the root; .gitignore beats it */
	t = newtree("exclude");
	put(t, ".git/info/exclude", "*.secret\nlocal/\n");
	put(t, ".gitignore", "!keep.secret\n");
	put(t, "a.secret", "");
	put(t, "keep.secret", "");
	put(t, "local/x.py", "");
	put(t, "main.py", "");
	expect_tree(__LINE__, t, ".gitignore,keep.secret,main.py");
	/* a subdirectory of a work tree inherits the ignore files above it */
	put(t, "pkg/.gitignore", "*.gen.py\n");
	put(t, "pkg/sub/a.secret", "");
	put(t, "pkg/sub/keep.secret", "");
	put(t, "pkg/sub/b.gen.py", "");
	put(t, "pkg/sub/local/y.py", "");
	put(t, "pkg/sub/c.py", "");
	char *sub = xasprintf("%s/pkg/sub", t);
	expect_tree(__LINE__, sub, "c.py,keep.secret");
	free(sub);
	free(t);
}

static void test_symlinks(void)
{
	char *t = newtree("links");
	put(t, "real/a.py", "");
	put(t, "real/inner/b.py", "");
	link_at(t, "real/inner/up", "..");          /* loop to its parent */
	link_at(t, "real/self", "self");            /* ELOOP */
	link_at(t, "real/dangling.py", "nowhere.py");
	link_at(t, "alias.py", "real/a.py");        /* same file twice */
	link_at(t, "zlink", "real");                /* dir reached twice */
	put(t, "other/c.py", "");
	link_at(t, "aa_other", "other");            /* only the link is listed first */
	expect_tree(__LINE__, t, "other/c.py,real/a.py,real/inner/b.py");
	{
		/* a hard link is the same file (readdir's inode, no stat): read
		 * once, under the smallest path */
		char *h = newtree("hardlinks");
		put(h, "src/app.py", "");
		put(h, "src/other.py", "");
		char *from = xasprintf("%s/src/app.py", h), *to = xasprintf("%s/a_copy.py", h);
		CHECK(link(from, to) == 0, "hard link %s", strerror(errno));
		expect_tree(__LINE__, h, "a_copy.py,src/other.py");
		free(from);
		free(to);
		free(h);
	}
	/* a link out of the scanned tree is not followed (issue 11: the tree is
	 * not trusted), to a folder or to a file; a link inside it is */
	char *ext = newtree("links_outside");
	put(ext, "lib/x.py", "");
	char *target = xasprintf("%s/links_outside/lib", tmproot);
	link_at(t, "ext", target);
	link_at(t, "parent", "..");
	char *file_target = xasprintf("%s/links_outside/lib/x.py", tmproot);
	link_at(t, "outside.py", file_target);
	expect_tree(__LINE__, t, "other/c.py,real/a.py,real/inner/b.py");
	{
		struct cl_discovery d;
		char *err = NULL;
		const char *args[] = { t };
		CHECK(cl_discover(&d, args, 1, &err), "discover links");
		size_t outside = 0;
		for (size_t i = 0; i < d.nnotes; i++)
			outside += strstr(d.notes[i], "out of the scan root") != NULL;
		CHECK(outside == 3 && d.dirs_skipped == 2 && d.files_skipped == 1,
			"three links out of the root noted: %zu (%zu dirs, %zu files)", outside,
			d.dirs_skipped, d.files_skipped);
		cl_discovery_finish(&d);
	}
	free(file_target);
	free(target);
	free(ext);
	/* two links to each other */
	char *t2 = newtree("links2");
	link_at(t2, "a", "b");
	link_at(t2, "b", "a");
	put(t2, "f.py", "");
	expect_tree(__LINE__, t2, "f.py");
	free(t2);
	free(t);
}

static void test_explicit(void)
{
	char *t = newtree("explicit");
	put(t, ".gitignore", "ignored.py\nnode_modules/\n");
	put(t, "ignored.py", "");
	put(t, "kept.py", "");
	put(t, "node_modules/m.js", "");
	char *ign = xasprintf("%s/ignored.py", t);
	char *nm = xasprintf("%s/node_modules/m.js", t);
	char *dir = xasprintf("%s/", t);
	struct cl_discovery d;
	char *err = NULL;

	const char *one[] = { ign };
	CHECK(cl_discover(&d, one, 1, &err), "explicit ignored file");
	CHECK(d.nfiles == 1 && strcmp(d.files[0].path, ign) == 0 && d.files[0].explicit_,
		"explicit file reported as given");
	cl_discovery_finish(&d);

	const char *mixed[] = { dir, ign, nm, ign };
	CHECK(cl_discover(&d, mixed, 4, &err), "dir + explicit files");
	CHECK(sorted_unique(&d), "sorted and unique");
	const struct cl_discovered *f = NULL;
	for (size_t i = 0; i < d.nfiles; i++)
		if (strstr(d.files[i].path, "ignored.py"))
			f = &d.files[i];
	CHECK(f && f->explicit_, "ignored file present once, explicit");
	bool kept = false;
	for (size_t i = 0; i < d.nfiles; i++)
		if (strstr(d.files[i].path, "kept.py"))
			kept = !d.files[i].explicit_;
	CHECK(kept, "walked file not explicit");
	CHECK(d.nfiles == 4, "4 files (.gitignore, ignored, kept, m.js), got %zu", d.nfiles);
	cl_discovery_finish(&d);

	const char *missing[] = { dir, "no/such/file.py" };
	d.nfiles = 99;
	CHECK(!cl_discover(&d, missing, 2, &err), "missing path fails");
	CHECK(err && strcmp(err, "no/such/file.py: no such file or directory") == 0,
		"error message: %s", err ? err : "(null)");
	CHECK(d.nfiles == 0 && d.files == NULL, "no files on error");
	free(err);
	cl_discovery_finish(&d);
	cl_discovery_finish(NULL);
	free(ign);
	free(nm);
	free(dir);
	free(t);
}

static void test_paths(void)
{
	char *t = newtree("paths");
	put(t, "src/a.py", "");
	put(t, "src/lib/b.py", "");
	put(t, "tests/t.py", "");
	put(t, "top.py", "");
	int here = open(".", O_RDONLY | O_DIRECTORY);
	if (here < 0 || chdir(t) != 0) {
		fprintf(stderr, "cannot chdir to %s\n", t);
		exit(2);
	}
	struct cl_discovery d;
	char *err = NULL;
	char *s;

	CHECK(cl_discover(&d, NULL, 0, &err), "no paths: current directory");
	s = joined(&d);
	CHECK(strcmp(s, "src/a.py,src/lib/b.py,tests/t.py,top.py") == 0, "cwd: %s", s);
	CHECK(strcmp(d.root, ".") == 0, "root .: %s", d.root);
	free(s);
	cl_discovery_finish(&d);

	const char *dot[] = { "./" };
	CHECK(cl_discover(&d, dot, 1, &err), "./");
	s = joined(&d);
	CHECK(strcmp(s, "src/a.py,src/lib/b.py,tests/t.py,top.py") == 0, "./: %s", s);
	free(s);
	cl_discovery_finish(&d);

	const char *single[] = { "./src//" };
	CHECK(cl_discover(&d, single, 1, &err), "single dir");
	s = joined(&d);
	CHECK(strcmp(s, "a.py,lib/b.py") == 0, "single dir relative to itself: %s", s);
	CHECK(strcmp(d.root, "src") == 0, "root src: %s", d.root);
	CHECK(strcmp(d.files[0].fs_path, "src/a.py") == 0, "fs_path: %s", d.files[0].fs_path);
	free(s);
	cl_discovery_finish(&d);

	char *abs_top = xasprintf("%s/top.py", t);
	const char *multi[] = { "src/lib", "./tests/", abs_top, "src" };
	CHECK(cl_discover(&d, multi, 4, &err), "several paths");
	s = joined(&d);
	CHECK(strcmp(s, "src/a.py,src/lib/b.py,tests/t.py,top.py") == 0, "several: %s", s);
	const struct cl_discovered *f = find(&d, "top.py");
	CHECK(f && f->explicit_, "absolute file inside cwd reported relative");
	free(s);
	cl_discovery_finish(&d);

	const char *file1[] = { "./src/a.py" };
	CHECK(cl_discover(&d, file1, 1, &err), "single file");
	CHECK(d.nfiles == 1 && strcmp(d.files[0].path, "src/a.py") == 0, "single file path");
	cl_discovery_finish(&d);

	const char *file2[] = { abs_top };
	CHECK(cl_discover(&d, file2, 1, &err), "single absolute file");
	CHECK(d.nfiles == 1 && strcmp(d.files[0].path, abs_top) == 0, "absolute as given");
	cl_discovery_finish(&d);

	if (fchdir(here) != 0)
		exit(2);
	close(here);
	free(abs_top);
	free(t);
}

static void test_depth(void)
{
	char *t = newtree("depth");
	CL_VEC(char) rel = { 0 };
	for (int i = 0; i < 260; i++) {
		cl_vec_push(&rel, 'd');
		cl_vec_push(&rel, '/');
	}
	const char *leaf = "x.py";
	for (const char *s = leaf; *s; s++)
		cl_vec_push(&rel, *s);
	cl_vec_push(&rel, '\0');
	put(t, rel.v, "");
	put(t, "d/shallow.py", "");
	struct cl_discovery d;
	char *err = NULL;
	const char *args[] = { t };
	CHECK(cl_discover(&d, args, 1, &err), "deep tree");
	CHECK(d.nfiles == 1 && strcmp(d.files[0].path, "d/shallow.py") == 0, "deep file cut off");
	CHECK(d.nnotes == 1 && strstr(d.notes[0], "256"), "depth note: %s",
		d.nnotes ? d.notes[0] : "(none)");
	cl_discovery_finish(&d);
	cl_vec_free(&rel);
	free(t);
}

/* Runs in a child that can be denied access (root drops to nobody). */
static int unreadable_child(const char *t)
{
	struct cl_discovery d;
	char *err = NULL;
	const char *args[] = { t };
	int bad = 0;
	if (!cl_discover(&d, args, 1, &err)) {
		fprintf(stderr, "FAIL unreadable: %s\n", err);
		return 1;
	}
	char *s = joined(&d);
	if (strcmp(s, "ok.py") != 0) {
		fprintf(stderr, "FAIL unreadable: files %s\n", s);
		bad = 1;
	}
	free(s);
	if (d.nnotes != 1 || strcmp(d.notes[0], "locked: cannot read directory: Permission denied") != 0) {
		fprintf(stderr, "FAIL unreadable: note %s\n", d.nnotes ? d.notes[0] : "(none)");
		bad = 1;
	}
	cl_discovery_finish(&d);
	char *locked = xasprintf("%s/locked", t);
	const char *arg2[] = { locked };
	if (cl_discover(&d, arg2, 1, &err)) {
		fprintf(stderr, "FAIL unreadable: explicit locked dir accepted\n");
		cl_discovery_finish(&d);
		bad = 1;
	} else {
		free(err);
	}
	free(locked);
	return bad;
}

static void test_unreadable(void)
{
	char *t = newtree("unreadable");
	put(t, "ok.py", "");
	put(t, "locked/secret.py", "");
	char *locked = xasprintf("%s/locked", t);
	chmod(locked, 0);
	if (geteuid() != 0) {
		CHECK(unreadable_child(t) == 0, "unreadable directory");
	} else {
		/* root ignores permissions: check as nobody in a child */
		chmod(tmproot, 0755);
		pid_t pid = fork();
		if (pid == 0) {
			if (setgid(65534) != 0 || setuid(65534) != 0) {
				fprintf(stderr, "skip: cannot drop privileges\n");
				_exit(77);
			}
			_exit(unreadable_child(t));
		}
		int status = 0;
		waitpid(pid, &status, 0);
		if (WIFEXITED(status) && WEXITSTATUS(status) == 77)
			fprintf(stderr, "skipped: unreadable directory test (running as root)\n");
		else
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "unreadable directory (as nobody)");
	}
	chmod(locked, 0755);
	free(locked);
	free(t);
}

/* --- against git itself ------------------------------------------------- */

static void test_against_git(void)
{
	if (system("git --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "skipped: git not installed\n");
		return;
	}
	char *t = newtree("gitcmp");
	static const char *const files[] = {
		"a.txt", "a.log", "b.log", "keep.log", "doc/x.md", "doc/x.tmp", "doc/sub/y.tmp",
		"doc/sub/z.md", "build/out.js", "src/build/x.js", "src/main.c", "src/main.o",
		"src/gen/a.c", "gen/b.c", "deep/a/b/c/gen/d.c", "lib/keep/k.c", "lib/drop/d.c",
		"lib/top.c", "x/y/z.txt", "x/z.txt", "#hash", "!bang", "sp ace", "sp", "foo/bar",
		"foo/baz/bar", "foo/a/b/bar", "foo/c/bar/qux", "abc/def/ghi.txt", "abc/ghi.txt",
		"re/inc/lude.c", "re/inc.c", "n/.gitignore", "n/a.log", "n/b.c", "n/sub/b.c",
		"n/sub/c.txt", "q[1].txt", "q1.txt", "w/**/x", "w/v/x", "t/a.TXT", "t/b.txt",
		"anch/x", "y/anch/x", "dironly", "d2/dironly/f", "m/file", "m/dir/f",
	};
	for (size_t i = 0; i < sizeof files / sizeof *files; i++)
		put(t, files[i], strcmp(files[i], "n/.gitignore") == 0
			? "!a.log\n*.c\n!sub/\n!/sub/b.c\n" : "");
	put(t, ".gitignore",
		"*.log\n!keep.log\n/doc/**/*.tmp\nbuild/\n*.o\n**/gen/\nlib/*\n!lib/keep/\n"
		"x/*/z.txt\n\\#hash\n\\!bang\nsp\\ ace\nsp \nfoo/**/bar\nabc/**/ghi.txt\n"
		"re/\n!re/inc.c\nq[1].txt\nw/\\*\\*/x\n*.[Tt][Xx][Tt]\n!a.txt\n/anch/\n"
		"dironly/\nm/*\n!m/dir\n");
	char *cmd = xasprintf("cd '%s' && git init -q . >/dev/null 2>&1 && "
		"git -c core.excludesFile=/dev/null ls-files --others --exclude-standard"
		" > '%s/git.out'", t, tmproot);
	int rc = system(cmd);
	free(cmd);
	CHECK(rc == 0, "git ls-files ran");
	char *out = xasprintf("%s/git.out", tmproot);
	FILE *f = fopen(out, "r");
	CL_VEC(char) want = { 0 };
	char line[4096];
	while (f && fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (want.n)
			cl_vec_push(&want, ',');
		/* git quotes odd names; none of ours need it */
		for (char *s = line; *s; s++)
			cl_vec_push(&want, *s);
	}
	cl_vec_push(&want, '\0');
	if (f)
		fclose(f);
	expect_tree(__LINE__, t, want.v);
	cl_vec_free(&want);
	free(out);
	free(t);
}

/* --- config include / exclude (cl_discovery_filter) ------------------------ */

static void test_filter(void)
{
	char *t = newtree("filter");
	put(t, "src/app.py", "");
	put(t, "src/gen/out.py", "");
	put(t, "src/gen/keep.py", "");
	put(t, "src/static/vendor.min.js", "");
	put(t, "lib/deep/a/b/util.py", "");
	put(t, "tests/fixtures/old.py", "");
	put(t, "tests/test_app.py", "");
	put(t, "README.md", "");
	static const struct {
		const char *inc[3], *exc[3];
		const char *want;
	} cases[] = {
		{ {NULL}, {NULL},
		  "README.md,lib/deep/a/b/util.py,src/app.py,src/gen/keep.py,src/gen/out.py,"
		  "src/static/vendor.min.js,tests/fixtures/old.py,tests/test_app.py" },
		/* a folder pattern covers everything below it; a name matches at any depth */
		{ {"src/", NULL}, {"gen/", "*.min.js", NULL}, "src/app.py" },
		/* ** spans folders; an anchored pattern matches at the root only */
		{ {"lib/**/*.py", "/README.md", NULL}, {NULL}, "README.md,lib/deep/a/b/util.py" },
		/* negation re-includes a file, but not below an excluded folder */
		{ {NULL}, {"src/gen/*", "!src/gen/keep.py", "tests/"},
		  "README.md,lib/deep/a/b/util.py,src/app.py,src/gen/keep.py,src/static/vendor.min.js" },
		{ {NULL}, {"src/gen/", "!src/gen/keep.py", "tests/**"},
		  "README.md,lib/deep/a/b/util.py,src/app.py,src/static/vendor.min.js" },
		/* a pattern without a slash also matches a folder name */
		{ {"tests", NULL}, {"fixtures", NULL}, "tests/test_app.py" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *inc[3] = {0}, *exc[3] = {0};
		size_t ni = 0, ne = 0;
		while (ni < 3 && cases[i].inc[ni]) {
			inc[ni] = (char *)cases[i].inc[ni];
			ni++;
		}
		while (ne < 3 && cases[i].exc[ne]) {
			exc[ne] = (char *)cases[i].exc[ne];
			ne++;
		}
		struct cl_discovery d;
		char *err = NULL;
		const char *args[] = { t };
		CHECK(cl_discover(&d, args, 1, &err), "discover %s", t);
		cl_discovery_filter(&d, inc, ni, exc, ne);
		char *got = joined(&d);
		CHECK(strcmp(got, cases[i].want) == 0, "filter case %zu\n  want: %s\n  got:  %s", i,
			cases[i].want, got);
		CHECK(sorted_unique(&d), "filter case %zu: sorted", i);
		free(got);
		cl_discovery_finish(&d);
	}
	free(t);
}

int main(void)
{
	snprintf(tmproot, sizeof tmproot, "%s/claudit-discover-XXXXXX",
		getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(tmproot)) {
		perror("mkdtemp");
		return 2;
	}
	test_wildmatch();
	test_gitignore_lines();
	test_skip_list();
	test_gitignore_walk();
	test_symlinks();
	test_explicit();
	test_paths();
	test_depth();
	test_unreadable();
	test_against_git();
	test_filter();

	char *cmd = xasprintf("chmod -R u+rwx '%s' 2>/dev/null; rm -rf '%s'", tmproot, tmproot);
	if (failed == 0 && system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmproot);
	else if (failed)
		fprintf(stderr, "left %s for inspection\n", tmproot);
	free(cmd);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
