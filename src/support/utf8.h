/*
 * utf8.h — well-formed UTF-8, for the outputs that must be valid UTF-8
 * (JSON, SARIF) or printable (text reports, stderr); and the one caseless
 * (ASCII) byte search the scan, the facts and the adapters share. Owns
 * nothing.
 */
#ifndef CL_UTF8_H
#define CL_UTF8_H
#include <stddef.h>

/* Length (1..4) of the well-formed UTF-8 sequence at S — overlongs,
 * surrogates and code points above U+10FFFF are not — or 0. S is
 * NUL-terminated: a sequence never runs past the terminator. */
size_t cl_utf8_seq(const unsigned char *s);

/* The code point when S starts with a bidirectional formatting control
 * (U+061C, U+200E, U+200F, U+202A..U+202E, U+2066..U+2069: they reorder
 * what a terminal shows, so a file name can pose as another), else 0. */
unsigned cl_utf8_bidi(const unsigned char *s);

/* The first place in HAY[0, N) where the M bytes of NEEDLE occur, ASCII
 * letters in either case (NULs are bytes like any other), or NULL; HAY when
 * M is 0. */
const char *cl_memcasemem(const char *hay, size_t n, const char *needle, size_t m);

#endif
