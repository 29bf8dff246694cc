/*
 * test_xalloc.c — xasprintf and cl_arena_printf (src/support/xalloc.c):
 * a format of text and "%s" only is joined without vsnprintf; each case is
 * checked against snprintf's own output, including the formats that must
 * take vsnprintf's path (other conversions, "%%", precision, a NULL string,
 * more than eight strings).
 */
#include "support/xalloc.h"
#include "check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void same(const char *got, const char *want, const char *what)
{
	CHECK(got && !strcmp(got, want), "%s: got \"%s\", want \"%s\"", what, got ? got : "(NULL)", want);
}

/* the NULL string case is the point: no warning for it */
#pragma GCC diagnostic ignored "-Wformat-overflow"
#pragma GCC diagnostic ignored "-Wformat-truncation"
int main(void)
{
	char want[256];
	char *s;
	static const char *const a = "src", *const b = "main.py", *const empty = "";

	s = xasprintf("%s/%s", a, b);
	snprintf(want, sizeof want, "%s/%s", a, b);
	same(s, want, "a path");
	free(s);
	s = xasprintf("%s%s", empty, b);
	same(s, "main.py", "an empty string");
	free(s);
	s = xasprintf("no conversion");
	same(s, "no conversion", "text alone");
	free(s);
	s = xasprintf("<%s|%s|%s|%s|%s|%s|%s|%s>", "1", "2", "3", "4", "5", "6", "7", "8");
	same(s, "<1|2|3|4|5|6|7|8>", "eight strings");
	free(s);
	s = xasprintf("%s%s%s%s%s%s%s%s%s", "1", "2", "3", "4", "5", "6", "7", "8", "9");
	same(s, "123456789", "nine strings (vsnprintf)");
	free(s);
	s = xasprintf("%s: %d of %zu", a, 3, (size_t)7);
	same(s, "src: 3 of 7", "other conversions (vsnprintf)");
	free(s);
	s = xasprintf("100%% %s", a);
	same(s, "100% src", "a percent sign (vsnprintf)");
	free(s);
	s = xasprintf("%.2s|%5s", b, a);
	snprintf(want, sizeof want, "%.2s|%5s", b, a);
	same(s, want, "precision and width (vsnprintf)");
	free(s);
	const char *null = NULL;
	s = xasprintf("[%s]", null);
	snprintf(want, sizeof want, "[%s]", null);
	same(s, want, "a NULL string: what vsnprintf prints");
	free(s);

	struct cl_arena ar;
	cl_arena_init(&ar);
	same(cl_arena_printf(&ar, "%s.%s", "app", "client"), "app.client", "arena: joined");
	same(cl_arena_printf(&ar, "%s:%u", "line", 12u), "line:12", "arena: vsnprintf");
	cl_arena_finish(&ar);
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
