/*
 * test_embedded.c — unit tests for the code views of src/scan/notebook.c (code
 * cells decoded from JSON, mapped back byte by byte, cells numbered, IPython
 * syntax blanked, other languages left out) and src/scan/script_blocks.c (script
 * blocks kept in place, everything else blanked, the blocks' language).
 */
#include "scan/notebook.h"
#include "scan/script_blocks.h"
#include "check.h"

#include <stdio.h>
#include <string.h>

/* The view of notebook TEXT, or "" (and *ST) when there is none. */
static enum cl_notebook_status view(const char *text, struct cl_notebook *nb)
{
	const char *note;
	return cl_notebook_view(text, strlen(text), nb, &note);
}

static void notebooks(void)
{
	struct cl_notebook nb;
	/* two code cells around a markdown one; escapes before a finding */
	const char *t =
		"{\"cells\": [\n"
		" {\"cell_type\": \"code\", \"source\": [\"import anthropic\\n\", \"%pip install x\\n\", \"c = 1\"]},\n"
		" {\"cell_type\": \"markdown\", \"source\": [\"c = anthropic.Anthropic()\"]},\n"
		" {\"cell_type\": \"code\", \"source\": \"s = \\\"caf\\u00e9\\\"\\nm = \\\"claude\\\"\"}\n"
		"], \"metadata\": {\"kernelspec\": {\"language\": \"python\"}}}\n";
	CHECK(view(t, &nb) == CL_NOTEBOOK_CODE, "a python notebook has a view");
	const char *want = "import anthropic\n              \nc = 1\ns = \"caf\xc3\xa9\"\nm = \"claude\"\n";
	CHECK(nb.len == strlen(want) && !memcmp(nb.code, want, nb.len), "the view: [%s]", nb.code);
	CHECK(nb.nlines == 5, "five lines: %zu", nb.nlines);
	unsigned cell, line;
	/* m = "claude": line 5, column 5 is the quote, written \" in the file */
	uint32_t at = cl_notebook_locate(&nb, 5, 5, &cell, &line);
	CHECK(cell == 3 && line == 2, "cell 3, line 2: %u, %u", cell, line);
	CHECK(!strncmp(t + at, "\\\"claude", 8), "the quote's escape: %.8s", t + at);
	at = cl_notebook_locate(&nb, 5, 13, &cell, &line);
	CHECK(!strncmp(t + at, "\"}", 2), "the end of the last line is the string's end: %.2s", t + at);
	/* é is two bytes of the view, both from \u00e9 */
	at = cl_notebook_locate(&nb, 4, 9, &cell, &line);
	CHECK(!strncmp(t + at, "\\u00e9", 6), "a \\u escape: %.6s", t + at);
	CHECK(cell == 3 && line == 1, "cell 3, line 1: %u, %u", cell, line);
	at = cl_notebook_locate(&nb, 3, 1, &cell, &line);
	CHECK(cell == 1 && line == 3 && !strncmp(t + at, "c = 1", 5), "cell 1, line 3: %u %u", cell, line);
	at = cl_notebook_locate(&nb, 99, 99, &cell, &line);
	CHECK(cell == 3 && at <= strlen(t), "a position past the view stays inside it");
	cl_notebook_finish(&nb);
	cl_notebook_finish(NULL);

	struct {
		const char *text;
		enum cl_notebook_status st;
		const char *view, *what;
	} cases[] = {
		{"{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"%%bash\\n\", \"ls\\n\"]},"
			" {\"cell_type\": \"code\", \"source\": [\"%%time\\n\", \"x = 1\\n\"]}]}",
			CL_NOTEBOOK_CODE, "      \nx = 1\n", "%%bash cells are left out, %%time blanked"},
		{"{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"files = !ls\\n\", \"y = x != 1\\n\", \"obj.x??\\n\","
			" \"c = f()  # why?\"]}]}",
			CL_NOTEBOOK_CODE, "           \ny = x != 1\n       \nc = f()  # why?\n",
			"shell assignments and help, not != nor a comment ending in '?'"},
		{"{\"cells\": [{\"cell_type\": \"code\", \"metadata\": {\"vscode\": {\"languageId\": \"sql\"}},"
			" \"source\": [\"select 1\"]}]}", CL_NOTEBOOK_NO_CODE, NULL, "a cell in another language"},
		{"{\"metadata\": {\"language_info\": {\"name\": \"R\"}}, \"cells\": [{\"cell_type\": \"code\","
			" \"source\": [\"x <- 1\"]}]}", CL_NOTEBOOK_NO_CODE, NULL, "an R notebook"},
		{"{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"x = 1\"]}]} x",
			CL_NOTEBOOK_MALFORMED, NULL, "text after the notebook"},
		{"{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"x = \\q\"]}]}",
			CL_NOTEBOOK_MALFORMED, NULL, "a bad escape"},
		{"{\"cells\": [{\"cell_type\": \"code\", \"source\": [\"x = 1\"", CL_NOTEBOOK_MALFORMED, NULL, "cut short"},
		{"[]", CL_NOTEBOOK_MALFORMED, NULL, "not an object"},
		{"{\"nbformat\": 4}", CL_NOTEBOOK_MALFORMED, NULL, "no cells"},
		{"{\"cells\": []}", CL_NOTEBOOK_NO_CODE, NULL, "no cells at all"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		enum cl_notebook_status st = view(cases[i].text, &nb);
		CHECK(st == cases[i].st, "%s: status %d", cases[i].what, (int)st);
		if (cases[i].view && st == CL_NOTEBOOK_CODE)
			CHECK(!strcmp(nb.code, cases[i].view), "%s: [%s]", cases[i].what, nb.code);
		if (st == CL_NOTEBOOK_CODE)
			cl_notebook_finish(&nb);
	}
}

/* The code view of TEXT read as PATH: "" when there is none; *LANG its language. */
static void blocks(const char *path, const char *text, char *out, size_t cap, enum cl_lang *lang)
{
	struct cl_source src;
	cl_source_init_mem(&src, path, text, strlen(text));
	out[0] = 0;
	*lang = CL_LANG_TEXT;
	if (cl_script_blocks_view(&src)) {
		CHECK(src.len == strlen(text), "%s: the view is as long as the file", path);
		snprintf(out, cap, "%s", src.data);
		*lang = src.lang;
	}
	cl_source_finish(&src);
}

static void pages(void)
{
	struct {
		const char *path, *text, *view;
		enum cl_lang lang;
		const char *what;
	} cases[] = {
		{"a.vue", "<template><p/></template>\n<script setup lang=\"ts\">\nconst a = 1;\n</script>\n",
			"                         \n                        \nconst a = 1;\n;        \n",
			CL_LANG_TYPESCRIPT, "vue, lang=ts"},
		{"a.html", "<SCRIPT type='module'>x()</SCRIPT><script type=\"application/json\">{}</script>",
			"                      x();                                                   ",
			CL_LANG_JAVASCRIPT, "html: module kept, JSON blanked, tags caseless"},
		{"a.svelte", "<script lang=\"tsx\">a</script><script src=\"x.js\"></script><!-- <script>b</script> -->",
			"                   a;                                                               ",
			CL_LANG_TSX, "svelte: tsx; src= and comments blanked"},
		{"a.astro", "---\nconst a = 1;\n---\n<h1/>\n<script>b()</script>",
			"   \nconst a = 1;\n   \n     \n        b();        ", CL_LANG_TYPESCRIPT,
			"astro: frontmatter and scripts are TypeScript"},
		{"a.html", "<script>open(", "        open(", CL_LANG_JAVASCRIPT, "a script never closed"},
		{"a.html", "<scripts>x</scripts><script type=text/template>y</script>", "", CL_LANG_TEXT,
			"no script block: no view"},
		{"a.vue", "<script lang=\"coffee\">x</script>", "", CL_LANG_TEXT, "other languages"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char got[512];
		enum cl_lang lang;
		blocks(cases[i].path, cases[i].text, got, sizeof got, &lang);
		CHECK(!strcmp(got, cases[i].view), "%s: [%s]", cases[i].what, got);
		CHECK(lang == cases[i].lang, "%s: language %d", cases[i].what, (int)lang);
	}
	CHECK(cl_script_blocks_file("x/App.vue") && cl_script_blocks_file("i.HTML") &&
		cl_script_blocks_file("p.astro") && cl_script_blocks_file("c.svelte") &&
		!cl_script_blocks_file("x.vue.js") && !cl_script_blocks_file("html"), "page files by extension");
}

int main(void)
{
	notebooks();
	pages();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
