/*
 * litset.c — finds which of a set of literals occur in a text in one pass.
 * See litset.h.
 */
#include "scan/litset.h"

#include <stdlib.h>
#include <string.h>

#include "support/xalloc.h"

struct lit {
	unsigned char *b; /* CASELESS: folded to lower case */
	size_t n;
	size_t at;        /* its anchor pair starts here */
	unsigned key;     /* the anchor pair, folded: a << 8 | b */
	bool caseless;
};

struct cl_litset {
	CL_VEC(struct lit) v;
	uint32_t *by_key;             /* literal indices sorted by key */
	uint64_t bits[65536 / 64];    /* the anchor pairs as the text has them,
	                                 every case of a caseless one: a | b << 8 */
};

static unsigned fold(unsigned char c)
{
	return (unsigned)(c - 'A') < 26u ? (unsigned)(c | 0x20) : c;
}

int cl_byte_rarity(unsigned char c)
{
	/* source code's bytes, commonest first (letters in either case): its
	 * punctuation is as common as its letters */
	static const char common[] = " e\tt\nai.o(s)n,r_l=c\"d;u'p:m/f-h>g{b}y[w]v*k<x+j$q&z|!?#%@^~`\\";
	const char *p = c ? strchr(common, (int)fold(c)) : NULL;
	if (p)
		return (int)(p - common);
	return c >= '0' && c <= '9' ? 30 : 70;
}

struct cl_litset *cl_litset_create(void)
{
	return xcalloc(1, sizeof(struct cl_litset));
}

void cl_litset_destroy(struct cl_litset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->v.n; i++)
		free(s->v.v[i].b);
	cl_vec_free(&s->v);
	free(s->by_key);
	free(s);
}

size_t cl_litset_add(struct cl_litset *s, const char *lit, size_t n, bool caseless)
{
	struct lit l = {xmalloc(n), n, 0, 0, caseless};
	int best = -1;
	for (size_t i = 0; i < n; i++) {
		l.b[i] = caseless ? (unsigned char)fold((unsigned char)lit[i]) : (unsigned char)lit[i];
		int r = i + 1 < n ? cl_byte_rarity((unsigned char)lit[i]) + cl_byte_rarity((unsigned char)lit[i + 1]) : -1;
		if (r > best) {
			best = r;
			l.at = i;
		}
	}
	for (size_t k = 0; k < s->v.n; k++)
		if (s->v.v[k].n == n && s->v.v[k].caseless == caseless && !memcmp(s->v.v[k].b, l.b, n)) {
			free(l.b);
			return k;
		}
	l.key = fold(l.b[l.at]) << 8 | fold(l.b[l.at + 1]);
	cl_vec_push(&s->v, l);
	return s->v.n - 1;
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

void cl_litset_build(struct cl_litset *s)
{
	/* (key << 32 | index), sorted: the indices by key (sets are built on
	 * several threads at once, so no comparison reads shared state) */
	uint64_t *pairs = xcalloc(s->v.n + 1, sizeof *pairs);
	memset(s->bits, 0, sizeof s->bits);
	for (size_t i = 0; i < s->v.n; i++) {
		const struct lit *l = &s->v.v[i];
		pairs[i] = (uint64_t)l->key << 32 | i;
		for (unsigned v = 0; v < 4; v++) { /* the four cases of a caseless pair */
			unsigned a = l->b[l->at], b = l->b[l->at + 1];
			if (l->caseless && (v & 1) && a >= 'a' && a <= 'z')
				a -= 32;
			if (l->caseless && (v & 2) && b >= 'a' && b <= 'z')
				b -= 32;
			unsigned raw = a | b << 8;
			s->bits[raw >> 6] |= 1ull << (raw & 63);
		}
	}
	qsort(pairs, s->v.n, sizeof *pairs, by_key);
	free(s->by_key);
	s->by_key = xcalloc(s->v.n + 1, sizeof *s->by_key);
	for (size_t i = 0; i < s->v.n; i++)
		s->by_key[i] = (uint32_t)pairs[i];
	free(pairs);
}

size_t cl_litset_count(const struct cl_litset *s)
{
	return s->v.n;
}

size_t cl_litset_words(const struct cl_litset *s)
{
	return (s->v.n + 63) / 64;
}

static bool lit_at(const struct lit *l, const unsigned char *d, size_t len, size_t pos)
{
	if (pos < l->at || pos - l->at + l->n > len)
		return false;
	const unsigned char *p = d + pos - l->at;
	if (!l->caseless)
		return !memcmp(p, l->b, l->n);
	for (size_t k = 0; k < l->n; k++)
		if (fold(p[k]) != l->b[k])
			return false;
	return true;
}

void cl_litset_scan(const struct cl_litset *s, const char *text, size_t len, uint64_t *found)
{
	size_t words = cl_litset_words(s), left = s->v.n;
	memset(found, 0, words * sizeof *found);
	const unsigned char *d = (const unsigned char *)text;
	if (!left || len < 2)
		return;
	/* the anchors still looked for: a pair whose literals are all found
	 * leaves it, so a common one ("api") costs one verification, not one
	 * per occurrence */
	uint64_t bits[sizeof s->bits / sizeof *s->bits];
	memcpy(bits, s->bits, sizeof bits);
	for (size_t i = 0; i + 1 < len; i++) {
		unsigned raw = d[i] | (unsigned)d[i + 1] << 8;
		if (!(bits[raw >> 6] >> (raw & 63) & 1))
			continue;
		unsigned key = fold(d[i]) << 8 | fold(d[i + 1]);
		/* the literals anchored on KEY: a lower bound, then a walk */
		size_t lo = 0, hi = s->v.n;
		while (lo < hi) {
			size_t mid = (lo + hi) / 2;
			if (s->v.v[s->by_key[mid]].key < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		bool pending = false;
		for (; lo < s->v.n && s->v.v[s->by_key[lo]].key == key; lo++) {
			uint32_t k = s->by_key[lo];
			if (found[k / 64] >> (k % 64) & 1)
				continue;
			if (!lit_at(&s->v.v[k], d, len, i)) {
				pending = true;
				continue;
			}
			found[k / 64] |= 1ull << (k % 64);
			if (!--left)
				return;
		}
		if (!pending)
			bits[raw >> 6] &= ~(1ull << (raw & 63));
	}
}
