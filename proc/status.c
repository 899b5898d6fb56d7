/* status.c: a wait status as the exit code a shell would show (pure). */
#include "proc/status.h"

#include <sys/wait.h>

int
status_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return 255;
}
