/*
 * discover.h — turns the command line's paths into the list of files to scan.
 * Directories are walked honouring .gitignore files (nested ones, negations,
 * anchored and directory-only patterns, `**`; see gitignore.h) and
 * .git/info/exclude; when a directory lies inside a git work tree, the
 * ignore files above it up to the work tree's top apply too. Dependency,
 * cache and VCS folders are skipped (one sorted table in discover.c: .git,
 * node_modules, virtualenvs — any folder holding pyvenv.cfg —, __pycache__,
 * .next, ...); dist/ and build/ are scanned, bundles can leak keys. Paths
 * named on the command line are always scanned, even if ignored or in the
 * skip table. Inside a git repository, files git's index tracks are listed
 * even when an ignore rule names them (gitindex.h). A virtualenv is a
 * folder whose pyvenv.cfg names `home` (an empty one is not); it is left
 * out with a note. Symlinks are followed only when they resolve inside the
 * walked argument (each one that does not is a note); a file reached twice
 * (link or hard link) is listed once, under its real path when it has one;
 * a directory is read at most once (device + inode), so loops end; dangling
 * links are skipped silently. Owns the file list; reads no file contents
 * beyond .gitignore files, pyvenv.cfg and git's index, and classifies
 * nothing.
 */
#ifndef CL_DISCOVER_H
#define CL_DISCOVER_H
#include <stdbool.h>
#include <stddef.h>

struct cl_discovered {
	char *fs_path;   /* path to open */
	char *path;      /* reported path: relative to the scan root, '/' separators */
	bool explicit_;  /* named on the command line */
};

struct cl_discovery {
	struct cl_discovered *files; /* sorted by path, no duplicates */
	size_t nfiles;
	char **notes;    /* sorted "path: reason": unreadable directories,
	                    nesting deeper than 256 levels (not walked),
	                    named paths that are not regular files (skipped) */
	size_t nnotes;
	size_t dirs_skipped;  /* directories not (fully) read: each has a note */
	size_t files_skipped; /* named paths skipped: each has a note */
	char *root;      /* the scan root: the single directory given (without
	                    "./" or trailing '/'), else "." */
};

/*
 * Discovers files under PATHS (NPATHS == 0 means "."). The scan root is the
 * single directory given, or the current directory; reported paths are
 * relative to it with '/' separators and no "./". A single file is reported
 * as given (minus "./"); with several paths, absolute ones inside the current
 * directory are made relative to it and others are kept as given. Output is
 * sorted by path (strcmp), without duplicates. Returns false with *ERR
 * ("PATH: no such file or directory"; caller frees) and D empty when a path
 * given on the command line does not exist or cannot be read: a usage
 * error, exit 2. Release D with cl_discovery_finish (accepts NULL).
 */
bool cl_discover(struct cl_discovery *d, const char *const *paths, size_t npaths, char **err);
void cl_discovery_finish(struct cl_discovery *d);

/*
 * The config's include / exclude globs (.claudit.json): keeps the files
 * that match an INCLUDE pattern (when there is one) and no EXCLUDE pattern.
 * Each list is read as a .gitignore at the scan root and matched against
 * the reported path: a pattern without '/' matches a name at any depth, a
 * leading '/' anchors it to the root, a trailing '/' matches folders only,
 * `**` spans folders, `!pattern` re-includes; a file matches when it or a
 * folder above it does (and, as in git, nothing below a matching folder can
 * be negated back). Files named on the command line are filtered too.
 */
void cl_discovery_filter(struct cl_discovery *d, char *const *include, size_t ninclude,
	char *const *exclude, size_t nexclude);

/* The indices of D's files, the largest first (equal sizes in D's order);
 * a file that cannot be stat'ed counts as empty. Caller frees. */
size_t *cl_discovery_largest_first(const struct cl_discovery *d);

#endif
