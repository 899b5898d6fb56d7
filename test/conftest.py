"""pytest fixtures shared by the integration tests; the machinery is in lib.py."""

import os
import shutil

import pytest

import lib


@pytest.fixture(autouse=True)
def _kill_leftovers():
    """Whatever a test started is gone before the next one starts."""
    yield
    lib.cleanup()


@pytest.fixture
def personality(tmp_path):
    """personality("tini") -> path of a symlink to build/reinit with that name.

    With REINIT_TEST_REAL_PERSONALITIES=1 it is the installed program of that
    name instead, to check that the tests hold for the originals too."""
    def make(name):
        if os.environ.get("REINIT_TEST_REAL_PERSONALITIES") == "1":
            real = shutil.which(name)
            assert real, f"{name} is not installed"
            return real
        link = tmp_path / name
        if not link.exists():
            os.symlink(lib.REINIT.resolve(), link)
        return str(link)
    return make
