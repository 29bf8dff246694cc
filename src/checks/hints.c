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

#include "../checks.h"
#include "../embed.h"
#include "../gitignore.h"

#define HINTS_FILE "rules/hints.json"

struct hint {
	int item;
	const char *id, *message;        /* point into the parsed document */
	struct cl_gitignore *paths, *not_paths;
	const cJSON *contains;           /* array of literals, any must occur; may be NULL */
	pcre2_code **also;               /* each must match somewhere */
	size_t nalso;
	pcre2_code *re;                  /* its first match is reported */
};

static struct {
	cJSON *doc;
	struct hint *v;
	size_t n;
	pcre2_match_context *mctx;
} H;

static pcre2_code *compile(const char *pattern, const char *id, char **err)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_MULTILINE,
		&code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(code, msg, sizeof msg);
		*err = xasprintf("rule data %s: hint %s: regex error at offset %zu: %s", HINTS_FILE, id,
			(size_t)off, (const char *)msg);
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* without JIT the interpreter runs */
	return re;
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
	h->message = msg->valuestring;
	h->paths = globs(cJSON_GetObjectItemCaseSensitive(o, "paths"));
	h->not_paths = globs(cJSON_GetObjectItemCaseSensitive(o, "not_paths"));
	h->contains = cJSON_GetObjectItemCaseSensitive(o, "contains");
	if (!(h->re = compile(re->valuestring, h->id, err)))
		return false;
	const cJSON *also = cJSON_GetObjectItemCaseSensitive(o, "also"), *e;
	h->also = xcalloc((size_t)cJSON_GetArraySize(also) + 1, sizeof *h->also);
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
	if (!f || !(H.doc = cJSON_ParseWithLength(f->data, f->size))) {
		*err = xasprintf("rule data %s: missing or invalid JSON", HINTS_FILE);
		return false;
	}
	const cJSON *arr = cJSON_GetObjectItemCaseSensitive(H.doc, "hints"), *o;
	H.v = xcalloc((size_t)cJSON_GetArraySize(arr) + 1, sizeof *H.v);
	H.mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(H.mctx, 10000000);
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
		for (size_t k = 0; k < h->nalso; k++)
			pcre2_code_free(h->also[k]);
		free(h->also);
		pcre2_code_free(h->re);
	}
	free(H.v);
	pcre2_match_context_free(H.mctx);
	cJSON_Delete(H.doc);
	memset(&H, 0, sizeof H);
}

/* The offset of RE's first match in SRC, or -1. */
static long first_match(const pcre2_code *re, const struct cl_source *src)
{
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
	int rc = pcre2_match(re, (PCRE2_SPTR)src->data, src->len, 0, 0, md, H.mctx);
	long at = rc >= 0 ? (long)pcre2_get_ovector_pointer(md)[0] : -1;
	pcre2_match_data_free(md);
	return at;
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
		    (h->not_paths && cl_gitignore_covers(h->not_paths, src->path)) ||
		    !has_literal(h->contains, src))
			continue;
		bool all = true;
		for (size_t k = 0; k < h->nalso && all; k++)
			all = first_match(h->also[k], src) >= 0;
		long at = all ? first_match(h->re, src) : -1;
		if (at < 0)
			continue;
		struct cl_span sp = cl_span_at(src, (size_t)at, (size_t)at);
		cl_emit_evidence(out, item, &sp, "%s", h->message);
	}
}

void cl_check_cl02_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_hints_apply(1, src, out);
}

void cl_check_cl03_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_hints_apply(2, src, out);
}

void cl_check_cl09_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_hints_apply(8, src, out);
}
