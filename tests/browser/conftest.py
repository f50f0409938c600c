"""A real JupyterLab on 127.0.0.1 and Debian's Chromium driven by Playwright, for the browser tests.

`make test-browser` runs them (`pytest tests/browser -m browser`); `make test` skips them and says so.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, local_mnist_dir

CHROMIUM = Path(os.environ.get("COURSE_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = ROOT / "build" / "browser"
# JupyterLab settings for the tests: every cell stays in the page (no windowing), no news or update checks.
LAB_SETTINGS = {
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}
NOT_RUN = "browser tests are not part of `make test`: run them with `make test-browser` (needs chromium)"
SITE_NOT_RUN = "the website's browser tests are not part of `make test`: run them with `make test-site`"
NO_CHROMIUM = f"; no Chromium at {CHROMIUM} on this machine: `apt-get install chromium` first"


def pytest_collection_modifyitems(config, items):
    """Skip the browser tests, with a clear reason, unless they were asked for with `-m browser` (or, for
    the website's, `-m site`)."""
    if any(word in (config.getoption("markexpr", "") or "") for word in ("browser", "site")):
        return
    for item in items:
        if item.get_closest_marker("browser"):
            reason = SITE_NOT_RUN if item.get_closest_marker("site") else NOT_RUN
            item.add_marker(pytest.mark.skip(reason=reason + ("" if CHROMIUM.exists() else NO_CHROMIUM)))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Lab:
    """A JupyterLab server serving `root` on 127.0.0.1 without a token."""

    def __init__(self, root: Path, log_path: Path):
        self.root, self.port = root, _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        settings = root.parent / "lab-settings"
        for name, values in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        env.pop("COURSE_UTILS_STATIC_PLOTS", None)  # the kernels draw live, as for a learner
        env.pop("MPLBACKEND", None)
        if local_mnist_dir():
            env["COURSE_DATA_DIR"] = str(local_mnist_dir())
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            "--IdentityProvider.token=",
            "--ServerApp.password=",
            f"--ServerApp.root_dir={root}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={root.parent / 'lab-workspaces'}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=None",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ]
        self.log = open(log_path, "w")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(command, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        try:
            self._wait_until_up()
        except RuntimeError:
            self.stop()
            raise

    def _wait_until_up(self, timeout: float = 90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"JupyterLab exited with code {self.process.returncode}; see {self.log.name}"
                )
            try:
                with urllib.request.urlopen(f"{self.url}/api/status", timeout=2):
                    return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError(
            f"JupyterLab did not answer on {self.url} within {timeout:.0f} s; see {self.log.name}"
        )

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


@pytest.fixture(scope="session")
def lab_root(tmp_path_factory) -> Path:
    """Copies of the lessons with the quick parameters, as the course's other tests run them (and of the
    Spanish lesson 12 in es/)."""
    from course_utils.course.lessons import LESSONS
    from course_utils.course.runner import NOTEBOOKS_DIR, write_quick_copies

    if local_mnist_dir() is None:
        pytest.fail("no local MNIST copy: set COURSE_DATA_DIR to a folder with the four original .gz files")
    root = tmp_path_factory.mktemp("lab") / "notebooks"
    write_quick_copies(LESSONS, NOTEBOOKS_DIR, root)
    write_quick_copies([LESSONS[-1]], NOTEBOOKS_DIR / "es", root / "es")
    return root


@pytest.fixture(scope="session")
def lab(lab_root) -> Lab:
    """A JupyterLab 4 on a free port of 127.0.0.1, stopped at the end of the session."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    server = Lab(lab_root, SCREENSHOTS / "jupyterlab.log")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright (which cannot download browsers here)."""
    if not CHROMIUM.exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: `apt-get install chromium` (or set COURSE_CHROMIUM)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "Playwright for Python is missing: `.venv/bin/pip install playwright` (make test-browser does)"
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser page, 1400×1000."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    yield page
    context.close()


def copy_notebook(source: Path, target: Path) -> Path:
    """Copy a notebook file byte for byte."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    return target
