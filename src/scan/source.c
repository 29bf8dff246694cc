/*
 * source.c — reads one file, classifies it by name, and indexes its lines.
 */
#include "scan/source.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/fileio.h"
#include "support/xalloc.h"

const char *cl_path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

static const char *ext_of(const char *path)
{
	const char *base = cl_path_basename(path);
	const char *dot = strrchr(base, '.');
	return dot && dot != base ? dot + 1 : "";
}

enum cl_lang cl_source_lang_of(const char *path)
{
	static const struct { const char *ext; enum cl_lang lang; } table[] = {
		{"cjs", CL_LANG_JAVASCRIPT}, {"cts", CL_LANG_TYPESCRIPT},
		{"js", CL_LANG_JAVASCRIPT},  {"jsx", CL_LANG_JAVASCRIPT},
		{"mjs", CL_LANG_JAVASCRIPT}, {"mts", CL_LANG_TYPESCRIPT},
		{"py", CL_LANG_PYTHON},      {"pyi", CL_LANG_PYTHON},
		{"ts", CL_LANG_TYPESCRIPT},  {"tsx", CL_LANG_TSX},
	};
	const char *ext = ext_of(path);
	/* A declaration file ("app.d.ts") holds types, never code that runs: it
	 * gets the text rules only. "bundle.min.js" is parsed like any JS. */
	const char *base = cl_path_basename(path);
	size_t bl = strlen(base);
	static const char *const decl[] = {".d.ts", ".d.mts", ".d.cts"};
	for (size_t i = 0; i < sizeof decl / sizeof *decl; i++) {
		size_t dl = strlen(decl[i]);
		if (bl > dl && strcmp(base + bl - dl, decl[i]) == 0)
			return CL_LANG_TEXT;
	}
	for (size_t i = 0; i < sizeof table / sizeof *table; i++)
		if (strcmp(ext, table[i].ext) == 0)
			return table[i].lang;
	return CL_LANG_TEXT;
}

enum cl_text_kind cl_source_text_kind_of(const char *path)
{
	const char *base = cl_path_basename(path);
	const char *ext = ext_of(path);
	if (strcmp(base, ".env") == 0 || strncmp(base, ".env.", 5) == 0 ||
	    strcmp(ext, "env") == 0) {
		static const char *const examples[] = {"example", "sample", "template", "dist", "defaults"};
		for (size_t i = 0; i < sizeof examples / sizeof *examples; i++)
			if (strcasestr(base, examples[i]))
				return CL_TEXT_ENV_EXAMPLE;
		return CL_TEXT_ENV;
	}
	if (!strcasecmp(ext, "json") || !strcasecmp(ext, "jsonc") || !strcasecmp(ext, "json5"))
		return CL_TEXT_JSON;
	if (!strcasecmp(ext, "yaml") || !strcasecmp(ext, "yml"))
		return CL_TEXT_YAML;
	if (!strcasecmp(ext, "toml"))
		return CL_TEXT_TOML;
	if (!strcasecmp(ext, "ipynb"))
		return CL_TEXT_NOTEBOOK;
	if (!strcasecmp(ext, "md") || !strcasecmp(ext, "mdx") || !strcasecmp(ext, "rst") ||
	    !strcasecmp(ext, "txt") || !strcasecmp(ext, "adoc") || !strcasecmp(ext, "markdown"))
		return CL_TEXT_PROSE;
	return CL_TEXT_OTHER;
}

const char *cl_lang_name(enum cl_lang lang)
{
	switch (lang) {
	case CL_LANG_PYTHON: return "python";
	case CL_LANG_JAVASCRIPT: return "javascript";
	case CL_LANG_TYPESCRIPT: return "typescript";
	case CL_LANG_TSX: return "tsx";
	case CL_LANG_TEXT: break;
	}
	return "text";
}

bool cl_source_is_binary(const char *data, size_t len)
{
	size_t n = len < 8192 ? len : 8192;
	return memchr(data, 0, n) != NULL;
}

static void index_lines(struct cl_source *src)
{
	size_t cap = 64;
	src->line_starts = xmalloc(cap * sizeof *src->line_starts);
	src->nlines = 0;
	src->line_starts[src->nlines++] = 0;
	const char *p = src->data, *end = src->data + src->len;
	while ((p = memchr(p, '\n', (size_t)(end - p)))) {
		p++;
		if (src->nlines == cap) {
			cap *= 2;
			src->line_starts = xrealloc(src->line_starts, cap * sizeof *src->line_starts);
		}
		src->line_starts[src->nlines++] = (uint32_t)(p - src->data);
	}
}

/* Text saved as UTF-16 with a byte-order mark (PowerShell's default for
 * `>` and Out-File) re-encoded as UTF-8: unpaired surrogates become U+FFFD,
 * an odd last byte is dropped. False when DATA has no UTF-16 BOM. */
static bool utf16_to_utf8(char **data, size_t *len)
{
	const unsigned char *in = (const unsigned char *)*data;
	size_t n = *len;
	bool le = n >= 2 && in[0] == 0xff && in[1] == 0xfe, be = n >= 2 && in[0] == 0xfe && in[1] == 0xff;
	if (!le && !be)
		return false;
	char *out = xmalloc((n / 2) * 3 + 1), *o = out;
	for (size_t i = 2; i + 1 < n; i += 2) {
		uint32_t u = le ? (uint32_t)(in[i] | in[i + 1] << 8) : (uint32_t)(in[i] << 8 | in[i + 1]);
		if (u >= 0xd800 && u <= 0xdbff && i + 3 < n) {
			uint32_t v = le ? (uint32_t)(in[i + 2] | in[i + 3] << 8) : (uint32_t)(in[i + 2] << 8 | in[i + 3]);
			if (v >= 0xdc00 && v <= 0xdfff) {
				u = 0x10000 + ((u - 0xd800) << 10) + (v - 0xdc00);
				i += 2;
			}
		}
		if (u >= 0xd800 && u <= 0xdfff)
			u = 0xfffd;
		if (u < 0x80) {
			*o++ = (char)u;
		} else if (u < 0x800) {
			*o++ = (char)(0xc0 | u >> 6);
			*o++ = (char)(0x80 | (u & 0x3f));
		} else if (u < 0x10000) {
			*o++ = (char)(0xe0 | u >> 12);
			*o++ = (char)(0x80 | (u >> 6 & 0x3f));
			*o++ = (char)(0x80 | (u & 0x3f));
		} else {
			*o++ = (char)(0xf0 | u >> 18);
			*o++ = (char)(0x80 | (u >> 12 & 0x3f));
			*o++ = (char)(0x80 | (u >> 6 & 0x3f));
			*o++ = (char)(0x80 | (u & 0x3f));
		}
	}
	*o = 0;
	free(*data);
	*data = out;
	*len = (size_t)(o - out);
	return true;
}

static void init_common(struct cl_source *src, const char *path, bool strip_bom)
{
	/* A UTF-8 byte-order mark is an encoding signature, not text: columns on
	 * line 1 count from after it, as editors show them. */
	if (strip_bom)
		utf16_to_utf8(&src->data, &src->len);
	if (strip_bom && src->len >= 3 && memcmp(src->data, "\xef\xbb\xbf", 3) == 0) {
		memmove(src->data, src->data + 3, src->len - 2);
		src->len -= 3;
	}
	src->lang = cl_source_lang_of(path);
	src->text_kind = cl_source_text_kind_of(path);
}

int cl_source_load(struct cl_source *src, const char *fs_path, const char *path,
	const char **err)
{
	memset(src, 0, sizeof *src);
	src->path = path;
	src->fs_path = fs_path;
	const char *why;
	int fd = cl_file_open_regular(AT_FDCWD, fs_path, false, &why);
	if (fd < 0) {
		*err = errno == ENOENT ? "vanished before it could be read"
			: errno == EACCES ? "unreadable: permission denied"
			: errno == EINVAL ? "not a regular file" : "unreadable";
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		*err = "unreadable";
		return -1;
	}
	return cl_source_load_fd(src, fd, st.st_size, fs_path, path, err);
}

int cl_source_load_fd(struct cl_source *src, int fd, off_t size, const char *fs_path, const char *path,
	const char **err)
{
	memset(src, 0, sizeof *src);
	src->path = path;
	src->fs_path = fs_path;
	/* Files of 4 GiB and more cannot be indexed with 32-bit offsets. */
	if ((unsigned long long)size >= 0xffffffffull) {
		close(fd);
		*err = "too large to read (4 GiB or more)";
		return -1;
	}
	size_t cap = (size_t)size + 1, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap) {
			if (cap >= 0xfffffffful) {
				free(buf);
				close(fd);
				*err = "too large to read (4 GiB or more)";
				return -1;
			}
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t n = read(fd, buf + len, cap - len - 1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			free(buf);
			close(fd);
			*err = "read error";
			return -1;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	buf[len] = 0;
	src->data = buf;
	src->len = len;
	init_common(src, path, true);
	return 0;
}

static void init_copy(struct cl_source *src, const char *path, const char *data, size_t len,
	bool strip_bom)
{
	memset(src, 0, sizeof *src);
	src->path = path;
	src->fs_path = path;
	src->data = xmalloc(len + 1);
	memcpy(src->data, data, len);
	src->data[len] = 0;
	src->len = len;
	init_common(src, path, strip_bom);
}

void cl_source_init_mem(struct cl_source *src, const char *path, const char *data, size_t len)
{
	init_copy(src, path, data, len, true);
}

void cl_source_init_window(struct cl_source *src, const char *path, const char *data, size_t len)
{
	init_copy(src, path, data, len, false);
}

void cl_source_init_borrowed(struct cl_source *src, const char *path, char *data, size_t len)
{
	memset(src, 0, sizeof *src);
	src->path = path;
	src->fs_path = path;
	src->data = data;
	src->len = len;
	init_common(src, path, false);
}

void cl_source_finish_borrowed(struct cl_source *src)
{
	src->data = NULL;
	cl_source_finish(src);
}

void cl_source_finish(struct cl_source *src)
{
	if (!src)
		return;
	free(src->data);
	free(src->line_starts);
	src->data = NULL;
	src->line_starts = NULL;
}

/* SRC's line index, built on first use: most files never report a
 * position (a pass over every byte of every file saved). SRC belongs to one
 * thread at a time, so the cache needs no lock. */
static const struct cl_source *lines(const struct cl_source *src)
{
	if (!src->line_starts)
		index_lines((struct cl_source *)src);
	return src;
}

size_t cl_source_nlines(const struct cl_source *src)
{
	return lines(src)->nlines;
}

void cl_source_position(const struct cl_source *src, size_t offset, unsigned *line, unsigned *col)
{
	lines(src);
	size_t lo = 0, hi = src->nlines;
	while (hi - lo > 1) {
		size_t mid = (lo + hi) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	*line = (unsigned)lo + 1;
	*col = (unsigned)(offset - src->line_starts[lo]) + 1;
}

const char *cl_source_line(const struct cl_source *src, unsigned line, size_t *len)
{
	lines(src);
	if (line == 0 || line > src->nlines) {
		*len = 0;
		return "";
	}
	size_t start = src->line_starts[line - 1];
	size_t end = line < src->nlines ? src->line_starts[line] : src->len;
	while (end > start && (src->data[end - 1] == '\n' || src->data[end - 1] == '\r'))
		end--;
	*len = end - start;
	return src->data + start;
}
