/*
 * truncation.c — CL08.truncation-unchecked (preview): the text of a Claude
 * answer given to a parser or schema validator while neither the function
 * making the call nor its callers (the call graph) look at why the answer
 * stopped. Parsers, the stop-reason fields and the structured-output
 * helpers that raise on truncation are data (rules/CL08.json).
 */
#include <string.h>

#include "../callgraph.h"
#include "../checks.h"
#include "../patterns.h"
#include "around.h"

#define CALLER_DEPTH 3
#define CALLER_CAP 16

/* The bytes of function FN of F (the whole file at the top level). */
static void scope_of(const struct cl_file_facts *f, int fn, uint32_t *start, uint32_t *end)
{
	if (fn >= 0) {
		*start = f->regions.v[fn].span.start;
		*end = f->regions.v[fn].span.end;
	} else {
		*start = 0;
		*end = (uint32_t)f->text_len;
	}
}

/* Does function FN of F, or a function calling it (up to DEPTH calls up),
 * look at why an answer stopped? */
static bool checked(const struct cl_project *p, const struct cl_file_facts *f, int fn, int depth)
{
	/* the facts keep the text of every file that names a *_reason or
	 * *Reason field (facts.c): one without text looks at none */
	uint32_t start, end;
	scope_of(f, fn, &start, &end);
	if (f->text && cl_around_has(f, CL_ITEM(CL08), "truncation_checks", start, end))
		return true;
	if (fn < 0 || depth == 0)
		return false;
	struct cl_site sites[CALLER_CAP];
	size_t n = cl_callgraph_callers(p, f, fn, sites, CALLER_CAP);
	for (size_t i = 0; i < n && i < CALLER_CAP; i++) {
		const struct cl_file_facts *cf = sites[i].file;
		int up = cl_facts_enclosing(cf, cf->refs.v[sites[i].ref].region, CL_R_FUNCTION);
		if (up == fn && cf == f)
			continue;
		if (checked(p, cf, up, depth - 1))
			return true;
	}
	return false;
}

/* The first non-blank byte of the line holding byte AT. */
static uint32_t line_start(const struct cl_file_facts *f, uint32_t at)
{
	while (at > 0 && f->text[at - 1] != '\n')
		at--;
	while (at < f->text_len && (f->text[at] == ' ' || f->text[at] == '\t'))
		at++;
	return at;
}

static bool seen(const uint32_t *v, size_t n, uint32_t at)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == at)
			return true;
	return false;
}

#define MAX_REPORTS 64

/* Each parse of an answer's text in [START, END) of F, reported once. */
static void report_parses(struct cl_file_out *out, const char *key, uint32_t start, uint32_t end,
	const char *call, uint32_t *done, size_t *ndone)
{
	const struct cl_file_facts *f = out->facts;
	const struct cl_pattern *re = cl_patterns_get(CL_ITEM(CL08), key);
	size_t ms, me, from = 0;
	while (re && from < end - start && cl_pattern_find(re, f->text + start, end - start, from, &ms, &me)) {
		uint32_t at = line_start(f, start + (uint32_t)(me > ms ? me - 1 : ms));
		from = me > ms ? me : ms + 1;
		if (seen(done, *ndone, at) || *ndone >= MAX_REPORTS)
			continue;
		done[(*ndone)++] = at;
		struct cl_span sp = cl_around_span_at(f, at, at + 1);
		cl_emit(out, CL_RULE(CL08_truncation_unchecked), -1, &sp,
			"the answer of %s is parsed as complete, but neither this function nor its callers look at "
			"stop_reason (finishReason): an answer cut at max_tokens, a refusal or a paused turn is parsed "
			"as if it were whole; check why it stopped first", call);
	}
}

void cl_check_cl08_truncation(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const struct cl_file_facts *f = out->facts;
	if (!out->preview || !f->text)
		return;
	uint32_t done[MAX_REPORTS];
	size_t ndone = 0;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude || cl_around_match(CL_ITEM(CL08), "structured_calls", call->method, strlen(call->method)))
			continue;
		int fn = cl_facts_enclosing(f, call->region, CL_R_FUNCTION);
		uint32_t start, end;
		scope_of(f, fn, &start, &end);
		if (call->span.start > start)
			start = call->span.start;
		if (start >= end || checked(ctx->project, f, fn, CALLER_DEPTH))
			continue;
		report_parses(out, "text_parses", start, end, call->method, done, &ndone);
		if (call->kind == CL_CALL_AISDK)
			report_parses(out, "aisdk_text_parses", start, end, call->method, done, &ndone);
	}
}
