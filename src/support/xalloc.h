/*
 * xalloc.h — allocation that never returns NULL: on out-of-memory claudit
 * prints one line and exits 3. Also a growable-array macro and an arena.
 * Owns: nothing global.
 */
#ifndef CL_XALLOC_H
#define CL_XALLOC_H
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);                 /* caller frees with free() */
char *xstrndup(const char *s, size_t n);      /* caller frees with free() */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Out-of-memory recovery for one file's analysis: between cl_oom_arm and
 * cl_oom_disarm (same thread), an allocation that fails jumps to JB (set
 * with setjmp) instead of exiting 3, so the file gets a note and the run
 * goes on. CLAUDIT_ANALYSIS_MAX_BYTES (read by cl_oom_init) makes an armed
 * region fail once it has asked for that many bytes: how the tests reach
 * this path without exhausting the machine.
 */
#include <setjmp.h>
void cl_oom_init(void);
void cl_oom_arm(jmp_buf *jb);
void cl_oom_disarm(void);

/* Growable array: struct { T *v; size_t n, cap; }. */
#define CL_VEC(T) struct { T *v; size_t n, cap; }
#define cl_vec_push(vec, item) do { \
	if ((vec)->n == (vec)->cap) { \
		(vec)->cap = (vec)->cap ? 2 * (vec)->cap : 8; \
		(vec)->v = xrealloc((vec)->v, (vec)->cap * sizeof *(vec)->v); \
	} \
	(vec)->v[(vec)->n++] = (item); \
} while (0)
#define cl_vec_free(vec) do { free((vec)->v); (vec)->v = NULL; (vec)->n = (vec)->cap = 0; } while (0)

/*
 * Arena: bump allocation in chunks, released all at once. One per scanned
 * file: its facts, values and strings live here until the run ends.
 */
struct cl_arena_chunk;
struct cl_arena {
	struct cl_arena_chunk *head;
	size_t bytes; /* what its chunks hold in all (a file's analysis is capped on it) */
};

void cl_arena_init(struct cl_arena *a);
void cl_arena_finish(struct cl_arena *a); /* frees every chunk */
void *cl_arena_alloc(struct cl_arena *a, size_t n); /* zeroed, 8-aligned */
char *cl_arena_strndup(struct cl_arena *a, const char *s, size_t n);
char *cl_arena_strdup(struct cl_arena *a, const char *s);
char *cl_arena_printf(struct cl_arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
