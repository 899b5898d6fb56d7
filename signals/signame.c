/* signame.c: signal names and numbers, both ways (pure). */
#include "signals/signame.h"

#include <errno.h>

/* Names of signals 1..31 in order, each NUL-terminated: a string, not a
 * table of pointers, because it is the smallest form the linker keeps. */
static const char names[] = "HUP\0INT\0QUIT\0ILL\0TRAP\0ABRT\0BUS\0FPE\0KILL\0"
			    "USR1\0SEGV\0USR2\0PIPE\0ALRM\0TERM\0STKFLT\0CHLD\0"
			    "CONT\0STOP\0TSTP\0TTIN\0TTOU\0URG\0XCPU\0XFSZ\0"
			    "VTALRM\0PROF\0WINCH\0IO\0PWR\0SYS";

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

static int
number(const char *s, size_t len)
{
	int n = 0;
	size_t i;

	if (len == 0 || len > 3)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		n = n * 10 + (s[i] - '0');
	}
	return n;
}

int
signame_parse(const char *s, size_t len)
{
	const char *p;
	int sig, n;

	if (has_prefix(s, len, "SIG")) {
		s += 3;
		len -= 3;
	}
	if ((sig = number(s, len)) >= 0)
		return sig >= 1 && sig <= 64 ? sig : -EINVAL;
	if (has_prefix(s, len, "RTM")) {
		/* RTMIN, RTMIN+N, RTMAX, RTMAX-N */
		int base = has_prefix(s, len, "RTMIN")   ? SIGNAME_RTMIN
			   : has_prefix(s, len, "RTMAX") ? SIGNAME_RTMAX
							 : 0;
		if (!base)
			return -EINVAL;
		if (len == 5)
			return base;
		n = number(s + 6, len - 6);
		if (n < 0 || s[5] != (base == SIGNAME_RTMIN ? '+' : '-'))
			return -EINVAL;
		sig = base == SIGNAME_RTMIN ? base + n : base - n;
		return sig >= SIGNAME_RTMIN && sig <= SIGNAME_RTMAX ? sig : -EINVAL;
	}
	for (p = names, sig = 1; sig <= 31; sig++) {
		size_t i = 0;

		while (p[i] && i < len && upper(s[i]) == p[i])
			i++;
		if (!p[i] && i == len)
			return sig;
		while (*p++)
			;
	}
	/* Old aliases that users still write. */
	if (len == 3 && has_prefix(s, len, "IOT"))
		return 6;
	if (len == 4 && has_prefix(s, len, "POLL"))
		return 29;
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
