/*
 * report_github.c — the --format github reporter: GitHub Actions workflow
 * commands, which the runner turns into annotations on the pull request and
 * the run's summary (docs.github.com, "Workflow commands for GitHub
 * Actions": ::error / ::warning / ::notice with file, line, endLine, col,
 * endColumn and title; read 2026-12-07).
 *
 *   ::error file=src/chat.ts,line=12,endLine=12,col=12,endColumn=39,title=CL15.model-alias::model …
 *
 * One command per unsuppressed finding (error, warning, notice by severity;
 * CL00 findings too); a failing item with no unsuppressed error finding of
 * its own (--strict, say) gets one ::error titled with the item; each file
 * note a ::warning; then one plain summary line. Suppressed findings are
 * left out: an annotation cannot be marked suppressed. Values are escaped
 * as the runner's toolkit does it (%, CR and LF in the message; also ':' and
 * ',' in properties), after redaction (cl_report_utf8), so a message or a
 * file name can never start a command of its own. The runner shows at most
 * 10 annotations of each kind per step; the log keeps every line.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_internal.h"
#include "support/xalloc.h"

/* S with %, CR, LF (and, in a property, ':' and ',') percent-encoded; other
 * control characters become spaces. */
static void put_escaped(FILE *out, const char *s, bool property)
{
	char *clean = cl_report_utf8(s ? s : "");
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		if (*p == '%')
			fputs("%25", out);
		else if (*p == '\r')
			fputs("%0D", out);
		else if (*p == '\n')
			fputs("%0A", out);
		else if (property && *p == ':')
			fputs("%3A", out);
		else if (property && *p == ',')
			fputs("%2C", out);
		else if (*p < 0x20 || *p == 0x7f)
			putc(' ', out);
		else
			putc(*p, out);
	}
	free(clean);
}

static const char *command(enum cl_severity s)
{
	return s == CL_SEV_ERROR ? "error" : s == CL_SEV_WARNING ? "warning" : "notice";
}

/* "::CMD file=F,line=L,…,title=T::MESSAGE\n"; LOC may be NULL. */
static void annotate(FILE *out, const char *cmd, const struct cl_location *loc,
	const char *title, const char *msg)
{
	fprintf(out, "::%s ", cmd);
	if (loc && loc->file && *loc->file) {
		fputs("file=", out);
		put_escaped(out, loc->file, true);
		if (loc->line) {
			fprintf(out, ",line=%u", loc->line);
			if (loc->end_line >= loc->line)
				fprintf(out, ",endLine=%u", loc->end_line);
			if (loc->column)
				fprintf(out, ",col=%u", loc->column);
			if (loc->column && loc->end_line == loc->line && loc->end_column > loc->column)
				fprintf(out, ",endColumn=%u", loc->end_column);
		}
		putc(',', out);
	}
	fputs("title=", out);
	put_escaped(out, title, true);
	fputs("::", out);
	put_escaped(out, msg, false);
	putc('\n', out);
}

static void item(struct cl_report_ctx *ctx, const struct cl_item_result *ir)
{
	if (ir->status != CL_STATUS_FAIL || !ir->item)
		return;
	for (size_t i = 0; i < ir->findings.n; i++) {
		if (!ir->findings.v[i].suppressed && ir->findings.v[i].severity == CL_SEV_ERROR)
			return; /* its findings say why */
	}
	char *msg = xasprintf("%s %s: fails%s%s", ir->item->id, ir->item->title,
		ir->status_reason ? ": " : "", ir->status_reason ? ir->status_reason : "");
	annotate(ctx->out, "error", NULL, ir->item->id, msg);
	free(msg);
}

static void finding(struct cl_report_ctx *ctx, const struct cl_item_result *ir,
	const struct cl_finding *f)
{
	(void)ir;
	if (f->suppressed)
		return;
	annotate(ctx->out, command(f->severity), &f->loc, f->rule ? f->rule->id : "claudit",
		f->message ? f->message : "");
}

static void end(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	for (size_t i = 0; i < r->notes.n; i++) {
		struct cl_location loc = {.file = r->notes.v[i].file};
		annotate(ctx->out, "warning", &loc, "claudit", r->notes.v[i].message);
	}
	size_t c[4];
	cl_report_count(r, c);
	fprintf(ctx->out, "claudit: %zu files, %zu Claude call sites; %zu pass, %zu fail, "
		"%zu manual, %zu not applicable\n", r->files_scanned, r->claude_call_sites,
		c[CL_STATUS_PASS], c[CL_STATUS_FAIL], c[CL_STATUS_MANUAL], c[CL_STATUS_NA]);
}

const struct cl_reporter cl_report_github = {
	.name = "github",
	.item = item,
	.finding = finding,
	.end = end,
};
