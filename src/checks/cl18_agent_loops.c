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

#define D CL_ITEM(CL18)

/* Does S (N bytes) contain the identifier W as a whole word? */
static bool has_word(const char *s, size_t n, const char *w, size_t wl)
{
	for (size_t i = 0; i + wl <= n; i++)
		if (!memcmp(s + i, w, wl) && (i == 0 || !cl_around_ident_char(s[i - 1])) &&
		    (i + wl == n || !cl_around_ident_char(s[i + wl])))
			return true;
	return false;
}

/* A comparison that can bound a count: <, <=, >, >= (not arrows or shifts),
 * and == when EQ (a counter compared with its maximum). */
static bool has_comparison(const char *s, size_t n, bool eq)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c != '<' && c != '>' && !(eq && c == '=' && i + 1 < n && s[i + 1] == '='))
			continue;
		if (c == '>' && i && (s[i - 1] == '=' || s[i - 1] == '-' || s[i - 1] == '>'))
			continue;
		if ((c == '<' || c == '>') && i + 1 < n && s[i + 1] == c)
			continue;
		if (c == '<' && i && s[i - 1] == '<')
			continue;
		return true;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Counters and guards.                                                     */

struct names {
	const char *v[32];
	size_t len[32];
	size_t n;
};

static void add_name(struct names *ns, const char *s, size_t len)
{
	if (!len || ns->n == 32)
		return;
	for (size_t i = 0; i < ns->n; i++)
		if (ns->len[i] == len && !memcmp(ns->v[i], s, len))
			return;
	ns->v[ns->n] = s;
	ns->len[ns->n++] = len;
}

/* Identifiers incremented in S: `x += 1`, `x++`, `++x`, `x = x + 1`. */
static void incremented(const char *s, size_t n, struct names *ns)
{
	for (size_t i = 0; i + 1 < n; i++) {
		bool plus_eq = s[i] == '+' && s[i + 1] == '=';
		bool plus_plus = s[i] == '+' && s[i + 1] == '+';
		if (!plus_eq && !plus_plus)
			continue;
		/* the identifier before (skipping spaces and a member chain's last part) */
		size_t e = i;
		while (e && s[e - 1] == ' ')
			e--;
		size_t b = e;
		while (b && cl_around_ident_char(s[b - 1]))
			b--;
		if (b < e && !isdigit((unsigned char)s[b]))
			add_name(ns, s + b, e - b);
		else if (plus_plus) {
			size_t a = i + 2, z = a;
			while (z < n && cl_around_ident_char(s[z]))
				z++;
			add_name(ns, s + a, z - a);
		}
		i++;
	}
}

/* One `if` condition in S starting at I: its text range. */
static bool next_condition(const char *s, size_t n, size_t *i, size_t *cs, size_t *ce, bool js)
{
	for (; *i + 2 < n; (*i)++) {
		if (s[*i] != 'i' || s[*i + 1] != 'f' || (*i && cl_around_ident_char(s[*i - 1])) || cl_around_ident_char(s[*i + 2]))
			continue;
		size_t k = *i + 2;
		if (js) {
			while (k < n && s[k] == ' ')
				k++;
			if (k >= n || s[k] != '(')
				continue;
			int depth = 0;
			size_t start = k;
			for (; k < n; k++) {
				if (s[k] == '(')
					depth++;
				else if (s[k] == ')' && --depth == 0)
					break;
			}
			*cs = start + 1;
			*ce = k < n ? k : n;
		} else {
			size_t start = k;
			while (k < n && s[k] != '\n' && s[k] != ':')
				k++;
			*cs = start;
			*ce = k;
		}
		*i = *ce;
		return true;
	}
	return false;
}

struct bound {
	bool capped;   /* a counter bound or a counter-guarded exit */
	bool budget;   /* a token, cost or time budget was seen */
};

/* A condition that bounds the loop: a comparison not about a budget. */
static void judge_clause(const char *s, size_t n, struct bound *b)
{
	if (!has_comparison(s, n, false))
		return;
	if (cl_around_match(D, "budget_words", s, n))
		b->budget = true;
	else
		b->capped = true;
}

/* Splits a condition on and / or / && / || and judges each clause. */
static void judge_condition(const char *s, size_t n, struct bound *b)
{
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		bool cut = i == n;
		size_t skip = 0;
		if (!cut && i + 2 <= n && ((s[i] == '&' && s[i + 1] == '&') || (s[i] == '|' && s[i + 1] == '|')))
			cut = true, skip = 2;
		else if (!cut && i + 5 <= n && !memcmp(s + i, " and ", 5))
			cut = true, skip = 5;
		else if (!cut && i + 4 <= n && !memcmp(s + i, " or ", 4))
			cut = true, skip = 4;
		if (!cut)
			continue;
		judge_clause(s + start, i - start, b);
		start = i + skip;
		if (skip)
			i += skip - 1;
	}
}

/* An `if` in BODY comparing a counter (one of NS, or a length) and leaving
 * (break / return / raise / throw) right after. */
static void guarded_exits(const char *body, size_t n, const struct names *ns, bool js, struct bound *b)
{
	size_t i = 0, cs, ce;
	while (next_condition(body, n, &i, &cs, &ce, js)) {
		const char *c = body + cs;
		size_t cl = ce - cs;
		bool counter = cl_around_match(D, "length_counter", c, cl);
		for (size_t k = 0; k < ns->n && !counter; k++)
			counter = has_word(c, cl, ns->v[k], ns->len[k]);
		bool budget = cl_around_match(D, "budget_words", c, cl) && has_comparison(c, cl, false);
		if (!counter && !budget)
			continue;
		size_t after = ce, lim = ce + 240 < n ? ce + 240 : n;
		if (!cl_around_match(D, "exits", body + after, lim - after))
			continue;
		if (counter && has_comparison(c, cl, true))
			b->capped = true;
		else if (budget)
			b->budget = true;
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
 * condition that compares a counter the loop increments and returns. */
static void helper_guards(const struct cl_file_facts *f, const struct cl_span *head,
	const struct names *ns, bool js, struct bound *b)
{
	for (size_t i = 0; i < f->refs.n && !b->capped; i++) {
		const struct cl_ref *ref = &f->refs.v[i];
		if (!cl_around_within(&ref->span, head))
			continue;
		for (size_t k = 0; k < f->regions.n; k++) {
			const struct cl_region *fn = &f->regions.v[k];
			if (fn->kind != CL_R_FUNCTION || !fn->name || strcmp(fn->name, ref->name) != 0)
				continue;
			size_t n;
			const char *t = cl_around_text(f, &fn->span, &n);
			if (t)
				guarded_exits(t, n, ns, js, b);
		}
	}
}

static struct bound loop_bound(const struct cl_file_facts *f, int loop)
{
	const struct cl_region *r = &f->regions.v[loop];
	struct bound b = {false, false};
	size_t hl, bl;
	const char *h = cl_around_text(f, &r->head, &hl);
	struct cl_span body = r->span;
	if (r->head.end > body.start && !r->is_do_while)
		body.start = r->head.end;
	const char *s = cl_around_text(f, &body, &bl);
	bool js = cl_lang_is_js(f->lang);
	if (h && hl) {
		if (!js && cl_around_match(D, "bounded_iterables", h, hl))
			b.capped = true;
		else if (!cl_around_collection_loop(f, loop))
			judge_condition(h, hl, &b);
	}
	if (!b.capped && s) {
		struct names ns = {.n = 0};
		size_t all;
		const char *whole = cl_around_text(f, &r->span, &all);
		incremented(whole, all, &ns);
		guarded_exits(s, bl, &ns, js, &b);
		if (!b.capped)
			helper_guards(f, &r->head, &ns, js, &b);
	}
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

static void check_loops(struct cl_file_out *out)
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
		struct bound b = loop_bound(f, loop);
		if (b.capped)
			continue;
		char shape[64];
		struct cl_span at = cl_around_first_line(f, &r->span);
		/* a continuation loop: no tool turn in it, a state of the reply */
		bool reply = !cl_around_has(f, D, "tool_turns", r->span.start, r->span.end) &&
			cl_around_has(f, D, "reply_states", r->span.start, r->span.end);
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &at,
			"agent loop `%s` calls Claude (%s) and goes round again on %s with no "
			"iteration cap: no counter bound in its condition and no counter-guarded break%s; bound it "
			"(for turn in range(MAX_TURNS), or count turns and stop at a maximum)",
			loop_shape(f, loop, shape, sizeof shape), cl_around_claude_in(f, loop),
			reply ? "a state of the reply (a continuation: max_tokens, pause_turn or length)" :
			"the model's tool use",
			b.budget ? " (a token, cost or time budget was seen: it limits spend or time, not turns)" : "");
	}
	free(ls.retry);
}

/* A function that calls Claude and calls itself again after a tool result. */
static void check_recursion(struct cl_file_out *out)
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
		struct names ns = {.n = 0};
		const char *p = r->params ? r->params : "";
		while (*p) {
			const char *e = strchr(p, ',');
			size_t len = e ? (size_t)(e - p) : strlen(p);
			add_name(&ns, p, len);
			p += len + (e ? 1 : 0);
		}
		struct bound b = {false, false};
		size_t bl;
		struct cl_span body = r->span;
		body.start = r->head.end > body.start ? r->head.end : body.start;
		const char *s = cl_around_text(f, &body, &bl);
		if (s)
			guarded_exits(s, bl, &ns, cl_lang_is_js(f->lang), &b);
		if (b.capped)
			continue;
		cl_emit(out, CL_RULE(CL18_unbounded_agent_loop), -1, &self_call->span,
			"%s calls Claude and calls itself again after a tool result with no depth or turn limit%s; "
			"pass a turn counter and stop at a maximum", r->name,
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

/* One turn cap CAP of WHAT (a call or a client): marks the item as applying
 * when it bounds a loop, and reports it turned off, unbounded by default
 * (when AT_DEFAULT: where the default belongs), or above LIMIT. AT is where
 * a default is reported. */
static void check_cap(struct cl_file_out *out, const struct cl_setting *cap, const char *what,
	const char *method, const struct cl_span *at, bool at_default, double limit)
{
	const struct cl_file_facts *f = out->facts;
	const struct cl_adapter_setting *spec = cap->spec;
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
	} else if (spec->pattern) {
		/* an expression (a stop condition): bounded only by what the pattern names */
		size_t len;
		const char *t = cl_around_text(f, &cap->written->span, &len);
		if (!t || cl_around_match(D, spec->pattern, t, len))
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
		check_cap(out, cap, f->clients.v[i].cls, f->clients.v[i].cls, &f->clients.v[i].span, true, limit);
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
		check_cap(out, cap, cl_call_label(out, &st, call), call->method, &call->span, at_default, limit);
	}
}

static void check_frameworks(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const cJSON *max = cJSON_GetObjectItemCaseSensitive(cl_registry_item_data(D), "turn_cap_max");
	check_turn_caps(ctx, out, cJSON_IsNumber(max) ? max->valuedouble : 100);
}

void cl_check_cl18_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	const struct cl_file_facts *f = out->facts;
	if (!f->text || cl_around_test_file(f))
		return;
	check_loops(out);
	check_recursion(out);
	if (f->calls.n || f->clients.n || f->claude_import)
		check_frameworks(ctx, out);
}
