/*
 * test_prefilter.c — unit tests for src/scan/prefilter.c: the terms of
 * rules/prefilter.json (caseless, anywhere in the bytes) and the imports
 * listed for a file the prefilter passes over.
 */
#include "scan/prefilter.h"
#include "check.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/embed.h"

static bool match(const char *s)
{
	return cl_prefilter_match(s, strlen(s));
}

/* The imports of TEXT read as PATH, joined with '|'; "TERM" when the file
 * holds a term. */
static void imports(const char *path, const char *text, char *out, size_t cap)
{
	struct cl_source src;
	cl_source_init_mem(&src, path, text, strlen(text));
	size_t len;
	char *list;
	out[0] = 0;
	if (cl_prefilter_scan(&src, &list, &len)) {
		snprintf(out, cap, "TERM%s", list ? " and a list" : "");
		cl_source_finish(&src);
		return;
	}
	for (const char *m = list; m && m < list + len; m += strlen(m) + 1) {
		if (out[0])
			strncat(out, "|", cap - strlen(out) - 1);
		strncat(out, m, cap - strlen(out) - 1);
	}
	free(list);
	cl_source_finish(&src);
}

int main(void)
{
	char *err = NULL;
	if (!cl_prefilter_init(&err)) {
		fprintf(stderr, "init: %s\n", err);
		return 1;
	}
	CHECK(cl_prefilter_init(&err), "a second init is a no-op");

	CHECK(match("import anthropic\n"), "SDK import");
	CHECK(match("const c = new Anthropic();"), "caseless");
	CHECK(match("MODEL = 'CLAUDE-HAIKU-4-5'"), "model id, upper case");
	CHECK(match("x = os.environ['ANTHROPIC_API_KEY']"), "env variable");
	CHECK(match("from litellm import completion"), "LiteLLM");
	CHECK(match("fetch(base + '/v1/messages', opts)"), "Messages endpoint");
	CHECK(match("llm = initChatModel(MODEL)"), "chat-model factory");
	CHECK(match("...anthropic"), "a term at the very end");
	CHECK(!match("import json\nprint(json.dumps({}))\n"), "plain code");
	CHECK(!match("const anthro = 1; // claud"), "prefixes of terms");
	CHECK(!match(""), "empty file");
	/* every offset against the 16-byte blocks, and the tail */
	for (int off = 0; off < 40; off++) {
		for (int tail = 0; tail < 20; tail += 7) {
			char buf[128];
			snprintf(buf, sizeof buf, "%*s%s%*s", off, "", "cLaUdE", tail, "");
			CHECK(match(buf), "term at offset %d, %d bytes after", off, tail);
			snprintf(buf, sizeof buf, "%*s%s%*s", off, "", "claud_e", tail, "");
			CHECK(!match(buf), "no term at offset %d, %d bytes after", off, tail);
		}
	}
	/* a group's not_within: "limiter" inside "delimiter" is no limiter */
	CHECK(!match("reader = csv.reader(f, delimiter=';')"), "delimiter holds limiter");
	CHECK(!match("DELIMITER = '|'; Delimiter"), "delimiter, any case");
	CHECK(match("limiter = Limiter(key_func=get_remote_address)"), "limiter alone");
	CHECK(match("sep = delimiter; app.state.limiter = x"), "limiter beside a delimiter");
	CHECK(match("from flask_limiter import Limiter"), "limiter after an underscore");
	CHECK(match("delimiterLimiter"), "a limiter right after a delimiter");
	CHECK(match("limiter"), "limiter at the start");
	/* the scan looks for the adapters' package_text (a Bedrock Anthropic
	 * model id in a package's files) only in files holding a term */
	const struct cl_embedded *ad = cl_embed_find("rules/adapters.json");
	cJSON *doc = ad ? cJSON_ParseWithLength(ad->data, ad->size) : NULL;
	const cJSON *rec, *needle;
	int needles = 0;
	cJSON_ArrayForEach(rec, cJSON_GetObjectItemCaseSensitive(doc, "adapters")) {
		const cJSON *unknown = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(rec, "call_gate"), "unknown");
		cJSON_ArrayForEach(needle, cJSON_GetObjectItemCaseSensitive(unknown, "package_text")) {
			needles++;
			CHECK(cJSON_IsString(needle) && match(needle->valuestring), "package_text %s holds a term",
				cJSON_IsString(needle) ? needle->valuestring : "?");
		}
	}
	CHECK(needles > 0, "the adapters have package_text needles (%d)", needles);
	cJSON_Delete(doc);
	/* a NUL before a term does not hide it: the length counts */
	CHECK(cl_prefilter_match("x\0claude", 8), "bytes after a NUL");

	static const struct {
		const char *path, *text, *want, *what;
	} cases[] = {
		{"a/b.py", "import os, sys\nfrom .settings import TIMEOUT\nfrom . import llm\n"
			"  from app.llm import client\nx = 'from y import z'\n",
			"os|.settings|.|.llm|app.llm|app.llm.client",
			"python imports (a lower-case name of a from-import may be a submodule: .llm, app.llm.client)"},
		{"a/b.ts", "import A, { b } from \"./client\";\nexport * from '../lib/x.js';\n"
			"const c = require('./c');\nconst d = await import(\"@/d\");\nimport './side';\n"
			"const s = \"from nowhere\";\n",
			"./client|../lib/x.js|./c|@/d|./side", "js imports"},
		{"a/README.md", "import x from './y'\n", "", "text files import nothing"},
		{"a/b.js", "const x = 1;\n", "", "no imports"},
		{"a/b.js", "import x from './x';\nimport Anthropic from '@anthropic-ai/sdk';\n", "TERM",
			"a term after an import"},
		{"a/b.py", "import os\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n# uses Claude\n", "TERM",
			"a term in a comment"},
		{"a/b.js", "const reimport = importer(\"x\"); fromage('y'); x.require('z');\n", "z",
			"whole words only (a method called require counts)"},
		{"a/b.py", "imports = 1\nfrom_x import y\n    from .m import (a,\n b as c, D)\n", ".m|.m.a|.m.b",
			"python: whole words, indented imports, names in parentheses"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char got[512];
		imports(cases[i].path, cases[i].text, got, sizeof got);
		CHECK(!strcmp(got, cases[i].want), "%s: %s", cases[i].what, got);
	}

	cl_prefilter_cleanup();
	cl_prefilter_cleanup();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
