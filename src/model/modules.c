/*
 * modules.c — the tree's module-resolution settings (see modules.h).
 */
#include "model/modules.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adapters/surface.h"
#include "scan/source.h"
#include "support/xalloc.h"

bool cl_modules_join(char *out, size_t cap, const char *dir, const char *rel)
{
	char tmp[1024];
	int n = snprintf(tmp, sizeof tmp, "%s%s%s", dir, *dir ? "/" : "", rel);
	if (n < 0 || (size_t)n >= sizeof tmp)
		return false;
	const char *segs[128];
	size_t lens[128], k = 0;
	for (char *s = tmp; *s;) {
		char *slash = strchr(s, '/');
		size_t len = slash ? (size_t)(slash - s) : strlen(s);
		if (len == 0 || (len == 1 && s[0] == '.')) {
			/* skip */
		} else if (len == 2 && s[0] == '.' && s[1] == '.') {
			if (k == 0)
				return false; /* above the scan root */
			k--;
		} else {
			if (k == 128)
				return false;
			segs[k] = s;
			lens[k] = len;
			k++;
		}
		if (!slash)
			break;
		s = slash + 1;
	}
	size_t used = 0;
	for (size_t i = 0; i < k; i++) {
		if (used + lens[i] + 2 > cap)
			return false;
		if (i)
			out[used++] = '/';
		memcpy(out + used, segs[i], lens[i]);
		used += lens[i];
	}
	if (!cap)
		return false;
	out[used] = 0;
	return true;
}

/* Copies S to OUT, strings verbatim, passing every other byte to KEEP
 * (which says whether to copy it and how many bytes it consumed). */
static size_t copy_outside_strings(const char *s, size_t n, char *out,
	size_t (*keep)(const char *s, size_t n, size_t i, bool *copy))
{
	size_t o = 0;
	for (size_t i = 0; i < n;) {
		if (s[i] == '"') {
			out[o++] = s[i++];
			while (i < n) {
				char ch = s[i++];
				out[o++] = ch;
				if (ch == '\\' && i < n)
					out[o++] = s[i++];
				else if (ch == '"')
					break;
			}
			continue;
		}
		bool copy = true;
		size_t used = keep(s, n, i, &copy);
		if (copy)
			out[o++] = s[i];
		i += used;
	}
	out[o] = 0;
	return o;
}

static size_t comment(const char *s, size_t n, size_t i, bool *copy)
{
	if (s[i] != '/' || i + 1 >= n || (s[i + 1] != '/' && s[i + 1] != '*'))
		return 1;
	*copy = false;
	size_t j = i + 2;
	if (s[i + 1] == '/') {
		while (j < n && s[j] != '\n')
			j++;
		return j - i;
	}
	while (j + 1 < n && !(s[j] == '*' && s[j + 1] == '/'))
		j++;
	return (j + 2 <= n ? j + 2 : n) - i;
}

static size_t trailing_comma(const char *s, size_t n, size_t i, bool *copy)
{
	if (s[i] != ',')
		return 1;
	size_t j = i + 1;
	while (j < n && (s[j] == ' ' || s[j] == '\t' || s[j] == '\n' || s[j] == '\r'))
		j++;
	*copy = !(j < n && (s[j] == '}' || s[j] == ']'));
	return 1;
}

/* JSON as tsc reads tsconfig files: comments, then trailing commas, dropped
 * (outside strings). Caller frees. */
static char *strip_jsonc(const char *s, size_t n)
{
	char *a = xmalloc(n + 1), *b = xmalloc(n + 1);
	size_t m = copy_outside_strings(s, n, a, comment);
	copy_outside_strings(a, m, b, trailing_comma);
	free(a);
	return b;
}

static int by_path(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cl_discovered *)elem)->path);
}

/* The JSON of the tree's file at root-relative PATH, or NULL. */
static cJSON *read_json(const struct cl_discovery *d, const char *path)
{
	const struct cl_discovered *f = bsearch(path, d->files, d->nfiles, sizeof *d->files, by_path);
	if (!f)
		return NULL;
	struct cl_source src;
	const char *err;
	if (cl_source_load(&src, f->fs_path, f->path, &err) != 0)
		return NULL;
	cJSON *j = NULL;
	if (src.len < (1u << 20)) {
		char *clean = strip_jsonc(src.data, src.len);
		j = cJSON_Parse(clean);
		free(clean);
	}
	cl_source_finish(&src);
	return j;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup("");
}

/* TARGET (relative to DIR) as a root-relative path, its .js / .ts
 * extension dropped (project.c tries them all); NULL when outside the root. */
static char *target_path(const char *dir, const char *target)
{
	char buf[1024];
	if (!cl_modules_join(buf, sizeof buf, dir, target))
		return NULL;
	static const char *const exts[] = {".d.ts", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".mts", ".cts"};
	size_t n = strlen(buf);
	for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
		size_t el = strlen(exts[i]);
		if (n > el && !strcmp(buf + n - el, exts[i])) {
			buf[n - el] = 0;
			break;
		}
	}
	return xstrdup(buf);
}

static void alias_add_target(struct cl_alias *a, char *t)
{
	if (!t)
		return;
	a->targets = xrealloc(a->targets, (a->ntargets + 1) * sizeof *a->targets);
	a->targets[a->ntargets++] = t;
}

/* A package.json `imports` / `exports` value: a path, or conditions
 * ({"types": …, "import": …, "default": …}) whose first path is taken. */
static const char *first_path(const cJSON *v, int depth)
{
	if (cJSON_IsString(v))
		return v->valuestring;
	if (depth > 4)
		return NULL;
	if (cJSON_IsArray(v) || cJSON_IsObject(v))
		for (const cJSON *c = v->child; c; c = c->next) {
			const char *p = first_path(c, depth + 1);
			if (p)
				return p;
		}
	return NULL;
}

/* compilerOptions of the tsconfig at PATH and of those it extends: the
 * nearest baseUrl and paths win, each with the folder it is relative to. */
struct tsopts {
	char *base_url;          /* root-relative */
	const cJSON *paths;
	char *paths_dir;         /* where paths are relative to without a baseUrl */
	cJSON *docs[9];
	int ndocs;
};

static void read_tsconfig(const struct cl_discovery *d, const char *path, struct tsopts *o, int depth)
{
	if (depth > 8 || o->ndocs == 9)
		return;
	cJSON *j = read_json(d, path);
	if (!j)
		return;
	o->docs[o->ndocs++] = j;
	char *dir = dir_of(path);
	const cJSON *co = cJSON_GetObjectItemCaseSensitive(j, "compilerOptions");
	const cJSON *bu = cJSON_GetObjectItemCaseSensitive(co, "baseUrl");
	const cJSON *paths = cJSON_GetObjectItemCaseSensitive(co, "paths");
	char buf[1024];
	if (!o->base_url && cJSON_IsString(bu) && cl_modules_join(buf, sizeof buf, dir, bu->valuestring))
		o->base_url = xstrdup(buf);
	if (!o->paths && cJSON_IsObject(paths)) {
		o->paths = paths;
		o->paths_dir = xstrdup(dir);
	}
	const cJSON *ext = cJSON_GetObjectItemCaseSensitive(j, "extends");
	for (const cJSON *e = cJSON_IsArray(ext) ? ext->child : ext; e; e = cJSON_IsArray(ext) ? e->next : NULL) {
		if (!cJSON_IsString(e) || e->valuestring[0] != '.')
			continue; /* a package's config: not in the tree */
		if (!cl_modules_join(buf, sizeof buf, dir, e->valuestring))
			continue;
		size_t n = strlen(buf);
		if (n < 5 || strcmp(buf + n - 5, ".json") != 0) {
			if (n + 6 >= sizeof buf)
				continue;
			strcat(buf, ".json");
		}
		read_tsconfig(d, buf, o, depth + 1);
	}
	free(dir);
}

static struct cl_module_scope *new_scope(struct cl_modules *m, const char *path, int kind)
{
	m->scopes = xrealloc(m->scopes, (m->nscopes + 1) * sizeof *m->scopes);
	struct cl_module_scope *s = &m->scopes[m->nscopes++];
	memset(s, 0, sizeof *s);
	s->dir = dir_of(path);
	s->kind = kind;
	return s;
}

static struct cl_alias *new_alias(struct cl_alias **v, size_t *n, const char *pattern)
{
	*v = xrealloc(*v, (*n + 1) * sizeof **v);
	struct cl_alias *a = &(*v)[(*n)++];
	memset(a, 0, sizeof *a);
	a->pattern = xstrdup(pattern);
	return a;
}

static void load_tsconfig(struct cl_modules *m, const struct cl_discovery *d, const char *path)
{
	struct tsopts o;
	memset(&o, 0, sizeof o);
	read_tsconfig(d, path, &o, 0);
	if (o.base_url || o.paths) {
		struct cl_module_scope *s = new_scope(m, path, 0);
		s->base_url = o.base_url ? xstrdup(o.base_url) : NULL;
		const char *rel_to = o.base_url ? o.base_url : o.paths_dir;
		for (const cJSON *p = o.paths ? o.paths->child : NULL; p; p = p->next) {
			if (!p->string || !cJSON_IsArray(p))
				continue;
			struct cl_alias *a = new_alias(&s->aliases, &s->naliases, p->string);
			for (const cJSON *t = p->child; t; t = t->next)
				if (cJSON_IsString(t))
					alias_add_target(a, target_path(rel_to, t->valuestring));
		}
	}
	free(o.base_url);
	free(o.paths_dir);
	for (int i = 0; i < o.ndocs; i++)
		cJSON_Delete(o.docs[i]);
}

/* Does package.json J list PKG among its dependencies or devDependencies? */
static bool depends_on(const cJSON *j, const char *pkg)
{
	static const char *const lists[] = {"dependencies", "devDependencies"};
	for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
		if (cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(j, lists[i]), pkg))
			return true;
	return false;
}

/* The aliases a framework the package at PATH (folder DIR) depends on
 * defines without a committed file (rules/surface.json module_aliases):
 * a scope of kind 2, tried after the tsconfig's. */
static void framework_aliases(struct cl_modules *m, const cJSON *j, const char *path, const char *dir)
{
	const cJSON *recs = cJSON_GetObjectItemCaseSensitive(cl_surface_table("module_aliases"), "records");
	struct cl_module_scope *s = NULL;
	for (const cJSON *r = recs ? recs->child : NULL; r; r = r->next) {
		const cJSON *pkg = cJSON_GetObjectItemCaseSensitive(r, "package");
		if (!cJSON_IsString(pkg) || !depends_on(j, pkg->valuestring))
			continue;
		const cJSON *aliases = cJSON_GetObjectItemCaseSensitive(r, "aliases");
		for (const cJSON *a = aliases ? aliases->child : NULL; a; a = a->next) {
			if (!a->string || !cJSON_IsArray(a))
				continue;
			if (!s)
				s = new_scope(m, path, 2);
			struct cl_alias *al = new_alias(&s->aliases, &s->naliases, a->string);
			for (const cJSON *t = a->child; t; t = t->next)
				if (cJSON_IsString(t))
					alias_add_target(al, target_path(dir, t->valuestring));
		}
	}
}

static void load_package(struct cl_modules *m, const struct cl_discovery *d, const char *path)
{
	cJSON *j = read_json(d, path);
	if (!j)
		return;
	char *dir = dir_of(path);
	const cJSON *imports = cJSON_GetObjectItemCaseSensitive(j, "imports");
	if (cJSON_IsObject(imports)) {
		struct cl_module_scope *s = new_scope(m, path, 1);
		for (const cJSON *p = imports->child; p; p = p->next) {
			const char *t = first_path(p, 0);
			if (p->string && t)
				alias_add_target(new_alias(&s->aliases, &s->naliases, p->string), target_path(dir, t));
		}
	}
	framework_aliases(m, j, path, dir);
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(j, "name");
	if (cJSON_IsString(name) && name->valuestring[0]) {
		struct cl_alias *a = new_alias(&m->packages, &m->npackages, name->valuestring);
		const cJSON *exports = cJSON_GetObjectItemCaseSensitive(j, "exports");
		const cJSON *dot = cJSON_IsObject(exports) ? cJSON_GetObjectItemCaseSensitive(exports, ".") : exports;
		const char *entry = dot ? first_path(dot, 0) : NULL;
		static const char *const fields[] = {"source", "types", "module", "main"};
		if (entry)
			alias_add_target(a, target_path(dir, entry));
		for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
			const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, fields[i]);
			if (cJSON_IsString(f))
				alias_add_target(a, target_path(dir, f->valuestring));
		}
		alias_add_target(a, target_path(dir, "src/index"));
		alias_add_target(a, target_path(dir, "index"));
		alias_add_target(a, xstrdup(dir)); /* "pkg/sub" is dir/sub */
	}
	free(dir);
	cJSON_Delete(j);
}

void cl_modules_load(struct cl_modules *m, const struct cl_discovery *d)
{
	memset(m, 0, sizeof *m);
	for (size_t i = 0; i < d->nfiles; i++) {
		const char *base = cl_path_basename(d->files[i].path);
		if (!strcmp(base, "tsconfig.json") || !strcmp(base, "jsconfig.json"))
			load_tsconfig(m, d, d->files[i].path);
		else if (!strcmp(base, "package.json"))
			load_package(m, d, d->files[i].path);
	}
}

static void aliases_free(struct cl_alias *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].pattern);
		for (size_t k = 0; k < v[i].ntargets; k++)
			free(v[i].targets[k]);
		free(v[i].targets);
	}
	free(v);
}

void cl_modules_finish(struct cl_modules *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nscopes; i++) {
		free(m->scopes[i].dir);
		free(m->scopes[i].base_url);
		aliases_free(m->scopes[i].aliases, m->scopes[i].naliases);
	}
	free(m->scopes);
	aliases_free(m->packages, m->npackages);
	memset(m, 0, sizeof *m);
}

/* The nearest scope of KIND whose folder holds FROM, or NULL. */
static const struct cl_module_scope *scope_for(const struct cl_modules *m, const char *from, int kind)
{
	const struct cl_module_scope *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < m->nscopes; i++) {
		const struct cl_module_scope *s = &m->scopes[i];
		size_t l = strlen(s->dir);
		if (s->kind != kind || (l && (strncmp(from, s->dir, l) != 0 || from[l] != '/')))
			continue;
		if (!best || l > best_len) {
			best = s;
			best_len = l;
		}
	}
	return best;
}

/* Adds PREFIX + STAR + SUFFIX to OUT when it fits. */
static void put(char (*out)[1024], size_t cap, size_t *n, const char *target, const char *star, size_t star_len)
{
	if (*n >= cap)
		return;
	const char *w = strchr(target, '*');
	int len = w ? snprintf(out[*n], sizeof out[*n], "%.*s%.*s%s", (int)(w - target), target, (int)star_len, star, w + 1)
		: snprintf(out[*n], sizeof out[*n], "%s", target);
	if (len > 0 && (size_t)len < sizeof out[*n])
		(*n)++;
}

/* MODULE against the aliases' patterns: exact, or one '*' wildcard. */
static void match_aliases(const struct cl_alias *v, size_t nv, const char *module, char (*out)[1024],
	size_t cap, size_t *n)
{
	size_t ml = strlen(module);
	for (size_t i = 0; i < nv; i++) {
		const char *p = v[i].pattern, *w = strchr(p, '*');
		const char *star = "";
		size_t star_len = 0;
		if (!w) {
			if (strcmp(p, module) != 0)
				continue;
		} else {
			size_t pre = (size_t)(w - p), suf = strlen(w + 1);
			if (ml < pre + suf || strncmp(module, p, pre) != 0 || strcmp(module + ml - suf, w + 1) != 0)
				continue;
			star = module + pre;
			star_len = ml - pre - suf;
		}
		for (size_t k = 0; k < v[i].ntargets; k++)
			put(out, cap, n, v[i].targets[k], star, star_len);
	}
}

size_t cl_modules_candidates(const struct cl_modules *m, const char *from, const char *module,
	char (*out)[1024], size_t cap)
{
	size_t n = 0;
	if (!m || !strncmp(module, "./", 2) || !strncmp(module, "../", 3) || !strcmp(module, ".") ||
	    !strcmp(module, ".."))
		return 0;
	const struct cl_module_scope *ts = scope_for(m, from, 0);
	if (ts) {
		match_aliases(ts->aliases, ts->naliases, module, out, cap, &n);
		if (ts->base_url && n < cap) {
			char buf[1024];
			if (cl_modules_join(buf, sizeof buf, ts->base_url, module))
				put(out, cap, &n, buf, "", 0);
		}
	}
	if (n == 0) {
		const struct cl_module_scope *fw = scope_for(m, from, 2);
		if (fw)
			match_aliases(fw->aliases, fw->naliases, module, out, cap, &n);
	}
	if (module[0] == '#') {
		const struct cl_module_scope *pk = scope_for(m, from, 1);
		if (pk)
			match_aliases(pk->aliases, pk->naliases, module, out, cap, &n);
	}
	for (size_t i = 0; i < m->npackages && n < cap; i++) {
		const struct cl_alias *a = &m->packages[i];
		size_t pl = strlen(a->pattern);
		if (!strcmp(module, a->pattern)) {
			for (size_t k = 0; k + 1 < a->ntargets; k++)
				put(out, cap, &n, a->targets[k], "", 0);
		} else if (!strncmp(module, a->pattern, pl) && module[pl] == '/' && a->ntargets) {
			/* "@acme/ai/client": the package's folder, then its src/ */
			const char *dir = a->targets[a->ntargets - 1];
			char buf[1024];
			int len = snprintf(buf, sizeof buf, "%s%s%s", dir, *dir ? "/" : "", module + pl + 1);
			if (len > 0 && (size_t)len < sizeof buf)
				put(out, cap, &n, buf, "", 0);
			len = snprintf(buf, sizeof buf, "%s%ssrc/%s", dir, *dir ? "/" : "", module + pl + 1);
			if (len > 0 && (size_t)len < sizeof buf)
				put(out, cap, &n, buf, "", 0);
		}
	}
	return n;
}
