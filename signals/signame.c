/* signame.c: signal names and numbers, both ways (pure). */
#include "signals/signame.h"

#include <errno.h>
#include <string.h>

/* Names of signals 1..31 in order, each NUL-terminated, then the old
 * aliases IOT (6) and POLL (29) that users still write: a string, not a
 * table of pointers, because it is the smallest form the linker keeps. */
static const char names[] = "HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0KILL\0"
			    "USR1\0SEGV\0USR2\0PIPE\0ALRM\0TERM\0STKFLT\0CHLD\0"
			    "CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0XFSZ\0"
			    "VTALRM\0PROF\0WINCH\0IO\0PWR\0SYS\0IOT\0POLL\0";

static int
upper(int c)
{
	return c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
}

/* Case-insensitive: does s[0..len) start with the upper-case word w? */
static int
has_prefix(const char *s, size_t len, const char *w)
{
	size_t i;

	for (i = 0; w[i]; i++)
		if (i >= len || upper(s[i]) != w[i])
			return 0;
	return 1;
}

long
signame_num(const char *s, size_t len, long max)
{
	long n = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
		if (n > max)
			return -1;
	}
	return n;
}

int
signame_parse(const char *s, size_t len)
{
	const char *p = names;
	long n;
	int sig, max;

	if (has_prefix(s, len, "SIG")) {
		s += 3;
		len -= 3;
	}
	if (len <= 3 && (n = signame_num(s, len, 64)) >= 0)
		return n ? (int)n : -EINVAL;
	/* RTMIN, RTMIN+N, RTMAX, RTMAX-N */
	if ((max = has_prefix(s, len, "RTMAX")) || has_prefix(s, len, "RTMIN")) {
		if (len == 5)
			return max ? SIGNAME_RTMAX : SIGNAME_RTMIN;
		n = len <= 9 ? signame_num(s + 6, len - 6, SIGNAME_RTMAX - SIGNAME_RTMIN) : -1;
		if (n < 0 || s[5] != "+-"[max])
			return -EINVAL;
		return (int)(max ? SIGNAME_RTMAX - n : SIGNAME_RTMIN + n);
	}
	for (sig = 1; *p; sig++, p += strlen(p) + 1)
		if (strlen(p) == len && has_prefix(s, len, p))
			return sig == 32 ? 6 : sig == 33 ? 29 : sig;
	return -EINVAL;
}

const char *
signame_str(int sig, char *buf)
{
	const char *p = names;
	char *o = buf;
	int n;

	*o++ = 'S', *o++ = 'I', *o++ = 'G';
	if (sig >= 1 && sig <= 31) {
		for (n = 1; n < sig; n++)
			while (*p++)
				;
		while ((*o = *p++))
			o++;
		return buf;
	}
	if (sig >= SIGNAME_RTMIN && sig <= SIGNAME_RTMAX) {
		const char *w = "RTMIN+";

		while (*w)
			*o++ = *w++;
		n = sig - SIGNAME_RTMIN;
	} else {
		n = sig < 0 || sig > 99 ? 0 : sig; /* not a signal: say SIG0 */
	}
	if (n >= 10)
		*o++ = (char)('0' + n / 10);
	*o++ = (char)('0' + n % 10);
	*o = 0;
	return buf;
}
