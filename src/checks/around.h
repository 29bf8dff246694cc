/*
 * around.h — what the checks of CL04 (hand-written retries), CL14 (error
 * handlers) and CL18 (agent loops) read around a Claude call: the text of a
 * region, patterns kept in an item's rule data ("data" in rules/CLnn.json,
 * arrays of PCRE2 patterns), the handlers of a try, and which loops retry.
 * Reads the facts; never emits a finding.
 */
#ifndef CL_CHECKS_AROUND_H
#define CL_CHECKS_AROUND_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/facts.h"
#include "rules/registry.h"

/* A character of an identifier (Python, JS, TS). */
static inline bool cl_around_ident_char(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		ch == '_' || ch == '$';
}

/* Byte offset (from the file's start) of the first match in [START, END) of
 * F's text of any pattern of the array KEY in item ITEM's data; -1 when none
 * (or F kept no text). Patterns are compiled once and freed at exit. */
long cl_around_find(const struct cl_file_facts *f, int item, const char *key, uint32_t start, uint32_t end);
static inline bool cl_around_has(const struct cl_file_facts *f, int item, const char *key,
	uint32_t start, uint32_t end)
{
	return cl_around_find(f, item, key, start, end) >= 0;
}
/* The same on any string S of N bytes. */
bool cl_around_match(int item, const char *key, const char *s, size_t n);

/* Is IN inside OUT? */
static inline bool cl_around_within(const struct cl_span *in, const struct cl_span *out)
{
	return in->start >= out->start && in->end <= out->end;
}
/* The span of bytes [START, END) of F's text (on one line). */
struct cl_span cl_around_span_at(const struct cl_file_facts *f, uint32_t start, uint32_t end);
/* The first line of SP, where a finding about a whole construct is shown. */
struct cl_span cl_around_first_line(const struct cl_file_facts *f, const struct cl_span *sp);

/* The text of SPAN in F (NULL when F kept no text); *LEN its length. */
const char *cl_around_text(const struct cl_file_facts *f, const struct cl_span *span, size_t *len);

/* A Claude call or a call to a function that reaches Claude inside REGION,
 * in REGION's own function (not in a function defined inside it): the name
 * of the first one ("messages.create", "ask"), or NULL. */
const char *cl_around_claude_in(const struct cl_file_facts *f, int region);

/* The nearest LOOP enclosing REGION (itself included) in the same function, -1. */
int cl_around_loop_of(const struct cl_file_facts *f, int region);

/* The handlers of try region TRY, in order: fills OUT (up to CAP), returns the count. */
size_t cl_around_handlers(const struct cl_file_facts *f, int try_region, int *out, size_t cap);

/* The caught types of HANDLER: each one's last dotted name ("APIError" for
 * anthropic.APIError), up to CAP; 0 for a bare except or any JS catch. */
size_t cl_around_caught(const struct cl_file_facts *f, int handler, const char **out, size_t cap,
	struct cl_arena *a);
/* The name the handler binds the error to ("e"), or NULL. */
const char *cl_around_error_name(const struct cl_file_facts *f, int handler, struct cl_arena *a);
/* The handler's body: its span after the caught type. */
struct cl_span cl_around_handler_body(const struct cl_file_facts *f, int handler);
/* Does HANDLER end by leaving (raise / throw / return / break / exit) on
 * every path? False when it may fall through or continues. */
bool cl_around_handler_exits(const struct cl_file_facts *f, int handler);

/* A loop over a collection (`for x in items`, `for (const x of xs)`), not a
 * counter (`range(...)`, a C-style for) nor a condition. */
bool cl_around_collection_loop(const struct cl_file_facts *f, int loop);

/* LOOP re-sends the same Claude request on failure: a hand-written retry
 * (not an agent loop, not a loop over inputs). */
bool cl_around_retry_loop(const struct cl_file_facts *f, int loop);

/* LOOP runs a job on a schedule (schedules.c): it sleeps on the path a
 * successful iteration takes and does not leave once the Claude call
 * succeeds. Not a retry. */
bool cl_around_scheduled_loop(const struct cl_file_facts *f, int loop);
/* The function of HANDLER names itself outside any handler too (setTimeout
 * after every run): it re-arms on success as well, a schedule, not a retry. */
bool cl_around_rearms_itself(const struct cl_file_facts *f, int handler);

/* HANDLER (of a try around a Claude call) retries by calling its own
 * function again. */
bool cl_around_recursive_retry(const struct cl_file_facts *f, int handler);

/* A call in REGION is re-sent by a hand-written retry around it (a retry
 * loop, or a handler that calls the function again). */
bool cl_around_retried(const struct cl_file_facts *f, int region);

/* F is test code (rule data CL14 "test_paths"): the checks of runtime
 * behaviour (retries, error handling, agent loops) leave it out. */
bool cl_around_test_file(const struct cl_file_facts *f);

#endif
