"""Shared fixtures: the local MNIST copy, and a tiny HTTP server on 127.0.0.1 for download tests."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
os.environ.setdefault("MPLBACKEND", "Agg")
os.environ.setdefault("COURSE_UTILS_STATIC_PLOTS", "1")

ROOT = Path(__file__).resolve().parents[1]
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist"


def local_mnist_dir() -> Path | None:
    """The folder with the four original MNIST files: COURSE_DATA_DIR, else ../shared/data/mnist."""
    for candidate in (os.environ.get("COURSE_DATA_DIR"), SHARED_MNIST):
        if candidate and (Path(candidate) / "train-images-idx3-ubyte.gz").is_file():
            return Path(candidate)
    return None


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    folder = local_mnist_dir()
    if folder is None:
        pytest.skip("no local MNIST copy: set COURSE_DATA_DIR to a folder with the four original .gz files")
    return folder


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@pytest.fixture
def http_mirror(tmp_path):
    """Serve a folder over HTTP on 127.0.0.1; yields (folder, base_url). Stops by itself."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield folder, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def fill_mirror(mnist_dir):
    """Copy the real MNIST files into a mirror folder."""

    def fill(folder: Path) -> None:
        for path in mnist_dir.glob("*.gz"):
            shutil.copy(path, folder / path.name)

    return fill
