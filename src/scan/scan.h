/*
 * scan.h — the pipeline: discovered files → read → text checks → facts
 * (parse) on a worker pool; then link the project, run the facts checks,
 * and move findings into the result with their fingerprints. Each file is an
 * independent unit of work until the link step.
 */
#ifndef CL_SCAN_H
#define CL_SCAN_H
#include <stdio.h>

#include "support/config.h"
#include "scan/discover.h"
#include "support/result.h"

struct cl_scan_opts {
	const struct cl_config *config;
	int jobs;
	bool progress;   /* progress on stderr (a TTY) */
	bool prefilter;  /* parse only the source files rules/prefilter.json
	                    picks, and those linked to them by imports */
	bool files_only; /* only files were named: repository-level items are left
	                    out, so suppressions of them are not "unused" */
	FILE *dump_facts; /* --dump-facts: print the linked facts here and run no
	                     checks (R gets only the counts) */
};

/* Scans D's files into R (registry, catalog and facts must be loaded). */
void cl_scan_run(const struct cl_discovery *d, const struct cl_scan_opts *o, struct cl_result *r);

/* Where the last cl_scan_run's time went, wall-clock seconds per phase, and
 * how many files it parsed: CLAUDIT_STATS's second line. */
struct cl_scan_phases {
	double read_text_parse; /* the first round: every file read, its text checks, the prefilter's parses */
	double import_closure;  /* the files imports link to parsed ones, parsed */
	double link_checks;     /* the project linked, the facts and project checks */
	double findings;        /* findings into the result (files read again for their lines) */
	size_t parsed;          /* files given a syntax tree */
};
void cl_scan_phases(struct cl_scan_phases *out);

#endif
