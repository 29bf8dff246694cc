/*
 * litset.h — which of a fixed set of literals occur in a text, in one pass
 * over its bytes: each literal is anchored on two overlapping pairs of its
 * bytes, one of which starts at an even offset wherever it occurs; the pass
 * tests every other pair of the text against a bitmap of the anchors (in
 * every case a caseless one allows) and verifies a literal only where an
 * anchor occurs. A set is built by one thread, then read-only. Owns nothing
 * global.
 */
#ifndef CL_LITSET_H
#define CL_LITSET_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cl_litset;

/* How often each byte pair (a | b << 8, as the text has it) occurred in a
 * sample of the texts a thread scans: what picks a literal's anchors once
 * known (a pair the texts are full of costs one verification per
 * occurrence). Only the speed of a pass depends on it, never its result. */
struct cl_pairfreq {
	uint32_t n[65536];
	size_t sampled;    /* bytes counted so far */
};

/* Counts the pairs of TEXT[0, LEN) into F (LEN is the caller's sample). */
void cl_pairfreq_add(struct cl_pairfreq *f, const char *text, size_t len);

/* FREQ (may be NULL: byte rarity alone) must outlive the set; it is read
 * by cl_litset_add only. */
struct cl_litset *cl_litset_create_freq(const struct cl_pairfreq *freq);
struct cl_litset *cl_litset_create(void);
void cl_litset_destroy(struct cl_litset *s);

/* Adds the N bytes at LIT (N >= 3; CASELESS: ASCII letters match either
 * case) and returns its index; a literal added before returns its index. */
size_t cl_litset_add(struct cl_litset *s, const char *lit, size_t n, bool caseless);

/* Ends the adding: builds the anchors. */
void cl_litset_build(struct cl_litset *s);

size_t cl_litset_count(const struct cl_litset *s);

/* Sets bit K of FOUND (cl_litset_words(S) words, cleared here) for each
 * literal K that occurs in TEXT[0, LEN). */
size_t cl_litset_words(const struct cl_litset *s);
void cl_litset_scan(const struct cl_litset *s, const char *text, size_t len, uint64_t *found);

/* How rare byte C is in source code, 0 for the commonest (space, e, t ...):
 * what picks a literal's anchor pair. */
int cl_byte_rarity(unsigned char c);

#endif
