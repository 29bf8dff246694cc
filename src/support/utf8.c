/*
 * utf8.c — the UTF-8 well-formedness test of utf8.h (RFC 3629, table 3-7 of
 * the Unicode standard).
 */
#include "support/utf8.h"

size_t cl_utf8_seq(const unsigned char *s)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return (s[1] & 0xc0) == 0x80 ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		unsigned char lo = c == 0xe0 ? 0xa0 : 0x80, hi = c == 0xed ? 0x9f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		unsigned char lo = c == 0xf0 ? 0x90 : 0x80, hi = c == 0xf4 ? 0x8f : 0xbf;
		return s[1] >= lo && s[1] <= hi && (s[2] & 0xc0) == 0x80 &&
			(s[3] & 0xc0) == 0x80 ? 4 : 0;
	}
	return 0;
}

unsigned cl_utf8_bidi(const unsigned char *s)
{
	if (s[0] == 0xd8 && s[1] == 0x9c)
		return 0x061c;
	if (s[0] != 0xe2 || (s[1] != 0x80 && s[1] != 0x81))
		return 0;
	unsigned cp = 0x2000 | (unsigned)(s[1] & 0x3f) << 6 | (s[2] & 0x3f);
	if ((s[2] & 0xc0) != 0x80)
		return 0;
	if (cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069))
		return cp;
	return 0;
}

static unsigned char ascii_lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

const char *cl_memcasemem(const char *hay, size_t n, const char *needle, size_t m)
{
	if (!m)
		return hay;
	const unsigned char *h = (const unsigned char *)hay, *w = (const unsigned char *)needle;
	unsigned char first = ascii_lower(w[0]);
	for (size_t i = 0; i + m <= n; i++) {
		if (ascii_lower(h[i]) != first)
			continue;
		size_t k = 1;
		while (k < m && ascii_lower(h[i + k]) == ascii_lower(w[k]))
			k++;
		if (k == m)
			return hay + i;
	}
	return NULL;
}
