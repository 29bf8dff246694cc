/*
 * report_text.c — the human reporter (--format text, the default): the items
 * under their five sections, each with its status, reason, unsuppressed
 * findings and evidence, then CL00 findings about suppression comments
 * under "Suppressions", file notes and a summary line. ANSI colour only
 * when ctx->color. Output is deterministic; control bytes and bad UTF-8 from
 * paths and messages are neutralised so they cannot drive the terminal.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_internal.h"
#include "support/utf8.h"
#include "support/xalloc.h"

#define TITLE_WIDTH 60 /* code points; longer titles end in "..." */

struct state {
	const struct cl_item_result *open;  /* item whose tail is not written yet */
	const char *section;
	size_t suppressed;                  /* of the open item */
	size_t suppressed_total;
	bool meta_open;                     /* the Suppressions heading is written */
	bool color;
};

static void sgr(struct cl_report_ctx *ctx, const char *code)
{
	if (ctx->color)
		fprintf(ctx->out, "\033[%sm", code);
}

/* Writes S with control characters (C0, DEL, C1) as spaces, bidirectional
 * controls as "<U+202E>", bad UTF-8 as U+FFFD. MAX code points at most (0: no
 * limit); returns how many written. */
static size_t put_text(FILE *out, const char *s, size_t max)
{
	char *clean = cl_report_utf8(s ? s : "");
	size_t cps = 0;
	for (const unsigned char *p = (const unsigned char *)clean; *p;) {
		if (max && cps == max)
			break;
		if (*p < 0x20 || *p == 0x7f) {
			putc(' ', out);
			p++;
		} else if (p[0] == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			putc(' ', out);
			p += 2;
		} else if (cl_utf8_bidi(p)) {
			fprintf(out, "<U+%04X>", cl_utf8_bidi(p));
			p += cl_utf8_seq(p);
		} else {
			do
				putc(*p++, out);
			while ((*p & 0xc0) == 0x80);
		}
		cps++;
	}
	free(clean);
	return cps;
}

static size_t utf8_len(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* The first MAX code points of S, cut back to the last word when one ends in
 * the final quarter, without trailing spaces or punctuation. Caller frees. */
static char *shorten(const char *s, size_t max)
{
	size_t bytes = 0, cps = 0;
	while (s[bytes] && cps < max) {
		bytes++;
		while (((unsigned char)s[bytes] & 0xc0) == 0x80)
			bytes++;
		cps++;
	}
	size_t end = bytes;
	if (s[end] && s[end] != ' ') {
		size_t back = end;
		while (back > 0 && s[back - 1] != ' ' && end - back < max / 4)
			back--;
		if (back > 0 && s[back - 1] == ' ')
			end = back;
	}
	while (end > 0 && strchr(" ,;:-", s[end - 1]))
		end--;
	return xstrndup(s, end);
}

static void put_loc(FILE *out, const struct cl_location *l)
{
	if (!l->file || !*l->file) {
		fputs("(repository)", out);
		return;
	}
	put_text(out, l->file, 0);
	if (l->line) {
		fprintf(out, ":%u", l->line);
		if (l->column)
			fprintf(out, ":%u", l->column);
	}
}

static const char *marker(struct cl_report_ctx *ctx, enum cl_status s)
{
	static const char *const plain[] = {"+", "x", "?", "-"};
	static const char *const fancy[] = {"\u2713", "\u2717", "?", "\u00b7"};
	unsigned i = s < 4 ? s : CL_STATUS_NA;
	return ctx->color ? fancy[i] : plain[i];
}

static const char *status_color(enum cl_status s)
{
	switch (s) {
	case CL_STATUS_PASS: return "32";
	case CL_STATUS_FAIL: return "1;31";
	case CL_STATUS_MANUAL: return "33";
	case CL_STATUS_NA: return "2";
	}
	return "0";
}

static const char *status_word(enum cl_status s)
{
	return s == CL_STATUS_NA ? "not applicable" : cl_status_name(s);
}

/* The open item's suppressed count and evidence, after its findings. */
static void close_item(struct cl_report_ctx *ctx, struct state *st)
{
	const struct cl_item_result *ir = st->open;
	if (!ir)
		return;
	FILE *out = ctx->out;
	if (st->suppressed)
		fprintf(out, "    (%zu suppressed finding%s not shown)\n", st->suppressed,
			st->suppressed == 1 ? "" : "s");
	for (size_t i = 0; i < ir->evidence.n; i++) {
		const struct cl_evidence *e = &ir->evidence.v[i];
		fputs("    ", out);
		sgr(ctx, "2");
		fputs("evidence:", out);
		sgr(ctx, "0");
		putc(' ', out);
		if (e->loc.file && *e->loc.file) {
			put_text(out, e->loc.file, 0);
			if (e->loc.line)
				fprintf(out, ":%u", e->loc.line);
			fputs("  ", out);
		}
		put_text(out, e->message, 0);
		putc('\n', out);
	}
	st->open = NULL;
	st->suppressed = 0;
}

static void begin(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	(void)r;
	struct state *st = xcalloc(1, sizeof *st);
	st->color = ctx->color;
	ctx->state = st;
}

static void item(struct cl_report_ctx *ctx, const struct cl_item_result *ir)
{
	struct state *st = ctx->state;
	FILE *out = ctx->out;
	const struct cl_item *it = ir->item;
	const char *section = it && it->section ? it->section : "";
	close_item(ctx, st);
	if (!st->section || strcmp(st->section, section) != 0) {
		if (st->section)
			putc('\n', out);
		sgr(ctx, "1");
		put_text(out, section, 0);
		sgr(ctx, "0");
		putc('\n', out);
		st->section = section;
	}
	fputs("  ", out);
	sgr(ctx, status_color(ir->status));
	fputs(marker(ctx, ir->status), out);
	sgr(ctx, "0");
	putc(' ', out);
	put_text(out, it ? it->id : "?", 0);
	fputs("  ", out);
	const char *title = it && it->title ? it->title : "";
	size_t w;
	if (utf8_len(title) > TITLE_WIDTH) {
		char *cut = shorten(title, TITLE_WIDTH - 3);
		w = put_text(out, cut, 0) + 3;
		fputs("...", out);
		free(cut);
	} else {
		w = put_text(out, title, 0);
	}
	for (; w < TITLE_WIDTH + 2; w++)
		putc(' ', out);
	sgr(ctx, status_color(ir->status));
	fputs(status_word(ir->status), out);
	sgr(ctx, "0");
	if (ir->attested)
		fputs(" (attested)", out);
	putc('\n', out);
	if (ir->status_reason && *ir->status_reason) {
		fputs("    ", out);
		put_text(out, ir->status_reason, 0);
		putc('\n', out);
	}
	st->open = ir;
}

static void finding(struct cl_report_ctx *ctx, const struct cl_item_result *ir,
	const struct cl_finding *f)
{
	(void)ir;
	struct state *st = ctx->state;
	FILE *out = ctx->out;
	if (f->rule && f->rule->item == CL_META_ITEM && !st->meta_open) {
		close_item(ctx, st);
		putc('\n', out);
		sgr(ctx, "1");
		fputs("Suppressions", out);
		sgr(ctx, "0");
		putc('\n', out);
		st->meta_open = true;
	}
	if (f->suppressed) {
		st->suppressed++;
		st->suppressed_total++;
		return;
	}
	fputs("    ", out);
	if (f->cell) { /* a notebook's code cell: what the notebook's reader sees */
		put_text(out, f->loc.file, 0);
		fprintf(out, ":cell %u, line %u, col %u", f->cell, f->cell_line, f->cell_column);
	} else {
		put_loc(out, &f->loc);
	}
	fputs("  ", out);
	sgr(ctx, "36");
	put_text(out, f->rule ? f->rule->id : "?", 0);
	sgr(ctx, "0");
	fputs("  ", out);
	if (f->severity != CL_SEV_ERROR) {
		sgr(ctx, f->severity == CL_SEV_WARNING ? "33" : "2");
		fprintf(out, "%s:", cl_severity_name(f->severity));
		sgr(ctx, "0");
		putc(' ', out);
	}
	put_text(out, f->message, 0);
	putc('\n', out);
}

static void end(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	struct state *st = ctx->state;
	FILE *out = ctx->out;
	close_item(ctx, st);
	if (r->notes.n) {
		putc('\n', out);
		sgr(ctx, "1");
		fputs("Notes", out);
		sgr(ctx, "0");
		putc('\n', out);
		for (size_t i = 0; i < r->notes.n; i++) {
			fputs("  ", out);
			if (r->notes.v[i].file) {
				put_text(out, r->notes.v[i].file, 0);
				fputs(": ", out);
			}
			put_text(out, r->notes.v[i].message, 0);
			putc('\n', out);
		}
	}
	size_t c[4];
	cl_report_count(r, c);
	putc('\n', out);
	if (st->suppressed_total)
		fprintf(out, "%zu suppressed finding%s not shown.\n", st->suppressed_total,
			st->suppressed_total == 1 ? "" : "s");
	fprintf(out, "%d items: %zu pass, ", CL_ITEM_COUNT, c[CL_STATUS_PASS]);
	if (c[CL_STATUS_FAIL])
		sgr(ctx, "1;31");
	fprintf(out, "%zu fail", c[CL_STATUS_FAIL]);
	if (c[CL_STATUS_FAIL])
		sgr(ctx, "0");
	fprintf(out, ", %zu manual, %zu not applicable \u2014 %zu file%s scanned, "
		"%zu Claude call site%s (%zu outside tests)\n", c[CL_STATUS_MANUAL], c[CL_STATUS_NA],
		r->files_scanned, r->files_scanned == 1 ? "" : "s",
		r->claude_call_sites, r->claude_call_sites == 1 ? "" : "s", r->coverage[0].calls);
	if (r->files_skipped || r->dirs_skipped)
		fprintf(out, "Not read: %zu file%s, %zu director%s (see Notes).\n",
			r->files_skipped, r->files_skipped == 1 ? "" : "s",
			r->dirs_skipped, r->dirs_skipped == 1 ? "y" : "ies");
	free(st);
	ctx->state = NULL;
}

const struct cl_reporter cl_report_text = {
	.name = "text",
	.begin = begin,
	.item = item,
	.finding = finding,
	.end = end,
};
