/*
 * test_report.c — unit test for result.c and the three reporters: builds a
 * small result by hand over a fake registry (18 items, 3 rules; the real one
 * is not linked), writes text, JSON and SARIF to memory and checks their
 * shape. With an argument, also writes the SARIF there (for
 * tests/validate-sarif). Prints "N passed, N failed"; exit 1 on a failure.
 */
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/config.h"
#include "rules/registry.h"
#include "report/report.h"
#include "support/result.h"
#include "scan/secrets.h"

/* --- a fake registry ----------------------------------------------------- */

static const char *const sections[] = {
	"Authentication and key management", "Resilience", "Cost guardrails",
	"Observability", "Model and prompt safety",
};
static const int section_of[CL_ITEM_COUNT] = {0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 4, 4, 4, 4};

static const struct cl_rule rules[] = {
	{ .id = "CL01.hardcoded-key", .slug = "hardcoded-key", .item = 0,
	  .severity = CL_SEV_ERROR, .name = "Hard-coded key",
	  .summary = "An Anthropic API key written in source.",
	  .docs = "Keys in source leak through every clone.",
	  .bad = "client = Anthropic(api_key=\"sk-ant-api03-...\")",
	  .good = "client = Anthropic()", .languages = "python", .implemented = true },
	{ .id = "CL05.no-timeout", .slug = "no-timeout", .item = 4,
	  .severity = CL_SEV_ERROR, .name = "No timeout",
	  .summary = "A client or call without an explicit timeout.",
	  .docs = "The SDK default is 10 minutes.",
	  .bad = "new Anthropic()", .good = "new Anthropic({ timeout: 90_000 })",
	  .languages = "typescript", .implemented = true },
	{ .id = "CL15.model-alias", .slug = "model-alias", .item = 14,
	  .severity = CL_SEV_ERROR, .name = "Model alias",
	  .summary = "A model alias instead of a pinned id.",
	  .docs = "Aliases move; pin a snapshot.",
	  .bad = "model=\"claude-3-5-sonnet-latest\" # ```", .good = "model=\"claude-sonnet-4-6\"",
	  .languages = "python", .implemented = true },
};
#define NRULES (sizeof rules / sizeof *rules)

static struct cl_item items[CL_ITEM_COUNT];
static char ids[CL_ITEM_COUNT][8], titles[CL_ITEM_COUNT][128];

static void fake_registry(void)
{
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		snprintf(ids[i], sizeof ids[i], "CL%02d", i + 1);
		snprintf(titles[i], sizeof titles[i], i == 0 ?
			"The key is never in source, in a committed env file, or in code shipped to browsers." :
			"Checklist item number %d \u2013 60\u2013120 s", i + 1);
		items[i] = (struct cl_item){ .id = ids[i], .section = sections[section_of[i]],
			.title = titles[i], .docs = "", .kind = CL_KIND_CODE, .implemented = true,
			.applies = "claude" };
	}
}

bool cl_registry_load(void) { fake_registry(); return true; }
void cl_registry_unload(void) {}
const struct cl_item *cl_registry_item(int i)
{
	return i >= 0 && i < CL_ITEM_COUNT ? &items[i] : NULL;
}
size_t cl_registry_rule_count(void) { return NRULES; }
const struct cl_rule *cl_registry_rule_at(size_t i) { return i < NRULES ? &rules[i] : NULL; }
const struct cl_rule *cl_registry_rule(const char *id)
{
	for (size_t i = 0; i < NRULES; i++)
		if (strcmp(rules[i].id, id) == 0)
			return &rules[i];
	return NULL;
}
const char *cl_severity_name(enum cl_severity s)
{
	return s == CL_SEV_ERROR ? "error" : s == CL_SEV_WARNING ? "warning" : "note";
}

/* --- harness --------------------------------------------------------------- */

static int passed, failed;

#define CHECK(cond) do { \
	if (cond) passed++; \
	else { failed++; fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

static char *render(const char *format, const struct cl_result *r, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct cl_report_ctx ctx = { .out = f, .color = color, .version = "1.2.3" };
	const struct cl_reporter *rep = cl_report_find(format);
	if (rep)
		cl_report_write(rep, &ctx, r);
	fclose(f);
	return buf;
}

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 :
			(*p & 0xf8) == 0xf0 ? 3 : -1;
		if (n < 0 || (n == 1 && *p < 0xc2))
			return false;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xc0) != 0x80)
				return false;
	}
	return true;
}

static uint64_t fnv_ref(const char *rule, const char *path, const char *line)
{
	uint64_t h = 14695981039346656037ULL;
	const char *parts[2] = {rule, path};
	for (int k = 0; k < 2; k++) {
		for (const char *p = parts[k];; p++) {
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			if (!*p)
				break;
		}
	}
	for (const char *p = line; *p; p++)
		if (!strchr(" \t\r\n\v\f", *p))
			h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	return h;
}

static bool has(const cJSON *o, const char *key, cJSON_bool (*is)(const cJSON *))
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return v && is(v);
}

static double numv(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsNumber(v) ? v->valuedouble : -1;
}

static const char *strv(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool streq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* --- the result under test --------------------------------------------------- */

static void build(struct cl_result *r)
{
	cl_result_init(r);
	r->files_scanned = 12;
	r->claude_call_sites = 3;
	r->coverage[0].calls = 2; /* one of the three is in test code */
	r->coverage[1].calls = 1;
	static const enum cl_status st[CL_ITEM_COUNT] = {
		CL_STATUS_FAIL, CL_STATUS_MANUAL, CL_STATUS_MANUAL, CL_STATUS_PASS,
		CL_STATUS_FAIL, CL_STATUS_PASS, CL_STATUS_NA, CL_STATUS_PASS,
		CL_STATUS_MANUAL, CL_STATUS_PASS, CL_STATUS_NA, CL_STATUS_PASS,
		CL_STATUS_PASS, CL_STATUS_PASS, CL_STATUS_FAIL, CL_STATUS_PASS,
		CL_STATUS_PASS, CL_STATUS_FAIL,
	};
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		r->items[i].status = st[i];
	r->items[2].attested = true;
	static struct cl_attestation valid = {"Ana Ruiz", "2026-10-01", "2027-03-31", "three workspaces"};
	static struct cl_attestation old = {"Bo", "2025-01-01", "2025-12-31", "rotation runbook"};
	r->items[2].attestation = &valid;
	r->items[1].attestation = &old;
	r->items[1].attestation_expired = true;
	r->items[4].status_reason = strdup("2 clients without an explicit timeout");
	struct cl_item_coverage cov = {"calls", 2, 2, 3, 1, 1, 1};
	r->items[4].coverage = cov;

	struct cl_location l1 = { "src/chat.ts", 12, 12, 12, 39 };
	struct cl_location l2 = { "src/a dir/x\xff.py", 3, 5, 3, 9 };
	struct cl_location l3 = { "src/chat.ts", 4, 1, 4, 20 };
	struct cl_location l4 = { ".env", 0, 0, 0, 0 };
	struct cl_location l5 = { NULL, 0, 0, 0, 0 };
	cl_result_add_finding(r, &rules[2], CL_SEV_ERROR, &l1, "  model = \"x\"", 13,
		"model \"claude-3-5-sonnet-latest\" is an alias");
	cl_result_add_finding(r, &rules[2], CL_SEV_WARNING, &l2, "m = 1", 5,
		"bad bytes \xc3\x28 and a \"quote\"\n\tand\x1b[31m escape");
	struct cl_finding *sup = cl_result_add_finding(r, &rules[2], CL_SEV_ERROR, &l3,
		NULL, 0, "suppressed one");
	cl_finding_suppress(sup, CL_SUPPRESS_INLINE, "pinned by the gateway", 3);
	cl_result_add_finding(r, &rules[0], CL_SEV_ERROR, &l4, "ANTHROPIC_API_KEY=sk-ant-api03-abc", 34,
		"key sk-ant-api03 (108 chars) in a committed env file");
	cl_result_add_finding(r, &rules[1], CL_SEV_ERROR, &l5, NULL, 0, "repository-level finding");
	struct cl_location e1 = { "infra/secrets.tf", 7, 1, 0, 0 };
	cl_result_add_evidence(r, 1, &e1, "per-environment key in IaC");
	cl_result_add_evidence(r, 1, NULL, "run-wide hint");
	cl_result_add_note(r, "big/bundle.min.js", "skipped: larger than 5 MiB");
	cl_result_add_note(r, NULL, "run-wide note");
	cl_result_sort(r);
}

/* --- checks ---------------------------------------------------------------- */

static void test_result(void)
{
	struct cl_result r;
	cl_result_init(&r);
	const char *a = cl_result_path(&r, "src/x.py");
	char buf[] = "src/x.py";
	CHECK(cl_result_path(&r, buf) == a);
	CHECK(cl_result_path(&r, "src/y.py") != a);
	CHECK(cl_result_path(&r, NULL) == NULL);

	struct cl_location l = { buf, 1, 1, 1, 2 };
	struct cl_finding *f = cl_result_add_finding(&r, &rules[2], CL_SEV_ERROR, &l,
		"model = \"claude-3-5-sonnet-latest\"", 34, "m");
	char fp1[17];
	memcpy(fp1, f->fingerprint, 17);
	CHECK(f->loc.file == a);
	CHECK(strlen(fp1) == 16 && strspn(fp1, "0123456789abcdef") == 16);
	char ref[17];
	snprintf(ref, sizeof ref, "%016llx", (unsigned long long)fnv_ref("CL15.model-alias",
		"src/x.py", "model = \"claude-3-5-sonnet-latest\""));
	CHECK(strcmp(fp1, ref) == 0);
	l.line = 40;
	f = cl_result_add_finding(&r, &rules[2], CL_SEV_ERROR, &l,
		"\tmodel=\"claude-3-5-sonnet-latest\"  \r\n", 36, "m");
	CHECK(strcmp(f->fingerprint, fp1) == 0); /* whitespace and line number ignored */
	l.file = "src/y.py";
	f = cl_result_add_finding(&r, &rules[2], CL_SEV_ERROR, &l,
		"model = \"claude-3-5-sonnet-latest\"", 34, "m");
	CHECK(strcmp(f->fingerprint, fp1) != 0);
	f = cl_result_add_finding(&r, &rules[0], CL_SEV_ERROR, &l,
		"model = \"claude-3-5-sonnet-latest\"", 34, "m");
	CHECK(f - r.items[0].findings.v == 0);

	/* sort: file, line, column, ..., rule, message; evidence NULL file first */
	struct cl_location s1 = { "b.py", 2, 1, 2, 2 }, s2 = { "a.py", 9, 1, 9, 2 },
		s3 = { "b.py", 2, 1, 2, 2 };
	cl_result_add_finding(&r, &rules[1], CL_SEV_ERROR, &s1, NULL, 0, "zeta");
	cl_result_add_finding(&r, &rules[1], CL_SEV_ERROR, &s2, NULL, 0, "x");
	cl_result_add_finding(&r, &rules[1], CL_SEV_ERROR, &s3, NULL, 0, "alpha");
	cl_result_add_evidence(&r, 4, &s1, "e1");
	cl_result_add_evidence(&r, 4, NULL, "e0");
	cl_result_add_evidence(&r, 99, NULL, "ignored");
	cl_result_sort(&r);
	struct cl_item_result *ir = &r.items[4];
	CHECK(ir->findings.n == 3);
	CHECK(streq(ir->findings.v[0].loc.file, "a.py"));
	CHECK(streq(ir->findings.v[1].message, "alpha"));
	CHECK(streq(ir->findings.v[2].message, "zeta"));
	CHECK(ir->evidence.n == 2 && ir->evidence.v[0].loc.file == NULL);
	CHECK(r.items[14].findings.n == 3);
	CHECK(r.items[14].findings.v[0].loc.line == 1 && streq(r.items[14].findings.v[2].loc.file, "src/y.py"));
	/* numbered among identical lines of the same rule and file, in line order */
	char want[CL_FINGERPRINT_SIZE];
	snprintf(want, sizeof want, "%s:1", ref);
	CHECK(streq(r.items[14].findings.v[0].fingerprint, want));
	snprintf(want, sizeof want, "%s:2", ref);
	CHECK(streq(r.items[14].findings.v[1].fingerprint, want));
	CHECK(strlen(r.items[14].findings.v[2].fingerprint) == 18 &&
		streq(r.items[14].findings.v[2].fingerprint + 16, ":1"));

	CHECK(streq(cl_status_name(CL_STATUS_PASS), "pass"));
	CHECK(streq(cl_status_name(CL_STATUS_FAIL), "fail"));
	CHECK(streq(cl_status_name(CL_STATUS_MANUAL), "manual"));
	CHECK(streq(cl_status_name(CL_STATUS_NA), "not_applicable"));
	cl_result_finish(&r);
	cl_result_finish(NULL);
}

static void test_table(void)
{
	CHECK(cl_report_find("text") == &cl_report_text);
	CHECK(cl_report_find("json") == &cl_report_json);
	CHECK(cl_report_find("sarif") == &cl_report_sarif);
	CHECK(cl_report_find("xml") == NULL);
	CHECK(cl_report_find(NULL) == NULL);
}

static void test_json(const struct cl_result *r)
{
	char *out = render("json", r, false);
	char *again = render("json", r, false);
	CHECK(strcmp(out, again) == 0);
	free(again);
	CHECK(strncmp(out, "{\n  \"tool\": {\n    \"name\": \"claudit\",", 35) == 0);
	CHECK(out[strlen(out) - 1] == '\n' && out[strlen(out) - 2] == '}');
	CHECK(utf8_valid(out));
	CHECK(!strchr(out, '\t') && !strchr(out, '\x1b'));

	cJSON *j = cJSON_Parse(out);
	CHECK(j != NULL);
	if (!j) {
		fputs(out, stderr);
		free(out);
		return;
	}
	const cJSON *tool = cJSON_GetObjectItemCaseSensitive(j, "tool");
	CHECK(streq(strv(tool, "name"), "claudit") && streq(strv(tool, "version"), "1.2.3"));
	CHECK(numv(j, "files_scanned") == 12 && numv(j, "claude_call_sites") == 3);
	CHECK(numv(j, "claude_call_sites_outside_tests") == 2);
	const cJSON *its = cJSON_GetObjectItemCaseSensitive(j, "items");
	const cJSON *cov = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 4), "coverage");
	CHECK(streq(strv(cov, "subject"), "calls") && numv(cov, "checked") == 2 && numv(cov, "files") == 2 &&
		numv(cov, "clients") == 3 && numv(cov, "test_checked") == 1 && numv(cov, "test_files") == 1 &&
		numv(cov, "test_clients") == 1);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 0), "coverage")));
	CHECK(cJSON_IsArray(its) && cJSON_GetArraySize(its) == CL_ITEM_COUNT);
	int i = 0, bad_keys = 0, nfindings = 0;
	const cJSON *it;
	cJSON_ArrayForEach(it, its) {
		char id[16];
		snprintf(id, sizeof id, "CL%02d", ++i % 100);
		bad_keys += !streq(strv(it, "id"), id);
		bad_keys += !has(it, "section", cJSON_IsString) || !has(it, "title", cJSON_IsString);
		const char *s = strv(it, "status");
		bad_keys += !(streq(s, "pass") || streq(s, "fail") || streq(s, "manual") ||
			streq(s, "not_applicable"));
		bad_keys += !has(it, "attested", cJSON_IsBool);
		bad_keys += !has(it, "findings", cJSON_IsArray) || !has(it, "evidence", cJSON_IsArray);
		const cJSON *reason = cJSON_GetObjectItemCaseSensitive(it, "status_reason");
		bad_keys += !(cJSON_IsString(reason) || cJSON_IsNull(reason));
		const cJSON *f;
		cJSON_ArrayForEach(f, cJSON_GetObjectItemCaseSensitive(it, "findings")) {
			nfindings++;
			bad_keys += !has(f, "rule", cJSON_IsString) || !has(f, "severity", cJSON_IsString);
			const cJSON *file = cJSON_GetObjectItemCaseSensitive(f, "file");
			bad_keys += !(cJSON_IsString(file) || cJSON_IsNull(file));
			static const char *const nums[] = {"line", "column", "end_line", "end_column"};
			for (int k = 0; k < 4; k++)
				bad_keys += !has(f, nums[k], cJSON_IsNumber);
			bad_keys += !has(f, "message", cJSON_IsString) || !has(f, "suppressed", cJSON_IsBool);
			bad_keys += !has(f, "fingerprint", cJSON_IsString);
		}
		const cJSON *e;
		cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(it, "evidence")) {
			const cJSON *file = cJSON_GetObjectItemCaseSensitive(e, "file");
			bad_keys += !(cJSON_IsString(file) || cJSON_IsNull(file));
			bad_keys += !has(e, "line", cJSON_IsNumber) || !has(e, "message", cJSON_IsString);
		}
	}
	CHECK(bad_keys == 0);
	CHECK(nfindings == 5);
	const cJSON *cl15 = cJSON_GetArrayItem(its, 14);
	CHECK(streq(strv(cl15, "status"), "fail") && streq(strv(cl15, "section"), "Model and prompt safety"));
	const cJSON *fs = cJSON_GetObjectItemCaseSensitive(cl15, "findings");
	CHECK(cJSON_GetArraySize(fs) == 3);
	/* sorted: "src/a dir/..." < "src/chat.ts" line 4 (suppressed) < line 12 */
	const cJSON *f0 = cJSON_GetArrayItem(fs, 0), *f1 = cJSON_GetArrayItem(fs, 1);
	CHECK(streq(strv(f0, "file"), "src/a dir/x\xef\xbf\xbd.py"));
	CHECK(streq(strv(f0, "message"), "bad bytes \xef\xbf\xbd( and a \"quote\"\n\tand\x1b[31m escape"));
	CHECK(streq(strv(f0, "severity"), "warning"));
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(f1, "suppressed")));
	const cJSON *why = cJSON_GetObjectItemCaseSensitive(f1, "suppression");
	CHECK(streq(strv(why, "kind"), "inline") && streq(strv(why, "reason"), "pinned by the gateway"));
	CHECK(numv(why, "line") == 3);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(f0, "suppression")));
	const cJSON *meta = cJSON_GetObjectItemCaseSensitive(j, "meta_findings");
	CHECK(cJSON_IsArray(meta) && cJSON_GetArraySize(meta) == 0);
	CHECK(numv(cJSON_GetArrayItem(fs, 2), "end_column") == 39);
	CHECK(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 2), "attested")));
	const cJSON *att = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 2), "attestation");
	CHECK(streq(strv(att, "by"), "Ana Ruiz") && streq(strv(att, "date"), "2026-10-01") &&
		streq(strv(att, "expires"), "2027-03-31") && streq(strv(att, "note"), "three workspaces") &&
		cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(att, "expired")));
	att = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 1), "attestation");
	CHECK(streq(strv(att, "by"), "Bo") && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(att, "expired")));
	CHECK(!cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 0), "attestation"));
	CHECK(streq(strv(cJSON_GetArrayItem(its, 4), "status_reason"), "2 clients without an explicit timeout"));
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 4), "findings"), 0),
		"file")));
	const cJSON *ev = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(its, 1), "evidence");
	CHECK(cJSON_GetArraySize(ev) == 2 && cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetArrayItem(ev, 0), "file")));
	const cJSON *sum = cJSON_GetObjectItemCaseSensitive(j, "summary");
	CHECK(numv(sum, "pass") == 9 && numv(sum, "fail") == 4 && numv(sum, "manual") == 3 &&
		numv(sum, "not_applicable") == 2);
	const cJSON *notes = cJSON_GetObjectItemCaseSensitive(j, "notes");
	CHECK(cJSON_GetArraySize(notes) == 2);
	CHECK(cJSON_IsNull(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(notes, 0), "file")));
	cJSON_Delete(j);
	free(out);
}

static const cJSON *path(const cJSON *j, const char *const *keys)
{
	for (; j && *keys; keys++) {
		char *end;
		long idx = strtol(*keys, &end, 10);
		j = *end ? cJSON_GetObjectItemCaseSensitive(j, *keys) : cJSON_GetArrayItem(j, (int)idx);
	}
	return j;
}
#define P(j, ...) path(j, (const char *const[]){__VA_ARGS__, NULL})

static void test_sarif(const struct cl_result *r, const char *save)
{
	char *out = render("sarif", r, false);
	CHECK(utf8_valid(out));
	if (save) {
		FILE *f = fopen(save, "w");
		CHECK(f != NULL);
		if (f) {
			fputs(out, f);
			fclose(f);
		}
	}
	cJSON *j = cJSON_Parse(out);
	CHECK(j != NULL);
	if (!j) {
		free(out);
		return;
	}
	CHECK(streq(strv(j, "version"), "2.1.0"));
	CHECK(streq(strv(j, "$schema"), "https://json.schemastore.org/sarif-2.1.0.json"));
	CHECK(cJSON_GetArraySize(P(j, "runs")) == 1);
	const cJSON *driver = P(j, "runs", "0", "tool", "driver");
	CHECK(streq(strv(driver, "name"), "claudit") && streq(strv(driver, "version"), "1.2.3"));
	const cJSON *rl = P(driver, "rules");
	CHECK(cJSON_GetArraySize(rl) == (int)NRULES);
	CHECK(streq(strv(P(rl, "2"), "name"), "ModelAlias"));
	CHECK(streq(strv(P(rl, "2", "defaultConfiguration"), "level"), "error"));
	CHECK(streq(P(rl, "2", "properties", "tags", "0")->valuestring, "CL15"));
	CHECK(streq(P(rl, "2", "properties", "tags", "1")->valuestring, "Model and prompt safety"));
	const char *md = strv(P(rl, "2", "help"), "markdown");
	CHECK(md && strstr(md, "````\nmodel=\"claude-3-5-sonnet-latest\" # ```\n````") &&
		strstr(md, "claude-sonnet-4-6"));
	CHECK(strv(P(rl, "2", "help"), "text") && strstr(strv(P(rl, "2", "help"), "text"), "Good:"));

	const cJSON *res = P(j, "runs", "0", "results");
	CHECK(cJSON_GetArraySize(res) == 5);
	int suppressed = 0, bad = 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, res) {
		const char *lv = strv(x, "level");
		bad += !(streq(lv, "error") || streq(lv, "warning") || streq(lv, "note"));
		const cJSON *rid = P(x, "ruleIndex");
		bad += !cJSON_IsNumber(rid);
		if (rid && cJSON_IsNumber(rid))
			bad += !streq(strv(cJSON_GetArrayItem(rl, (int)rid->valuedouble), "id"), strv(x, "ruleId"));
		bad += !P(x, "locations", "0", "physicalLocation", "region", "startLine");
		bad += !strv(P(x, "partialFingerprints"), "claudit/v1");
		suppressed += P(x, "suppressions") != NULL;
	}
	CHECK(bad == 0);
	CHECK(suppressed == 1);
	/* results follow the items: CL01 (.env, line 0), CL05 (no file), CL15 x3 */
	CHECK(streq(strv(P(res, "0", "locations", "0", "physicalLocation", "artifactLocation"), "uri"), ".env"));
	CHECK(numv(P(res, "0", "locations", "0", "physicalLocation", "region"), "startLine") == 1);
	CHECK(streq(strv(P(res, "1", "locations", "0", "physicalLocation", "artifactLocation"), "uri"), "."));
	CHECK(streq(strv(P(res, "2", "locations", "0", "physicalLocation", "artifactLocation"), "uri"),
		"src/a%20dir/x%FF.py"));
	const cJSON *reg = P(res, "4", "locations", "0", "physicalLocation", "region");
	CHECK(numv(reg, "startLine") == 12 && numv(reg, "startColumn") == 12 &&
		numv(reg, "endLine") == 12 && numv(reg, "endColumn") == 39);
	CHECK(streq(strv(P(res, "3", "suppressions", "0"), "kind"), "inSource"));
	CHECK(streq(strv(P(res, "3", "suppressions", "0"), "justification"), "pinned by the gateway"));
	const cJSON *props = P(j, "runs", "0", "properties", "claudit");
	CHECK(numv(P(props, "summary"), "fail") == 4 && cJSON_GetArraySize(P(props, "items")) == 18);
	CHECK(numv(props, "claudeCallSitesOutsideTests") == 2);
	CHECK(streq(strv(P(props, "items", "4", "coverage"), "subject"), "calls") &&
		numv(P(props, "items", "4", "coverage"), "checked") == 2 &&
		numv(P(props, "items", "4", "coverage"), "testFiles") == 1);
	CHECK(!P(props, "items", "0", "coverage"));
	CHECK(cJSON_IsTrue(P(props, "items", "2", "attested")) &&
		streq(strv(P(props, "items", "2", "attestation"), "by"), "Ana Ruiz") &&
		cJSON_IsFalse(P(props, "items", "2", "attestation", "expired")));
	CHECK(cJSON_IsTrue(P(props, "items", "1", "attestation", "expired")) &&
		!P(props, "items", "0", "attestation"));
	CHECK(cJSON_GetArraySize(P(j, "runs", "0", "invocations", "0", "toolExecutionNotifications")) == 2);
	cJSON_Delete(j);
	free(out);
}

static size_t cps(const char *s, const char *end)
{
	size_t n = 0;
	for (; s < end; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* More than GitHub's 25,000 results per run: suppressed and notes go first. */
static void test_sarif_cap(void)
{
	struct cl_result r;
	cl_result_init(&r);
	for (unsigned i = 0; i < 25003; i++) {
		struct cl_location l = { "big.py", i + 1, 1, i + 1, 2 };
		enum cl_severity sev = i == 7 || i == 9 ? CL_SEV_NOTE : CL_SEV_ERROR;
		struct cl_finding *f = cl_result_add_finding(&r, &rules[2], sev, &l, NULL, 0, "m");
		f->suppressed = i == 100;
	}
	char *out = render("sarif", &r, false);
	cJSON *j = cJSON_Parse(out);
	CHECK(j != NULL);
	const cJSON *res = P(j, "runs", "0", "results");
	CHECK(cJSON_GetArraySize(res) == 25000);
	int notes = 0, sup = 0;
	const cJSON *x;
	cJSON_ArrayForEach(x, res) {
		notes += streq(strv(x, "level"), "note");
		sup += P(x, "suppressions") != NULL;
	}
	CHECK(notes == 0 && sup == 0);
	CHECK(numv(P(j, "runs", "0", "properties", "claudit"), "droppedResults") == 3);
	CHECK(cJSON_GetArraySize(P(j, "runs", "0", "invocations", "0", "toolExecutionNotifications")) == 1);
	cJSON_Delete(j);
	free(out);
	cl_result_finish(&r);
}

static void test_text(const struct cl_result *r)
{
	char *out = render("text", r, false);
	CHECK(strstr(out, "18 items: 9 pass, 4 fail, 3 manual, 2 not applicable \u2014 "
		"12 files scanned, 3 Claude call sites (2 outside tests)\n") != NULL);
	CHECK(!strchr(out, '\x1b'));
	CHECK(utf8_valid(out));
	const char *sec = strstr(out, "Model and prompt safety\n");
	CHECK(sec && !strstr(sec + 1, "Model and prompt safety\n"));
	CHECK(strstr(out, "Authentication and key management\n") == out);
	CHECK(strstr(out, "  x CL15  ") && strstr(out, "  + CL04  ") && strstr(out, "  ? CL02  "));
	CHECK(strstr(out, "    src/chat.ts:12:12  CL15.model-alias  model \"claude-3-5-sonnet-latest\" is an alias\n"));
	CHECK(strstr(out, "    (repository)  CL05.no-timeout  repository-level finding\n"));
	CHECK(strstr(out, "CL15.model-alias  warning: bad bytes"));
	CHECK(!strstr(out, "suppressed one"));
	CHECK(strstr(out, "    (1 suppressed finding not shown)\n"));
	CHECK(strstr(out, "    evidence: infra/secrets.tf:7  per-environment key in IaC\n"));
	CHECK(strstr(out, "    evidence: run-wide hint\n"));
	CHECK(strstr(out, "    2 clients without an explicit timeout\n"));
	CHECK(strstr(out, "  big/bundle.min.js: skipped: larger than 5 MiB\n"));
	CHECK(strstr(out, "CL01  The key is never in source, in a committed env file, or...    fail\n"));
	CHECK(strstr(out, "manual (attested)"));
	/* status words line up */
	const char *a = strstr(out, "  x CL01  "), *b = strstr(out, "  + CL04  ");
	CHECK(a && b && cps(a, strchr(a, '\n')) == cps(b, strchr(b, '\n')));

	char *col = render("text", r, true);
	CHECK(strchr(col, '\x1b') != NULL);
	CHECK(strstr(col, "\u2717") != NULL);
	free(col);
	free(out);
}

/* Keys in paths, messages, evidence and notes never reach any report; the
 * counts of what was not read do. */
static void test_hostile(void)
{
	char key[128] = "sk-ant-api03-";
	for (size_t i = strlen(key); i < 106; i++)
		key[i] = (char)('a' + i % 26);
	strcat(key, "AA");
	CHECK(cl_secrets_contains_key(key, strlen(key)));
	char *path = NULL, *msg = NULL;
	CHECK(asprintf(&path, "src/%s/app.py", key) > 0);
	CHECK(asprintf(&msg, "model \"%s\" is not a model id", key) > 0);
	struct cl_result r;
	cl_result_init(&r);
	r.files_skipped = 2;
	r.dirs_skipped = 1;
	struct cl_location l = { path, 1, 1, 1, 5 };
	cl_result_add_finding(&r, &rules[2], CL_SEV_ERROR, &l, key, strlen(key), msg);
	cl_result_add_evidence(&r, 0, &l, msg);
	cl_result_add_note(&r, path, msg);
	static const char *const fmts[] = {"text", "json", "sarif"};
	for (int i = 0; i < 3; i++) {
		char *out = render(fmts[i], &r, false);
		CHECK(!cl_secrets_contains_key(out, strlen(out)));
		char head[15]; /* "sk-ant-api03-" and the key's first own character */
		memcpy(head, key, 14);
		head[14] = 0;
		CHECK(!strstr(out, head));
		CHECK(strstr(out, i == 2 ? "sk-ant-api03%E2%80%A6" : "sk-ant-api03\u2026 (108 chars)"));
		if (i == 0) {
			CHECK(strstr(out, "Not read: 2 files, 1 directory (see Notes)."));
		} else {
			cJSON *j = cJSON_Parse(out);
			CHECK(j != NULL);
			if (i == 1) {
				CHECK(numv(j, "files_skipped") == 2 && numv(j, "directories_skipped") == 1);
			} else {
				const cJSON *run = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "runs"), 0);
				const cJSON *cl = cJSON_GetObjectItem(cJSON_GetObjectItem(run, "properties"), "claudit");
				CHECK(numv(cl, "filesSkipped") == 2 && numv(cl, "directoriesSkipped") == 1);
			}
			cJSON_Delete(j);
		}
		free(out);
	}
	cl_result_finish(&r);
	free(path);
	free(msg);
}

int main(int argc, char **argv)
{
	fake_registry();
	test_result();
	test_table();
	struct cl_result r;
	build(&r);
	test_json(&r);
	test_sarif(&r, argc > 1 ? argv[1] : NULL);
	test_text(&r);
	test_sarif_cap();
	test_hostile();
	if (getenv("TEST_REPORT_DUMP")) {
		char *t = render(getenv("TEST_REPORT_DUMP"), &r, false);
		fputs(t, stdout);
		free(t);
	}
	cl_result_finish(&r);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
