/* num.h: numbers in decimal, without stdio (pure). */
#ifndef REINIT_NUM_H
#define REINIT_NUM_H

/* Room for the digits of any unsigned long long, its sign and a NUL. */
#define NUM_MAX 22

/* Writes v in decimal just before end, puts a NUL at end, and returns
 * where the digits start: the NUM_MAX - 2 bytes before end must be the
 * caller's. The one formatter of every module: log lines, /proc paths,
 * the restart line's counts. */
char *num_dec(char *end, unsigned long long v);

#endif
