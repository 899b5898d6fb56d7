"""Side by side with the real tini and dumb-init: under their names reinit does what they do.

Every case runs twice, against the installed peer ("real-NAME") and against
reinit through a symlink of that name ("reinit-as-NAME"), and asserts the
same outcome for both: a case that fails on the real side tests a belief,
not the peer. Where reinit differs on purpose (README, migration) nothing is
tested here.
"""

import fcntl
import os
import re
import select
import shutil
import signal
import subprocess
import termios
import time

import pytest

import lib
from lib import DEADLINE, children, clean_env, helper, run, send, start, wait_until

# The Debian package that provides each name.
REAL = {"tini": "tini", "docker-init": "tini", "dumb-init": "dumb-init"}


def sides(*names):
    """Parametrize impl, name over both sides of each peer name."""
    cases = [(impl, n) for n in names for impl in ("real", "reinit")]
    ids = [f"real-{n}" if impl == "real" else f"reinit-as-{n}" for impl, n in cases]
    return pytest.mark.parametrize("impl,name", cases, ids=ids)


@pytest.fixture
def init(impl, name, tmp_path):
    """Path of the program under test: a symlink named name to the peer or to reinit."""
    if impl == "real":
        target = shutil.which(REAL[name])
        assert target, f"{REAL[name]} is not installed (Debian package {REAL[name]})"
    else:
        target = lib.REINIT.resolve()
    link = tmp_path / "bin" / name
    link.parent.mkdir(exist_ok=True)
    os.symlink(target, link)
    return str(link)


def stat_fields(pid):
    """The fields of /proc/PID/stat after the command name: [state, ppid, pgrp, session, ...]."""
    with open(f"/proc/{pid}/stat", "rb") as f:
        data = f.read()
    return data[data.rindex(b")") + 2:].split()


def pgrp_sid(pid):
    f = stat_fields(pid)
    return int(f[2]), int(f[3])


def pending(pid):
    """Signals pending on pid, for the thread and the process together."""
    return lib.status_mask(pid, "SigPnd") | lib.status_mask(pid, "ShdPnd")


def bits(*sigs):
    return sum(1 << (s - 1) for s in sigs)


LOW31 = (1 << 31) - 1

# ---- a terminal ------------------------------------------------------------------


class Pty:
    """A program started as the session leader of a new pty, the way a
    runtime starts `docker run -it`: the pty is its controlling terminal."""

    def __init__(self, argv, env=None, cwd=None):
        self.master, slave = os.openpty()
        # A known size, and no surprise from the host's terminal settings.
        fcntl.ioctl(slave, termios.TIOCSWINSZ, b"\x18\x00\x50\x00\x00\x00\x00\x00")

        def take_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.popen = subprocess.Popen(
            [str(a) for a in argv], stdin=slave, stdout=slave, stderr=slave,
            start_new_session=True, preexec_fn=take_terminal, env=env or clean_env(),
            cwd=cwd)
        os.close(slave)
        self.buf = b""
        self.pos = 0
        self.known = set()
        lib._live.append(self)

    @property
    def pid(self):
        return self.popen.pid

    def _fill(self, end):
        left = end - time.monotonic()
        if left <= 0:
            return False
        ready, _, _ = select.select([self.master], [], [], left)
        if not ready:
            return False
        try:
            data = os.read(self.master, 4096)
        except OSError:      # EIO: every process on the terminal is gone
            data = b""
        if not data:
            return False
        self.buf += data
        return True

    def expect(self, pattern, timeout=DEADLINE):
        """Read until pattern (a regex on bytes) matches after the last match;
        return the match and move past it."""
        rx = re.compile(pattern)
        end = time.monotonic() + timeout
        while True:
            m = rx.search(self.buf, self.pos)
            if m:
                self.pos = m.end()
                return m
            if not self._fill(end):
                raise AssertionError(f"no {pattern!r} on the terminal; it shows:\n"
                                     f"{self.buf.decode(errors='replace')}")

    def text(self):
        return self.buf.decode(errors="replace")

    def send(self, data):
        os.write(self.master, data)

    def wait(self, timeout=DEADLINE):
        """Exit status, reading the terminal meanwhile so nothing blocks on it."""
        end = time.monotonic() + timeout
        while self.popen.poll() is None:
            if not self._fill(min(end, time.monotonic() + 0.05)) and time.monotonic() >= end:
                raise AssertionError(f"still running after {timeout} s:\n{self.text()}")
        return self.popen.returncode

    def remember(self, pid):
        self.known.add(pid)

    def kill(self):
        table = lib.process_table()
        pids = {self.pid, *self.known}
        for pid in list(pids):
            if pid in table:
                pids.update(lib.descendants(pid, table))
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        try:
            self.popen.wait(DEADLINE)
        except subprocess.TimeoutExpired:
            pass
        os.close(self.master)


# ---- 1. dumb-init hands the terminal to the child --------------------------------


@sides("dumb-init")
def test_child_owns_the_terminal(init):
    t = Pty([init, helper("ttyown")])
    t.expect(rb"ready")
    out = t.text()
    assert "tty ok fg 1" in out, out
    # Pending signals are taken lowest number first: by the time SIGWINCH
    # is echoed, a forwarded SIGHUP or SIGCONT of the hand-off is too.
    os.kill(t.pid, signal.SIGWINCH)
    t.expect(rb"sig 28")
    got = re.findall(r"sig (\d+)", t.text())
    assert got == ["28"], t.text()
    assert t.wait() == 0, t.text()


PROMPT = "@@prompt@@ "


def shell(argv):
    """bash on a terminal, without the user's startup files, at its first prompt."""
    if not shutil.which("bash"):
        pytest.fail("bash is not installed")
    t = Pty([*argv], env=clean_env(PS1=PROMPT, INPUTRC="/dev/null", TERM="dumb"))
    t.expect(re.escape(PROMPT.encode()))
    return t


@sides("dumb-init")
def test_bash_gets_job_control(init):
    t = shell([init, "bash", "--norc", "--noprofile", "-i"])
    assert "job control" not in t.text() and "terminal process group" not in t.text(), t.text()
    t.send(b"exit\n")
    assert t.wait() == 0, t.text()


# ---- 2. job control in an interactive shell ------------------------------------


def sleep_of(t):
    """The sleep that the init started, below the shell."""
    def find():
        return [p for p in lib.descendants(t.pid) if lib.comm(p) == "sleep"]
    pid = wait_until(find, what="the sleep below the shell")[0]
    t.remember(pid)
    return pid


def state(pid):
    st = lib.proc_stat(pid)
    return st[1] if st else None


@sides("dumb-init")
@pytest.mark.parametrize("opts", [[], ["-c"]], ids=["setsid", "-c"])
def test_ctrl_z_and_fg(init, opts):
    t = shell(["bash", "--norc", "--noprofile", "-i"])
    prompt = re.escape(PROMPT.encode())
    t.send(" ".join([init, *opts, "sleep", "100"]).encode() + b"\n")
    sleeper = sleep_of(t)
    initpid = lib.proc_stat(sleeper)[0]
    t.send(b"\x1a")
    t.expect(rb"Stopped")
    t.expect(prompt)
    wait_until(lambda: state(sleeper) == "T" and state(initpid) == "T",
               what="the init and its child stopped")
    t.send(b"jobs\n")
    t.expect(rb"\[1\]\+\s+Stopped")
    t.expect(prompt)
    t.send(b"fg\n")
    wait_until(lambda: state(sleeper) == "S" and state(initpid) == "S",
               what="the init and its child running again")
    t.send(b"\x03")
    t.expect(prompt)
    t.send(b"echo rc=$?\n")
    t.expect(rb"rc=130")
    assert not lib.alive(sleeper) and not lib.alive(initpid)
    t.send(b"exit\n")
    assert t.wait() == 0, t.text()


# ---- 3. process groups and sessions ---------------------------------------------


def child_ids(p):
    i = p.wait_for_line(lambda s: s.startswith("pgid "))
    f = p.out[i].split()
    return {"pgid": int(f[1]), "sid": int(f[3]), "pid": int(f[5])}


@sides("dumb-init")
@pytest.mark.parametrize("opts,env", [(["-c"], {}), ([], {"DUMB_INIT_SETSID": "0"})],
                         ids=["-c", "DUMB_INIT_SETSID=0"])
def test_single_child_stays_in_the_init_group(init, opts, env):
    p = start([*opts, helper("sigecho"), "--pgrp"], binary=init, ns=False,
              env=clean_env(**env))
    ids = child_ids(p)
    assert (ids["pgid"], ids["sid"]) == pgrp_sid(p.pid), p.describe()


@sides("dumb-init")
def test_setsid_child_leads_a_session(init):
    p = start([helper("sigecho"), "--pgrp"], binary=init, ns=False)
    ids = child_ids(p)
    assert ids["sid"] == ids["pgid"] == ids["pid"] != pgrp_sid(p.pid)[1], p.describe()


# ---- 4. what the child inherits -------------------------------------------------


def inherit_int_ignored_usr1_blocked():
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})


@sides("dumb-init")
def test_dumb_init_cwd(init, tmp_path):
    p = start([helper("sigecho")], binary=init, ns=False, cwd=tmp_path)
    p.wait_for_line("ready")
    child = wait_until(lambda: children(p.pid), what="the child")[0]
    assert os.readlink(f"/proc/{p.pid}/cwd") == "/"
    assert os.readlink(f"/proc/{child}/cwd") == str(tmp_path)


def child_masks(init, pre=()):
    p = run([*pre, helper("sigecho"), "--mask"], binary=init, ns=False,
            preexec_fn=inherit_int_ignored_usr1_blocked)
    blk = int(p.out[p.wait_for_line(lambda s: s.startswith("mask "))].split()[1], 16)
    ign = int(p.out[p.wait_for_line(lambda s: s.startswith("ign "))].split()[1], 16)
    return blk, ign, p


@sides("dumb-init")
def test_dumb_init_child_signals_at_default(init):
    blk, ign, p = child_masks(init)
    assert blk & LOW31 == 0 and ign & LOW31 == 0, f"blk {blk:x} ign {ign:x}{p.describe()}"


@sides("tini")
def test_tini_child_gets_what_the_init_inherited(init):
    blk, ign, p = child_masks(init, ["--"])
    assert blk & LOW31 == bits(signal.SIGUSR1), f"blk {blk:x}{p.describe()}"
    assert ign & LOW31 == bits(signal.SIGINT), f"ign {ign:x}{p.describe()}"


# ---- 5. exit codes and messages ----------------------------------------------------


@pytest.fixture
def not_executable(tmp_path):
    path = tmp_path / "data"
    path.write_text("just data\n")
    path.chmod(0o644)
    return str(path)


@sides("dumb-init")
@pytest.mark.parametrize("what", ["missing", "not-executable"])
def test_dumb_init_exec_failure_exits_2(init, what, not_executable):
    cmd = "/nonexistent/command" if what == "missing" else not_executable
    p = run([cmd], binary=init, ns=False)
    assert p.returncode == 2, p.describe()


@sides("tini")
@pytest.mark.parametrize("what,code", [("missing", 127), ("not-executable", 126)])
def test_tini_exec_failure(init, what, code, not_executable):
    cmd = "/nonexistent/command" if what == "missing" else not_executable
    p = run(["--", cmd], binary=init, ns=False)
    assert p.returncode == code, p.describe()


@sides("tini", "dumb-init")
@pytest.mark.parametrize("args", [["--bogus-option", "true"], ["-Z", "true"], []],
                         ids=["long", "short", "no-command"])
def test_usage_error_exits_1(init, args):
    p = run(args, binary=init, ns=False)
    assert p.returncode == 1, p.describe()
    assert p.err, f"nothing on stderr{p.describe()}"


@sides("dumb-init")
@pytest.mark.parametrize("flag", ["-h", "-V"])
def test_dumb_init_info_on_stderr(init, flag):
    p = run([flag], binary=init, ns=False)
    assert p.returncode == 0 and p.err and not p.out, p.describe()


@sides("dumb-init")
def test_dumb_init_debug_variable(init):
    p = run([helper("exitcode"), "3"], binary=init, ns=False,
            env=clean_env(DUMB_INIT_DEBUG="1"))
    assert p.returncode == 3 and p.err, p.describe()


@sides("dumb-init")
def test_dumb_init_quiet_without_debug(init):
    """The counterpart of the two debug cases: silence is the default."""
    p = run([helper("exitcode"), "3"], binary=init, ns=False)
    assert p.returncode == 3 and not p.err, p.describe()


@sides("dumb-init")
def test_dumb_init_abbreviated_verbose(init):
    p = run(["--verb", helper("exitcode"), "3"], binary=init, ns=False)
    assert p.returncode == 3 and p.err, p.describe()


@sides("dumb-init")
def test_dumb_init_abbreviated_single_child(init):
    p = start(["--single", helper("sigecho"), "--pgrp"], binary=init, ns=False)
    ids = child_ids(p)
    assert ids["sid"] == pgrp_sid(p.pid)[1], p.describe()


@sides("dumb-init")
@pytest.mark.parametrize("rule,sig,want", [("15:0", signal.SIGTERM, None),
                                           ("10:12", signal.SIGUSR1, "12")])
def test_dumb_init_abbreviated_rewrite(init, rule, sig, want):
    p = start(["--rew", rule, helper("sigecho")], binary=init, ns=False)
    p.wait_for_line("ready")
    send(p, sig)
    if want is None:
        # Pending signals are taken lowest number first: SIGWINCH comes
        # after a SIGTERM that was not dropped.
        send(p, signal.SIGWINCH)
        want = "28"
    i = p.wait_for_line(want)
    assert p.out[1:i] == [], p.describe()


# ---- 6. tini's options ------------------------------------------------------------


@sides("tini")
@pytest.mark.parametrize("value", ["abc", "4"])
def test_tini_verbosity_values(init, value):
    p = run(["--", helper("exitcode"), "3"], binary=init, ns=False,
            env=clean_env(TINI_VERBOSITY=value))
    assert p.returncode == 3, p.describe()


@sides("tini")
def test_tini_empty_expect_status(init):
    p = run(["-e", "", "--", helper("exitcode"), "3"], binary=init, ns=False)
    assert p.returncode == 3, p.describe()


def docker_parses_init_version(text):
    """What Docker's daemon does with `docker-init --version` (parseInitVersion)."""
    parts = text.split(" - ")
    commit = ""
    if len(parts) >= 2:
        git = parts[1].strip().split(".")
        if len(git) == 2 and git[0] == "git":
            commit = git[1]
    head = parts[0].strip()
    version = head[len("tini version "):] if head.startswith("tini version ") else ""
    return version, commit


@sides("tini", "docker-init")
def test_version_parses_as_docker_does(init):
    p = run(["--version"], binary=init, ns=False)
    assert p.returncode == 0, p.describe()
    version, commit = docker_parses_init_version("\n".join(p.out))
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", version), p.describe()


@sides("tini")
def test_tini_license(init):
    p = run(["-l"], binary=init, ns=False)
    assert p.returncode == 0 and "MIT" in "\n".join(p.out), p.describe()


# ---- 7. tini: signals it keeps --------------------------------------------------

TTY_SIGNALS = (signal.SIGTTIN, signal.SIGTTOU)
FAULT_SIGNALS = (signal.SIGSEGV, signal.SIGBUS, signal.SIGFPE, signal.SIGILL)


# tini ignores SIGTTIN and SIGTTOU; as PID 1 the kernel also drops the
# fault signals that it leaves unblocked. Not PID 1 those kill tini: where
# reinit differs is pinned in test_personality.py.
@sides("tini")
@pytest.mark.parametrize("ns,sigs", [(True, TTY_SIGNALS + FAULT_SIGNALS),
                                     (False, TTY_SIGNALS)], ids=["pid1", "not-pid1"])
def test_tini_keeps_tty_and_fault_signals(init, ns, sigs):
    p = start(["--", helper("sigecho")], binary=init, ns=ns)
    p.wait_for_line("ready")
    for sig in sigs:
        send(p, sig)
    send(p, signal.SIGUSR1)
    p.wait_for_line("10")
    # SIGWINCH is numbered above all of them: the init takes the ones it
    # forwards, and the child reads them, before it.
    send(p, signal.SIGWINCH)
    i = p.wait_for_line("28")
    assert p.out[1:i + 1] == ["10", "28"], p.describe()


# ---- 8. a script without #! ---------------------------------------------------------


@sides("tini", "dumb-init")
def test_script_without_shebang_runs_with_sh(init, tmp_path):
    script = tmp_path / "script"
    script.write_text("echo from-sh; exit 7\n")
    script.chmod(0o755)
    p = run([str(script)], binary=init, ns=False)
    assert p.returncode == 7 and p.out == ["from-sh"], p.describe()


# ---- 9. not PID 1: what is left when the child exits ------------------------------


LEFTOVER_CASES = [(impl, name, opts)
                  for name, opts in (("tini", []), ("dumb-init", []), ("dumb-init", ["-c"]))
                  for impl in ("real", "reinit")]


@pytest.mark.parametrize("impl,name,opts", LEFTOVER_CASES, ids=[
    " ".join([f"real-{n}" if i == "real" else f"reinit-as-{n}", *o]).replace(" ", "-")
    for i, n, o in LEFTOVER_CASES])
def test_leftover_after_the_child_exits(init, name, opts):
    p = start([*opts, helper("leftover")], binary=init, ns=False)
    left = int(p.out[p.wait_for_line(lambda s: s.startswith("left "))].split()[1])
    p.remember(left)
    # The init exits while the leftover lives on: it does not wait for it.
    assert p.wait() == 0, p.describe()
    assert lib.alive(left), p.describe()
    # Sent before the init exited, so pending by now (it blocks everything).
    want = bits(signal.SIGTERM) if name == "dumb-init" and not opts else 0
    assert pending(left) & LOW31 == want, f"pending {pending(left):x}{p.describe()}"
