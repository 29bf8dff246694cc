/*
 * callgraph.c — the tree's call graph (see callgraph.h): linear in the
 * calls by name and their candidate functions; no fixpoint rounds.
 */
#include "model/callgraph.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "support/xalloc.h"

struct target {
	uint32_t file;
	int32_t region;
	bool queued;      /* through a job queue (queue_targets) */
};

typedef CL_VEC(struct target) target_vec;

struct rev {
	uint32_t file;    /* the function called */
	int32_t region;
	size_t ref;       /* the global number of the call */
};

/* A file's named functions, sorted by name. */
struct named {
	const char *name;
	int region;
	bool method;
	const char *cls;  /* a method's class (NULL when anonymous or not a method) */
};

struct cl_callgraph {
	size_t nfiles;
	size_t *ref_base;        /* per file: its first call's global number (nfiles + 1) */
	size_t *first;           /* per call: its first target (nrefs + 1) */
	struct target *targets;
	struct rev *rev;         /* sorted by (file, region) */
	size_t nrev;
};

static int by_name(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->region - y->region;
}

static int by_callee(const void *a, const void *b)
{
	const struct rev *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->region != y->region)
		return x->region < y->region ? -1 : 1;
	return x->ref < y->ref ? -1 : x->ref > y->ref;
}

static struct named *index_functions(const struct cl_file_facts *f, size_t *n)
{
	struct named *v = xcalloc(f->regions.n ? f->regions.n : 1, sizeof *v);
	*n = 0;
	for (size_t i = 0; i < f->regions.n; i++) {
		const struct cl_region *r = &f->regions.v[i];
		if (r->kind != CL_R_FUNCTION || !r->name)
			continue;
		v[*n].name = r->name;
		v[*n].region = (int)i;
		v[*n].method = r->parent >= 0 && f->regions.v[r->parent].kind == CL_R_CLASS;
		v[*n].cls = v[*n].method ? f->regions.v[r->parent].name : NULL;
		(*n)++;
	}
	if (*n)
		qsort(v, *n, sizeof *v, by_name);
	return v;
}

/* Appends to T the functions of file FI named NAME (methods too when
 * METHODS; only the methods of class CLS when CLS); how many. */
static size_t add_named(target_vec *t, const struct named *idx, size_t n, uint32_t fi,
	const char *name, bool methods, const char *cls)
{
	size_t added = 0;
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(idx[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < n && !strcmp(idx[i].name, name); i++)
		if ((methods || !idx[i].method) && (!cls || (idx[i].cls && !strcmp(idx[i].cls, cls)))) {
			struct target x = {fi, idx[i].region, false};
			cl_vec_push(t, x);
			added++;
		}
	return added;
}

/* The name of the class whose method holds REGION of F, or NULL. */
static const char *class_of(const struct cl_file_facts *f, int region)
{
	int fn = cl_facts_enclosing(f, region, CL_R_FUNCTION);
	while (fn >= 0) {
		int up = f->regions.v[fn].parent;
		if (up >= 0 && f->regions.v[up].kind == CL_R_CLASS)
			return f->regions.v[up].name;
		fn = up >= 0 ? cl_facts_enclosing(f, up, CL_R_FUNCTION) : -1;
	}
	return NULL;
}

/* The first reverse edge to (FILE, REGION). */
static size_t rev_lower(const struct cl_callgraph *g, uint32_t file, int32_t region)
{
	struct rev key = {file, region, 0};
	size_t lo = 0, hi = g->nrev;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (by_callee(&g->rev[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The file of global call R. */
static size_t file_of_ref(const struct cl_callgraph *g, size_t r)
{
	size_t lo = 0, hi = g->nfiles;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (g->ref_base[mid + 1] <= r)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static size_t file_index(const struct cl_project *p, const struct cl_file_facts *f)
{
	size_t lo = 0, hi = p->nfiles;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(f->path, p->files[mid]->path);
		if (c == 0)
			return mid;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return SIZE_MAX;
}

/* Does F's text name WORD as a whole word (`new AnthropicService(`, an
 * import of it)? True when the text was not kept. */
static bool names_word(const struct cl_file_facts *f, const char *word)
{
	if (!f->code)
		return true;
	size_t wl = strlen(word);
	const char *end = f->code + f->code_len;
	for (const char *at = f->code; wl && at + wl <= end; at++) {
		at = memchr(at, word[0], (size_t)(end - at));
		if (!at || at + wl > end)
			return false;
		bool before = at > f->code && (at[-1] == '_' || isalnum((unsigned char)at[-1]));
		bool after = at + wl < end && (at[wl] == '_' || isalnum((unsigned char)at[wl]));
		if (!before && !after && !memcmp(at, word, wl))
			return true;
	}
	return false;
}

/* Does function FN of F call (construct) NAME in its own body? */
static bool instantiates(const struct cl_file_facts *f, int fn, const char *name)
{
	for (size_t k = 0; k < f->refs.n; k++)
		if (f->refs.v[k].how == CL_REF_PLAIN && !strcmp(f->refs.v[k].name, name) &&
		    cl_facts_enclosing(f, f->refs.v[k].region, CL_R_FUNCTION) == fn)
			return true;
	return false;
}

static bool has_target(const target_vec *t, size_t from, uint32_t fi, int region)
{
	for (size_t k = from; k < t->n; k++)
		if (t->v[k].file == fi && t->v[k].region == region)
			return true;
	return false;
}

static void push_new(target_vec *t, size_t from, uint32_t fi, int region)
{
	if (!has_target(t, from, fi, region)) {
		struct target x = {fi, region, false};
		cl_vec_push(t, x);
	}
}

/* The same for a job queue's consumer. */
static void push_queued(target_vec *t, size_t from, uint32_t fi, int region)
{
	size_t n = t->n;
	push_new(t, from, fi, region);
	if (t->n > n)
		t->v[n].queued = true;
}

/* The methods M of what NAME of the file H stands for, when it is an
 * instance: NAME is an export of H (`claude`, `getAIService`) or "X()" (an
 * instance of H's class X, or of a class X H imports; "default()": of H's
 * classes). H's own functions M when it has some; else the methods M of the
 * classes H takes from the files it imports — a singleton built from a
 * re-exported class, a factory choosing among service classes: of the
 * instance's class when H's export says which (`claude = new Claude()`),
 * of the classes a factory instantiates, else of every class H names.
 * Targets from FROM on are not repeated. */
static void value_targets(const struct cl_project *p, target_vec *t, size_t from, struct named **idx,
	const size_t *nidx, const struct cl_file_facts *h, const char *name, const char *m)
{
	size_t hi = h ? file_index(p, h) : SIZE_MAX;
	if (hi == SIZE_MAX || !name)
		return;
	/* the instance's class: its value's, else the imported name it is
	 * made by calling (`echo = new Echo()`, `client = ClaudeClient()`; a
	 * default export: any class of that file) */
	char cls[128] = "";
	const struct cl_file_facts *cls_file = NULL;
	const struct cl_value *raw = NULL, *v = NULL;
	size_t nl = strlen(name);
	if (nl > 2 && nl < sizeof cls && !strcmp(name + nl - 2, "()")) {
		memcpy(cls, name, nl - 2);
		cls[nl - 2] = 0;
		if (!strcmp(cls, "default"))
			cls[0] = 0, cls_file = h;
	}
	for (size_t e = h->exports.n; !cls[0] && !cls_file && e-- > 0;)
		if (!strcmp(h->exports.v[e].name, name)) {
			raw = h->exports.v[e].val;
			v = cl_project_resolve(p, raw);
			break;
		}
	size_t bl = raw && raw->kind == CL_V_IMPORT && raw->name ? strcspn(raw->name, ".(") : 0;
	if (v && (v->kind == CL_V_OBJECT || v->kind == CL_V_CLASS) && v->name && strlen(v->name) < sizeof cls) {
		strcpy(cls, v->name);
	} else if (bl && bl < sizeof cls && !strcmp(raw->name + bl, "()") && raw->module) {
		memcpy(cls, raw->name, bl);
		cls[bl] = 0;
		if (!strcmp(cls, "default")) {
			cls[0] = 0;
			cls_file = cl_project_module(p, h->path, raw->module, h->lang);
		}
	}
	/* H's own */
	bool own = false;
	for (size_t i = 0; i < nidx[hi]; i++)
		if (!strcmp(idx[hi][i].name, m)) {
			own = true;
			if (!cls[0] || (idx[hi][i].cls && !strcmp(idx[hi][i].cls, cls)))
				push_new(t, from, (uint32_t)hi, idx[hi][i].region);
		}
	if (own || cls_file == h)
		return;
	/* a factory of H: the classes its body instantiates */
	int factory = -1;
	for (size_t i = 0; !cls[0] && !cls_file && i < nidx[hi]; i++)
		if (!idx[hi][i].method && !strcmp(idx[hi][i].name, name))
			factory = idx[hi][i].region;
	for (size_t k = 0; k < h->imported_modules.n; k++) {
		const struct cl_file_facts *g = cl_project_import_file(p, h, k);
		size_t gi = g && g != h ? file_index(p, g) : SIZE_MAX;
		if (gi == SIZE_MAX || (cls_file && g != cls_file))
			continue;
		const struct named *x = idx[gi];
		for (size_t i = 0; i < nidx[gi]; i++)
			if (x[i].cls && !strcmp(x[i].name, m) &&
			    (cls[0] ? !strcmp(x[i].cls, cls) : cls_file || (factory >= 0 ? instantiates(h, factory, x[i].cls) :
				names_word(h, x[i].cls))))
				push_new(t, from, (uint32_t)gi, x[i].region);
	}
}

/* x.m() on a value imported from another file of the tree (`import {
 * claude } from './ai'`, `s = get_llm(); s.reply()`): what value_targets
 * says of it. */
static void receiver_targets(const struct cl_project *p, target_vec *t, size_t from, struct named **idx,
	const size_t *nidx, const struct cl_file_facts *f, const struct cl_ref *ref)
{
	const struct cl_file_facts *h = NULL;
	for (size_t k = 0; !h && k < f->imported_modules.n; k++)
		if (!strcmp(f->imported_modules.v[k], ref->recv_module))
			h = cl_project_import_file(p, f, k);
	if (h && h != f)
		value_targets(p, t, from, idx, nidx, h, ref->recv_name, ref->name);
}

/* A value handed over under a name: its file and the handoff. */
struct handed {
	const char *key;
	uint32_t file;
	uint32_t k;
};

static int by_key(const void *a, const void *b)
{
	const struct handed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->file != y->file ? (x->file < y->file ? -1 : 1) : (x->k > y->k) - (x->k < y->k));
}

/* x.key.m() (`config.aiClient.ask()`, `self.llm.ask()`): the methods m of
 * the values the tree's calls hand over under that key (`createAIBot({
 * aiClient: claude })`, `Bot(llm=client)`), HS sorted by key. */
static void handoff_targets(const struct cl_project *p, target_vec *t, size_t from, struct named **idx,
	const size_t *nidx, const struct handed *hs, size_t nhs, const struct cl_ref *ref)
{
	size_t lo = 0, hi = nhs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(hs[mid].key, ref->recv_key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < nhs && !strcmp(hs[i].key, ref->recv_key); i++) {
		const struct cl_file_facts *hf = p->files[hs[i].file];
		const struct cl_value *v = hf->handoffs.v[hs[i].k].val;
		if (v->kind == CL_V_IMPORT) {
			value_targets(p, t, from, idx, nidx, cl_project_module(p, hf->path, v->module, hf->lang), v->name,
				ref->name);
		} else {
			char *inst = xasprintf("%s()", v->name);
			value_targets(p, t, from, idx, nidx, hf, inst, ref->name);
			free(inst);
		}
	}
}

/* A queue's consumer: its queue's name (NULL: not a literal) and function. */
struct consumer {
	const char *queue;
	uint32_t file;
	int region;
};

/* The edges of F's K-th call when it enqueues (rules/surface.json queue_*):
 * `summarise.delay()` to the function summarise (of the file or one it
 * imports), `queue.add()` to the consumers of that queue (of every queue
 * when either name is not a literal). */
static void queue_targets(target_vec *t, size_t from, struct named **idx, const size_t *nidx, uint32_t fi,
	const struct cl_file_facts *f, size_t k, const uint32_t *imports, size_t nimports,
	const struct consumer *cs, size_t ncs)
{
	for (size_t q = 0; q < f->queues.n; q++) {
		const struct cl_queue_link *l = &f->queues.v[q];
		if (l->consumer || l->ref != k)
			continue;
		if (l->task) {
			for (size_t m = 0; m <= nimports; m++) {
				uint32_t g = m < nimports ? imports[m] : fi;
				for (size_t i = 0; i < nidx[g]; i++)
					if (!idx[g][i].method && !strcmp(idx[g][i].name, l->task))
						push_queued(t, from, g, idx[g][i].region);
			}
			continue;
		}
		for (size_t c = 0; c < ncs; c++)
			if (!l->queue || !cs[c].queue || !strcmp(l->queue, cs[c].queue))
				push_queued(t, from, cs[c].file, cs[c].region);
	}
}

void cl_callgraph_build(struct cl_project *p)
{
	struct cl_callgraph *g = xcalloc(1, sizeof *g);
	size_t n = p->nfiles;
	g->nfiles = n;
	g->ref_base = xcalloc(n + 1, sizeof *g->ref_base);
	for (size_t i = 0; i < n; i++)
		g->ref_base[i + 1] = g->ref_base[i] + p->files[i]->refs.n;
	size_t nrefs = g->ref_base[n];
	g->first = xcalloc(nrefs + 1, sizeof *g->first);
	struct named **idx = xcalloc(n ? n : 1, sizeof *idx);
	size_t *nidx = xcalloc(n ? n : 1, sizeof *nidx);
	for (size_t i = 0; i < n; i++)
		idx[i] = index_functions(p->files[i], &nidx[i]);

	/* the values handed over by name, by key */
	size_t nhs = 0;
	for (size_t i = 0; i < n; i++)
		nhs += p->files[i]->handoffs.n;
	struct handed *hs = xcalloc(nhs ? nhs : 1, sizeof *hs);
	nhs = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < p->files[i]->handoffs.n; k++) {
			struct handed x = {p->files[i]->handoffs.v[k].key, (uint32_t)i, (uint32_t)k};
			hs[nhs++] = x;
		}
	if (nhs)
		qsort(hs, nhs, sizeof *hs, by_key);

	/* the queues' consumers */
	CL_VEC(struct consumer) cs = {0};
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = p->files[i];
		for (size_t q = 0; q < f->queues.n; q++) {
			const struct cl_queue_link *l = &f->queues.v[q];
			struct consumer c = {l->queue, (uint32_t)i, l->region};
			for (size_t k = 0; l->consumer && l->fn_name && k < nidx[i]; k++)
				if (!idx[i][k].method && !strcmp(idx[i][k].name, l->fn_name))
					c.region = idx[i][k].region;
			if (l->consumer && c.region >= 0)
				cl_vec_push(&cs, c);
		}
	}

	/* edges: each call by name to its candidate functions */
	target_vec t = {0};
	CL_VEC(uint32_t) imports = {0};
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = p->files[i];
		imports.n = 0;
		for (size_t k = 0; f->refs.n && k < f->imported_modules.n; k++) {
			const struct cl_file_facts *h = cl_project_import_file(p, f, k);
			size_t hi = h && h != f ? file_index(p, h) : SIZE_MAX;
			if (hi != SIZE_MAX)
				cl_vec_push(&imports, (uint32_t)hi);
		}
		for (size_t k = 0; k < f->refs.n; k++) {
			const struct cl_ref *ref = &f->refs.v[k];
			g->first[g->ref_base[i] + k] = t.n;
			/* self.m(): a method of the caller's class first, else of any class
			 * of the file (a base class); x.m() on an instance of a class of
			 * the file: that class's method */
			const char *own = ref->how == CL_REF_SELF ? class_of(f, ref->region) : NULL;
			if (ref->how == CL_REF_PLAIN ||
			    (ref->how == CL_REF_SELF && !(own && add_named(&t, idx[i], nidx[i], (uint32_t)i, ref->name, true, own))))
				add_named(&t, idx[i], nidx[i], (uint32_t)i, ref->name, ref->how == CL_REF_SELF, NULL);
			if (ref->how == CL_REF_MEMBER && ref->cls)
				add_named(&t, idx[i], nidx[i], (uint32_t)i, ref->name, true, ref->cls);
			/* a function (or a module's function) imported from a file of the
			 * tree; `service.reply()` also a method of a class imported from one */
			for (size_t m = 0; ref->how != CL_REF_SELF && m < imports.n; m++)
				add_named(&t, idx[imports.v[m]], nidx[imports.v[m]], imports.v[m], ref->name,
					ref->how == CL_REF_MEMBER, NULL);
			if (ref->how == CL_REF_MEMBER && ref->recv_module)
				receiver_targets(p, &t, g->first[g->ref_base[i] + k], idx, nidx, f, ref);
			if (ref->how == CL_REF_MEMBER && ref->recv_key && nhs)
				handoff_targets(p, &t, g->first[g->ref_base[i] + k], idx, nidx, hs, nhs, ref);
			if (ref->how == CL_REF_MEMBER && f->queues.n)
				queue_targets(&t, g->first[g->ref_base[i] + k], idx, nidx, (uint32_t)i, f, k, imports.v,
					imports.n, cs.v, cs.n);
		}
	}
	g->first[nrefs] = t.n;
	g->targets = t.v;
	cl_vec_free(&imports);
	cl_vec_free(&cs);
	free(hs);
	for (size_t i = 0; i < n; i++)
		free(idx[i]);
	free(idx);
	free(nidx);

	/* the reverse edges, by callee */
	g->nrev = t.n;
	g->rev = xcalloc(t.n ? t.n : 1, sizeof *g->rev);
	for (size_t r = 0, e = 0; r < nrefs; r++)
		for (; e < g->first[r + 1]; e++) {
			g->rev[e].file = g->targets[e].file;
			g->rev[e].region = g->targets[e].region;
			g->rev[e].ref = r;
		}
	if (g->nrev)
		qsort(g->rev, g->nrev, sizeof *g->rev, by_callee);
	p->graph = g;

	/* reachability: back from the functions that make a Claude call */
	target_vec queue = {0};
	for (size_t i = 0; i < n; i++) {
		struct cl_file_facts *f = p->files[i];
		for (size_t k = 0; k < f->calls.n; k++) {
			int fn = cl_facts_enclosing(f, f->calls.v[k].region, CL_R_FUNCTION);
			if (f->calls.v[k].claude && fn >= 0 && !f->regions.v[fn].reaches_claude) {
				f->regions.v[fn].reaches_claude = true;
				struct target x = {(uint32_t)i, fn, false};
				cl_vec_push(&queue, x);
			}
		}
	}
	for (size_t q = 0; q < queue.n; q++) {
		uint32_t file = queue.v[q].file;
		int32_t region = queue.v[q].region;
		for (size_t e = rev_lower(g, file, region); e < g->nrev && g->rev[e].file == file &&
		     g->rev[e].region == region; e++) {
			size_t r = g->rev[e].ref, i = file_of_ref(g, r);
			struct cl_file_facts *f = p->files[i];
			struct cl_ref *ref = &f->refs.v[r - g->ref_base[i]];
			if (ref->reaches_claude)
				continue;
			ref->reaches_claude = true;
			int fn = cl_facts_enclosing(f, ref->region, CL_R_FUNCTION);
			if (fn >= 0 && !f->regions.v[fn].reaches_claude) {
				f->regions.v[fn].reaches_claude = true;
				struct target x = {(uint32_t)i, fn, false};
				cl_vec_push(&queue, x);
			}
		}
	}
	cl_vec_free(&queue);
}

void cl_callgraph_destroy(struct cl_callgraph *g)
{
	if (!g)
		return;
	free(g->ref_base);
	free(g->first);
	free(g->targets);
	free(g->rev);
	free(g);
}

size_t cl_callgraph_callees(const struct cl_project *p, const struct cl_file_facts *f, size_t ref,
	struct cl_fn *out, size_t cap)
{
	const struct cl_callgraph *g = p->graph;
	size_t i = g ? file_index(p, f) : SIZE_MAX;
	if (i == SIZE_MAX || ref >= f->refs.n)
		return 0;
	size_t r = g->ref_base[i] + ref, count = g->first[r + 1] - g->first[r];
	for (size_t k = 0; k < count && k < cap; k++) {
		const struct target *t = &g->targets[g->first[r] + k];
		out[k].file = p->files[t->file];
		out[k].region = t->region;
		out[k].queued = t->queued;
	}
	return count;
}

size_t cl_callgraph_callers(const struct cl_project *p, const struct cl_file_facts *f, int region,
	struct cl_site *out, size_t cap)
{
	const struct cl_callgraph *g = p->graph;
	size_t i = g ? file_index(p, f) : SIZE_MAX;
	if (i == SIZE_MAX)
		return 0;
	size_t count = 0;
	for (size_t e = rev_lower(g, (uint32_t)i, region); e < g->nrev && g->rev[e].file == i &&
	     g->rev[e].region == region; e++, count++) {
		if (count < cap) {
			size_t r = g->rev[e].ref, j = file_of_ref(g, r);
			out[count].file = p->files[j];
			out[count].ref = r - g->ref_base[j];
		}
	}
	return count;
}

bool cl_callgraph_reaches(const struct cl_file_facts *f, int region)
{
	return region >= 0 && (size_t)region < f->regions.n && f->regions.v[region].reaches_claude;
}
