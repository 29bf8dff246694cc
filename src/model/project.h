/*
 * project.h — the whole scanned tree's facts, linked: a relative import in
 * one file resolves to the value another file exports (at least one hop;
 * chains up to 8), so a client built in lib/anthropic.ts is the client of a
 * call in app/chat.ts. Owns nothing: the file facts belong to the scan.
 */
#ifndef CL_PROJECT_H
#define CL_PROJECT_H
#include <stddef.h>

#include "model/facts.h"

struct cl_modules;
struct cl_callgraph;

struct cl_project {
	struct cl_file_facts **files; /* sorted by path */
	size_t nfiles;
	const struct cl_modules *modules; /* the tree's tsconfig paths, package.json
	                                     imports and packages, or NULL (set by
	                                     the caller after cl_project_index) */
	struct cl_callgraph *graph;   /* built by cl_project_init (callgraph.h) */
	/* CL07's reach of the tree's tool code, computed once, on first use, by
	 * the facts checks (which run on one thread); freed by cl_project_finish */
	void *tool_reach;
	void (*tool_reach_free)(void *);
};

/* A client resolved to the file that constructs it (cl_call's client_file
 * and client_index, filled by cl_project_init). */
struct cl_client_ref {
	const struct cl_file_facts *file;
	int index;                    /* -1: a typed parameter, construction unknown */
};

/* Sorts FILES by path and links every call to its client: fills each
 * cl_call's claude, client_file and client_index; then builds the call graph
 * (callgraph.h), which marks the functions that reach Claude
 * (cl_region.reaches_claude, cl_ref.reaches_claude). P must be
 * zero-initialised (or have only modules set); cl_project_finish frees it. */
void cl_project_init(struct cl_project *p, struct cl_file_facts **files, size_t n);
void cl_project_finish(struct cl_project *p);

/* Only sorts FILES by path, linking nothing: enough for cl_project_file and
 * cl_project_module while the files' facts are still being extracted. */
void cl_project_index(struct cl_project *p, struct cl_file_facts **files, size_t n);

/* The file of the scan that MODULE names when the file FROM (in LANG)
 * imports it — the resolution the links use — or NULL. */
const struct cl_file_facts *cl_project_module(const struct cl_project *p, const char *from,
	const char *module, enum cl_lang lang);

/* The file at PATH (relative to the scan root), or NULL. */
const struct cl_file_facts *cl_project_file(const struct cl_project *p, const char *path);

/* V with imports followed to the exporting file's value; V itself when it is
 * not an import; an UNKNOWN-kind V when the import leads nowhere. */
const struct cl_value *cl_project_resolve(const struct cl_project *p, const struct cl_value *v);

/* The client a call is made through, if it traces back to one. */
static inline struct cl_client_ref cl_project_call_client(const struct cl_call *call)
{
	struct cl_client_ref ref = {call->client_file, call->client_index};
	return ref;
}

/* Does any code of F reach Claude: a Claude call, or a call of a function of
 * the tree that reaches one (anywhere in the file, top level too)? */
bool cl_project_file_reaches(const struct cl_file_facts *f);
/* True when REGION of F (any kind) contains a Claude call, directly or
 * through a call to a function that reaches Claude. */
bool cl_project_region_reaches(const struct cl_file_facts *f, int region);

/* The file of the tree F's K-th imported module (F->imported_modules.v[K])
 * resolves to, or NULL. */
const struct cl_file_facts *cl_project_import_file(const struct cl_project *p,
	const struct cl_file_facts *f, size_t k);

/* The root client of REF: follows with_options() parents. */
const struct cl_client *cl_project_client(const struct cl_client_ref ref);

#endif
