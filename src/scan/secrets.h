/*
 * secrets.h — detection primitives for CL01 (keys in source, committed env
 * files, browser-exposed variables): finds Anthropic keys and OAuth tokens
 * in arbitrary bytes, tells placeholders from real literals, reads
 * .env-style files and redacts what it finds. Owns the compiled PCRE2
 * pattern; knows nothing of files, rules or findings.
 */
#ifndef CL_SECRETS_H
#define CL_SECRETS_H
#include <stdbool.h>
#include <stddef.h>

/*
 * Compile the key pattern (PCRE2, JIT when the library has it, else the
 * interpreter). Call once before any other function, before scan threads
 * start; a second call is a no-op. Returns false only if PCRE2 rejects the
 * pattern (a bug). Every other function calls it lazily if needed.
 * cl_secrets_cleanup frees the pattern; call it once, after the threads
 * end: afterwards init returns false and every scan finds nothing.
 */
bool cl_secrets_init(void);

/* Has the pass over each registered text (rules/patterns.h) look for the
 * key prefix, so that cl_secrets_scan skips a file that holds none. From
 * the main thread, before the scan's threads start. */
void cl_secrets_watch(void);
void cl_secrets_cleanup(void);
bool cl_secrets_jit(void); /* true when matching runs JIT-compiled code */

/*
 * Key shapes recognised by cl_secrets_scan (all in bytes, no UTF-8 needed):
 *   api key             sk-ant-api0N- + 90..128 of [A-Za-z0-9_-] + AA
 *                       (secretlint's range; covers gitleaks/TruffleHog's
 *                       sk-ant-api03- + 93 + AA, 108 characters)
 *   admin key           sk-ant-admin01- + 93 of [A-Za-z0-9_-] + AA
 *   OAuth access token  sk-ant-oat01- + 80 or more of [A-Za-z0-9_-]
 *   OAuth refresh token sk-ant-ort01- + 80 or more of [A-Za-z0-9_-]
 * OAuth tokens: gitleaks' claude-code-oauth-token rule observes 95 body
 * characters (108 in all) with no fixed AA suffix; its anthropic-oauth-token
 * rule takes 40 or more. We take 80 or more so real tokens and modestly
 * longer future ones match, while short hand-made test strings
 * ("sk-ant-oat01-abc…" of 40–60 characters, common in test suites) do not.
 * A match must stand alone: the byte before it and the byte after it are
 * not [A-Za-z0-9_-] (so "xsk-ant-…" or a key glued to more token
 * characters is not reported).
 */

/* kind is a static string: "api key", "admin key", "OAuth access token",
 * "OAuth refresh token". [start, end) are byte offsets into data. */
typedef void (*cl_secret_cb)(void *ud, size_t start, size_t end, const char *kind);

/*
 * Report every key in data[0, len). data need not be NUL-terminated, may
 * hold NUL bytes and invalid UTF-8, and may be one multi-megabyte line.
 * Cost is a memmem() pass for "sk-ant-" plus one anchored match per hit.
 * Thread-safe (match data is per call). cb may be NULL (just count).
 * Returns the number of keys reported.
 */
size_t cl_secrets_scan(const char *data, size_t len, cl_secret_cb cb, void *ud);

/* true when s[0, n) contains a key in one of the shapes above. */
bool cl_secrets_contains_key(const char *s, size_t n);

/*
 * A printable stand-in for a secret, never the secret: the first
 * min(12, n / 2) bytes, then "…" and the length in bytes, e.g.
 * "sk-ant-api03… (108 chars)". Halving means a short value is never shown
 * whole either; bytes outside printable ASCII are shown as '?'.
 * Caller frees with free().
 */
char *cl_secrets_redact(const char *s, size_t n);

/*
 * A copy of s[0, n) with every key — in a recognised shape, also glued to
 * the text before it ("--sk-ant-…", "dir-sk-ant-…"), or any "sk-ant-"
 * followed by 20 or more of [A-Za-z0-9_-] (a key cut short or reshaped) —
 * replaced by its cl_secrets_redact stand-in, and NUL-terminated: the last step before any
 * text built from scanned bytes or user input leaves the program (reports,
 * stderr). Caller frees with free().
 */
char *cl_secrets_redact_all(const char *s, size_t n);

/*
 * true when the string literal s[0, n) (contents, without quotes) is a
 * placeholder rather than a credential (CL01). Surrounding whitespace is
 * ignored. In order:
 *   - contains a key in a recognised shape: never a placeholder (false),
 *     whatever words it contains;
 *   - empty, or a template anywhere: "${…}", "{{…}}", or wholly "<…>";
 *   - starts with "sk-ant-" (but is not a full key): after the prefix and an
 *     optional "api03-"-like segment, the rest is a placeholder if under 20
 *     bytes or it reads as one (below): "sk-ant-...", "sk-ant-xxx",
 *     "sk-ant-api03-REPLACE_ME"; a long random-looking rest is NOT a
 *     placeholder (a truncated or reshaped real key);
 *   - otherwise a placeholder if under 20 bytes or it reads as one.
 * "Reads as one": no letter or digit at all ("***", "..."), one character
 * repeated ("xxxxxxxx"), contains "..." / "…" / "***", or contains,
 * ignoring case, one of: your, xxx, changeme, change_me, dummy, test, key,
 * example, placeholder, replace, insert, fake, sample, redacted, mock,
 * todo.
 */
bool cl_secrets_is_placeholder(const char *s, size_t n);

/*
 * true when s[0, n) is a reference to an environment variable rather than a
 * value: "$NAME", "${NAME…}", "%NAME%", "$env:NAME" (whole string).
 */
bool cl_secrets_is_env_ref(const char *s, size_t n);

/*
 * true when a string literal given as api_key / apiKey (or an auth token)
 * should be a CL01.hardcoded-key finding: not a placeholder and not an
 * environment variable reference.
 */
bool cl_secrets_literal_is_secret(const char *s, size_t n);

/*
 * true when the variable name holds an Anthropic credential: ignoring case
 * and one browser-exposed prefix, its '_'-separated words include
 * ANTHROPIC or CLAUDE and one of KEY, APIKEY, TOKEN (so ANTHROPIC_API_KEY,
 * CLAUDE_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN,
 * ANTHROPIC_ADMIN_KEY, ANTHROPIC_API_KEY_PROD, NEXT_PUBLIC_ANTHROPIC_API_KEY;
 * not ANTHROPIC_BASE_URL nor CLAUDE_MAX_TOKENS).
 */
bool cl_secrets_key_env_name(const char *name, size_t n);

/*
 * true when the bare variable name (no "process.env." in front) is exposed
 * to browser bundles by its framework: NEXT_PUBLIC_, VITE_, REACT_APP_,
 * EXPO_PUBLIC_, NUXT_PUBLIC_, GATSBY_, SvelteKit PUBLIC_. Case-sensitive,
 * as the frameworks are; the prefix alone is not a name.
 */
bool cl_secrets_browser_env_name(const char *name, size_t n);

/*
 * .env-style files. Offsets are bytes into data; [value_start, value_end)
 * excludes quotes.
 */
typedef void (*cl_env_cb)(void *ud, size_t line_start, size_t value_start, size_t value_end);

/*
 * Report each line of a .env-style file that gives an Anthropic credential
 * variable (cl_secrets_key_env_name) a real value (cl_secrets_literal_is_secret:
 * not empty, not a placeholder, not "${VAR}"). Accepts "NAME=value",
 * "export NAME=value", blanks around '=', values in '…', "…" or `…`
 * quotes, an unquoted value ending at " #" comments, CRLF lines, '#'
 * comment lines. A key-shaped value under any other name is left to
 * cl_secrets_scan. Returns the number of lines reported; cb may be NULL.
 */
size_t cl_secrets_scan_env(const char *data, size_t len, cl_env_cb cb, void *ud);

#endif
