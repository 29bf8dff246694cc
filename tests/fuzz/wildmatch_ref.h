/*
 * wildmatch_ref.h — the reference glob matcher of the fuzz harness (see
 * wildmatch_ref.c): git's backtracking algorithm, WM_PATHNAME.
 */
#ifndef CL_WILDMATCH_REF_H
#define CL_WILDMATCH_REF_H
#include <stdbool.h>

bool wildmatch_ref(const char *pattern, const char *text);

#endif
