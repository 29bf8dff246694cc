/*
 * coverage.h — what a verdict stands on (issue 16 item 8). Counts, from each
 * file's facts, the Claude call sites and clients, the web routes reaching
 * Claude and the loops around Claude calls, in production code and in test
 * code apart (test code is data: rules/test-code.json); then, for each item
 * that passes or fails, fills its coverage from the subject its rule data
 * names ("covers" in rules/CLnn.json: calls, routes, agent_loops, files,
 * repository) and says it in the status reason, plainly so when there was
 * nothing to check outside test code. Reads facts and the registry; never
 * adds findings nor changes a status.
 */
#ifndef CL_COVERAGE_H
#define CL_COVERAGE_H
#include <stdbool.h>

#include "model/facts.h"
#include "support/result.h"

/* Loads rules/test-code.json; false with *ERR (caller frees) on bad data.
 * Without it nothing is test code. */
bool cl_coverage_init(char **err);
void cl_coverage_cleanup(void);

/* PATH (relative to the scan root) is test code. */
bool cl_coverage_is_test(const char *path);

/* Adds file F's counts (a file that was read) to R->coverage. */
void cl_coverage_count_file(struct cl_result *r, const struct cl_file_facts *f);

/* Fills IR->coverage from R's counts and IR's item, and, when IR passes or
 * fails on its own (not attested), states it in IR->status_reason. */
void cl_coverage_describe(struct cl_item_result *ir, const struct cl_result *r);

#endif
