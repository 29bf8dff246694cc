/*
 * patterns.c — compiles rule-data patterns once, at load; matches them with
 * per-thread match data. See patterns.h.
 *
 * A pattern whose every match holds one of a few literals (reqlit.h) is
 * gated on them in the texts the scan registers (a file's bytes): one pass
 * over the text finds which literals occur (litset.h), and PCRE2 runs only
 * for a pattern one of whose literals does. The pass looks for the literals
 * of the patterns this thread has matched in registered texts of the same
 * kind before (most patterns only ever see names and short strings, and a
 * Python file meets other patterns than a Terraform one: other literals
 * would only slow the pass): a pattern new to the thread and kind runs
 * ungated in the text at hand and joins their set from the next text on.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules/patterns.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_ids.h"
#include "rules/reqlit.h"
#include "scan/litset.h"
#include "support/utf8.h"
#include "support/xalloc.h"

/* A gate of fewer bytes, or of more literals, costs more than it saves. */
#define GATE_MIN_LEN 3
#define GATE_MAX_LITS 64

struct cl_pattern {
	pcre2_code *code;
	size_t id;        /* its index in P.all */
	cl_reqlits lits;  /* its gate; none: no gate */
};

struct named {
	int item;
	const char *key;
	const struct cl_pattern *p;
};

/* Texts of one kind (a hash of the name cl_patterns_text_begin is given). */
#define GATE_KINDS 32

/* The gated patterns a thread matched in registered texts of one kind so far
 * (by id: where their literals' indices start in LIT_IDX, -1 if not in the
 * set), and their literals found in the text at hand. */
struct gate_set {
	unsigned gen;             /* the watched groups it holds (P.watch_gen) */
	uint32_t *watched;        /* the watched literals' indices in SET */
	long *first;
	CL_VEC(uint32_t) lit_idx;
	bool stale;               /* a pattern joined: rebuild SET */
	struct cl_litset *set;
	uint64_t *found;
};

/* A thread's match data, big enough for every pattern's captures; the text
 * it registered (cl_patterns_text_begin) and its kind's gate set. */
struct thread_md {
	pcre2_match_data *md;
	uint32_t pairs;
	const char *text;
	size_t text_len;
	bool scanned;
	struct gate_set *cur;
	struct gate_set kinds[GATE_KINDS];
	struct cl_pairfreq *freq; /* the byte pairs of the texts sampled so far */
};

/* The sample of a thread's texts that picks its literals' anchors: the first
 * SAMPLE_TEXT bytes of each, up to SAMPLE_MAX bytes; the sets are built
 * again once each time the sample doubles past SAMPLE_FIRST. */
#define SAMPLE_TEXT (64u << 10)
#define SAMPLE_FIRST (128u << 10)
#define SAMPLE_MAX (4u << 20)

static struct {
	CL_VEC(struct cl_pattern *) all;
	CL_VEC(struct named) names;
	bool frozen;
	uint32_t pairs;               /* the most capture pairs of any pattern, + 1 */
	pcre2_match_context *mctx;    /* a match limit: no pattern runs away on odd input */
	pthread_key_t key;
	bool have_key;
	bool gates_off;
	cl_reqlits watch;             /* the watched literals, group after group */
	CL_VEC(size_t) watch_start;   /* where each group starts in WATCH, + its end */
	unsigned watch_gen;           /* bumped by each new group */
} P;

static void free_thread_md(void *v)
{
	struct thread_md *t = v;
	if (!t)
		return;
	pcre2_match_data_free(t->md);
	for (int k = 0; k < GATE_KINDS; k++) {
		struct gate_set *g = &t->kinds[k];
		free(g->first);
		free(g->watched);
		cl_vec_free(&g->lit_idx);
		cl_litset_destroy(g->set);
		free(g->found);
	}
	free(t->freq);
	free(t);
}

/* P's gate: the literals one of which its every match (of RE, compiled with
 * FLAGS) holds, if known and worth it. */
static void gate(struct cl_pattern *p, const char *re, uint32_t flags)
{
	if (cl_reqlit_derive(re, flags, GATE_MIN_LEN, &p->lits) && p->lits.n > GATE_MAX_LITS)
		cl_reqlit_free(&p->lits);
}

const struct cl_pattern *cl_patterns_compile(const char *where, const char *const *alts, size_t n,
	uint32_t flags, char **err)
{
	if (P.frozen) {
		fprintf(stderr, "claudit: internal error: pattern %s compiled after load\n", where);
		abort();
	}
	if (!n)
		return NULL;
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(alts[i]) + 6;
	char *re = xmalloc(len);
	size_t used = 0;
	for (size_t i = 0; i < n; i++)
		used += (size_t)snprintf(re + used, len - used, "%s(?:%s)", i ? "|" : "", alts[i]);
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, flags, &code, &off, NULL);
	if (!c) {
		/* name the alternative that fails on its own, with its own offset */
		size_t k = 0;
		for (; k < n; k++) {
			pcre2_code *one = pcre2_compile((PCRE2_SPTR)alts[k], PCRE2_ZERO_TERMINATED, flags, &code,
				&off, NULL);
			if (!one)
				break;
			pcre2_code_free(one);
		}
		PCRE2_UCHAR msg[160];
		pcre2_get_error_message(code, msg, sizeof msg);
		if (k == n) /* each compiles alone: the joint one is wrong ("a)|(b") */
			*err = xasprintf("%s: regex error: the patterns do not join into one alternation: %s", where,
				(const char *)msg);
		else if (n > 1)
			*err = xasprintf("%s[%zu]: regex error at offset %zu: %s", where, k, (size_t)off,
				(const char *)msg);
		else
			*err = xasprintf("%s: regex error at offset %zu: %s", where, (size_t)off, (const char *)msg);
		free(re);
		return NULL;
	}
	pcre2_jit_compile(c, PCRE2_JIT_COMPLETE); /* without JIT the interpreter runs */
	uint32_t caps = 0;
	pcre2_pattern_info(c, PCRE2_INFO_CAPTURECOUNT, &caps);
	if (caps + 1 > P.pairs)
		P.pairs = caps + 1;
	if (!P.have_key) {
		pthread_key_create(&P.key, free_thread_md);
		P.have_key = true;
		P.mctx = pcre2_match_context_create(NULL);
		pcre2_set_match_limit(P.mctx, 10000000);
	}
	struct cl_pattern *p = xcalloc(1, sizeof *p);
	p->code = c;
	p->id = P.all.n;
	gate(p, re, flags);
	free(re);
	cl_vec_push(&P.all, p);
	return p;
}

void cl_patterns_name(int item, const char *key, const struct cl_pattern *p)
{
	struct named e = {item, key, p};
	cl_vec_push(&P.names, e);
}

static int by_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	return x->item != y->item ? (x->item > y->item) - (x->item < y->item) : strcmp(x->key, y->key);
}

void cl_patterns_freeze(void)
{
	if (P.frozen)
		return;
	if (P.names.n)
		qsort(P.names.v, P.names.n, sizeof *P.names.v, by_name);
	P.frozen = true;
}

const struct cl_pattern *cl_patterns_get(int item, const char *key)
{
	struct named want = {item, key, NULL};
	const struct named *e = NULL;
	if (P.frozen && P.names.n)
		e = bsearch(&want, P.names.v, P.names.n, sizeof *P.names.v, by_name);
	for (size_t i = 0; !P.frozen && !e && i < P.names.n; i++)
		if (!by_name(&want, &P.names.v[i]))
			e = &P.names.v[i];
	if (!e) {
		fprintf(stderr, "claudit: internal error: %s has no data key %s declared as patterns\n",
			item >= 0 && item <= CL_ITEM_COUNT ? cl_item_ids[item] : "no item", key);
		abort();
	}
	return e->p;
}

void cl_patterns_unload(void)
{
	if (P.have_key) {
		free_thread_md(pthread_getspecific(P.key));
		pthread_setspecific(P.key, NULL);
		pthread_key_delete(P.key);
	}
	for (size_t i = 0; i < P.all.n; i++) {
		pcre2_code_free(P.all.v[i]->code);
		cl_reqlit_free(&P.all.v[i]->lits);
		free(P.all.v[i]);
	}
	cl_vec_free(&P.all);
	cl_vec_free(&P.names);
	cl_reqlit_free(&P.watch);
	cl_vec_free(&P.watch_start);
	pcre2_match_context_free(P.mctx);
	memset(&P, 0, sizeof P);
}

static struct thread_md *thread_md(void)
{
	struct thread_md *t = pthread_getspecific(P.key);
	if (t && t->pairs >= P.pairs)
		return t;
	free_thread_md(t);
	t = xcalloc(1, sizeof *t);
	t->pairs = P.pairs;
	t->md = pcre2_match_data_create(t->pairs, NULL);
	if (!t->md) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	pthread_setspecific(P.key, t);
	return t;
}

void cl_patterns_gates(bool on)
{
	P.gates_off = !on;
}

/* The thread's literal set again, from the patterns in it. */
/* G's literal set again, from the patterns in it. */
static void rebuild(const struct thread_md *t, struct gate_set *g)
{
	cl_litset_destroy(g->set);
	g->set = cl_litset_create_freq(t->freq);
	free(g->watched);
	g->watched = xcalloc(P.watch.n + 1, sizeof *g->watched);
	for (size_t k = 0; k < P.watch.n; k++)
		g->watched[k] = (uint32_t)cl_litset_add(g->set, P.watch.v[k].s, P.watch.v[k].n, P.watch.v[k].caseless);
	g->gen = P.watch_gen;
	for (size_t id = 0; id < P.all.n; id++) {
		const cl_reqlits *l = &P.all.v[id]->lits;
		for (size_t k = 0; g->first[id] >= 0 && k < l->n; k++)
			g->lit_idx.v[(size_t)g->first[id] + k] =
				(uint32_t)cl_litset_add(g->set, l->v[k].s, l->v[k].n, l->v[k].caseless);
	}
	cl_litset_build(g->set);
	free(g->found);
	g->found = xcalloc(cl_litset_words(g->set) + 1, sizeof *g->found);
	g->stale = false;
}

/* Adds the start of TEXT to T's sample; each time the sample doubles, the
 * sets are built again from the next text on, with anchors it says are rare. */
static void sample(struct thread_md *t, const char *text, size_t len)
{
	if (!t->freq)
		t->freq = xcalloc(1, sizeof *t->freq);
	size_t before = t->freq->sampled;
	if (before >= SAMPLE_MAX)
		return;
	cl_pairfreq_add(t->freq, text, len < SAMPLE_TEXT ? len : SAMPLE_TEXT);
	size_t mark = SAMPLE_FIRST;
	while (mark <= before)
		mark *= 2;
	if (t->freq->sampled < mark)
		return;
	for (int k = 0; k < GATE_KINDS; k++)
		if (t->kinds[k].set)
			t->kinds[k].stale = true;
}

void cl_patterns_text_begin(const char *text, size_t len, const char *kind)
{
	if (!P.frozen || P.gates_off || !P.have_key)
		return;
	struct thread_md *t = thread_md();
	unsigned h = 5381;
	for (const unsigned char *k = (const unsigned char *)kind; k && *k; k++)
		h = h * 33 + *k;
	struct gate_set *g = &t->kinds[h % GATE_KINDS];
	if (!g->first) {
		g->first = xmalloc((P.all.n + 1) * sizeof *g->first);
		for (size_t i = 0; i <= P.all.n; i++)
			g->first[i] = -1;
	}
	sample(t, text, len);
	if (g->stale || !g->set || g->gen != P.watch_gen)
		rebuild(t, g);
	t->cur = g;
	t->text = text;
	t->text_len = len;
	t->scanned = false;
}

void cl_patterns_text_end(void)
{
	struct thread_md *t = P.have_key ? pthread_getspecific(P.key) : NULL;
	if (t)
		t->text = NULL;
}

/* Does TEXT[0, LEN) hold literal L? */
static bool holds(const char *text, size_t len, const struct cl_reqlit *l)
{
	return (l->caseless ? cl_memcasemem(text, len, l->s, l->n) : memmem(text, len, l->s, l->n)) != NULL;
}

/* Does TEXT[0, LEN) hold one of P's literals, searched one by one: for a
 * text the thread's literal set does not cover yet (it is rebuilt from the
 * next text on), so the first, often largest, text of a kind is gated too. */
static bool holds_any(const struct cl_pattern *p, const char *text, size_t len)
{
	for (size_t k = 0; k < p->lits.n; k++)
		if (holds(text, len, &p->lits.v[k]))
			return true;
	return false;
}

/* Does S[0, LEN) lie in T's registered text? */
static bool in_text(const struct thread_md *t, const char *s, size_t len)
{
	return t->text && s >= t->text && len <= t->text_len && (size_t)(s - t->text) <= t->text_len - len;
}

/* The pass over T's registered text, once. */
static void scan_text(struct thread_md *t)
{
	if (!t->scanned) {
		cl_litset_scan(t->cur->set, t->text, t->text_len, t->cur->found);
		t->scanned = true;
	}
}

/* Is group G made of the N literals LITS (CASELESS)? */
static bool same_group(size_t g, const char *const *lits, size_t n, bool caseless)
{
	size_t at = P.watch_start.v[g];
	if (P.watch_start.v[g + 1] - at != n)
		return false;
	for (size_t i = 0; i < n; i++) {
		const struct cl_reqlit *l = &P.watch.v[at + i];
		if (l->caseless != caseless || l->n != strlen(lits[i]) || memcmp(l->s, lits[i], l->n) != 0)
			return false;
	}
	return true;
}

int cl_patterns_watch(const char *const *lits, size_t n, bool caseless)
{
	if (!P.watch_start.n)
		cl_vec_push(&P.watch_start, (size_t)0);
	for (size_t g = 0; g + 1 < P.watch_start.n; g++)
		if (same_group(g, lits, n, caseless))
			return (int)g;
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(lits[i]);
		if (len < GATE_MIN_LEN) {
			fprintf(stderr, "claudit: internal error: a watched literal is under %d bytes\n", GATE_MIN_LEN);
			abort();
		}
		struct cl_reqlit l = {xstrndup(lits[i], len), len, caseless};
		cl_vec_push(&P.watch, l);
	}
	cl_vec_push(&P.watch_start, P.watch.n);
	P.watch_gen++;
	return (int)P.watch_start.n - 2;
}

bool cl_patterns_may_hold(int g, const char *s, size_t len)
{
	if (g < 0 || (size_t)g + 1 >= P.watch_start.n || P.gates_off || !P.have_key)
		return true;
	struct thread_md *t = pthread_getspecific(P.key);
	if (!t || !in_text(t, s, len) || t->cur->gen != P.watch_gen)
		return true;
	scan_text(t);
	for (size_t k = P.watch_start.v[g]; k < P.watch_start.v[g + 1]; k++) {
		uint32_t i = t->cur->watched[k];
		if (t->cur->found[i / 64] >> (i % 64) & 1)
			return true;
	}
	return false;
}

/* False when S[0, LEN) lies in the registered text and holds none of P's
 * literals: then P cannot match in it. */
static bool gate_open(const struct cl_pattern *p, struct thread_md *t, const char *s, size_t len)
{
	if (!p->lits.n || !in_text(t, s, len))
		return true;
	struct gate_set *g = t->cur;
	if (g->first[p->id] < 0) { /* new to this kind: in the set from the next text on */
		g->first[p->id] = (long)g->lit_idx.n;
		for (size_t k = 0; k < p->lits.n; k++)
			cl_vec_push(&g->lit_idx, 0);
		g->stale = true;
		return holds_any(p, t->text, t->text_len);
	}
	if (g->stale)
		return holds_any(p, t->text, t->text_len);
	scan_text(t);
	const uint32_t *idx = g->lit_idx.v + g->first[p->id];
	for (size_t i = 0; i < p->lits.n; i++)
		if (g->found[idx[i] / 64] >> (idx[i] % 64) & 1)
			return true;
	return false;
}

bool cl_pattern_find(const struct cl_pattern *p, const char *s, size_t len, size_t from, size_t *ms,
	size_t *me)
{
	if (!p || !s || from > len)
		return false;
	struct thread_md *t = thread_md();
	if (!gate_open(p, t, s, len))
		return false;
	pcre2_match_data *md = t->md;
	int rc = pcre2_match(p->code, (PCRE2_SPTR)s, len, from, 0, md, P.mctx);
	if (rc < 0)
		return false;
	PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
	if (ms)
		*ms = ov[0];
	if (me)
		*me = ov[1];
	return true;
}
