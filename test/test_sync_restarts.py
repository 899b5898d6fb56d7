"""One restart per sync: Tilt's, Skaffold's and kubectl cp's exec sequences replayed into a
scratch runc container running `reinit -w /app`, counting the app's starts."""

import os
import shutil
import signal
import subprocess
import tarfile
import time

import pytest

import lib
from test_sync_runc import k8s_runc
from test_tar import archive


@pytest.fixture
def rootfs(tmp_path):
    root = tmp_path / "rootfs"
    for d in ("bin", "proc", "dev", "sys", "tmp", "app"):
        (root / d).mkdir(parents=True)
    shutil.copy2(lib.REINIT, root / "reinit")
    for name in ("tar", "rm"):
        os.symlink("/reinit", root / "bin" / name)
    shutil.copy2(lib.helper("starts"), root / "app" / "server")
    # What the syncs delete is there before the app starts.
    for name in ("gone", "stale"):
        (root / "app" / name).write_text("old")
    return root


@pytest.fixture
def runc(rootfs, tmp_path):
    (tmp_path / "spec").mkdir()
    r = k8s_runc(rootfs, tmp_path, tmp_path / "spec")
    yield r
    r.delete_all()


def start_line(p, n):
    return p.wait_for_line(lambda s: s.startswith(f"start {n} "))


@pytest.fixture
def app(runc):
    p = runc.run(["/reinit", "-w", "/app", "--", "/app/server"])
    start_line(p, 0)
    return p


def execs(runc, p, *argv, data=b""):
    r = subprocess.run([runc.runc, "--root", runc.state, "exec", p.name, *argv], input=data,
                       capture_output=True, timeout=lib.DEADLINE * 3)
    assert r.returncode == 0, r
    return r


def files(*names):
    return archive(*[(f"app/{n}", tarfile.REGTYPE, n.encode()) for n in names])


def assert_one_restart_then_probe(p, rootfs, probe="probe"):
    """The update's restart is start 1; a probe written afterwards must be
    start 2 alone: had the update restarted twice, start 2 would be its."""
    start_line(p, 1)
    (rootfs / "app" / probe).write_text("x")
    i = start_line(p, 2)
    assert p.out[i] == f"start 2 changed {probe}", \
        f"the update restarted more than once{p.describe()}"


def test_tilt_rm_then_tar_is_one_restart(runc, app, rootfs):
    execs(runc, app, "rm", "-rf", "/app/gone")
    execs(runc, app, "tar", "-C", "/", "-x", "-f", "-", data=files("a", "b"))
    assert_one_restart_then_probe(app, rootfs)


def test_tilt_tar_alone_is_one_restart(runc, app, rootfs):
    execs(runc, app, "tar", "-C", "/", "-x", "-v", "-f", "-", data=files("a", "b", "c"))
    i = start_line(app, 1)
    assert sorted(app.out[i].split(" ", 3)[3].split("|")) == ["a", "b", "c"], app.describe()
    assert_one_restart_then_probe(app, rootfs)


def test_tilt_tar_of_the_running_binary_starts_the_new_one(runc, app, rootfs):
    body = open(lib.helper("starts"), "rb").read()
    execs(runc, app, "tar", "-C", "/", "-x", "-f", "-",
          data=archive(("app/server", tarfile.REGTYPE, body, {"mode": 0o755})))
    assert_one_restart_then_probe(app, rootfs)
    assert not any("busy" in s or "cannot run" in s for s in app.err), app.describe()


def test_skaffold_tar_then_rm_is_one_restart(runc, app, rootfs):
    execs(runc, app, "tar", "xmf", "-", "-C", "/", "--no-same-owner", data=files("a"))
    execs(runc, app, "rm", "-rf", "--", "/app/stale")
    assert_one_restart_then_probe(app, rootfs)


def test_skaffold_rm_of_several_paths_ends_the_sync(runc, app, rootfs):
    # Skaffold's rm is its sync's last step, however many paths it names:
    # once it has run, nothing is held waiting for a further step.
    execs(runc, app, "tar", "xmf", "-", "-C", "/", "--no-same-owner", data=files("a"))
    execs(runc, app, "rm", "-rf", "--", "/app/stale", "/app/gone")
    status = execs(runc, app, "/reinit", "status").stdout.decode()
    assert "sync holds: none\n" in status, status
    i = start_line(app, 1)
    assert sorted(app.out[i].split(" ", 3)[3].split("|")) == ["a", "gone", "stale"], \
        app.describe()
    assert not (rootfs / "app" / "gone").exists() and not (rootfs / "app" / "stale").exists()


def test_skaffold_tar_alone_is_one_restart(runc, app, rootfs):
    execs(runc, app, "tar", "xmf", "-", "-C", "/", "--no-same-owner", data=files("a"))
    assert_one_restart_then_probe(app, rootfs)


@pytest.mark.parametrize("argv", [
    ["tar", "-xmf", "-", "-C", "/app"],
    ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-", "-C", "/app"],
], ids=["kubectl-cp", "kubectl-cp-no-preserve"])
def test_kubectl_cp_is_one_restart(runc, app, rootfs, argv):
    execs(runc, app, *argv, data=archive(("copied", tarfile.REGTYPE, b"x")))
    assert_one_restart_then_probe(app, rootfs)


def exec_streaming(runc, p, *argv):
    return subprocess.Popen([runc.runc, "--root", runc.state, "exec", p.name, *argv],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)


def test_a_slow_stream_is_one_restart(runc, app, rootfs):
    # Three entries a second apart, as over a slow link: far longer than
    # any debounce, still one update.
    data = files("s1", "s2", "s3")
    t = exec_streaming(runc, app, "tar", "-C", "/", "-x", "-f", "-")
    for k in range(3):
        t.stdin.write(data[k * 1024:(k + 1) * 1024])
        t.stdin.flush()
        lib.wait_until(lambda: (rootfs / "app" / f"s{k + 1}").exists(), what=f"s{k + 1}")
        time.sleep(1)  # the stimulus: the stream pauses, as a slow link does
    t.stdin.write(data[3 * 1024:])
    t.stdin.close()
    assert t.wait(timeout=lib.DEADLINE) == 0, t.stderr.read()
    i = start_line(app, 1)
    assert sorted(app.out[i].split(" ", 3)[3].split("|")) == ["s1", "s2", "s3"], app.describe()
    assert_one_restart_then_probe(app, rootfs)


def tar_pid_of(execing):
    """The host pid of the built-in tar that a runc exec started."""
    return lib.wait_until(lambda: [q for q in lib.descendants(execing.pid)
                                   if lib.comm(q) == "tar"], what="the tar")[0]


def test_a_killed_tar_lets_go_within_a_second(runc, app, rootfs):
    data = files("k1", "k2")
    t = exec_streaming(runc, app, "tar", "-C", "/", "-x", "-f", "-")
    t.stdin.write(data[:1024])
    t.stdin.flush()
    lib.wait_until(lambda: (rootfs / "app" / "k1").exists(), what="k1")
    os.kill(tar_pid_of(t), signal.SIGKILL)
    t.wait(timeout=lib.DEADLINE)
    i = start_line(app, 1)
    assert app.out[i] == "start 1 changed k1", app.describe()
    # stderr is read apart from stdout: the line written before the start
    # may come in after it.
    lib.wait_until(lambda: any("ended without saying so" in s for s in app.err),
                   what="the warning that the sync ended without saying so")
