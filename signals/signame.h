/* signame.h: signal names and numbers, both ways (pure). */
#ifndef REINIT_SIGNAME_H
#define REINIT_SIGNAME_H

#include <stddef.h>

/* The real-time range as glibc, Docker and kill(1) number it. */
#define SIGNAME_RTMIN 34
#define SIGNAME_RTMAX 64

/* "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3", "SIGRTMAX-1" -> 1..64,
 * or -EINVAL. Reads exactly len bytes of s. */
int signame_parse(const char *s, size_t len);

/* s[0..len) as a decimal number from 0 to max, or -1. */
long signame_num(const char *s, size_t len, long max);

/* 15 -> "SIGTERM", 40 -> "SIGRTMIN+6"; buf must hold SIGNAME_BUF bytes. */
#define SIGNAME_BUF 16
const char *signame_str(int sig, char *buf);

#endif
