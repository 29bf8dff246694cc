/*
 * source.h — one file's bytes and where its lines start. Reads a file once,
 * classifies it (language, binary, kind of text file) and maps byte offsets
 * to 1-based line/column. Owns the buffer; knows nothing of Claude.
 */
#ifndef CL_SOURCE_H
#define CL_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <stdint.h>

enum cl_lang {
	CL_LANG_TEXT,       /* no syntax tree: text rules only */
	CL_LANG_PYTHON,
	CL_LANG_JAVASCRIPT,
	CL_LANG_TYPESCRIPT,
	CL_LANG_TSX,
};

/* What a text file is, for the rules that read text (keys, model ids). */
enum cl_text_kind {
	CL_TEXT_OTHER,
	CL_TEXT_ENV,        /* .env, .env.local, prod.env ... */
	CL_TEXT_ENV_EXAMPLE,/* .env.example, .env.sample, .env.template */
	CL_TEXT_JSON,
	CL_TEXT_YAML,
	CL_TEXT_TOML,
	CL_TEXT_NOTEBOOK,   /* .ipynb */
	CL_TEXT_PROSE,      /* .md, .rst, .txt: never CL15 */
};

struct cl_source {
	const char *path;     /* as reported: relative to the scan root */
	const char *fs_path;  /* as opened */
	char *data;           /* NUL-terminated copy of the bytes, without a
	                         leading UTF-8 byte-order mark; text with a
	                         UTF-16 byte-order mark re-encoded as UTF-8 */
	size_t len;
	enum cl_lang lang;
	enum cl_text_kind text_kind;
	uint32_t *line_starts; /* byte offset of each line: built on first use by
	                          the functions below; read nlines through
	                          cl_source_nlines() */
	size_t nlines;
};

/* Language and text kind from the file name alone. */
enum cl_lang cl_source_lang_of(const char *path);
enum cl_text_kind cl_source_text_kind_of(const char *path);
const char *cl_lang_name(enum cl_lang lang); /* "python", "javascript", "typescript", "tsx", "text" */

/* Loads FS_PATH. Returns 0, or -1 with *ERR set to a static message
 * ("unreadable: ...", "binary file", "vanished"). Files over MAX_BYTES are
 * loaded but flagged by the caller. */
int cl_source_load(struct cl_source *src, const char *fs_path, const char *path,
	const char **err);
/* The same over FD, a regular file opened on FS_PATH that fstat says is
 * SIZE bytes long (a hint: all of it is read): reads it and closes FD. */
int cl_source_load_fd(struct cl_source *src, int fd, off_t size, const char *fs_path, const char *path,
	const char **err);
/* Initialises SRC over a caller-owned buffer (copied; it may hold NULs). */
void cl_source_init_mem(struct cl_source *src, const char *path, const char *data, size_t len);
/* The same for a window into a larger file: a leading BOM is kept (it is
 * not the file's start); positions are relative to the window. */
void cl_source_init_window(struct cl_source *src, const char *path, const char *data, size_t len);
void cl_source_finish(struct cl_source *src);

/* Like cl_source_init_window, but SRC reads DATA in place (DATA[LEN] must be
 * 0, and DATA stay unchanged until cl_source_finish_borrowed, which leaves
 * DATA to its owner): a large file's window is not copied. */
void cl_source_init_borrowed(struct cl_source *src, const char *path, char *data, size_t len);
void cl_source_finish_borrowed(struct cl_source *src);
/* How many lines SRC has (a last line without '\n' counts; an empty text
 * has one). */
size_t cl_source_nlines(const struct cl_source *src);

/* True when the bytes look binary (a NUL in the first 8 KiB). */
bool cl_source_is_binary(const char *data, size_t len);

/* The last segment of a '/'-separated PATH (a pointer into it). */
const char *cl_path_basename(const char *path);

/* 1-based line and byte column of OFFSET. */
void cl_source_position(const struct cl_source *src, size_t offset, unsigned *line, unsigned *col);
/* The text of 1-based LINE without its newline. */
const char *cl_source_line(const struct cl_source *src, unsigned line, size_t *len);

#endif
