/*
 * secrets.c — Anthropic key detection for CL01: one anchored PCRE2 pattern
 * (JIT when available) tried at each "sk-ant-" found by memmem, plus the
 * placeholder, env-file and browser-prefix heuristics. See secrets.h.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "scan/secrets.h"

#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/patterns.h"
#include "support/utf8.h"
#include "support/xalloc.h"

#define PREFIX "sk-ant-"
#define PREFIX_LEN 7

/* Anchored at the start offset; the byte before is checked in C. */
static const char key_pattern[] =
	"sk-ant-(?:"
	"api0[0-9]-[A-Za-z0-9_-]{90,128}AA"
	"|admin01-[A-Za-z0-9_-]{93}AA"
	"|o[ar]t01-[A-Za-z0-9_-]{80,}"
	")(?![A-Za-z0-9_-])";

static pcre2_code *key_re;
static int watch_group = -1; /* PREFIX, looked for in the pass over each file */
static bool key_jit;
static bool init_ok;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

static void compile_once(void)
{
	int err;
	PCRE2_SIZE erroff;
	uint32_t have_jit = 0;

	key_re = pcre2_compile((PCRE2_SPTR)key_pattern, PCRE2_ZERO_TERMINATED,
		PCRE2_ANCHORED, &err, &erroff, NULL);
	if (!key_re)
		return;
	if (pcre2_config(PCRE2_CONFIG_JIT, &have_jit) == 0 && have_jit)
		key_jit = pcre2_jit_compile(key_re, PCRE2_JIT_COMPLETE) == 0;
	init_ok = true;
}

void cl_secrets_watch(void)
{
	static const char *const prefix[] = {PREFIX};
	watch_group = cl_patterns_watch(prefix, 1, false);
}

bool cl_secrets_init(void)
{
	pthread_once(&init_once, compile_once);
	return init_ok;
}

void cl_secrets_cleanup(void)
{
	pcre2_code_free(key_re);
	key_re = NULL;
	init_ok = false;
	key_jit = false;
}

bool cl_secrets_jit(void)
{
	return cl_secrets_init() && key_jit;
}

static bool is_tok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9') || c == '_' || c == '-';
}

static bool is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		(c >= '0' && c <= '9');
}

static bool is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' ||
		c == '\f';
}

/*
 * memmem over windows of 64 KiB: the same speed, but sanitizer builds (whose
 * memmem interceptor checks the whole haystack on every call) stay linear.
 */
static const char *find_prefix(const char *d, size_t pos, size_t len)
{
	enum { WINDOW = 1 << 16 };

	while (len - pos >= PREFIX_LEN) {
		size_t win = len - pos > WINDOW ? WINDOW : len - pos;
		const char *p = memmem(d + pos, win, PREFIX, PREFIX_LEN);
		if (p || win == len - pos)
			return p;
		pos += win - (PREFIX_LEN - 1);
	}
	return NULL;
}

static const char *kind_of(const char *key)
{
	const char *k = key + PREFIX_LEN;
	if (k[0] == 'a')
		return k[1] == 'p' ? "api key" : "admin key";
	return k[1] == 'a' ? "OAuth access token" : "OAuth refresh token";
}

size_t cl_secrets_scan(const char *data, size_t len, cl_secret_cb cb, void *ud)
{
	pcre2_match_data *md = NULL;
	size_t pos = 0, count = 0;

	if (!data || !cl_secrets_init() || !cl_patterns_may_hold(watch_group, data, len))
		return 0;
	while (len - pos >= PREFIX_LEN) {
		const char *p = find_prefix(data, pos, len);
		if (!p)
			break;
		size_t off = (size_t)(p - data);
		pos = off + PREFIX_LEN;
		if (off > 0 && is_tok((unsigned char)data[off - 1]))
			continue;
		if (!md)
			md = pcre2_match_data_create_from_pattern(key_re, NULL);
		if (!md) { /* as xmalloc does */
			fputs("claudit: out of memory\n", stderr);
			exit(3);
		}
		int rc = pcre2_match(key_re, (PCRE2_SPTR)data, len, off, 0, md, NULL);
		if (rc <= 0)
			continue;
		PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
		if (cb)
			cb(ud, ov[0], ov[1], kind_of(data + ov[0]));
		count++;
		pos = ov[1];
	}
	pcre2_match_data_free(md);
	return count;
}

bool cl_secrets_contains_key(const char *s, size_t n)
{
	return cl_secrets_scan(s, n, NULL, NULL) > 0;
}

char *cl_secrets_redact(const char *s, size_t n)
{
	char head[13];
	size_t show;

	if (!s)
		n = 0;
	show = n / 2;
	if (show > 12)
		show = 12;
	for (size_t i = 0; i < show; i++) {
		unsigned char c = (unsigned char)s[i];
		head[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	head[show] = '\0';
	return xasprintf("%s\xe2\x80\xa6 (%zu char%s)", head, n, n == 1 ? "" : "s");
}

/* Where the key-like run at s[off] ("sk-ant-" found there) ends: a whole
 * key in a recognised shape, or any "sk-ant-" followed by 20 or more key
 * characters (a cut or reshaped key is still secret); else OFF. */
static size_t secret_end(const char *s, size_t n, size_t off, pcre2_match_data *md)
{
	if (md && pcre2_match(key_re, (PCRE2_SPTR)s, n, off, 0, md, NULL) > 0)
		return pcre2_get_ovector_pointer(md)[1];
	size_t e = off + PREFIX_LEN;
	while (e < n && is_tok((unsigned char)s[e]))
		e++;
	return e - off - PREFIX_LEN >= 20 ? e : off;
}

char *cl_secrets_redact_all(const char *s, size_t n)
{
	if (!s)
		n = 0;
	/* the common case: no "sk-ant-" at all */
	if (!n || !memmem(s, n, PREFIX, PREFIX_LEN))
		return xstrndup(s ? s : "", n);
	pcre2_match_data *md = cl_secrets_init() ?
		pcre2_match_data_create_from_pattern(key_re, NULL) : NULL;
	CL_VEC(char) out = {0};
	size_t done = 0;
	for (size_t pos = 0; n - pos >= PREFIX_LEN;) {
		const char *p = find_prefix(s, pos, n);
		if (!p)
			break;
		size_t off = (size_t)(p - s), end = secret_end(s, n, off, md);
		if (end == off) {
			pos = off + PREFIX_LEN;
			continue;
		}
		char *shown = cl_secrets_redact(s + off, end - off);
		for (size_t i = done; i < off; i++)
			cl_vec_push(&out, s[i]);
		for (const char *c = shown; *c; c++)
			cl_vec_push(&out, *c);
		free(shown);
		done = pos = end;
	}
	for (size_t i = done; i < n; i++)
		cl_vec_push(&out, s[i]);
	cl_vec_push(&out, '\0');
	pcre2_match_data_free(md);
	return out.v;
}

static void trim(const char **s, size_t *n)
{
	while (*n && is_space((unsigned char)**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && is_space((unsigned char)(*s)[*n - 1]))
		(*n)--;
}

static bool has_ci(const char *s, size_t n, const char *w)
{
	return cl_memcasemem(s, n, w, strlen(w)) != NULL;
}

static bool has_pair(const char *s, size_t n, const char *open, const char *close)
{
	const char *o = memmem(s, n, open, strlen(open));
	if (!o)
		return false;
	size_t rest = n - (size_t)(o - s) - strlen(open);
	return memmem(o + strlen(open), rest, close, strlen(close)) != NULL;
}

static bool is_template(const char *s, size_t n)
{
	if (has_pair(s, n, "${", "}") || has_pair(s, n, "{{", "}}"))
		return true;
	return n >= 2 && s[0] == '<' && s[n - 1] == '>';
}

static const char *const placeholder_words[] = {
	"your", "xxx", "...", "\xe2\x80\xa6", "***", "changeme", "change_me",
	"dummy", "test", "key", "example", "placeholder", "replace", "insert",
	"fake", "sample", "redacted", "mock", "todo",
};

static bool reads_as_placeholder(const char *s, size_t n)
{
	bool alnum = false, same = true;

	for (size_t i = 0; i < n; i++) {
		if (is_alnum((unsigned char)s[i]))
			alnum = true;
		if (s[i] != s[0])
			same = false;
	}
	if (!alnum || same)
		return true;
	for (size_t i = 0; i < sizeof placeholder_words / sizeof *placeholder_words; i++)
		if (has_ci(s, n, placeholder_words[i]))
			return true;
	return false;
}

bool cl_secrets_is_placeholder(const char *s, size_t n)
{
	if (!s)
		return true;
	trim(&s, &n);
	if (n == 0)
		return true;
	if (cl_secrets_contains_key(s, n))
		return false;
	if (is_template(s, n))
		return true;
	if (n >= PREFIX_LEN && memcmp(s, PREFIX, PREFIX_LEN) == 0) {
		s += PREFIX_LEN;
		n -= PREFIX_LEN;
		/* optional "api03-", "admin01-", "oat01-" segment */
		size_t i = 0;
		while (i < n && s[i] >= 'a' && s[i] <= 'z')
			i++;
		size_t d = i;
		while (d < n && s[d] >= '0' && s[d] <= '9')
			d++;
		if (i > 0 && d > i && d < n && s[d] == '-') {
			s += d + 1;
			n -= d + 1;
		}
	}
	return n < 20 || reads_as_placeholder(s, n);
}

static size_t name_len(const char *s, size_t n)
{
	size_t i = 0;
	if (n == 0 || !(s[0] == '_' || (s[0] >= 'A' && s[0] <= 'Z') ||
			(s[0] >= 'a' && s[0] <= 'z')))
		return 0;
	while (i < n && (is_alnum((unsigned char)s[i]) || s[i] == '_'))
		i++;
	return i;
}

bool cl_secrets_is_env_ref(const char *s, size_t n)
{
	if (!s)
		return false;
	trim(&s, &n);
	if (n >= 2 && s[0] == '$' && s[1] == '{')
		return s[n - 1] == '}' && name_len(s + 2, n - 2) > 0;
	if (n >= 6 && strncasecmp(s, "$env:", 5) == 0)
		return name_len(s + 5, n - 5) == n - 5;
	if (n >= 2 && s[0] == '$')
		return name_len(s + 1, n - 1) == n - 1;
	if (n >= 3 && s[0] == '%' && s[n - 1] == '%')
		return name_len(s + 1, n - 2) == n - 2;
	return false;
}

bool cl_secrets_literal_is_secret(const char *s, size_t n)
{
	return s && !cl_secrets_is_placeholder(s, n) && !cl_secrets_is_env_ref(s, n);
}

static const char *const browser_prefixes[] = {
	"NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_PUBLIC_",
	"GATSBY_", "PUBLIC_",
};

static size_t browser_prefix_len(const char *name, size_t n)
{
	for (size_t i = 0; i < sizeof browser_prefixes / sizeof *browser_prefixes; i++) {
		size_t pn = strlen(browser_prefixes[i]);
		if (n > pn && memcmp(name, browser_prefixes[i], pn) == 0)
			return pn;
	}
	return 0;
}

bool cl_secrets_browser_env_name(const char *name, size_t n)
{
	return name && browser_prefix_len(name, n) > 0;
}

static bool word_is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && strncasecmp(w, lit, n) == 0;
}

bool cl_secrets_key_env_name(const char *name, size_t n)
{
	bool vendor = false, cred = false;

	if (!name)
		return false;
	/* browser prefixes are matched in upper case, as written in practice */
	size_t skip = browser_prefix_len(name, n);
	name += skip;
	n -= skip;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && name[j] != '_')
			j++;
		const char *w = name + i;
		size_t wn = j - i;
		if (word_is(w, wn, "ANTHROPIC") || word_is(w, wn, "CLAUDE"))
			vendor = true;
		if (word_is(w, wn, "KEY") || word_is(w, wn, "APIKEY") ||
				word_is(w, wn, "TOKEN"))
			cred = true;
		i = j + 1;
	}
	return vendor && cred;
}

static size_t skip_blanks(const char *s, size_t i, size_t end)
{
	while (i < end && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i;
}

/* One line [ls, le) without its newline; true and value bounds if it
 * assigns a credential variable. */
static bool env_line(const char *d, size_t ls, size_t le, size_t *vs, size_t *ve)
{
	size_t i = skip_blanks(d, ls, le);

	if (le - i > 7 && memcmp(d + i, "export", 6) == 0 &&
			(d[i + 6] == ' ' || d[i + 6] == '\t'))
		i = skip_blanks(d, i + 6, le);
	size_t nl = name_len(d + i, le - i);
	if (nl == 0 || !cl_secrets_key_env_name(d + i, nl))
		return false;
	i = skip_blanks(d, i + nl, le);
	if (i >= le || d[i] != '=')
		return false;
	i = skip_blanks(d, i + 1, le);
	if (i < le && (d[i] == '"' || d[i] == '\'' || d[i] == '`')) {
		const char *q = memchr(d + i + 1, d[i], le - i - 1);
		*vs = i + 1;
		*ve = q ? (size_t)(q - d) : le;
	} else {
		size_t j = i;
		while (j < le && !(d[j] == '#' && j > i &&
				(d[j - 1] == ' ' || d[j - 1] == '\t')))
			j++;
		*vs = i;
		*ve = j;
	}
	while (*ve > *vs && is_space((unsigned char)d[*ve - 1]))
		(*ve)--;
	return true;
}

size_t cl_secrets_scan_env(const char *data, size_t len, cl_env_cb cb, void *ud)
{
	size_t count = 0;

	if (!data)
		return 0;
	for (size_t ls = 0; ls < len;) {
		const char *nl = memchr(data + ls, '\n', len - ls);
		size_t le = nl ? (size_t)(nl - data) : len;
		size_t vs, ve;
		if (env_line(data, ls, le, &vs, &ve) &&
				cl_secrets_literal_is_secret(data + vs, ve - vs)) {
			if (cb)
				cb(ud, ls, vs, ve);
			count++;
		}
		ls = le + 1;
	}
	return count;
}
