/*
 * checks.c — the table of checks, sorted by item id, and the emitters.
 */
#include "checks/checks.h"
#include "adapters/settings.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct cl_check cl_checks[] = {
	{"CL01", cl_check_cl01_text, cl_check_cl01_facts, NULL},
	{"CL02", cl_check_cl02_text, NULL, NULL},
	{"CL03", cl_check_cl03_text, NULL, NULL},
	{"CL04", NULL, cl_check_cl04_facts, NULL},
	{"CL05", NULL, cl_check_cl05_facts, NULL},
	{"CL06", cl_check_cl06_text, NULL, cl_check_cl06_project},
	{"CL07", NULL, cl_check_cl07_facts, NULL},
	{"CL08", NULL, cl_check_cl08_facts, NULL},
	{"CL09", cl_check_cl09_text, NULL, NULL},
	{"CL10", NULL, cl_check_cl10_facts, NULL},
	{"CL11", cl_check_cl11_text, NULL, cl_check_cl11_project},
	{"CL12", cl_check_cl12_text, NULL, cl_check_cl12_project},
	{"CL13", cl_check_cl13_text, NULL, cl_check_cl13_project},
	{"CL14", NULL, cl_check_cl14_facts, NULL},
	{"CL15", cl_check_cl15_text, cl_check_cl15_facts, NULL},
	{"CL16", cl_check_cl16_text, NULL, cl_check_cl16_project},
	{"CL17", NULL, cl_check_cl17_facts, cl_check_cl17_project},
	{"CL18", NULL, cl_check_cl18_facts, NULL},
};
const size_t cl_checks_count = sizeof cl_checks / sizeof *cl_checks;

static int by_item(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cl_check *)elem)->item);
}

const struct cl_check *cl_checks_find(const char *item)
{
	return bsearch(item, cl_checks, cl_checks_count, sizeof *cl_checks, by_item);
}

static void emit(struct cl_file_out *out, const struct cl_rule *rule, int severity,
	const struct cl_span *span, const char *fmt, va_list ap)
{
	if (rule->preview && !out->preview)
		return;
	char buf[1024];
	vsnprintf(buf, sizeof buf, fmt, ap);
	struct cl_pending p;
	p.rule = rule;
	p.severity = severity < 0 ? rule->severity : (enum cl_severity)severity;
	p.span = *span;
	p.message = cl_arena_strdup(&out->facts->arena, buf);
	cl_vec_push(&out->findings, p);
}

void cl_emit_rule(struct cl_file_out *out, enum cl_rule_id rule, int severity,
	const struct cl_span *span, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	emit(out, cl_registry_rule_of(rule), severity, span, fmt, ap);
	va_end(ap);
}

void cl_emit_named(struct cl_file_out *out, const char *rule_id, int severity,
	const struct cl_span *span, const char *fmt, ...)
{
	const struct cl_rule *rule = cl_registry_rule(rule_id);
	if (!rule) {
		fprintf(stderr, "claudit: internal error: unknown rule %s\n", rule_id);
		abort();
	}
	va_list ap;
	va_start(ap, fmt);
	emit(out, rule, severity, span, fmt, ap);
	va_end(ap);
}

void cl_emit_evidence(struct cl_file_out *out, int item, const struct cl_span *span,
	const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	struct cl_pending_evidence e;
	e.item = item;
	e.span = *span;
	e.message = cl_arena_strdup(&out->facts->arena, buf);
	cl_vec_push(&out->evidence, e);
}

struct cl_span cl_span_at(const struct cl_source *src, size_t start, size_t end)
{
	struct cl_span sp;
	unsigned l, c;
	sp.start = (uint32_t)start;
	sp.end = (uint32_t)end;
	cl_source_position(src, start, &l, &c);
	sp.line = l;
	sp.col = c;
	cl_source_position(src, end, &l, &c);
	sp.end_line = l;
	sp.end_col = c;
	return sp;
}

/* ------------------------------------------------------------------------ */
/* Messages from adapter data.                                              */

const char *cl_call_label(struct cl_file_out *out, const struct cl_settings *st, const struct cl_call *call)
{
	const char *prefix = st->adapter ? st->adapter->call_prefix : NULL;
	return prefix ? cl_arena_printf(&out->facts->arena, "%s%s", prefix, call->method) : call->method;
}

const char *cl_fill_message(struct cl_file_out *out, const char *tmpl, const char *label,
	const struct cl_call *call, const struct cl_adapter_setting *spec)
{
	static const char *const names[] = {"{call}", "{lib}", "{note}", "{fix}"};
	const char *subs[] = {
		label, call->lib ? call->lib : call->method, spec->note ? spec->note : "", spec->fix ? spec->fix : "",
	};
	char buf[512];
	size_t n = 0;
	for (const char *p = tmpl; *p && n < sizeof buf - 1;) {
		size_t k;
		for (k = 0; k < 4 && strncmp(p, names[k], strlen(names[k])); k++)
			;
		if (k == 4) {
			buf[n++] = *p++;
			continue;
		}
		int w = snprintf(buf + n, sizeof buf - n, "%s", subs[k]);
		n = w < 0 || (size_t)w >= sizeof buf - n ? sizeof buf - 1 : n + (size_t)w;
		p += strlen(names[k]);
	}
	buf[n] = 0;
	return cl_arena_strdup(&out->facts->arena, buf);
}

/* The system-role messages of a messages array (the OpenAI shape some
 * adapters take): calls FN on each one's content. */
void cl_each_system_message(const struct cl_check_ctx *ctx, const struct cl_value *msgs,
	void (*fn)(const struct cl_check_ctx *, const struct cl_value *, void *), void *arg)
{
	msgs = cl_project_resolve(ctx->project, msgs);
	if (!msgs || msgs->kind != CL_V_ARRAY)
		return;
	for (size_t i = 0; i < msgs->nitems; i++) {
		const struct cl_value *m = cl_project_resolve(ctx->project, msgs->items[i]);
		const struct cl_value *role = cl_project_resolve(ctx->project, cl_value_get(m, "role"));
		if (role && role->kind == CL_V_STRING && !strcmp(role->str, "system")) {
			const struct cl_value *content = cl_value_get(m, "content");
			if (content)
				fn(ctx, content, arg);
		}
	}
}
