/* wexec.h: reinit run as watchexec: its command line into struct opts, and
 * its changed-path variables for the child (pure). */
#ifndef REINIT_WEXEC_H
#define REINIT_WEXEC_H

#include "init/opts.h"

/* Once opts_parse has read watchexec's options (its table holds them),
 * makes the rest as watchexec would from the command at argv[i]: the watch
 * root when none was given, the ignores from the command line (from index
 * first on: those of REINIT_IGNORE keep reinit's meaning), the command
 * itself. Returns 0, or -1 with the reason in o->why. */
int wexec_command(struct opts *o, int argc, char **argv, int i, int first);

/* When run as watchexec and something changed, points out[0] and out[1] at
 * "WATCHEXEC_COMMON_PATH=..." and "WATCHEXEC_OTHERWISE_CHANGED_PATH=...",
 * made from changed ("REINIT_CHANGED=a\nb/c", relative to the watch root).
 * Leaves them alone otherwise. The strings live until the next call. */
void wexec_env(const struct opts *o, const char *changed, const char **out);

#endif
