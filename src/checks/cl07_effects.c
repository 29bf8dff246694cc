/*
 * cl07_effects.c — CL07: which calls on a tool's path are side effects. A
 * callee's text names a payment, a message, an HTTP write or a database
 * write; a client of a service's SDK (a module imported from outside the
 * tree) writes through the methods its vendor documents (rules/CL07.json
 * vendor_*: Notion pages.create, Twilio messages.create, ...) or through a
 * method named for a write (sdk_write); adding a job to a queue (BullMQ
 * add, Celery delay / apply_async, RQ enqueue, SQS send_message) runs it
 * again when the tool call is repeated, unless its job id comes from the
 * tool call (queue_key). An HTTP POST to a search, query or retrieval
 * endpoint, or made by a function or for a tool named for one, is a read.
 * Every list is data.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "checks/checks.h"
#include "checks/cl07.h"
#include "rules/patterns.h"

static const char *const pat_keys[P_COUNT] = {
	"tool_branch", "dispatch", "payment", "payment_words", "payment_tools", "message", "http_write", "http_request",
	"http_method", "db_write", "sql_write", "idempotent", "tool_name", "other_agent", "other_model", "sdk_write",
	"local_module", "vendor_payment", "vendor_message", "vendor_write", "vendor_queue", "queue_add", "queue_key", "read_url",
	"read_name", "registered", "register_call",
};

const struct cl_pattern *cl07_pattern(enum cl07_pat k)
{
	return cl_patterns_get(CL_ITEM(CL07), pat_keys[k]);
}

bool cl07_find(enum cl07_pat k, const char *s, size_t len, size_t from, size_t *at)
{
	return cl_pattern_find(cl07_pattern(k), s, len, from, at, NULL);
}

bool cl07_matches(enum cl07_pat k, const char *s, size_t len)
{
	return cl07_find(k, s, len, 0, NULL);
}

bool cl07_in_comment(const char *s, size_t at)
{
	size_t bol = at;
	while (bol > 0 && s[bol - 1] != '\n')
		bol--;
	for (size_t i = bol; i < at; i++)
		if (s[i] == '#' || (s[i] == '/' && i + 1 < at && s[i + 1] == '/'))
			return true;
	return false;
}

bool cl07_matches_code(enum cl07_pat k, const char *s, size_t len)
{
	size_t at;
	for (size_t from = 0; cl07_find(k, s, len, from, &at); from = at + 1)
		if (!cl07_in_comment(s, at))
			return true;
	return false;
}

/* Where the argument list of the call at [S, E) of T opens (or its tagged
 * template, db.exec`INSERT ...`). */
static size_t args_open(const char *t, size_t s, size_t e)
{
	size_t open = e;
	if (e > s && t[e - 1] == '`') {
		const char *tick = memchr(t + s, '`', e - s);
		open = (size_t)(tick - t);
	} else if (e > s && t[e - 1] == ')') {
		int depth = 0;
		for (size_t i = e; i-- > s;) {
			if (t[i] == ')')
				depth++;
			else if (t[i] == '(' && --depth == 0) {
				open = i;
				break;
			}
		}
	}
	return open;
}

const char *cl07_callee_text(const char *t, size_t s, size_t e, char *buf, size_t cap)
{
	size_t open = args_open(t, s, e);
	size_t n = 0;
	for (size_t i = s; i < open && n + 1 < cap; i++)
		if (t[i] != ' ' && t[i] != '\n' && t[i] != '\t' && t[i] != '\r')
			buf[n++] = t[i];
	/* a generic call's type arguments are no part of the callee
	 * (this.client.post<Reply<User>>(...)) */
	int depth = 0;
	for (size_t i = n; n && buf[n - 1] == '>' && i-- > 0;) {
		depth += buf[i] == '>' ? 1 : buf[i] == '<' ? -1 : 0;
		if (depth == 0) {
			char c = i > 0 ? (char)(buf[i - 1] | 32) : 0;
			if (c == '_' || c == '$' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
				n = i;
			break;
		}
	}
	buf[n] = 0;
	return buf;
}

/* The kind of side effect the callee's text names (payment, message, HTTP
 * write, database write), or NULL. */
static const char *named_effect(const char *callee, const char *call, size_t call_len, bool *payment, bool *sql)
{
	size_t cl = strlen(callee);
	*payment = false;
	if (cl07_matches(P_PAYMENT, callee, cl)) {
		*payment = true;
		return "a payment";
	}
	if (cl07_matches(P_MESSAGE, callee, cl))
		return "a message (email / SMS / chat)";
	if (cl07_matches(P_HTTP_WRITE, callee, cl) ||
	    (cl07_matches(P_HTTP_REQUEST, callee, cl) && cl07_matches(P_HTTP_METHOD, call, call_len))) {
		*payment = cl07_matches(P_PAYMENT_WORDS, call, call_len);
		return *payment ? "a payment (an HTTP write)" : "an HTTP write";
	}
	/* SQL text written by this call, not by one among its arguments
	 * (Promise.all(rows.map((r) => pool.query("INSERT ...")))) */
	size_t open = args_open(call, 0, call_len), at;
	if (cl07_find(P_SQL_WRITE, call, call_len, 0, &at) && at < open) {
		*sql = true;
		return "a database write";
	}
	return cl07_matches(P_DB_WRITE, callee, cl) ? "a database write" : NULL;
}

/* The module from outside the tree that the receiver of F's call REF comes
 * from (through a module of the tree that exports a client made from one:
 * `sheets = smartsheet.Smartsheet()`), when it is no local library
 * (local_module: logging, argparse, document builders); else NULL. */
static const char *service_module(const struct cl_project *p, const struct cl_file_facts *f, const struct cl_ref *ref)
{
	const char *m = ref->recv_module;
	if (!m)
		return NULL;
	for (size_t k = 0; k < f->imported_modules.n; k++) {
		const struct cl_file_facts *g = strcmp(f->imported_modules.v[k], m) ? NULL : cl_project_import_file(p, f, k);
		if (!g)
			continue;
		const struct cl_value *v = NULL;
		for (size_t e = g->exports.n; ref->recv_name && !v && e-- > 0;)
			if (!strcmp(g->exports.v[e].name, ref->recv_name))
				v = g->exports.v[e].val;
		if (!v || v->kind != CL_V_IMPORT || !v->module)
			return NULL;
		m = v->module;
		f = g;
		break;
	}
	if (m[0] == '.' || cl07_matches(P_LOCAL_MODULE, m, strlen(m)))
		return NULL;
	for (size_t k = 0; k < f->imported_modules.n; k++)
		if (!strcmp(f->imported_modules.v[k], m) && cl_project_import_file(p, f, k))
			return NULL; /* a module of the tree: followed, not judged */
	if ((m[0] == '@' && m[1] == '/') || m[0] == '~' || m[0] == '#' || m[0] == '$')
		return NULL; /* an alias into the tree (@/lib, ~/lib, #lib, $lib) */
	/* a module whose path a file of the tree ends with (`agent.core.storage`
	 * from a service root the imports were not resolved from) */
	char path[256];
	size_t n = 0;
	for (const char *c = m; *c && n + 1 < sizeof path; c++)
		path[n++] = f->lang == CL_LANG_PYTHON && *c == '.' ? '/' : *c;
	path[n] = 0;
	for (size_t k = 0; n && k < p->nfiles; k++) {
		const char *fp = p->files[k]->path, *dot = strrchr(fp, '.');
		size_t fl = dot && !strchr(dot, '/') ? (size_t)(dot - fp) : strlen(fp);
		if (fl >= 9 && !memcmp(fp + fl - 9, "/__init__", 9))
			fl -= 9;
		if (fl >= n && !memcmp(fp + fl - n, path, n) && (fl == n || fp[fl - n - 1] == '/'))
			return NULL;
	}
	return m;
}

/* A write through a service's SDK: the vendor's documented methods on a
 * client of its package (vendor_*, matched against "MODULE CALLEE"), or a
 * method named for a write (sdk_write) on any service's client. */
static const char *vendor_effect(const struct cl_project *p, const struct cl_file_facts *f, const struct cl_ref *ref,
	const char *callee, struct cl07_effect *e)
{
	const char *m = service_module(p, f, ref);
	if (!m)
		return NULL;
	char both[320];
	int n = snprintf(both, sizeof both, "%s %s", m, callee);
	size_t bl = n < 0 ? 0 : (size_t)n < sizeof both ? (size_t)n : sizeof both - 1;
	if (cl07_matches(P_VENDOR_QUEUE, both, bl))
		return "a queued job";
	if (cl07_matches(P_VENDOR_PAYMENT, both, bl)) {
		e->payment = true;
		snprintf(e->buf, sizeof e->buf, "a payment through %.100s", m);
	} else if (cl07_matches(P_VENDOR_MESSAGE, both, bl)) {
		snprintf(e->buf, sizeof e->buf, "a message through %.100s", m);
	} else if (cl07_matches(P_VENDOR_WRITE, both, bl) || cl07_matches(P_SDK_WRITE, ref->name, strlen(ref->name))) {
		snprintf(e->buf, sizeof e->buf, "a write through %.100s", m);
	} else {
		return NULL;
	}
	return e->buf;
}

/* The HTTP POST CALL is a read: its URL names a search, query or retrieval
 * endpoint (read_url), or the function making it, or the tool it runs for,
 * is named for a read (read_name). */
static bool read_post(const struct cl_file_facts *f, const struct cl_ref *ref, const char *callee, const char *call,
	size_t call_len, const char *tool)
{
	size_t cl = strlen(callee), at;
	bool post = cl >= 5 && !strcasecmp(callee + cl - 5, ".post");
	if (!post && cl07_find(P_HTTP_METHOD, call, call_len, 0, &at)) {
		size_t n = call_len - at < 40 ? call_len - at : 40;
		post = memmem(call + at, n, "POST", 4) || memmem(call + at, n, "post", 4);
	}
	if (!post)
		return false; /* a PUT, PATCH or DELETE stays a write */
	if (cl07_matches(P_READ_URL, call, call_len) || (tool && *tool && cl07_matches(P_READ_NAME, tool, strlen(tool))))
		return true;
	int fn = cl_facts_enclosing(f, ref->region, CL_R_FUNCTION);
	const char *name = fn >= 0 ? f->regions.v[fn].name : NULL;
	return name && cl07_matches(P_READ_NAME, name, strlen(name));
}

bool cl07_effect(const struct cl_project *p, const struct cl_file_facts *f, const struct cl_ref *ref,
	const char *text, size_t len, const char *tool, struct cl07_effect *e)
{
	memset(e, 0, sizeof *e);
	if (ref->span.end > len || ref->span.start > ref->span.end)
		return false;
	const char *call = text + ref->span.start;
	size_t call_len = ref->span.end - ref->span.start;
	cl07_callee_text(text, ref->span.start, ref->span.end, e->callee, sizeof e->callee);
	/* a queued job first: SQS's send_message is no message */
	if (cl07_matches(P_QUEUE_ADD, call, call_len)) {
		e->kind = "a queued job";
		e->keyed = cl07_matches_code(P_QUEUE_KEY, call, call_len);
		return true;
	}
	e->kind = named_effect(e->callee, call, call_len, &e->payment, &e->sql);
	if (e->kind && !e->payment && !strcmp(e->kind, "an HTTP write") && read_post(f, ref, e->callee, call, call_len, tool))
		e->kind = NULL;
	if (!e->kind || !strcmp(e->kind, "a database write")) {
		/* the vendor's own method names it better than a guess by name */
		const char *v = vendor_effect(p, f, ref, e->callee, e);
		if (v)
			e->kind = v;
		e->keyed = v && !strcmp(v, "a queued job") && cl07_matches_code(P_QUEUE_KEY, call, call_len);
	}
	return e->kind != NULL;
}
