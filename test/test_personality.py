"""Run as tini or dumb-init, reinit takes their options and keeps their behaviour."""

import os
import signal

import pytest

import lib
from lib import children, helper, run, send, sigecho_main, start, wait_until

# ---- tini -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["tini", "tini-static", "docker-init"])
def test_tini_names_run_the_command(personality, name):
    p = run(["--", helper("exitcode"), "3"], binary=personality(name))
    assert p.returncode == 3, p.describe()


def test_tini_without_dashdash(personality):
    p = run([helper("exitcode"), "3"], binary=personality("tini"))
    assert p.returncode == 3, p.describe()


@pytest.mark.parametrize("opts,code,want", [
    (["-e", "3"], 3, 0),
    (["-e", "3"], 4, 4),
    (["-e", "3", "-e", "4"], 4, 0),
    (["-e", "0"], 0, 0),
])
def test_tini_remap_exit(personality, opts, code, want):
    p = run([*opts, "--", helper("exitcode"), str(code)], binary=personality("tini"))
    assert p.returncode == want, p.describe()


def test_tini_death_by_signal_is_128_plus_n(personality):
    p = run(["--", helper("exitcode"), "-s", "15"], binary=personality("tini"))
    assert p.returncode == 143, p.describe()


@pytest.mark.parametrize("opts", [["-s"], ["-v"], ["-vvv"], ["-w"], ["-p", "SIGKILL"],
                                  ["-s", "-v", "-w", "-g", "-p", "SIGTERM"]])
def test_tini_options_are_accepted(personality, opts):
    p = run([*opts, "--", helper("exitcode"), "4"], binary=personality("tini"))
    assert p.returncode == 4, p.describe()


@pytest.mark.parametrize("var,value", [("TINI_SUBREAPER", "1"), ("TINI_VERBOSITY", "3"),
                                       ("TINI_KILL_PROCESS_GROUP", "1")])
def test_tini_environment_is_accepted(personality, var, value):
    p = run(["--", helper("exitcode"), "4"], binary=personality("tini"),
            env=lib.clean_env(**{var: value}))
    assert p.returncode == 4, p.describe()


def grandchild_of(p):
    pid = wait_until(lambda: children(sigecho_main(p)), what="sigecho's child")[0]
    p.remember(pid)
    return pid


def assert_group_delivery(p, group):
    """USR1 to init reaches sigecho's child too exactly when group is true."""
    grandchild = grandchild_of(p)
    send(p, signal.SIGUSR1)
    p.wait_for_line("10")
    if group:
        p.wait_for_line("child 10")
    else:
        os.kill(grandchild, signal.SIGUSR2)
        i = p.wait_for_line("child 12")
        assert "child 10" not in p.out[:i], f"the signal reached the whole group{p.describe()}"


@pytest.mark.parametrize("opts,env,group", [
    ([], {}, False),
    (["-g"], {}, True),
    ([], {"TINI_KILL_PROCESS_GROUP": "1"}, True),
], ids=["plain", "-g", "TINI_KILL_PROCESS_GROUP"])
def test_tini_group_forwarding(personality, opts, env, group):
    p = start([*opts, "--", helper("sigecho"), "--fork"], binary=personality("tini"),
              env=lib.clean_env(**env))
    p.wait_for_line("ready")
    p.wait_for_line("child ready")
    assert_group_delivery(p, group)


@pytest.mark.parametrize("name,args", [("tini", ["--"]), ("dumb-init", ["-v"])])
def test_forwards_and_stops(personality, name, args):
    p = start([*args, helper("sigecho"), "--exit-on-term"], binary=personality(name))
    p.wait_for_line("ready")
    send(p, signal.SIGHUP)
    p.wait_for_line("1")
    send(p, signal.SIGTERM)
    p.wait_for_line("term")
    assert p.wait() == 0, p.describe()


@pytest.mark.parametrize("flag", ["--version", "-h", "-l"])
def test_tini_informational_flags_exit_0(personality, flag):
    p = run([flag], binary=personality("tini"), ns=False)
    assert p.returncode == 0, p.describe()
    assert p.out, f"nothing on stdout{p.describe()}"


def test_tini_bad_option_fails_without_running(personality):
    p = run(["-Z", "--", helper("exitcode"), "0"], binary=personality("tini"), ns=False)
    assert p.returncode != 0, p.describe()


# ---- dumb-init ----------------------------------------------------------------


@pytest.mark.parametrize("args", [[], ["--"]], ids=["plain", "dashdash"])
def test_dumb_init_runs_the_command(personality, args):
    p = run([*args, helper("exitcode"), "3"], binary=personality("dumb-init"))
    assert p.returncode == 3, p.describe()


def test_dumb_init_death_by_signal_is_128_plus_n(personality):
    p = run([helper("exitcode"), "-s", "15"], binary=personality("dumb-init"))
    assert p.returncode == 143, p.describe()


def pgrp_line(p):
    i = p.wait_for_line(lambda s: s.startswith("pgid "))
    f = p.out[i].split()
    return {"pgid": int(f[1]), "sid": int(f[3]), "pid": int(f[5])}


def test_dumb_init_child_leads_a_new_session(personality):
    p = start([helper("sigecho"), "--pgrp"], binary=personality("dumb-init"))
    ids = pgrp_line(p)
    assert ids["sid"] == ids["pid"] == ids["pgid"], ids


@pytest.mark.parametrize("opts,env", [(["-c"], {}), (["--single-child"], {}),
                                      ([], {"DUMB_INIT_SETSID": "0"})],
                         ids=["-c", "--single-child", "DUMB_INIT_SETSID=0"])
def test_dumb_init_single_child_keeps_the_session(personality, opts, env):
    p = start([*opts, helper("sigecho"), "--pgrp"], binary=personality("dumb-init"),
              env=lib.clean_env(**env))
    ids = pgrp_line(p)
    assert ids["sid"] != ids["pid"], ids


@pytest.mark.parametrize("opts,env,group", [
    ([], {}, True),
    (["-c"], {}, False),
    ([], {"DUMB_INIT_SETSID": "0"}, False),
], ids=["default", "-c", "DUMB_INIT_SETSID=0"])
def test_dumb_init_signals_go_to_the_group(personality, opts, env, group):
    p = start([*opts, helper("sigecho"), "--fork"], binary=personality("dumb-init"),
              env=lib.clean_env(**env))
    p.wait_for_line("ready")
    p.wait_for_line("child ready")
    assert_group_delivery(p, group)


@pytest.mark.parametrize("opts,sig,want", [
    (["-r", "15:10"], signal.SIGTERM, "10"),
    (["--rewrite", "10:12"], signal.SIGUSR1, "12"),
    (["--rewrite=10:12"], signal.SIGUSR1, "12"),
    (["-r", "10:12", "-r", "12:10"], signal.SIGUSR2, "10"),
])
def test_dumb_init_rewrite(personality, opts, sig, want):
    p = start([*opts, helper("sigecho")], binary=personality("dumb-init"))
    p.wait_for_line("ready")
    send(p, sig)
    i = p.wait_for_line(want)
    assert str(int(sig)) not in p.out[:i], p.describe()


def test_dumb_init_rewrite_to_zero_drops(personality):
    p = start(["-r", "10:0", helper("sigecho")], binary=personality("dumb-init"))
    p.wait_for_line("ready")
    send(p, signal.SIGUSR1)
    send(p, signal.SIGUSR2)
    i = p.wait_for_line("12")
    assert "10" not in p.out[:i], p.describe()


@pytest.mark.parametrize("flag", ["-V", "--version", "-h", "--help"])
def test_dumb_init_informational_flags_exit_0(personality, flag):
    p = run([flag], binary=personality("dumb-init"), ns=False)
    assert p.returncode == 0, p.describe()
    assert p.out or p.err, f"printed nothing{p.describe()}"


# ---- where reinit differs on purpose (README, deliberate differences) ---------


def test_tini_options_stop_at_the_command(personality):
    # tini's getopt moves "-g" after the command to tini and echo prints "hi";
    # reinit leaves the command's own options to the command.
    p = run(["-s", "echo", "-g", "hi"], binary=personality("tini"))
    assert p.returncode == 0 and p.out == ["-g hi"], p.describe()


@pytest.mark.parametrize("sig", ["TERM", "15", "SIGTERM"])
def test_tini_pdeathsig_takes_any_spelling(personality, sig):
    p = run(["-p", sig, "--", helper("exitcode"), "4"], binary=personality("tini"))
    assert p.returncode == 4, p.describe()


@pytest.mark.parametrize("spec", ["1:32", "SIGTERM:SIGINT", "TERM:INT"])
def test_dumb_init_rewrite_takes_names_and_realtime_signals(personality, spec):
    p = run(["-r", spec, helper("exitcode"), "4"], binary=personality("dumb-init"))
    assert p.returncode == 4, p.describe()


@pytest.mark.parametrize("sig", [signal.SIGSEGV, signal.SIGABRT, signal.SIGBUS],
                         ids=lambda s: s.name)
def test_tini_not_pid1_forwards_fault_signals(personality, sig):
    # Not PID 1, tini dies of a fault signal sent with kill and its child
    # runs on without it; reinit passes the signal to the child, which is
    # the process a watchdog's SIGABRT or a crash test means.
    p = start(["--", helper("sigecho")], binary=personality("tini"), ns=False)
    p.wait_for_line("ready")
    # Known by pid, so that it is killed even if it outlives its init.
    p.remember(wait_until(lambda: children(p.pid), what="the child")[0])
    send(p, sig)
    p.wait_for_line(str(int(sig)))
    assert p.popen.poll() is None, f"the init is gone{p.describe()}"


def test_tini_exec_through_a_file_is_127(personality, tmp_path):
    # tini exits 1 for an exec error other than ENOENT and EACCES; a path
    # through a file (ENOTDIR) names nothing, so reinit says "not found".
    (tmp_path / "file").write_text("")
    p = run(["--", str(tmp_path / "file" / "cmd")], binary=personality("tini"), ns=False)
    assert p.returncode == 127, p.describe()
