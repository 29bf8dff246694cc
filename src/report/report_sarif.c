/*
 * report_sarif.c — the --format sarif reporter: SARIF 2.1.0 for the official
 * validator and GitHub code scanning. One run; tool.driver.rules holds every
 * rule of the registry (help with the bad and good examples, tags naming item
 * and section); one result per finding with a physical location, region and
 * partialFingerprints ("claudit/v1" = the finding's fingerprint, "hash:n");
 * suppressed findings carry suppressions: [{kind: "inSource"}] for a
 * claudit-ignore comment, [{kind: "external"}] for a baseline entry, with the
 * reason as justification. CL00 findings (about suppression comments) are
 * results like any other. Item statuses and the
 * summary go in run.properties.claudit; file notes become the invocation's
 * toolExecutionNotifications.
 *
 * Locations. URIs are the finding's path relative to the scan root,
 * percent-encoded (RFC 3986: everything but unreserved characters and '/'),
 * with uriBaseId "%SRCROOT%"; originalUriBaseIds is omitted because the
 * reporter does not know the absolute root, and GitHub resolves relative URIs
 * against the checkout. GitHub rejects the whole upload when a result lacks a
 * physical location, so:
 *   - a path outside the scan root (an absolute operand, or "../lib/x.py"
 *     when several roots are given) is an absolute "file://" URI without
 *     uriBaseId;
 *   - a finding with line 0 (about a whole file) gets region startLine 1;
 *   - a finding without a file (about the whole repository) points at the
 *     repository root, uri "." with startLine 1, and says so in
 *     properties.repositoryLevel. Checks should prefer to anchor such
 *     findings at a relevant file (the client construction, the CI workflow).
 * Columns are bytes (CONTRACT.md); SARIF's default unit is code points, so
 * they differ only on lines with non-ASCII text before the column.
 *
 * GitHub keeps at most 25,000 results per run: beyond that the reporter keeps
 * unsuppressed before suppressed, errors before warnings before notes, and
 * records how many it dropped in run.properties.claudit.droppedResults and a
 * tool notification.
 */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "support/config.h"
#include "report/report.h"
#include "report/report_internal.h"
#include "scan/secrets.h"
#include "support/xalloc.h"

#define MAX_RESULTS 25000
#define INFORMATION_URI "https://github.com/claudit/claudit"
#define SCHEMA_URI "https://json.schemastore.org/sarif-2.1.0.json"

struct pending {
	cJSON *json;
	int rank;     /* lower is kept first */
	size_t order;
	bool keep;
};

struct state {
	cJSON *root, *run, *items;
	CL_VEC(struct pending) results;
};

static cJSON *check(cJSON *j)
{
	if (!j) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	return j;
}

static cJSON *str(const char *s)
{
	char *clean = cl_report_utf8(s ? s : "");
	cJSON *j = check(cJSON_CreateString(clean));
	free(clean);
	return j;
}

static cJSON *num(double d)
{
	return check(cJSON_CreateNumber(d));
}

static cJSON *obj(void)
{
	return check(cJSON_CreateObject());
}

static cJSON *arr(void)
{
	return check(cJSON_CreateArray());
}

static cJSON *add(cJSON *o, const char *key, cJSON *val)
{
	cJSON_AddItemToObject(o, key, val);
	return val;
}

static cJSON *push(cJSON *a, cJSON *val)
{
	cJSON_AddItemToArray(a, val);
	return val;
}

/* {"text": S} */
static cJSON *message(const char *s)
{
	cJSON *m = obj();
	add(m, "text", str(s));
	return m;
}

static const char *level(enum cl_severity s)
{
	return s == CL_SEV_ERROR ? "error" : s == CL_SEV_WARNING ? "warning" : "note";
}

/* Relative path to a URI reference: keys redacted, unreserved characters
 * and '/' stay, every other byte becomes %XX (bytes of invalid UTF-8 too,
 * so the URI names the file exactly). NULL or "" is the repository root ".". */
static char *uri_of(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	if (!path || !*path)
		return xstrdup(".");
	char *red = cl_secrets_redact_all(path, strlen(path));
	char *u = xmalloc(3 * strlen(red) + 1), *o = u;
	for (const unsigned char *p = (const unsigned char *)red; *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = 0;
	free(red);
	return u;
}

/* PATH leaves the scan root: absolute, or with a ".." segment (several
 * roots given, one outside the current directory). */
static bool outside_root(const char *path)
{
	if (!path || path[0] == '/')
		return path != NULL;
	for (const char *s = path; s; s = strchr(s, '/'), s = s ? s + 1 : NULL)
		if (s[0] == '.' && s[1] == '.' && (s[2] == '/' || s[2] == 0))
			return true;
	return false;
}

/* PATH made absolute (against the working directory) with "." and ".."
 * resolved lexically, as the file URI of RFC 8089 ("file:///a/b"). */
static char *file_uri(const char *path)
{
	char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
	char *abs = xasprintf("%s/%s", cwd ? cwd : "", path);
	free(cwd);
	char *out = xmalloc(strlen(abs) + 2), *o = out;
	for (char *seg = abs, *next; seg; seg = next) {
		next = strchr(seg, '/');
		if (next)
			*next++ = 0;
		if (!*seg || !strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			while (o > out && *--o != '/') {
			}
			continue;
		}
		o += sprintf(o, "/%s", seg);
	}
	if (o == out)
		*o++ = '/';
	*o = 0;
	char *enc = uri_of(out);
	char *u = xasprintf("file://%s", enc);
	free(enc);
	free(out);
	free(abs);
	return u;
}

/* A path under the scan root is relative to %SRCROOT%; one outside it (an
 * absolute operand, a second root "../lib") is an absolute file URI: a
 * relative reference may not climb out of its base. */
static cJSON *artifact(const char *path)
{
	cJSON *a = obj();
	bool abs = outside_root(path);
	char *u = abs ? file_uri(path) : uri_of(path);
	add(a, "uri", check(cJSON_CreateString(u)));
	if (!abs)
		add(a, "uriBaseId", str("%SRCROOT%"));
	free(u);
	return a;
}

static cJSON *physical(const struct cl_location *l)
{
	cJSON *p = obj();
	add(p, "artifactLocation", artifact(l->file));
	cJSON *reg = add(p, "region", obj());
	unsigned line = l->file && *l->file && l->line ? l->line : 1;
	add(reg, "startLine", num(line));
	if (line != l->line)
		return p; /* whole file or repository: the first line stands for it */
	if (l->column)
		add(reg, "startColumn", num(l->column));
	if (l->end_line >= l->line) {
		bool same = l->end_line == l->line;
		unsigned end_col = l->end_column;
		if (same && (!l->column || end_col < l->column))
			end_col = 0;
		if (!same || end_col)
			add(reg, "endLine", num(l->end_line));
		if (end_col)
			add(reg, "endColumn", num(end_col));
	}
	return p;
}

/* "model-alias" -> "ModelAlias" */
static char *pascal(const char *slug)
{
	char *s = xmalloc(strlen(slug) + 1), *o = s;
	bool up = true;
	for (const char *p = slug; *p; p++) {
		if (*p == '-' || *p == '_' || *p == '.' || *p == ' ') {
			up = true;
			continue;
		}
		*o++ = up && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		up = false;
	}
	*o = 0;
	return s;
}

/* A backtick fence longer than any run of backticks in TEXT. */
static char *fence(const char *text)
{
	size_t run = 0, longest = 0;
	for (const char *p = text; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	size_t n = longest < 3 ? 3 : longest + 1;
	char *f = xmalloc(n + 1);
	memset(f, '`', n);
	f[n] = 0;
	return f;
}

static const char *nonempty(const char *a, const char *b)
{
	return a && *a ? a : b;
}

static cJSON *help(const struct cl_rule *rule)
{
	const char *docs = nonempty(rule->docs, nonempty(rule->summary, rule->id));
	const char *bad = rule->bad && *rule->bad ? rule->bad : NULL;
	const char *good = rule->good && *rule->good ? rule->good : NULL;
	char *text = xstrdup(docs), *md = xstrdup(docs), *t;
	if (bad) {
		char *f = fence(bad);
		t = xasprintf("%s\n\nBad:\n%s", text, bad); free(text); text = t;
		t = xasprintf("%s\n\n**Bad**\n\n%s\n%s\n%s", md, f, bad, f); free(md); md = t;
		free(f);
	}
	if (good) {
		char *f = fence(good);
		t = xasprintf("%s\n\nGood:\n%s", text, good); free(text); text = t;
		t = xasprintf("%s\n\n**Good**\n\n%s\n%s\n%s", md, f, good, f); free(md); md = t;
		free(f);
	}
	cJSON *h = obj();
	add(h, "text", str(text));
	add(h, "markdown", str(md));
	free(text);
	free(md);
	return h;
}

static cJSON *rule_json(const struct cl_rule *rule)
{
	const struct cl_item *it = cl_registry_item(rule->item);
	cJSON *r = obj();
	add(r, "id", str(rule->id));
	char *name = pascal(nonempty(rule->slug, rule->id));
	add(r, "name", str(name));
	free(name);
	add(r, "shortDescription", message(nonempty(rule->summary, nonempty(rule->name, rule->id))));
	add(r, "fullDescription", message(nonempty(rule->docs, nonempty(rule->summary, rule->id))));
	add(r, "help", help(rule));
	cJSON *cfg = add(r, "defaultConfiguration", obj());
	add(cfg, "level", str(level(rule->severity)));
	cJSON *props = add(r, "properties", obj());
	cJSON *tags = add(props, "tags", arr());
	if (it) {
		push(tags, str(it->id));
		push(tags, str(it->section));
	}
	add(props, "precision", str("high"));
	add(props, "problem.severity", str(rule->severity == CL_SEV_ERROR ? "error" :
		rule->severity == CL_SEV_WARNING ? "warning" : "recommendation"));
	if (rule->preview)
		add(props, "preview", cJSON_CreateTrue());
	return r;
}

/* Index of RULE in the registry's sorted table, or -1. */
static long rule_index(const struct cl_rule *rule)
{
	if (!rule || !rule->id)
		return -1;
	size_t lo = 0, hi = cl_registry_rule_count();
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct cl_rule *m = cl_registry_rule_at(mid);
		int c = strcmp(m->id, rule->id);
		if (c == 0)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

static void begin(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	(void)r;
	struct state *st = xcalloc(1, sizeof *st);
	ctx->state = st;
	st->root = obj();
	add(st->root, "$schema", str(SCHEMA_URI));
	add(st->root, "version", str("2.1.0"));
	cJSON *runs = add(st->root, "runs", arr());
	st->run = push(runs, obj());
	cJSON *driver = add(add(st->run, "tool", obj()), "driver", obj());
	add(driver, "name", str("claudit"));
	add(driver, "version", str(nonempty(ctx->version, "0.0.0")));
	add(driver, "informationUri", str(INFORMATION_URI));
	cJSON *rules = add(driver, "rules", arr());
	for (size_t i = 0; i < cl_registry_rule_count(); i++)
		push(rules, rule_json(cl_registry_rule_at(i)));
	st->items = arr();
}

static void item(struct cl_report_ctx *ctx, const struct cl_item_result *ir)
{
	struct state *st = ctx->state;
	cJSON *o = push(st->items, obj());
	add(o, "id", str(ir->item ? ir->item->id : ""));
	add(o, "status", str(cl_status_name(ir->status)));
	add(o, "attested", check(cJSON_CreateBool(ir->attested)));
	if (ir->attestation) {
		cJSON *a = add(o, "attestation", obj());
		add(a, "by", str(ir->attestation->by));
		add(a, "date", str(ir->attestation->date));
		add(a, "expires", str(ir->attestation->expires));
		add(a, "note", str(ir->attestation->note));
		add(a, "expired", check(cJSON_CreateBool(ir->attestation_expired)));
	}
	if (ir->status_reason)
		add(o, "statusReason", str(ir->status_reason));
	cJSON *cov = cl_report_coverage_json(&ir->coverage, true);
	if (cov)
		add(o, "coverage", cov);
}

static void finding(struct cl_report_ctx *ctx, const struct cl_item_result *ir,
	const struct cl_finding *f)
{
	struct state *st = ctx->state;
	cJSON *res = obj();
	long idx = rule_index(f->rule);
	add(res, "ruleId", str(f->rule ? f->rule->id : "unknown"));
	if (idx >= 0)
		add(res, "ruleIndex", num((double)idx));
	add(res, "level", str(level(f->severity)));
	add(res, "message", message(nonempty(f->message, f->rule ? f->rule->summary : "")));
	cJSON *loc = push(add(res, "locations", arr()), obj());
	add(loc, "physicalLocation", physical(&f->loc));
	add(add(res, "partialFingerprints", obj()), "claudit/v1", str(f->fingerprint));
	if (f->suppressed) {
		cJSON *s = push(add(res, "suppressions", arr()), obj());
		add(s, "kind", str(f->suppress_kind == CL_SUPPRESS_BASELINE ? "external" : "inSource"));
		if (f->justification && *f->justification)
			add(s, "justification", str(f->justification));
	}
	cJSON *props = add(res, "properties", obj());
	add(props, "item", str(ir->item ? ir->item->id : ""));
	if (!f->loc.file || !*f->loc.file)
		add(props, "repositoryLevel", check(cJSON_CreateTrue()));
	if (f->cell) { /* a notebook's code cell; the region stays the file's */
		add(props, "notebookCell", num(f->cell));
		add(props, "notebookCellLine", num(f->cell_line));
		add(props, "notebookCellColumn", num(f->cell_column));
	}
	struct pending p = {
		.json = res,
		.rank = (f->suppressed ? 3 : 0) + (int)f->severity,
		.order = st->results.n,
		.keep = true,
	};
	cl_vec_push(&st->results, p);
}

static int by_rank(const void *a, const void *b)
{
	const struct pending *x = *(const struct pending *const *)a;
	const struct pending *y = *(const struct pending *const *)b;
	if (x->rank != y->rank)
		return x->rank < y->rank ? -1 : 1;
	return (x->order > y->order) - (x->order < y->order);
}

/* Marks all but the MAX_RESULTS best results as dropped; returns how many. */
static size_t cap_results(struct state *st)
{
	size_t n = st->results.n;
	if (n <= MAX_RESULTS)
		return 0;
	struct pending **order = xmalloc(n * sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = &st->results.v[i];
	qsort(order, n, sizeof *order, by_rank);
	for (size_t i = MAX_RESULTS; i < n; i++)
		order[i]->keep = false;
	free(order);
	return n - MAX_RESULTS;
}

static void end(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	struct state *st = ctx->state;
	size_t dropped = cap_results(st);

	cJSON *inv = push(add(st->run, "invocations", arr()), obj());
	add(inv, "executionSuccessful", check(cJSON_CreateTrue()));
	cJSON *notes = arr();
	for (size_t i = 0; i < r->notes.n; i++) {
		cJSON *n = push(notes, obj());
		add(n, "level", str("warning"));
		add(n, "message", message(r->notes.v[i].message));
		if (r->notes.v[i].file && *r->notes.v[i].file) {
			cJSON *loc = push(add(n, "locations", arr()), obj());
			cJSON *pl = add(loc, "physicalLocation", obj());
			add(pl, "artifactLocation", artifact(r->notes.v[i].file));
		}
	}
	if (dropped) {
		char *m = xasprintf("%zu results left out: GitHub code scanning keeps at most %d "
			"per run (suppressed ones and lower severities were left out first)",
			dropped, MAX_RESULTS);
		cJSON *n = push(notes, obj());
		add(n, "level", str("warning"));
		add(n, "message", message(m));
		free(m);
	}
	if (cJSON_GetArraySize(notes))
		add(inv, "toolExecutionNotifications", notes);
	else
		cJSON_Delete(notes);

	cJSON *results = add(st->run, "results", arr());
	for (size_t i = 0; i < st->results.n; i++) {
		if (st->results.v[i].keep)
			push(results, st->results.v[i].json);
		else
			cJSON_Delete(st->results.v[i].json);
	}
	cl_vec_free(&st->results);

	size_t c[4];
	cl_report_count(r, c);
	cJSON *cl = add(add(st->run, "properties", obj()), "claudit", obj());
	add(cl, "filesScanned", num((double)r->files_scanned));
	add(cl, "filesSkipped", num((double)r->files_skipped));
	add(cl, "directoriesSkipped", num((double)r->dirs_skipped));
	add(cl, "claudeCallSites", num((double)r->claude_call_sites));
	add(cl, "claudeCallSitesOutsideTests", num((double)r->coverage[0].calls));
	cJSON *sum = add(cl, "summary", obj());
	add(sum, "pass", num((double)c[CL_STATUS_PASS]));
	add(sum, "fail", num((double)c[CL_STATUS_FAIL]));
	add(sum, "manual", num((double)c[CL_STATUS_MANUAL]));
	add(sum, "not_applicable", num((double)c[CL_STATUS_NA]));
	add(cl, "items", st->items);
	add(cl, "droppedResults", num((double)dropped));

	cl_report_print_json(ctx->out, st->root);
	cJSON_Delete(st->root);
	free(st);
	ctx->state = NULL;
}

const struct cl_reporter cl_report_sarif = {
	.name = "sarif",
	.begin = begin,
	.item = item,
	.finding = finding,
	.end = end,
};
