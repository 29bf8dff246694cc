/*
 * closure.c — the import closure: a source file the prefilter let pass
 * unparsed is parsed after all when it imports a parsed file or a parsed
 * file imports it, round after round (see scan.c for the first round).
 */
#include "scan/scan_internal.h"

#include <stdlib.h>
#include <string.h>

#include "model/project.h"
#include "rules/patterns.h"
#include "support/xalloc.h"

/* The import closure: a deferred file is parsed after all when it imports a
 * parsed file or a parsed file imports it, round after round, so every link
 * cl_project_init makes is between parsed files, as without the prefilter. */

static struct slot *slot_of(const struct cl_file_facts *f)
{
	return (struct slot *)((char *)f - offsetof(struct slot, facts));
}

/* What an import is likely to name: "client" for "./lib/client.js",
 * "app.client" or "lib/client/index.ts"; "" when it cannot tell (".", "..",
 * "./"): such imports are always resolved. */
static void stem_of_module(const char *m, bool py, char *out, size_t cap)
{
	const char *seg = strrchr(m, py ? '.' : '/');
	seg = seg ? seg + 1 : m;
	size_t n = strlen(seg);
	static const char *const exts[] = {".js", ".mjs", ".cjs", ".jsx", ".ts", ".tsx", ".mts", ".cts"};
	for (size_t k = 0; !py && k < sizeof exts / sizeof *exts; k++) {
		size_t el = strlen(exts[k]);
		if (n > el && !strcmp(seg + n - el, exts[k])) {
			n -= el;
			break;
		}
	}
	if (!py && (!strcmp(seg, ".") || !strcmp(seg, "..")))
		n = 0;
	/* "./ai/index.ts" names the folder, as stem_of_path says of the file */
	if (!py && seg > m + 1 && n >= 5 && !strncmp(seg, "index", 5) && (n == 5 || seg[5] == '.')) {
		const char *dir = seg - 1;
		while (dir > m && dir[-1] != '/')
			dir--;
		n = (size_t)(seg - 1 - dir);
		seg = dir;
		if ((n == 1 && seg[0] == '.') || (n == 2 && !strncmp(seg, "..", 2)))
			n = 0;
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, seg, n);
	out[n] = 0;
}

/* The stem of a file's path: its name without the extension, or its
 * folder's name for index.* and __init__.py. */
static void stem_of_path(const char *path, char *out, size_t cap)
{
	const char *base = strrchr(path, '/');
	const char *name = base ? base + 1 : path;
	const char *dot = strrchr(name, '.');
	size_t n = dot && dot != name ? (size_t)(dot - name) : strlen(name);
	if ((n == 5 && !strncmp(name, "index", 5)) || (n == 8 && !strncmp(name, "__init__", 8))) {
		const char *dir_end = base ? base : path;
		const char *dir = dir_end;
		while (dir > path && dir[-1] != '/')
			dir--;
		name = dir;
		n = (size_t)(dir_end - dir);
	}
	if (n >= cap)
		n = cap - 1;
	memcpy(out, name, n);
	out[n] = 0;
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Queues slot J (once) for the next round. */
static void queue(struct pool *p, size_t *todo, size_t *ntodo, size_t j)
{
	if (!p->slots[j].deferred || p->slots[j].queued)
		return;
	p->slots[j].queued = true;
	todo[(*ntodo)++] = j;
}

/* Does F's parse say something about Claude, so that the files it imports
 * and the files importing it matter? A file parsed for another check's term
 * (a rate limiter, a metrics client) that says nothing of Claude links no
 * further: an index.ts re-exporting a whole library would pull it all in. */
static bool links(const struct cl_file_facts *f)
{
	return f->clients.n || f->calls.n || f->models.n || f->claude_import;
}

/* How many imports deep CL07 follows a tool handler's code into files that
 * say nothing of Claude (`tools.py` -> `store.py`). */
#define TOOL_IMPORT_DEPTH 3

/* F handles a model's tool calls (rules/CL07.json tool_branch): the files it
 * imports are parsed too, TOOL_IMPORT_DEPTH deep. */
static bool tool_code(const struct cl_file_facts *f)
{
	return f->text && cl_pattern_find(cl_patterns_get(CL_ITEM(CL07), "tool_branch"), f->text, f->text_len, 0,
		NULL, NULL);
}

/* Does F call by name a function of a linking file it imports, or hand a
 * value of one to a call? Then a call chain to Claude may pass through it
 * (a route -> summarise() -> complete()), and the files importing it and
 * the files it imports matter too. */
static bool calls_into_linking(struct pool *p, const struct cl_project *proj, const bool *linking,
	const struct cl_file_facts *f)
{
	/* a package's __init__.py / index.ts re-exporting a linking file's names
	 * (`from .messages import handle_message`) links its importers to it */
	for (size_t i = 0; i < f->exports.n + f->star_exports.n; i++) {
		const struct cl_value *v = i < f->exports.n ? f->exports.v[i].val : NULL;
		const char *m = v ? (v->kind == CL_V_IMPORT ? v->module : NULL) : f->star_exports.v[i - f->exports.n];
		const struct cl_file_facts *g = m ? cl_project_module(proj, f->path, m, f->lang) : NULL;
		if (g && g != f && linking[slot_of(g) - p->slots])
			return true;
	}
	/* a value imported from a linking file handed to a call by name
	 * (`createAIBot({ aiClient: claude })`, `Bot(llm=client)`): the file
	 * called may call through it, so the files F imports are parsed */
	for (size_t i = 0; i < f->handoffs.n; i++) {
		const struct cl_value *v = f->handoffs.v[i].val;
		const struct cl_file_facts *g = v->kind == CL_V_IMPORT ? cl_project_module(proj, f->path, v->module, f->lang) : NULL;
		if (g && g != f && linking[slot_of(g) - p->slots])
			return true;
	}
	for (size_t m = 0; f->refs.n && m < f->imported_modules.n; m++) {
		const struct cl_file_facts *g = cl_project_module(proj, f->path, f->imported_modules.v[m], f->lang);
		if (!g || g == f || !linking[slot_of(g) - p->slots])
			continue;
		for (size_t r = 0; r < g->regions.n; r++) {
			const struct cl_region *reg = &g->regions.v[r];
			if (reg->kind != CL_R_FUNCTION || !reg->name)
				continue;
			for (size_t k = 0; k < f->refs.n; k++)
				if (!strcmp(f->refs.v[k].name, reg->name))
					return true;
		}
	}
	return false;
}

/* Does one of F's imports end in a stem of STEMS (sorted)? */
static bool imports_stem(const struct cl_file_facts *f, char **stems, size_t nstems)
{
	char buf[256];
	for (size_t m = 0; f->refs.n && m < f->imported_modules.n; m++) {
		stem_of_module(f->imported_modules.v[m], f->lang == CL_LANG_PYTHON, buf, sizeof buf);
		const char *key = buf;
		if (buf[0] && bsearch(&key, stems, nstems, sizeof *stems, by_str))
			return true;
	}
	return false;
}

void cl_scan_import_closure(struct pool *p)
{
	size_t n = p->d->nfiles;
	struct cl_file_facts **files = xcalloc(n ? n : 1, sizeof *files);
	size_t *frontier = xcalloc(n ? n : 1, sizeof *frontier), *todo = xcalloc(n ? n : 1, sizeof *todo);
	char **stems = xcalloc(n ? n : 1, sizeof *stems);
	bool *linking = xcalloc(n ? n : 1, sizeof *linking);
	int *down = xcalloc(n ? n : 1, sizeof *down); /* imports still followed for tool code */
	size_t *later = xcalloc(n ? n : 1, sizeof *later), nlater = 0;
	bool *callers = xcalloc(n ? n : 1, sizeof *callers);
	size_t *caller_list = xcalloc(n ? n : 1, sizeof *caller_list), ncallers = 0;
	size_t nfrontier = 0;
	for (size_t i = 0; i < n; i++) {
		files[i] = &p->slots[i].facts;
		if (!p->slots[i].read || p->slots[i].binary || p->slots[i].deferred || p->slots[i].facts.lang == CL_LANG_TEXT)
			continue;
		if (tool_code(&p->slots[i].facts))
			down[i] = TOOL_IMPORT_DEPTH;
		if (links(&p->slots[i].facts) || down[i])
			frontier[nfrontier++] = i;
	}
	struct cl_project proj = {0};
	cl_project_index(&proj, files, n);
	proj.modules = &p->modules;
	while (nfrontier) {
		size_t ntodo = 0;
		/* what the frontier imports */
		for (size_t k = 0; k < nfrontier; k++) {
			const struct cl_file_facts *f = &p->slots[frontier[k]].facts;
			for (size_t m = 0; m < f->imported_modules.n; m++) {
				const struct cl_file_facts *t = cl_project_module(&proj, f->path, f->imported_modules.v[m], f->lang);
				if (!t)
					continue;
				size_t ti = (size_t)(slot_of(t) - p->slots);
				if (down[frontier[k]] > down[ti] + 1) {
					/* parsed already (its own terms): it joins the next frontier for its imports */
					if (!down[ti] && !p->slots[ti].deferred && !linking[ti] && nlater < n)
						later[nlater++] = ti;
					down[ti] = down[frontier[k]] - 1;
				}
				queue(p, todo, &ntodo, ti);
			}
		}
		/* who imports the frontier: the stems first, resolution only on a hit */
		char buf[256];
		for (size_t k = 0; k < nfrontier; k++) {
			stem_of_path(p->slots[frontier[k]].facts.path, buf, sizeof buf);
			stems[k] = xstrdup(buf);
		}
		qsort(stems, nfrontier, sizeof *stems, by_str);
		for (size_t j = 0; j < n; j++) {
			struct slot *s = &p->slots[j];
			/* parsed for another term, linking nothing itself: a caller of
			 * the frontier's functions (a bot's handlers module) may join */
			if (!s->deferred && s->read && !linking[j] && !callers[j] && ncallers < n &&
			    imports_stem(&s->facts, stems, nfrontier))
				callers[j] = true, caller_list[ncallers++] = j;
			if (!s->deferred || s->queued)
				continue;
			bool py = s->facts.lang == CL_LANG_PYTHON;
			for (const char *m = s->imports; m && m < s->imports + s->imports_len; m += strlen(m) + 1) {
				stem_of_module(m, py, buf, sizeof buf);
				const char *key = buf;
				if (buf[0] && !bsearch(&key, stems, nfrontier, sizeof *stems, by_str))
					continue;
				const struct cl_file_facts *t = cl_project_module(&proj, s->facts.path, m, s->facts.lang);
				if (t && !slot_of(t)->deferred && slot_of(t)->read) {
					queue(p, todo, &ntodo, j);
					break;
				}
			}
		}
		for (size_t k = 0; k < nfrontier; k++)
			free(stems[k]);
		cl_scan_round(p, cl_scan_parse_deferred, todo, ntodo);
		for (size_t k = 0; k < nfrontier; k++)
			linking[frontier[k]] = true;
		nfrontier = 0;
		for (size_t k = 0; k < ntodo; k++)
			if (links(&p->slots[todo[k]].facts) || down[todo[k]] > 0 ||
			    calls_into_linking(p, &proj, linking, &p->slots[todo[k]].facts))
				frontier[nfrontier++] = todo[k];
		for (size_t k = 0; k < nlater && nfrontier < n; k++)
			if (!linking[later[k]])
				frontier[nfrontier++] = later[k];
		nlater = 0;
		for (size_t k = 0; k < ncallers && nfrontier < n; k++) {
			size_t j = caller_list[k];
			callers[j] = false;
			if (!linking[j] && calls_into_linking(p, &proj, linking, &p->slots[j].facts))
				frontier[nfrontier++] = j;
		}
		ncallers = 0;
	}
	cl_project_finish(&proj);
	free(down);
	free(later);
	free(callers);
	free(caller_list);
	free(linking);
	free(stems);
	free(todo);
	free(frontier);
	free(files);
}

