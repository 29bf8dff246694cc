/*
 * fileio.c — non-blocking regular-file reads and replace-by-rename writes
 * (fileio.h).
 */
#include "scan/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "support/xalloc.h"

int cl_file_open_regular(int dirfd, const char *path, bool nofollow, const char **why)
{
	int fd = openat(dirfd, path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY |
		(nofollow ? O_NOFOLLOW : 0));
	if (fd < 0) {
		int e = errno;
		*why = e == ELOOP && nofollow ? "a symbolic link" : strerror(e);
		errno = e;
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		*why = "not a regular file";
		errno = EINVAL;
		return -1;
	}
	/* a regular file never blocks; reads see EAGAIN on no filesystem, but
	 * clear the flag so a network filesystem behaves as usual */
	int fl = fcntl(fd, F_GETFL);
	if (fl >= 0)
		(void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	return fd;
}

char *cl_file_read_fd(int fd, size_t max, size_t *len, const char **why)
{
	struct stat st;
	size_t cap = 4096, n = 0;
	if (fstat(fd, &st) == 0 && st.st_size > 0)
		cap = (size_t)st.st_size < max ? (size_t)st.st_size + 1 : max + 1;
	char *buf = xmalloc(cap);
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max) {
				free(buf);
				*why = "larger than the limit";
				errno = EFBIG;
				return NULL;
			}
			cap = cap * 2 > max + 1 ? max + 1 : cap * 2;
			buf = xrealloc(buf, cap);
		}
		ssize_t r = read(fd, buf + n, cap - n - 1);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			free(buf);
			*why = strerror(e);
			errno = e;
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	buf[n] = 0;
	*len = n;
	return buf;
}

char *cl_file_read(int dirfd, const char *path, bool nofollow, size_t max, size_t *len,
	const char **why)
{
	int fd = cl_file_open_regular(dirfd, path, nofollow, why);
	if (fd < 0)
		return NULL;
	char *buf = cl_file_read_fd(fd, max, len, why);
	int e = errno;
	close(fd);
	errno = e;
	return buf;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

bool cl_outfile_dir_writable(const char *path)
{
	char *dir = dir_of(path);
	bool ok = access(dir, W_OK | X_OK) == 0;
	free(dir);
	return ok;
}

bool cl_outfile_open(struct cl_outfile *o, const char *target, char **err)
{
	memset(o, 0, sizeof *o);
	struct stat st;
	if (stat(target, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		/* /dev/stdout, /dev/null, a pipe: written as they are (renaming
		 * over them would replace the device or the link to it) */
		if (!(o->f = fopen(target, "w"))) {
			*err = xstrdup(strerror(errno));
			return false;
		}
		o->target = xstrdup(target);
		return true;
	}
	char *dir = dir_of(target);
	o->tmp = xasprintf("%s/.claudit-out-XXXXXX", dir);
	free(dir);
	int fd = mkstemp(o->tmp);
	if (fd < 0 || !(o->f = fdopen(fd, "w"))) {
		*err = xstrdup(strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(o->tmp);
		}
		free(o->tmp);
		o->tmp = NULL;
		return false;
	}
	mode_t mask = umask(0);
	umask(mask);
	(void)fchmod(fd, 0666 & ~mask);
	o->target = xstrdup(target);
	return true;
}

bool cl_outfile_commit(struct cl_outfile *o, char **err)
{
	bool ok = !ferror(o->f);
	ok = fclose(o->f) == 0 && ok;
	o->f = NULL;
	int e = ok ? 0 : errno ? errno : EIO;
	if (ok && o->tmp && rename(o->tmp, o->target) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		*err = xstrdup(strerror(e));
		if (o->tmp)
			unlink(o->tmp);
	}
	free(o->tmp);
	free(o->target);
	memset(o, 0, sizeof *o);
	return ok;
}

void cl_outfile_abort(struct cl_outfile *o)
{
	if (!o || !o->f)
		return;
	fclose(o->f);
	if (o->tmp)
		unlink(o->tmp);
	free(o->tmp);
	free(o->target);
	memset(o, 0, sizeof *o);
}

bool cl_path_within(const char *path, const char *root_real)
{
	char *real = realpath(path, NULL);
	if (!real)
		return false;
	size_t n = strlen(root_real);
	bool in = strcmp(root_real, "/") == 0 ||
		(strncmp(real, root_real, n) == 0 && (real[n] == '\0' || real[n] == '/'));
	free(real);
	return in;
}
