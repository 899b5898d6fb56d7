"""Live reload: reinit -w DIR restarts its child when DIR changes.

reinit runs as PID 1 of a new PID namespace with the starts helper as its
child; every start of the child prints `start N changed A|B|C` (N is
REINIT_RESTARTS, the rest REINIT_CHANGED). "Exactly one restart" is shown
without sleeping: after the change a probe file is written, and the next
start must be the probe's alone. Had the change caused two restarts, the
probe's start would have a higher number, or the start after the change's
would carry what was left of it.
"""

import ctypes
import os
import select
import shutil
import signal
import subprocess
import tarfile
import threading
import time

import pytest

import lib
from lib import alive, children, helper, send, start, wait_until

# For tests whose one change is several file operations (mkdir and a
# write, a rename, an extraction): long enough that a busy test machine does
# not split them, short next to the deadlines. One write alone needs none.
QUIET = "200ms"


# ---- helpers -------------------------------------------------------------------


def parse_start(line):
    """"start N changed a|b" -> (N, ["a", "b"]), or None for other lines."""
    if not line.startswith("start "):
        return None
    n, sep, changed = line[6:].partition(" changed ")
    assert sep, f"malformed start line {line!r}"
    return int(n) if n.isdigit() else n, changed.split("|") if changed else []


def starts(p):
    """Every start line so far as (N, changed)."""
    return [s for s in map(parse_start, list(p.out)) if s]


def wait_start(p, n, timeout=lib.DEADLINE):
    """The changed paths of the start with REINIT_RESTARTS n, once it is
    printed; every start before it must be there, in order, once each."""
    i = p.wait_for_line(lambda s: (parse_start(s) or (None,))[0] == n, timeout)
    got = [parse_start(s) for s in p.out[:i + 1]]
    got = [s[0] for s in got if s]
    assert got == list(range(n + 1)), f"starts {got}, want 0..{n} once each{p.describe()}"
    return parse_start(p.out[i])[1]


def write(path, text="x"):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


_probes = iter(range(1000000))


def assert_next_start_is_only(p, n, root, name=None):
    """Writes a probe file; the start after number n must be the probe's
    alone: n was the only start the earlier changes caused."""
    name = name or f"probe-{next(_probes)}"
    write(root / name)
    changed = wait_start(p, n + 1)
    assert changed == [name], (
        f"start {n + 1} was not the probe's alone: {changed}: the change before "
        f"it caused more than one restart, or the probe was missed{p.describe()}")


def start_watch(roots, opts=(), child=(), ready=True, **kw):
    """reinit -w ROOT... OPTS -- starts CHILD as PID 1; with ready, once the
    first child has started (and so the watches are in place)."""
    args = []
    for r in roots if isinstance(roots, (list, tuple)) else [roots]:
        args += ["-w", str(r)]
    p = start([*args, *opts, "--", helper("starts"), *child], **kw)
    if ready:
        assert wait_start(p, 0) == [], p.describe()
    return p


def inotify_watches(pid):
    """How many inotify watches pid holds, from /proc/PID/fdinfo."""
    n = 0
    base = f"/proc/{pid}/fdinfo"
    try:
        fds = os.listdir(base)
    except FileNotFoundError:
        return 0
    for fd in fds:
        try:
            with open(f"{base}/{fd}") as f:
                n += sum(1 for line in f if line.startswith("inotify wd:"))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return n


def child_pid(p):
    """Host pid of reinit's one child."""
    kids = wait_until(lambda: children(p.init_pid()), what="reinit's child")
    assert len(kids) == 1, f"reinit has children {kids}{p.describe()}"
    p.remember(kids[0])
    return kids[0]


def state(pid):
    st = lib.proc_stat(pid)
    return st[1] if st else None


def stop(p):
    """SIGTERM reinit and return its exit status, its output complete."""
    send(p, signal.SIGTERM)
    return p.wait()


@pytest.fixture
def root(tmp_path):
    d = tmp_path / "root"
    d.mkdir()
    return d


# ---- one change, one restart ---------------------------------------------------


def test_one_write_restarts_once_naming_the_file(root):
    p = start_watch(root)
    write(root / "f")
    assert wait_start(p, 1) == ["f"], p.describe()
    assert_next_start_is_only(p, 1, root)


def test_rewriting_an_existing_file_restarts(root):
    write(root / "f", "old")
    p = start_watch(root)
    with open(root / "f", "w") as f:
        f.write("new")
    assert wait_start(p, 1) == ["f"], p.describe()
    assert_next_start_is_only(p, 1, root)


def test_a_burst_of_100_writes_is_one_restart_naming_them_all(root):
    # The burst lasts longer than the quiet period, so only a quiet period
    # that starts again at each write keeps it in one restart.
    p = start_watch(root, ["-d", "150ms"])
    names = [f"burst-{i:03}" for i in range(100)]
    began = time.monotonic()
    for name in names:
        write(root / name)
        time.sleep(0.003)
    assert time.monotonic() - began > 0.15, "test set-up: the burst must outlast the quiet period"
    changed = wait_start(p, 1)
    assert sorted(changed) == names, p.describe()
    assert_next_start_is_only(p, 1, root)


def test_write_to_temp_then_rename_is_one_restart(root):
    p = start_watch(root, ["-d", QUIET])
    write(root / ".f.tmp", "content")
    os.rename(root / ".f.tmp", root / "f")
    changed = wait_start(p, 1)
    assert "f" in changed, p.describe()
    assert_next_start_is_only(p, 1, root)


def test_extracting_a_50_file_tar_is_one_restart(root, tmp_path):
    src = tmp_path / "src"
    names = [f"pkg/m{i // 10}/file{i:02}.txt" for i in range(50)]
    for name in names:
        write(src / name, name)
    archive = tmp_path / "a.tar"
    with tarfile.open(archive, "w") as t:
        t.add(src / "pkg", arcname="pkg")
    p = start_watch(root, ["-d", QUIET])
    subprocess.run(["tar", "-xf", str(archive), "-C", str(root)], check=True)
    changed = wait_start(p, 1)
    assert set(names) <= set(changed), f"missing: {set(names) - set(changed)}{p.describe()}"
    assert_next_start_is_only(p, 1, root)


def test_debounce_max_restarts_during_an_endless_stream(root):
    # Writes every 20 ms never leave 300 ms of quiet: only the ceiling
    # can bring the restart, while the writes go on.
    p = start_watch(root, ["-d", "300ms", "--debounce-max", "500ms"])
    done = threading.Event()
    n = [0]

    def writer():
        end = time.monotonic() + lib.DEADLINE
        while not done.is_set() and time.monotonic() < end:
            write(root / f"stream-{n[0] % 2}")
            n[0] += 1
            time.sleep(0.02)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    try:
        changed = wait_start(p, 1)
        assert t.is_alive(), "the writer stopped before the restart: no endless stream"
    finally:
        done.set()
        t.join()
    assert set(changed) <= {"stream-0", "stream-1"} and changed, p.describe()


# ---- what does not count -------------------------------------------------------


def test_ignored_paths_do_not_restart(root):
    (root / "sub").mkdir()
    p = start_watch(root, ["-i", "build/", "-i", "*.log"])
    write(root / "x.swp")
    write(root / "x.c~")
    write(root / ".git" / "HEAD")
    write(root / ".git" / "refs" / "heads" / "main")
    write(root / "build" / "out.o")
    write(root / "sub" / "build" / "deep.o")
    write(root / "run.log")
    assert_next_start_is_only(p, 0, root)


def test_ignored_directory_gets_no_watch(root):
    for i in range(5):
        (root / "node_modules" / f"m{i}").mkdir(parents=True)
    (root / "src").mkdir()
    p = start_watch(root, ["-i", "node_modules"])
    # root and src only.
    assert inotify_watches(p.init_pid()) == 2, p.describe()


def test_no_default_ignores_makes_swap_files_count(root):
    p = start_watch(root, ["--no-default-ignores"])
    write(root / "x.swp")
    assert wait_start(p, 1) == ["x.swp"], p.describe()


def test_ignore_file(root, tmp_path):
    rules = tmp_path / "ignore"
    rules.write_text("# comment\n*.log\ntmp/\n!keep.log\n")
    p = start_watch(root, ["--ignore-file", str(rules)])
    write(root / "a.log")
    write(root / "tmp" / "x")
    write(root / "keep.log")
    assert wait_start(p, 1) == ["keep.log"], p.describe()


def test_extensions_only_those_files_count(root):
    p = start_watch(root, ["-x", "go,.html"])
    write(root / "a.txt")
    (root / "newdir").mkdir()
    write(root / "gofile")
    write(root / "x.gox")
    write(root / "b.go")
    assert wait_start(p, 1) == ["b.go"], p.describe()
    write(root / "newdir" / "c.txt")
    assert_next_start_is_only(p, 1, root, "newdir/page.html")


# ---- files still being written ------------------------------------------------


@pytest.mark.parametrize("how", ["created", "truncated"])
def test_a_file_still_being_written_holds_the_restart_until_its_ceiling(root, how):
    # A copy that has written half of server while config closed: the app
    # must not start on half a binary. Left open, server holds the restart
    # for 2 s at most, and says so.
    if how == "truncated":
        write(root / "server", "old")
    p = start_watch(root)
    with open(root / "server", "w") as f:
        f.write("half")
        f.flush()
        write(root / "config")
        p.wait_for_line(lambda s: "still open for writing" in s, stream="err")
        assert wait_start(p, 1) == ["config"], p.describe()
    assert wait_start(p, 2) == ["server"], p.describe()
    assert_next_start_is_only(p, 2, root)


def test_closing_the_file_being_written_releases_the_restart(root):
    p = start_watch(root)
    with open(root / "server", "w") as f:
        f.write("half")
        f.flush()
        write(root / "config")
        f.write(" and the rest")
    assert sorted(wait_start(p, 1)) == ["config", "server"], p.describe()
    assert_next_start_is_only(p, 1, root)
    assert not [s for s in p.err if "still open" in s], p.describe()


def test_a_file_being_written_that_does_not_count_holds_nothing(root):
    # Only files that would restart the app hold it: an ignored log left
    # open is no reason to wait.
    p = start_watch(root, ["-i", "*.log"])
    with open(root / "app.log", "w") as f:
        f.write("line")
        f.flush()
        write(root / "config")
        assert wait_start(p, 1) == ["config"], p.describe()
    assert not [s for s in p.err if "still open" in s], p.describe()


def test_files_written_one_after_another_without_end_still_restart(root):
    # A writer that always has a file open (each opened before the last is
    # closed) must not hold a due restart for ever: 2 s past the quiet
    # period at most.
    p = start_watch(root)
    n = 0
    f = open(root / "w0", "w")
    f.write("x")
    f.flush()
    write(root / "config")
    deadline = time.monotonic() + lib.DEADLINE
    try:
        while not any(s[0] == 1 for s in starts(p)):
            assert time.monotonic() < deadline, f"no restart while files kept coming{p.describe()}"
            n += 1
            g = open(root / f"w{n}", "w")
            g.write("x")
            g.flush()
            f.close()
            f = g
            time.sleep(0.05)  # the writer's pace: part of the scenario, not a wait
    finally:
        f.close()
    assert "config" in wait_start(p, 1), p.describe()


def inotify_masks(pid):
    """The event mask of every inotify watch pid holds."""
    masks = []
    base = f"/proc/{pid}/fdinfo"
    for fd in os.listdir(base):
        with open(f"{base}/{fd}") as f:
            masks += [int(w.split("mask:")[1].split()[0], 16) for w in f
                      if w.startswith("inotify wd:")]
    return masks


@pytest.mark.parametrize("trigger", [False, True])
def test_writes_wake_reinit_only_when_they_can_count(root, trigger):
    # With --trigger only the trigger file counts: a write elsewhere in the
    # tree (IN_MODIFY, 0x2) is not asked for.
    (root / "sub").mkdir()
    p = start_watch(root, ["--trigger", str(root / "t")] if trigger else [])
    masks = inotify_masks(p.init_pid())
    assert len(masks) >= 2, p.describe()
    assert all(bool(m & 0x2) != trigger for m in masks), [hex(m) for m in masks]


# ---- directories ---------------------------------------------------------------


def test_new_directory_tree_is_watched(root):
    # mkdir -p and a write, as one change: the new directories count too.
    p = start_watch(root, ["-d", QUIET])
    write(root / "a" / "b" / "c" / "f")
    changed = wait_start(p, 1)
    assert sorted(changed) == ["a", "a/b", "a/b/c", "a/b/c/f"], p.describe()
    # a/b/c appeared after reinit started: it must have a watch now.
    assert_next_start_is_only(p, 1, root, "a/b/c/g")


def test_tree_moved_in_names_every_new_directory(root, tmp_path):
    # The tree appears at once, with one event: every directory in it is
    # as new as the file, as when it is made with mkdir -p.
    write(tmp_path / "outside" / "b" / "c" / "f")
    p = start_watch(root)
    os.rename(tmp_path / "outside", root / "a")
    changed = wait_start(p, 1)
    assert sorted(changed) == ["a", "a/b", "a/b/c", "a/b/c/f"], p.describe()
    assert_next_start_is_only(p, 1, root, "a/b/c/g")


def test_renamed_directory_is_followed(root):
    write(root / "a" / "b" / "c" / "old")
    p = start_watch(root)
    os.rename(root / "a" / "b", root / "a" / "z")
    changed = wait_start(p, 1)
    assert {"a/b", "a/z"} <= set(changed), p.describe()
    assert_next_start_is_only(p, 1, root, "a/z/c/h")
    # The old name is gone for good: writing there again is a new tree.
    assert_next_start_is_only(p, 2, root, "a/z/h2")


def test_deleted_directory_then_recreated(root):
    write(root / "a" / "b" / "old")
    p = start_watch(root, ["-d", QUIET])
    shutil.rmtree(root / "a")
    changed = wait_start(p, 1)
    assert "a" in changed, p.describe()
    write(root / "a" / "new" / "x")
    changed = wait_start(p, 2)
    assert "a/new/x" in changed, p.describe()
    assert_next_start_is_only(p, 2, root, "a/new/y")


def test_watch_root_removed_and_recreated(root):
    write(root / "old")
    p = start_watch(root, ["-d", QUIET])
    shutil.rmtree(root)
    changed = wait_start(p, 1)
    assert "old" in changed, p.describe()
    root.mkdir()
    write(root / "f")
    changed = wait_start(p, 2)
    assert "f" in changed, p.describe()
    assert_next_start_is_only(p, 2, root)


def test_watch_root_recreated_before_reinit_looks(root):
    # reinit is stopped while the root goes and comes back: by the time it
    # reads of the deletion, the new root is already there.
    write(root / "old")
    p = start_watch(root)
    init = p.init_pid()
    os.kill(init, signal.SIGSTOP)
    try:
        wait_until(lambda: state(init) == "T", what="reinit stopped")
        shutil.rmtree(root)
        root.mkdir()
        write(root / "f")
    finally:
        os.kill(init, signal.SIGCONT)
    first = wait_start(p, 1)
    assert "old" in first, p.describe()
    write(root / "g")
    second = wait_start(p, 2)
    assert "g" in second, p.describe()
    assert "f" in first + second, p.describe()
    assert_next_start_is_only(p, 2, root)


def test_several_roots_name_paths_relative_to_their_root(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a / "sub" / "x")
    write(b / "sub" / "y")
    p = start_watch([a, b])
    write(b / "sub" / "f")
    assert wait_start(p, 1) == ["sub/f"], p.describe()
    write(a / "sub" / "g")
    assert wait_start(p, 2) == ["sub/g"], p.describe()


def test_changed_stays_within_4_kib_with_whole_names(root):
    p = start_watch(root, ["-d", QUIET])
    names = [f"a-rather-long-file-name-{i:04}" for i in range(300)]
    for name in names:
        write(root / name)
    changed = wait_start(p, 1)
    joined = "\n".join(changed)
    assert len("REINIT_CHANGED=" + joined) < 4096, len(joined)
    assert len(changed) > 100, f"only {len(changed)} names kept"
    assert set(changed) <= set(names), f"cut names: {set(changed) - set(names)}"
    p.wait_for_line(lambda s: s.startswith("reinit: restart: 300 changes: "), stream="err")
    assert_next_start_is_only(p, 1, root)


# ---- inotify's limits ------------------------------------------------------------


def test_queue_overflow_counts_as_a_change_and_rebuilds_the_watches(root):
    # Only .go files count, and none changes: the restart can come from the
    # overflow alone.
    write(root / "a.txt")
    write(root / "b.txt")
    p = start_watch(root, ["-x", "go"])
    init = p.init_pid()
    with open("/proc/sys/fs/inotify/max_queued_events") as f:
        limit = int(f.read())
    os.kill(init, signal.SIGSTOP)
    try:
        wait_until(lambda: state(init) == "T", what="reinit stopped")
        files = [str(root / "a.txt"), str(root / "b.txt")]
        for i in range(limit + 2000):
            os.utime(files[i % 2])  # alternating: the kernel merges repeats
        # After the overflow: no event tells of this directory.
        (root / "late").mkdir()
    finally:
        os.kill(init, signal.SIGCONT)
    p.wait_for_line("reinit: inotify queue overflowed: rescanning the watched trees",
                    stream="err")
    assert wait_start(p, 1) == [], p.describe()
    assert_next_start_is_only(p, 1, root, "late/y.go")


def test_watch_limit_falls_back_to_polling(root):
    for d in ("d1", "d2", "d3/d4", "d3/d5"):
        (root / d).mkdir(parents=True)
    # 6 directories; the user namespace allows 3 watches.
    argv = ["unshare", "--user", "--map-root-user", "--pid", "--fork", "--mount-proc",
            "--kill-child", "--", "sh", "-c",
            'echo 3 > /proc/sys/user/max_inotify_watches && exec "$@"', "sh",
            str(lib.REINIT), "-w", str(root), "--", helper("starts")]
    p = lib.Proc(argv, ns=True)
    wait_start(p, 0)
    i = p.wait_for_line(lambda s: "inotify watch limit reached" in s, stream="err")
    line = p.err[i]
    assert line.startswith("reinit: inotify watch limit reached (3; the watched trees need 6)"), line
    assert "sysctl -w fs.inotify.max_user_watches=" in line, line
    write(root / "d3" / "d5" / "f")
    changed = wait_start(p, 1, timeout=lib.DEADLINE + 2)
    assert "d3/d5/f" in changed, p.describe()


def test_poll_names_the_written_file(root):
    (root / "sub").mkdir()
    p = start_watch(root, ["--poll", "100ms"])
    before = set()
    for n, name in enumerate(["f", "sub/g", "h"], 1):
        write(root / name)
        changed = wait_start(p, n)
        assert name in changed, p.describe()
        # Files are stamped by the coarse clock: one written in the tick in
        # which the previous look began may be named once more (never
        # missed, and never a restart of its own).
        assert set(changed) <= {name, "sub"} | before, p.describe()
        before = set(changed)


class DirOpens:
    """Tells when some process opens a directory: inotify's IN_OPEN, by
    ctypes, as the standard library has no inotify."""

    IN_OPEN = 0x20

    def __init__(self, path):
        self.libc = ctypes.CDLL(None, use_errno=True)
        self.fd = self.libc.inotify_init1(os.O_CLOEXEC | os.O_NONBLOCK)
        assert self.fd >= 0, os.strerror(ctypes.get_errno())
        wd = self.libc.inotify_add_watch(self.fd, os.fsencode(path), self.IN_OPEN)
        assert wd >= 0, os.strerror(ctypes.get_errno())

    def wait(self, timeout=lib.DEADLINE):
        r, _, _ = select.select([self.fd], [], [], timeout)
        assert r, f"nothing opened the directory in {timeout} s"
        os.read(self.fd, 65536)

    def close(self):
        os.close(self.fd)


def test_poll_names_a_file_written_during_a_walk(root):
    # The walk reads the root, then goes through the 5000 entries of d; f
    # is made in the root meanwhile, behind the walk. The next walk must
    # still name it, though it is older than the end of the walk before.
    (root / "d").mkdir()
    for i in range(5000):
        (root / "d" / f"e{i}").touch()
    p = start_watch(root, ["--poll", "100ms"])
    opens = DirOpens(root / "d")
    try:
        opens.wait()
        write(root / "f")
    finally:
        opens.close()
    changed = wait_start(p, 1)
    assert changed == ["f"], p.describe()


def test_poll_sees_a_deletion(root):
    write(root / "f")
    p = start_watch(root, ["--poll", "50ms"])
    (root / "f").unlink()
    wait_start(p, 1)


# ---- the restart itself ----------------------------------------------------------


def test_child_ignoring_sigterm_is_killed_at_the_stop_timeout(root):
    p = start_watch(root, ["-t", "300ms"], ["--ignore-term"])
    old = child_pid(p)
    began = time.monotonic()
    write(root / "f")
    assert wait_start(p, 1) == ["f"], p.describe()
    assert time.monotonic() - began >= 0.3, "the child was killed before its grace ran out"
    assert not alive(old), "the old child still runs beside the new one"
    new = child_pid(p)
    assert new != old


def test_sigterm_during_a_restart_stops_without_a_new_child(root):
    p = start_watch(root, ["-t", "1s"], ["--ignore-term"])
    old = child_pid(p)
    began = time.monotonic()
    write(root / "f")
    p.wait_for_line("reinit: restart: 1 change: f", stream="err")
    send(p, signal.SIGTERM)
    assert p.wait() == 137, p.describe()
    assert time.monotonic() - began >= 1.0, "the child was killed before its grace ran out"
    assert not alive(old)
    assert [s[0] for s in starts(p)] == [0], f"a child started after the stop{p.describe()}"


def test_restart_line_on_stderr(root):
    p = start_watch(root, ["-d", QUIET])
    write(root / "f")
    p.wait_for_line("reinit: restart: 1 change: f", stream="err")
    wait_start(p, 1)
    for name in ("a", "b", "c"):
        write(root / name)
    p.wait_for_line("reinit: restart: 3 changes: a, b, c", stream="err")


def test_quiet_silences_the_restart_line(root):
    p = start_watch(root, ["-q"])
    write(root / "f")
    assert wait_start(p, 1) == ["f"]
    assert stop(p) == 0, p.describe()
    assert not [s for s in p.err if "restart" in s], p.describe()


# ---- --trigger -------------------------------------------------------------------


def test_trigger_only_the_trigger_restarts(root):
    trig = root / "reload"
    trig.write_text("")
    p = start_watch(root, ["--trigger", str(trig)])
    write(root / "a.go")
    write(root / "sub" / "b.go")
    with open(trig, "w") as f:
        f.write("now")
    changed = wait_start(p, 1)
    assert changed in (["reload"], [str(trig)]), p.describe()
    os.utime(trig)  # a touch is enough
    assert wait_start(p, 2) == changed, p.describe()


@pytest.mark.parametrize("poll", [[], ["--poll", "50ms"]], ids=["inotify", "poll"])
def test_trigger_without_watch(tmp_path, poll):
    # The trigger does not exist yet: made right after the start, as a
    # script would, it must count though the kernel may stamp it a few ms
    # in the past.
    d = tmp_path / "t"
    d.mkdir()
    trig = d / "reload"
    p = start([*poll, "--trigger", str(trig), "--", helper("starts")])
    assert wait_start(p, 0) == []
    trig.write_text("")
    changed = wait_start(p, 1)
    assert changed in (["reload"], [str(trig)]), p.describe()
    write(d / "other")
    os.utime(trig)
    assert wait_start(p, 2) == changed, p.describe()


# ---- reinit --restart -----------------------------------------------------------


def restart_client(p):
    return subprocess.run(
        ["nsenter", "--target", str(p.init_pid()), "--pid", "--mount", "--",
         str(lib.REINIT), "--restart"],
        capture_output=True, text=True, timeout=lib.DEADLINE, env=lib.clean_env())


def test_restart_client_restarts_the_child(root):
    p = start_watch(root)
    old = child_pid(p)
    r = restart_client(p)
    assert r.returncode == 0, r
    assert wait_start(p, 1) == [], p.describe()
    assert not alive(old)
    assert_next_start_is_only(p, 1, root)


def test_restart_client_works_without_watch():
    p = start(["--", helper("starts")])
    p.wait_for_line(lambda s: s.startswith("start "))
    old = child_pid(p)
    r = restart_client(p)
    assert r.returncode == 0, r
    p.wait_for_line(lambda s: s.startswith("start "), start=1)
    assert not alive(old), p.describe()


def test_restart_client_without_a_reinit_fails():
    r = subprocess.run(
        ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--",
         "sh", "-c", '"$0" --restart; exit $?', str(lib.REINIT)],
        capture_output=True, text=True, timeout=lib.DEADLINE, env=lib.clean_env())
    assert r.returncode == 1, r
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reinit: "), r


def test_restart_client_refused_while_stopping(root):
    p = start_watch(root, ["-v", "-t", "5s"], ["--ignore-term"])
    send(p, signal.SIGTERM)
    p.wait_for_line(lambda s: s.startswith("reinit: stopping on "), stream="err")
    r = restart_client(p)
    assert r.returncode == 1, f"{r}{p.describe()}"
    assert r.stderr.startswith("reinit: ") and "stopping" in r.stderr, r
    assert [s[0] for s in starts(p)] == [0], p.describe()


# ---- --on-exit and --postpone --------------------------------------------------


@pytest.mark.parametrize("opts", [[], ["--on-exit", "wait"]], ids=["default", "wait"])
def test_on_exit_wait_keeps_running_until_a_change(root, opts):
    p = start_watch(root, opts, ["--exit", "3"])
    init = p.init_pid()
    wait_until(lambda: not children(init), what="the child reaped")
    assert alive(init), p.describe()
    write(root / "f")
    assert wait_start(p, 1) == ["f"], p.describe()


def test_sigterm_while_waiting_for_a_change_exits_0(root):
    # The child crashed (3) and reinit waits for a fix; a stop now is a
    # clean stop of a container in which nothing runs.
    p = start_watch(root, [], ["--exit", "3"])
    init = p.init_pid()
    wait_until(lambda: not children(init), what="the child reaped")
    send(p, signal.SIGTERM)
    assert p.wait() == 0, p.describe()


def test_on_exit_exit_exits_with_the_childs_status(root):
    p = start_watch(root, ["--on-exit", "exit"], ["--exit", "3"])
    assert p.wait() == 3, p.describe()


def test_on_exit_restart_restarts_with_back_off(root):
    began = time.monotonic()
    p = start_watch(root, ["--on-exit", "restart"], ["--exit", "3"])
    for n in (1, 2, 3):
        assert wait_start(p, n) == [], p.describe()
    # Back-off 100 + 200 + 400 ms at least: not a busy loop.
    assert time.monotonic() - began >= 0.7, "restarted without back-off"
    assert alive(p.init_pid())


def test_postpone_starts_only_after_the_first_change(root):
    (root / "sub").mkdir()
    p = start_watch(root, ["--postpone"], ready=False)
    init = p.init_pid()
    wait_until(lambda: inotify_watches(init) >= 2, what="reinit watching root and sub")
    assert not children(init), f"a child runs before any change{p.describe()}"
    write(root / "sub" / "f")
    i = p.wait_for_line(lambda s: s.startswith("start "))
    assert i == 0, p.describe()
    n, changed = parse_start(p.out[0])
    assert changed == ["sub/f"], p.describe()
    assert n == 0, f"REINIT_RESTARTS is {n} for the first start, want 0{p.describe()}"
    p.wait_for_line("reinit: start: 1 change: sub/f", stream="err")


# ---- the environment -------------------------------------------------------------


def test_watch_from_environment(root, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    p = start(["--", helper("starts")],
              env=lib.clean_env(REINIT_WATCH=f"{root}:{other}", REINIT_DEBOUNCE="20ms"))
    assert wait_start(p, 0) == []
    write(other / "f")
    assert wait_start(p, 1) == ["f"], p.describe()


# ---- idle -------------------------------------------------------------------


def test_idle_watcher_sleeps_in_one_call_without_timeout(root):
    # With a tree watched and nothing changing, reinit makes no system call:
    # it blocks in one call with no timeout (inotify and the request channel
    # raise SIGIO; the mount table is polled in the same call).
    for d in ("a/b", "c"):
        (root / d).mkdir(parents=True)
    p = start_watch(root)

    def idle():
        return lib.sleeps_idle(p.init_pid())
    wait_until(idle, what="reinit to block with no timeout")
    write(root / "a" / "b" / "f")
    assert wait_start(p, 1) == ["a/b/f"], p.describe()
    wait_until(idle, what="reinit idle again after the restart")


def test_restart_kills_what_the_child_left_in_its_group(root):
    # The child's shell leaves a TERM-ignorer in its process group, then
    # becomes the app; the app exits on TERM. Before the next child starts,
    # the straggler is killed: never two generations at once.
    sh = ['/bin/sh', '-c', '"$1" & exec "$2"', 'sh', helper("stubborn"), helper("starts")]
    p = start(["-w", str(root), "-t", "5s", "--", *sh])
    assert wait_start(p, 0) == [], p.describe()
    init = p.init_pid()

    def stubborn():
        return [c for c in lib.descendants(init) if lib.comm(c) == "stubborn"]
    old = wait_until(stubborn, what="the straggler")[0]
    write(root / "f")
    assert wait_start(p, 1) == ["f"], p.describe()
    wait_until(lambda: not alive(old), what="the old straggler to be killed")
    assert len(wait_until(stubborn, what="the new straggler")) == 1, p.describe()
