/*
 * report_gitlab.c — the --format gitlab reporter: a GitLab Code Quality
 * report (artifacts:reports:codequality), a JSON array with one object per
 * unsuppressed finding. Fields as GitLab documents them (docs.gitlab.com,
 * "Code Quality", section "Code Quality report format", read 2026-12-07):
 * description, check_name, fingerprint, severity (info, minor, major,
 * critical, blocker), location.path and location.lines.begin. Checked
 * against our transcription of that table, tests/schemas/gitlab-codequality.json.
 *
 *   - check_name is the rule id; description the finding's message;
 *   - fingerprint is the finding's own ("hash:n", rule + path + line text),
 *     unique within a report and stable when code moves, which is what the
 *     merge request widget compares between branches;
 *   - severity: error -> major, warning -> minor, note -> info;
 *   - a finding about the whole repository (no file) points at ".", line 1.
 * Suppressed and baselined findings are left out (the format has no
 * suppression), and so are item statuses: a failing item with no finding
 * (--strict on a manual item) has no place in it; the exit code still says
 * it. Deterministic like the JSON reporter (same order, same printer).
 */
#include <cjson/cJSON.h>
#include <stdlib.h>

#include "report/report.h"
#include "report/report_internal.h"

static cJSON *obj(cJSON *parent, const char *key)
{
	cJSON *o = cl_report_cjson(cJSON_CreateObject());
	cJSON_AddItemToObject(parent, key, o);
	return o;
}

static const char *severity(enum cl_severity s)
{
	return s == CL_SEV_ERROR ? "major" : s == CL_SEV_WARNING ? "minor" : "info";
}

static void begin(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	(void)r;
	ctx->state = cl_report_cjson(cJSON_CreateArray());
}

static void finding(struct cl_report_ctx *ctx, const struct cl_item_result *ir,
	const struct cl_finding *f)
{
	(void)ir;
	if (f->suppressed)
		return;
	cJSON *o = cl_report_cjson(cJSON_CreateObject());
	cJSON_AddItemToObject(o, "description", cl_report_cjson_str(f->message));
	cJSON_AddItemToObject(o, "check_name", cl_report_cjson_str(f->rule ? f->rule->id : "claudit"));
	cJSON_AddItemToObject(o, "fingerprint", cl_report_cjson_str(f->fingerprint));
	cJSON_AddItemToObject(o, "severity", cl_report_cjson_str(severity(f->severity)));
	cJSON *loc = obj(o, "location");
	bool has_file = f->loc.file && *f->loc.file;
	cJSON_AddItemToObject(loc, "path", cl_report_cjson_str(has_file ? f->loc.file : "."));
	cJSON *lines = obj(loc, "lines");
	unsigned line = has_file && f->loc.line ? f->loc.line : 1;
	cJSON_AddItemToObject(lines, "begin", cl_report_cjson(cJSON_CreateNumber(line)));
	if (line == f->loc.line && f->loc.end_line > line)
		cJSON_AddItemToObject(lines, "end", cl_report_cjson(cJSON_CreateNumber(f->loc.end_line)));
	cJSON_AddItemToArray(ctx->state, o);
}

static void end(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	(void)r;
	cl_report_print_json(ctx->out, ctx->state);
	cJSON_Delete(ctx->state);
	ctx->state = NULL;
}

const struct cl_reporter cl_report_gitlab = {
	.name = "gitlab",
	.begin = begin,
	.finding = finding,
	.end = end,
};
