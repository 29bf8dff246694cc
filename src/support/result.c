/*
 * result.c — storage for a run's findings, evidence and notes (result.h):
 * path interning, the finding fingerprint, the deterministic sort and the
 * status names. Decides nothing; status.c sets each item's status.
 */
#include "support/result.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cl_result_init(struct cl_result *r)
{
	memset(r, 0, sizeof *r);
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		r->items[i].item = cl_registry_item(i);
		r->items[i].status = CL_STATUS_NA;
	}
	r->meta.item = cl_registry_item(CL_META_ITEM);
	r->meta.status = CL_STATUS_NA;
}

void cl_result_clear_item(struct cl_item_result *ir)
{
	for (size_t j = 0; j < ir->findings.n; j++) {
		free(ir->findings.v[j].message);
		free(ir->findings.v[j].justification);
	}
	for (size_t j = 0; j < ir->evidence.n; j++)
		free(ir->evidence.v[j].message);
	ir->findings.n = ir->evidence.n = 0;
}

static void item_result_finish(struct cl_item_result *ir)
{
	cl_result_clear_item(ir);
	free(ir->status_reason);
	cl_vec_free(&ir->findings);
	cl_vec_free(&ir->evidence);
}

void cl_result_finish(struct cl_result *r)
{
	if (!r)
		return;
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		item_result_finish(&r->items[i]);
	item_result_finish(&r->meta);
	for (size_t i = 0; i < r->notes.n; i++) {
		free(r->notes.v[i].file);
		free(r->notes.v[i].message);
	}
	cl_vec_free(&r->notes);
	for (size_t i = 0; i < r->strings.n; i++)
		free(r->strings.v[i]);
	cl_vec_free(&r->strings);
	memset(r, 0, sizeof *r);
}

/* Findings arrive file by file, so the newest paths are checked first. */
const char *cl_result_path(struct cl_result *r, const char *path)
{
	if (!path)
		return NULL;
	for (size_t i = r->strings.n; i-- > 0;) {
		if (r->strings.v[i] == path || strcmp(r->strings.v[i], path) == 0)
			return r->strings.v[i];
	}
	char *s = xstrdup(path);
	cl_vec_push(&r->strings, s);
	return s;
}

#define FNV_OFFSET 14695981039346656037ULL
#define FNV_PRIME 1099511628211ULL

static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= FNV_PRIME;
	}
	return h;
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

/* FNV-1a 64 over: rule id, NUL, path, NUL, the line without whitespace. */
static void fingerprint(char out[CL_FINGERPRINT_SIZE], const char *rule_id, const char *path,
	const char *line, size_t line_len)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t h = FNV_OFFSET;
	h = fnv(h, rule_id ? rule_id : "", rule_id ? strlen(rule_id) + 1 : 1);
	h = fnv(h, path ? path : "", path ? strlen(path) + 1 : 1);
	for (size_t i = 0; line && i < line_len; i++) {
		if (!is_space((unsigned char)line[i]))
			h = fnv(h, &line[i], 1);
	}
	for (int i = 15; i >= 0; i--, h >>= 4)
		out[i] = hex[h & 15];
	out[16] = 0;
}

static struct cl_location intern_loc(struct cl_result *r, const struct cl_location *loc)
{
	struct cl_location l = {0};
	if (loc) {
		l = *loc;
		l.file = cl_result_path(r, loc->file);
	}
	return l;
}

struct cl_finding *cl_result_add_finding(struct cl_result *r, const struct cl_rule *rule,
	enum cl_severity severity, const struct cl_location *loc,
	const char *line_text, size_t line_len, const char *message)
{
	int item = rule && rule->item >= 0 && rule->item <= CL_META_ITEM ? rule->item : 0;
	struct cl_finding f = {
		.rule = rule,
		.severity = severity,
		.loc = intern_loc(r, loc),
		.message = xstrdup(message ? message : ""),
	};
	fingerprint(f.fingerprint, rule ? rule->id : NULL, f.loc.file, line_text, line_len);
	struct cl_item_result *ir = item == CL_META_ITEM ? &r->meta : &r->items[item];
	cl_vec_push(&ir->findings, f);
	return &ir->findings.v[ir->findings.n - 1];
}

void cl_finding_suppress(struct cl_finding *f, enum cl_suppress_kind kind, const char *reason,
	unsigned comment_line)
{
	free(f->justification);
	f->suppress_kind = kind;
	f->suppressed = kind != CL_SUPPRESS_NONE;
	f->justification = reason ? xstrdup(reason) : NULL;
	f->suppress_line = comment_line;
}

void cl_result_add_evidence(struct cl_result *r, int item, const struct cl_location *loc,
	const char *message)
{
	if (item < 0 || item >= CL_ITEM_COUNT)
		return;
	struct cl_evidence e = {
		.loc = intern_loc(r, loc),
		.message = xstrdup(message ? message : ""),
	};
	cl_vec_push(&r->items[item].evidence, e);
}

void cl_result_add_note(struct cl_result *r, const char *file, const char *message)
{
	struct cl_file_note n = {
		.file = file ? xstrdup(file) : NULL,
		.message = xstrdup(message ? message : ""),
	};
	cl_vec_push(&r->notes, n);
}

/* NULL sorts first; NULL and "" are different. */
static int cmp_str(const char *a, const char *b)
{
	if (a == b)
		return 0;
	if (!a)
		return -1;
	if (!b)
		return 1;
	return strcmp(a, b);
}

static int cmp_uint(unsigned a, unsigned b)
{
	return (a > b) - (a < b);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct cl_finding *a = pa, *b = pb;
	int c;
	if ((c = cmp_str(a->loc.file, b->loc.file)) ||
	    (c = cmp_uint(a->loc.line, b->loc.line)) ||
	    (c = cmp_uint(a->loc.column, b->loc.column)) ||
	    (c = cmp_uint(a->loc.end_line, b->loc.end_line)) ||
	    (c = cmp_uint(a->loc.end_column, b->loc.end_column)) ||
	    (c = cmp_str(a->rule ? a->rule->id : NULL, b->rule ? b->rule->id : NULL)) ||
	    (c = cmp_str(a->message, b->message)) ||
	    (c = cmp_uint(a->severity, b->severity)) ||
	    (c = cmp_uint(a->suppressed, b->suppressed)))
		return c;
	return strcmp(a->fingerprint, b->fingerprint);
}

static int cmp_evidence(const void *pa, const void *pb)
{
	const struct cl_evidence *a = pa, *b = pb;
	int c;
	if ((c = cmp_str(a->loc.file, b->loc.file)) ||
	    (c = cmp_uint(a->loc.line, b->loc.line)) ||
	    (c = cmp_str(a->message, b->message)))
		return c;
	return cmp_uint(a->loc.column, b->loc.column);
}

static int cmp_note(const void *pa, const void *pb)
{
	const struct cl_file_note *a = pa, *b = pb;
	int c = cmp_str(a->file, b->file);
	return c ? c : cmp_str(a->message, b->message);
}

/* Same rule, path and hash; then position, so "n" follows the file. */
static int cmp_occurrence(const void *pa, const void *pb)
{
	const struct cl_finding *a = *(const struct cl_finding *const *)pa;
	const struct cl_finding *b = *(const struct cl_finding *const *)pb;
	int c;
	if ((c = cmp_str(a->rule ? a->rule->id : NULL, b->rule ? b->rule->id : NULL)) ||
	    (c = cmp_str(a->loc.file, b->loc.file)) ||
	    (c = strcmp(a->fingerprint, b->fingerprint)))
		return c;
	return (a > b) - (a < b); /* the findings are sorted already */
}

/* Appends ":n" to each fingerprint (see CL_FINGERPRINT_SIZE). */
static void number_fingerprints(struct cl_item_result *ir)
{
	if (!ir->findings.n)
		return;
	struct cl_finding **order = xmalloc(ir->findings.n * sizeof *order);
	for (size_t i = 0; i < ir->findings.n; i++)
		order[i] = &ir->findings.v[i];
	qsort(order, ir->findings.n, sizeof *order, cmp_occurrence);
	char prev[CL_FINGERPRINT_SIZE] = "";
	const char *prev_rule = NULL, *prev_file = NULL;
	unsigned n = 0;
	for (size_t i = 0; i < ir->findings.n; i++) {
		struct cl_finding *f = order[i];
		const char *rule = f->rule ? f->rule->id : NULL;
		bool same = i && cmp_str(prev_rule, rule) == 0 && cmp_str(prev_file, f->loc.file) == 0 &&
			strcmp(prev, f->fingerprint) == 0;
		n = same ? n + 1 : 1;
		memcpy(prev, f->fingerprint, sizeof prev);
		prev_rule = rule;
		prev_file = f->loc.file;
		size_t len = strnlen(f->fingerprint, 16);
		snprintf(f->fingerprint + len, sizeof f->fingerprint - len, ":%u", n);
	}
	free(order);
}

static void sort_item(struct cl_item_result *ir)
{
	if (ir->findings.n > 1)
		qsort(ir->findings.v, ir->findings.n, sizeof *ir->findings.v, cmp_finding);
	if (ir->evidence.n > 1)
		qsort(ir->evidence.v, ir->evidence.n, sizeof *ir->evidence.v, cmp_evidence);
	number_fingerprints(ir);
}

void cl_result_sort(struct cl_result *r)
{
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		sort_item(&r->items[i]);
	sort_item(&r->meta);
	if (r->notes.n > 1)
		qsort(r->notes.v, r->notes.n, sizeof *r->notes.v, cmp_note);
}

const char *cl_status_name(enum cl_status s)
{
	switch (s) {
	case CL_STATUS_PASS: return "pass";
	case CL_STATUS_FAIL: return "fail";
	case CL_STATUS_MANUAL: return "manual";
	case CL_STATUS_NA: return "not_applicable";
	}
	return "not_applicable";
}
