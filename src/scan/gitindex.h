/*
 * gitindex.h — the paths git tracks, read from a repository's index file
 * (.git/index, format versions 2, 3 and 4; SHA-1 or SHA-256 object ids;
 * sparse-index directory entries). Our own reader: claudit links no git
 * library. Used by discover.c so that a tracked file is scanned even when an
 * ignore rule lists it, as git itself keeps tracking it. The index is
 * untrusted input: every length is checked, nothing is assumed about order.
 * Owns the path list; knows nothing of directory walking.
 */
#ifndef CL_GITINDEX_H
#define CL_GITINDEX_H
#include <stdbool.h>
#include <stddef.h>

struct cl_gitindex;

/*
 * Parses an index file's bytes; HASHLEN is the object id size (20 for
 * SHA-1, 32 for SHA-256). NULL when the bytes are not a readable index of a
 * known version. Destroy with cl_gitindex_destroy (accepts NULL).
 */
struct cl_gitindex *cl_gitindex_parse(const char *data, size_t len, size_t hashlen);

/* Reads GITDIR/index (GITDIR: the repository's .git directory, or what a
 * .git file's "gitdir:" line names) with the hash its config declares;
 * NULL when there is none or it cannot be read. */
struct cl_gitindex *cl_gitindex_load(const char *gitdir);
void cl_gitindex_destroy(struct cl_gitindex *ix);

/* The tracked paths ('/'-separated, relative to the work tree's top),
 * sorted by strcmp, without duplicates (merge stages collapse). */
size_t cl_gitindex_count(const struct cl_gitindex *ix);
const char *cl_gitindex_path(const struct cl_gitindex *ix, size_t i);

/* PATH is tracked (or lies in a sparse directory entry). */
bool cl_gitindex_tracks(const struct cl_gitindex *ix, const char *path);
/* Some tracked path lies below the directory DIR ("" is the top). */
bool cl_gitindex_tracks_under(const struct cl_gitindex *ix, const char *dir);

#endif
