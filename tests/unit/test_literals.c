/*
 * test_literals.c — unit tests for src/reqlit.c (the literals every match of
 * a regex holds) and src/litset.c (which literals occur in a text). The
 * gate must never hide a match: besides the expected literal sets, each
 * pattern is matched with PCRE2 against many random texts built from its
 * own bytes and literals, and every text it matches must hold one of them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "rules/patterns.h"
#include "rules/reqlit.h"
#include "scan/litset.h"
#include "check.h"

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

/* The literals of RE joined with '|' ("/i" after a caseless one), or "NONE". */
static void derive(const char *re, uint32_t flags, char *out, size_t cap)
{
	cl_reqlits l;
	if (!cl_reqlit_derive(re, flags, 3, &l)) {
		snprintf(out, cap, "NONE");
		return;
	}
	out[0] = 0;
	for (size_t i = 0; i < l.n; i++) {
		size_t used = strlen(out);
		snprintf(out + used, cap - used, "%s%.*s%s", i ? "|" : "", (int)l.v[i].n, l.v[i].s,
			l.v[i].caseless ? "/i" : "");
	}
	cl_reqlit_free(&l);
}

static void expect(const char *re, uint32_t flags, const char *want)
{
	char got[1024];
	derive(re, flags, got, sizeof got);
	CHECK(!strcmp(got, want), "%s: got %s, want %s", re, got, want);
}

static unsigned char fold(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

static bool holds(const struct cl_reqlit *l, const char *s, size_t n)
{
	for (size_t i = 0; i + l->n <= n; i++) {
		size_t k = 0;
		while (k < l->n && (l->caseless ? fold((unsigned char)s[i + k]) == fold((unsigned char)l->s[k])
			: s[i + k] == l->s[k]))
			k++;
		if (k == l->n)
			return true;
	}
	return false;
}

static unsigned long long rng = 88172645463325252ull;

static unsigned next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 11);
}

/* RE against random texts of its own bytes and literals and of SAMPLE (a
 * text it matches, or NULL), each in a random case now and then: every
 * match must hold a literal. */
static void sound(const char *re, uint32_t flags, const char *sample)
{
	cl_reqlits l;
	if (!cl_reqlit_derive(re, flags, 1, &l))
		return;
	int code;
	PCRE2_SIZE off;
	pcre2_code *c = pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, flags, &code, &off, NULL);
	CHECK(c != NULL, "%s compiles", re);
	pcre2_match_data *md = pcre2_match_data_create_from_pattern(c, NULL);
	size_t matched = 0, bad = 0, relen = strlen(re);
	char text[96];
	for (int round = 0; round < 50000 && c; round++) {
		size_t n = 0, want = next() % sizeof text;
		while (n < want) {
			unsigned pick = next() % 8;
			if (pick == 0 && sample) {
				for (size_t k = 0; sample[k] && n < want; k++)
					text[n++] = next() % 9 ? sample[k] : (char)(sample[k] ^ 0x20);
			} else if (pick < 3 && l.n) { /* a literal, or most of one */
				const struct cl_reqlit *x = &l.v[next() % l.n];
				size_t take = next() % 4 ? x->n : x->n - 1;
				for (size_t k = 0; k < take && n < want; k++)
					text[n++] = next() % 5 ? x->s[k] : (char)(x->s[k] ^ 0x20);
			} else if (pick < 7) { /* a piece of the pattern's own text */
				size_t at = next() % relen, take = 1 + next() % 10;
				for (size_t k = 0; k < take && at + k < relen && n < want; k++)
					text[n++] = next() % 7 ? re[at + k] : (char)(re[at + k] ^ 0x20);
			} else {
				text[n++] = " \n\t\"'.()_-/:=aAZ09"[next() % 18];
			}
		}
		if (pcre2_match(c, (PCRE2_SPTR)text, n, 0, 0, md, NULL) < 0)
			continue;
		matched++;
		bool any = false;
		for (size_t i = 0; i < l.n && !any; i++)
			any = holds(&l.v[i], text, n);
		if (!any && bad++ < 3)
			fprintf(stderr, "  %s matches %.*s without a literal\n", re, (int)n, text);
	}
	CHECK(bad == 0, "%s: %zu of %zu matching texts hold no literal", re, bad, matched);
	CHECK(matched > 0, "%s: some random text matches (the test is not vacuous)", re);
	pcre2_match_data_free(md);
	pcre2_code_free(c);
	cl_reqlit_free(&l);
}

static const struct {
	const char *re;
	uint32_t flags;
	const char *want;
} cases[] = {
	{"instrument_anthropic|AnthropicInstrumentor", 0, "instrument_anthropic|AnthropicInstrumentor"},
	{"(?i)rotat(?:e|es|ed|ing|ion)\\b", 0, "rotat/i"},
	{"rotat(?i:ion)", 0, "rotat"},
	{"rot(?i:ation)", 0, "ation/i"},
	{"(?i)abc(?-i)defg", 0, "defg"},
	{"(a(?i)bcd|xyz)", 0, "bcd/i|xyz/i"},              /* an option carries into later branches */
	{"abc", PCRE2_CASELESS, "abc/i"},
	{"abc+def", 0, "abc"},                             /* a repeat ends a run; of equals the first is kept */
	{"abcd?ef", 0, "abc"},
	{"x{2}abc", 0, "abc"},
	{"ab{2,}cde", 0, "cde"},
	{"a{,3}bcd", 0, "NONE"},                           /* {,m}: read differently by PCRE2 versions */
	{"ab{cd", 0, "ab{cd"},                             /* not a quantifier: a literal '{' */
	{"x{ 2 }abc", 0, "NONE"},                          /* spaces: a quantifier from PCRE2 10.43 on */
	{"xy{2,,3}abc", 0, "NONE"},
	{"ab{x}cd", 0, "ab{x}cd"},
	{"\\.use\\(", 0, ".use("},
	{"foo\\tbar", 0, "foo\tbar"},
	{"foo\\dbar", 0, "foo"},
	{"(?:abc|de)fghij", 0, "fghij"},
	{"(?:abc|def)?ghij", 0, "ghij"},
	{"(?:abc|def)*", 0, "NONE"},
	{"abc|.*", 0, "NONE"},                             /* a branch with no literal: none */
	{"abc|", 0, "NONE"},
	{"ab|cdef", 0, "NONE"},                            /* "ab" is under the minimum length */
	{"[abc]def[ghi]", 0, "def"},
	{"[]abc]def", 0, "def"},
	{"[[:alpha:]]+xyz", 0, "xyz"},
	{"(?=abc)abcdef", 0, "abcdef"},                    /* a lookahead promises nothing here */
	{"(?<!abc)def", 0, "def"},
	{"(?<name>abc)d", 0, "abc"},
	{"(?P<name>abcd)", 0, "abcd"},
	{"(abc)\\1", 0, "NONE"},                           /* back-references: not read */
	{"\\Qa.b\\E", 0, "NONE"},
	{"(*UTF)abc", 0, "NONE"},
	{"(?x)a b c", 0, "NONE"},
	{"(?(1)abc|def)", 0, "NONE"},
	{"abc", PCRE2_EXTENDED, "NONE"},
	{"(?#comment)abcd", 0, "abcd"},
	{"^\\s*(range|xrange)\\s*\\(", PCRE2_MULTILINE, "range|xrange"},
	{"caf\xc3\xa9", 0, "caf\xc3\xa9"},
	{"(?i)caf\xc3\xa9", 0, "caf/i"},                   /* caseless outside ASCII: not read */
	{"\\x41bcd", 0, "bcd"},
	{"\\p{L}abc\\P{N}", 0, "abc"},
	{" \\bbcd\\Bef", 0, "bcd"},
	{"(?s:Sentry\\.init\\(.{0,2000}?\\btraces)", 0, "Sentry.init("},
};

/* Random texts of the literals' own bytes: the pass (anchors picked with a
 * sample of SAMPLE's pairs, or by byte rarity when NULL) finds exactly what a
 * search literal by literal finds. */
static void random_texts(const char *const lits[8], const char *sample, char *buf, uint64_t *found)
{
	struct cl_pairfreq *freq = NULL;
	if (sample) {
		freq = calloc(1, sizeof *freq);
		cl_pairfreq_add(freq, sample, strlen(sample));
	}
	struct cl_litset *s = cl_litset_create_freq(freq);
	struct cl_reqlit rl[8];
	for (int i = 0; i < 8; i++) {
		rl[i] = (struct cl_reqlit){(char *)lits[i], strlen(lits[i]), i % 3 == 0};
		CHECK(cl_litset_add(s, lits[i], strlen(lits[i]), i % 3 == 0) == (size_t)i, "literal %d", i);
	}
	cl_litset_build(s);
	size_t wrong = 0;
	for (int round = 0; round < 20000; round++) {
		size_t n = next() % 24;
		for (size_t k = 0; k < n; k++)
			buf[k] = "abcABC._xyz"[next() % 11];
		cl_litset_scan(s, buf, n, found);
		uint64_t want = 0;
		for (int i = 0; i < 8; i++)
			if (holds(&rl[i], buf, n))
				want |= 1ull << i;
		if (found[0] != want && wrong++ < 3)
			fprintf(stderr, "  %.*s: found %llx, want %llx\n", (int)n, buf, (unsigned long long)found[0],
				(unsigned long long)want);
	}
	CHECK(wrong == 0, "the pass (sample %s) agrees with a plain search on %zu of 20000 random texts",
		sample ? sample : "none", 20000 - wrong);
	cl_litset_destroy(s);
	free(freq);
}

static void litset_tests(void)
{
	struct cl_litset *s = cl_litset_create();
	size_t a = cl_litset_add(s, "anthropic", 9, true);
	size_t b = cl_litset_add(s, "Claude", 6, false);
	size_t c = cl_litset_add(s, "zzz", 3, false);
	size_t a2 = cl_litset_add(s, "ANTHROPIC", 9, true);
	size_t d = cl_litset_add(s, "anthropic", 9, false);
	CHECK(a2 == a, "an equal caseless literal is the same one");
	CHECK(d != a, "a case-sensitive literal is another one");
	cl_litset_build(s);
	CHECK(cl_litset_count(s) == 4, "four literals");
	uint64_t found[1];
	const char *t = "import AnThRoPiC\nclaude = 1\n";
	cl_litset_scan(s, t, strlen(t), found);
	CHECK(found[0] == (1ull << a), "caseless found, wrong-case exact ones not (%llx)", (unsigned long long)found[0]);
	t = "x Claude anthropic zzz";
	cl_litset_scan(s, t, strlen(t), found);
	CHECK(found[0] == ((1ull << a) | (1ull << b) | (1ull << c) | (1ull << d)), "all four");
	t = "anthropi";
	cl_litset_scan(s, t, strlen(t), found);
	CHECK(found[0] == 0, "a cut literal is not found");
	cl_litset_scan(s, "zz", 2, found);
	CHECK(found[0] == 0, "two bytes");
	cl_litset_scan(s, "zzz", 3, found);
	CHECK(found[0] == (1ull << c), "a literal filling the text");
	/* at every offset (even and odd), at the start and the end of the text */
	char buf[64];
	for (int off = 0; off < 12; off++) {
		for (int tail = 0; tail < 3; tail++) {
			memset(buf, '.', sizeof buf);
			memcpy(buf + off, "Claude", 6);
			size_t n = (size_t)off + 6 + (size_t)tail;
			cl_litset_scan(s, buf, n, found);
			CHECK(found[0] == (1ull << b), "Claude at offset %d with %d bytes after it", off, tail);
		}
	}
	cl_litset_destroy(s);

	/* random texts of the literals' own bytes: the pass finds exactly what a
	 * search literal by literal finds, with anchors picked by byte rarity
	 * and by the pairs of a sample (one full of "ab" and "bc", then one that
	 * holds only some pairs, so that every anchor pair gets picked) */
	static const char *const lits[] = {"abc", "bca", "ABCab", "cab", "aab", "b.c", "xyzzy", "a_b"};
	static const char *const samples[] = {NULL, "abcabcabcABCbcbc", "ca.cyzzy_b"};
	for (int k = 0; k < 3; k++)
		random_texts(lits, samples[k], buf, found);

	/* the sample moves the anchor off the commonest pair: with "th" all over
	 * the sample, "the_x" is anchored on "e_x", and a text full of "th" costs
	 * no verification (it still finds what it holds) */
	struct cl_pairfreq *freq = calloc(1, sizeof *freq);
	const char *sample = "the them then there these the them then";
	cl_pairfreq_add(freq, sample, strlen(sample));
	CHECK(freq->sampled == strlen(sample) && freq->n['t' | 'h' << 8] == 8, "pairs counted (%u th)",
		freq->n['t' | 'h' << 8]);
	s = cl_litset_create_freq(freq);
	cl_litset_add(s, "the_x", 5, false);
	cl_litset_build(s);
	t = "the them then the_x";
	cl_litset_scan(s, t, strlen(t), found);
	CHECK(found[0] == 1, "found with a sampled anchor");
	t = "the them then the_";
	cl_litset_scan(s, t, strlen(t), found);
	CHECK(found[0] == 0, "a cut literal is not found with a sampled anchor");
	cl_litset_destroy(s);
	free(freq);

	/* many literals: the bitmap holds more than one word's worth */
	s = cl_litset_create();
	char lit[16];
	for (int i = 0; i < 150; i++) {
		snprintf(lit, sizeof lit, "w%03dq", i);
		cl_litset_add(s, lit, strlen(lit), i % 2);
	}
	cl_litset_build(s);
	uint64_t many[3];
	CHECK(cl_litset_words(s) == 3, "150 literals in 3 words");
	t = "..w007q..W008Q..w149q..W149Q..";
	cl_litset_scan(s, t, strlen(t), many);
	CHECK(many[0] == (1ull << 7) && many[1] == 0 && many[2] == (1ull << (149 - 128)),
		"w007q (case-sensitive, right case) and w149q (caseless); W008Q is in the wrong case");
	cl_litset_destroy(s);
}

/* Watched literals (patterns.h): a group is looked for in the same pass as
 * the gates, and says "maybe" wherever the pass does not cover the text. */
static void watch_tests(void)
{
	char *err = NULL;
	const char *alt = "rotat(e|ion)";
	const struct cl_pattern *p = cl_patterns_compile("test", &alt, 1, 0, &err);
	CHECK(p != NULL, "a gated pattern compiles");
	cl_patterns_freeze();
	static const char *const keys[] = {"sk-ant-"}, *const terms[] = {"anthropic", "claude"};
	int gk = cl_patterns_watch(keys, 1, false), gt = cl_patterns_watch(terms, 2, true);
	CHECK(gk >= 0 && gt >= 0 && gk != gt, "two groups");
	CHECK(cl_patterns_watch(keys, 1, false) == gk && cl_patterns_watch(keys, 1, true) != gk,
		"the same group again: the same id; the same bytes caseless: another group");
	const char *t = "x = 'SK-ANT-' # rotate the Claude key";
	CHECK(cl_patterns_may_hold(gk, t, strlen(t)), "no text registered: maybe");
	cl_patterns_text_begin(t, strlen(t), ".py");
	CHECK(!cl_patterns_may_hold(gk, t, strlen(t)), "the key prefix is case-sensitive: not there");
	CHECK(cl_patterns_may_hold(gt, t + 20, 5), "a caseless term anywhere in the text: maybe in any part");
	CHECK(cl_pattern_find(p, t, strlen(t), 0, NULL, NULL), "the gated pattern still matches");
	char copy[64];
	memcpy(copy, t, strlen(t) + 1);
	CHECK(cl_patterns_may_hold(gk, copy, strlen(copy)), "bytes outside the registered text: maybe");
	CHECK(cl_patterns_may_hold(-1, t, strlen(t)), "no group: maybe");
	cl_patterns_text_end();
	t = "import os\nprint(1)\n";
	cl_patterns_text_begin(t, strlen(t), ".py");
	CHECK(!cl_patterns_may_hold(gt, t, strlen(t)) && !cl_patterns_may_hold(gk, t, strlen(t)), "neither group");
	/* a group watched after texts were registered joins from the next text */
	static const char *const late[] = {"print("};
	int gl = cl_patterns_watch(late, 1, false);
	CHECK(cl_patterns_may_hold(gl, t, strlen(t)), "a group newer than the text's set: maybe");
	cl_patterns_text_end();
	cl_patterns_text_begin(t, strlen(t), ".py");
	CHECK(cl_patterns_may_hold(gl, t, strlen(t)) && !cl_patterns_may_hold(gt, t, strlen(t)),
		"the late group is in the next text's set");
	cl_patterns_gates(false);
	CHECK(cl_patterns_may_hold(gt, t, strlen(t)), "gates off: maybe");
	cl_patterns_gates(true);
	cl_patterns_text_end();
	cl_patterns_unload();
}

int main(void)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		expect(cases[i].re, cases[i].flags, cases[i].want);
		sound(cases[i].re, cases[i].flags, NULL);
	}
	/* rule-data shapes: alternations under options, lazy gaps, lookbehinds */
	static const char *const shapes[][2] = {
		{"(?i)(anthropic|claude)[-_.a-z0-9]{0,20}?(key|secret|token)", "Claude-API-Key"},
		{"(?m)^[ \\t]*(?:export[ \\t]+)?(?:ANTHROPIC|CLAUDE)_[A-Z0-9_]*(?:KEY|TOKEN)[ \\t]*=", "\nANTHROPIC_API_KEY ="},
		{"(?:(LANGCHAIN_TRACING_V2|LANGSMITH_TRACING)[\"']?\\]?\\s*[=:]\\s*[\"']?(?i:true))", "LANGSMITH_TRACING=\"TRUE"},
		{"(?:(?i)promptfoo|deepeval|inspect\\s+eval|inspect_ai|braintrust\\s+eval|ragas|\\bevals?\\b(?!\\s*[\"'$`(]))", "evals run"},
		{"(?:(?<![\\w-])(?i:idempot))|(?:(?i)\\bupsert)|(?:(?i)on\\s+conflict)", "idempotency"},
		{"(?:\\.use\\([^)\\n]*(?i:limit|throttl)|\\bdefault_limits\\b)", "app.use(rateLimiter"},
		{"(?im)^[ \\t]*-?[ \\t]*[\"']?alert[\"']?[ \\t]*:", "\n - alert: x"},
		{"(?:(?i)\\b\\w*(retry|retries|attempt)\\w*\\b)", "max_retries"},
		{"(?m)^[ \\t]*\\K@(?:[\\w.]+\\.)?(?:tool|call_tool)\\b", "\n@app.tool"},
	};
	for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
		sound(shapes[i][0], 0, shapes[i][1]);
	litset_tests();
	watch_tests();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
