/*
 * gitindex.c — reads git's index file format (gitindex.h), as documented
 * in gitformat-index(5) (https://man7.org/linux/man-pages/man5/gitformat-index.5.html,
 * read 2026-12-07; the same text as git's Documentation/gitformat-index.txt
 * and the manual of Ubuntu's git-man 2.43.0): a 12-byte header ("DIRC",
 * version, entry count), then the entries, each 40 bytes of stat data, the
 * object id, 16 bits of flags (name length in the low 12), in version 3+ an
 * extended-flags word when flag 0x4000 is set, then the path: in versions 2
 * and 3 NUL-terminated and padded to a multiple of 8 bytes, in version 4
 * prefix-compressed (a varint of bytes to drop from the previous path, then
 * the NUL-terminated rest). Extensions and the trailing checksum are not
 * needed for the path list and are not read.
 */
#include "scan/gitindex.h"

#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scan/fileio.h"
#include "support/xalloc.h"

#define MAX_INDEX_BYTES (1u << 30)

struct cl_gitindex {
	char **paths;
	size_t n;
};

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* git's decode_varint (varint.c); false when it runs past END or overflows. */
static bool varint(const unsigned char **pp, const unsigned char *end, size_t *out)
{
	const unsigned char *p = *pp;
	if (p >= end)
		return false;
	unsigned char c = *p++;
	size_t val = c & 127;
	while (c & 128) {
		if (p >= end || val > (SIZE_MAX >> 8))
			return false;
		c = *p++;
		val = ((val + 1) << 7) + (c & 127);
	}
	*pp = p;
	*out = val;
	return true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cl_gitindex_destroy(struct cl_gitindex *ix)
{
	if (!ix)
		return;
	for (size_t i = 0; i < ix->n; i++)
		free(ix->paths[i]);
	free(ix->paths);
	free(ix);
}

struct cl_gitindex *cl_gitindex_parse(const char *data, size_t len, size_t hashlen)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;
	if (len < 12 || memcmp(p, "DIRC", 4) != 0 || (hashlen != 20 && hashlen != 32))
		return NULL;
	uint32_t version = be32(p + 4), count = be32(p + 8);
	if (version < 2 || version > 4)
		return NULL;
	/* the smallest entry is 40 + hashlen + 2 + 1 bytes: bounds the count */
	if (count > (len - 12) / (40 + hashlen + 3))
		return NULL;
	p += 12;
	struct cl_gitindex *ix = xcalloc(1, sizeof *ix);
	ix->paths = xcalloc(count ? count : 1, sizeof *ix->paths);
	CL_VEC(char) prev = { 0 };
	cl_vec_push(&prev, '\0');
	bool ok = true;
	for (uint32_t i = 0; i < count && ok; i++) {
		const unsigned char *start = p;
		size_t fixed = 40 + hashlen + 2;
		if ((size_t)(end - p) < fixed) {
			ok = false;
			break;
		}
		unsigned flags = (unsigned)p[40 + hashlen] << 8 | p[40 + hashlen + 1];
		p += fixed;
		if (flags & 0x4000) {
			if (version < 3 || end - p < 2) {
				ok = false;
				break;
			}
			p += 2;
		}
		const unsigned char *name = p;
		size_t drop = 0;
		if (version == 4 && !(ok = varint(&p, end, &drop) && drop < prev.n))
			break;
		const unsigned char *nul = memchr(p, 0, (size_t)(end - p));
		if (!nul) {
			ok = false;
			break;
		}
		size_t rest = (size_t)(nul - p);
		char *path;
		if (version == 4) {
			size_t keep = prev.n - 1 - drop;
			prev.n = keep;
			for (const unsigned char *q = p; q < nul; q++)
				cl_vec_push(&prev, (char)*q);
			cl_vec_push(&prev, '\0');
			path = xstrdup(prev.v);
			p = nul + 1;
		} else {
			path = xstrndup((const char *)name, rest);
			/* padded with 1 to 8 NULs to a multiple of 8 bytes */
			size_t entry = ((size_t)(name - start) + rest + 8) & ~(size_t)7;
			if ((size_t)(end - start) < entry) {
				free(path);
				ok = false;
				break;
			}
			p = start + entry;
		}
		if (!*path || path[0] == '/') {
			free(path);
			continue;
		}
		ix->paths[ix->n++] = path;
	}
	cl_vec_free(&prev);
	if (!ok) {
		cl_gitindex_destroy(ix);
		return NULL;
	}
	if (ix->n > 1)
		qsort(ix->paths, ix->n, sizeof *ix->paths, cmp_str);
	size_t k = 0;
	for (size_t i = 0; i < ix->n; i++) {
		if (k && strcmp(ix->paths[k - 1], ix->paths[i]) == 0) {
			free(ix->paths[i]);
			continue;
		}
		ix->paths[k++] = ix->paths[i];
	}
	ix->n = k;
	return ix;
}

/* 32 when GITDIR/config (or its commondir's) declares objectformat = sha256. */
static size_t hash_len(const char *gitdir)
{
	size_t len;
	const char *why;
	char *path = xasprintf("%s/config", gitdir);
	char *cfg = cl_file_read(AT_FDCWD, path, false, 1u << 20, &len, &why);
	free(path);
	size_t h = 20;
	for (char *line = cfg; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = 0;
		if (strcasestr(line, "objectformat") && strcasestr(line, "sha256"))
			h = 32;
		line = nl ? nl + 1 : NULL;
	}
	free(cfg);
	return h;
}

struct cl_gitindex *cl_gitindex_load(const char *gitdir)
{
	size_t len;
	const char *why;
	char *path = xasprintf("%s/index", gitdir);
	char *data = cl_file_read(AT_FDCWD, path, false, MAX_INDEX_BYTES, &len, &why);
	free(path);
	if (!data)
		return NULL;
	size_t h = hash_len(gitdir);
	if (h == 20) {
		char *common = xasprintf("%s/commondir", gitdir);
		char *cd = cl_file_read(AT_FDCWD, common, false, 4096, &len, &why);
		free(common);
		if (cd) {
			cd[strcspn(cd, "\r\n")] = 0;
			char *dir = cd[0] == '/' ? xstrdup(cd) : xasprintf("%s/%s", gitdir, cd);
			h = hash_len(dir);
			free(dir);
			free(cd);
		}
	}
	struct cl_gitindex *ix = cl_gitindex_parse(data, len, h);
	free(data);
	return ix;
}

size_t cl_gitindex_count(const struct cl_gitindex *ix)
{
	return ix ? ix->n : 0;
}

const char *cl_gitindex_path(const struct cl_gitindex *ix, size_t i)
{
	return ix->paths[i];
}

/* The first path not below KEY in strcmp order. */
static size_t lower_bound(const struct cl_gitindex *ix, const char *key)
{
	size_t lo = 0, hi = ix->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ix->paths[mid], key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

bool cl_gitindex_tracks(const struct cl_gitindex *ix, const char *path)
{
	if (!ix || !ix->n)
		return false;
	size_t i = lower_bound(ix, path);
	if (i < ix->n && strcmp(ix->paths[i], path) == 0)
		return true;
	/* a sparse directory entry "dir/" above PATH */
	for (const char *s = strchr(path, '/'); s; s = strchr(s + 1, '/')) {
		char *dir = xstrndup(path, (size_t)(s - path) + 1);
		size_t j = lower_bound(ix, dir);
		bool hit = j < ix->n && strcmp(ix->paths[j], dir) == 0;
		free(dir);
		if (hit)
			return true;
	}
	return false;
}

bool cl_gitindex_tracks_under(const struct cl_gitindex *ix, const char *dir)
{
	if (!ix || !ix->n)
		return false;
	if (!*dir)
		return true;
	char *prefix = xasprintf("%s/", dir);
	size_t n = strlen(prefix), i = lower_bound(ix, prefix);
	bool hit = i < ix->n && strncmp(ix->paths[i], prefix, n) == 0;
	free(prefix);
	return hit || cl_gitindex_tracks(ix, dir);
}
