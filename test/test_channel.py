"""The request channel: --restart, status and the sync holds of the built-in tar and rm reach
the running reinit, across uids, and nothing ever reaches a process that is not reinit."""

import os
import signal
import socket
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

import lib
from lib import helper, start
from test_tar import archive

NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
# Docker's and Kubernetes' exec: root without CAP_SYS_PTRACE, so another
# user's /proc/PID/exe cannot be read.
NO_PTRACE = ["setpriv", "--bounding-set=-sys_ptrace", "--inh-caps=-sys_ptrace"]


def link(name):
    """build/test/links/NAME -> build/reinit, as a sync tool is called."""
    path = lib.BUILD / "test" / "links" / name
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(lib.REINIT.resolve(), path)
    return str(path)


def inside(init, *argv, input=None, pre=()):
    """Run argv in the PID and mount namespaces of init, as kubectl exec does."""
    return subprocess.run(["nsenter", "-t", str(init), "-p", "-m", "--", *pre, *map(str, argv)],
                          input=input, capture_output=True, timeout=lib.DEADLINE)


def inside_bg(init, *argv, pre=()):
    return subprocess.Popen(["nsenter", "-t", str(init), "-p", "-m", "--", *pre, *map(str, argv)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def start_line(p, n):
    return p.wait_for_line(lambda s: s.startswith(f"start {n} "))


@pytest.fixture
def open_dir():
    """A directory every user can reach and write (pytest's own is root's)."""
    d = Path(tempfile.mkdtemp(prefix="reinit-chan-", dir="/tmp"))
    os.chmod(d, 0o777)
    yield d
    subprocess.run(["rm", "-rf", str(d)])


def another_init(argv):
    """A PID namespace whose PID 1 is argv run as nobody, not reinit (tini,
    pause): its /proc/1/exe is closed to an exec without CAP_SYS_PTRACE."""
    p = lib.Proc(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--",
                  *NOBODY, *map(str, argv)], ns=True)
    init = p.init_pid()
    lib.wait_until(lambda: lib.proc_stat(init) and os.stat(f"/proc/{init}").st_uid == 65534,
                   what="PID 1 running as nobody")
    return p, init


def test_a_tar_under_another_init_signals_nobody(open_dir):
    # reinit's tar copied into an image that keeps tini: the tar finds no
    # reinit and sends nothing to PID 1, whose child would die of it.
    p, init = another_init(["/usr/bin/tini", "--", helper("sigecho")])
    p.wait_for_line("ready")
    r = inside(init, link("tar"), "-x", "-f", "-", "-C", open_dir, pre=NO_PTRACE,
               input=archive(("f", tarfile.REGTYPE, b"x")))
    assert r.returncode == 0, r
    assert (open_dir / "f").read_bytes() == b"x"
    # A marker through tini: every signal sent before it arrives before it.
    os.kill(init, signal.SIGUSR1)
    i = p.wait_for_line(str(int(signal.SIGUSR1)))
    assert p.out[1:i] == [], f"the app got signals it never asked for: {p.out[1:i]}"


def test_restart_finds_reinit_when_pid1_is_another_init():
    # A pod with shareProcessNamespace: pause is PID 1 (as another user),
    # reinit runs beside it; --restart must find reinit, not ask pause.
    p, init = another_init(["sleep", "1000"])
    app = lib.Proc(["nsenter", "-t", str(init), "-p", "-m", "--", str(lib.REINIT), "--",
                    helper("starts")])
    start_line(app, "(unset)")
    r = inside(init, lib.REINIT, "--restart", pre=NO_PTRACE)
    assert r.returncode == 0, r
    start_line(app, 1)
    assert lib.proc_stat(init)[1] != "Z" and lib.alive(init), "PID 1 was signalled"
    app.remember(lib.children(app.pid)[0])


def test_root_asks_a_reinit_of_another_uid_and_gets_its_answer(open_dir):
    # USER 1000 in the image, `docker exec -u 0 C /reinit --restart`: the
    # answer comes back to root on the connection.
    p = lib.Proc(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", *NOBODY,
                  str(lib.REINIT), "-w", str(open_dir), "--", helper("starts")], ns=True)
    start_line(p, 0)
    init = p.init_pid()
    r = inside(init, lib.REINIT, "--restart", pre=NO_PTRACE)
    assert r.returncode == 0, r
    start_line(p, 1)
    r = inside(init, lib.REINIT, "status", pre=NO_PTRACE)
    assert r.returncode == 0 and b"restarts: 1" in r.stdout, r


def test_another_user_is_refused_by_the_kernels_word():
    p = start(["--", helper("starts")])
    start_line(p, "(unset)")
    r = inside(p.init_pid(), lib.REINIT, "status", pre=NOBODY)
    assert r.returncode == 1 and b"permission denied" in r.stderr, r


def squat(name):
    """A root process holding an abstract Unix name; it counts what it receives."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    s.bind(name)
    s.listen(8)
    s.setblocking(False)
    return s


def received(s):
    got = []
    while True:
        try:
            c, _ = s.accept()
        except BlockingIOError:
            return got
        c.setblocking(False)
        try:
            got.append(c.recv(100))
        except BlockingIOError:
            pass
        c.close()


def test_a_process_at_reinits_name_gets_nothing(open_dir):
    # Something else in the pod's network namespace takes the name of PID 1
    # first: the client sees, by the kernel's word, that it is not PID 1,
    # and sends it nothing.
    p, init = another_init(["/usr/bin/tini", "--", helper("sigecho")])
    p.wait_for_line("ready")
    ns = "".join(c for c in os.readlink(f"/proc/{init}/ns/pid") if c.isdigit())
    s = squat(f"\0reinit:{ns}:1")
    try:
        r = inside(init, lib.REINIT, "--restart", pre=NO_PTRACE)
        assert r.returncode == 1 and b"nothing was sent" in r.stderr, r
        r = inside(init, link("rm"), "-rf", open_dir / "x", pre=NO_PTRACE)
        assert r.returncode == 0, r
        assert all(g == b"" for g in received(s)), "a request reached the impostor"
    finally:
        s.close()


def test_reinit_says_when_its_name_is_taken(tmp_path):
    flag = tmp_path / "go"
    p = lib.Proc(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--", "sh", "-c",
                  f'until [ -e {flag} ]; do sleep 0.01; done; exec {lib.REINIT} -- '
                  f'{helper("starts")}'], ns=True)
    init = p.init_pid()
    ns = "".join(c for c in os.readlink(f"/proc/{init}/ns/pid") if c.isdigit())
    s = squat(f"\0reinit:{ns}:1")
    try:
        flag.write_text("")
        start_line(p, "(unset)")
        p.wait_for_line(lambda l: "another process has reinit's name" in l, stream="err")
    finally:
        s.close()


def test_compose_rm_then_files_from_the_engine_is_one_restart(tmp_path):
    # Docker Compose watch: `docker exec C rm -rf PATHS`, then the engine
    # writes the new files itself, with no exec: one restart for both.
    root = tmp_path / "app"
    root.mkdir()
    (root / "old").write_text("old")
    p = start(["-w", str(root), "--", helper("starts")])
    start_line(p, 0)
    r = inside(p.init_pid(), link("rm"), "-rf", root / "old")
    assert r.returncode == 0, r
    (root / "new").write_text("new")
    i = start_line(p, 1)
    assert sorted(p.out[i].split(" ", 3)[3].split("|")) == ["new", "old"], p.describe()
    (root / "probe").write_text("x")
    assert p.out[start_line(p, 2)] == "start 2 changed probe", p.describe()


def watched_app(tmp_path):
    """reinit -w ROOT as PID 1 of its namespace, its child started once."""
    root = tmp_path / "app"
    root.mkdir()
    p = start(["-w", str(root), "--", helper("starts")])
    start_line(p, 0)
    return root, p


def half_a_sync(init, root):
    """A built-in tar that has written file a and waits for more of its stream."""
    data = archive(("a", tarfile.REGTYPE, b"a"), ("b", tarfile.REGTYPE, b"b"))
    t = inside_bg(init, link("tar"), "-x", "-f", "-", "-C", root)
    t.stdin.write(data[:1024])
    t.stdin.flush()
    lib.wait_until(lambda: (root / "a").exists(), what="a written")
    return t, data


def test_a_stalled_sync_lets_a_due_restart_go_with_one_line(tmp_path):
    root, p = watched_app(tmp_path)
    t, data = half_a_sync(p.init_pid(), root)
    try:
        # The stream stalls (a half-open kubectl exec): the change it made
        # is held, then let go once it has not moved for a while.
        i = start_line(p, 1)
        assert p.out[i] == "start 1 changed a", p.describe()
        p.wait_for_line(lambda l: "has not moved" in l, stream="err")
    finally:
        t.stdin.write(data[1024:])
        t.stdin.close()
        t.wait(lib.DEADLINE)
    start_line(p, 2)


def channel_of(init):
    """A connection to the reinit that is PID 1 of init's namespace, as any
    client of root may open one."""
    ns = "".join(c for c in os.readlink(f"/proc/{init}/ns/pid") if c.isdigit())
    c = socket.socket(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    c.connect(f"\0reinit:{ns}:1")
    return c


def test_another_connection_cannot_end_a_syncs_hold(tmp_path):
    root, p = watched_app(tmp_path)
    init = p.init_pid()
    t, data = half_a_sync(init, root)
    # Others say "the sync ended", with and without a hold of their own:
    # each speaks for its own connection only, so the tar still holds.
    for words in (b"d", b"Hd", b"Hm", b"H"):
        c = channel_of(init)
        for w in words:
            c.send(bytes([w]))
        c.close()
    r = inside(init, link("rm"), "-rf", "--", root / "nothing")
    assert r.returncode == 0, r
    t.stdin.write(data[1024:])
    t.stdin.close()
    assert t.wait(lib.DEADLINE) == 0
    i = start_line(p, 1)
    assert sorted(p.out[i].split(" ", 3)[3].split("|")) == ["a", "b"], p.describe()


def test_status_says_what_runs_and_what_holds(tmp_path):
    root, p = watched_app(tmp_path)
    init = p.init_pid()
    child = lib.children(init)[0]
    r = inside(init, lib.REINIT, "status")
    assert r.returncode == 0, r
    text = r.stdout.decode()
    assert f"child: '{helper('starts')}' pid " in text, text
    assert "restarts: 0\n" in text and "sync holds: none\n" in text, text
    assert f"watch: {root} watched\n" in text, text
    assert " inotify watches of max_user_watches " in text, text
    assert child  # the pid in the text is the namespace's, not the host's
    t, data = half_a_sync(init, root)
    try:
        text = inside(init, lib.REINIT, "status").stdout.decode()
        assert "sync holds: one for " in text, text
    finally:
        t.stdin.write(data[1024:])
        t.stdin.close()
        t.wait(lib.DEADLINE)
    i = start_line(p, 1)
    text = inside(init, lib.REINIT, "status").stdout.decode()
    assert "restarts: 1, " in text and " ago, 2 changes: a, b" in text, text


def test_status_without_a_reinit_is_one_line_and_exit_1():
    p = lib.Proc(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "--",
                  "sleep", "1000"], ns=True)
    r = inside(p.init_pid(), lib.REINIT, "status")
    assert r.returncode == 1 and r.stderr.count(b"\n") == 1 and b"no running reinit" in r.stderr, r


def test_a_sigio_someone_sent_does_not_hide_a_request():
    # SIGIO is a standard signal: while one is pending, the kernel drops the
    # next. A SIGIO sent with kill, pending when a request comes, must
    # still get the request served (and reach the child, as any signal).
    p = start(["--", helper("sigecho")])
    p.wait_for_line("ready")
    init = p.init_pid()
    os.kill(init, signal.SIGSTOP)
    try:
        lib.wait_until(lambda: lib.proc_stat(init)[1] == "T", what="reinit stopped")
        os.kill(init, signal.SIGIO)
        client = inside_bg(init, lib.REINIT, "status")
        ns = "".join(c for c in os.readlink(f"/proc/{init}/ns/pid") if c.isdigit())
        # The client is connected (the kernel's SIGIO is dropped behind
        # the pending one) before reinit runs again.
        # The listening socket and the one the client's connection made
        # for reinit to accept: two sockets of that name.
        lib.wait_until(lambda: open("/proc/net/unix").read().count(f"@reinit:{ns}:1") >= 2,
                       what="the status client connected")
    finally:
        os.kill(init, signal.SIGCONT)
    out, err = client.communicate(timeout=lib.DEADLINE)
    assert client.returncode == 0 and b"child: " in out, (out, err)
    p.wait_for_line(str(int(signal.SIGIO)))
