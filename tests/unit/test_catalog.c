/*
 * test_catalog.c — unit test for catalog.c and catalog_doc.c with the
 * built-in catalog: status by the run's date, platform records with their
 * platform's own facts, same-tier replacement advice, request facts, the
 * 90-day staleness and overlays (merge by id, refusal of a bad file with
 * the catalog unchanged).
 */
#include "adapters/catalog.h"
#include "check.h"
#include "support/date.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const struct cl_model *find(const char *id)
{
	const char *platform;
	return cl_catalog_find(id, &platform);
}

static const char *advice(const char *id)
{
	const struct cl_model *m = find(id), *r = m ? cl_catalog_replacement(m) : NULL;
	return r ? r->id : "";
}

static bool load(const char *today)
{
	char *err = NULL;
	cl_catalog_unload();
	bool ok = cl_catalog_load(today, &err);
	if (!ok)
		fprintf(stderr, "load: %s\n", err);
	free(err);
	return ok;
}

/* Writes TEXT to a temporary file and merges it; returns the result. */
static bool overlay(const char *text, char **err)
{
	char path[] = "/tmp/claudit-catalog-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		return false;
	close(fd);
	bool ok = cl_catalog_overlay(path, err);
	unlink(path);
	return ok;
}

static void test_dates(void)
{
	CHECK(cl_date_valid("2026-12-07") && !cl_date_valid("2026-13-01") && !cl_date_valid("2026-1-01"),
		"date shapes");
	CHECK(cl_date_days("1970-01-01") == 0 && cl_date_days("2000-03-01") == 11017,
		"days from the epoch");
	CHECK(cl_date_days("2027-03-07") - cl_date_days("2026-12-07") == 90, "90 days over a year end");
}

static void test_status(void)
{
	load("2026-11-25");
	const struct cl_model *m = find("claude-sonnet-4-5-20250929");
	CHECK(m && m->status == CL_MODEL_DEPRECATED, "Sonnet 4.5 is deprecated before 2026-11-30");
	load("2026-11-30");
	m = find("claude-sonnet-4-5");
	CHECK(m && m->status == CL_MODEL_RETIRED && m->kind == CL_MODEL_ALIAS, "its alias retires on the day");
	m = find("claude-3-haiku-20240307");
	CHECK(m && m->retires_on && !strcmp(m->retires_on, "2026-04-20"), "Haiku 3: the page's date, not 04-19");
	m = find("claude-opus-4-7");
	CHECK(m && m->min_cache_tokens == 2048 && m->max_output_tokens == 128000, "Opus 4.7 limits");
	m = find("claude-sonnet-4-6");
	CHECK(m && m->min_cache_tokens == 1024, "Sonnet 4.6 caches from 1,024 tokens");
	m = find("claude-opus-5");
	CHECK(m && m->min_cache_tokens == 512, "Opus 5 caches from 512 tokens");
}

static void test_platforms(void)
{
	load("2026-12-07");
	const char *platform;
	const struct cl_model *m = cl_catalog_find("claude-opus-4@20250514", &platform);
	CHECK(m && !strcmp(platform, "vertex") && m->status == CL_MODEL_DEPRECATED && m->platform &&
		!m->retires_on, "Opus 4: retired except on Google Cloud, deprecated there");
	m = cl_catalog_find("us.anthropic.claude-opus-4-20250514-v1:0", &platform);
	CHECK(m && !strcmp(platform, "bedrock") && m->status == CL_MODEL_RETIRED && !m->platform,
		"Opus 4 on Bedrock shares the first-party retirement");
	m = cl_catalog_find("anthropic.claude-opus-4-1-20250805-v1:0", &platform);
	CHECK(m && m->status == CL_MODEL_ACTIVE && !strcmp(m->first_party, "claude-opus-4-1-20250805"),
		"Opus 4.1 is still on Bedrock, mapped to its first-party id");
	m = cl_catalog_find("anthropic.claude-fable-5", &platform);
	const struct cl_model *first = find("claude-fable-5");
	CHECK(m && first && m->min_cache_tokens == 1024 && first->min_cache_tokens == 512,
		"Bedrock's own cache minimum for Fable 5");
	m = cl_catalog_find("global.anthropic.claude-opus-5-5", &platform);
	CHECK(m && !strcmp(m->id, "claude-opus-5-5") && !strcmp(platform, "bedrock"),
		"a Bedrock id not in the table falls back to its first-party id");
}

static void test_replacements(void)
{
	load("2026-12-07");
	CHECK(!strcmp(advice("claude-3-5-sonnet-20241022"), "claude-sonnet-4-6"), "a Sonnet moves to a Sonnet");
	CHECK(!strcmp(advice("claude-3-7-sonnet-latest"), "claude-sonnet-4-6"), "an alias too");
	CHECK(!strcmp(advice("claude-3-opus-20240229"), "claude-opus-4-8"), "an Opus moves to an Opus");
	CHECK(!strcmp(advice("claude-3-haiku-20240307"), "claude-haiku-4-5-20251001"), "a Haiku to a Haiku");
	CHECK(!strcmp(advice("claude-mythos-preview"), "claude-mythos-5-1"),
		"no recommendation: the tier's current model");
	CHECK(!strcmp(advice("claude-2.1"), "claude-opus-4-8"), "no tier: the page's recommendation");
	CHECK(!strcmp(advice("claude-opus-5-5"), ""), "the current model has no advice");
}

static void test_request_facts(void)
{
	load("2026-12-07");
	const struct cl_model *m = find("claude-opus-4-7");
	CHECK(cl_catalog_rejects(m, CL_REJECTS_SAMPLING_PARAMETERS) &&
		cl_catalog_rejects(m, CL_REJECTS_THINKING_BUDGET_TOKENS) &&
		cl_catalog_rejects(m, CL_REJECTS_ASSISTANT_PREFILL), "Opus 4.7 rejects sampling, budget_tokens, prefill");
	CHECK(strstr(cl_catalog_rejects(m, CL_REJECTS_SAMPLING_PARAMETERS), "model-deprecations") != NULL,
		"a fact carries its source URL");
	m = find("claude-opus-4-1");
	CHECK(cl_catalog_rejects(m, CL_REJECTS_TEMPERATURE_WITH_TOP_P) &&
		!cl_catalog_rejects(m, CL_REJECTS_SAMPLING_PARAMETERS), "Opus 4.1: not both temperature and top_p");
	m = find("claude-haiku-4-5-20251001");
	for (int f = 0; f < CL_REQUEST_FACT_COUNT; f++)
		CHECK(!cl_catalog_rejects(m, f), "Haiku 4.5 has no known rejection %d", f);
	CHECK(!cl_catalog_rejects(NULL, CL_REJECTS_ASSISTANT_PREFILL), "no model, no fact");
}

static void test_stale(void)
{
	load("2027-03-07");
	CHECK(!cl_catalog_stale(), "90 days is not stale");
	load("2027-03-08");
	CHECK(cl_catalog_stale() && !strcmp(cl_catalog_read_on(), "2026-12-07"), "91 days is stale");
}

static void test_overlays(void)
{
	load("2026-11-25");
	char *err = NULL;
	CHECK(overlay("{\"models\": [{\"id\": \"claude-opus-6\", \"kind\": \"pinned\", \"tier\": \"opus\", "
		"\"max_output_tokens\": 128000}, {\"id\": \"claude-haiku-4-5-20251001\", \"retires_on\": \"2026-11-01\"}],"
		" \"tiers\": {\"opus\": \"claude-opus-6\"}}", &err), "a good overlay merges");
	const struct cl_model *m = find("claude-opus-6");
	CHECK(m && m->kind == CL_MODEL_PINNED && m->max_output_tokens == 128000 && m->status == CL_MODEL_ACTIVE,
		"a new model");
	m = find("claude-haiku-4-5-20251001");
	CHECK(m && m->status == CL_MODEL_RETIRED && m->min_cache_tokens == 4096,
		"an overridden date; the other fields stay");
	CHECK(!strcmp(advice("claude-3-opus-20240229"), "claude-opus-4-8"), "the page's replacement still wins");
	CHECK(!strcmp(advice("claude-mythos-preview"), "claude-mythos-5-1"), "other tiers are untouched");
	CHECK(!strcmp(cl_catalog_read_on(), "2026-12-07"), "an overlay leaves the built-in date");
	CHECK(!overlay("{\"models\": [{\"id\": \"claude-opus-6\", \"max_output_tokens\": 0}]}", &err) && err &&
		strstr(err, ": models[0].max_output_tokens: expected an integer"), "a bad overlay names the key: %s",
		err ? err : "");
	free(err);
	err = NULL;
	m = find("claude-opus-6");
	CHECK(m && m->max_output_tokens == 128000, "and leaves the catalog unchanged");
	CHECK(!overlay("{\"models\": [", &err) && err && strstr(err, "invalid JSON near byte"), "bad JSON");
	free(err);
	err = NULL;
	CHECK(!cl_catalog_overlay("/nonexistent/catalog.json", &err) && err &&
		strstr(err, "cannot read model catalog"), "an unreadable file");
	free(err);
}

int main(void)
{
	test_dates();
	test_status();
	test_platforms();
	test_replacements();
	test_request_facts();
	test_stale();
	test_overlays();
	cl_catalog_unload();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
