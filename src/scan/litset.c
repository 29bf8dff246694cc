/*
 * litset.c — finds which of a set of literals occur in a text in one pass.
 * See litset.h.
 */
#include "scan/litset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "support/xalloc.h"

struct lit {
	unsigned char *b; /* CASELESS: folded to lower case */
	size_t n;
	size_t at;        /* its anchor: the byte pairs at AT and AT + 1 */
	bool caseless;
};

/* One of a literal's two anchor pairs: the pair (folded: a << 8 | b) that
 * starts OFF bytes into literal LIT. */
struct anchor {
	unsigned key;
	uint32_t lit;
	uint32_t off;
};

struct cl_litset {
	CL_VEC(struct lit) v;
	struct anchor *anchors;       /* two per literal, sorted by key */
	uint64_t bits[65536 / 64];    /* the anchor pairs as the text has them,
	                                 every case of a caseless one: a | b << 8 */
	uint64_t triples[65536 / 64]; /* each literal's anchor bytes (the three of
	                                 its two pairs), folded and hashed */
	const struct cl_pairfreq *freq;
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

void cl_pairfreq_add(struct cl_pairfreq *f, const char *text, size_t len)
{
	const unsigned char *d = (const unsigned char *)text;
	for (size_t i = 0; i + 1 < len; i++)
		f->n[d[i] | (unsigned)d[i + 1] << 8]++;
	f->sampled += len;
}

struct cl_litset *cl_litset_create_freq(const struct cl_pairfreq *freq)
{
	struct cl_litset *s = xcalloc(1, sizeof(struct cl_litset));
	s->freq = freq;
	return s;
}

struct cl_litset *cl_litset_create(void)
{
	return cl_litset_create_freq(NULL);
}

/* How often the folded pair at P occurs in the sampled texts, in every case
 * CASELESS allows. */
static uint64_t pair_count(const struct cl_pairfreq *f, const unsigned char *p, bool caseless)
{
	uint64_t sum = 0;
	for (unsigned v = 0; v < 4; v++) {
		unsigned a = p[0], b = p[1];
		if ((v & 1) && (!caseless || a < 'a' || a > 'z'))
			continue;
		if ((v & 2) && (!caseless || b < 'a' || b > 'z'))
			continue;
		a -= (v & 1) ? 32 : 0;
		b -= (v & 2) ? 32 : 0;
		sum += f->n[a | b << 8];
	}
	return sum;
}

void cl_litset_destroy(struct cl_litset *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->v.n; i++)
		free(s->v.v[i].b);
	cl_vec_free(&s->v);
	free(s->anchors);
	free(s);
}

size_t cl_litset_add(struct cl_litset *s, const char *lit, size_t n, bool caseless)
{
	if (n < 3) {
		fputs("claudit: internal error: a literal of the literal pass is under 3 bytes\n", stderr);
		abort();
	}
	struct lit l = {xmalloc(n), n, 0, caseless};
	int best = -1;
	uint64_t fewest = UINT64_MAX;
	for (size_t i = 0; i < n; i++)
		l.b[i] = caseless ? (unsigned char)fold((unsigned char)lit[i]) : (unsigned char)lit[i];
	/* the two overlapping pairs the sampled texts hold least often together,
	 * then those whose commoner one is rarest by byte */
	for (size_t i = 0; i + 2 < n; i++) {
		int x = cl_byte_rarity(l.b[i]), y = cl_byte_rarity(l.b[i + 1]), z = cl_byte_rarity(l.b[i + 2]);
		int r = x + y < y + z ? x + y : y + z;
		uint64_t c = s->freq ? pair_count(s->freq, l.b + i, caseless) + pair_count(s->freq, l.b + i + 1, caseless) : 0;
		if (c < fewest || (c == fewest && r > best)) {
			fewest = c;
			best = r;
			l.at = i;
		}
	}
	for (size_t k = 0; k < s->v.n; k++)
		if (s->v.v[k].n == n && s->v.v[k].caseless == caseless && !memcmp(s->v.v[k].b, l.b, n)) {
			free(l.b);
			return k;
		}
	cl_vec_push(&s->v, l);
	return s->v.n - 1;
}

/* The hash of three bytes, folded: the second stage of the pass's filter. */
static unsigned triple(unsigned char a, unsigned char b, unsigned char c)
{
	uint32_t x = fold(a) | fold(b) << 8 | fold(c) << 16;
	return (x * 2654435761u) >> 16;
}

static int by_key(const void *a, const void *b)
{
	const struct anchor *x = a, *y = b;
	if (x->key != y->key)
		return (x->key > y->key) - (x->key < y->key);
	return x->lit != y->lit ? (x->lit > y->lit) - (x->lit < y->lit) : (x->off > y->off) - (x->off < y->off);
}

/* Sets the bits of the pair at P in every case CASELESS allows. */
static void set_pair(uint64_t *bits, const unsigned char *p, bool caseless)
{
	for (unsigned v = 0; v < 4; v++) {
		unsigned a = p[0], b = p[1];
		if (caseless && (v & 1) && a >= 'a' && a <= 'z')
			a -= 32;
		if (caseless && (v & 2) && b >= 'a' && b <= 'z')
			b -= 32;
		bits[(a | b << 8) >> 6] |= 1ull << ((a | b << 8) & 63);
	}
}

void cl_litset_build(struct cl_litset *s)
{
	free(s->anchors);
	s->anchors = xcalloc(2 * s->v.n + 1, sizeof *s->anchors);
	memset(s->bits, 0, sizeof s->bits);
	memset(s->triples, 0, sizeof s->triples);
	for (size_t i = 0; i < s->v.n; i++) {
		const struct lit *l = &s->v.v[i];
		unsigned h = triple(l->b[l->at], l->b[l->at + 1], l->b[l->at + 2]);
		s->triples[h >> 6] |= 1ull << (h & 63);
		for (uint32_t k = 0; k < 2; k++) {
			const unsigned char *p = l->b + l->at + k;
			s->anchors[2 * i + k] = (struct anchor){fold(p[0]) << 8 | fold(p[1]), (uint32_t)i,
				(uint32_t)l->at + k};
			set_pair(s->bits, p, l->caseless);
		}
	}
	qsort(s->anchors, 2 * s->v.n, sizeof *s->anchors, by_key);
}

size_t cl_litset_count(const struct cl_litset *s)
{
	return s->v.n;
}

size_t cl_litset_words(const struct cl_litset *s)
{
	return (s->v.n + 63) / 64;
}

/* Does literal L start at byte START of D[0, LEN)? */
static bool lit_at(const struct lit *l, const unsigned char *d, size_t len, size_t start)
{
	if (start + l->n > len)
		return false;
	const unsigned char *p = d + start;
	if (!l->caseless)
		return !memcmp(p, l->b, l->n);
	for (size_t k = 0; k < l->n; k++)
		if (fold(p[k]) != l->b[k])
			return false;
	return true;
}

/* Can a literal have its anchor pair at I of D[0, LEN)? Its anchor bytes
 * start at I (the first pair) or at I - 1 (the second): only if the triple
 * there is one of the literals'. */
static inline bool triple_at(const struct cl_litset *s, const unsigned char *d, size_t len, size_t i)
{
	unsigned h;
	if (i + 2 < len && (h = triple(d[i], d[i + 1], d[i + 2]), s->triples[h >> 6] >> (h & 63) & 1))
		return true;
	return i && (h = triple(d[i - 1], d[i], d[i + 1]), s->triples[h >> 6] >> (h & 63) & 1);
}

/* The anchors at the pair RAW (the text's bytes: d[i] | d[i + 1] << 8)
 * that starts at even offset I: verifies their literals, sets FOUND's bits,
 * and takes the pair out of BITS when none of its literals is left to find.
 * Returns how many literals are still to find. Out of line, so that the
 * pass's loop keeps its few values in registers. */
__attribute__((noinline)) static size_t at_pair(const struct cl_litset *s, const unsigned char *d, size_t len,
	size_t i, unsigned raw, uint64_t *bits, uint64_t *found, size_t left)
{
	unsigned key = fold((unsigned char)raw) << 8 | fold((unsigned char)(raw >> 8));
	size_t lo = 0, hi = 2 * s->v.n, na = hi;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->anchors[mid].key < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	bool pending = false;
	for (; lo < na && s->anchors[lo].key == key; lo++) {
		const struct anchor *a = &s->anchors[lo];
		if (found[a->lit / 64] >> (a->lit % 64) & 1)
			continue;
		if (i < a->off || !lit_at(&s->v.v[a->lit], d, len, i - a->off)) {
			pending = true;
			continue;
		}
		found[a->lit / 64] |= 1ull << (a->lit % 64);
		if (!--left)
			return 0;
	}
	if (!pending)
		bits[raw >> 6] &= ~(1ull << (raw & 63));
	return left;
}

/* Every literal holds two overlapping anchor pairs, one of which starts at
 * an even offset of the text wherever the literal occurs: the pass tests
 * only the pairs at even offsets, four from each 8 bytes it loads. */
void cl_litset_scan(const struct cl_litset *s, const char *text, size_t len, uint64_t *found)
{
	size_t words = cl_litset_words(s), left = s->v.n;
	memset(found, 0, words * sizeof *found);
	const unsigned char *d = (const unsigned char *)text;
	if (!left || len < 3)
		return;
	/* the pairs still looked for: a pair whose literals are all found
	 * leaves it, so a common one costs one verification, not one per
	 * occurrence */
	uint64_t bits[sizeof s->bits / sizeof *s->bits];
	memcpy(bits, s->bits, sizeof bits);
#define HIT(raw) (bits[(raw) >> 6] >> ((raw) & 63) & 1)
#define ANCHOR(raw, i) (HIT(raw) && triple_at(s, d, len, i))
	size_t i = 0;
#if defined __BYTE_ORDER__ && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, d + i, 8);
		unsigned r0 = (unsigned)w & 0xffff, r1 = (unsigned)(w >> 16) & 0xffff;
		unsigned r2 = (unsigned)(w >> 32) & 0xffff, r3 = (unsigned)(w >> 48);
		uint64_t m = HIT(r0) | HIT(r1) << 1 | HIT(r2) << 2 | HIT(r3) << 3;
		while (m) {
			unsigned k = (unsigned)__builtin_ctzll(m), raw = (unsigned)(w >> 16 * k) & 0xffff;
			m &= m - 1;
			if (triple_at(s, d, len, i + 2 * k) && !(left = at_pair(s, d, len, i + 2 * k, raw, bits, found, left)))
				return;
		}
	}
#endif
	for (; i + 1 < len; i += 2) {
		unsigned raw = d[i] | (unsigned)d[i + 1] << 8;
		if (ANCHOR(raw, i) && !(left = at_pair(s, d, len, i, raw, bits, found, left)))
			return;
	}
#undef ANCHOR
#undef HIT
}
