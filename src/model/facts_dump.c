/*
 * facts_dump.c — `claudit --dump-facts`: the linked facts of a scan as one
 * deterministic JSON document (files by path, facts in source order), for
 * tests/facts and for people writing adapters. Values are described in
 * short text after linking (imports followed); string values print only
 * when they name a model, so no secret is ever printed.
 */
#include "model/facts_dump.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/callgraph.h"
#include "adapters/settings.h"
#include "adapters/surface.h"
#include "support/xalloc.h"

/* indexed by enum cl_client_kind / enum cl_call_kind (facts.h) */
static const char *const client_kinds[] = {"sdk", "cloud", "derived", "langchain", "llamaindex",
	"aisdk-provider", "adapter"};
static const char *const call_kinds[] = {"sdk", "raw-http", "aisdk", "litellm", "wrapper", "adapter"};
_Static_assert(sizeof client_kinds / sizeof *client_kinds == CL_CLIENT_ADAPTER + 1, "client_kinds");
_Static_assert(sizeof call_kinds / sizeof *call_kinds == CL_CALL_ADAPTER + 1, "call_kinds");
static const char *const region_kinds[] = {"function", "class", "loop", "try", "handler"};

static cJSON *check(cJSON *j)
{
	if (!j)
		abort();
	return j;
}

static void add_str(cJSON *o, const char *k, const char *v)
{
	cJSON_AddItemToObject(o, k, v ? check(cJSON_CreateString(v)) : check(cJSON_CreateNull()));
}

static void add_num(cJSON *o, const char *k, double v)
{
	cJSON_AddItemToObject(o, k, check(cJSON_CreateNumber(v)));
}

static void add_bool(cJSON *o, const char *k, bool v)
{
	cJSON_AddItemToObject(o, k, check(cJSON_CreateBool(v)));
}

/* "path:line" of a client, or NULL. */
static char *client_at(const struct cl_file_facts *f, int index)
{
	if (!f || index < 0 || (size_t)index >= f->clients.n)
		return NULL;
	return xasprintf("%s:%u", f->path, f->clients.v[index].span.line);
}

static bool modelish(const char *s)
{
	return !strncmp(s, "claude", 6) || !strncmp(s, "anthropic", 9) || strstr(s, ".claude-") ||
		strstr(s, "/claude-");
}

static bool matters(const struct cl_project *p, const struct cl_value *v, int depth);

/* V described in a line of text, imports followed (DEPTH bounds nesting);
 * of an object or a class, the members that carry a client or a model. */
static void describe(const struct cl_project *p, const struct cl_value *v, char *buf, size_t cap, int depth)
{
	const struct cl_value *r = cl_project_resolve(p, v);
	const char *alt = r->alt || v->alt ? " (one alternative)" : "";
	char inner[256];
	switch (r->kind) {
	case CL_V_CLIENT: {
		char *at = client_at(r->owner, r->client);
		snprintf(buf, cap, "client %s%s", at ? at : "(typed)", alt);
		free(at);
		return;
	}
	case CL_V_AI_MODEL:
		snprintf(buf, cap, "model %s%s", r->str && *r->str ? r->str : "(unknown id)", alt);
		return;
	case CL_V_STRING:
		if (modelish(r->str) && r->len < 100)
			snprintf(buf, cap, "string \"%s\"%s", r->str, alt);
		else
			snprintf(buf, cap, "string (%zu bytes%s)%s", r->len, r->open ? ", open" : "", alt);
		return;
	case CL_V_FUNCTION:
		if (depth > 3 || !r->ret) {
			snprintf(buf, cap, "function");
			return;
		}
		describe(p, r->ret, inner, sizeof inner, depth + 1);
		snprintf(buf, cap, "function -> %s", inner);
		return;
	case CL_V_CLASS:
	case CL_V_OBJECT: {
		size_t used = (size_t)snprintf(buf, cap, "%s {", r->kind == CL_V_CLASS ? "class" : "object");
		bool first = true;
		for (size_t i = 0; i < r->npairs && used < cap; i++) {
			if (depth > 3) {
				used += (size_t)snprintf(buf + used, cap - used, "…");
				break;
			}
			if (!matters(p, r->pairs[i].val, depth + 1))
				continue;
			describe(p, r->pairs[i].val, inner, sizeof inner, depth + 1);
			used += (size_t)snprintf(buf + used, cap - used, "%s%s: %s", first ? "" : ", ", r->pairs[i].key, inner);
			first = false;
		}
		if (used < cap)
			snprintf(buf + used, cap - used, "}");
		return;
	}
	case CL_V_NUMBER:
		snprintf(buf, cap, "number %g", r->num);
		return;
	case CL_V_BOOL:
		snprintf(buf, cap, "bool %s", r->b ? "true" : "false");
		return;
	case CL_V_NULL:
		snprintf(buf, cap, "null");
		return;
	case CL_V_UNKNOWN:
		if (v->kind == CL_V_IMPORT)
			snprintf(buf, cap, "unresolved import %s from %s", v->name, v->module);
		else
			snprintf(buf, cap, "unknown%s", r->taint ? " (request data)" : "");
		return;
	default:
		snprintf(buf, cap, "%s", r->kind == CL_V_ARRAY ? "array" : r->kind == CL_V_SIGNAL ? "signal" :
			r->kind == CL_V_PATH ? "path" : "value");
		return;
	}
}

/* Exports worth showing: the values the semantic model links across files. */
static bool matters(const struct cl_project *p, const struct cl_value *v, int depth)
{
	const struct cl_value *r = cl_project_resolve(p, v);
	if (r->kind == CL_V_CLIENT || r->kind == CL_V_AI_MODEL)
		return true;
	if (depth > 2)
		return false;
	if (r->kind == CL_V_FUNCTION)
		return r->ret && matters(p, r->ret, depth + 1);
	if (r->kind == CL_V_CLASS)
		for (size_t i = 0; i < r->npairs; i++)
			if (matters(p, r->pairs[i].val, depth + 1))
				return true;
	return false;
}

static const char *const loop_shapes[] = {"condition", "forever", "range", "collection"};
_Static_assert(sizeof loop_shapes / sizeof *loop_shapes == CL_LOOP_COLLECTION + 1, "loop_shapes");

/* The comparisons V[0..N) (a loop's condition, or a body's guards). */
static cJSON *compares_json(const struct cl_project *p, const struct cl_compare *v, size_t n, bool guards)
{
	char buf[256];
	cJSON *a = check(cJSON_CreateArray());
	for (size_t i = 0; i < n; i++) {
		const struct cl_compare *k = &v[i];
		cJSON *j = check(cJSON_CreateObject());
		add_num(j, "line", k->span.line);
		add_str(j, "counter", k->counter);
		add_str(j, "op", k->op);
		add_bool(j, "length", k->length);
		add_bool(j, "local", k->local);
		add_bool(j, "updated", k->updated);
		add_str(j, "limit", k->limit_text);
		describe(p, k->limit, buf, sizeof buf, 0);
		add_str(j, "value", buf);
		add_str(j, "from", k->limit_from);
		if (k->limit_line)
			add_num(j, "from_line", k->limit_line);
		if (guards)
			add_bool(j, "exits", k->exits);
		cJSON_AddItemToArray(a, j);
	}
	return a;
}

static cJSON *file_json(const struct cl_project *p, const struct cl_file_facts *f)
{
	char buf[1024];
	cJSON *o = check(cJSON_CreateObject());
	add_str(o, "path", f->path);
	add_str(o, "lang", cl_lang_name(f->lang));
	if (f->script_entry) {
		cJSON *e = check(cJSON_AddObjectToObject(o, "script_entry"));
		add_str(e, "kind", f->script_entry);
		add_num(e, "line", f->script_span.line);
	}
	if (f->runnable_routes.n) {
		cJSON *rs = check(cJSON_AddArrayToObject(o, "runnable_routes"));
		for (size_t i = 0; i < f->runnable_routes.n; i++) {
			cJSON *e = check(cJSON_CreateObject());
			add_str(e, "kind", f->runnable_routes.v[i].kind);
			add_num(e, "line", f->runnable_routes.v[i].span.line);
			add_str(e, "runnable", f->runnable_routes.v[i].name);
			add_bool(e, "reaches_claude", f->runnable_routes.v[i].reaches_claude);
			cJSON_AddItemToArray(rs, e);
		}
	}
	cJSON *clients = check(cJSON_AddArrayToObject(o, "clients"));
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_client *c = &f->clients.v[i];
		cJSON *j = check(cJSON_CreateObject());
		add_num(j, "line", c->span.line);
		add_str(j, "kind", client_kinds[c->kind]);
		add_str(j, "class", c->cls);
		cJSON *keys = check(cJSON_AddArrayToObject(j, "options"));
		for (size_t k = 0; c->opts && k < c->opts->npairs; k++)
			cJSON_AddItemToArray(keys, check(cJSON_CreateString(c->opts->pairs[k].key)));
		cJSON_AddItemToArray(clients, j);
	}
	cJSON *calls = check(cJSON_AddArrayToObject(o, "calls"));
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *c = &f->calls.v[i];
		cJSON *j = check(cJSON_CreateObject());
		add_num(j, "line", c->span.line);
		add_str(j, "kind", call_kinds[c->kind]);
		add_str(j, "method", c->method);
		add_bool(j, "claude", c->claude);
		char *at = client_at(c->client_file, c->client_index);
		add_str(j, "client", at);
		free(at);
		const struct cl_value *model = cl_value_get(c->params, "model");
		if (model) {
			describe(p, model, buf, sizeof buf, 0);
			add_str(j, "model", buf);
		} else {
			add_str(j, "model", NULL);
		}
		/* the effective settings, with their provenance (settings.c) */
		struct cl_settings st;
		cl_settings_of_call(p, f, c, &st);
		cJSON *sj = check(cl_settings_to_json(&st));
		cJSON *adapter = cJSON_DetachItemFromObjectCaseSensitive(sj, "adapter");
		cJSON *settings = cJSON_DetachItemFromObjectCaseSensitive(sj, "settings");
		cJSON_Delete(sj);
		cJSON_AddItemToObject(j, "adapter", adapter ? adapter : check(cJSON_CreateNull()));
		cJSON_AddItemToObject(j, "settings", settings ? settings : check(cJSON_CreateObject()));
		/* a batch: each request's own settings */
		size_t nreq = cl_settings_batch_size(p, f, c);
		if (nreq) {
			cJSON *reqs = check(cJSON_AddArrayToObject(j, "batch_requests"));
			for (size_t k = 0; k < nreq; k++) {
				const struct cl_span *at;
				cl_settings_of_batch_request(p, f, c, k, &st, &at);
				cJSON *rj = check(cJSON_CreateObject());
				add_num(rj, "line", at->line);
				cJSON *rs = check(cl_settings_to_json(&st));
				cJSON *rset = cJSON_DetachItemFromObjectCaseSensitive(rs, "settings");
				cJSON_Delete(rs);
				cJSON_AddItemToObject(rj, "settings", rset ? rset : check(cJSON_CreateObject()));
				cJSON_AddItemToArray(reqs, rj);
			}
		}
		cJSON_AddItemToArray(calls, j);
	}
	cJSON *regions = check(cJSON_AddArrayToObject(o, "regions"));
	for (size_t i = 0; i < f->regions.n; i++) {
		const struct cl_region *r = &f->regions.v[i];
		cJSON *j = check(cJSON_CreateObject());
		add_num(j, "line", r->span.line);
		add_num(j, "end_line", r->span.end_line);
		add_str(j, "kind", region_kinds[r->kind]);
		add_str(j, "name", r->name);
		add_num(j, "parent", r->parent);
		add_bool(j, "route", r->route);
		if (r->entry)
			add_str(j, "entry", r->entry);
		if (r->entry && cl_entry_web_request(r->entry))
			add_bool(j, "web_request", true);
		if (r->entry_guard)
			add_str(j, "entry_guard", r->entry_guard);
		if (r->entry_skip)
			add_str(j, "entry_skip", r->entry_skip);
		add_bool(j, "reaches_claude", r->reaches_claude);
		if (r->loop) {
			cJSON *l = check(cJSON_AddObjectToObject(j, "loop"));
			add_str(l, "shape", loop_shapes[r->loop->shape]);
			cJSON_AddItemToObject(l, "condition", compares_json(p, r->loop->cond, r->loop->ncond, false));
			cJSON *u = check(cJSON_AddArrayToObject(l, "updated"));
			for (size_t k = 0; k < r->loop->nupdated; k++)
				cJSON_AddItemToArray(u, check(cJSON_CreateString(r->loop->updated[k])));
		}
		if (r->nguards)
			cJSON_AddItemToObject(j, "guards", compares_json(p, r->guards, r->nguards, true));
		cJSON_AddItemToArray(regions, j);
	}
	cJSON *edges = check(cJSON_AddArrayToObject(o, "call_edges"));
	for (size_t i = 0; i < f->refs.n; i++) {
		const struct cl_ref *r = &f->refs.v[i];
		cJSON *j = check(cJSON_CreateObject());
		add_num(j, "line", r->span.line);
		add_str(j, "callee", r->name);
		add_str(j, "how", r->how == CL_REF_PLAIN ? "plain" : r->how == CL_REF_SELF ? "self" : "member");
		if (r->cls)
			add_str(j, "receiver_class", r->cls);
		if (r->recv_module)
			add_str(j, "receiver_module", r->recv_module);
		add_num(j, "region", r->region);
		add_bool(j, "reaches_claude", r->reaches_claude);
		struct cl_fn to[16];
		size_t nt = cl_callgraph_callees(p, f, i, to, 16);
		cJSON *targets = check(cJSON_AddArrayToObject(j, "targets"));
		for (size_t k = 0; k < nt && k < 16; k++) {
			char *at = xasprintf("%s:%u", to[k].file->path, to[k].file->regions.v[to[k].region].span.line);
			cJSON_AddItemToArray(targets, check(cJSON_CreateString(at)));
			free(at);
		}
		cJSON_AddItemToArray(edges, j);
	}
	cJSON *bindings = check(cJSON_AddArrayToObject(o, "bindings"));
	for (size_t i = 0; i < f->exports.n; i++) {
		const struct cl_export *e = &f->exports.v[i];
		if (!matters(p, e->val, 0))
			continue;
		cJSON *j = check(cJSON_CreateObject());
		add_str(j, "name", e->name);
		describe(p, e->val, buf, sizeof buf, 0);
		add_str(j, "value", buf);
		cJSON_AddItemToArray(bindings, j);
	}
	return o;
}

bool cl_facts_dump(FILE *out, const struct cl_project *p)
{
	cJSON *root = check(cJSON_CreateObject());
	cJSON *files = check(cJSON_AddArrayToObject(root, "files"));
	for (size_t i = 0; i < p->nfiles; i++) {
		const struct cl_file_facts *f = p->files[i];
		if (f->lang == CL_LANG_TEXT)
			continue;
		if (!f->clients.n && !f->calls.n && !f->exports.n && !f->regions.n)
			continue;
		cJSON_AddItemToArray(files, file_json(p, f));
	}
	char *s = cJSON_Print(root);
	cJSON_Delete(root);
	if (!s)
		abort();
	bool ok = fputs(s, out) >= 0 && fputc('\n', out) != EOF;
	free(s);
	return ok;
}
