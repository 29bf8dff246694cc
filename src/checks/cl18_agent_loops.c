/*
 * cl18_agent_loops.c — CL18: agent loops (loops and recursions around a
 * Claude call driven by the model's tool use) and the agent runs of the
 * adapters (rules/adapters.json turn caps: an executor's iteration limit, a
 * graph's recursion limit, a tool runner, a stop condition) need an
 * iteration cap. Marks the item as applying for every agent loop found.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/checks.h"
#include "adapters/settings.h"
#include "checks/around.h"
#include "model/packages.h"
#include "support/xalloc.h"

#define D CL_ITEM(CL18)

/* ------------------------------------------------------------------------ */
/* Bounds: the comparisons of a loop's condition and of its guards (facts). */

struct bound {
	bool capped;   /* a counter bound or a counter-guarded exit */
	bool budget;   /* a token, cost or time budget was seen */
	const struct cl_compare *over; /* a counter bound whose limit is unbounded or
	                                  above the maximum: not a cap */
	double over_value;
	const struct cl_compare *still; /* a condition's counter the loop never changes */
};

static bool names_budget(const char *s)
{
	return s && cl_around_match(D, "budget_words", s, strlen(s));
}

/* A token, cost or time budget: what is counted, or its bound, says so. */
static bool about_budget(const struct cl_compare *k)
{
	return names_budget(k->counter) || names_budget(k->limit_text);
}

/* A counter bound K caps the loop unless its limit is known to be
 * unbounded (Infinity) or above LIMIT; B records why not. */
static bool within(const struct cl_check_ctx *ctx, const struct cl_compare *k, double limit, struct bound *b)
{
	const struct cl_value *v = k->limit ? cl_project_resolve(ctx->project, k->limit) : NULL;
	if (!v || v->kind != CL_V_NUMBER || v->num <= limit || !strcmp(k->op, "==") || !strcmp(k->op, "!="))
		return true;
	b->over = k;
	b->over_value = v->num;
	return false;
}

static bool in_list(const char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* The guards of REGION (its ifs that leave) whose counter is a length, is
 * updated by the loop, or is one of NAMES (a function's parameters,
 * comma-separated, or a loop's updated names). */
static void judge_guards(const struct cl_check_ctx *ctx, const struct cl_region *r, const char *const *names,
	size_t nnames, double limit, struct bound *b)
{
	for (size_t i = 0; i < r->nguards && !b->capped; i++) {
		const struct cl_compare *k = &r->guards[i];
		if (!k->exits || !strcmp(k->op, "!="))
			continue;
		bool counter = k->length || k->updated || in_list(names, nnames, k->counter);
		if (counter && !about_budget(k))
			b->capped = within(ctx, k, limit, b);
		else if (about_budget(k) && strcmp(k->op, "=="))
			b->budget = true;
	}
}

/* The condition of a loop: a comparison not about a budget, whose counter
 * the loop changes (or may: a member, a call), bounded by a known limit. */
static void judge_condition(const struct cl_check_ctx *ctx, const struct cl_loop *lp, double limit, struct bound *b)
{
	for (size_t i = 0; i < lp->ncond && !b->capped; i++) {
		const struct cl_compare *k = &lp->cond[i];
		if (about_budget(k)) {
			b->budget = true;
			continue;
		}
		if (k->local && !k->updated && strcmp(k->op, "range")) {
			b->still = k;
			continue;
		}
		b->capped = within(ctx, k, limit, b);
	}
}

/* ------------------------------------------------------------------------ */
/* Loops.                                                                   */

struct loops {
	signed char *retry; /* per region: -1 not known yet, 0, 1 */
};

static bool is_retry(const struct cl_file_facts *f, struct loops *ls, int loop)
{
	if (ls->retry[loop] < 0)
		ls->retry[loop] = cl_around_retry_loop(f, loop) ? 1 : 0;
	return ls->retry[loop] == 1;
}

/* The nearest loop around REGION that is not a retry, in the same function. */
static int driving_loop(const struct cl_file_facts *f, struct loops *ls, int region)
{
	int l = cl_around_loop_of(f, region);
	while (l >= 0 && is_retry(f, ls, l))
		l = cl_around_loop_of(f, f->regions.v[l].parent);
	return l;
}

/* Does LOOP drive a Claude call itself (not only through a loop inside it)? */
static bool drives_call(const struct cl_file_facts *f, struct loops *ls, int loop)
{
	const struct cl_span *sp = &f->regions.v[loop].span;
	for (size_t i = 0; i < f->calls.n; i++)
		if (f->calls.v[i].claude && cl_around_within(&f->calls.v[i].span, sp) &&
		    driving_loop(f, ls, f->calls.v[i].region) == loop)
			return true;
	for (size_t i = 0; i < f->refs.n; i++)
		if (f->refs.v[i].reaches_claude && cl_around_within(&f->refs.v[i].span, sp) &&
		    driving_loop(f, ls, f->refs.v[i].region) == loop)
			return true;
	return false;
}

/* Waits for the user each turn: an input call whose own loop is LOOP. */
static bool interactive(const struct cl_file_facts *f, struct loops *ls, int loop)
{
	const struct cl_span *sp = &f->regions.v[loop].span;
	uint32_t from = sp->start;
	long at;
	while ((at = cl_around_find(f, D, "interactive", from, sp->end)) >= 0) {
		int r = cl_facts_region_at(f, (uint32_t)at);
		if (driving_loop(f, ls, r) == loop)
			return true;
		from = (uint32_t)at + 1;
	}
	return false;
}

/* `while not self._should_stop()`: a function of the file called in the
 * condition that compares a counter the loop updates and leaves. */
static void helper_guards(const struct cl_check_ctx *ctx, const struct cl_file_facts *f, const struct cl_region *r,
	double limit, struct bound *b)
{
	for (size_t i = 0; i < f->refs.n && !b->capped; i++) {
		const struct cl_ref *ref = &f->refs.v[i];
		if (!cl_around_within(&ref->span, &r->head))
			continue;
		for (size_t k = 0; k < f->regions.n && !b->capped; k++) {
			const struct cl_region *fn = &f->regions.v[k];
			if (fn->kind == CL_R_FUNCTION && fn->name && !strcmp(fn->name, ref->name))
				judge_guards(ctx, fn, r->loop->updated, r->loop->nupdated, limit, b);
		}
	}
}

static struct bound loop_bound(const struct cl_check_ctx *ctx, const struct cl_file_facts *f, int loop, double limit)
{
	const struct cl_region *r = &f->regions.v[loop];
	struct bound b = {false, false, NULL, 0, NULL};
	if (!r->loop) { /* not analysed (the file's work budget ran out): no finding */
		b.capped = true;
		return b;
	}
	if (r->loop->shape == CL_LOOP_CONDITION || r->loop->shape == CL_LOOP_RANGE)
		judge_condition(ctx, r->loop, limit, &b);
	if (!b.capped)
		judge_guards(ctx, r, NULL, 0, limit, &b);
	if (!b.capped)
		helper_guards(ctx, f, r, limit, &b);
	return b;
}

static const char *loop_shape(const struct cl_file_facts *f, int loop, char *buf, size_t cap)
{
	const struct cl_region *r = &f->regions.v[loop];
	size_t n;
	struct cl_span line = cl_around_first_line(f, &r->span);
	const char *s = cl_around_text(f, &line, &n);
	while (n && (s[n - 1] == '{' || s[n - 1] == ':' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	if (n > 48)
		n = 48;
	snprintf(buf, cap, "%.*s", (int)n, s ? s : "");
	return buf;
}

/* Why a loop or a recursion has no cap, in the finding's words. */
static const char *no_cap_reason(const struct bound *b, double limit, char *buf, size_t cap)
{
	if (b->over && isinf(b->over_value))
		snprintf(buf, cap, "its counter bound `%.40s` is infinite", b->over->limit_text);
	else if (b->over)
		snprintf(buf, cap, "its counter bound `%.40s` allows %.0f turns, above the maximum of %.0f",
			b->over->limit_text, b->over_value, limit);
	else if (b->still)
		snprintf(buf, cap, "the counter `%.40s` of its condition never changes in the loop, and no "
			"counter-guarded break", b->still->counter);
	else
		snprintf(buf, cap, "no counter bound in its condition and no counter-guarded break");
	return buf;
}

static void check_loops(const struct cl_check_ctx *ctx, struct cl_file_out *out, double limit)
{
	const struct cl_file_facts *f = out->facts;
	struct loops ls;
	ls.retry = xmalloc(f->regions.n + 1);
	memset(ls.retry, -1, f->regions.n + 1);
	for (size_t i = 0; i < f->regions.n; i++) {
		const struct cl_region *r = &f->regions.v[i];
		int loop = (int)i;
		if (r->kind != CL_R_LOOP || is_retry(f, &ls, loop) || !drives_call(f, &ls, loop))
			continue;
		if (cl_around_collection_loop(f, loop) || interactive(f, &ls, loop))
			continue;
		bool agent = cl_around_has(f, D, "agent_markers", r->span.start, r->span.end) ||
			(r->head.end > r->head.start && !cl_around_collection_loop(f, loop) &&
			 cl_around_has(f, D, "phrase_conditions", r->head.start, r->head.end));
		if (!agent)
			continue;
		cl_mark_applies(out, CL_ITEM(CL18));
		struct bound b = loop_bound(ctx, f, loop, limit);
		if (b.capped)
			continue;
		char shape[64], why[160];
		struct cl_span at = cl_around_first_line(f, &r->span);
		/* a continuation loop: no tool turn in it, a state of the reply */
		bool reply = !cl_around_has(f, D, "tool_turns", r->span.start, r->span.end) &&
			cl_around_has(f, D, "reply_states", r->span.start, r->span.end);
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &at,
			"agent loop `%s` calls Claude (%s) and goes round again on %s with no "
			"iteration cap: %s%s; bound it "
			"(for turn in range(MAX_TURNS), or count turns and stop at a maximum)",
			loop_shape(f, loop, shape, sizeof shape), cl_around_claude_in(f, loop),
			reply ? "a state of the reply (a continuation: max_tokens, pause_turn or length)" :
			"the model's tool use", no_cap_reason(&b, limit, why, sizeof why),
			b.budget ? " (a token, cost or time budget was seen: it limits spend or time, not turns)" : "");
	}
	free(ls.retry);
}

/* A function that calls Claude and calls itself again after a tool result. */
static void check_recursion(const struct cl_check_ctx *ctx, struct cl_file_out *out, double limit)
{
	const struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->regions.n; i++) {
		const struct cl_region *r = &f->regions.v[i];
		if (r->kind != CL_R_FUNCTION || !r->name || !cl_around_claude_in(f, (int)i))
			continue;
		const struct cl_ref *self_call = NULL;
		for (size_t k = 0; k < f->refs.n && !self_call; k++) {
			const struct cl_ref *ref = &f->refs.v[k];
			if (ref->how != CL_REF_MEMBER && !strcmp(ref->name, r->name) && cl_around_within(&ref->span, &r->span) &&
			    cl_facts_enclosing(f, ref->region, CL_R_FUNCTION) == (int)i)
				self_call = ref;
		}
		if (!self_call || !cl_around_has(f, D, "agent_markers", r->span.start, r->span.end))
			continue;
		cl_mark_applies(out, CL_ITEM(CL18));
		/* bounded by a parameter (depth, turns left) compared before recursing */
		char params[512];
		const char *names[32];
		size_t nnames = 0;
		snprintf(params, sizeof params, "%s", r->params ? r->params : "");
		for (char *p = params, *e; *p && nnames < 32; p = e ? e + 1 : p + strlen(p)) {
			e = strchr(p, ',');
			if (e)
				*e = 0;
			names[nnames++] = p;
		}
		struct bound b = {false, false, NULL, 0, NULL};
		judge_guards(ctx, r, names, nnames, limit, &b);
		if (b.capped)
			continue;
		char why[160];
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &self_call->span,
			"%s calls Claude and calls itself again after a tool result with no depth or turn limit%s%s%s%s; "
			"pass a turn counter and stop at a maximum", r->name, b.over ? " (" : "",
			b.over ? no_cap_reason(&b, limit, why, sizeof why) : "", b.over ? ")" : "",
			b.budget ? " (a token, cost or time budget was seen: it limits spend or time, not turns)" : "");
	}
}

/* ------------------------------------------------------------------------ */
/* Framework agents: turn caps from the effective settings.                 */

static bool client_scoped(const struct cl_adapter_setting *spec)
{
	for (size_t k = 0; k < spec->nkeys; k++)
		if (spec->keys[k].scope == CL_KEY_CLIENT)
			return true;
	return false;
}

/* Does T set NAME: the word, then (past a closing quote) `=` or `:`
 * (`max_turns=`, `"maxTurns":`, `max_turns: 10`)? */
static bool sets_name(const char *t, size_t len, const char *name, size_t n)
{
	for (const char *q = t; (q = memmem(q, len - (size_t)(q - t), name, n)); q += n) {
		if (q > t && (isalnum((unsigned char)q[-1]) || q[-1] == '_'))
			continue;
		const char *e = q + n, *end = t + len;
		if (e < end && (*e == '"' || *e == '\''))
			e++;
		while (e < end && (*e == ' ' || *e == '\t'))
			e++;
		if (e < end && (*e == '=' || *e == ':') && (e + 1 >= end || e[1] != '='))
			return true;
	}
	return false;
}

/* Does any kept source text of F's package (its nearest manifest's folder:
 * packages.h) name one of SPEC's options (the last segment of a key:
 * `max_turns`)? An options value we cannot read (handed in by a caller,
 * built by a function) can only set an option its package names somewhere;
 * another service of a monorepo setting it says nothing of this one. */
static bool package_names_option(const struct cl_project *p, const struct cl_file_facts *f,
	const struct cl_adapter_setting *spec)
{
	const char **paths = xcalloc(p->nfiles ? p->nfiles : 1, sizeof *paths);
	for (size_t i = 0; i < p->nfiles; i++)
		paths[i] = p->files[i]->path;
	struct cl_packages pk;
	cl_packages_init(&pk, paths, p->nfiles);
	free(paths);
	size_t mine = cl_packages_of(&pk, f->path);
	bool found = false;
	for (size_t k = 0; k < spec->nkeys && !found; k++) {
		const char *name = strrchr(spec->keys[k].path, '.');
		name = name ? name + 1 : spec->keys[k].path;
		size_t n = strlen(name);
		for (size_t i = 0; i < p->nfiles && !found; i++) {
			const struct cl_file_facts *g = p->files[i];
			const char *t = g->text ? g->text : g->code;
			size_t len = g->text ? g->text_len : g->code_len;
			/* files with no kept text say nothing of Claude: a file that sets an
			 * agent's options builds them, so its text is kept */
			found = t && sets_name(t, len, name, n) && cl_packages_of(&pk, g->path) == mine;
		}
	}
	cl_packages_finish(&pk);
	return found;
}

/* One turn cap CAP of WHAT (a call or a client): marks the item as applying
 * when it bounds a loop, and reports it turned off, unbounded by default
 * (when AT_DEFAULT: where the default belongs), or above LIMIT. AT is where
 * a default is reported. */
static void check_cap(const struct cl_project *p, struct cl_file_out *out, const struct cl_setting *cap,
	const char *what, const char *method, const struct cl_span *at, bool at_default, double limit)
{
	const struct cl_file_facts *f = out->facts;
	const struct cl_adapter_setting *spec = cap->spec;
	if (cap->prov == CL_PROV_UNKNOWN && spec->def == CL_DEF_UNBOUNDED && at_default && !package_names_option(p, f, spec)) {
		/* options from elsewhere, but nothing in the tree sets the cap */
		cl_mark_applies(out, CL_ITEM(CL18));
		struct cl_span sp = cl_around_first_line(f, at);
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &sp,
			"%s: %s, and no file of its package sets it (its options come from elsewhere); pass %s", what,
			spec->note ? spec->note : "no iteration cap by default", spec->fix ? spec->fix : "an iteration cap");
		return;
	}
	bool loop = cap->prov != CL_PROV_DEFAULT || spec->def == CL_DEF_UNBOUNDED ||
		(spec->def == CL_DEF_VALUE && spec->value > 1);
	if (!loop)
		return;
	cl_mark_applies(out, CL_ITEM(CL18));
	if (cap->prov == CL_PROV_DEFAULT && spec->def == CL_DEF_UNBOUNDED) {
		if (!at_default)
			return;
		struct cl_span sp = cl_around_first_line(f, at);
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &sp,
			"%s: %s; pass %s", what, spec->note ? spec->note : "no iteration cap by default",
			spec->fix ? spec->fix : "an iteration cap");
		return;
	}
	if (cap->prov != CL_PROV_EXPLICIT)
		return;
	double n;
	struct cl_span sp = cl_around_first_line(f, &cap->written->span);
	const char *from = cap->written->taint ? cap->written->taint : cap->value->taint;
	if (from) {
		/* the request chooses the cap, or leaves it out: no cap, unless clamped */
		size_t len;
		const char *t = cl_around_text(f, &cap->written->span, &len);
		if (t && cl_around_match(D, "turn_cap_clamp", t, len))
			return;
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &sp,
			"%s of %s comes from request data (%s): the cap is user-controlled — a caller can send a "
			"huge number or none at all (%s, no cap); set it on the server, or clamp it (%s(value, %.0f))",
			cap->key, what, from, cl_lang_is_js(f->lang) ? "undefined" : "None",
			cl_lang_is_js(f->lang) ? "Math.min" : "min", limit);
		return;
	}
	bool number = cl_setting_number(cap, &n);
	if (cap->value->kind == CL_V_NULL || (number && isinf(n))) {
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &sp,
			"%s turns the iteration cap of %s off (%s): a model that keeps calling tools never stops; "
			"%s", cap->key, what, cap->value->kind == CL_V_NULL ? (cl_lang_is_js(f->lang) ? "null" : "None") :
			"Infinity", spec->def == CL_DEF_VALUE && !spec->default_is_cap ?
			"keep the default or set a number" : "set a number");
	} else if (number) {
		if (n > limit)
			cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &sp,
				"%s %.0f lets the agent run for up to %.0f steps, above the maximum of %.0f; keep "
				"it low or lower it to %.0f", cap->key, n, n, limit, limit);
	} else if (spec->nbounded_by) {
		/* an expression (a stop condition): bounded only by a call the record names */
		size_t len;
		const char *t = cl_around_text(f, &cap->written->span, &len);
		if (!t || cl_setting_bounded(cap))
			return;
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &sp,
			"%s's %s (%.*s) has no step-count bound: it keeps calling Claude until it holds; add a "
			"step count to it (%s)", method, cap->key, (int)(len > 40 ? 40 : len), t,
			spec->fix ? spec->fix : "a step count");
	}
}

/* The turn caps of the file's agent clients (their construction's options)
 * and of its Claude calls (an agent's run, an SDK tool runner, a
 * step-limited generation), from their effective settings. */
static void check_turn_caps(const struct cl_check_ctx *ctx, struct cl_file_out *out, double limit)
{
	const struct cl_file_facts *f = out->facts;
	struct cl_settings st;
	for (size_t i = 0; i < f->clients.n; i++) {
		cl_settings_of_client(ctx->project, f, i, false, &st);
		const struct cl_setting *cap = &st.s[CL_SET_TURN_CAP];
		if (cap->prov == CL_PROV_ABSENT || !client_scoped(cap->spec) || f->clients.v[i].kind == CL_CLIENT_DERIVED)
			continue;
		check_cap(ctx->project, out, cap, f->clients.v[i].cls, f->clients.v[i].cls, &f->clients.v[i].span, true, limit);
	}
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *cap = &st.s[CL_SET_TURN_CAP];
		if (cap->prov == CL_PROV_ABSENT || (cap->prov == CL_PROV_EXPLICIT && cap->scope == CL_KEY_CLIENT))
			continue;
		/* a default belongs to the client when the record puts the cap there */
		bool at_default = !client_scoped(cap->spec) || !call->client;
		check_cap(ctx->project, out, cap, cl_call_label(out, &st, call), call->method, &call->span, at_default, limit);
	}
}


void cl_check_cl18_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const struct cl_file_facts *f = out->facts;
	if (!f->text || cl_around_test_file(f))
		return;
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(cl_registry_item_data(D), "turn_cap_max");
	double limit = cJSON_IsNumber(max) ? max->valuedouble : 100;
	check_loops(ctx, out, limit);
	check_recursion(ctx, out, limit);
	if (f->calls.n || f->clients.n || f->claude_import)
		check_turn_caps(ctx, out, limit);
}
