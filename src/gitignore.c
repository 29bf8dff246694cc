/*
 * gitignore.c — parses .gitignore lines the way git's dir.c does and
 * matches paths with a port of git's wildmatch (WM_PATHNAME semantics).
 */
#include "gitignore.h"

#include "xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	PAT_NEGATIVE = 1,  /* `!pattern` */
	PAT_MUSTBEDIR = 2, /* `pattern/` */
	PAT_NODIR = 4,     /* no '/': matches the basename at any depth */
};

struct pattern {
	char *text;        /* without '!', trailing '/', or anchoring '/' */
	unsigned flags;
};

struct cl_gitignore {
	CL_VEC(struct pattern) pats;
};

enum { WM_MATCH, WM_NOMATCH, WM_ABORT_ALL, WM_ABORT_TO_STARSTAR };

struct cl_gitignore *cl_gitignore_create(void)
{
	return xcalloc(1, sizeof(struct cl_gitignore));
}

void cl_gitignore_destroy(struct cl_gitignore *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->pats.n; i++)
		free(g->pats.v[i].text);
	cl_vec_free(&g->pats);
	free(g);
}

size_t cl_gitignore_count(const struct cl_gitignore *g)
{
	return g ? g->pats.n : 0;
}

/* git's trim_trailing_spaces: drop unescaped trailing spaces. */
static size_t trim_trailing_spaces(const char *s, size_t len)
{
	size_t last_space = len;
	bool in_space = false;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == ' ') {
			if (!in_space) {
				last_space = i;
				in_space = true;
			}
			continue;
		}
		if (s[i] == '\\') {
			i++;
			if (i >= len)
				return len;
		}
		in_space = false;
	}
	return in_space ? last_space : len;
}

void cl_gitignore_add_line(struct cl_gitignore *g, const char *line, size_t len)
{
	if (len && line[len - 1] == '\r')
		len--;
	if (!len || line[0] == '#')
		return;
	len = trim_trailing_spaces(line, len);
	unsigned flags = 0;
	if (len && line[0] == '!') {
		flags |= PAT_NEGATIVE;
		line++;
		len--;
	}
	if (len && line[len - 1] == '/') {
		flags |= PAT_MUSTBEDIR;
		len--;
	}
	if (!len)
		return;
	if (!memchr(line, '/', len)) {
		flags |= PAT_NODIR;
	} else if (line[0] == '/') {
		line++;
		len--;
		if (!len)
			return;
	}
	struct pattern p = { xstrndup(line, len), flags };
	cl_vec_push(&g->pats, p);
}

void cl_gitignore_add_buffer(struct cl_gitignore *g, const char *buf, size_t len)
{
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
		buf += 3;
		len -= 3;
	}
	while (len) {
		const char *nl = memchr(buf, '\n', len);
		size_t n = nl ? (size_t)(nl - buf) : len;
		cl_gitignore_add_line(g, buf, n);
		if (!nl)
			break;
		buf += n + 1;
		len -= n + 1;
	}
}

bool cl_gitignore_read(struct cl_gitignore *g, int dirfd, const char *path)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return false;
	CL_VEC(char) buf = { 0 };
	char chunk[8192];
	for (;;) {
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			cl_vec_free(&buf);
			errno = e;
			return false;
		}
		if (r == 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			cl_vec_push(&buf, chunk[i]);
	}
	close(fd);
	cl_gitignore_add_buffer(g, buf.v, buf.n);
	cl_vec_free(&buf);
	return true;
}

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

bool cl_gitignore_wildmatch(const char *pattern, const char *text)
{
	return dowild((const unsigned char *)pattern, (const unsigned char *)text) == WM_MATCH;
}

enum cl_gitignore_verdict cl_gitignore_match(const struct cl_gitignore *g,
	const char *path, bool is_dir)
{
	if (!g || !*path)
		return CL_GITIGNORE_NONE;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	for (size_t i = g->pats.n; i-- > 0;) {
		const struct pattern *p = &g->pats.v[i];
		if ((p->flags & PAT_MUSTBEDIR) && !is_dir)
			continue;
		const char *subject = (p->flags & PAT_NODIR) ? base : path;
		if (cl_gitignore_wildmatch(p->text, subject))
			return (p->flags & PAT_NEGATIVE) ? CL_GITIGNORE_INCLUDE : CL_GITIGNORE_IGNORE;
	}
	return CL_GITIGNORE_NONE;
}

bool cl_gitignore_covers(const struct cl_gitignore *g, const char *path)
{
	char *buf = xstrdup(path);
	bool hit = false;
	for (char *slash = strchr(buf, '/'); slash && !hit; slash = strchr(slash + 1, '/')) {
		*slash = 0;
		hit = *buf && cl_gitignore_match(g, buf, true) == CL_GITIGNORE_IGNORE;
		*slash = '/';
	}
	if (!hit)
		hit = cl_gitignore_match(g, buf, false) == CL_GITIGNORE_IGNORE;
	free(buf);
	return hit;
}
