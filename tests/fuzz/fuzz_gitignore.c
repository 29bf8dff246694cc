/*
 * fuzz_gitignore.c — the .gitignore matcher on arbitrary bytes. The input is
 * a .gitignore file, a NUL byte, then paths to match, one a line (as
 * discover.c passes them: relative, '/'-separated). Each path is matched as
 * a file and as a directory, and through wildmatch against every pattern
 * line; nothing may crash, hang or read out of bounds, and on small inputs
 * wildmatch must agree with git's backtracking algorithm (wildmatch_ref.c).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "scan/gitignore.h"
#include "wildmatch_ref.h"
#include "support/xalloc.h"

/* Inputs small enough for the backtracking reference (exponential in the
 * number of stars) are compared with it: same verdict, git's semantics. */
static bool small(const char *pattern, const char *text)
{
	size_t stars = 0;
	for (const char *s = pattern; *s; s++)
		stars += *s == '*';
	return strlen(pattern) <= 32 && strlen(text) <= 32 && stars <= 4;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *sep = memchr(text, 0, size);
	size_t glen = sep ? (size_t)(sep - text) : size;
	struct cl_gitignore *g = cl_gitignore_create();
	cl_gitignore_add_buffer(g, text, glen);
	char *patterns = xstrndup(text, glen);
	const char *rest = sep ? sep + 1 : text + size;
	size_t rlen = size - (size_t)(rest - text);
	char *paths = xmalloc(rlen + 1);
	/* NUL bytes cannot be in a path: they end it */
	memcpy(paths, rest, rlen);
	paths[rlen] = 0;
	for (char *p = paths, *next; p && p < paths + rlen; p = next) {
		char *nl = strchr(p, '\n');
		next = nl ? nl + 1 : NULL;
		if (nl)
			*nl = 0;
		enum cl_gitignore_verdict a = cl_gitignore_match(g, p, false);
		enum cl_gitignore_verdict b = cl_gitignore_match(g, p, true);
		if (a > CL_GITIGNORE_INCLUDE || b > CL_GITIGNORE_INCLUDE)
			fuzz_fail("a verdict out of range");
		for (char *q = patterns, *qn; q; q = qn) {
			char *qnl = strchr(q, '\n');
			qn = qnl ? qnl + 1 : NULL;
			if (qnl)
				*qnl = 0;
			bool got = cl_gitignore_wildmatch(q, p);
			if (small(q, p) && got != wildmatch_ref(q, p))
				fuzz_fail("the linear matcher and git's wildmatch disagree");
			if (qnl)
				*qnl = '\n';
		}
	}
	free(paths);
	free(patterns);
	cl_gitignore_destroy(g);
	return 0;
}
