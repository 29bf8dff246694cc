/*
 * scan.c — runs the per-file work on a pool of threads (results land in a
 * per-file slot, so output does not depend on scheduling), then the
 * project-wide steps on one thread.
 */
#include "scan.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "checks.h"
#include "facts.h"
#include "project.h"
#include "source.h"
#include "suppress.h"

/* Larger files get the text rules only, no syntax tree, and are read in
 * windows of this size, never whole: a worker holds at most one window, so
 * memory does not grow with file sizes. Windows overlap by WINDOW_OVERLAP
 * bytes, more than any key or model id, and a match belongs to the window
 * it starts in (outside the overlap at its end). */
#define PARSE_MAX_BYTES (4u << 20)
#define WINDOW_OVERLAP 4096u

/* The text of a finding's line in a windowed file (the part inside its
 * window), for the fingerprint: the file is not read again. */
struct line_ref {
	const char *text;
	size_t len;
};

struct slot {
	struct cl_file_facts facts;
	struct cl_file_out out;
	struct cl_suppressions sup;
	const char *note;    /* static text */
	bool read;           /* the file was read */
	bool binary;
	bool windowed;       /* read in windows; lines[k] is findings[k]'s line */
	CL_VEC(struct line_ref) lines;
};

struct pool {
	const struct cl_discovery *d;
	const struct cl_scan_opts *o;
	struct slot *slots;
	bool unchecked[CL_ITEM_COUNT]; /* items this run does not check: turned off,
	                                  or repository-level in a files-only run */
	atomic_size_t next;
	atomic_size_t done;
};

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

/* Runs the text rules over a large file, one window at a time. */
static void scan_windows(struct pool *p, struct slot *s, const struct cl_discovered *file, int fd)
{
	char *buf = xmalloc(PARSE_MAX_BYTES);
	size_t carry = 0;
	uint64_t off = 0;          /* file offset of buf[0] */
	unsigned line = 1, col = 1; /* position of buf[0] */
	struct cl_check_ctx ctx = {p->o->config, NULL};
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
		cl_source_init_window(&src, file->path, buf, len);
		size_t f0 = s->out.findings.n, e0 = s->out.evidence.n;
		for (size_t k = 0; k < cl_checks_count; k++)
			if (cl_checks[k].text && cl_config_item_on(p->o->config, cl_checks[k].item))
				cl_checks[k].text(&ctx, &src, &s->out);
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
		cl_source_finish(&src);
		carry = len - keep;
		memmove(buf, buf + keep, carry);
		off += keep;
	}
	free(buf);
}

static void scan_file(struct pool *p, struct cl_parser *parser, size_t i)
{
	const struct cl_discovered *file = &p->d->files[i];
	struct slot *s = &p->slots[i];
	struct cl_source src;
	const char *err = NULL;
	cl_facts_init_empty(&s->facts, file->path, cl_source_lang_of(file->path));
	s->out.facts = &s->facts;
	int fd = open(file->fs_path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > PARSE_MAX_BYTES) {
		s->read = true;
		s->windowed = true;
		scan_windows(p, s, file, fd);
		close(fd);
		if (!s->binary && !s->note && s->facts.lang != CL_LANG_TEXT)
			s->note = "larger than 4 MiB: only the key rules ran on it";
		return;
	}
	if (fd >= 0)
		close(fd);
	if (cl_source_load(&src, file->fs_path, file->path, &err) != 0) {
		s->note = err;
		return;
	}
	s->read = true;
	if (cl_source_is_binary(src.data, src.len)) {
		s->binary = true;
		cl_source_finish(&src);
		return;
	}
	cl_suppressions_parse(&s->sup, &src);
	struct cl_check_ctx ctx = {p->o->config, NULL};
	for (size_t k = 0; k < cl_checks_count; k++)
		if (cl_checks[k].text && cl_config_item_on(p->o->config, cl_checks[k].item))
			cl_checks[k].text(&ctx, &src, &s->out);
	if (src.lang != CL_LANG_TEXT) {
		if (src.len > PARSE_MAX_BYTES) {
			s->note = "larger than 4 MiB: only the key rules ran on it";
		} else {
			const char *note = NULL;
			if (!cl_facts_extract(parser, &src, &s->facts, &note))
				s->note = note ? note : "could not be parsed; only the key rules ran on it";
			else if (note)
				s->note = note; /* partly analysed */
		}
	}
	cl_source_finish(&src);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct cl_parser *parser = cl_parser_create();
	for (;;) {
		size_t i = atomic_fetch_add(&p->next, 1);
		if (i >= p->d->nfiles)
			break;
		scan_file(p, parser, i);
		size_t done = atomic_fetch_add(&p->done, 1) + 1;
		if (p->o->progress && (done % 256 == 0 || done == p->d->nfiles))
			fprintf(stderr, "\rclaudit: %zu/%zu files", done, p->d->nfiles);
	}
	cl_parser_destroy(parser);
	return NULL;
}

/* Moves a file's pending findings into the result, reading the file once
 * more for the source lines their fingerprints hash; applies the file's
 * suppression comments and reports the wrong ones. */
static void flush_file(struct pool *p, size_t i, struct cl_result *r)
{
	struct slot *s = &p->slots[i];
	const struct cl_discovered *file = &p->d->files[i];
	const char *path = cl_result_path(r, file->path);
	struct cl_source src;
	const char *err;
	bool have_src = (s->out.findings.n || s->sup.v.n) && !s->windowed &&
		cl_source_load(&src, file->fs_path, file->path, &err) == 0;
	for (size_t k = 0; k < s->out.findings.n; k++) {
		const struct cl_pending *f = &s->out.findings.v[k];
		struct cl_location loc = {path, f->span.line, f->span.col, f->span.end_line, f->span.end_col};
		size_t len = 0;
		const char *line = have_src ? cl_source_line(&src, f->span.line, &len) : NULL;
		if (s->windowed && k < s->lines.n) {
			line = s->lines.v[k].text;
			len = s->lines.v[k].len;
		}
		struct cl_finding *added = cl_result_add_finding(r, f->rule, f->severity, &loc, line, len,
			f->message);
		const struct cl_suppression *sup = cl_suppressions_match(&s->sup, f->rule, f->span.line);
		if (sup)
			cl_finding_suppress(added, CL_SUPPRESS_INLINE, sup->reason,
				sup->file_level ? 0 : sup->line);
	}
	if (have_src)
		cl_suppressions_report(&s->sup, &src, path, p->unchecked, r);
	for (size_t k = 0; k < s->out.evidence.n; k++) {
		const struct cl_pending_evidence *e = &s->out.evidence.v[k];
		struct cl_location loc = {path, e->span.line, e->span.col, e->span.end_line, e->span.end_col};
		cl_result_add_evidence(r, e->item, &loc, e->message);
	}
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
	atomic_init(&p.next, 0);
	atomic_init(&p.done, 0);
	int jobs = o->jobs > 0 ? o->jobs : 1;
	if ((size_t)jobs > d->nfiles)
		jobs = d->nfiles ? (int)d->nfiles : 1;
	if (jobs <= 1) {
		worker(&p);
	} else {
		pthread_t *t = xcalloc((size_t)jobs, sizeof *t);
		int started = 0;
		for (int k = 0; k < jobs; k++)
			if (pthread_create(&t[k], NULL, worker, &p) == 0)
				started++;
			else
				break;
		if (started == 0)
			worker(&p);
		for (int k = 0; k < started; k++)
			pthread_join(t[k], NULL);
		free(t);
	}
	if (o->progress)
		fputs("\r\033[K", stderr);

	/* link the project and run the facts checks */
	struct cl_file_facts **files = xcalloc(d->nfiles ? d->nfiles : 1, sizeof *files);
	for (size_t i = 0; i < d->nfiles; i++)
		files[i] = &p.slots[i].facts;
	struct cl_project proj;
	cl_project_init(&proj, files, d->nfiles);
	struct cl_check_ctx ctx = {o->config, &proj};
	size_t call_sites = 0;
	for (size_t i = 0; i < d->nfiles; i++) {
		struct slot *s = &p.slots[i];
		for (size_t k = 0; k < cl_checks_count; k++)
			if (cl_checks[k].facts && cl_config_item_on(o->config, cl_checks[k].item))
				cl_checks[k].facts(&ctx, &s->out);
		r->claude_clients += s->facts.clients.n;
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
		if (cl_checks[k].project && cl_config_item_on(o->config, cl_checks[k].item))
			cl_checks[k].project(&ctx, outs, d->nfiles);
	for (size_t i = 0; i < d->nfiles; i++)
		for (int k = 0; k < CL_ITEM_COUNT; k++)
			r->items[k].applies = r->items[k].applies || outs[i]->applies[k];
	free(outs);
	for (size_t i = 0; i < d->nfiles; i++) {
		struct slot *s = &p.slots[i];
		if (s->read && !s->binary)
			r->files_scanned++;
		else if (!s->read)
			r->files_skipped++;
		if (s->note)
			cl_result_add_note(r, d->files[i].path, s->note);
		else if (s->binary && d->files[i].explicit_)
			cl_result_add_note(r, d->files[i].path, "binary file: skipped");
		flush_file(&p, i, r);
	}
	cl_project_finish(&proj);
	for (size_t i = 0; i < d->nfiles; i++) {
		cl_vec_free(&p.slots[i].out.findings);
		cl_vec_free(&p.slots[i].out.evidence);
		cl_vec_free(&p.slots[i].lines);
		cl_suppressions_finish(&p.slots[i].sup);
		cl_facts_finish(&p.slots[i].facts);
	}
	free(files);
	free(p.slots);
}
