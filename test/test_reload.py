"""--reload: a change under a reload root sends the child a signal instead of restarting it.

The child is sigecho: it prints `ready`, then the number of every signal it
gets, one a line (`term` and exit with --exit-on-term). A reload is its
line on stderr and its number at the child; a restart is a new `ready`
from a new pid. "Exactly n" is shown without sleeping: a probe change
follows, and its reload must be the (n+1)-th and name the probe alone.
Had a change given two signals, there would be one too many before the
probe's, or the probe's line would name what was left of the change.

ConfigMap and Secret volumes are updated by kubelet_update, a replay of
the kubelet's AtomicWriter, step for step.
"""

import os
import random
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

import lib
from lib import children, helper, run, start, wait_until
from test_watch import QUIET, assert_next_start_is_only, child_pid, wait_start, write

HUP = str(int(signal.SIGHUP))
USR1 = str(int(signal.SIGUSR1))


# ---- the kubelet's AtomicWriter, replayed -------------------------------------


def _same(path, data):
    """The old version has path with exactly data (a missing file differs)."""
    if not os.path.lexists(path):
        return False
    with open(path, "rb") as f:
        return f.read() == data


def _write_file(path, data, mode):
    """Go's os.WriteFile and the chmod after it: created with mode (less the
    umask), truncated, written, closed; then chmod, as the umask must not count."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, mode)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.chmod(path, mode)


def _new_timestamp_dir(vol):
    """Go's os.MkdirTemp(vol, "..2006_01_02_15_04_05."): the UTC time and a
    random number, made 0700 (again with another number if taken), then
    chmod 0755 so that group and others can walk it."""
    prefix = time.strftime("..%Y_%m_%d_%H_%M_%S.", time.gmtime())
    while True:
        ts = vol / f"{prefix}{random.getrandbits(32)}"
        try:
            os.mkdir(ts, 0o700)
            break
        except FileExistsError:
            continue
    os.chmod(ts, 0o755)
    return ts


def kubelet_update(vol, payload, mode=0o644):
    """Project payload ({key: text or bytes}; a key may have '/' subpaths)
    into the volume directory vol, as the kubelet updates a ConfigMap,
    Secret, downward API or projected volume. True if it wrote anything.

    The kubelet's numbered steps (pkg/volume/util/atomic_writer.go, Write);
    in the terms of reinit's --reload spec, (5) and (6) are its steps 1
    and 2, (8) and (9) step 3, (10) step 4, (11) step 5 and (12) step 6.
    The kubelet goes through the keys in Go's map order, which is random;
    here they go in the payload's order."""
    vol = Path(vol)
    data_link = vol / "..data"
    # (1) The payload, its keys cleaned as filepath.Clean does.
    payload = {os.path.normpath(k): v.encode() if isinstance(v, str) else bytes(v)
               for k, v in payload.items()}
    # (2) The current timestamped directory, read from the ..data link
    # (none on the first write).
    try:
        old = os.readlink(data_link)
    except FileNotFoundError:
        old = ""
    remove = set()
    write_data = True
    if old:
        old_path = vol / old
        # (3) Every path of the old version (files and directories, below
        # the timestamped directory) that is neither a key nor a parent of
        # one: what the update removes.
        keep = set()
        for key in payload:
            parts = key.split("/")
            keep.update("/".join(parts[:i]) for i in range(1, len(parts) + 1))
        for dirpath, dirnames, filenames in os.walk(old_path):
            rel = os.path.relpath(dirpath, old_path)
            for name in dirnames + filenames:
                path = name if rel == "." else f"{rel}/{name}"
                if path not in keep:
                    remove.add(path)
        # (4) A key whose file is missing from the old version or holds
        # other bytes, or a path to remove: a new version is written. With
        # neither the data directory is left as it is, and so is the old one.
        write_data = bool(remove) or not all(_same(old_path / k, v) for k, v in payload.items())
        if not write_data:
            old = ""
    if write_data:
        # (5) A new timestamped directory: ..2026_12_07_10_00_00.123456789
        ts = _new_timestamp_dir(vol)
        # (6) Every key's file in it, its parents made as MkdirAll(0777).
        for key, data in payload.items():
            path = ts / key
            os.makedirs(path.parent, 0o777, exist_ok=True)
            _write_file(path, data, mode)
        # (7) The caller's ownership hook: none here.
        # (8) ..data_tmp, a relative link to the new directory's name...
        os.symlink(ts.name, vol / "..data_tmp")
        # (9) ...renamed over ..data: the one atomic switch of the content.
        os.rename(vol / "..data_tmp", data_link)
    # (10) The user-visible link of each top-level name that has none yet
    # ("db/url" gets db -> ..data/db); a name that is there but no link
    # (readlink fails otherwise) is left alone.
    made = False
    for key in payload:
        top = key.split("/", 1)[0]
        try:
            os.readlink(vol / top)
        except FileNotFoundError:
            os.symlink(f"..data/{top}", vol / top)
            made = True
    # (11) The links of removed top-level names (a path with a '/' was
    # inside the old directory and goes with it). Go's os.Remove: unlink,
    # or rmdir for a directory.
    for path in sorted(remove):
        if "/" in path:
            continue
        try:
            os.unlink(vol / path)
        except IsADirectoryError:
            os.rmdir(vol / path)
    # (12) rm -rf of the old timestamped directory.
    if old:
        shutil.rmtree(vol / old)
    return write_data or made


def volume_state(vol):
    """Every entry under vol, links not followed: (path, inode, mode,
    ctime, mtime, link target): any write at all changes it."""
    state = []
    for dirpath, dirnames, filenames in os.walk(vol):
        for name in [*dirnames, *filenames]:
            path = os.path.join(dirpath, name)
            st = os.lstat(path)
            target = os.readlink(path) if os.path.islink(path) else None
            state.append((path, st.st_ino, st.st_mode, st.st_ctime_ns, st.st_mtime_ns, target))
    st = os.lstat(vol)
    return sorted(state), st.st_mtime_ns, st.st_ctime_ns


def test_the_replay_lays_out_a_volume_as_the_kubelet_does(tmp_path):
    # The layout the tests below rely on: visible links into ..data, one
    # timestamped directory at a time, nothing written for an equal payload.
    vol = tmp_path / "vol"
    vol.mkdir()
    assert kubelet_update(vol, {"app.conf": "a=1", "db/url": "pg://one", "log.conf": "info"})
    first = os.readlink(vol / "..data")
    assert re.fullmatch(r"\.\.\d{4}(_\d\d){5}\.\d+", first), first
    assert sorted(os.listdir(vol)) == sorted(["..data", first, "app.conf", "db", "log.conf"])
    assert os.readlink(vol / "app.conf") == "..data/app.conf"
    assert os.readlink(vol / "db") == "..data/db"
    assert (vol / "db" / "url").read_text() == "pg://one"
    assert oct(os.stat(vol / "app.conf").st_mode & 0o777) == oct(0o644)
    assert oct(os.stat(vol / first).st_mode & 0o777) == oct(0o755)
    before = volume_state(vol)
    assert not kubelet_update(vol, {"app.conf": "a=1", "db/url": "pg://one", "log.conf": "info"})
    assert volume_state(vol) == before
    assert kubelet_update(vol, {"app.conf": "a=2", "db/url": "pg://one", "new": "n"})
    second = os.readlink(vol / "..data")
    assert second != first
    assert sorted(os.listdir(vol)) == sorted(["..data", second, "app.conf", "db", "new"])
    assert (vol / "app.conf").read_text() == "a=2" and (vol / "new").read_text() == "n"
    assert kubelet_update(vol, {"app.conf": "a=2"})
    assert sorted(os.listdir(vol)) == sorted(["..data", os.readlink(vol / "..data"), "app.conf"])


# ---- reinit, its child and its lines ------------------------------------------


def start_echo(opts, echo=(), **kw):
    """reinit OPTS -- sigecho --exit-on-term ECHO as PID 1, once the child
    (and its own child, with --fork) is ready: reinit's watches are in place
    before it starts the child."""
    p = start([*map(str, opts), "--", helper("sigecho"), "--exit-on-term", *echo], **kw)
    p.wait_for_line("ready")
    if "--fork" in echo:
        p.wait_for_line("child ready")
    return p


def wait_for(p, cond, what):
    try:
        return wait_until(cond, what=what)
    except AssertionError as e:
        raise AssertionError(f"{e}{p.describe()}") from None


def err_lines(p, prefix):
    return [s for s in list(p.err) if s.startswith(prefix)]


def reloads(p, sig="SIGHUP"):
    return err_lines(p, f"reinit: reload ({sig}): ")


def received(p, number=HUP, prefix=""):
    """How many times the child has printed signal number."""
    return list(p.out).count(f"{prefix}{number}")


def wait_reloads(p, n, sig="SIGHUP", number=HUP):
    """The n-th reload's line, once it is on stderr and the child has its
    n-th signal; exactly n of each so far."""
    wait_for(p, lambda: len(reloads(p, sig)) >= n and received(p, number) >= n,
             f"reload {n}: its line and its signal")
    got = (len(reloads(p, sig)), received(p, number))
    assert got == (n, n), f"(reload lines, signals) {got}, want ({n}, {n}){p.describe()}"
    return reloads(p, sig)[n - 1]


def assert_probe_reload(p, n, root, name="probe", **kw):
    """Writes root/name; its reload must be the (n+1)-th and name it alone:
    the n before were all the earlier changes gave."""
    write(Path(root) / name)
    line = wait_reloads(p, n + 1, **kw)
    sig = kw.get("sig", "SIGHUP")
    assert line == f"reinit: reload ({sig}): 1 change: {name}", (
        f"the probe's reload is not its alone: the change before it gave more than one "
        f"signal, or the probe was missed{p.describe()}")


def assert_no_restart(p, pid):
    """The child is the first one still: one `ready`, no TERM, no restart line."""
    assert child_pid(p) == pid, p.describe()
    assert list(p.out).count("ready") == 1 and "term" not in p.out, p.describe()
    assert not err_lines(p, "reinit: restart"), p.describe()


def now_leads_to(p, root):
    return err_lines(p, f"reinit: watch root '{root}' now leads to ")


@pytest.fixture
def vol(tmp_path):
    """A ConfigMap volume with two keys, as the kubelet first lays it out."""
    d = tmp_path / "vol"
    d.mkdir()
    kubelet_update(d, {"app.conf": "v0", "other.conf": "o"})
    return d


# ---- one update, one signal -------------------------------------------------------


def test_four_updates_are_four_sighups_and_no_restart(tmp_path):
    v = tmp_path / "cm"
    v.mkdir()
    kubelet_update(v, {"app.conf": "a=1", "db/url": "pg://one", "log.conf": "info"})
    p = start_echo(["-d", QUIET, "--reload", v])
    pid = child_pid(p)
    updates = [
        # several keys changed at once
        {"app.conf": "a=2", "db/url": "pg://two", "log.conf": "debug"},
        # a key added
        {"app.conf": "a=2", "db/url": "pg://two", "log.conf": "debug", "extra.conf": "e"},
        # a key removed
        {"app.conf": "a=2", "db/url": "pg://two", "extra.conf": "e"},
        # one key's value changed
        {"app.conf": "a=3", "db/url": "pg://two", "extra.conf": "e"},
    ]
    for n, payload in enumerate(updates, 1):
        assert kubelet_update(v, payload), "test set-up: the update must write"
        wait_reloads(p, n)
    assert not os.path.lexists(v / "log.conf"), "test set-up: the key's link is gone"
    assert_probe_reload(p, 4, v)
    assert_no_restart(p, pid)


def test_an_update_that_changes_nothing_sends_nothing(vol):
    p = start_echo(["-d", QUIET, "--reload", vol])
    pid = child_pid(p)
    before = volume_state(vol)
    assert not kubelet_update(vol, {"app.conf": "v0", "other.conf": "o"})
    assert volume_state(vol) == before, "test set-up: the kubelet writes nothing then"
    # The next real update is the first reload, and its only one.
    assert kubelet_update(vol, {"app.conf": "v1", "other.conf": "o"})
    wait_reloads(p, 1)
    assert_probe_reload(p, 1, vol)
    assert_no_restart(p, pid)


# ---- -w and --reload together -----------------------------------------------------


def test_code_restarts_config_reloads_and_a_burst_of_both_restarts_once(vol, tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    p = start_echo(["-d", QUIET, "-w", code, "--reload", vol])
    first = child_pid(p)

    write(code / "main.go")
    wait_for(p, lambda: list(p.out).count("ready") == 2, "the restart's new child")
    second = child_pid(p)
    assert second != first, p.describe()
    assert list(p.out) == ["ready", "term", "ready"], f"a SIGHUP with the restart{p.describe()}"

    assert kubelet_update(vol, {"app.conf": "v1", "other.conf": "o"})
    wait_reloads(p, 1)
    assert child_pid(p) == second, f"the reload restarted the child{p.describe()}"
    assert list(p.out) == ["ready", "term", "ready", HUP], p.describe()

    # One burst: a code write and a kubelet update within the quiet period.
    write(code / "util.go")
    assert kubelet_update(vol, {"app.conf": "v2", "other.conf": "o"})
    wait_for(p, lambda: list(p.out).count("ready") == 3, "the burst's restart")
    third = child_pid(p)
    assert third != second, p.describe()
    # Then a reload alone: the burst sent no signal to either child, and
    # restarted once.
    assert kubelet_update(vol, {"app.conf": "v3", "other.conf": "o"})
    wait_reloads(p, 2)
    assert list(p.out) == ["ready", "term", "ready", HUP, "term", "ready", HUP], p.describe()
    assert child_pid(p) == third, p.describe()
    assert len(err_lines(p, "reinit: restart: ")) == 2, p.describe()


@pytest.mark.parametrize("outer", ["watch", "reload"])
def test_a_change_under_nested_roots_of_both_kinds_restarts(tmp_path, outer):
    # -w app --reload app/config, or --reload app -w app/src: the inner root
    # is the outer's subdirectory. A change under both restarts; one under
    # the --reload root alone reloads.
    app = tmp_path / "app"
    inner = app / ("config" if outer == "watch" else "src")
    inner.mkdir(parents=True)
    if outer == "watch":
        opts, both, only_reload = ["-w", app, "--reload", inner], inner / "x.conf", None
    else:
        opts, both, only_reload = ["--reload", app, "-w", inner], inner / "x.go", app / "y.conf"
    p = start_echo(["-d", QUIET, *opts])
    first = child_pid(p)
    write(both)
    wait_for(p, lambda: list(p.out).count("ready") == 2, "the restart's new child")
    assert child_pid(p) != first and HUP not in p.out, p.describe()
    assert not reloads(p), p.describe()
    if only_reload:
        write(only_reload)
        assert wait_reloads(p, 1) == "reinit: reload (SIGHUP): 1 change: y.conf", p.describe()
        assert list(p.out).count("ready") == 2, p.describe()


def test_a_reload_due_during_a_restart_is_folded_into_it(vol, tmp_path):
    # The old child ignores its first TERM, so the restart takes -t (3 s)
    # and the kubelet's update comes due well inside it: no child gets a
    # SIGHUP (the new one reads the new files anyway), and the change is
    # not a second restart.
    code = tmp_path / "code"
    code.mkdir()
    p = start(["-d", QUIET, "-t", "3s", "-w", str(code), "--reload", str(vol), "--",
               "/bin/sh", "-c",
               'trap "echo slow" TERM; trap "echo hup" HUP; echo ready; '
               "while :; do sleep 0.05; done"])
    p.wait_for_line("ready")
    write(code / "main.go")
    p.wait_for_line("slow")
    assert kubelet_update(vol, {"app.conf": "v1", "other.conf": "o"})
    wait_for(p, lambda: list(p.out).count("ready") == 2, "the new child, after -t")
    assert "hup" not in p.out and not reloads(p), p.describe()
    assert len(err_lines(p, "reinit: restart: ")) == 1, p.describe()
    # The next update reloads the new child.
    assert kubelet_update(vol, {"app.conf": "v2", "other.conf": "o"})
    wait_for(p, lambda: "hup" in p.out, "the new child's SIGHUP")
    assert len(reloads(p)) == 1, p.describe()


# ---- the three forms of a root --------------------------------------------------


@pytest.mark.parametrize("form", ["dir", "..data", "key"])
def test_every_form_of_root_follows_every_update(vol, form):
    root = {"dir": vol, "..data": vol / "..data", "key": vol / "app.conf"}[form]
    p = start_echo(["-d", QUIET, "--reload", root])
    pid = child_pid(p)
    for n in range(1, 5):
        assert kubelet_update(vol, {"app.conf": f"v{n}", "other.conf": "o"})
        wait_reloads(p, n)
        if form == "dir":
            continue
        # The link now resolves into the new timestamped directory: one
        # line for it, naming where it leads (..data's own target, as the
        # spec's example; for the key, a path that resolves to its file).
        lines = wait_for(p, lambda: len(now_leads_to(p, root)) >= n and now_leads_to(p, root),
                         f"line {n} 'now leads to'")
        assert len(lines) == n, p.describe()
        shown = lines[-1].split(" now leads to ", 1)[1]
        assert shown[0] == "'" and shown[-1] == "'", p.describe()
        if form == "..data":
            assert shown == f"'{os.path.realpath(root)}'", p.describe()
        else:
            assert os.path.realpath(shown[1:-1]) == os.path.realpath(root), p.describe()
    assert_no_restart(p, pid)


def test_watch_of_the_data_link_restarts_once_per_update(vol):
    data = vol / "..data"
    p = start(["-d", QUIET, "-w", str(data), "--", helper("starts")])
    assert wait_start(p, 0) == [], p.describe()
    for n in range(1, 4):
        assert kubelet_update(vol, {"app.conf": f"v{n}", "other.conf": "o"})
        wait_start(p, n)
    # A file written into the current data directory: its restart is the
    # fourth and names it alone.
    assert_next_start_is_only(p, 3, data)


# ---- the signal, the variables, the group ---------------------------------------


@pytest.mark.parametrize("opts,env", [
    (["--reload-signal", "USR1"], {}),
    (["--reload-signal", "SIGUSR1"], {}),
    ([], {"REINIT_RELOAD_SIGNAL": "10"}),
], ids=["USR1", "SIGUSR1", "env-10"])
def test_reload_signal(vol, opts, env):
    p = start_echo(["-d", QUIET, "--reload", vol, *opts], env=lib.clean_env(**env))
    assert kubelet_update(vol, {"app.conf": "v1", "other.conf": "o"})
    wait_reloads(p, 1, sig="SIGUSR1", number=USR1)
    assert_probe_reload(p, 1, vol, sig="SIGUSR1", number=USR1)
    assert HUP not in p.out and not reloads(p), p.describe()


def test_reload_roots_from_the_environment(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for v in (a, b):
        v.mkdir()
        kubelet_update(v, {"app.conf": "v0"})
    p = start_echo(["-d", QUIET], env=lib.clean_env(REINIT_RELOAD=f"{a}:{b}"))
    pid = child_pid(p)
    assert kubelet_update(a, {"app.conf": "v1"})
    wait_reloads(p, 1)
    assert kubelet_update(b, {"app.conf": "v1"})
    wait_reloads(p, 2)
    assert_probe_reload(p, 2, a)
    assert_no_restart(p, pid)


def test_group_mode_reloads_the_whole_process_group(vol):
    p = start_echo(["-g", "-d", QUIET, "--reload", vol], ["--fork"])
    main = child_pid(p)
    grandchild = wait_until(lambda: children(main), what="sigecho's child")[0]
    p.remember(grandchild)
    assert os.getpgid(grandchild) == os.getpgid(main) == main, "test set-up: one group"
    assert kubelet_update(vol, {"app.conf": "v1", "other.conf": "o"})
    wait_reloads(p, 1)
    p.wait_for_line(f"child {HUP}")
    assert received(p, HUP, "child ") == 1, p.describe()


@pytest.mark.parametrize("how", ["option", "env"])
def test_bad_reload_signal_is_one_line_and_exit_2(tmp_path, how):
    if how == "option":
        p = run(["--reload", str(tmp_path), "--reload-signal", "NOPE", "--", "/bin/true"])
        want = "reinit: invalid --reload-signal 'NOPE'"
    else:
        p = run(["--reload", str(tmp_path), "--", "/bin/true"],
                env=lib.clean_env(REINIT_RELOAD_SIGNAL="NOPE"))
        want = "reinit: invalid REINIT_RELOAD_SIGNAL 'NOPE'"
    assert p.returncode == 2, p.describe()
    assert len(p.err) == 1 and p.err[0].startswith(want), p.describe()


def test_missing_reload_root_is_one_line_as_for_watch(tmp_path):
    missing = str(tmp_path / "missing")
    w = run(["-w", missing, "--", "/bin/true"])
    r = run(["--reload", missing, "--", "/bin/true"])
    assert w.returncode == 1 and len(w.err) == 1, f"test set-up: -w's shape{w.describe()}"
    assert r.returncode == w.returncode, r.describe()
    assert len(r.err) == 1, r.describe()
    assert r.err[0].startswith("reinit: ") and f"'{missing}'" in r.err[0], r.describe()


# ---- no child --------------------------------------------------------------------


def test_an_update_with_no_child_is_one_line_and_no_child(vol):
    p = start(["-d", QUIET, "--on-exit", "wait", "--reload", str(vol), "--",
               helper("starts"), "--exit", "0"])
    p.wait_for_line(lambda s: s.startswith("start "))
    init = p.init_pid()
    wait_for(p, lambda: not children(init), "the child reaped")
    for n in (1, 2):
        assert kubelet_update(vol, {"app.conf": f"v{n}", "other.conf": "o"})
        lines = wait_for(p, lambda: len(reloads(p)) >= n and reloads(p), f"reload line {n}")
        assert len(lines) == n, p.describe()
        assert lines[-1].startswith("reinit: reload (SIGHUP): no child to signal: "), p.describe()
    # The second update's line came after whatever the first did: no child
    # was started by either.
    assert not children(init), p.describe()
    assert len([s for s in p.out if s.startswith("start ")]) == 1, p.describe()
    assert lib.alive(init), p.describe()


# ---- a mount replaced from outside -----------------------------------------------


def _can_bind_mount(tmp_path):
    a, b = tmp_path / "probe-src", tmp_path / "probe-dst"
    a.mkdir()
    b.mkdir()
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "--",
                        "mount", "--bind", str(a), str(b)], capture_output=True, text=True)
    return r.returncode == 0, r.stderr.strip()


def nsmount(init, *args):
    # The PID namespace too: umount reads /proc/self, the namespace's own proc.
    r = subprocess.run(["nsenter", "--target", str(init), "--pid", "--mount", "--",
                        *map(str, args)],
                       capture_output=True, text=True, timeout=lib.DEADLINE)
    assert r.returncode == 0, r


@pytest.mark.parametrize("how", ["mount-over", "umount-l"])
@pytest.mark.parametrize("mode", ["reload", "watch"])
def test_a_root_whose_mount_is_replaced_is_watched_again(tmp_path, mode, how):
    ok, why = _can_bind_mount(tmp_path)
    if not ok:
        pytest.skip(f"no bind mount in a mount namespace of our own: {why}")
    root, a, b = tmp_path / "root", tmp_path / "A", tmp_path / "B"
    for d in (root, a, b):
        d.mkdir()
    child = [helper("sigecho"), "--exit-on-term"] if mode == "reload" else [helper("starts")]
    opt = "--reload" if mode == "reload" else "-w"
    # reinit in a mount namespace of its own, A bound at ROOT before it starts.
    argv = ["unshare", "--mount", "--propagation", "private", "--pid", "--fork",
            "--mount-proc", "--kill-child", "--", "sh", "-c",
            'mount --bind "$1" "$2" && shift 2 && exec "$@"', "sh", str(a), str(root),
            str(lib.REINIT), "-d", QUIET, opt, str(root), "--", *child]
    p = lib.Proc(argv, ns=True)
    if mode == "reload":
        p.wait_for_line("ready")
    else:
        assert wait_start(p, 0) == [], p.describe()
    init = p.init_pid()
    if how == "mount-over":
        nsmount(init, "mount", "--bind", b, root)
        live = b  # what ROOT shows now, as the host names it
    else:
        nsmount(init, "umount", "-l", root)
        live = root  # the directory under the mount
    want = f"reinit: watch root '{root}' was replaced by a mount: watching it again"
    wait_for(p, lambda: want in p.err, f"the line {want!r}")
    # One change: a reload under --reload, a restart under -w. Then a write
    # into A, hidden now, and one into what ROOT shows: only the second counts.
    if mode == "reload":
        wait_reloads(p, 1)
        write(a / "hidden")
        assert_probe_reload(p, 1, live, "seen")
        assert list(p.out).count("ready") == 1, p.describe()
    else:
        wait_start(p, 1)
        write(a / "hidden")
        write(live / "seen")
        assert wait_start(p, 2) == ["seen"], p.describe()
    assert p.err.count(want) == 1, p.describe()


def test_a_single_file_mount_is_said_at_start_up(tmp_path):
    # A subPath: one file bind-mounted from another filesystem (a tmpfs
    # here) over a file of the directory. Kubernetes never updates it.
    ok, why = _can_bind_mount(tmp_path)
    if not ok:
        pytest.skip(f"no bind mount in a mount namespace of our own: {why}")
    conf = tmp_path / "etc" / "app.conf"
    write(conf, "old")
    src = tmp_path / "src"
    src.mkdir()
    script = ('mount -t tmpfs none "$1" && echo new > "$1/app.conf" && '
              'mount --bind "$1/app.conf" "$2" && shift 2 && exec "$@"')
    r = subprocess.run(["unshare", "--mount", "--propagation", "private", "--pid", "--fork",
                        "--mount-proc", "--", "sh", "-c",
                        script, "sh", str(src), str(conf), str(lib.REINIT), "--reload",
                        str(conf), "--", "/bin/cat", str(conf)],
                       capture_output=True, text=True, timeout=lib.DEADLINE,
                       env=lib.clean_env())
    assert r.returncode == 0 and r.stdout == "new\n", r
    assert r.stderr == (f"reinit: '{conf}' is a single-file mount (a subPath): it is never "
                        "updated in place; mount the directory instead\n"), r


def test_a_file_root_of_the_same_directory_says_nothing(tmp_path):
    conf = tmp_path / "etc" / "app.conf"
    write(conf, "x")
    r = run(["--reload", str(conf), "--", "/bin/true"])
    assert r.returncode == 0 and not r.err, r.describe()


def test_a_link_switched_with_its_old_target_kept_is_followed(tmp_path):
    # A release switch: current -> v1, then ln -sfn v2 current; v1 stays.
    v1, v2, cur = tmp_path / "v1", tmp_path / "v2", tmp_path / "current"
    v1.mkdir()
    v2.mkdir()
    cur.symlink_to("v1")
    p = start(["-d", QUIET, "-w", str(cur), "--", helper("starts")])
    assert wait_start(p, 0) == [], p.describe()
    tmp = tmp_path / "current.tmp"
    tmp.symlink_to("v2")
    os.rename(tmp, cur)
    wait_start(p, 1)
    want = f"reinit: watch root '{cur}' now leads to '{v2}'"
    assert want in p.err, p.describe()
    # The old release is not watched any more, the new one is.
    write(v1 / "old.js")
    write(v2 / "new.js")
    assert wait_start(p, 2) == ["new.js"], p.describe()


# ---- names -------------------------------------------------------------------------


# U+009B (CSI in UTF-8: C2 9B), ESC and a tab show as '?'. A name with a
# newline cannot be one of REINIT_CHANGED's lines: it counts, and the line
# says it has no name rather than end mid-way.
@pytest.mark.parametrize("name, shown", [
    ("a\u009b\x1bb\tc", "1 change: a??b?c"),
    ("a\nb", "changes that have no name (a deletion, or lost events)"),
], ids=["c1-esc-tab", "newline"])
def test_control_characters_in_a_changed_name_keep_the_line_whole(tmp_path, name, shown):
    d = tmp_path / "conf"
    d.mkdir()
    p = start_echo(["--reload", d])
    write(d / name)
    line = wait_reloads(p, 1)
    assert line == f"reinit: reload (SIGHUP): {shown}", p.describe()
    assert not [s for s in p.err if "\x1b" in s or "\u009b" in s], p.describe()


def test_a_missing_root_with_control_characters_is_one_line(tmp_path):
    missing = tmp_path / "mi\nss\x1bing"
    p = run(["--reload", str(missing), "--", "/bin/true"])
    assert p.returncode == 1, p.describe()
    assert len(p.err) == 1, p.describe()
    assert f"'{tmp_path}/mi?ss?ing'" in p.err[0] and "\x1b" not in p.err[0], p.describe()


# ---- ignores and -x -----------------------------------------------------------------


def test_ignored_names_under_a_reload_root_send_nothing(tmp_path):
    d = tmp_path / "conf"
    d.mkdir()
    p = start_echo(["--reload", d, "-i", "*.bak"])
    write(d / "app.conf.swp")
    write(d / "app.conf.bak")
    assert_probe_reload(p, 0, d, "app.conf")


def test_exts_apply_to_a_reload_root(tmp_path):
    d = tmp_path / "conf"
    d.mkdir()
    p = start_echo(["--reload", d, "-x", "conf"])
    write(d / "notes.txt")
    assert_probe_reload(p, 0, d, "app.conf")


# ---- status -------------------------------------------------------------------------


def test_status_lists_the_reload_root(vol, tmp_path):
    code = tmp_path / "code"
    code.mkdir()
    p = start_echo(["--reload", vol, "-w", code])
    r = subprocess.run(["nsenter", "-t", str(p.init_pid()), "-p", "-m", "--",
                        str(lib.REINIT), "status"],
                       capture_output=True, text=True, timeout=lib.DEADLINE, env=lib.clean_env())
    assert r.returncode == 0, r
    lines = r.stdout.splitlines()
    assert [s for s in lines if re.fullmatch(rf"reload:? {re.escape(str(vol))} \(?watched\)?", s)], r
    assert [s for s in lines if re.fullmatch(rf"watch:? {re.escape(str(code))} \(?watched\)?", s)], r
    assert not [s for s in lines if s.startswith("watch") and str(vol) in s], r


def test_status_names_a_file_root_as_given(vol):
    p = start_echo(["--reload", vol / "app.conf"])
    r = subprocess.run(["nsenter", "-t", str(p.init_pid()), "-p", "-m", "--",
                        str(lib.REINIT), "status"],
                       capture_output=True, text=True, timeout=lib.DEADLINE, env=lib.clean_env())
    assert f"reload: {vol / 'app.conf'} watched" in r.stdout.splitlines(), r


# ---- what the review found -------------------------------------------------------


def test_polling_follows_a_data_link_on_every_update(vol):
    # --poll (and the fall-back to it when inotify runs out) looks at where
    # each root leads on every look, as inotify's sentinels do.
    data = vol / "..data"
    p = start_echo(["--poll", "100ms", "-d", QUIET, "--reload", data])
    for n in range(1, 4):
        assert kubelet_update(vol, {"app.conf": f"v{n}", "other.conf": "o"})
        wait_reloads(p, n)
        wait_for(p, lambda: len(now_leads_to(p, data)) == n, f"line {n} 'now leads to'")
    assert now_leads_to(p, data)[-1].endswith(f"'{os.path.realpath(data)}'"), p.describe()


def test_a_file_link_switched_to_another_file_of_its_directory_is_followed(tmp_path):
    cfg = tmp_path / "cfg"
    write(cfg / "v1.conf", "1")
    write(cfg / "v2.conf", "2")
    (cfg / "current.conf").symlink_to("v1.conf")
    p = start_echo(["-d", QUIET, "--reload", cfg / "current.conf"])
    tmp = cfg / "current.tmp"
    tmp.symlink_to("v2.conf")
    os.rename(tmp, cfg / "current.conf")
    wait_reloads(p, 1)
    assert f"reinit: watch root '{cfg}/current.conf' now leads to '{cfg}/v2.conf'" in p.err, \
        p.describe()
    # The old file is not watched any more, the new one is.
    write(cfg / "v1.conf", "1b")
    write(cfg / "v2.conf", "2b")
    assert wait_reloads(p, 2) == "reinit: reload (SIGHUP): 1 change: v2.conf", p.describe()


def test_a_link_root_removed_is_lost_then_followed_when_made_again(tmp_path):
    v1, v2, cur = tmp_path / "v1", tmp_path / "v2", tmp_path / "current"
    v1.mkdir()
    v2.mkdir()
    cur.symlink_to("v1")
    p = start_echo(["-d", QUIET, "--reload", cur])
    cur.unlink()
    wait_for(p, lambda: err_lines(p, f"reinit: watch root '{cur}' is missing"), "the root lost")
    wait_reloads(p, 1)
    write(v1 / "stale")
    cur.symlink_to("v2")
    wait_reloads(p, 2)
    write(v2 / "probe")
    # The write into v1, no longer the root's, counted nothing.
    wait_for(p, lambda: [s for s in reloads(p) if "probe" in s], "the probe's reload")
    assert not [s for s in reloads(p) if "stale" in s], p.describe()


def test_postpone_with_reload_alone_starts_on_the_first_change(tmp_path):
    d = tmp_path / "c"
    d.mkdir()
    p = start(["--postpone", "--reload", str(d), "--", helper("sigecho"), "--exit-on-term"])
    wait_for(p, lambda: lib.sleeps_idle(p.init_pid()), "reinit idle with no child")
    assert "ready" not in p.out, p.describe()
    write(d / "f")
    p.wait_for_line("ready")
    assert "reinit: start: 1 change: f" in p.err and not reloads(p), p.describe()


def test_a_file_roots_directory_swapped_for_a_link_is_not_followed(tmp_path):
    # A root that was not a link is not led out of its tree by one put in
    # the place of its directory, as a directory root is not.
    own, elsewhere = tmp_path / "own", tmp_path / "elsewhere"
    write(own / "d" / "app.conf")
    write(elsewhere / "app.conf")
    p = start_echo(["-d", QUIET, "--reload", own / "d" / "app.conf"])
    os.rename(own / "d", own / "d.old")
    (own / "d").symlink_to(elsewhere)
    wait_for(p, lambda: err_lines(p, f"reinit: watch root '{own}/d/app.conf' was moved away"),
             "the root lost")
    n = len(reloads(p))
    write(elsewhere / "app.conf", "leak")
    # Made again for real: it is back, and only its own change counts.
    (own / "d").unlink()
    write(own / "d" / "app.conf", "back")
    wait_reloads(p, n + 1)
    # Had the write into elsewhere counted, this would not be the next.
    assert_probe_reload(p, n + 1, own / "d", "app.conf")
    assert not [s for s in p.err if "elsewhere" in s], p.describe()
