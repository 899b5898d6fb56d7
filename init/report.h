/* report.h: the text of `reinit status`. */
#ifndef REINIT_REPORT_H
#define REINIT_REPORT_H

#include "init/loop.h"

/* The running reinit's account of itself at time now into buf (size bytes
 * at most, cut short if need be): its length. */
unsigned long report_status(const struct loop *l, msec now, char *buf, unsigned long size);

#endif
