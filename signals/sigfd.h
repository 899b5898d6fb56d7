/* sigfd.h: block every signal and take them one at a time instead. */
#ifndef REINIT_SIGFD_H
#define REINIT_SIGFD_H

#include <stdint.h>
#include <sys/signalfd.h>
#include <time.h>

/* Signal masks as the kernel sees them: bit n-1 is signal n, 1..64. musl's
 * sigset_t helpers refuse signals 32-34, which it keeps for itself; reinit
 * runs no threads and must still forward those, so it speaks to the kernel
 * directly. */
#define SIGFD_ALL (~(uint64_t)0)

/* Blocks every signal; stores the mask that was in force in *old. */
int sigfd_block_all(uint64_t *old);

/* Sets the mask to exactly mask (the child restores its inherited one). */
int sigfd_setmask(uint64_t mask);

/* Waits for one signal, at most *timeout (NULL: for ever), and stores it in
 * *si as a signalfd would (signo, code, pid, int). With fd >= 0, waits for
 * POLLPRI on fd too, and sets *pri when that came. 1, 0 when no signal
 * came, or -errno. */
int sigfd_wait(struct signalfd_siginfo *si, const struct timespec *timeout, int fd, int *pri);

#endif
