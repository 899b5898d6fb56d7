/* spawn.c: start the child exactly as if reinit were not there. */
#include "proc/spawn.h"

#include <alloca.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/* execve, and for a file without #! that the kernel refuses (ENOEXEC),
 * /bin/sh with the file as its script. Returns only on failure: -errno. */
static int
try_exec(const char *file, char *const *argv, char **env)
{
	const char **sh;
	size_t n = count((const char *const *)argv);
	int r = sys_execve(file, argv, env);

	if (r != -ENOEXEC)
		return r;
	sh = alloca((n + 2) * sizeof(*sh));
	sh[0] = "/bin/sh";
	sh[1] = file;
	memcpy(sh + 2, argv + 1, n * sizeof(*sh));
	sys_execve(sh[0], (char *const *)sh, env);
	/* No shell to run it with: the file's own error stands. */
	return r;
}

/* execvpe as musl does it (PATH, or its default, searched in order; EACCES
 * reported when nothing better was found), with try_exec's fallback.
 * Returns only on failure: -errno. */
static int
exec_search(char *const *argv, char **env)
{
	const char *file = argv[0], *path = "/usr/local/bin:/bin:/usr/bin", *p, *z;
	size_t len = strlen(file), k, i;
	int eacces = 0, r;
	/* A fixed buffer, not one sized to PATH: a name that does not fit
	 * is one the kernel refuses anyway. */
	char b[PATH_MAX];

	if (strchr(file, '/'))
		return try_exec(file, argv, env);
	for (i = 0; environ[i]; i++)
		if (!strncmp(environ[i], "PATH=", 5))
			path = environ[i] + 5;
	for (p = path;; p = z + 1) {
		for (z = p; *z && *z != ':'; z++)
			;
		k = (size_t)(z - p);
		r = -ENAMETOOLONG;
		if (k + len + 2 <= sizeof(b)) {
			memcpy(b, p, k);
			b[k] = '/';
			memcpy(b + k + (k > 0), file, len + 1);
			r = try_exec(b, argv, env);
		}
		if (r == -EACCES)
			eacces = 1;
		else if (r != -ENOENT && r != -ENOTDIR)
			return r;
		if (!*z)
			break;
	}
	return eacces ? -EACCES : -ENOENT;
}

/* What the child of proc_spawn() is given, and where it leaves its errno. */
struct spawn_call {
	const struct spawn *s;
	volatile int err;
};

/* In the child: execs, or returns its exit code. */
static int
child(void *arg)
{
	struct spawn_call *c = arg;
	const struct spawn *s = c->s;
	volatile int *err = &c->err;
	char **env;
	int i;

	if (s->same_group) {
		/* dumb-init -c: the child stays in reinit's group and session. */
	} else if (s->setsid) {
		setsid();
		/* Take stdin's terminal as the new session's, as dumb-init
		 * does; quietly without one. */
		if (s->tty)
			sys_ioctl(0, TIOCSCTTY, 0);
	} else {
		setpgid(0, 0);
		/* Every signal is still blocked, so SIGTTOU cannot stop us for
		 * asking from the background. */
		if (s->tty)
			sys_tcsetpgrp(0, getpid());
	}
	if (s->cwd && *s->cwd && (i = sys_chdir(s->cwd)) < 0) {
		*err = -i;
		return s->exec_code ? s->exec_code : 126;
	}
	if (s->default_sigs) {
		/* dumb-init's child: every signal 1-31 at its default, none
		 * blocked, whatever dumb-init inherited. */
		for (i = 1; i < 32; i++)
			sys_disposition(i, 1, SIG_DFL);
		sigfd_setmask(0);
	} else {
		if (s->chld_ignored)
			sys_disposition(SIGCHLD, 1, SIG_IGN);
		sigfd_setmask(s->mask);
	}
	env = alloca((count((const char *const *)environ) + count(s->extra_env) + 1) *
		     sizeof(*env));
	child_env(env, s->extra_env);
	*err = -exec_search(s->argv, env);
	return s->exec_code ? s->exec_code : proc_exec_code(*err);
}

pid_t
proc_vfork(int (*fn)(void *), void *arg)
{
	/* fn runs on the stack below this frame, which stays as it was:
	 * the child never returns from here, it exits. */
	pid_t pid = vfork();

	if (pid == 0)
		_exit(fn(arg));
	return pid < 0 ? -errno : pid;
}

pid_t
proc_spawn(const struct spawn *s, int *exec_err)
{
	struct spawn_call c = {s, 0};
	pid_t pid;

	/* The child borrows reinit's memory until it execs: no page tables to
	 * copy, and reinit goes on only once the exec is done (so the child
	 * has its own process group or session before any signal is
	 * forwarded to it) or has failed, with its errno left in c.err. The
	 * child touches nothing of reinit's but c.err and its own stack. */
	pid = proc_vfork(child, &c);
	*exec_err = c.err;
	return pid;
}
