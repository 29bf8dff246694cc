/*
 * wildmatch_ref.c — the backtracking port of git's wildmatch.c dowild()
 * (WM_PATHNAME) that gitignore.c used before it matched in linear time:
 * kept here as the oracle of fuzz_gitignore.c's differential check, on
 * inputs small enough for its exponential worst case.
 */
#include "wildmatch_ref.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

enum { WM_MATCH, WM_NOMATCH, WM_ABORT_ALL, WM_ABORT_TO_STARSTAR };

static bool is_glob_special(unsigned char c)
{
	return c == '*' || c == '?' || c == '[' || c == '\\';
}

static bool class_eq(const unsigned char *s, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* Port of git's wildmatch.c dowild() with WM_PATHNAME always set. */
static int dowild(const unsigned char *p, const unsigned char *text)
{
	const unsigned char *pattern = p;
	unsigned char p_ch;

	for (; (p_ch = *p) != '\0'; text++, p++) {
		int matched, negated;
		bool match_slash;
		unsigned char t_ch, prev_ch;

		if ((t_ch = *text) == '\0' && p_ch != '*')
			return WM_ABORT_ALL;
		switch (p_ch) {
		case '\\':
			/* p[1] == '\0' cannot match: t_ch is not '\0' here. */
			p_ch = *++p;
			/* fallthrough */
		default:
			if (t_ch != p_ch)
				return WM_NOMATCH;
			continue;
		case '?':
			if (t_ch == '/')
				return WM_NOMATCH;
			continue;
		case '*':
			if (*++p == '*') {
				const unsigned char *prev_p = p - 2;
				while (*++p == '*') {
				}
				if ((prev_p < pattern || *prev_p == '/') &&
				    (*p == '\0' || *p == '/' || (p[0] == '\\' && p[1] == '/'))) {
					if (p[0] == '/' && dowild(p + 1, text) == WM_MATCH)
						return WM_MATCH;
					match_slash = true;
				} else {
					match_slash = false;
				}
			} else {
				match_slash = false;
			}
			if (*p == '\0') {
				if (!match_slash && strchr((const char *)text, '/'))
					return WM_NOMATCH;
				return WM_MATCH;
			} else if (!match_slash && *p == '/') {
				const char *slash = strchr((const char *)text, '/');
				if (!slash)
					return WM_NOMATCH;
				text = (const unsigned char *)slash;
				break; /* the loop consumes the slash */
			}
			for (;;) {
				if (t_ch == '\0')
					break;
				if (!is_glob_special(*p)) {
					p_ch = *p;
					while ((t_ch = *text) != '\0' && (match_slash || t_ch != '/')) {
						if (t_ch == p_ch)
							break;
						text++;
					}
					if (t_ch != p_ch)
						return WM_NOMATCH;
				}
				if ((matched = dowild(p, text)) != WM_NOMATCH) {
					if (!match_slash || matched != WM_ABORT_TO_STARSTAR)
						return matched;
				} else if (!match_slash && t_ch == '/') {
					return WM_ABORT_TO_STARSTAR;
				}
				t_ch = *++text;
			}
			return WM_ABORT_ALL;
		case '[':
			p_ch = *++p;
			if (p_ch == '^')
				p_ch = '!';
			negated = p_ch == '!';
			if (negated)
				p_ch = *++p;
			prev_ch = 0;
			matched = 0;
			do {
				if (!p_ch)
					return WM_ABORT_ALL;
				if (p_ch == '\\') {
					p_ch = *++p;
					if (!p_ch)
						return WM_ABORT_ALL;
					if (t_ch == p_ch)
						matched = 1;
				} else if (p_ch == '-' && prev_ch && p[1] && p[1] != ']') {
					p_ch = *++p;
					if (p_ch == '\\') {
						p_ch = *++p;
						if (!p_ch)
							return WM_ABORT_ALL;
					}
					if (t_ch <= p_ch && t_ch >= prev_ch)
						matched = 1;
					p_ch = 0; /* prev_ch becomes 0 */
				} else if (p_ch == '[' && p[1] == ':') {
					const unsigned char *s = p += 2;
					while ((p_ch = *p) && p_ch != ']')
						p++;
					if (!p_ch)
						return WM_ABORT_ALL;
					if (p - s < 1 || p[-1] != ':') {
						/* no ":]": an ordinary '[' in the set */
						p = s - 2;
						p_ch = '[';
						if (t_ch == p_ch)
							matched = 1;
						continue;
					}
					size_t n = (size_t)(p - s - 1);
					int c = t_ch;
					if (class_eq(s, n, "alnum")) {
						matched |= isalnum(c) != 0;
					} else if (class_eq(s, n, "alpha")) {
						matched |= isalpha(c) != 0;
					} else if (class_eq(s, n, "blank")) {
						matched |= c == ' ' || c == '\t';
					} else if (class_eq(s, n, "cntrl")) {
						matched |= iscntrl(c) != 0;
					} else if (class_eq(s, n, "digit")) {
						matched |= isdigit(c) != 0;
					} else if (class_eq(s, n, "graph")) {
						matched |= isgraph(c) != 0;
					} else if (class_eq(s, n, "lower")) {
						matched |= islower(c) != 0;
					} else if (class_eq(s, n, "print")) {
						matched |= isprint(c) != 0;
					} else if (class_eq(s, n, "punct")) {
						matched |= ispunct(c) != 0;
					} else if (class_eq(s, n, "space")) {
						matched |= isspace(c) != 0;
					} else if (class_eq(s, n, "upper")) {
						matched |= isupper(c) != 0;
					} else if (class_eq(s, n, "xdigit")) {
						matched |= isxdigit(c) != 0;
					} else {
						return WM_ABORT_ALL;
					}
					p_ch = 0;
				} else if (t_ch == p_ch) {
					matched = 1;
				}
			} while (prev_ch = p_ch, (p_ch = *++p) != ']');
			if (matched == negated || t_ch == '/')
				return WM_NOMATCH;
			continue;
		}
	}
	return *text ? WM_NOMATCH : WM_MATCH;
}

bool wildmatch_ref(const char *pattern, const char *text)
{
	return dowild((const unsigned char *)pattern, (const unsigned char *)text) == WM_MATCH;
}
