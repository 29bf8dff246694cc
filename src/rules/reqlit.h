/*
 * reqlit.h — the literals a regular expression's every match contains:
 * "instrument_anthropic|AnthropicInstrumentor" needs one of those two words,
 * "(?i)rotat(e|ion)" needs "rotat" in any case. The pattern module gates a
 * pattern on them (run PCRE2 only on a text holding one), so the derivation
 * is conservative: what it cannot read (back-references, \Q..\E, verbs,
 * conditionals, extended mode ...) yields no literals, never wrong ones.
 * Reads PCRE2 syntax without PCRE2_UTF (caseless is ASCII-only). Owns
 * nothing global.
 */
#ifndef CL_REQLIT_H
#define CL_REQLIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "support/xalloc.h"

struct cl_reqlit {
	char *s;        /* bytes (not NUL-terminated meaningfully; caller frees) */
	size_t n;
	bool caseless;  /* ASCII letters match either case */
};

typedef CL_VEC(struct cl_reqlit) cl_reqlits;

/* The literals of PATTERN compiled with PCRE2 options FLAGS: true with every
 * match of it containing at least one of *OUT (each at least MIN_LEN bytes
 * long); false (and *OUT empty) when no such set is known. */
bool cl_reqlit_derive(const char *pattern, uint32_t flags, size_t min_len, cl_reqlits *out);

/* Frees the literals of *L and empties it. */
void cl_reqlit_free(cl_reqlits *l);

#endif
