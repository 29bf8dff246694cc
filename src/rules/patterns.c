/*
 * patterns.c — compiles rule-data patterns once, at load; matches them with
 * per-thread match data. See patterns.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules/patterns.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rule_ids.h"
#include "support/xalloc.h"

struct cl_pattern {
	pcre2_code *code;
};

struct named {
	int item;
	const char *key;
	const struct cl_pattern *p;
};

/* A thread's match data, big enough for every pattern's captures. */
struct thread_md {
	pcre2_match_data *md;
	uint32_t pairs;
};

static struct {
	CL_VEC(struct cl_pattern *) all;
	CL_VEC(struct named) names;
	bool frozen;
	uint32_t pairs;               /* the most capture pairs of any pattern, + 1 */
	pcre2_match_context *mctx;    /* a match limit: no pattern runs away on odd input */
	pthread_key_t key;
	bool have_key;
} P;

static void free_thread_md(void *v)
{
	struct thread_md *t = v;
	if (!t)
		return;
	pcre2_match_data_free(t->md);
	free(t);
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
	free(re);
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
		free(P.all.v[i]);
	}
	cl_vec_free(&P.all);
	cl_vec_free(&P.names);
	pcre2_match_context_free(P.mctx);
	memset(&P, 0, sizeof P);
}

static pcre2_match_data *thread_md(void)
{
	struct thread_md *t = pthread_getspecific(P.key);
	if (t && t->pairs >= P.pairs)
		return t->md;
	free_thread_md(t);
	t = xmalloc(sizeof *t);
	t->pairs = P.pairs;
	t->md = pcre2_match_data_create(t->pairs, NULL);
	if (!t->md) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	pthread_setspecific(P.key, t);
	return t->md;
}

bool cl_pattern_find(const struct cl_pattern *p, const char *s, size_t len, size_t from, size_t *ms,
	size_t *me)
{
	if (!p || !s || from > len)
		return false;
	pcre2_match_data *md = thread_md();
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
