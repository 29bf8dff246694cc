/*
 * diag.c — one clean line on stderr (diag.h).
 */
#include "support/diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/secrets.h"
#include "support/utf8.h"
#include "support/xalloc.h"

char *cl_diag_clean(const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char *red = cl_secrets_redact_all(s ? s : "", s ? strlen(s) : 0);
	char *out = xmalloc(4 * strlen(red) + 1), *o = out; /* "\u202e" (6) < 4 x 3 bytes */
	for (const unsigned char *p = (const unsigned char *)red; *p;) {
		size_t k = *p < 0x20 || *p == 0x7f ? 0 : cl_utf8_seq(p);
		unsigned bidi = k ? cl_utf8_bidi(p) : 0;
		if (bidi || (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)) {
			/* bidirectional and C1 controls: as "\u202e" */
			o += sprintf(o, "\\u%04x", bidi ? bidi : p[1]);
			p += k;
			continue;
		}
		if (k) {
			memcpy(o, p, k);
			o += k;
			p += k;
			continue;
		}
		*o++ = '\\';
		switch (*p) {
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		default:
			*o++ = 'x';
			*o++ = hex[*p >> 4];
			*o++ = hex[*p & 15];
		}
		p++;
	}
	*o = 0;
	free(red);
	return out;
}

void cl_diag_error(const char *fmt, ...)
{
	va_list ap;
	char *msg = NULL;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	char *clean = cl_diag_clean(msg ? msg : "out of memory");
	fprintf(stderr, "claudit: %s\n", clean);
	free(clean);
	free(msg);
}
