/*
 * status.h — decides each item's status from its findings and evidence
 * (CHECKLIST.md "Item status"). Reads the registry; never adds findings. In
 * a files-only run (result.files_only) it drops the findings and evidence of
 * repository-level items and reports them not_applicable.
 */
#ifndef CL_STATUS_H
#define CL_STATUS_H
#include <stdbool.h>

#include "result.h"

void cl_status_decide(struct cl_result *r);
/* The exit code: 1 when an item fails (or, STRICT, is manual), else 0. */
int cl_status_exit_code(const struct cl_result *r, bool strict);

#endif
