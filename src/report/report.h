/*
 * report.h — reporters: text, JSON, SARIF and the CI formats (GitHub
 * workflow commands, GitLab Code Quality, JUnit XML), selected by --format
 * from one table. A reporter only reads the result; it never decides a status.
 * Reporters never print more than the first 12 characters of a secret: the
 * messages they receive are already redacted (secrets.h), and every string
 * they print (paths and SARIF URIs too) is redacted once more on the way out
 * (cl_report_utf8), so a key in a file name or a quoted literal cannot leak.
 */
#ifndef CL_REPORT_H
#define CL_REPORT_H
#include <stdbool.h>
#include <stdio.h>

#include "support/result.h"

struct cl_report_ctx {
	FILE *out;
	bool color;          /* text only: ANSI colour (a TTY, and NO_COLOR unset) */
	const char *version;
	void *state;         /* the reporter's own */
};

struct cl_reporter {
	const char *name;
	void (*begin)(struct cl_report_ctx *ctx, const struct cl_result *r);
	void (*item)(struct cl_report_ctx *ctx, const struct cl_item_result *ir);
	void (*finding)(struct cl_report_ctx *ctx, const struct cl_item_result *ir,
		const struct cl_finding *f);
	void (*end)(struct cl_report_ctx *ctx, const struct cl_result *r);
};

/* The reporter called NAME, or NULL. */
const struct cl_reporter *cl_report_find(const char *name);

/* Runs REP over R: begin, then for each item `item` and its findings, then
 * `finding` for each CL00 finding with IR == &R->meta (no `item` call for
 * it: CL00 is not a checklist item), end. */
void cl_report_write(const struct cl_reporter *rep, struct cl_report_ctx *ctx,
	const struct cl_result *r);

extern const struct cl_reporter cl_report_text, cl_report_json, cl_report_sarif,
	cl_report_github, cl_report_gitlab, cl_report_junit;

#endif
