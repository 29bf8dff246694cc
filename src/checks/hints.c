/*
 * hints.c — evidence hints for the process items (CL02, CL03, CL09) and
 * the evidence other items show beside their status (CL13's dashboards): the
 * patterns in rules/hints.json (path globs, literals, PCRE2 regexes) applied
 * to each file's path and bytes. A match becomes an evidence entry under its
 * item with the hint's message, at the line of the first match; the matched
 * text is never shown. Hints never produce findings or decide a status.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <cjson/cJSON.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "support/embed.h"
#include "scan/gitignore.h"
#include "rules/patterns.h"

#define HINTS_FILE "rules/hints.json"

struct hint {
	int item;
	const char *id, *message;        /* point into the parsed document */
	struct cl_gitignore *paths, *not_paths;
	const cJSON *contains;           /* array of literals, any must occur; may be NULL */
	const struct cl_pattern **also;  /* each must match somewhere */
	size_t nalso;
	const struct cl_pattern *re;     /* its first match is reported */
};

static struct {
	cJSON *doc;
	struct hint *v;
	size_t n;
} H;

/* Compiled by the pattern module (multiline: ^ and $ match at line ends). */
static const struct cl_pattern *compile(const char *pattern, const char *id, char **err)
{
	char *where = xasprintf("rule data %s: hint %s", HINTS_FILE, id);
	const struct cl_pattern *re = cl_patterns_compile(where, &pattern, 1, PCRE2_MULTILINE, err);
	free(where);
	return re;
}

/* The keys a hint may have: anything else is a typo that would be ignored. */
static const char *const hint_keys[] = {"also", "contains", "id", "item", "message", "not_paths", "paths", "regex"};

static bool only_hint_keys(const cJSON *o, const char *id, char **err)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, o) {
		size_t k = 0;
		while (k < sizeof hint_keys / sizeof *hint_keys && strcmp(hint_keys[k], e->string) != 0)
			k++;
		if (k == sizeof hint_keys / sizeof *hint_keys) {
			*err = xasprintf("rule data %s: hint %s: unknown key %s", HINTS_FILE, id, e->string);
			return false;
		}
	}
	return true;
}

static struct cl_gitignore *globs(const cJSON *arr)
{
	if (!cJSON_IsArray(arr))
		return NULL;
	struct cl_gitignore *g = cl_gitignore_create();
	const cJSON *e;
	cJSON_ArrayForEach(e, arr)
		if (cJSON_IsString(e))
			cl_gitignore_add_line(g, e->valuestring, strlen(e->valuestring));
	cl_gitignore_index(g);
	return g;
}

static bool load_hint(struct hint *h, const cJSON *o, char **err)
{
	const cJSON *item = cJSON_GetObjectItemCaseSensitive(o, "item");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(o, "id");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(o, "message");
	const cJSON *re = cJSON_GetObjectItemCaseSensitive(o, "regex");
	h->id = cJSON_IsString(id) ? id->valuestring : "?";
	const struct cl_item *it = cJSON_IsString(item) ? cl_registry_item_by_id(item->valuestring) : NULL;
	h->item = -1;
	for (int i = 0; it && i < CL_ITEM_COUNT; i++)
		if (cl_registry_item(i) == it)
			h->item = i;
	if (h->item < 0 || !cJSON_IsString(msg) || !cJSON_IsString(re) ||
	    !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(o, "paths"))) {
		*err = xasprintf("rule data %s: hint %s: needs item, message, paths and regex", HINTS_FILE, h->id);
		return false;
	}
	if (!only_hint_keys(o, h->id, err))
		return false;
	h->message = msg->valuestring;
	h->paths = globs(cJSON_GetObjectItemCaseSensitive(o, "paths"));
	h->not_paths = globs(cJSON_GetObjectItemCaseSensitive(o, "not_paths"));
	h->contains = cJSON_GetObjectItemCaseSensitive(o, "contains");
	if (!(h->re = compile(re->valuestring, h->id, err)))
		return false;
	const cJSON *also = cJSON_GetObjectItemCaseSensitive(o, "also"), *e;
	h->also = (const struct cl_pattern **)xcalloc((size_t)cJSON_GetArraySize(also) + 1, sizeof *h->also);
	cJSON_ArrayForEach(e, also) {
		if (!cJSON_IsString(e) || !(h->also[h->nalso] = compile(e->valuestring, h->id, err)))
			return false;
		h->nalso++;
	}
	return true;
}

bool cl_hints_init(char **err)
{
	const struct cl_embedded *f = cl_embed_find(HINTS_FILE);
	return cl_hints_init_from(f ? f->data : NULL, f ? f->size : 0, err);
}

bool cl_hints_init_from(const char *text, size_t len, char **err)
{
	if (!text || !(H.doc = cJSON_ParseWithLength(text, len))) {
		*err = xasprintf("rule data %s: missing or invalid JSON", HINTS_FILE);
		return false;
	}
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(H.doc, "hints"), *o;
	H.v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *H.v);
	cJSON_ArrayForEach(o, arr)
		if (!load_hint(&H.v[H.n++], o, err))
			return false;
	return true;
}

void cl_hints_cleanup(void)
{
	for (size_t i = 0; i < H.n; i++) {
		struct hint *h = &H.v[i];
		cl_gitignore_destroy(h->paths);
		cl_gitignore_destroy(h->not_paths);
		free(h->also); /* the patterns are the pattern module's */
	}
	free(H.v);
	cJSON_Delete(H.doc);
	memset(&H, 0, sizeof H);
}

/* The offset of RE's first match in SRC, or -1. */
static long first_match(const struct cl_pattern *re, const struct cl_source *src)
{
	size_t at;
	return cl_pattern_find(re, src->data, src->len, 0, &at, NULL) ? (long)at : -1;
}

static bool has_literal(const cJSON *contains, const struct cl_source *src)
{
	if (!contains)
		return true;
	const cJSON *e;
	cJSON_ArrayForEach(e, contains)
		if (cJSON_IsString(e) && memmem(src->data, src->len, e->valuestring, strlen(e->valuestring)))
			return true;
	return false;
}

void cl_hints_apply(int item, const struct cl_source *src, struct cl_file_out *out)
{
	for (size_t i = 0; i < H.n; i++) {
		const struct hint *h = &H.v[i];
		if (h->item != item || !cl_gitignore_covers(h->paths, src->path) ||
		    (h->not_paths && cl_gitignore_covers(h->not_paths, src->path)))
			continue;
		/* the patterns first: their literal gates (patterns.c) rule most
		 * files out in one pass, where each literal of CONTAINS took one */
		bool all = true;
		for (size_t k = 0; k < h->nalso && all; k++)
			all = first_match(h->also[k], src) >= 0;
		long at = all ? first_match(h->re, src) : -1;
		if (at < 0 || !has_literal(h->contains, src))
			continue;
		struct cl_span sp = cl_span_at(src, (size_t)at, (size_t)at);
		cl_emit_evidence(out, item, &sp, "%s", h->message);
	}
}

void cl_check_cl02_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_hints_apply(CL_ITEM(CL02), src, out);
}

void cl_check_cl03_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_hints_apply(CL_ITEM(CL03), src, out);
}

void cl_check_cl09_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_hints_apply(CL_ITEM(CL09), src, out);
}
