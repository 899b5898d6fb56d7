/* sys.h: the one door for system calls: each returns its result or -errno.
 *
 * The kernel answers a failed call with -errno; libc turns that into -1
 * and errno, and every caller used to turn it back by hand. Here the
 * kernel's own answer comes through, as in musl's internal __syscall:
 * modules below init/ pass it on, and nothing reads errno after these.
 * The calls are made inline (sys_call1 to sys_call6): the instruction
 * costs less than a call to libc's variadic syscall() and clobbers fewer
 * registers. Each wrapper says why it is made directly. */
#ifndef REINIT_SYS_H
#define REINIT_SYS_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "proc/clock.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif

#if defined(__x86_64__)
#define SYS_ASM(...)                                                                               \
	__asm__ volatile("syscall" : "=a"(r) : "a"(n), __VA_ARGS__ : "rcx", "r11", "memory")

static inline long
sys_call1(long n, long a)
{
	long r;

	SYS_ASM("D"(a));
	return r;
}

static inline long
sys_call2(long n, long a, long b)
{
	long r;

	SYS_ASM("D"(a), "S"(b));
	return r;
}

static inline long
sys_call3(long n, long a, long b, long c)
{
	long r;

	SYS_ASM("D"(a), "S"(b), "d"(c));
	return r;
}

static inline long
sys_call4(long n, long a, long b, long c, long d)
{
	register long r10 __asm__("r10") = d;
	long r;

	SYS_ASM("D"(a), "S"(b), "d"(c), "r"(r10));
	return r;
}

static inline long
sys_call5(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e;
	long r;

	SYS_ASM("D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8));
	return r;
}

static inline long
sys_call6(long n, long a, long b, long c, long d, long e, long f)
{
	register long r10 __asm__("r10") = d, r8 __asm__("r8") = e, r9 __asm__("r9") = f;
	long r;

	SYS_ASM("D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8), "r"(r9));
	return r;
}
#elif defined(__aarch64__)
/* x8 the number, x0-x5 the arguments, the result in x0. */
#define SYS_ASM(...) __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), __VA_ARGS__ : "memory")
#define SYS_REGS(n, a)                                                                             \
	register long x8 __asm__("x8") = n;                                                        \
	register long x0 __asm__("x0") = a

static inline long
sys_call1(long n, long a)
{
	SYS_REGS(n, a);

	__asm__ volatile("svc 0" : "+r"(x0) : "r"(x8) : "memory");
	return x0;
}

static inline long
sys_call2(long n, long a, long b)
{
	SYS_REGS(n, a);
	register long x1 __asm__("x1") = b;

	SYS_ASM("r"(x1));
	return x0;
}

static inline long
sys_call3(long n, long a, long b, long c)
{
	SYS_REGS(n, a);
	register long x1 __asm__("x1") = b, x2 __asm__("x2") = c;

	SYS_ASM("r"(x1), "r"(x2));
	return x0;
}

static inline long
sys_call4(long n, long a, long b, long c, long d)
{
	SYS_REGS(n, a);
	register long x1 __asm__("x1") = b, x2 __asm__("x2") = c, x3 __asm__("x3") = d;

	SYS_ASM("r"(x1), "r"(x2), "r"(x3));
	return x0;
}

static inline long
sys_call5(long n, long a, long b, long c, long d, long e)
{
	SYS_REGS(n, a);
	register long x1 __asm__("x1") = b, x2 __asm__("x2") = c, x3 __asm__("x3") = d,
			 x4 __asm__("x4") = e;

	SYS_ASM("r"(x1), "r"(x2), "r"(x3), "r"(x4));
	return x0;
}

static inline long
sys_call6(long n, long a, long b, long c, long d, long e, long f)
{
	SYS_REGS(n, a);
	register long x1 __asm__("x1") = b, x2 __asm__("x2") = c, x3 __asm__("x3") = d,
			 x4 __asm__("x4") = e, x5 __asm__("x5") = f;

	SYS_ASM("r"(x1), "r"(x2), "r"(x3), "r"(x4), "r"(x5));
	return x0;
}
#else
/* Elsewhere, libc's syscall(), its -1 and errno turned back. */
static inline long
sys_call6(long n, long a, long b, long c, long d, long e, long f)
{
	long r = syscall(n, a, b, c, d, e, f);

	return r == -1 ? -errno : r;
}
#define sys_call5(n, a, b, c, d, e) sys_call6(n, a, b, c, d, e, 0)
#define sys_call4(n, a, b, c, d)    sys_call6(n, a, b, c, d, 0, 0)
#define sys_call3(n, a, b, c)       sys_call6(n, a, b, c, 0, 0, 0)
#define sys_call2(n, a, b)          sys_call6(n, a, b, 0, 0, 0, 0)
#define sys_call1(n, a)             sys_call6(n, a, 0, 0, 0, 0, 0)
#endif

/* Files. libc's openat and fcntl-style calls are variadic, its read,
 * write and close are cancellation points (machinery of threads that
 * reinit never starts), and its stat family converts structures for other
 * ABIs: struct stat on x86-64 and arm64 is the kernel's own. */

/* openat(2). A file it creates gets mode 0600 (the built-in tar's
 * temporary files, private until renamed). */
__attribute__((noinline)) int sys_openat(int dirfd, const char *path, int flags);

/* open(2); flags beyond O_RDONLY as given. */
int sys_open(const char *path, int flags);

/* fstatat(2). */
__attribute__((noinline)) int sys_stat(int dirfd, const char *path, struct stat *st, int flags);

int sys_close(int fd);

static inline long
sys_read(int fd, void *buf, size_t n)
{
	return sys_call3(SYS_read, fd, (long)buf, (long)n);
}

static inline long
sys_write(int fd, const void *buf, size_t n)
{
	return sys_call3(SYS_write, fd, (long)buf, (long)n);
}

/* openat2(2), Linux 5.6: a lookup the kernel keeps below dirfd. libc has
 * no wrapper. */
struct sys_open_how {
	uint64_t flags, mode, resolve;
};
#ifndef RESOLVE_NO_MAGICLINKS
#define RESOLVE_NO_MAGICLINKS 0x02
#endif
#ifndef RESOLVE_BENEATH
#define RESOLVE_BENEATH 0x08
#endif
#ifndef RESOLVE_IN_ROOT
#define RESOLVE_IN_ROOT 0x10
#endif

static inline int
sys_openat2(int dirfd, const char *path, const struct sys_open_how *how)
{
	return (int)sys_call4(SYS_openat2, dirfd, (long)path, (long)how, sizeof(*how));
}

/* fcntl(2): libc's is variadic. */
static inline int
sys_fcntl(int fd, int cmd, long arg)
{
	return (int)sys_call3(SYS_fcntl, fd, cmd, arg);
}

/* Has fd raise SIGIO for this process when it can be read or is hung up
 * (signal-driven I/O: si_code > 0, which no other process can send), and
 * never block. 0 or -errno. */
int sys_async(int fd);

/* lseek(2): libc's adds only errno. */
static inline long
sys_lseek(int fd, long off, int whence)
{
	return sys_call3(SYS_lseek, fd, off, whence);
}

/* getdents64(2): readdir's DIR would need malloc. The bytes read. */
static inline long
sys_getdents64(int fd, void *buf, size_t n)
{
	return sys_call3(SYS_getdents64, fd, (long)buf, (long)n);
}

/* The *at calls below: libc's add only errno. */
static inline long
sys_readlinkat(int dirfd, const char *path, char *buf, size_t n)
{
	return sys_call4(SYS_readlinkat, dirfd, (long)path, (long)buf, (long)n);
}

static inline int
sys_mkdirat(int dirfd, const char *path, mode_t mode)
{
	return (int)sys_call3(SYS_mkdirat, dirfd, (long)path, mode);
}

static inline int
sys_unlinkat(int dirfd, const char *path, int flags)
{
	return (int)sys_call3(SYS_unlinkat, dirfd, (long)path, flags);
}

static inline int
sys_symlinkat(const char *target, int dirfd, const char *path)
{
	return (int)sys_call3(SYS_symlinkat, (long)target, dirfd, (long)path);
}

static inline int
sys_linkat(int olddirfd, const char *old, int newdirfd, const char *path, int flags)
{
	return (int)sys_call5(SYS_linkat, olddirfd, (long)old, newdirfd, (long)path, flags);
}

static inline int
sys_renameat(int olddirfd, const char *old, int newdirfd, const char *path)
{
	return (int)sys_call4(SYS_renameat, olddirfd, (long)old, newdirfd, (long)path);
}

static inline int
sys_fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	return (int)sys_call5(SYS_fchownat, dirfd, (long)path, uid, gid, flags);
}

static inline int
sys_utimensat(int dirfd, const char *path, const struct timespec ts[2], int flags)
{
	return (int)sys_call4(SYS_utimensat, dirfd, (long)path, (long)ts, flags);
}

static inline int
sys_fchmod(int fd, mode_t mode)
{
	return (int)sys_call2(SYS_fchmod, fd, mode);
}

/* futimens(3) is utimensat(2) on the fd itself, with no path. */
static inline int
sys_futimens(int fd, const struct timespec ts[2])
{
	return (int)sys_call4(SYS_utimensat, fd, 0, (long)ts, 0);
}

static inline int
sys_chdir(const char *path)
{
	return (int)sys_call1(SYS_chdir, (long)path);
}

static inline int
sys_fchdir(int fd)
{
	return (int)sys_call1(SYS_fchdir, fd);
}

/* umask(2) cannot fail: the mask that was in force. */
static inline mode_t
sys_umask(mode_t mask)
{
	return (mode_t)sys_call1(SYS_umask, mask);
}

/* inotify(7): libc's wrappers add only errno. */
static inline int
sys_inotify_init1(int flags)
{
	return (int)sys_call1(SYS_inotify_init1, flags);
}

static inline int
sys_inotify_add_watch(int fd, const char *path, uint32_t mask)
{
	return (int)sys_call3(SYS_inotify_add_watch, fd, (long)path, mask);
}

static inline int
sys_inotify_rm_watch(int fd, int wd)
{
	return (int)sys_call2(SYS_inotify_rm_watch, fd, wd);
}

/* Memory, for the one growing table that needs it: no malloc. The
 * address as a long, or -errno. */
static inline long
sys_mmap(void *addr, size_t n, int prot, int flags, int fd, long off)
{
	return sys_call6(SYS_mmap, (long)addr, (long)n, prot, flags, fd, off);
}

static inline long
sys_mremap(void *old, size_t oldn, size_t n, int flags)
{
	return sys_call4(SYS_mremap, (long)old, (long)oldn, (long)n, flags);
}

static inline int
sys_munmap(void *addr, size_t n)
{
	return (int)sys_call2(SYS_munmap, (long)addr, (long)n);
}

/* getrandom(2): the bytes written. */
static inline long
sys_getrandom(void *buf, size_t n, unsigned flags)
{
	return sys_call3(SYS_getrandom, (long)buf, (long)n, flags);
}

/* Processes and signals. Signal sets are the kernel's 64 bits: libc's
 * sigset_t is 128 bytes, and its calls hide the signals it reserves for
 * threads. */

/* execve(2): returns only on failure. */
static inline int
sys_execve(const char *path, char *const argv[], char *const envp[])
{
	return (int)sys_call3(SYS_execve, (long)path, (long)argv, (long)envp);
}

/* wait4(2): libc's waitpid is a cancellation point. The pid or -errno. */
static inline int
sys_waitpid(int pid, int *status, int flags)
{
	return (int)sys_call4(SYS_wait4, pid, (long)status, flags, 0);
}

static inline int
sys_kill(int pid, int sig)
{
	return (int)sys_call2(SYS_kill, pid, sig);
}

/* prctl(2): libc's is variadic. */
static inline int
sys_prctl(int op, unsigned long arg)
{
	return (int)sys_call2(SYS_prctl, op, (long)arg);
}

static inline int
sys_sigprocmask(int how, const uint64_t *set, uint64_t *old)
{
	return (int)sys_call4(SYS_rt_sigprocmask, how, (long)set, (long)old, sizeof(*set));
}

/* The signal taken from set, or -errno (-EAGAIN when ts passed). */
static inline int
sys_sigtimedwait(const uint64_t *set, siginfo_t *info, const struct timespec *ts)
{
	return (int)sys_call4(SYS_rt_sigtimedwait, (long)set, (long)info, (long)ts, sizeof(*set));
}

/* Sets sig's disposition to handler (SIG_DFL or SIG_IGN) with set, or only
 * reads it; returns the one that was in force. libc's sigaction brings
 * a signal restorer and the handling of its own reserved signals. */
void (*sys_disposition(int sig, int set, void (*handler)(int)))(int);

/* A signalfd for the signals in *mask, which stay blocked. */
static inline int
sys_signalfd(const uint64_t *mask)
{
	return (int)sys_call4(SYS_signalfd4, -1, (long)mask, 8, SFD_NONBLOCK | SFD_CLOEXEC);
}

/* ppoll(2) with no signal mask: libc's poll converts the timeout for old
 * ABIs. The kernel writes the time left into *ts. */
static inline int
sys_ppoll(struct pollfd *fds, unsigned n, struct timespec *ts)
{
	return (int)sys_call5(SYS_ppoll, (long)fds, n, (long)ts, 0, 8);
}

/* clock_gettime(2) from the kernel, not the vDSO: musl's lookup of the
 * vDSO costs more than reinit's few readings of the clock. */
static inline int
sys_clock_gettime(clockid_t clock, struct timespec *ts)
{
	return (int)sys_call2(SYS_clock_gettime, clock, (long)ts);
}

/* The clock's time in milliseconds. */
msec sys_clock_ms(clockid_t clock);

/* ioctl(2): libc's is variadic and converts structures of old ABIs. */
static inline int
sys_ioctl(int fd, unsigned long req, void *arg)
{
	return (int)sys_call3(SYS_ioctl, fd, (long)req, (long)arg);
}

/* tcsetpgrp(3): hands the terminal fd to process group pg. */
static inline int
sys_tcsetpgrp(int fd, int pg)
{
	return sys_ioctl(fd, TIOCSPGRP, &pg);
}

/* Sockets: libc's add only errno (and cancellation points). */
static inline int
sys_socket(int domain, int type, int proto)
{
	return (int)sys_call3(SYS_socket, domain, type, proto);
}

static inline int
sys_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)sys_call3(SYS_bind, fd, (long)addr, len);
}

static inline int
sys_connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	return (int)sys_call3(SYS_connect, fd, (long)addr, len);
}

static inline int
sys_listen(int fd, int backlog)
{
	return (int)sys_call2(SYS_listen, fd, backlog);
}

static inline int
sys_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	return (int)sys_call4(SYS_accept4, fd, (long)addr, (long)len, flags);
}

static inline int
sys_getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	return (int)sys_call5(SYS_getsockopt, fd, level, name, (long)val, (long)len);
}

/* send(2) is sendto(2) with no address. MSG_NOSIGNAL always: a peer
 * gone is an error, not a SIGPIPE (which reinit would take for a signal
 * to forward). */
static inline long
sys_send(int fd, const void *buf, size_t n, int flags)
{
	return sys_call6(SYS_sendto, fd, (long)buf, (long)n, flags | MSG_NOSIGNAL, 0, 0);
}

/* Whether path in dirfd ("" for dirfd itself) is the root directory,
 * symlinks followed: 1, or 0 (also when either cannot be looked at). */
int sys_is_root(int dirfd, const char *path);

/* getcwd(2) into buf: musl's getcwd brings malloc in for a NULL buf. The
 * length with the NUL, or -errno; a path that is unreachable (a moved
 * root) does not start with '/'. */
long sys_getcwd(char *buf, unsigned long size);

#endif
