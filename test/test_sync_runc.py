"""Tilt's, Skaffold's and kubectl cp's exact exec lines in a scratch runc container holding only
reinit (with its tar and rm links) and a static app."""

import io
import json
import os
import shutil
import subprocess
import tarfile

import pytest

import lib
import tarlib
import test_runc
from test_tar import archive


@pytest.fixture(scope="module")
def rootfs(tmp_path_factory):
    root = tmp_path_factory.mktemp("syncroot")
    for d in ("bin", "proc", "dev", "sys", "tmp", "app"):
        (root / d).mkdir()
    shutil.copy2(lib.REINIT, root / "reinit")
    shutil.copy2(lib.helper("sigecho"), root / "bin" / "sigecho")
    return root


# The capabilities a Kubernetes container gets by default (runc's own default
# has three): tar as root sets owners.
K8S_CAPS = ["CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE"]


def k8s_runc(rootfs, tmp_path, spec):
    """A Runc for rootfs whose containers get Kubernetes' default capabilities."""
    subprocess.run([test_runc.runc_binary(), "spec"], cwd=spec, check=True)
    cfg = json.loads((spec / "config.json").read_text())
    for k in ("bounding", "effective", "permitted"):
        cfg["process"]["capabilities"][k] = K8S_CAPS
    (spec / "config.json").write_text(json.dumps(cfg))
    return test_runc.Runc(rootfs, spec / "config.json", tmp_path)


@pytest.fixture
def runc(rootfs, tmp_path, tmp_path_factory):
    r = k8s_runc(rootfs, tmp_path, tmp_path_factory.mktemp("syncspec"))
    yield r
    r.delete_all()


def execs(runc, p, *argv, data=b""):
    return subprocess.run([runc.runc, "--root", runc.state, "exec", p.name, *argv], input=data,
                          capture_output=True, timeout=lib.DEADLINE * 3)


@pytest.fixture
def app(runc, rootfs):
    """The container: reinit --install /bin, then reinit running the app."""
    inst = runc.run(["/reinit", "--install", "/bin"])
    assert inst.wait() == 0, inst.describe()
    assert os.readlink(rootfs / "bin" / "tar") == "/reinit"
    assert os.readlink(rootfs / "bin" / "rm") == "/reinit"
    p = runc.run(["/reinit", "--", "/bin/sigecho"])
    p.wait_for_line("ready")
    yield p
    for name in os.listdir(rootfs / "app"):
        path = rootfs / "app" / name
        shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()


def go_archive():
    gen = tarlib.targen()
    assert gen, "no Go toolchain: make deps installs golang-go"
    return subprocess.run([gen], check=True, capture_output=True).stdout


def test_tilt_rm_then_tar(runc, app, rootfs):
    (rootfs / "app" / "gone").write_bytes(b"old")
    (rootfs / "app" / "gonedir").mkdir()
    (rootfs / "app" / "gonedir" / "x").write_bytes(b"x")
    r = execs(runc, app, "rm", "-rf", "/app/gone", "/app/gonedir")
    assert r.returncode == 0, r.stderr
    assert not (rootfs / "app" / "gone").exists() and not (rootfs / "app" / "gonedir").exists()
    r = execs(runc, app, "tar", "-C", "/", "-x", "-f", "-", data=go_archive())
    assert r.returncode == 0, r.stderr
    assert (rootfs / "app" / "main").read_bytes() == b"#!binary\n"
    assert os.readlink(rootfs / "app" / "link") == "main"
    assert (rootfs / "app" / "sub" / "deep" / "x.txt").read_bytes() == b"deep\n"


def test_tilt_older_verbose(runc, app, rootfs):
    r = execs(runc, app, "tar", "-C", "/", "-x", "-v", "-f", "-", data=go_archive())
    assert r.returncode == 0, r.stderr
    assert b"app/main\n" in r.stdout
    assert (rootfs / "app" / "empty").read_bytes() == b""


def test_tilt_replaces_the_running_binary(runc, app, rootfs):
    new = open(lib.helper("sigecho"), "rb").read()
    r = execs(runc, app, "tar", "-C", "/", "-x", "-f", "-",
              data=archive(("bin/sigecho", tarfile.REGTYPE, new, {"mode": 0o755})))
    assert r.returncode == 0, r.stderr
    assert app.returncode is None and lib.alive(runc.init_pid(app))


def test_skaffold_tar_then_rm(runc, app, rootfs):
    (rootfs / "app" / "stale").write_bytes(b"old")
    r = execs(runc, app, "tar", "xmf", "-", "-C", "/", "--no-same-owner", data=go_archive())
    assert r.returncode == 0, r.stderr
    st = os.stat(rootfs / "app" / "main")
    assert (st.st_uid, st.st_gid) == (0, 0)
    r = execs(runc, app, "rm", "-rf", "--", "/app/stale")
    assert r.returncode == 0, r.stderr
    assert not (rootfs / "app" / "stale").exists()


@pytest.mark.parametrize("argv", [
    ["tar", "-xmf", "-", "-C", "/app"],
    ["tar", "--no-same-permissions", "--no-same-owner", "-xmf", "-", "-C", "/app"],
], ids=["kubectl-cp", "kubectl-cp-no-preserve"])
def test_kubectl_cp(runc, app, rootfs, argv):
    data = archive(("copied", tarfile.REGTYPE, b"copied\n", {"mode": 0o4750, "uid": 1234}))
    r = execs(runc, app, *argv, data=data)
    assert r.returncode == 0, r.stderr
    st = os.stat(rootfs / "app" / "copied")
    assert (rootfs / "app" / "copied").read_bytes() == b"copied\n"
    if "--no-same-owner" in argv:
        assert (st.st_uid, st.st_mode & 0o7777) == (0, 0o750)
    else:
        assert (st.st_uid, st.st_mode & 0o7777) == (1234, 0o4750)


def test_tar_from_root_goes_through_an_absolute_symlink_of_the_image(runc, app, rootfs):
    # A buildpack's /workspace, an /app that links elsewhere: with -C / every
    # path is inside, and the link leads where the kernel would take it.
    # Below any other -C an absolute link still leads nowhere.
    (rootfs / "srv" / "data").mkdir(parents=True)
    (rootfs / "data").symlink_to("/srv/data")
    (rootfs / "app" / "out").symlink_to("/srv/data")
    try:
        r = execs(runc, app, "tar", "-C", "/", "-x", "-f", "-",
                  data=archive(("data/f", tarfile.REGTYPE, b"f\n")))
        assert r.returncode == 0, r.stderr
        assert (rootfs / "srv" / "data" / "f").read_bytes() == b"f\n"
        r = execs(runc, app, "tar", "-xmf", "-", "-C", "/app",
                  data=archive(("out/g", tarfile.REGTYPE, b"g\n")))
        assert r.returncode == 2, r.stderr
        assert not (rootfs / "srv" / "data" / "g").exists()
    finally:
        (rootfs / "data").unlink()
        shutil.rmtree(rootfs / "srv")


def test_rm_refuses_root(runc, app, rootfs):
    r = execs(runc, app, "rm", "-rf", "/")
    assert r.returncode == 1
    assert r.stderr == b"rm: it is dangerous to operate recursively on '/'\n"
    assert (rootfs / "reinit").exists() and (rootfs / "bin" / "sigecho").exists()


def test_docker_scratch_image_install_and_tilt_sync(tmp_path):
    """The Docker engine, once: a scratch image whose only RUN is the exec-form
    `reinit --install /bin`, then Tilt's tar exec into the running container."""
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "info"], capture_output=True).returncode:
        pytest.skip("no Docker engine running (Debian package docker.io, then dockerd)")
    shutil.copy2(lib.REINIT, tmp_path / "reinit")
    shutil.copy2(lib.helper("sigecho"), tmp_path / "app")
    (tmp_path / "Dockerfile").write_text(
        "FROM scratch\n"
        "COPY reinit /reinit\n"
        'RUN ["/reinit", "--install", "/bin"]\n'
        "COPY app /bin/app\n"
        'ENTRYPOINT ["/reinit", "--", "/bin/app"]\n')
    tag = f"reinit-sync-test:{os.getpid()}"
    name = f"reinit-sync-test-{os.getpid()}"
    subprocess.run([docker, "build", "-q", "-t", tag, tmp_path], check=True, capture_output=True,
                   timeout=120)
    try:
        subprocess.run([docker, "run", "-d", "--name", name, tag], check=True,
                       capture_output=True, timeout=60)
        r = subprocess.run([docker, "exec", "-i", name, "tar", "-C", "/", "-x", "-f", "-"],
                           input=go_archive(), capture_output=True, timeout=60)
        assert r.returncode == 0, r.stderr
        # Read back through the engine's archive API: the image has no cat.
        out = subprocess.run([docker, "cp", f"{name}:/app/main", "-"], check=True,
                             capture_output=True, timeout=60).stdout
        with tarfile.open(fileobj=io.BytesIO(out)) as t:
            assert t.extractfile("main").read() == b"#!binary\n"
        r = subprocess.run([docker, "exec", name, "rm", "-rf", "/app"], capture_output=True,
                           timeout=60)
        assert r.returncode == 0, r.stderr
        r = subprocess.run([docker, "exec", name, "rm", "/app/main"], capture_output=True,
                           timeout=60)
        assert r.returncode == 1 and b"rm: cannot remove '/app/main': " in r.stderr
    finally:
        subprocess.run([docker, "rm", "-f", name], capture_output=True, timeout=60)
        subprocess.run([docker, "rmi", "-f", tag], capture_output=True, timeout=60)
