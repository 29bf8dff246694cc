/*
 * fuzz_gitindex.c — the git index reader (gitindex.c) on arbitrary bytes,
 * read with both object id sizes (SHA-1 and SHA-256). Nothing may crash,
 * hang or read out of bounds; when the bytes parse, the path list must be
 * sorted without duplicates, every path must be found by
 * cl_gitindex_tracks, and every folder above it by cl_gitindex_tracks_under.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "scan/gitindex.h"
#include "support/xalloc.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static void check(const struct cl_gitindex *ix)
{
	size_t n = cl_gitindex_count(ix);
	for (size_t i = 0; i < n; i++) {
		const char *p = cl_gitindex_path(ix, i);
		if (i && strcmp(cl_gitindex_path(ix, i - 1), p) >= 0)
			fuzz_fail("paths not sorted and unique");
		if (!*p || !cl_gitindex_tracks(ix, p))
			fuzz_fail("a listed path is not tracked");
		for (const char *s = strchr(p, '/'); s && s[1]; s = strchr(s + 1, '/')) {
			char *dir = xstrndup(p, (size_t)(s - p));
			bool under = cl_gitindex_tracks_under(ix, dir);
			free(dir);
			if (!under)
				fuzz_fail("a folder above a tracked path holds none");
		}
	}
	cl_gitindex_tracks(ix, "");
	cl_gitindex_tracks_under(ix, "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const size_t hashes[] = {20, 32};
	for (size_t h = 0; h < 2; h++) {
		struct cl_gitindex *ix = cl_gitindex_parse((const char *)data, size, hashes[h]);
		if (ix)
			check(ix);
		cl_gitindex_destroy(ix);
	}
	return 0;
}
