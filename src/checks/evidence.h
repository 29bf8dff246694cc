/*
 * evidence.h — what the checks that decide from the whole repository (CL06,
 * CL11, CL13, CL16) and CL12 share: library lists from an item's rule data
 * matched against imports and dependency manifests, CI and eval file
 * patterns, and text patterns compiled once from rule data. Reads rule data
 * (registry.h) and facts; decides nothing itself.
 */
#ifndef CL_CHECKS_EVIDENCE_H
#define CL_CHECKS_EVIDENCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/checks.h"

/* True when MODULE (as imported: "flask_limiter", "@upstash/ratelimit/x")
 * is, or is a submodule of, an entry of ITEM's data list KEY. An entry
 * ending in '/' matches every package of that npm scope. */
bool cl_evidence_module_listed(int item, const char *key, const char *module);
/* The same for a dependency NAME of LEN bytes as a manifest lists it
 * ("Flask-Limiter", "prometheus-client"): case, '-', '_' and '.' are alike. */
const char *cl_evidence_dep_listed(int item, const char *key, const char *name, size_t len);

/* The index in F->imported_modules of its first import listed in ITEM's
 * KEY, or -1. */
int cl_evidence_import(const struct cl_file_facts *f, int item, const char *key);

/* Records evidence "imports <module> (<WHAT>)" under ITEM for the first
 * import of OUT's file listed in LIST_ITEM's KEY: true when there is one. */
bool cl_evidence_imports(struct cl_file_out *out, int item, int list_item, const char *key, const char *what);

/* Calls FN for each dependency a manifest lists (package.json dependencies
 * of every kind, requirements*.txt, pyproject.toml project / optional /
 * group / Poetry dependencies, Pipfile packages): NAME of LEN bytes at byte
 * OFF. False when SRC is no manifest. */
typedef void (*cl_evidence_dep_fn)(void *ud, const char *name, size_t len, size_t off);
bool cl_evidence_manifest_deps(const struct cl_source *src, cl_evidence_dep_fn fn, void *ud);

/* Text check helper: for each dependency of SRC (a manifest) listed in
 * LIST_ITEM's data list KEY, records evidence "lists <name> (<WHAT>)"
 * under ITEM and sets BIT in OUT->marks[ITEM]. */
void cl_evidence_text_deps(const struct cl_source *src, struct cl_file_out *out, int item,
	int list_item, const char *key, unsigned bit, const char *what);

/* Searches S[0..LEN) with the regex in ITEM's data string KEY (compiled once,
 * any thread). True on a match, with its byte range in *MS..*ME (may be NULL). */
bool cl_evidence_search(int item, const char *key, const char *s, size_t len, size_t *ms, size_t *me);
/* The same, starting at byte FROM (lookbehinds see the bytes before it). */
/* Bytes searched by every evidence pattern so far (all threads): printed
 * by CLAUDIT_STATS=1, read by the growth test. */
uint64_t cl_evidence_work_total(void);
bool cl_evidence_search_from(int item, const char *key, const char *s, size_t len, size_t from,
	size_t *ms, size_t *me);
/* True when PATH matches the regex in ITEM's data string KEY. */
bool cl_evidence_path_matches(int item, const char *key, const char *path);

/* True when byte AT of S is on a comment line (# or // or a block comment's
 * continuation): what a comment says is not what the code does. */
bool cl_evidence_in_comment(const char *s, size_t at);

/* How many bytes of the match S[START..END) to quote in a message: up to
 * its first line break, at most 48. */
int cl_evidence_quote_len(const char *s, size_t start, size_t end);

/* True when a folder of PATH is named like an entry of ITEM's data list KEY. */
bool cl_evidence_under_dir(const char *path, int item, const char *key);
/* True when PATH is test code (CL12's test_files) or under an evals/ folder
 * (CL16's eval_dirs): code that says nothing about production. */
bool cl_evidence_test_or_eval(const char *path);

/* A span for line LINE of a file (column 1). */
struct cl_span cl_evidence_line_span(uint32_t line);

/* The first Claude client construction, else the first Claude call, of the
 * tree (OUTS in scan order, sorted by path; production code before tests and
 * evals): where a repository-wide finding with no place of its own is
 * reported. False when the tree has neither. */
bool cl_evidence_first_usage(struct cl_file_out **outs, size_t n, struct cl_file_out **out,
	struct cl_span *span);

/* Observability integrations (CL12, CL13). Bits of an item's marks: a
 * manifest dependency that instruments without code, an integration turned
 * on in code or config, and (CL_FOUND_ADAPTER_TRACED << i) adapter record i's
 * own tracing turned on (records past CL_MAX_TRACED_ADAPTERS are not told
 * apart). */
enum { CL_FOUND_DEP = 1, CL_FOUND_TEXT = 2, CL_FOUND_ADAPTER_TRACED = 8 };
#define CL_MAX_TRACED_ADAPTERS 24
/* An integration in the production code of OUTS (tests and evals aside),
 * recorded as evidence under ITEM. GLOBAL_ONLY: only integrations that
 * record every call of the process, not per-client wrappers. */
bool cl_evidence_integration(struct cl_file_out **outs, size_t n, int item, bool global_only);
/* The text part: auto-instrumenting packages in manifests, integrations
 * turned on in code or config, adapters' own tracing, as ITEM's evidence. */
void cl_evidence_integration_text(const struct cl_source *src, struct cl_file_out *out, int item);

#endif

/* Packages (packages.h). FN is called once for each package of the tree
 * that uses Claude (a client built or a Claude call in its production code;
 * when no package has one, in any of its code), with the package's files
 * SUB[0..M) in scan order and its folder PACKAGE ("." for the tree's root),
 * NULL when the tree has only one package. */
typedef void (*cl_evidence_package_fn)(void *ud, struct cl_file_out **sub, size_t m, const char *package);
void cl_evidence_by_package(struct cl_file_out **outs, size_t n, cl_evidence_package_fn fn, void *ud);

/* True when F uses Claude: builds a client, makes a Claude call, or has a
 * function or a top-level call that reaches one (callgraph.h). */
bool cl_evidence_file_reaches(const struct cl_file_facts *f);
/* True when code in REGION of F (-1: top level) is on the path of a Claude
 * call: inside a function that reaches Claude (directly or through the
 * functions it calls), or at the top level of a file that uses Claude. */
bool cl_evidence_on_claude_path(const struct cl_file_facts *f, int region);
