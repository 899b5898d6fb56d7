/* start.c: the start-up and errno of reinit, in place of musl's, in the
 * static build only.
 *
 * musl's static start-up reads the whole auxiliary vector and lays out a
 * TLS image and a thread descriptor, which holds errno, for threads
 * reinit never makes: about 1.4 KB of its code. reinit needs only
 * environ, the stack protector's canary and an errno: 1,412 bytes fewer
 * on x86-64. Only the static build links this file (the host's builds
 * keep their libc).
 *
 * What this leaves out of musl's: running constructors (reinit has none),
 * and opening /dev/null on a closed stdin, stdout or stderr when started
 * set-user-ID (reinit is not installed so). Nothing sets up a thread
 * descriptor: test/test_size.py fails if code that reads one (musl's
 * __pthread_self(): %fs:0 on x86-64, tpidr_el0 on arm64) is linked in. */
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "proc/sys.h"

/* What start-up writes goes in .data, beside the rest an idle init keeps:
 * in .bss each landed on a page of its own, one more page of Pss each. */
#define HOT __attribute__((section(".data")))

/* musl's own __environ.o, with its aliases, is not linked: these are. */
char **__environ HOT = 0;
extern char **environ __attribute__((alias("__environ")));

_Noreturn int __libc_start_main(int (*main)(int, char **, char **), int argc, char **argv);

#if defined(__x86_64__)
#define ARCH_SET_FS 0x1002 /* arch_prctl(): the kernel's asm/prctl.h */
/* GCC's x86-64 stack protector reads its canary at %fs:0x28, in the
 * thread control block, whose first word points to itself (the ABI's). */
static uintptr_t tcb[6] HOT;
#elif defined(__aarch64__)
/* GCC's arm64 stack protector reads this global, which musl's
 * __stack_chk_fail.o holds. */
extern uintptr_t __stack_chk_guard;
#else
#error "where does this architecture's stack protector read its canary?"
#endif

/* Called by crt1.o's _start with the stack the kernel laid out: argc,
 * argv, NULL, the environment, NULL, the auxiliary vector. No canary
 * guards this function: it is the one that sets it, and it never
 * returns. */
__attribute__((no_stack_protector)) _Noreturn int
__libc_start_main(int (*main)(int, char **, char **), int argc, char **argv)
{
	char **env = argv + argc + 1;
	size_t *aux = (size_t *)env;
	uintptr_t guard = (uintptr_t)&guard * 1103515245;

	__environ = env;
	while (*aux++)
		;
	/* The kernel's 16 random bytes, as musl takes them, with the
	 * second byte zeroed so that a string overrun cannot copy the
	 * canary whole. */
	for (; *aux; aux += 2)
		if (aux[0] == AT_RANDOM)
			memcpy(&guard, (void *)aux[1], sizeof(guard));
	((char *)&guard)[1] = 0;
#if defined(__x86_64__)
	tcb[0] = (uintptr_t)tcb;
	tcb[5] = guard;
	sys_call2(SYS_arch_prctl, ARCH_SET_FS, (long)tcb);
#else
	__stack_chk_guard = guard;
#endif
	exit(main(argc, argv, env));
}

/* exit() without atexit handlers, stdio or destructors to run. */
_Noreturn void
exit(int code)
{
	_Exit(code);
}

_Noreturn void
_Exit(int code)
{
	for (;;)
		sys_call1(SYS_exit_group, code);
}

_Noreturn void
_exit(int code)
{
	_Exit(code);
}

/* errno in a word of its own, not in the thread descriptor that
 * __libc_start_main() no longer lays out: vfork and the wrappers below
 * (musl's vfork on arm64) set it, callers read it through
 * __errno_location. reinit has one thread; a vfork child shares the word
 * as it shares the descriptor under musl. Its symbol is named, for
 * vfork's assembly below. */
static int err __asm__("reinit_errno") __attribute__((used)) HOT;

int *___errno_location(void);

int *
__errno_location(void)
{
	return &err;
}

int *
___errno_location(void)
{
	return &err;
}

/* The libc calls that main.c, loop.c and spawn.c make by their POSIX
 * names, in place of musl's: with LTO each is its system call inline at
 * the caller, where musl's are calls out of line through __syscall_ret
 * (about 80 bytes on x86-64). Those that can fail set errno and return
 * -1, as POSIX has them. */
static long
ret(long r)
{
	if ((unsigned long)r > -4096UL) {
		err = (int)-r;
		return -1;
	}
	return r;
}

pid_t
getpid(void)
{
	return (pid_t)sys_call1(SYS_getpid, 0);
}

uid_t
geteuid(void)
{
	return (uid_t)sys_call1(SYS_geteuid, 0);
}

pid_t
getpgrp(void)
{
	return (pid_t)sys_call1(SYS_getpgid, 0);
}

pid_t
getsid(pid_t pid)
{
	return (pid_t)ret(sys_call1(SYS_getsid, pid));
}

pid_t
setsid(void)
{
	return (pid_t)ret(sys_call1(SYS_setsid, 0));
}

int
setpgid(pid_t pid, pid_t pgid)
{
	return (int)ret(sys_call2(SYS_setpgid, pid, pgid));
}

int
chdir(const char *path)
{
	return (int)ret(sys_call1(SYS_chdir, (long)path));
}

/* vfork() as musl has it, but setting errno itself, which leaves musl's
 * __syscall_ret out (about 60 bytes on x86-64). It cannot be C: the child
 * returns from it and calls on over the return address the parent comes
 * back through, so that address is kept in a register across the call. */
#if defined(__x86_64__)
__attribute__((naked)) pid_t
vfork(void)
{
	__asm__("pop %rdx\n\t"
		"mov $58, %eax\n\t" /* SYS_vfork */
		"syscall\n\t"
		"push %rdx\n\t"
		"cmp $-4095, %rax\n\t"
		"jb 1f\n\t"
		"neg %eax\n\t"
		"mov %eax, reinit_errno(%rip)\n\t"
		"or $-1, %rax\n"
		"1:\tret");
}
#endif
