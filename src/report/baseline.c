/*
 * baseline.c — reads, writes and applies baseline files (baseline.h).
 */
#include "report/baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scan/fileio.h"
#include "scan/secrets.h"

#define FORMAT "claudit-baseline"
#define VERSION 1
#define MAX_BYTES (256u << 20)

/* A file name may hold a key: files are written and matched redacted. */
static char *redacted(const char *s)
{
	return cl_secrets_redact_all(s, strlen(s));
}

static char *key_of(const char *rule, const char *file, const char *fingerprint)
{
	char *red = redacted(file ? file : "");
	char *key = xasprintf("%s\x1f%s\x1f%s", rule ? rule : "", red, fingerprint ? fingerprint : "");
	free(red);
	return key;
}

static int cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void seal(struct cl_baseline *b)
{
	if (b->n > 1)
		qsort(b->keys, b->n, sizeof *b->keys, cmp_key);
	b->matched = xcalloc(b->n ? b->n : 1, sizeof *b->matched);
}

static char *read_all(const char *path, size_t *len, char **err)
{
	const char *why;
	char *buf = cl_file_read(AT_FDCWD, path, false, MAX_BYTES, len, &why);
	if (!buf && errno == EFBIG)
		*err = xasprintf("%s: baseline larger than %u MiB", path, MAX_BYTES >> 20);
	else if (!buf)
		*err = xasprintf("%s: cannot read the baseline: %s", path, why);
	return buf;
}

static const char *string_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* The end of the JSON value starting at P (strings and bracket nesting
 * followed, scalars up to a delimiter), or NULL when it runs past END. The
 * slice is then parsed, and so validated, by cJSON. */
static const char *skip_value(const char *p, const char *end)
{
	size_t depth = 0;
	do {
		if (p >= end)
			return NULL;
		if (*p == '"') {
			for (p++; p < end && *p != '"'; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				return NULL;
			p++;
		} else if (*p == '{' || *p == '[') {
			depth++;
			p++;
		} else if (*p == '}' || *p == ']') {
			if (!depth)
				return NULL;
			depth--;
			p++;
		} else if (depth) {
			p++;
		} else {
			while (p < end && !strchr(",]} \t\r\n", *p))
				p++;
		}
	} while (depth);
	return p;
}

/*
 * Reads the baseline without building one tree of the whole file (a 73 MB
 * baseline took 575 MB as a cJSON tree): the top-level members other than
 * "findings" are parsed into TOP, and each finding is parsed on its own and
 * reduced to its key. False (a malformed file) leaves B's keys to the caller.
 */
static bool parse_streaming(struct cl_baseline *b, const char *text, size_t len, cJSON *top,
	const char **findings, const char **findings_end, size_t *bad_finding)
{
	const char *p = skip_ws(text, text + len), *end = text + len;
	if (p == end || *p != '{')
		return false;
	for (p = skip_ws(p + 1, end); p < end && *p != '}';) {
		const char *ks = p, *ke = skip_value(p, end);
		if (!ke || *ks != '"')
			return false;
		cJSON *key = cJSON_ParseWithLength(ks, (size_t)(ke - ks));
		p = skip_ws(ke, end);
		const char *vs = p < end && *p == ':' ? skip_ws(p + 1, end) : NULL;
		const char *ve = vs ? skip_value(vs, end) : NULL;
		if (!cJSON_IsString(key) || !ve) {
			cJSON_Delete(key);
			return false;
		}
		if (!strcmp(key->valuestring, "findings")) {
			*findings = vs;
			*findings_end = ve;
		} else {
			cJSON *v = cJSON_ParseWithLength(vs, (size_t)(ve - vs));
			if (!v) {
				cJSON_Delete(key);
				return false;
			}
			cJSON_DeleteItemFromObjectCaseSensitive(top, key->valuestring);
			cJSON_AddItemToObject(top, key->valuestring, v);
		}
		cJSON_Delete(key);
		p = skip_ws(ve, end);
		if (p < end && *p == ',')
			p = skip_ws(p + 1, end);
		else if (p >= end || *p != '}')
			return false;
	}
	if (p >= end || skip_ws(p + 1, end) != end)
		return false;
	if (!*findings || **findings != '[')
		return true; /* the caller names what is missing */
	CL_VEC(char *) keys = { 0 };
	const char *q = skip_ws(*findings + 1, *findings_end);
	bool ok = true;
	while (ok && q < *findings_end && *q != ']') {
		const char *es = q, *ee = skip_value(q, *findings_end);
		cJSON *f = ee ? cJSON_ParseWithLength(es, (size_t)(ee - es)) : NULL;
		const char *rule = string_of(f, "rule"), *fp = string_of(f, "fingerprint");
		const cJSON *file = cJSON_GetObjectItemCaseSensitive(f, "file");
		if (!f || !cJSON_IsObject(f) || !rule || !fp || !(cJSON_IsString(file) || cJSON_IsNull(file))) {
			*bad_finding = keys.n + 1;
			ok = f != NULL; /* an element that is no JSON: a malformed file */
			cJSON_Delete(f);
			break;
		}
		cl_vec_push(&keys, key_of(rule, cJSON_IsString(file) ? file->valuestring : NULL, fp));
		cJSON_Delete(f);
		q = skip_ws(ee, *findings_end);
		if (q < *findings_end && *q == ',')
			q = skip_ws(q + 1, *findings_end);
		else if (q >= *findings_end || *q != ']')
			ok = false;
	}
	b->keys = keys.v ? keys.v : xcalloc(1, sizeof *b->keys);
	b->n = keys.n;
	return ok;
}

bool cl_baseline_load(struct cl_baseline *b, const char *path, char **err)
{
	memset(b, 0, sizeof *b);
	size_t len = 0;
	char *text = read_all(path, &len, err);
	if (!text)
		return false;
	cJSON *doc = cJSON_CreateObject();
	const char *findings = NULL, *findings_end = NULL;
	size_t bad = 0;
	bool ok = doc && parse_streaming(b, text, len, doc, &findings, &findings_end, &bad);
	bool array = findings && *findings == '[';
	free(text);
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(doc, "version");
	const char *format = string_of(doc, "format");
	if (!ok || !format || strcmp(format, FORMAT) != 0) {
		*err = xasprintf("%s: not a claudit baseline (write one with --write-baseline)", path);
	} else if (!cJSON_IsNumber(ver) || ver->valuedouble != VERSION) {
		*err = xasprintf("%s: baseline version not supported by this claudit (it reads version %d)",
			path, VERSION);
	} else if (!array) {
		*err = xasprintf("%s: baseline has no \"findings\" array", path);
	} else if (bad) {
		*err = xasprintf("%s: baseline finding %zu needs \"rule\", \"file\" and \"fingerprint\"", path, bad);
	} else {
		cJSON_Delete(doc);
		b->label = xstrdup(path);
		seal(b);
		return true;
	}
	cJSON_Delete(doc);
	cl_baseline_finish(b);
	return false;
}

static bool written(const struct cl_finding *f)
{
	return f->suppress_kind != CL_SUPPRESS_INLINE;
}

void cl_baseline_from_result(struct cl_baseline *b, const struct cl_result *r, const char *label)
{
	memset(b, 0, sizeof *b);
	size_t total = 0;
	for (int i = 0; i < CL_ITEM_COUNT; i++)
		total += r->items[i].findings.n;
	b->keys = xcalloc(total + 1, sizeof *b->keys);
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		const struct cl_item_result *ir = &r->items[i];
		for (size_t k = 0; k < ir->findings.n; k++) {
			const struct cl_finding *f = &ir->findings.v[k];
			if (written(f))
				b->keys[b->n++] = key_of(f->rule ? f->rule->id : NULL, f->loc.file, f->fingerprint);
		}
	}
	b->label = xstrdup(label ? label : "");
	seal(b);
}

void cl_baseline_finish(struct cl_baseline *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n; i++)
		free(b->keys[i]);
	free(b->keys);
	free(b->matched);
	free(b->label);
	memset(b, 0, sizeof *b);
}

size_t cl_baseline_apply(struct cl_baseline *b, struct cl_result *r)
{
	size_t marked = 0;
	char *reason = xasprintf("in the baseline %s", b->label ? b->label : "");
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		struct cl_item_result *ir = &r->items[i];
		for (size_t k = 0; k < ir->findings.n; k++) {
			struct cl_finding *f = &ir->findings.v[k];
			if (f->suppressed)
				continue;
			char *key = key_of(f->rule ? f->rule->id : NULL, f->loc.file, f->fingerprint);
			char **hit = b->n ? bsearch(&key, b->keys, b->n, sizeof *b->keys, cmp_key) : NULL;
			free(key);
			if (!hit)
				continue;
			b->matched[hit - b->keys] = true;
			cl_finding_suppress(f, CL_SUPPRESS_BASELINE, reason, 0);
			marked++;
		}
	}
	free(reason);
	return marked;
}

static int cmp_path(const void *key, const void *file)
{
	return strcmp(key, ((const struct cl_discovered *)file)->path);
}

/* KEY's entry could have been reported by this run. */
static bool in_scope(char *key, const struct cl_discovery *d, bool files_only)
{
	char *file = strchr(key, '\x1f'), *end = file ? strchr(file + 1, '\x1f') : NULL;
	if (!end)
		return false;
	*file = *end = 0;
	const struct cl_rule *rule = cl_registry_rule(key);
	const struct cl_item *it = rule ? cl_registry_item(rule->item) : NULL;
	bool in = !*(file + 1) ? !files_only :
		bsearch(file + 1, d->files, d->nfiles, sizeof *d->files, cmp_path) != NULL &&
		!(files_only && it && it->repo_level);
	*file = *end = '\x1f';
	return in;
}

size_t cl_baseline_unmatched(const struct cl_baseline *b, const struct cl_discovery *d,
	bool files_only)
{
	size_t n = 0;
	for (size_t i = 0; i < b->n; i++)
		n += !b->matched[i] && in_scope(b->keys[i], d, files_only);
	return n;
}

static cJSON *must(cJSON *j)
{
	if (!j) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	return j;
}

bool cl_baseline_write(const struct cl_result *r, const char *path, const char *version, char **err)
{
	cJSON *doc = must(cJSON_CreateObject());
	cJSON_AddItemToObject(doc, "format", must(cJSON_CreateString(FORMAT)));
	cJSON_AddItemToObject(doc, "version", must(cJSON_CreateNumber(VERSION)));
	cJSON_AddItemToObject(doc, "tool_version", must(cJSON_CreateString(version ? version : "")));
	cJSON *arr = must(cJSON_CreateArray());
	cJSON_AddItemToObject(doc, "findings", arr);
	for (int i = 0; i < CL_ITEM_COUNT; i++) {
		const struct cl_item_result *ir = &r->items[i];
		for (size_t k = 0; k < ir->findings.n; k++) {
			const struct cl_finding *f = &ir->findings.v[k];
			if (!written(f))
				continue;
			cJSON *o = must(cJSON_CreateObject());
			cJSON_AddItemToObject(o, "rule", must(cJSON_CreateString(f->rule ? f->rule->id : "")));
			char *file = f->loc.file ? redacted(f->loc.file) : NULL;
			char *msg = redacted(f->message ? f->message : "");
			cJSON_AddItemToObject(o, "file", must(file ? cJSON_CreateString(file) : cJSON_CreateNull()));
			cJSON_AddItemToObject(o, "fingerprint", must(cJSON_CreateString(f->fingerprint)));
			cJSON_AddItemToObject(o, "line", must(cJSON_CreateNumber(f->loc.line)));
			cJSON_AddItemToObject(o, "message", must(cJSON_CreateString(msg)));
			free(file);
			free(msg);
			cJSON_AddItemToArray(arr, o);
		}
	}
	char *text = cJSON_Print(doc);
	cJSON_Delete(doc);
	if (!text) {
		fputs("claudit: out of memory\n", stderr);
		exit(3);
	}
	struct cl_outfile out;
	char *why = NULL;
	bool ok = cl_outfile_open(&out, path, &why);
	if (ok) {
		fputs(text, out.f);
		fputc('\n', out.f);
		ok = cl_outfile_commit(&out, &why);
	}
	if (!ok)
		*err = xasprintf("%s: cannot write the baseline: %s", path, why);
	free(why);
	cJSON_free(text);
	return ok;
}
