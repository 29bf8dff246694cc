/*
 * status.c — one status per item per run.
 */
#include "report/status.h"

#include "report/coverage.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static size_t errors_of(const struct cl_item_result *ir)
{
	size_t n = 0;
	for (size_t i = 0; i < ir->findings.n; i++)
		if (!ir->findings.v[i].suppressed && ir->findings.v[i].severity == CL_SEV_ERROR)
			n++;
	return n;
}

static char *unchecked_rules(const struct cl_item *it)
{
	char buf[512];
	size_t used = 0;
	buf[0] = 0;
	for (size_t i = 0; i < it->nrules; i++) {
		if (it->rules[i]->implemented)
			continue;
		int n = snprintf(buf + used, sizeof buf - used, "%s%s", used ? ", " : "", it->rules[i]->id);
		if (n < 0 || (size_t)n >= sizeof buf - used)
			break;
		used += (size_t)n;
	}
	return used ? xstrdup(buf) : NULL;
}

/* A files-only run (pre-commit passes the staged files) cannot see the
 * evidence a repository-level item needs, which may live in any other file:
 * the item is left out rather than failed on what it did not read. */
static void leave_out(struct cl_item_result *ir)
{
	cl_result_clear_item(ir);
	ir->status = CL_STATUS_NA;
	ir->status_reason = xstrdup("not checked in a files-only run: its evidence can live in any "
		"file of the repository (scan the repository, or pass --repo-items)");
}

/* The reason an item whose precondition does not hold is not applicable;
 * NULL for items that apply wherever Claude is used. */
static const char *precondition(const char *applies)
{
	if (!strcmp(applies, "agent_loop"))
		return "no agent loop found (a loop or recursion around a Claude call driven by tool use)";
	if (!strcmp(applies, "web_server"))
		return "no web route reaches a Claude call";
	if (!strcmp(applies, "tool_side_effect"))
		return "no tool-use output leads to a side-effecting call";
	return NULL;
}

/* The status from findings and evidence alone. */
static void computed(struct cl_item_result *ir, bool usage)
{
	const struct cl_item *it = ir->item;
	if (it->kind == CL_KIND_MANUAL) {
		ir->status = CL_STATUS_MANUAL;
		ir->status_reason = xstrdup("a process item: it cannot be decided from code; attest it once it is in place");
		return;
	}
	if (errors_of(ir)) {
		ir->status = CL_STATUS_FAIL;
		return;
	}
	if (it->implemented && !ir->applies && precondition(it->applies)) {
		ir->status = CL_STATUS_NA;
		ir->status_reason = xstrdup(usage ? precondition(it->applies) : "no Claude usage found");
		return;
	}
	if (!it->implemented) {
		if (!usage && strcmp(it->applies, "always") != 0) {
			ir->status = CL_STATUS_NA;
			ir->status_reason = xstrdup("no Claude usage found");
			return;
		}
		char *missing = unchecked_rules(it);
		bool partly = false;
		for (size_t k = 0; k < it->nrules; k++)
			partly = partly || it->rules[k]->implemented;
		ir->status = CL_STATUS_MANUAL;
		if (partly && missing)
			ir->status_reason = xasprintf("partly checked: this version does not check %s yet", missing);
		else
			ir->status_reason = xstrdup("this version of claudit does not check this item yet");
		free(missing);
		return;
	}
	if (usage) {
		ir->status = CL_STATUS_PASS;
	} else {
		ir->status = CL_STATUS_NA;
		ir->status_reason = xstrdup("no Claude usage found");
	}
}

/* Replaces IR's reason with PREFIX followed by the old reason, if any. */
static void prefix_reason(struct cl_item_result *ir, char *prefix)
{
	char *old = ir->status_reason;
	ir->status_reason = old && *old ? xasprintf("%s; %s", prefix, old) : xstrdup(prefix);
	free(old);
	free(prefix);
}

/* A valid attestation passes the item; an expired one only says so. */
static void attest(struct cl_item_result *ir, const struct cl_attestation *a, const char *today)
{
	ir->attestation = a;
	if (strcmp(a->date, today) > 0) {
		/* a person cannot have vouched on a day still to come */
		prefix_reason(ir, xasprintf("the attestation by %s is dated %s, after today (%s): not "
			"taken", a->by, a->date, today));
		return;
	}
	if (strcmp(today, a->expires) <= 0) {
		free(ir->status_reason);
		ir->status = CL_STATUS_PASS;
		ir->attested = true;
		ir->status_reason = xasprintf("attested by %s on %s, expires %s: %s", a->by, a->date,
			a->expires, a->note);
		return;
	}
	ir->attestation_expired = true;
	prefix_reason(ir, xasprintf("the attestation by %s on %s expired on %s", a->by, a->date, a->expires));
}

void cl_status_decide(struct cl_result *r, const struct cl_status_opts *o)
{
	bool usage = r->claude_call_sites > 0 || r->claude_clients > 0;
	const struct cl_config *c = o ? o->config : NULL;
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		struct cl_item_result *ir = &r->items[i];
		free(ir->status_reason);
		ir->status_reason = NULL;
		ir->attested = ir->attestation_expired = false;
		ir->attestation = NULL;
		if (c && c->item_off[i]) {
			ir->status = CL_STATUS_NA;
			ir->status_reason = xasprintf("turned off in the config (items.%s.enabled is false)", ir->item->id);
			continue;
		}
		if (r->files_only && ir->item->repo_level)
			leave_out(ir);
		else
			computed(ir, usage);
		if (c && c->attest[i] && o->today)
			attest(ir, c->attest[i], o->today);
		cl_coverage_describe(ir, r); /* before --strict: what it checked, not what it did not */
		if (o && o->strict && ir->status == CL_STATUS_MANUAL && !ir->attested) {
			ir->status = CL_STATUS_FAIL;
			if (ir->item->kind == CL_KIND_CODE)
				prefix_reason(ir, xasprintf("--strict: not checked, and a code item cannot be attested "
					"(items.%s.enabled: false turns it off)", ir->item->id));
			else
				prefix_reason(ir, xasprintf("--strict: not attested (add attestations.%s to the config)",
					ir->item->id));
		}
	}
}

int cl_status_exit_code(const struct cl_result *r, bool strict)
{
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		if (r->items[i].status == CL_STATUS_FAIL)
			return 1;
		if (strict && r->items[i].status == CL_STATUS_MANUAL && !r->items[i].attested)
			return 1;
	}
	return 0;
}
