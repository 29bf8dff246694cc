/*
 * scan.c — runs the per-file work on a pool of threads (results land in a
 * per-file slot, so output does not depend on scheduling), then the
 * project-wide steps on one thread.
 */
#include "scan/scan.h"

#include "model/facts_dump.h"
#include "model/modules.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "adapters/adapters.h"
#include "checks/checks.h"
#include "report/coverage.h"
#include "model/facts.h"
#include "scan/notebook.h"
#include "scan/fileio.h"
#include "rules/patterns.h"
#include "scan/prefilter.h"
#include "model/project.h"
#include "scan/script_blocks.h"
#include "scan/secrets.h"
#include "scan/source.h"
#include "scan/suppress.h"
#include "scan/scan_internal.h"

/* Larger files get the text rules only, no syntax tree, and are read in
 * windows of this size, never whole: a worker holds at most one window, so
 * memory does not grow with file sizes. Windows overlap by WINDOW_OVERLAP
 * bytes, more than any key or model id, and a match belongs to the window
 * it starts in (outside the overlap at its end). */
#define PARSE_MAX_BYTES (4u << 20)
#define WINDOW_OVERLAP 4096u
/* A notebook is mostly its outputs (images, tables): up to this size it is
 * read whole so its code cells can be parsed (the code itself stays under
 * PARSE_MAX_BYTES); a larger one gets the text rules in windows. */
#define NOTEBOOK_MAX_BYTES (32u << 20)

/* Window-relative span to file positions: the window starts at byte OFF,
 * on line LINE at column COL. */
static void shift_span(struct cl_span *sp, uint64_t off, unsigned line, unsigned col)
{
	sp->col += sp->line == 1 ? col - 1 : 0;
	sp->end_col += sp->end_line == 1 ? col - 1 : 0;
	sp->line += line - 1;
	sp->end_line += line - 1;
	sp->start = off + sp->start > UINT32_MAX ? UINT32_MAX : (uint32_t)(off + sp->start);
	sp->end = off + sp->end > UINT32_MAX ? UINT32_MAX : (uint32_t)(off + sp->end);
}

/* Registers SRC's bytes with the pattern module until cl_patterns_text_end:
 * the patterns' literal gates and the watched literals (the key prefix, the
 * suppression marker, the prefilter's terms) take one pass over them. */
static void text_begin(const struct cl_source *src)
{
	const char *base = strrchr(src->path, '/');
	const char *ext = strrchr(base ? base + 1 : src->path, '.');
	cl_patterns_text_begin(src->data, src->len, ext ? ext : "");
}

/* The text checks of SRC (registered: text_begin). */
static void run_text_checks(struct pool *p, const struct cl_check_ctx *ctx, const struct cl_source *src,
	struct cl_file_out *out)
{
	for (size_t k = 0; k < cl_checks_count; k++)
		if (cl_checks[k].text && p->check_on[k])
			cl_checks[k].text(ctx, src, out);
}

/* Runs the text rules over a large file, one window at a time. */
static void scan_windows(struct pool *p, struct slot *s, const struct cl_discovered *file, int fd)
{
	char *buf = xmalloc(PARSE_MAX_BYTES + 1); /* + 1: the window's source reads it in place */
	size_t carry = 0;
	uint64_t off = 0;          /* file offset of buf[0] */
	unsigned line = 1, col = 1; /* position of buf[0] */
	struct cl_check_ctx ctx = {p->o->config, NULL, false};
	for (bool first = true, eof = false; !eof; first = false) {
		size_t len = carry;
		while (len < PARSE_MAX_BYTES) {
			ssize_t n = read(fd, buf + len, PARSE_MAX_BYTES - len);
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0)
				s->note = "read error: only part of the file was scanned";
			if (n <= 0) {
				eof = true;
				break;
			}
			len += (size_t)n;
		}
		if (first && len >= 3 && memcmp(buf, "\xef\xbb\xbf", 3) == 0) {
			memmove(buf, buf + 3, len - 3);
			len -= 3;
		}
		if (first && cl_source_is_binary(buf, len)) {
			s->binary = true;
			break;
		}
		size_t keep = eof || len <= WINDOW_OVERLAP ? len : len - WINDOW_OVERLAP;
		struct cl_source src;
		buf[len] = 0;
		cl_source_init_borrowed(&src, file->path, buf, len);
		size_t f0 = s->out.findings.n, e0 = s->out.evidence.n;
		text_begin(&src);
		run_text_checks(p, &ctx, &src, &s->out);
		cl_patterns_text_end();
		size_t kept = f0;
		for (size_t k = f0; k < s->out.findings.n; k++) {
			struct cl_pending f = s->out.findings.v[k];
			if (f.span.start >= keep)
				continue; /* the next window reports it */
			size_t n;
			const char *text = cl_source_line(&src, f.span.line, &n);
			struct line_ref lr = {cl_arena_strndup(&s->facts.arena, text, n), n};
			cl_vec_push(&s->lines, lr);
			shift_span(&f.span, off, line, col);
			s->out.findings.v[kept++] = f;
		}
		s->out.findings.n = kept;
		kept = e0;
		for (size_t k = e0; k < s->out.evidence.n; k++) {
			struct cl_pending_evidence e = s->out.evidence.v[k];
			if (e.span.start >= keep)
				continue;
			shift_span(&e.span, off, line, col);
			s->out.evidence.v[kept++] = e;
		}
		s->out.evidence.n = kept;
		unsigned l, c;
		cl_source_position(&src, keep, &l, &c);
		col = l == 1 ? col + c - 1 : c;
		line += l - 1;
		cl_source_finish_borrowed(&src);
		carry = len - keep;
		memmove(buf, buf + keep, carry);
		off += keep;
	}
	free(buf);
}

/* Minified or generated code (a bundle, emscripten output): its syntax tree
 * costs about a hundred times its size, and it is not the code anyone edits. */
#define MINIFIED_MIN_BYTES (256u << 10)
#define MINIFIED_LINE_BYTES 1000u

static bool minified(const struct cl_source *src)
{
	return src->len >= MINIFIED_MIN_BYTES && src->len / cl_source_nlines(src) > MINIFIED_LINE_BYTES;
}

static struct cl_scan_phases phases;
static atomic_size_t parsed;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void cl_scan_phases(struct cl_scan_phases *out)
{
	*out = phases;
	out->parsed = atomic_load(&parsed);
}

static void parse_source(struct cl_parser *parser, const struct cl_source *src, struct slot *s)
{
	atomic_fetch_add(&parsed, 1);
	if (minified(src)) {
		s->note = "minified or generated (over 256 KiB, lines over 1000 bytes on average): only the text rules ran on it";
		return;
	}
	const char *note = NULL;
	if (!cl_facts_extract(parser, src, &s->facts, &note))
		s->note = note ? note : "could not be parsed; only the key rules ran on it";
	else if (note)
		s->note = note; /* partly analysed */
}

/* The code view of FILE into VIEW: the script blocks of a page or component
 * (script_blocks.h), the code cells of a notebook (notebook.h). False when
 * FILE is neither, or has no code (*NOTE says why when that is worth a note). */
static bool code_view(const struct cl_source *file, struct cl_source *view, const char **note)
{
	*note = NULL;
	if (file->text_kind == CL_TEXT_NOTEBOOK) {
		struct cl_notebook nb;
		enum cl_notebook_status st = cl_notebook_view(file->data, file->len, &nb, note);
		if (st != CL_NOTEBOOK_CODE)
			return false;
		cl_source_init_window(view, file->path, nb.code, nb.len);
		view->lang = CL_LANG_PYTHON;
		cl_notebook_finish(&nb);
		return true;
	}
	if (!cl_script_blocks_file(file->path))
		return false;
	cl_source_init_window(view, file->path, file->data, file->len);
	if (cl_script_blocks_view(view))
		return true;
	cl_source_finish(view);
	return false;
}

/* The first round: every file read once, its text checks, and a syntax tree
 * for the source files the prefilter picks. */
static void scan_file(struct pool *p, struct cl_parser *parser, size_t i)
{
	const struct cl_discovered *file = &p->d->files[i];
	struct slot *s = &p->slots[i];
	struct cl_source src;
	const char *err = NULL;
	cl_facts_init_empty(&s->facts, file->path, cl_source_lang_of(file->path));
	s->out.facts = &s->facts;
	s->out.preview = p->o->config && p->o->config->preview;
	const char *why;
	int fd = cl_file_open_regular(AT_FDCWD, file->fs_path, false, &why);
	struct stat st;
	bool nb = cl_source_text_kind_of(file->path) == CL_TEXT_NOTEBOOK;
	bool sized = fd >= 0 && fstat(fd, &st) == 0;
	if (sized && st.st_size > PARSE_MAX_BYTES && (!nb || st.st_size > NOTEBOOK_MAX_BYTES)) {
		s->read = true;
		s->windowed = true;
		scan_windows(p, s, file, fd);
		close(fd);
		if (!s->binary && !s->note && s->facts.lang != CL_LANG_TEXT)
			s->note = "larger than 4 MiB: only the key rules ran on it";
		else if (!s->binary && !s->note && nb)
			s->note = "notebook larger than 32 MiB: its code cells were not parsed; only the text rules ran on it";
		return;
	}
	/* open, its size known: read through the same descriptor */
	if (!sized && fd >= 0)
		close(fd);
	if ((sized ? cl_source_load_fd(&src, fd, st.st_size, file->fs_path, file->path, &err)
		   : cl_source_load(&src, file->fs_path, file->path, &err)) != 0) {
		s->note = err;
		return;
	}
	s->read = true;
	if (cl_source_is_binary(src.data, src.len)) {
		s->binary = true;
		cl_source_finish(&src);
		return;
	}
	text_begin(&src);
	cl_suppressions_parse(&s->sup, &src);
	struct cl_source view;
	const char *view_note = NULL;
	bool have_view = code_view(&src, &view, &view_note);
	if (view_note)
		s->note = view_note;
	struct cl_check_ctx ctx = {p->o->config, NULL, have_view && nb};
	run_text_checks(p, &ctx, &src, &s->out);
	s->text_findings = s->out.findings.n;
	s->text_evidence = s->out.evidence.n;
	const struct cl_source *code = have_view ? &view : &src;
	if (have_view) {
		s->facts.lang = view.lang;
		s->notebook = nb;
	}
	/* a source file with no prefilter term holds no Anthropic model id (each
	 * of the adapters' package_text holds a term: tests/unit/test_prefilter.c) */
	bool may_name_claude = true;
	if (code->lang != CL_LANG_TEXT) {
		if (code->len > PARSE_MAX_BYTES) {
			s->note = "larger than 4 MiB: only the key rules ran on it";
		} else if (!p->o->prefilter || cl_prefilter_scan(code, &s->imports, &s->imports_len)) {
			parse_source(parser, code, s);
		} else {
			s->deferred = true;
			may_name_claude = have_view;
		}
	}
	if (may_name_claude && cl_prefilter_may_match(src.data, src.len))
		s->facts.gate_text = cl_adapters_context_package(src.data, src.len);
	cl_patterns_text_end();
	if (have_view)
		cl_source_finish(&view);
	cl_source_finish(&src);
}

/* A later round: a deferred file that an import links to a parsed one. */
void cl_scan_parse_deferred(struct pool *p, struct cl_parser *parser, size_t i)
{
	const struct cl_discovered *file = &p->d->files[i];
	struct slot *s = &p->slots[i];
	struct cl_source src;
	const char *err = NULL;
	s->deferred = false;
	if (cl_source_load(&src, file->fs_path, file->path, &err) != 0) {
		s->note = err;
		return;
	}
	struct cl_source view;
	if (code_view(&src, &view, &err)) {
		parse_source(parser, &view, s);
		cl_source_finish(&view);
	} else {
		parse_source(parser, &src, s);
	}
	cl_source_finish(&src);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct cl_parser *parser = cl_parser_create();
	for (;;) {
		size_t k = atomic_fetch_add(&p->next, 1);
		if (k >= p->ntodo)
			break;
		p->fn(p, parser, p->todo ? p->todo[k] : k);
		size_t done = atomic_fetch_add(&p->done, 1) + 1;
		if (p->o->progress && p->fn == scan_file && (done % 256 == 0 || done == p->ntodo))
			fprintf(stderr, "\rclaudit: %zu/%zu files", done, p->ntodo);
	}
	cl_parser_destroy(parser);
	return NULL;
}

void cl_scan_round(struct pool *p, file_fn fn, const size_t *todo, size_t ntodo)
{
	p->fn = fn;
	p->todo = todo;
	p->ntodo = ntodo;
	atomic_store(&p->next, 0);
	atomic_store(&p->done, 0);
	int jobs = p->o->jobs > 0 ? p->o->jobs : 1;
	if ((size_t)jobs > ntodo)
		jobs = ntodo ? (int)ntodo : 1;
	if (jobs <= 1) {
		worker(p);
		return;
	}
	pthread_t *t = xcalloc((size_t)jobs, sizeof *t);
	int started = 0;
	for (int k = 0; k < jobs; k++)
		if (pthread_create(&t[k], NULL, worker, p) == 0)
			started++;
		else
			break;
	if (started == 0)
		worker(p);
	for (int k = 0; k < started; k++)
		pthread_join(t[k], NULL);
	free(t);
}

/* Moves SP from a notebook's code view (NB) to the notebook file (FILE),
 * and names its cell. */
static void view_to_file(const struct cl_notebook *nb, const struct cl_source *file,
	struct cl_span *sp, struct cl_location *loc, unsigned cell_pos[3])
{
	if (!sp->line)
		return;
	unsigned view_col = sp->col;
	unsigned cell, cell_line, end_cell, end_cell_line, l, c;
	uint32_t a = cl_notebook_locate(nb, sp->line, sp->col, &cell, &cell_line);
	uint32_t b = cl_notebook_locate(nb, sp->end_line, sp->end_col, &end_cell, &end_cell_line);
	if (b < a)
		b = a;
	sp->start = a;
	sp->end = b;
	cl_source_position(file, a, &l, &c);
	sp->line = l;
	sp->col = c;
	cl_source_position(file, b, &l, &c);
	sp->end_line = l;
	sp->end_col = c;
	loc->line = sp->line;
	loc->column = sp->col;
	loc->end_line = sp->end_line;
	loc->end_column = sp->end_col;
	cell_pos[0] = cell;
	cell_pos[1] = cell_line;
	cell_pos[2] = view_col; /* a view line is its cell's line, byte for byte */
}

/* Moves a file's pending findings into the result, reading the file once
 * more for the source lines their fingerprints hash; applies the file's
 * suppression comments and reports the wrong ones. A notebook's findings
 * from its code view move to the file's positions first. */
static void flush_file(struct pool *p, size_t i, struct cl_result *r)
{
	struct slot *s = &p->slots[i];
	const struct cl_discovered *file = &p->d->files[i];
	if (!s->out.findings.n && !s->out.evidence.n && !s->sup.v.n)
		return; /* and no path interned: that is quadratic over all files */
	const char *path = cl_result_path(r, file->path);
	struct cl_source src;
	const char *err;
	bool have_src = (s->out.findings.n || s->sup.v.n || s->notebook) && !s->windowed &&
		cl_source_load(&src, file->fs_path, file->path, &err) == 0;
	struct cl_notebook nb;
	bool have_nb = have_src && s->notebook &&
		cl_notebook_view(src.data, src.len, &nb, &err) == CL_NOTEBOOK_CODE;
	for (size_t k = 0; k < s->out.findings.n; k++) {
		struct cl_pending *f = &s->out.findings.v[k];
		struct cl_location loc = {path, f->span.line, f->span.col, f->span.end_line, f->span.end_col};
		unsigned cell[3] = {0, 0, 0};
		if (have_nb && k >= s->text_findings)
			view_to_file(&nb, &src, &f->span, &loc, cell);
		size_t len = 0;
		const char *line = have_src ? cl_source_line(&src, f->span.line, &len) : NULL;
		if (s->windowed && k < s->lines.n) {
			line = s->lines.v[k].text;
			len = s->lines.v[k].len;
		}
		struct cl_finding *added = cl_result_add_finding(r, f->rule, f->severity, &loc, line, len,
			f->message);
		added->cell = cell[0];
		added->cell_line = cell[1];
		added->cell_column = cell[2];
		const struct cl_suppression *sup = cl_suppressions_match(&s->sup, f->rule, f->span.line);
		if (sup)
			cl_finding_suppress(added, CL_SUPPRESS_INLINE, sup->reason,
				sup->file_level ? 0 : sup->line);
	}
	if (have_src)
		cl_suppressions_report(&s->sup, &src, path, p->unchecked, r);
	for (size_t k = 0; k < s->out.evidence.n; k++) {
		struct cl_pending_evidence *e = &s->out.evidence.v[k];
		struct cl_location loc = {path, e->span.line, e->span.col, e->span.end_line, e->span.end_col};
		unsigned cell[3];
		if (have_nb && k >= s->text_evidence)
			view_to_file(&nb, &src, &e->span, &loc, cell);
		cl_result_add_evidence(r, e->item, &loc, e->message);
	}
	if (have_nb)
		cl_notebook_finish(&nb);
	if (have_src)
		cl_source_finish(&src);
}

void cl_scan_run(const struct cl_discovery *d, const struct cl_scan_opts *o, struct cl_result *r)
{
	struct pool p;
	p.d = d;
	p.o = o;
	p.slots = xcalloc(d->nfiles ? d->nfiles : 1, sizeof *p.slots);
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		p.unchecked[i] = (o->config && o->config->item_off[i]) ||
			(o->files_only && cl_registry_item(i)->repo_level);
	p.check_on = xcalloc(cl_checks_count + 1, sizeof *p.check_on);
	for (size_t k = 0; k < cl_checks_count; k++)
		p.check_on[k] = cl_config_item_on(o->config, cl_checks[k].item);
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	cl_modules_load(&p.modules, d);
	/* the literals the pass over each file's text looks for besides the
	 * patterns' (rules/patterns.h): each module then skips a file with none */
	cl_secrets_watch();
	cl_suppressions_watch();
	cl_prefilter_watch();
	double t0 = now();
	/* in discovery order: a thread learns which literals gate the patterns
	 * of a kind of file from the first files it reads (patterns.c), cheaply
	 * when they are small, and most big files are bundles or data */
	cl_scan_round(&p, scan_file, NULL, d->nfiles);
	double t1 = now();
	if (o->prefilter)
		cl_scan_import_closure(&p);
	double t2 = now();
	phases.read_text_parse = t1 - t0;
	phases.import_closure = t2 - t1;
	if (o->progress)
		fputs("\r\033[K", stderr);

	/* link the project and run the facts checks */
	struct cl_file_facts **files = xcalloc(d->nfiles ? d->nfiles : 1, sizeof *files);
	for (size_t i = 0; i < d->nfiles; i++)
		files[i] = &p.slots[i].facts;
	struct cl_project proj = {.modules = &p.modules};
	cl_project_init(&proj, files, d->nfiles);
	if (o->dump_facts) {
		cl_facts_dump(o->dump_facts, &proj); /* a write error: the caller's ferror() */
		goto done;
	}
	struct cl_check_ctx ctx = {o->config, &proj, false};
	size_t call_sites = 0;
	for (size_t i = 0; i < d->nfiles; i++) {
		struct slot *s = &p.slots[i];
		for (size_t k = 0; k < cl_checks_count; k++)
			if (cl_checks[k].facts && p.check_on[k])
				cl_checks[k].facts(&ctx, &s->out);
		r->claude_clients += s->facts.clients.n;
		if (s->read && !s->binary)
			cl_coverage_count_file(r, &s->facts);
		for (size_t k = 0; k < s->facts.calls.n; k++)
			if (s->facts.calls.v[k].claude)
				call_sites++;
	}
	r->claude_call_sites = call_sites;
	r->files_skipped += d->files_skipped;
	r->dirs_skipped += d->dirs_skipped;
	struct cl_file_out **outs = xcalloc(d->nfiles ? d->nfiles : 1, sizeof *outs);
	for (size_t i = 0; i < d->nfiles; i++)
		outs[i] = &p.slots[i].out;
	for (size_t k = 0; k < cl_checks_count; k++)
		if (cl_checks[k].project && p.check_on[k])
			cl_checks[k].project(&ctx, outs, d->nfiles);
	for (size_t i = 0; i < d->nfiles; i++)
		for (int k = 0; k < CL_ITEM_COUNT; k++)
			r->items[k].applies = r->items[k].applies || outs[i]->applies[k];
	free(outs);
	double t3 = now();
	phases.link_checks = t3 - t2;
	size_t other_binary = 0;
	for (size_t i = 0; i < d->nfiles; i++) {
		struct slot *s = &p.slots[i];
		const char *path = d->files[i].path;
		if (s->read && !s->binary)
			r->files_scanned++;
		else
			r->files_skipped++;
		/* every binary file is counted as skipped; one that should be text
		 * (code, .env, config) is named, since a NUL byte or an odd encoding
		 * can hide a key or a call, and the rest (images, archives) is summed */
		if (s->note)
			cl_result_add_note(r, path, s->note);
		else if (s->binary && (d->files[i].explicit_ || cl_source_lang_of(path) != CL_LANG_TEXT ||
			 cl_source_text_kind_of(path) != CL_TEXT_OTHER))
			cl_result_add_note(r, path, "binary file (a NUL byte in its first 8 KiB): skipped");
		else if (s->binary)
			other_binary++;
		flush_file(&p, i, r);
	}
	if (other_binary) {
		char *m = xasprintf("%zu other binary file%s (images, archives, ...) skipped", other_binary,
			other_binary == 1 ? "" : "s");
		cl_result_add_note(r, NULL, m);
		free(m);
	}
	phases.findings = now() - t3;
done:
	cl_project_finish(&proj);
	for (size_t i = 0; i < d->nfiles; i++) {
		cl_vec_free(&p.slots[i].out.findings);
		cl_vec_free(&p.slots[i].out.evidence);
		free(p.slots[i].imports);
		cl_vec_free(&p.slots[i].lines);
		cl_suppressions_finish(&p.slots[i].sup);
		cl_facts_finish(&p.slots[i].facts);
	}
	free(files);
	free(p.slots);
	free(p.check_on);
	cl_modules_finish(&p.modules);
}
