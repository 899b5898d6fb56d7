/* opts.c: the command line and the environment, read into one struct (pure). */
#include "init/opts.h"

#include <signal.h>
#include <string.h>

#include "init/log.h"
#include "init/opts_rows.h"
#include "init/pers.h"
#include "init/wexec.h"
#include "proc/shown.h"
#include "signals/signame.h"

#define KIND_ENUM(k, type, sep, text) K_##k,
#define KIND_TYPE(k, type, sep, text) typedef type kind_type_##k;
#define KIND_SEP(k, type, sep, text)  sep,
#define KIND_TEXT(k, type, sep, text) text "\0"

enum kind { KINDS(KIND_ENUM) };
typedef struct nofield NOFIELD; /* never defined: no member has it */
KINDS(KIND_TYPE)
static const char seps[] = {KINDS(KIND_SEP)};
static const char expected[] = KINDS(KIND_TEXT);

struct optdef {
	char sh;
	unsigned char kind, pers, flags;
	unsigned short off; /* the member in struct opts */
};

/* The row's member, whose type must be its kind's: _Generic has no match,
 * and the build fails, when it is not. */
#define DEF_OPT(sh, name, k, pers, flags, m)                                                       \
	{sh, K_##k, pers, flags,                                                                   \
	 _Generic(&((struct opts *)0)->m, kind_type_##k *                                          \
		  : offsetof(struct opts, m))},
#define DEF_ACT(sh, name, k, pers, flags)                                                          \
	{sh, K_##k, pers, flags, _Generic((kind_type_##k *)0, NOFIELD * : 0)},
#define NAME_OPT(sh, name, k, pers, flags, m) name "\0"
#define NAME_ACT(sh, name, k, pers, flags)    name "\0"

/* Short names for the table's columns, only as long as it. */
#define R     PERS_BIT(PERS_REINIT)
#define T     PERS_BIT(PERS_TINI)
#define D     PERS_BIT(PERS_DUMB)
#define W     PERS_BIT(PERS_WEXEC)
#define ARG   OPT_ARG
#define NOENV OPT_NOENV
#define EVERY OPT_EVERY
#define ONE   OPT_ONE
static const struct optdef defs[] = {OPTIONS(DEF_OPT, DEF_ACT)};
#undef R
#undef T
#undef D
#undef W
#undef ARG
#undef NOENV
#undef EVERY
#undef ONE

/* The long names in the order of defs: one string, not a pointer in each
 * entry. */
static const char names[] = OPTIONS(NAME_OPT, NAME_ACT);

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

static const char usage_hint[] = ": see reinit --help";

/* The parts of apply and opts_parse are functions for reading them, one
 * body in the binary: 64 bytes less than five calls. */
#define INLINE static inline __attribute__((always_inline))

/* What value() returns for a value its kind does not take. */
#define BAD 1

/* Sets the reason for failing (why[5] on stays 0 from defaults());
 * always returns -1. Called, not inlined: five stores of 8 bytes at each
 * of its dozen callers cost more than loading five arguments. */
__attribute__((noinline)) static int
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
	size_t n = len > SHOWN_MAX ? SHOWN_MAX : len;

	if (!s || n + 4 > sizeof(o->pool) - o->used)
		return "...";
	n = shown_copy(p, s, n);
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

/* The value of a STR or WATCH option, kept: 0, BAD, or -1 (o->why says
 * why). */
INLINE int
set_str(struct opts *o, const struct optdef *d, const char *v, size_t len, const char *src)
{
	const char *s;
	size_t n;

	/* An empty file name or list of extensions would switch restarts off
	 * without a word. */
	for (n = 0; n < len && (v[n] == ',' || v[n] == '.'); n++)
		;
	if (d->kind == K_STR && n == len && (!len || d->off == offsetof(struct opts, exts)))
		return BAD;
	if (d->kind != K_STR && o->nwatch >= OPTS_MAX_LIST)
		return too_many(o, src);
	if (!(s = v[len] && len + 3 * SHOWN_MAX > sizeof(o->pool) - o->used ? 0 : str(o, v, len)))
		return fail(o, src, " is too long: at most 4 KiB of paths in all", 0, 0, 0);
	if (d->kind == K_STR) {
		*(const char **)((char *)o + d->off) = s;
		return 0;
	}
	/* A --reload root goes after the others of its kind, before every
	 * -w root. */
	n = d->kind == K_RELOAD ? (size_t)o->nreload++ : (size_t)o->nwatch;
	memmove(o->watch + n + 1, o->watch + n, ((size_t)o->nwatch++ - n) * sizeof(*o->watch));
	o->watch[n] = s;
	return 0;
}

/* --rewrite FROM:TO, where TO may be 0, which drops FROM: 0 or BAD. */
INLINE int
set_rewrite(struct opts *o, const char *v, size_t len)
{
	const char *colon;
	size_t n;
	int sig, to;

	for (colon = v; colon < v + len && *colon != ':';)
		colon++;
	if (colon == v + len || (sig = signame_parse(v, (size_t)(colon - v))) < 0)
		return BAD;
	n = len - (size_t)(colon - v) - 1;
	if ((to = n == 1 && colon[1] == '0' ? 0 : signame_parse(colon + 1, n)) < 0)
		return BAD;
	o->sigmap[sig] = (unsigned char)to;
	o->rewrote |= sig < 32 ? 1u << sig : 0;
	return 0;
}

/* Carries out option d with the value v[0..len) (a flag's is true): 0,
 * BAD when the value is not one the kind takes, or -1 (o->why says why). */
INLINE int
value(struct opts *o, const struct optdef *d, const char *v, size_t len, const char *src,
      int from_env)
{
	void *field = (char *)o + d->off;
	long n;

	switch (d->kind) {
	case K_SET:
		*(int *)field = (d->flags & OPT_ONE) != 0;
		break;
	case K_SINGLE:
		o->setsid = o->group = 0;
		break;
	case K_VERBOSE:
		if (!from_env)
			o->verbosity++;
		else if ((n = signame_num(v, len, 3)) < 0)
			return BAD;
		else
			o->verbosity = 1 + (int)n;
		break;
	case K_SIG:
		if ((n = signame_parse(v, len)) < 0)
			return BAD;
		*(int *)field = (int)n;
		break;
	case K_DUR:
		if ((n = opts_duration(v, len)) < ((d->flags & OPT_ONE) != 0))
			return BAD;
		*(long *)field = n;
		break;
	case K_STR:
	case K_WATCH:
	case K_RELOAD:
		return set_str(o, d, v, len, src);
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
			return BAD;
		o->remap[n / 8] |= (unsigned char)(1 << (n % 8));
		break;
	case K_REWRITE:
		return set_rewrite(o, v, len);
	case K_ONEXIT:
		if ((n = word("wait\0exit\0restart\0", v, len)) < 0)
			return BAD;
		o->on_exit = (int)n;
		break;
	case K_WINDOW:
		/* A bare number is milliseconds here, and the wait runs
		 * from the first event, as in watchexec. */
		if ((n = opts_duration(v, len)) < 0)
			return BAD;
		o->debounce_ms = o->debounce_max_ms = v[len - 1] <= '9' ? n / 1000 : n;
		break;
	case K_SHELL:
		o->shell = v && strcmp(v, "none") ? v : 0;
		break;
	}
	return 0;
}

/* Carries out one option: d was given as src ("--name" or a variable) with
 * the value v[0..len); from_env says a flag's value is a boolean. */
static int
apply(struct opts *o, const struct optdef *d, const char *v, size_t len, const char *src,
      int from_env)
{
	int r = 1;

	/* A flag's variable is a boolean, and false leaves the default. */
	if (!(d->flags & OPT_ARG) && from_env && d->kind != K_VERBOSE)
		r = parse_bool(v, len);
	r = r > 0 ? value(o, d, v, len, src, from_env) : r ? BAD : 0;
	if (r != BAD)
		return r;
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
	char sep = seps[d->kind];

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

static const struct optdef *
find(int pers, char sh, const char *name, size_t len)
{
	const struct optdef *d, *prefix = 0;
	const char *p = names;
	int n = 0;

	for (d = defs; d < defs + NDEFS; d++, p += strlen(p) + 1) {
		if (!(d->pers & PERS_BIT(pers)))
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
	o->reload_signal = SIGHUP;
	o->on_exit = ONEXIT_DEFAULT;
	o->stop_ms = OPTS_STOP_MS;
	o->drain_ms = OPTS_DRAIN_MS;
	o->debounce_ms = OPTS_DEBOUNCE_MS;
	o->debounce_max_ms = OPTS_DEBOUNCE_MAX_MS;
	for (i = 0; i <= 64; i++)
		o->sigmap[i] = (unsigned char)i;
}

/* The REINIT_* variables. Under another program's name only those that no
 * option of its covers; as watchexec all, since buildpacks fix its command
 * line. */
INLINE int
parse_env(struct opts *o, char *const *envp)
{
	const struct optdef *d;
	const char *p;
	size_t n;
	int i;

	for (i = 0; envp && envp[i]; i++)
		for (d = defs, p = names; d < defs + NDEFS; d++, p += strlen(p) + 1) {
			if (!(d->pers & PERS_BIT(PERS_REINIT)) || (d->flags & OPT_NOENV) ||
			    (o->personality != PERS_REINIT && o->personality != PERS_WEXEC &&
			     !(d->flags & OPT_EVERY)) ||
			    !(n = env_name_len(envp[i], p)))
				continue;
			if (apply_env(o, d, envp[i], n) < 0)
				return -1;
			break;
		}
	return 0;
}

/* The options of the word argv[*i]: --name, --name=value, --name value
 * (*i moves to the value), or a cluster of short options: -gs, -t5s,
 * -t 5s. 0 or -1. */
INLINE int
parse_word(struct opts *o, int argc, char **argv, int *i)
{
	const struct optdef *d;
	const char *a, *v, *src;
	int lng;

	for (a = argv[*i] + 1; *a; a++) {
		if ((lng = *a == '-')) {
			size_t n = (v = strchr(a, '=')) ? (size_t)(v++ - a - 1) : strlen(a + 1);

			d = find(o->personality, 0, a + 1, n);
			src = str(o, argv[*i], n + 2);
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
			return fail(o, "watchexec option '", shown(o, argv[*i], strlen(argv[*i])),
				    "' is not supported", 0, 0);
		if (!d)
			return fail(o, "unknown option '", shown(o, src, src ? strlen(src) : 0),
				    "'", usage_hint, 0);
		if (!(d->flags & OPT_ARG)) {
			if (lng && v)
				return fail(o, "option '", src, "' takes no value", 0, 0);
			apply(o, d, 0, 0, src, 0);
			if (lng)
				return 0;
			continue;
		}
		if (!v) {
			if (*i + 1 >= argc)
				return fail(o, "option '", src, "' needs a value",
					    o->personality == PERS_WEXEC ? 0 : usage_hint, 0);
			v = argv[++*i];
		}
		return apply(o, d, v, strlen(v), src, 0);
	}
	return 0;
}

/* What the command line asks for once its options are read: argv[i] is the
 * command's first word. 0 or -1. */
static int
command(struct opts *o, int argc, char **argv, int i, int env_ignores)
{
	int sig;

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
opts_parse(struct opts *o, int argc, char **argv, char *const *envp)
{
	int i, env_ignores;

	defaults(o);
	o->personality = argc > 0 ? pers_of(argv[0]) : PERS_REINIT;
	if (o->personality == PERS_DUMB)
		o->setsid = o->group = 1;
	/* The environment first, so that a flag wins over it. */
	if (parse_env(o, envp) < 0)
		return -1;
	pers_env(o, envp);
	env_ignores = o->nignore;
	/* watchexec runs the command through sh unless told otherwise, in a
	 * process group of its own, and signals the group: a forwarded
	 * signal reaches all of it here too. */
	if (o->personality == PERS_WEXEC)
		o->shell = "sh", o->group = 1;

	/* Options stop at the first word that is not one, as with "+" in
	 * getopt: the command's own options are its own. */
	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (!strcmp(argv[i], "--")) {
			i++;
			break;
		}
		if (parse_word(o, argc, argv, &i) < 0)
			return -1;
	}
	i = command(o, argc, argv, i, env_ignores);
	/* A watching reinit waits for the next change when its child exits;
	 * with --reload alone it is a server's init, and exits with it. */
	if (o->on_exit == ONEXIT_DEFAULT)
		o->on_exit = o->nwatch > o->nreload || o->trigger ? ONEXIT_WAIT : ONEXIT_EXIT;
	return i;
}

int
opts_exit_code(const struct opts *o, int code)
{
	return o->remap[code / 8] & (1 << (code % 8)) ? 0 : code;
}
