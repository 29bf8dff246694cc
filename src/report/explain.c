/*
 * explain.c — item and rule docs as text: the 18 items, then CL00 (the
 * suppression-comment rules).
 */
#include "report/explain.h"

#include <string.h>

#include "support/diag.h"
#include "rules/registry.h"

static void indent(FILE *out, const char *text)
{
	fputs("    ", out);
	for (const char *p = text; *p; p++) {
		fputc(*p, out);
		if (*p == '\n' && p[1])
			fputs("    ", out);
	}
	fputc('\n', out);
}

static void rule_docs(FILE *out, const struct cl_rule *r)
{
	fprintf(out, "%s (%s) — %s\n\n%s\n\n", r->id, cl_severity_name(r->severity), r->name, r->docs);
	fprintf(out, "Languages: %s%s\n\n", r->languages, r->implemented ? "" : "  (not checked by this version yet)");
	if (r->preview)
		fputs("Preview: runs only with --preview (or \"preview\": true in the config); without it, it never "
			"reports and never changes the item's status.\n\n", out);
	if (*r->bad) {
		fputs("Bad:\n", out);
		indent(out, r->bad);
		fputc('\n', out);
	}
	if (*r->good) {
		fputs("Good:\n", out);
		indent(out, r->good);
		fputc('\n', out);
	}
}

int cl_explain(FILE *out, const char *id)
{
	const struct cl_rule *r = cl_registry_rule(id);
	if (r) {
		const struct cl_item *it = cl_registry_item(r->item);
		fprintf(out, "%s · %s — %s\n\n", it->id, it->section, it->title);
		rule_docs(out, r);
		return 0;
	}
	const struct cl_item *it = cl_registry_item_by_id(id);
	if (!it) {
		cl_diag_error("--explain: unknown item or rule '%s' (see claudit --list-rules)", id);
		return 2;
	}
	fprintf(out, "%s · %s — %s\n\n%s\n\n", it->id, it->section, it->title, it->docs);
	for (size_t i = 0; i < it->nrules; i++)
		rule_docs(out, it->rules[i]);
	return 0;
}

int cl_explain_list(FILE *out)
{
	for (int i = 0; i <= CL_META_ITEM; i++) {
		const struct cl_item *it = cl_registry_item(i);
		fprintf(out, "%s  %s%s\n", it->id, it->title,
			it->kind == CL_KIND_META ? " (not a checklist item)" : "");
		if (!it->nrules)
			fprintf(out, "  (manual: no code rules)\n");
		for (size_t k = 0; k < it->nrules; k++) {
			const struct cl_rule *r = it->rules[k];
			fprintf(out, "  %-44s %-8s %s%s%s\n", r->id, cl_severity_name(r->severity), r->summary,
				r->implemented ? "" : " [not checked yet]", r->preview ? " [preview]" : "");
		}
	}
	return 0;
}
