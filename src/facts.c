/*
 * facts.c — extracts a file's Claude facts from its syntax tree.
 *
 * One pass of the language's facts query (rules/queries/) collects imports,
 * bindings, calls, scopes, parameters and strings; the code below then builds
 * a name table, evaluates expressions to values (literals, constants, env
 * defaults, spreads, imports) and classifies calls against the surface data
 * (rules/surface.json). Nothing here looks at another file.
 */
#include "facts.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <tree_sitter/api.h>

#include "embed.h"
#include "secrets.h"
#include "surface.h"

const TSLanguage *tree_sitter_python(void);
const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);

enum { LANG_PY, LANG_JS, LANG_TS, LANG_TSX, NLANGS };

enum cap {
	CAP_IMPORT, CAP_BIND, CAP_BIND_NAME, CAP_BIND_VALUE, CAP_CALL, CAP_NEW,
	CAP_CALL_CALLEE, CAP_CALL_ARGS, CAP_SCOPE, CAP_PARAM, CAP_PARAM_NAME,
	CAP_STRING, CAP_EXPORT, CAP_EXPORT_VALUE, NCAPS, CAP_NONE = -1,
};

static const char *const cap_names[NCAPS] = {
	"import", "bind", "bind.name", "bind.value", "call", "new",
	"call.callee", "call.args", "scope", "param", "param.name",
	"string", "export", "export.value",
};

static struct {
	TSQuery *query[NLANGS];
	int8_t *capmap[NLANGS]; /* query capture id -> enum cap */
} Q;

/* Parse budget per file: a pathological file gets a note, not a hang. */
#define PARSE_TIMEOUT_MICROS (10ull * 1000 * 1000)
/* Recursion guard for expression evaluation. */
#define EVAL_DEPTH 24

struct cl_parser {
	TSParser *ts;
	TSQueryCursor *cursor;
};

static const TSLanguage *language(int l)
{
	switch (l) {
	case LANG_PY: return tree_sitter_python();
	case LANG_JS: return tree_sitter_javascript();
	case LANG_TS: return tree_sitter_typescript();
	default: return tree_sitter_tsx();
	}
}

static int lang_index(enum cl_lang lang)
{
	switch (lang) {
	case CL_LANG_PYTHON: return LANG_PY;
	case CL_LANG_JAVASCRIPT: return LANG_JS;
	case CL_LANG_TYPESCRIPT: return LANG_TS;
	case CL_LANG_TSX: return LANG_TSX;
	case CL_LANG_TEXT: break;
	}
	return -1;
}

static char *query_source(int l)
{
	const char *parts[2] = {NULL, NULL};
	if (l == LANG_PY) {
		parts[0] = "rules/queries/python.scm";
	} else {
		parts[0] = "rules/queries/ecmascript.scm";
		parts[1] = l == LANG_JS ? "rules/queries/javascript.scm" : "rules/queries/typescript.scm";
	}
	size_t total = 1;
	for (int i = 0; i < 2; i++) {
		const struct cl_embedded *e = parts[i] ? cl_embed_find(parts[i]) : NULL;
		if (parts[i] && !e)
			return NULL;
		total += e ? e->size + 1 : 0;
	}
	char *s = xcalloc(total, 1);
	for (int i = 0; i < 2; i++) {
		const struct cl_embedded *e = parts[i] ? cl_embed_find(parts[i]) : NULL;
		if (e) {
			strcat(s, e->data);
			strcat(s, "\n");
		}
	}
	return s;
}

bool cl_facts_init(char **err)
{
	if (!cl_surface_load(err))
		return false;
	for (int l = 0; l < NLANGS; l++) {
		if (Q.query[l])
			continue;
		char *src = query_source(l);
		if (!src) {
			*err = xstrdup("rule data: a query file under rules/queries/ is missing");
			return false;
		}
		uint32_t off = 0;
		TSQueryError qerr = TSQueryErrorNone;
		Q.query[l] = ts_query_new(language(l), src, (uint32_t)strlen(src), &off, &qerr);
		free(src);
		if (!Q.query[l]) {
			*err = xasprintf("rule data: facts query for language %d does not compile "
				"(error %d at byte %u)", l, (int)qerr, off);
			return false;
		}
		uint32_t n = ts_query_capture_count(Q.query[l]);
		Q.capmap[l] = xmalloc(n ? n : 1);
		for (uint32_t i = 0; i < n; i++) {
			uint32_t len;
			const char *name = ts_query_capture_name_for_id(Q.query[l], i, &len);
			Q.capmap[l][i] = CAP_NONE;
			for (int c = 0; c < NCAPS; c++)
				if (strlen(cap_names[c]) == len && !strncmp(cap_names[c], name, len))
					Q.capmap[l][i] = (int8_t)c;
		}
	}
	return true;
}

void cl_facts_cleanup(void)
{
	for (int l = 0; l < NLANGS; l++) {
		ts_query_delete(Q.query[l]);
		free(Q.capmap[l]);
		Q.query[l] = NULL;
		Q.capmap[l] = NULL;
	}
	cl_surface_unload();
}

struct cl_parser *cl_parser_create(void)
{
	struct cl_parser *p = xcalloc(1, sizeof *p);
	p->ts = ts_parser_new();
	p->cursor = ts_query_cursor_new();
	return p;
}

void cl_parser_destroy(struct cl_parser *p)
{
	if (!p)
		return;
	ts_parser_delete(p->ts);
	ts_query_cursor_delete(p->cursor);
	free(p);
}

/* ------------------------------------------------------------------------ */
/* The extraction context.                                                  */

struct binding {
	const char *name;
	TSNode value;         /* null node for parameters and imports */
	uint32_t scope_start, scope_end;
	uint32_t pos;
	int next;             /* hash chain */
	enum { B_VALUE, B_PARAM, B_IMPORT } kind;
	const char *module;   /* B_IMPORT */
	const char *imported; /* B_IMPORT: name in the module; "*" namespace */
	const char *type;     /* B_PARAM: type annotation text */
	struct cl_value *cache;
	bool evaluating;
};

struct scope {
	uint32_t start, end;
	int parent;       /* the innermost scope containing this one, or -1 */
};

struct ctx {
	const struct cl_source *src;
	struct cl_file_facts *f;
	struct cl_arena *A;
	bool py;
	TSNode root;
	CL_VEC(struct binding) binds;
	int *buckets;
	size_t nbuckets;
	CL_VEC(struct scope) scopes;
	CL_VEC(TSNode) imports, calls, strings;
	CL_VEC(uint32_t) client_starts; /* span start of each client, parallel to f->clients */
	bool anthropic_sdk_import;
	bool other_llm_import;
};

static const char *type_of(TSNode n)
{
	return ts_node_is_null(n) ? "" : ts_node_type(n);
}

static bool is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

static TSNode field(TSNode n, const char *name)
{
	return ts_node_child_by_field_name(n, name, (uint32_t)strlen(name));
}

static const char *text(struct ctx *c, TSNode n)
{
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	if (e > c->src->len || s > e)
		return "";
	return cl_arena_strndup(c->A, c->src->data + s, e - s);
}

static bool text_eq(struct ctx *c, TSNode n, const char *s)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	size_t len = strlen(s);
	return b - a == len && b <= c->src->len && memcmp(c->src->data + a, s, len) == 0;
}

static struct cl_span span_of(TSNode n)
{
	struct cl_span sp;
	TSPoint a = ts_node_start_point(n), b = ts_node_end_point(n);
	sp.start = ts_node_start_byte(n);
	sp.end = ts_node_end_byte(n);
	sp.line = a.row + 1;
	sp.col = a.column + 1;
	sp.end_line = b.row + 1;
	sp.end_col = b.column + 1;
	return sp;
}

static struct cl_value *new_value(struct ctx *c, enum cl_vkind kind, TSNode n)
{
	struct cl_value *v = cl_arena_alloc(c->A, sizeof *v);
	v->kind = kind;
	v->client = -1;
	if (!ts_node_is_null(n))
		v->span = span_of(n);
	return v;
}

static struct cl_value *unknown(struct ctx *c, TSNode n)
{
	return new_value(c, CL_V_UNKNOWN, n);
}

static struct cl_value *empty_object(struct ctx *c, TSNode n)
{
	return new_value(c, CL_V_OBJECT, n);
}

static void object_put(struct ctx *c, struct cl_value *obj, const char *key, struct cl_value *val)
{
	for (size_t i = 0; i < obj->npairs; i++) {
		if (strcmp(obj->pairs[i].key, key) == 0) {
			obj->pairs[i].val = val;
			return;
		}
	}
	struct cl_kv *p = cl_arena_alloc(c->A, (obj->npairs + 1) * sizeof *p);
	if (obj->npairs)
		memcpy(p, obj->pairs, obj->npairs * sizeof *p);
	p[obj->npairs].key = key;
	p[obj->npairs].val = val;
	obj->pairs = p;
	obj->npairs++;
}

/* ------------------------------------------------------------------------ */
/* Scopes and the name table.                                               */

static int by_scope_start(const void *a, const void *b)
{
	const struct scope *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end > y->end ? -1 : x->end < y->end;
}

/* Sorts the scopes and links each to its parent (they nest properly). */
static void index_scopes(struct ctx *c)
{
	if (c->scopes.n)
		qsort(c->scopes.v, c->scopes.n, sizeof *c->scopes.v, by_scope_start);
	int *stack = xmalloc((c->scopes.n + 1) * sizeof *stack);
	size_t depth = 0;
	for (size_t i = 0; i < c->scopes.n; i++) {
		struct scope *s = &c->scopes.v[i];
		while (depth && c->scopes.v[stack[depth - 1]].end <= s->start)
			depth--;
		s->parent = depth ? stack[depth - 1] : -1;
		stack[depth++] = (int)i;
	}
	free(stack);
}

/* The innermost scope containing POS: the last scope starting at or before
 * it, then up its parents until one contains it. O(log n + depth). */
static void scope_of(struct ctx *c, uint32_t pos, uint32_t *start, uint32_t *end)
{
	*start = 0;
	*end = UINT32_MAX;
	size_t lo = 0, hi = c->scopes.n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (c->scopes.v[mid].start <= pos)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (int i = (int)lo - 1; i >= 0; i = c->scopes.v[i].parent) {
		struct scope *s = &c->scopes.v[i];
		if (s->start <= pos && pos < s->end) {
			*start = s->start;
			*end = s->end;
			return;
		}
	}
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static struct binding *add_binding(struct ctx *c, const char *name, uint32_t pos, bool file_scope)
{
	struct binding b;
	memset(&b, 0, sizeof b);
	b.name = name;
	b.pos = pos;
	b.value = (TSNode){0};
	if (file_scope) {
		b.scope_start = 0;
		b.scope_end = UINT32_MAX;
	} else {
		scope_of(c, pos, &b.scope_start, &b.scope_end);
	}
	cl_vec_push(&c->binds, b);
	return &c->binds.v[c->binds.n - 1];
}

static void index_bindings(struct ctx *c)
{
	size_t n = 16;
	while (n < 2 * c->binds.n)
		n *= 2;
	c->nbuckets = n;
	c->buckets = xmalloc(n * sizeof *c->buckets);
	for (size_t i = 0; i < n; i++)
		c->buckets[i] = -1;
	for (size_t i = 0; i < c->binds.n; i++) {
		size_t h = hash_str(c->binds.v[i].name) & (n - 1);
		c->binds.v[i].next = c->buckets[h];
		c->buckets[h] = (int)i;
	}
}

/* The binding NAME refers to at POS: the innermost scope that binds it, and
 * in that scope the last binding before POS (or the first after it). */
static struct binding *lookup(struct ctx *c, const char *name, uint32_t pos)
{
	if (!c->nbuckets)
		return NULL;
	struct binding *best = NULL;
	uint32_t best_size = 0;
	/* Minified bundles bind one name thousands of times: look at the 512
	 * nearest bindings of a bucket (newest first) and no further, so a
	 * lookup stays bounded; real source never comes near that. */
	int budget = 512;
	for (int i = c->buckets[hash_str(name) & (c->nbuckets - 1)]; i >= 0 && budget-- > 0; i = c->binds.v[i].next) {
		struct binding *b = &c->binds.v[i];
		if (strcmp(b->name, name) != 0)
			continue;
		if (!(b->scope_start <= pos && pos < b->scope_end))
			continue;
		uint32_t size = b->scope_end - b->scope_start;
		if (!best || size < best_size) {
			best = b;
			best_size = size;
			continue;
		}
		if (size == best_size) {
			bool b_before = b->pos <= pos, best_before = best->pos <= pos;
			if ((b_before && (!best_before || b->pos > best->pos)) ||
			    (!b_before && !best_before && b->pos < best->pos))
				best = b;
		}
	}
	return best;
}

/* ------------------------------------------------------------------------ */
/* Imports.                                                                 */

static void note_module(struct ctx *c, const char *module)
{
	cl_vec_push(&c->f->imported_modules, module);
	if (cl_surface_symbol("constructors", c->py, module, "Anthropic") ||
	    cl_surface_symbol("constructors", c->py, module, "default") ||
	    cl_surface_module_matches(module, "anthropic") ||
	    cl_surface_module_matches(module, "@anthropic-ai/sdk") ||
	    cl_surface_module_matches(module, "@anthropic-ai/bedrock-sdk") ||
	    cl_surface_module_matches(module, "@anthropic-ai/vertex-sdk") ||
	    cl_surface_module_matches(module, "@anthropic-ai/foundry-sdk")) {
		c->anthropic_sdk_import = true;
		c->f->claude_import = true;
	}
	if (cl_surface_module_matches(module, "langchain_anthropic") ||
	    cl_surface_module_matches(module, "@langchain/anthropic") ||
	    cl_surface_module_matches(module, "@ai-sdk/anthropic") ||
	    cl_surface_module_matches(module, "llama_index.llms.anthropic"))
		c->f->claude_import = true;
	if (cl_surface_has_module("retry_modules", module))
		c->f->retry_library = true;
	if (cl_surface_has_module("other_llm_modules", module))
		c->other_llm_import = true;
}

static void bind_import(struct ctx *c, TSNode at, const char *local, const char *module,
	const char *imported)
{
	struct binding *b = add_binding(c, local, ts_node_start_byte(at), false);
	b->kind = B_IMPORT;
	b->module = module;
	b->imported = imported;
}

static const char *string_content(struct ctx *c, TSNode n, bool *partial);

static void py_import(struct ctx *c, TSNode n)
{
	uint32_t count = ts_node_named_child_count(n);
	if (is(n, "import_statement")) {
		for (uint32_t i = 0; i < count; i++) {
			TSNode ch = ts_node_named_child(n, i);
			if (is(ch, "dotted_name")) {
				const char *full = text(c, ch);
				note_module(c, full);
				const char *dot = strchr(full, '.');
				const char *local = dot ? cl_arena_strndup(c->A, full, (size_t)(dot - full)) : full;
				bind_import(c, n, local, local, "*");
			} else if (is(ch, "aliased_import")) {
				const char *full = text(c, field(ch, "name"));
				note_module(c, full);
				bind_import(c, n, text(c, field(ch, "alias")), full, "*");
			}
		}
		return;
	}
	if (!is(n, "import_from_statement"))
		return;
	TSNode modn = field(n, "module_name");
	if (ts_node_is_null(modn))
		return;
	const char *module = text(c, modn);
	note_module(c, module);
	for (uint32_t i = 0; i < count; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (ts_node_eq(ch, modn))
			continue;
		if (is(ch, "dotted_name")) {
			const char *name = text(c, ch);
			bind_import(c, n, name, module, name);
		} else if (is(ch, "aliased_import")) {
			bind_import(c, n, text(c, field(ch, "alias")), module, text(c, field(ch, "name")));
		}
	}
}

static void js_import(struct ctx *c, TSNode n)
{
	TSNode srcn = field(n, "source");
	if (ts_node_is_null(srcn))
		return;
	bool partial = false;
	const char *module = string_content(c, srcn, &partial);
	note_module(c, module);
	uint32_t count = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < count; i++) {
		TSNode clause = ts_node_named_child(n, i);
		if (!is(clause, "import_clause"))
			continue;
		uint32_t k = ts_node_named_child_count(clause);
		for (uint32_t j = 0; j < k; j++) {
			TSNode ch = ts_node_named_child(clause, j);
			if (is(ch, "identifier")) {
				bind_import(c, n, text(c, ch), module, "default");
			} else if (is(ch, "namespace_import")) {
				TSNode id = ts_node_named_child(ch, 0);
				if (!ts_node_is_null(id))
					bind_import(c, n, text(c, id), module, "*");
			} else if (is(ch, "named_imports")) {
				uint32_t m = ts_node_named_child_count(ch);
				for (uint32_t s = 0; s < m; s++) {
					TSNode spec = ts_node_named_child(ch, s);
					if (!is(spec, "import_specifier"))
						continue;
					TSNode name = field(spec, "name"), alias = field(spec, "alias");
					const char *nm = text(c, name);
					bind_import(c, n, ts_node_is_null(alias) ? nm : text(c, alias), module, nm);
				}
			}
		}
	}
}

/* `require("m")`: the module name, or NULL. */
static const char *require_module(struct ctx *c, TSNode value)
{
	while (is(value, "await_expression") || is(value, "parenthesized_expression"))
		value = ts_node_named_child(value, 0);
	if (!is(value, "call_expression"))
		return NULL;
	TSNode fn = field(value, "function");
	if (!is(fn, "identifier") || !text_eq(c, fn, "require"))
		return NULL;
	TSNode args = field(value, "arguments");
	TSNode a0 = ts_node_named_child(args, 0);
	if (!is(a0, "string"))
		return NULL;
	bool partial = false;
	return string_content(c, a0, &partial);
}

/* ------------------------------------------------------------------------ */
/* Strings.                                                                 */

static void buf_add(struct ctx *c, char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap : 32);
		while (nc < *len + n + 1)
			nc *= 2;
		char *nb = cl_arena_alloc(c->A, nc);
		if (*len)
			memcpy(nb, *buf, *len);
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = 0;
}

static void unescape_into(struct ctx *c, char **buf, size_t *len, size_t *cap, const char *s, size_t n, bool raw)
{
	size_t i = 0;
	while (i < n) {
		const char *bs = raw ? NULL : memchr(s + i, '\\', n - i);
		size_t run = bs ? (size_t)(bs - (s + i)) : n - i;
		buf_add(c, buf, len, cap, s + i, run);
		i += run;
		if (i >= n)
			break;
		/* a backslash escape */
		char e = i + 1 < n ? s[i + 1] : '\\';
		char out = e;
		switch (e) {
		case 'n': out = '\n'; break;
		case 't': out = '\t'; break;
		case 'r': out = '\r'; break;
		case '0': out = ' '; break;
		case '\n': i += 2; continue;
		default: break;
		}
		buf_add(c, buf, len, cap, &out, 1);
		i += 2;
	}
}

static struct cl_value *eval(struct ctx *c, TSNode n, int depth);

/* The decoded text of a string literal node; *PARTIAL when interpolations
 * could not all be resolved (their text is left out). */
static const char *string_content_eval(struct ctx *c, TSNode n, bool *partial, int depth)
{
	char *buf = NULL;
	size_t len = 0, cap = 0;
	buf_add(c, &buf, &len, &cap, "", 0);
	if (is(n, "concatenated_string")) {
		uint32_t k = ts_node_named_child_count(n);
		for (uint32_t i = 0; i < k; i++) {
			const char *s = string_content_eval(c, ts_node_named_child(n, i), partial, depth);
			buf_add(c, &buf, &len, &cap, s, strlen(s));
		}
		return buf;
	}
	const char *src = c->src->data;
	bool py = c->py;
	bool raw = false;
	uint32_t k = ts_node_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_child(n, i);
		const char *t = type_of(ch);
		uint32_t s = ts_node_start_byte(ch), e = ts_node_end_byte(ch);
		if (py && !strcmp(t, "string_start")) {
			for (uint32_t j = s; j < e; j++)
				if (src[j] == 'r' || src[j] == 'R')
					raw = true;
		} else if (!strcmp(t, "string_content") || !strcmp(t, "string_fragment") ||
			   !strcmp(t, "escape_sequence")) {
			/* Python string_content may hold escape_sequence and interpolation
			 * children of its own: walk it for interpolations. */
			uint32_t kk = ts_node_named_child_count(ch);
			uint32_t pos = s;
			for (uint32_t j = 0; j < kk; j++) {
				TSNode g = ts_node_named_child(ch, j);
				if (is(g, "interpolation")) {
					unescape_into(c, &buf, &len, &cap, src + pos, ts_node_start_byte(g) - pos, raw);
					struct cl_value *v = eval(c, ts_node_named_child(g, 0), depth + 1);
					if (v->kind == CL_V_STRING && !v->open)
						buf_add(c, &buf, &len, &cap, v->str, v->len);
					else
						*partial = true;
					pos = ts_node_end_byte(g);
				}
			}
			unescape_into(c, &buf, &len, &cap, src + pos, e - pos, raw);
		} else if (!strcmp(t, "interpolation") || !strcmp(t, "template_substitution")) {
			TSNode inner = ts_node_named_child(ch, 0);
			struct cl_value *v = ts_node_is_null(inner) ? NULL : eval(c, inner, depth + 1);
			if (v && v->kind == CL_V_STRING && !v->open)
				buf_add(c, &buf, &len, &cap, v->str, v->len);
			else if (v && v->kind == CL_V_NUMBER) {
				char num[64];
				snprintf(num, sizeof num, "%g", v->num);
				buf_add(c, &buf, &len, &cap, num, strlen(num));
			} else
				*partial = true;
		}
	}
	return buf;
}

static const char *string_content(struct ctx *c, TSNode n, bool *partial)
{
	return string_content_eval(c, n, partial, EVAL_DEPTH - 2);
}

/* ------------------------------------------------------------------------ */
/* Symbols: what an imported name (or a member of one) is.                  */

struct symbol {
	const char *module;
	const char *name;
};

/* Resolves an identifier or a member chain to (module, name) through the
 * file's imports, e.g. `anthropic.Anthropic` -> ("anthropic", "Anthropic"). */
static bool resolve_symbol(struct ctx *c, TSNode n, struct symbol *out, int depth)
{
	if (depth > EVAL_DEPTH)
		return false;
	if (is(n, "identifier")) {
		struct binding *b = lookup(c, text(c, n), ts_node_start_byte(n));
		if (!b)
			return false;
		if (b->kind == B_IMPORT) {
			out->module = b->module;
			out->name = b->imported;
			return true;
		}
		if (b->kind == B_VALUE && !ts_node_is_null(b->value) && depth < 4) {
			/* `const Anthropic = require("@anthropic-ai/sdk")` */
			const char *m = require_module(c, b->value);
			if (m) {
				out->module = m;
				out->name = "*";
				return true;
			}
		}
		return false;
	}
	if (is(n, "attribute") || is(n, "member_expression")) {
		TSNode obj = field(n, "object");
		TSNode prop = field(n, is(n, "attribute") ? "attribute" : "property");
		struct symbol base;
		if (ts_node_is_null(prop) || !resolve_symbol(c, obj, &base, depth + 1))
			return false;
		const char *p = text(c, prop);
		if (!strcmp(base.name, "*") || !strcmp(base.name, "default")) {
			out->module = base.module;
			out->name = p;
		} else {
			out->module = cl_arena_printf(c->A, "%s%c%s", base.module, c->py ? '.' : '/', base.name);
			out->name = p;
		}
		return true;
	}
	return false;
}

/* The kind of client a construction makes, or NULL. */
static const char *constructor_kind(struct ctx *c, TSNode callee, const char **cls)
{
	struct symbol s;
	if (!resolve_symbol(c, callee, &s, 0))
		return NULL;
	const char *name = strcmp(s.name, "*") == 0 ? "default" : s.name;
	*cls = name;
	const char *kind = cl_surface_symbol("constructors", c->py, s.module, name);
	if (kind && !strcmp(name, "default")) {
		/* `new Anthropic()` from a default import: name the class by its local name */
		*cls = text(c, callee);
	}
	return kind;
}

/* ------------------------------------------------------------------------ */
/* Arguments.                                                               */

struct args {
	struct cl_value **pos;
	size_t npos;
	struct cl_value *kw; /* OBJECT (Python keyword arguments); never NULL */
};

static void merge_into(struct ctx *c, struct cl_value *obj, struct cl_value *from)
{
	if (from->kind == CL_V_OBJECT) {
		for (size_t i = 0; i < from->npairs; i++)
			object_put(c, obj, from->pairs[i].key, from->pairs[i].val);
		if (from->open)
			obj->open = true;
	} else {
		obj->open = true;
	}
}

static struct args eval_args(struct ctx *c, TSNode argsn, int depth)
{
	struct args a = {NULL, 0, empty_object(c, argsn)};
	uint32_t k = ts_node_named_child_count(argsn);
	a.pos = cl_arena_alloc(c->A, (k + 1) * sizeof *a.pos);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(argsn, i);
		const char *t = type_of(ch);
		if (!strcmp(t, "comment"))
			continue;
		if (!strcmp(t, "keyword_argument")) {
			TSNode name = field(ch, "name");
			object_put(c, a.kw, text(c, name), eval(c, field(ch, "value"), depth + 1));
		} else if (!strcmp(t, "dictionary_splat")) {
			merge_into(c, a.kw, eval(c, ts_node_named_child(ch, 0), depth + 1));
		} else if (!strcmp(t, "list_splat") || !strcmp(t, "spread_element")) {
			a.pos[a.npos++] = unknown(c, ch);
			a.kw->open = true;
		} else {
			a.pos[a.npos++] = eval(c, ch, depth + 1);
		}
	}
	return a;
}

/* The first positional argument, or the keyword KW. */
static struct cl_value *arg(struct ctx *c, struct args *a, size_t i, const char *kw)
{
	if (kw) {
		struct cl_value *v = cl_value_get(a->kw, kw);
		if (v)
			return v;
	}
	if (i < a->npos)
		return a->pos[i];
	return unknown(c, (TSNode){0});
}

static struct cl_value *as_object(struct ctx *c, struct cl_value *v)
{
	if (v && v->kind == CL_V_OBJECT)
		return v;
	struct cl_value *o = empty_object(c, (TSNode){0});
	if (v)
		o->span = v->span;
	o->open = true;
	return o;
}

/* ------------------------------------------------------------------------ */
/* Clients.                                                                 */

static int find_client(struct ctx *c, uint32_t start)
{
	for (size_t i = 0; i < c->client_starts.n; i++)
		if (c->client_starts.v[i] == start)
			return (int)i;
	return -1;
}

static struct cl_value *client_value(struct ctx *c, TSNode n, int index)
{
	struct cl_value *v = new_value(c, CL_V_CLIENT, n);
	v->client = index;
	v->owner = c->f;
	return v;
}

static struct cl_value *register_client(struct ctx *c, TSNode n, enum cl_client_kind kind,
	const char *cls, struct cl_value *opts, int parent, struct cl_value *parent_ref)
{
	uint32_t start = ts_node_start_byte(n);
	int idx = find_client(c, start);
	if (idx < 0) {
		struct cl_client cl;
		memset(&cl, 0, sizeof cl);
		cl.kind = kind;
		cl.cls = cls;
		cl.span = span_of(n);
		cl.opts = opts;
		cl.parent = parent;
		cl.parent_ref = parent_ref;
		cl.use_client_module = c->f->use_client;
		cl_vec_push(&c->f->clients, cl);
		cl_vec_push(&c->client_starts, start);
		idx = (int)c->f->clients.n - 1;
	}
	return client_value(c, n, idx);
}

static enum cl_client_kind client_kind_from(const char *kind)
{
	if (!strcmp(kind, "cloud"))
		return CL_CLIENT_CLOUD;
	if (!strcmp(kind, "langchain"))
		return CL_CLIENT_LANGCHAIN;
	if (!strcmp(kind, "llamaindex"))
		return CL_CLIENT_LLAMAINDEX;
	if (!strcmp(kind, "aisdk_provider"))
		return CL_CLIENT_AISDK_PROVIDER;
	return CL_CLIENT_SDK;
}

/* A parameter or field type that names an Anthropic client class. */
static bool type_names_client(const char *type)
{
	if (!type)
		return false;
	static const char *const names[] = {
		"Anthropic", "AsyncAnthropic", "AnthropicBedrock", "AsyncAnthropicBedrock",
		"AnthropicVertex", "AsyncAnthropicVertex", "AnthropicFoundry", "AsyncAnthropicFoundry",
	};
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		const char *p = type;
		size_t n = strlen(names[i]);
		while ((p = strstr(p, names[i]))) {
			bool left = p == type || !(p[-1] == '_' || (p[-1] >= 'A' && p[-1] <= 'Z') ||
				(p[-1] >= 'a' && p[-1] <= 'z') || (p[-1] >= '0' && p[-1] <= '9'));
			char r = p[n];
			bool right = !(r == '_' || (r >= 'A' && r <= 'Z') || (r >= 'a' && r <= 'z') ||
				(r >= '0' && r <= '9'));
			if (left && right)
				return true;
			p += n;
		}
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* Evaluation.                                                              */

static struct cl_value *env_value(struct ctx *c, TSNode n, const char *name, struct cl_value *deflt)
{
	struct cl_value *v = cl_arena_alloc(c->A, sizeof *v);
	if (deflt)
		*v = *deflt;
	else {
		v->kind = CL_V_UNKNOWN;
		v->client = -1;
		v->span = span_of(n);
	}
	v->env = name;
	v->env_browser = cl_secrets_browser_env_name(name, strlen(name));
	return v;
}

/* `process.env.X`, `import.meta.env.X`, `process.env["X"]`: the name, or NULL. */
static const char *js_env_name(struct ctx *c, TSNode n)
{
	TSNode obj, prop;
	if (is(n, "member_expression")) {
		obj = field(n, "object");
		prop = field(n, "property");
	} else if (is(n, "subscript_expression")) {
		obj = field(n, "object");
		prop = field(n, "index");
	} else {
		return NULL;
	}
	if (ts_node_is_null(obj) || ts_node_is_null(prop))
		return NULL;
	if (!text_eq(c, obj, "process.env") && !text_eq(c, obj, "import.meta.env") &&
	    !text_eq(c, obj, "Deno.env"))
		return NULL;
	if (is(prop, "string")) {
		bool partial = false;
		return string_content(c, prop, &partial);
	}
	return text(c, prop);
}

static bool callee_is(struct ctx *c, TSNode callee, const char *const *names)
{
	for (; *names; names++)
		if (text_eq(c, callee, *names))
			return true;
	return false;
}

static double parse_number(const char *s)
{
	char buf[64];
	size_t n = 0;
	for (; *s && n + 1 < sizeof buf; s++)
		if (*s != '_' && *s != 'n' && *s != 'j' && *s != 'J' && *s != 'l' && *s != 'L')
			buf[n++] = *s;
	buf[n] = 0;
	if (n > 2 && buf[0] == '0' && (buf[1] == 'o' || buf[1] == 'O'))
		return (double)strtoull(buf + 2, NULL, 8);
	if (n > 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
		return (double)strtoull(buf + 2, NULL, 2);
	return strtod(buf, NULL);
}

static struct cl_value *eval_call(struct ctx *c, TSNode n, int depth);
static struct cl_value *eval_identifier(struct ctx *c, TSNode n, const char *name, int depth);

static struct cl_value *eval_binary(struct ctx *c, TSNode n, int depth)
{
	TSNode l = field(n, "left"), r = field(n, "right"), op = field(n, "operator");
	if (ts_node_is_null(l) || ts_node_is_null(r))
		return unknown(c, n);
	const char *o = ts_node_is_null(op) ? "" : text(c, op);
	if (is(n, "boolean_operator"))
		o = text_eq(c, op, "or") ? "||" : "&&";
	struct cl_value *a = eval(c, l, depth + 1);
	if (!strcmp(o, "??") || !strcmp(o, "||")) {
		if (a->kind == CL_V_UNKNOWN || a->kind == CL_V_NULL || a->env) {
			if (a->kind != CL_V_UNKNOWN && a->kind != CL_V_NULL)
				return a;
			struct cl_value *b = eval(c, r, depth + 1);
			return a->env ? env_value(c, n, a->env, b) : b;
		}
		return a;
	}
	struct cl_value *b = eval(c, r, depth + 1);
	if (a->kind == CL_V_NUMBER && b->kind == CL_V_NUMBER) {
		struct cl_value *v = new_value(c, CL_V_NUMBER, n);
		switch (o[0]) {
		case '+': v->num = a->num + b->num; break;
		case '-': v->num = a->num - b->num; break;
		case '*': v->num = o[1] == '*' ? pow(a->num, b->num) : a->num * b->num; break;
		case '/': v->num = b->num != 0 ? a->num / b->num : INFINITY; break;
		default: return unknown(c, n);
		}
		return v;
	}
	if (!strcmp(o, "+") && (a->kind == CL_V_STRING || b->kind == CL_V_STRING)) {
		struct cl_value *v = new_value(c, CL_V_STRING, n);
		const char *sa = a->kind == CL_V_STRING ? a->str : "";
		const char *sb = b->kind == CL_V_STRING ? b->str : "";
		size_t la = a->kind == CL_V_STRING ? a->len : 0, lb = b->kind == CL_V_STRING ? b->len : 0;
		char *s = cl_arena_alloc(c->A, la + lb + 1);
		memcpy(s, sa, la);
		memcpy(s + la, sb, lb);
		v->str = s;
		v->len = la + lb;
		v->open = a->kind != CL_V_STRING || b->kind != CL_V_STRING || a->open || b->open;
		return v;
	}
	return unknown(c, n);
}

static struct cl_value *eval_object(struct ctx *c, TSNode n, int depth)
{
	struct cl_value *obj = empty_object(c, n);
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		const char *t = type_of(ch);
		if (!strcmp(t, "pair")) {
			TSNode key = field(ch, "key"), val = field(ch, "value");
			const char *ks;
			if (is(key, "string")) {
				bool partial = false;
				ks = string_content(c, key, &partial);
			} else if (is(key, "computed_property_name")) {
				obj->open = true;
				continue;
			} else {
				ks = text(c, key);
			}
			object_put(c, obj, ks, eval(c, val, depth + 1));
		} else if (!strcmp(t, "shorthand_property_identifier")) {
			/* { timeout } is { timeout: timeout } */
			const char *name = text(c, ch);
			object_put(c, obj, name, eval_identifier(c, ch, name, depth + 1));
		} else if (!strcmp(t, "spread_element") || !strcmp(t, "dictionary_splat")) {
			merge_into(c, obj, eval(c, ts_node_named_child(ch, 0), depth + 1));
		} else if (!strcmp(t, "method_definition")) {
			TSNode name = field(ch, "name");
			if (!ts_node_is_null(name))
				object_put(c, obj, text(c, name), unknown(c, ch));
		} else if (strcmp(t, "comment") != 0) {
			obj->open = true;
		}
	}
	return obj;
}

/* A scalar read through a name is reported where the name is used (the
 * argument line), not where the constant is defined. */
static struct cl_value *at_use(struct ctx *c, struct cl_value *v, TSNode n)
{
	if (v->kind != CL_V_STRING && v->kind != CL_V_NUMBER && v->kind != CL_V_BOOL &&
	    v->kind != CL_V_NULL && v->kind != CL_V_SIGNAL && v->kind != CL_V_UNKNOWN)
		return v;
	struct cl_value *copy = cl_arena_alloc(c->A, sizeof *copy);
	*copy = *v;
	copy->span = span_of(n);
	return copy;
}

/* The value binding B holds, read at node N: a value binding is evaluated
 * once and cached (a binding being evaluated reads as unknown, which breaks
 * cycles); an import is an IMPORT value for project.c to resolve; a parameter
 * is a client when its type names one. */
static struct cl_value *binding_value(struct ctx *c, struct binding *b, TSNode n, int depth)
{
	switch (b->kind) {
	case B_IMPORT: {
		struct cl_value *v = new_value(c, CL_V_IMPORT, n);
		v->module = b->module;
		v->name = b->imported;
		v->from_file = c->f->path;
		return v;
	}
	case B_PARAM:
		return type_names_client(b->type) ? client_value(c, n, -1) : unknown(c, n);
	case B_VALUE:
		break;
	}
	if (b->cache)
		return at_use(c, b->cache, n);
	if (b->evaluating || ts_node_is_null(b->value) || depth > EVAL_DEPTH)
		return unknown(c, n);
	const char *m = require_module(c, b->value);
	if (m) {
		struct cl_value *v = new_value(c, CL_V_IMPORT, n);
		v->module = m;
		v->name = "*";
		v->from_file = c->f->path;
		return v;
	}
	b->evaluating = true;
	struct cl_value *v = eval(c, b->value, depth + 1);
	b->evaluating = false;
	b->cache = v;
	return at_use(c, v, n);
}

static struct cl_value *eval_identifier(struct ctx *c, TSNode n, const char *name, int depth)
{
	if (!strcmp(name, "undefined"))
		return new_value(c, CL_V_NULL, n);
	if (!strcmp(name, "Infinity")) {
		struct cl_value *v = new_value(c, CL_V_NUMBER, n);
		v->num = INFINITY;
		return v;
	}
	struct binding *b = lookup(c, name, ts_node_start_byte(n));
	return b ? binding_value(c, b, n, depth) : unknown(c, n);
}

static struct cl_value *eval(struct ctx *c, TSNode n, int depth)
{
	if (ts_node_is_null(n) || depth > EVAL_DEPTH)
		return unknown(c, n);
	const char *t = ts_node_type(n);
	switch (t[0]) {
	case 'a':
		if (!strcmp(t, "as_expression") || !strcmp(t, "await_expression"))
			return eval(c, ts_node_named_child(n, 0), depth + 1);
		if (!strcmp(t, "array"))
			goto list;
		if (!strcmp(t, "attribute"))
			goto member;
		if (!strcmp(t, "arguments"))
			return unknown(c, n);
		break;
	case 'b':
		if (!strcmp(t, "binary_expression") || !strcmp(t, "binary_operator") ||
		    !strcmp(t, "boolean_operator"))
			return eval_binary(c, n, depth);
		break;
	case 'c':
		if (!strcmp(t, "call") || !strcmp(t, "call_expression"))
			return eval_call(c, n, depth);
		if (!strcmp(t, "concatenated_string"))
			goto string;
		break;
	case 'd':
		if (!strcmp(t, "dictionary"))
			return eval_object(c, n, depth);
		break;
	case 'e':
		if (!strcmp(t, "expression_statement"))
			return eval(c, ts_node_named_child(n, 0), depth + 1);
		break;
	case 'f':
		if (!strcmp(t, "false")) {
			struct cl_value *v = new_value(c, CL_V_BOOL, n);
			v->b = false;
			return v;
		}
		if (!strcmp(t, "float"))
			goto number;
		break;
	case 'i':
		if (!strcmp(t, "identifier"))
			return eval_identifier(c, n, text(c, n), depth);
		if (!strcmp(t, "integer"))
			goto number;
		break;
	case 'l':
		if (!strcmp(t, "list") || !strcmp(t, "list_splat"))
			goto list;
		break;
	case 'm':
		if (!strcmp(t, "member_expression"))
			goto member;
		break;
	case 'n':
		if (!strcmp(t, "number"))
			goto number;
		if (!strcmp(t, "null") || !strcmp(t, "none"))
			return new_value(c, CL_V_NULL, n);
		if (!strcmp(t, "new_expression"))
			return eval_call(c, n, depth);
		if (!strcmp(t, "non_null_expression"))
			return eval(c, ts_node_named_child(n, 0), depth + 1);
		break;
	case 'o':
		if (!strcmp(t, "object"))
			return eval_object(c, n, depth);
		break;
	case 'p':
		if (!strcmp(t, "parenthesized_expression"))
			return eval(c, ts_node_named_child(n, 0), depth + 1);
		break;
	case 's':
		if (!strcmp(t, "string"))
			goto string;
		if (!strcmp(t, "satisfies_expression"))
			return eval(c, ts_node_named_child(n, 0), depth + 1);
		if (!strcmp(t, "subscript") || !strcmp(t, "subscript_expression"))
			goto subscript;
		break;
	case 't':
		if (!strcmp(t, "true")) {
			struct cl_value *v = new_value(c, CL_V_BOOL, n);
			v->b = true;
			return v;
		}
		if (!strcmp(t, "template_string"))
			goto string;
		if (!strcmp(t, "type_assertion"))
			return eval(c, ts_node_named_child(n, ts_node_named_child_count(n) - 1), depth + 1);
		break;
	case 'u':
		if (!strcmp(t, "unary_expression") || !strcmp(t, "unary_operator")) {
			TSNode arg = field(n, "argument");
			if (ts_node_is_null(arg))
				arg = field(n, "operand");
			struct cl_value *a = eval(c, arg, depth + 1);
			TSNode op = field(n, "operator");
			if (a->kind == CL_V_NUMBER && !ts_node_is_null(op) && text_eq(c, op, "-")) {
				struct cl_value *v = new_value(c, CL_V_NUMBER, n);
				v->num = -a->num;
				return v;
			}
			if (a->kind == CL_V_NUMBER && !ts_node_is_null(op) && text_eq(c, op, "+"))
				return a;
			return unknown(c, n);
		}
		break;
	}
	return unknown(c, n);

number: {
	struct cl_value *v = new_value(c, CL_V_NUMBER, n);
	v->num = parse_number(text(c, n));
	return v;
}
string: {
	bool partial = false;
	struct cl_value *v = new_value(c, CL_V_STRING, n);
	v->str = string_content_eval(c, n, &partial, depth);
	v->len = strlen(v->str);
	v->open = partial;
	return v;
}
list: {
	struct cl_value *v = new_value(c, CL_V_ARRAY, n);
	uint32_t k = ts_node_named_child_count(n);
	v->items = cl_arena_alloc(c->A, (k + 1) * sizeof *v->items);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (is(ch, "comment"))
			continue;
		v->items[v->nitems++] = eval(c, ch, depth + 1);
	}
	return v;
}
member: {
	const char *env = c->py ? NULL : js_env_name(c, n);
	if (env)
		return env_value(c, n, env, NULL);
	const char *full = text(c, n);
	if (!strncmp(full, "self.", 5) || !strncmp(full, "this.", 5)) {
		struct binding *b = lookup(c, full, ts_node_start_byte(n));
		return b ? binding_value(c, b, n, depth) : unknown(c, n);
	}
	TSNode obj = field(n, "object");
	TSNode prop = field(n, c->py ? "attribute" : "property");
	struct cl_value *o = eval(c, obj, depth + 1);
	if (o->kind == CL_V_OBJECT && !ts_node_is_null(prop)) {
		struct cl_value *v = cl_value_get(o, text(c, prop));
		if (v)
			return v;
	}
	if (o->kind == CL_V_IMPORT && !ts_node_is_null(prop) && !strcmp(o->name, "*")) {
		/* `import * as config from "./config"; config.MODEL` */
		struct cl_value *v = new_value(c, CL_V_IMPORT, n);
		v->module = o->module;
		v->name = text(c, prop);
		v->from_file = o->from_file;
		return v;
	}
	return unknown(c, n);
}
subscript: {
	TSNode obj = field(n, c->py ? "value" : "object");
	TSNode idx = c->py ? field(n, "subscript") : field(n, "index");
	if (ts_node_is_null(obj) || ts_node_is_null(idx))
		return unknown(c, n);
	if (c->py && (text_eq(c, obj, "os.environ") || text_eq(c, obj, "environ")) && is(idx, "string")) {
		bool partial = false;
		return env_value(c, n, string_content(c, idx, &partial), NULL);
	}
	const char *env = c->py ? NULL : js_env_name(c, n);
	if (env)
		return env_value(c, n, env, NULL);
	struct cl_value *o = eval(c, obj, depth + 1);
	struct cl_value *k = eval(c, idx, depth + 1);
	if (o->kind == CL_V_OBJECT && k->kind == CL_V_STRING) {
		struct cl_value *v = cl_value_get(o, k->str);
		if (v)
			return v;
	}
	return unknown(c, n);
}
}

/* The member chain of a callee, innermost first: for `a.b.c` the props are
 * {"c", "b"} and the base node is `a`. */
struct chain {
	const char *props[8];
	TSNode objs[8];   /* objs[i]: the object the prop props[i] is read from */
	int n;
};

static void callee_chain(struct ctx *c, TSNode callee, struct chain *ch)
{
	ch->n = 0;
	TSNode n = callee;
	while (ch->n < 8 && (is(n, "attribute") || is(n, "member_expression"))) {
		TSNode prop = field(n, c->py ? "attribute" : "property");
		TSNode obj = field(n, "object");
		if (ts_node_is_null(prop) || ts_node_is_null(obj))
			break;
		ch->props[ch->n] = text(c, prop);
		ch->objs[ch->n] = obj;
		ch->n++;
		n = obj;
	}
}

static const char *last_prop(struct ctx *c, TSNode callee)
{
	if (is(callee, "attribute"))
		return text(c, field(callee, "attribute"));
	if (is(callee, "member_expression"))
		return text(c, field(callee, "property"));
	if (is(callee, "identifier"))
		return text(c, callee);
	return "";
}

static struct cl_value *eval_call(struct ctx *c, TSNode n, int depth)
{
	bool is_new = is(n, "new_expression");
	TSNode callee = field(n, is_new ? "constructor" : "function");
	TSNode argsn = field(n, "arguments");
	if (ts_node_is_null(callee))
		return unknown(c, n);
	if (ts_node_is_null(argsn) || !(is(argsn, "arguments") || is(argsn, "argument_list")))
		return unknown(c, n);
	static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", "os.environ.setdefault", NULL};
	static const char *const serialize[] = {"JSON.stringify", "json.dumps", "orjson.dumps", NULL};
	const char *cls = NULL;
	const char *kind = constructor_kind(c, callee, &cls);
	if (kind) {
		struct args a = eval_args(c, argsn, depth);
		struct cl_value *opts = c->py ? a.kw : as_object(c, arg(c, &a, 0, NULL));
		enum cl_client_kind k = client_kind_from(kind);
		return register_client(c, n, k, cls, opts, -1, NULL);
	}
	const char *last = last_prop(c, callee);
	if (cl_surface_has("client_option_methods", last) && (is(callee, "attribute") || is(callee, "member_expression"))) {
		struct cl_value *base = eval(c, field(callee, "object"), depth + 1);
		if (base->kind == CL_V_CLIENT || base->kind == CL_V_IMPORT) {
			struct args a = eval_args(c, argsn, depth);
			struct cl_value *opts = c->py ? a.kw : as_object(c, arg(c, &a, 0, NULL));
			int parent = base->kind == CL_V_CLIENT && base->owner == c->f ? base->client : -1;
			return register_client(c, n, CL_CLIENT_DERIVED, last, opts, parent,
				base->kind == CL_V_IMPORT ? base : NULL);
		}
		return unknown(c, n);
	}
	if (c->py && callee_is(c, callee, env_get)) {
		struct args a = eval_args(c, argsn, depth);
		struct cl_value *name = arg(c, &a, 0, "key");
		if (name->kind != CL_V_STRING)
			return unknown(c, n);
		struct cl_value *d = a.npos > 1 ? a.pos[1] : cl_value_get(a.kw, "default");
		return env_value(c, n, name->str, d);
	}
	if (callee_is(c, callee, serialize)) {
		TSNode a0 = ts_node_named_child(argsn, 0);
		return eval(c, a0, depth + 1);
	}
	if (!strcmp(last, "Timeout") || !strcmp(last, "ClientTimeout")) {
		struct args a = eval_args(c, argsn, depth);
		struct cl_value *v = cl_value_get(a.kw, "read");
		if (!v)
			v = cl_value_get(a.kw, "total");
		if (!v)
			v = arg(c, &a, 0, "timeout");
		if (v->kind == CL_V_NUMBER || v->kind == CL_V_NULL) {
			struct cl_value *r = cl_arena_alloc(c->A, sizeof *r);
			*r = *v;
			r->span = span_of(n);
			return r;
		}
		return unknown(c, n);
	}
	if (!c->py && text_eq(c, callee, "AbortSignal.timeout")) {
		struct args a = eval_args(c, argsn, depth);
		struct cl_value *ms = arg(c, &a, 0, NULL);
		struct cl_value *v = new_value(c, CL_V_SIGNAL, n);
		v->num = ms->kind == CL_V_NUMBER ? ms->num : 0;
		return v;
	}
	if (!c->py) {
		/* Vercel AI SDK: anthropic('claude-…'), provider('…'), provider.languageModel('…') */
		struct symbol s;
		bool provider = false;
		if (resolve_symbol(c, callee, &s, 0) &&
		    cl_surface_symbol("ai_sdk_providers", false, s.module, s.name))
			provider = true;
		if (!provider && is(callee, "member_expression") &&
		    cl_surface_has("ai_sdk_provider_methods", last)) {
			TSNode obj = field(callee, "object");
			if (resolve_symbol(c, obj, &s, 0) &&
			    cl_surface_symbol("ai_sdk_providers", false, s.module, s.name))
				provider = true;
			else {
				struct cl_value *o = eval(c, obj, depth + 1);
				provider = o->kind == CL_V_CLIENT && o->owner == c->f && o->client >= 0 &&
					c->f->clients.v[o->client].kind == CL_CLIENT_AISDK_PROVIDER;
			}
		}
		if (!provider && is(callee, "identifier")) {
			struct cl_value *o = eval(c, callee, depth + 1);
			provider = o->kind == CL_V_CLIENT && o->owner == c->f && o->client >= 0 &&
				c->f->clients.v[o->client].kind == CL_CLIENT_AISDK_PROVIDER;
		}
		if (provider) {
			struct args a = eval_args(c, argsn, depth);
			struct cl_value *id = arg(c, &a, 0, NULL);
			struct cl_value *v = new_value(c, CL_V_AI_MODEL, n);
			v->str = id->kind == CL_V_STRING ? id->str : "";
			v->len = strlen(v->str);
			return v;
		}
	}
	{
		struct symbol s;
		if (resolve_symbol(c, callee, &s, 0) &&
		    cl_surface_symbol("chat_model_factories", c->py, s.module, s.name)) {
			struct args a = eval_args(c, argsn, depth);
			struct cl_value *model = arg(c, &a, 0, "model");
			struct cl_value *provider = cl_value_get(a.kw, "model_provider");
			bool claude = (model->kind == CL_V_STRING &&
				(strstr(model->str, "claude") || !strncmp(model->str, "anthropic:", 10))) ||
				(provider && provider->kind == CL_V_STRING && !strcmp(provider->str, "anthropic"));
			if (claude) {
				struct cl_value *opts = c->py ? a.kw : as_object(c, arg(c, &a, 1, NULL));
				if (c->py && !cl_value_get(opts, "model"))
					object_put(c, opts, "model", model);
				return register_client(c, n, CL_CLIENT_LANGCHAIN, s.name, opts, -1, NULL);
			}
		}
		if (resolve_symbol(c, callee, &s, 0) &&
		    cl_surface_symbol("http_functions", c->py, s.module, s.name) &&
		    (!strcmp(s.name, "Client") || !strcmp(s.name, "AsyncClient") ||
		     !strcmp(s.name, "Session") || !strcmp(s.name, "ClientSession") ||
		     !strcmp(s.name, "create"))) {
			/* an HTTP client: its options apply to its requests */
			struct args a = eval_args(c, argsn, depth);
			struct cl_value *opts = c->py ? a.kw : as_object(c, arg(c, &a, 0, NULL));
			struct cl_value *o = empty_object(c, n);
			merge_into(c, o, opts);
			o->open = opts->open;
			object_put(c, o, "__http_client__", new_value(c, CL_V_BOOL, n));
			return o;
		}
	}
	if (c->py && text_eq(c, callee, "dict")) {
		struct args a = eval_args(c, argsn, depth);
		if (a.npos == 0)
			return a.kw;
		return unknown(c, n);
	}
	return unknown(c, n);
}

/* ------------------------------------------------------------------------ */
/* Calls.                                                                   */

static bool text_has_ci(const char *s, size_t n, const char *needle)
{
	size_t m = strlen(needle);
	for (size_t i = 0; i + m <= n; i++)
		if (!strncasecmp(s + i, needle, m))
			return true;
	return false;
}

static bool is_function_node(TSNode n)
{
	const char *t = type_of(n);
	return !strcmp(t, "function_definition") || !strcmp(t, "function_declaration") ||
		!strcmp(t, "arrow_function") || !strcmp(t, "function_expression") ||
		!strcmp(t, "method_definition") || !strcmp(t, "lambda") ||
		!strcmp(t, "function");
}

static bool is_loop_node(TSNode n)
{
	const char *t = type_of(n);
	return !strcmp(t, "for_statement") || !strcmp(t, "while_statement") ||
		!strcmp(t, "do_statement") || !strcmp(t, "for_in_statement");
}

/* Marks a raw HTTP call that is re-sent on failure: inside a loop that looks
 * at 429/529/overload, inside a retry decorator, or passed to a retry helper. */
static void retry_context(struct ctx *c, TSNode n, struct cl_call *call)
{
	const char *src = c->src->data;
	int guard = 0;
	for (TSNode p = ts_node_parent(n); !ts_node_is_null(p) && guard < 200; p = ts_node_parent(p), guard++) {
		uint32_t s = ts_node_start_byte(p), e = ts_node_end_byte(p);
		if (is_loop_node(p)) {
			if (text_has_ci(src + s, e - s, "429") || text_has_ci(src + s, e - s, "529") ||
			    text_has_ci(src + s, e - s, "overloaded") || text_has_ci(src + s, e - s, "retry") ||
			    text_has_ci(src + s, e - s, "attempt"))
				call->in_retry_loop = true;
		}
		if (is(p, "decorated_definition")) {
			uint32_t k = ts_node_named_child_count(p);
			for (uint32_t i = 0; i < k; i++) {
				TSNode d = ts_node_named_child(p, i);
				if (!is(d, "decorator"))
					continue;
				uint32_t ds = ts_node_start_byte(d), de = ts_node_end_byte(d);
				if (text_has_ci(src + ds, de - ds, "retry") || text_has_ci(src + ds, de - ds, "backoff"))
					call->retry_wrapped = true;
			}
		}
		if (is(p, "call_expression") || is(p, "call")) {
			TSNode fn = field(p, "function");
			uint32_t fs = ts_node_start_byte(fn), fe = ts_node_end_byte(fn);
			if (!ts_node_is_null(fn) && (text_has_ci(src + fs, fe - fs, "retry") ||
			    text_has_ci(src + fs, fe - fs, "backoff")))
				call->retry_wrapped = true;
		}
		if (is_function_node(p) && !call->retry_wrapped) {
			/* the enclosing function handed to a retry helper elsewhere in the file */
			TSNode name = field(p, "name");
			if (ts_node_is_null(name) && (is(p, "arrow_function") || is(p, "function_expression"))) {
				TSNode decl = ts_node_parent(p);
				if (is(decl, "variable_declarator"))
					name = field(decl, "name");
			}
			if (!ts_node_is_null(name)) {
				const char *nm = text(c, name);
				for (size_t i = 0; i < c->calls.n && !call->retry_wrapped; i++) {
					TSNode other = c->calls.v[i];
					TSNode fn = field(other, "function");
					if (ts_node_is_null(fn))
						continue;
					uint32_t fs = ts_node_start_byte(fn), fe = ts_node_end_byte(fn);
					if (!text_has_ci(src + fs, fe - fs, "retry") && !text_has_ci(src + fs, fe - fs, "backoff"))
						continue;
					uint32_t os = ts_node_start_byte(other), oe = ts_node_end_byte(other);
					if (text_has_ci(src + os, oe - os, nm))
						call->retry_wrapped = true;
				}
			}
		}
	}
}

static bool anthropic_url(const struct cl_value *url)
{
	if (!url || url->kind != CL_V_STRING)
		return false;
	return strstr(url->str, "api.anthropic.com") != NULL;
}

static bool messages_path(const struct cl_value *url)
{
	return url && url->kind == CL_V_STRING && strstr(url->str, "/v1/messages") != NULL;
}

static bool anthropic_headers(const struct cl_value *opts)
{
	struct cl_value *h = cl_value_get(opts, "headers");
	if (!h || h->kind != CL_V_OBJECT)
		return false;
	for (size_t i = 0; i < h->npairs; i++)
		if (!strcasecmp(h->pairs[i].key, "x-api-key") || !strcasecmp(h->pairs[i].key, "anthropic-version"))
			return true;
	return false;
}

static struct cl_call *add_call(struct ctx *c, TSNode n, enum cl_call_kind kind, const char *method)
{
	struct cl_call call;
	memset(&call, 0, sizeof call);
	call.kind = kind;
	call.method = method;
	call.span = span_of(n);
	cl_vec_push(&c->f->calls, call);
	return &c->f->calls.v[c->f->calls.n - 1];
}

/* `signal: controller.signal` bounds the request only when a timer armed
 * before the request aborts that controller; otherwise the option is
 * renamed so that it does not count as a timeout. */
static void untimed_signal(struct ctx *c, TSNode call, struct cl_value *opts)
{
	for (size_t i = 0; i < opts->npairs; i++) {
		struct cl_kv *kv = &opts->pairs[i];
		if (strcmp(kv->key, "signal") != 0 || kv->val->kind != CL_V_UNKNOWN)
			continue;
		uint32_t s = kv->val->span.start, e = kv->val->span.end;
		if (e <= s || e > c->src->len || e - s < 8 || memcmp(c->src->data + e - 7, ".signal", 7) != 0)
			continue;
		char needle[128];
		int n = snprintf(needle, sizeof needle, "%.*s.abort", (int)(e - s - 7), c->src->data + s);
		if (n < 0 || (size_t)n >= sizeof needle)
			continue;
		bool armed = false;
		uint32_t start = ts_node_start_byte(call);
		for (size_t k = 0; k < c->calls.n && !armed; k++) {
			TSNode t = c->calls.v[k];
			if (ts_node_start_byte(t) >= start)
				break;
			TSNode fn = field(t, "function");
			if (ts_node_is_null(fn) || !text_eq(c, fn, "setTimeout"))
				continue;
			uint32_t ts = ts_node_start_byte(t), te = ts_node_end_byte(t);
			armed = memmem(c->src->data + ts, te - ts, needle, (size_t)n) != NULL;
		}
		if (!armed)
			kv->key = "__signal_without_timer__";
	}
}

static bool raw_http_call(struct ctx *c, TSNode n, TSNode callee, TSNode argsn)
{
	const char *last = last_prop(c, callee);
	struct symbol s = {NULL, NULL};
	bool resolved = resolve_symbol(c, callee, &s, 0);
	bool fetchlike = is(callee, "identifier") && (!strcmp(last, "fetch") || !strcmp(last, "$fetch") ||
		!strcmp(last, "ofetch"));
	bool known = resolved && cl_surface_symbol("http_functions", c->py, s.module, s.name);
	bool method = cl_surface_has("http_methods", last);
	if (!fetchlike && !known && !method)
		return false;
	struct args a = eval_args(c, argsn, 0);
	struct cl_value *url = arg(c, &a, 0, "url");
	struct cl_value *cfg0 = NULL;
	if (url->kind == CL_V_OBJECT) { /* axios({ url, data }) */
		cfg0 = url;
		url = cl_value_get(cfg0, "url");
	}
	struct cl_value *params = NULL, *opts = NULL;
	if (c->py) {
		opts = a.kw;
		params = cl_value_get(a.kw, "json");
		if (!params)
			params = cl_value_get(a.kw, "data");
		if (!params)
			params = cl_value_get(a.kw, "content");
	} else if (cfg0) {
		opts = cfg0;
		params = cl_value_get(cfg0, "data");
	} else if (fetchlike || (!strcmp(last, "request") && !resolved)) {
		opts = as_object(c, arg(c, &a, 1, NULL));
		params = cl_value_get(opts, "body");
	} else if ((resolved && (!strcmp(s.module, "got") || !strcmp(s.module, "ky"))) ||
		   (!resolved && a.npos == 2 && a.pos[1]->kind == CL_V_OBJECT && cl_value_get(a.pos[1], "json"))) {
		opts = as_object(c, arg(c, &a, 1, NULL));
		params = cl_value_get(opts, "json");
	} else {
		/* axios.post(url, data, config) */
		params = arg(c, &a, 1, NULL);
		opts = as_object(c, arg(c, &a, 2, NULL));
	}
	if (!url || !(anthropic_url(url) || (messages_path(url) && anthropic_headers(opts))))
		return false;
	/* the client the request is sent through: httpx.Client(timeout=…), axios.create(…) */
	if (is(callee, "attribute") || is(callee, "member_expression")) {
		struct cl_value *recv = eval(c, field(callee, "object"), 0);
		if (recv->kind == CL_V_OBJECT && cl_value_get(recv, "__http_client__")) {
			struct cl_value *merged = empty_object(c, (TSNode){0});
			merged->span = opts->span;
			merge_into(c, merged, recv);
			merge_into(c, merged, opts);
			merged->open = recv->open || opts->open;
			opts = merged;
		}
	}
	untimed_signal(c, n, opts);
	const char *lib = fetchlike ? "fetch" : resolved ? s.module : text(c, callee);
	struct cl_call *call = add_call(c, n, CL_CALL_RAW_HTTP, last);
	call->lib = lib;
	call->params = params ? as_object(c, params) : as_object(c, NULL);
	call->opts = opts;
	call->counts_for_max_tokens = params != NULL && strstr(url->str, "/messages") != NULL &&
		!strstr(url->str, "count_tokens") && !strstr(url->str, "/batches");
	retry_context(c, n, call);
	return true;
}

static void process_call(struct ctx *c, TSNode n)
{
	bool is_new = is(n, "new_expression");
	TSNode callee = field(n, is_new ? "constructor" : "function");
	TSNode argsn = field(n, "arguments");
	if (ts_node_is_null(callee) || ts_node_is_null(argsn))
		return;
	const char *cls;
	if (constructor_kind(c, callee, &cls)) {
		eval(c, n, 0); /* registers the client */
		return;
	}
	if (is_new)
		return;
	struct chain ch;
	callee_chain(c, callee, &ch);
	/* SDK methods, longest suffix first: beta.messages.create before messages.create */
	for (int k = ch.n; k >= 1; k--) {
		char method[128];
		size_t len = 0;
		method[0] = 0;
		for (int i = k - 1; i >= 0 && len < sizeof method - 1; i--)
			len += (size_t)snprintf(method + len, sizeof method - len, "%s%s", ch.props[i], i ? "." : "");
		if (len >= sizeof method || !cl_surface_has("sdk_methods", method))
			continue;
		struct cl_value *recv = eval(c, ch.objs[k - 1], 0);
		bool claude = recv->kind == CL_V_IMPORT ||
			(recv->kind == CL_V_CLIENT && (recv->client < 0 || recv->owner != c->f ||
				c->f->clients.v[recv->client].kind <= CL_CLIENT_DERIVED)) ||
			(recv->kind == CL_V_UNKNOWN && c->anthropic_sdk_import && !c->other_llm_import);
		if (!claude)
			return;
		struct args a = eval_args(c, argsn, 0);
		struct cl_call *call = add_call(c, n, CL_CALL_SDK, cl_arena_strdup(c->A, method));
		call->client = recv->kind == CL_V_UNKNOWN ? NULL : recv;
		if (c->py) {
			call->params = a.kw;
			call->opts = a.kw;
		} else {
			call->params = as_object(c, arg(c, &a, 0, NULL));
			call->opts = as_object(c, arg(c, &a, 1, NULL));
		}
		call->counts_for_max_tokens = cl_surface_has("sdk_methods_with_body", method);
		if (recv->kind == CL_V_CLIENT && recv->owner == c->f && recv->client >= 0)
			c->f->clients.v[recv->client].used = true;
		return;
	}
	const char *last = last_prop(c, callee);
	if (ch.n >= 1 && cl_surface_has("wrapper_methods", last)) {
		struct cl_value *recv = eval(c, ch.objs[0], 0);
		bool wrapper = recv->kind == CL_V_CLIENT && recv->owner == c->f && recv->client >= 0 &&
			(c->f->clients.v[recv->client].kind == CL_CLIENT_LANGCHAIN ||
			 c->f->clients.v[recv->client].kind == CL_CLIENT_LLAMAINDEX);
		if (wrapper) {
			struct args a = eval_args(c, argsn, 0);
			struct cl_call *call = add_call(c, n, CL_CALL_WRAPPER, last);
			call->client = recv;
			call->params = c->py ? a.kw : as_object(c, arg(c, &a, 1, NULL));
			call->opts = call->params;
			c->f->clients.v[recv->client].used = true;
			return;
		}
	}
	struct symbol s;
	if (resolve_symbol(c, callee, &s, 0)) {
		if (cl_surface_symbol("ai_sdk_functions", c->py, s.module, s.name)) {
			struct args a = eval_args(c, argsn, 0);
			struct cl_value *p = as_object(c, arg(c, &a, 0, NULL));
			struct cl_value *model = cl_value_get(p, "model");
			bool claude = model && (model->kind == CL_V_AI_MODEL || model->kind == CL_V_IMPORT ||
				(model->kind == CL_V_STRING && !strncmp(model->str, "anthropic/", 10)));
			if (claude) {
				struct cl_call *call = add_call(c, n, CL_CALL_AISDK, s.name);
				call->params = p;
				call->opts = p;
				call->counts_for_max_tokens = true;
			}
			return;
		}
		if (cl_surface_symbol("litellm_functions", c->py, s.module, s.name)) {
			struct args a = eval_args(c, argsn, 0);
			struct cl_value *model = arg(c, &a, 0, "model");
			if (model->kind == CL_V_STRING && cl_surface_has_prefix("litellm_model_prefixes", model->str)) {
				struct cl_call *call = add_call(c, n, CL_CALL_LITELLM, s.name);
				call->params = a.kw;
				call->opts = a.kw;
				if (!cl_value_get(a.kw, "model"))
					object_put(c, a.kw, "model", model);
				call->counts_for_max_tokens = true;
			}
			return;
		}
	}
	raw_http_call(c, n, callee, argsn);
}

/* ------------------------------------------------------------------------ */
/* Strings that are model ids.                                              */

static bool looks_like_model(const char *s, size_t n)
{
	if (n < 8 || n > 100)
		return false;
	for (size_t i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r' || s[i] == '"' || s[i] == '\'')
			return false;
	const char *p = s;
	while ((p = strstr(p, "claude-"))) {
		if ((p == s || p[-1] == '.' || p[-1] == '/' || p[-1] == ':') &&
		    ((p[7] >= 'a' && p[7] <= 'z') || (p[7] >= '0' && p[7] <= '9')))
			return true;
		p += 7;
	}
	return false;
}

/* The env variable whose default string node N is, or NULL. */
static const char *env_default_of(struct ctx *c, TSNode n)
{
	TSNode p = ts_node_parent(n);
	while (is(p, "parenthesized_expression"))
		p = ts_node_parent(p);
	if (c->py && is(p, "argument_list")) {
		TSNode call = ts_node_parent(p);
		static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", NULL};
		if (!is(call, "call") || !callee_is(c, field(call, "function"), env_get))
			return NULL;
		TSNode a0 = ts_node_named_child(p, 0);
		if (ts_node_eq(a0, n) || !is(a0, "string"))
			return NULL;
		bool partial = false;
		return string_content(c, a0, &partial);
	}
	if (c->py && is(p, "keyword_argument")) {
		TSNode name = field(p, "name");
		TSNode args = ts_node_parent(p);
		if (!text_eq(c, name, "default") || !is(args, "argument_list"))
			return NULL;
		TSNode call = ts_node_parent(args);
		static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", NULL};
		if (!is(call, "call") || !callee_is(c, field(call, "function"), env_get))
			return NULL;
		TSNode a0 = ts_node_named_child(args, 0);
		bool partial = false;
		return is(a0, "string") ? string_content(c, a0, &partial) : NULL;
	}
	if (is(p, "binary_expression") || is(p, "boolean_operator")) {
		TSNode l = field(p, "left"), r = field(p, "right");
		if (!ts_node_eq(r, n))
			return NULL;
		while (is(l, "parenthesized_expression"))
			l = ts_node_named_child(l, 0);
		if (c->py) {
			if (is(l, "call")) {
				static const char *const env_get[] = {"os.environ.get", "os.getenv", "environ.get", "getenv", NULL};
				if (!callee_is(c, field(l, "function"), env_get))
					return NULL;
				TSNode a0 = ts_node_named_child(field(l, "arguments"), 0);
				bool partial = false;
				return is(a0, "string") ? string_content(c, a0, &partial) : NULL;
			}
			return NULL;
		}
		return js_env_name(c, l);
	}
	return NULL;
}

static void process_string(struct ctx *c, TSNode n)
{
	TSNode parent = ts_node_parent(n);
	/* docstrings and directives are prose, and a string inside a string
	 * (concatenation parts) is handled by its parent */
	if (is(parent, "expression_statement") || is(parent, "concatenated_string"))
		return;
	uint32_t k = ts_node_named_child_count(n);
	for (uint32_t i = 0; i < k; i++) {
		TSNode ch = ts_node_named_child(n, i);
		if (is(ch, "interpolation") || is(ch, "template_substitution"))
			return;
		if (is(ch, "string_content") && ts_node_named_child_count(ch) &&
		    is(ts_node_named_child(ch, 0), "interpolation"))
			return;
	}
	uint32_t s = ts_node_start_byte(n), e = ts_node_end_byte(n);
	if (e - s > 200 || !memmem(c->src->data + s, e - s, "claude-", 7))
		return;
	bool partial = false;
	const char *str = string_content(c, n, &partial);
	while (*str == ' ')
		str++;
	size_t len = strlen(str);
	while (len && str[len - 1] == ' ')
		len--;
	if (partial || !looks_like_model(str, len))
		return;
	struct cl_model_ref ref;
	memset(&ref, 0, sizeof ref);
	ref.id = cl_arena_strndup(c->A, str, len);
	ref.span = span_of(n);
	ref.env = env_default_of(c, n);
	ref.env_default = ref.env != NULL;
	cl_vec_push(&c->f->models, ref);
}

/* ------------------------------------------------------------------------ */
/* Bindings from the query.                                                 */

static void process_bind(struct ctx *c, TSNode bind, TSNode name, TSNode value)
{
	const char *t = type_of(name);
	uint32_t pos = ts_node_start_byte(bind);
	if (!strcmp(t, "identifier")) {
		struct binding *b = add_binding(c, text(c, name), pos, false);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (!strcmp(t, "attribute") || !strcmp(t, "member_expression")) {
		const char *full = text(c, name);
		bool file_scope = !strncmp(full, "self.", 5) || !strncmp(full, "this.", 5) ||
			!strncmp(full, "module.exports", 14) || !strncmp(full, "exports.", 8);
		if (!file_scope)
			return;
		struct binding *b = add_binding(c, full, pos, true);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (!strcmp(t, "property_identifier") || !strcmp(t, "private_property_identifier")) {
		/* a class field: `client = new Anthropic()` is this.client */
		const char *nm = text(c, name);
		struct binding *b = add_binding(c, cl_arena_printf(c->A, "this.%s", nm[0] == '#' ? nm + 1 : nm), pos, true);
		b->kind = B_VALUE;
		b->value = value;
		return;
	}
	if (!strcmp(t, "object_pattern")) {
		/* const { Anthropic } = require("@anthropic-ai/sdk") */
		const char *m = require_module(c, value);
		if (!m)
			return;
		uint32_t k = ts_node_named_child_count(name);
		for (uint32_t i = 0; i < k; i++) {
			TSNode ch = ts_node_named_child(name, i);
			if (is(ch, "shorthand_property_identifier_pattern")) {
				const char *nm = text(c, ch);
				bind_import(c, bind, nm, m, nm);
			} else if (is(ch, "pair_pattern")) {
				TSNode key = field(ch, "key"), val = field(ch, "value");
				if (is(val, "identifier"))
					bind_import(c, bind, text(c, val), m, text(c, key));
			}
		}
	}
}

static void process_param(struct ctx *c, TSNode param, TSNode name)
{
	struct binding *b = add_binding(c, text(c, name), ts_node_start_byte(name), false);
	b->kind = B_PARAM;
	TSNode type = field(param, "type");
	b->type = ts_node_is_null(type) ? NULL : text(c, type);
	if (is(param, "public_field_definition")) {
		b->name = cl_arena_printf(c->A, "this.%s", b->name);
		b->scope_start = 0;
		b->scope_end = UINT32_MAX;
		return;
	}
	/* constructor(private client: Anthropic): also this.client */
	uint32_t k = ts_node_child_count(param);
	for (uint32_t i = 0; i < k; i++) {
		if (is(ts_node_child(param, i), "accessibility_modifier")) {
			struct binding *t = add_binding(c, cl_arena_printf(c->A, "this.%s", text(c, name)),
				ts_node_start_byte(name), true);
			t->kind = B_PARAM;
			t->type = c->binds.v[c->binds.n - 2].type;
			break;
		}
	}
}

static bool use_client_directive(struct ctx *c)
{
	uint32_t k = ts_node_named_child_count(c->root);
	for (uint32_t i = 0; i < k && i < 4; i++) {
		TSNode ch = ts_node_named_child(c->root, i);
		if (is(ch, "comment"))
			continue;
		if (!is(ch, "expression_statement"))
			return false;
		TSNode s = ts_node_named_child(ch, 0);
		if (!is(s, "string"))
			return false;
		if (text_eq(c, s, "\"use client\"") || text_eq(c, s, "'use client'"))
			return true;
	}
	return false;
}

/* ------------------------------------------------------------------------ */
/* The driver.                                                              */

struct pending_bind {
	TSNode bind, name, value;
};
struct pending_param {
	TSNode param, name;
};

void cl_facts_init_empty(struct cl_file_facts *f, const char *path, enum cl_lang lang)
{
	memset(f, 0, sizeof *f);
	cl_arena_init(&f->arena);
	f->path = path;
	f->lang = lang;
}

bool cl_facts_extract(struct cl_parser *p, const struct cl_source *src,
	struct cl_file_facts *f, const char **note)
{
	int l = lang_index(src->lang);
	*note = NULL;
	if (l < 0)
		return true;
	ts_parser_set_language(p->ts, language(l));
	ts_parser_set_timeout_micros(p->ts, PARSE_TIMEOUT_MICROS);
	TSTree *tree = ts_parser_parse_string(p->ts, NULL, src->data, (uint32_t)src->len);
	if (!tree) {
		ts_parser_reset(p->ts);
		*note = "parse time budget exceeded; only text rules ran on this file";
		return false;
	}
	struct ctx c;
	memset(&c, 0, sizeof c);
	c.src = src;
	c.f = f;
	c.A = &f->arena;
	c.py = l == LANG_PY;
	c.root = ts_tree_root_node(tree);
	f->parse_error = ts_node_has_error(c.root);
	f->use_client = !c.py && use_client_directive(&c);

	CL_VEC(struct pending_bind) binds = {0};
	CL_VEC(struct pending_param) params = {0};
	CL_VEC(TSNode) export_values = {0};
	ts_query_cursor_exec(p->cursor, Q.query[l], c.root);
	TSQueryMatch m;
	while (ts_query_cursor_next_match(p->cursor, &m)) {
		TSNode nodes[NCAPS];
		bool have[NCAPS] = {false};
		for (uint16_t i = 0; i < m.capture_count; i++) {
			int cap = Q.capmap[l][m.captures[i].index];
			if (cap >= 0) {
				nodes[cap] = m.captures[i].node;
				have[cap] = true;
			}
		}
		if (have[CAP_IMPORT]) {
			cl_vec_push(&c.imports, nodes[CAP_IMPORT]);
		} else if (have[CAP_BIND] && have[CAP_BIND_NAME] && have[CAP_BIND_VALUE]) {
			struct pending_bind b = {nodes[CAP_BIND], nodes[CAP_BIND_NAME], nodes[CAP_BIND_VALUE]};
			cl_vec_push(&binds, b);
		} else if (have[CAP_CALL] || have[CAP_NEW]) {
			cl_vec_push(&c.calls, have[CAP_CALL] ? nodes[CAP_CALL] : nodes[CAP_NEW]);
		} else if (have[CAP_SCOPE]) {
			struct scope s = {ts_node_start_byte(nodes[CAP_SCOPE]), ts_node_end_byte(nodes[CAP_SCOPE]), -1};
			cl_vec_push(&c.scopes, s);
		} else if (have[CAP_PARAM] && have[CAP_PARAM_NAME]) {
			struct pending_param pp = {nodes[CAP_PARAM], nodes[CAP_PARAM_NAME]};
			cl_vec_push(&params, pp);
		} else if (have[CAP_STRING]) {
			cl_vec_push(&c.strings, nodes[CAP_STRING]);
		} else if (have[CAP_EXPORT] && have[CAP_EXPORT_VALUE]) {
			cl_vec_push(&export_values, nodes[CAP_EXPORT_VALUE]);
		}
	}
	index_scopes(&c);
	/* names first (all of them: a function may use a constant defined below it) */
	for (size_t i = 0; i < c.imports.n; i++) {
		if (c.py)
			py_import(&c, c.imports.v[i]);
		else
			js_import(&c, c.imports.v[i]);
	}
	for (size_t i = 0; i < params.n; i++)
		process_param(&c, params.v[i].param, params.v[i].name);
	for (size_t i = 0; i < binds.n; i++)
		process_bind(&c, binds.v[i].bind, binds.v[i].name, binds.v[i].value);
	index_bindings(&c);
	/* then what they say */
	for (size_t i = 0; i < c.calls.n; i++)
		process_call(&c, c.calls.v[i]);
	for (size_t i = 0; i < c.strings.n; i++)
		process_string(&c, c.strings.v[i]);
	for (size_t i = 0; i < c.binds.n; i++) {
		struct binding *b = &c.binds.v[i];
		if (b->scope_start != 0 || b->scope_end != UINT32_MAX || b->kind == B_PARAM)
			continue;
		const char *name = b->name;
		if (!strncmp(name, "self.", 5) || !strncmp(name, "this.", 5))
			continue;
		if (!strcmp(name, "module.exports"))
			name = "default";
		else if (!strncmp(name, "module.exports.", 15))
			name += 15;
		else if (!strncmp(name, "exports.", 8))
			name += 8;
		struct cl_export ex = {name, binding_value(&c, b, b->value, 0)};
		cl_vec_push(&f->exports, ex);
	}
	for (size_t i = 0; i < export_values.n; i++) {
		struct cl_export ex = {"default", eval(&c, export_values.v[i], 0)};
		cl_vec_push(&f->exports, ex);
	}
	cl_vec_free(&binds);
	cl_vec_free(&params);
	cl_vec_free(&export_values);
	cl_vec_free(&c.binds);
	cl_vec_free(&c.scopes);
	cl_vec_free(&c.imports);
	cl_vec_free(&c.calls);
	cl_vec_free(&c.strings);
	cl_vec_free(&c.client_starts);
	free(c.buckets);
	ts_tree_delete(tree);
	return true;
}

void cl_facts_finish(struct cl_file_facts *f)
{
	if (!f)
		return;
	cl_vec_free(&f->clients);
	cl_vec_free(&f->calls);
	cl_vec_free(&f->models);
	cl_vec_free(&f->exports);
	cl_vec_free(&f->imported_modules);
	cl_arena_finish(&f->arena);
}

/* snake_case <-> camelCase: "max_tokens" and "maxTokens" name one option. */
static bool key_eq(const char *a, const char *b)
{
	for (;;) {
		if (*a == '_' && *b != '_') {
			a++;
			if (!*a || !*b || (*a | 32) != (*b | 32))
				return false;
			a++, b++;
			continue;
		}
		if (*b == '_' && *a != '_') {
			b++;
			if (!*a || !*b || (*a | 32) != (*b | 32))
				return false;
			a++, b++;
			continue;
		}
		if (*a != *b)
			return false;
		if (!*a)
			return true;
		a++, b++;
	}
}

struct cl_value *cl_value_get(const struct cl_value *obj, const char *key)
{
	if (!obj || obj->kind != CL_V_OBJECT)
		return NULL;
	for (size_t i = obj->npairs; i-- > 0;)
		if (!strcmp(obj->pairs[i].key, key))
			return obj->pairs[i].val;
	for (size_t i = obj->npairs; i-- > 0;)
		if (key_eq(obj->pairs[i].key, key))
			return obj->pairs[i].val;
	return NULL;
}

struct cl_value *cl_value_path(const struct cl_value *obj, const char *path)
{
	char part[64];
	const struct cl_value *v = obj;
	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);
		if (n >= sizeof part)
			return NULL;
		memcpy(part, path, n);
		part[n] = 0;
		v = cl_value_get(v, part);
		path += n + (dot ? 1 : 0);
	}
	return (struct cl_value *)v;
}
