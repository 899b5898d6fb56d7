/* wexec.h: reinit run as watchexec: its command line into struct opts, and
 * its changed-path variables for the child (pure). */
#ifndef REINIT_WEXEC_H
#define REINIT_WEXEC_H

#include "init/opts.h"

/* Reads watchexec's options and command from argv into o, over the
 * defaults and REINIT_* variables already there. Returns 0, or -1 with the
 * reason in o->why (the caller prints it and exits 2). */
int wexec_parse(struct opts *o, int argc, char **argv);

/* When run as watchexec and something changed, points out[0] and out[1] at
 * "WATCHEXEC_COMMON_PATH=..." and "WATCHEXEC_OTHERWISE_CHANGED_PATH=...",
 * made from changed ("REINIT_CHANGED=a\nb/c", relative to the watch root).
 * Leaves them alone otherwise. The strings live until the next call. */
void wexec_env(const struct opts *o, const char *changed, const char **out);

#endif
