#include "support/xalloc.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static _Thread_local jmp_buf *oom_jump;
static _Thread_local size_t oom_asked;
static size_t oom_limit; /* CLAUDIT_ANALYSIS_MAX_BYTES; 0: none */

void cl_oom_init(void)
{
	const char *env = getenv("CLAUDIT_ANALYSIS_MAX_BYTES");
	oom_limit = env ? (size_t)strtoull(env, NULL, 10) : 0;
}

void cl_oom_arm(jmp_buf *jb)
{
	oom_jump = jb;
	oom_asked = 0;
}

void cl_oom_disarm(void)
{
	oom_jump = NULL;
}

static void oom(void)
{
	if (oom_jump) {
		jmp_buf *jb = oom_jump;
		oom_jump = NULL;
		longjmp(*jb, 1);
	}
	fputs("claudit: out of memory\n", stderr);
	exit(3);
}

/* In an armed region past the test limit, an allocation fails. */
static bool over_limit(size_t n)
{
	if (!oom_jump || !oom_limit)
		return false;
	oom_asked += n;
	return oom_asked > oom_limit;
}

void *xmalloc(size_t n)
{
	void *p = over_limit(n) ? NULL : malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = over_limit(n * size) ? NULL : calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom();
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = over_limit(n) ? NULL : realloc(p, n ? n : 1);
	if (!q)
		oom();
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

/* FMT made of text and up to 8 "%s" with no NULL argument (paths: "%s/%s",
 * "%s%s") is joined with memcpy, which costs a small part of vsnprintf's two
 * passes (a third of the discovery's time); NULL for any other FMT. */
static char *join(const char *fmt, va_list ap, void *(*alloc)(void *, size_t), void *ctx)
{
	const char *arg[8];
	size_t len[8], n = 0, total = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		if (p[1] != 's' || n == 8)
			return NULL;
		p++;
		n++;
	}
	va_list ap2;
	va_copy(ap2, ap);
	for (size_t k = 0; k < n; k++)
		arg[k] = va_arg(ap2, const char *);
	va_end(ap2);
	for (size_t k = 0; k < n; k++) {
		if (!arg[k])
			return NULL; /* vsnprintf's "(null)" */
		len[k] = strlen(arg[k]);
		total += len[k];
	}
	total += strlen(fmt) - 2 * n;
	char *s = alloc(ctx, total + 1), *o = s;
	size_t k = 0;
	for (const char *p = fmt; *p; p++) {
		if (*p == '%') {
			memcpy(o, arg[k], len[k]);
			o += len[k++];
			p++;
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
	return s;
}

static char *vformat(const char *fmt, va_list ap, void *(*alloc)(void *, size_t), void *ctx)
{
	char *joined = join(fmt, ap, alloc, ctx);
	if (joined)
		return joined;
	va_list ap2;
	va_copy(ap2, ap);
	char probe[1];
	int n = vsnprintf(probe, sizeof probe, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *s = alloc(ctx, (size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

static void *heap_alloc(void *ctx, size_t n)
{
	(void)ctx;
	return xmalloc(n);
}

char *xasprintf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(fmt, ap, heap_alloc, NULL);
	va_end(ap);
	return s;
}

struct cl_arena_chunk {
	struct cl_arena_chunk *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};

#define CHUNK_SIZE (64 * 1024)
#define FIRST_CHUNK_SIZE (4 * 1024)

void cl_arena_init(struct cl_arena *a)
{
	a->head = NULL;
	a->bytes = 0;
}

void cl_arena_finish(struct cl_arena *a)
{
	if (!a)
		return;
	struct cl_arena_chunk *c = a->head;
	while (c) {
		struct cl_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

void *cl_arena_alloc(struct cl_arena *a, size_t n)
{
	n = (n + 7) & ~(size_t)7;
	struct cl_arena_chunk *c = a->head;
	if (!c || c->size - c->used < n) {
		/* chunks grow from 4 KiB: most files keep a few strings, and every
		 * file's arena lives until the report is written */
		size_t size = c ? (c->size < CHUNK_SIZE ? c->size * 2 : CHUNK_SIZE) : FIRST_CHUNK_SIZE;
		if (n > CHUNK_SIZE / 2)
			size = n;
		else if (size < n)
			size = n;
		c = xmalloc(sizeof *c + size);
		c->used = 0;
		c->size = size;
		a->bytes += size;
		if (n > CHUNK_SIZE / 2 && a->head) {
			/* big one-off block: keep the current chunk at the head */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	void *p = c->data + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *cl_arena_strndup(struct cl_arena *a, const char *s, size_t n)
{
	char *d = cl_arena_alloc(a, n + 1);
	memcpy(d, s, n);
	d[n] = 0;
	return d;
}

char *cl_arena_strdup(struct cl_arena *a, const char *s)
{
	return cl_arena_strndup(a, s, strlen(s));
}

static void *arena_alloc_cb(void *ctx, size_t n)
{
	return cl_arena_alloc(ctx, n);
}

char *cl_arena_printf(struct cl_arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = vformat(fmt, ap, arena_alloc_cb, a);
	va_end(ap);
	return s;
}
