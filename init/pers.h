/* pers.h: which peer reinit stands in for, by the name it was run as, and
 * that peer's own variables (pure). */
#ifndef REINIT_PERS_H
#define REINIT_PERS_H

#include "init/opts.h"

/* PERS_TINI, PERS_DUMB, PERS_WEXEC or PERS_REINIT for argv[0]. */
int pers_of(const char *argv0);

/* TINI_* or DUMB_INIT_* from envp into o, as the peer reads them. */
void pers_env(struct opts *o, char *const *envp);

#endif
