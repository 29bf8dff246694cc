/*
 * gitignore.h — one .gitignore file's patterns and git's matching rules:
 * comments, blank lines, trailing spaces (unless escaped), `!negation`,
 * `\#` and `\!` escapes, leading or inner `/` anchoring to the file's
 * directory, trailing `/` for directories only, `*`, `?`, `[...]` (ranges,
 * `!`/`^` negation, `[:class:]`), and a double star (`**`) that spans
 * directories when it stands for a whole leading, inner or trailing path
 * component. Matching follows git's wildmatch with WM_PATHNAME.
 * Owns its patterns; knows nothing of directory walking: the caller passes
 * paths relative to the directory holding the file and decides precedence
 * between files (deeper files first, .git/info/exclude last).
 */
#ifndef CL_GITIGNORE_H
#define CL_GITIGNORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cl_gitignore;

enum cl_gitignore_verdict {
	CL_GITIGNORE_NONE,    /* no pattern matched: ask the next file */
	CL_GITIGNORE_IGNORE,  /* the last matching pattern excludes */
	CL_GITIGNORE_INCLUDE, /* the last matching pattern is a `!negation` */
};

/* An empty pattern list; destroy with cl_gitignore_destroy. */
struct cl_gitignore *cl_gitignore_create(void);
void cl_gitignore_destroy(struct cl_gitignore *g);

/* Adds one line (without its newline; a trailing CR is dropped). */
void cl_gitignore_add_line(struct cl_gitignore *g, const char *line, size_t len);

/* Adds every line of BUF (a whole file; a leading UTF-8 BOM is skipped). */
void cl_gitignore_add_buffer(struct cl_gitignore *g, const char *buf, size_t len);

/*
 * Reads the file PATH (relative to DIRFD, or AT_FDCWD) and adds its lines.
 * Like git, a symlinked .gitignore is not followed; the file is opened
 * without blocking and read only when it is a regular file (a FIFO named
 * .gitignore is passed over). Returns false, with
 * errno set, when the file cannot be opened or read.
 */
bool cl_gitignore_read(struct cl_gitignore *g, int dirfd, const char *path);

size_t cl_gitignore_count(const struct cl_gitignore *g);

/*
 * The verdict of the last pattern matching PATH: '/'-separated, relative
 * to the directory holding the file, no leading or trailing '/'. IS_DIR
 * says whether PATH names a directory (for patterns ending in '/').
 */
enum cl_gitignore_verdict cl_gitignore_match(const struct cl_gitignore *g,
	const char *path, bool is_dir);

/*
 * True when the patterns, read as a .gitignore at the root PATH is relative
 * to, would leave PATH out: it or a folder above it is ignored (as in git, a
 * file below an ignored folder cannot be re-included). For pattern lists
 * that are not .gitignore files: the config's include / exclude globs, the
 * evidence hints' path globs.
 */
bool cl_gitignore_covers(const struct cl_gitignore *g, const char *path);

/* Makes cl_gitignore_covers faster for a list with no `!negation` (the
 * globs of rule data): the patterns matching by their ending ("*.py") are
 * indexed by last byte. Call once the list is complete (adding a line drops
 * the index); not thread-safe, the covers calls are. */
void cl_gitignore_index(struct cl_gitignore *g);

/* git's wildmatch(PATTERN, TEXT, WM_PATHNAME): true on a match. Linear
 * in TEXT for a given PATTERN (no backtracking). */
bool cl_gitignore_wildmatch(const char *pattern, const char *text);

/* Steps spent matching so far (all threads), for CLAUDIT_STATS=1. */
uint64_t cl_gitignore_work_total(void);

#endif
