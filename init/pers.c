/* pers.c: which peer reinit stands in for, by the name it was run as, and
 * that peer's own variables (pure). */
#include "init/pers.h"

#include <string.h>

static const char *
getenv_in(char *const *envp, const char *name)
{
	size_t n = strlen(name);

	for (; envp && *envp; envp++)
		if (!strncmp(*envp, name, n) && (*envp)[n] == '=')
			return *envp + n + 1;
	return 0;
}

/* Does base start with the word w, followed by its end or by sep? */
static int
named(const char *base, const char *w, char sep)
{
	size_t n = strlen(w);

	return !strncmp(base, w, n) && (base[n] == 0 || base[n] == sep);
}

/* tini, tini-static, docker-init and the release assets (tini-amd64,
 * tini-static-muslc-arm64, dumb-init_1.2.5_x86_64...) are the peers. */
int
pers_of(const char *argv0)
{
	const char *base = argv0, *p;

	for (p = argv0; *p; p++)
		if (*p == '/')
			base = p + 1;
	if (named(base, "tini", '-') || !strcmp(base, "docker-init"))
		return PERS_TINI;
	if (named(base, "dumb-init", '_'))
		return PERS_DUMB;
	if (!strcmp(base, "watchexec"))
		return PERS_WEXEC;
	return PERS_REINIT;
}

/* The personality's own variables, with the meanings its program gives them. */
void
pers_env(struct opts *o, char *const *envp)
{
	const char *v;
	long n;

	if (o->personality == PERS_TINI) {
		if (getenv_in(envp, "TINI_SUBREAPER"))
			o->subreaper = 1;
		if (getenv_in(envp, "TINI_KILL_PROCESS_GROUP"))
			o->group = 1;
		/* tini reads it with atoi: digits up to the first other
		 * character, anything else 0; its levels past 3 say no more
		 * than reinit's 3. */
		if ((v = getenv_in(envp, "TINI_VERBOSITY"))) {
			while (*v == ' ' || *v == '+')
				v++;
			for (n = 0; *v >= '0' && *v <= '9' && n < 3; v++)
				n = n * 10 + (*v - '0');
			o->verbosity = n > 3 ? 3 : (int)n;
		}
	} else if (o->personality == PERS_DUMB) {
		if ((v = getenv_in(envp, "DUMB_INIT_SETSID")) && !strcmp(v, "0"))
			o->setsid = o->group = 0;
		if ((v = getenv_in(envp, "DUMB_INIT_DEBUG")) && !strcmp(v, "1"))
			o->verbosity++;
	}
}
