/*
 * cl08_max_tokens.c — CL08: max_tokens missing, or at the model's ceiling / above the
 * configured limit, read from the effective settings of clients and calls;
 * an adapter's default counts where the option is unset.
 */
#include <stdio.h>
#include <string.h>

#include "adapters/catalog.h"
#include "checks/checks.h"
#include "adapters/settings.h"
#include "model/callgraph.h"
#include "rules/patterns.h"
#include "checks/around.h"

/* ------------------------------------------------------------------------ */
/*
 * CL08.truncation-unchecked (preview): the text of a Claude
 * answer given to a parser or schema validator while neither the function
 * making the call nor its callers (the call graph) look at why the answer
 * stopped. Parsers, the stop-reason fields and the structured-output
 * helpers that raise on truncation are data (rules/CL08.json).
 */
#define CALLER_DEPTH 3
#define CALLER_CAP 16
/* How far after a call its answer is followed (bytes): keeps a long
 * top-level script or a bundle with many calls linear. */
#define FOLLOW_BYTES 65536u

/* The bytes of function FN of F (the whole file at the top level). */
static void scope_of(const struct cl_file_facts *f, int fn, uint32_t *start, uint32_t *end)
{
	if (fn >= 0) {
		*start = f->regions.v[fn].span.start;
		*end = f->regions.v[fn].span.end;
	} else {
		*start = 0;
		*end = (uint32_t)f->text_len;
	}
}

/* Does function FN of F, or a function calling it (up to DEPTH calls up),
 * look at why an answer stopped? */
static bool checked(const struct cl_project *p, const struct cl_file_facts *f, int fn, int depth)
{
	/* the facts keep the text of every file that names a *_reason or
	 * *Reason field (facts.c): one without text looks at none */
	uint32_t start, end;
	scope_of(f, fn, &start, &end);
	if (f->text && cl_around_has(f, CL_ITEM(CL08), "truncation_checks", start, end))
		return true;
	if (fn < 0 || depth == 0)
		return false;
	struct cl_site sites[CALLER_CAP];
	size_t n = cl_callgraph_callers(p, f, fn, sites, CALLER_CAP);
	for (size_t i = 0; i < n && i < CALLER_CAP; i++) {
		const struct cl_file_facts *cf = sites[i].file;
		int up = cl_facts_enclosing(cf, cf->refs.v[sites[i].ref].region, CL_R_FUNCTION);
		if (up == fn && cf == f)
			continue;
		if (checked(p, cf, up, depth - 1))
			return true;
	}
	return false;
}

/* The names that hold a Claude answer in one function: the call's result
 * and what is assigned from it further on. SEED marks the result itself. */
#define MAX_NAMES 32
#define NAME_LEN 64
struct names {
	char v[MAX_NAMES][NAME_LEN];
	bool seed[MAX_NAMES];
	size_t n;
};

static bool ident(char ch)
{
	return cl_around_ident_char(ch);
}

static void add_name(struct names *ns, const char *s, size_t len, bool seed)
{
	if (!len || len >= NAME_LEN || ns->n >= MAX_NAMES || (s[0] >= '0' && s[0] <= '9'))
		return;
	static const char *const words[] = {"const", "let", "var", "await", "async", "self", "this", "as", NULL};
	for (size_t i = 0; words[i]; i++)
		if (strlen(words[i]) == len && !memcmp(words[i], s, len))
			return;
	for (size_t i = 0; i < ns->n; i++)
		if (!strncmp(ns->v[i], s, len) && !ns->v[i][len])
			return;
	memcpy(ns->v[ns->n], s, len);
	ns->v[ns->n][len] = 0;
	ns->seed[ns->n++] = seed;
}

/* Does T[0, LEN) name one of NS (not a seed unless SEEDS) as a whole word? */
static bool mentions(const struct names *ns, const char *t, size_t len, bool seeds)
{
	for (size_t i = 0; i < ns->n; i++) {
		if (ns->seed[i] && !seeds)
			continue;
		size_t nl = strlen(ns->v[i]);
		for (size_t k = 0; k + nl <= len; k++)
			if (!memcmp(t + k, ns->v[i], nl) && (k == 0 || (!ident(t[k - 1]) && t[k - 1] != '.')) &&
			    (k + nl == len || !ident(t[k + nl])))
				return true;
	}
	return false;
}

/* The identifiers of T[0, LEN) into NS (destructuring: `{ text, usage }`). */
static void add_all(struct names *ns, const char *t, size_t len, bool seed)
{
	for (size_t k = 0; k < len;) {
		size_t e = k;
		while (e < len && ident(t[e]))
			e++;
		if (e > k)
			add_name(ns, t + k, e - k, seed);
		k = e > k ? e : k + 1;
	}
}

/* The result of the call at [CS, CE): `x = [await] call`, `{a, b} = ...`,
 * `with call as x`. */
static void seeds(const struct cl_file_facts *f, uint32_t cs, uint32_t ce, struct names *ns)
{
	const char *t = f->text;
	uint32_t i = cs;
	while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t' || t[i - 1] == '('))
		i--;
	if (i >= 5 && !memcmp(t + i - 5, "await", 5) && (i == 5 || !ident(t[i - 6]))) {
		i -= 5;
		while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
			i--;
	}
	if (i > 1 && t[i - 1] == '=' && !strchr("=!<>+-*/", t[i - 2])) {
		i--;
		while (i > 0 && (t[i - 1] == ' ' || t[i - 1] == '\t'))
			i--;
		uint32_t e = i;
		if (i > 0 && (t[i - 1] == '}' || t[i - 1] == ']')) {
			while (i > 0 && t[i - 1] != '{' && t[i - 1] != '[' && t[i - 1] != '\n')
				i--;
			add_all(ns, t + i, e - i, true);
		} else {
			/* the last name before `=`; with an annotation (`resp: Message`),
			 * the name before the colon */
			uint32_t b = i;
			while (b > 0 && ident(t[b - 1]))
				b--;
			uint32_t c = b;
			while (c > 0 && (t[c - 1] == ' ' || t[c - 1] == '\t'))
				c--;
			if (c > 0 && t[c - 1] == ':') {
				e = c - 1;
				while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == '\t'))
					e--;
				b = e;
				while (b > 0 && ident(t[b - 1]))
					b--;
			}
			add_name(ns, t + b, e - b, true);
		}
	}
	uint32_t j = ce;
	while (j < f->text_len && (t[j] == ' ' || t[j] == '\t'))
		j++;
	if (j + 3 < f->text_len && !memcmp(t + j, "as ", 3)) {
		j += 3;
		uint32_t ne = j;
		while (ne < f->text_len && ident(t[ne]))
			ne++;
		add_name(ns, t + j, ne - j, true);
	}
}

/* Names assigned (or looped over) from a name of NS in [START, END):
 * `x = ...name...`, `for x in ...name...`, `for (const x of ...name...)`. */
static void derive(const struct cl_file_facts *f, uint32_t start, uint32_t end, struct names *ns)
{
	const char *t = f->text;
	for (int pass = 0; pass < 2; pass++) {
		for (uint32_t ls = start; ls < end;) {
			uint32_t le = ls;
			while (le < end && t[le] != '\n')
				le++;
			uint32_t k = ls;
			while (k < le && (t[k] == ' ' || t[k] == '\t'))
				k++;
			const char *line = t + k;
			size_t n = le - k;
			if (n > 4 && (!memcmp(line, "for ", 4) || !memcmp(line, "for(", 4))) {
				size_t a = 3;
				while (a < n && !ident(line[a]))
					a++;
				if (a + 6 < n && (!memcmp(line + a, "const ", 6) || !memcmp(line + a, "let ", 4) || !memcmp(line + a, "var ", 4)))
					while (a < n && line[a] != ' ')
						a++;
				while (a < n && line[a] == ' ')
					a++;
				size_t b = a;
				while (b < n && ident(line[b]))
					b++;
				if (b > a && mentions(ns, line + b, n - b, true))
					add_name(ns, line + a, b - a, false);
			} else {
				const char *eq = memchr(line, '=', n);
				size_t at = eq ? (size_t)(eq - line) : n;
				if (eq && at + 1 < n && line[at + 1] != '=' && line[at + 1] != '>' && at > 0 &&
				    !strchr("=!<>", line[at - 1]) && mentions(ns, line + at + 1, n - at - 1, true)) {
					size_t a = 0;
					if (n > 6 && (!memcmp(line, "const ", 6) || !memcmp(line, "let ", 4) || !memcmp(line, "var ", 4)))
						while (a < at && line[a] != ' ')
							a++;
					while (a < at && (line[a] == ' ' || line[a] == '{' || line[a] == '['))
						a++;
					size_t b = a;
					while (b < at && ident(line[b]))
						b++;
					if (memchr(line, '{', at) || memchr(line, '[', at))
						add_all(ns, line, at, false); /* destructuring */
					else if (b > a && (b == at || line[b] == ' ' || line[b] == ':'))
						add_name(ns, line + a, b - a, false);
				}
			}
			ls = le + 1;
		}
	}
}

/* The argument text of the call whose '(' is at OPEN: up to its ')'. */
static size_t arg_len(const struct cl_file_facts *f, uint32_t open, uint32_t end)
{
	int depth = 0;
	for (uint32_t i = open; i < end && i < open + 400; i++) {
		if (f->text[i] == '(')
			depth++;
		else if (f->text[i] == ')' && --depth == 0)
			return i - open - 1;
	}
	return 0;
}

static bool seen(const uint32_t *v, size_t n, uint32_t at)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == at)
			return true;
	return false;
}

#define MAX_REPORTS 64

/* Each parser in [START, END) of F whose argument names the answer, once. */
static void report_parses(struct cl_file_out *out, const struct names *ns, bool seeds_count, uint32_t start,
	uint32_t end, const char *call, uint32_t *done, size_t *ndone)
{
	const struct cl_file_facts *f = out->facts;
	const struct cl_pattern *re = cl_patterns_get(CL_ITEM(CL08), "parsers");
	size_t ms, me, from = 0;
	while (re && from < end - start && cl_pattern_find(re, f->text + start, end - start, from, &ms, &me)) {
		from = me > ms ? me : ms + 1;
		uint32_t at = start + (uint32_t)ms, open = start + (uint32_t)me - 1;
		size_t alen = arg_len(f, open, end);
		if (!alen || !mentions(ns, f->text + open + 1, alen, seeds_count) ||
		    cl_around_match(CL_ITEM(CL08), "round_trips", f->text + open + 1, alen))
			continue;
		if (seen(done, *ndone, at) || *ndone >= MAX_REPORTS)
			continue;
		done[(*ndone)++] = at;
		struct cl_span sp = cl_around_span_at(f, at, open);
		cl_emit(out, CL_RULE(CL08_truncation_unchecked), -1, &sp,
			"the answer of %s is parsed as complete, but neither this function nor its callers look at "
			"stop_reason (finishReason): an answer cut at max_tokens, a refusal or a paused turn is parsed "
			"as if it were whole; check why it stopped first", call);
	}
}

static void check_truncation(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const struct cl_file_facts *f = out->facts;
	if (!out->preview || !f->text)
		return;
	uint32_t done[MAX_REPORTS];
	size_t ndone = 0;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude || cl_around_match(CL_ITEM(CL08), "structured_calls", call->method, strlen(call->method)))
			continue;
		int fn = cl_facts_enclosing(f, call->region, CL_R_FUNCTION);
		uint32_t start, end;
		scope_of(f, fn, &start, &end);
		(void)start;
		if (end > f->text_len)
			end = (uint32_t)f->text_len;
		if (call->span.end >= end || checked(ctx->project, f, fn, CALLER_DEPTH))
			continue;
		if (end - call->span.end > FOLLOW_BYTES)
			end = call->span.end + FOLLOW_BYTES;
		struct names ns = {0};
		seeds(f, call->span.start, call->span.end, &ns);
		if (!ns.n)
			continue;
		derive(f, call->span.end, end, &ns);
		/* a raw HTTP response (or an envelope_calls result) is the
		 * envelope: only what is read from it holds the answer */
		bool envelope = call->kind == CL_CALL_RAW_HTTP ||
			cl_around_match(CL_ITEM(CL08), "envelope_calls", call->method, strlen(call->method));
		report_parses(out, &ns, !envelope, call->span.end, end, call->method, done, &ndone);
	}
}

static void check_value(const struct cl_check_ctx *ctx, struct cl_file_out *out,
	const struct cl_value *written, const struct cl_value *v, const char *model, const char *key)
{
	const struct cl_span *at = &written->span;
	if (v->kind != CL_V_NUMBER)
		return;
	const char *platform;
	const struct cl_model *m = model ? cl_catalog_find(model, &platform) : NULL;
	if (m && m->max_output_tokens && v->num >= m->max_output_tokens) {
		cl_emit(out, CL_RULE(CL08_max_tokens_ceiling), -1, at,
			"%s=%g is %s the maximum output of %s (%d); cap it per call type, well below the ceiling",
			key, v->num, v->num == m->max_output_tokens ? "exactly" : "above", model, m->max_output_tokens);
		return;
	}
	if (v->num > ctx->config->max_tokens_limit)
		cl_emit(out, CL_RULE(CL08_max_tokens_ceiling), -1, at,
			"%s=%g is above the configured limit of %d; cap it per call type",
			key, v->num, ctx->config->max_tokens_limit);
}

/* An unset max_tokens whose default (a number, the model's maximum, a
 * per-model table) is above the limit, reported at AT. */
static void check_default(const struct cl_check_ctx *ctx, struct cl_file_out *out, const struct cl_settings *st,
	const char *what, const struct cl_span *at)
{
	const struct cl_setting *mt = &st->s[CL_SET_MAX_TOKENS];
	int value = cl_adapter_default_max_tokens(mt->spec, st->model);
	if (value > ctx->config->max_tokens_limit)
		cl_emit(out, CL_RULE(CL08_max_tokens_ceiling), -1, at,
			"%s without max_tokens sends %s's default of %d tokens%s%s, above the limit of %d; set max_tokens",
			what, st->adapter->name, value, st->model ? " for " : "", st->model ? st->model : "",
			ctx->config->max_tokens_limit);
}

static bool client_scoped(const struct cl_adapter_setting *spec)
{
	for (size_t k = 0; k < spec->nkeys; k++)
		if (spec->keys[k].scope == CL_KEY_CLIENT)
			return true;
	return false;
}

/* The max_tokens of one request of CALL (the call itself, or one request of
 * a batch) from its effective settings ST; AT is where an unset one is reported. */
static void check_request(const struct cl_check_ctx *ctx, struct cl_file_out *out, const struct cl_call *call,
	const struct cl_settings *st, const struct cl_span *at)
{
	const struct cl_setting *mt = &st->s[CL_SET_MAX_TOKENS];
	if (mt->prov == CL_PROV_EXPLICIT) {
		if (mt->scope != CL_KEY_CLIENT)
			check_value(ctx, out, mt->written, mt->value, st->model, mt->key);
		return;
	}
	if (mt->prov != CL_PROV_DEFAULT || client_scoped(mt->spec))
		return;
	if (mt->spec->unset && !strcmp(mt->spec->unset, "missing")) {
		const char *label = cl_call_label(out, st, call);
		cl_emit(out, CL_RULE(CL08_missing_max_tokens), -1, at, "%s",
			cl_fill_message(out, mt->spec->message ? mt->spec->message :
				"{call} request has no max_tokens; set a conservative cap for this call type",
				label, call, mt->spec));
	} else {
		check_default(ctx, out, st, cl_call_label(out, st, call), at);
	}
}

void cl_check_cl08_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	struct cl_settings st;
	check_truncation(ctx, out);
	for (size_t i = 0; i < f->clients.n; i++) {
		const struct cl_client *c = &f->clients.v[i];
		if (c->kind == CL_CLIENT_DERIVED)
			continue;
		cl_settings_of_client(ctx->project, f, i, false, &st);
		const struct cl_setting *mt = &st.s[CL_SET_MAX_TOKENS];
		if (mt->prov == CL_PROV_ABSENT || !client_scoped(mt->spec))
			continue;
		if (mt->prov == CL_PROV_EXPLICIT)
			check_value(ctx, out, mt->written, mt->value, st.model, mt->key);
		else if (mt->prov == CL_PROV_DEFAULT)
			check_default(ctx, out, &st, c->cls, &c->span);
	}
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		/* a batch: each request is checked with its own effective settings */
		size_t nreq = cl_settings_batch_size(ctx->project, f, call);
		for (size_t k = 0; k < nreq; k++) {
			const struct cl_span *at;
			cl_settings_of_batch_request(ctx->project, f, call, k, &st, &at);
			check_request(ctx, out, call, &st, at);
		}
		if (nreq || !(call->counts_for_max_tokens || call->kind == CL_CALL_ADAPTER))
			continue;
		cl_settings_of_call(ctx->project, f, call, &st);
		check_request(ctx, out, call, &st, &call->span);
	}
}
