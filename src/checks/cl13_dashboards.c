/*
 * cl13_dashboards.c — CL13: latency emitted as a metric or span for the
 * Claude calls (so p50/p95/p99 latency, error rate and cost can be charted):
 * a metrics or tracing library, or an LLM observability integration
 * (evidence.c), within the package that makes the calls. What counts is rule
 * data (rules/CL13.json, and CL12's integration lists).
 */
#include <stdio.h>

#include "checks/checks.h"
#include "checks/evidence.h"

/* marks: CL13's own bit beside the integration bits of evidence.h */
enum { FOUND_METRIC_TEXT = 4 };

void cl_check_cl13_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_evidence_text_deps(src, out, CL_ITEM(CL13), CL_ITEM(CL13), "metric_modules", CL_FOUND_DEP, "a metrics or tracing library");
	cl_evidence_integration_text(src, out, CL_ITEM(CL13));
	size_t ms, me;
	if (src->lang != CL_LANG_TEXT && !cl_evidence_test_or_eval(src->path) &&
	    cl_evidence_search(CL_ITEM(CL13), "metric_pattern", src->data, src->len, &ms, &me)) {
		struct cl_span sp = cl_span_at(src, ms, me);
		out->marks[CL_ITEM(CL13)] |= FOUND_METRIC_TEXT;
		cl_emit_evidence(out, CL_ITEM(CL13), &sp, "emits metrics (%.*s)", cl_evidence_quote_len(src->data, ms, me), src->data + ms);
	}
	cl_hints_apply(CL_ITEM(CL13), src, out);
}

/* One package of the tree (evidence.h): its own metrics, tracing and
 * integrations count for its calls, another service's do not. */
static void cl13_package(void *ud, struct cl_file_out **outs, size_t n, const char *pkg)
{
	(void)ud;
	bool found = cl_evidence_integration(outs, n, CL_ITEM(CL13), false);
	for (size_t i = 0; i < n; i++)
		if (!cl_evidence_test_or_eval(outs[i]->facts->path) &&
		    cl_evidence_imports(outs[i], CL_ITEM(CL13), CL_ITEM(CL13), "metric_modules", "a metrics or tracing library"))
			found = true;
	struct cl_file_out *at;
	struct cl_span sp;
	if (found || !cl_evidence_first_usage(outs, n, &at, &sp))
		return;
	char where[300] = "";
	if (pkg)
		snprintf(where, sizeof where, " in package %s", pkg);
	cl_emit(at, CL_RULE(CL13_no_latency_metrics), -1, &sp,
		"no latency metric or span is emitted for Claude calls%s: no metrics or tracing library "
		"(Prometheus, OpenTelemetry, StatsD/Datadog, CloudWatch) and no LLM observability "
		"integration (Langfuse, LangSmith, Helicone, OpenLLMetry, Braintrust, Datadog LLM "
		"Observability, Sentry) is imported or listed as a dependency%s; record each call's duration "
		"in a histogram so p50/p95/p99 latency, error rate and cost can be charted",
		where, pkg ? " in this package" : "");
}

void cl_check_cl13_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
{
	(void)ctx;
	cl_evidence_by_package(outs, n, cl13_package, NULL);
}
