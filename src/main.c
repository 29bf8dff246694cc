/*
 * main.c — the command line (CONTRACT.md): parse options, discover files,
 * scan, decide statuses, report, exit 0 / 1 / 2.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "report/baseline.h"
#include "adapters/catalog.h"
#include "checks/checks.h"
#include "support/config.h"
#include "report/coverage.h"
#include "support/diag.h"
#include "scan/discover.h"
#include "checks/evidence.h"
#include "report/explain.h"
#include "scan/gitignore.h"
#include "model/facts.h"
#include "rules/patterns.h"
#include "scan/fileio.h"
#include "scan/prefilter.h"
#include "rules/registry.h"
#include "report/report.h"
#include "support/result.h"
#include "scan/scan.h"
#include "scan/secrets.h"
#include "report/status.h"

#ifndef CLAUDIT_VERSION
#define CLAUDIT_VERSION "0.0.0"
#endif

static const char usage_text[] =
	"usage: claudit [OPTIONS] [PATH ...]\n"
	"\n"
	"Audits a code base against the 18-item Claude API production checklist.\n"
	"\n"
	"  -f, --format FORMAT      text (default), json, sarif, or for CI: github\n"
	"                           (workflow commands), gitlab (Code Quality), junit\n"
	"  -o, --output FILE        write the report to FILE (default: stdout)\n"
	"  -c, --config FILE        config file (default: .claudit.json at the scan root)\n"
	"  -j, --jobs N             worker threads (default: online CPUs)\n"
	"      --strict             manual items count as failing\n"
	"      --no-tree-config     never read .claudit.json from the scanned tree (CI:\n"
	"                           pass the base branch's with -c and --baseline)\n"
	"      --list-files         print the files that would be scanned, then exit\n"
	"      --baseline FILE      findings recorded in FILE are reported suppressed\n"
	"      --write-baseline FILE\n"
	"                           record the current findings in FILE\n"
	"      --repo-items         when only files are named, still check the\n"
	"                           repository-level items (CL06, CL11, CL13, CL16)\n"
	"      --catalog FILE       merge a model catalog file over the built-in one\n"
	"                           (repeatable; after the config's models.catalog)\n"
	"      --preview            also run the rules in preview (marked in\n"
	"                           --list-rules); same as \"preview\": true in the config\n"
	"      --explain ID         show an item's (CL15) or rule's (CL15.model-alias) docs\n"
	"      --list-rules         list every rule\n"
	"      --dump-facts         print the facts of PATH... as JSON (clients, calls, regions,\n"
	"                           call edges, bindings), not a report\n"
		"      --version            print the version and the built-in model catalog's date\n"
	"  -h, --help               this help\n"
	"  --                       everything after it is a PATH, never an option\n"
	"\n"
	"Exit status: 0 nothing fails, 1 an item fails, 2 usage error or bad input.\n";

static int usage_error(const char *fmt, const char *arg)
{
	char *msg = xasprintf(fmt, arg);
	cl_diag_error("%s (see claudit --help)", msg);
	free(msg);
	return 2;
}

/* CLAUDIT_PREFILTER=0 parses every source file and runs every pattern
 * without its literal gate (the tests compare). */
static bool prefilter(void)
{
	const char *env = getenv("CLAUDIT_PREFILTER");
	return !(env && !strcmp(env, "0"));
}

static const char *today(void)
{
	static char buf[16];
	const char *env = getenv("CLAUDIT_TODAY");
	if (env && strlen(env) == 10)
		return env;
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
	return buf;
}

/* --version: the version and the date of the built-in model catalog. */
static int version(const char **catalogs)
{
	char *err = NULL;
	free(catalogs);
	if (!cl_catalog_load(today(), &err)) {
		cl_diag_error("%s", err);
		free(err);
		return 2;
	}
	printf("claudit %s\nbuilt-in model catalog: read %s\n", CLAUDIT_VERSION, cl_catalog_read_on());
	cl_catalog_unload();
	return 0;
}

/* Merges the config's models.catalog (FROM_CONFIG, may be NULL), then each
 * --catalog file in order, over the built-in catalog. */
static bool load_overlays(const char *from_config, const char *const *files, size_t n)
{
	char *err = NULL;
	bool ok = !from_config || cl_catalog_overlay(from_config, &err);
	for (size_t i = 0; ok && i < n; i++)
		ok = cl_catalog_overlay(files[i], &err);
	if (!ok) {
		cl_diag_error("%s", err);
		free(err);
	}
	return ok;
}

/* A symlinked .claudit.json is read only when it resolves inside ROOT. */
static bool tree_link_ok(const char *config, const char *root)
{
	struct stat st;
	if (lstat(config, &st) != 0 || !S_ISLNK(st.st_mode))
		return false;
	char *real = realpath(root, NULL);
	bool ok = real && cl_path_within(config, real);
	free(real);
	return ok;
}

/* *OUT for a report or facts dump: stdout, or for OUTPUT a temporary file
 * beside it (fileio.h), renamed over it by close_output. False (with one
 * line on stderr) when it cannot be created. */
static bool open_output(const char *output, struct cl_outfile *of, FILE **out)
{
	*out = stdout;
	if (!output)
		return true;
	char *err = NULL;
	if (!cl_outfile_open(of, output, &err)) {
		cl_diag_error("%s: cannot write: %s", output, err);
		free(err);
		return false;
	}
	*out = of->f;
	return true;
}

/* Completes what open_output began: renames OF over OUTPUT, or flushes
 * stdout. False (with one line on stderr for OUTPUT) on a write error. */
static bool close_output(const char *output, struct cl_outfile *of)
{
	if (!output)
		return fflush(stdout) == 0;
	char *err = NULL;
	if (!cl_outfile_commit(of, &err)) {
		cl_diag_error("%s: cannot write: %s", output, err);
		free(err);
		return false;
	}
	return true;
}

/* Only files were named (as pre-commit does): no directory among PATHS. */
static bool files_only(const char *const *paths, size_t npaths)
{
	for (size_t i = 0; i < npaths; i++) {
		struct stat st;
		if (stat(paths[i], &st) != 0 || !S_ISREG(st.st_mode))
			return false;
	}
	return npaths > 0;
}

int main(int argc, char **argv)
{
	enum { OPT_STRICT = 256, OPT_BASELINE, OPT_WRITE_BASELINE, OPT_REPO_ITEMS, OPT_EXPLAIN, OPT_LIST,
		OPT_VERSION, OPT_CATALOG, OPT_PREVIEW, OPT_DUMP_FACTS, OPT_NO_TREE_CONFIG, OPT_LIST_FILES };
	static const struct option longopts[] = {
		{"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'},
		{"config", required_argument, NULL, 'c'},
		{"jobs", required_argument, NULL, 'j'},
		{"strict", no_argument, NULL, OPT_STRICT},
		{"baseline", required_argument, NULL, OPT_BASELINE},
		{"write-baseline", required_argument, NULL, OPT_WRITE_BASELINE},
		{"repo-items", no_argument, NULL, OPT_REPO_ITEMS},
		{"catalog", required_argument, NULL, OPT_CATALOG},
		{"preview", no_argument, NULL, OPT_PREVIEW},
		{"explain", required_argument, NULL, OPT_EXPLAIN},
		{"list-rules", no_argument, NULL, OPT_LIST},
		{"version", no_argument, NULL, OPT_VERSION},
		{"dump-facts", no_argument, NULL, OPT_DUMP_FACTS},
		{"no-tree-config", no_argument, NULL, OPT_NO_TREE_CONFIG},
		{"list-files", no_argument, NULL, OPT_LIST_FILES},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	const char *format = "text", *output = NULL, *config_path = NULL, *explain = NULL;
	const char *baseline_path = NULL, *write_baseline = NULL;
	bool strict = false, list = false, repo_items = false, preview = false, dump_facts = false;
	bool tree_config = true, list_files = false;
	const char **catalogs = xcalloc((size_t)argc + 1, sizeof *catalogs);
	size_t ncatalogs = 0;
	long jobs = sysconf(_SC_NPROCESSORS_ONLN);
	opterr = 0;
	int ch;
	while ((ch = getopt_long(argc, argv, ":f:o:c:j:h", longopts, NULL)) != -1) {
		switch (ch) {
		case 'f': format = optarg; break;
		case 'o': output = optarg; break;
		case 'c': config_path = optarg; break;
		case 'j': {
			char *end;
			errno = 0;
			jobs = strtol(optarg, &end, 10);
			if (errno || *end || jobs < 1 || jobs > 1024) {
				free(catalogs);
				return usage_error("--jobs takes a whole number from 1 to 1024, not '%s'", optarg);
			}
			break;
		}
		case OPT_STRICT: strict = true; break;
		case OPT_BASELINE: baseline_path = optarg; break;
		case OPT_WRITE_BASELINE: write_baseline = optarg; break;
		case OPT_REPO_ITEMS: repo_items = true; break;
		case OPT_CATALOG: catalogs[ncatalogs++] = optarg; break;
		case OPT_PREVIEW: preview = true; break;
		case OPT_EXPLAIN: explain = optarg; break;
		case OPT_LIST: list = true; break;
		case OPT_DUMP_FACTS: dump_facts = true; break;
		case OPT_NO_TREE_CONFIG: tree_config = false; break;
		case OPT_LIST_FILES: list_files = true; break;
		case OPT_VERSION:
			return version(catalogs);
		case 'h':
			free(catalogs);
			fputs(usage_text, stdout);
			return 0;
		case ':':
			free(catalogs);
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			free(catalogs);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	if (jobs < 1)
		jobs = 1;
	struct stat ost;
	if (output && !(stat(output, &ost) == 0 && (S_ISCHR(ost.st_mode) || S_ISFIFO(ost.st_mode))) &&
	    !cl_outfile_dir_writable(output)) {
		free(catalogs);
		return usage_error("%s: cannot write there", output);
	}
	const struct cl_reporter *rep = cl_report_find(format);
	if (!rep) {
		free(catalogs);
		return usage_error("unknown format '%s': use text, json, sarif, github, gitlab or junit", format);
	}
	/* every pattern of the rule data is compiled here, before anything runs */
	char *err = NULL;
	if (!cl_registry_load()) {
		free(catalogs);
		return 2;
	}
	if (!cl_hints_init(&err) || !cl_coverage_init(&err)) {
		cl_diag_error("%s", err);
		free(err);
		cl_coverage_cleanup();
		cl_hints_cleanup();
		cl_registry_unload();
		free(catalogs);
		return 2;
	}
	cl_patterns_freeze();
	cl_patterns_gates(prefilter());
	if (explain || list) {
		int rc = explain ? cl_explain(stdout, explain) : cl_explain_list(stdout);
		cl_coverage_cleanup();
		cl_hints_cleanup();
		cl_registry_unload();
		free(catalogs);
		return rc;
	}

	if (!cl_catalog_load(today(), &err) || !cl_facts_init(&err) || !cl_prefilter_init(&err) ||
	    !cl_secrets_init()) {
		cl_diag_error("%s", err ? err : "cannot initialise the key scanner");
		free(err);
		return 2;
	}

	const char *const default_paths[] = {"."};
	const char *const *paths = optind < argc ? (const char *const *)argv + optind : default_paths;
	size_t npaths = optind < argc ? (size_t)(argc - optind) : 1;
	struct cl_discovery d;
	int rc = 2;
	if (!cl_discover(&d, paths, npaths, &err)) {
		cl_diag_error("%s", err);
		free(err);
		goto out_early;
	}

	struct cl_config config;
	cl_config_defaults(&config);
	char *default_config = NULL;
	bool config_in_tree = false;
	if (!config_path && tree_config) {
		default_config = d.root && strcmp(d.root, ".") != 0 ?
			xasprintf("%s/.claudit.json", d.root) : xstrdup(".claudit.json");
		struct stat st;
		if (lstat(default_config, &st) == 0) {
			config_path = default_config;
			config_in_tree = !tree_link_ok(default_config, d.root);
		}
	}
	if (config_path && !cl_config_load(&config, config_path, config_in_tree, &err)) {
		cl_diag_error("%s", err);
		free(err);
		free(default_config);
		cl_config_finish(&config);
		cl_discovery_finish(&d);
		goto out_early;
	}
	free(default_config);
	if (!load_overlays(config.models_catalog, catalogs, ncatalogs)) {
		cl_config_finish(&config);
		cl_discovery_finish(&d);
		goto out_early;
	}
	config.preview = config.preview || preview;
	cl_discovery_filter(&d, config.include, config.ninclude, config.exclude, config.nexclude);
	if (list_files) {
		for (size_t i = 0; i < d.nfiles; i++) {
			char *clean = cl_diag_clean(d.files[i].path);
			printf("%s\n", clean);
			free(clean);
		}
		rc = fflush(stdout) == 0 ? 0 : 2;
		cl_config_finish(&config);
		cl_discovery_finish(&d);
		goto out_early;
	}

	struct cl_baseline baseline = {0};
	if (baseline_path && !cl_baseline_load(&baseline, baseline_path, &err)) {
		cl_diag_error("%s", err);
		free(err);
		cl_config_finish(&config);
		cl_discovery_finish(&d);
		goto out_early;
	}

	struct cl_result r;
	cl_result_init(&r);
	for (size_t i = 0; i < d.nnotes; i++) {
		char *colon = strstr(d.notes[i], ": ");
		if (colon) {
			*colon = 0;
			cl_result_add_note(&r, d.notes[i], colon + 2);
			*colon = ':';
		} else {
			cl_result_add_note(&r, "", d.notes[i]);
		}
	}
	r.files_only = !repo_items && files_only(paths, npaths);
	/* --dump-facts writes while the scan runs: to stdout, or to OUTPUT
	 * through a temporary file renamed over it when complete */
	FILE *dump = stdout;
	struct cl_outfile dof = {0};
	if (dump_facts && !open_output(output, &dof, &dump)) {
		cl_baseline_finish(&baseline);
		cl_result_finish(&r);
		cl_config_finish(&config);
		cl_discovery_finish(&d);
		goto out_early;
	}
	struct cl_scan_opts so = {&config, (int)jobs,
		isatty(STDERR_FILENO) && strcmp(format, "text") == 0 && d.nfiles > 2000, prefilter(),
		r.files_only, dump_facts ? dump : NULL};
	cl_scan_run(&d, &so, &r);
	if (dump_facts) {
		rc = ferror(dump) ? 2 : 0;
		if (!close_output(output, &dof))
			rc = 2;
		cl_baseline_finish(&baseline);
		cl_result_finish(&r);
		cl_config_finish(&config);
		cl_discovery_finish(&d);
		goto out_early;
	}
	cl_result_sort(&r);
	if (baseline_path) {
		cl_baseline_apply(&baseline, &r);
		size_t gone = cl_baseline_unmatched(&baseline, &d, r.files_only);
		if (gone) {
			char *m = xasprintf("%zu baselined finding%s no longer found (fixed, or the line "
				"changed): refresh %s with --write-baseline", gone, gone == 1 ? " is" : "s are",
				baseline_path);
			cl_result_add_note(&r, NULL, m);
			free(m);
		}
	}
	if (write_baseline) {
		if (!cl_baseline_write(&r, write_baseline, CLAUDIT_VERSION, &err)) {
			cl_diag_error("%s", err);
			free(err);
			cl_baseline_finish(&baseline);
			cl_result_finish(&r);
			cl_config_finish(&config);
			cl_discovery_finish(&d);
			goto out_early;
		}
		struct cl_baseline written;
		cl_baseline_from_result(&written, &r, write_baseline);
		cl_baseline_apply(&written, &r);
		cl_baseline_finish(&written);
	}
	cl_baseline_finish(&baseline);
	struct cl_status_opts sto = {&config, today(), strict};
	cl_status_decide(&r, &sto);

	/* The report replaces OUTPUT only now, after the scan (it may be a
	 * scanned file), through a temporary file renamed over it. */
	FILE *out;
	struct cl_outfile of = {0};
	if (!open_output(output, &of, &out)) {
		cl_result_finish(&r);
		cl_config_finish(&config);
		cl_discovery_finish(&d);
		goto out_early;
	}
	const char *no_color = getenv("NO_COLOR");
	struct cl_report_ctx rctx = {out, !output && isatty(STDOUT_FILENO) && !(no_color && *no_color),
		CLAUDIT_VERSION, NULL};
	cl_report_write(rep, &rctx, &r);
	rc = cl_status_exit_code(&r, strict);
	if (getenv("CLAUDIT_STATS") && !strcmp(getenv("CLAUDIT_STATS"), "1")) {
		fprintf(stderr, "claudit: stats: %llu analysis steps, %llu bytes searched for evidence, "
			"%llu glob steps\n", (unsigned long long)cl_facts_work_total(),
			(unsigned long long)cl_evidence_work_total(), (unsigned long long)cl_gitignore_work_total());
		struct cl_scan_phases ph;
		cl_scan_phases(&ph);
		fprintf(stderr, "claudit: phases: %.3f s reading, text checks and parsing (%zu of %zu files parsed), "
			"%.3f s import closure, %.3f s linking and checks, %.3f s findings\n", ph.read_text_parse,
			ph.parsed, d.nfiles, ph.import_closure, ph.link_checks, ph.findings);
	}
	if (!close_output(output, &of))
		rc = 2;
	cl_result_finish(&r);
	cl_config_finish(&config);
	cl_discovery_finish(&d);
out_early:
	cl_coverage_cleanup();
	cl_hints_cleanup();
	cl_secrets_cleanup();
	cl_prefilter_cleanup();
	cl_facts_cleanup();
	cl_catalog_unload();
	cl_registry_unload();
	free(catalogs);
	return rc;
}
