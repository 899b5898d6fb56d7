"""examples/tilt and examples/skaffold built by a real Docker engine, and their syncs replayed
with docker exec the way Tilt and Skaffold run them: one start of the app per update."""

import io
import tarfile
import uuid

import pytest

import lib
from test_image import BUILDER, DOCKER, NATIVE, docker, image  # noqa: F401 (image is a fixture)

EXAMPLE = lib.ROOT / "examples" / "tilt"


@pytest.fixture(scope="module")
def example_image(image):
    tag = "reinit-test/live-update-example:latest"
    docker("build", "-q", "--build-arg", f"REINIT={image(NATIVE)}", "--build-arg",
           f"BUILDER={BUILDER}", "-t", tag, str(EXAMPLE))
    return tag


@pytest.fixture
def container(example_image):
    name = f"reinit-example-{uuid.uuid4().hex[:8]}"
    docker("run", "-d", "--name", name, "-e", "REINIT_VERBOSE=2", example_image)
    yield name
    docker("rm", "-f", name, check=False)


def starts(name):
    out = docker("logs", name).stdout
    return [line for line in out.splitlines() if line.startswith("start ")]


def wait_start(name, n):
    return lib.wait_until(lambda: next((s for s in starts(name) if s.startswith(f"start {n}:")),
                                       None), what=f"start {n}")


def files(**contents):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.GNU_FORMAT) as t:
        for name, text in contents.items():
            data = text.encode()
            info = tarfile.TarInfo(f"app/{name.replace('_', '.')}")
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def exec_(name, *argv, data=None):
    r = lib.subprocess.run([DOCKER, "exec", *(["-i"] if data is not None else []), name, *argv],
                           input=data, capture_output=True, timeout=lib.DEADLINE * 3)
    assert r.returncode == 0, r.stderr
    return r


TILT = [
    # A changed file: tar alone.
    lambda c: exec_(c, "tar", "-C", "/", "-x", "-f", "-", data=files(message_txt="one")),
    # A deleted file and a changed one: rm, then tar.
    lambda c: (exec_(c, "rm", "-rf", "/app/extra.txt"),
               exec_(c, "tar", "-C", "/", "-x", "-f", "-", data=files(message_txt="two"))),
]
SKAFFOLD = [
    lambda c: exec_(c, "tar", "xmf", "-", "-C", "/", "--no-same-owner",
                    data=files(message_txt="one")),
    lambda c: (exec_(c, "tar", "xmf", "-", "-C", "/", "--no-same-owner",
                     data=files(message_txt="two")),
               exec_(c, "rm", "-rf", "--", "/app/extra.txt")),
]


@pytest.mark.parametrize("updates", [TILT, SKAFFOLD], ids=["tilt", "skaffold"])
def test_each_update_starts_the_app_once(container, updates):
    assert wait_start(container, 0) == "start 0: hello"
    exec_(container, "tar", "-C", "/", "-x", "-f", "-", data=files(extra_txt="x"))
    assert wait_start(container, 1).startswith("start 1:")
    for n, update in enumerate(updates, 2):
        update(container)
        assert wait_start(container, n) == f"start {n}: {['one', 'two'][n - 2]}", docker("logs", container).stderr
    # A last probe: had an update restarted twice, its extra start would
    # come before the probe's.
    exec_(container, "tar", "-C", "/", "-x", "-f", "-", data=files(message_txt="probe"))
    n = len(updates) + 2
    assert wait_start(container, n) == f"start {n}: probe", starts(container)
    assert len(starts(container)) == n + 1, starts(container)
