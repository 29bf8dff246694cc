/*
 * status.h — decides each item's status from its findings and evidence
 * (CHECKLIST.md "Item status"), then applies the config: items turned off
 * are not_applicable, a valid attestation makes a manual or evidence item
 * pass (an expired one leaves the computed status and says so), and
 * --strict turns unattested manual items into failures. In a files-only run
 * (result.files_only) it drops the findings and evidence of repository-level
 * items and reports them not_applicable. Reads the registry; never adds
 * findings.
 */
#ifndef CL_STATUS_H
#define CL_STATUS_H
#include <stdbool.h>

#include "support/config.h"
#include "support/result.h"

struct cl_status_opts {
	const struct cl_config *config; /* may be NULL: defaults */
	const char *today;              /* YYYY-MM-DD, decides expiry */
	bool strict;                    /* --strict */
};

void cl_status_decide(struct cl_result *r, const struct cl_status_opts *o);
/* The exit code: 1 when an item fails (or, STRICT, is unattested manual), else 0. */
int cl_status_exit_code(const struct cl_result *r, bool strict);

#endif
