/*
 * schedules.c — loops and handlers that run a job on a schedule
 * (`while True: run(); sleep(900)` with a logging except, a worker's
 * `for (;;) { ...; await sleep(60_000) }`, a function that re-arms itself
 * with setTimeout after every run): they run the Claude call again whether it
 * failed or not, so they are no retry of it (CL04) however their handlers
 * look.
 */
#include <string.h>

#include "checks/checks.h"
#include "checks/around.h"

/* True when byte POS of LOOP's body is on the path a successful iteration
 * takes: not in a handler of the loop's tries, not in a nested function. */
static bool success_path(const struct cl_file_facts *f, int loop, uint32_t pos)
{
	for (int r = cl_facts_region_at(f, pos); r >= 0 && r != loop; r = f->regions.v[r].parent)
		if (f->regions.v[r].kind == CL_R_HANDLER || f->regions.v[r].kind == CL_R_FUNCTION)
			return false;
	return true;
}

/* Where the loop's first Claude call (direct, or through a function that
 * reaches one) starts, or its end when none. */
static uint32_t first_claude(const struct cl_file_facts *f, const struct cl_span *sp)
{
	uint32_t at = sp->end;
	for (size_t i = 0; i < f->calls.n; i++)
		if (f->calls.v[i].claude && cl_around_within(&f->calls.v[i].span, sp) && f->calls.v[i].span.start < at)
			at = f->calls.v[i].span.start;
	for (size_t i = 0; i < f->refs.n; i++)
		if (f->refs.v[i].reaches_claude && cl_around_within(&f->refs.v[i].span, sp) && f->refs.v[i].span.start < at)
			at = f->refs.v[i].span.start;
	return at;
}

bool cl_around_scheduled_loop(const struct cl_file_facts *f, int loop)
{
	const struct cl_region *l = &f->regions.v[loop];
	if (!f->text)
		return false;
	uint32_t start = l->head.end, end = l->span.end;
	bool sleeps = false;
	for (long at = cl_around_find(f, CL_ITEM(CL04), "sleep_calls", start, end); at >= 0 && !sleeps;
	     at = cl_around_find(f, CL_ITEM(CL04), "sleep_calls", (uint32_t)at + 1, end))
		sleeps = success_path(f, loop, (uint32_t)at);
	if (!sleeps)
		return false;
	/* a return or break after the call, on the success path, ends the loop
	 * once the call succeeds: a retry; one before it is a stop check */
	uint32_t from = first_claude(f, &l->span);
	if (from < start)
		from = start;
	for (long at = cl_around_find(f, CL_ITEM(CL04), "leaves_loop", from, end); at >= 0;
	     at = cl_around_find(f, CL_ITEM(CL04), "leaves_loop", (uint32_t)at + 1, end)) {
		if (!success_path(f, loop, (uint32_t)at))
			continue;
		int r = cl_facts_region_at(f, (uint32_t)at);
		if (f->text[at] == 'b' && cl_around_loop_of(f, r) != loop)
			continue; /* leaves an inner loop only */
		return false;
	}
	return true;
}

bool cl_around_rearms_itself(const struct cl_file_facts *f, int handler)
{
	int fn = cl_facts_enclosing(f, handler, CL_R_FUNCTION);
	if (fn < 0 || !f->regions.v[fn].name)
		return false;
	const struct cl_region *g = &f->regions.v[fn];
	const struct cl_span *h = &f->regions.v[handler].span;
	for (size_t i = 0; i < f->refs.n; i++) {
		const struct cl_ref *r = &f->refs.v[i];
		if (r->how == CL_REF_MEMBER || strcmp(r->name, g->name) != 0 || cl_around_within(&r->span, h) ||
		    r->span.start < g->head.end || cl_facts_enclosing(f, r->region, CL_R_FUNCTION) != fn)
			continue;
		/* named again outside any handler: it runs again after a success too */
		if (cl_facts_enclosing(f, r->region, CL_R_HANDLER) < 0)
			return true;
	}
	return false;
}
