/* tool.h: reinit run as tar or rm (by a link's name or `reinit tar ...`),
 * and `reinit --install DIR`. */
#ifndef REINIT_TOOL_H
#define REINIT_TOOL_H

/* The tool's exit status, or -1 when argv does not ask for a tool. */
int tool_main(int argc, char **argv);

#endif
