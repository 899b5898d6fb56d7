/* floor: the least an init can do, fork, exec and wait, as a reference for
 * the start-up overhead: floor [--] command [args...] */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

int
main(int argc, char **argv)
{
	int st, i = 1;
	pid_t pid;

	if (argc > 1 && strcmp(argv[1], "--") == 0)
		i = 2;
	if (i >= argc)
		return 2;
	pid = fork();
	if (pid < 0)
		return 1;
	if (pid == 0) {
		execv(argv[i], argv + i);
		_exit(127);
	}
	while (waitpid(-1, &st, 0) != pid)
		;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
