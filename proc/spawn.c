/* spawn.c: start the child exactly as if reinit were not there. */
#include "proc/spawn.h"

#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include "proc/sys.h"
#include "signals/sigfd.h"

extern char **environ;

int
proc_exec_code(int err)
{
	return err == ENOENT || err == ENOTDIR ? 127 : 126;
}

/* Length of the "NAME=" part of an environment entry. */
static size_t
env_key(const char *e)
{
	const char *eq = strchr(e, '=');

	return eq ? (size_t)(eq - e) + 1 : strlen(e);
}

static size_t
count(const char *const *v)
{
	size_t n = 0;

	while (v && v[n])
		n++;
	return n;
}

/* Fills env with environ, every extra entry put in place of the entry of
 * the same name or added; done in the child, so reinit's own memory is
 * untouched. */
static void
child_env(char **env, const char *const *extra)
{
	size_t k = count(extra), i, j, e;

	for (i = j = 0; environ[i]; i++) {
		for (e = 0; e < k; e++)
			if (env_key(environ[i]) == env_key(extra[e]) &&
			    !memcmp(environ[i], extra[e], env_key(extra[e])))
				break;
		if (e == k)
			env[j++] = environ[i];
	}
	for (e = 0; e < k; e++)
		env[j++] = (char *)extra[e];
	env[j] = 0;
}

static void __attribute__((noreturn)) child(const struct spawn *s, volatile int *err)
{
	char **env;

	if (s->setsid) {
		setsid();
		/* Take stdin's terminal as the new session's, as dumb-init
		 * does; quietly without one. */
		if (s->tty)
			ioctl(0, TIOCSCTTY, 0);
	} else {
		setpgid(0, 0);
		/* Every signal is still blocked, so SIGTTOU cannot stop us for
		 * asking from the background. */
		if (s->tty)
			tcsetpgrp(0, getpid());
	}
	if (s->chld_ignored)
		sys_disposition(SIGCHLD, 1, SIG_IGN);
	sigfd_setmask(s->mask);
	env = alloca((count((const char *const *)environ) + count(s->extra_env) + 1) *
		     sizeof(*env));
	child_env(env, s->extra_env);
	execvpe(s->argv[0], s->argv, env);
	*err = errno;
	_exit(proc_exec_code(*err));
}

pid_t
proc_spawn(const struct spawn *s, int *exec_err)
{
	volatile int err = 0;
	pid_t pid;

	/* The child borrows reinit's memory until it execs: no page tables to
	 * copy, and reinit goes on only once the exec is done (so the child
	 * has its own process group or session before any signal is
	 * forwarded to it) or has failed, with its errno left in err. The
	 * child touches nothing of reinit's but err and its own stack. */
	pid = vfork();
	if (pid == 0)
		child(s, &err);
	if (pid < 0)
		return -errno;
	*exec_err = err;
	return pid;
}
