/* unit_hold.c: the sync holds, one table per client's sequence, on a fake
 * clock. */
#include "init/hold.h"
#include "test/tap.h"

static const char *const event_names[] = {
#define HOLD_X(name, doc) #name,
	HOLD_EVENTS(HOLD_X)
#undef HOLD_X
};

/* One row: at time t, event ev must give actions want. */
struct row {
	msec t;
	enum hold_event ev;
	unsigned want;
};

#define B  HOLD_EV_BEGIN
#define P  HOLD_EV_PROGRESS
#define D  HOLD_EV_DONE
#define M  HOLD_EV_MORE
#define C  HOLD_EV_CUT
#define F  HOLD_EV_FILES
#define U  HOLD_EV_DUE
#define T  HOLD_EV_TIMER
#define GO (HOLD_FLUSH | HOLD_RESTART)

static struct hold h;

/* Runs rows from a fresh hold; TIMER rows are checked against the
 * deadline too: the caller sends TIMER only once it has passed. */
static void
run(const char *name, const struct row *r, int n)
{
	int i;
	unsigned got;

	hold_init(&h);
	for (i = 0; i < n; i++) {
		if (r[i].ev == T &&
		    !ok(h.deadline <= r[i].t, "%s: row %d, deadline %lld due at %lld", name, i,
			h.deadline, r[i].t))
			continue;
		got = hold_step(&h, r[i].ev, r[i].t);
		if (!ok(got == r[i].want, "%s: row %d, %s at %lld -> 0x%x", name, i,
			event_names[r[i].ev], r[i].t, r[i].want))
			printf("#   got 0x%x\n", got);
	}
}

#define RUN(name, ...)                                                                             \
	do {                                                                                       \
		static const struct row rows_[] = {__VA_ARGS__};                                   \
		run(name, rows_, (int)(sizeof(rows_) / sizeof(rows_[0])));                         \
	} while (0)

static void
test_not_held(void)
{
	RUN("no sync: a due change restarts at once", {0, U, HOLD_RESTART});
	is_int(h.deadline, NEVER, "no sync: no deadline");
	RUN("files with no sync change nothing", {0, F, 0}, {5, U, HOLD_RESTART});
}

static void
test_tilt(void)
{
	/* rm -rf PATHS (more may follow), then tar -C / -x -f - (the end). */
	RUN("tilt rm + tar", {0, B, 0}, {10, U, 0}, {20, M, 0}, {50, B, 0}, {60, P, 0}, {70, U, 0},
	    {80, D, GO});
	is_int(hold_held(&h, 80), 0, "tilt: nothing held after the tar");
	is_int(h.deadline, NEVER, "tilt: no deadline left");
	RUN("tilt tar alone", {0, B, 0}, {30, U, 0}, {40, D, GO});
	RUN("tilt tar alone, nothing changed yet", {0, B, 0}, {40, D, HOLD_FLUSH});
	/* A remote cluster: the tar comes 900 ms after the rm, still held. */
	RUN("tilt rm + slow tar", {0, B, 0}, {10, M, 0}, {900, B, 0}, {950, U, 0}, {990, D, GO});
}

static void
test_skaffold(void)
{
	/* tar xmf - -C / (more may follow); rm -rf -- (the end). */
	RUN("skaffold tar then rm --", {0, B, 0}, {30, U, 0}, {40, M, 0}, {100, B, 0},
	    {110, D, GO});
	/* Nothing deleted: no rm comes, the tar's linger lets go. */
	RUN("skaffold tar alone", {0, B, 0}, {30, U, 0}, {40, M, 0}, {40 + HOLD_LINGER_MS, T, GO});
	is_int(h.deadline, NEVER, "skaffold: no deadline after the linger");
}

static void
test_kubectl_cp(void)
{
	/* tar -xmf - -C DIR, and the --no-preserve form: both end the sync. */
	RUN("kubectl cp", {0, B, 0}, {5, P, 0}, {20, U, 0}, {25, D, GO});
}

static void
test_compose(void)
{
	/* rm -rf PATHS (more may follow), then the engine writes the files
	 * itself: held until they settle, then one restart. */
	RUN("compose rm + engine writes", {0, B, 0}, {10, U, 0}, {20, M, 0}, {300, F, 0},
	    {600, F, 0}, {700, U, 0}, {900, F, 0}, {1500, F, 0}, {1500 + HOLD_SETTLE_MS, T, GO});
	RUN("compose files that settle at once wait out the linger", {0, B, 0}, {20, M, 0},
	    {60, F, 0}, {80, U, 0}, {20 + HOLD_LINGER_MS, T, GO});
	is_int(hold_held(&h, 2000), 0, "compose: nothing held once settled");
	/* A deletion alone: one restart within the linger. */
	RUN("compose rm alone", {0, B, 0}, {10, U, 0}, {20, M, 0}, {20 + HOLD_LINGER_MS, T, GO});
}

static void
test_faults(void)
{
	RUN("killed tar lets go at once", {0, B, 0}, {10, U, 0}, {20, C, HOLD_SAY_CUT | GO});
	/* A stalled stream: nothing moves for HOLD_STALL_MS while a restart
	 * is due: it goes ahead, said once. */
	RUN("stalled tar", {0, B, 0}, {100, P, 0}, {200, U, 0},
	    {100 + HOLD_STALL_MS, T, HOLD_SAY_STALL | GO},
	    {100 + HOLD_STALL_MS + 50, U, HOLD_SAY_STALL | HOLD_RESTART}, {9000, P, 0},
	    {9010, U, 0}, {9020, D, GO});
	RUN("a slow stream that moves is no stall", {0, B, 0}, {100, U, 0}, {4000, P, 0},
	    {8000, P, 0}, {11000, P, 0}, {12000, D, GO});
	is_int(hold_held(&h, 12000), 0, "slow stream: nothing held after it ends");
	RUN("stall with nothing due sets no deadline", {0, B, 0});
	is_int(h.deadline, NEVER, "a step with nothing due has no deadline: idle stays idle");
	RUN("an end without a begin is nothing", {0, D, HOLD_FLUSH}, {1, U, HOLD_RESTART});
}

static void
test_two_syncs(void)
{
	RUN("two syncs at once", {0, B, 0}, {5, B, 0}, {10, U, 0}, {20, D, 0}, {30, U, 0},
	    {40, C, HOLD_SAY_CUT | GO});
	RUN("a step begins during another's linger", {0, B, 0}, {10, M, 0}, {200, B, 0},
	    {210, U, 0}, {HOLD_LINGER_MS + 100, P, 0}, {HOLD_LINGER_MS + 200, D, GO});
}

int
main(void)
{
	test_not_held();
	test_tilt();
	test_skaffold();
	test_kubectl_cp();
	test_compose();
	test_faults();
	test_two_syncs();
	return tap_done();
}
