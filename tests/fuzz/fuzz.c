/*
 * fuzz.c — the scratch directory and failure helper of fuzz.h.
 */
#include "fuzz.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/xalloc.h"

static char *dir;

static void remove_dir(void)
{
	if (!dir)
		return;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "fuzz: could not remove %s\n", dir);
	free(cmd);
}

const char *fuzz_dir(void)
{
	if (dir)
		return dir;
	const char *tmp = getenv("TMPDIR");
	dir = xasprintf("%s/claudit-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		fuzz_fail("mkdtemp failed");
	atexit(remove_dir);
	return dir;
}

char *fuzz_write(const char *name, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", fuzz_dir(), name);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		fuzz_fail("cannot create the input file");
	for (size_t off = 0; off < len;) {
		ssize_t n = write(fd, (const char *)data + off, len - off);
		if (n <= 0)
			fuzz_fail("cannot write the input file");
		off += (size_t)n;
	}
	close(fd);
	return path;
}

void fuzz_fail(const char *what)
{
	fprintf(stderr, "fuzz: invariant broken: %s\n", what);
	abort();
}
