/*
 * jsonfile.c — reading, parsing and key-path errors for user JSON files
 * (jsonfile.h).
 */
#include "support/jsonfile.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/fileio.h"
#include "support/xalloc.h"

char *cl_jsonfile_read(const char *path, bool nofollow, size_t *len, const char **why)
{
	/* non-blocking, regular files only (a FIFO or /dev/stdin never hangs) */
	return cl_file_read(AT_FDCWD, path, nofollow, CL_JSONFILE_MAX, len, why);
}

cJSON *cl_jsonfile_parse(const char *name, const char *text, size_t len, char **err)
{
	/* NUL-terminated, and the NUL inside the length: cJSON then rejects
	 * anything after the value, as JSON does */
	char *copy = xmalloc(len + 1);
	memcpy(copy, text, len);
	copy[len] = 0;
	cJSON *doc = cJSON_ParseWithLengthOpts(copy, len + 1, NULL, true);
	if (!doc) {
		const char *at = cJSON_GetErrorPtr();
		size_t off = at && at >= copy ? (size_t)(at - copy) : 0;
		*err = xasprintf("%s: invalid JSON near byte %zu", name, off < len ? off : len);
	}
	free(copy);
	return doc;
}

bool cl_jsonfile_vfail(char **err, const char *name, const char *key, const char *fmt, va_list ap)
{
	char buf[512];
	vsnprintf(buf, sizeof buf, fmt, ap);
	char *msg = xasprintf("%s: %s: %s", name, key, buf);
	for (char *q = msg; *q; q++)
		if ((unsigned char)*q < 0x20 || *q == 0x7f)
			*q = '?';
	*err = msg;
	return false;
}
