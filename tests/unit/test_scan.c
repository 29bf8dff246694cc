/*
 * test_scan.c — the scan under files that change behind its back: a file
 * listed by discovery that vanishes, or turns into a directory, before the
 * scan reads it is a note and counted in files_skipped, while the other files
 * are still scanned and reported. Prints "N passed, N failed".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "scan/discover.h"
#include "model/facts.h"
#include "scan/prefilter.h"
#include "rules/registry.h"
#include "support/result.h"
#include "scan/scan.h"
#include "scan/secrets.h"
#include "report/status.h"

static int passed, failed;

#define CHECK(cond) do { \
	if (cond) { \
		passed++; \
	} else { \
		failed++; \
		fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); \
	} \
} while (0)

static void put(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
	free(path);
}

static const char *note_of(const struct cl_result *r, const char *file)
{
	for (size_t i = 0; i < r->notes.n; i++)
		if (r->notes.v[i].file && strcmp(r->notes.v[i].file, file) == 0)
			return r->notes.v[i].message;
	return NULL;
}

int main(void)
{
	char *err = NULL;
	if (!cl_registry_load() || !cl_catalog_load("2026-01-01", &err) || !cl_facts_init(&err) ||
	    !cl_prefilter_init(&err) || !cl_secrets_init() || !cl_hints_init(&err)) {
		fprintf(stderr, "init: %s\n", err ? err : "?");
		return 1;
	}
	char dir[] = "/tmp/claudit-test-scan-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	put(dir, "a_gone.py", "x = 1\n");
	put(dir, "b_dir.py", "y = 2\n");
	put(dir, "c_kept.py", "import anthropic\nc = anthropic.Anthropic()\n"
		"c.messages.create(model=\"claude-3-5-sonnet-latest\", max_tokens=100, messages=[])\n");

	for (int jobs = 1; jobs <= 4; jobs += 3) {
		struct cl_discovery d;
		const char *root = dir;
		CHECK(cl_discover(&d, &root, 1, &err));
		CHECK(d.nfiles == 3);
		/* after discovery, before the scan */
		char *gone = xasprintf("%s/a_gone.py", dir), *swapped = xasprintf("%s/b_dir.py", dir);
		CHECK(unlink(gone) == 0);
		CHECK(unlink(swapped) == 0 && mkdir(swapped, 0755) == 0);

		struct cl_config config;
		cl_config_defaults(&config);
		struct cl_result r;
		cl_result_init(&r);
		struct cl_scan_opts so = {.config = &config, .jobs = jobs, .prefilter = true};
		cl_scan_run(&d, &so, &r);
		cl_result_sort(&r);
		struct cl_status_opts sto = {&config, "2026-01-01", false};
		cl_status_decide(&r, &sto);
		CHECK(r.files_scanned == 1);
		CHECK(r.files_skipped == 2);
		const char *n1 = note_of(&r, "a_gone.py"), *n2 = note_of(&r, "b_dir.py");
		CHECK(n1 && strstr(n1, "vanished"));
		CHECK(n2 && strstr(n2, "not a regular file"));
		CHECK(r.claude_call_sites == 1);
		const struct cl_item_result *cl15 = &r.items[14];
		CHECK(cl15->findings.n >= 1 && strcmp(cl15->findings.v[0].loc.file, "c_kept.py") == 0);
		CHECK(cl_status_exit_code(&r, false) == 1); /* the items decide, not the skips */
		cl_result_finish(&r);
		cl_config_finish(&config);
		cl_discovery_finish(&d);

		CHECK(rmdir(swapped) == 0);
		put(dir, "a_gone.py", "x = 1\n");
		put(dir, "b_dir.py", "y = 2\n");
		free(gone);
		free(swapped);
	}
	char *cmd = xasprintf("rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	free(cmd);
	cl_hints_cleanup();
	cl_prefilter_cleanup();
	cl_secrets_cleanup();
	cl_facts_cleanup();
	cl_catalog_unload();
	cl_registry_unload();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
