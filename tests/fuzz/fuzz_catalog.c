/*
 * fuzz_catalog.c — a model catalog overlay (--catalog / models.catalog) on
 * arbitrary bytes over the built-in catalog: it is merged or refused with
 * one clean error line, and the merged catalog answers lookups, replacement
 * advice and request facts without crashing (cycles of replacements, a
 * platform id mapped to a new model, aliases of anything).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/catalog.h"
#include "support/diag.h"
#include "fuzz.h"
#include "scan/secrets.h"
#include "support/utf8.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	if (!cl_secrets_init())
		fuzz_fail("initialisation failed");
	fuzz_dir();
	return 0;
}

static void lookups(void)
{
	static const char *const ids[] = {
		"claude-opus-6", "claude-3-5-sonnet-latest", "claude-mythos-preview", "claude-haiku-4-5",
		"us.anthropic.claude-opus-4-20250514-v1:0", "claude-opus-4@20250514", "anthropic.claude-fable-5",
		"claude-x", "anthropic/claude-sonnet-4-6",
	};
	for (size_t i = 0; i < sizeof ids / sizeof *ids; i++) {
		const char *platform;
		const struct cl_model *m = cl_catalog_find(ids[i], &platform);
		if (!m)
			continue;
		const struct cl_model *r = cl_catalog_replacement(m);
		if (r && !r->id)
			fuzz_fail("a replacement without an id");
		for (int f = 0; f < CL_REQUEST_FACT_COUNT; f++)
			(void)cl_catalog_rejects(m, f);
	}
	(void)cl_catalog_stale();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *err = NULL;
	if (!cl_catalog_load("2026-11-25", &err))
		fuzz_fail("the built-in catalog does not load");
	char *path = fuzz_write("overlay.json", data, size);
	if (!cl_catalog_overlay(path, &err)) {
		if (!err || !*err)
			fuzz_fail("a refused overlay without an error");
		char *shown = cl_diag_clean(err);
		for (const unsigned char *p = (const unsigned char *)shown; *p;) {
			size_t k = *p < 0x20 || *p == 0x7f ? 0 : cl_utf8_seq(p);
			if (!k)
				fuzz_fail("a control byte or bad UTF-8 in a catalog error");
			p += k;
		}
		if (cl_secrets_contains_key(shown, strlen(shown)))
			fuzz_fail("a whole key in a catalog error");
		free(shown);
	} else if (err) {
		fuzz_fail("a merged overlay with an error");
	}
	free(err);
	lookups();
	cl_catalog_unload();
	unlink(path);
	free(path);
	return 0;
}
