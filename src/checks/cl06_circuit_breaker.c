/*
 * cl06_circuit_breaker.c — CL06 (a circuit breaker guards the Claude calls),
 * judged per package (packages.h): a breaker counts only within the package
 * that makes the calls, and only on their path — a breaker library imported,
 * or a breaker class or function defined or called, in code that reaches
 * Claude (a function that makes a Claude call or calls one that does, or the
 * top level of a file that builds a client or calls Claude) — or listed in
 * the package's own manifest. A breaker around a weather API, or in another
 * service of a monorepo, guards nothing here.
 */
#include <stdio.h>
#include <string.h>

#include "checks/checks.h"
#include "checks/evidence.h"

#define D CL_ITEM(CL06)
enum { FOUND_DEP = 1 };

void cl_check_cl06_text(const struct cl_check_ctx *ctx, const struct cl_source *src, struct cl_file_out *out)
{
	(void)ctx;
	cl_evidence_text_deps(src, out, D, D, "breaker_modules", FOUND_DEP, "a circuit breaker library");
}

static bool breaker_name(const char *name)
{
	if (!name || !cl_evidence_search(D, "handwritten_names", name, strlen(name), NULL, NULL))
		return false;
	return !cl_evidence_search(D, "handwritten_not", name, strlen(name), NULL, NULL);
}

/* A breaker on the path to Claude calls, or named for a model
 * (CircuitBreakerLLMProvider, claude_breaker): wrappers wired by dependency
 * injection leave no call path, their name says what they guard. */
static bool guards_claude(const struct cl_file_facts *f, int region, const char *name)
{
	return cl_evidence_on_claude_path(f, region) ||
		cl_evidence_search(D, "llm_breaker_names", name, strlen(name), NULL, NULL);
}

/* One piece of evidence in F, on the path to a Claude call: true when any. */
static bool file_evidence(struct cl_file_out *out)
{
	static const char *const own = "a hand-written circuit breaker";
	const struct cl_file_facts *f = out->facts;
	if (cl_evidence_file_reaches(f) &&
	    cl_evidence_imports(out, D, D, "breaker_modules", "a circuit breaker library"))
		return true;
	for (size_t r = 0; r < f->regions.n; r++) {
		const struct cl_region *g = &f->regions.v[r];
		if ((g->kind == CL_R_FUNCTION || g->kind == CL_R_CLASS) && breaker_name(g->name) &&
		    guards_claude(f, g->parent, g->name)) {
			cl_emit_evidence(out, D, &g->span, "defines %s %s (%s)",
				g->kind == CL_R_CLASS ? "class" : "function", g->name, own);
			return true;
		}
	}
	for (size_t k = 0; k < f->refs.n; k++) {
		const struct cl_ref *ref = &f->refs.v[k];
		if (breaker_name(ref->name) && guards_claude(f, ref->region, ref->name)) {
			cl_emit_evidence(out, D, &ref->span, "calls %s() (%s)", ref->name, own);
			return true;
		}
	}
	return false;
}

static void package(void *ud, struct cl_file_out **outs, size_t n, const char *pkg)
{
	bool found = false;
	for (size_t i = 0; i < n; i++) {
		if (outs[i]->marks[D] & FOUND_DEP)
			found = true; /* the package's own manifest lists a breaker */
		else if (file_evidence(outs[i]))
			found = true;
	}
	if (found)
		return;
	char why[900];
	if (!pkg)
		snprintf(why, sizeof why, "is guarded by no circuit breaker (no opossum, cockatiel, pybreaker, "
			"circuitbreaker, aiobreaker or purgatory import or dependency, no breaker class or function "
			"in the tree%s): in an outage every request waits out its timeout and retries; wrap the "
			"calling function in a breaker with a failure threshold and a static fallback, or attest "
			"CL06 if a gateway or mesh breaks the circuit", ud ? " on the path to its Claude calls" : "");
	else
		snprintf(why, sizeof why, "is guarded by no circuit breaker in package %s (no opossum, cockatiel, "
			"pybreaker, circuitbreaker, aiobreaker or purgatory import or dependency, no breaker class or "
			"function on the path to its Claude calls in this package): in an outage every request waits "
			"out its timeout and retries; wrap the calling function in a breaker with a failure threshold "
			"and a static fallback, or attest CL06 if a gateway or mesh breaks the circuit", pkg);
	/* the first construction of each file, tests aside: one place per module to wrap */
	bool any = false;
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (f->clients.n && cl_evidence_path_matches(CL_ITEM(CL12), "test_files", f->path))
			continue;
		for (size_t k = 0; k < f->clients.n; k++) {
			const struct cl_client *c = &f->clients.v[k];
			if (c->kind == CL_CLIENT_DERIVED)
				continue;
			cl_emit(outs[i], CL_RULE(CL06_no_circuit_breaker), -1, &c->span, "%s %s", c->cls, why);
			any = true;
			break;
		}
	}
	if (any)
		return;
	/* no construction (raw HTTP, AI SDK, LiteLLM): the first call of each file */
	for (size_t i = 0; i < n; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		for (size_t k = 0; k < f->calls.n; k++)
			if (f->calls.v[k].claude) {
				cl_emit(outs[i], CL_RULE(CL06_no_circuit_breaker), -1, &f->calls.v[k].span, "this %s call %s",
					f->calls.v[k].method, why);
				break;
			}
	}
}

void cl_check_cl06_project(const struct cl_check_ctx *ctx, struct cl_file_out **outs, size_t n)
{
	(void)ctx;
	/* a breaker somewhere that guards no Claude call: the message says so */
	bool elsewhere = false;
	for (size_t i = 0; i < n && !elsewhere; i++) {
		const struct cl_file_facts *f = outs[i]->facts;
		if (outs[i]->marks[D] & FOUND_DEP || cl_evidence_import(f, D, "breaker_modules") >= 0)
			elsewhere = true;
		for (size_t r = 0; r < f->regions.n && !elsewhere; r++)
			if ((f->regions.v[r].kind == CL_R_FUNCTION || f->regions.v[r].kind == CL_R_CLASS) &&
			    breaker_name(f->regions.v[r].name))
				elsewhere = true;
	}
	cl_evidence_by_package(outs, n, package, elsewhere ? &elsewhere : NULL);
}
