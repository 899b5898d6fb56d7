/* log.c: "reinit: ..." lines on stderr, built without stdio. */
#include "init/log.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#include "proc/num.h"
#include "proc/shown.h"
#include "proc/sys.h"

int log_level = LOG_WARN;
const char *log_name = "reinit";

/* Only pointers are passed: with the vector registers out of it, the
 * variadic prologue no longer saves the eight a caller could have filled
 * (68 bytes on x86-64). */
__attribute__((target("general-regs-only"))) void
log_msg_(int level, const char *s, ...)
{
	char buf[1024];
	size_t n = strlen(log_name);
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
	/* Names from outside (paths, values) are among the parts: control
	 * characters show as '?', so every message is one line. */
	for (; s; s = va_arg(ap, const char *)) {
		size_t l = 0;

		while (s[l] && n + l < sizeof(buf) - 1)
			l++;
		n += shown_copy(buf + n, s, l);
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
	char *p = num_dec(buf + LOG_NUM - 1,
			  n < 0 ? 0 - (unsigned long long)n : (unsigned long long)n);

	if (n < 0)
		*--p = '-';
	return p;
}

/* The texts of the errno values reinit can meet, one row each. Other
 * values read "error N". */
#define LOG_ERRS(X)                                                                                \
	X(EPERM, "operation not permitted")                                                        \
	X(ENOENT, "no such file or directory")                                                     \
	X(E2BIG, "argument list too long")                                                         \
	X(ENOEXEC, "exec format error")                                                            \
	X(ENOMEM, "out of memory")                                                                 \
	X(EACCES, "permission denied")                                                             \
	X(EBUSY, "device or resource busy")                                                        \
	X(EEXIST, "file exists")                                                                   \
	X(EXDEV, "cross-device link")                                                              \
	X(ENOTDIR, "not a directory")                                                              \
	X(EISDIR, "is a directory")                                                                \
	X(EINVAL, "invalid argument")                                                              \
	X(ENFILE, "too many open files in system")                                                 \
	X(EMFILE, "too many open files")                                                           \
	X(ETXTBSY, "text file busy")                                                               \
	X(EFBIG, "file too large")                                                                 \
	X(ENOSPC, "no space left (or limit reached)")                                              \
	X(EROFS, "read-only file system")                                                          \
	X(ENAMETOOLONG, "name too long")                                                           \
	X(ENOSYS, "not supported by this kernel")                                                  \
	X(ENOTEMPTY, "directory not empty")                                                        \
	X(ELOOP, "too many levels of symbolic links")

/* The values as bytes and the texts as one string, both made from the
 * rows above, so the nth value's text is the nth string: no pointer per
 * row, and no ladder of compares as a switch would be. */
#define LOG_ERR_CODE(e, text) e,
#define LOG_ERR_TEXT(e, text) text "\0"
static const unsigned char err_codes[] = {LOG_ERRS(LOG_ERR_CODE)};
static const char err_texts[] = LOG_ERRS(LOG_ERR_TEXT);

const char *
log_strerror(int err)
{
	static char buf[6 + LOG_NUM];
	char *n;
	int i;

	for (i = 0; i < (int)sizeof(err_codes); i++)
		if (err_codes[i] == err)
			return log_nth(err_texts, i);
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
