/*
 * facts_paths.c — path values (`__file__`, `__dirname`, `Path(...)`,
 * `path.join(...)`) and the contents of files read from them: a file of the
 * scanned tree read at extraction time, for prompt sizes (CL10).
 */
#include "model/facts_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/fileio.h"
#include "support/xalloc.h"

struct cl_value *facts_path_value(struct ctx *c, TSNode n, const char *path, bool anchored)
{
	struct cl_value *v = new_value(c, CL_V_PATH, n);
	v->str = path;
	v->len = strlen(path);
	v->b = anchored;
	return v;
}

/* DIR/REL with "." and ".." resolved ("" for the root; a leading ".." stays);
 * NULL when REL is absolute or too long. */
const char *facts_path_join(struct ctx *c, const char *dir, const char *rel)
{
	if (rel[0] == '/' || rel[0] == '~')
		return NULL;
	char tmp[1024], out[1024];
	int k = snprintf(tmp, sizeof tmp, "%s/%s", dir, rel);
	if (k < 0 || (size_t)k >= sizeof tmp)
		return NULL;
	size_t len = 0;
	for (char *p = tmp; *p;) {
		char *slash = strchr(p, '/');
		size_t sl = slash ? (size_t)(slash - p) : strlen(p);
		if (sl == 0 || (sl == 1 && p[0] == '.')) {
			/* nothing */
		} else if (sl == 2 && p[0] == '.' && p[1] == '.' && len && !(len >= 2 && out[len - 1] == '.' &&
			   out[len - 2] == '.' && (len == 2 || out[len - 3] == '/'))) {
			while (len && out[len - 1] != '/')
				len--;
			if (len)
				len--;
		} else {
			if (len)
				out[len++] = '/';
			memcpy(out + len, p, sl);
			len += sl;
		}
		p += sl + (slash ? 1 : 0);
	}
	out[len] = 0;
	return cl_arena_strdup(c->A, out);
}

const char *facts_path_dir(struct ctx *c, const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? cl_arena_strndup(c->A, path, (size_t)(slash - path)) : "";
}

#define MAX_FILE_READ (1u << 20)

/* The contents of the file at root-relative REL, or NULL (outside the tree,
 * not a regular file, unreadable). */
static struct cl_value *read_tree_file(struct ctx *c, TSNode n, const char *rel)
{
	if (!rel || !*rel || !strncmp(rel, "..", 2))
		return NULL;
	const char *fs = c->src->fs_path, *p = c->src->path;
	size_t fl = strlen(fs), pl = strlen(p);
	const char *full;
	if (fl >= pl && !strcmp(fs + fl - pl, p))
		full = cl_arena_printf(c->A, "%.*s%s", (int)(fl - pl), fs, rel);
	else
		return NULL;
	/* the scanned tree is not trusted: a link out of the scan root is not
	 * followed, and only a regular file is read (never a FIFO or device) */
	char *root = fl > pl ? xstrndup(fs, fl - pl) : xstrdup(".");
	char *root_real = realpath(root, NULL);
	free(root);
	bool inside = root_real && cl_path_within(full, root_real);
	free(root_real);
	if (!inside)
		return NULL;
	const char *why;
	int fd = cl_file_open_regular(AT_FDCWD, full, false, &why);
	if (fd < 0)
		return NULL;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return NULL;
	}
	size_t want = (size_t)st.st_size < MAX_FILE_READ ? (size_t)st.st_size : MAX_FILE_READ;
	char *buf = cl_arena_alloc(c->A, want + 1);
	size_t got = 0;
	while (got < want) {
		ssize_t r = read(fd, buf + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = 0;
	struct cl_value *v = new_value(c, CL_V_STRING, n);
	v->str = buf;
	v->len = got;
	v->open = (size_t)st.st_size > got;
	v->file = cl_arena_strdup(c->A, rel);
	return v;
}

/* What reading P gives: a literal path is tried against the scan root (the
 * usual working directory) and then the source file's directory; a path
 * built from __file__ / __dirname is where it says. */
struct cl_value *facts_file_contents(struct ctx *c, TSNode n, const struct cl_value *p)
{
	struct cl_value *v = NULL;
	if (p->kind == CL_V_PATH && p->b)
		v = read_tree_file(c, n, p->str);
	else if ((p->kind == CL_V_PATH || p->kind == CL_V_STRING) && !p->open && p->str[0]) {
		v = read_tree_file(c, n, facts_path_join(c, "", p->str));
		if (!v)
			v = read_tree_file(c, n, facts_path_join(c, facts_path_dir(c, c->f->path), p->str));
	}
	return v ? v : facts_taint_with(c, unknown(c, n), p->taint);
}

/* A path value from V: a PATH, or a string taken as written. */
bool facts_as_path(const struct cl_value *v, const char **path, bool *anchored)
{
	if (v->kind == CL_V_PATH) {
		*path = v->str;
		*anchored = v->b;
		return true;
	}
	if (v->kind == CL_V_STRING && !v->open) {
		*path = v->str;
		*anchored = false;
		return true;
	}
	return false;
}

struct cl_value *facts_path_join_value(struct ctx *c, TSNode n, struct cl_value *a, struct cl_value *b)
{
	const char *pa, *pb;
	bool anch, banch;
	if (!facts_as_path(a, &pa, &anch) || !facts_as_path(b, &pb, &banch) || banch)
		return unknown(c, n);
	const char *j = facts_path_join(c, pa, pb);
	return j ? facts_path_value(c, n, j, anch) : unknown(c, n);
}

