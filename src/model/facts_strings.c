/*
 * facts_strings.c — the text of strings being built: literals with their
 * escapes, f-strings and template literals, concatenations, and string
 * methods that keep their receiver's text (strip, format, join), and binary
 * operators on known values (numbers, paths joined with `/`, strings with
 * `+`). Parts that are imported names or parameters are remembered on the
 * value for project.c and the checks to resolve.
 */
#include "model/facts_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* ------------------------------------------------------------------------ */
/* Strings.                                                                 */

static void buf_add(struct ctx *c, char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap : 32);
		while (nc < *len + n + 1)
			nc *= 2;
		char *nb = cl_arena_alloc(c->A, nc);
		if (*len)
			memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

static void unescape_into(struct ctx *c, char **buf, size_t *len, size_t *cap, const char *s, size_t n, bool raw)
{
	size_t i = 0;
	while (i < n) {
		const char *bs = raw ? NULL : memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		buf_add(c, buf, len, cap, s + i, run);
		i += run;
		if (i >= n)
			break;
		/* a backslash escape */
		char e = i + 1 < n ? s[i + 1] : '\\';
		char out = e;
		switch (e) {
		case 'n': out = '\n'; break;
		case 't': out = '\t'; break;
		case 'r': out = '\r'; break;
		case '0': out = ' '; break;
		case '\n': i += 2; continue;
		default: break;
		}
		buf_add(c, buf, len, cap, &out, 1);
		i += 2;
	}
}


/* The decoded text of a string literal node; *PARTIAL when interpolations
 * could not all be resolved (their text is left out). */
static void add_item(struct ctx *c, struct cl_value *v, struct cl_value *item)
{
	struct cl_value **items = cl_arena_alloc(c->A, (v->nitems + 1) * sizeof *items);
	if (v->nitems)
		memcpy(items, v->items, v->nitems * sizeof *items);
	items[v->nitems++] = item;
	v->items = items;
}

/* What a part of a string being built brings to it (INTO may be NULL): its
 * taint, the file it was read from, its imported parts. False when the
 * part's text is unknown here. */
bool facts_string_part(struct ctx *c, struct cl_value *into, struct cl_value *v)
{
	if (!into)
		return v->kind == CL_V_STRING && !v->open;
	if (v->taint && !into->taint)
		into->taint = v->taint;
	if (v->file && !into->file)
		into->file = v->file;
	if (v->kind == CL_V_IMPORT && strchr(v->name, '('))
		return false; /* a call's result: its text is not known here */
	if (v->kind == CL_V_IMPORT) {
		add_item(c, into, v);
		return true;
	}
	if (v->param) { /* a parameter: its callers may tell */
		add_item(c, into, v);
		return false;
	}
	if (v->kind != CL_V_STRING)
		return false;
	for (size_t i = 0; i < v->nitems; i++)
		add_item(c, into, v->items[i]);
	return !v->open || v->open_imports;
}

const char *facts_string_eval(struct ctx *c, TSNode n, bool *partial, struct cl_value *into, int depth)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	buf_add(c, &buf, &len, &cap, "", 0);
	if (sym_is(c, n, SYM_CONCATENATED_STRING)) {
		uint32_t k = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < k; i++) {
			const char *s = facts_string_eval(c, ts_node_named_child(n, i), partial, into, depth);
			buf_add(c, &buf, &len, &cap, s, strlen(s));
		}
		return buf;
	}
	const char *src = c->src->data;
	bool py = c->py;
	bool raw = false;
	uint32_t k = ts_node_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_child(n, i);
		uint32_t s = ts_node_start_byte(ch), e = ts_node_end_byte(ch);
		if (py && sym_is(c, ch, SYM_STRING_START)) {
			for (uint32_t j = s; j < e; j++)
				if (src[j] == 'r' || src[j] == 'R')
					raw = true;
		} else if (sym_is(c, ch, SYM_STRING_CONTENT) || sym_is(c, ch, SYM_STRING_FRAGMENT) ||
			   sym_is(c, ch, SYM_ESCAPE_SEQUENCE)) {
			/* Python string_content may hold escape_sequence and interpolation
			 * children of its own: walk it for interpolations. */
			uint32_t kk = ts_node_named_child_count(ch);
			uint32_t pos = s;
			for (uint32_t j = 0; j < kk; j++) {
				TSNode g = ts_node_named_child(ch, j);
				if (sym_is(c, g, SYM_INTERPOLATION)) {
					unescape_into(c, &buf, &len, &cap, src + pos, ts_node_start_byte(g) - pos, raw);
					struct cl_value *v = facts_eval(c, ts_node_named_child(g, 0), depth + 1);
					if (!facts_string_part(c, into, v))
						*partial = true;
					if (v->kind == CL_V_STRING)
						buf_add(c, &buf, &len, &cap, v->str, v->len);
					pos = ts_node_end_byte(g);
				}
			}
			unescape_into(c, &buf, &len, &cap, src + pos, e - pos, raw);
		} else if (sym_is(c, ch, SYM_INTERPOLATION) || sym_is(c, ch, SYM_TEMPLATE_SUBSTITUTION)) {
			TSNode inner = ts_node_named_child(ch, 0);
			struct cl_value *v = ts_node_is_null(inner) ? NULL : facts_eval(c, inner, depth + 1);
			if (v && v->kind == CL_V_NUMBER) {
				char num[64];
				snprintf(num, sizeof num, "%g", v->num);
				buf_add(c, &buf, &len, &cap, num, strlen(num));
				continue;
			}
			if (!v || !facts_string_part(c, into, v))
				*partial = true;
			if (v && v->kind == CL_V_STRING)
				buf_add(c, &buf, &len, &cap, v->str, v->len);
		}
	}
	return buf;
}

const char *facts_string_content(struct ctx *c, TSNode n, bool *partial)
{
	return facts_string_eval(c, n, partial, NULL, EVAL_DEPTH - 2);
}

/* A string method that keeps the receiver's text (more or less): strip,
 * format, replace ... The result is at least as long as the receiver's
 * known text, minus what a strip removes. */
struct cl_value *facts_string_method(struct ctx *c, TSNode n, struct cl_value *recv, const char *m,
	struct args *a)
{
	static const char *const same[] = {"strip", "lstrip", "rstrip", "trim", "trimStart", "trimEnd",
		"lower", "upper", "toLowerCase", "toUpperCase", "encode", "decode", "normalize", NULL};
	static const char *const grows[] = {"format", "format_map", "replace", "replaceAll", "substitute",
		"safe_substitute", "concat", NULL};
	if (recv->kind == CL_V_STRING && facts_name_in(m, same))
		return recv;
	if (recv->kind == CL_V_STRING && facts_name_in(m, grows)) {
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		v->str = recv->str;
		v->len = recv->len;
		v->open = true;
		v->file = recv->file;
		return v;
	}
	if (!strcmp(m, "join")) {
		/* "\n".join(parts) / parts.join("\n") */
		struct cl_value *sep = c->py ? recv : (a->npos ? a->pos[0] : NULL);
		struct cl_value *list = c->py ? (a->npos ? a->pos[0] : NULL) : recv;
		if (!list || list->kind != CL_V_ARRAY)
			return NULL;
		char *buf = NULL;
		size_t len = 0, cap = 0;
		bool open = !sep || sep->kind != CL_V_STRING;
		buf_add(c, &buf, &len, &cap, "", 0);
		for (size_t i = 0; i < list->nitems; i++) {
			struct cl_value *it = list->items[i];
			if (i && sep && sep->kind == CL_V_STRING)
				buf_add(c, &buf, &len, &cap, sep->str, sep->len);
			if (it->kind == CL_V_STRING)
				buf_add(c, &buf, &len, &cap, it->str, it->len);
			if (it->kind != CL_V_STRING || it->open)
				open = true;
		}
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		v->str = buf;
		v->len = len;
		v->open = open;
		return v;
	}
	return NULL;
}

/* ------------------------------------------------------------------------ */
/* Operators.                                                               */

/* A O B for numbers, paths and strings (request data aside: eval_binary
 * and facts_concat add it); anything else is unknown. */
struct cl_value *facts_binary_value(struct ctx *c, TSNode n, const char *o,
	struct cl_value *a, struct cl_value *b)
{
	if (a->kind == CL_V_NUMBER && b->kind == CL_V_NUMBER) {
		struct cl_value *v = new_value(c, CL_V_NUMBER, n);
		switch (o[0]) {
		case '+': v->num = a->num + b->num; break;
		case '-': v->num = a->num - b->num; break;
		case '*': v->num = o[1] == '*' ? pow(a->num, b->num) : a->num * b->num; break;
		case '/': v->num = b->num != 0 ? a->num / b->num : INFINITY; break;
		default: return unknown(c, n);
		}
		return v;
	}
	if (!strcmp(o, "/") && a->kind == CL_V_PATH)
		return facts_path_join_value(c, n, a, b);
	if (!strcmp(o, "+") && (a->kind == CL_V_STRING || b->kind == CL_V_STRING)) {
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		const char *sa = a->kind == CL_V_STRING ? a->str : "";
		const char *sb = b->kind == CL_V_STRING ? b->str : "";
		size_t la = a->kind == CL_V_STRING ? a->len : 0, lb = b->kind == CL_V_STRING ? b->len : 0;
		char *s = cl_arena_alloc(c->A, la + lb + 1);
		memcpy(s, sa, la);
		memcpy(s + la, sb, lb);
		v->str = s;
		v->len = la + lb;
		bool ka = facts_string_part(c, v, a), kb = facts_string_part(c, v, b); /* both: each notes its part */
		bool known = ka && kb;
		v->open = !known || v->nitems;
		v->open_imports = known && v->nitems;
		return v;
	}
	if (!strcmp(o, "%") && a->kind == CL_V_STRING) {
		/* "…%s…" % args: at least the template's text */
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		v->str = a->str;
		v->len = a->len;
		v->open = true;
		return v;
	}
	return unknown(c, n);
}

/* A + B, derived from request data when either is. */
struct cl_value *facts_concat(struct ctx *c, TSNode n, struct cl_value *a, struct cl_value *b)
{
	return facts_taint_with(c, facts_binary_value(c, n, "+", a, b), a->taint ? a->taint : b->taint);
}
