/*
 * prefilter.c — one pass over a file finds both the terms of
 * rules/prefilter.json (caseless) and the import keywords of its language
 * ("import"; "from", "require", "import"). Each word is anchored on its
 * rarest pair of bytes; sixteen positions are compared with every anchor at
 * a time (GCC vector extensions: SSE2 on x86-64) and a hit is verified byte
 * by byte. See prefilter.h.
 */
#include "scan/prefilter.h"

#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rules/patterns.h"
#include "scan/litset.h"
#include "support/embed.h"
#include "support/xalloc.h"

#define RULES "rules/prefilter.json"
#define MAX_ANCHORS 256
#define VECTOR_ANCHORS 12 /* past this many, a bigram table is faster */

enum kind { W_TERM, W_FROM, W_REQUIRE, W_IMPORT };

/* A longer word that holds a term and does not count as it ("delimiter"
 * for "limiter"): the group's "not_within". */
struct within {
	unsigned char *folded;  /* lower case */
	size_t len;
	size_t off;             /* where the term starts in it */
};

/* A word to find: a term (caseless) or an import keyword (exact, whole word). */
struct word {
	unsigned char *folded;  /* terms: lower case */
	size_t len;
	size_t at;              /* where its anchor pair starts */
	unsigned key;           /* the anchor pair, lower case: a << 8 | b */
	enum kind kind;
	struct within *not_within; /* terms: matches inside these do not count */
	size_t nnot;
};

typedef signed char v16 __attribute__((vector_size(16)));

/* The words one kind of file is searched for, and their anchor pairs. */
struct table {
	struct word *words;
	size_t nwords;
	unsigned char anchor[MAX_ANCHORS][2]; /* lower case */
	v16 first[MAX_ANCHORS], second[MAX_ANCHORS]; /* each byte |0x20, in every lane */
	int nanchors;
	uint64_t bigrams[65536 / 64]; /* the anchors in every case, as the text has
	                                 them: bits of (a | b << 8) */
	struct word **by_key;         /* the words sorted by anchor key */
};

/* The terms alone; the terms and a language's import keywords; the import
 * keywords alone (for a file the pass over its text found no term in). */
enum { T_TERMS, T_PY, T_JS, T_PY_IMPORTS, T_JS_IMPORTS, NTABLES };

static struct {
	struct table t[NTABLES];
	bool ready;
	int watch_group; /* the terms, looked for in the pass over each file */
} P = {.watch_group = -1};

static unsigned char lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static bool add_word(struct table *t, const char *s, enum kind kind, char **err)
{
	size_t len = strlen(s);
	struct word w = {xmalloc(len), len, 0, 0, kind, NULL, 0};
	int best = -1;
	for (size_t i = 0; i < len; i++) {
		w.folded[i] = kind == W_TERM ? lower((unsigned char)s[i]) : (unsigned char)s[i];
		if (i + 1 < len && cl_byte_rarity((unsigned char)s[i]) + cl_byte_rarity((unsigned char)s[i + 1]) > best) {
			best = cl_byte_rarity((unsigned char)s[i]) + cl_byte_rarity((unsigned char)s[i + 1]);
			w.at = i;
		}
	}
	unsigned char a = lower(w.folded[w.at]), b = lower(w.folded[w.at + 1]);
	w.key = (unsigned)a << 8 | b;
	int k = 0;
	while (k < t->nanchors && !(t->anchor[k][0] == a && t->anchor[k][1] == b))
		k++;
	if (k == t->nanchors) {
		if (t->nanchors == MAX_ANCHORS) {
			free(w.folded);
			*err = xasprintf("rule data " RULES ": more than %d distinct terms", MAX_ANCHORS - 3);
			return false;
		}
		t->anchor[k][0] = a;
		t->anchor[k][1] = b;
		for (unsigned v = 0; v < 4; v++) {
			unsigned x = (v & 1) && a >= 'a' && a <= 'z' ? a - 32u : a;
			unsigned y = (v & 2) && b >= 'a' && b <= 'z' ? b - 32u : b;
			t->bigrams[(x | y << 8) >> 6] |= 1ull << ((x | y << 8) & 63);
		}
		for (int j = 0; j < 16; j++) {
			t->first[k][j] = (signed char)(a | 0x20);
			t->second[k][j] = (signed char)(b | 0x20);
		}
		t->nanchors++;
	}
	t->words = xrealloc(t->words, (t->nwords + 1) * sizeof *t->words);
	t->words[t->nwords++] = w;
	return true;
}

/* A term goes into every table, with the words of NOT_WITHIN (a JSON array
 * or NULL) that hold it. */
static bool add_term(const char *s, const cJSON *not_within, char **err)
{
	if (strlen(s) < 3) {
		*err = xstrdup("rule data " RULES ": a term must be a string of 3 or more characters");
		return false;
	}
	for (int i = 0; i <= T_JS; i++) {
		if (!add_word(&P.t[i], s, W_TERM, err))
			return false;
		struct word *w = &P.t[i].words[P.t[i].nwords - 1];
		const cJSON *n;
		cJSON_ArrayForEach(n, not_within) {
			size_t len = strlen(n->valuestring);
			unsigned char *folded = xmalloc(len + 1);
			for (size_t k = 0; k < len; k++)
				folded[k] = lower((unsigned char)n->valuestring[k]);
			const unsigned char *at = memmem(folded, len, w->folded, w->len);
			if (!at) {
				free(folded);
				continue;
			}
			w->not_within = xrealloc(w->not_within, (w->nnot + 1) * sizeof *w->not_within);
			w->not_within[w->nnot++] = (struct within){folded, len, (size_t)(at - folded)};
		}
	}
	return true;
}

/* Do the N bytes at S, folded, equal FOLDED? */
static bool folded_at(const unsigned char *s, const unsigned char *folded, size_t n)
{
	size_t k = 0;
	while (k < n && lower(s[k]) == folded[k])
		k++;
	return k == n;
}

/* Does the term W matched at START of D (LEN bytes) stand inside one of
 * its not_within words? */
static bool inside_longer(const struct word *w, const unsigned char *d, size_t len, size_t start)
{
	for (size_t i = 0; i < w->nnot; i++) {
		const struct within *n = &w->not_within[i];
		if (start < n->off || start - n->off + n->len > len)
			continue;
		if (folded_at(d + start - n->off, n->folded, n->len))
			return true;
	}
	return false;
}

static bool add_keywords(char **err)
{
	for (int k = 0; k < 2; k++) {
		struct table *py = &P.t[k ? T_PY_IMPORTS : T_PY], *js = &P.t[k ? T_JS_IMPORTS : T_JS];
		if (!add_word(py, "import", W_IMPORT, err) || !add_word(js, "from", W_FROM, err) ||
		    !add_word(js, "require", W_REQUIRE, err) || !add_word(js, "import", W_IMPORT, err))
			return false;
	}
	return true;
}

static int by_key(const void *a, const void *b)
{
	const struct word *x = *(const struct word *const *)a, *y = *(const struct word *const *)b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return (x > y) - (x < y); /* as added */
}

static void index_words(struct table *t)
{
	t->by_key = xcalloc(t->nwords + 1, sizeof *t->by_key);
	for (size_t i = 0; i < t->nwords; i++)
		t->by_key[i] = &t->words[i];
	qsort(t->by_key, t->nwords, sizeof *t->by_key, by_key);
}

bool cl_prefilter_init(char **err)
{
	if (P.ready)
		return true;
	const struct cl_embedded *e = cl_embed_find(RULES);
	cJSON *doc = e ? cJSON_ParseWithLength(e->data, e->size) : NULL;
	if (!doc) {
		*err = xstrdup("rule data " RULES ": missing or invalid JSON");
		return false;
	}
	const cJSON *group;
	cJSON_ArrayForEach(group, cJSON_GetObjectItemCaseSensitive(doc, "groups")) {
		const cJSON *terms = cJSON_GetObjectItemCaseSensitive(group, "terms"), *t;
		const cJSON *not_within = cJSON_GetObjectItemCaseSensitive(group, "not_within"), *n;
		if (!cJSON_IsArray(terms) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(group, "for"))) {
			*err = xstrdup("rule data " RULES ": each group needs \"for\" (text) and \"terms\" (list)");
			goto fail;
		}
		if (not_within && !cJSON_IsArray(not_within)) {
			*err = xstrdup("rule data " RULES ": \"not_within\" must be a list of strings");
			goto fail;
		}
		cJSON_ArrayForEach(n, not_within)
			if (!cJSON_IsString(n)) {
				*err = xstrdup("rule data " RULES ": \"not_within\" must be a list of strings");
				goto fail;
			}
		cJSON_ArrayForEach(t, terms) {
			if (!cJSON_IsString(t)) {
				*err = xstrdup("rule data " RULES ": a term must be a string");
				goto fail;
			}
			if (!add_term(t->valuestring, not_within, err))
				goto fail;
		}
	}
	if (!P.t[T_TERMS].nwords) {
		*err = xstrdup("rule data " RULES ": no terms");
		goto fail;
	}
	if (!add_keywords(err))
		goto fail;
	for (int t = 0; t < NTABLES; t++)
		index_words(&P.t[t]);
	cJSON_Delete(doc);
	P.ready = true;
	return true;
fail:
	cJSON_Delete(doc);
	cl_prefilter_cleanup();
	return false;
}

void cl_prefilter_cleanup(void)
{
	for (int t = 0; t < NTABLES; t++) {
		for (size_t i = 0; i < P.t[t].nwords; i++) {
			free(P.t[t].words[i].folded);
			for (size_t k = 0; k < P.t[t].words[i].nnot; k++)
				free(P.t[t].words[i].not_within[k].folded);
			free(P.t[t].words[i].not_within);
		}
		free(P.t[t].words);
		free(P.t[t].by_key);
	}
	memset(&P, 0, sizeof P);
	P.watch_group = -1;
}

void cl_prefilter_watch(void)
{
	if (!P.ready)
		return;
	const struct table *t = &P.t[T_TERMS];
	char **terms = xcalloc(t->nwords + 1, sizeof *terms);
	for (size_t i = 0; i < t->nwords; i++)
		terms[i] = xstrndup((const char *)t->words[i].folded, t->words[i].len);
	P.watch_group = cl_patterns_watch((const char *const *)terms, t->nwords, true);
	for (size_t i = 0; i < t->nwords; i++)
		free(terms[i]);
	free(terms);
}

bool cl_prefilter_may_match(const char *data, size_t len)
{
	return cl_patterns_may_hold(P.watch_group, data, len);
}

/* ------------------------------------------------------------------------ */
/* Imports.                                                                 */

struct list {
	char *buf;
	size_t len, cap;
};

static void append(struct list *l, const char *s, size_t n)
{
	if (!l)
		return;
	if (l->len + n + 1 > l->cap) {
		l->cap = 2 * (l->len + n + 1) + 64;
		l->buf = xrealloc(l->buf, l->cap);
	}
	memcpy(l->buf + l->len, s, n);
	l->buf[l->len + n] = 0;
	l->len += n + 1;
}

static bool is_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

static const char *skip_blanks(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p;
}

/* A Python module name at P ([A-Za-z0-9_.]+), its length. */
static size_t py_module(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && ((is_word((unsigned char)p[n]) && p[n] != '$') || p[n] == '.'))
		n++;
	return n;
}

/* Blanks, and inside parentheses newlines too. */
static const char *skip_space(const char *p, const char *end, bool parens)
{
	while (p < end && (*p == ' ' || *p == '\t' || (parens && (*p == '\n' || *p == '\r'))))
		p++;
	return p;
}

/* The names of `from M import a, b as c` (after "import", at P) that may
 * be submodules (lower case): M.a and M.b go to L too, as the facts note
 * them (facts_names.c). */
static void py_from_names(const char *m, size_t mn, const char *p, const char *end, struct list *l)
{
	char buf[512];
	bool parens = false;
	p = skip_blanks(p, end);
	if (p < end && *p == '(') {
		parens = true;
		p++;
	}
	for (int k = 0; k < 64; k++) {
		p = skip_space(p, end, parens);
		size_t n = 0;
		while (p + n < end && is_word((unsigned char)p[n]) && p[n] != '$')
			n++;
		if (!n)
			return;
		bool dot = m[mn - 1] == '.';
		if (((p[0] >= 'a' && p[0] <= 'z') || p[0] == '_') && mn + n + 1 < sizeof buf) {
			memcpy(buf, m, mn);
			if (!dot)
				buf[mn] = '.';
			memcpy(buf + mn + !dot, p, n);
			append(l, buf, mn + !dot + n);
		}
		p = skip_space(p + n, end, parens);
		if (end - p > 3 && !memcmp(p, "as", 2) && (p[2] == ' ' || p[2] == '\t')) {
			p = skip_space(p + 2, end, parens);
			while (p < end && is_word((unsigned char)p[0]))
				p++;
			p = skip_space(p, end, parens);
		}
		if (p >= end || *p != ',')
			return;
		p++;
	}
}

/* `import m` or `from m import` at the start of the line holding the
 * "import" at HIT. */
static void py_import(const char *data, const char *hit, const char *end, struct list *l)
{
	const char *line = hit;
	while (line > data && line[-1] != '\n')
		line--;
	const char *p = skip_blanks(line, hit);
	if (p == hit) {
		p = skip_blanks(hit + 6, end);
		size_t n = p > hit + 6 ? py_module(p, end) : 0;
		if (n)
			append(l, p, n);
		return;
	}
	if (hit - p < 7 || memcmp(p, "from", 4) != 0 || (p[4] != ' ' && p[4] != '\t'))
		return;
	p = skip_blanks(p + 4, hit);
	size_t n = py_module(p, hit);
	if (n && p + n < hit && skip_blanks(p + n, hit) == hit) {
		append(l, p, n);
		py_from_names(p, n, hit + 6, end, l);
	}
}

/* `from "m"`, `require("m")`, `import("m")`, `import "m"` at HIT. */
static void js_import(const char *hit, enum kind kind, size_t len, const char *end, struct list *l)
{
	const char *p = skip_blanks(hit + len, end);
	if (kind != W_FROM && p < end && *p == '(')
		p = skip_blanks(p + 1, end);
	else if (kind == W_REQUIRE)
		return; /* require without a call */
	if (p >= end || (*p != '"' && *p != '\''))
		return;
	char q = *p++;
	size_t n = 0;
	while (p + n < end && n <= 512 && p[n] != q && p[n] != '\n')
		n++;
	if (n && n <= 512 && p + n < end && p[n] == q)
		append(l, p, n);
}

/* ------------------------------------------------------------------------ */
/* The pass.                                                                */

/* The words of T whose anchor pair starts at POS: a term returns true; an
 * import keyword appends its module to L. */
static bool at_anchor(const struct table *t, const char *data, size_t len, size_t pos, struct list *l)
{
	const unsigned char *d = (const unsigned char *)data;
	unsigned key = (unsigned)lower(d[pos]) << 8 | lower(d[pos + 1]);
	size_t lo = 0, hi = t->nwords;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (t->by_key[mid]->key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->nwords && t->by_key[lo]->key == key; lo++) {
		const struct word *w = t->by_key[lo];
		if (pos < w->at || pos - w->at + w->len > len)
			continue;
		size_t start = pos - w->at;
		const unsigned char *s = d + start;
		if (w->kind == W_TERM) {
			if (folded_at(s, w->folded, w->len) && !inside_longer(w, d, len, start))
				return true;
			continue;
		}
		if (memcmp(s, w->folded, w->len) != 0 || (start > 0 && is_word(s[-1])) ||
		    (start + w->len < len && is_word(s[w->len])))
			continue;
		if (!l)
			continue;
		if (t == &P.t[T_PY] || t == &P.t[T_PY_IMPORTS])
			py_import(data, data + start, data + len, l);
		else
			js_import(data + start, w->kind, w->len, data + len, l);
	}
	return false;
}

/* True when DATA holds a term of T; imports found before it go to L. */
static bool pass(const struct table *t, const char *data, size_t len, struct list *l)
{
	const unsigned char *d = (const unsigned char *)data;
	size_t i = 0;
	if (t->nanchors > VECTOR_ANCHORS) {
		for (; i + 1 < len; i++) {
			unsigned raw = d[i] | (unsigned)d[i + 1] << 8;
			if ((t->bigrams[raw >> 6] >> (raw & 63) & 1) && at_anchor(t, data, len, i, l))
				return true;
		}
		return false;
	}
	/* |0x20 folds A-Z onto a-z (and some other bytes onto others: a hit is
	 * only a candidate, at_anchor() decides) */
	for (; i + 17 <= len; i += 16) {
		v16 x, y, hit = {0};
		memcpy(&x, d + i, 16);
		memcpy(&y, d + i + 1, 16);
		x |= 0x20;
		y |= 0x20;
		for (int k = 0; k < t->nanchors; k++)
			hit |= (x == t->first[k]) & (y == t->second[k]);
		uint64_t w[2];
		memcpy(w, &hit, 16);
		if (!(w[0] | w[1]))
			continue;
		for (int j = 0; j < 16; j++)
			if (hit[j] && at_anchor(t, data, len, i + (size_t)j, l))
				return true;
	}
	for (; i + 1 < len; i++)
		for (int k = 0; k < t->nanchors; k++)
			if (lower(d[i]) == t->anchor[k][0] && lower(d[i + 1]) == t->anchor[k][1]) {
				if (at_anchor(t, data, len, i, l))
					return true;
				break;
			}
	return false;
}

bool cl_prefilter_match(const char *data, size_t len)
{
	return pass(&P.t[T_TERMS], data, len, NULL);
}

bool cl_prefilter_scan(const struct cl_source *src, char **imports, size_t *len)
{
	struct list l = {NULL, 0, 0};
	*imports = NULL;
	*len = 0;
	bool py = src->lang == CL_LANG_PYTHON, term = cl_prefilter_may_match(src->data, src->len);
	if (src->lang == CL_LANG_TEXT)
		return term && pass(&P.t[T_TERMS], src->data, src->len, NULL);
	/* no term in the file: its imports are all there is to find */
	const struct table *t = &P.t[term ? (py ? T_PY : T_JS) : (py ? T_PY_IMPORTS : T_JS_IMPORTS)];
	if (pass(t, src->data, src->len, &l)) {
		free(l.buf);
		return true;
	}
	*imports = l.buf;
	*len = l.len;
	return false;
}
