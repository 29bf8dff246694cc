/*
 * cl12_request_logging.c — CL12: every Claude call logged with its model,
 * usage, duration and request id, in the function making it, its callers or
 * callees, or by an observability integration that records every call
 * (evidence.c). What counts is rule data (rules/CL12.json).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "adapters/settings.h"
#include "checks/evidence.h"

/* A file that wraps its client with a per-client integration (LangSmith
 * wrap_anthropic, Braintrust wrapAnthropic, Langfuse observe ...). */
static bool client_integrated(const struct cl_file_facts *f)
{
	if (!f || cl_evidence_import(f, CL_ITEM(CL12), "client_integration_modules") >= 0)
		return f != NULL;
	return f->text && cl_evidence_search(CL_ITEM(CL12), "client_integration_pattern", f->text, f->text_len, NULL, NULL);
}

void cl_check_cl12_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_evidence_integration_text(src, out, CL_ITEM(CL12));
}

/* What CL12 reads once per run: for each file whose text is kept, the files
 * of the tree it imports (resolving imports per call would be quadratic). */
struct imports {
	const struct cl_file_facts *file;
	const struct cl_file_facts **to;
	size_t n;
	signed char integrated; /* client_integrated(file), -1 until asked */
	/* built on first use, so each file and function is read once however
	 * many calls ask (per call, CL12 was quadratic and worse) */
	unsigned *around, *callees; /* per region + 1 (index 0: the whole file) */
	uint32_t *fns;              /* function regions with a name, by name */
	size_t nfns;
	uint32_t *refs_by_start, *refs_by_name;
};

struct logctx {
	const struct cl_project *p;
	struct imports *v;  /* sorted by file pointer */
	size_t n;
};

static int by_file(const void *a, const void *b)
{
	const struct cl_file_facts *x = ((const struct imports *)a)->file, *y = ((const struct imports *)b)->file;
	return x < y ? -1 : x > y;
}

static void logctx_init(struct logctx *L, const struct cl_project *p)
{
	L->p = p;
	L->v = xcalloc(p->nfiles ? p->nfiles : 1, sizeof *L->v);
	L->n = 0;
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cl_file_facts *f = p->files[i];
		if (!f->text)
			continue;
		struct imports *im = &L->v[L->n++];
		im->file = f;
		im->integrated = -1;
		im->to = xcalloc(f->imported_modules.n ? f->imported_modules.n : 1, sizeof *im->to);
		for (size_t k = 0; k < f->imported_modules.n; k++) {
			const struct cl_file_facts *g = cl_project_import_file(p, f, k);
			if (g && g != f)
				im->to[im->n++] = g;
		}
	}
	qsort(L->v, L->n, sizeof *L->v, by_file);
}

static void logctx_finish(struct logctx *L)
{
	for (size_t i = 0; i < L->n; i++) {
		free(L->v[i].to);
		free(L->v[i].around);
		free(L->v[i].callees);
		free(L->v[i].fns);
		free(L->v[i].refs_by_start);
		free(L->v[i].refs_by_name);
	}
	free(L->v);
}

/* True when FROM (a file whose text is kept) imports TO. */
static bool imports(const struct logctx *L, const struct cl_file_facts *from, const struct cl_file_facts *to)
{
	struct imports key = {from, NULL, 0, -1, NULL, NULL, NULL, 0, NULL, NULL};
	const struct imports *im = bsearch(&key, L->v, L->n, sizeof *L->v, by_file);
	for (size_t i = 0; im && i < im->n; i++)
		if (im->to[i] == to)
			return true;
	return false;
}

static struct imports *entry(const struct logctx *L, const struct cl_file_facts *f)
{
	struct imports key = {f, NULL, 0, -1, NULL, NULL, NULL, 0, NULL, NULL};
	return f ? bsearch(&key, L->v, L->n, sizeof *L->v, by_file) : NULL;
}

/* qsort has no context argument: the file whose indexes are being sorted. */
static _Thread_local const struct cl_file_facts *sorting;

static int fn_by_name(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(sorting->regions.v[x].name, sorting->regions.v[y].name);
	return c ? c : (x > y) - (x < y);
}

static int ref_by_name(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	int c = strcmp(sorting->refs.v[x].name, sorting->refs.v[y].name);
	return c ? c : (x > y) - (x < y);
}

static int ref_by_start(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	uint32_t sx = sorting->refs.v[x].span.start, sy = sorting->refs.v[y].span.start;
	return sx != sy ? (sx > sy) - (sx < sy) : (x > y) - (x < y);
}

static void build_index(struct imports *im)
{
	const struct cl_file_facts *f = im->file;
	if (im->around)
		return;
	im->around = xcalloc(f->regions.n + 1, sizeof *im->around);
	im->callees = xcalloc(f->regions.n + 1, sizeof *im->callees);
	im->fns = xcalloc(f->regions.n + 1, sizeof *im->fns);
	for (size_t r = 0; r < f->regions.n; r++)
		if (f->regions.v[r].kind == CL_R_FUNCTION && f->regions.v[r].name)
			im->fns[im->nfns++] = (uint32_t)r;
	im->refs_by_start = xcalloc(f->refs.n + 1, sizeof *im->refs_by_start);
	im->refs_by_name = xcalloc(f->refs.n + 1, sizeof *im->refs_by_name);
	for (size_t k = 0; k < f->refs.n; k++)
		im->refs_by_start[k] = im->refs_by_name[k] = (uint32_t)k;
	sorting = f;
	qsort(im->fns, im->nfns, sizeof *im->fns, fn_by_name);
	qsort(im->refs_by_start, f->refs.n, sizeof *im->refs_by_start, ref_by_start);
	qsort(im->refs_by_name, f->refs.n, sizeof *im->refs_by_name, ref_by_name);
	sorting = NULL;
}

/* The first of the N indexes in V whose name (NAME_OF) is not below NAME. */
static size_t first_named(const uint32_t *v, size_t n, const char *name,
	const char *(*name_of)(const struct cl_file_facts *, uint32_t), const struct cl_file_facts *f)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(name_of(f, v[mid]), name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const char *region_name(const struct cl_file_facts *f, uint32_t r)
{
	return f->regions.v[r].name;
}

static const char *ref_name(const struct cl_file_facts *f, uint32_t k)
{
	return f->refs.v[k].name;
}

/* client_integrated(F), searched once per file (per call it was quadratic). */
static bool integrated(struct logctx *L, const struct cl_file_facts *f)
{
	struct imports *im = entry(L, f);
	if (!im)
		return client_integrated(f);
	if (im->integrated < 0)
		im->integrated = client_integrated(f);
	return im->integrated;
}

enum { P_INPUT = 1, P_OUTPUT = 2, P_CACHE = 4, P_DURATION = 8, P_REQID = 16, P_ALL = 31 };

static unsigned parts_in(const char *s, size_t len)
{
	static const struct { const char *key; unsigned bits; } probes[] = {
		{"usage_whole", P_INPUT | P_OUTPUT | P_CACHE},
		{"input_tokens", P_INPUT},
		{"output_tokens", P_OUTPUT},
		{"cache_read_tokens", P_CACHE},
		{"duration", P_DURATION},
		{"request_id", P_REQID},
	};
	unsigned bits = 0;
	for (size_t i = 0; i < sizeof probes / sizeof *probes; i++) {
		size_t from = 0, ms, me;
		while ((bits & probes[i].bits) != probes[i].bits &&
		       cl_evidence_search_from(CL_ITEM(CL12), probes[i].key, s, len, from, &ms, &me)) {
			if (!cl_evidence_in_comment(s, ms))
				bits |= probes[i].bits;
			from = me > ms ? me : ms + 1;
		}
	}
	return bits;
}

/* The outermost function around REGION, not leaving its class: what a
 * call's logging is looked for in. -1 at top level. */
static int outer_function(const struct cl_file_facts *f, int r)
{
	int best = -1;
	for (; r >= 0; r = f->regions.v[r].parent) {
		if (f->regions.v[r].kind == CL_R_CLASS)
			break;
		if (f->regions.v[r].kind == CL_R_FUNCTION)
			best = r;
	}
	return best;
}

static unsigned parts_around_uncached(const struct cl_file_facts *f, int fn)
{
	if (!f->text)
		return 0;
	if (fn < 0)
		return parts_in(f->text, f->text_len);
	const struct cl_region *r = &f->regions.v[fn];
	uint32_t a = r->head.start < r->span.start ? r->head.start : r->span.start;
	if (r->span.end > f->text_len || a > r->span.end)
		return 0;
	return parts_in(f->text + a, r->span.end - a);
}

#define MEMO_DONE 0x80000000u

static unsigned parts_around(const struct logctx *L, const struct cl_file_facts *f, int fn)
{
	struct imports *im = entry(L, f);
	if (!im)
		return parts_around_uncached(f, fn);
	build_index(im);
	if (!(im->around[fn + 1] & MEMO_DONE))
		im->around[fn + 1] = parts_around_uncached(f, fn) | MEMO_DONE;
	return im->around[fn + 1] & ~MEMO_DONE;
}

/* The parts recorded by the functions named NAME in G (but EXCEPT, a region
 * of F): G's functions are indexed by name. */
static unsigned parts_in_named(const struct logctx *L, const struct cl_file_facts *g, const char *name,
	const struct cl_file_facts *f, int except)
{
	struct imports *im = entry(L, g);
	unsigned bits = 0;
	if (!im)
		return 0; /* no text: nothing recorded */
	build_index(im);
	for (size_t i = first_named(im->fns, im->nfns, name, region_name, g);
	     i < im->nfns && !strcmp(g->regions.v[im->fns[i]].name, name); i++)
		if (g != f || (int)im->fns[i] != except)
			bits |= parts_around(L, g, (int)im->fns[i]);
	return bits;
}

/* The parts recorded by the functions FN (-1: all of F) calls by name (a
 * log_usage(response) helper), in F or in the files F imports, one level deep. */
static unsigned parts_in_callees(const struct logctx *L, const struct cl_file_facts *f, int fn)
{
	struct imports *im = entry(L, f);
	if (!im)
		return 0; /* no text: its refs were not kept for this */
	build_index(im);
	if (im->callees[fn + 1] & MEMO_DONE)
		return im->callees[fn + 1] & ~MEMO_DONE;
	unsigned bits = 0;
	struct cl_span whole = {0, (uint32_t)f->text_len, 1, 1, 1, 1};
	const struct cl_span *sp = fn >= 0 ? &f->regions.v[fn].span : &whole;
	/* the refs inside SP, in order of start */
	size_t lo = 0, hi = f->refs.n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (f->refs.v[im->refs_by_start[mid]].span.start < sp->start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < f->refs.n && bits != P_ALL; k++) {
		const struct cl_ref *ref = &f->refs.v[im->refs_by_start[k]];
		if (ref->span.start >= sp->end)
			break;
		if (ref->span.end > sp->end)
			continue;
		bits |= parts_in_named(L, f, ref->name, f, fn);
		for (size_t t = 0; t < im->n; t++)
			if (im->to[t]->text)
				bits |= parts_in_named(L, im->to[t], ref->name, f, fn);
	}
	im->callees[fn + 1] = bits | MEMO_DONE;
	return bits;
}

/* The parts recorded by the functions that call FN (a function of F) by
 * name, in F or in the files that import it: a helper that returns the
 * response leaves the logging to them. */
/* True when SPAN is a Claude call of G (`messages.create` is no call of a
 * helper named create). */
static bool is_claude_call(const struct cl_file_facts *g, const struct cl_span *span)
{
	for (size_t i = 0; i < g->calls.n; i++)
		if (g->calls.v[i].claude && g->calls.v[i].span.start == span->start)
			return true;
	return false;
}

static unsigned parts_in_callers(const struct logctx *L, const struct cl_file_facts *f, int fn)
{
	const char *name = fn >= 0 ? f->regions.v[fn].name : NULL;
	unsigned bits = 0;
	if (fn < 0)
		return 0;
	int seen = 0;
	for (size_t i = 0; i < L->p->nfiles && seen < 16; i++) {
		const struct cl_file_facts *g = L->p->files[i];
		if (g != f && (!g->text || !imports(L, g, f)))
			continue;
		if (cl_evidence_path_matches(CL_ITEM(CL12), "test_files", g->path))
			continue;
		struct imports *gi = entry(L, g);
		if (!gi || !name)
			continue;
		build_index(gi);
		for (size_t k = first_named(gi->refs_by_name, g->refs.n, name, ref_name, g);
		     k < g->refs.n && seen < 16 && !strcmp(g->refs.v[gi->refs_by_name[k]].name, name); k++) {
			const struct cl_ref *ref = &g->refs.v[gi->refs_by_name[k]];
			if (!ref->reaches_claude || is_claude_call(g, &ref->span))
				continue;
			int caller = outer_function(g, ref->region);
			if (g == f && caller == fn)
				continue;
			bits |= parts_around(L, g, caller) | parts_in_callees(L, g, caller);
			seen++;
		}
	}
	if (seen)
		return bits;
	/* never called by name: handed to a breaker, a queue or a retry wrapper,
	 * whose users (the files importing F) handle the response */
	for (size_t i = 0; i < L->p->nfiles; i++) {
		const struct cl_file_facts *g = L->p->files[i];
		if (g != f && g->text && imports(L, g, f) &&
		    !cl_evidence_path_matches(CL_ITEM(CL12), "test_files", g->path))
			bits |= parts_around(L, g, -1) | parts_in_callees(L, g, -1);
	}
	return bits;
}

static bool traced_per_call(const struct cl_call *call)
{
	static const char *const keys[] = {"experimental_telemetry", "callbacks", NULL};
	for (const char *const *k = keys; *k; k++)
		if (cl_value_get(call->params, *k) || cl_value_get(call->opts, *k))
			return true;
	return false;
}

static bool needs_log(const struct cl_call *call)
{
	return call->claude && !call->no_answer;
}

/* "a, b and c" of the N strings in V. */
static void join_list(const char *const *v, int n, char *buf, size_t cap)
{
	buf[0] = 0;
	for (int i = 0; i < n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, cap - used, "%s%s", i == 0 ? "" : i == n - 1 ? " and " : ", ", v[i]);
	}
}

static void describe_missing(unsigned have, char *buf, size_t cap)
{
	const char *parts[3], *tokens[3];
	int n = 0, t = 0;
	char usage[160], list[96];
	if (!(have & P_INPUT))
		tokens[t++] = "input";
	if (!(have & P_OUTPUT))
		tokens[t++] = "output";
	if (!(have & P_CACHE))
		tokens[t++] = "cache-read";
	if (t == 3) {
		parts[n++] = "its usage (input, output and cache-read tokens) is not read";
	} else if (t) {
		join_list(tokens, t, list, sizeof list);
		snprintf(usage, sizeof usage, "its usage is read without the %s tokens", list);
		parts[n++] = usage;
	}
	if (!(have & P_DURATION))
		parts[n++] = "no duration is measured around it";
	if (!(have & P_REQID))
		parts[n++] = "no request id (the response's _request_id or request-id header) or correlation id is recorded";
	join_list(parts, n, buf, cap);
}

/* Is CALL made through an adapter whose own tracing is on (bit set in TRACED)? */
static bool adapter_traced(const struct cl_check_ctx *ctx, const struct cl_file_facts *f,
	const struct cl_call *call, unsigned traced)
{
	if (!traced)
		return false;
	struct cl_settings st;
	cl_settings_of_call(ctx->project, f, call, &st);
	for (size_t i = 0; st.adapter && i < cl_adapters_count() && i < CL_MAX_TRACED_ADAPTERS; i++)
		if (cl_adapters_at(i) == st.adapter)
			return (traced >> i) & 1;
	return false;
}

/* One package of the tree (evidence.h): an integration in another service
 * records none of its calls. */
static void cl12_package(void *ud, struct cl_file_out **outs, size_t n, const char *pkg)
{
	const struct cl_check_ctx *ctx = *(const struct cl_check_ctx **)ud;
	(void)pkg;
	if (cl_evidence_integration(outs, n, CL_ITEM(CL12), true))
		return;
	unsigned traced = 0; /* bit i: adapter record i's calls are traced */
	for (size_t i = 0; i < n; i++)
		traced |= outs[i]->marks[CL_ITEM(CL12)] / CL_FOUND_ADAPTER_TRACED;
	struct logctx L;
	logctx_init(&L, ctx->project);
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (!f->calls.n || cl_evidence_path_matches(CL_ITEM(CL12), "test_files", f->path))
			continue;
		/* what a function records depends on the function alone: computed
		 * once per function (thousands of calls in one function or at top
		 * level would rescan it per call: quadratic) */
		unsigned *memo = xcalloc(f->regions.n + 1, sizeof *memo);
		for (size_t k = 0; k < f->calls.n; k++) {
			const struct cl_call *call = &f->calls.v[k];
			if (!needs_log(call) || traced_per_call(call) || integrated(&L, f) ||
			    adapter_traced(ctx, f, call, traced) ||
			    (call->client_file && call->client_file != f && integrated(&L, call->client_file)))
				continue;
			int fn = outer_function(f, call->region);
			unsigned have;
			if (memo[fn + 1] & MEMO_DONE) {
				have = memo[fn + 1] & ~MEMO_DONE;
			} else {
				have = parts_around(&L, f, fn);
				if (have != P_ALL)
					have |= parts_in_callees(&L, f, fn) | parts_in_callers(&L, f, fn);
				memo[fn + 1] = have | MEMO_DONE;
			}
			if (have == P_ALL || !f->text)
				continue;
			char missing[512];
			describe_missing(have, missing, sizeof missing);
			cl_emit(outs[i], CL_RULE(CL12_call_not_logged), -1, &call->span,
				"%s call: %s; log model, usage, duration and request id for every request "
				"(or wrap the client with an observability integration such as Langfuse, "
				"LangSmith or OpenTelemetry)", call->method, missing);
		}
		free(memo);
	}
	logctx_finish(&L);
}

void cl_check_cl12_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
{
	cl_evidence_by_package(outs, n, cl12_package, &ctx);
}
