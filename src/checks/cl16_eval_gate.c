/*
 * cl16_eval_gate.c — CL16: an eval suite (an eval framework, a promptfoo
 * config, or an evals/ tree whose code calls Claude) and a CI workflow that
 * runs it. What counts is rule data (rules/CL16.json).
 */
#include <cjson/cJSON.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/evidence.h"

enum { SUITE = 1, CI_RUNS = 2, CI_FILE = 4 };

void cl_check_cl16_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_evidence_text_deps(src, out, CL_ITEM(CL16), CL_ITEM(CL16), "eval_modules", SUITE, "an eval framework");
	if (cl_evidence_path_matches(CL_ITEM(CL16), "eval_config_files", src->path)) {
		struct cl_span sp = cl_evidence_line_span(1);
		out->marks[CL_ITEM(CL16)] |= SUITE;
		cl_emit_evidence(out, CL_ITEM(CL16), &sp, "an eval config");
	}
	if (!cl_evidence_path_matches(CL_ITEM(CL16), "ci_files", src->path))
		return;
	out->marks[CL_ITEM(CL16)] |= CI_FILE;
	size_t ms, me;
	if (cl_evidence_search(CL_ITEM(CL16), "ci_eval_pattern", src->data, src->len, &ms, &me)) {
		struct cl_span sp = cl_span_at(src, ms, me);
		out->marks[CL_ITEM(CL16)] |= CI_RUNS;
		cl_emit_evidence(out, CL_ITEM(CL16), &sp, "CI runs evals (%.*s)", cl_evidence_quote_len(src->data, ms, me), src->data + ms);
	}
}

/* A file that imports an eval module, or a module of eval_calls and calls
 * one of its names. */
static bool eval_import(const struct cl_file_facts *f, const char **module)
{
	int k = cl_evidence_import(f, CL_ITEM(CL16), "eval_modules");
	if (k >= 0) {
		*module = f->imported_modules.v[k];
		return true;
	}
	const cJSON *calls = cJSON_GetObjectItemCaseSensitive(cl_registry_item_data(CL_ITEM(CL16)), "eval_calls"), *e;
	cJSON_ArrayForEach(e, calls) {
		const cJSON *m = cJSON_GetObjectItemCaseSensitive(e, "module");
		const cJSON *names = cJSON_GetObjectItemCaseSensitive(e, "names"), *nm;
		if (!cJSON_IsString(m))
			continue;
		bool imported = false;
		for (size_t i = 0; i < f->imported_modules.n && !imported; i++)
			imported = !strcmp(f->imported_modules.v[i], m->valuestring);
		if (!imported)
			continue;
		for (size_t r = 0; r < f->refs.n; r++)
			cJSON_ArrayForEach(nm, names)
				if (cJSON_IsString(nm) && !strcmp(f->refs.v[r].name, nm->valuestring)) {
					*module = m->valuestring;
					return true;
				}
	}
	return false;
}

/* A file under an evals/ folder whose code calls Claude. */
static bool eval_tree_file(const struct cl_file_facts *f)
{
	return cl_evidence_under_dir(f->path, CL_ITEM(CL16), "eval_dirs") && cl_project_file_reaches(f);
}

void cl_check_cl16_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
{
	(void)ctx;
	struct cl_file_out *suite_at = NULL;
	struct cl_span suite_span = cl_evidence_line_span(1);
	unsigned marks = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		const char *module;
		if (eval_import(f, &module)) {
			int k = -1;
			for (size_t j = 0; j < f->imported_modules.n && k < 0; j++)
				if (!strcmp(f->imported_modules.v[j], module))
					k = (int)j;
			struct cl_span sp = cl_evidence_line_span(k >= 0 ? f->imported_lines.v[k] : 1);
			cl_emit_evidence(outs[i], CL_ITEM(CL16), &sp, "imports %s (an eval framework)", module);
			outs[i]->marks[CL_ITEM(CL16)] |= SUITE;
		} else if (eval_tree_file(f)) {
			struct cl_span sp = cl_evidence_line_span(1);
			cl_emit_evidence(outs[i], CL_ITEM(CL16), &sp, "an eval that calls Claude");
			outs[i]->marks[CL_ITEM(CL16)] |= SUITE;
		}
		if ((outs[i]->marks[CL_ITEM(CL16)] & SUITE) && !suite_at) {
			suite_at = outs[i];
			for (size_t e = 0; e < outs[i]->evidence.n; e++)
				if (outs[i]->evidence.v[e].item == CL_ITEM(CL16)) {
					suite_span = outs[i]->evidence.v[e].span;
					break;
				}
		}
		marks |= outs[i]->marks[CL_ITEM(CL16)];
	}
	struct cl_file_out *at;
	struct cl_span sp;
	if (!cl_evidence_first_usage(outs, n, &at, &sp))
		return;
	if (!suite_at) {
		cl_emit(at, CL_RULE(CL16_no_eval_suite), -1, &sp,
			"no eval suite found: no promptfoo config, no deepeval, ragas, inspect_ai, Braintrust or "
			"LangSmith evaluation, and no evals/ folder whose code calls Claude; prompt and model "
			"changes ship unmeasured. Add a set of labelled cases run against the production prompt "
			"and model, and run it in CI");
		return;
	}
	if (marks & CI_RUNS)
		return;
	cl_emit(suite_at, CL_RULE(CL16_evals_not_in_ci), -1, &suite_span,
		"an eval suite exists (here) but %s, so a prompt or model change can merge without it; add a "
		"CI job that runs the evals on changes to prompts and model ids",
		(marks & CI_FILE) ? "no CI workflow runs it (none mentions evals or an eval tool)"
		: "no CI configuration was found (.github/workflows, .gitlab-ci.yml, CircleCI, ...)");
}
