"""Dockerfile.static built by a real Docker engine for amd64 and arm64, and
an application image on top of it run the way users run it.

make test-docker prepares the engine and the offline builder image first
(test/docker/prepare.sh); these tests then use them.
"""

import io
import json
import os
import platform
import shutil
import subprocess
import tarfile
import uuid

import pytest

import lib

DOCKER = os.environ.get("DOCKER", "/usr/bin/docker")
BUILDER = os.environ.get("BUILDER", "localhost/reinit-builder:bookworm-1")
# Docker's architecture name -> the kernel's (make ARCH=...) and readelf's.
ARCHES = {"amd64": ("x86_64", "X86-64"), "arm64": ("aarch64", "AArch64")}
NATIVE = {"x86_64": "amd64", "aarch64": "arm64"}[platform.machine()]


def docker(*args, check=True, timeout=300, **kw):
    return subprocess.run([DOCKER, *args], check=check, capture_output=True, text=True,
                          timeout=timeout, **kw)


def make_output(arch):
    """The reinit that make ARCH=arch built on the host."""
    kernel = ARCHES[arch][0]
    path = lib.BUILD / "reinit" if kernel == platform.machine() else lib.BUILD / kernel / "reinit"
    assert path.exists(), f"{path} is missing: run make ARCH={kernel}"
    return path


@pytest.fixture(scope="session")
def image():
    """image(arch) -> tag of Dockerfile.static built for linux/arch."""
    built = {}

    def build(arch):
        if arch not in built:
            tag = f"reinit-test/reinit:{arch}"
            docker("build", "-q", "-f", "Dockerfile.static", "--platform", f"linux/{arch}",
                   "--build-arg", f"BUILDER={BUILDER}", "-t", tag, str(lib.ROOT),
                   env={**os.environ, "DOCKER_BUILDKIT": "1"})
            built[arch] = tag
        return built[arch]
    return build


def layers(tag):
    """The image's layers, each as {name: TarInfo} plus the members' bytes."""
    saved = subprocess.run([DOCKER, "save", tag], check=True, capture_output=True).stdout
    outer = tarfile.open(fileobj=io.BytesIO(saved))
    manifest = json.load(outer.extractfile("manifest.json"))
    assert len(manifest) == 1
    found = []
    for name in manifest[0]["Layers"]:
        layer = tarfile.open(fileobj=outer.extractfile(name))
        found.append({m.name.rstrip("/"): (m, layer.extractfile(m).read() if m.isfile() else None)
                      for m in layer.getmembers()})
    return found


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_image_is_one_layer_of_reinit_and_its_links(image, arch):
    tag = image(arch)
    got = layers(tag)
    assert len(got) == 1, f"{tag} has {len(got)} layers"
    files = got[0]
    assert sorted(files) == ["bin", "bin/rm", "bin/tar", "reinit"]
    for name in ("bin/rm", "bin/tar"):
        info = files[name][0]
        assert info.issym() and info.linkname == "/reinit", f"{name}: {info.linkname!r}"
    info, data = files["reinit"]
    assert info.isfile() and info.mode & 0o111, "/reinit is not an executable file"
    assert data == make_output(arch).read_bytes(), f"/reinit in {tag} differs from make's"
    config = json.loads(docker("image", "inspect", tag).stdout)[0]
    assert config["Architecture"] == arch
    assert config["Config"]["Entrypoint"] == ["/reinit"]


@pytest.mark.parametrize("arch", ["amd64", "arm64"])
def test_image_holds_a_static_binary_of_its_architecture(image, arch, tmp_path):
    (info, data), = [v for k, v in layers(image(arch))[0].items() if k == "reinit"]
    path = tmp_path / "reinit"
    path.write_bytes(data)
    header = subprocess.run(["readelf", "-hlW", path], check=True, capture_output=True,
                            text=True).stdout
    machine = [line for line in header.splitlines() if "Machine:" in line]
    assert machine and ARCHES[arch][1] in machine[0], machine
    assert "INTERP" not in header


# ---- an application image, run --------------------------------------------------


def runnable(arch):
    """Whether this machine runs arch's binaries: natively, or by qemu-user
    through binfmt_misc (make test-arm64 registers it)."""
    if arch == NATIVE:
        return True
    kernel = ARCHES[arch][0]
    try:
        with open(f"/proc/sys/fs/binfmt_misc/qemu-{kernel}") as f:
            return f.readline().strip() == "enabled"
    except FileNotFoundError:
        return False


@pytest.fixture(scope="session")
def app_image(image, tmp_path_factory):
    """app_image(arch) -> an application image FROM scratch, reinit its ENTRYPOINT."""
    built = {}

    def build(arch):
        if arch in built:
            return built[arch]
        kernel = ARCHES[arch][0]
        helpers = lib.HELPERS if kernel == platform.machine() else \
            lib.BUILD / kernel / "test" / "helpers"
        ctx = tmp_path_factory.mktemp(f"app-{arch}")
        shutil.copy(lib.ROOT / "test" / "docker" / "Dockerfile.app", ctx / "Dockerfile")
        for name in ("sigecho", "starts", "exitcode"):
            assert (helpers / name).exists(), f"{helpers / name} is missing"
            shutil.copy(helpers / name, ctx / name)
        tag = f"reinit-test/app:{arch}"
        # FROM scratch and COPY only: no emulation in the build.
        docker("build", "-q", "--platform", f"linux/{arch}", "--build-arg",
               f"REINIT={image(arch)}", "-t", tag, str(ctx),
               env={**os.environ, "DOCKER_BUILDKIT": "1"})
        built[arch] = tag
        return tag
    return build


@pytest.fixture(params=["amd64", "arm64"])
def app(request, app_image):
    """The application image of each platform this machine can run."""
    if not runnable(request.param):
        pytest.skip(f"{request.param} binaries cannot run here: make test-arm64 "
                    "registers qemu-user with binfmt_misc")
    return app_image(request.param)


@pytest.fixture
def container():
    """container(*run_args) -> name of a container started with docker run -d."""
    names = []

    def run(*args):
        name = f"reinit-test-{uuid.uuid4().hex[:12]}"
        names.append(name)
        docker("run", "-d", "--name", name, *args)
        return name
    yield run
    for name in names:
        docker("rm", "-f", name, check=False)


def logs(name):
    return docker("logs", name).stdout.splitlines()


def wait_for_log(name, line):
    lib.wait_until(lambda: line in logs(name), what=f"{line!r} in the logs of {name}")


def state(name):
    return json.loads(docker("inspect", name).stdout)[0]["State"]


@pytest.mark.parametrize("argv,code", [
    (["/app/exitcode", "0"], 0),
    (["/app/exitcode", "42"], 42),
    (["/app/exitcode", "-s", "15"], 128 + 15),
])
def test_exit_status_passes_through(app, argv, code):
    name = f"reinit-test-{uuid.uuid4().hex[:12]}"
    done = docker("run", "--rm", "--name", name, app, *argv, check=False)
    assert done.returncode == code, done.stderr


def test_docker_stop_gives_the_app_sigterm_and_exits_0(app, container):
    name = container(app)
    wait_for_log(name, "ready")
    # A grace far longer than the tests' deadline: a SIGKILL at its end
    # would show as exit 137 and no "term" line.
    docker("stop", "-t", "60", name, timeout=90)
    st = state(name)
    assert (st["Running"], st["ExitCode"], st["OOMKilled"]) == (False, 0, False)
    assert logs(name)[-1] == "term"


def test_docker_exec_restart_restarts_the_app(app, container, tmp_path):
    name = container("-e", "REINIT_WATCH=/app", app, "/app/starts")
    lib.wait_until(lambda: any(line.startswith("start 0 ") for line in logs(name)),
                   what="the first start")
    done = docker("exec", name, "/reinit", "--restart", check=False)
    assert done.returncode == 0, done.stderr
    lib.wait_until(lambda: any(line.startswith("start 1 ") for line in logs(name)),
                   what="a second start")
    assert state(name)["Running"]


def test_under_dockers_init_stops_cleanly(app, container):
    name = container("--init", app)
    wait_for_log(name, "ready")
    top = docker("top", name, "-o", "pid,ppid,comm").stdout.split()
    assert "docker-init" in top and "reinit" in top, top
    docker("stop", "-t", "60", name, timeout=90)
    st = state(name)
    assert (st["Running"], st["ExitCode"]) == (False, 0)
    assert logs(name)[-1] == "term"


def starts(name):
    return [line for line in logs(name) if line.startswith("start ")]


def copy_in(name, files, dest="/app"):
    """`docker cp - C:DEST` of a tar of files: the engine's archive API, the
    way Docker Compose watch writes a sync's files (no exec, no tar in the
    container)."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w") as t:
        for n, data in files.items():
            ti = tarfile.TarInfo(n)
            ti.size, ti.mode = len(data), 0o644
            t.addfile(ti, io.BytesIO(data))
    subprocess.run([DOCKER, "cp", "-", f"{name}:{dest}"], input=buf.getvalue(), check=True,
                   capture_output=True, timeout=60)


def test_compose_watch_sync_with_a_deletion_is_one_restart(app, container):
    # Compose's sync: `docker exec C rm -rf PATHS` (no --), then the engine
    # writes the new files: one restart, with both in REINIT_CHANGED.
    name = container("-e", "REINIT_WATCH=/app", app, "/app/starts")
    lib.wait_until(lambda: len(starts(name)) == 1, what="the first start")
    copy_in(name, {"old.txt": b"old"})
    lib.wait_until(lambda: len(starts(name)) == 2, what="the start for old.txt")
    done = docker("exec", name, "rm", "-rf", "/app/old.txt", check=False)
    assert done.returncode == 0, done.stderr
    copy_in(name, {"new.txt": b"new"})
    lib.wait_until(lambda: len(starts(name)) == 3, what="one restart for the sync")
    assert sorted(starts(name)[2].split(" ", 3)[3].split("|")) == ["new.txt", "old.txt"], \
        logs(name)
    copy_in(name, {"probe": b"x"})
    lib.wait_until(lambda: len(starts(name)) == 4, what="the probe's restart")
    assert starts(name)[3] == "start 3 changed probe", logs(name)


def test_root_exec_reaches_a_reinit_of_another_user(app, container):
    # USER 1000 (runAsNonRoot), `docker exec -u 0 C /reinit --restart`: the
    # answer comes back at once, and status works across the uids too.
    name = container("-u", "1000", app, "/app/starts")
    lib.wait_until(lambda: len(starts(name)) == 1, what="the first start")
    done = docker("exec", "-u", "0", name, "/reinit", "--restart", check=False)
    assert done.returncode == 0, done.stderr
    lib.wait_until(lambda: len(starts(name)) == 2, what="the restart")
    status = docker("exec", "-u", "0", name, "/reinit", "status", check=False)
    assert status.returncode == 0 and "restarts: 1" in status.stdout, status
