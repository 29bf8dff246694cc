/*
 * prefilter.c — the terms of rules/prefilter.json as one caseless PCRE2
 * alternation (JIT-compiled), and two import patterns (Python, JS / TS).
 * See prefilter.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "prefilter.h"

#include <cjson/cJSON.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "embed.h"
#include "xalloc.h"

#define RULES "rules/prefilter.json"

/* `from .x import` / `import a.b` at the start of a line. */
static const char py_import_pattern[] =
	"^[ \\t]*(?:from[ \\t]+(\\.*[\\w.]*)[ \\t]+import\\b|import[ \\t]+([\\w.]+))";
/* `from "m"`, `require("m")`, `import("m")`, `import "m"`. */
static const char js_import_pattern[] =
	"(?:\\bfrom|\\brequire[ \\t]*\\(|\\bimport[ \\t]*\\(?)[ \\t]*['\"]([^'\"\\n]{1,512})['\"]";

static pcre2_code *terms_re, *py_re, *js_re;

static pcre2_code *compile(const char *pattern, uint32_t flags, char **err)
{
	int code;
	PCRE2_SIZE off;
	pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, flags, &code, &off, NULL);
	if (!re) {
		PCRE2_UCHAR msg[120];
		pcre2_get_error_message(code, msg, sizeof msg);
		*err = xasprintf("rule data %s: pattern does not compile at %zu: %s", RULES, (size_t)off, (char *)msg);
		return NULL;
	}
	pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* the interpreter serves when JIT is absent */
	return re;
}

/* Appends TERM to the alternation, every byte that is not a letter or digit
 * escaped (a backslash before an ASCII non-alphanumeric is always literal). */
static void append_term(char **pat, size_t *len, size_t *cap, const char *term)
{
	size_t need = *len + 2 * strlen(term) + 2;
	if (need > *cap) {
		*cap = 2 * need;
		*pat = xrealloc(*pat, *cap);
	}
	if (*len)
		(*pat)[(*len)++] = '|';
	for (const unsigned char *s = (const unsigned char *)term; *s; s++) {
		bool alnum = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9');
		if (!alnum && *s < 0x80)
			(*pat)[(*len)++] = '\\';
		(*pat)[(*len)++] = (char)*s;
	}
	(*pat)[*len] = 0;
}

/* The alternation of every term, or NULL with *ERR set. */
static char *terms_pattern(char **err)
{
	const struct cl_embedded *e = cl_embed_find(RULES);
	cJSON *doc = e ? cJSON_ParseWithLength(e->data, e->size) : NULL;
	if (!doc) {
		*err = xstrdup("rule data " RULES ": missing or invalid JSON");
		return NULL;
	}
	char *pat = NULL;
	size_t len = 0, cap = 0;
	const cJSON *group;
	cJSON_ArrayForEach(group, cJSON_GetObjectItemCaseSensitive(doc, "groups")) {
		const cJSON *terms = cJSON_GetObjectItemCaseSensitive(group, "terms"), *t;
		if (!cJSON_IsArray(terms) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(group, "for"))) {
			*err = xstrdup("rule data " RULES ": each group needs \"for\" (text) and \"terms\" (list)");
			goto fail;
		}
		cJSON_ArrayForEach(t, terms) {
			if (!cJSON_IsString(t) || strlen(t->valuestring) < 3) {
				*err = xstrdup("rule data " RULES ": a term must be a string of 3 or more characters");
				goto fail;
			}
			append_term(&pat, &len, &cap, t->valuestring);
		}
	}
	if (!pat) {
		*err = xstrdup("rule data " RULES ": no terms");
		goto fail;
	}
	cJSON_Delete(doc);
	return pat;
fail:
	free(pat);
	cJSON_Delete(doc);
	return NULL;
}

bool cl_prefilter_init(char **err)
{
	if (terms_re)
		return true;
	char *pat = terms_pattern(err);
	if (!pat)
		return false;
	terms_re = compile(pat, PCRE2_CASELESS, err);
	free(pat);
	if (terms_re)
		py_re = compile(py_import_pattern, PCRE2_MULTILINE, err);
	if (py_re)
		js_re = compile(js_import_pattern, 0, err);
	if (!js_re) {
		cl_prefilter_cleanup();
		return false;
	}
	return true;
}

void cl_prefilter_cleanup(void)
{
	pcre2_code_free(terms_re);
	pcre2_code_free(py_re);
	pcre2_code_free(js_re);
	terms_re = py_re = js_re = NULL;
}

/* One match data per thread, sized for the import patterns (3 pairs). */
static pcre2_match_data *match_data(void)
{
	static _Thread_local pcre2_match_data *md;
	if (!md) {
		md = pcre2_match_data_create(4, NULL);
		if (!md) { /* as xmalloc does */
			fputs("claudit: out of memory\n", stderr);
			exit(3);
		}
	}
	return md;
}

bool cl_prefilter_match(const char *data, size_t len)
{
	return pcre2_match(terms_re, (PCRE2_SPTR)data, len, 0, 0, match_data(), NULL) >= 0;
}

char *cl_prefilter_imports(const struct cl_source *src, size_t *len)
{
	char *buf = NULL;
	size_t cap = 0;
	*len = 0;
	if (src->lang == CL_LANG_TEXT)
		return NULL;
	const pcre2_code *re = src->lang == CL_LANG_PYTHON ? py_re : js_re;
	pcre2_match_data *md = match_data();
	PCRE2_SIZE pos = 0;
	int rc;
	while (pos < src->len && (rc = pcre2_match(re, (PCRE2_SPTR)src->data, src->len, pos, 0, md, NULL)) > 0) {
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		for (int g = 1; g < rc; g++) { /* groups past rc-1 did not take part */
			size_t n = ov[2 * g] == PCRE2_UNSET ? 0 : ov[2 * g + 1] - ov[2 * g];
			if (!n)
				continue;
			if (*len + n + 1 > cap) {
				cap = 2 * (*len + n + 1) + 64;
				buf = xrealloc(buf, cap);
			}
			memcpy(buf + *len, src->data + ov[2 * g], n);
			buf[*len + n] = 0;
			*len += n + 1;
		}
		pos = ov[1] > pos ? ov[1] : pos + 1;
	}
	return buf;
}
