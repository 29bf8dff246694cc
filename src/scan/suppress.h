/*
 * suppress.h — inline suppressions. A comment that starts with
 *
 *     claudit-ignore ID[, ID ...]: reason        (or "-- reason")
 *     claudit-ignore-file ID[, ID ...]: reason
 *
 * where each ID is a rule (CL15.model-alias) or an item (CL15: all its
 * rules). The one-line form covers the line it is on; alone on its line it
 * covers the next line too (a run of such comment lines all cover the first
 * line after the run). The file form covers the whole file. Comment openers:
 * `#` in Python and text files (.env, YAML, TOML, ...), `//`, slash-star and a
 * leading `*` in JavaScript/TypeScript; text files of unknown syntax accept
 * all of them and `<!--`; in notebooks, `#` in code cells. The scan is
 * textual and cheap: a marker after a quote left open on its line is in a
 * string, not a comment; files without "claudit-ignore" cost one memmem.
 *
 * A suppression without a reason suppresses nothing and is reported as
 * CL00.suppression-without-reason; an ID that matches no finding as
 * CL00.unused-suppression (rules/CL00.json). Owns the parsed comments of one
 * file; decides nothing about items.
 */
#ifndef CL_SUPPRESS_H
#define CL_SUPPRESS_H
#include <stdbool.h>
#include <stddef.h>

#include "rules/registry.h"
#include "support/result.h"
#include "scan/source.h"
#include "support/xalloc.h"

#define CL_SUPPRESS_MAX_IDS 16

struct cl_suppression {
	unsigned line, column, end_column; /* the comment's marker and text end */
	unsigned target;      /* the line it covers besides its own; 0: the whole file */
	bool file_level;
	size_t nids;
	char *ids[CL_SUPPRESS_MAX_IDS];
	bool used[CL_SUPPRESS_MAX_IDS];
	char *reason;         /* NULL: none given */
};

struct cl_suppressions {
	CL_VEC(struct cl_suppression) v;
};

/* Parses the suppression comments of SRC into S (S zeroed by the caller, or
 * empty). Release with cl_suppressions_finish (accepts NULL). */
void cl_suppressions_parse(struct cl_suppressions *s, const struct cl_source *src);

/* Has the pass over each registered text (rules/patterns.h) look for the
 * marker, so that cl_suppressions_parse skips a file that holds none. From
 * the main thread, before the scan's threads start. */
void cl_suppressions_watch(void);
void cl_suppressions_finish(struct cl_suppressions *s);

/* The suppression with a reason that covers RULE on LINE, or NULL; a line's
 * own suppression before a file-level one. Marks every matching ID used. */
const struct cl_suppression *cl_suppressions_match(struct cl_suppressions *s,
	const struct cl_rule *rule, unsigned line);

/* Adds the CL00 findings of S to R for the file at PATH (interned in R);
 * SRC gives the comment lines for the fingerprints. UNCHECKED (CL_ITEM_COUNT
 * flags, may be NULL) marks items this run did not check (turned off in the
 * config, or repository-level in a files-only run): ids of them are not
 * "unused". */
void cl_suppressions_report(const struct cl_suppressions *s, const struct cl_source *src,
	const char *path, const bool *unchecked, struct cl_result *r);

#endif
