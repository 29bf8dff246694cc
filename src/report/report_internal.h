/*
 * report_internal.h — helpers shared by the reporters (report_*.c), defined in
 * report.c. Not for use outside the report module.
 */
#ifndef CL_REPORT_INTERNAL_H
#define CL_REPORT_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "support/result.h"

/* A copy of S (NULL: NULL) with every key redacted (cl_secrets_redact_all)
 * and every byte that is not part of well-formed UTF-8 (overlongs,
 * surrogates and code points above U+10FFFF included) replaced by U+FFFD.
 * Every string a reporter prints goes through it. Caller frees with free(). */
char *cl_report_utf8(const char *s);

/* Item statuses over the 18 items, indexed by enum cl_status. */
void cl_report_count(const struct cl_result *r, size_t counts[4]);

/* Writes ITEM as JSON indented by two spaces, keys in insertion order, with a
 * trailing newline: byte-for-byte deterministic (cJSON_Print indents with
 * tabs). Strings are escaped, never validated: add them through
 * cl_report_utf8. Integral numbers print without a fraction. */
struct cJSON;
void cl_report_print_json(FILE *out, const struct cJSON *item);

/* C as a JSON object ({"subject", "checked", "files", "test_checked",
 * "test_files"}, with "clients" / "test_clients" for calls), keys in
 * snake_case or, with CAMEL, camelCase (SARIF); NULL when C has no subject.
 * Caller owns it. */
struct cJSON *cl_report_coverage_json(const struct cl_item_coverage *c, bool camel);

/* J, or exit 3 with "out of memory" when a cJSON constructor returned NULL. */
struct cJSON *cl_report_cjson(struct cJSON *j);

/* A cJSON string of S ("" for NULL) through cl_report_utf8. */
struct cJSON *cl_report_cjson_str(const char *s);

#endif
