/*
 * test_secrets.c — unit tests for src/scan/secrets.c (CL01 key detection,
 * placeholders, redaction, env files, browser prefixes). Key-shaped strings
 * are built at run time so none sits whole in this source.
 */
#include "scan/secrets.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "support/utf8.h"

static const char charset[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-";

/* prefix + body random [A-Za-z0-9_-] + suffix, into a fresh string. */
static char *make_key(const char *prefix, size_t body, const char *suffix, unsigned seed)
{
	size_t pn = strlen(prefix), sn = strlen(suffix);
	char *k = malloc(pn + body + sn + 1);
	unsigned x = seed * 2654435761u + 1;

	memcpy(k, prefix, pn);
	for (size_t i = 0; i < body; i++) {
		x = x * 1103515245u + 12345u;
		k[pn + i] = charset[(x >> 16) % 64];
	}
	/* never end the body on 'A' so "…AA" lengths stay exact */
	if (body && k[pn + body - 1] == 'A')
		k[pn + body - 1] = 'b';
	memcpy(k + pn + body, suffix, sn + 1);
	return k;
}

/* "sk-ant-" assembled from pieces. */
static char *pfx(const char *kind)
{
	static char buf[64];
	snprintf(buf, sizeof buf, "%s%s%s-", "sk-", "ant-", kind);
	return buf;
}

struct hits {
	size_t n;
	size_t start[16], end[16];
	const char *kind[16];
};

static void on_key(void *ud, size_t start, size_t end, const char *kind)
{
	struct hits *h = ud;
	if (h->n < 16) {
		h->start[h->n] = start;
		h->end[h->n] = end;
		h->kind[h->n] = kind;
	}
	h->n++;
}

static struct hits scan(const char *d, size_t n)
{
	struct hits h = {0};
	size_t r = cl_secrets_scan(d, n, on_key, &h);
	if (r != h.n)
		h.n = (size_t)-1;
	return h;
}

static struct hits scan_s(const char *s)
{
	return scan(s, strlen(s));
}

/* Scan s with one byte glued before / after. */
static size_t scan_wrapped(const char *before, const char *key, const char *after)
{
	char buf[512];
	snprintf(buf, sizeof buf, "%s%s%s", before, key, after);
	return scan_s(buf).n;
}

static void test_shapes(void)
{
	char *api = make_key(pfx("api03"), 93, "AA", 1);
	struct hits h = scan_s(api);
	CHECK(strlen(api) == 108, "api key length %zu", strlen(api));
	CHECK(h.n == 1 && h.start[0] == 0 && h.end[0] == 108 &&
		strcmp(h.kind[0], "api key") == 0, "api03 key alone");

	char *adm = make_key(pfx("admin01"), 93, "AA", 2);
	h = scan_s(adm);
	CHECK(h.n == 1 && h.end[0] == strlen(adm) && strcmp(h.kind[0], "admin key") == 0,
		"admin01 key");

	char *bad = make_key(pfx("api03"), 93, "BB", 3);
	CHECK(scan_s(bad).n == 0, "wrong suffix BB");
	free(bad);
	bad = make_key(pfx("admin01"), 92, "AA", 4);
	CHECK(scan_s(bad).n == 0, "admin01 with 92 chars");
	free(bad);
	bad = make_key(pfx("admin02"), 93, "AA", 4);
	CHECK(scan_s(bad).n == 0, "admin02 is not a shape");
	free(bad);

	/* secretlint range: api0N, 90..128 */
	size_t ok_lens[] = {90, 91, 100, 127, 128};
	for (size_t i = 0; i < 5; i++) {
		char *k = make_key(pfx("api01"), ok_lens[i], "AA", 10 + (unsigned)i);
		h = scan_s(k);
		CHECK(h.n == 1 && h.end[0] == strlen(k) && strcmp(h.kind[0], "api key") == 0,
			"api01 body %zu", ok_lens[i]);
		free(k);
	}
	size_t bad_lens[] = {0, 10, 89, 129, 200};
	for (size_t i = 0; i < 5; i++) {
		char *k = make_key(pfx("api03"), bad_lens[i], "AA", 20 + (unsigned)i);
		CHECK(scan_s(k).n == 0, "api03 body %zu must not match", bad_lens[i]);
		free(k);
	}
	bad = make_key(pfx("apiX3"), 93, "AA", 5);
	CHECK(scan_s(bad).n == 0, "api with a non-digit version");
	free(bad);

	/* OAuth */
	char *oat = make_key(pfx("oat01"), 95, "", 6);
	h = scan_s(oat);
	CHECK(strlen(oat) == 108 && h.n == 1 && h.end[0] == 108 &&
		strcmp(h.kind[0], "OAuth access token") == 0, "oat01 token");
	char *ort = make_key(pfx("ort01"), 95, "AA", 7);
	h = scan_s(ort);
	CHECK(h.n == 1 && h.end[0] == strlen(ort) &&
		strcmp(h.kind[0], "OAuth refresh token") == 0, "ort01 token");
	bad = make_key(pfx("oat01"), 79, "", 8);
	CHECK(scan_s(bad).n == 0, "oat01 with 79 chars");
	free(bad);
	bad = make_key(pfx("oat01"), 40, "", 8);
	CHECK(scan_s(bad).n == 0, "oat01 with 40 chars (test-suite style)");
	free(bad);
	bad = make_key(pfx("oat01"), 300, "", 9);
	h = scan_s(bad);
	CHECK(h.n == 1 && h.end[0] == strlen(bad), "oat01 long token: whole run");
	free(bad);
	bad = make_key(pfx("oat02"), 95, "", 9);
	CHECK(scan_s(bad).n == 0, "oat02 is not a shape");
	free(bad);

	/* boundaries */
	char buf[1024];
	const char *word_before[] = {"x", "Z", "9", "_", "-", "sk-ant-"};
	for (size_t i = 0; i < 6; i++)
		CHECK(scan_wrapped(word_before[i], api, "") == 0,
			"preceded by '%s' must not match", word_before[i]);
	const char *ok_before[] = {"", " ", "\"", "'", "=", ":", "/", "\n", "\t", "(", ".", "\xff", "\xc3"};
	for (size_t i = 0; i < 13; i++)
		CHECK(scan_wrapped(ok_before[i], api, "") == 1, "preceded by byte %u",
			(unsigned)(unsigned char)ok_before[i][0]);
	const char *word_after[] = {"x", "B", "0", "_", "-"};
	for (size_t i = 0; i < 5; i++)
		CHECK(scan_wrapped("", api, word_after[i]) == 0,
			"followed by '%s' must not match", word_after[i]);
	const char *ok_after[] = {"\"", "'", " ", "\n", "\r\n", "\\n", ";", ",", ".", ")", "`", "\xff"};
	for (size_t i = 0; i < 12; i++)
		CHECK(scan_wrapped("", api, ok_after[i]) == 1, "followed by '%s'", ok_after[i]);
	/* one more 'A' makes a valid 94-character body (secretlint range) */
	snprintf(buf, sizeof buf, "%sA", api);
	h = scan_s(buf);
	CHECK(h.n == 1 && h.end[0] == 109, "key followed by 'A' is a 109-byte key");
	CHECK(scan_wrapped("", oat, "x") == 1, "oat01 followed by a token char is still one token");

	/* several keys, counts and offsets */
	snprintf(buf, sizeof buf, "a=\"%s\" b='%s' c=%s\n", api, adm, ort);
	h = scan_s(buf);
	CHECK(h.n == 3 && h.start[0] == 3 && h.end[0] == 111 &&
		strcmp(h.kind[1], "admin key") == 0 &&
		strcmp(h.kind[2], "OAuth refresh token") == 0, "three keys in a line");
	snprintf(buf, sizeof buf, "%s %s", api, api);
	CHECK(scan_s(buf).n == 2, "two keys separated by a space");

	/* notebook JSON source line */
	snprintf(buf, sizeof buf, "    \"client = Anthropic(api_key=\\\"%s\\\")\\n\",\n", api);
	h = scan_s(buf);
	CHECK(h.n == 1 && memcmp(buf + h.start[0], api, 108) == 0, "key in an ipynb cell");

	/* key shape but placeholder-ish body still counts */
	char *x = make_key(pfx("api03"), 0, "", 0);
	char xs[200];
	snprintf(xs, sizeof xs, "%s%0*dAA", x, 93, 0);
	CHECK(scan_s(xs).n == 1, "all-zero body in key shape is still a key");
	free(x);

	free(api);
	free(adm);
	free(oat);
	free(ort);
}

static void test_bytes(void)
{
	char *api = make_key(pfx("api03"), 93, "AA", 31);

	/* exact-size heap buffers: key at the very start and at the very end */
	char *b = malloc(108);
	memcpy(b, api, 108);
	struct hits h = scan(b, 108);
	CHECK(h.n == 1 && h.start[0] == 0 && h.end[0] == 108, "key is the whole unterminated buffer");
	free(b);

	b = malloc(108 + 5);
	memcpy(b, "\0\0\xff\"", 4);
	memcpy(b + 4, api, 108);
	b[112] = '\0';
	h = scan(b, 113);
	CHECK(h.n == 1 && h.start[0] == 4 && h.end[0] == 112, "NUL/invalid UTF-8 before, NUL after");
	h = scan(b, 112);
	CHECK(h.n == 1 && h.end[0] == 112, "key at the very end");
	h = scan(b, 111);
	CHECK(h.n == 0, "truncated key at the end");
	free(b);

	/* invalid UTF-8 and NULs around, in a bigger binary blob */
	size_t n = 4096;
	b = malloc(n);
	for (size_t i = 0; i < n; i++)
		b[i] = (char)(i * 131 % 256);
	memcpy(b + 1000, "\0\xc3\x28", 3);
	memcpy(b + 1003, api, 108);
	memcpy(b + 1111, "\xed\xa0\x80\0", 4);
	h = scan(b, n);
	CHECK(h.n == 1 && h.start[0] == 1003 && h.end[0] == 1111, "key inside binary junk");
	free(b);

	/* trivial inputs */
	CHECK(cl_secrets_scan(NULL, 0, on_key, NULL) == 0, "NULL data");
	CHECK(cl_secrets_scan("", 0, on_key, NULL) == 0, "empty");
	CHECK(cl_secrets_scan("sk-an", 5, on_key, NULL) == 0, "shorter than the prefix");
	CHECK(cl_secrets_scan(pfx("api03"), 13, on_key, NULL) == 0, "prefix only");
	CHECK(cl_secrets_scan(api, 108, NULL, NULL) == 1, "NULL callback counts");
	CHECK(cl_secrets_contains_key(api, 108), "contains_key");
	CHECK(!cl_secrets_contains_key(api, 107), "contains_key truncated");
	free(api);
}

#define BIG (3u << 20)

struct big {
	char *data;
	size_t at[4];
	int ok;
};

static char *big_buffer(size_t at[4], char *keys[4])
{
	char *b = malloc(BIG);
	static const char filler[] =
		"var a=function(e){return e&&e.__esModule?e:{default:e}};"
		"x=\"sk-ant-...\";y='sk-ant-api03-xxx';z=\"sk-ant-oat01-short\";";
	size_t fn = sizeof filler - 1;
	for (size_t i = 0; i < BIG; i += fn)
		memcpy(b + i, filler, BIG - i < fn ? BIG - i : fn);
	at[0] = 0;
	at[1] = 1000003;
	at[2] = 2000011;
	at[3] = BIG - strlen(keys[3]);
	for (int i = 0; i < 4; i++) {
		size_t kn = strlen(keys[i]);
		memcpy(b + at[i], keys[i], kn);
		if (i > 0)
			b[at[i] - 1] = '"';
		if (i < 3)
			b[at[i] + kn] = '"';
	}
	return b;
}

static void *scan_big(void *arg)
{
	struct big *g = arg;
	for (int r = 0; r < 5; r++) {
		struct hits h = scan(g->data, BIG);
		if (h.n != 4)
			return NULL;
		for (int i = 0; i < 4; i++)
			if (h.start[i] != g->at[i])
				return NULL;
	}
	g->ok = 1;
	return NULL;
}

static void test_big(void)
{
	char *keys[4] = {
		make_key(pfx("api03"), 93, "AA", 41),
		make_key(pfx("admin01"), 93, "AA", 42),
		make_key(pfx("oat01"), 95, "", 43),
		make_key(pfx("api03"), 93, "AA", 44),
	};
	size_t at[4];
	char *b = big_buffer(at, keys);
	CHECK(memchr(b, '\n', BIG) == NULL, "3 MB buffer is a single line");
	struct hits h = scan(b, BIG);
	CHECK(h.n == 4, "3 MB bundle: %zu keys", h.n);
	for (int i = 0; i < 4 && h.n == 4; i++)
		CHECK(h.start[i] == at[i] && h.end[i] == at[i] + strlen(keys[i]),
			"3 MB bundle key %d offsets", i);
	CHECK(h.n == 4 && strcmp(h.kind[2], "OAuth access token") == 0, "3 MB bundle kinds");

	/* the same buffer from several threads at once */
	pthread_t t[4];
	struct big g[4];
	for (int i = 0; i < 4; i++) {
		g[i] = (struct big){ .data = b, .ok = 0 };
		memcpy(g[i].at, at, sizeof at);
		pthread_create(&t[i], NULL, scan_big, &g[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		CHECK(g[i].ok, "thread %d scan", i);
	}

	/* prefixes straddling the scanner's 64 KiB search windows */
	size_t wn = 200000;
	char *w = malloc(wn);
	int wbad = 0;
	for (size_t at = 65520; at < 65545; at++) {
		memset(w, ' ', wn);
		memcpy(w + at, keys[0], strlen(keys[0]));
		memcpy(w + 2 * 65530 - 3, keys[1], strlen(keys[1]));
		struct hits wh = scan(w, wn);
		if (wh.n != 2 || wh.start[0] != at)
			wbad++;
	}
	CHECK(wbad == 0, "keys across search windows: %d bad", wbad);
	free(w);

	/* a megabyte of back-to-back prefixes and of near-keys */
	size_t n = 1u << 20;
	char *p = malloc(n);
	for (size_t i = 0; i < n; i++)
		p[i] = "sk-ant-"[i % 7];
	CHECK(scan(p, n).n == 0, "1 MB of repeated prefixes");
	char *near = make_key(pfx("api03"), 93, "AB ", 45);
	size_t nn = strlen(near);
	for (size_t i = 0; i + nn <= n; i += nn)
		memcpy(p + i, near, nn);
	CHECK(scan(p, n).n == 0, "1 MB of near-keys");
	free(near);
	free(p);

	free(b);
	for (int i = 0; i < 4; i++)
		free(keys[i]);
}

static int redact_is(const char *s, size_t n, const char *want)
{
	char *r = cl_secrets_redact(s, n);
	int ok = strcmp(r, want) == 0;
	if (!ok)
		fprintf(stderr, "  redact gave \"%s\", want \"%s\"\n", r, want);
	free(r);
	return ok;
}

static void test_redact(void)
{
	char *api = make_key(pfx("api03"), 93, "AA", 51);
	CHECK(redact_is(api, 108, "sk-ant-api03\xe2\x80\xa6 (108 chars)"), "redact api key");
	CHECK(redact_is("abcdef", 6, "abc\xe2\x80\xa6 (6 chars)"), "redact short");
	CHECK(redact_is("a", 1, "\xe2\x80\xa6 (1 char)"), "redact one byte");
	CHECK(redact_is("", 0, "\xe2\x80\xa6 (0 chars)"), "redact empty");
	CHECK(redact_is("a\nb\0c\xff" "defgh", 11, "a?b?c\xe2\x80\xa6 (11 chars)"),
		"redact non-printables");

	/* never more than 12 bytes, never the whole value, for any length */
	int bad = 0;
	for (size_t n = 1; n <= 108; n++) {
		char *r = cl_secrets_redact(api, n);
		const char *ell = strstr(r, "\xe2\x80\xa6");
		size_t shown = ell ? (size_t)(ell - r) : strlen(r);
		if (!ell || shown > 12 || shown >= n || memcmp(r, api, shown) != 0)
			bad++;
		free(r);
	}
	CHECK(bad == 0, "redaction bounds: %d bad lengths", bad);
	char *r = cl_secrets_redact(api, 108);
	char probe[14];
	memcpy(probe, api, 13);
	probe[13] = '\0';
	CHECK(strstr(r, probe) == NULL, "13-byte prefix of the key is not in the redaction");
	free(r);

	/* every key in a text, standing alone or glued to what comes before */
	char *text = NULL;
	CHECK(asprintf(&text, "a %s b\n--%s\n%s", api, api, "sk-ant-api03-short") > 0, "asprintf");
	char *all = cl_secrets_redact_all(text, strlen(text));
	CHECK(strcmp(all, "a sk-ant-api03\xe2\x80\xa6 (108 chars) b\n--sk-ant-api03\xe2\x80\xa6 (108 chars)\n"
		"sk-ant-api03-short") == 0, "redact_all gave \"%s\"", all);
	free(all);
	all = cl_secrets_redact_all("no key here", 11);
	CHECK(strcmp(all, "no key here") == 0, "redact_all without a key");
	free(all);
	free(text);
	free(api);
}

static void test_placeholders(void)
{
	const char *yes[] = {
		"", "   ", "\t\n", "sk-ant-...", "sk-ant-xxx", "<your-key>",
		"YOUR_API_KEY", "${ANTHROPIC_API_KEY}", "{{ anthropic_api_key }}",
		"Bearer ${TOKEN}", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "***",
		"********************************", "................................",
		"changeme", "sk-ant-api03-REPLACE_ME", "sk-ant-api03-...",
		"sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
		"sk-ant-api03-abc123", "sk-ant-oat01-tooShort",
		"sk-ant-api03-Qm8Zr2LmN0vB7c\xe2\x80\xa6X1kP4sT9wY6hJ",
		"sk-ant-api03-****************************abcd",
		"your-anthropic-api-key-goes-here", "dummy-value-for-ci-pipelines-1234",
		"an-example-value-q8Zr2LmN0vB7cX1kP", "insert-real-value-q8Zr2LmN0vB7cX",
		"FAKE_Q8ZR2LMN0VB7CX1KP4ST9WY6HJ3GF5DE", "q8Zr2LmN0vB7cX1kP4sT9wYtestgF5dE",
		"<ANTHROPIC-CREDENTIAL-GOES-IN-HERE>", "short-value", "0123456789abcdefghi",
		"sample_q8Zr2LmN0vB7cX1kP4sT9w", "[REDACTED] q8Zr2LmN0vB7cX1kP4sT9w",
		"placeholder-q8Zr2LmN0vB7cX1kP4sT9w", "mock-q8Zr2LmN0vB7cX1kP4sT9wY6hJ3",
	};
	for (size_t i = 0; i < sizeof yes / sizeof *yes; i++)
		CHECK(cl_secrets_is_placeholder(yes[i], strlen(yes[i])),
			"placeholder: \"%s\"", yes[i]);
	CHECK(cl_secrets_is_placeholder(NULL, 0), "NULL is a placeholder");

	const char *no[] = {
		"q8Zr2LmN0vB7cX1kP4sT9wY6hJ3gF5dE", "0123456789abcdefghij",
		"sk-ant-api03-Qm8Zr2LmN0vB7cX1kP4sT9wY6hJ3gF5dEwU",
		"sk-ant-Qm8Zr2LmN0vB7cX1kP4sT9wY6hJ3gF5dEwU",
		"  q8Zr2LmN0vB7cX1kP4sT9wY6hJ3gF5dE  ",
	};
	for (size_t i = 0; i < sizeof no / sizeof *no; i++)
		CHECK(!cl_secrets_is_placeholder(no[i], strlen(no[i])),
			"not a placeholder: \"%s\"", no[i]);

	/* the key format wins over placeholder words */
	char body[94];
	const char *words = "your_test_key_example_placeholder_fake_dummy_xxx_changeme_";
	for (size_t i = 0; i < 93; i++)
		body[i] = words[i % strlen(words)];
	body[93] = '\0';
	char key[200];
	snprintf(key, sizeof key, "%s%sAA", pfx("api03"), body);
	CHECK(!cl_secrets_is_placeholder(key, strlen(key)), "key shape with placeholder words");
	CHECK(cl_secrets_literal_is_secret(key, strlen(key)), "key shape is a secret literal");
	char wrapped[256];
	snprintf(wrapped, sizeof wrapped, "Bearer %s", key);
	CHECK(!cl_secrets_is_placeholder(wrapped, strlen(wrapped)), "key inside a longer literal");
	snprintf(key, sizeof key, "%s%0*dAA", pfx("admin01"), 93, 0);
	CHECK(!cl_secrets_is_placeholder(key, strlen(key)), "all-zero admin key shape");
	char *oat = make_key(pfx("oat01"), 95, "", 61);
	CHECK(cl_secrets_literal_is_secret(oat, strlen(oat)), "OAuth token literal");
	free(oat);

	/* literal_is_secret and env references */
	const char *refs[] = {
		"$ANTHROPIC_API_KEY", "${ANTHROPIC_API_KEY}", "${ANTHROPIC_API_KEY:-}",
		"%ANTHROPIC_API_KEY%", "$env:ANTHROPIC_API_KEY", " $X ",
	};
	for (size_t i = 0; i < sizeof refs / sizeof *refs; i++) {
		CHECK(cl_secrets_is_env_ref(refs[i], strlen(refs[i])), "env ref \"%s\"", refs[i]);
		CHECK(!cl_secrets_literal_is_secret(refs[i], strlen(refs[i])),
			"env ref is not a secret \"%s\"", refs[i]);
	}
	const char *not_refs[] = {"$", "$$", "%%", "q8Zr2LmN0vB7cX1kP4sT9wY6hJ3gF5dE", "$1abc", "a$B"};
	for (size_t i = 0; i < sizeof not_refs / sizeof *not_refs; i++)
		CHECK(!cl_secrets_is_env_ref(not_refs[i], strlen(not_refs[i])),
			"not an env ref \"%s\"", not_refs[i]);
	CHECK(cl_secrets_literal_is_secret("q8Zr2LmN0vB7cX1kP4sT9wY6hJ3gF5dE", 32), "random literal");
	CHECK(!cl_secrets_literal_is_secret("YOUR_API_KEY", 12), "YOUR_API_KEY literal");
	CHECK(!cl_secrets_literal_is_secret("", 0), "empty literal");
	CHECK(!cl_secrets_literal_is_secret(NULL, 0), "NULL literal");
	/* embedded NUL: lengths rule, not NUL termination */
	CHECK(cl_secrets_is_placeholder("abc\0q8Zr2LmN0vB7cX1kP4sT9w", 26) == false,
		"embedded NUL does not end the literal");
}

static void test_names(void)
{
	const char *key_yes[] = {
		"ANTHROPIC_API_KEY", "anthropic_api_key", "CLAUDE_API_KEY",
		"ANTHROPIC_AUTH_TOKEN", "CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_ADMIN_KEY",
		"ANTHROPIC_API_KEY_PROD", "NEXT_PUBLIC_ANTHROPIC_API_KEY",
		"VITE_CLAUDE_API_KEY", "MY_APP_ANTHROPIC_APIKEY",
	};
	for (size_t i = 0; i < sizeof key_yes / sizeof *key_yes; i++)
		CHECK(cl_secrets_key_env_name(key_yes[i], strlen(key_yes[i])),
			"key env name %s", key_yes[i]);
	const char *key_no[] = {
		"ANTHROPIC_BASE_URL", "CLAUDE_MAX_TOKENS", "OPENAI_API_KEY", "ANTHROPIC",
		"API_KEY", "ANTHROPICAPI_KEY_X", "", "CLAUDE_MODEL",
	};
	for (size_t i = 0; i < sizeof key_no / sizeof *key_no; i++)
		CHECK(!cl_secrets_key_env_name(key_no[i], strlen(key_no[i])),
			"not a key env name %s", key_no[i]);
	CHECK(cl_secrets_key_env_name("ANTHROPIC_API_KEY=zzz", 17), "name given by length");

	const char *br_yes[] = {
		"NEXT_PUBLIC_ANTHROPIC_API_KEY", "VITE_ANTHROPIC_API_KEY",
		"REACT_APP_ANTHROPIC_API_KEY", "EXPO_PUBLIC_ANTHROPIC_API_KEY",
		"NUXT_PUBLIC_ANTHROPIC_API_KEY", "GATSBY_ANTHROPIC_API_KEY",
		"PUBLIC_ANTHROPIC_API_KEY", "VITE_X",
	};
	for (size_t i = 0; i < sizeof br_yes / sizeof *br_yes; i++)
		CHECK(cl_secrets_browser_env_name(br_yes[i], strlen(br_yes[i])),
			"browser env %s", br_yes[i]);
	const char *br_no[] = {
		"ANTHROPIC_API_KEY", "NEXT_PUBLIC_", "VITE_", "next_public_x", "VITEX",
		"PRIVATE_ANTHROPIC_API_KEY", "NEXT_ANTHROPIC_API_KEY", "",
	};
	for (size_t i = 0; i < sizeof br_no / sizeof *br_no; i++)
		CHECK(!cl_secrets_browser_env_name(br_no[i], strlen(br_no[i])),
			"not a browser env %s", br_no[i]);
	CHECK(!cl_secrets_browser_env_name(NULL, 0), "NULL browser env name");
}

struct envhits {
	size_t n;
	size_t line[32], vs[32], ve[32];
};

static void on_env(void *ud, size_t line_start, size_t value_start, size_t value_end)
{
	struct envhits *h = ud;
	if (h->n < 32) {
		h->line[h->n] = line_start;
		h->vs[h->n] = value_start;
		h->ve[h->n] = value_end;
	}
	h->n++;
}

static void test_env(void)
{
	char *api = make_key(pfx("api03"), 93, "AA", 71);
	const char *rnd = "q8Zr2LmN0vB7cX1kP4sT9wY6hJ3gF5dE";
	char *f = malloc(8192);
	/* expect: value text of each reported line, in order */
	const char *want[8];
	size_t nw = 0;
	int len = 0;

#define LINE(...) (len += snprintf(f + len, 8192 - (size_t)len, __VA_ARGS__))
	LINE("# ANTHROPIC_API_KEY=%s\n", api);
	LINE("ANTHROPIC_API_KEY=%s\n", api); want[nw++] = api;
	LINE("export ANTHROPIC_API_KEY=\"%s\"\n", api); want[nw++] = api;
	LINE("CLAUDE_API_KEY = '%s'\n", rnd); want[nw++] = rnd;
	LINE("ANTHROPIC_AUTH_TOKEN=%s  # prod\n", rnd); want[nw++] = rnd;
	LINE("ANTHROPIC_API_KEY=\n");
	LINE("ANTHROPIC_API_KEY=\"\"\n");
	LINE("ANTHROPIC_API_KEY=your-key-here\n");
	LINE("ANTHROPIC_API_KEY=${VAULT_ANTHROPIC}\n");
	LINE("ANTHROPIC_API_KEY=$OTHER_VAR\n");
	LINE("ANTHROPIC_API_KEY=sk-ant-...\n");
	LINE("ANTHROPIC_API_KEY=\"sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"\n");
	LINE("OPENAI_API_KEY=%s\n", rnd);
	LINE("ANTHROPIC_BASE_URL=https://gateway.example.invalid/anthropic/v1\n");
	LINE("CLAUDE_MAX_TOKENS=40960000000000000000000\n");
	LINE("ANTHROPIC_API_KEY: %s\n", rnd);
	LINE("exportANTHROPIC_API_KEY=%s\n", rnd);
	LINE("\t  NEXT_PUBLIC_ANTHROPIC_API_KEY=%s\r\n", rnd); want[nw++] = rnd;
	LINE("ANTHROPIC_API_KEY=\"%s", rnd); want[nw++] = rnd; /* unterminated, last line */
#undef LINE

	struct envhits h = {0};
	size_t r = cl_secrets_scan_env(f, (size_t)len, on_env, &h);
	CHECK(r == h.n && h.n == nw, "env lines reported: %zu, want %zu", h.n, nw);
	for (size_t i = 0; i < nw && i < h.n; i++) {
		size_t vn = h.ve[i] - h.vs[i];
		CHECK(vn == strlen(want[i]) && memcmp(f + h.vs[i], want[i], vn) == 0,
			"env value %zu: \"%.*s\"", i, (int)vn, f + h.vs[i]);
		CHECK(h.line[i] == 0 || f[h.line[i] - 1] == '\n', "env line start %zu", i);
		CHECK(h.line[i] <= h.vs[i], "env line start before value %zu", i);
	}
	CHECK(h.n >= 2 && strncmp(f + h.line[1], "export ", 7) == 0, "export line start");

	/* the same with NUL bytes and junk lines, unterminated buffer */
	size_t n = 200;
	char *g = malloc(n);
	memset(g, '\0', n);
	memcpy(g, "\xff\xfe\n", 3);
	memcpy(g + 3, "ANTHROPIC_API_KEY=", 18);
	memcpy(g + 21, rnd, 32);
	g[53] = '\n';
	struct envhits h2 = {0};
	CHECK(cl_secrets_scan_env(g, n, on_env, &h2) == 1 && h2.line[0] == 3 &&
		h2.vs[0] == 21 && h2.ve[0] == 53, "env with binary junk");
	g[179] = '\n';
	memcpy(g + 180, "ANTHROPIC_API_KEY=", 18);
	memcpy(g + 198, "ab", 2);
	CHECK(cl_secrets_scan_env(g, n, NULL, NULL) == 1, "short last value in unterminated buffer");
	free(g);

	CHECK(cl_secrets_scan_env(NULL, 0, on_env, NULL) == 0, "env NULL");
	CHECK(cl_secrets_scan_env("", 0, on_env, NULL) == 0, "env empty");
	CHECK(cl_secrets_scan_env("\n\n\n", 3, on_env, NULL) == 0, "env blank lines");
	free(f);
	free(api);
}

/* The caseless byte search the key scan (placeholder words), the facts and
 * the adapters share. */
static void test_memcasemem(void)
{
	const char hay[] = "a\0Bc-CLAUDE key";
	size_t n = sizeof hay - 1;
	CHECK(cl_memcasemem(hay, n, "claude", 6) == hay + 5, "caseless, past a NUL");
	CHECK(cl_memcasemem(hay, n, "KEY", 3) == hay + 12, "at the very end");
	CHECK(cl_memcasemem(hay, n, "\0b", 2) == hay + 1, "a NUL in the needle is a byte");
	CHECK(!cl_memcasemem(hay, n, "keys", 4), "one past the end");
	CHECK(!cl_memcasemem(hay, 4, "claude", 6), "outside the length");
	CHECK(cl_memcasemem(hay, n, "", 0) == hay, "the empty needle");
	CHECK(!cl_memcasemem("[", 1, "{", 1), "letters only fold: '[' is not '{'");
}

int main(void)
{
	CHECK(cl_secrets_init(), "init");
	CHECK(cl_secrets_init(), "init twice");
	printf("pcre2 jit: %s\n", cl_secrets_jit() ? "yes" : "no (interpreter)");
	test_memcasemem();
	test_shapes();
	test_bytes();
	test_big();
	test_redact();
	test_placeholders();
	test_names();
	test_env();
	cl_secrets_cleanup();
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
