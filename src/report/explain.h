/*
 * explain.h — `--explain ID` and `--list-rules`: renders the rule data (the
 * same records the checks and reporters use) for people.
 */
#ifndef CL_EXPLAIN_H
#define CL_EXPLAIN_H
#include <stdio.h>

/* Returns the exit code: 0, or 2 for an unknown ID (one line on stderr). */
int cl_explain(FILE *out, const char *id);
int cl_explain_list(FILE *out);

#endif
