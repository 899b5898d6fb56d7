/* The example's app: says which start this is and what /app/message holds,
 * then runs until SIGTERM. A sync that changes message.txt restarts it. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int
main(void)
{
	char msg[256] = "";
	const char *n = getenv("REINIT_RESTARTS");
	int fd = open("/app/message.txt", O_RDONLY | O_CLOEXEC);
	ssize_t len = fd < 0 ? 0 : read(fd, msg, sizeof(msg) - 1);
	sigset_t term;

	msg[len > 0 ? len : 0] = 0;
	printf("start %s: %s\n", n ? n : "0", msg);
	fflush(stdout);
	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, NULL);
	sigwaitinfo(&term, NULL);
	return 0;
}
