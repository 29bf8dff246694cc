/*
 * project.c — links the files of a scan through their relative imports.
 */
#include "model/project.h"

#include "model/callgraph.h"
#include "model/modules.h"
#include "model/packages.h"
#include "adapters/adapters.h"
#include "adapters/surface.h"
#include "support/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int by_path(const void *a, const void *b)
{
	return strcmp((*(struct cl_file_facts *const *)a)->path, (*(struct cl_file_facts *const *)b)->path);
}

static const struct cl_value *resolve(const struct cl_project *p, const struct cl_value *v);
static bool is_claude_call(const struct cl_project *p, const struct cl_call *call);

static void mark_imported_routes(const struct cl_project *p);
static void mark_runnable_routes(const struct cl_project *p);
static bool tentative(const struct cl_call *call);

void cl_project_index(struct cl_project *p, struct cl_file_facts **files, size_t n)
{
	p->files = files;
	p->nfiles = n;
	if (n)
		qsort(p->files, n, sizeof *p->files, by_path);
}

/* The packages of the tree, built on first use (pk->roots NULL until then). */
static const struct cl_packages *packages(const struct cl_project *p, struct cl_packages *pk)
{
	if (!pk->roots) {
		const char **paths = xcalloc(p->nfiles ? p->nfiles : 1, sizeof *paths);
		for (size_t i = 0; i < p->nfiles; i++)
			paths[i] = p->files[i]->path;
		cl_packages_init(pk, paths, p->nfiles);
		free(paths);
	}
	return pk;
}

/* A call its record's gate left undecided (a Bedrock model id from config):
 * its model resolved through the linked files decides; still unknown, the
 * record's policy: the calling file mentions Claude, or the id is no
 * parameter of its function and a file of its package holds an Anthropic
 * model id (adapters.json call_gate.unknown). */
static bool gate_holds(const struct cl_project *p, const struct cl_file_facts *f, const struct cl_call *call,
	struct cl_packages *pk)
{
	const struct cl_adapter *a = cl_adapters_find(call->adapter);
	const char *key = a ? cl_adapters_call_gate_arg(a) : NULL;
	if (!key)
		return false;
	const struct cl_value *v = cl_value_get(call->params, key);
	const struct cl_value *r = v ? resolve(p, v) : NULL;
	enum cl_gate g = cl_adapters_call_gate_value(a, r, call->params->open);
	if (g != CL_GATE_UNKNOWN)
		return g == CL_GATE_YES;
	if (call->gate_context)
		return true;
	/* the package's config does not speak for a function's parameter: its
	 * callers may pass any vendor's id (a workshop's Titan and Nova labs
	 * beside its Claude ones) */
	if (r && r->kind == CL_V_UNKNOWN && r->param && !r->param_derived)
		return false;
	const struct cl_packages *all = packages(p, pk);
	size_t mine = cl_packages_of(all, f->path);
	for (size_t i = 0; i < p->nfiles; i++)
		if (p->files[i]->gate_text && cl_packages_of(all, p->files[i]->path) == mine)
			return true;
	return false;
}

void cl_project_init(struct cl_project *p, struct cl_file_facts **files, size_t n)
{
	cl_project_index(p, files, n);
	struct cl_packages pk = {0};
	for (size_t i = 0; i < n; i++) {
		size_t kept = 0;
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
			call->claude = call->gate_pending ? gate_holds(p, files[i], call, &pk) : is_claude_call(p, call);
			/* a wrapper or AI SDK call kept only in case another file's
			 * function gave it a Claude model: it did not; an adapter call
			 * whose gate the context did not open */
			if (!call->claude && (tentative(call) || call->gate_pending))
				continue;
			files[i]->calls.v[kept++] = *call;
		}
		files[i]->calls.n = kept;
	}
	if (pk.roots)
		cl_packages_finish(&pk);
	mark_imported_routes(p);
	mark_runnable_routes(p);
	cl_callgraph_build(p);
}

void cl_project_finish(struct cl_project *p)
{
	cl_callgraph_destroy(p->graph);
	p->graph = NULL;
	if (p->tool_reach_free)
		p->tool_reach_free(p->tool_reach);
	p->tool_reach = NULL;
	p->tool_reach_free = NULL;
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
			if (!cl_modules_join(path, sizeof path, dir, rel))
				return NULL;
			return try_paths(p, path, py);
		}
		/* absolute: from the scan root, or from src/, or beside the importer,
		 * or beside one of its folders (a service's package root below the
		 * scan root: backend/tarini/a.py importing tarini.b) */
		const char *bases[] = {"", "src"};
		for (size_t i = 0; i < 2; i++) {
			if (!cl_modules_join(path, sizeof path, bases[i], rel))
				continue;
			const struct cl_file_facts *f = try_paths(p, path, py);
			if (f)
				return f;
		}
		for (size_t l = dl; l > 0;) {
			dir[l] = 0;
			if (cl_modules_join(path, sizeof path, dir, rel)) {
				const struct cl_file_facts *f = try_paths(p, path, py);
				if (f)
					return f;
			}
			while (l > 0 && dir[l - 1] != '/')
				l--;
			if (l > 0)
				l--;
		}
		return NULL;
	}
	static const char *const js[] = {"", ".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts",
		"/index.ts", "/index.tsx", "/index.js", "/index.jsx", "/index.mjs", "/index.cjs",
		"/index.mts", "/index.cts", NULL};
	/* the tree's own settings first: tsconfig paths / baseUrl, package.json
	 * imports, workspace packages */
	char cands[8][1024];
	size_t nc = cl_modules_candidates(p->modules, from, module, cands, 8);
	for (size_t i = 0; i < nc; i++) {
		const struct cl_file_facts *f = try_paths(p, cands[i], js);
		if (f)
			return f;
	}
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
		if (!cl_modules_join(path, sizeof path, bases[i], stripped))
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

/* The value F exports as NAME: its own, else one of the modules it
 * re-exports whole (`export * from`, `from m import *`), DEPTH levels deep
 * at most. */
static const struct cl_value *export_in(const struct cl_project *p, const struct cl_file_facts *f,
	const char *name, int depth)
{
	for (size_t i = f->exports.n; i-- > 0;)
		if (!strcmp(f->exports.v[i].name, name))
			return f->exports.v[i].val;
	for (size_t i = 0; depth < 4 && i < f->star_exports.n; i++) {
		const struct cl_file_facts *g = module_file(p, f->path, f->star_exports.v[i], f->lang);
		const struct cl_value *v = g && g != f ? export_in(p, g, name, depth + 1) : NULL;
		if (v)
			return v;
	}
	return NULL;
}


/* Member KEY of an object or of a class's instance state, or NULL. */
static const struct cl_value *member_of(const struct cl_value *v, const char *key)
{
	if (v->kind == CL_V_OBJECT)
		return cl_value_get(v, key);
	if (v->kind != CL_V_CLASS)
		return NULL;
	for (size_t i = v->npairs; i-- > 0;)
		if (!strcmp(v->pairs[i].key, key))
			return v->pairs[i].val;
	return NULL;
}

/* What calling V gives: a function's summary, a class's instance (its
 * state stands for it), or NULL. */
static const struct cl_value *called(const struct cl_value *v)
{
	if (v->kind == CL_V_FUNCTION)
		return v->ret;
	if (v->kind == CL_V_CLASS)
		return v;
	return NULL;
}

static const struct cl_value *resolve_d(const struct cl_project *p, const struct cl_value *v, int depth,
	const struct cl_value **dead_end);

/* Applies the operations written after an imported name's first part
 * (".member", "()") to the export BASE: "ChatCog().client" is the member
 * client of what calling ChatCog gives. */
static const struct cl_value *apply_ops(const struct cl_project *p, const struct cl_value *v, const char *ops,
	int depth, const struct cl_value **dead_end)
{
	char key[256];
	while (v && *ops) {
		v = resolve_d(p, v, depth + 1, dead_end);
		if (!strncmp(ops, "()", 2)) {
			v = called(v);
			ops += 2;
			continue;
		}
		if (*ops != '.')
			return NULL;
		ops++;
		size_t kl = strcspn(ops, ".(");
		if (kl >= sizeof key)
			return NULL;
		memcpy(key, ops, kl);
		key[kl] = 0;
		v = member_of(v, key);
		ops += kl;
	}
	return v;
}

const struct cl_value *cl_project_resolve(const struct cl_project *p, const struct cl_value *v)
{
	return resolve(p, v);
}

static const struct cl_value *resolve(const struct cl_project *p, const struct cl_value *v)
{
	return resolve_d(p, v, 0, NULL);
}

/* V with imports followed (at most 16 links, in chains and through calls
 * and members: a cycle of imports ends there). *DEAD_END (when not NULL) is
 * set to the import of a module outside the tree the chain ended at. */
static const struct cl_value *resolve_d(const struct cl_project *p, const struct cl_value *v, int depth,
	const struct cl_value **dead_end)
{
	static const struct cl_value unknown = {.kind = CL_V_UNKNOWN, .client = -1};
	for (int hop = 0; v && v->kind == CL_V_IMPORT && hop < 8; hop++) {
		if (depth + hop > 16)
			return &unknown;
		const struct cl_file_facts *from = cl_project_file(p, v->from_file);
		enum cl_lang lang = from ? from->lang : CL_LANG_TYPESCRIPT;
		const struct cl_file_facts *f = module_file(p, v->from_file, v->module, lang);
		if (!f || !strcmp(v->name, "*")) {
			if (!f && dead_end)
				*dead_end = v;
			return &unknown;
		}
		/* "SYSTEM", a member of an export "PERSONAS.friendly", a call "build()" */
		char base[256];
		size_t bl = strcspn(v->name, ".(");
		if (bl >= sizeof base)
			return &unknown;
		memcpy(base, v->name, bl);
		base[bl] = 0;
		const struct cl_value *next = export_in(p, f, base, 0);
		if (next && v->name[bl])
			next = apply_ops(p, next, v->name + bl, depth + hop, dead_end);
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

/* A value built by a call to a name of another file ("getModel()"): known
 * only once the files are linked. */
static bool call_import(const struct cl_value *v)
{
	return v && v->kind == CL_V_IMPORT && strchr(v->name, '(');
}

static bool tentative(const struct cl_call *call)
{
	return (call->kind == CL_CALL_WRAPPER && call_import(call->client)) ||
		(call->kind == CL_CALL_AISDK && call_import(cl_value_get(call->params, "model")));
}

/* True when CALL is a Claude call: its receiver traces back to a Claude
 * client (CALL's client_file / client_index are already linked), or it is a
 * raw / wrapper / AI SDK / LiteLLM call. A receiver or model that another
 * file's function builds counts when it resolves to a Claude one (or, for an
 * SDK receiver that leads nowhere known, when the extraction's guess says so). */
static bool is_claude_call(const struct cl_project *p, const struct cl_call *call)
{
	if (call->kind == CL_CALL_AISDK) {
		const struct cl_value *m = cl_value_get(call->params, "model");
		if (!call_import(m))
			return true;
		const struct cl_value *r = resolve(p, m);
		return r->kind == CL_V_AI_MODEL || (r->kind == CL_V_STRING && !strncmp(r->str, "anthropic/", 10));
	}
	if (call->kind == CL_CALL_WRAPPER && call_import(call->client)) {
		const struct cl_client *c = call->client_file && call->client_index >= 0 ?
			&call->client_file->clients.v[call->client_index] : NULL;
		return c && (c->kind == CL_CLIENT_LANGCHAIN || c->kind == CL_CLIENT_LLAMAINDEX);
	}
	if (call->kind != CL_CALL_SDK || !call->client)
		return true; /* no receiver value: an untyped one in a file that imports the SDK */
	if (!call->client_file) {
		/* the guess, unless the receiver comes from another vendor's SDK or
		 * a service's with a look-alike method (Twilio's messages.create) */
		const struct cl_value *end = NULL;
		bool unknown = resolve_d(p, call->client, 0, &end)->kind == CL_V_UNKNOWN;
		return call->receiver_guess && unknown && !(end && (cl_surface_has_module("other_llm_modules", end->module) ||
			cl_surface_has_module("lookalike_modules", end->module)));
	}
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

/* Marks the function NAME of file G (the project's own, mutable) as the
 * handler NH registers; a name G only re-exports (`from .messages import
 * handle_message` in a package's __init__.py, `export { x } from`, `export *`)
 * is followed to its file, DEPTH levels at most. */
static void mark_handler(const struct cl_project *p, const struct cl_file_facts *cg, const char *name,
	const struct cl_named_handler *nh, int depth)
{
	struct cl_file_facts *g = (struct cl_file_facts *)cg;
	bool found = false;
	for (size_t r = 0; r < g->regions.n; r++) {
		struct cl_region *reg = &g->regions.v[r];
		if (reg->kind != CL_R_FUNCTION || !reg->name || strcmp(reg->name, name))
			continue;
		if (!reg->route) {
			reg->entry = nh->entry;
			reg->entry_guard = nh->guard;
		}
		reg->route = true;
		g->web_server = true;
		found = true;
	}
	if (found || depth >= 4)
		return;
	for (size_t i = 0; i < g->exports.n; i++) {
		const struct cl_value *v = g->exports.v[i].val;
		if (strcmp(g->exports.v[i].name, name) || v->kind != CL_V_IMPORT || !strcmp(v->name, "*") ||
		    strchr(v->name, '.') || strchr(v->name, '('))
			continue;
		const struct cl_file_facts *h = module_file(p, g->path, v->module, g->lang);
		if (h && h != g)
			mark_handler(p, h, v->name, nh, depth + 1);
		return;
	}
	for (size_t i = 0; i < g->star_exports.n; i++) {
		const struct cl_file_facts *h = module_file(p, g->path, g->star_exports.v[i], g->lang);
		if (h && h != g)
			mark_handler(p, h, name, nh, depth + 1);
	}
}

static void mark_imported_routes(const struct cl_project *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cl_file_facts *f = p->files[i];
		for (size_t k = 0; k < f->imported_modules.n && f->route_handlers.n; k++) {
			const struct cl_file_facts *cg = module_file(p, f->path, f->imported_modules.v[k], f->lang);
			if (!cg || cg == f)
				continue;
			/* the project's files are its own, mutable: module_file only hands them out as const */
			for (size_t h = 0; h < f->route_handlers.n; h++)
				mark_handler(p, cg, f->route_handlers.v[h].name, &f->route_handlers.v[h], 0);
		}
	}
}

/* Runnables served as routes (LangServe): see cl_runnable_route.reaches_claude. */
static void mark_runnable_routes(const struct cl_project *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		struct cl_file_facts *f = p->files[i];
		for (size_t k = 0; k < f->runnable_routes.n; k++) {
			struct cl_runnable_route *r = &f->runnable_routes.v[k];
			const struct cl_value *v = resolve(p, r->value);
			r->reaches_claude = v->kind == CL_V_CLIENT;
			if (r->reaches_claude || strchr(r->name, '(') ||
			    (r->value->kind != CL_V_IMPORT && r->value->kind != CL_V_UNKNOWN))
				continue;
			const struct cl_file_facts *g = r->value->kind == CL_V_IMPORT ?
				module_file(p, f->path, r->value->module, f->lang) : f;
			r->reaches_claude = g && g->clients.n;
			if (r->reaches_claude)
				f->web_server = true;
		}
	}
}

/* ------------------------------------------------------------------------ */
/* Which functions reach Claude.                                            */

static bool within(const struct cl_span *inner, const struct cl_span *outer)
{
	return inner->start >= outer->start && inner->end <= outer->end;
}

bool cl_project_file_reaches(const struct cl_file_facts *f)
{
	for (size_t i = 0; i < f->calls.n; i++)
		if (f->calls.v[i].claude)
			return true;
	for (size_t i = 0; i < f->refs.n; i++)
		if (f->refs.v[i].reaches_claude)
			return true;
	return false;
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
