/* log.c: "reinit: ..." lines on stderr, built without stdio. */
#include "init/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

int log_level = LOG_WARN;

/* Appends the strings to buf, cut at the end; one write() keeps a line whole
 * when the child writes to the same stderr. */
static void
vwrite(int fd, const char *prefix, const char *s, va_list ap, int nl)
{
	char buf[1024];
	size_t n = 0, len;
	ssize_t w;

	if (!prefix)
		prefix = "";
	for (; prefix || s; prefix ? (prefix = 0) : (s = va_arg(ap, const char *))) {
		const char *p = prefix ? prefix : s;

		len = strlen(p);
		if (len > sizeof(buf) - 1 - n)
			len = sizeof(buf) - 1 - n;
		memcpy(buf + n, p, len);
		n += len;
	}
	if (nl)
		buf[n++] = '\n';
	for (s = buf; n > 0; s += w, n -= (size_t)w)
		if ((w = write(fd, s, n)) < 0) {
			if (errno != EINTR)
				return;
			w = 0;
		}
}

void
log_msg_(int level, const char *s, ...)
{
	va_list ap;

	if (level > log_level)
		return;
	va_start(ap, s);
	vwrite(2, "reinit: ", s, ap, 1);
	va_end(ap);
}

void
log_write_(int fd, const char *s, ...)
{
	va_list ap;

	va_start(ap, s);
	vwrite(fd, 0, s, ap, 0);
	va_end(ap);
}

const char *
log_num(char *buf, long long n)
{
	char *p = buf + LOG_NUM - 1;
	unsigned long long u = n < 0 ? 0 - (unsigned long long)n : (unsigned long long)n;

	*p = 0;
	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10));
	if (n < 0)
		*--p = '-';
	return p;
}

const char *
log_strerror(int err)
{
	switch (err) {
	case EPERM: return "operation not permitted";
	case ENOENT: return "no such file or directory";
	case ESRCH: return "no such process";
	case EINTR: return "interrupted";
	case EIO: return "input/output error";
	case E2BIG: return "argument list too long";
	case ENOEXEC: return "exec format error";
	case EBADF: return "bad file descriptor";
	case ECHILD: return "no child processes";
	case EAGAIN: return "resource temporarily unavailable";
	case ENOMEM: return "out of memory";
	case EACCES: return "permission denied";
	case EEXIST: return "file exists";
	case ENOTDIR: return "not a directory";
	case EISDIR: return "is a directory";
	case EINVAL: return "invalid argument";
	case ENFILE: return "too many open files in system";
	case EMFILE: return "too many open files";
	case ETXTBSY: return "text file busy";
	case ENOSPC: return "no space left (or limit reached)";
	case EROFS: return "read-only file system";
	case ENAMETOOLONG: return "name too long";
	case ELOOP: return "too many levels of symbolic links";
	case ENOSYS: return "not supported by this kernel";
	default: {
		static char buf[32] = "error ";
		char num[LOG_NUM];
		const char *n = log_num(num, err);

		memcpy(buf + 6, n, strlen(n) + 1);
		return buf;
	}
	}
}
