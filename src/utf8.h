/*
 * utf8.h — well-formed UTF-8, for the outputs that must be valid UTF-8
 * (JSON, SARIF) or printable (text reports, stderr). Owns nothing.
 */
#ifndef CL_UTF8_H
#define CL_UTF8_H
#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at S — overlongs,
 * surrogates and code points above U+10FFFF are not — or 0. S is
 * NUL-terminated: a sequence never runs past the terminator. */
size_t cl_utf8_seq(const unsigned char *s);

#endif
