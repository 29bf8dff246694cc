/*
 * cl07.h — what CL07's two files share: the rule data's pattern lists
 * (rules/CL07.json "data"), matching them, and what a call on a tool's path
 * does (cl07_effects.c). cl07_idempotency.c finds the code that runs on a
 * model's tool call and follows it; cl07_effects.c says which of its calls
 * are side effects.
 */
#ifndef CL_CHECKS_CL07_H
#define CL_CHECKS_CL07_H
#include <stdbool.h>
#include <stddef.h>

#include "model/facts.h"
#include "model/project.h"

enum cl07_pat {
	P_TOOL_BRANCH, P_DISPATCH, P_PAYMENT, P_PAYMENT_WORDS, P_PAYMENT_TOOLS, P_MESSAGE, P_HTTP_WRITE, P_HTTP_REQUEST,
	P_HTTP_METHOD, P_DB_WRITE, P_SQL_WRITE, P_IDEMPOTENT, P_TOOL_NAME, P_OTHER_AGENT, P_OTHER_MODEL, P_SDK_WRITE,
	P_LOCAL_MODULE, P_VENDOR_PAYMENT, P_VENDOR_MESSAGE, P_VENDOR_WRITE, P_VENDOR_QUEUE, P_QUEUE_ADD, P_QUEUE_KEY, P_READ_URL,
	P_READ_NAME, P_REGISTERED, P_REGISTER_CALL, P_COUNT
};

/* The pattern list K. */
const struct cl_pattern *cl07_pattern(enum cl07_pat k);
/* The first match of K in S[from, len), its start in *AT (may be NULL). */
bool cl07_find(enum cl07_pat k, const char *s, size_t len, size_t from, size_t *at);
bool cl07_matches(enum cl07_pat k, const char *s, size_t len);
/* AT in S is on a line after a comment marker. */
bool cl07_in_comment(const char *s, size_t at);
/* A match of K in code: not on a line after a comment marker. */
bool cl07_matches_code(enum cl07_pat k, const char *s, size_t len);
/* The callee of the call at [S, E) of T (its text before the argument
 * list, or before a tagged template's), whitespace removed, in BUF. */
const char *cl07_callee_text(const char *t, size_t s, size_t e, char *buf, size_t cap);

/* What a call does when it is a side effect. */
struct cl07_effect {
	const char *kind;  /* "a payment", "an HTTP write", "a queued job", ... */
	bool payment;
	bool keyed;        /* a queued job whose id comes from the tool call */
	bool sql;          /* SQL text written by the call: its upsert clause is in it */
	char callee[160];
	char buf[160];     /* the kind, when it names a module */
};

/* F's call REF (in F's kept code TEXT of LEN bytes) is a side effect: a
 * payment, a message, a queued job, an HTTP write that is no read (a search
 * or query endpoint, or a POST made by a function or for a tool named for a
 * read: TOOL, may be ""), a database write, or a write through a service's
 * SDK (a client of a module imported from outside the tree). */
bool cl07_effect(const struct cl_project *p, const struct cl_file_facts *f, const struct cl_ref *ref,
	const char *text, size_t len, const char *tool, struct cl07_effect *e);

#endif
