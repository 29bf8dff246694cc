/*
 * suppress.c — finds claudit-ignore comments in a file's text, matches
 * findings against them and reports the ones that are wrong (suppress.h).
 */
#include "scan/suppress.h"

#include <stdlib.h>
#include <string.h>

#include "rules/patterns.h"

static const char MARK[] = "claudit-ignore";
#define MARK_LEN (sizeof MARK - 1)
static int watch_group = -1; /* MARK, looked for in the pass over each file */

void cl_suppressions_watch(void)
{
	static const char *const mark[] = {MARK};
	watch_group = cl_patterns_watch(mark, 1, false);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static bool all_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_blank(s[i]))
			return false;
	return true;
}

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* TEXT[0..N) ends inside a quoted string ("...", '...', `...`). */
static bool in_string(const char *text, size_t n)
{
	char q = 0;
	for (size_t i = 0; i < n; i++) {
		char c = text[i];
		if (q && c == '\\')
			i++;
		else if (q && c == q)
			q = 0;
		else if (!q && (c == '"' || c == '\'' || c == '`'))
			q = c;
	}
	return q != 0;
}

/* Where the comment opener before the marker starts (TEXT[0..AT) is what
 * precedes the marker), or -1 when the marker does not open a comment. */
static long opener(const char *text, size_t at, enum cl_lang lang)
{
	while (at > 0 && is_blank(text[at - 1]))
		at--;
	bool hash = lang == CL_LANG_PYTHON || lang == CL_LANG_TEXT;
	bool slash = lang != CL_LANG_PYTHON;
	if (hash && ends_with(text, at, "#"))
		return (long)at - 1;
	if (slash && (ends_with(text, at, "//") || ends_with(text, at, "/*")))
		return (long)at - 2;
	if (slash && ends_with(text, at, "*") && all_blank(text, at - 1))
		return (long)at - 1;
	if (lang == CL_LANG_TEXT && ends_with(text, at, "<!--"))
		return (long)at - 4;
	return -1;
}

static bool is_id_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		c == '.' || c == '-' || c == '_';
}

/* CLnn or CLnn.slug */
static bool looks_like_id(const char *s, size_t n)
{
	if (n < 4 || s[0] != 'C' || s[1] != 'L' || s[2] < '0' || s[2] > '9' || s[3] < '0' || s[3] > '9')
		return false;
	if (n == 4)
		return true;
	if (s[4] != '.' || n == 5)
		return false;
	for (size_t i = 5; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

/* Parses the text after the marker (P..END) into SUP's ids and reason. */
static void parse_body(struct cl_suppression *sup, const char *p, const char *end)
{
	for (;;) {
		while (p < end && (is_blank(*p) || *p == ','))
			p++;
		const char *tok = p;
		while (p < end && is_id_char(*p))
			p++;
		if (p == tok || !looks_like_id(tok, (size_t)(p - tok))) {
			p = tok;
			break;
		}
		if (sup->nids < CL_SUPPRESS_MAX_IDS)
			sup->ids[sup->nids++] = xstrndup(tok, (size_t)(p - tok));
	}
	if (p < end && *p == ':')
		p++;
	else if (end - p >= 2 && p[0] == '-' && p[1] == '-')
		p += 2;
	else if (end - p >= 3 && !memcmp(p, "\xe2\x80\x94", 3)) /* em dash */
		p += 3;
	else
		return; /* no separator: no reason */
	while (p < end && is_blank(*p))
		p++;
	if (p < end)
		sup->reason = xstrndup(p, (size_t)(end - p));
}

/* Parses the suppression on one line, if any. In a notebook each line of a
 * code cell is a JSON string ("code  # claudit-ignore ...\n",): the string's
 * quotes are not code, and its escaped tail is not part of the reason. */
static bool parse_line(struct cl_suppression *sup, const char *text, size_t len,
	unsigned line, enum cl_lang lang, bool notebook, bool *standalone)
{
	const char *m = memmem(text, len, MARK, MARK_LEN);
	if (!m)
		return false;
	long open = opener(text, (size_t)(m - text), lang);
	if (open < 0 || (!notebook && in_string(text, (size_t)open)))
		return false;
	const char *p = m + MARK_LEN, *end = text + len;
	bool file_level = end - p >= 5 && !memcmp(p, "-file", 5);
	if (file_level)
		p += 5;
	if (p < end && !is_blank(*p) && *p != ':')
		return false; /* claudit-ignored, claudit-ignore-next ... */
	/* the comment's text ends before a closing marker */
	while (end > p && is_blank(end[-1]))
		end--;
	if (notebook) {
		if (end > p && end[-1] == ',')
			end--;
		if (end > p && end[-1] == '"')
			end--;
		if (end - p >= 2 && end[-2] == '\\' && end[-1] == 'n')
			end -= 2;
		while (end > p && is_blank(end[-1]))
			end--;
	}
	if (end - p >= 2 && !memcmp(end - 2, "*/", 2) && lang != CL_LANG_PYTHON)
		end -= 2;
	else if (end - p >= 3 && !memcmp(end - 3, "-->", 3) && lang == CL_LANG_TEXT)
		end -= 3;
	while (end > p && is_blank(end[-1]))
		end--;
	memset(sup, 0, sizeof *sup);
	sup->line = line;
	sup->column = (unsigned)(m - text) + 1;
	sup->end_column = (unsigned)(end - text) + 1;
	sup->file_level = file_level;
	parse_body(sup, p, end);
	size_t lead = 0;
	while (notebook && lead < (size_t)open && (is_blank(text[lead]) || text[lead] == '"'))
		lead++;
	*standalone = all_blank(text + lead, (size_t)open - lead);
	return true;
}

/* LINE, or the first line after it that is more than a comment's closing
 * marker (a suppression inside a block comment covers the code after it). */
static unsigned past_closers(const struct cl_source *src, unsigned line)
{
	for (size_t n = cl_source_nlines(src); line <= n; line++) {
		size_t len = 0;
		const char *t = cl_source_line(src, line, &len);
		while (len && is_blank(*t))
			t++, len--;
		while (len && is_blank(t[len - 1]))
			len--;
		if (!(len == 2 && !memcmp(t, "*/", 2)) && !(len == 3 && !memcmp(t, "-->", 3)))
			break;
	}
	return line;
}

void cl_suppressions_parse(struct cl_suppressions *s, const struct cl_source *src)
{
	if (!src->len || !cl_patterns_may_hold(watch_group, src->data, src->len) ||
	    !memmem(src->data, src->len, MARK, MARK_LEN))
		return;
	CL_VEC(bool) alone = {0};
	for (unsigned line = 1, n = (unsigned)cl_source_nlines(src); line <= n; line++) {
		size_t len = 0;
		const char *text = cl_source_line(src, line, &len);
		struct cl_suppression sup;
		bool standalone = false;
		if (!text || !parse_line(&sup, text, len, line, src->lang,
		    src->text_kind == CL_TEXT_NOTEBOOK, &standalone))
			continue;
		cl_vec_push(&s->v, sup);
		cl_vec_push(&alone, standalone);
	}
	/* a standalone comment covers the line after it, past a run of others */
	for (size_t i = s->v.n; i-- > 0;) {
		struct cl_suppression *sup = &s->v.v[i];
		if (sup->file_level)
			continue;
		if (!alone.v[i]) {
			sup->target = sup->line;
			continue;
		}
		sup->target = sup->line + 1;
		if (i + 1 < s->v.n && alone.v[i + 1] && s->v.v[i + 1].line == sup->line + 1 &&
		    !s->v.v[i + 1].file_level)
			sup->target = s->v.v[i + 1].target;
		else
			sup->target = past_closers(src, sup->target);
	}
	cl_vec_free(&alone);
}

void cl_suppressions_finish(struct cl_suppressions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->v.n; i++) {
		for (size_t k = 0; k < s->v.v[i].nids; k++)
			free(s->v.v[i].ids[k]);
		free(s->v.v[i].reason);
	}
	cl_vec_free(&s->v);
}

/* ID names RULE, or RULE's item. */
static bool covers(const char *id, const struct cl_rule *rule)
{
	if (!strcmp(id, rule->id))
		return true;
	size_t n = strlen(id);
	return !strchr(id, '.') && !strncmp(rule->id, id, n) && rule->id[n] == '.';
}

const struct cl_suppression *cl_suppressions_match(struct cl_suppressions *s,
	const struct cl_rule *rule, unsigned line)
{
	const struct cl_suppression *best = NULL;
	if (!rule || rule->item == CL_META_ITEM)
		return NULL;
	for (size_t i = 0; i < s->v.n; i++) {
		struct cl_suppression *sup = &s->v.v[i];
		if (!sup->reason)
			continue;
		if (!sup->file_level && line != sup->line && line != sup->target)
			continue;
		bool hit = false;
		for (size_t k = 0; k < sup->nids; k++) {
			if (covers(sup->ids[k], rule)) {
				sup->used[k] = true;
				hit = true;
			}
		}
		if (hit && (!best || (best->file_level && !sup->file_level)))
			best = sup;
	}
	return best;
}

/* Whether a finding for ID could have been reported in this run. */
static bool checked(const char *id, const bool *unchecked, bool *known)
{
	const struct cl_rule *rule = cl_registry_rule(id);
	const struct cl_item *it = rule ? cl_registry_item(rule->item) : cl_registry_item_by_id(id);
	*known = it && it->kind != CL_KIND_META;
	if (!*known)
		return false;
	if (unchecked && rule && unchecked[rule->item])
		return false;
	for (int i = 0; !rule && unchecked && i < CL_ITEM_COUNT; i++)
		if (unchecked[i] && cl_registry_item(i) == it)
			return false;
	if (rule)
		return rule->implemented;
	for (size_t k = 0; k < it->nrules; k++)
		if (it->rules[k]->implemented)
			return true;
	return false;
}

/* Appends ", ID" (or "ID") to BUF. */
static void list_add(char **buf, const char *id)
{
	char *t = xasprintf("%s%s%s", *buf ? *buf : "", *buf ? ", " : "", id);
	free(*buf);
	*buf = t;
}

static void add(struct cl_result *r, enum cl_rule_id rule_id, const struct cl_suppression *sup,
	const char *path, const struct cl_source *src, const char *message)
{
	const struct cl_rule *rule = cl_registry_rule_of(rule_id);
	struct cl_location loc = {path, sup->line, sup->column, sup->line, sup->end_column};
	size_t len = 0;
	const char *line = cl_source_line(src, sup->line, &len);
	cl_result_add_finding(r, rule, rule ? rule->severity : CL_SEV_WARNING, &loc, line, len, message);
}

void cl_suppressions_report(const struct cl_suppressions *s, const struct cl_source *src,
	const char *path, const bool *unchecked, struct cl_result *r)
{
	for (size_t i = 0; i < s->v.n; i++) {
		const struct cl_suppression *sup = &s->v.v[i];
		const char *form = sup->file_level ? "claudit-ignore-file" : "claudit-ignore";
		if (!sup->nids) {
			char *m = xasprintf("%s names no rule or item: write the ids it suppresses "
				"(CL15.model-alias, or CL15 for all of an item's rules), then the reason", form);
			add(r, CL_RULE(CL00_unused_suppression), sup, path, src, m);
			free(m);
			continue;
		}
		if (!sup->reason) {
			char *m = xasprintf("%s %s%s gives no reason, so it suppresses nothing; "
				"add one after a colon: \"%s %s: why this is fine here\"", form, sup->ids[0],
				sup->nids > 1 ? ", ..." : "", form, sup->ids[0]);
			add(r, CL_RULE(CL00_suppression_without_reason), sup, path, src, m);
			free(m);
			continue;
		}
		char *unused = NULL, *unknown = NULL;
		for (size_t k = 0; k < sup->nids; k++) {
			bool known;
			if (sup->used[k])
				continue;
			if (checked(sup->ids[k], unchecked, &known))
				list_add(&unused, sup->ids[k]);
			else if (!known)
				list_add(&unknown, sup->ids[k]);
		}
		if (unused || unknown) {
			char *a = unused ? xasprintf("%s matches no finding %s", unused, sup->file_level ?
				"in this file" : "on the line it covers") : NULL;
			char *b = unknown ? xasprintf("%s is not a rule or item of claudit "
				"(see claudit --list-rules)", unknown) : NULL;
			char *m = xasprintf("%s: %s%s%s; remove or correct it", form, a ? a : "",
				a && b ? "; " : "", b ? b : "");
			add(r, CL_RULE(CL00_unused_suppression), sup, path, src, m);
			free(m);
			free(a);
			free(b);
		}
		free(unused);
		free(unknown);
	}
}
