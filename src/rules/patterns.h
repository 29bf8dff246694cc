/*
 * patterns.h — the one place that compiles PCRE2 patterns (JIT when
 * available). Every regex kept in rule data — the "patterns" keys of
 * rules/CLnn.json "data" (declared in the file's "data_keys"), the hints of
 * rules/hints.json — is compiled and checked while the registry and the hints
 * load, on the main thread, before any scan: a bad pattern fails start-up
 * with one line naming the file, the key and the offset. Afterwards the
 * compiled patterns are immutable and shared by every thread; each thread
 * matches with its own match data (created on first use, freed when the
 * thread ends). Owns the compiled code; must not know what a pattern means.
 */
#ifndef CL_PATTERNS_H
#define CL_PATTERNS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cl_pattern; /* a compiled pattern (an alternation of one or more) */

/* Compiles the alternation of ALTS[0..N) ("(?:a)|(?:b)") with PCRE2 options
 * FLAGS and keeps it until cl_patterns_unload. WHERE names it in errors
 * ("rules/CL04.json: data.retry_words"). On a bad pattern returns NULL and
 * sets *ERR (caller frees) to "WHERE: regex error at offset N: message".
 * N == 0 returns NULL with no error: nothing to match. Only before
 * cl_patterns_freeze. */
const struct cl_pattern *cl_patterns_compile(const char *where, const char *const *alts, size_t n,
	uint32_t flags, char **err);

/* Registers P as item ITEM's data key KEY (KEY must live as long as the
 * registry); P may be NULL (an empty list: matches nothing). */
void cl_patterns_name(int item, const char *key, const struct cl_pattern *p);

/* Item ITEM's compiled data key KEY; NULL when its list is empty. A key
 * rules/CLnn.json does not declare as "patterns" is a defect of the calling
 * code: it aborts with one line naming it. */
const struct cl_pattern *cl_patterns_get(int item, const char *key);

/* No more patterns: from here on they are read-only. */
void cl_patterns_freeze(void);
/* Frees every pattern (and the calling thread's match data). */
void cl_patterns_unload(void);

/* The text the calling thread is about to match patterns in (a file's
 * bytes), until cl_patterns_text_end: a pattern gated on literals (see
 * patterns.c) matched in any part of it runs only when one of its literals
 * occurs in it, found by one pass over TEXT on the first such match. KIND
 * groups texts that meet the same patterns (the scan passes the file's
 * extension). TEXT must stay unchanged until the end. No effect before
 * cl_patterns_freeze. */
void cl_patterns_text_begin(const char *text, size_t len, const char *kind);
void cl_patterns_text_end(void);

/* Watched literals: a group of N literals (3 bytes or more each; CASELESS:
 * ASCII letters match either case) that the pass over every registered text
 * looks for too, so that code searching a text for them (the key prefix,
 * the suppression marker, the prefilter's terms) searches only texts that
 * hold one. Returns the group's id (>= 0; the same literals again: the same
 * id, so a caller asks again for each scan, after any cl_patterns_unload).
 * From the main thread, before the threads that register texts start (a
 * set built before is built again). */
int cl_patterns_watch(const char *const *lits, size_t n, bool caseless);

/* False when S[0, LEN) lies in the text the calling thread registered and
 * the pass found none of group G's literals in that text: then S holds none.
 * True otherwise (no text registered, G < 0, the gates turned off). */
bool cl_patterns_may_hold(int g, const char *s, size_t len);

/* Turns the literal gates off (CLAUDIT_PREFILTER=0: the tests compare) or on. */
void cl_patterns_gates(bool on);

/* The first match of P in S[FROM, LEN): true with its bounds in *MS, *ME
 * (either may be NULL). P NULL or FROM > LEN: false. Thread-safe. */
bool cl_pattern_find(const struct cl_pattern *p, const char *s, size_t len, size_t from, size_t *ms,
	size_t *me);

#endif
