"""The watcher under attack: never blind without saying so, never outside
its tree, bounded memory (one test per finding of the hardening issue,
then a storm, an overflow while a root is gone, and a throttled re-sync).

Each test runs the real binary as PID 1 of a new PID namespace with the
starts helper as its child, as test_watch.py does.
"""

import os
import resource
import signal
import shutil
import stat
import subprocess
import tempfile
import threading
import time

import pytest

import lib
from lib import helper, wait_until
from test_watch import (assert_next_start_is_only, inotify_watches, parse_start, start_watch,
                        starts, state, wait_start, write)


@pytest.fixture
def root(tmp_path):
    d = tmp_path / "root"
    d.mkdir()
    return d


def stopped(p):
    """A context in which reinit is stopped (SIGSTOP) and events pile up."""
    class Stopped:
        def __enter__(self):
            self.pid = p.init_pid()
            os.kill(self.pid, signal.SIGSTOP)
            wait_until(lambda: state(self.pid) == "T", what="reinit stopped")

        def __exit__(self, *a):
            os.kill(self.pid, signal.SIGCONT)
    return Stopped()


def start_naming(p, name, timeout=lib.DEADLINE):
    """Waits for a start whose REINIT_CHANGED holds name; returns its number."""
    def found():
        for n, changed in starts(p):
            if name in changed:
                return (n,)
        return None
    return wait_until(found, timeout, what=f"a start naming {name!r}{p.describe()}")[0]


def overflow(p, files):
    """Stops reinit and touches files until its inotify queue overflows."""
    with open("/proc/sys/fs/inotify/max_queued_events") as f:
        limit = int(f.read())
    for i in range(limit + 2000):
        os.utime(files[i % len(files)])  # alternating: the kernel merges repeats


def ns_argv(args, prefix=()):
    return ["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", *prefix,
            str(lib.REINIT), *args]


# ---- 1. blind after an overflow, or a file or link at the root's path ------------


def test_overflow_while_a_root_is_gone_then_it_comes_back(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write(a / "old")
    write(b / "x")
    write(b / "y")
    p = start_watch([a, b])
    with stopped(p):
        shutil.rmtree(a)
        overflow(p, [b / "x", b / "y"])
    p.wait_for_line("reinit: inotify queue overflowed: rescanning the watched trees",
                    stream="err")
    wait_start(p, 1)
    a.mkdir()
    write(a / "f")
    start_naming(p, "f")


@pytest.mark.parametrize("what", ["file", "symlink"])
def test_root_replaced_by_a_file_or_link_is_waited_for(root, tmp_path, what):
    outside = tmp_path / "outside"
    outside.mkdir()
    write(root / "old")
    p = start_watch(root, ["-d", "100ms"])
    with stopped(p):
        shutil.rmtree(root)
        if what == "file":
            root.write_text("not a directory")
        else:
            root.symlink_to(outside)
    wait_start(p, 1)
    # Through the link, outside is not the tree: nothing there counts.
    write(outside / "leak")
    root.unlink()
    root.mkdir()
    write(root / "f")
    n = start_naming(p, "f")
    assert not [c for _, c in starts(p) if "leak" in c], p.describe()
    assert_next_start_is_only(p, n, root)


def test_root_and_its_parent_deleted_then_made_again(tmp_path):
    # The sentinel on the parent goes with the parent: a look every second
    # takes over.
    root = tmp_path / "parent" / "root"
    write(root / "old")
    p = start_watch(root, ["-d", "100ms"])
    shutil.rmtree(tmp_path / "parent")
    wait_start(p, 1)
    write(root / "f")
    start_naming(p, "f")


# ---- 2. a root given as a link; unreadable directories -------------------------


def test_root_given_as_a_symlink_is_resolved_and_said(tmp_path):
    real = tmp_path / "srv" / "app"
    real.mkdir(parents=True)
    link = tmp_path / "app"
    link.symlink_to(real)
    p = start_watch(link)
    i = p.wait_for_line(lambda s: "symbolic link" in s, stream="err")
    assert str(real) in p.err[i], p.describe()
    write(real / "f")
    assert wait_start(p, 1) == ["f"], p.describe()


@pytest.fixture
def open_tmp():
    """A directory every user can reach (tmp_path is root's own)."""
    d = tempfile.mkdtemp(prefix="reinit-watch-")
    os.chmod(d, 0o755)
    yield d
    for top, dirs, _ in os.walk(d):
        for x in dirs:
            os.chmod(os.path.join(top, x), 0o755)
    shutil.rmtree(d)


def start_as_nobody(args):
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"]
    p = lib.Proc(ns_argv([*args, "--", helper("starts")], nobody), ns=True)
    return p


def test_unreadable_subdirectory_is_one_warning(open_tmp):
    root = os.path.join(open_tmp, "root")
    os.makedirs(os.path.join(root, "secret"))
    os.makedirs(os.path.join(root, "open"))
    os.chmod(os.path.join(root, "secret"), 0)
    p = start_as_nobody(["-w", root])
    wait_start(p, 0)
    lines = [s for s in p.err if "secret" in s]
    wait_until(lambda: [s for s in p.err if "secret" in s], what="a line naming secret")
    lines = [s for s in p.err if "secret" in s]
    assert len(lines) == 1 and "permission denied" in lines[0], p.describe()


def test_a_listable_unsearchable_directory_leaves_the_rest_watched(open_tmp):
    # Mode r-- for everyone: its names can be read, nothing inside reached.
    # The walk goes on past it, and says so once.
    root = os.path.join(open_tmp, "root")
    names = [f"d{i:02}" for i in range(20)]
    for n in names[:10] + ["ronly"] + names[10:]:
        os.makedirs(os.path.join(root, n, "sub"))
    os.chmod(os.path.join(root, "ronly"), 0o444)
    after = os.listdir(root)
    after = [n for n in after[after.index("ronly") + 1:]]
    assert after, "no directory is listed after ronly: the case needs one"
    p = start_as_nobody(["-w", root])
    wait_start(p, 0)
    for n in after:
        with open(os.path.join(root, n, "sub", "f"), "w") as f:
            f.write("x")
        start_naming(p, f"{n}/sub/f")
    lines = [s for s in p.err if "ronly" in s]
    assert len(lines) == 1 and "permission denied" in lines[0], p.describe()


def test_unreadable_root_warns_and_is_watched_once_readable(open_tmp):
    root = os.path.join(open_tmp, "root")
    os.mkdir(root)
    os.chmod(root, 0)
    p = start_as_nobody(["-w", root])
    wait_start(p, 0)
    p.wait_for_line(lambda s: root in s and "permission denied" in s, stream="err")
    os.chmod(root, 0o777)
    with open(os.path.join(root, "f"), "w") as f:
        f.write("x")
    start_naming(p, "f")


# ---- 3. a parent swapped for a link while events wait ----------------------------


def test_parent_swapped_for_a_symlink_never_leads_outside(root, tmp_path):
    (root / "a" / "b").mkdir(parents=True)
    outside = tmp_path / "outside"
    write(outside / "b" / "new" / "secret" / "leak.txt")
    p = start_watch(root, ["-d", "100ms"])
    with stopped(p):
        (root / "a" / "b" / "new").mkdir()
        os.rename(root / "a", root / "a.old")
        (root / "a").symlink_to(outside)
    wait_start(p, 1)
    leaked = [c for _, c in starts(p) if any("secret" in x for x in c)]
    assert not leaked, f"names from outside the tree: {leaked}{p.describe()}"
    # Nothing outside is watched: a write there is not a change.
    write(outside / "b" / "new" / "secret" / "later.txt")
    assert_next_start_is_only(p, 1, root)


def test_parent_swapped_then_removed_leaves_no_watch_outside(root, tmp_path):
    (root / "a" / "b").mkdir(parents=True)
    outside = tmp_path / "outside"
    (outside / "b" / "new" / "s1" / "s2").mkdir(parents=True)
    p = start_watch(root, ["-d", "100ms"])
    init = p.init_pid()
    with stopped(p):
        (root / "a" / "b" / "new").mkdir()
        shutil.rmtree(root / "a")
        (root / "a").symlink_to(outside)
    wait_start(p, 1)
    # The root alone is watched: a/b and a are gone, a is a link now.
    wait_until(lambda: inotify_watches(init) == 1,
               what=f"one watch left, not {inotify_watches(init)}{p.describe()}")


# ---- 4. two roots with the same parent --------------------------------------------


def test_two_roots_with_the_same_parent_both_come_back(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    p = start_watch([a, b], ["-d", "100ms"])
    shutil.rmtree(a)
    shutil.rmtree(b)
    wait_start(p, 1)
    a.mkdir()
    write(a / "f")
    start_naming(p, "f")
    b.mkdir()
    write(b / "g")
    start_naming(p, "g")


# ---- 5 and the storm: memory and watches come back ---------------------------------


def pss_kb(pid):
    with open(f"/proc/{pid}/smaps_rollup") as f:
        for line in f:
            if line.startswith("Pss:"):
                return int(line.split()[1])
    raise AssertionError("no Pss")


def test_storm_of_100000_directories_returns_memory_and_watches(root):
    churn = root / "churn"
    churn.mkdir()
    p = start_watch(root, ["-d", "50ms"])
    init = p.init_pid()
    wait_until(lambda: inotify_watches(init) == 2, what="root and churn watched")
    before = pss_kb(init)
    fd = os.open(churn, os.O_RDONLY | os.O_DIRECTORY)
    try:
        for r in range(100):
            names = [f"dir-{r:03}-{i:04}" for i in range(1000)]
            for n in names:
                os.mkdir(n, dir_fd=fd)
            for n in names:
                os.rmdir(n, dir_fd=fd)
    finally:
        os.close(fd)
    wait_until(lambda: inotify_watches(init) == 2,
               what=f"the watches back to 2, not {inotify_watches(init)}", timeout=20)
    write(root / "settled")
    start_naming(p, "settled")
    after = pss_kb(init)
    assert after - before < 256, f"Pss {before} kB before the storm, {after} kB after"


# ---- 6. deletions cost O(1) each, not O(n) ------------------------------------------


def cpu_ticks(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def delete_cost(tmp_path, n):
    """reinit's CPU ticks to follow the deletion of n watched directories."""
    root = tmp_path / f"root{n}"
    for i in range(n):
        (root / f"d{i // 100}" / f"e{i}").mkdir(parents=True)
    p = start_watch(root)
    init = p.init_pid()
    wait_until(lambda: inotify_watches(init) > n, what="the tree watched")
    t0 = cpu_ticks(init)
    for i in range((n + 99) // 100):
        shutil.rmtree(root / f"d{i}")
    wait_until(lambda: inotify_watches(init) == 1, what="the deletions followed", timeout=60)
    ticks = cpu_ticks(init) - t0
    lib.cleanup()
    return ticks


def test_deleting_watched_directories_costs_linear_time(tmp_path):
    # A ratio of CPU times, not a timing: four times the directories may
    # cost about four times the work, never sixteen.
    small = delete_cost(tmp_path, 2500)
    big = delete_cost(tmp_path, 10000)
    assert big <= 8 * max(small, 5), f"2,500 dirs: {small} ticks; 10,000 dirs: {big} ticks"


# ---- 7. names in REINIT_CHANGED and in the log ------------------------------------


def test_a_name_with_a_newline_cannot_forge_changed_paths(root):
    p = start_watch(root, ["-d", "100ms"])
    write(root / "evil\n..\netc\npasswd")
    write(root / "plain")
    changed = wait_start(p, 1)
    assert changed == ["plain"], p.describe()
    p.wait_for_line("reinit: restart: 2 changes: plain", stream="err")


def test_control_bytes_in_names_are_escaped_in_the_log(root):
    p = start_watch(root)
    write(root / "red\x1b[31mX")
    wait_start(p, 1)
    i = p.wait_for_line(lambda s: s.startswith("reinit: restart: "), stream="err")
    assert "\x1b" not in p.err[i] and "red?[31mX" in p.err[i], p.describe()


# ---- 8. the trigger's directory deleted and made again ------------------------------


def test_trigger_survives_its_directory_made_again(tmp_path):
    d = tmp_path / "t"
    d.mkdir()
    trig = d / "reload"
    p = lib.start(["--trigger", str(trig), "--", helper("starts")])
    assert wait_start(p, 0) == []
    trig.write_text("")
    wait_start(p, 1)
    shutil.rmtree(d)
    d.mkdir()
    trig.write_text("")
    wait_start(p, 2)
    os.utime(trig)
    wait_start(p, 3)


# ---- 9. deep trees at a 4 MiB stack ---------------------------------------------


def deep_tree(base, levels):
    fd = os.open(base, os.O_RDONLY | os.O_DIRECTORY)
    for _ in range(levels):
        os.mkdir("a", dir_fd=fd)
        nfd = os.open("a", os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    return fd


def small_stack():
    resource.setrlimit(resource.RLIMIT_STACK, (4 << 20, 4 << 20))


@pytest.fixture
def deep_cleanup(tmp_path):
    # Python's rmtree (pytest's clean-up too) recurses once per level:
    # rm does not.
    yield
    subprocess.run(["rm", "-rf", str(tmp_path)], check=False)


@pytest.mark.parametrize("when", ["start", "moved in"])
def test_2000_levels_deep_at_a_4_mib_stack(root, tmp_path, when, deep_cleanup):
    base = root if when == "start" else tmp_path
    fd = deep_tree(base, 2000)
    try:
        p = start_watch(root, ["-d", "200ms"], preexec_fn=small_stack)
        if when == "moved in":
            os.rename(tmp_path / "a", root / "a")
            wait_start(p, 1)
        with open(os.open("deep", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
            f.write("x")
    finally:
        os.close(fd)
    start_naming(p, "a/" * 2000 + "deep")
    assert lib.alive(p.init_pid()), p.describe()


# ---- 10. options that switch restarts off or forge lines ---------------------------


def run_reinit(args, env=None, timeout=lib.DEADLINE):
    return subprocess.run([str(lib.REINIT), *args], capture_output=True, text=True,
                          timeout=timeout, env=lib.clean_env(**(env or {})))


def one_error_line(r):
    lines = r.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("reinit: ") and len(lines[0]) > 12, r
    return lines[0]


@pytest.mark.parametrize("args,env", [
    (["-x", ""], {}), (["--exts", ","], {}), ([], {"REINIT_EXTS": ""}),
    (["--trigger", ""], {}), ([], {"REINIT_TRIGGER": ""})],
    ids=["-x ''", "-x ,", "REINIT_EXTS=", "--trigger ''", "REINIT_TRIGGER="])
def test_empty_exts_or_trigger_is_a_usage_error(root, args, env):
    r = run_reinit(["-w", str(root), *args, "--", "true"], env)
    assert r.returncode == 2, r
    one_error_line(r)


def test_ignore_file_naming_a_fifo_is_refused(root, tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    r = run_reinit(["-w", str(root), "--ignore-file", str(fifo), "--", "true"])
    assert r.returncode in (1, 2), r
    assert "regular file" in one_error_line(r), r


def test_invalid_ignore_pattern_exits_2_naming_it(root, tmp_path):
    r = run_reinit(["-w", str(root), "-i", "!", "--", "true"])
    assert r.returncode == 2, r
    assert "'!'" in one_error_line(r), r
    rules = tmp_path / "rules"
    rules.write_text("*.o\n# fine\n/\n")
    r = run_reinit(["-w", str(root), "--ignore-file", str(rules), "--", "true"])
    assert r.returncode == 2, r
    line = one_error_line(r)
    assert "line 3" in line and "'/'" in line, r


def test_a_value_with_a_newline_is_one_line(root):
    r = run_reinit(["-t", "5s\nreinit: all good", "--", "true"])
    assert r.returncode == 2, r
    one_error_line(r)


def test_full_option_pool_still_says_why(root):
    # The first REINIT_WATCH fills the 4 KiB pool to its last byte; the
    # second finds no room for its name nor its value. An environment with
    # a variable twice takes execve itself.
    first = "REINIT_WATCH=" + "a" * 4070 + ":" + "b" * 10
    script = ("import ctypes, sys\n"
              "arr = lambda xs: (ctypes.c_char_p * (len(xs) + 1))(*[x.encode() for x in xs], None)\n"
              "libc = ctypes.CDLL(None)\n"
              "libc.execve(sys.argv[1].encode(), arr(sys.argv[1:2] + ['--', 'true']),"
              " arr([sys.argv[2], 'REINIT_WATCH=c:d']))\n")
    r = subprocess.run(["/usr/bin/python3", "-c", script, str(lib.REINIT), first],
                       capture_output=True, text=True, timeout=lib.DEADLINE)
    assert r.returncode == 2, r
    assert "too long" in one_error_line(r), r


# ---- throttled re-sync --------------------------------------------------------------


def idle(pid):
    """Blocked with no timeout: nothing pending."""
    return lib.sleeps_idle(pid)


def make_tree(base, dirs, files):
    for i in range(files):
        write(base / f"d{i % dirs}" / f"s{i % 7}" / f"f{i}.txt", "x")


class Throttle:
    """Holds reinit to a few percent of a CPU: a cgroup CPU limit where one
    can be made, else SIGSTOP for 19 ms out of every 20."""

    def __init__(self, pid):
        self.pid = pid
        self.cg = None
        self.done = threading.Event()
        base = "/sys/fs/cgroup/cpu"
        try:
            self.cg = tempfile.mkdtemp(prefix="reinit-throttle-", dir=base)
            with open(f"{self.cg}/cpu.cfs_period_us", "w") as f:
                f.write("100000")
            with open(f"{self.cg}/cpu.cfs_quota_us", "w") as f:
                f.write("5000")
            with open(f"{self.cg}/tasks", "w") as f:
                f.write(str(pid))
        except OSError:
            self.cg = None
            self.t = threading.Thread(target=self.run, daemon=True)
            self.t.start()

    def run(self):
        while not self.done.is_set():
            os.kill(self.pid, signal.SIGSTOP)
            time.sleep(0.019)
            os.kill(self.pid, signal.SIGCONT)
            time.sleep(0.001)

    def stop(self):
        if self.cg:
            with open(f"{self.cg}/cpu.cfs_quota_us", "w") as f:
                f.write("-1")
            # reinit may start a child while its tasks are moved out:
            # move again until none is left.
            def moved_out():
                with open(f"{self.cg}/tasks") as f:
                    pids = f.read().split()
                for pid in pids:
                    try:
                        with open("/sys/fs/cgroup/cpu/tasks", "w") as f:
                            f.write(pid)
                    except OSError:
                        pass
                return not pids

            wait_until(moved_out, what="the throttle cgroup empty")
            os.rmdir(self.cg)
        else:
            self.done.set()
            self.t.join()
            os.kill(self.pid, signal.SIGCONT)


def test_throttled_full_resync_still_restarts_after(root):
    app = root / "app"
    make_tree(app, 300, 3000)
    p = start_watch(root, ["-d", "200ms"])
    init = p.init_pid()
    t = Throttle(init)
    try:
        shutil.rmtree(app)
        time.sleep(0.3)  # the pause of a re-sync: part of the scenario, not a wait
        make_tree(app, 300, 3000)
    finally:
        t.stop()
    wait_until(lambda: inotify_watches(init) >= 1 + 1 + 300 + 300 * 7,
               what=f"the new tree watched ({inotify_watches(init)} watches)", timeout=30)
    # Once reinit has caught up and sleeps with nothing due, a change
    # still restarts, and names the file.
    wait_until(lambda: idle(init), what="reinit idle after the re-sync", timeout=30)
    write(app / "d5" / "s3" / "after.txt")
    start_naming(p, "app/d5/s3/after.txt")


# ---- 14. the watcher's log lines under AddressSanitizer ----------------------------


def test_watcher_log_lines_are_clean_under_asan(root):
    binary = lib.BUILD / "asan" / "reinit"
    assert binary.exists(), f"{binary} is not built: run make test"
    write(root / "old")
    env = lib.clean_env(ASAN_OPTIONS="detect_leaks=0", UBSAN_OPTIONS="halt_on_error=1")
    p = lib.start(["-w", str(root), "-d", "100ms", "--", helper("starts")], binary=binary,
                  env=env)
    wait_start(p, 0)
    # Each of these says something through the watcher's log.
    shutil.rmtree(root)
    p.wait_for_line(lambda s: "was deleted" in s, stream="err")
    root.mkdir()
    write(root / "f")
    start_naming(p, "f")
    lib.send(p, signal.SIGTERM)
    p.wait()
    bad = [s for s in p.err if "Sanitizer" in s or "runtime error" in s]
    assert not bad, p.describe()
