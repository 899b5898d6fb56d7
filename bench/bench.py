#!/usr/bin/python3
"""bench.py: reinit side by side with the other inits and live-reload tools.

    /usr/bin/python3 bench/bench.py [--quick] [--only LIST] [--out docs/bench.md]

PID 1 figures (each init as PID 1 of its own PID namespace, started with
`unshare --pid --fork --mount-proc INIT -- cmd`) against tini, dumb-init and
catatonit; live-reload figures against `entr -r`, nodemon and an inotifywait
shell loop; live-update syncs (Tilt's exec sequences, exec'd into the
namespace with nsenter) with reinit's built-in tar and `reinit -w`, against
GNU tar with `reinit -w` and busybox tar with `entr -r`. `--only sync` (or
pid1, watch, tree, comma-separated) runs some sections alone. Every figure
is run interleaved (A, B, C, reinit, A, B, ... per round) and reported as
the median with the min-max, with reinit's ratio to the best peer of the
same run. The peers are installed when missing (apt-get,
npm); one that cannot be installed is marked n/a and the run goes on.

Times are taken on CLOCK_MONOTONIC by small static C helpers (bench/*.c,
built here into build/bench/) where the figure is below a millisecond or
must not include a launcher's delay. Python only waits on conditions, with
deadlines; the fixed waits are observation windows (5 s of idleness) and
quiet periods for counting restarts, never measurements.

Prints a Markdown table and writes it, with the date, the machine and a note
on method per figure, to docs/bench.md. Raw numbers go to build/bench/results.json.
"""

import argparse
import datetime
import json
import os
import re
import select
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
OUT = BUILD / "bench"
REINIT = BUILD / "reinit"
# REINIT_BENCH_BASE=PATH adds another reinit build ("reinit@base") to every
# table, so a change is measured against what it replaces in the same run.
BASE = os.environ.get("REINIT_BENCH_BASE")
SIGECHO = BUILD / "test" / "helpers" / "sigecho"
C_HELPERS = ("stamp", "execstamp", "sigrecv", "sigsend", "spawntime", "burst", "reapwait",
             "floor", "feed")
UNSHARE = ["unshare", "--pid", "--fork", "--mount-proc"]
# The x86-64 budget less the headroom kept free, as the Makefile says.
_MK = {ln.split(":=")[0].strip(): ln.split(":=")[1].strip()
       for ln in (ROOT / "Makefile").read_text().splitlines() if ":=" in ln}
SIZE_BUDGET = int(_MK["SIZE_BUDGET_x86_64"]) - int(_MK["SIZE_HEADROOM"])
ORPHANS = 10000
TREE_DIRS = 5000
TREE_FILES = 50000
SYNC_FILES = 50          # the streamed update: 50 files of 20 kB at 1 MB/s
SYNC_FILE_BYTES = 20000
SYNC_RATE = 1000000      # bytes/s
SYNC_GAP_S = 0.03        # between Tilt's rm and its tar: the least exec gap measured
SECTIONS = ("pid1", "watch", "tree", "sync")
# reinit watching one directory and reloading on another, traced in figure
# 6's window beside the plain inits: an idle watcher must make no calls either.
WATCH_RELOAD = "reinit -w --reload"

# How many of each, per mode: (full, quick).
REPS = {
    "pss_rounds": (9, 1),  # Pss moves by a page (4 kB) between runs of one binary
    "startup_rounds": (300, 60),
    "reap_rounds": (15, 2),
    "sig_rounds": (20, 4),
    "sig_per_round": (100, 10),
    "lat_writes": (30, 8),
    "restart_trials": (3, 1),
    "quiet_s": (3.0, 2.0),
    "tree_rounds": (5, 2),
    "sync_rounds": (7, 2),
    "sync_quiet_s": (1.0, 0.5),
}

T_START = time.monotonic()
LOG = None          # file object: every tool's stderr, for diagnosis
STARTED = []        # Popen objects to clean up on the way out
NOTES = []          # lines for the "what was not measured" list


def say(*a):
    """Progress on stderr, with the time since the start."""
    print(f"[{time.monotonic() - T_START:6.1f}s]", *a, file=sys.stderr, flush=True)


def now_ns():
    return time.monotonic_ns()  # CLOCK_MONOTONIC, the helpers' clock


class Timeout(Exception):
    pass


def wait_for(cond, timeout, what):
    """Polls cond() until it returns something true; returns that."""
    end = time.monotonic() + timeout
    while True:
        v = cond()
        if v:
            return v
        if time.monotonic() >= end:
            raise Timeout(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.001)


def _cpu_ticks():
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:9]]
    return sum(v) - v[3] - v[4], sum(v)


def settle(window=0.1, busy=0.1, cap=3.0):
    """Waits until the machine has been at most `busy` busy for a window
    (from /proc/stat), so one tool's after-work (a restart, freeing a big
    process) does not land in the next one's measurement. Pacing, not a
    measurement; gives up after cap seconds."""
    end = time.monotonic() + cap
    b0, t0 = _cpu_ticks()
    while time.monotonic() < end:
        time.sleep(window)
        b1, t1 = _cpu_ticks()
        if t1 > t0 and (b1 - b0) / (t1 - t0) <= busy:
            return True
        b0, t0 = b1, t1
    return False


def clean_env():
    """This environment without any init's own variables."""
    return {k: v for k, v in os.environ.items()
            if not k.startswith(("REINIT_", "TINI_", "DUMB_INIT_", "NODEMON"))}


def run(cmd, timeout=600, **kw):
    kw.setdefault("stdout", subprocess.PIPE)
    kw.setdefault("stderr", subprocess.STDOUT)
    try:
        return subprocess.run([str(c) for c in cmd], timeout=timeout, text=True, **kw)
    except (OSError, subprocess.TimeoutExpired) as e:
        return subprocess.CompletedProcess(cmd, 127, str(e), "")


def start(cmd, **kw):
    """Starts a process that cleanup() will kill with all its descendants."""
    kw.setdefault("stdin", subprocess.DEVNULL)
    kw.setdefault("stdout", subprocess.DEVNULL)
    kw.setdefault("stderr", LOG)
    kw.setdefault("env", clean_env())
    p = subprocess.Popen([str(c) for c in cmd], start_new_session=True, **kw)
    STARTED.append(p)
    return p


# ---- the process table ----------------------------------------------------


def children(pid):
    out = []
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def descendants(pid):
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        for c in children(p):
            out.append(c)
            todo.append(c)
    return out


def exe(pid):
    try:
        return os.path.basename(os.readlink(f"/proc/{pid}/exe"))
    except OSError:
        return ""


def state(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return ""


def pss_kb(pid):
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def inotify_watches(pid):
    n = 0
    try:
        fds = os.listdir(f"/proc/{pid}/fdinfo")
    except OSError:
        return 0
    for fd in fds:
        try:
            with open(f"/proc/{pid}/fdinfo/{fd}") as f:
                n += sum(1 for line in f if line.startswith("inotify wd:"))
        except OSError:
            pass
    return n


def kill_tree(p):
    """SIGKILL to a process we started and to everything below it."""
    if p.poll() is None:
        for pid in [p.pid] + descendants(p.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
    try:
        p.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass
    for f in (p.stdin, p.stdout, p.stderr):
        if f:
            f.close()
    if p in STARTED:
        STARTED.remove(p)


def cleanup():
    for p in list(STARTED):
        kill_tree(p)


class Lines:
    """Lines from a pipe, with a deadline, and the clock when each came."""

    def __init__(self, f):
        self.fd = f.fileno()
        self.buf = b""

    def readline(self, timeout):
        end = time.monotonic() + timeout
        while b"\n" not in self.buf:
            left = end - time.monotonic()
            r = select.select([self.fd], [], [], max(left, 0))[0] if left > 0 else []
            if not r:
                raise Timeout(f"no line within {timeout} s")
            data = os.read(self.fd, 65536)
            if not data:
                raise Timeout("end of output")
            self.buf += data
        line, _, self.buf = self.buf.partition(b"\n")
        return line.decode(errors="replace"), now_ns()

    def wait_line(self, pattern, timeout):
        """Reads lines until one matches; returns (line, time it came)."""
        end = time.monotonic() + timeout
        while True:
            line, t = self.readline(max(end - time.monotonic(), 0.001))
            if re.search(pattern, line):
                return line, t


# ---- statistics and formatting --------------------------------------------


def med(v):
    return statistics.median(v) if v else None


def fmt_num(x, digits):
    if x is None:
        return "n/a"
    if round(x, digits) == 0:
        x = 0.0  # no "−0.0"
    t = f"{x:,.{digits}f}"
    return "\u2212" + t[1:] if t.startswith("-") else t


def fmt(v, digits=0):
    """median (min-max) of a list, or n/a."""
    v = [x for x in (v or []) if x is not None]
    if not v:
        return "n/a"
    m = fmt_num(med(v), digits)
    if min(v) == max(v):
        return m
    return f"{m} ({fmt_num(min(v), digits)}–{fmt_num(max(v), digits)})"


# ---- set-up: build, peers, machine -----------------------------------------


def build_helpers():
    r = run(["make", "-s", "-C", ROOT, "build/reinit", "build/test/helpers/sigecho"])
    if r.returncode != 0 or not REINIT.exists():
        sys.exit(f"bench: cannot build build/reinit:\n{r.stdout}")
    if not shutil.which("musl-gcc"):
        apt_install(["musl-tools"])
    OUT.mkdir(parents=True, exist_ok=True)
    for name in C_HELPERS:
        src, dst = ROOT / "bench" / f"{name}.c", OUT / name
        if dst.exists() and dst.stat().st_mtime >= src.stat().st_mtime:
            continue
        r = run(["musl-gcc", "-std=c11", "-D_GNU_SOURCE", "-Os", "-Wall", "-Wextra",
                 "-Werror", "-static", "-no-pie", src, "-o", dst])
        if r.returncode != 0:
            sys.exit(f"bench: cannot build {dst}:\n{r.stdout}")


_apt_updated = False


def apt_install(pkgs):
    """apt-get install; an update first only if the install fails."""
    global _apt_updated
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    cmd = ["apt-get", "install", "-y", "--no-install-recommends"] + list(pkgs)
    say("installing", " ".join(pkgs))
    r = run(cmd, env=env)
    if r.returncode != 0 and not _apt_updated:
        _apt_updated = True
        run(["apt-get", "update"], env=env)
        r = run(cmd, env=env)
    return r.returncode == 0


# name -> (path, Debian package)
APT_TOOLS = {
    "tini": ("/usr/bin/tini-static", "tini"),
    "dumb-init": ("/usr/bin/dumb-init", "dumb-init"),
    "catatonit": ("/usr/bin/catatonit", "catatonit"),
    "entr": ("/usr/bin/entr", "entr"),
    "inotifywait": ("/usr/bin/inotifywait", "inotify-tools"),
    "strace": ("/usr/bin/strace", "strace"),
    "busybox": ("/bin/busybox", "busybox"),
}


def ensure_tools(nodemon=True):
    """Paths of the peers; a missing one that will not install is None."""
    have = {}
    missing = [n for n, (p, _) in APT_TOOLS.items() if not os.access(p, os.X_OK)]
    if missing and not apt_install(sorted({APT_TOOLS[n][1] for n in missing})):
        for n in missing:  # one by one, so one failure does not sink the rest
            apt_install([APT_TOOLS[n][1]])
    for n, (p, pkg) in APT_TOOLS.items():
        if os.access(p, os.X_OK):
            have[n] = p
        else:
            have[n] = None
            NOTES.append(f"{n}: not installed (apt-get install {pkg} failed): n/a")
    have["nodemon"] = ensure_nodemon() if nodemon else None
    return have


def ensure_nodemon():
    local = OUT / "npm" / "node_modules" / ".bin" / "nodemon"
    if local.exists():
        return str(local)
    if shutil.which("nodemon"):
        return shutil.which("nodemon")
    if not shutil.which("npm") and not apt_install(["nodejs", "npm"]):
        NOTES.append("nodemon: npm is missing and would not install: n/a")
        return None
    say("installing nodemon with npm")
    r = run(["npm", "install", "--no-audit", "--no-fund", "--prefix", OUT / "npm", "nodemon"])
    if r.returncode != 0 or not local.exists():
        NOTES.append("nodemon: npm install nodemon failed: n/a")
        return None
    return str(local)


def machine():
    model = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "model": model, "kernel": os.uname().release}


def versions(tools):
    def deb(pkg):
        r = run(["dpkg-query", "-W", "-f", "${Version}", pkg])
        return r.stdout.strip() if r.returncode == 0 else "?"

    v = {n: deb(APT_TOOLS[n][1]) for n in ("tini", "dumb-init", "catatonit", "entr", "inotifywait",
                                           "busybox") if tools.get(n)}
    v["GNU tar"] = deb("tar")
    if tools.get("nodemon"):
        v["nodemon"] = run([tools["nodemon"], "--version"]).stdout.strip()
    rv = run([REINIT, "--version"]).stdout.strip().split()[-1]
    head = run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run(["git", "-C", ROOT, "status", "--porcelain", "--", "init", "proc", "signals",
                 "watch", "Makefile"]).stdout.strip()
    v["reinit"] = f"{rv} ({head}{'+changes' if dirty else ''})"
    return v


def elf_interp(path):
    """The program interpreter an ELF file asks for, or None when static."""
    with open(path, "rb") as f:
        h = f.read(64)
        if h[:4] != b"\x7fELF" or h[4] != 2:
            return "?"
        phoff, = struct.unpack_from("<Q", h, 32)
        phentsize, phnum = struct.unpack_from("<HH", h, 54)
        for i in range(phnum):
            f.seek(phoff + i * phentsize)
            p_type, _, p_offset, _, _, p_filesz = struct.unpack("<IIQQQQ", f.read(40))
            if p_type == 3:
                f.seek(p_offset)
                return f.read(p_filesz).rstrip(b"\0").decode()
    return None


# ---- PID 1 figures ----------------------------------------------------------


def init_cmds(tools):
    """name -> argv prefix that runs the init, ending in "--"."""
    out = {}
    for n in ("tini", "dumb-init", "catatonit"):
        if tools.get(n):
            out[n] = [tools[n], "--"]
    out["reinit"] = [str(REINIT), "--"]
    if BASE:
        out["reinit@base"] = [BASE, "--"]
    return out


def start_ns(init, child, pin=False, **kw):
    """init as PID 1 of a new PID namespace; returns (Popen, init's host pid)."""
    cmd = UNSHARE + init + child
    if pin:
        cmd = ["taskset", "-c", "0"] + cmd
    p = start(cmd, **kw)
    pid = wait_for(lambda: (children(p.pid) or [None])[0], 10, "the init to start")
    return p, pid


def fig_size(inits):
    res = {}
    for n, argv in inits.items():
        path = argv[0]
        interp = elf_interp(path)
        res[n] = {"bytes": os.stat(path).st_size, "interp": interp}
    return res


def fig_idle(inits, rounds, window):
    """Idle Pss of each init while its child waits (rounds times), then the system
    calls of all of them, traced at once, during one window of idleness."""
    pss = {n: [] for n in inits}
    calls = {}
    for r in range(rounds):
        live = {}
        for n, argv in inits.items():
            p, pid = start_ns(argv, [str(SIGECHO)], stdout=subprocess.PIPE)
            Lines(p.stdout).wait_line("^ready$", 10)
            pss[n].append(pss_kb(pid))
            live[n] = (p, pid)
        if r == rounds - 1:
            try:
                p, pid = start_ns(watch_reload_cmd(), [str(SIGECHO)], stdout=subprocess.PIPE)
                live[WATCH_RELOAD] = (p, pid)
                Lines(p.stdout).wait_line("^ready$", 10)
            except Timeout as e:
                NOTES.append(f"idle system calls, {WATCH_RELOAD}: {e}")
                if WATCH_RELOAD in live:
                    kill_tree(live.pop(WATCH_RELOAD)[0])
            calls = trace_idle({n: [pid] for n, (_, pid) in live.items()}, window)
        for p, _ in live.values():
            kill_tree(p)
    return pss, calls


def watch_reload_cmd():
    """reinit -w on a plain directory and --reload on one laid out as the
    kubelet lays out a ConfigMap volume: ..DATE, the ..data link, a key link."""
    w, cm = OUT / "idle-w", OUT / "idle-reload"
    for d in (w, cm / "..2026_01_01_00_00_00.1"):
        d.mkdir(parents=True, exist_ok=True)
    (w / "a.js").write_text("x\n")
    (cm / "..2026_01_01_00_00_00.1" / "app.conf").write_text("x = 1\n")
    for link, target in (("..data", "..2026_01_01_00_00_00.1"), ("app.conf", "..data/app.conf")):
        if not (cm / link).is_symlink():
            (cm / link).symlink_to(target)
    return [str(REINIT), "-w", str(w), "--reload", str(cm), "--"]


def trace_idle(targets, window):
    """strace -f on each group of pids, all at once, for window seconds.

    Counts the system calls that completed inside the window: the one each
    process was blocked in when strace attached is still unfinished when it
    detaches, and is not counted. Returns name -> (count, {syscall: n})."""
    if not shutil.which("strace"):
        return {n: (None, {}) for n in targets}
    tr = {}
    for n, pids in targets.items():
        path = OUT / f"strace-{re.sub(r'[^a-z0-9]+', '_', n)}.txt"
        cmd = ["strace", "-f", "-qq", "-o", str(path)]
        for pid in pids:
            cmd += ["-p", str(pid)]
        tr[n] = (start(cmd, stderr=subprocess.DEVNULL), pids, path)

    def attached():
        for _, pids, _ in tr.values():
            for pid in pids:
                for t in os.listdir(f"/proc/{pid}/task"):
                    with open(f"/proc/{pid}/task/{t}/status") as f:
                        if "TracerPid:\t0\n" in f.read():
                            return False
        return True

    wait_for(attached, 10, "strace to attach")
    time.sleep(window)  # the observation window itself, not a measurement
    for p, _, _ in tr.values():
        p.send_signal(signal.SIGINT)
    out = {}
    for n, (p, _, path) in tr.items():
        p.wait(timeout=10)
        STARTED.remove(p)
        hist = {}
        with open(path) as f:
            for line in f:
                if "<unfinished" in line or "<detached" in line or line.startswith(("+++", "---")):
                    continue
                if not re.search(r"= (-?\d+|\?|0x[0-9a-f]+)", line):
                    continue
                m = re.match(r"\d+\s+(?:<\.\.\. )?(\w+)", line)
                name = m.group(1) if m else "?"
                hist[name] = hist.get(name, 0) + 1
        out[n] = (sum(hist.values()), hist)
    return out


def fig_startup(inits, rounds):
    """spawntime runs the baseline and each init in turn, rounds times."""
    runs = dict(inits, floor=[str(OUT / "floor"), "--"])
    names = ["/bin/true"] + list(runs)
    unshare = shutil.which("unshare")
    cmd = [OUT / "spawntime", rounds, unshare] + UNSHARE[1:] + ["/bin/true"]
    for n in runs:
        cmd += ["::", unshare] + UNSHARE[1:] + runs[n] + ["/bin/true"]
    settle()
    r = run(cmd, timeout=600, stderr=LOG)
    if r.returncode != 0:
        raise RuntimeError(f"spawntime failed: {r.stdout[-500:]}")
    times = {n: [] for n in names}
    rows = [line.split() for line in r.stdout.splitlines()]
    for i, ns in rows:
        times[names[int(i)]].append(int(ns) / 1e6)
    base = times["/bin/true"]
    over = {n: [t - b for t, b in zip(times[n], base)] for n in runs}
    return {"base_ms": base, "total_ms": {n: times[n] for n in runs}, "over_ms": over}


def fig_reap(inits, rounds):
    """Reaping a backlog of ORPHANS zombies: see the method note."""
    rates = {n: [] for n in inits}
    for _ in range(rounds):
        for n, argv in inits.items():
            try:
                rates[n].append(ORPHANS / reap_once(argv))
            except (Timeout, RuntimeError) as e:
                NOTES.append(f"orphans/s, {n}: one trial failed: {e}")
    return rates


def reap_once(argv):
    p, pid = start_ns(argv, [str(OUT / "burst"), str(ORPHANS)],
                      stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    try:
        out = Lines(p.stdout)
        out.wait_line("^ready$", 60)
        # Stopped, the init cannot reap: every orphan stays a zombie.
        os.kill(pid, signal.SIGSTOP)
        wait_for(lambda: state(pid) == "T", 10, "the init to stop")
        p.stdin.write(b"go\n")
        p.stdin.flush()
        out.wait_line("^exited$", 60)
        settle()
        r = run([OUT / "reapwait", pid, ORPHANS], timeout=120, stderr=subprocess.PIPE)
        if r.returncode != 0:
            raise RuntimeError(f"reapwait: {r.stderr.strip()}")
        return int(r.stdout) / 1e9
    finally:
        kill_tree(p)


def fig_signal(inits, rounds, per_round):
    """Everything on CPU 0; sigsend times kill() -> sigrecv's receipt."""
    lat = {n: [] for n in inits}
    live = {}
    try:
        for n, argv in inits.items():
            p, pid = start_ns(argv, [str(OUT / "sigrecv")], pin=True, stdout=subprocess.PIPE)
            line = os.read(p.stdout.fileno(), 6)  # exactly "ready\n": sigsend reads the rest
            if line != b"ready\n":
                raise RuntimeError(f"{n}: sigrecv said {line!r}")
            live[n] = (p, pid)
        for r in range(rounds + 1):
            for n, (p, pid) in live.items():
                settle()
                cnt = 5 if r == 0 else per_round  # round 0 warms up, uncounted
                res = run(["taskset", "-c", "0", OUT / "sigsend", pid, cnt], stdin=p.stdout,
                          stderr=subprocess.PIPE, timeout=60)
                if res.returncode != 0:
                    raise RuntimeError(f"{n}: sigsend: {res.stderr.strip()}")
                if r:
                    lat[n] += [int(x) / 1000 for x in res.stdout.split()]
    finally:
        for p, _ in live.values():
            kill_tree(p)
    return lat


# ---- watch figures ----------------------------------------------------------


LOOP = ('"$2" "$3" & pid=$!\n'
        'while inotifywait -qq -r -e close_write,create,delete,move "$1"; do\n'
        '\tkill $pid; "$2" "$3" & pid=$!\n'
        'done\n')


def watchers(tools):
    """name -> function(dir, stampfile, listfile) -> (argv, stdin file or None)."""
    stamp = str(OUT / "stamp")
    w = {}
    if tools.get("entr"):
        # -n: entr refuses to run without a terminal otherwise.
        w["entr -r"] = lambda d, sf, lf: (["entr", "-n", "-r", stamp, sf], lf)
    if tools.get("nodemon"):
        w["nodemon"] = lambda d, sf, lf: ([tools["nodemon"], "--watch", d, "--exec",
                                          f"{stamp} {sf}"], None)
    if tools.get("inotifywait"):
        w["inotifywait loop"] = lambda d, sf, lf: (["sh", "-c", LOOP, "loop", d, stamp, sf], None)
    w["reinit -w"] = lambda d, sf, lf: ([str(REINIT), "-w", d, "--", stamp, sf], None)
    if BASE:
        w["reinit@base -w"] = lambda d, sf, lf: ([BASE, "-w", d, "--", stamp, sf], None)
    return w


def slug(name):
    return re.sub(r"[^a-z0-9]+", "_", name).strip("_")


def read_stamps(path, kind="start"):
    try:
        with open(path) as f:
            return [int(line.split()[1]) for line in f if line.startswith(kind + " ")]
    except OSError:
        return []


def write_file(path, data=b"x\n"):
    fd = os.open(path, os.O_WRONLY | os.O_TRUNC | os.O_CREAT, 0o644)
    os.write(fd, data)
    os.close(fd)


class Watcher:
    """One live-reload tool watching its own small directory."""

    def __init__(self, name, make):
        self.name = name
        base = OUT / "w"
        self.dir = base / slug(name)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir.mkdir(parents=True)
        self.files = [self.dir / "a.js"] + [self.dir / f"f{i}.js" for i in range(10)]
        for f in self.files:
            write_file(f)
        self.stampfile = base / f"{slug(name)}.stamp"
        self.stampfile.unlink(missing_ok=True)
        listfile = base / f"{slug(name)}.list"
        listfile.write_text("".join(f"{p}\n" for p in [self.dir] + self.files))
        argv, stdin_path = make(str(self.dir), str(self.stampfile), str(listfile))
        stdin = open(stdin_path) if stdin_path else subprocess.DEVNULL
        self.p = start(argv, stdin=stdin, cwd=base)
        if stdin_path:
            stdin.close()
        wait_for(lambda: self.starts(), 30, f"{name} to start its child")
        self.armed_watches = self.settle_watches()

    def starts(self):
        return read_stamps(self.stampfile)

    def watches(self):
        pids = [self.p.pid] + descendants(self.p.pid)
        return sum(inotify_watches(p) for p in pids if exe(p) != "stamp")

    def settle_watches(self):
        """The watch count once it has stayed the same for half a second."""
        last, since = -1, time.monotonic()
        end = since + 20
        while time.monotonic() < end:
            w = self.watches()
            if w != last:
                last, since = w, time.monotonic()
            elif w > 0 and time.monotonic() - since >= 0.5:
                return w
            time.sleep(0.005)
        raise Timeout(f"{self.name}: watches never settled")

    def wait_armed(self):
        wait_for(lambda: self.watches() >= self.armed_watches, 10, f"{self.name} to watch again")

    def wait_quiet(self, quiet, after_ns, cap=15):
        """Waits until no child has started for `quiet` seconds since after_ns
        or since the last start; returns the starts so far."""
        end = time.monotonic() + cap
        while True:
            s = self.starts()
            last = max([after_ns] + s)
            if now_ns() - last >= quiet * 1e9 or time.monotonic() > end:
                return s
            time.sleep(0.005)


def fig_latency(ws, writes):
    lat = {n: [] for n in ws}
    missed = {n: 0 for n in ws}
    for _ in range(writes):
        for n, w in ws.items():
            try:
                w.wait_armed()
                settle()
                n0 = len(w.starts())
                t0 = now_ns()
                write_file(w.files[0])
                s = wait_for(lambda: (lambda s: s if len(s) > n0 else None)(w.starts()), 10,
                             f"{n} to restart")
                lat[n].append((s[n0] - t0) / 1e6)
                # Lets a second restart for the same write land here, not
                # in the next measurement: pacing, not a measurement.
                w.wait_quiet(0.25, s[-1])
            except Timeout:
                missed[n] += 1
    return lat, missed


def fig_restarts(ws, trials, quiet):
    one = {n: [] for n in ws}
    burst = {n: [] for n in ws}
    span = []
    for _ in range(trials):
        for kind, res in (("one", one), ("burst", burst)):
            for w in ws.values():
                w.wait_armed()
            n0 = {n: len(w.starts()) for n, w in ws.items()}
            last = {}
            for n, w in ws.items():
                # The previous tool's restart should not slow this one's
                # burst down.
                settle()
                if kind == "one":
                    write_file(w.files[0])
                else:
                    # 100 writes to 10 files, one every 0.45 ms: within 50 ms.
                    t0 = now_ns()
                    for i in range(100):
                        while now_ns() < t0 + i * 450_000:
                            pass
                        write_file(w.files[1 + i % 10])
                    span.append((now_ns() - t0) / 1e6)
                last[n] = now_ns()
            for n, w in ws.items():
                res[n].append(len(w.wait_quiet(quiet, last[n])) - n0[n])
    return one, burst, span


def make_tree():
    """5,000 directories and 50,000 files, made once under build/bench/tree."""
    tree = OUT / "tree"
    done = tree / ".complete"
    listfile = OUT / "tree.list"
    if not done.exists() or not listfile.exists():
        say(f"making {TREE_DIRS} directories and {TREE_FILES} files under {tree}")
        shutil.rmtree(tree, ignore_errors=True)
        paths = [str(tree)]
        tops = 50
        per_top = TREE_DIRS // tops - 1            # 50 + 50*99 = 5000 directories
        leaves = []
        for t in range(tops):
            top = tree / f"d{t:02d}"
            top.mkdir(parents=True)
            paths.append(str(top))
            leaves.append(top)
            for s in range(per_top):
                sub = top / f"s{s:02d}"
                sub.mkdir()
                paths.append(str(sub))
                leaves.append(sub)
        per = TREE_FILES // len(leaves)              # 10 per directory
        for d in leaves:
            for i in range(per):
                f = d / f"f{i}.js"
                f.write_bytes(b"x\n")
                paths.append(str(f))
        listfile.write_text("".join(p + "\n" for p in paths))
        done.write_text("")
    return tree, listfile


def fig_tree_time(tools, tree, listfile, rounds):
    """Exec to watching the whole tree; see the method note."""
    stamp = str(OUT / "stamp")
    es = str(OUT / "execstamp")
    sf = OUT / "tree.stamp"
    res = {}
    cases = {}
    if tools.get("entr"):
        cases["entr -r"] = "child"
    if tools.get("nodemon"):
        cases["nodemon"] = "nodemon"
    if tools.get("inotifywait"):
        cases["inotifywait loop"] = "inotifywait"
    cases["reinit -w"] = "child"
    if BASE:
        cases["reinit@base -w"] = "child"
    for n in cases:
        res[n] = []
    for _ in range(rounds):
        for n, how in cases.items():
            sf.unlink(missing_ok=True)
            settle()
            stdin, stdout, stderr = subprocess.DEVNULL, subprocess.DEVNULL, LOG
            if n == "entr -r":
                argv = ["entr", "-n", "-r", stamp, str(sf)]
                stdin = open(listfile)
            elif n == "nodemon":
                # -V only adds log lines, among them "watching N files" once
                # chokidar is ready; the child starts before that.
                argv = [tools["nodemon"], "-V", "--watch", str(tree), "--exec", f"{stamp} {sf}"]
                stdout = subprocess.PIPE
            elif n == "inotifywait loop":
                argv = ["inotifywait", "-r", "-e", "close_write,create,delete,move", str(tree)]
                stderr = subprocess.PIPE
            else:
                argv = [str(BASE if "@base" in n else REINIT), "-w", str(tree), "--", stamp,
                        str(sf)]
            p = start([es, str(sf)] + argv, stdin=stdin, stdout=stdout, stderr=stderr,
                      cwd=OUT)
            if stdin is not subprocess.DEVNULL:
                stdin.close()
            try:
                t0 = wait_for(lambda: read_stamps(sf, "exec"), 10, "exec")[0]
                if how == "child":
                    t1 = wait_for(lambda: read_stamps(sf), 60, f"{n} to start its child")[0]
                elif how == "nodemon":
                    _, t1 = Lines(p.stdout).wait_line(r"watching \d+ files?", 120)
                else:
                    _, t1 = Lines(p.stderr).wait_line("Watches established", 60)
                res[n].append((t1 - t0) / 1e9)
            except Timeout as e:
                NOTES.append(f"tree watch time, {n}: {e}")
            finally:
                kill_tree(p)
    return res


def fig_tree_idle(tools, tree, listfile, window):
    """Every tool watching the tree at once: Pss, then 5 s of system calls."""
    ws = watchers(tools)
    live = {}
    pss = {}
    for n, make in ws.items():
        sf = OUT / f"tree-{slug(n)}.stamp"
        sf.unlink(missing_ok=True)
        argv, stdin_path = make(str(tree), str(sf), str(listfile))
        stdout = subprocess.DEVNULL
        if n == "nodemon":
            argv = argv[:1] + ["-V"] + argv[1:]
            stdout = subprocess.PIPE
        stdin = open(stdin_path) if stdin_path else subprocess.DEVNULL
        p = start(argv, stdin=stdin, stdout=stdout, cwd=OUT)
        if stdin_path:
            stdin.close()
        try:
            wait_for(lambda: read_stamps(sf), 60, f"{n} to start its child")
            if n == "nodemon":
                Lines(p.stdout).wait_line(r"watching \d+ files?", 120)
            if n == "inotifywait loop":
                wait_for(lambda: sum(inotify_watches(q) for q in descendants(p.pid))
                         >= TREE_DIRS + 1, 60, "inotifywait -r to watch the tree")
            live[n] = p
        except Timeout as e:
            NOTES.append(f"tree idle, {n}: {e}")
            kill_tree(p)
    targets = {}
    for n, p in live.items():
        pids = [q for q in [p.pid] + descendants(p.pid) if exe(q) != "stamp"]
        targets[n] = pids
        pss[n] = sum(pss_kb(q) or 0 for q in pids)
        say(f"  {n}: processes {', '.join(exe(q) for q in pids)}; Pss {pss[n]} kB")
    calls = trace_idle(targets, window)
    for p in live.values():
        kill_tree(p)
    return pss, calls


def ensure_watch_limits(need):
    path = "/proc/sys/fs/inotify/max_user_watches"
    with open(path) as f:
        cur = int(f.read())
    if cur < need:
        with open(path, "w") as f:
            f.write(str(need))
        NOTES.append(f"fs.inotify.max_user_watches raised from {cur} to {need} for the tree")


# ---- sync figures -----------------------------------------------------------


SYNC_KINDS = ("tar", "rm+tar", "stream", "compose")
SYNC_LABELS = {"tar": "Tilt's tar only", "rm+tar": "Tilt's rm + tar",
               "stream": f"{SYNC_FILES} files at 1 MB/s",
               "compose": "Compose's rm + files written by the engine"}
SYNC_ORDER = ["busybox tar + entr -r", "GNU tar + reinit -w", "reinit tar + reinit -w"]


def sync_contenders(tools):
    """name -> (tar argv, rm argv, watcher): the tools that write the files
    and the one that restarts the app. reinit's column is last."""
    links = OUT / "sync" / "bin"
    links.mkdir(parents=True, exist_ok=True)
    for n in ("tar", "rm"):
        # Run by a link of that name, as a scratch image's /bin/tar.
        (links / n).unlink(missing_ok=True)
        (links / n).symlink_to(REINIT)
    out = {}
    if tools.get("busybox") and tools.get("entr"):
        out["busybox tar + entr -r"] = ([tools["busybox"], "tar"], [tools["busybox"], "rm"], "entr")
    else:
        NOTES.append("sync: busybox or entr is missing: busybox tar + entr -r is n/a")
    out["GNU tar + reinit -w"] = (["/bin/tar"], ["/bin/rm"], "reinit")
    out["reinit tar + reinit -w"] = ([str(links / "tar")], [str(links / "rm")], "reinit")
    return out


def sync_archives():
    """The updates' archives, as Tilt makes them (paths below /, the
    directory first, no padding after the end marker: Go's archive/tar):
    a.js and gone.js; a.js alone; 50 files of 20 kB."""
    import io
    import tarfile
    d = OUT / "sync"
    d.mkdir(parents=True, exist_ok=True)

    def make(path, files):
        with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as t:
            ti = tarfile.TarInfo("app")
            ti.type, ti.mode, ti.mtime = tarfile.DIRTYPE, 0o755, int(time.time())
            t.addfile(ti)
            for name, size in files:
                ti = tarfile.TarInfo(f"app/{name}")
                ti.size, ti.mode, ti.mtime = size, 0o644, int(time.time())
                t.addfile(ti, io.BytesIO(b"x" * size))
            end = t.offset
        os.truncate(path, end + 2 * tarfile.BLOCKSIZE)
        return path

    return {
        "tar": make(d / "tilt.tar", [("a.js", 1000), ("gone.js", 100)]),
        "rm+tar": make(d / "tilt-after-rm.tar", [("a.js", 1000)]),
        "stream": make(d / "stream.tar", [(f"f{i}.js", SYNC_FILE_BYTES)
                                          for i in range(SYNC_FILES)]),
    }


class SyncApp:
    """A watcher as PID 1 of its own namespace over ROOT/app, its child
    stamping its starts; updates are exec'd into it with nsenter."""

    def __init__(self, name, tar, rm, watcher):
        self.name, self.tar, self.rm = name, tar, rm
        self.root = OUT / "sync" / slug(name)
        shutil.rmtree(self.root, ignore_errors=True)
        app = self.root / "app"
        app.mkdir(parents=True)
        keep = [app / "a.js"] + [app / f"f{i}.js" for i in range(SYNC_FILES)]
        for f in keep + [app / "gone.js"]:
            write_file(f)
        self.sf = OUT / "sync" / f"{slug(name)}.stamp"
        self.sf.unlink(missing_ok=True)
        child = [str(OUT / "stamp"), str(self.sf)]
        if watcher == "entr":
            # entr exits when a file of its list is removed: gone.js, which
            # the rm + tar update removes, is left out, as a user would.
            lf = OUT / "sync" / f"{slug(name)}.list"
            lf.write_text("".join(f"{p}\n" for p in keep))
            with open(lf) as stdin:
                self.p, self.pid = start_ns(["entr", "-n", "-r"], child, stdin=stdin)
        else:
            self.p, self.pid = start_ns([str(REINIT), "-w", str(app), "--"], child)
        wait_for(self.starts, 30, f"{name} to start its child")
        self.armed = self.settle_watches()

    def starts(self):
        return read_stamps(self.sf)

    def settle_watches(self):
        last, since = -1, time.monotonic()
        end = since + 20
        while time.monotonic() < end:
            w = inotify_watches(self.pid)
            if w != last:
                last, since = w, time.monotonic()
            elif w > 0 and time.monotonic() - since >= 0.5:
                return w
            time.sleep(0.005)
        raise Timeout(f"{self.name}: watches never settled")

    def exec_in(self, argv, archive=None, rate=0):
        """One exec into the namespace, as kubectl exec; returns (begin, end) ns."""
        cmd = [OUT / "feed", rate, archive or "-", "nsenter", "-t", self.pid, "-p", "-m"] + argv
        r = run(cmd, timeout=120, stderr=LOG)
        m = re.match(r"begin (\d+) end (\d+) status (\d+)", r.stdout)
        if not m:
            raise RuntimeError(f"feed: {r.stdout.strip()[-200:]}")
        if m.group(3) != "0":
            raise RuntimeError(f"{' '.join(map(str, argv))} exited {m.group(3)}")
        return int(m.group(1)), int(m.group(2))

    def update(self, kind, archives):
        """The exec sequence of one update; returns (begin, end) ns."""
        tar = self.tar + ["-C", str(self.root), "-x", "-f", "-"]
        if kind == "tar":
            return self.exec_in(tar, archives["tar"])
        if kind == "rm+tar":
            b, e = self.exec_in(self.rm + ["-rf", str(self.root / "app" / "gone.js")])
            # The next exec cannot come sooner through an API server:
            # part of the update, not a wait for a condition.
            while now_ns() < e + SYNC_GAP_S * 1e9:
                time.sleep(0.001)
            return b, self.exec_in(tar, archives["rm+tar"])[1]
        if kind == "compose":
            # docker exec C rm -rf PATHS (no --), then the engine writes
            # the new files itself, with no exec: the end is the files'.
            b, e = self.exec_in(self.rm + ["-rf", str(self.root / "app" / "a.js")])
            while now_ns() < e + SYNC_GAP_S * 1e9:
                time.sleep(0.001)
            write_file(self.root / "app" / "a.js")
            return b, now_ns()
        return self.exec_in(tar, archives["stream"], SYNC_RATE)

    def wait_quiet(self, quiet, after_ns, cap=15):
        end = time.monotonic() + cap
        while True:
            s = self.starts()
            if now_ns() - max([after_ns] + s) >= quiet * 1e9 or time.monotonic() > end:
                return s
            time.sleep(0.005)


def fig_sync(tools, rounds, quiet):
    """Restarts per update and end of the last exec -> new child; see the
    method note. Returns {kind: {name: [...]}} for both, the streams'
    durations and the updates that brought no restart."""
    archives = sync_archives()
    cont = sync_contenders(tools)
    apps = {}
    for n, c in cont.items():
        try:
            apps[n] = SyncApp(n, *c)
        except Timeout as e:
            NOTES.append(f"sync, {n}: {e}: n/a")
    restarts = {k: {n: [] for n in apps} for k in SYNC_KINDS}
    lat = {k: {n: [] for n in apps} for k in SYNC_KINDS}
    missed = {k: {n: 0 for n in apps} for k in SYNC_KINDS}
    stream_s = []
    lost = {n: [] for n in apps}
    try:
        for _ in range(rounds):
            for kind in SYNC_KINDS:
                for n in apps:
                    a = apps[n]
                    try:
                        try:
                            wait_for(lambda: inotify_watches(a.pid) >= a.armed, 2,
                                     f"{n} to watch again")
                        except Timeout:
                            # A tool that lost files for good (entr, when a
                            # file is replaced while it restarts) is started
                            # afresh: each update starts from every file
                            # watched, and the loss is reported.
                            lost[n].append(f"{inotify_watches(a.pid)}/{a.armed}")
                            kill_tree(a.p)
                            a = apps[n] = SyncApp(n, *cont[n])
                        settle(cap=1.0)
                        n0 = len(a.starts())
                        b, e = a.update(kind, archives)
                        if kind == "stream":
                            stream_s.append((e - b) / 1e9)
                        # Compose's restart comes up to 1 s after its
                        # files: the count waits that much longer.
                        s = a.wait_quiet(quiet + (1.0 if kind == "compose" else 0), e)[n0:]
                    except (Timeout, RuntimeError) as err:
                        NOTES.append(f"sync {kind}, {n}: {err}")
                        continue
                    restarts[kind][n].append(len(s))
                    if not s:
                        missed[kind][n] += 1
                        continue
                    # The child that runs once the update has ended; when
                    # every restart came before that, the last one.
                    after = [t for t in s if t >= e]
                    lat[kind][n].append(((after[0] if after else s[-1]) - e) / 1e6)
    finally:
        for a in apps.values():
            kill_tree(a.p)
    return restarts, lat, stream_s, missed, lost


# ---- the report -------------------------------------------------------------


def ratio(rv, best):
    if rv is None or best is None:
        return "n/a"
    if best == 0:
        return "= best" if rv == 0 else "∞"
    return fmt_num(rv / best, 2) + "×"


def row(label, goal, per, order, lower_better=True, digits=0, goal_ok=None, best_override=None,
        suffix=None):
    """One table row: per[name] is a list of values (or one value)."""
    cells, meds = [], {}
    for n in order:
        v = per.get(n)
        if v is None:
            cells.append("n/a")
            continue
        v = v if isinstance(v, list) else [v]
        cells.append(fmt(v, digits) + (suffix or {}).get(n, ""))
        v = [x for x in v if x is not None]
        meds[n] = med(v) if v else None
    peers = [meds[n] for n in order if n != order[-1] and meds.get(n) is not None]
    best = best_override if best_override is not None else (
        (min(peers) if lower_better else max(peers)) if peers else None)
    rv = meds.get(order[-1])
    met = "n/a"
    if goal_ok and rv is not None:
        ok = goal_ok(rv, best)
        met = "yes" if ok else "**no**"
    return f"| {label} | {goal} | " + " | ".join(cells) + f" | {ratio(rv, best)} | {met} |", \
        (rv, best, met)


def main():
    global LOG
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer repetitions: a few minutes")
    ap.add_argument("--only", metavar="LIST",
                    help="run only these sections, comma-separated: " + ", ".join(SECTIONS)
                    + " (the report then goes to build/bench/bench.md unless --out is given)")
    ap.add_argument("--out", help="where the report goes (default docs/bench.md)")
    args = ap.parse_args()
    args.sections = SECTIONS
    if args.only:
        args.sections = tuple(x.strip() for x in args.only.split(",") if x.strip())
        bad = [x for x in args.sections if x not in SECTIONS]
        if bad or not args.sections:
            ap.error(f"--only: unknown section {', '.join(bad) or '(none)'}; "
                     f"expected some of {', '.join(SECTIONS)}")
    if not args.out:
        args.out = str(OUT / "bench.md" if args.only else ROOT / "docs" / "bench.md")
    q = 1 if args.quick else 0
    R = {k: v[q] for k, v in REPS.items()}
    if os.geteuid() != 0:
        sys.exit("bench: needs root (unshare --pid, strace -p, SIGSTOP to a namespace's init)")

    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "w").mkdir(exist_ok=True)
    LOG = open(OUT / "tools.log", "w")
    try:
        report = bench(args, R)
    finally:
        cleanup()
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report)
    say(f"wrote {args.out}")


def bench(args, R):
    say("building reinit and the helpers")
    build_helpers()
    sec = args.sections
    tools = ensure_tools(nodemon="watch" in sec or "tree" in sec)
    for t in ("unshare", "taskset", "nsenter"):
        if not shutil.which(t):
            sys.exit(f"bench: {t} is missing (util-linux)")
    mach = machine()
    vers = versions(tools)
    inits = init_cmds(tools)
    raw = {"machine": mach, "versions": vers, "quick": args.quick, "sections": list(sec)}
    if "pid1" in sec:
        raw.update(bench_pid1(inits, R))
    if "watch" in sec:
        raw.update(bench_watch(tools, R))
    if "tree" in sec:
        raw.update(bench_tree(tools, R))
    if "sync" in sec:
        say(f"11-12. live-update syncs ({R['sync_rounds']} rounds, quiet {R['sync_quiet_s']} s)")
        restarts, lat, stream_s, missed, lost = fig_sync(tools, R["sync_rounds"],
                                                         R["sync_quiet_s"])
        raw.update(sync_restarts=restarts, sync_latency=lat, sync_stream_s=stream_s,
                   sync_missed=missed, sync_lost=lost)
    total = time.monotonic() - T_START
    raw["total_s"] = total
    (OUT / "results.json").write_text(json.dumps(raw, indent=1, default=str))
    return render(raw, R, total, args.quick)


def bench_pid1(inits, R):
    say("1. binary sizes")
    size = fig_size(inits)
    say(f"2+6. idle Pss ({R['pss_rounds']} rounds) and system calls in 5 s")
    pss, calls = fig_idle(inits, R["pss_rounds"], 5)
    say(f"3. start-up overhead ({R['startup_rounds']} rounds)")
    st = fig_startup(inits, R["startup_rounds"])
    say(f"4. reaping {ORPHANS} zombies ({R['reap_rounds']} rounds)")
    reap = fig_reap(inits, R["reap_rounds"])
    say(f"5. signal forwarding latency ({R['sig_rounds']}x{R['sig_per_round']} signals)")
    sig = fig_signal(inits, R["sig_rounds"], R["sig_per_round"])
    return dict(size=size, pss=pss, calls=calls, startup=st, reap=reap, signal=sig)


def bench_watch(tools, R):
    say("7-8. live reload on a small directory")
    ws = {}
    for n, make in watchers(tools).items():
        try:
            ws[n] = Watcher(n, make)
        except Timeout as e:
            NOTES.append(f"{n}: {e}: n/a")
    say(f"7. restart latency ({R['lat_writes']} writes each)")
    lat, missed = fig_latency(ws, R["lat_writes"])
    say(f"8. restarts per change ({R['restart_trials']} trials, quiet {R['quiet_s']} s)")
    one, burst, span = fig_restarts(ws, R["restart_trials"], R["quiet_s"])
    for w in ws.values():
        kill_tree(w.p)
    return dict(latency=lat, missed=missed, restarts_one=one, restarts_burst=burst,
                burst_span_ms=span)


def bench_tree(tools, R):
    tree, listfile = make_tree()
    ensure_watch_limits(2 * (TREE_DIRS + TREE_FILES + 1) + 2 * (TREE_DIRS + 1) + 10000)
    say(f"9. time to watch the tree ({R['tree_rounds']} rounds)")
    tt = fig_tree_time(tools, tree, listfile, R["tree_rounds"])
    say("10. idle Pss and system calls with the tree watched")
    tpss, tcalls = fig_tree_idle(tools, tree, listfile, 5)
    return dict(tree_time=tt, tree_pss=tpss, tree_calls=tcalls)


def render(raw, R, total, quick):
    m, v = raw["machine"], raw["versions"]
    # Every peer keeps its column: one that could not be installed shows n/a.
    order = ["tini", "dumb-init", "catatonit", "reinit"]
    worder = ["entr -r", "nodemon", "inotifywait loop", "reinit -w"]
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    L = []
    L.append("# reinit benchmark\n")
    sec = list(raw.get("sections", SECTIONS))
    only = f" (--only {','.join(sec)})" if tuple(sec) != SECTIONS else ""
    L.append(f"Run {date}{' (--quick)' if quick else ''}{only} on {m['nproc']} × {m['model']}, "
             f"Linux {m['kernel']}; total run time {total:.0f} s "
             f"(`make bench`, or `/usr/bin/python3 bench/bench.py [--quick] [--only LIST]`).\n")
    L.append("Versions: " + ", ".join(f"{k} {x}" for k, x in v.items()) + ".\n")
    L.append("Each cell: median (min–max). Ratio: reinit's median over the best peer's "
             "median in the same run (below 1 is better, except orphans/s).\n")

    misses = []

    def add(line_info, label, per=None, wo=None):
        line, (rv, best, met) = line_info
        L.append(line)
        if met == "**no**":
            note = ""
            if per is not None:
                # Is reinit's median inside the middle half of the best
                # peer's runs (between its quartiles)?
                for n in wo[:-1]:
                    v = per.get(n)
                    if isinstance(v, list) and len(v) >= 4 and med(v) == best:
                        q1, _, q3 = statistics.quantiles(v, n=4)
                        inside = q1 <= rv <= q3
                        note = (f", {'inside' if inside else 'outside'} {n}'s interquartile "
                                f"range {fmt_num(q1, 2)}–{fmt_num(q3, 2)}: "
                                + ("not a clear difference" if inside else "a real difference"))
            misses.append((label, rv, best, note))

    def table(title, cols):
        L.append(f"## {title}\n")
        L.append("| figure | goal | " + " | ".join(cols) + " | reinit vs best peer | goal met |")
        L.append("|---|---|" + "---|" * len(cols) + "---|---|")

    size = {}
    if "pid1" in sec:
        table("PID 1", order)
        size = {n: raw["size"][n]["bytes"] for n in order if n in raw["size"]}
        dynamic = {n: " (dynamic)" for n in size if raw["size"][n]["interp"]}
        static_peers = [size[n] for n in order[:-1] if n in size and n not in dynamic]
        add(row("1. binary size (bytes)", f"≤ {SIZE_BUDGET}", size, order,
                goal_ok=lambda rv, b: rv <= SIZE_BUDGET, suffix=dynamic,
                best_override=min(static_peers) if static_peers else None), "binary size")
        add(row("2. idle Pss (kB)", "≤ 64", raw["pss"], order,
                goal_ok=lambda rv, b: rv <= 64), "idle Pss")
        add(row("3. start-up overhead (ms)", "≤ ½ best peer", raw["startup"]["over_ms"], order,
                digits=2, goal_ok=lambda rv, b: b is not None and rv <= b / 2),
            "start-up overhead")
        add(row(f"4. orphans reaped per s ({ORPHANS:,} zombies)", "≥ best peer", raw["reap"],
                order, lower_better=False, goal_ok=lambda rv, b: b is None or rv >= b),
            "orphans/s", raw["reap"], order)
        add(row("5. signal forwarding latency (µs)", "≤ best peer", raw["signal"], order,
                digits=1, goal_ok=lambda rv, b: b is None or rv <= b), "forwarding latency",
            raw["signal"], order)
        calls = {n: (raw["calls"].get(n) or (None, {}))[0] for n in order}
        add(row("6. system calls while idle 5 s", "0", calls, order,
                goal_ok=lambda rv, b: rv == 0), "idle system calls")
        wr = {"reinit": (raw["calls"].get(WATCH_RELOAD) or (None, {}))[0]}
        add(row("6b. system calls while idle 5 s, `reinit -w DIR --reload DIR2`", "0", wr,
                order, goal_ok=lambda rv, b: rv == 0), "idle system calls with -w and --reload")
        L.append("")
    if "watch" in sec or "tree" in sec:
        table("Live reload", worder)
    if "watch" in sec:
        add(row("7. restart latency, write → new child (ms)", "≤ 20", raw["latency"], worder,
                digits=1, goal_ok=lambda rv, b: rv <= 20), "restart latency")
        add(row("8a. restarts for 1 write", "1", raw["restarts_one"], worder,
                goal_ok=lambda rv, b: all(x == 1 for x in raw["restarts_one"]["reinit -w"])),
            "restarts for 1 write")
        add(row("8b. restarts for 100 writes in 50 ms", "1", raw["restarts_burst"], worder,
                goal_ok=lambda rv, b: all(x == 1 for x in raw["restarts_burst"]["reinit -w"])),
            "restarts for a burst")
    if "tree" in sec:
        add(row(f"9. time to watch {TREE_DIRS:,} dirs + {TREE_FILES:,} files (s)", "≤ 0.11",
                raw["tree_time"], worder, digits=3, goal_ok=lambda rv, b: rv <= 0.11),
            "tree watch time")
        add(row("10a. idle Pss with the tree watched (kB)", "≤ 512", raw["tree_pss"], worder,
                goal_ok=lambda rv, b: rv <= 512), "idle Pss with the tree")
        tcalls = {n: (raw["tree_calls"].get(n) or (None, {}))[0] for n in worder}
        add(row("10b. system calls while idle 5 s, tree watched", "0", tcalls, worder,
                goal_ok=lambda rv, b: rv == 0), "idle system calls with the tree")
    if "watch" in sec or "tree" in sec:
        L.append("")
    if "sync" in sec:
        table("Live-update sync", SYNC_ORDER)
        sr, sl = raw["sync_restarts"], raw["sync_latency"]
        me = SYNC_ORDER[-1]
        for i, (k, what) in enumerate(SYNC_LABELS.items()):
            add(row(f"11{'abcd'[i]}. restarts per update, {what}", "1", sr[k], SYNC_ORDER,
                    goal_ok=lambda rv, b, k=k: all(x == 1 for x in sr[k].get(me, [0]))),
                f"restarts per update, {what}")
        for i, (k, what) in enumerate(SYNC_LABELS.items()):
            goal = {"tar": "≤ 5", "compose": "≤ 1000"}.get(k, "–")
            limit = {"tar": 5, "compose": 1000}.get(k)
            add(row(f"12{'abcd'[i]}. end of last exec → new child (ms), {what}", goal, sl[k],
                    SYNC_ORDER, digits=1,
                    goal_ok=(lambda rv, b, m=limit: rv <= m) if limit else None),
                f"sync latency, {what}")
        L.append("")
    if misses:
        L.append("**Goals missed:** " + "; ".join(
            f"{lab} (reinit {fmt_num(rv, 2)}, best peer {fmt_num(b, 2)}{note})"
            for lab, rv, b, note in misses)
            + ".\n")

    # Details that the cells cannot hold.
    det = []
    for n in size:
        s = raw["size"][n]
        if s["interp"]:
            det.append(f"{n} is dynamically linked (interpreter {s['interp']}): its size leaves "
                       "out the loader and libc, so the size ratio is taken against the static "
                       "peers only; its Pss includes its share of libc's pages, and its start-up "
                       "includes the dynamic loader.")
    for n, (cnt, hist) in raw.get("calls", {}).items():
        if cnt:
            det.append(f"idle system calls, {n}: " + ", ".join(
                f"{c}× {k}" for k, c in sorted(hist.items(), key=lambda x: -x[1])))
    for n, (cnt, hist) in raw.get("tree_calls", {}).items():
        if cnt:
            det.append(f"idle system calls with the tree, {n}: " + ", ".join(
                f"{c}× {k}" for k, c in sorted(hist.items(), key=lambda x: -x[1])[:6]))
    if "startup" in raw:
        base = raw["startup"]["base_ms"]
        det.append(f"start-up: `unshare ... /bin/true` alone took {fmt(base, 2)} ms; with each "
                   "init: " + ", ".join(f"{n} {fmt(raw['startup']['total_ms'][n], 2)} ms"
                                        for n in order if n in raw["startup"]["total_ms"])
                   + f". A bare fork-exec-wait (bench/floor.c) adds "
                   f"{fmt_num(med(raw['startup']['over_ms']['floor']), 2)} ms: no init can do "
                   "better.")
    for n, c in raw.get("missed", {}).items():
        if c:
            det.append(f"restart latency, {n}: {c} of {R['lat_writes']} writes brought no restart "
                       "within 10 s (left out of the figure).")
    if raw.get("burst_span_ms"):
        det.append(f"the 100-write bursts took {fmt(raw['burst_span_ms'], 1)} ms from the first "
                   "write to the last close.")
    for k, per in raw.get("sync_missed", {}).items():
        for n, c in per.items():
            if c:
                det.append(f"sync, {SYNC_LABELS[k]}, {n}: {c} of {R['sync_rounds']} updates "
                           "brought no restart (counted as 0 restarts, no latency).")
    for n, v in raw.get("sync_lost", {}).items():
        if v:
            det.append(f"sync, {n}: before {len(v)} of {len(SYNC_KINDS) * R['sync_rounds']} "
                       "updates it was not watching every file it had watched at its start "
                       f"(watches now/at start: {', '.join(v)}) and was started afresh.")
    if raw.get("sync_stream_s"):
        det.append(f"the streamed updates took {fmt(raw['sync_stream_s'], 2)} s from the exec "
                   "to its end.")
    det += NOTES
    if det:
        L.append("Details:\n")
        L += [f"- {d}" for d in det]
        L.append("")

    L.append("## Method\n")
    L += [f"- {x}" for x in METHOD if method_section(x) in sec + ["all"]]
    L.append("")
    return "\n".join(L)


def method_section(note):
    """The section a method note belongs to, from its figure number."""
    m = re.match(r"(\d+), ", note)
    if not m:
        return "all"
    k = int(m.group(1))
    return "pid1" if k <= 6 else "watch" if k <= 8 else "tree" if k <= 10 else "sync"


METHOD = [
    "All inits run as PID 1 of a fresh PID namespace: `unshare --pid --fork --mount-proc INIT -- "
    "CMD` (tini is `tini-static`). Peers and reinit alternate within each round; the live-reload "
    "tools run side by side, each on its own directory, and are measured in turn. Before each "
    "timed step the bench waits until the machine has been under 10% busy for 100 ms (from "
    "/proc/stat), so that one tool's after-work (a restart, a large process being freed) does "
    "not land in the next one's figure.",
    "1, size: `stat` of the file. Whether it needs a program interpreter is read from its ELF "
    "program headers.",
    "2, idle Pss: `Pss` of /proc/PID/smaps_rollup of the init once its child (test helper sigecho) "
    "has said `ready`; one fresh namespace per round.",
    "3, start-up overhead: a static helper (bench/spawntime.c) runs `unshare ... /bin/true` and "
    "`unshare ... INIT -- /bin/true` in turn, timing spawn to reaped on CLOCK_MONOTONIC; the "
    "figure is, per round, the init's run minus the baseline run of the same round. The same is "
    "measured for bench/floor.c, a static program that only forks, execs and waits: the least "
    "any init can cost.",
    f"4, orphans/s: the child (bench/burst.c) leaves {ORPHANS:,} live orphans to the init, all "
    "blocked on one pipe. The init is stopped with SIGSTOP from the parent namespace, the orphans "
    "are released at once and burst waits, with a pidfd each, until every one has exited: the "
    "init then has a backlog of zombies it could not touch. bench/reapwait.c sends SIGCONT and "
    "polls the first entries of /proc/PID/task/PID/children until only the burst helper is left. "
    f"Rate = {ORPHANS:,} / that time. So the figure is the init's reaping alone, not the fork "
    "and exit costs of the orphans, which are the same for every init; what is left is mostly "
    "the kernel's cost of wait4 and release_task, so expect large noise between runs.",
    "5, signal forwarding: everything pinned with `taskset -c 0`. bench/sigsend.c reads "
    "CLOCK_MONOTONIC and sends SIGUSR1 with kill() to the init's host pid from the parent "
    "namespace; the child, bench/sigrecv.c, blocked in sigwaitinfo, reads the clock on receipt "
    "and writes it back on a pipe, which sigsend waits for before the next signal. 5 warm-up "
    "signals per init are not counted.",
    "6, idle system calls: `strace -f -qq -p PID` on all inits at once, for one 5 s window while "
    "every child waits; the count is of system calls that returned in the window (the call each "
    "was blocked in at attach is not counted: it never returns). 6b: in the same window, "
    "`reinit -w DIR --reload DIR2 -- sigecho`, DIR a directory with one file, DIR2 laid out as "
    "the kubelet lays out a ConfigMap volume (`..DATE/app.conf`, `..data -> ..DATE`, "
    "`app.conf -> ..data/app.conf`).",
    "7, restart latency: the child is bench/stamp.c, whose first act is to read CLOCK_MONOTONIC "
    "and append it to a file outside the watched directory. The bench reads the clock, then "
    "opens (O_TRUNC), writes and closes a.js in the watched directory, and takes the first new "
    "start time. Before each write, the tool's inotify watches (from /proc/PID/fdinfo) must be "
    "back to their steady count, and after it no second start may come within 250 ms (pacing). "
    "Default settings: `entr -n -r` (entr refuses to run without a terminal otherwise), "
    "`nodemon --watch DIR --exec CMD`, `reinit -w DIR -- CMD` (debounce 10 ms), and the loop "
    "`CMD & pid=$!; while inotifywait -qq -r -e close_write,create,delete,move DIR; do kill "
    "$pid; CMD & pid=$!; done` under sh.",
    "8, restarts per change: one write to a.js, or 100 writes (open, write, close) to 10 files "
    "one every 0.45 ms; the new child starts are counted until none has come for the quiet period "
    "after the last write or start (3 s; 2 s with --quick). All tools get their change one "
    "after another (each once the machine is quiet), then the quiet period runs for all of "
    "them together.",
    f"9, time to watch a tree of {TREE_DIRS:,} directories and {TREE_FILES:,} files (made once "
    "under build/bench/tree): bench/execstamp.c reads the clock just before it execs the tool. "
    "reinit sets up every watch before it starts its child, so for reinit and entr (which reads "
    "the 55,001 paths on stdin and watches each file) the figure ends at the child's first "
    "instruction; for inotifywait -r at its `Watches established.`; for nodemon at the "
    "`watching N files` line that `-V` adds when chokidar is ready (nodemon starts the child "
    "before that, so the child's start would flatter it). Warm dentry cache.",
    "10, the same tools all watching the tree at once (the inotifywait loop, not bare "
    "inotifywait): Pss summed over the tool's processes but not its child (stamp), and system "
    "calls in one 5 s window, traced as in 6.",
    "11, restarts per update: live-update syncs into ROOT/app (a.js, gone.js and "
    f"f0–f{SYNC_FILES - 1}.js) while a watcher runs as PID 1 of its own namespace with "
    "bench/stamp.c as its child: `reinit -w ROOT/app -- stamp` (debounce 10 ms) for reinit's tar "
    "and for GNU tar, `entr -n -r stamp` with a.js and the f*.js on stdin for busybox tar (entr "
    "exits when a file of its list is removed, so gone.js is left out of it). Each exec goes "
    "into the namespace as `kubectl exec` does, `nsenter -t INITPID -p -m CMD`, run by "
    "bench/feed.c, which writes the archive to its stdin and reads CLOCK_MONOTONIC once it has "
    "reaped it. reinit's tar and rm are symlinks named `tar` and `rm` to build/reinit: they find "
    "the running reinit as PID 1 of the namespace and tell it that a sync begins and ends. The "
    "updates, as Tilt makes them: tar only, `tar -C ROOT -x -f -` of app/, app/a.js (1 kB) and "
    "app/gone.js; rm + tar, `rm -rf ROOT/app/gone.js`, then, "
    f"{SYNC_GAP_S * 1000:.0f} ms after its end (the least gap between two execs measured "
    "through runc and docker exec), `tar -C ROOT -x -f -` of app/ and app/a.js; streamed, "
    f"app/ and {SYNC_FILES} files of {SYNC_FILE_BYTES // 1000} kB written to tar's stdin at "
    f"{SYNC_RATE // 1000000} MB/s in 4 kB writes; Compose's, `rm -rf ROOT/app/a.js` (no `--`, "
    f"as `docker exec C rm -rf PATHS`), then, {SYNC_GAP_S * 1000:.0f} ms after its end, "
    "app/a.js written by the bench itself, as the engine's archive API does with no exec in "
    "the container (its end is that write's). Each update begins once the watcher's inotify "
    "watches are back to their count at its start (one still below it after 2 s is started "
    "afresh: see the details) and the machine is quiet; the child's starts are then counted "
    "until none has come for 1 s (0.5 s with --quick) after the end of the last exec or the "
    "last start. The three alternate, update by update, within each round.",
    "12, sync latency: from the end of the update's last exec (feed's reap of nsenter, which "
    "waits for the tar) to the first instruction of the first child started after it; when "
    "every restart came before that end (the tool restarted the app before the tar process "
    "was reaped), of the last one, so a value can be below 0. An update that brought no "
    "restart counts as 0 restarts and has no latency.",
]


if __name__ == "__main__":
    def on_signal(sig, frame):
        cleanup()
        sys.exit(128 + sig)

    signal.signal(signal.SIGTERM, on_signal)
    try:
        main()
    except KeyboardInterrupt:
        cleanup()
        sys.exit(130)
