/*
 * reqlit.c — the literals every match of a regular expression contains,
 * read from its PCRE2 source. See reqlit.h.
 *
 * Each part of the pattern yields either "nothing known" or a set of
 * literals one of which its every match contains. A sequence keeps its best
 * requirement (a run of literal bytes, or a group that must match), an
 * alternation the union of its branches' (nothing known when one branch has
 * none). Optional parts, classes, '.', assertions and lookarounds end a run.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules/reqlit.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* A set of literals one of which every match contains; ANY: none known. */
struct req {
	bool any;
	cl_reqlits v;
};

struct parser {
	const unsigned char *p, *end;
	bool bail; /* a construct it does not read: nothing is known */
};

/* The bytes of a literal run being read, and whether any is caseless. */
struct run {
	CL_VEC(char) b;
	bool caseless;
};

enum atom { A_LIT, A_GROUP, A_OTHER, A_ZERO };

void cl_reqlit_free(cl_reqlits *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i].s);
	cl_vec_free(l);
}

static size_t min_len(const struct req *r)
{
	size_t m = SIZE_MAX;
	for (size_t i = 0; i < r->v.n; i++)
		if (r->v.v[i].n < m)
			m = r->v.v[i].n;
	return m;
}

/* How selective a requirement is likely to be: its shortest literal's
 * length, less one for each literal of a set of several (each is one more
 * way for an unrelated text to pass: "litellm." says more than
 * "success_callback" or "callbacks"); under 3 bytes, next to nothing. */
static long score(const struct req *r)
{
	long m = (long)min_len(r);
	if (m < 3)
		return m - 1000; /* too short to gate anything: any other first */
	return m - (r->v.n > 1 ? (long)r->v.n : 0);
}

/* Keeps CAND in *BEST when it says more (a higher score, then fewer
 * literals); frees the one not kept. */
static void consider(struct req *best, struct req *cand)
{
	bool better = !cand->any && (best->any || score(cand) > score(best) ||
		(score(cand) == score(best) && cand->v.n < best->v.n));
	if (better) {
		cl_reqlit_free(&best->v);
		*best = *cand;
	} else {
		cl_reqlit_free(&cand->v);
	}
	memset(cand, 0, sizeof *cand);
	cand->any = true;
}

static void end_run(struct run *r, struct req *best)
{
	if (!r->b.n)
		return;
	struct cl_reqlit l = {xmalloc(r->b.n), r->b.n, r->caseless};
	memcpy(l.s, r->b.v, r->b.n);
	struct req cand = {false, {0}};
	cl_vec_push(&cand.v, l);
	consider(best, &cand);
	r->b.n = 0;
	r->caseless = false;
}

static bool is_alpha(unsigned c)
{
	return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

static bool is_digit(unsigned c)
{
	return c >= '0' && c <= '9';
}

/* Moves past the byte C at the parser's position, or bails. */
static void skip_to(struct parser *ps, unsigned char c)
{
	while (ps->p < ps->end && *ps->p != c)
		ps->p++;
	if (ps->p == ps->end)
		ps->bail = true;
	else
		ps->p++;
}

/* A bracket expression at '['. */
static void skip_class(struct parser *ps)
{
	const unsigned char *p = ps->p + 1, *end = ps->end;
	if (p < end && *p == '^')
		p++;
	if (p < end && *p == ']')
		p++;
	while (p < end && *p != ']') {
		if (*p == '\\')
			p++;
		else if (*p == '[' && p + 1 < end && p[1] == ':') {
			const unsigned char *q = p + 2;
			while (q + 1 < end && !(q[0] == ':' && q[1] == ']'))
				q++;
			if (q + 1 < end)
				p = q + 1;
		}
		p++;
	}
	if (p >= end)
		ps->bail = true;
	ps->p = p + 1;
}

/* An escape at '\\': a literal byte in *C (A_LIT), or its kind. */
static enum atom escape(struct parser *ps, unsigned char *c)
{
	const unsigned char *p = ps->p;
	if (p + 1 >= ps->end) {
		ps->bail = true;
		return A_OTHER;
	}
	unsigned char e = p[1];
	ps->p = p + 2;
	static const char ctl[] = "t\tn\nr\rf\fe\033a\007";
	const char *k = strchr(ctl, e);
	if (!is_alpha(e) && !is_digit(e)) {
		*c = e;
		return A_LIT;
	}
	if (k && (k - ctl) % 2 == 0) {
		*c = (unsigned char)k[1];
		return A_LIT;
	}
	if (strchr("bBAzZGK", e))
		return A_ZERO;
	if (strchr("dDwWsShHvVRX", e))
		return A_OTHER;
	if (e == 'p' || e == 'P' || e == 'x') {
		if (ps->p < ps->end && *ps->p == '{')
			skip_to(ps, '}');
		else if (e == 'x')
			for (int i = 0; i < 2 && ps->p < ps->end && strchr("0123456789abcdefABCDEF", *ps->p); i++)
				ps->p++;
		else if (ps->p < ps->end)
			ps->p++;
		return A_OTHER;
	}
	ps->bail = true; /* back-references, \Q, \c, \o, \N, \g, \k ... */
	return A_OTHER;
}

/* A quantifier after an atom, if any: its minimum in *MIN; false if none. */
static bool quantifier(struct parser *ps, unsigned *min)
{
	const unsigned char *p = ps->p, *end = ps->end;
	if (p >= end)
		return false;
	if (*p == '?' || *p == '*' || *p == '+') {
		*min = *p == '+';
		p++;
	} else if (*p == '{') {
		/* "{n}", "{n,}", "{n,m}"; PCRE2 10.43 also reads "{,m}" and spaces
		 * inside ("{ 2 }") where older versions see literal text: bail */
		const unsigned char *q = p + 1;
		bool digit = false, odd = q < end && *q == ',';
		while (q < end && (is_digit(*q) || *q == ',' || *q == ' ' || *q == '\t')) {
			digit |= is_digit(*q);
			odd |= *q == ' ' || *q == '\t';
			q++;
		}
		if (q >= end || *q != '}' || !digit)
			return false; /* a literal '{' */
		if (odd) {
			ps->bail = true;
			return false;
		}
		unsigned n = 0;
		for (q = p + 1; is_digit(*q); q++)
			n = n > 100000 ? n : n * 10 + (*q - '0');
		if (*q == ',')
			for (q++; is_digit(*q); q++)
				;
		if (*q != '}') {
			ps->bail = true; /* two commas */
			return false;
		}
		*min = n;
		p = q + 1;
	} else {
		return false;
	}
	if (p < end && (*p == '?' || *p == '+'))
		p++;
	ps->p = p;
	return true;
}

static void parse_alt(struct parser *ps, bool *caseless, struct req *out);

/* Inline options at P (after "(?"): applies 'i' to *CI; false for one it
 * does not read. */
static bool options(struct parser *ps, bool *ci)
{
	bool on = true;
	for (; ps->p < ps->end && *ps->p != ')' && *ps->p != ':'; ps->p++) {
		unsigned char c = *ps->p;
		if (c == '-')
			on = false;
		else if (c == '^' && on)
			*ci = false;
		else if (c == 'i')
			*ci = on;
		else if (!strchr("mnsJU", c))
			return false; /* x (extended) and anything newer */
	}
	return ps->p < ps->end;
}

/* A group at '(': A_GROUP with its requirement in *R, or A_ZERO for a
 * lookaround, a comment or an option setting (which changes *CASELESS). */
static enum atom group(struct parser *ps, bool *caseless, struct req *r)
{
	const unsigned char *p = ++ps->p, *end = ps->end;
	bool ci = *caseless, zero = false;
	if (p < end && *p == '*') {
		ps->bail = true; /* a verb, (*UTF) ... */
		return A_OTHER;
	}
	if (p < end && *p == '?') {
		ps->p = ++p;
		unsigned char c = p < end ? *p : 0, d = p + 1 < end ? p[1] : 0;
		if (c == ':' || c == '>' || c == '|') {
			ps->p++;
		} else if (c == '=' || c == '!') {
			ps->p++;
			zero = true;
		} else if (c == '<' && (d == '=' || d == '!')) {
			ps->p += 2;
			zero = true;
		} else if (c == '<' || (c == 'P' && d == '<')) {
			skip_to(ps, '>');
		} else if (c == '\'') {
			ps->p++;
			skip_to(ps, '\'');
		} else if (c == '#') {
			skip_to(ps, ')');
			return A_ZERO;
		} else if (!options(ps, &ci)) {
			ps->bail = true;
			return A_OTHER;
		} else if (*ps->p == ')') {
			ps->p++;
			*caseless = ci; /* for the rest of the enclosing group */
			return A_ZERO;
		} else {
			ps->p++; /* (?i:...) */
		}
	}
	if (ps->bail)
		return A_OTHER;
	parse_alt(ps, &ci, r);
	if (ps->p >= ps->end || *ps->p != ')') {
		ps->bail = true;
		return A_OTHER;
	}
	ps->p++;
	return zero ? A_ZERO : A_GROUP;
}

/* One branch, up to '|', ')' or the end: its best requirement in *BEST. */
static void parse_seq(struct parser *ps, bool *caseless, struct req *best)
{
	struct run run = {{0}, false};
	memset(best, 0, sizeof *best);
	best->any = true;
	while (ps->p < ps->end && !ps->bail && *ps->p != '|' && *ps->p != ')') {
		unsigned char c = *ps->p;
		struct req sub = {true, {0}};
		enum atom a = A_LIT;
		switch (c) {
		case '(':
			a = group(ps, caseless, &sub);
			break;
		case '[':
			skip_class(ps);
			a = A_OTHER;
			break;
		case '\\':
			a = escape(ps, &c);
			break;
		case '.':
			ps->p++;
			a = A_OTHER;
			break;
		case '^':
		case '$':
			ps->p++;
			a = A_ZERO;
			break;
		case '*':
		case '+':
		case '?':
			ps->bail = true;
			break;
		default:
			ps->p++;
			break;
		}
		if (a == A_LIT && *caseless && c >= 0x80)
			a = A_OTHER; /* caseless outside ASCII: not read */
		unsigned min = 1;
		bool quant = quantifier(ps, &min);
		if (a == A_LIT && min > 0) {
			cl_vec_push(&run.b, (char)c);
			run.caseless |= *caseless && is_alpha(c);
		}
		if (a != A_LIT || quant)
			end_run(&run, best);
		if (a == A_GROUP && min > 0)
			consider(best, &sub);
		else
			cl_reqlit_free(&sub.v);
	}
	end_run(&run, best);
	cl_vec_free(&run.b);
}

static void parse_alt(struct parser *ps, bool *caseless, struct req *out)
{
	out->any = false;
	memset(&out->v, 0, sizeof out->v);
	for (;;) {
		struct req b;
		parse_seq(ps, caseless, &b);
		if (b.any || out->any) {
			out->any = true;
			cl_reqlit_free(&b.v);
		} else {
			for (size_t i = 0; i < b.v.n; i++)
				cl_vec_push(&out->v, b.v.v[i]);
			cl_vec_free(&b.v);
		}
		if (ps->bail || ps->p >= ps->end || *ps->p != '|')
			break;
		ps->p++;
	}
	if (out->any)
		cl_reqlit_free(&out->v);
}

bool cl_reqlit_derive(const char *pattern, uint32_t flags, size_t min, cl_reqlits *out)
{
	memset(out, 0, sizeof *out);
	if (flags & ~(uint32_t)(PCRE2_MULTILINE | PCRE2_DOTALL | PCRE2_CASELESS))
		return false;
	struct parser ps = {(const unsigned char *)pattern, (const unsigned char *)pattern + strlen(pattern), false};
	bool ci = flags & PCRE2_CASELESS;
	struct req r;
	parse_alt(&ps, &ci, &r);
	if (ps.bail || ps.p != ps.end || r.any || min_len(&r) < min) {
		cl_reqlit_free(&r.v);
		return false;
	}
	*out = r.v;
	return true;
}
