"""The command line: bad input is one clear line and exit 2, exec failures 126/127, -h and -V."""

import os
import re
import stat

import pytest

import lib
from lib import helper, run

VERSION = re.search(r"^VERSION\s*:?=\s*(\S+)", (lib.ROOT / "Makefile").read_text(), re.M).group(1)


def assert_usage_error(p, *names):
    """Exit 2, nothing on stdout, one line on stderr that starts 'reinit: '
    and names each of names (the bad value or variable)."""
    assert p.returncode == 2, p.describe()
    assert p.out == [], p.describe()
    assert len(p.err) == 1, f"want exactly one line on stderr{p.describe()}"
    assert p.err[0].startswith("reinit: "), p.describe()
    for name in names:
        assert name in p.err[0], f"the message does not name {name!r}{p.describe()}"


# Each case: arguments before the command, and the text the message must name.
BAD_OPTIONS = [
    (["--no-such-option"], "--no-such-option"),
    (["-Z"], "Z"),
    (["-t", "10x"], "10x"),
    (["--stop-timeout=10x"], "10x"),
    (["--stop-timeout", "abc"], "abc"),
    (["-t", ""], None),
    (["-t", "-5s"], "-5s"),
    (["-t5q"], "5q"),
    (["-p", "NOPE"], "NOPE"),
    (["--pdeathsig", "65"], "65"),
    (["--pdeathsig=SIGFOO"], "SIGFOO"),
    (["-p", "RTMIN+31"], "RTMIN+31"),
    (["--stop-signal", "KILLX"], "KILLX"),
    (["--stop-signal=99"], "99"),
    (["--stop-signal", "SIGRTMAX+1"], "SIGRTMAX+1"),
    (["-r", "TERM"], "TERM"),
    (["-r", "FOO:USR1"], "FOO"),
    (["--rewrite", "TERM:BAR"], "BAR"),
    (["--rewrite=TERM:65"], "65"),
    (["-r", ":10"], None),
    (["-e", "256"], "256"),
    (["-e", "-1"], "-1"),
    (["--remap-exit", "x"], "x"),
    (["--remap-exit="], None),
]


@pytest.mark.parametrize("args,name", BAD_OPTIONS, ids=[" ".join(a) for a, _ in BAD_OPTIONS])
def test_bad_option_is_one_line_and_exit_2(args, name):
    p = run([*args, "--", helper("exitcode"), "0"], ns=False)
    assert_usage_error(p, *([name] if name else []))


@pytest.mark.parametrize("opt", ["-t", "--stop-timeout", "-p", "--pdeathsig", "-e",
                                 "--remap-exit", "-r", "--rewrite", "--stop-signal"])
def test_missing_option_argument_is_exit_2(opt):
    p = run([opt], ns=False)
    assert_usage_error(p)


BAD_ENV = [
    ("REINIT_STOP_TIMEOUT", "10x"),
    ("REINIT_STOP_TIMEOUT", "soon"),
    ("REINIT_GROUP", "maybe"),
    ("REINIT_SUBREAPER", "2"),
    ("REINIT_PAUSE", "perhaps"),
    ("REINIT_QUIET", "sometimes"),
    ("REINIT_VERBOSE", "lots"),
    ("REINIT_REMAP_EXIT", "abc"),
    ("REINIT_REMAP_EXIT", "3,256"),
    ("REINIT_REWRITE", "TERM"),
    ("REINIT_REWRITE", "TERM:USR1,HUP:NOPE"),
    ("REINIT_STOP_SIGNAL", "NOPE"),
    ("REINIT_PDEATHSIG", "99"),
]


@pytest.mark.parametrize("var,value", BAD_ENV, ids=[f"{k}={v}" for k, v in BAD_ENV])
def test_bad_environment_value_is_one_line_and_exit_2(var, value):
    p = run(["--", helper("exitcode"), "0"], ns=False, env=lib.clean_env(**{var: value}))
    assert_usage_error(p, var)


@pytest.mark.parametrize("args", [[], ["--"], ["-g"], ["-t", "1s", "--"]],
                         ids=["nothing", "dashdash", "flag-only", "option-only"])
def test_missing_command(args):
    p = run(args, ns=False)
    assert_usage_error(p)
    assert p.err[0].startswith("reinit: no command given"), p.describe()


def test_command_not_found_is_127():
    p = run(["--", "no-such-command-for-reinit"])
    assert p.returncode == 127, p.describe()
    assert "reinit: cannot run 'no-such-command-for-reinit'" in "\n".join(p.err), p.describe()


def test_missing_path_is_127(tmp_path):
    missing = str(tmp_path / "nothing-here")
    p = run(["--", missing])
    assert p.returncode == 127, p.describe()
    assert f"reinit: cannot run '{missing}'" in "\n".join(p.err), p.describe()


def test_not_executable_is_126(tmp_path):
    script = tmp_path / "plain-file"
    script.write_text("#!/bin/sh\nexit 0\n")
    script.chmod(stat.S_IRUSR | stat.S_IWUSR)
    p = run(["--", str(script)])
    assert p.returncode == 126, p.describe()
    assert any(line.startswith("reinit: ") and str(script) in line for line in p.err), p.describe()


def test_directory_is_126(tmp_path):
    p = run(["--", str(tmp_path)])
    assert p.returncode == 126, p.describe()


def test_command_is_found_on_path():
    env = lib.clean_env(PATH=f"{lib.HELPERS}:{os.environ.get('PATH', '/usr/bin:/bin')}")
    p = run(["--", "exitcode", "5"], env=env)
    assert p.returncode == 5, p.describe()


@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_help(flag):
    p = run([flag], ns=False)
    assert p.returncode == 0, p.describe()
    assert any("usage" in line.lower() for line in p.out), p.describe()
    assert p.err == [], p.describe()


@pytest.mark.parametrize("flag", ["-V", "--version"])
def test_version(flag):
    p = run([flag], ns=False)
    assert p.returncode == 0, p.describe()
    assert p.out == [f"reinit {VERSION}"], p.describe()


@pytest.mark.parametrize("args,want", [
    (["--", "ARGS", "-t", "5", "--bogus"], ["-t", "5", "--bogus"]),
    (["-g", "--", "ARGS", "-g"], ["-g"]),
    (["ARGS", "-g", "-t"], ["-g", "-t"]),
    (["-g", "ARGS", "--", "-e", "3"], ["--", "-e", "3"]),
], ids=["after-dashdash", "flag-then-dashdash", "first-non-option", "later-dashdash-is-the-child's"])
def test_parsing_stops_at_the_command(args, want):
    p = run([helper("args") if a == "ARGS" else a for a in args])
    assert p.returncode == 0, p.describe()
    assert p.out == want, p.describe()


@pytest.mark.parametrize("flags", [["-v"], ["-vv"], ["-v", "-v", "-v"], ["-q"], ["-s"],
                                   ["--subreaper"], ["--group"], ["-gs"]])
def test_accepted_flags_run_the_command(flags):
    p = run([*flags, "--", helper("exitcode"), "4"])
    assert p.returncode == 4, p.describe()


@pytest.mark.parametrize("var,value", [
    ("REINIT_GROUP", "1"), ("REINIT_GROUP", "off"), ("REINIT_SUBREAPER", "yes"),
    ("REINIT_QUIET", "true"), ("REINIT_VERBOSE", "2"), ("REINIT_STOP_TIMEOUT", "5"),
    ("REINIT_STOP_SIGNAL", "SIGUSR2"), ("REINIT_PDEATHSIG", "KILL"), ("REINIT_REWRITE", ""),
    ("REINIT_PAUSE", "0"), ("REINIT_PAUSE", ""),
])
def test_accepted_environment_runs_the_command(var, value):
    p = run(["--", helper("exitcode"), "4"], env=lib.clean_env(**{var: value}))
    assert p.returncode == 4, p.describe()
