/* unit_log.c: the texts log_strerror gives for errno values. */
#include <errno.h>

#include "init/log.h"
#include "test/tap.h"

int
main(void)
{
	/* Each row as users read it, written here apart from log.c's table. */
	static const struct {
		int err;
		const char *text;
	} want[] = {
		{EPERM, "operation not permitted"},
		{ENOENT, "no such file or directory"},
		{E2BIG, "argument list too long"},
		{ENOEXEC, "exec format error"},
		{ENOMEM, "out of memory"},
		{EACCES, "permission denied"},
		{EBUSY, "device or resource busy"},
		{EEXIST, "file exists"},
		{EXDEV, "cross-device link"},
		{ENOTDIR, "not a directory"},
		{EISDIR, "is a directory"},
		{EINVAL, "invalid argument"},
		{ENFILE, "too many open files in system"},
		{EMFILE, "too many open files"},
		{ETXTBSY, "text file busy"},
		{ENOSPC, "no space left (or limit reached)"},
		{EROFS, "read-only file system"},
		{ENAMETOOLONG, "name too long"},
		{ENOSYS, "not supported by this kernel"},
		{ENOTEMPTY, "directory not empty"},
		{ELOOP, "too many levels of symbolic links"},
	};
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		is_str(log_strerror(want[i].err), want[i].text, "errno %d reads '%s'", want[i].err,
		       want[i].text);
	is_str(log_strerror(EAGAIN), "error 11", "a value without a text reads 'error N'");
	is_str(log_strerror(0), "error 0", "0 is no errno value and has no text");
	is_str(log_strerror(ENOENT + 256), "error 258", "a value is not taken modulo 256");
	return tap_done();
}
