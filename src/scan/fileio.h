/*
 * fileio.h — reading and writing files of a tree claudit does not trust.
 * Every file is opened without blocking (a FIFO, a device or /dev/stdin
 * never hangs the run), checked to be a regular file before a byte is read,
 * and, where the caller asks, without following a final symlink. Reports
 * and baselines are written to a temporary file beside the target and
 * renamed over it when complete: never through a symlink, never truncating
 * the target before the scan. Owns no state.
 */
#ifndef CL_FILEIO_H
#define CL_FILEIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/*
 * Opens PATH (relative to DIRFD, or AT_FDCWD) read-only, non-blocking and
 * close-on-exec; with NOFOLLOW a final symlink is refused. Returns the
 * descriptor of a regular file, or -1 with *WHY a static message
 * ("not a regular file", "a symbolic link", strerror(errno)) and errno set.
 */
int cl_file_open_regular(int dirfd, const char *path, bool nofollow, const char **why);

/*
 * Reads the whole regular file PATH (as cl_file_open_regular) up to MAX
 * bytes. Returns a NUL-terminated buffer (caller frees) and its length in
 * *LEN, or NULL with *WHY ("larger than the limit" when over MAX).
 */
char *cl_file_read(int dirfd, const char *path, bool nofollow, size_t max, size_t *len,
	const char **why);

/* Reads the regular file open on FD to its end (at most MAX bytes; *LEN;
 * NUL-terminated; caller frees); NULL with *WHY. FD stays open. */
char *cl_file_read_fd(int fd, size_t max, size_t *len, const char **why);

/*
 * An output file written in place of TARGET: cl_outfile_open creates a
 * temporary file in TARGET's directory (exclusive creation, so never
 * through a symlink) and returns its stream; cl_outfile_commit flushes it
 * and renames it over TARGET (a symlink at TARGET is replaced, its target
 * untouched); cl_outfile_abort removes it. A TARGET that is a character
 * device or a FIFO (/dev/stdout, /dev/null, a pipe) is written directly. Both release O. On failure
 * *ERR is the reason, strerror's words (caller frees).
 */
struct cl_outfile {
	char *target;
	char *tmp;
	FILE *f;
};
bool cl_outfile_open(struct cl_outfile *o, const char *target, char **err);
bool cl_outfile_commit(struct cl_outfile *o, char **err);
void cl_outfile_abort(struct cl_outfile *o);

/* True when a file can be created in PATH's directory (checked before the
 * scan, so a bad -o fails fast). */
bool cl_outfile_dir_writable(const char *path);

/* True when PATH resolves (symlinks followed) to ROOT or a path below it;
 * ROOT_REAL is ROOT already resolved with realpath(3). */
bool cl_path_within(const char *path, const char *root_real);

#endif
