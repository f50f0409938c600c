"""Shared fixtures: the local MNIST copy, the one quick course run, a tiny HTTP server for download tests."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
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


NO_MNIST = "no local MNIST copy"
QUICK_RUN_DIR = ROOT / "build" / "course-quick"


@pytest.fixture(scope="session")
def mnist_dir() -> Path:
    folder = local_mnist_dir()
    if folder is None:
        pytest.skip(f"{NO_MNIST}: set COURSE_DATA_DIR to a folder with the four original .gz files")
    return folder


def pytest_addoption(parser):
    parser.addoption(
        "--quick-run",
        metavar="DIR",
        help="read the quick course run already in DIR instead of running it again (build/course-quick)",
    )
    parser.addoption(
        "--site",
        metavar="DIR",
        help="test the website already built in DIR (make site: build/site) instead of building it",
    )


@pytest.fixture(scope="session")
def built_site(request) -> Path:
    """The website, built ONCE per session (or the one given with --site); its tests run with `-m site`
    (make test-site) only, so that make test never spends the build's time."""
    import importlib.util

    if "site" not in (request.config.getoption("markexpr", "") or ""):
        pytest.skip("the website's tests are not part of `make test`: run them with `make test-site`")
    given = request.config.getoption("--site")
    if given:
        if not (Path(given) / "index.html").is_file():
            pytest.fail(f"--site {given}: no index.html there; build the site first (make site)")
        return Path(given)
    from course_utils.course import site

    missing = [name for name in site.REQUIRED if importlib.util.find_spec(name) is None]
    if missing:
        pytest.skip(f"the site's requirements are not installed ({', '.join(missing)}): make test-site")
    output = ROOT / "build" / "site"
    if site.build(output, ROOT / "build" / "site-work") != 0:
        pytest.fail("the website's build failed (make site shows why)")
    return output


@pytest.fixture(scope="session")
def quick_run(request, mnist_dir):
    """The quick course, run ONCE per session: (output folder, printed log, exit status).

    Every test that checks executed notebooks reads this one run (results.json, report.md and the
    executed copies compared with the stored notebooks), so `make test` executes each lesson once.
    """
    reuse = request.config.getoption("--quick-run")
    if reuse:
        folder = Path(reuse)
        if not (folder / "results.json").is_file():
            pytest.fail(f"--quick-run {folder}: no results.json there; run the course into it first")
        log = folder / "run.log"  # written by this fixture; `make course` leaves none
        return folder, log.read_text(encoding="utf-8") if log.is_file() else "", 0
    command = [
        sys.executable,
        "-m",
        "course_utils",
        "run",
        "--profile",
        "quick",
        "--output",
        str(QUICK_RUN_DIR),
    ]
    from course_utils.course.lessons import LESSONS
    from course_utils.course.runner import NOTEBOOKS_DIR

    present = [str(lesson.number) for lesson in LESSONS if (NOTEBOOKS_DIR / lesson.notebook).exists()]
    command += ["--only", ",".join(present), "--data-dir", str(mnist_dir)]
    shutil.rmtree(QUICK_RUN_DIR, ignore_errors=True)
    env = {name: value for name, value in os.environ.items() if name != "MPLBACKEND"}  # kernels draw inline
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    log = result.stdout + result.stderr
    QUICK_RUN_DIR.mkdir(parents=True, exist_ok=True)
    (QUICK_RUN_DIR / "run.log").write_text(log, encoding="utf-8")
    return QUICK_RUN_DIR, log, result.returncode


def pytest_unconfigure(config):
    """The run's last line, when tests were skipped for want of the MNIST copy: how to run them."""
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = [r for r in reporter.stats.get("skipped", []) if NO_MNIST in str(r.longrepr)]
    if skipped:
        reporter.write_line(
            f"{len(skipped)} tests SKIPPED, {NO_MNIST}: run them with "
            "COURSE_DATA_DIR=/path/to/mnist make test (a folder with the four original .gz files)",
            yellow=True,
            bold=True,
        )


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
