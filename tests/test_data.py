"""course_utils.data: loading, splits, and every failure path, done for real (files, HTTP, permissions)."""

from __future__ import annotations

import gzip
import os
import shutil
import struct
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from course_utils.data import (
    MNIST_SHA256,
    MnistError,
    load_mnist,
    make_blobs,
    mnist_files,
    read_idx,
    sha256_of,
)
from tests.conftest import ROOT

IMAGES = "train-images-idx3-ubyte.gz"


# -- the real data --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def mnist(mnist_dir):
    return load_mnist(mnist_dir)


def test_splits_have_the_documented_sizes_types_and_ranges(mnist):
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = mnist
    assert x_train.shape == (55_000, 28, 28) and y_train.shape == (55_000,)
    assert x_val.shape == (5_000, 28, 28) and y_val.shape == (5_000,)
    assert x_test.shape == (10_000, 28, 28) and y_test.shape == (10_000,)
    for x in (x_train, x_val, x_test):
        assert x.dtype == np.float32 and x.min() == 0.0 and x.max() == 1.0
    for y in (y_train, y_val, y_test):
        assert np.issubdtype(y.dtype, np.integer) and set(np.unique(y)) == set(range(10))


def test_validation_is_held_out_of_training_with_a_fixed_seed(mnist, mnist_dir):
    (x_train, _), (x_val, _), _ = mnist
    original = read_idx(mnist_dir / IMAGES).reshape(60_000, -1).astype(np.float32) / 255
    # together, train and validation are exactly the 60,000 original images, each used once
    ours = np.concatenate([x_train.reshape(55_000, -1), x_val.reshape(5_000, -1)])
    assert np.allclose(np.sort(ours.sum(axis=1)), np.sort(original.sum(axis=1)))
    _, (x_val_again, _), _ = load_mnist(mnist_dir)
    assert np.array_equal(x_val, x_val_again)


def test_test_split_is_the_untouched_original(mnist, mnist_dir):
    _, _, (x_test, y_test) = mnist
    assert np.array_equal(x_test, read_idx(mnist_dir / "t10k-images-idx3-ubyte.gz") / np.float32(255))
    assert np.array_equal(y_test, read_idx(mnist_dir / "t10k-labels-idx1-ubyte.gz"))


def test_flat_one_hot_and_train_size(mnist_dir):
    (x_train, y_train), (x_val, y_val), (x_test, y_test) = load_mnist(
        mnist_dir, flat=True, one_hot=True, train_size=1000
    )
    assert x_train.shape == (1000, 784) and y_train.shape == (1000, 10)
    assert x_val.shape == (5000, 784) and x_test.shape == (10_000, 784)
    assert y_val.dtype == np.float32 and np.all(y_val.sum(axis=1) == 1)


@pytest.mark.parametrize("bad", [0, -5, 55_001, 10**9])
def test_bad_train_size_is_a_clear_error(bad, mnist_dir):
    with pytest.raises(ValueError, match="train_size"):
        load_mnist(mnist_dir, train_size=bad)


def test_environment_variable_names_the_local_folder(mnist_dir, monkeypatch):
    monkeypatch.setenv("COURSE_DATA_DIR", str(mnist_dir))
    assert mnist_files() == {name: mnist_dir / name for name in MNIST_SHA256}


def test_importing_the_package_and_data_does_not_import_tensorflow():
    code = textwrap.dedent(
        """
        import sys, course_utils, course_utils.data, course_utils.results, course_utils.setup
        course_utils.data.make_blobs()
        bad = [m for m in ("tensorflow", "keras") if m in sys.modules]
        assert not bad, bad
        """
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


# -- a local folder with bad files --------------------------------------------------------------
def _copy_of(mnist_dir, tmp_path):
    folder = tmp_path / "mine"
    shutil.copytree(mnist_dir, folder)
    for path in folder.iterdir():
        path.chmod(0o644)
    return folder


def test_missing_file_in_local_folder_names_it(mnist_dir, tmp_path):
    folder = _copy_of(mnist_dir, tmp_path)
    (folder / IMAGES).unlink()
    with pytest.raises(MnistError, match=f"{IMAGES} is missing.*COURSE_DATA_DIR"):
        load_mnist(folder)


def test_corrupted_file_in_local_folder_is_an_error_and_is_left_alone(mnist_dir, tmp_path):
    folder = _copy_of(mnist_dir, tmp_path)
    path = folder / IMAGES
    data = bytearray(path.read_bytes())
    data[5000] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(MnistError, match=f"{IMAGES} does not match the published SHA-256"):
        load_mnist(folder)
    assert path.read_bytes() == bytes(data)  # never overwritten or deleted


def test_truncated_file_in_local_folder_is_an_error(mnist_dir, tmp_path):
    folder = _copy_of(mnist_dir, tmp_path)
    path = folder / IMAGES
    path.write_bytes(path.read_bytes()[:1000])
    with pytest.raises(MnistError, match="SHA-256"):
        load_mnist(folder)


# -- read_idx on malformed files ----------------------------------------------------------------
def _write_gz(path, payload: bytes):
    path.write_bytes(gzip.compress(payload))
    return path


def test_truncated_gzip_is_reported(tmp_path, mnist_dir):
    path = tmp_path / "cut.gz"
    path.write_bytes((mnist_dir / "t10k-labels-idx1-ubyte.gz").read_bytes()[:2000])
    with pytest.raises(MnistError, match="not a complete gzip file"):
        read_idx(path)


def test_not_gzip_at_all_is_reported(tmp_path):
    path = tmp_path / "plain.gz"
    path.write_bytes(b"<html>404 Not Found</html>")
    with pytest.raises(MnistError, match="not a complete gzip file"):
        read_idx(path)


def test_wrong_magic_number_is_reported(tmp_path):
    path = _write_gz(tmp_path / "x.gz", struct.pack(">II", 1234, 1) + b"\0")
    with pytest.raises(MnistError, match="wrong IDX magic number 1234"):
        read_idx(path)


def test_wrong_image_dimensions_are_reported(tmp_path):
    path = _write_gz(tmp_path / "x.gz", struct.pack(">IIII", 2051, 1, 32, 32) + bytes(32 * 32))
    with pytest.raises(MnistError, match="32x32, expected 28x28"):
        read_idx(path)


def test_header_count_that_disagrees_with_the_data_is_reported(tmp_path):
    path = _write_gz(tmp_path / "x.gz", struct.pack(">II", 2049, 10) + bytes(7))
    with pytest.raises(MnistError, match="announces 10 items"):
        read_idx(path)


def test_valid_small_idx_files_decode(tmp_path):
    labels = _write_gz(tmp_path / "l.gz", struct.pack(">II", 2049, 3) + bytes([7, 0, 9]))
    images = _write_gz(
        tmp_path / "i.gz", struct.pack(">IIII", 2051, 2, 28, 28) + bytes(range(256)) * 6 + bytes(32)
    )
    assert read_idx(labels).tolist() == [7, 0, 9]
    assert read_idx(images).shape == (2, 28, 28)


def test_files_that_do_not_belong_together_are_reported(mnist_dir, tmp_path, monkeypatch):
    folder = _copy_of(mnist_dir, tmp_path)
    # swap in the test labels as training labels but keep checksums happy by patching the table
    shutil.copy(folder / "t10k-labels-idx1-ubyte.gz", folder / "train-labels-idx1-ubyte.gz")
    monkeypatch.setitem(
        MNIST_SHA256, "train-labels-idx1-ubyte.gz", sha256_of(folder / "train-labels-idx1-ubyte.gz")
    )
    with pytest.raises(MnistError, match="do not belong together"):
        load_mnist(folder)


# -- cache and download (a real HTTP server on 127.0.0.1) ----------------------------------------
@pytest.fixture
def no_local_folder(monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    monkeypatch.delenv("COURSE_MNIST_MIRRORS", raising=False)


def test_download_into_an_empty_cache_and_reuse_it(http_mirror, fill_mirror, tmp_path, no_local_folder):
    folder, url = http_mirror
    fill_mirror(folder)
    cache = tmp_path / "cache"
    paths = mnist_files(cache_dir=cache, mirrors=[url])
    for name, path in paths.items():
        assert path == cache / name and sha256_of(path) == MNIST_SHA256[name]
    for path in folder.iterdir():
        path.unlink()  # the mirror is gone: the cache alone must do
    assert mnist_files(cache_dir=cache, mirrors=[url]) == paths


def test_mirrors_from_the_environment(http_mirror, fill_mirror, tmp_path, no_local_folder, monkeypatch):
    folder, url = http_mirror
    fill_mirror(folder)
    monkeypatch.setenv("COURSE_MNIST_MIRRORS", "http://127.0.0.1:9/," + url)
    monkeypatch.setenv("COURSE_CACHE_DIR", str(tmp_path / "envcache"))
    (x_train, _), _, _ = load_mnist(train_size=10)
    assert x_train.shape == (10, 28, 28)


def test_a_bad_cached_file_is_fetched_again(http_mirror, fill_mirror, tmp_path, no_local_folder):
    folder, url = http_mirror
    fill_mirror(folder)
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / IMAGES).write_bytes(b"half a file")
    paths = mnist_files(cache_dir=cache, mirrors=[url])
    assert sha256_of(paths[IMAGES]) == MNIST_SHA256[IMAGES]


def test_a_corrupted_mirror_is_skipped_for_the_next_one(http_mirror, fill_mirror, tmp_path, no_local_folder):
    folder, url = http_mirror
    good, bad = folder / "good", folder / "bad"
    good.mkdir()
    bad.mkdir()
    fill_mirror(good)
    fill_mirror(bad)
    (bad / IMAGES).write_bytes((bad / IMAGES).read_bytes()[:-100])  # truncated on the first mirror
    paths = mnist_files(cache_dir=tmp_path / "cache", mirrors=[url + "bad/", url + "good/"])
    assert sha256_of(paths[IMAGES]) == MNIST_SHA256[IMAGES]


def test_only_corrupted_mirrors_is_an_error_that_leaves_no_bad_file(
    http_mirror, fill_mirror, tmp_path, no_local_folder
):
    folder, url = http_mirror
    fill_mirror(folder)
    (folder / IMAGES).write_bytes(b"corrupted")
    cache = tmp_path / "cache"
    with pytest.raises(MnistError, match=f"(?s)Could not download {IMAGES}.*SHA-256 does not match"):
        mnist_files(cache_dir=cache, mirrors=[url])
    assert not (cache / IMAGES).exists()


def test_no_network_and_no_local_copy_says_how_to_point_at_a_folder(tmp_path, no_local_folder):
    # port 9 (discard) on 127.0.0.1 has no server: every connection is refused at once
    with pytest.raises(MnistError, match="(?s)no network.*COURSE_DATA_DIR") as info:
        mnist_files(cache_dir=tmp_path / "cache", mirrors=["http://127.0.0.1:9/a/", "http://127.0.0.1:9/b/"])
    assert "127.0.0.1:9/a/" in str(info.value) and "127.0.0.1:9/b/" in str(info.value)


READ_ONLY_SCRIPT = """
import sys
from course_utils.data import MnistError, mnist_files
cache, url, expect = sys.argv[1], sys.argv[2], sys.argv[3]
try:
    mnist_files(cache_dir=cache, mirrors=[url])
except MnistError as exc:
    assert expect == "error" and "read-only" in str(exc) and "COURSE_CACHE_DIR" in str(exc), exc
    print("clear error")
else:
    assert expect == "ok"
    print("read from cache")
"""


def _run_without_write_permission(cache, url, expect):
    """Run the loader on a read-only cache; as root, without the capability that ignores permissions."""
    cache.chmod(0o555)
    command = [sys.executable, "-c", READ_ONLY_SCRIPT, str(cache), url, expect]
    if os.geteuid() == 0:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: cannot make a folder read-only for this process")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


def test_read_only_empty_cache_is_a_clear_error(http_mirror, fill_mirror, tmp_path, no_local_folder):
    folder, url = http_mirror
    fill_mirror(folder)
    cache = tmp_path / "cache"
    cache.mkdir()
    assert "clear error" in _run_without_write_permission(cache, url, "error")


def test_read_only_cache_with_good_files_is_read(
    http_mirror, fill_mirror, mnist_dir, tmp_path, no_local_folder
):
    folder, url = http_mirror
    cache = tmp_path / "cache"
    shutil.copytree(mnist_dir, cache)
    for path in cache.iterdir():
        path.chmod(0o444)
    assert "read from cache" in _run_without_write_permission(cache, url, "ok")


# -- toy data -----------------------------------------------------------------------------------
def test_make_blobs_is_two_balanced_deterministic_classes():
    X, y = make_blobs()
    assert X.shape == (500, 2) and y.shape == (500,)
    assert set(y.tolist()) == {0, 1} and y.sum() == 250
    X2, y2 = make_blobs()
    assert np.array_equal(X, X2) and np.array_equal(y, y2)
    assert not np.array_equal(X, make_blobs(seed=1)[0])


@pytest.mark.parametrize("kwargs", [{"n_samples": 1}, {"std": 0}, {"std": -1.0}])
def test_make_blobs_rejects_bad_parameters(kwargs):
    with pytest.raises(ValueError):
        make_blobs(**kwargs)
