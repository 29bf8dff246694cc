/*
 * status.c — one status per item per run.
 */
#include "status.h"

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

void cl_status_decide(struct cl_result *r)
{
	bool usage = r->claude_call_sites > 0 || r->claude_clients > 0;
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		struct cl_item_result *ir = &r->items[i];
		const struct cl_item *it = ir->item;
		size_t errors = errors_of(ir);
		free(ir->status_reason);
		ir->status_reason = NULL;
		if (it->kind == CL_KIND_MANUAL) {
			ir->status = CL_STATUS_MANUAL;
			ir->status_reason = xstrdup("a process item: it cannot be decided from code; attest it once it is in place");
			continue;
		}
		if (errors) {
			ir->status = CL_STATUS_FAIL;
			continue;
		}
		if (it->implemented && !ir->applies && precondition(it->applies)) {
			ir->status = CL_STATUS_NA;
			ir->status_reason = xstrdup(precondition(it->applies));
			continue;
		}
		if (!it->implemented) {
			if (!usage && strcmp(it->applies, "always") != 0) {
				ir->status = CL_STATUS_NA;
				ir->status_reason = xstrdup("no Claude usage found");
				continue;
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
			continue;
		}
		if (usage) {
			ir->status = CL_STATUS_PASS;
		} else {
			ir->status = CL_STATUS_NA;
			ir->status_reason = xstrdup("no Claude usage found");
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
