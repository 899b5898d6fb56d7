/* opts.c: the command line and the environment, read into one struct (pure). */
#include "init/opts.h"

#include <signal.h>
#include <string.h>

#include "init/log.h"
#include "init/wexec.h"
#include "signals/signame.h"

/* What an option does with its value, and where the value goes. */
enum kind {
	K_SET,     /* int field = 1 with ONE, else 0 */
	K_VERBOSE, /* -v counts; the variable is a level */
	K_SINGLE,  /* dumb-init -c: no session, no group */
	K_SIG,     /* int field = a signal */
	K_DUR,     /* long field = milliseconds */
	K_STR,     /* const char * field = the value */
	K_WATCH,   /* one more --watch */
	K_IGNORE,  /* one more --ignore */
	K_REMAP,   /* one more --remap-exit */
	K_REWRITE, /* one more --rewrite */
	K_ONEXIT,  /* wait, exit or restart */
	K_WINDOW,  /* watchexec's --debounce: bare milliseconds, a window */
	K_SHELL,   /* watchexec's --shell, or -n with no value: none */
	K_NONE,    /* watchexec's options that reinit's defaults already are */
};

/* The end of the message for a bad value, after the value, for each kind
 * up to K_ONEXIT ("" for those whose value cannot be bad). */
static const char expected[] = "': expected 1 or 0\0': expected a level from 0 to 3\0\0"
			       "': expected a signal such as TERM, SIGTERM or 15\0"
			       "': expected a duration such as 500ms, 10s or 2m\0"
			       "': expected a value that is not empty\0\0\0"
			       "': expected an exit code from 0 to 255\0"
			       "': expected FROM:TO such as TERM:QUIT, or 15:0 to drop\0"
			       "': expected wait, exit or restart";

#define R     (1 << PERS_REINIT)
#define T     (1 << PERS_TINI)
#define D     (1 << PERS_DUMB)
#define W     (1 << PERS_WEXEC)
#define ARG   1 /* takes a value */
#define NOENV 2 /* no REINIT_* variable */
#define EVERY 4 /* its REINIT_* variable counts under every name */
#define ONE   8 /* K_SET sets 1 (else 0); K_DUR takes 1 at least (zero is no interval) */

struct optdef {
	char sh;
	unsigned char kind, pers, flags;
	unsigned short off; /* the field in struct opts */
};

#define F(field) offsetof(struct opts, field)

static const struct optdef defs[] = {
	{'g', K_SET, R | T, ONE, F(group)},
	{'s', K_SET, R | T, ONE, F(subreaper)},
	{'p', K_SIG, R | T, ARG, F(pdeathsig)},
	{'e', K_REMAP, R | T, ARG, 0},
	{'r', K_REWRITE, R | D, ARG, 0},
	{'t', K_DUR, R, ARG | EVERY, F(stop_ms)},
	{0, K_DUR, R, ARG | EVERY, F(drain_ms)},
	{0, K_SIG, R | W, ARG, F(stop_signal)},
	{'P', K_SET, R, ONE, F(pause)},
	{'v', K_VERBOSE, R | T | D | W, 0, 0},
	{'q', K_SET, R, 0, F(verbosity)},
	{'h', K_SET, R | T | D, NOENV | ONE, F(help)},
	{'V', K_SET, R | D, NOENV | ONE, F(version)},
	{0, K_SET, T, NOENV | ONE, F(version)},
	{'l', K_SET, T, NOENV | ONE, F(license)},
	{'w', K_SET, T, ONE, F(warn_reap)},
	{'c', K_SINGLE, D, 0, 0},
	{'w', K_WATCH, R | W, ARG, 0},
	{'i', K_IGNORE, R | W, ARG, 0},
	{0, K_STR, R, ARG, F(ignore_file)},
	{0, K_SET, R, ONE, F(no_default_ignores)},
	{'x', K_STR, R, ARG, F(exts)},
	{0, K_STR, R, ARG, F(trigger)},
	{'d', K_DUR, R, ARG, F(debounce_ms)},
	{0, K_DUR, R, ARG, F(debounce_max_ms)},
	{0, K_ONEXIT, R, ARG, 0},
	{0, K_SET, R, ONE, F(postpone)},
	{0, K_DUR, R, ARG | ONE, F(poll_ms)},
	{'R', K_SET, R, NOENV | ONE, F(restart)},
	/* watchexec's own: the options its buildpacks write, and a few more. */
	{'r', K_NONE, W, 0, 0},
	{0, K_NONE, W, 0, 0},
	{'p', K_SET, W, ONE, F(postpone)},
	{'e', K_STR, W, ARG, F(exts)},
	{'d', K_WINDOW, W, ARG, 0},
	{'s', K_SIG, W, ARG, F(stop_signal)},
	{0, K_DUR, W, ARG, F(stop_ms)},
	{0, K_SHELL, W, ARG, 0},
	{'n', K_SHELL, W, 0, 0},
};

/* The long names in the order of defs (REINIT_NAME_IN_CAPITALS is the
 * variable of each): one string, not a pointer in each entry. */
static const char names[] = "group\0subreaper\0pdeathsig\0remap-exit\0rewrite\0stop-timeout\0"
			    "drain-timeout\0stop-signal\0pause\0verbose\0quiet\0help\0version\0"
			    "version\0license\0warn-reap\0single-child\0watch\0ignore\0"
			    "ignore-file\0no-default-ignores\0exts\0trigger\0debounce\0"
			    "debounce-max\0on-exit\0postpone\0poll\0restart\0"
			    "restart\0no-vcs-ignore\0postpone\0exts\0debounce\0signal\0stop-timeout\0"
			    "shell\0shell\0";

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

static const char usage_hint[] = ": see reinit --help";

/* Sets the reason for failing (why[5] on stays 0 from defaults());
 * always returns -1. */
static int
fail(struct opts *o, const char *a, const char *b, const char *c, const char *d, const char *e)
{
	o->why[0] = a, o->why[1] = b, o->why[2] = c, o->why[3] = d, o->why[4] = e;
	return -1;
}

/* The index of s[0..len) in list (NUL-terminated words, "" last), or -1. */
static int
word(const char *list, const char *s, size_t len)
{
	int i;

	for (i = 0; *list; i++, list += strlen(list) + 1)
		if (strlen(list) == len && !memcmp(list, s, len))
			return i;
	return -1;
}

/* dashes '-' and s[0..len) as a NUL-terminated string in the pool (NULL,
 * or s for a long name, when it is full); str() copies only when s is not
 * already such a string. */
static const char *
copy(struct opts *o, const char *s, size_t len, size_t dashes)
{
	char *p = o->pool + o->used;

	if (len + dashes + 1 > sizeof(o->pool) - o->used)
		return dashes == 2 ? s : 0;
	memset(p, '-', dashes);
	memcpy(p + dashes, s, len);
	p[dashes + len] = 0;
	o->used += dashes + len + 1;
	return p;
}

static const char *
str(struct opts *o, const char *s, size_t len)
{
	return s[len] == 0 ? s : copy(o, s, len, 0);
}

/* Room kept in the pool for what a message quotes, so that a full pool
 * still gives a whole line. */
#define SHOWN_MAX 64

/* s[0..len) as a message quotes it: at most SHOWN_MAX bytes, control
 * bytes as '?', so that a value cannot forge a line or move the cursor. */
static const char *
shown(struct opts *o, const char *s, size_t len)
{
	char *p = o->pool + o->used;
	size_t i, n = len > SHOWN_MAX ? SHOWN_MAX : len;

	if (!s || n + 4 > sizeof(o->pool) - o->used)
		return "...";
	for (i = 0; i < n; i++)
		p[i] = (unsigned char)s[i] < 32 || s[i] == 127 ? '?' : s[i];
	memcpy(p + n, "...", 4);
	if (len == n)
		p[n] = 0;
	o->used += n + 4;
	return p;
}

long
opts_duration(const char *s, size_t len)
{
	/* Milliseconds in each unit; none is seconds. */
	static const int ms[] = {1, 1000, 60000, 3600000};
	size_t digits = 0;
	long n;
	int u;

	while (digits < len && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	u = digits == len ? 1 : word("ms\0s\0m\0h\0", s + digits, len - digits);
	if (u < 0 || (n = signame_num(s, digits, 1000000000L)) < 0)
		return -1;
	return n > 1000000000L / ms[u] ? -1 : n * ms[u];
}

/* "1", "true", "yes", "on" -> 1; "0", "false", "no", "off", "" -> 0; else -1. */
static int
parse_bool(const char *s, size_t len)
{
	int i = word("0\0false\0no\0off\0"
		     "1\0true\0yes\0on\0",
		     s, len);

	return !len ? 0 : i < 0 ? -1 : i >= 4;
}

static int
too_many(struct opts *o, const char *src)
{
	return fail(o, "too many ", src, " values (at most 64)", 0, 0);
}

/* Carries out one option: d was given as src ("--name" or a variable) with
 * the value v[0..len); from_env says a flag's value is a boolean. */
static int
apply(struct opts *o, const struct optdef *d, const char *v, size_t len, const char *src,
      int from_env)
{
	char *field = (char *)o + d->off;
	const char *colon;
	long n;
	int sig, to;

	if (!(d->flags & ARG) && from_env && d->kind != K_VERBOSE) {
		if ((n = parse_bool(v, len)) < 0)
			goto bad;
		if (!n)
			return 0;
	}
	switch (d->kind) {
	case K_SET:
		*(int *)field = d->flags / ONE;
		break;
	case K_SINGLE:
		o->setsid = o->group = 0;
		break;
	case K_VERBOSE:
		if (!from_env)
			o->verbosity++;
		else if ((n = signame_num(v, len, 3)) < 0)
			goto bad;
		else
			o->verbosity = 1 + (int)n;
		break;
	case K_SIG:
		if ((sig = signame_parse(v, len)) < 0)
			goto bad;
		*(int *)field = sig;
		break;
	case K_DUR:
		if ((n = opts_duration(v, len)) < d->flags / ONE)
			goto bad;
		*(long *)field = n;
		break;
	case K_STR:
	case K_WATCH:
		/* An empty file name or list of extensions would switch
		 * restarts off without a word. */
		for (n = 0; n < (long)len && (v[n] == ',' || v[n] == '.'); n++)
			;
		if (d->kind == K_STR && n == (long)len && (!len || d->off == F(exts)))
			goto bad;
		if (d->kind == K_WATCH && o->nwatch >= OPTS_MAX_LIST)
			return too_many(o, src);
		if (!(colon = v[len] && len + 3 * SHOWN_MAX > sizeof(o->pool) - o->used
				      ? 0
				      : str(o, v, len)))
			return fail(o, src, " is too long: at most 4 KiB of paths in all", 0, 0, 0);
		if (d->kind == K_WATCH)
			o->watch[o->nwatch++] = colon;
		else
			*(const char **)field = colon;
		break;
	case K_IGNORE:
		if (o->nignore >= OPTS_MAX_LIST)
			return too_many(o, src);
		o->ignore[o->nignore].s = v;
		o->ignore[o->nignore++].len = len;
		break;
	case K_REMAP:
		/* tini reads the code with strtol: an empty one is 0. */
		n = 0;
		if ((len || o->personality != PERS_TINI) && (n = signame_num(v, len, 255)) < 0)
			goto bad;
		o->remap[n / 8] |= (unsigned char)(1 << (n % 8));
		break;
	case K_REWRITE:
		/* TO may be 0, which drops FROM. */
		for (colon = v; colon < v + len && *colon != ':';)
			colon++;
		if (colon == v + len || (sig = signame_parse(v, (size_t)(colon - v))) < 0)
			goto bad;
		n = (long)(len - (size_t)(colon - v) - 1);
		if ((to = n == 1 && colon[1] == '0' ? 0 : signame_parse(colon + 1, (size_t)n)) < 0)
			goto bad;
		o->sigmap[sig] = (unsigned char)to;
		o->rewrote |= sig < 32 ? 1u << sig : 0;
		break;
	case K_ONEXIT:
		if ((n = word("wait\0exit\0restart\0", v, len)) < 0)
			goto bad;
		o->on_exit = (int)n;
		break;
	case K_WINDOW:
		/* A bare number is milliseconds here, and the wait runs
		 * from the first event, as in watchexec. */
		if ((n = opts_duration(v, len)) < 0)
			goto bad;
		o->debounce_ms = o->debounce_max_ms = v[len - 1] <= '9' ? n / 1000 : n;
		break;
	case K_SHELL:
		o->shell = v && strcmp(v, "none") ? v : 0;
		break;
	}
	return 0;
bad:
	return fail(o, "invalid ", src, " '", shown(o, v, len),
		    log_nth(expected, d->kind == K_WINDOW ? K_DUR : d->kind));
}

/* Matches "REINIT_" + the option's long name in capitals, '-' as '_'. */
static size_t
env_name_len(const char *e, const char *name)
{
	size_t i;

	if (strncmp(e, "REINIT_", 7))
		return 0;
	for (i = 0; name[i]; i++) {
		char c = name[i] == '-' ? '_' : (char)(name[i] - 'a' + 'A');

		if (e[7 + i] != c)
			return 0;
	}
	return e[7 + i] == '=' ? 7 + i : 0;
}

/* Applies each item of a variable's value; lists split at sep. */
static int
apply_env(struct opts *o, const struct optdef *d, const char *e, size_t namelen)
{
	const char *v = e + namelen + 1, *end, *src = shown(o, e, namelen);
	char sep = d->kind == K_WATCH ? ':' : d->kind >= K_IGNORE && d->kind <= K_REWRITE ? ',' : 0;

	if (!sep)
		return apply(o, d, v, strlen(v), src, 1);
	for (; *v; v = *end ? end + 1 : end) {
		for (end = v; *end && *end != sep; end++)
			;
		if (end > v && apply(o, d, v, (size_t)(end - v), src, 1) < 0)
			return -1;
	}
	return 0;
}

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
static int
personality(const char *argv0)
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
static void
personality_env(struct opts *o, char *const *envp)
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

static const struct optdef *
find(int pers, char sh, const char *name, size_t len)
{
	const struct optdef *d, *prefix = 0;
	const char *p = names;
	int n = 0;

	for (d = defs; d < defs + NDEFS; d++, p += strlen(p) + 1) {
		if (!(d->pers & (1 << pers)))
			continue;
		if (name ? strlen(p) == len && !memcmp(p, name, len) : d->sh == sh)
			return d;
		if (name && len && !strncmp(p, name, len))
			prefix = d, n++;
	}
	/* dumb-init's getopt_long takes any unambiguous abbreviation. */
	return pers == PERS_DUMB && n == 1 ? prefix : 0;
}

static void
defaults(struct opts *o)
{
	int i;

	/* Not the pool: its pages are touched only as far as it is used, so
	 * an idle init keeps fewer of them. */
	memset(o, 0, offsetof(struct opts, pool));
	o->verbosity = 1;
	o->stop_signal = SIGTERM;
	o->stop_ms = OPTS_STOP_MS;
	o->drain_ms = OPTS_DRAIN_MS;
	o->debounce_ms = OPTS_DEBOUNCE_MS;
	o->debounce_max_ms = OPTS_DEBOUNCE_MAX_MS;
	for (i = 0; i <= 64; i++)
		o->sigmap[i] = (unsigned char)i;
}

int
opts_parse(struct opts *o, int argc, char **argv, char *const *envp)
{
	const struct optdef *d;
	int i, sig, env_ignores;

	defaults(o);
	o->personality = argc > 0 ? personality(argv[0]) : PERS_REINIT;
	if (o->personality == PERS_DUMB)
		o->setsid = o->group = 1;

	/* The environment first, so that a flag wins over it. Under another
	 * program's name only the variables that no option of its covers;
	 * as watchexec all, since buildpacks fix its command line. */
	for (i = 0; envp && envp[i]; i++) {
		const char *p = names;
		size_t n;

		for (d = defs; d < defs + NDEFS; d++, p += strlen(p) + 1) {
			if (!(d->pers & R) || (d->flags & NOENV) ||
			    (o->personality != PERS_REINIT && o->personality != PERS_WEXEC &&
			     !(d->flags & EVERY)) ||
			    !(n = env_name_len(envp[i], p)))
				continue;
			if (apply_env(o, d, envp[i], n) < 0)
				return -1;
			break;
		}
	}
	personality_env(o, envp);
	env_ignores = o->nignore;
	/* watchexec runs the command through sh unless told otherwise, in a
	 * process group of its own, and signals the group: a forwarded
	 * signal reaches all of it here too. */
	if (o->personality == PERS_WEXEC)
		o->shell = "sh", o->group = 1;

	/* Options stop at the first word that is not one, as with "+" in
	 * getopt: the command's own options are its own. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v, *src;
		int lng;

		if (a[0] != '-' || a[1] == 0)
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		/* --name, --name=value, --name value, or a cluster of short
		 * options: -gs, -t5s, -t 5s. */
		for (a++; *a; a++) {
			if ((lng = *a == '-')) {
				size_t n = (v = strchr(a, '=')) ? (size_t)(v++ - a - 1)
								: strlen(a + 1);

				d = find(o->personality, 0, a + 1, n);
				src = str(o, argv[i], n + 2);
			} else {
				d = find(o->personality, *a, 0, 0);
				/* Messages name the long form, the one documented. */
				if (d) {
					src = log_nth(names, (int)(d - defs));
					src = copy(o, src, strlen(src), 2);
				} else {
					src = copy(o, a, 1, 1);
				}
				v = a[1] ? a + 1 : 0;
			}
			/* As watchexec, the option is one reinit does not do. */
			if (!d && o->personality == PERS_WEXEC)
				return fail(o, "watchexec option '",
					    shown(o, argv[i], strlen(argv[i])), "' is not supported",
					    0, 0);
			if (!d)
				return fail(o, "unknown option '",
					    shown(o, src, src ? strlen(src) : 0), "'", usage_hint,
					    0);
			if (!(d->flags & ARG)) {
				if (lng && v)
					return fail(o, "option '", src, "' takes no value", 0, 0);
				apply(o, d, 0, 0, src, 0);
				if (lng)
					break;
				continue;
			}
			if (!v) {
				if (i + 1 >= argc)
					return fail(o, "option '", src, "' needs a value",
						    o->personality == PERS_WEXEC ? 0 : usage_hint,
						    0);
				v = argv[++i];
			}
			if (apply(o, d, v, strlen(v), src, 0) < 0)
				return -1;
			break;
		}
	}

	/* dumb-init in its own session: a job-control stop would not stop
	 * the child's group, whose session has no terminal to stop it, so it
	 * becomes SIGSTOP unless -r says otherwise. */
	if (o->personality == PERS_DUMB && o->setsid)
		for (sig = SIGTSTP; sig <= SIGTTOU; sig++)
			if (!(o->rewrote & 1u << sig))
				o->sigmap[sig] = SIGSTOP;
	/* watchexec has no --pause (nor REINIT_PAUSE), and no reinit --help
	 * to point to. */
	if (o->personality == PERS_WEXEC)
		return i < argc ? wexec_command(o, argc, argv, i, env_ignores)
				: fail(o, "no command given", 0, 0, 0, 0);
	if (o->help || o->version || o->license || o->restart)
		return 0;
	if (o->pause) {
		if (i < argc)
			return fail(o, "--pause runs no command, yet got '",
				    shown(o, argv[i], strlen(argv[i])), "'", 0, 0);
		return 0;
	}
	if (i >= argc)
		return fail(o, "no command given", usage_hint, 0, 0, 0);
	if (o->postpone && !o->nwatch && !o->trigger)
		return fail(o, "--postpone needs --watch or --trigger", 0, 0, 0, 0);
	o->argv = argv + i;
	return 0;
}

int
opts_exit_code(const struct opts *o, int code)
{
	return o->remap[code / 8] & (1 << (code % 8)) ? 0 : code;
}
