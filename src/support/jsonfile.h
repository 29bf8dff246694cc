/*
 * jsonfile.h — the JSON files a user names (the config, model catalog
 * overlays): read with a size cap, parsed strictly, and errors worded the
 * same way, "NAME: KEY.PATH: expected ...", one line. Owns no state.
 */
#ifndef CL_JSONFILE_H
#define CL_JSONFILE_H
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* The bytes of the regular file at PATH (at most CL_JSONFILE_MAX), read
 * without blocking (fileio.h; with NOFOLLOW a final symlink is refused),
 * NUL-terminated, *LEN set; NULL with *WHY (a static message) when it
 * cannot be read. Caller frees. */
#define CL_JSONFILE_MAX (16u << 20)
char *cl_jsonfile_read(const char *path, bool nofollow, size_t *len, const char **why);

/* TEXT (LEN bytes) as one JSON value with nothing after it; NULL with *ERR
 * (caller frees) "NAME: invalid JSON near byte N". Caller deletes. */
cJSON *cl_jsonfile_parse(const char *name, const char *text, size_t len, char **err);

/* Sets *ERR (caller frees) to "NAME: KEY: <formatted>"; returns false. */
bool cl_jsonfile_vfail(char **err, const char *name, const char *key, const char *fmt, va_list ap)
	__attribute__((format(printf, 4, 0)));

#endif
