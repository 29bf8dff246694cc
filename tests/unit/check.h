/*
 * check.h — the unit tests' one assertion: CHECK(cond, fmt, ...) counts a
 * pass or prints the failure with its line and counts it; a test's main
 * prints "N passed, N failed" from passed / failed and fails on any.
 */
#ifndef CL_TEST_CHECK_H
#define CL_TEST_CHECK_H
#include <stdio.h>

static int passed, failed;

#define CHECK(cond, ...) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
	} \
} while (0)

#endif
