/*
 * diag.h — the lines claudit writes on stderr (errors, usage errors). Text
 * that came from outside — paths, config keys, command-line arguments —
 * may hold newlines, terminal escapes, bad UTF-8 or a whole key; every
 * stderr line goes through here, so it stays one printable line that shows
 * at most a key's redaction (secrets.h). Owns no state.
 */
#ifndef CL_DIAG_H
#define CL_DIAG_H

/* S as one printable line: keys redacted (cl_secrets_redact_all), then
 * "\n", "\r", "\t" and every other control byte (C0, DEL) or byte that is
 * not part of well-formed UTF-8 written as a C escape ("\x1b"), C1 and
 * bidirectional controls as "\u202e".
 * Caller frees. */
char *cl_diag_clean(const char *s);

/* Writes "claudit: " + the cleaned, formatted message + "\n" to stderr. */
void cl_diag_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
