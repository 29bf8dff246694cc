/*
 * callgraph.h — the tree's call graph, over calls by name (cl_ref): each
 * call resolved once to the functions it may call (a function of its file
 * by name, `self.f()` a method of its file, a function or — for `x.f()` — a
 * method of a file it imports), then which functions reach Claude, by one
 * walk back from the functions that make a Claude call. Built by
 * cl_project_init; the checks ask it for callees, callers and reachability.
 * Owns its edges; the file facts belong to the scan.
 */
#ifndef CL_CALLGRAPH_H
#define CL_CALLGRAPH_H
#include <stdbool.h>
#include <stddef.h>

#include "model/project.h"

/* A function of the tree: F's regions[REGION] (a CL_R_FUNCTION). */
struct cl_fn {
	const struct cl_file_facts *file;
	int region;
	bool queued;   /* callees: reached through a job queue (the consumer of
	                  what the call enqueues), not called in turn */
};

/* A call by name: F's refs[REF]. */
struct cl_site {
	const struct cl_file_facts *file;
	size_t ref;
};

/* Builds P's graph and marks cl_region.reaches_claude and
 * cl_ref.reaches_claude (the calls are already linked: cl_call.claude). */
void cl_callgraph_build(struct cl_project *p);
void cl_callgraph_destroy(struct cl_callgraph *g); /* accepts NULL */

/* The functions F's REF-th call by name may call, into OUT (at most CAP);
 * returns how many there are (possibly more than CAP). */
size_t cl_callgraph_callees(const struct cl_project *p, const struct cl_file_facts *f, size_t ref,
	struct cl_fn *out, size_t cap);

/* The calls by name that may call function REGION of F, into OUT (at most
 * CAP); returns how many there are. */
size_t cl_callgraph_callers(const struct cl_project *p, const struct cl_file_facts *f, int region,
	struct cl_site *out, size_t cap);

/* True when function REGION of F makes a Claude call, directly or through
 * the functions it calls. */
bool cl_callgraph_reaches(const struct cl_file_facts *f, int region);

#endif
