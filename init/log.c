/* log.c: "reinit: ..." lines on stderr, built without stdio. */
#include "init/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "proc/sys.h"

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
		if ((w = sys_write(2, s, n)) < 0) {
			if (w != -EINTR)
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

/* Each text after its errno value as one byte: one string, where a switch
 * would be a ladder of compares. Other values read "error N". */
static const char errs[] = "\001operation not permitted\0\002no such file or directory\0"
			   "\007argument list too long\0\010exec format error\0"
			   "\014out of memory\0\015permission denied\0\020device or resource busy\0"
			   "\021file exists\0\022cross-device link\0\024not a directory\0"
			   "\025is a directory\0\026invalid argument\0"
			   "\027too many open files in system\0\030too many open files\0"
			   "\032text file busy\0\034no space left (or limit reached)\0"
			   "\036read-only file system\0\044name too long\0"
			   "\046not supported by this kernel\0\047directory not empty\0"
			   "\050too many levels of symbolic links\0";

const char *
log_strerror(int err)
{
	static char buf[6 + LOG_NUM];
	const char *p;
	char *n;

	for (p = errs; *p; p += strlen(p) + 1)
		if (*p == err)
			return p + 1;
	n = (char *)log_num(buf + 6, err) - 6;
	memcpy(n, "error ", 6);
	return n;
}

const char *
log_nth(const char *list, int n)
{
	while (n-- > 0)
		list += strlen(list) + 1;
	return list;
}
