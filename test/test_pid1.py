"""reinit as PID 1: signal forwarding, exit codes, reaping, the child's inherited signal state."""

import fcntl
import os
import pty
import signal
import subprocess
import termios

import pytest

import lib
from lib import (Proc, children, descendants, handles, helper, run, runs_reinit, send,
                 sigecho_main, start, wait_until)

SIGRTMIN = 34  # as glibc and Docker count, which the spec follows
FORWARDED = [s for s in range(1, 65) if s not in (signal.SIGKILL, signal.SIGCHLD, signal.SIGSTOP)]
MODES = {"pid": [], "group": ["-g"]}


def signame(sig):
    if sig >= SIGRTMIN:
        return f"RTMIN+{sig - SIGRTMIN}"
    try:
        return signal.Signals(sig).name
    except ValueError:
        return str(sig)


def start_sigecho(opts=(), echo=(), **kw):
    """reinit OPTS -- sigecho ECHO, once sigecho (and its child, with --fork) is ready."""
    p = start([*opts, "--", helper("sigecho"), *echo], **kw)
    p.wait_for_line("ready")
    if "--fork" in echo:
        p.wait_for_line("child ready")
    return p


def assert_not_echoed(p, sig, sentinel, target=None, prefix=""):
    """sig, already sent, never reached the echoer: a later sentinel does and
    sig is not before it. A pending standard signal is read before any higher
    one, so a forwarded sig would show up first."""
    assert sentinel > sig
    os.kill(target or p.init_pid(), sentinel)
    i = p.wait_for_line(f"{prefix}{sentinel}")
    assert f"{prefix}{sig}" not in p.out[:i], p.describe()


# ---- signals ----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("sig", FORWARDED, ids=signame)
def test_signal_is_forwarded(sig, mode):
    p = start_sigecho(MODES[mode])
    send(p, sig)
    p.wait_for_line(str(sig))


@pytest.mark.parametrize("mode", MODES)
def test_sigchld_is_not_forwarded(mode):
    p = start_sigecho(MODES[mode])
    send(p, signal.SIGCHLD)
    assert_not_echoed(p, signal.SIGCHLD, SIGRTMIN + 5)


@pytest.mark.parametrize("mode", MODES)
def test_a_signal_is_forwarded_once(mode):
    # Realtime signals queue, so a second copy would show as a second line;
    # the lower one is read first, so it is all there before the sentinel.
    p = start_sigecho(MODES[mode])
    send(p, SIGRTMIN + 4)
    send(p, SIGRTMIN + 10)
    i = p.wait_for_line(str(SIGRTMIN + 10))
    assert p.out[:i + 1].count(str(SIGRTMIN + 4)) == 1, p.describe()


@pytest.mark.parametrize("group", [False, True], ids=["without-g", "with-g"])
def test_group_mode_reaches_the_whole_process_group(group):
    p = start_sigecho(["-g"] if group else [], ["--fork"])
    main = sigecho_main(p)
    grandchild = wait_until(lambda: children(main), what="sigecho's child")[0]
    p.remember(grandchild)
    assert os.getpgid(grandchild) == os.getpgid(main) == main, "test set-up: one group"
    send(p, signal.SIGUSR1)
    p.wait_for_line("10")
    if group:
        p.wait_for_line("child 10")
    else:
        assert_not_echoed(p, signal.SIGUSR1, signal.SIGUSR2, target=grandchild,
                          prefix="child ")


@pytest.mark.parametrize("mode", MODES)
def test_child_has_a_process_group_of_its_own(mode):
    p = start([*MODES[mode], "--", helper("sigecho"), "--pgrp"])
    i = p.wait_for_line(lambda s: s.startswith("pgid "))
    f = p.out[i].split()
    assert f[1] == f[5], f"child's pgid is not its pid: {p.out[i]}"
    assert f[5] != "1", "the child must not be PID 1"


REWRITES = [
    (["-r", "TERM:USR1"], {}, signal.SIGTERM, "10"),
    (["--rewrite", "SIGUSR1:SIGUSR2"], {}, signal.SIGUSR1, "12"),
    (["--rewrite=sigusr1:12"], {}, signal.SIGUSR1, "12"),
    (["-rHUP:INT"], {}, signal.SIGHUP, "2"),
    (["-r", "RTMIN+3:SIGRTMAX-1"], {}, SIGRTMIN + 3, "63"),
    (["-r", "10:12", "-r", "12:10"], {}, signal.SIGUSR2, "10"),
    ([], {"REINIT_REWRITE": "10:12,12:10"}, signal.SIGUSR1, "12"),
    ([], {"REINIT_REWRITE": "10:12,12:10"}, signal.SIGUSR2, "10"),
]


@pytest.mark.parametrize("opts,env,sig,want", REWRITES,
                         ids=[" ".join(o) or f"env-{s}" for o, _, s, _ in REWRITES])
def test_rewrite(opts, env, sig, want):
    p = start_sigecho(opts, env=lib.clean_env(**env))
    send(p, sig)
    i = p.wait_for_line(want)
    assert str(int(sig)) not in p.out[:i], f"the original signal got through too{p.describe()}"


@pytest.mark.parametrize("opts,env", [
    (["-r", "USR1:0"], {}), (["--rewrite=10:0"], {}), ([], {"REINIT_REWRITE": "SIGUSR1:0"}),
], ids=["short", "long", "env"])
def test_rewrite_to_zero_drops(opts, env):
    p = start_sigecho(opts, env=lib.clean_env(**env))
    send(p, signal.SIGUSR1)
    assert_not_echoed(p, signal.SIGUSR1, signal.SIGUSR2)


@pytest.mark.parametrize("var,value,group", [
    *[("REINIT_GROUP", v, True) for v in ("1", "true", "yes", "on")],
    *[("REINIT_GROUP", v, False) for v in ("0", "false", "no", "off", "")],
])
def test_group_from_environment(var, value, group):
    p = start_sigecho(echo=["--fork"], env=lib.clean_env(**{var: value}))
    grandchild = wait_until(lambda: children(sigecho_main(p)), what="sigecho's child")[0]
    p.remember(grandchild)
    send(p, signal.SIGUSR1)
    p.wait_for_line("10")
    if group:
        p.wait_for_line("child 10")
    else:
        assert_not_echoed(p, signal.SIGUSR1, signal.SIGUSR2, target=grandchild,
                          prefix="child ")


def test_pdeathsig_reaches_reinit_when_its_parent_dies():
    # Without --kill-child: unshare's own death signal would replace ours.
    p = start_sigecho(["-p", "USR1"], kill_child=False)
    p.init_pid()
    os.kill(p.pid, signal.SIGKILL)  # unshare, reinit's parent
    p.wait_for_line("10")


# ---- exit status ------------------------------------------------------------

CODES = [0, 1, 2, 3, 42, 100, 125, 126, 127, 128, 129, 137, 143, 200, 254, 255]


@pytest.mark.parametrize("code", CODES)
def test_exit_code_passes_through(code):
    p = run(["--", helper("exitcode"), str(code)])
    assert p.returncode == code, p.describe()


def test_every_exit_code_passes_through_when_not_pid1():
    wrong = []
    for code in range(256):
        p = run(["--", helper("exitcode"), str(code)], ns=False)
        if p.returncode != code:
            wrong.append((code, p.returncode, p.err))
    assert not wrong, f"(want, got, stderr): {wrong}"


# Signals whose default action dumps core are left out: no core files.
DEATHS = [1, 2, 9, 10, 12, 13, 14, 15, 26, 32, 33, 34, 35, 50, 64]


@pytest.mark.parametrize("sig", DEATHS, ids=signame)
def test_death_by_signal_is_128_plus_n(sig):
    p = run(["--", helper("exitcode"), "-s", str(sig)])
    assert p.returncode == 128 + sig, p.describe()


REMAPS = [
    (["-e", "3"], ["3"], 0),
    (["-e", "3"], ["4"], 4),
    (["-e3"], ["3"], 0),
    (["--remap-exit", "3"], ["3"], 0),
    (["--remap-exit=3"], ["3"], 0),
    (["-e", "3", "-e", "4"], ["4"], 0),
    (["-e", "3", "-e", "4"], ["3"], 0),
    (["-e", "3", "-e", "4"], ["5"], 5),
    (["-e", "0"], ["0"], 0),
    (["-e", "255"], ["255"], 0),
    (["-e", "143"], ["-s", "15"], 0),
    (["-e", "143"], ["-s", "10"], 138),
    (["-gse3"], ["3"], 0),
]


@pytest.mark.parametrize("opts,cmd,want", REMAPS,
                         ids=[f"{' '.join(o)} vs {' '.join(c)}" for o, c, _ in REMAPS])
def test_remap_exit(opts, cmd, want):
    p = run([*opts, "--", helper("exitcode"), *cmd])
    assert p.returncode == want, p.describe()


@pytest.mark.parametrize("code,want", [(3, 0), (4, 0), (5, 5)])
def test_remap_exit_from_environment(code, want):
    p = run(["--", helper("exitcode"), str(code)], env=lib.clean_env(REINIT_REMAP_EXIT="3,4"))
    assert p.returncode == want, p.describe()


# ---- reaping ----------------------------------------------------------------


def wait_for_only(pid, keep, timeout=30.0):
    """Wait until the one process below pid is keep: every orphan reaped."""
    last = []

    def settled():
        last[:] = descendants(pid)
        return last == [keep]
    try:
        wait_until(settled, timeout)
    except AssertionError:
        table = lib.process_table()
        zombies = sum(1 for p in last if table.get(p, (0, "?"))[1] == "Z")
        raise AssertionError(f"{len(last)} processes still below reinit, {zombies} zombies") from None


def test_10000_orphans_leave_no_zombie():
    p = start(["--", helper("orphans"), "10000", helper("sigecho"), "--exit-on-term"])
    p.wait_for_line("ready", timeout=60)
    wait_for_only(p.init_pid(), sigecho_main(p))
    send(p, signal.SIGTERM)
    p.wait_for_line("term")
    assert p.wait() == 0, p.describe()


def test_orphans_of_an_exited_child_are_reaped_before_exit():
    p = run(["--", helper("orphans"), "1000"], timeout=30)
    assert p.returncode == 0, p.describe()
    assert "done" in p.out, p.describe()


def test_not_pid1_becomes_a_subreaper_and_reaps():
    p = start(["--", helper("orphans"), "-p", "500", helper("sigecho"), "--exit-on-term"],
              ns=False)
    i = p.wait_for_line(lambda s: s.startswith("ppid "))
    assert int(p.out[i].split()[1]) == p.pid, "an orphan was not reparented to reinit"
    p.wait_for_line("ready")
    wait_for_only(p.pid, sigecho_main(p))
    os.kill(p.pid, signal.SIGTERM)
    p.wait_for_line("term")
    assert p.wait() == 0, p.describe()


def test_not_pid1_spares_processes_that_are_not_its_own(tmp_path):
    # sh is PID 1 here; reinit is an ordinary process beside another one.
    flushed = tmp_path / "flushed"
    script = (f"{helper('sigecho')} --exit-on-term & bystander=$!; "
              f"{lib.REINIT} -- {helper('worker')} {flushed}; echo rc=$?; "
              f"kill -0 $bystander && echo bystander-alive")
    p = Proc(["unshare", "--pid", "--fork", "--mount-proc", "--kill-child", "sh", "-c", script],
             ns=True)
    p.wait_for_line(lambda s: s.startswith("rc="))
    p.wait_for_line("bystander-alive")
    assert "rc=0" in p.out, p.describe()
    assert "term" not in p.out, f"reinit signalled a process that is not its own{p.describe()}"
    assert flushed.read_text() == "flushed\n"


# ---- the child's inherited signal state ---------------------------------------

BLOCK = {signal.SIGUSR1, signal.SIGHUP, signal.SIGTERM, SIGRTMIN + 2, 64}
IGNORE = {signal.SIGPIPE, signal.SIGINT, signal.SIGUSR2, SIGRTMIN + 6}


def inherit_nothing():
    signal.pthread_sigmask(signal.SIG_SETMASK, set())


def inherit_block_and_ignore():
    signal.pthread_sigmask(signal.SIG_SETMASK, BLOCK)
    for s in IGNORE:
        signal.signal(s, signal.SIG_IGN)


def bits(sigs):
    return sum(1 << (s - 1) for s in sigs)


def mask_lines(p):
    assert p.wait() == 0, p.describe()
    return {line.split()[0]: int(line.split()[1], 16) for line in p.out}


@pytest.mark.parametrize("ns", [True, False], ids=["pid1", "not-pid1"])
@pytest.mark.parametrize("setup", [inherit_nothing, inherit_block_and_ignore],
                         ids=["clean", "blocked-and-ignored"])
def test_child_gets_the_inherited_mask_and_ignored_signals(ns, setup):
    echo = [helper("sigecho"), "--mask"]
    direct = Proc(lib.reinit_argv([], ns=ns)[:-1] + echo if ns else echo, ns=ns, preexec_fn=setup)
    want = mask_lines(direct)
    if setup is inherit_block_and_ignore:  # the set-up itself took effect
        assert want["mask"] & bits(BLOCK) == bits(BLOCK), want
        assert want["ign"] & bits(IGNORE) == bits(IGNORE), want
    got = mask_lines(start(["--", *echo], ns=ns, preexec_fn=setup))
    assert {k: hex(v) for k, v in got.items()} == {k: hex(v) for k, v in want.items()}


def test_inherited_ignored_sigchld_does_not_lose_the_exit_code():
    def ignore_sigchld():
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    p = run(["--", helper("exitcode"), "7"], ns=False, preexec_fn=ignore_sigchld)
    assert p.returncode == 7, p.describe()
    q = run(["--", helper("sigecho"), "--mask"], ns=False, preexec_fn=ignore_sigchld)
    ign = int(q.out[1].split()[1], 16) if len(q.out) == 2 else None
    assert ign is not None and ign & bits({signal.SIGCHLD}), \
        f"the child lost its inherited SIG_IGN for SIGCHLD{q.describe()}"


# ---- pause mode -------------------------------------------------------------


def start_pause(opts=("-P",), **kw):
    p = start(list(opts), **kw)
    init = p.init_pid()
    wait_until(lambda: runs_reinit(init) and handles(init, signal.SIGTERM)
               and handles(init, signal.SIGINT), what="reinit -P to be ready")
    return p, init


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=signame)
def test_pause_exits_0_on_term_and_int(sig):
    p, init = start_pause()
    os.kill(init, sig)
    assert p.wait() == 0, p.describe()


def test_pause_from_environment():
    p, init = start_pause([], env=lib.clean_env(REINIT_PAUSE="1"))
    os.kill(init, signal.SIGTERM)
    assert p.wait() == 0, p.describe()


def test_pause_reaps_orphans_in_its_namespace():
    p, init = start_pause()
    joined = subprocess.run(
        ["nsenter", "--target", str(init), "--pid", "--mount", "--",
         helper("orphans"), "-p", "300"],
        capture_output=True, text=True, timeout=lib.DEADLINE)
    assert joined.returncode == 0, joined
    assert "ppid 1" in joined.stdout.split("\n"), f"orphan not reparented to PID 1: {joined}"
    last = []

    def none_left():
        last[:] = descendants(init)
        return not last
    wait_until(none_left, what="reinit -P to reap every orphan")
    os.kill(init, signal.SIGTERM)
    assert p.wait() == 0, p.describe()


# ---- terminal -----------------------------------------------------------------


def start_on_tty(opts_and_cmd, ns):
    master, slave = pty.openpty()

    def take_tty():  # a session leader (start_new_session) with the pty as its terminal
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    try:
        p = start(opts_and_cmd, ns=ns, stdin=slave, start_new_session=True, preexec_fn=take_tty)
    finally:
        os.close(slave)
    return p, master


@pytest.mark.parametrize("ns", [True, False], ids=["pid1", "not-pid1"])
def test_child_is_the_terminal_foreground_and_gets_it_back(ns, tmp_path):
    p, master = start_on_tty(["-t", "30s", "--", "sh", "-c",
                              f"read line; {helper('worker')} -i {tmp_path / 'x'}"], ns)
    try:
        init = p.init_pid()
        main = wait_until(lambda: [c for c in children(init) if runs_sh(c)], what="sh")[0]
        # Read once the child runs: reinit may set up a group of its own
        # first, when its own group is outside its PID namespace.
        own = os.getpgid(init)
        p.remember(main)
        wait_until(lambda: os.tcgetpgrp(master) == main, what="the child's group in the foreground")
        os.write(master, b"go\n")  # the child can read: it is in the foreground
        p.wait_for_line("ready")   # the worker is left over, the child is gone
        p.tree()                   # remembered, to be killed at the end
        wait_until(lambda: os.tcgetpgrp(master) == own,
                   what="reinit to take the foreground back after its child exited")
    finally:
        os.close(master)


def runs_sh(pid):
    try:
        with open(f"/proc/{pid}/comm") as f:
            return f.read().strip() == "sh"
    except FileNotFoundError:
        return False


# ---- idle -------------------------------------------------------------------

# An idle reinit blocks in one call with no timeout: rt_sigtimedwait (its
# request channel and inotify raise SIGIO). The timeout is the fourth field
# of /proc/PID/syscall ("NR a0 a1 a2 ...").


def idle_without_timeout(pid):
    return lib.sleeps_idle(pid)


@pytest.mark.parametrize("ns", [True, False], ids=["pid1", "not-pid1"])
def test_idle_init_sleeps_in_one_call_without_timeout(ns):
    assert os.uname().machine in lib.PPOLL, "add ppoll's system call number for this machine"
    p = start_sigecho(ns=ns)
    wait_until(lambda: idle_without_timeout(p.init_pid()),
               what="reinit to block in one call with no timeout")


def test_idle_pause_sleeps_in_one_call_without_timeout():
    p, init = start_pause()
    wait_until(lambda: idle_without_timeout(init),
               what="reinit -P to block in one call with no timeout")
