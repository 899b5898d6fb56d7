/* opts.c: the command line and the environment, read into one struct (pure). */
#include "init/opts.h"

#include <signal.h>
#include <string.h>

#include "signals/signame.h"

enum {
	OPT_GROUP,
	OPT_SUBREAPER,
	OPT_PDEATHSIG,
	OPT_REMAP,
	OPT_REWRITE,
	OPT_STOP_TIMEOUT,
	OPT_STOP_SIGNAL,
	OPT_PAUSE,
	OPT_VERBOSE,
	OPT_QUIET,
	OPT_HELP,
	OPT_VERSION,
	OPT_LICENSE,
	OPT_WARN_REAP,
	OPT_SINGLE_CHILD,
	OPT_WATCH,
	OPT_IGNORE,
	OPT_IGNORE_FILE,
	OPT_NO_DEFAULT_IGNORES,
	OPT_EXTS,
	OPT_TRIGGER,
	OPT_DEBOUNCE,
	OPT_DEBOUNCE_MAX,
	OPT_ON_EXIT,
	OPT_POSTPONE,
	OPT_POLL,
	OPT_RESTART,
};

#define R (1 << PERS_REINIT)
#define T (1 << PERS_TINI)
#define D (1 << PERS_DUMB)
#define ARG 1   /* takes a value */
#define NOENV 2 /* no REINIT_* variable */

struct optdef {
	char sh;
	unsigned char id, pers, flags;
	const char *name; /* long name; REINIT_NAME_IN_CAPITALS is its variable */
};

static const struct optdef defs[] = {
	{'g', OPT_GROUP, R | T, 0, "group"},
	{'s', OPT_SUBREAPER, R | T, 0, "subreaper"},
	{'p', OPT_PDEATHSIG, R | T, ARG, "pdeathsig"},
	{'e', OPT_REMAP, R | T, ARG, "remap-exit"},
	{'r', OPT_REWRITE, R | D, ARG, "rewrite"},
	{'t', OPT_STOP_TIMEOUT, R, ARG, "stop-timeout"},
	{0, OPT_STOP_SIGNAL, R, ARG, "stop-signal"},
	{'P', OPT_PAUSE, R, 0, "pause"},
	{'v', OPT_VERBOSE, R | T | D, 0, "verbose"},
	{'q', OPT_QUIET, R, 0, "quiet"},
	{'h', OPT_HELP, R | T | D, NOENV, "help"},
	{'V', OPT_VERSION, R | T | D, NOENV, "version"},
	{'l', OPT_LICENSE, T, NOENV, "license"},
	{'w', OPT_WARN_REAP, T, 0, "warn-reap"},
	{'c', OPT_SINGLE_CHILD, D, 0, "single-child"},
	{'w', OPT_WATCH, R, ARG, "watch"},
	{'i', OPT_IGNORE, R, ARG, "ignore"},
	{0, OPT_IGNORE_FILE, R, ARG, "ignore-file"},
	{0, OPT_NO_DEFAULT_IGNORES, R, 0, "no-default-ignores"},
	{'x', OPT_EXTS, R, ARG, "exts"},
	{0, OPT_TRIGGER, R, ARG, "trigger"},
	{'d', OPT_DEBOUNCE, R, ARG, "debounce"},
	{0, OPT_DEBOUNCE_MAX, R, ARG, "debounce-max"},
	{0, OPT_ON_EXIT, R, ARG, "on-exit"},
	{0, OPT_POSTPONE, R, 0, "postpone"},
	{0, OPT_POLL, R, ARG, "poll"},
	{'R', OPT_RESTART, R, NOENV, "restart"},
};

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

static const char usage_hint[] = ": see reinit --help";

/* Sets the reason for failing; always returns -1. */
static int
fail(struct opts *o, const char *a, const char *b, const char *c, const char *d,
     const char *e)
{
	o->why[0] = a, o->why[1] = b, o->why[2] = c, o->why[3] = d, o->why[4] = e;
	o->why[5] = 0;
	return -1;
}

/* s[0..len) as a NUL-terminated copy in the pool ("" when it is full);
 * str() copies only when s is not already such a string. */
static const char *
copy(struct opts *o, const char *s, size_t len)
{
	char *p;

	if (len + 1 > sizeof(o->pool) - o->used)
		return "";
	p = o->pool + o->used;
	memcpy(p, s, len);
	p[len] = 0;
	o->used += len + 1;
	return p;
}

static const char *
str(struct opts *o, const char *s, size_t len)
{
	return s[len] == 0 ? s : copy(o, s, len);
}

/* "--name" for an option given in its short form. */
static const char *
long_name(struct opts *o, const struct optdef *d)
{
	size_t n = strlen(d->name);
	char *p = o->pool + o->used;

	if (n + 3 > sizeof(o->pool) - o->used)
		return d->name;
	p[0] = p[1] = '-';
	memcpy(p + 2, d->name, n + 1);
	o->used += n + 3;
	return p;
}

static int
parse_uint(const char *s, size_t len, long max, long *out)
{
	long n = 0;
	size_t i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		n = n * 10 + (s[i] - '0');
		if (n > max)
			return -1;
	}
	*out = n;
	return 0;
}

long
opts_duration(const char *s, size_t len)
{
	static const struct {
		char unit[3];
		long ms;
	} units[] = {{"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"", 1000}};
	size_t digits = 0, u;
	long n;

	while (digits < len && s[digits] >= '0' && s[digits] <= '9')
		digits++;
	if (parse_uint(s, digits, 1000000000L, &n) < 0)
		return -1;
	for (u = 0; u < sizeof(units) / sizeof(units[0]); u++)
		if (strlen(units[u].unit) == len - digits &&
		    !memcmp(units[u].unit, s + digits, len - digits))
			return n > 1000000000L / units[u].ms ? -1 : n * units[u].ms;
	return -1;
}

/* "1", "true", "yes", "on" -> 1; "0", "false", "no", "off", "" -> 0; else -1. */
static int
parse_bool(const char *s, size_t len)
{
	static const char *const words[] = {"0", "false", "no", "off", "1", "true", "yes", "on"};
	unsigned i;

	if (len == 0)
		return 0;
	for (i = 0; i < 8; i++)
		if (strlen(words[i]) == len && !strncmp(words[i], s, len))
			return i >= 4;
	return -1;
}

static int
add_str(struct opts *o, const char **list, int *n, const char *v, const char *src)
{
	if (*n >= OPTS_MAX_LIST)
		return fail(o, "too many ", src, " values (at most 64)", 0, 0);
	list[(*n)++] = v;
	return 0;
}

/* Carries out one option: d was given as src ("--name", "-x" or a variable)
 * with the value v[0..len); from_env says a flag's value is a boolean. */
static int
apply(struct opts *o, const struct optdef *d, const char *v, size_t len, const char *src,
      int from_env)
{
	const char *colon;
	long n;
	int sig, to;

	if (!(d->flags & ARG) && from_env && d->id != OPT_VERBOSE) {
		int b = parse_bool(v, len);

		if (b < 0)
			return fail(o, "invalid ", src, " '", str(o, v, len), "': expected 1 or 0");
		if (!b)
			return 0;
	}
	switch (d->id) {
	case OPT_GROUP: o->group = 1; break;
	case OPT_SUBREAPER: o->subreaper = 1; break;
	case OPT_PAUSE: o->pause = 1; break;
	case OPT_HELP: o->help = 1; break;
	case OPT_VERSION: o->version = 1; break;
	case OPT_LICENSE: o->license = 1; break;
	case OPT_WARN_REAP: o->warn_reap = 1; break;
	case OPT_SINGLE_CHILD: o->setsid = o->group = 0; break;
	case OPT_NO_DEFAULT_IGNORES: o->no_default_ignores = 1; break;
	case OPT_POSTPONE: o->postpone = 1; break;
	case OPT_RESTART: o->restart = 1; break;
	case OPT_QUIET: o->verbosity = 0; break;
	case OPT_VERBOSE:
		if (!from_env) {
			o->verbosity++;
		} else if (parse_uint(v, len, 3, &n) < 0) {
			return fail(o, "invalid ", src, " '", str(o, v, len),
				    "': expected a level from 0 to 3");
		} else {
			o->verbosity = 1 + (int)n;
		}
		break;
	case OPT_PDEATHSIG:
	case OPT_STOP_SIGNAL:
		if ((sig = signame_parse(v, len)) < 0)
			return fail(o, "invalid signal '", str(o, v, len), "' for ", src,
				    ": expected a name or number such as TERM, SIGTERM or 15");
		*(d->id == OPT_PDEATHSIG ? &o->pdeathsig : &o->stop_signal) = sig;
		break;
	case OPT_REMAP:
		if (parse_uint(v, len, 255, &n) < 0)
			return fail(o, "invalid exit code '", str(o, v, len), "' for ", src,
				    ": expected a number from 0 to 255");
		o->remap[n / 8] |= (unsigned char)(1 << (n % 8));
		break;
	case OPT_REWRITE:
		colon = memchr(v, ':', len);
		if (!colon || (sig = signame_parse(v, (size_t)(colon - v))) < 0 ||
		    ((to = signame_parse(colon + 1, len - (size_t)(colon - v) - 1)) < 0 &&
		     !(len - (size_t)(colon - v) == 2 && colon[1] == '0')))
			return fail(o, "invalid ", src, " '", str(o, v, len),
				    "': expected FROM:TO such as TERM:QUIT, or 15:0 to drop");
		o->sigmap[sig] = (unsigned char)(to < 0 ? 0 : to);
		break;
	case OPT_STOP_TIMEOUT:
	case OPT_DEBOUNCE:
	case OPT_DEBOUNCE_MAX:
	case OPT_POLL:
		if ((n = opts_duration(v, len)) < 0 || (n == 0 && d->id == OPT_POLL))
			return fail(o, "invalid ", src, " '", str(o, v, len),
				    "': expected a duration such as 500ms, 10s or 2m");
		*(d->id == OPT_STOP_TIMEOUT ? &o->stop_ms :
		  d->id == OPT_DEBOUNCE	    ? &o->debounce_ms :
		  d->id == OPT_POLL	    ? &o->poll_ms :
					      &o->debounce_max_ms) = n;
		break;
	case OPT_ON_EXIT:
		if (len == 4 && !memcmp(v, "wait", 4))
			o->on_exit = ONEXIT_WAIT;
		else if (len == 4 && !memcmp(v, "exit", 4))
			o->on_exit = ONEXIT_EXIT;
		else if (len == 7 && !memcmp(v, "restart", 7))
			o->on_exit = ONEXIT_RESTART;
		else
			return fail(o, "invalid ", src, " '", str(o, v, len),
				    "': expected wait, exit or restart");
		break;
	case OPT_WATCH:
		return add_str(o, o->watch, &o->nwatch, str(o, v, len), src);
	case OPT_IGNORE:
		if (o->nignore >= OPTS_MAX_LIST)
			return fail(o, "too many ", src, " values (at most 64)", 0, 0);
		o->ignore[o->nignore].s = v;
		o->ignore[o->nignore++].len = len;
		break;
	case OPT_IGNORE_FILE: o->ignore_file = str(o, v, len); break;
	case OPT_EXTS: o->exts = str(o, v, len); break;
	case OPT_TRIGGER: o->trigger = str(o, v, len); break;
	}
	return 0;
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
	const char *v = e + namelen + 1, *end, *src = str(o, e, namelen);
	char sep = d->id == OPT_WATCH ? ':' :
		   d->id == OPT_REMAP || d->id == OPT_REWRITE || d->id == OPT_IGNORE ? ',' : 0;

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

static int
personality(const char *argv0)
{
	const char *base = argv0, *p;

	for (p = argv0; *p; p++)
		if (*p == '/')
			base = p + 1;
	if (!strcmp(base, "tini") || !strcmp(base, "tini-static") ||
	    !strcmp(base, "docker-init"))
		return PERS_TINI;
	if (!strcmp(base, "dumb-init"))
		return PERS_DUMB;
	return PERS_REINIT;
}

/* The personality's own variables, with the meanings its program gives them. */
static int
personality_env(struct opts *o, char *const *envp)
{
	const char *v;
	long n;

	if (o->personality == PERS_TINI) {
		if (getenv_in(envp, "TINI_SUBREAPER"))
			o->subreaper = 1;
		if (getenv_in(envp, "TINI_KILL_PROCESS_GROUP"))
			o->group = 1;
		if ((v = getenv_in(envp, "TINI_VERBOSITY"))) {
			if (parse_uint(v, strlen(v), 9, &n) < 0)
				return fail(o, "invalid TINI_VERBOSITY '", v,
					    "': expected a level from 0 to 3", 0, 0);
			o->verbosity = (int)n;
		}
	} else if (o->personality == PERS_DUMB) {
		if ((v = getenv_in(envp, "DUMB_INIT_SETSID")) && !strcmp(v, "0"))
			o->setsid = o->group = 0;
	}
	return 0;
}

static const struct optdef *
find(int pers, char sh, const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < NDEFS; i++) {
		const struct optdef *d = &defs[i];

		if (!(d->pers & (1 << pers)))
			continue;
		if (name ? strlen(d->name) == len && !memcmp(d->name, name, len) : d->sh == sh)
			return d;
	}
	return 0;
}

static void
defaults(struct opts *o)
{
	int i;

	memset(o, 0, sizeof(*o));
	o->verbosity = 1;
	o->stop_signal = SIGTERM;
	o->stop_ms = OPTS_STOP_MS;
	o->debounce_ms = OPTS_DEBOUNCE_MS;
	o->debounce_max_ms = OPTS_DEBOUNCE_MAX_MS;
	for (i = 0; i <= 64; i++)
		o->sigmap[i] = (unsigned char)i;
}

int
opts_parse(struct opts *o, int argc, char **argv, char *const *envp)
{
	const struct optdef *d;
	int i;

	defaults(o);
	o->personality = argc > 0 ? personality(argv[0]) : PERS_REINIT;
	if (o->personality == PERS_DUMB)
		o->setsid = o->group = 1;

	/* The environment first, so that a flag wins over it. */
	if (o->personality == PERS_REINIT) {
		for (i = 0; envp && envp[i]; i++) {
			size_t j, n;

			for (j = 0; j < NDEFS; j++) {
				d = &defs[j];
				if (!(d->pers & R) || (d->flags & NOENV) ||
				    !(n = env_name_len(envp[i], d->name)))
					continue;
				if (apply_env(o, d, envp[i], n) < 0)
					return -1;
				break;
			}
		}
	} else if (personality_env(o, envp) < 0) {
		return -1;
	}

	/* Options stop at the first word that is not one, as with "+" in
	 * getopt: the command's own options are its own. */
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *eq, *src;

		if (a[0] != '-' || a[1] == 0)
			break;
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			d = find(o->personality, 0, a + 2, eq ? (size_t)(eq - a - 2) : strlen(a + 2));
			src = str(o, a, eq ? (size_t)(eq - a) : strlen(a));
			if (!d)
				return fail(o, "unknown option '", src, "'", usage_hint, 0);
			if (!(d->flags & ARG)) {
				if (eq)
					return fail(o, "option '", src, "' takes no value", 0, 0);
				apply(o, d, 0, 0, src, 0);
				continue;
			}
			if (!eq && i + 1 >= argc)
				return fail(o, "option '", src, "' needs a value", usage_hint, 0);
			eq = eq ? eq + 1 : argv[++i];
			if (apply(o, d, eq, strlen(eq), src, 0) < 0)
				return -1;
			continue;
		}
		/* A cluster of short options: -gs, -t5s, -t 5s. */
		for (a++; *a; a++) {
			char name[3] = {'-', *a, 0};

			if (!(d = find(o->personality, *a, 0, 0)))
				return fail(o, "unknown option '", copy(o, name, 2), "'",
					    usage_hint, 0);
			/* Messages name the long form, the one documented. */
			src = long_name(o, d);
			if (!(d->flags & ARG)) {
				apply(o, d, 0, 0, src, 0);
				continue;
			}
			if (a[1] == 0 && i + 1 >= argc)
				return fail(o, "option '", src, "' needs a value", usage_hint, 0);
			a = a[1] ? a + 1 : argv[++i];
			if (apply(o, d, a, strlen(a), src, 0) < 0)
				return -1;
			break;
		}
	}

	if (o->help || o->version || o->license || o->restart)
		return 0;
	if (o->pause) {
		if (i < argc)
			return fail(o, "--pause runs no command, but one was given: '", argv[i],
				    "'", 0, 0);
		return 0;
	}
	if (i >= argc)
		return fail(o, "no command given: usage: reinit [options] [--] command [args...]",
			    0, 0, 0, 0);
	if (o->postpone && !o->nwatch && !o->trigger)
		return fail(o, "--postpone waits for a change, so it needs --watch or --trigger",
			    0, 0, 0, 0);
	o->argv = argv + i;
	return 0;
}

int
opts_exit_code(const struct opts *o, int code)
{
	return o->remap[code / 8] & (1 << (code % 8)) ? 0 : code;
}
