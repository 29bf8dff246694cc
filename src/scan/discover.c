/*
 * discover.c — turns command-line paths into the sorted, deduplicated file
 * list of discover.h. The walk is iterative: a stack of directories still to
 * read, each carrying the chain of .gitignore files in force; symlinked
 * directories wait in a queue until every real directory has been read, so
 * files are reported under their real path when they have one.
 */
#include "scan/discover.h"

#include "scan/fileio.h"
#include "scan/gitignore.h"
#include "scan/gitindex.h"
#include "support/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_DEPTH 256

/* Directories never walked (unless named on the command line); sorted. */
static const char *const skip_dirs[] = {
	".cache",
	".git",
	".hg",
	".mypy_cache",
	".next",
	".nox",
	".pytest_cache",
	".ruff_cache",
	".svn",
	".tox",
	".venv",
	"__pycache__",
	"bower_components",
	"node_modules",
	"site-packages",
	"venv",
};

/*
 * One level of ignore rules: a .gitignore (or .git/info/exclude) and how to
 * turn a path relative to the walked argument into a path relative to the
 * file's directory: drop SKIP bytes (deeper files) or prepend PREFIX (files
 * above the argument, up to the enclosing repository's top).
 */
struct frame {
	struct cl_gitignore *g;
	char *prefix;
	size_t skip;
	struct frame *parent;
	size_t refs;
};

struct cand {
	char *fs_path;
	char *path;
	dev_t dev;
	ino_t ino;
	bool explicit_;
	bool via_link;
};

struct work {
	char *rel;          /* relative to the argument being walked, "" for itself */
	struct frame *fr;   /* one reference owned by this item */
	unsigned depth;
	bool via_link;
	bool tracked_only;  /* below an ignored folder: only files git tracks */
};

struct workvec {
	struct work *v;
	size_t n, cap;
};

struct dirkey {
	dev_t dev;
	ino_t ino;
	bool used;
};

struct walk {
	CL_VEC(struct cand) cands;
	CL_VEC(char *) notes;
	size_t dirs_skipped;    /* one per directory note */
	size_t files_skipped;
	struct {
		struct dirkey *v;
		size_t n, cap;
	} dirs;                 /* every directory read so far */
	const char *fsbase;     /* the argument, normalised: "." "/" "a/b" */
	const char *showbase;   /* prefix of reported paths: "" or "a/b/" */
	char *root_real;        /* the argument, resolved: links must stay below it */
	struct cl_gitindex *ix; /* the enclosing repository's tracked files, or NULL */
	char *sub;              /* the argument relative to the work tree's top: "" or "a/b/" */
	size_t ignored;         /* files and folders left out by ignore rules */
};

static struct frame *frame_new(struct cl_gitignore *g, char *prefix, size_t skip,
	struct frame *parent)
{
	struct frame *f = xcalloc(1, sizeof *f);
	f->g = g;
	f->prefix = prefix;
	f->skip = skip;
	f->parent = parent;
	if (parent)
		parent->refs++;
	f->refs = 1;
	return f;
}

static struct frame *frame_ref(struct frame *f)
{
	if (f)
		f->refs++;
	return f;
}

static void frame_release(struct frame *f)
{
	while (f && --f->refs == 0) {
		struct frame *parent = f->parent;
		cl_gitignore_destroy(f->g);
		free(f->prefix);
		free(f);
		f = parent;
	}
}

static bool is_ignored(const struct frame *f, const char *rel, bool is_dir)
{
	for (; f; f = f->parent) {
		enum cl_gitignore_verdict v;
		if (f->prefix) {
			char *p = xasprintf("%s%s", f->prefix, rel);
			v = cl_gitignore_match(f->g, p, is_dir);
			free(p);
		} else {
			v = cl_gitignore_match(f->g, rel + f->skip, is_dir);
		}
		if (v != CL_GITIGNORE_NONE)
			return v == CL_GITIGNORE_IGNORE;
	}
	return false;
}

static int cmp_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* A directory entry as readdir gave it: its type and inode spare a stat of
 * every regular file (the walk's main cost on a large tree). */
struct dentry {
	char *name;
	unsigned char type; /* DT_REG, DT_DIR, DT_LNK, DT_UNKNOWN, ... */
	ino_t ino;
};

static int cmp_dentry(const void *a, const void *b)
{
	return strcmp(((const struct dentry *)a)->name, ((const struct dentry *)b)->name);
}

static bool is_skipped_dir(const char *name)
{
	return bsearch(&name, skip_dirs, sizeof skip_dirs / sizeof *skip_dirs,
		sizeof *skip_dirs, cmp_name) != NULL;
}

static uint64_t dirkey_hash(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * 0x9E3779B97F4A7C15u;
	return h ^ ((uint64_t)dev * 0xC2B2AE3D27D4EB4Fu) ^ (h >> 29);
}

/* Remembers a directory; false when it was already there. */
static bool dirs_add(struct walk *w, dev_t dev, ino_t ino)
{
	if (2 * (w->dirs.n + 1) > w->dirs.cap) {
		size_t cap = w->dirs.cap ? 2 * w->dirs.cap : 64;
		struct dirkey *v = xcalloc(cap, sizeof *v);
		for (size_t i = 0; i < w->dirs.cap; i++) {
			struct dirkey k = w->dirs.v[i];
			if (!k.used)
				continue;
			size_t j = dirkey_hash(k.dev, k.ino) & (cap - 1);
			while (v[j].used)
				j = (j + 1) & (cap - 1);
			v[j] = k;
		}
		free(w->dirs.v);
		w->dirs.v = v;
		w->dirs.cap = cap;
	}
	size_t j = dirkey_hash(dev, ino) & (w->dirs.cap - 1);
	while (w->dirs.v[j].used) {
		if (w->dirs.v[j].dev == dev && w->dirs.v[j].ino == ino)
			return false;
		j = (j + 1) & (w->dirs.cap - 1);
	}
	w->dirs.v[j] = (struct dirkey){ dev, ino, true };
	w->dirs.n++;
	return true;
}

static char *fs_of(const struct walk *w, const char *rel)
{
	if (!*rel)
		return xstrdup(w->fsbase);
	if (strcmp(w->fsbase, ".") == 0)
		return xstrdup(rel);
	if (strcmp(w->fsbase, "/") == 0)
		return xasprintf("/%s", rel);
	return xasprintf("%s/%s", w->fsbase, rel);
}

static char *show_of(const struct walk *w, const char *rel)
{
	if (*rel)
		return xasprintf("%s%s", w->showbase, rel);
	size_t n = strlen(w->showbase);
	if (!n)
		return xstrdup(".");
	if (n == 1)
		return xstrdup("/");
	return xstrndup(w->showbase, n - 1);
}

static void note_skip(struct walk *w, const char *rel, const char *what, int err, bool dir)
{
	char *shown = show_of(w, rel);
	char *note = err ? xasprintf("%s: %s: %s", shown, what, strerror(err))
		: xasprintf("%s: %s", shown, what);
	free(shown);
	cl_vec_push(&w->notes, note);
	if (dir)
		w->dirs_skipped++;
	else
		w->files_skipped++;
}

static void add_note(struct walk *w, const char *rel, const char *what, int err)
{
	note_skip(w, rel, what, err, true);
}

/* REL (relative to the argument) is a file git tracks, or a folder holding one. */
static bool tracked(const struct walk *w, const char *rel, bool is_dir)
{
	if (!w->ix)
		return false;
	char *top = xasprintf("%s%s", w->sub, rel);
	bool hit = is_dir ? cl_gitindex_tracks_under(w->ix, top) : cl_gitindex_tracks(w->ix, top);
	free(top);
	return hit;
}

/* A virtualenv's pyvenv.cfg names the interpreter it was made from
 * ("home = ..."); an empty or unrelated file of that name is not one. */
static bool is_virtualenv(int dfd)
{
	size_t len;
	const char *why;
	char *cfg = cl_file_read(dfd, "pyvenv.cfg", true, 1u << 16, &len, &why);
	bool venv = false;
	for (char *line = cfg; line && *line && !venv;) {
		while (*line == ' ' || *line == '\t')
			line++;
		venv = strncmp(line, "home", 4) == 0 && strchr(" \t=", line[4]);
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	free(cfg);
	return venv;
}

static void add_cand(struct walk *w, char *fs_path, char *path, const struct stat *st,
	bool explicit_, bool via_link)
{
	struct cand c = { fs_path, path, st->st_dev, st->st_ino, explicit_, via_link };
	cl_vec_push(&w->cands, c);
}

/* Reads one directory, queueing its subdirectories and recording its files. */
static void walk_dir(struct walk *w, const struct work *it, struct workvec *stack,
	struct workvec *deferred)
{
	char *fs = fs_of(w, it->rel);
	int fd = open(fs, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(fs);
	if (fd < 0) {
		add_note(w, it->rel, "cannot read directory", errno);
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !dirs_add(w, st.st_dev, st.st_ino)) {
		close(fd);
		return;
	}
	DIR *dir = fdopendir(fd);
	if (!dir) {
		add_note(w, it->rel, "cannot read directory", errno);
		close(fd);
		return;
	}
	CL_VEC(struct dentry) names = { 0 };
	dev_t dir_dev = st.st_dev;
	bool has_gitignore = false, is_venv = false;
	for (;;) {
		errno = 0;
		struct dirent *de = readdir(dir);
		if (!de) {
			if (errno)
				add_note(w, it->rel, "cannot read directory", errno);
			break;
		}
		const char *n = de->d_name;
		if (n[0] == '.' && (n[1] == '\0' || (n[1] == '.' && n[2] == '\0')))
			continue;
		if (strcmp(n, ".gitignore") == 0)
			has_gitignore = true;
		else if (strcmp(n, "pyvenv.cfg") == 0)
			is_venv = true;
		struct dentry e = { xstrdup(n), de->d_type, de->d_ino };
		cl_vec_push(&names, e);
	}
	int dfd = dirfd(dir);
	struct frame *fr = it->fr, *own = NULL;
	if (is_venv && it->depth > 0 && is_virtualenv(dfd) && !tracked(w, it->rel, true)) {
		add_note(w, it->rel, "a virtualenv (pyvenv.cfg); not scanned", 0);
		goto done;
	}
	if (has_gitignore && !it->tracked_only) {
		struct cl_gitignore *g = cl_gitignore_create();
		if (cl_gitignore_read(g, dfd, ".gitignore") && cl_gitignore_count(g)) {
			size_t skip = *it->rel ? strlen(it->rel) + 1 : 0;
			fr = own = frame_new(g, NULL, skip, it->fr);
		} else {
			cl_gitignore_destroy(g);
		}
	}
	if (names.n)
		qsort(names.v, names.n, sizeof *names.v, cmp_dentry);
	for (size_t i = names.n; i-- > 0;) {
		const char *name = names.v[i].name;
		bool link = false;
		if (names.v[i].type == DT_REG && names.v[i].ino) {
			/* a regular file: readdir's inode and the directory's device
			 * identify it (hard links are read once); no stat needed */
			memset(&st, 0, sizeof st);
			st.st_mode = S_IFREG;
			st.st_dev = dir_dev;
			st.st_ino = names.v[i].ino;
		} else if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
			continue;
		}
		if (S_ISLNK(st.st_mode)) {
			link = true;
			if (fstatat(dfd, name, &st, 0) != 0)
				continue; /* dangling or looping: skipped silently */
		}
		bool is_dir = S_ISDIR(st.st_mode);
		if (!is_dir && !S_ISREG(st.st_mode))
			continue;
		if (is_dir ? is_skipped_dir(name) : strcmp(name, ".git") == 0)
			continue; /* a .git file is a submodule's or worktree's link */
		char *rel = *it->rel ? xasprintf("%s/%s", it->rel, name) : xstrdup(name);
		bool tracked_only = it->tracked_only;
		if (tracked_only ? !tracked(w, rel, is_dir) : is_ignored(fr, rel, is_dir)) {
			if (!tracked_only && tracked(w, rel, is_dir)) {
				tracked_only = is_dir; /* git keeps tracking what it tracks */
			} else {
				w->ignored += !tracked_only;
				free(rel);
				continue;
			}
		}
		if (link) {
			/* a link is followed only when it resolves inside the argument */
			char *fs = fs_of(w, rel);
			bool inside = w->root_real && cl_path_within(fs, w->root_real);
			free(fs);
			if (!inside) {
				note_skip(w, rel, "a symbolic link out of the scan root; not followed", 0, is_dir);
				free(rel);
				continue;
			}
		}
		if (!is_dir) {
			add_cand(w, fs_of(w, rel), xasprintf("%s%s", w->showbase, rel), &st,
				false, it->via_link || link);
			free(rel);
			continue;
		}
		if (it->depth + 1 > MAX_DEPTH) {
			add_note(w, rel, "nested more than 256 directories deep; not walked", 0);
			free(rel);
			continue;
		}
		struct work c = { rel, frame_ref(fr), it->depth + 1, it->via_link || link, tracked_only };
		if (link)
			cl_vec_push(deferred, c);
		else
			cl_vec_push(stack, c);
	}
done:
	for (size_t i = 0; i < names.n; i++)
		free(names.v[i].name);
	cl_vec_free(&names);
	frame_release(own);
	closedir(dir);
}

/*
 * The ignore files that apply above the directory FSDIR: when it lies inside
 * a git work tree, .git/info/exclude and every .gitignore from the top of
 * the work tree down to FSDIR's parent. NULL when there are none.
 */
static struct frame *ancestor_frames(const char *fsdir, struct walk *w)
{
	char *real = realpath(fsdir, NULL);
	if (!real)
		return NULL;
	size_t rlen = strcmp(real, "/") == 0 ? 0 : strlen(real);
	size_t tlen = rlen; /* real[0..tlen) is the candidate top; "" is "/" */
	struct stat st;
	for (;;) {
		char *git = xasprintf("%.*s/.git", (int)tlen, real);
		bool found = lstat(git, &st) == 0;
		free(git);
		if (found)
			break;
		if (tlen == 0) {
			free(real);
			return NULL;
		}
		while (tlen > 0 && real[tlen - 1] != '/')
			tlen--;
		if (tlen > 0)
			tlen--; /* drop the '/' too */
	}
	const char *rest = real + tlen; /* "" or "/x/y" */
	size_t restlen = rlen - tlen;
	struct frame *top = NULL;
	char *gitdir = NULL;
	if (S_ISDIR(st.st_mode)) {
		gitdir = xasprintf("%.*s/.git", (int)tlen, real);
	} else if (S_ISREG(st.st_mode)) {
		/* a worktree's or submodule's .git file: "gitdir: PATH" */
		char *link = xasprintf("%.*s/.git", (int)tlen, real);
		size_t len;
		const char *why;
		char *text = cl_file_read(AT_FDCWD, link, true, 4096, &len, &why);
		free(link);
		if (text && strncmp(text, "gitdir: ", 8) == 0) {
			text[strcspn(text, "\r\n")] = 0;
			gitdir = text[8] == '/' ? xstrdup(text + 8)
				: xasprintf("%.*s/%s", (int)tlen, real, text + 8);
		}
		free(text);
	}
	if (gitdir) {
		w->ix = cl_gitindex_load(gitdir);
		w->sub = restlen ? xasprintf("%s/", rest + 1) : xstrdup("");
		free(gitdir);
	}
	if (S_ISDIR(st.st_mode)) {
		struct cl_gitignore *g = cl_gitignore_create();
		char *path = xasprintf("%.*s/.git/info/exclude", (int)tlen, real);
		if (cl_gitignore_read(g, AT_FDCWD, path) && cl_gitignore_count(g))
			top = frame_new(g, restlen ? xasprintf("%s/", rest + 1) : NULL, 0, NULL);
		else
			cl_gitignore_destroy(g);
		free(path);
	}
	for (size_t pos = 0; pos < restlen;) {
		char *path = xasprintf("%.*s%.*s/.gitignore", (int)tlen, real, (int)pos, rest);
		struct cl_gitignore *g = cl_gitignore_create();
		if (cl_gitignore_read(g, AT_FDCWD, path) && cl_gitignore_count(g)) {
			struct frame *f = frame_new(g, xasprintf("%s/", rest + pos + 1), 0, top);
			frame_release(top);
			top = f;
		} else {
			cl_gitignore_destroy(g);
		}
		free(path);
		const char *next = strchr(rest + pos + 1, '/');
		pos = next ? (size_t)(next - rest) : restlen;
	}
	free(real);
	return top;
}

static void walk_arg(struct walk *w)
{
	struct workvec stack = { 0 };
	struct workvec deferred = { 0 };
	w->root_real = realpath(w->fsbase, NULL);
	struct work root = { xstrdup(""), ancestor_frames(w->fsbase, w), 0, false, false };
	cl_vec_push(&stack, root);
	size_t next_deferred = 0;
	for (;;) {
		while (stack.n) {
			struct work it = stack.v[--stack.n];
			walk_dir(w, &it, &stack, &deferred);
			free(it.rel);
			frame_release(it.fr);
		}
		if (next_deferred == deferred.n)
			break;
		cl_vec_push(&stack, deferred.v[next_deferred]);
		next_deferred++;
	}
	cl_vec_free(&stack);
	cl_vec_free(&deferred);
	free(w->root_real);
	cl_gitindex_destroy(w->ix);
	free(w->sub);
	w->root_real = NULL;
	w->ix = NULL;
	w->sub = NULL;
}

/* Drops empty and "." components and trailing '/'; "" becomes ".". */
static char *normalize(const char *p)
{
	CL_VEC(char) out = { 0 };
	if (p[0] == '/')
		cl_vec_push(&out, '/');
	const char *s = p;
	for (;;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		const char *e = s;
		while (*e && *e != '/')
			e++;
		if (!(e - s == 1 && s[0] == '.')) {
			if (out.n && out.v[out.n - 1] != '/')
				cl_vec_push(&out, '/');
			for (; s < e; s++)
				cl_vec_push(&out, *s);
		}
		s = e;
	}
	if (!out.n)
		cl_vec_push(&out, '.');
	cl_vec_push(&out, '\0');
	return out.v;
}

/* PATH (normalised) relative to CWD when it lies inside it, else itself. */
static const char *under_cwd(const char *path, const char *cwd)
{
	if (!cwd || path[0] != '/')
		return path;
	size_t n = strlen(cwd);
	if (n == 1)
		return path[1] ? path + 1 : ".";
	if (strncmp(path, cwd, n) != 0)
		return path;
	if (path[n] == '\0')
		return ".";
	return path[n] == '/' ? path + n + 1 : path;
}

static char *errmsg(const char *arg, const char *what, int err)
{
	char *e = xstrdup(strerror(err));
	e[0] = (char)tolower((unsigned char)e[0]);
	char *m = what ? xasprintf("%s: %s: %s", arg, what, e) : xasprintf("%s: %s", arg, e);
	free(e);
	return m;
}

static int cmp_cand_inode(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	if (x->explicit_ != y->explicit_)
		return x->explicit_ ? -1 : 1;
	if (x->via_link != y->via_link)
		return x->via_link ? 1 : -1;
	return strcmp(x->path, y->path);
}

static int cmp_cand_path(const void *a, const void *b)
{
	const struct cand *x = a, *y = b;
	return strcmp(x->path, y->path);
}

/* One file per inode (the explicit, link-free, smallest path), then by path. */
static void finish_files(struct walk *w, struct cl_discovery *d)
{
	struct cand *c = w->cands.v;
	size_t n = w->cands.n, k = 0;
	if (n)
		qsort(c, n, sizeof *c, cmp_cand_inode);
	for (size_t i = 0; i < n; i++) {
		if (k && c[k - 1].dev == c[i].dev && c[k - 1].ino == c[i].ino) {
			c[k - 1].explicit_ |= c[i].explicit_;
			free(c[i].fs_path);
			free(c[i].path);
			continue;
		}
		c[k++] = c[i];
	}
	if (k)
		qsort(c, k, sizeof *c, cmp_cand_path);
	d->files = xcalloc(k, sizeof *d->files);
	for (size_t i = 0; i < k; i++) {
		if (d->nfiles && strcmp(d->files[d->nfiles - 1].path, c[i].path) == 0) {
			d->files[d->nfiles - 1].explicit_ |= c[i].explicit_;
			free(c[i].fs_path);
			free(c[i].path);
			continue;
		}
		d->files[d->nfiles++] = (struct cl_discovered){ c[i].fs_path, c[i].path, c[i].explicit_ };
	}
	cl_vec_free(&w->cands);
}

bool cl_discover(struct cl_discovery *d, const char *const *paths, size_t npaths, char **err)
{
	memset(d, 0, sizeof *d);
	*err = NULL;
	static const char *const dot[] = { "." };
	if (!npaths) {
		paths = dot;
		npaths = 1;
	}
	char **norm = xcalloc(npaths, sizeof *norm);
	bool *is_dir = xcalloc(npaths, sizeof *is_dir);
	for (size_t i = 0; i < npaths && !*err; i++) {
		norm[i] = normalize(paths[i]);
		struct stat st;
		if (stat(norm[i], &st) != 0) {
			*err = errmsg(paths[i], NULL, errno);
		} else if (S_ISDIR(st.st_mode)) {
			is_dir[i] = true;
			int fd = open(norm[i], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (fd < 0)
				*err = errmsg(paths[i], "cannot read directory", errno);
			else
				close(fd);
		} else if (S_ISREG(st.st_mode) && access(norm[i], R_OK) != 0) {
			*err = errmsg(paths[i], NULL, errno);
		}
	}
	if (*err) {
		for (size_t i = 0; i < npaths; i++)
			free(norm[i]);
		free(norm);
		free(is_dir);
		return false;
	}

	bool single_dir = npaths == 1 && is_dir[0];
	d->root = xstrdup(single_dir ? norm[0] : ".");
	char *cwd = single_dir || npaths == 1 ? NULL : getcwd(NULL, 0);
	struct walk w = { 0 };
	for (size_t i = 0; i < npaths; i++) {
		const char *shown = under_cwd(norm[i], cwd);
		if (is_dir[i]) {
			char *showbase = single_dir || strcmp(shown, ".") == 0 ? xstrdup("")
				: strcmp(shown, "/") == 0 ? xstrdup("/") : xasprintf("%s/", shown);
			w.fsbase = norm[i];
			w.showbase = showbase;
			walk_arg(&w);
			free(showbase);
			continue;
		}
		struct stat st;
		if (stat(norm[i], &st) != 0)
			continue; /* vanished since it was checked */
		if (!S_ISREG(st.st_mode)) {
			char *note = xasprintf("%s: not a regular file; skipped", shown);
			cl_vec_push(&w.notes, note);
			w.files_skipped++;
			continue;
		}
		add_cand(&w, xstrdup(norm[i]), xstrdup(shown), &st, true, false);
	}
	free(cwd);
	finish_files(&w, d);
	if (!d->nfiles && w.ignored)
		cl_vec_push(&w.notes, xstrdup("ignore rules (.gitignore, .git/info/exclude) leave out "
			"every file under the scan root; nothing was scanned"));
	if (w.notes.n)
		qsort(w.notes.v, w.notes.n, sizeof *w.notes.v, cmp_name);
	d->notes = w.notes.v;
	d->nnotes = w.notes.n;
	d->dirs_skipped = w.dirs_skipped;
	d->files_skipped = w.files_skipped;
	free(w.dirs.v);
	for (size_t i = 0; i < npaths; i++)
		free(norm[i]);
	free(norm);
	free(is_dir);
	return true;
}

void cl_discovery_finish(struct cl_discovery *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->nfiles; i++) {
		free(d->files[i].fs_path);
		free(d->files[i].path);
	}
	free(d->files);
	for (size_t i = 0; i < d->nnotes; i++)
		free(d->notes[i]);
	free(d->notes);
	free(d->root);
	memset(d, 0, sizeof *d);
}

static struct cl_gitignore *globs_of(char *const *patterns, size_t n)
{
	if (!n)
		return NULL;
	struct cl_gitignore *g = cl_gitignore_create();
	for (size_t i = 0; i < n; i++)
		cl_gitignore_add_line(g, patterns[i], strlen(patterns[i]));
	cl_gitignore_index(g);
	return g;
}

void cl_discovery_filter(struct cl_discovery *d, char *const *include, size_t ninclude,
	char *const *exclude, size_t nexclude)
{
	struct cl_gitignore *inc = globs_of(include, ninclude), *exc = globs_of(exclude, nexclude);
	if (!inc && !exc)
		return;
	size_t k = 0;
	for (size_t i = 0; i < d->nfiles; i++) {
		const char *p = d->files[i].path;
		if ((inc && !cl_gitignore_covers(inc, p)) || (exc && cl_gitignore_covers(exc, p))) {
			free(d->files[i].fs_path);
			free(d->files[i].path);
			continue;
		}
		d->files[k++] = d->files[i];
	}
	if (!k && d->nfiles) {
		d->notes = xrealloc(d->notes, (d->nnotes + 1) * sizeof *d->notes);
		d->notes[d->nnotes++] = xstrdup("the config's include / exclude patterns leave out "
			"every file; nothing was scanned");
	}
	d->nfiles = k;
	cl_gitignore_destroy(inc);
	cl_gitignore_destroy(exc);
}
