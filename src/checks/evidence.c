/*
 * evidence.c — library lists, dependency manifests and rule-data patterns
 * shared by the repository-wide checks.
 */
#include "checks/evidence.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/adapters.h"
#include "model/callgraph.h"
#include "model/packages.h"
#include "rules/patterns.h"
#include "support/xalloc.h"

/* ------------------------------------------------------------------------ */
/* Library lists.                                                           */

static const cJSON *data_list(int item, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(cl_registry_item_data(item), key);
}

static bool module_matches(const char *module, const char *entry)
{
	size_t n = strlen(entry);
	if (n && entry[n - 1] == '/')
		return !strncmp(module, entry, n);
	return !strncmp(module, entry, n) && (module[n] == 0 || module[n] == '.' || module[n] == '/');
}

bool cl_evidence_module_listed(int item, const char *key, const char *module)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, data_list(item, key))
		if (cJSON_IsString(e) && module_matches(module, e->valuestring))
			return true;
	return false;
}

static int norm(int ch)
{
	return ch == '-' || ch == '.' ? '_' : tolower(ch);
}

const char *cl_evidence_dep_listed(int item, const char *key, const char *name, size_t len)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, data_list(item, key)) {
		if (!cJSON_IsString(e))
			continue;
		const char *s = e->valuestring;
		size_t n = strlen(s);
		if (n && s[n - 1] == '/') {
			if (len > n && !strncmp(name, s, n))
				return s;
			continue;
		}
		if (len < n)
			continue;
		size_t i = 0;
		while (i < n && norm((unsigned char)name[i]) == norm((unsigned char)s[i]))
			i++;
		/* the package itself, or a package of its family (opentelemetry-api) */
		if (i == n && (len == n || (s[0] != '@' && norm((unsigned char)name[n]) == '_') || name[n] == '/'))
			return s;
	}
	return NULL;
}

int cl_evidence_import(const struct cl_file_facts *f, int item, const char *key)
{
	for (size_t i = 0; i < f->imported_modules.n; i++)
		if (cl_evidence_module_listed(item, key, f->imported_modules.v[i]))
			return (int)i;
	return -1;
}

bool cl_evidence_imports(struct cl_file_out *out, int item, int list_item, const char *key, const char *what)
{
	const struct cl_file_facts *f = out->facts;
	int k = cl_evidence_import(f, list_item, key);
	if (k < 0)
		return false;
	struct cl_span sp = cl_evidence_line_span(f->imported_lines.v[k]);
	cl_emit_evidence(out, item, &sp, "imports %s (%s)", f->imported_modules.v[k], what);
	return true;
}

/* ------------------------------------------------------------------------ */
/* Manifests.                                                               */

static void package_json(const struct cl_source *src, cl_evidence_dep_fn fn, void *ud)
{
	static const char *const kinds[] = {"dependencies", "devDependencies", "peerDependencies",
		"optionalDependencies", NULL};
	cJSON *root = cJSON_ParseWithLength(src->data, src->len);
	if (!root)
		return;
	for (const char *const *k = kinds; *k; k++) {
		const cJSON *deps = cJSON_GetObjectItemCaseSensitive(root, *k), *d;
		cJSON_ArrayForEach(d, deps) {
			if (!d->string)
				continue;
			char quoted[300];
			snprintf(quoted, sizeof quoted, "\"%s\"", d->string);
			const char *at = strstr(src->data, quoted);
			fn(ud, d->string, strlen(d->string), at ? (size_t)(at - src->data) + 1 : 0);
		}
	}
	cJSON_Delete(root);
}

/* A requirement "name[extra]>=1; marker" at P: the name's length. */
static size_t req_name(const char *p, const char *end)
{
	size_t n = 0;
	while (p + n < end && (isalnum((unsigned char)p[n]) || p[n] == '-' || p[n] == '_' || p[n] == '.'))
		n++;
	return n;
}

/* Line-oriented manifests: requirements files, pyproject.toml, Pipfile. */
static void line_manifest(const struct cl_source *src, int kind, cl_evidence_dep_fn fn, void *ud)
{
	enum { REQ, PYPROJECT, PIPFILE };
	const char *d = src->data, *end = d + src->len;
	char section[128] = "";
	bool in_array = false;
	for (const char *line = d; line < end;) {
		const char *eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			eol = end;
		const char *p = line;
		while (p < eol && (*p == ' ' || *p == '\t'))
			p++;
		if (kind == REQ) {
			size_t n = req_name(p, eol);
			if (n && *p != '-' && *p != '#')
				fn(ud, p, n, (size_t)(p - d));
		} else if (*p == '[' && !in_array) {
			const char *close = memchr(p, ']', (size_t)(eol - p));
			size_t n = close ? (size_t)(close - p - 1) : 0;
			if (n >= sizeof section)
				n = sizeof section - 1;
			memcpy(section, p + 1, n);
			section[n] = 0;
		} else if (kind == PIPFILE) {
			if (!strcmp(section, "packages") || !strcmp(section, "dev-packages")) {
				size_t n = req_name(p, eol);
				if (n)
					fn(ud, p, n, (size_t)(p - d));
			}
		} else {
			size_t len = strlen(section);
			bool poetry = !strncmp(section, "tool.poetry", 11) && len >= 12 &&
				!strcmp(section + len - 12, "dependencies");
			bool arrays = !strcmp(section, "project.optional-dependencies") ||
				!strcmp(section, "dependency-groups");
			if (poetry) {
				size_t n = req_name(p, eol);
				if (n && !(n == 6 && !strncmp(p, "python", 6)))
					fn(ud, p, n, (size_t)(p - d));
			}
			if (!in_array && (arrays || (!strcmp(section, "project") && !strncmp(p, "dependencies", 12)))) {
				const char *eq = memchr(p, '=', (size_t)(eol - p));
				if (eq && memchr(eq, '[', (size_t)(eol - eq)))
					in_array = true, p = memchr(eq, '[', (size_t)(eol - eq)) + 1;
			}
			if (in_array) {
				for (const char *q = p; q < eol; q++) {
					if (*q == ']') {
						in_array = false;
						break;
					}
					if (*q == '"' || *q == '\'') {
						size_t n = req_name(q + 1, eol);
						if (n)
							fn(ud, q + 1, n, (size_t)(q + 1 - d));
						const char *close = memchr(q + 1, *q, (size_t)(eol - q - 1));
						if (!close)
							break;
						q = close;
					}
				}
			}
		}
		line = eol + 1;
	}
}

bool cl_evidence_manifest_deps(const struct cl_source *src, cl_evidence_dep_fn fn, void *ud)
{
	const char *b = cl_path_basename(src->path);
	if (!strcmp(b, "package.json")) {
		package_json(src, fn, ud);
		return true;
	}
	size_t n = strlen(b);
	if (!strncmp(b, "requirements", 12) && n > 4 &&
	    (!strcmp(b + n - 4, ".txt") || !strcmp(b + n - 3, ".in"))) {
		line_manifest(src, 0, fn, ud);
		return true;
	}
	if (strstr(src->path, "requirements/") && n > 4 && !strcmp(b + n - 4, ".txt")) {
		line_manifest(src, 0, fn, ud);
		return true;
	}
	if (!strcmp(b, "pyproject.toml")) {
		line_manifest(src, 1, fn, ud);
		return true;
	}
	if (!strcmp(b, "Pipfile")) {
		line_manifest(src, 2, fn, ud);
		return true;
	}
	return false;
}

struct deps_ctx {
	const struct cl_source *src;
	struct cl_file_out *out;
	int item, list_item;
	const char *key;
	unsigned bit;
	const char *what;
};

static void on_dep(void *ud, const char *name, size_t len, size_t off)
{
	struct deps_ctx *t = ud;
	if (!cl_evidence_dep_listed(t->list_item, t->key, name, len))
		return;
	struct cl_span sp = cl_span_at(t->src, off, off + len);
	t->out->marks[t->item] |= t->bit;
	cl_emit_evidence(t->out, t->item, &sp, "lists %.*s (%s)", (int)len, name, t->what);
}

void cl_evidence_text_deps(const struct cl_source *src, struct cl_file_out *out, int item,
	int list_item, const char *key, unsigned bit, const char *what)
{
	struct deps_ctx t = {src, out, item, list_item, key, bit, what};
	cl_evidence_manifest_deps(src, on_dep, &t);
}

/* ------------------------------------------------------------------------ */
/* Patterns from rule data (compiled at load by patterns.c).                */

/* Bytes handed to the evidence patterns: CLAUDIT_STATS's second count (a
 * check that searched a file once per call would grow quadratically). */
static _Atomic uint64_t searched;

uint64_t cl_evidence_work_total(void)
{
	return atomic_load(&searched);
}

bool cl_evidence_search(int item, const char *key, const char *s, size_t len, size_t *ms, size_t *me)
{
	return cl_evidence_search_from(item, key, s, len, 0, ms, me);
}

bool cl_evidence_search_from(int item, const char *key, const char *s, size_t len, size_t from,
	size_t *ms, size_t *me)
{
	if (from <= len)
		atomic_fetch_add(&searched, len - from);
	return cl_pattern_find(cl_patterns_get(item, key), s, len, from, ms, me);
}

bool cl_evidence_path_matches(int item, const char *key, const char *path)
{
	return cl_evidence_search(item, key, path, strlen(path), NULL, NULL);
}

bool cl_evidence_under_dir(const char *path, int item, const char *key)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, data_list(item, key)) {
		if (!cJSON_IsString(d))
			continue;
		size_t n = strlen(d->valuestring);
		for (const char *p = path; (p = strstr(p, d->valuestring)) != NULL; p += n)
			if ((p == path || p[-1] == '/') && p[n] == '/')
				return true;
	}
	return false;
}

bool cl_evidence_test_or_eval(const char *path)
{
	return cl_evidence_path_matches(CL_ITEM(CL12), "test_files", path) || cl_evidence_under_dir(path, CL_ITEM(CL16), "eval_dirs");
}

/* ------------------------------------------------------------------------ */
/* Places.                                                                  */

/* True when byte AT of S is on a comment line (# or // or a block comment's
 * continuation), which says nothing about what the code records. */
bool cl_evidence_in_comment(const char *s, size_t at)
{
	size_t b = at;
	while (b > 0 && s[b - 1] != '\n')
		b--;
	while (b < at && (s[b] == ' ' || s[b] == '\t'))
		b++;
	return s[b] == '#' || (s[b] == '/' && (s[b + 1] == '/' || s[b + 1] == '*')) || s[b] == '*';
}

int cl_evidence_quote_len(const char *s, size_t start, size_t end)
{
	size_t n = 0;
	while (start + n < end && n < 48 && s[start + n] != '\n' && s[start + n] != '\r')
		n++;
	return (int)n;
}

struct cl_span cl_evidence_line_span(uint32_t line)
{
	struct cl_span sp = {0, 0, line, 1, line, 1};
	return sp;
}

bool cl_evidence_first_usage(struct cl_file_out **outs, size_t n, struct cl_file_out **out,
	struct cl_span *span)
{
	/* constructions, then calls; production code before tests and evals */
	for (int pass = 0; pass < 4; pass++)
		for (size_t i = 0; i < n; i++) {
			const struct cl_file_facts *f = outs[i]->facts;
			if ((pass < 2) == cl_evidence_test_or_eval(f->path))
				continue;
			if (pass % 2 == 0) {
				for (size_t k = 0; k < f->clients.n; k++)
					if (f->clients.v[k].kind != CL_CLIENT_DERIVED) {
						*out = outs[i];
						*span = f->clients.v[k].span;
						return true;
					}
				continue;
			}
			for (size_t k = 0; k < f->calls.n; k++)
				if (f->calls.v[k].claude) {
					*out = outs[i];
					*span = f->calls.v[k].span;
					return true;
				}
		}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Packages and the path to Claude.                                         */

static bool uses_claude(const struct cl_file_facts *f)
{
	for (size_t k = 0; k < f->clients.n; k++)
		if (f->clients.v[k].kind != CL_CLIENT_DERIVED)
			return true;
	for (size_t k = 0; k < f->calls.n; k++)
		if (f->calls.v[k].claude)
			return true;
	return false;
}

bool cl_evidence_file_reaches(const struct cl_file_facts *f)
{
	if (uses_claude(f))
		return true;
	for (size_t r = 0; r < f->regions.n; r++)
		if (f->regions.v[r].kind == CL_R_FUNCTION && f->regions.v[r].reaches_claude)
			return true;
	for (size_t k = 0; k < f->refs.n; k++)
		if (f->refs.v[k].reaches_claude && cl_facts_enclosing(f, f->refs.v[k].region, CL_R_FUNCTION) < 0)
			return true;
	return false;
}

bool cl_evidence_on_claude_path(const struct cl_file_facts *f, int region)
{
	int fn = region >= 0 ? cl_facts_enclosing(f, region, CL_R_FUNCTION) : -1;
	if (fn < 0)
		return cl_evidence_file_reaches(f);
	for (; fn >= 0; fn = f->regions.v[fn].parent >= 0 ?
		     cl_facts_enclosing(f, f->regions.v[fn].parent, CL_R_FUNCTION) : -1)
		if (cl_callgraph_reaches(f, fn))
			return true;
	return false;
}

void cl_evidence_by_package(struct cl_file_out **outs, size_t n, cl_evidence_package_fn fn, void *ud)
{
	const char **paths = xmalloc((n + 1) * sizeof *paths);
	for (size_t i = 0; i < n; i++)
		paths[i] = outs[i]->facts->path;
	struct cl_packages pk;
	cl_packages_init(&pk, paths, n);
	size_t *of = xmalloc((n + 1) * sizeof *of);
	/* per package: 1 = uses Claude in tests or evals only, 2 = in production code */
	unsigned char *use = xmalloc(pk.n);
	memset(use, 0, pk.n);
	unsigned char best = 0;
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		of[i] = cl_packages_of(&pk, f->path);
		if (!uses_claude(f))
			continue;
		unsigned char u = cl_evidence_test_or_eval(f->path) ? 1 : 2;
		if (u > use[of[i]])
			use[of[i]] = u;
		if (u > best)
			best = u;
	}
	/* packages named once the tree has more than one (holding files) */
	unsigned char *held = xmalloc(pk.n);
	memset(held, 0, pk.n);
	size_t held_n = 0;
	for (size_t i = 0; i < n; i++)
		if (!held[of[i]]) {
			held[of[i]] = 1;
			held_n++;
		}
	free(held);
	struct cl_file_out **sub = xmalloc((n + 1) * sizeof *sub);
	for (size_t p = 0; best && p < pk.n; p++) {
		if (use[p] != best)
			continue;
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (of[i] == p)
				sub[m++] = outs[i];
		fn(ud, sub, m, held_n < 2 ? NULL : *pk.roots[p] ? pk.roots[p] : ".");
	}
	free(sub);
	free(use);
	free(of);
	free(paths);
	cl_packages_finish(&pk);
}

/* Text checks read code and config, never prose. */
static bool readable(const struct cl_source *src)
{
	return src->text_kind != CL_TEXT_PROSE;
}

/* ------------------------------------- observability integrations (CL12, CL13) */

/* An observability integration in the tree's production code (tests and
 * evals aside), as evidence under ITEM. GLOBAL_ONLY: only integrations that
 * record every call of the process, not per-client wrappers. */
bool cl_evidence_integration(struct cl_file_out **outs, size_t n, int item, bool global_only)
{
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (outs[i]->marks[item] & (global_only ? (CL_FOUND_DEP | CL_FOUND_TEXT) : ~0u))
			found = true;
		if (cl_evidence_test_or_eval(f->path))
			continue;
		for (size_t k = 0; k < f->imported_modules.n; k++) {
			const char *m = f->imported_modules.v[k];
			if (!cl_evidence_module_listed(CL_ITEM(CL12), "integration_modules", m) ||
			    (global_only && cl_evidence_module_listed(CL_ITEM(CL12), "client_integration_modules", m)))
				continue;
			struct cl_span sp = cl_evidence_line_span(f->imported_lines.v[k]);
			cl_emit_evidence(outs[i], item, &sp, "imports %s (an LLM observability integration)", m);
			found = true;
			break;
		}
	}
	return found;
}

/* Text check part shared by CL12 and CL13: auto-instrumenting packages in
 * manifests, integrations turned on in code or config. */
void cl_evidence_integration_text(const struct cl_source *src, struct cl_file_out *out, int item)
{
	cl_evidence_text_deps(src, out, item, CL_ITEM(CL12), "auto_integration_modules", CL_FOUND_DEP,
		"an LLM observability integration that instruments without code");
	size_t ms, me;
	if (!readable(src) || src->text_kind == CL_TEXT_NOTEBOOK || cl_evidence_test_or_eval(src->path))
		return;
	if (cl_evidence_search(CL_ITEM(CL12), "integration_pattern", src->data, src->len, &ms, &me)) {
		struct cl_span sp = cl_span_at(src, ms, me);
		out->marks[item] |= CL_FOUND_TEXT;
		cl_emit_evidence(out, item, &sp, "turns on an LLM observability integration (%.*s)",
			cl_evidence_quote_len(src->data, ms, me), src->data + ms);
	}
	/* an adapter's own tracing (its record names the pattern): each pattern
	 * searched once however many records share it (the LangChain records all
	 * do), one evidence line per pattern */
	struct { const char *pattern; bool hit; size_t ms, me; } tried[CL_MAX_TRACED_ADAPTERS];
	size_t ntried = 0;
	for (size_t i = 0; i < cl_adapters_count() && i < CL_MAX_TRACED_ADAPTERS; i++) {
		const struct cl_adapter *a = cl_adapters_at(i);
		if (!a->tracing_pattern)
			continue;
		size_t k;
		for (k = 0; k < ntried && strcmp(tried[k].pattern, a->tracing_pattern); k++)
			;
		bool first = k == ntried;
		if (first) {
			tried[k].pattern = a->tracing_pattern;
			tried[k].hit = cl_evidence_search(CL_ITEM(CL12), a->tracing_pattern, src->data, src->len,
				&tried[k].ms, &tried[k].me);
			ntried++;
		}
		if (!tried[k].hit)
			continue;
		out->marks[item] |= CL_FOUND_ADAPTER_TRACED << i;
		if (!first)
			continue;
		ms = tried[k].ms;
		me = tried[k].me;
		struct cl_span sp = cl_span_at(src, ms, me);
		cl_emit_evidence(out, item, &sp, "%s (%.*s)", a->tracing_evidence ? a->tracing_evidence :
			"turns on tracing", cl_evidence_quote_len(src->data, ms, me), src->data + ms);
	}
}
