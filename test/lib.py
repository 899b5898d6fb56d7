"""Shared machinery of the integration tests: start reinit, read what it prints, wait with deadlines.

Every wait polls a condition against a deadline; nothing sleeps for a fixed
time. The deadline only matters when a test fails, so it is generous.
"""

import os
import signal
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
REINIT = Path(os.environ.get("REINIT_BINARY", BUILD / "reinit"))
HELPERS = Path(os.environ.get("REINIT_HELPERS", BUILD / "test" / "helpers"))

# How long a condition may take before the test fails. On a loaded 2-core
# machine everything here takes milliseconds; this is the failure bound.
DEADLINE = 10.0

# Variables of reinit and its personalities: the tests set them explicitly,
# so a developer's own environment must not leak in.
_OWN_ENV = ("REINIT_", "TINI_", "DUMB_INIT_")


def c_define(header, name):
    """The number a header of reinit's #defines as name (header: "init/ask.h")."""
    text = (ROOT / header).read_text()
    return int(text.split(f"#define {name} ", 1)[1].split()[0])


def helper(name):
    """Absolute path of a static helper program from test/helpers."""
    path = HELPERS / name
    assert path.exists(), f"{path} is missing: run make {path.relative_to(ROOT)}"
    return str(path)


def clean_env(**extra):
    """The test runner's environment without reinit's variables, plus extra."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(_OWN_ENV)}
    env.update({k: str(v) for k, v in extra.items()})
    return env


def wait_until(cond, timeout=DEADLINE, what=None):
    """Poll cond() until it returns something true, and return that."""
    end = time.monotonic() + timeout
    pause = 0.001
    while True:
        value = cond()
        if value:
            return value
        if time.monotonic() >= end:
            raise AssertionError(f"timed out after {timeout} s waiting for {what or cond}")
        time.sleep(pause)
        pause = min(pause * 2, 0.05)


# ---- the host's process table -------------------------------------------------


def proc_stat(pid):
    """(ppid, state, starttime) of a host pid, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = data[data.rindex(b")") + 2:].split()
    return int(fields[1]), fields[0].decode(), int(fields[19])


def session_of(pid):
    """The session id of a host pid (as the host counts), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            data = f.read()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return int(data[data.rindex(b")") + 2:].split()[3])


def process_table():
    """{pid: (ppid, state)} for every process on the host."""
    table = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            st = proc_stat(int(name))
            if st is not None:
                table[int(name)] = st[:2]
    return table


def children(pid, table=None):
    table = process_table() if table is None else table
    return sorted(p for p, (ppid, _) in table.items() if ppid == pid)


def descendants(pid, table=None):
    """Every host pid below pid, zombies included."""
    table = process_table() if table is None else table
    kids = {}
    for p, (ppid, _) in table.items():
        kids.setdefault(ppid, []).append(p)
    found, todo = [], [pid]
    while todo:
        for k in kids.get(todo.pop(), []):
            found.append(k)
            todo.append(k)
    return sorted(found)


def alive(pid):
    """Running, sleeping or stopped: not gone and not a zombie."""
    st = proc_stat(pid)
    return st is not None and st[1] not in "ZX"


def status_mask(pid, field):
    """A signal mask from /proc/PID/status (SigBlk, SigCgt, SigIgn...) as an int."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1], 16)
    raise AssertionError(f"no {field} in /proc/{pid}/status")


# rt_sigtimedwait's number: while a process waits in it, the signals it waits
# for are not in SigBlk, yet none is lost.
SIGTIMEDWAIT = {"x86_64": "128", "aarch64": "137"}
# ppoll's: a watching reinit waits in it, for signals (a signalfd) and for
# the mount table to change.
PPOLL = {"x86_64": "271", "aarch64": "73"}


def sleeps_idle(pid):
    """pid blocks in rt_sigtimedwait or ppoll with no timeout (the third
    argument of both): nothing is due, and it makes no system call."""
    m = os.uname().machine
    fields = in_syscall(pid, [SIGTIMEDWAIT.get(m), PPOLL.get(m)])
    return fields is not None and int(fields[3], 16) == 0


def in_syscall(pid, numbers):
    """The fields of /proc/PID/syscall when pid is blocked in one of numbers."""
    try:
        with open(f"/proc/{pid}/syscall") as f:
            fields = f.read().split()
    except (FileNotFoundError, PermissionError):
        return None
    return fields if fields and fields[0] in numbers else None


def handles(pid, sig):
    """pid has blocked or caught sig, or waits for signals in sigtimedwait:
    the signal will not be lost or kill it."""
    try:
        bit = 1 << (sig - 1)
        if (status_mask(pid, "SigBlk") | status_mask(pid, "SigCgt")) & bit:
            return True
    except FileNotFoundError:
        return False
    return in_syscall(pid, [SIGTIMEDWAIT.get(os.uname().machine)]) is not None


def comm(pid):
    """The command name of pid, or None once it is gone."""
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip()
    except FileNotFoundError:
        return None


def runs_reinit(pid):
    """pid has exec'd the reinit binary (under any name)."""
    try:
        return os.path.samestat(os.stat(f"/proc/{pid}/exe"), os.stat(REINIT))
    except FileNotFoundError:
        return False


# ---- processes under test ------------------------------------------------------

_live = []


class Proc:
    """A process started by a test, its stdout and stderr read into lists of lines."""

    def __init__(self, argv, *, ns=False, env=None, stdin=subprocess.DEVNULL, **popen):
        self.argv = [str(a) for a in argv]
        self.ns = ns
        self.out, self.err = [], []
        self._cond = threading.Condition()
        self._open = 2
        self._known = {}
        if env is None:
            env = clean_env()
        self.popen = subprocess.Popen(
            self.argv, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env, **popen)
        _live.append(self)
        for stream, lines in ((self.popen.stdout, self.out), (self.popen.stderr, self.err)):
            threading.Thread(target=self._read, args=(stream, lines), daemon=True).start()

    def _read(self, stream, lines):
        for raw in iter(stream.readline, b""):
            with self._cond:
                lines.append(raw.decode(errors="replace").rstrip("\n"))
                self._cond.notify_all()
        stream.close()
        with self._cond:
            self._open -= 1
            self._cond.notify_all()

    @property
    def pid(self):
        return self.popen.pid

    def describe(self):
        with self._cond:
            return (f"\n  argv: {self.argv}\n  exit: {self.popen.returncode}"
                    f"\n  stdout: {self.out}\n  stderr: {self.err}")

    def wait_for_line(self, predicate, timeout=DEADLINE, stream="out", start=0):
        """Index of the first line from start on that equals predicate
        (a string) or satisfies it (a function)."""
        lines = self.out if stream == "out" else self.err
        match = predicate if callable(predicate) else (lambda s: s == predicate)
        end = time.monotonic() + timeout
        with self._cond:
            i = start
            while True:
                while i < len(lines):
                    if match(lines[i]):
                        return i
                    i += 1
                left = end - time.monotonic()
                if left <= 0 or (self._open == 0 and i == len(lines)):
                    break
                self._cond.wait(left)
        raise AssertionError(f"no line matching {predicate!r} on {stream}{self.describe()}")

    def wait(self, timeout=DEADLINE):
        """Exit status, once the process and its output are finished."""
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"still running after {timeout} s{self.describe()}") from None
        # Output may be held open by leftovers; give it the same bound.
        end = time.monotonic() + timeout
        with self._cond:
            while self._open and time.monotonic() < end:
                self._cond.wait(end - time.monotonic())
        return self.popen.returncode

    @property
    def returncode(self):
        return self.popen.returncode

    def init_pid(self):
        """Host pid of reinit: the child of unshare in a namespace, else the process itself."""
        if not self.ns:
            return self.pid

        def found():
            kids = children(self.pid)
            return kids[0] if kids else None
        pid = wait_until(found, what=f"the child of unshare {self.pid}")
        self.remember(pid)
        return pid

    def tree(self):
        """Host pids below reinit, remembered so clean-up can find them."""
        pids = descendants(self.init_pid())
        for p in pids:
            self.remember(p)
        return pids

    def remember(self, pid):
        st = proc_stat(pid)
        if st is not None:
            self._known[pid] = st[2]

    def kill(self):
        """SIGKILL everything this test started that is still there."""
        table = process_table()
        for pid in {self.pid, *self._known}:
            if pid in table:
                for p in [pid, *descendants(pid, table)]:
                    self.remember(p)
        for pid, start in self._known.items():
            st = proc_stat(pid)
            if st is not None and st[2] == start:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        try:
            self.popen.wait(DEADLINE)
        except subprocess.TimeoutExpired:
            pass


def wait_for_line(proc, predicate, deadline=DEADLINE, stream="out", start=0):
    return proc.wait_for_line(predicate, deadline, stream, start)


def cleanup():
    while _live:
        _live.pop().kill()


def reinit_argv(args, *, ns=True, binary=None, kill_child=True):
    binary = str(binary or REINIT)
    if not ns:
        return [binary, *args]
    pre = ["unshare", "--pid", "--fork", "--mount-proc"]
    if kill_child:
        pre.append("--kill-child")
    return [*pre, "--", binary, *args]


def start(args, *, ns=True, binary=None, env=None, kill_child=True, **popen):
    """Start reinit with args: as PID 1 of a new PID namespace (ns=True), or directly."""
    assert binary or REINIT.exists(), f"{REINIT} is missing: run make"
    return Proc(reinit_argv(args, ns=ns, binary=binary, kill_child=kill_child),
                ns=ns, env=env, **popen)


def run(args, timeout=DEADLINE, **kw):
    """Start reinit and wait for it to exit; the Proc carries returncode, out and err."""
    p = start(args, **kw)
    p.wait(timeout)
    return p


def send(proc, sig):
    """Send sig to reinit (PID 1 of its namespace) from the host."""
    os.kill(proc.init_pid(), sig)


def sigecho_main(proc):
    """Host pid of the sigecho that reinit started (its direct child)."""
    init = proc.init_pid()
    kids = wait_until(lambda: children(init), what="reinit's child")
    proc.remember(kids[0])
    return kids[0]
