/*
 * test_registry.c — unit test for registry.c and patterns.c: the built-in
 * rule data loads and agrees with the generated ids (rule_ids.h); the data
 * patterns are compiled at load and match; rule data with a bad pattern, an
 * undeclared data key, a declared key without data, or an unknown key in an
 * item, a rule or a hint is refused with one line naming the file and the
 * key; the check table names only known items, sorted; test code is what
 * rules/test-code.json says; a
 * rule in preview is marked in --list-rules and --explain and emits nothing
 * unless the run has preview on.
 */
#include "checks/checks.h"
#include "report/coverage.h"
#include "report/explain.h"
#include "model/facts.h"
#include "rules/patterns.h"
#include "rules/registry.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "support/embed.h"

/* A reader that replaces one rule file with TEXT. */
struct overlay {
	const char *name;
	char *text;
};

static const char *read_overlay(const char *name, size_t *len, void *ud)
{
	const struct overlay *o = ud;
	if (strcmp(name, o->name) != 0)
		return NULL;
	*len = strlen(o->text);
	return o->text;
}

/* The built-in FILE, parsed, for a test to change. */
static cJSON *builtin(const char *file)
{
	const struct cl_embedded *e = cl_embed_find(file);
	return e ? cJSON_ParseWithLength(e->data, e->size) : NULL;
}

/* Loads the registry with FILE replaced by DOC (consumed); returns the error
 * line (caller frees) or NULL when it loaded, and unloads again. */
static char *load_with(const char *file, cJSON *doc)
{
	struct overlay o = {file, cJSON_Print(doc)};
	cJSON_Delete(doc);
	char *err = NULL;
	bool ok = cl_registry_load_from(read_overlay, &o, &err);
	free(o.text);
	cl_registry_unload();
	if (ok)
		return NULL;
	return err ? err : strdup("(no error message)");
}

static bool contains(const char *s, const char *part)
{
	return s && strstr(s, part);
}

static void test_builtin(void)
{
	char *err = NULL;
	CHECK(cl_registry_load_from(NULL, NULL, &err), "built-in rule data refused: %s", err ? err : "");
	free(err);
	CHECK(cl_registry_rule_count() >= CL_RULE_COUNT, "fewer rules than the generated ids");
	for (size_t i = 0; i < CL_RULE_COUNT; i++) {
		const struct cl_rule *r = cl_registry_rule_of((enum cl_rule_id)i);
		CHECK(r && !strcmp(r->id, cl_rule_ids[i]), "generated id %s maps to %s", cl_rule_ids[i],
			r ? r->id : "nothing");
	}
	CHECK(!strcmp(cl_registry_rule_of(CL_RULE(CL05_no_timeout))->id, "CL05.no-timeout"), "CL_RULE(CL05_no_timeout)");
	CHECK(!strcmp(cl_registry_item(CL_ITEM(CL05))->id, "CL05"), "CL_ITEM(CL05)");
	CHECK(!strcmp(cl_registry_item(CL_META_ITEM)->id, "CL00"), "CL_META_ITEM");
	for (int i = 0; i <= CL_META_ITEM; i++)
		CHECK(!strcmp(cl_registry_item(i)->id, cl_item_ids[i]), "item %d is %s", i, cl_item_ids[i]);

	/* patterns compiled at load, found by name, matched */
	const struct cl_pattern *p = cl_patterns_get(CL_ITEM(CL04), "retry_words");
	size_t ms = 0, me = 0;
	CHECK(p != NULL, "CL04 retry_words compiled");
	CHECK(cl_pattern_find(p, "for attempt in x:", 17, 0, &ms, &me) && ms == 4 && me == 11,
		"retry_words finds 'attempt' at 4..11, got %zu..%zu", ms, me);
	CHECK(!cl_pattern_find(p, "for row in rows:", 16, 0, NULL, NULL), "retry_words on a plain loop");
	CHECK(cl_patterns_get(CL_ITEM(CL06), "handwritten_not") == NULL, "an empty pattern list matches nothing");
	CHECK(!cl_pattern_find(NULL, "x", 1, 0, NULL, NULL), "a NULL pattern never matches");
	cl_registry_unload();
}

static void test_refused(void)
{
	/* a bad pattern: the file, the key, the element and the offset */
	cJSON *doc = builtin("rules/CL04.json");
	cJSON *words = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(doc, "data"), "retry_statuses");
	cJSON_AddItemToArray(words, cJSON_CreateString("\\b(429|529"));
	char *err = load_with("rules/CL04.json", doc);
	CHECK(contains(err, "rule data rules/CL04.json: data.retry_statuses[5]: regex error at offset 10"),
		"bad pattern: %s", err ? err : "loaded");
	CHECK(err && !strchr(err, '\n'), "one line");
	free(err);

	/* a retired data key left behind, even declared: CL05's web_entries (entry kinds by display
	 * name) is the entry records' web_request flag now */
	doc = builtin("rules/CL05.json");
	cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(doc, "data"), "web_entries", cJSON_CreateString("^x$"));
	cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(doc, "data_keys"), "web_entries", cJSON_CreateString("patterns"));
	err = load_with("rules/CL05.json", doc);
	CHECK(contains(err, "rule data rules/CL05.json: data.web_entries: retired key (an entry point's record in "
		"rules/entrypoints.json says \"web_request\": true)"), "retired key: %s", err ? err : "loaded");
	free(err);

	/* a data key data_keys does not declare (a typo) */
	doc = builtin("rules/CL18.json");
	cJSON_AddItemToObject(cJSON_GetObjectItemCaseSensitive(doc, "data"), "recursion_limt", cJSON_CreateString("x"));
	err = load_with("rules/CL18.json", doc);
	CHECK(contains(err, "rule data rules/CL18.json: data.recursion_limt: unknown data key"), "unknown data key: %s",
		err ? err : "loaded");
	free(err);

	/* a declared key with no data, or data of the wrong kind */
	doc = builtin("rules/CL14.json");
	cJSON_DeleteItemFromObject(cJSON_GetObjectItemCaseSensitive(doc, "data"), "typed");
	err = load_with("rules/CL14.json", doc);
	CHECK(contains(err, "rules/CL14.json: data_keys.typed: needs data.typed of kind patterns"), "missing data: %s",
		err ? err : "loaded");
	free(err);
	doc = builtin("rules/CL14.json");
	cJSON_ReplaceItemInObject(cJSON_GetObjectItemCaseSensitive(doc, "data_keys"), "broad_types",
		cJSON_CreateString("regexes"));
	err = load_with("rules/CL14.json", doc);
	CHECK(contains(err, "data_keys.broad_types: needs data.broad_types of kind regexes"), "unknown kind: %s",
		err ? err : "loaded");
	free(err);

	/* an unknown key in an item and in a rule */
	doc = builtin("rules/CL05.json");
	cJSON_AddItemToObject(doc, "aplies", cJSON_CreateString("claude"));
	err = load_with("rules/CL05.json", doc);
	CHECK(contains(err, "rules/CL05.json: the item: unknown key aplies"), "unknown item key: %s", err ? err : "loaded");
	free(err);
	doc = builtin("rules/CL05.json");
	cJSON_AddItemToObject(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "rules"), 0), "previw",
		cJSON_CreateTrue());
	err = load_with("rules/CL05.json", doc);
	CHECK(contains(err, "rules/CL05.json: CL05.no-timeout: unknown key previw"), "unknown rule key: %s",
		err ? err : "loaded");
	free(err);

	/* a rule the build knows, gone from the data */
	doc = builtin("rules/CL10.json");
	cJSON_DeleteItemFromArray(cJSON_GetObjectItemCaseSensitive(doc, "rules"), 0);
	err = load_with("rules/CL10.json", doc);
	CHECK(contains(err, "CL10.large-prompt-uncached: a rule the build knows is missing"), "missing rule: %s",
		err ? err : "loaded");
	free(err);

	/* and after a refusal the built-in data still loads */
	err = NULL;
	CHECK(cl_registry_load_from(NULL, NULL, &err), "reload after a refusal: %s", err ? err : "");
	free(err);
	cl_registry_unload();
}

static void test_preview(void)
{
	/* a preview rule defined only here, beside CL05's own */
	cJSON *doc = builtin("rules/CL05.json");
	cJSON *r = cJSON_Duplicate(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "rules"), 0), true);
	cJSON_ReplaceItemInObject(r, "id", cJSON_CreateString("CL05.test-preview"));
	cJSON_AddItemToObject(r, "preview", cJSON_CreateTrue());
	cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "rules"), r);
	struct overlay o = {"rules/CL05.json", cJSON_Print(doc)};
	cJSON_Delete(doc);
	char *err = NULL;
	CHECK(cl_registry_load_from(read_overlay, &o, &err), "preview overlay: %s", err ? err : "");
	free(err);
	const struct cl_rule *pr = cl_registry_rule("CL05.test-preview");
	CHECK(pr && pr->preview, "the rule is in preview");
	CHECK(!cl_registry_rule_of(CL_RULE(CL05_no_timeout))->preview, "a stable rule is not");
	CHECK(!strcmp(cl_registry_rule_of(CL_RULE(CL05_timeout_unit))->id, "CL05.timeout-unit"),
		"an added rule moves no generated id");

	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	cl_explain_list(m);
	fclose(m);
	const char *line = strstr(buf, "CL05.test-preview");
	CHECK(line && strstr(line, "[preview]") && strchr(line, '\n') > strstr(line, "[preview]"),
		"--list-rules marks it");
	line = strstr(buf, "CL05.no-timeout");
	CHECK(line && (!strstr(line, "[preview]") || strchr(line, '\n') < strstr(line, "[preview]")),
		"--list-rules leaves stable rules unmarked");
	free(buf);
	m = open_memstream(&buf, &len);
	cl_explain(m, "CL05.test-preview");
	fclose(m);
	CHECK(strstr(buf, "Preview: runs only with --preview"), "--explain says so");
	free(buf);

	/* emits nothing without preview, a finding with it */
	struct cl_file_facts f;
	cl_facts_init_empty(&f, "a.py", CL_LANG_PYTHON);
	struct cl_file_out out = {0};
	out.facts = &f;
	struct cl_span sp = {0, 1, 1, 1, 1, 2};
	cl_emit(&out, "CL05.test-preview", -1, &sp, "x");
	CHECK(out.findings.n == 0, "no finding without preview");
	cl_emit(&out, CL_RULE(CL05_no_timeout), -1, &sp, "y");
	CHECK(out.findings.n == 1, "a stable rule still emits");
	out.preview = true;
	cl_emit(&out, "CL05.test-preview", -1, &sp, "x");
	CHECK(out.findings.n == 2 && out.findings.v[1].rule == pr, "a finding with preview");
	cl_vec_free(&out.findings);
	cl_facts_finish(&f);
	free(o.text);
	cl_registry_unload();
}

/* rules/hints.json: a bad regex and an unknown key are refused, the
 * built-in hints load. Needs the registry (hints name their item). */
static void test_hints(void)
{
	char *err = NULL;
	CHECK(cl_registry_load_from(NULL, NULL, &err), "registry: %s", err ? err : "");
	free(err);
	err = NULL;
	CHECK(cl_hints_init(&err), "built-in hints: %s", err ? err : "");
	free(err);
	cl_hints_cleanup();
	static const char bad_regex[] = "{\"hints\": [{\"item\": \"CL09\", \"id\": \"h\", \"message\": \"m\", "
		"\"paths\": [\"*.tf\"], \"regex\": \"budget(\"}]}";
	err = NULL;
	CHECK(!cl_hints_init_from(bad_regex, strlen(bad_regex), &err) &&
		contains(err, "rule data rules/hints.json: hint h: regex error at offset 7: missing closing parenthesis"),
		"bad hint regex: %s", err ? err : "loaded");
	free(err);
	cl_hints_cleanup();
	static const char bad_key[] = "{\"hints\": [{\"item\": \"CL09\", \"id\": \"h\", \"message\": \"m\", "
		"\"paths\": [\"*.tf\"], \"regex\": \"budget\", \"not_path\": [\"x\"]}]}";
	err = NULL;
	CHECK(!cl_hints_init_from(bad_key, strlen(bad_key), &err) &&
		contains(err, "rule data rules/hints.json: hint h: unknown key not_path"), "unknown hint key: %s",
		err ? err : "loaded");
	free(err);
	cl_hints_cleanup();
	cl_registry_unload();
}

/* The check table: sorted, one entry per item the registry knows. */
static void test_check_table(void)
{
	char *err = NULL;
	CHECK(cl_registry_load_from(NULL, NULL, &err), "registry: %s", err ? err : "");
	free(err);
	for (size_t k = 0; k < cl_checks_count; k++) {
		CHECK(cl_registry_item_by_id(cl_checks[k].item) != NULL, "check table item %s is unknown",
			cl_checks[k].item);
		CHECK(k == 0 || strcmp(cl_checks[k - 1].item, cl_checks[k].item) < 0, "check table unsorted at %s",
			cl_checks[k].item);
	}
	cl_registry_unload();
}

/* rules/test-code.json: what counts as test code for the coverage. */
static void test_test_code(void)
{
	char *err = NULL;
	CHECK(cl_coverage_init(&err), "test-code.json: %s", err ? err : "");
	free(err);
	static const char *const tests[] = {"tests/test_a.py", "pkg/tests/helpers.py", "src/test_chat.py",
		"src/chat_test.py", "conftest.py", "app/__tests__/chat.js", "web/chat.test.ts", "web/chat.spec.tsx",
		"test/util.js", "spec/chat.mjs"};
	static const char *const prod[] = {"src/chat.py", "src/contest.py", "src/testing.py", "latest/a.py",
		"web/attest.ts", "src/tests.py", "web/chat.ts"};
	for (size_t i = 0; i < sizeof tests / sizeof *tests; i++)
		CHECK(cl_coverage_is_test(tests[i]), "%s is test code", tests[i]);
	for (size_t i = 0; i < sizeof prod / sizeof *prod; i++)
		CHECK(!cl_coverage_is_test(prod[i]), "%s is not test code", prod[i]);
	cl_coverage_cleanup();
	CHECK(!cl_coverage_is_test("tests/a.py"), "nothing is test code once unloaded");
}

int main(void)
{
	test_test_code();
	test_hints();
	test_check_table();
	test_builtin();
	test_refused();
	test_preview();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
