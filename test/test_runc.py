"""reinit as PID 1 of a real OCI container run by runc, in a scratch root of static binaries."""

import itertools
import json
import os
import shutil
import signal
import subprocess

import pytest

import lib
from lib import Proc, descendants, wait_until

HELPER_NAMES = ["exitcode", "orphans", "sigecho", "sigrec", "stubborn", "worker"]
_names = itertools.count()


def runc_binary():
    path = shutil.which("runc")
    assert path, "runc is not installed: CI installs the Debian package runc"
    return path


@pytest.fixture(scope="module")
def rootfs(tmp_path_factory):
    """A scratch root: /reinit, /bin/HELPER, and empty proc dev sys tmp."""
    root = tmp_path_factory.mktemp("rootfs")
    for d in ("bin", "proc", "dev", "sys", "tmp"):
        (root / d).mkdir()
    (root / "tmp").chmod(0o1777)
    assert lib.REINIT.exists(), f"{lib.REINIT} is missing: run make"
    shutil.copy2(lib.REINIT, root / "reinit")
    for name in HELPER_NAMES:
        shutil.copy2(lib.helper(name), root / "bin" / name)
    return root


@pytest.fixture(scope="module")
def base_spec(tmp_path_factory):
    d = tmp_path_factory.mktemp("spec")
    subprocess.run([runc_binary(), "spec"], cwd=d, check=True)
    return d / "config.json"


class Runc:
    """Containers of one test, deleted when it ends."""

    def __init__(self, rootfs, base_spec, tmp_path):
        self.runc = runc_binary()
        self.rootfs = rootfs
        self.base_spec = base_spec
        self.tmp = tmp_path
        self.state = tmp_path / "runc-state"
        self.names = []

    def run(self, args):
        """Start `runc run` of a container whose process is args; the Proc's
        exit status is the status of the container's PID 1."""
        name = f"reinit-test-{os.getpid()}-{next(_names)}"
        bundle = self.tmp / name
        bundle.mkdir()
        config = subprocess.run(
            ["jq", "--argjson", "args", json.dumps(args), "--arg", "root", str(self.rootfs),
             ".process.terminal = false | .process.args = $args"
             " | .root.path = $root | .root.readonly = false",
             str(self.base_spec)],
            check=True, capture_output=True, text=True).stdout
        (bundle / "config.json").write_text(config)
        self.names.append(name)
        p = Proc([self.runc, "--root", self.state, "run", "-b", bundle, name])
        p.name = name
        return p

    def kill(self, p, sig):
        subprocess.run([self.runc, "--root", self.state, "kill", p.name, sig],
                       check=True, capture_output=True, timeout=lib.DEADLINE)

    def init_pid(self, p):
        out = subprocess.run([self.runc, "--root", self.state, "state", p.name],
                             check=True, capture_output=True, text=True,
                             timeout=lib.DEADLINE).stdout
        return json.loads(out)["pid"]

    def delete_all(self):
        for name in self.names:
            subprocess.run([self.runc, "--root", self.state, "delete", "-f", name],
                           capture_output=True, timeout=lib.DEADLINE)


@pytest.fixture
def runc(rootfs, base_spec, tmp_path):
    r = Runc(rootfs, base_spec, tmp_path)
    yield r
    r.delete_all()


@pytest.mark.parametrize("code", [0, 42, 255])
def test_exit_code_passes_through(runc, code):
    p = runc.run(["/reinit", "--", "/bin/exitcode", str(code)])
    assert p.wait() == code, p.describe()


def test_missing_command_is_127(runc):
    p = runc.run(["/reinit", "--", "/bin/no-such-command"])
    assert p.wait() == 127, p.describe()
    assert any(line.startswith("reinit: ") for line in p.err), p.describe()


def test_runc_kill_is_forwarded(runc):
    p = runc.run(["/reinit", "--", "/bin/sigecho"])
    p.wait_for_line("ready")
    runc.kill(p, "USR1")
    p.wait_for_line("10")
    runc.kill(p, "36")  # RTMIN+2; runc takes realtime signals by number
    p.wait_for_line("36")


def test_runc_kill_term_stops_a_cooperative_child_with_0(runc):
    p = runc.run(["/reinit", "-t", "60s", "--", "/bin/sigecho", "--exit-on-term"])
    p.wait_for_line("ready")
    runc.kill(p, "TERM")
    p.wait_for_line("term")
    assert p.wait() == 0, p.describe()


def test_runc_kill_term_on_a_stubborn_child_ends_in_137(runc):
    p = runc.run(["/reinit", "-t", "300ms", "--", "/bin/stubborn"])
    p.wait_for_line("ready")
    runc.kill(p, "TERM")
    assert p.wait() == 137, p.describe()


def test_orphans_are_reaped_in_the_container(runc):
    p = runc.run(["/reinit", "--", "/bin/orphans", "-p", "2000", "/bin/sigecho",
                  "--exit-on-term"])
    p.wait_for_line("ready", timeout=30)
    p.wait_for_line(lambda s: s.startswith("ppid "))
    assert "ppid 1" in p.out, f"an orphan was not reparented to PID 1{p.describe()}"
    init = runc.init_pid(p)
    last = []

    def only_sigecho():
        last[:] = descendants(init)
        return len(last) == 1
    try:
        wait_until(only_sigecho, timeout=30)
    except AssertionError:
        table = lib.process_table()
        zombies = sum(1 for pid in last if table.get(pid, (0, "?"))[1] == "Z")
        raise AssertionError(f"{len(last)} processes under reinit, {zombies} zombies") from None
    runc.kill(p, "TERM")
    p.wait_for_line("term")
    assert p.wait() == 0, p.describe()


def test_leftover_daemon_flushes_before_the_container_ends(runc, rootfs):
    out = f"/tmp/flushed-{os.getpid()}-{next(_names)}"
    p = runc.run(["/reinit", "--", "/bin/worker", out])
    p.wait_for_line("ready")
    assert p.wait() == 0, p.describe()
    assert (rootfs / out.lstrip("/")).read_text() == "flushed\n"


def test_sigkill_from_runc_ends_the_container(runc):
    p = runc.run(["/reinit", "--", "/bin/stubborn"])
    p.wait_for_line("ready")
    runc.kill(p, "KILL")
    assert p.wait() == 128 + signal.SIGKILL, p.describe()


# ---- the runtime's grace is the only clock --------------------------------


def test_an_app_that_needs_12s_to_stop_gets_them_by_default(runc, rootfs):
    # The kubelet's default grace is 30 s; an app draining for 12 s must end
    # by itself with 0, not be killed by reinit at a clock of its own.
    rec = f"/tmp/drain-{os.getpid()}-{next(_names)}"
    p = runc.run(["/reinit", "--", "/bin/sigrec", "-g", "15", "-d", "12000", rec])
    p.wait_for_line("ready")
    runc.kill(p, "TERM")
    assert p.wait(timeout=40) == 0, p.describe()
    assert (rootfs / rec.lstrip("/")).read_text().split() == ["15", "done"], p.describe()
    assert not any("SIGKILL" in s for s in p.err), p.describe()


def test_stop_timeout_kills_a_stubborn_app_and_says_so(runc):
    p = runc.run(["/reinit", "-t", "2s", "--", "/bin/stubborn"])
    p.wait_for_line("ready")
    runc.kill(p, "TERM")
    assert p.wait() == 137, p.describe()
    assert any("SIGKILL" in s and "--stop-timeout" in s for s in p.err), p.describe()


def test_a_term_ignoring_worker_in_the_apps_group_gets_term_before_kill(runc, rootfs):
    rec = f"/tmp/worker-{os.getpid()}-{next(_names)}"
    p = runc.run(["/reinit", "-t", "500ms", "--", "/bin/stubborn", "/bin/sigrec", rec])
    p.wait_for_line("ready")
    p.wait_for_line("ready", start=p.out.index("ready") + 1)
    runc.kill(p, "TERM")
    assert p.wait() == 137, p.describe()
    assert "15" in (rootfs / rec.lstrip("/")).read_text().split(), p.describe()
