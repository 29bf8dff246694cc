/*
 * report_json.c — the --format json reporter: exactly the shape in
 * CONTRACT.md ("JSON report"), every key always present, plus "status_reason"
 * per item, "attestation" on an item the config attests (by, date, expires,
 * note, expired), "fingerprint" and "suppression" per finding, top-level
 * "notes", "meta_findings" (CL00: findings about suppression comments,
 * outside the 18 items) and the counts of what could not be read,
 * "files_skipped" and "directories_skipped" (each such file or directory
 * also has a note). Built as a cJSON
 * tree, printed by cl_report_print_json. Every string goes through
 * cl_report_utf8, so bad bytes in paths or messages cannot break the JSON.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "support/config.h"
#include "report/report.h"
#include "report/report_internal.h"
#include "support/xalloc.h"

struct state {
	const struct cl_result *r;
	cJSON *root, *items, *findings, *meta;
};

static cJSON *check(cJSON *j)
{
	if (!j) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	return j;
}

/* S as a sanitised string, or null when S is NULL. */
static cJSON *str(const char *s)
{
	if (!s)
		return check(cJSON_CreateNull());
	char *clean = cl_report_utf8(s);
	cJSON *j = check(cJSON_CreateString(clean));
	free(clean);
	return j;
}

static void add(cJSON *obj, const char *key, cJSON *val)
{
	cJSON_AddItemToObject(obj, key, val);
}

static cJSON *num(double d)
{
	return check(cJSON_CreateNumber(d));
}

static void begin(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	struct state *st = xcalloc(1, sizeof *st);
	ctx->state = st;
	st->r = r;
	st->meta = check(cJSON_CreateArray());
	st->root = check(cJSON_CreateObject());
	cJSON *tool = check(cJSON_CreateObject());
	add(tool, "name", str("claudit"));
	add(tool, "version", str(ctx->version ? ctx->version : ""));
	add(st->root, "tool", tool);
	add(st->root, "files_scanned", num((double)r->files_scanned));
	add(st->root, "files_skipped", num((double)r->files_skipped));
	add(st->root, "directories_skipped", num((double)r->dirs_skipped));
	add(st->root, "claude_call_sites", num((double)r->claude_call_sites));
	add(st->root, "claude_call_sites_outside_tests", num((double)r->coverage[0].calls));
	st->items = check(cJSON_CreateArray());
	add(st->root, "items", st->items);
}

/* The config's attestation of an item, shown whether or not it expired. */
static cJSON *attestation(const struct cl_item_result *ir)
{
	const struct cl_attestation *a = ir->attestation;
	cJSON *o = check(cJSON_CreateObject());
	add(o, "by", str(a->by));
	add(o, "date", str(a->date));
	add(o, "expires", str(a->expires));
	add(o, "note", str(a->note));
	add(o, "expired", check(cJSON_CreateBool(ir->attestation_expired)));
	return o;
}

static void item(struct cl_report_ctx *ctx, const struct cl_item_result *ir)
{
	struct state *st = ctx->state;
	const struct cl_item *it = ir->item;
	cJSON *o = check(cJSON_CreateObject());
	add(o, "id", str(it ? it->id : ""));
	add(o, "section", str(it ? it->section : ""));
	add(o, "title", str(it ? it->title : ""));
	add(o, "status", str(cl_status_name(ir->status)));
	add(o, "attested", check(cJSON_CreateBool(ir->attested)));
	add(o, "status_reason", str(ir->status_reason));
	cJSON *cov = cl_report_coverage_json(&ir->coverage, false);
	add(o, "coverage", cov ? cov : check(cJSON_CreateNull()));
	if (ir->attestation)
		add(o, "attestation", attestation(ir));
	st->findings = check(cJSON_CreateArray());
	add(o, "findings", st->findings);
	cJSON *ev = check(cJSON_CreateArray());
	for (size_t i = 0; i < ir->evidence.n; i++) {
		const struct cl_evidence *e = &ir->evidence.v[i];
		cJSON *eo = check(cJSON_CreateObject());
		add(eo, "file", str(e->loc.file));
		add(eo, "line", num(e->loc.line));
		add(eo, "message", str(e->message));
		cJSON_AddItemToArray(ev, eo);
	}
	add(o, "evidence", ev);
	cJSON_AddItemToArray(st->items, o);
}

/* null, or {"kind": "inline" | "file" | "baseline", "reason", "line"} */
static cJSON *suppression(const struct cl_finding *f)
{
	if (f->suppress_kind == CL_SUPPRESS_NONE)
		return check(cJSON_CreateNull());
	cJSON *o = check(cJSON_CreateObject());
	const char *kind = f->suppress_kind == CL_SUPPRESS_BASELINE ? "baseline" :
		f->suppress_line ? "inline" : "file";
	add(o, "kind", str(kind));
	add(o, "reason", str(f->justification));
	if (f->suppress_line)
		add(o, "line", num(f->suppress_line));
	return o;
}

static void finding(struct cl_report_ctx *ctx, const struct cl_item_result *ir,
	const struct cl_finding *f)
{
	struct state *st = ctx->state;
	cJSON *o = check(cJSON_CreateObject());
	add(o, "rule", str(f->rule ? f->rule->id : ""));
	add(o, "severity", str(cl_severity_name(f->severity)));
	add(o, "file", str(f->loc.file));
	add(o, "line", num(f->loc.line));
	add(o, "column", num(f->loc.column));
	add(o, "end_line", num(f->loc.end_line));
	add(o, "end_column", num(f->loc.end_column));
	if (f->cell) { /* a notebook's code cell; line and column stay the file's */
		add(o, "cell", num(f->cell));
		add(o, "cell_line", num(f->cell_line));
		add(o, "cell_column", num(f->cell_column));
	}
	add(o, "message", str(f->message));
	add(o, "suppressed", check(cJSON_CreateBool(f->suppressed)));
	add(o, "suppression", suppression(f));
	add(o, "fingerprint", str(f->fingerprint));
	cJSON_AddItemToArray(ir == &st->r->meta ? st->meta : st->findings, o);
}

static void end(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	struct state *st = ctx->state;
	size_t counts[4];
	cl_report_count(r, counts);
	cJSON *sum = check(cJSON_CreateObject());
	add(sum, "pass", num((double)counts[CL_STATUS_PASS]));
	add(sum, "fail", num((double)counts[CL_STATUS_FAIL]));
	add(sum, "manual", num((double)counts[CL_STATUS_MANUAL]));
	add(sum, "not_applicable", num((double)counts[CL_STATUS_NA]));
	add(st->root, "summary", sum);
	cJSON *notes = check(cJSON_CreateArray());
	for (size_t i = 0; i < r->notes.n; i++) {
		cJSON *n = check(cJSON_CreateObject());
		add(n, "file", str(r->notes.v[i].file));
		add(n, "message", str(r->notes.v[i].message));
		cJSON_AddItemToArray(notes, n);
	}
	add(st->root, "notes", notes);
	add(st->root, "meta_findings", st->meta);
	cl_report_print_json(ctx->out, st->root);
	cJSON_Delete(st->root);
	free(st);
	ctx->state = NULL;
}

const struct cl_reporter cl_report_json = {
	.name = "json",
	.begin = begin,
	.item = item,
	.finding = finding,
	.end = end,
};
