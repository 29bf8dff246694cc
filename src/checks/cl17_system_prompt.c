/*
 * cl17_system_prompt.c — CL17: untrusted input never goes into the system
 * prompt. Request data or user input in the system prompt, followed from
 * every entry point's inputs through functions of any file; system prompts of
 * unknown origin. CL17.model-output-to-sink (preview) is in
 * cl17_output_sinks.c.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/callgraph.h"
#include "checks/checks.h"
#include "rules/patterns.h"
#include "adapters/settings.h"

static const struct cl_value *res(const struct cl_check_ctx *ctx, const struct cl_value *v)
{
	return v ? cl_project_resolve(ctx->project, v) : NULL;
}

/* Does module M end in the first L characters of NAME, as a whole part? */
static bool tail_is(const char *m, const char *name, size_t l)
{
	size_t ml = strlen(m);
	return ml >= l && !strncmp(m + ml - l, name, l) && (ml == l || m[ml - l - 1] == '.' || m[ml - l - 1] == '/');
}

/* The module name CALLER would import F by: its path without the
 * extension matches the import's last segments ("app/prompts.py" for
 * ".prompts", "./prompts", "app.prompts"). */
static bool imports_file(const struct cl_file_facts *caller, const struct cl_file_facts *f)
{
	const char *base = cl_path_basename(f->path);
	const char *dot = strrchr(base, '.');
	size_t bl = dot ? (size_t)(dot - base) : strlen(base);
	for (size_t i = 0; i < caller->imported_modules.n; i++) {
		const char *m = caller->imported_modules.v[i];
		/* `./llm`, `app.llm`, or with its extension as Deno writes it (`./llm.ts`) */
		if (tail_is(m, base, bl) || (dot && tail_is(m, base, strlen(base))))
			return true;
	}
	return false;
}

/* Is argument V (parameter v->param at v->param_pos) among the call's
 * arguments marked in BITS / KW? */
static bool arg_marked(const struct cl_value *v, uint32_t bits, const char *kw)
{
	if (v->param_pos >= 0 && v->param_pos < 32 && (bits >> v->param_pos) & 1u)
		return true;
	size_t nl = strlen(v->param);
	for (const char *q = kw; q && (q = strstr(q, v->param)); q += nl)
		if ((q == kw || q[-1] == ',') && (q[nl] == ',' || !q[nl]))
			return true;
	return false;
}

/* The argument of call R that parameter V receives (by position, else by
 * keyword), or NULL. */
static const struct cl_value *arg_for(const struct cl_ref *r, const struct cl_value *v)
{
	if (v->param_pos >= 0 && (size_t)v->param_pos < r->narg_pos)
		return r->arg_pos[v->param_pos];
	return r->arg_kw ? cl_value_get(r->arg_kw, v->param) : NULL;
}

/* Member NAME of the object A, or NULL. */
static const struct cl_value *member_of(const struct cl_value *a, const char *name)
{
	return a && a->kind == CL_V_OBJECT ? cl_value_get(a, name) : NULL;
}

/* The parameters of another function than FN that A is derived from (a
 * member or a method's result on one, or a string built from them): at
 * most 4, in PART. */
static size_t derived_params(const struct cl_value *a, const char *fn, const struct cl_value **part)
{
	size_t n = 0;
	if (a->kind == CL_V_UNKNOWN && a->param && a->param_fn && strcmp(a->param_fn, fn) != 0)
		part[n++] = a;
	for (size_t i = 0; a->kind == CL_V_STRING && i < a->nitems && n < 4; i++) {
		const struct cl_value *it = a->items[i];
		if (it->kind == CL_V_UNKNOWN && it->param && it->param_fn && strcmp(it->param_fn, fn) != 0)
			part[n++] = it;
	}
	return n;
}

/* The callers of parameter V's function (in F's file, or a file importing
 * it): the first passing request data ("…, passed as `p` to fn() at
 * path:line") in *TAINT; whether every caller passes a known string. A
 * caller that passes on a parameter of its own is followed up to its
 * callers in turn (HOPS more times, BUDGET such steps in all: a tree
 * whose functions all pass a parameter on stays linear). */
static bool callers_of(const struct cl_check_ctx *ctx, struct cl_file_facts *f, const struct cl_value *v,
	const char **taint, int hops, int *budget, const struct cl_span *prefer)
{
	const struct cl_project *p = ctx->project;
	size_t n = 0, constant = 0;
	const char *other = NULL; /* request data passed by a caller outside PREFER */
	*taint = NULL;
	for (size_t i = 0; i < p->nfiles && !*taint; i++) {
		const struct cl_file_facts *g = p->files[i];
		if (g != f && !imports_file(g, f))
			continue;
		for (size_t k = 0; k < g->refs.n && !*taint; k++) {
			const struct cl_ref *r = &g->refs.v[k];
			if (strcmp(r->name, v->param_fn) != 0)
				continue;
			n++;
			if (other && !(g == f && r->span.start >= prefer->start && r->span.start < prefer->end))
				continue; /* one caller passing request data is known: look for the preferred one */
			if (r->arg_taint && arg_marked(v, r->tainted_args, r->tainted_kw))
				*taint = r->several_tainted ?
					cl_arena_printf(&f->arena, "the call to %s() at %s:%u passes it as `%s`",
						v->param_fn, g->path, r->span.line, v->param) :
					cl_arena_printf(&f->arena, "%s, passed as `%s` to %s() at %s:%u",
						r->arg_taint, v->param, v->param_fn, g->path, r->span.line);
			else if (r->args_seen && arg_marked(v, r->const_args, r->const_kw))
				constant++;
			else if (r->args_seen && v->param_member && member_of(arg_for(r, v), v->param_member)) {
				/* `send(msg, { systemPrompt: req.body.persona })` for `options.systemPrompt` */
				const struct cl_value *m = member_of(arg_for(r, v), v->param_member);
				if (m->taint)
					*taint = cl_arena_printf(&f->arena, "%s, passed as `%s.%s` to %s() at %s:%u", m->taint,
						v->param, v->param_member, v->param_fn, g->path, r->span.line);
				else if (m->kind == CL_V_STRING && !m->open)
					constant++;
			} else if (r->args_seen && hops > 0 && *budget > 0) {
				/* `def answer(system): _body(system)`: the caller's own parameter */
				const struct cl_value *a = arg_for(r, v);
				const char *up = NULL;
				if (a && a->kind == CL_V_UNKNOWN && a->param && a->param_fn && !a->taint && !a->param_derived &&
				    strcmp(a->param_fn, v->param_fn) != 0) {
					/* the project's files are its own, mutable: only handed out as const */
					--*budget; /* each step up scans the tree's calls: a few per prompt */
					bool fixed = callers_of(ctx, (struct cl_file_facts *)g, a, &up, hops - 1, budget, NULL);
					constant += fixed && !up;
				} else if (a && !a->taint) {
					/* `processMessage(msg, id, systemPrompt)` with systemPrompt built from
					 * the caller's parameter (`file.buffer.toString()` appended): request
					 * data when that parameter's callers pass it */
					const struct cl_value *part[4];
					size_t np = derived_params(a, v->param_fn, part);
					for (size_t j = 0; j < np && !up && *budget > 0; j++) {
						--*budget;
						callers_of(ctx, (struct cl_file_facts *)g, part[j], &up, hops - 1, budget, NULL);
					}
				}
				if (up)
					*taint = cl_arena_printf(&f->arena, "%s, passed on as `%s` to %s() at %s:%u",
						up, v->param, v->param_fn, g->path, r->span.line);
			}
			/* several functions call it: the path through the calling function is told */
			if (*taint && prefer && !other && !(g == f && r->span.start >= prefer->start && r->span.start < prefer->end)) {
				other = *taint;
				*taint = NULL;
			}
		}
	}
	if (!*taint)
		*taint = other;
	return n && constant == n;
}

/* The request data a system prompt is built from, or NULL. */
static const char *taint_of(const struct cl_check_ctx *ctx, struct cl_file_facts *out_file,
	const struct cl_value *v, bool *dynamic, int depth, const struct cl_span *prefer)
{
	if (!v || depth > 8)
		return NULL;
	if (v->taint)
		return v->taint;
	const struct cl_value *r = res(ctx, v);
	if (r->taint)
		return r->taint;
	switch (r->kind) {
	case CL_V_STRING:
		if (r->open && !r->open_imports)
			*dynamic = true;
		for (size_t i = 0; i < r->nitems; i++) {
			const char *t = taint_of(ctx, out_file, r->items[i], dynamic, depth + 1, prefer);
			if (t)
				return t;
		}
		return NULL;
	case CL_V_ARRAY:
		for (size_t i = 0; i < r->nitems; i++) {
			const char *t = taint_of(ctx, out_file, r->items[i], dynamic, depth + 1, prefer);
			if (t)
				return t;
		}
		return NULL;
	case CL_V_OBJECT: {
		const struct cl_value *text = cl_value_get(r, "text");
		if (!text)
			text = cl_value_get(r, "content");
		if (text)
			return taint_of(ctx, out_file, text, dynamic, depth + 1, prefer);
		/* another shape of prompt object (a preset with text appended to it):
		 * request data in any of its strings */
		for (size_t i = 0; i < r->npairs; i++) {
			bool ignored = false;
			const char *t = taint_of(ctx, out_file, r->pairs[i].val, &ignored, depth + 1, prefer);
			if (t)
				return t;
		}
		return NULL;
	}
	case CL_V_NULL:
		return NULL;
	case CL_V_UNKNOWN: {
		const char *t = NULL;
		/* a parameter that every caller gives a known string is traced */
		int budget = 16;
		bool traced = r->param && r->param_fn && callers_of(ctx, out_file, r, &t, 3, &budget, prefer);
		if (t)
			return t;
		/* an environment variable is deployment configuration, not request data */
		if (!r->env && !traced)
			*dynamic = true;
		return NULL;
	}
	default:
		*dynamic = true;
		return NULL;
	}
}

struct cl17 {
	struct cl_file_out *out;
	const struct cl_span *at;
	const char *where;
	const struct cl_span *within; /* the calling function: of a helper's callers, the
	                                 path through it is the one told */
};

static void check_system_value(const struct cl_check_ctx *ctx, const struct cl_value *v, void *arg)
{
	struct cl17 *a = arg;
	bool dynamic = false;
	const char *taint = taint_of(ctx, a->out->facts, v, &dynamic, 0, a->within);
	const struct cl_span *at = v->span.line ? &v->span : a->at;
	const char *where = a->where;
	if (taint)
		cl_emit(a->out, CL_RULE(CL17_untrusted_input_in_system_prompt), -1, at,
			"The system prompt (%s) is built from request data: %s. Keep it fixed and pass "
			"user input in the user turn, delimited as data", where, taint);
	else if (dynamic)
		cl_emit(a->out, CL_RULE(CL17_dynamic_system_prompt), -1, at,
			"The system prompt (%s) is not a constant and its source could not be traced; "
			"build it from constants, choosing among fixed variants where it must vary", where);
}

/* LangChain system messages count where the tree calls Claude at all. */
static bool project_uses_claude(const struct cl_project *p)
{
	for (size_t i = 0; i < p->nfiles; i++) {
		if (p->files[i]->claude_import)
			return true;
		for (size_t k = 0; k < p->files[i]->calls.n; k++)
			if (p->files[i]->calls.v[k].claude)
				return true;
	}
	return false;
}

void cl_check_cl17_facts(const struct cl_check_ctx *ctx, struct cl_file_out *out)
{
	struct cl_file_facts *f = out->facts;
	for (size_t i = 0; i < f->calls.n; i++) {
		const struct cl_call *call = &f->calls.v[i];
		if (!call->claude)
			continue;
		int fn = cl_facts_enclosing(f, call->region, CL_R_FUNCTION);
		struct cl17 a = {out, &call->span, "", fn >= 0 ? &f->regions.v[fn].span : NULL};
		struct cl_settings st;
		cl_settings_of_call(ctx->project, f, call, &st);
		const struct cl_setting *sys = &st.s[CL_SET_SYSTEM];
		const struct cl_value *system = sys->prov == CL_PROV_EXPLICIT && sys->scope != CL_KEY_CLIENT ?
			sys->written : NULL;
		if (!system && sys->maybe && sys->scope != CL_KEY_CLIENT) {
			/* `if system: body["system"] = system`: what it may be */
			system = sys->maybe;
		}
		if (!system && call->params->taint) {
			/* a proxy: the client sends the whole request, system prompt included */
			cl_emit(out, CL_RULE(CL17_untrusted_input_in_system_prompt), -1, &call->span,
				"The request is passed through from request data (%s), so whoever calls this code "
				"chooses the system prompt; build the request on the server and take only the "
				"user's message from the client", call->params->taint);
			continue;
		}
		if (system && !(call->params->open && system->kind == CL_V_UNKNOWN)) {
			a.where = cl_arena_printf(&f->arena, "%s%s", sys->key, cl_lang_is_js(f->lang) ? ":" : "=");
			check_system_value(ctx, system, &a);
		}
		a.where = "a system-role message";
		cl_each_system_message(ctx, cl_value_get(call->params, "messages"), check_system_value, &a);
	}
	/* a system prompt set on the client (a Claude Agent SDK client's options, an
	 * agent's instructions): checked once, at the client */
	for (size_t i = 0; i < f->clients.n; i++) {
		struct cl_settings st;
		cl_settings_of_client(ctx->project, f, i, false, &st);
		const struct cl_setting *sys = &st.s[CL_SET_SYSTEM];
		const struct cl_value *system = sys->prov == CL_PROV_EXPLICIT ? sys->written : sys->maybe;
		if (!system || (system->kind == CL_V_UNKNOWN && f->clients.v[i].opts && f->clients.v[i].opts->open))
			continue;
		struct cl17 a = {out, &f->clients.v[i].span,
			cl_arena_printf(&f->arena, "%s%s", sys->key, cl_lang_is_js(f->lang) ? ":" : "="),
			NULL};
		check_system_value(ctx, system, &a);
	}
	bool claude = f->prompts.n && project_uses_claude(ctx->project);
	for (size_t i = 0; i < f->prompts.n && claude; i++) {
		const struct cl_prompt *p = &f->prompts.v[i];
		struct cl17 a = {out, &p->span, p->how, NULL};
		check_system_value(ctx, p->value, &a);
	}
}
