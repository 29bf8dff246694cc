/*
 * fuzz_scan.c — the per-file pipeline on arbitrary bytes. An input is a file
 * name (its first line, at most 100 bytes; '/' and NUL become '_') and the
 * file's contents (the rest). The harness writes that one file into a scratch
 * directory and runs what `claudit --format F DIR` runs: discovery, source
 * load, text checks, facts extraction, the facts checks on the one-file
 * project, status, and all three reporters. It then checks what every
 * report must satisfy:
 *   - the JSON report parses and every report is valid UTF-8;
 *   - no report shows a whole key, nor the first 20 characters of a key
 *     the input holds (a redaction shows 12), unless those 20 characters
 *     also occur in the input outside a key or in every report anyway (the
 *     rules' docs quote fake keys).
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "scan/discover.h"
#include "model/facts.h"
#include "fuzz.h"
#include "rules/registry.h"
#include "report/report.h"
#include "report/report_internal.h"
#include "support/result.h"
#include "scan/scan.h"
#include "scan/secrets.h"
#include "report/status.h"

#define SHOWN_MAX 20

static char *boiler; /* the reports of an empty scan */
static size_t boiler_len;

static char *report(const struct cl_reporter *rep, const struct cl_result *r, size_t *len)
{
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);
	if (!out)
		fuzz_fail("open_memstream");
	struct cl_report_ctx ctx = {out, false, "fuzz", NULL};
	cl_report_write(rep, &ctx, r);
	fclose(out);
	return buf;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	char *err = NULL;
	if (!cl_registry_load() || !cl_catalog_load("2026-01-01", &err) || !cl_facts_init(&err) ||
	    !cl_secrets_init() || !cl_hints_init(&err))
		fuzz_fail(err ? err : "initialisation failed");
	fuzz_dir();
	struct cl_result r;
	cl_result_init(&r);
	struct cl_status_opts sto = {NULL, "2026-01-01", false};
	cl_status_decide(&r, &sto);
	FILE *out = open_memstream(&boiler, &boiler_len);
	const struct cl_reporter *reps[] = {&cl_report_json, &cl_report_sarif, &cl_report_text};
	for (size_t i = 0; i < 3; i++) {
		size_t n;
		char *b = report(reps[i], &r, &n);
		fwrite(b, 1, n, out);
		free(b);
	}
	fclose(out);
	cl_result_finish(&r);
	return 0;
}

struct key_span {
	size_t start, end;
};

struct keys {
	const char *data;
	size_t len;
	CL_VEC(struct key_span) v;
};

static size_t count(const char *hay, size_t n, const char *needle, size_t k)
{
	size_t c = 0;
	for (const char *p = hay; (p = memmem(p, n - (size_t)(p - hay), needle, k)); p++)
		c++;
	return c;
}

/* True when KEY's first SHOWN_MAX bytes stand only for keys in the input. */
static bool prefix_is_secret(const struct keys *k, size_t key)
{
	const char *pre = k->data + k->v.v[key].start;
	size_t as_key = 0;
	for (size_t i = 0; i < k->v.n; i++)
		as_key += !memcmp(k->data + k->v.v[i].start, pre, SHOWN_MAX);
	return count(k->data, k->len, pre, SHOWN_MAX) == as_key &&
		!memmem(boiler, boiler_len, pre, SHOWN_MAX);
}

static void on_key(void *ud, size_t start, size_t end, const char *kind)
{
	(void)kind;
	struct keys *k = ud;
	struct key_span span = {start, end};
	cl_vec_push(&k->v, span);
}

static void check_report(const struct cl_reporter *rep, const struct cl_result *r,
	const struct keys *keys)
{
	size_t len;
	char *buf = report(rep, r, &len);
	if (memchr(buf, 0, len))
		fuzz_fail("a NUL byte in a report");
	char *clean = cl_report_utf8(buf);
	if (strcmp(clean, buf) != 0)
		fuzz_fail("a report is not valid UTF-8");
	free(clean);
	if (strcmp(rep->name, "text") != 0) {
		cJSON *doc = cJSON_ParseWithLength(buf, len);
		if (!doc)
			fuzz_fail("a JSON/SARIF report does not parse");
		cJSON_Delete(doc);
	}
	if (cl_secrets_contains_key(buf, len))
		fuzz_fail("a whole key in a report");
	for (size_t i = 0; i < keys->v.n; i++)
		if (memmem(buf, len, keys->data + keys->v.v[i].start, SHOWN_MAX) &&
		    prefix_is_secret(keys, i))
			fuzz_fail("the first 20 characters of a key in a report");
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nl = memchr(text, '\n', size < 101 ? size : 101);
	size_t nlen = nl ? (size_t)(nl - text) : 0;
	char name[101];
	for (size_t i = 0; i < nlen; i++)
		name[i] = text[i] == '/' || text[i] == 0 ? '_' : text[i];
	name[nlen] = 0;
	if (!nlen || !strcmp(name, ".") || !strcmp(name, ".."))
		strcpy(name, "input.py");
	const char *body = nl ? nl + 1 : text;
	size_t blen = size - (size_t)(body - text);
	char *path = fuzz_write(name, body, blen);

	struct keys keys = {text, size, {0}};
	cl_secrets_scan(text, size, on_key, &keys);

	struct cl_discovery d;
	char *err = NULL;
	const char *root = fuzz_dir();
	if (!cl_discover(&d, &root, 1, &err))
		fuzz_fail(err);
	struct cl_config config;
	cl_config_defaults(&config);
	config.preview = true; /* the rules in preview must survive any input too */
	struct cl_result r;
	cl_result_init(&r);
	struct cl_scan_opts so = {&config, 1, false, false};
	cl_scan_run(&d, &so, &r);
	cl_result_sort(&r);
	struct cl_status_opts sto = {&config, "2026-01-01", false};
	cl_status_decide(&r, &sto);
	check_report(&cl_report_json, &r, &keys);
	/* SARIF spends most of its time on the fixed rules table: only worth it
	 * when the scan produced something */
	bool any = r.notes.n > 0;
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		any |= r.items[i].findings.n || r.items[i].evidence.n;
	if (any)
		check_report(&cl_report_sarif, &r, &keys);
	check_report(&cl_report_text, &r, &keys);
	cl_result_finish(&r);
	cl_config_finish(&config);
	cl_discovery_finish(&d);
	cl_vec_free(&keys.v);
	unlink(path);
	free(path);
	return 0;
}
