/*
 * gitignore.c — parses .gitignore lines the way git's dir.c does and
 * matches paths with git's wildmatch semantics (WM_PATHNAME) in linear time.
 */
#include "scan/gitignore.h"

#include "scan/fileio.h"
#include "support/xalloc.h"

/* git reads ignore files of any size; 16 MiB bounds a hostile one. */
#define MAX_IGNORE_BYTES (16u << 20)

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum {
	PAT_NEGATIVE = 1,  /* `!pattern` */
	PAT_MUSTBEDIR = 2, /* `pattern/` */
	PAT_NODIR = 4,     /* no '/': matches the basename at any depth */
};

enum tok_kind {
	T_LIT,     /* one byte */
	T_ONE,     /* `?`: one byte but '/' */
	T_SET,     /* `[...]`: one byte of the set ('/' never in it) */
	T_STAR,    /* `*`: any run without '/' */
	T_ANY,     /* `**` standing for a whole trailing component: any run */
	T_DIRS,    /* `**` + '/' at the start or after a '/': a choice that reads
	              nothing, between the T_ANY and '/' tokens that follow it and
	              skipping both: "" or "x/y/" */
};

struct tok {
	unsigned char kind, c;
	unsigned char set[32]; /* T_SET: bit per byte */
};

struct glob {
	struct tok *t;
	size_t n;
	bool never; /* malformed (an unclosed '[', an unknown class, a trailing '\'): matches nothing */
	/* What every match has, checked before the walk (most paths fail here):
	 * at least MIN bytes, starting with the leading literal tokens (PRE),
	 * ending with the trailing ones (SUF), and holding its longest run of
	 * literal tokens (MID: "overlays/" for "**" "/overlays/" "**"). */
	size_t min, npre, nsuf, nmid;
	unsigned char *pre, *suf, *mid;
};

struct pattern {
	struct glob glob;
	char *text;        /* without '!', trailing '/', or anchoring '/' */
	unsigned flags;
};

/* What cl_gitignore_index builds for a list with no `!negation`: the
 * patterns that match a basename by its ending alone (a star, then literal
 * bytes: "*.py"), by their last byte, and the other patterns. */
struct suffix_index {
	uint32_t first[257];   /* SIMPLE[FIRST[b], FIRST[b + 1]): last byte b */
	uint32_t *simple;
	uint32_t *other;
	size_t nother;
};

struct cl_gitignore {
	CL_VEC(struct pattern) pats;
	struct suffix_index *index;
};

static void glob_compile(struct glob *g, const char *pattern);
static void glob_free(struct glob *g);

static void drop_index(struct cl_gitignore *g)
{
	if (g->index) {
		free(g->index->simple);
		free(g->index->other);
		free(g->index);
		g->index = NULL;
	}
}

struct cl_gitignore *cl_gitignore_create(void)
{
	return xcalloc(1, sizeof(struct cl_gitignore));
}

void cl_gitignore_destroy(struct cl_gitignore *g)
{
	if (!g)
		return;
	for (size_t i = 0; i < g->pats.n; i++) {
		free(g->pats.v[i].text);
		glob_free(&g->pats.v[i].glob);
	}
	cl_vec_free(&g->pats);
	drop_index(g);
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
	struct pattern p = { .text = xstrndup(line, len), .flags = flags };
	glob_compile(&p.glob, p.text);
	cl_vec_push(&g->pats, p);
	drop_index(g);
}

/* Does P match a basename by its ending alone? ("*.py": a star, then
 * literal bytes; the star never meets a '/' in a basename.) */
static bool suffix_only(const struct pattern *p)
{
	return (p->flags & PAT_NODIR) && !p->glob.never && p->glob.n >= 2 && p->glob.t[0].kind == T_STAR &&
		p->glob.npre == 0 && p->glob.nsuf == p->glob.n - 1;
}

void cl_gitignore_index(struct cl_gitignore *g)
{
	drop_index(g);
	for (size_t i = 0; i < g->pats.n; i++)
		if (g->pats.v[i].flags & PAT_NEGATIVE)
			return; /* the last match decides: walk them in order */
	struct suffix_index *x = xcalloc(1, sizeof *x);
	x->simple = xcalloc(g->pats.n + 1, sizeof *x->simple);
	x->other = xcalloc(g->pats.n + 1, sizeof *x->other);
	for (size_t i = 0; i < g->pats.n; i++)
		if (suffix_only(&g->pats.v[i]))
			x->first[g->pats.v[i].glob.suf[g->pats.v[i].glob.nsuf - 1] + 1]++;
		else
			x->other[x->nother++] = (uint32_t)i;
	for (unsigned b = 0; b < 256; b++)
		x->first[b + 1] += x->first[b];
	uint32_t fill[256];
	memcpy(fill, x->first, sizeof fill);
	for (size_t i = 0; i < g->pats.n; i++)
		if (suffix_only(&g->pats.v[i]))
			x->simple[fill[g->pats.v[i].glob.suf[g->pats.v[i].glob.nsuf - 1]]++] = (uint32_t)i;
	g->index = x;
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
	size_t len;
	const char *why;
	char *buf = cl_file_read(dirfd, path, true, MAX_IGNORE_BYTES, &len, &why);
	if (!buf)
		return false;
	cl_gitignore_add_buffer(g, buf, len);
	free(buf);
	return true;
}

static void set_bit(unsigned char *set, unsigned c)
{
	set[c >> 3] |= (unsigned char)(1u << (c & 7));
}

static bool has_bit(const unsigned char *set, unsigned c)
{
	return set[c >> 3] & (1u << (c & 7));
}

static bool class_eq(const unsigned char *s, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(s, name, n) == 0;
}

/* A `[:name:]` class into SET; false for an unknown name. */
static bool add_class(unsigned char *set, const unsigned char *s, size_t n)
{
	static const struct { const char *name; int (*is)(int); } classes[] = {
		{"alnum", isalnum}, {"alpha", isalpha}, {"cntrl", iscntrl}, {"digit", isdigit},
		{"graph", isgraph}, {"lower", islower}, {"print", isprint}, {"punct", ispunct},
		{"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
	};
	if (class_eq(s, n, "blank")) {
		set_bit(set, ' ');
		set_bit(set, '\t');
		return true;
	}
	for (size_t i = 0; i < sizeof classes / sizeof *classes; i++) {
		if (!class_eq(s, n, classes[i].name))
			continue;
		for (unsigned c = 1; c < 256; c++)
			if (classes[i].is((int)c))
				set_bit(set, c);
		return true;
	}
	return false;
}

/*
 * Parses the bracket expression at P (on its '[') into T, as git's dowild
 * reads it; returns the position of its closing ']', or NULL when malformed.
 */
static const unsigned char *parse_set(const unsigned char *p, struct tok *t)
{
	unsigned char p_ch = *++p, prev_ch = 0;
	if (p_ch == '^')
		p_ch = '!';
	bool negated = p_ch == '!';
	if (negated)
		p_ch = *++p;
	do {
		if (!p_ch)
			return NULL;
		if (p_ch == '\\') {
			p_ch = *++p;
			if (!p_ch)
				return NULL;
			set_bit(t->set, p_ch);
		} else if (p_ch == '-' && prev_ch && p[1] && p[1] != ']') {
			p_ch = *++p;
			if (p_ch == '\\') {
				p_ch = *++p;
				if (!p_ch)
					return NULL;
			}
			for (unsigned c = prev_ch; c <= p_ch; c++)
				set_bit(t->set, c);
			p_ch = 0; /* prev_ch becomes 0 */
		} else if (p_ch == '[' && p[1] == ':') {
			const unsigned char *s = p += 2;
			while ((p_ch = *p) && p_ch != ']')
				p++;
			if (!p_ch)
				return NULL;
			if (p - s < 1 || p[-1] != ':') {
				/* no ":]": an ordinary '[' in the set */
				p = s - 2;
				p_ch = '[';
				set_bit(t->set, p_ch);
				continue;
			}
			if (!add_class(t->set, s, (size_t)(p - s - 1)))
				return NULL;
			p_ch = 0;
		} else {
			set_bit(t->set, p_ch);
		}
	} while (prev_ch = p_ch, (p_ch = *++p) != ']');
	if (negated)
		for (size_t i = 0; i < sizeof t->set; i++)
			t->set[i] = (unsigned char)~t->set[i];
	t->set[0] &= (unsigned char)~1u; /* NUL ends the text */
	t->set['/' >> 3] &= (unsigned char)~(1u << ('/' & 7));
	return p;
}

/* A literal token every match reads: not the '/' after a T_DIRS's T_ANY,
 * which the T_DIRS may skip. */
static bool required_lit(const struct glob *g, size_t i)
{
	return g->t[i].kind == T_LIT && !(i >= 2 && g->t[i - 2].kind == T_DIRS);
}

/* The bounds glob_match checks first: MIN, PRE and SUF. */
static void glob_bounds(struct glob *g)
{
	size_t npre = 0, nsuf = 0;
	for (size_t i = 0; i < g->n; i++)
		g->min += required_lit(g, i) || g->t[i].kind == T_ONE || g->t[i].kind == T_SET;
	while (npre < g->n && required_lit(g, npre))
		npre++;
	while (nsuf < g->n - npre && required_lit(g, g->n - 1 - nsuf))
		nsuf++;
	size_t mid_at = 0, nmid = 0;
	for (size_t i = 0, run = 0; i < g->n; i++) {
		run = required_lit(g, i) ? run + 1 : 0;
		if (run > nmid) {
			nmid = run;
			mid_at = i + 1 - run;
		}
	}
	if (nmid <= npre || nmid <= nsuf)
		nmid = 0; /* PRE or SUF says as much */
	g->pre = xmalloc(npre + nsuf + nmid + 1);
	g->suf = g->pre + npre;
	g->mid = g->suf + nsuf;
	for (size_t i = 0; i < npre; i++)
		g->pre[i] = g->t[i].c;
	for (size_t i = 0; i < nsuf; i++)
		g->suf[i] = g->t[g->n - nsuf + i].c;
	for (size_t i = 0; i < nmid; i++)
		g->mid[i] = g->t[mid_at + i].c;
	g->npre = npre;
	g->nsuf = nsuf;
	g->nmid = nmid;
}

static void glob_compile(struct glob *g, const char *pattern)
{
	const unsigned char *p = (const unsigned char *)pattern;
	CL_VEC(struct tok) toks = { 0 };
	memset(g, 0, sizeof *g);
	while (*p && !g->never) {
		struct tok t = { T_LIT, *p, { 0 } };
		switch (*p) {
		case '\\':
			if (!p[1]) {
				g->never = true;
				continue;
			}
			t.c = *++p;
			p++;
			break;
		case '?':
			t.kind = T_ONE;
			p++;
			break;
		case '[': {
			t.kind = T_SET;
			const unsigned char *close = parse_set(p, &t);
			if (!close) {
				g->never = true;
				continue;
			}
			p = close + 1;
			break;
		}
		case '*': {
			const unsigned char *first = p;
			while (*p == '*')
				p++;
			t.kind = T_STAR;
			if (p - first >= 2 && (first == (const unsigned char *)pattern || first[-1] == '/')) {
				if (*p == '/') {
					t.kind = T_DIRS;
					cl_vec_push(&toks, t);
					t.kind = T_ANY;
					cl_vec_push(&toks, t);
					t = (struct tok){ T_LIT, '/', { 0 } };
					p++;
				} else if (!*p || (p[0] == '\\' && p[1] == '/')) {
					t.kind = T_ANY;
				}
			}
			break;
		}
		default:
			p++;
			break;
		}
		cl_vec_push(&toks, t);
	}
	g->t = toks.v;
	g->n = toks.n;
	glob_bounds(g);
}

static void glob_free(struct glob *g)
{
	free(g->t);
	free(g->pre);
}

/* Adds the positions reachable from live ones without reading a byte. */
static void glob_close(const struct glob *g, unsigned char *live)
{
	for (size_t i = 0; i < g->n; i++) {
		if (live[i] && g->t[i].kind >= T_STAR)
			live[i + 1] = 1;
		if (live[i] && g->t[i].kind == T_DIRS)
			live[i + 3] = 1; /* past its T_ANY and '/' */
	}
}

/* Token visits of every match so far: CLAUDIT_STATS's glob count. */
static _Atomic uint64_t glob_steps;

uint64_t cl_gitignore_work_total(void)
{
	return atomic_load(&glob_steps);
}

/* Does G match TEXT, LEN bytes (NUL-terminated)? */
static bool glob_match(const struct glob *g, const char *text, size_t len)
{
	uint64_t steps = 0;
	if (g->never)
		return false;
	if (len < g->min || memcmp(text, g->pre, g->npre) != 0 ||
	    memcmp(text + len - g->nsuf, g->suf, g->nsuf) != 0 ||
	    (g->nmid && !memmem(text, len, g->mid, g->nmid)))
		return false;
	unsigned char small[2][128];
	unsigned char *cur = small[0], *next = small[1];
	if (g->n + 1 > sizeof small[0]) {
		cur = xcalloc(2, g->n + 1);
		next = cur + g->n + 1;
	}
	memset(cur, 0, g->n + 1);
	cur[0] = 1;
	glob_close(g, cur);
	bool any = true;
	for (const unsigned char *s = (const unsigned char *)text; *s && any; s++) {
		unsigned c = *s;
		steps += g->n + 1;
		memset(next, 0, g->n + 1);
		any = false;
		for (size_t i = 0; i < g->n; i++) {
			if (!cur[i])
				continue;
			const struct tok *t = &g->t[i];
			bool step = false, stay = false;
			switch (t->kind) {
			case T_LIT: step = c == t->c; break;
			case T_ONE: step = c != '/'; break;
			case T_SET: step = has_bit(t->set, c); break;
			case T_STAR: stay = c != '/'; break;
			case T_ANY: stay = true; break;
			case T_DIRS: break; /* reads nothing */
			}
			if (step)
				next[i + 1] = 1;
			if (stay)
				next[i] = 1;
			any |= step || stay;
		}
		glob_close(g, next);
		unsigned char *swap = cur;
		cur = next;
		next = swap;
	}
	bool hit = any && cur[g->n];
	atomic_fetch_add(&glob_steps, steps);
	if (g->n + 1 > sizeof small[0])
		free(cur < next ? cur : next);
	return hit;
}

bool cl_gitignore_wildmatch(const char *pattern, const char *text)
{
	struct glob g;
	glob_compile(&g, pattern);
	bool hit = glob_match(&g, text, strlen(text));
	glob_free(&g);
	return hit;
}
enum cl_gitignore_verdict cl_gitignore_match(const struct cl_gitignore *g,
	const char *path, bool is_dir)
{
	if (!g || !*path)
		return CL_GITIGNORE_NONE;
	size_t len = strlen(path);
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	for (size_t i = g->pats.n; i-- > 0;) {
		const struct pattern *p = &g->pats.v[i];
		if ((p->flags & PAT_MUSTBEDIR) && !is_dir)
			continue;
		bool nodir = p->flags & PAT_NODIR;
		if (glob_match(&p->glob, nodir ? base : path, nodir ? len - (size_t)(base - path) : len))
			return (p->flags & PAT_NEGATIVE) ? CL_GITIGNORE_INCLUDE : CL_GITIGNORE_IGNORE;
	}
	return CL_GITIGNORE_NONE;
}

/* cl_gitignore_covers with G's index: no pattern is negative, so PATH is
 * covered when any pattern matches any of its folders or itself; a pattern
 * matching by ending is looked up by the last byte of each component.
 * 1 or 0; -1 when PATH has an empty component (the plain walk decides). */
static int covers_indexed(const struct cl_gitignore *g, char *buf, size_t len)
{
	const struct suffix_index *x = g->index;
	for (size_t start = 0;;) {
		char *slash = memchr(buf + start, '/', len - start);
		size_t end = slash ? (size_t)(slash - buf) : len, n = end - start;
		const unsigned char *comp = (const unsigned char *)buf + start;
		bool is_dir = slash != NULL;
		if (!n)
			return -1; /* an empty component ("a//b", "/a", "a/"): the walk decides */
		for (uint32_t k = x->first[comp[n - 1]]; k < x->first[comp[n - 1] + 1]; k++) {
			const struct pattern *p = &g->pats.v[x->simple[k]];
			if ((!(p->flags & PAT_MUSTBEDIR) || is_dir) && n >= p->glob.nsuf &&
			    !memcmp(comp + n - p->glob.nsuf, p->glob.suf, p->glob.nsuf))
				return 1;
		}
		if (slash)
			*slash = 0;
		bool hit = false;
		for (size_t k = 0; k < x->nother && !hit; k++) {
			const struct pattern *p = &g->pats.v[x->other[k]];
			if ((p->flags & PAT_MUSTBEDIR) && !is_dir)
				continue;
			hit = (p->flags & PAT_NODIR) ? glob_match(&p->glob, (const char *)comp, n) : glob_match(&p->glob, buf, end);
		}
		if (slash)
			*slash = '/';
		if (hit)
			return 1;
		if (!slash)
			return 0;
		start = end + 1;
	}
}

bool cl_gitignore_covers(const struct cl_gitignore *g, const char *path)
{
	char *buf = xstrdup(path);
	int indexed = g && g->index && *path ? covers_indexed(g, buf, strlen(path)) : -1;
	if (indexed >= 0) {
		free(buf);
		return indexed;
	}
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
