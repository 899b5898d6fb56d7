"""Stopping: SIGTERM is forwarded, the stop timeout ends in SIGKILL, leftovers get their grace."""

import os
import signal

import pytest

import lib
from lib import alive, helper, send, start, wait_until

MODES = {"pid": [], "group": ["-g"]}
WHERE = {"pid1": True, "not-pid1": False}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("where", WHERE)
def test_cooperative_child_stops_with_status_0(mode, where):
    # With a long timeout: a child that never got SIGTERM would end in 137.
    p = start([*MODES[mode], "-t", "60s", "--", helper("sigecho"), "--exit-on-term"],
              ns=WHERE[where])
    p.wait_for_line("ready")
    send(p, signal.SIGTERM)
    p.wait_for_line("term")
    assert p.wait() == 0, p.describe()


TIMEOUTS = [
    (["-t", "300ms"], {}),
    (["-t300ms"], {}),
    (["--stop-timeout", "300ms"], {}),
    (["--stop-timeout=300ms"], {}),
    (["-gt300ms"], {}),
    ([], {"REINIT_STOP_TIMEOUT": "300ms"}),
    (["-t", "300ms"], {"REINIT_STOP_TIMEOUT": "60s"}),  # the flag wins
    (["-t", "1"], {}),                                  # plain seconds
]


@pytest.mark.parametrize("opts,env", TIMEOUTS,
                         ids=[" ".join(o) + "".join(f" {k}={v}" for k, v in e.items())
                              for o, e in TIMEOUTS])
def test_stubborn_child_is_killed_at_the_timeout(opts, env):
    p = start([*opts, "--", helper("stubborn")], env=lib.clean_env(**env))
    p.wait_for_line("ready")
    send(p, signal.SIGTERM)
    assert p.wait() == 137, p.describe()


def test_killed_status_can_be_remapped():
    p = start(["-e", "137", "-t", "300ms", "--", helper("stubborn")])
    p.wait_for_line("ready")
    send(p, signal.SIGTERM)
    assert p.wait() == 0, p.describe()


@pytest.mark.parametrize("mode", MODES)
def test_not_pid1_kills_the_whole_group_at_the_timeout(mode):
    p = start([*MODES[mode], "-t", "300ms", "--", "sh", "-c",
               f"{helper('stubborn')} & exec {helper('stubborn')}"], ns=False)
    p.wait_for_line("ready")
    p.wait_for_line("ready", start=p.out.index("ready") + 1)
    stubborn = wait_until(lambda: (lambda t: len(t) == 2 and t)(p.tree()),
                          what="two stubborn processes")
    os.kill(p.pid, signal.SIGTERM)
    assert p.wait() == 137, p.describe()
    left = [pid for pid in stubborn if alive(pid)]
    assert not left, f"still running after reinit exited: {left}"


@pytest.mark.parametrize("opts,env", [
    (["--stop-signal", "USR1"], {}),
    (["--stop-signal=SIGUSR1"], {}),
    ([], {"REINIT_STOP_SIGNAL": "10"}),
    (["--stop-signal", "USR1"], {"REINIT_STOP_SIGNAL": "HUP"}),  # the flag wins
], ids=["flag", "flag=", "env", "flag-over-env"])
def test_the_stop_signal_starts_a_stop(opts, env):
    p = start([*opts, "-t", "300ms", "--", helper("sigecho")], env=lib.clean_env(**env))
    p.wait_for_line("ready")
    send(p, signal.SIGUSR1)
    p.wait_for_line("10")
    assert p.wait() == 137, p.describe()


def test_sigterm_still_stops_with_another_stop_signal():
    p = start(["--stop-signal", "USR1", "-t", "300ms", "--", helper("stubborn")])
    p.wait_for_line("ready")
    send(p, signal.SIGTERM)
    assert p.wait() == 137, p.describe()


# ---- leftovers --------------------------------------------------------------


def worker_pids(p):
    """The worker daemon: the worker that leads a session of its own."""
    def find():
        return [pid for pid in p.tree() if lib.comm(pid) == "worker" and lib.session_of(pid) == pid]
    return wait_until(find, what="the worker daemon")


@pytest.mark.parametrize("where", WHERE)
def test_leftover_gets_sigterm_and_flushes(where, tmp_path):
    out = tmp_path / "out"
    p = start(["--", helper("worker"), out], ns=WHERE[where])
    p.wait_for_line("ready")
    assert p.wait() == 0, p.describe()
    assert out.read_text() == "flushed\n", "the leftover was not asked to stop before reinit exited"


@pytest.mark.parametrize("where", WHERE)
def test_leftover_handling_keeps_the_main_childs_status(where, tmp_path):
    out = tmp_path / "out"
    p = start(["--", "sh", "-c", f"{helper('worker')} {out}; exit 5"], ns=WHERE[where])
    assert p.wait() == 5, p.describe()
    assert out.read_text() == "flushed\n"


def test_leftover_gets_its_grace_period(tmp_path):
    # The worker takes 300 ms to flush after SIGTERM, well inside the 10 s
    # default: killing it at once would lose the file.
    out = tmp_path / "out"
    p = start(["--", helper("worker"), "-d", "300", out])
    assert p.wait() == 0, p.describe()
    assert out.read_text() == "flushed\n"


@pytest.mark.parametrize("where", WHERE)
def test_stubborn_leftover_is_killed_at_the_timeout(where, tmp_path):
    p = start(["-t", "300ms", "--", "sh", "-c", f"{helper('worker')} -i {tmp_path / 'x'}; exit 6"],
              ns=WHERE[where])
    p.wait_for_line("ready")
    workers = worker_pids(p) if not WHERE[where] else []
    assert p.wait() == 6, p.describe()
    assert not [pid for pid in workers if alive(pid)], "a leftover outlived reinit"


def test_leftovers_get_the_stop_signal(tmp_path):
    out = tmp_path / "out"
    p = start(["--stop-signal", "USR1", "--", "sh", "-c",
               f"{helper('worker')} -s {int(signal.SIGUSR1)} {out}; exit 0"])
    assert p.wait() == 0, p.describe()
    assert out.read_text() == "flushed\n", "the leftover did not get the stop signal"


@pytest.mark.parametrize("where", WHERE)
def test_a_stop_also_stops_leftovers(where, tmp_path):
    out = tmp_path / "out"
    p = start(["-t", "60s", "--", "sh", "-c",
               f"{helper('worker')} {out}; exec {helper('sigecho')} --exit-on-term"],
              ns=WHERE[where])
    p.wait_for_line("ready")
    p.wait_for_line("ready", start=p.out.index("ready") + 1)
    send(p, signal.SIGTERM)
    p.wait_for_line("term")
    assert p.wait() == 0, p.describe()
    assert out.read_text() == "flushed\n"


# ---- whose clock ends a stop ------------------------------------------------


def until_exists(path):
    """Shell words that wait, without a fixed sleep, until path exists."""
    return f"until [ -e {path} ]; do sleep 0.01; done"


def signals_in(path):
    """The signal numbers sigrec recorded in path, in order."""
    return [int(s) for s in path.read_text().split()] if path.exists() else []


def test_a_kill_of_the_child_says_what_and_which_option():
    p = start(["-t", "300ms", "--", helper("stubborn")])
    p.wait_for_line("ready")
    send(p, signal.SIGTERM)
    assert p.wait() == 137, p.describe()
    line = [s for s in p.err if "SIGKILL" in s]
    assert len(line) == 1 and "stubborn'" in line[0] and "--stop-timeout" in line[0], p.describe()


@pytest.mark.parametrize("name", ["tini", "dumb-init"])
def test_reinit_stop_timeout_counts_under_the_peers_names(personality, name):
    p = start([helper("stubborn")], binary=personality(name),
              env=lib.clean_env(REINIT_STOP_TIMEOUT="300ms"))
    p.wait_for_line("ready")
    send(p, signal.SIGTERM)
    assert p.wait() == 137, p.describe()


@pytest.mark.parametrize("where", WHERE)
def test_a_worker_in_the_childs_group_gets_the_stop_signal_before_sigkill(where, tmp_path):
    # Without -g the stop signal goes to the child alone; when reinit kills
    # the child at -t, its group's worker must still be told before any
    # SIGKILL reaches it.
    rec = tmp_path / "rec"
    p = start(["-t", "300ms", "--drain-timeout", "300ms", "--", "sh", "-c",
               f"{helper('sigrec')} {rec} & {until_exists(rec)}; exec {helper('stubborn')}"], ns=WHERE[where])
    p.wait_for_line("ready")
    p.wait_for_line("ready", start=p.out.index("ready") + 1)
    worker = wait_until(lambda: [q for q in p.tree() if lib.comm(q) == "sigrec"],
                        what="the worker")[0]
    send(p, signal.SIGTERM)
    assert p.wait() == 137, p.describe()
    assert signal.SIGTERM in signals_in(rec), f"the worker never got SIGTERM{p.describe()}"
    assert not alive(worker), "the worker outlived reinit"


@pytest.mark.parametrize("where", WHERE)
def test_a_stubborn_leftover_is_killed_after_the_drain_timeout_with_a_line(where, tmp_path):
    rec = tmp_path / "rec"
    p = start(["--drain-timeout", "300ms", "--", "sh", "-c",
               f"setsid {helper('sigrec')} {rec} & {until_exists(rec)}; exit 4"], ns=WHERE[where])
    p.wait_for_line("ready")
    assert p.wait() == 4, p.describe()
    assert signals_in(rec)[:1] == [signal.SIGTERM], "the leftover was killed without a word"
    assert any("SIGKILL" in s and "--drain-timeout" in s for s in p.err), p.describe()


@pytest.mark.parametrize("where", WHERE)
def test_a_process_reparented_during_the_drain_gets_the_stop_signal(where, tmp_path):
    # sleep dies of SIGTERM; only then is its child, sigrec, re-parented to
    # reinit: it must be told too before the drain grace ends in SIGKILL.
    rec = tmp_path / "rec"
    p = start(["--drain-timeout", "1s", "--", "sh", "-c",
               f"(setsid {helper('sigrec')} {rec} & exec sleep 1000) & {until_exists(rec)}; exit 0"],
              ns=WHERE[where])
    p.wait_for_line("ready")
    assert p.wait() == 0, p.describe()
    assert signal.SIGTERM in signals_in(rec), f"the orphan never got SIGTERM{p.describe()}"


def test_a_leftover_gets_the_stop_signal_once_not_pid1(tmp_path):
    # Many programs read a second SIGTERM as "stop now, skip the clean-up".
    rec = tmp_path / "rec"
    p = start(["--drain-timeout", "300ms", "--", "sh", "-c",
               f"(setsid {helper('sigrec')} {rec} & exec sleep 1000) & {until_exists(rec)}; exit 0"], ns=False)
    p.wait_for_line("ready")
    assert p.wait() == 0, p.describe()
    assert signals_in(rec).count(signal.SIGTERM) == 1, signals_in(rec)


@pytest.mark.parametrize("name", ["tini", "dumb-init"])
def test_not_pid1_the_peers_exit_with_the_child_and_leave_the_rest(personality, name, tmp_path):
    # tini and dumb-init do not wait for what the child left (dumb-init
    # tells the child's session; a process in a session of its own is
    # left alone by both). The worker's output goes elsewhere: holding
    # reinit's stdout open, it would keep p.wait() waiting for the end of
    # the output long after reinit has exited. The child exits only once
    # the worker has made rec, with its signals caught.
    rec = tmp_path / "rec"
    p = start([*(["-c"] if name == "dumb-init" else []), "sh", "-c",
               f"setsid {helper('sigrec')} {rec} >/dev/null 2>&1 & {until_exists(rec)}; exit 3"],
              binary=personality(name), ns=False)
    worker = wait_until(lambda: [q for q in lib.process_table() if lib.comm(q) == "sigrec"
                                 and str(rec) in open(f"/proc/{q}/cmdline").read()],
                        what="the worker")[0]
    p.remember(worker)
    assert p.wait() == 3, p.describe()
    assert alive(worker), f"the peer's way is to leave it alone: the worker is gone{p.describe()}"
    # Whatever reinit sent is pending by now, and the kernel hands the
    # lowest number over first: once the worker has recorded the highest,
    # sent last, rec is complete.
    os.kill(worker, signal.SIGRTMAX)
    wait_until(lambda: signal.SIGRTMAX in signals_in(rec) or not alive(worker),
               what="the worker to record the last signal")
    assert alive(worker) and signals_in(rec) == [signal.SIGRTMAX], \
        f"the peer's way is to leave it alone: {signals_in(rec)}"
