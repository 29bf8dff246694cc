/*
 * result.h — what a run found: findings, evidence and notes per item, and the
 * status decided for each item. Filled by the scan and checks, decided by
 * status.c, read by the reporters. All strings are owned by the result and
 * freed by cl_result_finish.
 */
#ifndef CL_RESULT_H
#define CL_RESULT_H
#include <stdbool.h>
#include <stddef.h>

#include "rules/registry.h"
#include "support/xalloc.h"

struct cl_attestation; /* config.h */

enum cl_status { CL_STATUS_PASS, CL_STATUS_FAIL, CL_STATUS_MANUAL, CL_STATUS_NA };

struct cl_location {
	const char *file; /* relative to the scan root, '/' separators */
	unsigned line, column, end_line, end_column; /* 1-based, columns in bytes */
};

/* Why a finding is suppressed (CONTRACT.md: it stays in the report). */
enum cl_suppress_kind {
	CL_SUPPRESS_NONE,
	CL_SUPPRESS_INLINE,          /* a claudit-ignore comment (suppress.h) */
	CL_SUPPRESS_BASELINE,        /* listed in the --baseline file (baseline.h) */
};

/* Fingerprint: "<16 hex>:<n>". The hash is FNV-1a 64 over rule id, path and
 * the source line without whitespace, so it survives edits elsewhere in the
 * file; n counts the findings before it with the same rule, path and hash
 * (1 for the first), so identical lines stay apart. Until cl_result_sort
 * numbers them, it holds the hash alone. */
#define CL_FINGERPRINT_SIZE 28

struct cl_finding {
	const struct cl_rule *rule;
	enum cl_severity severity;   /* usually rule->severity; a rule may lower it */
	struct cl_location loc;
	char *message;
	bool suppressed;             /* suppress_kind != CL_SUPPRESS_NONE */
	enum cl_suppress_kind suppress_kind;
	char *justification;         /* the suppression's reason (owned; may be NULL) */
	unsigned suppress_line;      /* inline: the comment's line (0: file-level) */
	char fingerprint[CL_FINGERPRINT_SIZE];
	unsigned cell, cell_line, cell_column; /* in a notebook's code cell: the cell
	                                (1-based, every cell counted), the line and byte
	                                column in it; 0 elsewhere (loc stays the file's) */
};

struct cl_evidence {
	struct cl_location loc;      /* loc.file may be NULL: run-wide evidence */
	char *message;
};

/* What an item's checks looked at (rules/CLnn.json "covers"), outside test
 * code and in it (coverage.h). */
struct cl_item_coverage {
	const char *subject;   /* "calls", "routes", "agent_loops", "files",
	                          "repository"; NULL: the item states none */
	size_t checked, files; /* the subject's count outside test code, and in
	                          how many files ("files", "repository": files read) */
	size_t clients;        /* "calls": client constructions too */
	size_t test_checked, test_files, test_clients; /* the same in test code */
};

/* Counts of one side (production or test code) of a run (coverage.c). */
struct cl_coverage_counts {
	size_t files;                   /* files read */
	size_t calls, clients;          /* Claude call sites, client constructions */
	size_t call_files, usage_files; /* files with a call site; with a call site or a client */
	size_t routes, route_files;     /* web route handlers reaching Claude */
	size_t loops, loop_files;       /* loops around a Claude call */
};

struct cl_item_result {
	const struct cl_item *item;
	enum cl_status status;
	bool attested;               /* a valid attestation made it pass */
	const struct cl_attestation *attestation; /* the config's, valid or expired; may be NULL */
	bool attestation_expired;
	bool applies;                /* its precondition holds (an agent loop, a web route
	                                reaching Claude, a tool-driven side effect); set by checks */
	char *status_reason;         /* why this status, one line (may be NULL) */
	CL_VEC(struct cl_finding) findings;
	CL_VEC(struct cl_evidence) evidence;
	struct cl_item_coverage coverage; /* filled by status.c for pass and fail */
};

/* A file the scan could not (fully) read, or skipped: shown, never silent. */
struct cl_file_note {
	char *file;
	char *message;
};

struct cl_result {
	bool files_only;             /* only files were named (pre-commit): repository-
	                                level items are left out (status.c) */
	size_t files_scanned;
	size_t files_skipped;       /* found but not read (unreadable, vanished,
	                               not a regular file); each has a note */
	size_t dirs_skipped;        /* directories not (fully) read; each has a note */
	size_t claude_call_sites;
	size_t claude_clients;      /* client constructions (SDK and wrappers) */
	struct cl_coverage_counts coverage[2]; /* [0] outside test code, [1] test code */
	struct cl_item_result items[CL_ITEM_COUNT];
	struct cl_item_result meta;  /* CL00 findings: about suppressions, no status */
	CL_VEC(struct cl_file_note) notes;
	CL_VEC(char *) strings;      /* interned file paths the locations point at */
};

void cl_result_init(struct cl_result *r);
void cl_result_finish(struct cl_result *r);

/* Interns PATH in the result; the returned pointer lives as long as R. */
const char *cl_result_path(struct cl_result *r, const char *path);

/* Adds a finding (a CL00 rule's to R->meta); MESSAGE is copied. LINE_TEXT
 * (the source line, may be NULL) feeds the fingerprint. Returns the stored
 * finding, valid until the next finding is added. */
struct cl_finding *cl_result_add_finding(struct cl_result *r, const struct cl_rule *rule,
	enum cl_severity severity, const struct cl_location *loc,
	const char *line_text, size_t line_len, const char *message);
void cl_result_add_evidence(struct cl_result *r, int item, const struct cl_location *loc,
	const char *message);
void cl_result_add_note(struct cl_result *r, const char *file, const char *message);

/* Drops IR's findings and evidence. */
void cl_result_clear_item(struct cl_item_result *ir);

/* Marks F suppressed with KIND; REASON (may be NULL) is copied. */
void cl_finding_suppress(struct cl_finding *f, enum cl_suppress_kind kind, const char *reason,
	unsigned comment_line);

/* Sorts findings (file, line, column, rule) and evidence so reports are
 * deterministic, then numbers the fingerprints ("hash:n"). Call once. */
void cl_result_sort(struct cl_result *r);

const char *cl_status_name(enum cl_status s); /* "pass", "fail", "manual", "not_applicable" */

#endif
