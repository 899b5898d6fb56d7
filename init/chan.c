/* chan.c: the address of a running reinit's request channel. */
#include "init/chan.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "proc/num.h"
#include "proc/sys.h"

socklen_t
chan_addr(struct sockaddr_un *a, pid_t pid)
{
	/* The abstract namespace: a name that starts with a NUL byte. */
	static const char pre[] = "\0reinit:";
	char ns[64], num[NUM_MAX], *p = a->sun_path + sizeof(pre) - 1;
	const char *s;
	long n;

	a->sun_family = AF_UNIX;
	memcpy(a->sun_path, pre, sizeof(pre) - 1);
	/* "pid:[4026531836]": the digits. Without /proc, none: the pid
	 * alone tells reinits of one PID namespace apart. */
	n = sys_readlinkat(AT_FDCWD, "/proc/self/ns/pid", ns, sizeof(ns) - 1);
	for (s = ns; n > 0 && s < ns + n; s++)
		if (*s >= '0' && *s <= '9')
			*p++ = *s;
	*p++ = ':';
	for (s = num_dec(num + sizeof(num) - 1, (unsigned long long)pid); *s;)
		*p++ = *s++;
	return (socklen_t)(p - (char *)a);
}
