/*
 * script_blocks.c — the code view of .html / .vue / .svelte / .astro files
 * (script_blocks.h): their script blocks, every other byte blanked.
 */
#include "scan/script_blocks.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support/xalloc.h"

enum block_lang { BLOCK_SKIP, BLOCK_JS, BLOCK_TS, BLOCK_TSX };

static const char *ext_of(const char *path)
{
	const char *base = cl_path_basename(path);
	const char *dot = strrchr(base, '.');
	return dot && dot != base ? dot + 1 : "";
}

bool cl_script_blocks_file(const char *path)
{
	static const char *const exts[] = {"astro", "htm", "html", "svelte", "vue"};
	const char *ext = ext_of(path);
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++)
		if (!strcasecmp(ext, exts[i]))
			return true;
	return false;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* Is D[I..) the start of tag NAME ("<script", "</script")? */
static bool tag_at(const char *d, size_t n, size_t i, const char *name)
{
	size_t k = strlen(name);
	if (i + k > n || strncasecmp(d + i, name, k) != 0)
		return false;
	return i + k == n || is_space(d[i + k]) || d[i + k] == '>' || d[i + k] == '/';
}

/* VAL[0..LEN) equals one of LIST, caseless. */
static bool one_of(const char *val, size_t len, const char *const *list)
{
	for (; *list; list++)
		if (strlen(*list) == len && !strncasecmp(val, *list, len))
			return true;
	return false;
}

struct attrs {
	const char *type, *lang;
	size_t type_len, lang_len;
	bool src;
	bool self_closing;
};

/* Reads the attributes of a start tag from D[*I..) up to its '>' (quotes
 * respected); *I ends after the '>' (or at N). */
static void read_attrs(const char *d, size_t n, size_t *i, struct attrs *a)
{
	memset(a, 0, sizeof *a);
	size_t p = *i;
	while (p < n && d[p] != '>') {
		if (is_space(d[p]) || d[p] == '/') {
			a->self_closing = d[p] == '/';
			p++;
			continue;
		}
		a->self_closing = false;
		size_t ns = p;
		while (p < n && !is_space(d[p]) && d[p] != '=' && d[p] != '>' && d[p] != '/')
			p++;
		size_t nl = p - ns;
		while (p < n && is_space(d[p]))
			p++;
		const char *val = "";
		size_t vl = 0;
		if (p < n && d[p] == '=') {
			p++;
			while (p < n && is_space(d[p]))
				p++;
			if (p < n && (d[p] == '"' || d[p] == '\'')) {
				char q = d[p++];
				val = d + p;
				while (p < n && d[p] != q)
					p++;
				vl = (size_t)(d + p - val);
				if (p < n)
					p++;
			} else {
				val = d + p;
				while (p < n && !is_space(d[p]) && d[p] != '>')
					p++;
				vl = (size_t)(d + p - val);
			}
		}
		if (nl == 4 && !strncasecmp(d + ns, "type", 4)) {
			a->type = val;
			a->type_len = vl;
		} else if (nl == 4 && !strncasecmp(d + ns, "lang", 4)) {
			a->lang = val;
			a->lang_len = vl;
		} else if (nl == 3 && !strncasecmp(d + ns, "src", 3)) {
			a->src = true;
		}
	}
	*i = p < n ? p + 1 : n;
}

static enum block_lang block_lang(const struct attrs *a, bool astro)
{
	static const char *const js_types[] = {"module", "text/javascript", "application/javascript",
		"text/ecmascript", "application/ecmascript", "application/x-javascript", "text/jsx",
		"text/babel", NULL};
	static const char *const ts_types[] = {"text/typescript", "application/typescript", NULL};
	static const char *const ts_langs[] = {"ts", "typescript", NULL};
	static const char *const js_langs[] = {"js", "javascript", "jsx", NULL};
	if (a->src)
		return BLOCK_SKIP;
	enum block_lang l = astro ? BLOCK_TS : BLOCK_JS;
	if (a->type) {
		size_t tl = a->type_len;
		const char *semi = memchr(a->type, ';', tl);
		if (semi)
			tl = (size_t)(semi - a->type);
		while (tl && is_space(a->type[tl - 1]))
			tl--;
		if (one_of(a->type, tl, ts_types))
			l = BLOCK_TS;
		else if (tl && !one_of(a->type, tl, js_types))
			return BLOCK_SKIP; /* JSON, import maps, templates, other languages */
	}
	if (a->lang) {
		if (one_of(a->lang, a->lang_len, ts_langs))
			l = BLOCK_TS;
		else if (a->lang_len == 3 && !strncasecmp(a->lang, "tsx", 3))
			l = BLOCK_TSX;
		else if (a->lang_len && !one_of(a->lang, a->lang_len, js_langs))
			return BLOCK_SKIP; /* CoffeeScript and the like */
	}
	return l;
}

/* The end of an Astro file's `---` frontmatter fence line starting at I, or
 * 0 when the line is not a fence. */
static size_t fence_end(const char *d, size_t n, size_t i)
{
	if (i + 3 > n || memcmp(d + i, "---", 3) != 0)
		return 0;
	size_t p = i + 3;
	while (p < n && (d[p] == ' ' || d[p] == '\t' || d[p] == '\r'))
		p++;
	if (p < n && d[p] != '\n')
		return 0;
	return p < n ? p + 1 : n;
}

static void keep(char *out, const char *d, size_t from, size_t to)
{
	memcpy(out + from, d + from, to - from);
}

bool cl_script_blocks_view(struct cl_source *src)
{
	const char *d = src->data;
	size_t n = src->len;
	bool astro = !strcasecmp(ext_of(src->path), "astro");
	char *out = xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		out[i] = d[i] == '\n' || d[i] == '\r' ? d[i] : ' ';
	out[n] = 0;
	bool any = false, ts = false, tsx = false;
	size_t i = 0;
	if (astro) {
		size_t p = 0;
		while (p < n && is_space(d[p]))
			p++;
		size_t body = fence_end(d, n, p);
		if (body) {
			size_t e = body;
			for (size_t ls = body; ls < n;) {
				if (fence_end(d, n, ls)) {
					e = ls;
					break;
				}
				const char *nl = memchr(d + ls, '\n', n - ls);
				ls = nl ? (size_t)(nl - d) + 1 : n;
				e = ls;
			}
			keep(out, d, body, e);
			any = ts = true;
			i = e;
		}
	}
	while (i < n) {
		const char *lt = memchr(d + i, '<', n - i);
		if (!lt)
			break;
		i = (size_t)(lt - d);
		if (i + 4 <= n && !memcmp(d + i, "<!--", 4)) {
			const char *e = memmem(d + i + 4, n - i - 4, "-->", 3);
			i = e ? (size_t)(e - d) + 3 : n;
			continue;
		}
		if (!tag_at(d, n, i, "<script")) {
			i++;
			continue;
		}
		i += 7;
		struct attrs a;
		read_attrs(d, n, &i, &a);
		if (a.self_closing)
			continue;
		size_t body = i, close = n;
		for (size_t p = body; p < n; p++) {
			const char *lt2 = memchr(d + p, '<', n - p);
			if (!lt2)
				break;
			p = (size_t)(lt2 - d);
			if (tag_at(d, n, p, "</script")) {
				close = p;
				break;
			}
		}
		enum block_lang l = block_lang(&a, astro);
		if (l != BLOCK_SKIP) {
			keep(out, d, body, close);
			if (close < n)
				out[close] = ';';
			any = true;
			ts = ts || l == BLOCK_TS;
			tsx = tsx || l == BLOCK_TSX;
		}
		i = close;
		if (close < n) {
			const char *gt = memchr(d + close, '>', n - close);
			i = gt ? (size_t)(gt - d) + 1 : n;
		}
	}
	if (!any) {
		free(out);
		return false;
	}
	memcpy(src->data, out, n);
	free(out);
	src->lang = tsx ? CL_LANG_TSX : ts ? CL_LANG_TYPESCRIPT : CL_LANG_JAVASCRIPT;
	return true;
}
