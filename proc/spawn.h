/* spawn.h: start the child exactly as if reinit were not there. */
#ifndef REINIT_SPAWN_H
#define REINIT_SPAWN_H

#include <stdint.h>
#include <sys/types.h>

struct spawn {
	char *const *argv;
	const char *const *extra_env; /* "NAME=value" that replace or add to environ */
	uint64_t mask;                /* the signal mask reinit inherited */
	int chld_ignored;             /* SIGCHLD was inherited as ignored */
	int setsid;                   /* a new session rather than a process group */
	int same_group;               /* neither: stay in reinit's group (dumb-init -c) */
	int tty;                      /* make the child the terminal's foreground */
	int default_sigs;             /* no mask, every signal at its default (dumb-init) */
	int exec_code;                /* exit code of a failed exec; 0: 127 or 126 */
	const char *cwd;              /* where the child starts; "" where reinit is */
};

/* Starts argv[0] (searched in PATH; a file the kernel cannot run and that
 * has no #! line is run with /bin/sh when there is one, as glibc's execvp
 * does) in its own process group with the signal
 * mask and dispositions that reinit inherited. Returns the pid, or -errno if
 * no process could be made. When exec fails the child exits 127 (not found)
 * or 126 (not runnable) and its errno is stored in *exec_err, else 0. */
pid_t proc_spawn(const struct spawn *s, int *exec_err);

/* Runs fn(arg) in a child made by vfork() and returns its pid once fn has
 * exec'd or returned (the child then exits with its value), or -errno. The
 * child borrows reinit's memory and stack (what it writes there reinit
 * sees), and reinit is held until then; it has its own copy of reinit's
 * descriptors (those it opens close with it) and its own working
 * directory, which it may change. Every signal stays blocked in it, as in
 * reinit. The caller reaps it. */
pid_t proc_vfork(int (*fn)(void *), void *arg);

/* The exit code for a failed exec: 127 for not found, 126 otherwise. */
int proc_exec_code(int err);

#endif
