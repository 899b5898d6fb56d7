"""Restarts: the whole old generation goes first, and only who may stop reinit may restart it."""

import os
import pwd
import signal

import lib
from lib import alive, helper, start, wait_until



def start_line(p, n):
    """Index of the line "start N ..." of the starts helper."""
    return p.wait_for_line(lambda s: s.startswith(f"start {n} "))


def sigrecs(p):
    return [q for q in p.tree() if lib.comm(q) == "sigrec"]


def signals_in(path):
    return [int(s) for s in path.read_text().split() if s.isdigit()] if path.exists() else []


def test_a_restart_ends_what_the_old_child_started_outside_its_group(tmp_path):
    # Each child leaves a helper in a session of its own (a daemonised
    # server, a language server): a restart must not pile them up, and
    # each must be told before it is killed.
    root = tmp_path / "root"
    root.mkdir()
    recs = [tmp_path / f"rec{i}" for i in range(4)]
    script = ('n=${REINIT_RESTARTS:-0}; setsid ' + helper("sigrec") + f' {tmp_path}/rec$n & '
              f'until [ -e {tmp_path}/rec$n ]; do sleep 0.01; done; exec {helper("starts")}')
    p = start(["-w", str(root), "--drain-timeout", "200ms", "--", "sh", "-c", script])
    start_line(p, 0)
    for n in range(1, 4):
        (root / f"f{n}").write_text("x")
        start_line(p, n)
        left = sigrecs(p)
        assert len(left) <= 1, f"old helpers still run after restart {n}: {left}{p.describe()}"
    for rec in recs[:3]:
        assert signals_in(rec)[:1] == [signal.SIGTERM], f"{rec.name} was killed without a word"


def test_a_restart_waits_for_a_helper_that_stops_by_itself(tmp_path):
    # A helper that exits on SIGTERM ends the drain at once: the next child
    # starts without waiting for the drain grace.
    root = tmp_path / "root"
    root.mkdir()
    script = ('n=${REINIT_RESTARTS:-0}; setsid ' + helper("sigrec") + f' -g 15 {tmp_path}/rec$n & '
              f'until [ -e {tmp_path}/rec$n ]; do sleep 0.01; done; exec {helper("starts")}')
    p = start(["-w", str(root), "--drain-timeout", "60s", "--", "sh", "-c", script])
    start_line(p, 0)
    (root / "f").write_text("x")
    start_line(p, 1)
    assert (tmp_path / "rec0").read_text().split() == ["15", "done"]


def as_nobody():
    user = pwd.getpwnam("nobody")
    os.setgid(user.pw_gid)
    os.setuid(user.pw_uid)


def test_another_user_cannot_restart_reinit(tmp_path):
    p = start(["--", helper("starts")], ns=False)
    start_line(p, "(unset)")
    # The same session, another user: SIGCONT would get through, this not.
    r = lib.subprocess.run([str(lib.REINIT), "--restart"], preexec_fn=as_nobody,
                           capture_output=True, text=True, timeout=lib.DEADLINE)
    assert r.returncode == 1, r
    assert "permission denied" in r.stderr, r.stderr
    os.kill(p.pid, signal.SIGCONT)  # what the old request looked like, minus its value
    assert not any(s.startswith("start 1 ") for s in p.out), p.describe()
    assert not any("restart" in s for s in p.err), p.describe()


def test_another_users_pid1_says_permission_denied(tmp_path):
    # reinit as PID 1, the client as another user in the same namespaces:
    # /proc/1/exe cannot be read, so only the kernel can answer.
    p = start(["--", helper("starts")])
    start_line(p, "(unset)")
    init = p.init_pid()
    nobody = pwd.getpwnam("nobody")
    r = lib.subprocess.run(["nsenter", "-t", str(init), "-p", "-m",
                            "-S", str(nobody.pw_uid), "-G", str(nobody.pw_gid), "--",
                            str(lib.REINIT), "--restart"],
                           capture_output=True, text=True, timeout=lib.DEADLINE)
    assert r.returncode == 1, r
    assert "permission denied" in r.stderr, r.stderr


def test_a_restart_without_watch_tells_the_child_which_start_it_is():
    # The first start of a plain init sees nothing of reinit's; a child
    # started again by --restart gets REINIT_RESTARTS.
    p = start(["--", helper("starts")])
    start_line(p, "(unset)")
    r = lib.subprocess.run(["nsenter", "-t", str(p.init_pid()), "-p", "-m", "--",
                            str(lib.REINIT), "--restart"],
                           capture_output=True, text=True, timeout=lib.DEADLINE)
    assert r.returncode == 0, r
    start_line(p, 1)


def test_a_binary_still_being_written_is_started_once_it_is_closed(tmp_path):
    # go build across filesystems, docker cp, a plain cp: the old binary is
    # unlinked (a change), a new one is created and written in place. The
    # restart that the unlink brings finds it open for writing (ETXTBSY):
    # that is not the child's exit, so even --on-exit exit waits for the
    # close and starts it then.
    root = tmp_path / "root"
    root.mkdir()
    app = root / "app"
    body = open(helper("starts"), "rb").read()
    app.write_bytes(body)
    app.chmod(0o755)
    p = start(["-w", str(root), "--on-exit", "exit", "--", str(app)])
    start_line(p, 0)
    app.unlink()
    fd = os.open(app, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o755)
    try:
        os.write(fd, body[:len(body) // 2])
        p.wait_for_line(lambda s: "being written" in s, stream="err")
        assert p.returncode is None, f"reinit ended over a busy file{p.describe()}"
        os.write(fd, body[len(body) // 2:])
    finally:
        os.close(fd)
    start_line(p, 1)
    assert p.returncode is None, p.describe()


def test_restart_right_after_a_watch_restart_for_the_same_changes_is_not_a_second_one(tmp_path):
    # Tilt: sync(...) then run(['/reinit', '--restart']) with reinit -w.
    root = tmp_path / "root"
    root.mkdir()
    p = start(["-w", str(root), "--", helper("starts")])
    start_line(p, 0)
    (root / "f").write_text("x")
    start_line(p, 1)
    r = lib.subprocess.run(["nsenter", "-t", str(p.init_pid()), "-p", "-m", "--",
                            str(lib.REINIT), "--restart"],
                           capture_output=True, text=True, timeout=lib.DEADLINE)
    assert r.returncode == 0, r
    (root / "probe").write_text("x")
    i = start_line(p, 2)
    assert "probe" in p.out[i] and "|f" not in p.out[i], \
        f"the request restarted a second time{p.describe()}"


def test_two_requests_in_a_row_under_watch_restart_twice(tmp_path):
    # Only a restart for changes makes a request that follows it "already
    # done": a restart that was itself requested does not.
    root = tmp_path / "root"
    root.mkdir()
    p = start(["-w", str(root), "--", helper("starts")])
    start_line(p, 0)
    for n in (1, 2):
        r = lib.subprocess.run(["nsenter", "-t", str(p.init_pid()), "-p", "-m", "--",
                                str(lib.REINIT), "--restart"],
                               capture_output=True, text=True, timeout=lib.DEADLINE)
        assert r.returncode == 0, r
        start_line(p, n)
