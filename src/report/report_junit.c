/*
 * report_junit.c — the --format junit reporter: JUnit XML as CI dashboards
 * read it (Jenkins, GitLab's test reports, Azure Pipelines, …): one
 * <testsuites> holding one <testsuite name="claudit">, one <testcase> per
 * checklist item (CL01 … CL18, in order) named "CLnn Title", class "claudit"
 * plus the item's section.
 *   pass            an empty test case (evidence in <system-out>);
 *   fail            <failure type="CLnn" message="reason or count"> listing
 *                   each unsuppressed finding, "file:line:col: severity rule:
 *                   message", one a line;
 *   manual, not_applicable   <skipped message="status: reason"/>.
 * CL00 findings (suppression hygiene, not an item) and file notes go to the
 * suite's <system-out>. No timestamps, host names or durations: the output
 * is byte-for-byte deterministic. Checked in the tests against
 * tests/schemas/junit.xsd with xmllint. Every string is redacted
 * (cl_report_utf8) and escaped; characters XML 1.0 forbids (C0 controls
 * but tab; U+FFFE, U+FFFF) are replaced, newlines and DEL too, so a file
 * name can neither break the document nor split a finding's line.
 */
#include <stdlib.h>
#include <string.h>

#include "report/report.h"
#include "report/report_internal.h"
#include "support/xalloc.h"

/* S escaped for XML text or (ATTR) an attribute value. Every value is one
 * line: a newline (in a file name, say) becomes a space like other controls. */
static void put_xml(FILE *out, const char *s, bool attr)
{
	char *clean = cl_report_utf8(s ? s : "");
	for (const unsigned char *p = (const unsigned char *)clean; *p; p++) {
		switch (*p) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs(attr ? "&quot;" : "\"", out); break;
		case '\t': fputs(attr ? "&#9;" : "\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f) {
				putc(' ', out);
			} else if (p[0] == 0xef && p[1] == 0xbf && (p[2] == 0xbe || p[2] == 0xbf)) {
				fputs("\xef\xbf\xbd", out); /* U+FFFE, U+FFFF: not XML characters */
				p += 2;
			} else {
				putc(*p, out);
			}
		}
	}
	free(clean);
}

static void attr(FILE *out, const char *name, const char *value)
{
	fprintf(out, " %s=\"", name);
	put_xml(out, value, true);
	putc('"', out);
}

/* "file:line:col: severity rule: message\n" */
static void finding_line(FILE *out, const struct cl_finding *f)
{
	put_xml(out, f->loc.file && *f->loc.file ? f->loc.file : ".", false);
	if (f->loc.line)
		fprintf(out, ":%u", f->loc.line);
	if (f->loc.line && f->loc.column)
		fprintf(out, ":%u", f->loc.column);
	fprintf(out, ": %s ", cl_severity_name(f->severity));
	put_xml(out, f->rule ? f->rule->id : "claudit", false);
	fputs(": ", out);
	put_xml(out, f->message, false);
	putc('\n', out);
}

static size_t unsuppressed(const struct cl_item_result *ir)
{
	size_t n = 0;
	for (size_t i = 0; i < ir->findings.n; i++)
		n += !ir->findings.v[i].suppressed;
	return n;
}

static void testcase(FILE *out, const struct cl_item_result *ir)
{
	const struct cl_item *it = ir->item;
	fputs("    <testcase", out);
	char *name = xasprintf("%s %s", it->id, it->title);
	char *cls = xasprintf("claudit.%s", it->section);
	attr(out, "name", name);
	attr(out, "classname", cls);
	free(name);
	free(cls);
	const char *reason = ir->status_reason;
	if (ir->status == CL_STATUS_FAIL) {
		size_t n = unsuppressed(ir);
		/* the count first, then what the verdict stands on (coverage) */
		char *count = reason && *reason ? xasprintf("%zu finding%s; %s", n, n == 1 ? "" : "s", reason) :
			xasprintf("%zu finding%s", n, n == 1 ? "" : "s");
		fputs(">\n      <failure", out);
		attr(out, "type", it->id);
		attr(out, "message", n || !(reason && *reason) ? count : reason);
		fputs(">", out);
		free(count);
		for (size_t i = 0; i < ir->findings.n; i++) {
			if (!ir->findings.v[i].suppressed)
				finding_line(out, &ir->findings.v[i]);
		}
		fputs("</failure>\n    </testcase>\n", out);
	} else if (ir->status == CL_STATUS_MANUAL || ir->status == CL_STATUS_NA) {
		char *m = xasprintf("%s%s%s", cl_status_name(ir->status), reason ? ": " : "",
			reason ? reason : "");
		fputs(">\n      <skipped", out);
		attr(out, "message", m);
		fputs("/>\n    </testcase>\n", out);
		free(m);
	} else if (ir->evidence.n || ir->attested) {
		fputs(">\n      <system-out>", out);
		if (ir->attested)
			fputs("attested in the config\n", out);
		for (size_t i = 0; i < ir->evidence.n; i++) {
			const struct cl_evidence *e = &ir->evidence.v[i];
			if (e->loc.file && *e->loc.file) {
				put_xml(out, e->loc.file, false);
				fprintf(out, ":%u: ", e->loc.line);
			}
			put_xml(out, e->message, false);
			putc('\n', out);
		}
		fputs("</system-out>\n    </testcase>\n", out);
	} else {
		fputs("/>\n", out);
	}
}

static void end(struct cl_report_ctx *ctx, const struct cl_result *r)
{
	FILE *out = ctx->out;
	size_t c[4];
	cl_report_count(r, c);
	char *head = xasprintf(" tests=\"%d\" failures=\"%zu\" errors=\"0\" skipped=\"%zu\"",
		CL_ITEM_COUNT, c[CL_STATUS_FAIL], c[CL_STATUS_MANUAL] + c[CL_STATUS_NA]);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"claudit\"%s>\n", head);
	fprintf(out, "  <testsuite name=\"claudit\"%s>\n    <properties>\n", head);
	free(head);
	fputs("      <property name=\"claudit.version\"", out);
	attr(out, "value", ctx->version ? ctx->version : "");
	fprintf(out, "/>\n      <property name=\"claudit.files_scanned\" value=\"%zu\"/>\n"
		"      <property name=\"claudit.claude_call_sites\" value=\"%zu\"/>\n    </properties>\n",
		r->files_scanned, r->claude_call_sites);
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		testcase(out, &r->items[i]);
	if (r->meta.findings.n || r->notes.n) {
		fputs("    <system-out>", out);
		for (size_t i = 0; i < r->meta.findings.n; i++) {
			if (!r->meta.findings.v[i].suppressed)
				finding_line(out, &r->meta.findings.v[i]);
		}
		for (size_t i = 0; i < r->notes.n; i++) {
			put_xml(out, r->notes.v[i].file && *r->notes.v[i].file ? r->notes.v[i].file : ".", false);
			fputs(": note: ", out);
			put_xml(out, r->notes.v[i].message, false);
			putc('\n', out);
		}
		fputs("</system-out>\n", out);
	}
	fputs("  </testsuite>\n</testsuites>\n", out);
}

const struct cl_reporter cl_report_junit = {
	.name = "junit",
	.end = end,
};
