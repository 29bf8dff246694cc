/*
 * checks.h — how each item's rules are checked. One sorted table maps an
 * item id to its check functions: a text check runs per file on its bytes
 * (on the scan's worker threads), a facts check runs once over the linked
 * project. Checks only emit findings and evidence; status.c decides.
 */
#ifndef CL_CHECKS_H
#define CL_CHECKS_H
#include <stdarg.h>

#include "support/config.h"
#include "model/facts.h"
#include "model/project.h"
#include "rules/registry.h"
#include "scan/source.h"

/* A finding waiting for its line text (fingerprint) and the run's result. */
struct cl_pending {
	const struct cl_rule *rule;
	enum cl_severity severity;
	struct cl_span span;
	const char *message;
};

struct cl_pending_evidence {
	int item;
	struct cl_span span;
	const char *message;
};

/* Per-file output of the checks, kept beside the file's facts. */
struct cl_file_out {
	struct cl_file_facts *facts;
	CL_VEC(struct cl_pending) findings;
	CL_VEC(struct cl_pending_evidence) evidence;
	bool applies[CL_ITEM_COUNT]; /* the item's precondition holds in this file */
	unsigned marks[CL_ITEM_COUNT]; /* what an item's text check found here, for its
	                                  project check (bits the item's check defines) */
	bool preview;                 /* rules in preview emit (--preview) */
};

struct cl_check_ctx {
	const struct cl_config *config;
	const struct cl_project *project;   /* facts checks only */
	bool cells_parsed;  /* text checks: the file is a notebook whose code cells
	                       the facts layer reads (their model ids come from there) */
};

typedef void (*cl_text_check_fn)(const struct cl_check_ctx *ctx, const struct cl_source *src,
	struct cl_file_out *out);
typedef void (*cl_facts_check_fn)(const struct cl_check_ctx *ctx, struct cl_file_out *out);
/* Runs once after every file's facts checks, over all files' outputs (in
 * scan order; OUTS[i]->facts is the file): repository-wide decisions such as
 * evidence items, which may emit into any file's output. */
typedef void (*cl_project_check_fn)(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n);

struct cl_check {
	const char *item;          /* "CL01"; the table is sorted by it */
	cl_text_check_fn text;     /* may be NULL */
	cl_facts_check_fn facts;   /* may be NULL */
	cl_project_check_fn project; /* may be NULL */
};

extern const struct cl_check cl_checks[];
extern const size_t cl_checks_count;
const struct cl_check *cl_checks_find(const char *item);

/* Emits a finding of RULE (CL_RULE(CL05_no_timeout), checked by the
 * compiler) at SPAN in OUT's file; MESSAGE is formatted into the file's arena.
 * SEVERITY < 0 takes the rule's own. A rule in preview emits nothing unless
 * the run has preview on (OUT->preview). */
void cl_emit_rule(struct cl_file_out *out, enum cl_rule_id rule, int severity,
	const struct cl_span *span, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* The same with the rule named by its id string ("CL05.no-timeout"), looked
 * up at run time (an unknown id aborts): a thin wrapper kept so code written
 * before the generated ids still compiles. Prefer CL_RULE(). */
void cl_emit_named(struct cl_file_out *out, const char *rule_id, int severity,
	const struct cl_span *span, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
#define cl_emit(out, rule, ...) \
	_Generic((rule), char *: cl_emit_named, const char *: cl_emit_named, default: cl_emit_rule)( \
		out, rule, __VA_ARGS__)
void cl_emit_evidence(struct cl_file_out *out, int item, const struct cl_span *span,
	const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The span of bytes START..END of SRC (text checks). */
struct cl_span cl_span_at(const struct cl_source *src, size_t start, size_t end);

/* Marks ITEM's (CL_ITEM(CL18)) precondition as holding (status.c: items whose
 * "applies" is agent_loop, web_server or tool_side_effect are not_applicable
 * otherwise). */
static inline void cl_mark_applies(struct cl_file_out *out, int item)
{
	if (item >= 0 && item < CL_ITEM_COUNT)
		out->applies[item] = true;
}

/* The checks, one file per item (src/checks/clNN_*.c); CL02, CL03 and CL09
 * are checked by their evidence hints alone (rules/hints.json, hints.c). */
void cl_check_cl01_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl01_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl02_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl03_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl09_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl04_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl05_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl06_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl06_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n);
void cl_check_cl07_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl08_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl10_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl11_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl11_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n);
void cl_check_cl12_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl12_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n);
void cl_check_cl13_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl13_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n);
void cl_check_cl14_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl15_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl15_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl16_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out);
void cl_check_cl16_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n);
void cl_check_cl17_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);
void cl_check_cl17_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n);
void cl_check_cl18_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out);

/* The evidence hints of rules/hints.json (hints.c), compiled once
 * after the registry is loaded; false with *ERR (caller frees) on bad data. */
bool cl_hints_init(char **err);
/* The same from TEXT (LEN bytes) instead of the embedded file (tests). */
bool cl_hints_init_from(const char *text, size_t len, char **err);
void cl_hints_cleanup(void);
/* Records the evidence of item ITEM's (0-based) hints that SRC matches. */
void cl_hints_apply(int item, const struct cl_source *src, struct cl_file_out *out);

/* Messages built from adapter data (rules/adapters.json), for the checks
 * that read effective settings (settings.h): a call's name (the adapter's
 * call_prefix and its method), and a message TMPL with {call}, {lib},
 * {note}, {fix} filled in. Both allocated in OUT's file arena. */
struct cl_settings;
struct cl_adapter_setting;
const char *cl_call_label(struct cl_file_out *out, const struct cl_settings *st, const struct cl_call *call);
const char *cl_fill_message(struct cl_file_out *out, const char *tmpl, const char *label,
	const struct cl_call *call, const struct cl_adapter_setting *spec);

/* Options written on a construction that is no client by itself (its calls
 * carry them) are reported once, at the option: cl_seen_first is true the
 * first time SP is seen in SEEN (capacity 64; zero-initialise it). */
struct cl_seen {
	uint32_t at[64];
	size_t n;
};

static inline bool cl_seen_first(struct cl_seen *s, const struct cl_span *sp)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->at[i] == sp->start)
			return false;
	if (s->n < 64)
		s->at[s->n++] = sp->start;
	return true;
}

/* The system-role messages of a messages array (the OpenAI shape some
 * adapters take): calls FN on each one's content (CL10, CL17). */
void cl_each_system_message(const struct cl_check_ctx *ctx, const struct cl_value *msgs,
	void (*fn)(const struct cl_check_ctx *, const struct cl_value *, void *), void *arg);

/* Shared by checks: is the file JS/TS (millisecond timeouts)? */
static inline bool cl_lang_is_js(enum cl_lang l)
{
	return l == CL_LANG_JAVASCRIPT || l == CL_LANG_TYPESCRIPT || l == CL_LANG_TSX;
}

#endif
