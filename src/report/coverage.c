/*
 * coverage.c — counts what the checks looked at and states it in the
 * verdicts. See coverage.h.
 */
#include "report/coverage.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/embed.h"
#include "scan/gitignore.h"
#include "support/xalloc.h"
#include "model/project.h"

#define TEST_CODE_FILE "rules/test-code.json"

static struct cl_gitignore *test_globs;

bool cl_coverage_init(char **err)
{
	const struct cl_embedded *e = cl_embed_find(TEST_CODE_FILE);
	cJSON *doc = e ? cJSON_ParseWithLength(e->data, e->size) : NULL;
	const cJSON *paths = cJSON_GetObjectItemCaseSensitive(doc, "paths"), *p;
	bool ok = cJSON_IsArray(paths) && cJSON_GetArraySize(doc) == 2 &&
		cJSON_IsString(cJSON_GetObjectItemCaseSensitive(doc, "about"));
	cJSON_ArrayForEach(p, paths)
		ok = ok && cJSON_IsString(p) && *p->valuestring;
	if (!ok) {
		*err = xasprintf("rule data %s: needs exactly about (text) and paths (non-empty globs)", TEST_CODE_FILE);
		cJSON_Delete(doc);
		return false;
	}
	test_globs = cl_gitignore_create();
	cJSON_ArrayForEach(p, paths)
		cl_gitignore_add_line(test_globs, p->valuestring, strlen(p->valuestring));
	cl_gitignore_index(test_globs);
	cJSON_Delete(doc);
	return true;
}

void cl_coverage_cleanup(void)
{
	cl_gitignore_destroy(test_globs);
	test_globs = NULL;
}

bool cl_coverage_is_test(const char *path)
{
	return test_globs && path && cl_gitignore_covers(test_globs, path);
}

/* A Claude call, or a call of a function that reaches Claude, inside LOOP and
 * in LOOP's own function. */
static bool loop_around_claude(const struct cl_file_facts *f, int loop)
{
	const struct cl_span *sp = &f->regions.v[loop].span;
	int fn = cl_facts_enclosing(f, loop, CL_R_FUNCTION);
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *c = &f->calls.v[i];
		if (c->claude && c->span.start >= sp->start && c->span.end <= sp->end &&
		    cl_facts_enclosing(f, c->region, CL_R_FUNCTION) == fn)
			return true;
	}
	for (size_t i = 0; i < f->refs.n; i++) {
		const struct cl_ref *r = &f->refs.v[i];
		if (r->reaches_claude && r->span.start >= sp->start && r->span.end <= sp->end &&
		    cl_facts_enclosing(f, r->region, CL_R_FUNCTION) == fn)
			return true;
	}
	return false;
}

void cl_coverage_count_file(struct cl_result *r, const struct cl_file_facts *f)
{
	struct cl_coverage_counts *c = &r->coverage[cl_coverage_is_test(f->path) ? 1 : 0];
	c->files++;
	size_t calls = 0, routes = 0, loops = 0;
	for (size_t i = 0; i < f->calls.n; i++)
		calls += f->calls.v[i].claude;
	for (size_t i = 0; i < f->regions.n; i++) {
		const struct cl_region *g = &f->regions.v[i];
		if (g->kind == CL_R_FUNCTION && g->route && g->reaches_claude)
			routes++;
		else if (g->kind == CL_R_LOOP && loop_around_claude(f, (int)i))
			loops++;
	}
	/* a script users drive as a whole (a Streamlit app) is one entry point */
	routes += f->script_entry && cl_project_file_reaches(f);
	/* a runnable served as a route (LangServe) */
	for (size_t i = 0; i < f->runnable_routes.n; i++)
		routes += f->runnable_routes.v[i].reaches_claude;
	c->calls += calls;
	c->clients += f->clients.n;
	c->call_files += calls > 0;
	c->usage_files += calls || f->clients.n;
	c->routes += routes;
	c->route_files += routes > 0;
	c->loops += loops;
	c->loop_files += loops > 0;
}

/* "1 file", "3 files" */
static const char *count(char *buf, size_t cap, size_t n, const char *one, const char *many)
{
	snprintf(buf, cap, "%zu %s", n, n == 1 ? one : many);
	return buf;
}

/* "5 call sites and 3 clients", "2 call sites", "1 client" (LEAD before the first noun). */
static char *calls_and_clients(const char *lead, size_t calls, size_t clients)
{
	char a[64], b[64];
	count(a, sizeof a, calls, "call site", "call sites");
	count(b, sizeof b, clients, "client", "clients");
	if (calls && clients)
		return xasprintf("%zu %s%s and %s", calls, lead, strchr(a, ' ') + 1, b);
	if (calls)
		return xasprintf("%zu %s%s", calls, lead, strchr(a, ' ') + 1);
	return xasprintf("%zu %s%s", clients, lead, strchr(b, ' ') + 1);
}

/* The reason's text for subject S, from the production (P) and test (T) counts. */
static char *describe(const char *s, const struct cl_coverage_counts *p, const struct cl_coverage_counts *t)
{
	char f[64], tf[64];
	char *main = NULL, *test = NULL;
	if (!strcmp(s, "calls")) {
		if (p->calls || p->clients) {
			char *what = calls_and_clients("Claude ", p->calls, p->clients);
			main = xasprintf("checked %s in %s%s", what, count(f, sizeof f, p->usage_files, "file", "files"),
				p->calls ? "" : "; no Claude call site found outside test code");
			free(what);
		} else {
			main = xstrdup("nothing to check outside test code: no Claude call site or client found there");
		}
		if (t->calls || t->clients) {
			char *what = calls_and_clients("", t->calls, t->clients);
			test = xasprintf("%s in %s", what, count(tf, sizeof tf, t->usage_files, "file", "files"));
			free(what);
		}
	} else if (!strcmp(s, "routes")) {
		char n[64];
		main = p->routes ? xasprintf("checked %s reaching Claude in %s",
				count(n, sizeof n, p->routes, "web route", "web routes"),
				count(f, sizeof f, p->route_files, "file", "files")) :
			xstrdup("nothing to check outside test code: no web route reaching Claude found there");
		if (t->routes)
			test = xasprintf("%s in %s", count(n, sizeof n, t->routes, "route", "routes"),
				count(tf, sizeof tf, t->route_files, "file", "files"));
	} else if (!strcmp(s, "agent_loops")) {
		char n[64];
		main = p->loops ? xasprintf("checked %s in %s",
				count(n, sizeof n, p->loops, "loop around a Claude call", "loops around Claude calls"),
				count(f, sizeof f, p->loop_files, "file", "files")) :
			xstrdup("no loop around a Claude call outside test code: only agent framework calls "
				"(executors, graph agents, tool runners) were checked, where they are made");
		if (t->loops)
			test = xasprintf("%s in %s", count(n, sizeof n, t->loops, "loop", "loops"),
				count(tf, sizeof tf, t->loop_files, "file", "files"));
	} else if (!strcmp(s, "files")) {
		main = t->files ? xasprintf("read %s, %zu of them test code",
				count(f, sizeof f, p->files + t->files, "file", "files"), t->files) :
			xasprintf("read %s", count(f, sizeof f, p->files, "file", "files"));
	} else if (!strcmp(s, "repository")) {
		char n[64];
		if (p->calls)
			main = xasprintf("decided for the whole tree (%s read); Claude is called at %s in %s "
				"outside test code", count(f, sizeof f, p->files + t->files, "file", "files"),
				count(n, sizeof n, p->calls, "call site", "call sites"),
				count(tf, sizeof tf, p->call_files, "file", "files"));
		else
			main = xasprintf("decided for the whole tree (%s read); no Claude call site outside test code",
				count(f, sizeof f, p->files + t->files, "file", "files"));
		if (t->calls)
			test = xasprintf("%s", count(n, sizeof n, t->calls, "call site", "call sites"));
	} else {
		return NULL;
	}
	if (!test)
		return main;
	char *both = xasprintf("%s; test code counted apart: %s", main, test);
	free(main);
	free(test);
	return both;
}

void cl_coverage_describe(struct cl_item_result *ir, const struct cl_result *r)
{
	const char *s = ir->item ? ir->item->covers : NULL;
	memset(&ir->coverage, 0, sizeof ir->coverage);
	if (!s || !*s)
		return;
	const struct cl_coverage_counts *p = &r->coverage[0], *t = &r->coverage[1];
	struct cl_item_coverage *c = &ir->coverage;
	c->subject = s;
	if (!strcmp(s, "calls")) {
		c->checked = p->calls, c->clients = p->clients, c->files = p->usage_files;
		c->test_checked = t->calls, c->test_clients = t->clients, c->test_files = t->usage_files;
	} else if (!strcmp(s, "routes")) {
		c->checked = p->routes, c->files = p->route_files;
		c->test_checked = t->routes, c->test_files = t->route_files;
	} else if (!strcmp(s, "agent_loops")) {
		c->checked = p->loops, c->files = p->loop_files;
		c->test_checked = t->loops, c->test_files = t->loop_files;
	} else {
		c->checked = c->files = p->files;
		c->test_checked = c->test_files = t->files;
	}
	if ((ir->status != CL_STATUS_PASS && ir->status != CL_STATUS_FAIL) || ir->attested)
		return;
	char *what = describe(s, p, t);
	if (!what)
		return;
	char *old = ir->status_reason;
	ir->status_reason = old && *old ? xasprintf("%s; %s", what, old) : xstrdup(what);
	free(old);
	free(what);
}
