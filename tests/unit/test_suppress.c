/*
 * test_suppress.c — unit test for suppress.c: which comments are
 * suppressions in each language, the ids and reason they carry, which lines
 * they cover, how findings match them, and the CL00 findings for reasonless
 * and unused ones (with the real registry, for rule and item lookups).
 */
#include "rules/registry.h"
#include "support/result.h"
#include "scan/source.h"
#include "scan/suppress.h"

#include <stdio.h>
#include <string.h>

static int passed, failed;

#define CHECK(cond) do { \
	if (cond) passed++; \
	else { failed++; fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

static struct cl_suppressions parse(const char *path, const char *text)
{
	struct cl_source src;
	cl_source_init_mem(&src, path, text, strlen(text));
	struct cl_suppressions s = {0};
	cl_suppressions_parse(&s, &src);
	cl_source_finish(&src);
	return s;
}

static bool streq(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

static void test_forms(void)
{
	struct cl_suppressions s = parse("a.py",
		"x = 1  # claudit-ignore CL15.model-alias: pinned upstream\r\n"   /* 1 */
		"# claudit-ignore CL15, CL05 -- two ids\n"                        /* 2 */
		"y = 2\n"                                                          /* 3 */
		"z = \"# claudit-ignore CL15: in a string\"\n"                     /* 4 */
		"# claudit-ignored CL15: another word\n"                           /* 5 */
		"// claudit-ignore CL15: not a Python comment\n"                   /* 6 */
		"# claudit-ignore CL15.model-alias\n"                              /* 7 */
		"# claudit-ignore-file CL01: fixtures \xe2\x80\x94 fake keys\n"    /* 8 */
		"# claudit-ignore CL15 \xe2\x80\x94 em dash\n"                     /* 9 */
		"# claudit-ignore: no ids\n"                                       /* 10 */
		"w = 'it''s' # claudit-ignore CL08: after balanced quotes\n");     /* 11 */
	CHECK(s.v.n == 7);
	if (s.v.n != 7) {
		cl_suppressions_finish(&s);
		return;
	}
	const struct cl_suppression *v = s.v.v;
	CHECK(v[0].line == 1 && v[0].target == 1 && v[0].nids == 1 && streq(v[0].ids[0], "CL15.model-alias"));
	CHECK(streq(v[0].reason, "pinned upstream") && v[0].column == 10);
	CHECK(v[1].line == 2 && v[1].target == 3 && v[1].nids == 2 && streq(v[1].ids[1], "CL05"));
	CHECK(streq(v[1].reason, "two ids"));
	CHECK(v[2].line == 7 && v[2].reason == NULL);
	CHECK(v[3].line == 8 && v[3].file_level && streq(v[3].reason, "fixtures \xe2\x80\x94 fake keys"));
	CHECK(v[4].line == 9 && streq(v[4].reason, "em dash"));
	CHECK(v[5].line == 10 && v[5].nids == 0 && streq(v[5].reason, "no ids"));
	CHECK(v[6].line == 11 && streq(v[6].ids[0], "CL08"));
	cl_suppressions_finish(&s);

	s = parse("a.ts",
		"const a = 1; // claudit-ignore CL15: line comment\n"          /* 1 */
		"/* claudit-ignore CL05: block */\n"                           /* 2 */
		"/*\n"                                                         /* 3 */
		" * claudit-ignore CL08: inside a block\n"                     /* 4 */
		" */\n"                                                        /* 5 */
		"const b = 2;\n"                                               /* 6 */
		"# claudit-ignore CL15: not a TypeScript comment\n"            /* 7 */
		"const c = `// claudit-ignore CL15: template`;\n");            /* 8 */
	CHECK(s.v.n == 3);
	if (s.v.n == 3) {
		CHECK(s.v.v[0].target == 1 && streq(s.v.v[0].reason, "line comment"));
		CHECK(s.v.v[1].line == 2 && s.v.v[1].target == 3 && streq(s.v.v[1].reason, "block"));
		CHECK(s.v.v[2].line == 4 && s.v.v[2].target == 6 && streq(s.v.v[2].reason, "inside a block"));
	}
	cl_suppressions_finish(&s);

	s = parse("values.yaml", "# claudit-ignore CL15: a\n# claudit-ignore CL01: b\nmodel: x\n"
		"<!-- claudit-ignore CL15: html comment -->\n");
	CHECK(s.v.n == 3 && s.v.v[0].target == 3 && s.v.v[1].target == 3);
	CHECK(s.v.n == 3 && streq(s.v.v[2].reason, "html comment"));
	cl_suppressions_finish(&s);

	/* more ids than kept, bad bytes in the reason, a line without a newline */
	char big[1024] = "# claudit-ignore";
	for (int i = 1; i <= 20; i++)
		snprintf(big + strlen(big), sizeof big - strlen(big), " CL%02d,", i % 18 + 1);
	strcat(big, ": \xff\xfe bytes");
	s = parse("big.py", big);
	CHECK(s.v.n == 1 && s.v.v[0].nids == CL_SUPPRESS_MAX_IDS && streq(s.v.v[0].reason, "\xff\xfe bytes"));
	cl_suppressions_finish(&s);

	s = parse("plain.py", "x = 1\n");
	CHECK(s.v.n == 0);
	cl_suppressions_finish(&s);
}

static void test_match_and_report(void)
{
	const char *text =
		"import anthropic\n"                                                   /* 1 */
		"A = \"claude-haiku-4-5\"  # claudit-ignore CL15.model-alias: pinned\n" /* 2 */
		"# claudit-ignore CL15\n"                                              /* 3 */
		"B = \"claude-haiku-4-5\"\n"                                           /* 4 */
		"C = 1  # claudit-ignore CL05, CL15.nope, CL02: stale\n"               /* 5 */
		"# claudit-ignore-file CL15.retired-model: legacy\n";                  /* 6 */
	struct cl_source src;
	cl_source_init_mem(&src, "m.py", text, strlen(text));
	struct cl_suppressions s = {0};
	cl_suppressions_parse(&s, &src);
	const struct cl_rule *alias = cl_registry_rule("CL15.model-alias");
	const struct cl_rule *retired = cl_registry_rule("CL15.retired-model");
	const struct cl_rule *timeout = cl_registry_rule("CL05.no-timeout");
	CHECK(alias && retired && timeout);
	if (!alias || !retired || !timeout)
		return;
	const struct cl_suppression *m = cl_suppressions_match(&s, alias, 2);
	CHECK(m && m->line == 2);
	CHECK(cl_suppressions_match(&s, alias, 4) == NULL);      /* line 3 has no reason */
	CHECK(cl_suppressions_match(&s, alias, 3) == NULL);
	m = cl_suppressions_match(&s, retired, 40);
	CHECK(m && m->file_level);
	CHECK(cl_suppressions_match(&s, timeout, 4) == NULL);

	struct cl_result r;
	cl_result_init(&r);
	cl_suppressions_report(&s, &src, "m.py", NULL, &r);
	CHECK(r.meta.findings.n == 2);
	for (size_t i = 0; i < CL_ITEM_COUNT; i++)
		CHECK(r.items[i].findings.n == 0);
	if (r.meta.findings.n == 2) {
		const struct cl_finding *a = &r.meta.findings.v[0], *b = &r.meta.findings.v[1];
		CHECK(streq(a->rule->id, "CL00.suppression-without-reason") && a->loc.line == 3);
		CHECK(streq(b->rule->id, "CL00.unused-suppression") && b->loc.line == 5);
		/* CL05 could fire but did not; CL15.nope does not exist; CL02 has no rules */
		CHECK(strstr(b->message, "CL05 matches no finding") && strstr(b->message, "CL15.nope is not a rule"));
		CHECK(!strstr(b->message, "CL02"));
		CHECK(b->severity == CL_SEV_WARNING && b->loc.column == 10);
	}
	cl_result_finish(&r);

	/* CL05 not checked in this run (turned off, or left out): not "unused" */
	bool unchecked[CL_ITEM_COUNT] = {0};
	unchecked[4] = true;
	cl_result_init(&r);
	cl_suppressions_report(&s, &src, "m.py", unchecked, &r);
	CHECK(r.meta.findings.n == 2);
	if (r.meta.findings.n == 2)
		CHECK(!strstr(r.meta.findings.v[1].message, "CL05") &&
			strstr(r.meta.findings.v[1].message, "CL15.nope"));
	cl_result_finish(&r);
	cl_suppressions_finish(&s);
	cl_source_finish(&src);
}

int main(void)
{
	if (!cl_registry_load())
		return 2;
	test_forms();
	test_match_and_report();
	cl_registry_unload();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
