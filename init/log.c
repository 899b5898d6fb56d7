/* log.c: "reinit: ..." lines on stderr, built without stdio. */
#include "init/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

int log_level = LOG_WARN;
const char *log_name = "reinit";

void
log_msg_(int level, const char *s, ...)
{
	char buf[1024];
	size_t n = strlen(log_name), len;
	ssize_t w;
	va_list ap;

	if (level > log_level)
		return;
	/* One write() keeps the line whole when the child writes to the same
	 * stderr; a line too long is cut. */
	memcpy(buf, log_name, n);
	buf[n++] = ':';
	buf[n++] = ' ';
	va_start(ap, s);
	for (; s; s = va_arg(ap, const char *)) {
		len = strlen(s);
		if (len > sizeof(buf) - 1 - n)
			len = sizeof(buf) - 1 - n;
		memcpy(buf + n, s, len);
		n += len;
	}
	va_end(ap);
	buf[n++] = '\n';
	for (s = buf; n > 0; s += w, n -= (size_t)w)
		if ((w = write(2, s, n)) < 0) {
			if (errno != EINTR)
				return;
			w = 0;
		}
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
	case EPERM:
		return "operation not permitted";
	case ENOENT:
		return "no such file or directory";
	case ESRCH:
		return "no such process";
	case EINTR:
		return "interrupted";
	case EIO:
		return "input/output error";
	case E2BIG:
		return "argument list too long";
	case ENOEXEC:
		return "exec format error";
	case EBADF:
		return "bad file descriptor";
	case ECHILD:
		return "no child processes";
	case EAGAIN:
		return "resource temporarily unavailable";
	case ENOMEM:
		return "out of memory";
	case EACCES:
		return "permission denied";
	case EEXIST:
		return "file exists";
	case ENOTDIR:
		return "not a directory";
	case EISDIR:
		return "is a directory";
	case EINVAL:
		return "invalid argument";
	case ENFILE:
		return "too many open files in system";
	case EMFILE:
		return "too many open files";
	case ETXTBSY:
		return "text file busy";
	case ENOSPC:
		return "no space left (or limit reached)";
	case EROFS:
		return "read-only file system";
	case ENAMETOOLONG:
		return "name too long";
	case ELOOP:
		return "too many levels of symbolic links";
	case ENOSYS:
		return "not supported by this kernel";
	default: {
		static char buf[32] = "error ";
		char num[LOG_NUM];
		const char *n = log_num(num, err);

		memcpy(buf + 6, n, strlen(n) + 1);
		return buf;
	}
	}
}
