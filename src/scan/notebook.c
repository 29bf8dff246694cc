/*
 * notebook.c — the code view of a Jupyter notebook (notebook.h). A small
 * JSON walker of its own, because the view needs the file offset of every
 * decoded byte, which a JSON library does not give.
 */
#include "scan/notebook.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "support/xalloc.h"

#define MAX_DEPTH 256
/* A note on the file: static text, so the reason is spliced in here. */
#define NOTE(why) "malformed notebook (" why "): its code cells were not parsed; only the text rules ran on it"

struct jp {
	const char *d;
	size_t n, i;
	int depth;
	const char *err;
};

struct span {
	size_t s, e; /* a JSON string's raw content, between its quotes */
};

struct cell {
	bool code;
	bool other_lang;  /* its metadata names a language other than Python */
	size_t src0, nsrc; /* its source strings in the span list */
};

struct walk {
	CL_VEC(struct span) srcs;
	CL_VEC(struct cell) cells;
	bool have_cells;
	bool other_kernel;
};

static bool fail(struct jp *p, const char *why)
{
	if (!p->err)
		p->err = why;
	return false;
}

static void ws(struct jp *p)
{
	while (p->i < p->n && (p->d[p->i] == ' ' || p->d[p->i] == '\t' || p->d[p->i] == '\n' ||
	    p->d[p->i] == '\r'))
		p->i++;
}

static bool eat(struct jp *p, char c)
{
	ws(p);
	if (p->i < p->n && p->d[p->i] == c) {
		p->i++;
		return true;
	}
	return false;
}

/* A string at P's position: its raw content span; P ends past the quote. */
static bool string_raw(struct jp *p, struct span *sp)
{
	ws(p);
	if (p->i >= p->n || p->d[p->i] != '"')
		return fail(p, NOTE("not JSON: a string was expected"));
	/* the closing quote is the first one after an even run of backslashes
	 * (memchr: outputs hold megabytes of base64 without any) */
	size_t k = ++p->i;
	for (;;) {
		const char *q = k < p->n ? memchr(p->d + k, '"', p->n - k) : NULL;
		if (!q)
			return fail(p, NOTE("not JSON: a string is not terminated"));
		k = (size_t)(q - p->d);
		size_t b = k;
		while (b > p->i && p->d[b - 1] == '\\')
			b--;
		if ((k - b) % 2 == 0)
			break;
		k++;
	}
	if (memchr(p->d + p->i, '\n', k - p->i))
		return fail(p, NOTE("not JSON: a line break inside a string"));
	sp->s = p->i;
	sp->e = k;
	p->i = k + 1;
	return true;
}

static bool raw_is(const struct jp *p, struct span sp, const char *lit)
{
	size_t n = strlen(lit);
	return sp.e - sp.s == n && !memcmp(p->d + sp.s, lit, n);
}

static bool skip_value(struct jp *p);

/* The next member of an object whose '{' was read: 1 with *KEY set and P at
 * the value, 0 at the end, -1 on bad input. */
static int member(struct jp *p, bool *first, struct span *key)
{
	if (eat(p, '}'))
		return 0;
	if (!*first && !eat(p, ','))
		return fail(p, NOTE("not JSON: ',' or '}' expected")), -1;
	*first = false;
	if (!string_raw(p, key) || !eat(p, ':'))
		return fail(p, NOTE("not JSON: a member name and ':' expected")), -1;
	ws(p);
	return 1;
}

/* The next element of an array whose '[' was read: 1 at a value, 0 at the end. */
static int element(struct jp *p, bool *first)
{
	if (eat(p, ']'))
		return 0;
	if (!*first && !eat(p, ','))
		return fail(p, NOTE("not JSON: ',' or ']' expected")), -1;
	*first = false;
	ws(p);
	return 1;
}

static bool enter(struct jp *p, char open)
{
	if (!eat(p, open))
		return false;
	if (++p->depth > MAX_DEPTH)
		return fail(p, NOTE("nested too deeply"));
	return true;
}

static bool skip_value(struct jp *p)
{
	ws(p);
	if (p->i >= p->n)
		return fail(p, NOTE("not JSON: cut short"));
	char c = p->d[p->i];
	bool first = true;
	int r;
	struct span sp;
	if (c == '{') {
		if (!enter(p, '{'))
			return false;
		while ((r = member(p, &first, &sp)) == 1)
			if (!skip_value(p))
				return false;
		p->depth--;
		return r == 0;
	}
	if (c == '[') {
		if (!enter(p, '['))
			return false;
		while ((r = element(p, &first)) == 1)
			if (!skip_value(p))
				return false;
		p->depth--;
		return r == 0;
	}
	if (c == '"')
		return string_raw(p, &sp);
	size_t k = p->i;
	while (k < p->n && strchr("+-0123456789.eEtruefalsn", p->d[k]) && p->d[k])
		k++;
	if (k == p->i)
		return fail(p, NOTE("not JSON: a value was expected"));
	p->i = k;
	return true;
}

/* A string value's raw span, or skips a non-string value (*SP empty). */
static bool string_or_skip(struct jp *p, struct span *sp)
{
	ws(p);
	sp->s = sp->e = 0;
	if (p->i < p->n && p->d[p->i] == '"')
		return string_raw(p, sp);
	return skip_value(p);
}

/* Is the language named by SP Python (or not named)? */
static bool python_named(const struct jp *p, struct span sp)
{
	return sp.e == sp.s || (sp.e - sp.s >= 6 && !strncasecmp(p->d + sp.s, "python", 6)) ||
		raw_is(p, sp, "ipython");
}

/* The object at P: the string member NAME of its member OUTER ("" for the
 * object itself), e.g. kernelspec.language. */
static bool lookup2(struct jp *p, const char *outer, const char *name, struct span *out)
{
	if (!enter(p, '{'))
		return fail(p, NOTE("not JSON: an object was expected"));
	bool first = true;
	int r;
	struct span key;
	while ((r = member(p, &first, &key)) == 1) {
		bool ok;
		if (*outer && raw_is(p, key, outer) && p->i < p->n && p->d[p->i] == '{')
			ok = lookup2(p, "", name, out);
		else if (!*outer && raw_is(p, key, name))
			ok = string_or_skip(p, out);
		else
			ok = skip_value(p);
		if (!ok)
			return false;
	}
	p->depth--;
	return r == 0;
}

static bool notebook_metadata(struct jp *p, struct walk *w)
{
	if (!enter(p, '{'))
		return skip_value(p);
	bool first = true;
	int r;
	struct span key;
	while ((r = member(p, &first, &key)) == 1) {
		struct span lang = {0, 0};
		bool ok;
		if ((raw_is(p, key, "kernelspec") || raw_is(p, key, "language_info")) &&
		    p->i < p->n && p->d[p->i] == '{') {
			ok = lookup2(p, "", raw_is(p, key, "kernelspec") ? "language" : "name", &lang);
			if (!python_named(p, lang))
				w->other_kernel = true;
		} else {
			ok = skip_value(p);
		}
		if (!ok)
			return false;
	}
	p->depth--;
	return r == 0;
}

static bool cell_source(struct jp *p, struct walk *w, struct cell *c)
{
	struct span sp;
	c->src0 = w->srcs.n;
	if (p->i < p->n && p->d[p->i] == '"') {
		if (!string_raw(p, &sp))
			return false;
		cl_vec_push(&w->srcs, sp);
	} else if (enter(p, '[')) {
		bool first = true;
		int r;
		while ((r = element(p, &first)) == 1) {
			if (!string_raw(p, &sp))
				return false;
			cl_vec_push(&w->srcs, sp);
		}
		p->depth--;
		if (r != 0)
			return false;
	} else {
		return fail(p, NOTE("not a notebook: a cell's source is neither a string nor a list"));
	}
	c->nsrc = w->srcs.n - c->src0;
	return true;
}

static bool one_cell(struct jp *p, struct walk *w)
{
	if (!enter(p, '{'))
		return fail(p, NOTE("not a notebook: a cell is not an object"));
	struct cell c = {false, false, w->srcs.n, 0};
	bool first = true;
	int r;
	struct span key, val;
	while ((r = member(p, &first, &key)) == 1) {
		bool ok;
		if (raw_is(p, key, "cell_type")) {
			ok = string_or_skip(p, &val);
			c.code = raw_is(p, val, "code");
		} else if (raw_is(p, key, "source")) {
			ok = cell_source(p, w, &c);
		} else if (raw_is(p, key, "metadata") && p->i < p->n && p->d[p->i] == '{') {
			val.s = val.e = 0;
			ok = lookup2(p, "vscode", "languageId", &val);
			c.other_lang = !python_named(p, val);
		} else {
			ok = skip_value(p);
		}
		if (!ok)
			return false;
	}
	p->depth--;
	if (r != 0)
		return false;
	cl_vec_push(&w->cells, c);
	return true;
}

static bool walk_notebook(struct jp *p, struct walk *w)
{
	if (!enter(p, '{'))
		return fail(p, NOTE("not JSON: the notebook is not an object"));
	bool first = true;
	int r;
	struct span key;
	while ((r = member(p, &first, &key)) == 1) {
		bool ok;
		if (raw_is(p, key, "cells") && !w->have_cells && p->i < p->n && p->d[p->i] == '[') {
			w->have_cells = true;
			if (!enter(p, '['))
				return false;
			bool f2 = true;
			int r2;
			while ((r2 = element(p, &f2)) == 1)
				if (!one_cell(p, w))
					return false;
			p->depth--;
			ok = r2 == 0;
		} else if (raw_is(p, key, "metadata")) {
			ok = notebook_metadata(p, w);
		} else {
			ok = skip_value(p);
		}
		if (!ok)
			return false;
	}
	if (r != 0)
		return false;
	ws(p);
	return p->i == p->n || fail(p, NOTE("not JSON: text after the notebook"));
}

/* ------------------------------------------------------------------ the view */

struct out {
	CL_VEC(char) code;
	CL_VEC(uint32_t) off;
};

static void put(struct out *o, char c, size_t at)
{
	cl_vec_push(&o->code, c);
	cl_vec_push(&o->off, (uint32_t)at);
}

static int hex4(const char *s)
{
	int v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 :
			c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Decodes the JSON string content D[S..E) into O, each byte mapped to the
 * offset of the character or escape it came from. */
static bool decode(struct out *o, const char *d, size_t s, size_t e)
{
	for (size_t p = s; p < e;) {
		if (d[p] != '\\') {
			put(o, d[p], p);
			p++;
			continue;
		}
		if (p + 1 >= e)
			return false;
		char c = d[p + 1];
		const char *plain = strchr("\"\\/bfnrt", c);
		if (c && plain) {
			static const char dec[] = "\"\\/\b\f\n\r\t";
			put(o, dec[plain - "\"\\/bfnrt"], p);
			p += 2;
			continue;
		}
		if (c != 'u' || p + 6 > e)
			return false;
		long cp = hex4(d + p + 2);
		size_t used = 6;
		if (cp < 0)
			return false;
		if (cp >= 0xd800 && cp < 0xdc00 && p + 12 <= e && d[p + 6] == '\\' && d[p + 7] == 'u') {
			int lo = hex4(d + p + 8);
			if (lo >= 0xdc00 && lo < 0xe000) {
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				used = 12;
			}
		}
		if (cp >= 0xd800 && cp < 0xe000)
			cp = 0xfffd; /* a lone surrogate */
		if (cp == 0)
			put(o, ' ', p);
		else if (cp < 0x80)
			put(o, (char)cp, p);
		else if (cp < 0x800) {
			put(o, (char)(0xc0 | (cp >> 6)), p);
			put(o, (char)(0x80 | (cp & 0x3f)), p);
		} else if (cp < 0x10000) {
			put(o, (char)(0xe0 | (cp >> 12)), p);
			put(o, (char)(0x80 | ((cp >> 6) & 0x3f)), p);
			put(o, (char)(0x80 | (cp & 0x3f)), p);
		} else {
			put(o, (char)(0xf0 | (cp >> 18)), p);
			put(o, (char)(0x80 | ((cp >> 12) & 0x3f)), p);
			put(o, (char)(0x80 | ((cp >> 6) & 0x3f)), p);
			put(o, (char)(0x80 | (cp & 0x3f)), p);
		}
		p += used;
	}
	return true;
}

static bool ident_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* IPython syntax on the line L[0..N): `%magic`, `!shell`, `x = !shell`,
 * `x = %magic`, `obj?`. */
static bool ipython_line(const char *l, size_t n)
{
	size_t i = 0;
	while (i < n && (l[i] == ' ' || l[i] == '\t'))
		i++;
	if (i < n && (l[i] == '%' || l[i] == '!'))
		return true;
	size_t k = i;
	while (k < n && (ident_char(l[k]) || l[k] == '.' || l[k] == ',' || l[k] == ' '))
		k++;
	if (k > i && k < n && l[k] == '=') {
		k++;
		while (k < n && l[k] == ' ')
			k++;
		if (k < n && (l[k] == '!' || l[k] == '%'))
			return true;
	}
	/* help: `obj?`, `obj.attr??` and nothing else on the line (a comment
	 * ending in '?' is Python) */
	size_t e = n;
	while (e > i && (l[e - 1] == ' ' || l[e - 1] == '\r'))
		e--;
	size_t q = e;
	while (q > i && l[q - 1] == '?')
		q--;
	if (q == e || e - q > 2 || q == i)
		return false;
	for (size_t k = i; k < q; k++)
		if (!ident_char(l[k]) && l[k] != '.')
			return false;
	return true;
}

/* Cell magics whose body is Python. */
static bool python_cell_magic(const char *name, size_t n)
{
	static const char *const ok[] = {"time", "timeit", "capture", "prun", "debug", NULL};
	for (const char *const *m = ok; *m; m++)
		if (strlen(*m) == n && !memcmp(name, *m, n))
			return true;
	return false;
}

/* Blanks the IPython syntax of the cell at O[FROM..); false when the cell is
 * in another language (a cell magic such as %%bash) and must be dropped. */
static bool clean_cell(struct out *o, size_t from)
{
	char *c = o->code.v;
	size_t n = o->code.n;
	for (size_t ls = from; ls < n;) {
		const char *nl = memchr(c + ls, '\n', n - ls);
		size_t le = nl ? (size_t)(nl - c) : n;
		if (ls == from && le - ls >= 2 && c[ls] == '%' && c[ls + 1] == '%') {
			size_t k = ls + 2;
			while (k < le && ident_char(c[k]))
				k++;
			if (!python_cell_magic(c + ls + 2, k - ls - 2))
				return false;
			memset(c + ls, ' ', le - ls);
		} else if (ipython_line(c + ls, le - ls)) {
			memset(c + ls, ' ', le - ls);
		}
		ls = le + 1;
	}
	return true;
}

static void free_walk(struct walk *w)
{
	cl_vec_free(&w->srcs);
	cl_vec_free(&w->cells);
}

enum cl_notebook_status cl_notebook_view(const char *data, size_t len, struct cl_notebook *nb,
	const char **note)
{
	memset(nb, 0, sizeof *nb);
	*note = NULL;
	struct jp p = {data, len, 0, 0, NULL};
	struct walk w;
	memset(&w, 0, sizeof w);
	if (!walk_notebook(&p, &w) || !w.have_cells) {
		*note = p.err ? p.err : NOTE("not nbformat 4: no \"cells\" list");
		free_walk(&w);
		return CL_NOTEBOOK_MALFORMED;
	}
	struct out o;
	memset(&o, 0, sizeof o);
	CL_VEC(struct span) regions = {0}; /* .s: view start, .e: cell number */
	for (size_t k = 0; k < w.cells.n && !w.other_kernel; k++) {
		const struct cell *c = &w.cells.v[k];
		if (!c->code || c->other_lang || !c->nsrc)
			continue;
		size_t from = o.code.n;
		for (size_t j = 0; j < c->nsrc; j++) {
			struct span sp = w.srcs.v[c->src0 + j];
			if (!decode(&o, data, sp.s, sp.e)) {
				*note = NOTE("not JSON: a bad escape in a cell's source");
				free_walk(&w);
				cl_vec_free(&o.code);
				cl_vec_free(&o.off);
				cl_vec_free(&regions);
				return CL_NOTEBOOK_MALFORMED;
			}
		}
		if (!clean_cell(&o, from) || o.code.n == from) {
			o.code.n = o.off.n = from;
			continue;
		}
		if (o.code.v[o.code.n - 1] != '\n')
			put(&o, '\n', w.srcs.v[c->src0 + c->nsrc - 1].e);
		struct span r = {from, k + 1};
		cl_vec_push(&regions, r);
	}
	free_walk(&w);
	if (!o.code.n) {
		cl_vec_free(&o.code);
		cl_vec_free(&o.off);
		cl_vec_free(&regions);
		return CL_NOTEBOOK_NO_CODE;
	}
	put(&o, 0, o.off.v[o.off.n - 1]);
	o.code.n--; /* the NUL stays after the view; offset[len] is its entry */
	nb->code = o.code.v;
	nb->len = o.code.n;
	nb->offset = o.off.v;
	size_t lines = 0;
	for (size_t i = 0; i < nb->len; i++)
		lines += nb->code[i] == '\n';
	nb->cell = xcalloc(lines + 1, sizeof *nb->cell);
	nb->cell_line = xcalloc(lines + 1, sizeof *nb->cell_line);
	nb->line_start = xcalloc(lines + 1, sizeof *nb->line_start);
	size_t line = 0, r = 0;
	for (size_t i = 0; i < nb->len; i++) {
		if (i == 0 || nb->code[i - 1] == '\n') {
			while (r + 1 < regions.n && regions.v[r + 1].s <= i)
				r++;
			nb->line_start[line] = (uint32_t)i;
			nb->cell[line] = (uint32_t)regions.v[r].e;
			nb->cell_line[line] = line && nb->cell[line - 1] == nb->cell[line] ?
				nb->cell_line[line - 1] + 1 : 1;
			line++;
		}
	}
	nb->nlines = line;
	cl_vec_free(&regions);
	return CL_NOTEBOOK_CODE;
}

void cl_notebook_finish(struct cl_notebook *nb)
{
	if (!nb)
		return;
	free(nb->code);
	free(nb->offset);
	free(nb->cell);
	free(nb->cell_line);
	free(nb->line_start);
	memset(nb, 0, sizeof *nb);
}

uint32_t cl_notebook_locate(const struct cl_notebook *nb, unsigned line, unsigned col,
	unsigned *cell, unsigned *cell_line)
{
	size_t li = line ? line - 1 : 0;
	if (li >= nb->nlines)
		li = nb->nlines - 1; /* nlines >= 1: a view is never empty */
	size_t end = li + 1 < nb->nlines ? nb->line_start[li + 1] : nb->len;
	size_t at = nb->line_start[li] + (col ? col - 1 : 0);
	if (at > end)
		at = end;
	*cell = nb->cell[li];
	*cell_line = nb->cell_line[li];
	return nb->offset[at];
}
