/*
 * baseline.h — the --baseline / --write-baseline file: the findings a team
 * has accepted for now, by fingerprint (rule + path + hash of the
 * whitespace-free source line, numbered among identical lines; result.h), so
 * they survive edits elsewhere in the file. Baselined findings stay in the
 * report, suppressed; only new ones fail. Owns the loaded keys; reads and
 * marks the result, decides no status.
 *
 * The file (JSON, written by claudit, versioned):
 *   {"format": "claudit-baseline", "version": 1, "tool_version": "0.1.0",
 *    "findings": [{"rule": "CL15.model-alias", "file": "src/chat.py",
 *                  "fingerprint": "0f3c…:1", "line": 12, "message": "…"}]}
 * Only rule, file and fingerprint are matched; line and message are for
 * people reading the file. Paths are relative to the scan root, as in
 * reports, so run claudit from the same directory with the same PATHs.
 */
#ifndef CL_BASELINE_H
#define CL_BASELINE_H
#include <stdbool.h>
#include <stddef.h>

#include "scan/discover.h"
#include "support/result.h"

struct cl_baseline {
	char **keys;      /* "rule\x1f" "file\x1f" "fingerprint", sorted */
	bool *matched;
	size_t n;
	char *label;      /* the file's path, for messages */
};

/* Loads PATH. Returns false with *ERR ("PATH: ..."; caller frees) when it
 * cannot be read or is not a claudit baseline of a known version. Release
 * with cl_baseline_finish (accepts NULL). */
bool cl_baseline_load(struct cl_baseline *b, const char *path, char **err);
/* The findings cl_baseline_write would write, as a loaded baseline. */
void cl_baseline_from_result(struct cl_baseline *b, const struct cl_result *r, const char *label);
void cl_baseline_finish(struct cl_baseline *b);

/* Marks R's unsuppressed findings listed in B as baselined (suppressed);
 * returns how many. */
size_t cl_baseline_apply(struct cl_baseline *b, struct cl_result *r);
/* Entries of B that matched no finding in cl_baseline_apply although this
 * run could have reported them (their file is among D's files; in a
 * FILES_ONLY run, not of a repository-level item and not repository-wide):
 * fixed since. */
size_t cl_baseline_unmatched(const struct cl_baseline *b, const struct cl_discovery *d,
	bool files_only);

/* Writes R's findings that no comment suppresses (baselined ones included;
 * CL00's left out) to PATH. Returns false with *ERR (caller frees). */
bool cl_baseline_write(const struct cl_result *r, const char *path, const char *version, char **err);

#endif
