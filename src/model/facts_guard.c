/*
 * facts_guard.c — what keeps one file's analysis bounded (issue 11): the
 * per-file work budget and its counter, the refusal of input the parser
 * library cannot survive, and the recovery from running out of memory
 * inside a file's analysis (a note, not exit 3). The analysis itself is
 * facts.c's facts_extract_file.
 */
#include "model/facts_internal.h"

#include <setjmp.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>

/* Analysis steps per file: linear in its size, so no input costs more than
 * linear time; the constants leave ordinary files (a few steps per byte)
 * far below it. CLAUDIT_WORK_BUDGET (a number of steps) replaces the budget
 * of every file, for tests. */
#define WORK_BASE 1000000ull
#define WORK_PER_BYTE 64ull
static uint64_t work_base = WORK_BASE, work_per_byte = WORK_PER_BYTE;
static _Atomic uint64_t work_total;

uint64_t facts_work_budget(size_t len)
{
	return work_base + work_per_byte * len;
}

/* Bytes a file's analysis may hold in its arena: 64 MiB, and 512 bytes per
 * byte of source above that. Ordinary files use a few hundred KiB; a shape
 * whose values multiply (a long method chain, each link re-evaluating the
 * ones before it) stops here with the work-budget note instead of growing
 * to gigabytes. */
#define MEM_BASE ((size_t)64 << 20)
#define MEM_PER_BYTE 512u
size_t facts_mem_budget(size_t len)
{
	return MEM_BASE + MEM_PER_BYTE * len;
}

void facts_work_add(uint64_t steps)
{
	atomic_fetch_add(&work_total, steps);
}

uint64_t cl_facts_work_total(void)
{
	return atomic_load(&work_total);
}

bool facts_too_nested(const char *s, size_t len)
{
	long depth = 0;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];
		if (ch == '(' || ch == '[' || ch == '{')
			depth++;
		else if ((ch == ')' || ch == ']' || ch == '}') && depth > 0)
			depth--;
	}
	return depth > MAX_BRACKET_DEPTH;
}

/* tree-sitter allocates through claudit's allocator, so running out of
 * memory inside a parse is caught like any other (xalloc.h). */
static void *ts_xmalloc(size_t n)
{
	return xmalloc(n);
}

static void *ts_xcalloc(size_t n, size_t size)
{
	return xcalloc(n, size);
}

static void *ts_xrealloc(void *p, size_t n)
{
	return xrealloc(p, n);
}

bool facts_guard_init(char **err)
{
	cl_oom_init();
	ts_set_allocator(ts_xmalloc, ts_xcalloc, ts_xrealloc, free);
	const char *work = getenv("CLAUDIT_WORK_BUDGET");
	if (work && *work) {
		char *end;
		unsigned long long v = strtoull(work, &end, 10);
		if (*end || v < 1) {
			*err = xasprintf("CLAUDIT_WORK_BUDGET: expected a number of steps, not '%s'", work);
			return false;
		}
		work_per_byte = 0;
		work_base = v;
	}
	return true;
}

bool cl_facts_extract(struct cl_parser *p, const struct cl_source *src,
	struct cl_file_facts *f, const char **note)
{
	(void)facts_query_ready(src->lang); /* never jump out holding its lock */
	jmp_buf jb;
	if (setjmp(jb)) {
		/* out of memory in this file: its partial facts go, and so does the
		 * parser, whose state is unknown after the jump */
		cl_oom_disarm();
		const char *path = f->path;
		enum cl_lang lang = f->lang;
		cl_facts_finish(f);
		cl_facts_init_empty(f, path, lang);
		if (p->tree)
			ts_tree_delete(p->tree);
		p->tree = NULL;
		ts_parser_delete(p->ts);
		ts_query_cursor_delete(p->cursor);
		p->ts = ts_parser_new();
		p->cursor = ts_query_cursor_new();
		*note = "out of memory while analysing this file: only the text rules ran on it";
		return false;
	}
	cl_oom_arm(&jb);
	bool ok = facts_extract_file(p, src, f, note);
	cl_oom_disarm();
	return ok;
}
