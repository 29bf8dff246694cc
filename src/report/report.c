/*
 * report.c — the reporter table selected by --format, the walk that drives a
 * reporter over a result, and helpers the reporters share (report_internal.h).
 */
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "report/report_internal.h"
#include "scan/secrets.h"
#include "support/utf8.h"

/* Sorted by name. */
static const struct cl_reporter *const reporters[] = {
	&cl_report_github,
	&cl_report_gitlab,
	&cl_report_json,
	&cl_report_junit,
	&cl_report_sarif,
	&cl_report_text,
};

const struct cl_reporter *cl_report_find(const char *name)
{
	if (!name)
		return NULL;
	for (size_t i = 0; i < sizeof reporters / sizeof *reporters; i++) {
		if (strcmp(reporters[i]->name, name) == 0)
			return reporters[i];
	}
	return NULL;
}

void cl_report_write(const struct cl_reporter *rep, struct cl_report_ctx *ctx,
	const struct cl_result *r)
{
	if (rep->begin)
		rep->begin(ctx, r);
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		const struct cl_item_result *ir = &r->items[i];
		if (rep->item)
			rep->item(ctx, ir);
		for (size_t j = 0; rep->finding && j < ir->findings.n; j++)
			rep->finding(ctx, ir, &ir->findings.v[j]);
	}
	for (size_t j = 0; rep->finding && j < r->meta.findings.n; j++)
		rep->finding(ctx, &r->meta, &r->meta.findings.v[j]);
	if (rep->end)
		rep->end(ctx, r);
}

void cl_report_count(const struct cl_result *r, size_t counts[4])
{
	memset(counts, 0, 4 * sizeof *counts);
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		unsigned s = r->items[i].status;
		counts[s < 4 ? s : CL_STATUS_NA]++;
	}
}

char *cl_report_utf8(const char *s)
{
	if (!s)
		return NULL;
	char *red = cl_secrets_redact_all(s, strlen(s));
	size_t n = strlen(red);
	char *out = xmalloc(3 * n + 1), *o = out;
	const unsigned char *p = (const unsigned char *)red;
	while (*p) {
		size_t k = cl_utf8_seq(p);
		if (k) {
			memcpy(o, p, k);
			o += k;
			p += k;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);
			o += 3;
			p++;
		}
	}
	*o = 0;
	free(red);
	return out;
}

static void put_json_string(FILE *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	putc('"', out);
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		size_t span = 0;
		while (p[span] >= 0x20 && p[span] != '"' && p[span] != '\\' && p[span] != 0x7f)
			span++;
		if (span) {
			fwrite(p, 1, span, out);
			p += span - 1;
			continue;
		}
		switch (*p) {
		case '"': fputs("\\\"", out); break;
		case '\\': fputs("\\\\", out); break;
		case '\b': fputs("\\b", out); break;
		case '\f': fputs("\\f", out); break;
		case '\n': fputs("\\n", out); break;
		case '\r': fputs("\\r", out); break;
		case '\t': fputs("\\t", out); break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				fprintf(out, "\\u00%c%c", hex[*p >> 4], hex[*p & 15]);
			else
				putc(*p, out);
		}
	}
	putc('"', out);
}

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

static void put_json(FILE *out, const cJSON *it, int depth)
{
	if (cJSON_IsObject(it) || cJSON_IsArray(it)) {
		bool obj = cJSON_IsObject(it);
		const cJSON *c = it->child;
		if (!c) {
			fputs(obj ? "{}" : "[]", out);
			return;
		}
		putc(obj ? '{' : '[', out);
		for (; c; c = c->next) {
			putc('\n', out);
			indent(out, depth + 1);
			if (obj) {
				put_json_string(out, c->string);
				fputs(": ", out);
			}
			put_json(out, c, depth + 1);
			if (c->next)
				putc(',', out);
		}
		putc('\n', out);
		indent(out, depth);
		putc(obj ? '}' : ']', out);
	} else if (cJSON_IsString(it)) {
		put_json_string(out, it->valuestring);
	} else if (cJSON_IsNumber(it)) {
		double d = it->valuedouble;
		if (d != d || d - d != 0)
			fputs("null", out);
		else if (d >= -9007199254740992.0 && d <= 9007199254740992.0 && d == (double)(long long)d)
			fprintf(out, "%lld", (long long)d);
		else
			fprintf(out, "%.17g", d);
	} else if (cJSON_IsTrue(it)) {
		fputs("true", out);
	} else if (cJSON_IsFalse(it)) {
		fputs("false", out);
	} else {
		fputs("null", out);
	}
}

cJSON *cl_report_cjson(cJSON *j)
{
	if (!j) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	return j;
}

cJSON *cl_report_cjson_str(const char *s)
{
	char *clean = cl_report_utf8(s ? s : "");
	cJSON *j = cl_report_cjson(cJSON_CreateString(clean));
	free(clean);
	return j;
}

void cl_report_print_json(FILE *out, const cJSON *item)
{
	put_json(out, item, 0);
	putc('\n', out);
}

static cJSON *made(cJSON *j)
{
	if (!j) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	return j;
}

cJSON *cl_report_coverage_json(const struct cl_item_coverage *c, bool camel)
{
	if (!c->subject)
		return NULL;
	bool calls = !strcmp(c->subject, "calls");
	const struct { const char *snake, *camel; size_t n; bool on; } keys[] = {
		{"checked", "checked", c->checked, true},
		{"clients", "clients", c->clients, calls},
		{"files", "files", c->files, true},
		{"test_checked", "testChecked", c->test_checked, true},
		{"test_clients", "testClients", c->test_clients, calls},
		{"test_files", "testFiles", c->test_files, true},
	};
	cJSON *o = made(cJSON_CreateObject());
	cJSON_AddItemToObject(o, "subject", made(cJSON_CreateString(c->subject)));
	for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
		if (keys[i].on)
			cJSON_AddItemToObject(o, camel ? keys[i].camel : keys[i].snake,
				made(cJSON_CreateNumber((double)keys[i].n)));
	return o;
}
