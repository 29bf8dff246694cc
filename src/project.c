/*
 * project.c — links the files of a scan through their relative imports.
 */
#include "project.h"

#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_path(const void *a, const void *b)
{
	return strcmp((*(struct cl_file_facts *const *)a)->path, (*(struct cl_file_facts *const *)b)->path);
}

static const struct cl_value *resolve(const struct cl_project *p, const struct cl_value *v);
static bool is_claude_call(const struct cl_call *call);
static void mark_reach(const struct cl_project *p);

static void mark_imported_routes(const struct cl_project *p);

void cl_project_index(struct cl_project *p, struct cl_file_facts **files, size_t n)
{
	p->files = files;
	p->nfiles = n;
	if (n)
		qsort(p->files, n, sizeof *p->files, by_path);
}

void cl_project_init(struct cl_project *p, struct cl_file_facts **files, size_t n)
{
	cl_project_index(p, files, n);
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < files[i]->calls.n; k++) {
			struct cl_call *call = &files[i]->calls.v[k];
			call->client_file = NULL;
			call->client_index = -1;
			if (call->client) {
				const struct cl_value *v = resolve(p, call->client);
				if (v->kind == CL_V_CLIENT) {
					call->client_file = v->owner;
					call->client_index = v->client;
				}
			}
			call->claude = is_claude_call(call);
		}
	}
	mark_imported_routes(p);
	mark_reach(p);
}

void cl_project_finish(struct cl_project *p)
{
	(void)p;
}

const struct cl_file_facts *cl_project_file(const struct cl_project *p, const char *path)
{
	size_t lo = 0, hi = p->nfiles;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(path, p->files[mid]->path);
		if (c == 0)
			return p->files[mid];
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

/* Normalises A/B (".", ".." and empty segments) into OUT. */
static bool join_path(char *out, size_t cap, const char *dir, const char *rel)
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
				return false;
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
	out[used] = 0;
	return true;
}

static const struct cl_file_facts *try_paths(const struct cl_project *p, const char *base,
	const char *const *suffixes)
{
	char buf[1100];
	for (; *suffixes; suffixes++) {
		int n = snprintf(buf, sizeof buf, "%s%s", base, *suffixes);
		if (n < 0 || (size_t)n >= sizeof buf)
			continue;
		const struct cl_file_facts *f = cl_project_file(p, buf);
		if (f)
			return f;
	}
	return NULL;
}

/* The file MODULE names, imported from FROM, or NULL. */
static const struct cl_file_facts *module_file(const struct cl_project *p, const char *from,
	const char *module, enum cl_lang lang)
{
	char dir[1024], path[1024];
	const char *slash = strrchr(from, '/');
	size_t dl = slash ? (size_t)(slash - from) : 0;
	if (dl >= sizeof dir)
		return NULL;
	memcpy(dir, from, dl);
	dir[dl] = 0;
	if (lang == CL_LANG_PYTHON) {
		static const char *const py[] = {".py", "/__init__.py", ".pyi", NULL};
		char rel[1024];
		size_t dots = 0;
		while (module[dots] == '.')
			dots++;
		size_t j = 0;
		/* each dot past the first goes one folder up */
		for (size_t i = 1; i < dots && j + 3 < sizeof rel; i++) {
			memcpy(rel + j, "../", 3);
			j += 3;
		}
		for (const char *s = module + dots; *s && j + 1 < sizeof rel; s++)
			rel[j++] = *s == '.' ? '/' : *s;
		rel[j] = 0;
		if (dots) {
			if (!join_path(path, sizeof path, dir, rel))
				return NULL;
			return try_paths(p, path, py);
		}
		/* absolute: from the scan root, or from src/, or beside the importer */
		const char *bases[] = {"", "src", dir};
		for (size_t i = 0; i < 3; i++) {
			if (!join_path(path, sizeof path, bases[i], rel))
				continue;
			const struct cl_file_facts *f = try_paths(p, path, py);
			if (f)
				return f;
		}
		return NULL;
	}
	static const char *const js[] = {"", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
		"/index.ts", "/index.tsx", "/index.js", "/index.jsx", "/index.mjs", "/index.cjs",
		"/index.mts", "/index.cts", NULL};
	const char *rel = module;
	const char *base = dir;
	if (!strncmp(module, "./", 2) || !strncmp(module, "../", 3)) {
		/* relative */
	} else if (!strncmp(module, "@/", 2) || !strncmp(module, "~/", 2)) {
		rel = module + 2;
		base = "";
	} else {
		base = "";
	}
	char stripped[1024];
	/* TypeScript ESM imports "./x.js" for x.ts */
	size_t ml = strlen(rel);
	if (ml < sizeof stripped && ml > 3 && !strcmp(rel + ml - 3, ".js")) {
		memcpy(stripped, rel, ml - 3);
		stripped[ml - 3] = 0;
	} else {
		snprintf(stripped, sizeof stripped, "%s", rel);
	}
	const char *bases[] = {base, "src"};
	for (size_t i = 0; i < (base[0] ? 1u : 2u); i++) {
		if (!join_path(path, sizeof path, bases[i], stripped))
			continue;
		const struct cl_file_facts *f = try_paths(p, path, js);
		if (f)
			return f;
		/* TypeScript ESM imports "./x.mjs" for x.mts, "./x.cjs" for x.cts */
		size_t pl = strlen(path);
		static const char *const as_is[] = {"", NULL};
		if (pl > 4 && (!strcmp(path + pl - 4, ".mjs") || !strcmp(path + pl - 4, ".cjs"))) {
			path[pl - 2] = 't';
			f = try_paths(p, path, as_is);
			if (f)
				return f;
		}
	}
	return NULL;
}

const struct cl_file_facts *cl_project_module(const struct cl_project *p, const char *from,
	const char *module, enum cl_lang lang)
{
	return module_file(p, from, module, lang);
}

static const struct cl_value *export_of(const struct cl_file_facts *f, const char *name)
{
	for (size_t i = f->exports.n; i-- > 0;)
		if (!strcmp(f->exports.v[i].name, name))
			return f->exports.v[i].val;
	return NULL;
}

const struct cl_value *cl_project_resolve(const struct cl_project *p, const struct cl_value *v)
{
	return resolve(p, v);
}

static const struct cl_value *resolve(const struct cl_project *p, const struct cl_value *v)
{
	static const struct cl_value unknown = {.kind = CL_V_UNKNOWN, .client = -1};
	for (int hop = 0; v && v->kind == CL_V_IMPORT && hop < 8; hop++) {
		const struct cl_file_facts *from = cl_project_file(p, v->from_file);
		enum cl_lang lang = from ? from->lang : CL_LANG_TYPESCRIPT;
		const struct cl_file_facts *f = module_file(p, v->from_file, v->module, lang);
		if (!f || !strcmp(v->name, "*"))
			return &unknown;
		/* "SYSTEM" or a member of an export, "PERSONAS.friendly" */
		char base[256];
		const char *dot = strchr(v->name, '.');
		size_t bl = dot ? (size_t)(dot - v->name) : strlen(v->name);
		if (bl >= sizeof base)
			return &unknown;
		memcpy(base, v->name, bl);
		base[bl] = 0;
		const struct cl_value *next = export_of(f, base);
		for (const char *m = dot; next && m; m = strchr(m + 1, '.')) {
			next = resolve(p, next);
			const char *end = strchr(m + 1, '.');
			size_t ml = end ? (size_t)(end - m - 1) : strlen(m + 1);
			if (ml >= sizeof base)
				return &unknown;
			memcpy(base, m + 1, ml);
			base[ml] = 0;
			next = cl_value_get(next, base);
		}
		if (!next)
			return &unknown;
		v = next;
	}
	if (v && v->kind == CL_V_IMPORT)
		return &unknown;
	return v;
}

const struct cl_client *cl_project_client(const struct cl_client_ref ref)
{
	if (!ref.file || ref.index < 0 || (size_t)ref.index >= ref.file->clients.n)
		return NULL;
	return &ref.file->clients.v[ref.index];
}

/* True when CALL is a Claude call: its receiver traces back to a Claude
 * client (CALL's client_file / client_index are already linked), or it is a
 * raw / wrapper / AI SDK / LiteLLM call. */
static bool is_claude_call(const struct cl_call *call)
{
	if (call->kind != CL_CALL_SDK || !call->client)
		return true; /* no receiver value: an untyped one in a file that imports the SDK */
	if (!call->client_file)
		return false;
	if (call->client_index < 0)
		return true;
	const struct cl_client *c = &call->client_file->clients.v[call->client_index];
	return c->kind == CL_CLIENT_SDK || c->kind == CL_CLIENT_CLOUD || c->kind == CL_CLIENT_DERIVED;
}

const struct cl_file_facts *cl_project_import_file(const struct cl_project *p,
	const struct cl_file_facts *f, size_t k)
{
	if (k >= f->imported_modules.n)
		return NULL;
	return module_file(p, f->path, f->imported_modules.v[k], f->lang);
}

/* ------------------------------------------------------------------------ */
/* Route handlers registered in one file and defined in another.            */

static void mark_imported_routes(const struct cl_project *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cl_file_facts *f = p->files[i];
		for (size_t k = 0; k < f->imported_modules.n && f->route_handlers.n; k++) {
			const struct cl_file_facts *cg = module_file(p, f->path, f->imported_modules.v[k], f->lang);
			if (!cg || cg == f)
				continue;
			/* the project's files are its own, mutable: module_file only hands them out as const */
			struct cl_file_facts *g = (struct cl_file_facts *)cg;
			for (size_t r = 0; r < g->regions.n; r++) {
				struct cl_region *reg = &g->regions.v[r];
				if (reg->kind != CL_R_FUNCTION || !reg->name)
					continue;
				for (size_t h = 0; h < f->route_handlers.n; h++)
					if (!strcmp(reg->name, f->route_handlers.v[h])) {
						reg->route = true;
						g->web_server = true;
					}
			}
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Which functions reach Claude.                                            */

static bool within(const struct cl_span *inner, const struct cl_span *outer)
{
	return inner->start >= outer->start && inner->end <= outer->end;
}

bool cl_project_region_reaches(const struct cl_file_facts *f, int region)
{
	if (region < 0 || (size_t)region >= f->regions.n)
		return false;
	const struct cl_span *sp = &f->regions.v[region].span;
	for (size_t i = 0; i < f->calls.n; i++)
		if (f->calls.v[i].claude && within(&f->calls.v[i].span, sp))
			return true;
	for (size_t i = 0; i < f->refs.n; i++)
		if (f->refs.v[i].reaches_claude && within(&f->refs.v[i].span, sp))
			return true;
	return false;
}

/* A function named NAME in F that reaches Claude (top-level or a method when
 * METHODS). */
static bool reaching_function(const struct cl_file_facts *f, const char *name, bool methods)
{
	for (size_t i = 0; i < f->regions.n; i++) {
		const struct cl_region *r = &f->regions.v[i];
		if (r->kind != CL_R_FUNCTION || !r->reaches_claude || !r->name || strcmp(r->name, name) != 0)
			continue;
		if (methods || r->parent < 0 || f->regions.v[r->parent].kind != CL_R_CLASS)
			return true;
	}
	return false;
}

/* The files of the tree a file imports. */
struct imports {
	const struct cl_file_facts **v;
	size_t n;
};

/* Files without a reaching function are skipped: most files of a tree. */
static bool any_reaching(const struct cl_file_facts *f)
{
	for (size_t i = 0; i < f->regions.n; i++)
		if (f->regions.v[i].reaches_claude)
			return true;
	return false;
}

static bool ref_reaches(const struct cl_file_facts *f, const struct imports *imp, const struct cl_ref *ref)
{
	if (ref->how != CL_REF_MEMBER && reaching_function(f, ref->name, ref->how == CL_REF_SELF))
		return true;
	if (ref->how == CL_REF_SELF)
		return false;
	/* a function (or a module's function) imported from a file of the tree;
	 * `service.reply()` also a method of a class imported from one (an
	 * injected service, a controller's provider) */
	for (size_t i = 0; i < imp->n; i++)
		if (reaching_function(imp->v[i], ref->name, ref->how == CL_REF_MEMBER))
			return true;
	return false;
}

static void mark_reach(const struct cl_project *p)
{
	struct imports *imps = xcalloc(p->nfiles ? p->nfiles : 1, sizeof *imps);
	/* direct calls first, then calls through functions until nothing changes */
	for (size_t i = 0; i < p->nfiles; i++) {
		struct cl_file_facts *f = p->files[i];
		for (size_t k = 0; k < f->calls.n; k++) {
			const struct cl_call *call = &f->calls.v[k];
			int fn = cl_facts_enclosing(f, call->region, CL_R_FUNCTION);
			if (call->claude && fn >= 0)
				f->regions.v[fn].reaches_claude = true;
		}
		if (!f->refs.n)
			continue;
		imps[i].v = xcalloc(f->imported_modules.n ? f->imported_modules.n : 1, sizeof *imps[i].v);
		for (size_t k = 0; k < f->imported_modules.n; k++) {
			const struct cl_file_facts *g = module_file(p, f->path, f->imported_modules.v[k], f->lang);
			if (g && g != f)
				imps[i].v[imps[i].n++] = g;
		}
	}
	for (int round = 0; round < 16; round++) {
		bool changed = false;
		for (size_t i = 0; i < p->nfiles; i++) {
			struct cl_file_facts *f = p->files[i];
			if (!imps[i].n && !any_reaching(f))
				continue;
			for (size_t k = 0; k < f->refs.n; k++) {
				struct cl_ref *ref = &f->refs.v[k];
				if (ref->reaches_claude || !ref_reaches(f, &imps[i], ref))
					continue;
				ref->reaches_claude = true;
				changed = true;
				int fn = cl_facts_enclosing(f, ref->region, CL_R_FUNCTION);
				if (fn >= 0)
					f->regions.v[fn].reaches_claude = true;
			}
		}
		if (!changed)
			break;
	}
	for (size_t i = 0; i < p->nfiles; i++)
		free(imps[i].v);
	free(imps);
}
