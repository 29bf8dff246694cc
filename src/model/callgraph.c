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

/* The first of the N functions of IDX named NAME (N when none). */
static size_t first_named(const struct named *idx, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(idx[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(idx[lo].name, name) ? lo : n;
}

/* What add_named takes: plain functions, both, or methods only. */
enum { NAMED_FUNCTIONS, NAMED_BOTH, NAMED_METHODS };

/* Appends to T the functions of file FI named NAME (methods too when WHICH
 * says so; only the methods of class CLS when CLS); how many. */
static size_t add_named(target_vec *t, const struct named *idx, size_t n, uint32_t fi,
	const char *name, int which, const char *cls)
{
	size_t added = 0;
	for (size_t i = first_named(idx, n, name); i < n && !strcmp(idx[i].name, name); i++)
		if ((idx[i].method ? which != NAMED_FUNCTIONS : which != NAMED_METHODS) &&
		    (!cls || (idx[i].cls && !strcmp(idx[i].cls, cls)))) {
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

/* The edges beyond a call's own name (an imported receiver's classes,
 * values handed over by key, job queues): one call's targets from FROM
 * on, at most MAX_EXTRA of them, within a work budget for the whole tree
 * (linear in its calls), so no input makes the graph quadratic. */
#define MAX_EXTRA 32

struct extra {
	const struct cl_project *p;
	target_vec *t;
	size_t from;
	struct named **idx;
	const size_t *nidx;
	size_t work;
};

static bool spend(struct extra *x, size_t n)
{
	if (x->work < n) {
		x->work = 0;
		return false;
	}
	x->work -= n;
	return true;
}

/* Does F's text name WORD as a whole word (`new AnthropicService(`, an
 * import of it)? True when the text was not kept. */
static bool names_word(struct extra *x, const struct cl_file_facts *f, const char *word)
{
	if (!f->code)
		return true;
	size_t wl = strlen(word);
	if (!wl || !spend(x, f->code_len / 64 + 1))
		return false;
	const char *end = f->code + f->code_len;
	for (const char *at = f->code; at + wl <= end; at++) {
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
static bool instantiates(struct extra *x, const struct cl_file_facts *f, int fn, const char *name)
{
	if (!spend(x, f->refs.n + 1))
		return false;
	for (size_t k = 0; k < f->refs.n; k++)
		if (f->refs.v[k].how == CL_REF_PLAIN && !strcmp(f->refs.v[k].name, name) &&
		    cl_facts_enclosing(f, f->refs.v[k].region, CL_R_FUNCTION) == fn)
			return true;
	return false;
}

/* Has the call its MAX_EXTRA targets, or the tree spent its budget? */
static bool full(const struct extra *x)
{
	return !x->work || x->t->n - x->from >= MAX_EXTRA;
}

/* Adds (FI, REGION) once; QUEUED: through a job queue. */
static void push_new(struct extra *x, uint32_t fi, int region, bool queued)
{
	target_vec *t = x->t;
	if (t->n - x->from >= MAX_EXTRA || !spend(x, t->n - x->from + 1))
		return;
	for (size_t k = x->from; k < t->n; k++)
		if (t->v[k].file == fi && t->v[k].region == region)
			return;
	struct target e = {fi, region, queued};
	cl_vec_push(t, e);
}

/* The methods M of what NAME of the file H stands for, when it is an
 * instance: NAME is an export of H (`claude`, `getAIService`) or "X()" (an
 * instance of H's class X, or of a class X H imports; "default()": of H's
 * classes). H's own functions M when it has some; else the methods M of the
 * classes H takes from the files it imports — a singleton built from a
 * re-exported class, a factory choosing among service classes: of the
 * instance's class when H's export says which (`claude = new Claude()`),
 * of the classes a factory instantiates, else of every class H names. */
static void value_targets(struct extra *x, const struct cl_file_facts *h, const char *name, const char *m)
{
	const struct cl_project *p = x->p;
	size_t hi = h ? file_index(p, h) : SIZE_MAX;
	if (hi == SIZE_MAX || !name || !spend(x, h->exports.n + h->imported_modules.n + 1))
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
	const struct named *own = x->idx[hi];
	size_t i = first_named(own, x->nidx[hi], m);
	bool found = i < x->nidx[hi];
	for (; i < x->nidx[hi] && !strcmp(own[i].name, m) && x->work; i++)
		if (!cls[0] || (own[i].cls && !strcmp(own[i].cls, cls)))
			push_new(x, (uint32_t)hi, own[i].region, false);
	if (found || cls_file == h)
		return;
	/* a factory of H: the classes its body instantiates */
	int factory = -1;
	i = cls[0] || cls_file ? x->nidx[hi] : first_named(own, x->nidx[hi], name);
	for (; i < x->nidx[hi] && !strcmp(own[i].name, name); i++)
		if (!own[i].method)
			factory = own[i].region;
	for (size_t k = 0; k < h->imported_modules.n && !full(x); k++) {
		const struct cl_file_facts *g = cl_project_import_file(p, h, k);
		size_t gi = g && g != h ? file_index(p, g) : SIZE_MAX;
		if (gi == SIZE_MAX || (cls_file && g != cls_file))
			continue;
		const struct named *f = x->idx[gi];
		for (size_t j = first_named(f, x->nidx[gi], m); j < x->nidx[gi] && !strcmp(f[j].name, m) && x->work; j++)
			if (f[j].cls && (cls[0] ? !strcmp(f[j].cls, cls) : cls_file ||
				(factory >= 0 ? instantiates(x, h, factory, f[j].cls) : names_word(x, h, f[j].cls))))
				push_new(x, (uint32_t)gi, f[j].region, false);
	}
}

/* x.m() on a value imported from another file of the tree (`import {
 * claude } from './ai'`, `s = get_llm(); s.reply()`): what value_targets
 * says of it. */
static void receiver_targets(struct extra *x, const struct cl_file_facts *f, const struct cl_ref *ref)
{
	const struct cl_file_facts *h = NULL;
	for (size_t k = 0; !h && k < f->imported_modules.n && spend(x, 1); k++)
		if (!strcmp(f->imported_modules.v[k], ref->recv_module))
			h = cl_project_import_file(x->p, f, k);
	if (h && h != f)
		value_targets(x, h, ref->recv_name, ref->name);
}

/* A value handed over under a name: its file and the handoff. */
struct handed {
	const char *key;
	uint32_t file;
	uint32_t k;
	const struct cl_value *v;
};

static int by_key(const void *a, const void *b)
{
	const struct handed *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	if (c || x->file != y->file)
		return c ? c : x->file < y->file ? -1 : 1;
	if ((c = strcmp(x->v->module ? x->v->module : "", y->v->module ? y->v->module : "")) != 0 ||
	    (c = strcmp(x->v->name, y->v->name)) != 0)
		return c;
	return (x->k > y->k) - (x->k < y->k);
}

/* The same value handed over again under the same key in the same file. */
static bool same_handoff(const struct handed *x, const struct handed *y)
{
	return !strcmp(x->key, y->key) && x->file == y->file && x->v->kind == y->v->kind &&
		!strcmp(x->v->module ? x->v->module : "", y->v->module ? y->v->module : "") &&
		!strcmp(x->v->name, y->v->name);
}

/* x.key.m() (`config.aiClient.ask()`, `self.llm.ask()`): the methods m of
 * the values the tree's calls hand over under that key (`createAIBot({
 * aiClient: claude })`, `Bot(llm=client)`), HS sorted by key. */
static void handoff_targets(struct extra *x, const struct handed *hs, size_t nhs, const struct cl_ref *ref)
{
	size_t lo = 0, hi = nhs;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(hs[mid].key, ref->recv_key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < nhs && !strcmp(hs[i].key, ref->recv_key) && !full(x) && spend(x, 1); i++) {
		const struct cl_file_facts *hf = x->p->files[hs[i].file];
		const struct cl_value *v = hf->handoffs.v[hs[i].k].val;
		if (v->kind == CL_V_IMPORT) {
			value_targets(x, cl_project_module(x->p, hf->path, v->module, hf->lang), v->name, ref->name);
		} else {
			char *inst = xasprintf("%s()", v->name);
			value_targets(x, hf, inst, ref->name);
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
 * `summarise.delay()` to the function summarise (of the file FI or one it
 * imports), `queue.add()` to the consumers of that queue (of every queue
 * when either name is not a literal). *AT: F's queue links before it
 * (producers come in the order of their calls). */
static void queue_targets(struct extra *x, uint32_t fi, const struct cl_file_facts *f, size_t k, size_t *at,
	const uint32_t *imports, size_t nimports, const struct consumer *cs, size_t ncs)
{
	for (; *at < f->queues.n && (f->queues.v[*at].consumer || f->queues.v[*at].ref < k); (*at)++)
		;
	for (size_t q = *at; q < f->queues.n && f->queues.v[q].ref == k && !f->queues.v[q].consumer; q++) {
		const struct cl_queue_link *l = &f->queues.v[q];
		for (size_t m = 0; l->task && m <= nimports && spend(x, 1); m++) {
			uint32_t g = m < nimports ? imports[m] : fi;
			const struct named *v = x->idx[g];
			for (size_t i = first_named(v, x->nidx[g], l->task); i < x->nidx[g] && !strcmp(v[i].name, l->task); i++)
				if (!v[i].method)
					push_new(x, g, v[i].region, true);
		}
		for (size_t c = 0; !l->task && c < ncs && !full(x) && spend(x, 1); c++)
			if (!l->queue || !cs[c].queue || !strcmp(l->queue, cs[c].queue))
				push_new(x, cs[c].file, cs[c].region, true);
	}
}

/* Marks function FN of F (file I) as reaching Claude and queues it, and so
 * the functions around it while it has no name: an anonymous function is a
 * callback that runs inside the function holding it (`clients.map(c =>
 * c.ask())`, `Promise.all(xs.map(async x => …))`), as far as reach goes. */
static void mark_reaching(struct cl_file_facts *f, uint32_t i, int fn, target_vec *queue)
{
	for (int hops = 0; fn >= 0 && hops < 64 && !f->regions.v[fn].reaches_claude; hops++) {
		f->regions.v[fn].reaches_claude = true;
		struct target x = {i, fn, false};
		cl_vec_push(queue, x);
		int up = f->regions.v[fn].parent;
		if (f->regions.v[fn].name || up < 0)
			return;
		fn = cl_facts_enclosing(f, up, CL_R_FUNCTION);
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
			struct handed x = {p->files[i]->handoffs.v[k].key, (uint32_t)i, (uint32_t)k,
				p->files[i]->handoffs.v[k].val};
			hs[nhs++] = x;
		}
	if (nhs) {
		qsort(hs, nhs, sizeof *hs, by_key);
		size_t w = 1;
		for (size_t r = 1; r < nhs; r++)
			if (!same_handoff(&hs[w - 1], &hs[r]))
				hs[w++] = hs[r];
		nhs = w;
	}

	/* the queues' consumers */
	CL_VEC(struct consumer) cs = {0};
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = p->files[i];
		for (size_t q = 0; q < f->queues.n; q++) {
			const struct cl_queue_link *l = &f->queues.v[q];
			struct consumer c = {l->queue, (uint32_t)i, l->region};
			for (size_t k = l->consumer && l->fn_name ? first_named(idx[i], nidx[i], l->fn_name) : nidx[i];
			     k < nidx[i] && !strcmp(idx[i][k].name, l->fn_name); k++)
				if (!idx[i][k].method)
					c.region = idx[i][k].region;
			if (l->consumer && c.region >= 0)
				cl_vec_push(&cs, c);
		}
	}

	/* edges: each call by name to its candidate functions */
	target_vec t = {0};
	struct extra ex = {.p = p, .idx = idx, .nidx = nidx, .work = 1u << 22};
	ex.work += 64 * nrefs;
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
		size_t qat = 0;
		for (size_t k = 0; k < f->refs.n; k++) {
			const struct cl_ref *ref = &f->refs.v[k];
			g->first[g->ref_base[i] + k] = t.n;
			/* self.m(): a method of the caller's class first, else of any class
			 * of the file (a base class); x.m() on an instance of a class of
			 * the file: that class's method */
			const char *own = ref->how == CL_REF_SELF ? class_of(f, ref->region) : NULL;
			if (ref->how == CL_REF_PLAIN ||
			    (ref->how == CL_REF_SELF && !(own && add_named(&t, idx[i], nidx[i], (uint32_t)i, ref->name, NAMED_METHODS, own))))
				add_named(&t, idx[i], nidx[i], (uint32_t)i, ref->name,
					ref->how == CL_REF_SELF ? NAMED_BOTH : NAMED_FUNCTIONS, NULL);
			if (ref->how == CL_REF_MEMBER && ref->cls)
				add_named(&t, idx[i], nidx[i], (uint32_t)i, ref->name, NAMED_METHODS, ref->cls);
			/* a function (or a module's function) imported from a file of the
			 * tree; `service.reply()` also a method of a class imported from one,
			 * and `ctx.reply()` on a parameter only that: a parameter is an
			 * object, not a module */
			for (size_t m = 0; ref->how != CL_REF_SELF && m < imports.n; m++)
				add_named(&t, idx[imports.v[m]], nidx[imports.v[m]], imports.v[m], ref->name,
					ref->how != CL_REF_MEMBER ? NAMED_FUNCTIONS :
					ref->recv_param ? NAMED_METHODS : NAMED_BOTH, NULL);
			struct extra *x = &ex;
			x->t = &t;
			x->from = g->first[g->ref_base[i] + k];
			if (ref->how == CL_REF_MEMBER && ref->recv_module && x->work)
				receiver_targets(x, f, ref);
			if (ref->how == CL_REF_MEMBER && ref->recv_key && nhs && x->work)
				handoff_targets(x, hs, nhs, ref);
			if (ref->how == CL_REF_MEMBER && f->queues.n && x->work)
				queue_targets(x, (uint32_t)i, f, k, &qat, imports.v, imports.n, cs.v, cs.n);
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
		for (size_t k = 0; k < f->calls.n; k++)
			if (f->calls.v[k].claude)
				mark_reaching(f, (uint32_t)i, cl_facts_enclosing(f, f->calls.v[k].region, CL_R_FUNCTION), &queue);
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
			mark_reaching(f, (uint32_t)i, cl_facts_enclosing(f, ref->region, CL_R_FUNCTION), &queue);
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
