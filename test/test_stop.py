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
