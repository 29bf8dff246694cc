/*
 * scan_internal.h — what the scan's per-file pass (scan.c) shares with the
 * import closure (closure.c): the per-file slots and the thread pool.
 * Private to src/scan/.
 */
#ifndef CL_SCAN_INTERNAL_H
#define CL_SCAN_INTERNAL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "checks/checks.h"
#include "model/facts.h"
#include "model/modules.h"
#include "rules/registry.h"
#include "scan/discover.h"
#include "scan/scan.h"
#include "scan/suppress.h"
#include "scan/tsparse.h"

/* The text of a finding's line in a windowed file (the part inside its
 * window), for the fingerprint: the file is not read again. */
struct line_ref {
	const char *text;
	size_t len;
};

struct slot {
	struct cl_file_facts facts;
	struct cl_file_out out;
	char *imports;       /* deferred: the modules it imports (NUL-separated) */
	size_t imports_len;
	struct cl_suppressions sup;
	const char *note;    /* static text */
	bool read;           /* the file was read */
	bool binary;
	bool deferred;       /* a source file the prefilter let pass unparsed */
	bool queued;         /* picked for a parse in a later round */
	bool windowed;       /* read in windows; lines[k] is findings[k]'s line */
	bool notebook;       /* the facts are of the notebook's code view: findings
	                        from text_findings on (evidence from text_evidence
	                        on) have view positions, moved to the file's at flush */
	size_t text_findings, text_evidence;
	CL_VEC(struct line_ref) lines;
};

struct pool;
typedef void (*file_fn)(struct pool *p, struct cl_parser *parser, size_t i);

struct pool {
	const struct cl_discovery *d;
	const struct cl_scan_opts *o;
	struct slot *slots;
	file_fn fn;          /* what a worker does with a file */
	const size_t *todo;  /* the files of this round (NULL: all, in order) */
	size_t ntodo;
	bool unchecked[CL_ITEM_COUNT]; /* items this run does not check: turned off,
	                                  or repository-level in a files-only run */
	bool *check_on;      /* cl_checks[k]'s item is on in the config (looked up once) */
	atomic_size_t next;
	atomic_size_t done;
	struct cl_modules modules; /* the tree's module-resolution settings */
};

/* Runs FN over TODO (NULL: every file) on the pool's threads. */
void cl_scan_round(struct pool *p, file_fn fn, const size_t *todo, size_t ntodo);

/* A later round's work on file I: a deferred file an import links to a
 * parsed one is parsed. */
void cl_scan_parse_deferred(struct pool *p, struct cl_parser *parser, size_t i);

/* The import closure (closure.c): deferred files linked by an import to a
 * parsed file are parsed, round after round. */
void cl_scan_import_closure(struct pool *p);

#endif
