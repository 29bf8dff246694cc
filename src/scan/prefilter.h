/*
 * prefilter.h — decides, with one cheap pass over a file's bytes, whether a
 * Python / JS / TS file needs a syntax tree at all: it does when it contains
 * a term of rules/prefilter.json (case-insensitive). For a file that does
 * not, the same pass lists the modules it imports, so that scan.c can still
 * parse it when it imports a parsed file. Knows nothing of trees or facts;
 * never touches the file system.
 */
#ifndef CL_PREFILTER_H
#define CL_PREFILTER_H
#include <stdbool.h>
#include <stddef.h>

#include "scan/source.h"

/* Compiles the terms and the import patterns (once, before threads start).
 * On failure *ERR is set (caller frees). */
bool cl_prefilter_init(char **err);
void cl_prefilter_cleanup(void);

/* Has the pass over each registered text (rules/patterns.h) look for the
 * terms, so that cl_prefilter_scan looks for a file's imports alone when it
 * holds none. After cl_prefilter_init, from the main thread, before the
 * scan's threads start. */
void cl_prefilter_watch(void);

/* False when DATA (LEN bytes) lies in the calling thread's registered text
 * and the pass over it found no term (caseless, inside a not_within word
 * or not): then DATA holds none. Thread-safe. */
bool cl_prefilter_may_match(const char *data, size_t len);

/* True when DATA (LEN bytes) contains a term. Thread-safe. */
bool cl_prefilter_match(const char *data, size_t len);

/*
 * The one pass scan.c makes over a source file: true when SRC contains a
 * term. Otherwise false, and *IMPORTS lists the modules SRC imports, as
 * written ("./client", ".config", "app.llm"): NUL-terminated strings one
 * after the other in one buffer of *LEN bytes, or NULL when there are none
 * (caller frees with free()). Python and JS / TS syntax by SRC's language;
 * a TEXT file imports nothing. Thread-safe.
 */
bool cl_prefilter_scan(const struct cl_source *src, char **imports, size_t *len);

#endif
