/* watch.c: the watcher's face to init/: set-up, deadlines, what counts as
 * a change, and the changed paths for the next child. The work is in
 * walk.c (trees), events.c (inotify), poll.c, roots.c and trigger.c. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "proc/sys.h"
#include "watch/wi.h"

static struct watch the_watch;

void
wi_say(struct watch *w, int level, const char *a, const char *b, const char *c, const char *d)
{
	const char *parts[8] = {a, b, c, d, 0};

	w->c.log(level, parts);
}

/* The end of a "watch root 'x" line for an error. */
const char *
wi_why(int err)
{
	return err == EACCES   ? "': permission denied"
	       : err == ENOENT ? "' is missing"
			       : "' is not a directory";
}

void
wi_retry_later(struct watch *w)
{
	if (w->ch.retry_at == NEVER)
		w->ch.retry_at = w->ch.now + RETRY_MS;
}

int
wi_ext_ok(const struct watch *w, const char *name)
{
	const char *e = w->c.exts, *end;
	size_t nl = strlen(name), el;

	if (!e)
		return 1;
	for (; *e; e = *end ? end + 1 : end) {
		end = strchrnul(e, ',');
		el = (size_t)(end - e);
		if (el && *e == '.')
			e++, el--;
		if (el && nl > el + 1 && name[nl - el - 1] == '.' && !memcmp(name + nl - el, e, el))
			return 1;
	}
	return 0;
}

/* A change: due for a restart after the quiet period. path (relative to
 * its root, or NULL when unknown) goes once into REINIT_CHANGED. */
void
wi_note(struct watch *w, int r, const char *path)
{
	debounce_note(&w->ch.db, w->ch.now);
	w->ch.noted++;
	/* --reload roots come first; a change under no known root
	 * restarts, unless every root reloads. */
	w->ch.restart |= r < 0 ? w->c.nreload < w->c.nroots : r >= w->c.nreload;
	if (path)
		changed_note(&w->changed, path);
}

/* Would a change to the file name count? */
int
wi_counts(const struct watch *w, const char *name)
{
	return !w->c.trigger && wi_ext_ok(w, name);
}

/* A file (not a directory) changed. */
void
wi_note_file(struct watch *w, int r, const char *rel, const char *name)
{
	if (wi_counts(w, name))
		wi_note(w, r, rel);
}

void
wi_note_dir(struct watch *w, int r, const char *rel)
{
	if (!w->c.trigger && (!w->c.exts || !rel))
		wi_note(w, r, rel);
}

/* Puts '/' and name, l bytes long, after the len bytes of path (no '/'
 * after an empty path); the new length. The caller owns path, and its
 * room. */
size_t
wi_join(char *path, size_t len, const char *name, size_t l)
{
	if (len)
		path[len++] = '/';
	memcpy(path + len, name, l + 1);
	return len + l;
}

/* Below root r, is rel no change? Below a file root, all but its file. */
int
wi_ignored(const struct watch *w, int r, const char *rel, int is_dir)
{
	const char *only = w->roots.r[r].only;

	if (only)
		return strcmp(rel, only) != 0;
	return *rel && w->c.ignores && match_ignored(w->c.ignores, rel, is_dir);
}

/* When the changes are due a restart: after the quiet period, and once
 * every file being written is closed or has held for WRITING_MAX_MS; never
 * more than that after the quiet period, so that files written one after
 * another without end still restart. */
static msec
changes_due(const struct watch *w)
{
	msec d = debounce_due(&w->ch.db), h = writers_until(&w->writing, WRITING_MAX_MS);

	/* Nothing held, or nothing due (h <= NEVER). */
	if (h == NEVER || h <= d)
		return d;
	return clock_sooner(h, d + WRITING_MAX_MS);
}

int
watch_tick(struct watch *w, msec now)
{
	msec due;

	w->ch.now = now;
	if (w->poll.every && now >= w->poll.next)
		wi_poll_scan(w, 1);
	if (now >= w->ch.retry_at) {
		/* A lost root or trigger directory with nothing to wait on. */
		w->ch.retry_at = NEVER;
		wi_roots_retry(w);
		wi_trigger_retry(w);
	}
	due = changes_due(w);
	if (now < due)
		return 0;
	/* Held, and the file is open still: a log, or a writer gone slow. */
	if (due != debounce_due(&w->ch.db))
		wi_say(w, 1, "a file is still open for writing after 2s: its changes count now", 0,
		       0, 0);
	return debounce_fire(&w->ch.db, now);
}

msec
watch_due(const struct watch *w)
{
	msec d = clock_sooner(changes_due(w), w->ch.retry_at);

	return w->poll.every ? clock_sooner(d, w->poll.next) : d;
}

void
watch_read(struct watch *w, msec now)
{
	w->ch.now = now;
	wi_events_read(w);
}

int
watch_fd(const struct watch *w)
{
	return w->in.fd;
}

const char *
watch_changed_env(struct watch *w)
{
	return changed_env(&w->changed);
}

const char *
watch_summary(struct watch *w)
{
	return changed_summary(&w->changed);
}

int
watch_flush(struct watch *w, int take)
{
	int pending = debounce_due(&w->ch.db) != NEVER;

	if (pending && take)
		debounce_clear(&w->ch.db);
	return pending;
}

void
watch_spawned(struct watch *w)
{
	debounce_clear(&w->ch.db);
	changed_clear(&w->changed);
	w->ch.restart = 0;
}

int
watch_reloads(const struct watch *w)
{
	return !w->ch.restart;
}

void
watch_mounts(struct watch *w, msec now)
{
	w->ch.now = now;
	wi_roots_check(w);
}

/* Editors' and tools' scratch files, reinit's tar's temporary names, the
 * name the kernel gives an unnamed file (O_TMPFILE: '#' and its inode
 * number), under which the built-in tar's files close once named, and the
 * kubelet's own in a ConfigMap or Secret volume: its dated directories and
 * the link it renames over ..data, which is the one change an update
 * makes there, and which counts. */
int
watch_default_ignores(struct match_set *m)
{
	static const char defaults[] =
		".git\0.hg\0.svn\0*.swp\0*.swx\0*~\0.#*\0\\#*#\0"
		"4913\0*___jb_tmp___\0*___jb_old___\0.goutputstream-*\0.reinit-tar-*\0"
		"\\#[0-9]*\0..[0-9]*\0..data_tmp\0";
	const char *p;
	size_t l;
	int r;

	for (p = defaults; *p; p += l + 1)
		if ((r = match_add(m, p, l = strlen(p))) < 0)
			return r;
	return 0;
}

struct watch *
watch_open(const struct watch_cfg *c)
{
	struct watch *w = &the_watch;

	w->c = *c;
	w->ch.retry_at = NEVER;
	wi_inotify_init(w);
	wi_trigger_init(w);
	watch_spawned(w);
	debounce_init(&w->ch.db, c->debounce_ms, c->debounce_max_ms);
	if (c->nroots > MAX_ROOTS) {
		wi_say(w, 0, "too many --watch directories (at most 64)", 0, 0, 0);
		return 0;
	}
	if (wi_roots_init(w) < 0)
		return 0;
	if (c->poll_ms > 0) {
		wi_poll_start(w, c->poll_ms);
		return w;
	}
	if (wi_build(w) < 0 && w->in.fd >= 0) {
		wi_say(w, 0, "cannot watch --trigger '", c->trigger,
		       "': its directory does not exist", 0);
		return 0;
	}
	return w;
}
