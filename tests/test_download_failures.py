"""Downloads that go wrong, for real: silent and stalling servers, refused ports, corrupted mirrors."""

from __future__ import annotations

import re
import socket
import threading
import time

import pytest

from course_utils.data import MNIST_SHA256, MnistError, mnist_files, sha256_of

# A download over 1 MB shows Keras' progress bar, whose first import starts TensorFlow (many seconds on a
# busy machine): import it here, so that the time limits below measure the downloads alone.
pytest.importorskip("keras.utils")

IMAGES = "train-images-idx3-ubyte.gz"


@pytest.fixture
def no_local_folder(monkeypatch):
    for name in (
        "COURSE_DATA_DIR",
        "COURSE_MNIST_MIRRORS",
        "COURSE_DOWNLOAD_TIMEOUT",
        "COURSE_DOWNLOAD_MIN_RATE",
    ):
        monkeypatch.delenv(name, raising=False)


def _silent_server(first_bytes: bytes = b""):
    """A server on 127.0.0.1 that accepts, sends first_bytes (maybe nothing) and then never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    held, stop = [], threading.Event()

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            held.append(connection)
            if first_bytes:
                connection.recv(65536)  # the request
                connection.sendall(first_bytes)

    threading.Thread(target=serve, daemon=True).start()

    def close():
        stop.set()
        for connection in held:
            connection.close()
        listener.close()

    return f"http://127.0.0.1:{listener.getsockname()[1]}/", close


@pytest.fixture
def silent_mirror():
    url, close = _silent_server()
    yield url
    close()


@pytest.fixture
def stalling_mirror():
    url, close = _silent_server(b"HTTP/1.1 200 OK\r\nContent-Length: 9999999\r\n\r\n" + b"\x1f\x8b" * 500)
    yield url
    close()


def _trickling_server(seconds_per_byte: float = 0.05, for_at_most: float = 30.0):
    """A server on 127.0.0.1 that answers 200 at once, then sends one byte every `seconds_per_byte`.

    Each connection stops by itself after `for_at_most` seconds (the test never waits that long).
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    stop = threading.Event()

    def trickle(connection):
        with connection:
            connection.recv(65536)  # the request
            connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 9912422\r\n\r\n")
            end = time.monotonic() + for_at_most
            while not stop.is_set() and time.monotonic() < end:
                try:
                    connection.sendall(b"\x1f")
                except OSError:  # the client gave up
                    return
                time.sleep(seconds_per_byte)

    def serve():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except OSError:
                continue
            threading.Thread(target=trickle, args=(connection,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()

    def close():
        stop.set()
        listener.close()

    return f"http://127.0.0.1:{listener.getsockname()[1]}/", close


@pytest.fixture
def trickling_mirror():
    url, close = _trickling_server()
    yield url
    close()


def _refused_url() -> str:
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()  # nothing listens there any more: connections are refused at once
    return f"http://127.0.0.1:{port}/"


def _within(seconds: float, call):
    """Run call in a thread; fail (instead of hanging the tests) if it does not finish in time."""
    outcome = {}

    def target():
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    start = time.monotonic()
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s: the download hangs"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"], time.monotonic() - start


def test_a_silent_mirror_is_abandoned_for_the_next_one(
    silent_mirror, http_mirror, fill_mirror, tmp_path, no_local_folder
):
    folder, url = http_mirror
    fill_mirror(folder)
    cache = tmp_path / "cache"
    paths, seconds = _within(
        30, lambda: mnist_files(cache_dir=cache, mirrors=[silent_mirror, url], timeout=1)
    )
    assert all(sha256_of(path) == MNIST_SHA256[path.name] for path in paths.values())
    assert seconds < 15  # four files, one silent second each, then the good mirror


def test_a_transfer_that_stalls_is_abandoned_and_leaves_no_partial_file(
    stalling_mirror, tmp_path, no_local_folder, monkeypatch
):
    monkeypatch.setenv("COURSE_DOWNLOAD_TIMEOUT", "1")  # the environment variable sets the timeout
    cache = tmp_path / "cache"
    with pytest.raises(MnistError) as info:
        _within(20, lambda: mnist_files(cache_dir=cache, mirrors=[stalling_mirror]))
    assert f"{stalling_mirror}{IMAGES}: no answer (timed out)" in str(info.value)
    assert list(cache.iterdir()) == []


def test_every_mirror_failing_puts_the_fix_first_then_each_mirror_and_why(
    silent_mirror, http_mirror, fill_mirror, tmp_path, no_local_folder
):
    folder, good = http_mirror
    fill_mirror(folder)
    (folder / IMAGES).write_bytes(b"corrupted")
    refused = _refused_url()
    mirrors = [refused, silent_mirror, good]
    with pytest.raises(MnistError) as info:
        _within(20, lambda: mnist_files(cache_dir=tmp_path / "cache", mirrors=mirrors, timeout=1))
    lines = str(info.value).splitlines()
    assert lines[0].startswith("Set COURSE_DATA_DIR to a folder holding the four MNIST .gz files")
    assert "COURSE_CACHE_DIR" in lines[0] and not lines[0].endswith(":")
    assert f"  {refused}{IMAGES}: [Errno 111] Connection refused" in lines
    assert f"  {silent_mirror}{IMAGES}: no answer (timed out)" in lines
    assert f"  {good}{IMAGES}: the file's SHA-256 does not match the published one" in lines[-2]
    assert not (tmp_path / "cache" / IMAGES).exists()
    assert not list((tmp_path / "cache").glob("*.part"))


def test_a_bad_timeout_is_refused(tmp_path, no_local_folder, monkeypatch):
    monkeypatch.setenv("COURSE_DOWNLOAD_TIMEOUT", "soon")
    with pytest.raises(ValueError, match="download timeout must be a number of seconds > 0, got 'soon'"):
        mnist_files(cache_dir=tmp_path / "cache", mirrors=["http://127.0.0.1:9/"])


def test_a_long_download_shows_progress(http_mirror, fill_mirror, tmp_path, no_local_folder, capsys):
    folder, url = http_mirror
    fill_mirror(folder)
    mnist_files(cache_dir=tmp_path / "cache", mirrors=[url])
    out = capsys.readouterr().out
    assert f"Downloading data from {url}{IMAGES}" in out
    assert "9912422/9912422" in out  # Keras' progress bar reached the file's size (train images)


def test_a_trickling_mirror_is_abandoned_for_the_next_one(
    trickling_mirror, http_mirror, fill_mirror, tmp_path, no_local_folder
):
    """20 bytes a second never goes silent for the timeout, but is far under the minimum rate."""
    folder, url = http_mirror
    fill_mirror(folder)
    paths, seconds = _within(
        30, lambda: mnist_files(cache_dir=tmp_path / "cache", mirrors=[trickling_mirror, url], timeout=1)
    )
    assert all(sha256_of(path) == MNIST_SHA256[path.name] for path in paths.values())
    assert seconds < 15  # four files, about one trickling second each, then the good mirror


def test_a_trickling_mirror_is_named_with_its_rate_and_leaves_no_partial_file(
    trickling_mirror, tmp_path, no_local_folder, monkeypatch
):
    monkeypatch.setenv("COURSE_DOWNLOAD_MIN_RATE", "1000")  # the environment variable sets the rate
    with pytest.raises(MnistError) as info:
        _within(20, lambda: mnist_files(cache_dir=tmp_path / "cache", mirrors=[trickling_mirror], timeout=1))
    (line,) = [line for line in str(info.value).splitlines() if line.startswith(f"  {trickling_mirror}")]
    assert re.fullmatch(
        rf"  {trickling_mirror}{IMAGES}: too slow: \d+ bytes in 1 s, under the minimum of 1000 bytes a "
        r"second \(COURSE_DOWNLOAD_MIN_RATE\)",
        line,
    ), line
    assert list((tmp_path / "cache").iterdir()) == []


def test_a_mirror_fast_enough_is_kept_however_slow_its_reads(tmp_path, no_local_folder):
    """The minimum rate is averaged over each timeout period: 20 bytes a second pass a minimum of 10."""
    url, close = _trickling_server(for_at_most=2.5)
    try:
        with pytest.raises(MnistError) as info:
            _within(20, lambda: mnist_files(cache_dir=tmp_path / "c", mirrors=[url], timeout=1, min_rate=10))
    finally:
        close()
    assert "too slow" not in str(info.value)  # it ran until the server hung up: an incomplete file
    assert "IncompleteRead" in str(info.value) or "SHA-256" in str(info.value)


@pytest.mark.parametrize("value", ["0", "-5", "fast"])
def test_a_bad_minimum_rate_is_refused(tmp_path, no_local_folder, monkeypatch, value):
    monkeypatch.setenv("COURSE_DOWNLOAD_MIN_RATE", value)
    message = f"the minimum download rate must be a number of bytes a second > 0, got '{value}'"
    with pytest.raises(ValueError, match=re.escape(message)):
        mnist_files(cache_dir=tmp_path / "cache", mirrors=["http://127.0.0.1:9/"])
