/*
 * settings.c — effective settings of Claude calls and clients: looks each
 * setting's keys up in the request, its options and the client chain, in
 * the order the adapter record gives, and falls back to the record's
 * default.
 */
#include "adapters/settings.h"

#include <string.h>

/* The client a call or a with_options() child derives from, or {NULL, -1}. */
static struct cl_client_ref parent_ref(const struct cl_project *p, struct cl_client_ref ref)
{
	const struct cl_client *c = cl_project_client(ref);
	struct cl_client_ref none = {NULL, -1};
	if (!c || c->kind != CL_CLIENT_DERIVED)
		return none;
	if (c->parent >= 0) {
		struct cl_client_ref up = {ref.file, c->parent};
		return up;
	}
	if (c->parent_ref) {
		const struct cl_value *v = cl_project_resolve(p, c->parent_ref);
		if (v->kind == CL_V_CLIENT) {
			struct cl_client_ref up = {v->owner, v->client};
			return up;
		}
	}
	return none;
}

/* Looks KEY up in OBJ: found (EXPLICIT), or UNKNOWN when OBJ is open. */
static bool look(const struct cl_project *p, const struct cl_value *obj, const struct cl_adapter_key *key,
	struct cl_setting *out, bool *open)
{
	if (!obj)
		return false;
	const struct cl_value *v = strchr(key->path, '.') ? cl_value_path(obj, key->path) : cl_value_get(obj, key->path);
	if (!v) {
		if (obj->kind == CL_V_OBJECT && obj->open)
			*open = true;
		/* a path through a value that cannot be read (`options=make_options()`,
		 * an options object spread from elsewhere) may hold it */
		char prefix[128];
		for (const char *dot = strchr(key->path, '.'); dot && !*open; dot = strchr(dot + 1, '.')) {
			size_t n = (size_t)(dot - key->path);
			if (n >= sizeof prefix)
				break;
			memcpy(prefix, key->path, n);
			prefix[n] = 0;
			const struct cl_value *pv = cl_value_path(obj, prefix);
			if (!pv)
				break;
			pv = cl_project_resolve(p, pv);
			*open = pv->kind == CL_V_OBJECT ? pv->open : pv->kind != CL_V_NULL;
		}
		return false;
	}
	out->key = key->path;
	out->scope = key->scope;
	if (v->maybe) {
		/* `if system: body["system"] = system`: may be set, so not known */
		out->prov = CL_PROV_UNKNOWN;
		out->maybe = v;
		return true;
	}
	out->prov = CL_PROV_EXPLICIT;
	out->written = v;
	out->value = cl_project_resolve(p, v);
	return true;
}

/* Looks KEY up along the client chain from REF (the client itself first). */
static bool look_client(const struct cl_project *p, struct cl_client_ref ref, const struct cl_adapter_key *key,
	bool chain, struct cl_setting *out, bool *open)
{
	for (int hop = 0; hop < 8 && ref.file; hop++) {
		const struct cl_client *c = cl_project_client(ref);
		if (!c)
			return false;
		if (look(p, c->opts, key, out, open)) {
			out->client = c;
			return true;
		}
		if (!chain)
			return false;
		ref = parent_ref(p, ref);
	}
	return false;
}

static void resolve_setting(const struct cl_project *p, const struct cl_adapter_setting *spec,
	const struct cl_value *params, const struct cl_value *opts, struct cl_client_ref client,
	bool client_known, bool chain, struct cl_setting *out)
{
	memset(out, 0, sizeof *out);
	out->spec = spec;
	bool open = false;
	for (size_t k = 0; k < spec->nkeys; k++) {
		const struct cl_adapter_key *key = &spec->keys[k];
		bool found = false;
		switch (key->scope) {
		case CL_KEY_PARAMS:
			found = look(p, params, key, out, &open);
			break;
		case CL_KEY_OPTIONS:
			found = look(p, opts, key, out, &open);
			break;
		case CL_KEY_CLIENT:
			if (client.file)
				found = look_client(p, client, key, chain, out, &open);
			else if (opts && cl_value_get(opts, "__client__")) /* a handle's options */
				found = look(p, cl_value_get(opts, "__client__"), key, out, &open);
			else if (!client_known)
				open = true; /* a receiver that cannot be traced may set it */
			break;
		}
		if (found)
			return;
	}
	out->prov = open ? CL_PROV_UNKNOWN : CL_PROV_DEFAULT;
}

static const char *model_id(const struct cl_setting *m)
{
	if (m->prov != CL_PROV_EXPLICIT)
		return NULL;
	if (m->value->kind == CL_V_STRING && !m->value->open)
		return m->value->str;
	if (m->value->kind == CL_V_AI_MODEL && m->value->str && m->value->str[0])
		return m->value->str;
	return NULL;
}

static void fill(const struct cl_project *p, const struct cl_adapter *a, const char *method,
	const struct cl_value *params, const struct cl_value *opts, struct cl_client_ref client,
	bool client_known, bool chain, struct cl_settings *out)
{
	memset(out, 0, sizeof *out);
	out->adapter = a;
	if (!a)
		return;
	for (int i = 0; i < CL_SET_COUNT; i++) {
		const struct cl_adapter_setting *spec = &a->set[i];
		if (!cl_adapter_setting_on(spec, method))
			continue;
		resolve_setting(p, spec, params, opts, client, client_known, chain, &out->s[i]);
	}
	out->model = model_id(&out->s[CL_SET_MODEL]);
}

/* The record of CALL: its client's (through with_options), else its own. */
static const struct cl_adapter *adapter_of_call(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, struct cl_client_ref ref, const struct cl_client *c)
{
	const struct cl_adapter *a = NULL;
	bool python = f->lang == CL_LANG_PYTHON;
	/* a call through a client belongs to the client's record */
	if (c && !call->adapter) {
		const struct cl_client *root = c;
		struct cl_client_ref r = ref;
		for (int hop = 0; hop < 8 && root && root->kind == CL_CLIENT_DERIVED; hop++) {
			r = parent_ref(p, r);
			root = cl_project_client(r);
		}
		if (root)
			a = cl_adapters_of_client(root, r.file->lang == CL_LANG_PYTHON);
	}
	return a ? a : cl_adapters_of_call(call, python);
}

static bool signal_key(const char *key)
{
	const char *k = strrchr(key, '.');
	k = k ? k + 1 : key;
	return !strcmp(k, "signal") || !strcmp(k, "abortSignal");
}

void cl_settings_of_call(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, struct cl_settings *out)
{
	struct cl_client_ref ref = cl_project_call_client(call);
	const struct cl_client *c = cl_project_client(ref);
	const struct cl_adapter *a = adapter_of_call(p, f, call, ref, c);
	/* a call with no receiver (a function) has no client to look at */
	bool known = c != NULL || !call->client;
	fill(p, a, call->method, call->params, call->opts, ref, known, true, out);
	/* a timeout or an abort signal taken from a parameter: known when every
	 * caller passes a number or a timer's signal; with one passing no
	 * signal, the keys after it decide */
	struct cl_setting *t = &out->s[CL_SET_TIMEOUT];
	if (t->prov != CL_PROV_EXPLICIT || t->scope == CL_KEY_CLIENT)
		return;
	const struct cl_file_facts *by;
	unsigned line;
	switch (cl_signal_from_callers(p, f, call, t->written, signal_key(t->key), &by, &line)) {
	case CL_SIGNAL_NOT_PARAMETER:
	case CL_SIGNAL_TIMER:
		return;
	case CL_SIGNAL_UNKNOWN:
		t->prov = CL_PROV_UNKNOWN;
		t->from_callers = true;
		return;
	case CL_SIGNAL_NONE:
		break;
	}
	struct cl_adapter_setting rest = *t->spec;
	size_t n = 0;
	for (size_t k = 0; k < rest.nkeys; k++)
		if (!signal_key(rest.keys[k].path))
			rest.keys[n++] = rest.keys[k];
	rest.nkeys = n;
	resolve_setting(p, &rest, call->params, call->opts, ref, known, true, t);
	t->spec = &a->set[CL_SET_TIMEOUT];
	if (t->prov == CL_PROV_DEFAULT) {
		t->unsignalled = by;
		t->unsignalled_line = line;
	}
}

/* The requests of batch CALL (an ARRAY), or NULL; *A its record. */
static const struct cl_value *batch_requests(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, const struct cl_adapter **a)
{
	struct cl_client_ref ref = cl_project_call_client(call);
	*a = adapter_of_call(p, f, call, ref, cl_project_client(ref));
	if (!*a)
		return NULL;
	for (size_t i = 0; i < (*a)->nbatch_methods; i++)
		if (!strcmp(call->method, (*a)->batch_methods[i])) {
			const struct cl_value *v = cl_value_get(call->params, (*a)->batch_requests);
			v = v ? cl_project_resolve(p, v) : NULL;
			return v && v->kind == CL_V_ARRAY ? v : NULL;
		}
	return NULL;
}

size_t cl_settings_batch_size(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call)
{
	const struct cl_adapter *a;
	const struct cl_value *reqs = batch_requests(p, f, call, &a);
	return reqs ? reqs->nitems : 0;
}

void cl_settings_of_batch_request(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_call *call, size_t k, struct cl_settings *out, const struct cl_span **at)
{
	const struct cl_adapter *a;
	const struct cl_value *reqs = batch_requests(p, f, call, &a);
	memset(out, 0, sizeof *out);
	*at = &call->span;
	if (!reqs || k >= reqs->nitems)
		return;
	const struct cl_value *req = cl_project_resolve(p, reqs->items[k]);
	const struct cl_value *params = cl_value_get(req, a->batch_params);
	params = params ? cl_project_resolve(p, params) : NULL;
	*at = &reqs->items[k]->span;
	struct cl_client_ref ref = cl_project_call_client(call);
	const struct cl_client *c = cl_project_client(ref);
	/* a request that is not an object the facts hold, or without params, says nothing */
	if (!params || params->kind != CL_V_OBJECT)
		return;
	fill(p, a, a->batch_methods[0], params, call->opts, ref, c != NULL || !call->client, true, out);
}

void cl_settings_of_client(const struct cl_project *p, const struct cl_file_facts *f,
	size_t index, bool chain, struct cl_settings *out)
{
	struct cl_client_ref ref = {f, (int)index};
	const struct cl_client *root = cl_project_client(ref);
	struct cl_client_ref r = ref;
	for (int hop = 0; hop < 8 && root && root->kind == CL_CLIENT_DERIVED; hop++) {
		r = parent_ref(p, r);
		root = cl_project_client(r);
	}
	const struct cl_adapter *a = root ? cl_adapters_of_client(root, r.file->lang == CL_LANG_PYTHON) :
		cl_adapters_of_client(&f->clients.v[index], f->lang == CL_LANG_PYTHON);
	memset(out, 0, sizeof *out);
	out->adapter = a;
	if (!a)
		return;
	for (int i = 0; i < CL_SET_COUNT; i++) {
		struct cl_adapter_setting only = a->set[i];
		if (only.def == CL_DEF_ABSENT && !only.nkeys)
			continue;
		size_t n = 0;
		for (size_t k = 0; k < only.nkeys; k++)
			if (only.keys[k].scope == CL_KEY_CLIENT)
				only.keys[n++] = only.keys[k];
		only.nkeys = n;
		resolve_setting(p, &only, NULL, NULL, ref, true, chain, &out->s[i]);
		out->s[i].spec = &a->set[i];
	}
	out->model = model_id(&out->s[CL_SET_MODEL]);
}

bool cl_setting_number(const struct cl_setting *s, double *out)
{
	if (s->prov != CL_PROV_EXPLICIT)
		return false;
	if (s->value->kind == CL_V_NUMBER || (s->value->kind == CL_V_SIGNAL && s->value->num)) {
		*out = s->value->num;
		return true;
	}
	return false;
}

/* A call of one of SPEC's bounded_by functions: an imported name called
 * ("stepCountIs()", also through a namespace: "ai.stepCountIs()"). */
static bool bounding_call(const struct cl_adapter_setting *spec, const struct cl_value *v)
{
	if (v->kind != CL_V_IMPORT || !v->name)
		return false;
	const char *n = strrchr(v->name, '.');
	n = n ? n + 1 : v->name;
	size_t len = strlen(n);
	if (len < 3 || strcmp(n + len - 2, "()"))
		return false;
	for (size_t i = 0; i < spec->nbounded_by; i++)
		if (strlen(spec->bounded_by[i]) == len - 2 && !strncmp(n, spec->bounded_by[i], len - 2))
			return true;
	return false;
}

bool cl_setting_bounded(const struct cl_setting *s)
{
	if (s->prov != CL_PROV_EXPLICIT || !s->spec)
		return false;
	const struct cl_value *v = s->written;
	if (bounding_call(s->spec, v))
		return true;
	for (size_t i = 0; v->kind == CL_V_ARRAY && i < v->nitems; i++)
		if (bounding_call(s->spec, v->items[i]))
			return true;
	return false;
}

/* ------------------------------------------------------------------------ */
/* The facts dump.                                                          */

static const char *const provenance_names[] = {"absent", "explicit", "default", "unknown"};
static const char *const default_names[] = {
	"absent", "value", "none", "required", "model_max_output", "per_model_table", "unbounded", "unknown",
};

static void add_value(cJSON *o, const struct cl_value *v)
{
	switch (v->kind) {
	case CL_V_NUMBER:
	case CL_V_SIGNAL:
		cJSON_AddNumberToObject(o, "value", v->num);
		break;
	case CL_V_STRING:
	case CL_V_AI_MODEL:
		cJSON_AddStringToObject(o, "value", v->str ? v->str : "");
		break;
	case CL_V_BOOL:
		cJSON_AddBoolToObject(o, "value", v->b);
		break;
	case CL_V_NULL:
		cJSON_AddNullToObject(o, "value");
		break;
	default:
		cJSON_AddStringToObject(o, "value", "<expression>");
		break;
	}
}

cJSON *cl_settings_to_json(const struct cl_settings *s)
{
	cJSON *o = cJSON_CreateObject();
	if (!s->adapter) {
		cJSON_AddNullToObject(o, "adapter");
		return o;
	}
	cJSON_AddStringToObject(o, "adapter", s->adapter->id);
	cJSON *set = cJSON_AddObjectToObject(o, "settings");
	for (int i = 0; i < CL_SET_COUNT; i++) {
		const struct cl_setting *st = &s->s[i];
		if (st->prov == CL_PROV_ABSENT)
			continue;
		cJSON *e = cJSON_AddObjectToObject(set, cl_setting_name((enum cl_setting_id)i));
		cJSON_AddStringToObject(e, "provenance", provenance_names[st->prov]);
		if (st->prov == CL_PROV_EXPLICIT) {
			cJSON_AddStringToObject(e, "key", st->key);
			cJSON_AddNumberToObject(e, "line", st->written->span.line);
			cJSON_AddNumberToObject(e, "column", st->written->span.col);
			add_value(e, st->value);
		} else if (st->prov == CL_PROV_UNKNOWN && st->maybe) {
			cJSON *m = cJSON_AddObjectToObject(e, "maybe");
			cJSON_AddStringToObject(m, "key", st->key);
			cJSON_AddNumberToObject(m, "line", st->maybe->span.line);
			add_value(m, st->maybe);
		} else if (st->prov == CL_PROV_DEFAULT) {
			cJSON_AddStringToObject(e, "default", default_names[st->spec->def]);
			if (st->spec->def == CL_DEF_VALUE)
				cJSON_AddNumberToObject(e, "value", st->spec->value);
			if (i == CL_SET_MAX_TOKENS && (st->spec->def == CL_DEF_MODEL_MAX || st->spec->def == CL_DEF_TABLE)) {
				int n = cl_adapter_default_max_tokens(st->spec, s->model);
				if (n)
					cJSON_AddNumberToObject(e, "value", n);
			}
		}
		if (st->spec && (st->spec->ms || i == CL_SET_TIMEOUT))
			cJSON_AddStringToObject(e, "unit", st->spec->ms ? "ms" : "s");
		if (st->spec && st->spec->source && st->prov != CL_PROV_EXPLICIT)
			cJSON_AddStringToObject(e, "source", st->spec->source);
	}
	return o;
}
