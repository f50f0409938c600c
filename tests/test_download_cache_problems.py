"""A cache that cannot take a download, for real: a full disk, a read-only disk, a file in the way,
a file-size limit. Each is named on the error's first line, and no other mirror is tried for it."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import subprocess
import sys
import threading

import pytest

from course_utils.data import MNIST_SHA256, CacheError, mnist_files, sha256_of
from tests.conftest import ROOT

IMAGES = "train-images-idx3-ubyte.gz"
OTHER_FOLDER = "set COURSE_CACHE_DIR to another folder (it is created if missing), or COURSE_DATA_DIR to a "


@pytest.fixture
def no_local_folder(monkeypatch):
    for name in ("DATA_DIR", "MNIST_MIRRORS", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MIN_RATE", "CACHE_DIR"):
        monkeypatch.delenv("COURSE_" + name, raising=False)


@pytest.fixture
def small_disk(tmp_path):
    """Mount a real tmpfs ("3m", or "1m,ro": read-only); skip, saying why, where that is not allowed."""
    mounted = []

    def mount(options: str):
        point = tmp_path / f"disk{len(mounted)}"
        point.mkdir()
        if os.geteuid() != 0 or not shutil.which("mount"):
            pytest.skip("a full or read-only disk is made by mounting a small tmpfs, which needs root")
        size, _, extra = options.partition(",")
        result = subprocess.run(
            [
                "mount",
                "-t",
                "tmpfs",
                "-o",
                f"size={size}" + (f",{extra}" if extra else ""),
                "tmpfs",
                str(point),
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            pytest.skip(f"this machine does not let the tests mount a small tmpfs: {result.stderr.strip()}")
        mounted.append(point)
        return point

    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], check=False)


class _RecordingHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a folder; records each path asked for, and runs `before_sending` first (to fill a disk)."""

    def do_GET(self):
        self.server.requests.append(self.path)
        self.server.before_sending(self.path)
        super().do_GET()

    def log_message(self, *args):
        pass


@pytest.fixture
def recording_mirror(tmp_path, mnist_dir):
    """A mirror on 127.0.0.1 serving the real MNIST files: (url, server); server.requests lists the paths."""
    folder = tmp_path / "mirror"
    folder.mkdir()
    for path in mnist_dir.glob("*.gz"):
        shutil.copy(path, folder / path.name)
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_RecordingHandler, directory=str(folder))
    )
    server.requests, server.before_sending = [], lambda path: None
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", server
    finally:
        server.shutdown()
        server.server_close()


def _second_mirror():
    return "http://127.0.0.1:9/"  # never reached: a local problem tries no other mirror


def test_a_full_disk_is_said_first_and_no_mirror_is_tried(small_disk, recording_mirror, no_local_folder):
    url, server = recording_mirror
    cache = small_disk("3m") / "cache"
    with pytest.raises(CacheError) as info:
        mnist_files(cache_dir=cache, mirrors=[url, _second_mirror()], timeout=2)
    first = str(info.value).splitlines()[0]
    assert first.startswith(
        f"No space left on the disk of the cache folder {cache}: {IMAGES} needs 9.9 MB and 3."
    )
    assert "MB are free. Free some space there, or " + OTHER_FOLDER in first
    assert server.requests == []  # known before any download
    assert not cache.exists() or list(cache.iterdir()) == []


def test_a_disk_that_fills_during_the_download_is_said_first_and_loses_nothing(
    small_disk, recording_mirror, no_local_folder
):
    url, server = recording_mirror
    disk = small_disk("11m")
    filler = disk / "another-program"
    server.before_sending = lambda path: filler.write_bytes(b"\0" * 5_000_000)  # the disk fills meanwhile
    cache = disk / "cache"
    with pytest.raises(CacheError) as info:
        mnist_files(cache_dir=cache, mirrors=[url, _second_mirror()], timeout=2)
    first = str(info.value).splitlines()[0]
    assert first.startswith(
        f"No space left on the disk of the cache folder {cache}: {IMAGES} needs 9.9 MB and "
    )
    assert server.requests == [f"/{IMAGES}"]  # the second mirror was not tried
    assert list(cache.iterdir()) == []  # no partial file is left
    assert filler.stat().st_size == 5_000_000  # nothing else on the disk was touched


def test_a_read_only_cache_is_said_first(small_disk, recording_mirror, no_local_folder):
    url, server = recording_mirror
    disk = small_disk("1m,ro")
    with pytest.raises(CacheError) as info:
        mnist_files(cache_dir=disk / "cache", mirrors=[url], timeout=2)
    first = str(info.value).splitlines()[0]
    assert first == (
        f"The cache folder {disk / 'cache'} is read-only, so {IMAGES} cannot be downloaded into it: "
        + OTHER_FOLDER
        + "folder holding the four MNIST .gz files."
    )
    assert server.requests == []


@pytest.mark.parametrize("below", ["", "sub"])
def test_a_cache_path_that_is_a_file_is_said_first(tmp_path, recording_mirror, no_local_folder, below):
    url, server = recording_mirror
    (tmp_path / "cache").write_text("not a folder")
    cache = tmp_path / "cache" / below if below else tmp_path / "cache"
    with pytest.raises(CacheError) as info:
        mnist_files(cache_dir=cache, mirrors=[url], timeout=2)
    assert str(info.value).startswith(f"The cache folder {cache} is not a folder (a file is in the way): ")
    assert server.requests == [] and (tmp_path / "cache").read_text() == "not a folder"


def test_a_file_size_limit_is_said_first(tmp_path, recording_mirror, no_local_folder):
    """`ulimit -f` set for a real child process: the write fails with EFBIG part way through."""
    import resource

    url, server = recording_mirror
    cache = tmp_path / "cache"
    (cache).mkdir()
    labels = "train-labels-idx1-ubyte.gz"
    shutil.copy(server.RequestHandlerClass.keywords["directory"] + "/" + labels, cache / labels)
    code = (
        "import sys\nfrom course_utils.data import mnist_files, CacheError\n"
        f"try:\n    mnist_files(cache_dir={str(cache)!r}, mirrors={[url, _second_mirror()]!r}, timeout=2)\n"
        "except CacheError as error:\n    print(str(error).splitlines()[0]); sys.exit(3)\n"
    )
    limit = 2_000_000  # bytes: the 9.9 MB training images cannot be written

    def set_limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, preexec_fn=set_limit, capture_output=True, text=True
    )
    assert result.returncode == 3, result.stderr
    assert result.stdout.splitlines()[-1] == (  # the progress bar's line was ended first
        f"{IMAGES} (9.9 MB) is larger than this process may write (a file-size limit, ulimit -f) into the "
        f"cache folder {cache}: raise the limit, or "
        + OTHER_FOLDER
        + "folder holding the four MNIST .gz files."
    )
    assert server.requests == [f"/{IMAGES}"]
    assert sorted(p.name for p in cache.iterdir()) == [labels]  # the cached file is kept, no partial one
    assert sha256_of(cache / labels) == MNIST_SHA256[labels]
