"""course_utils.data at its edges: IDX headers of every size, the environment variable, the toy blobs."""

from __future__ import annotations

import gzip
import struct

import numpy as np
import pytest
from sklearn.datasets import make_blobs as sklearn_blobs

from course_utils.data import MnistError, data_dir_from_env, load_mnist, make_blobs, read_idx


def idx_file(tmp_path, payload: bytes):
    path = tmp_path / "file.gz"
    path.write_bytes(gzip.compress(payload))
    return path


def test_an_empty_label_file_is_just_a_header(tmp_path):
    assert read_idx(idx_file(tmp_path, struct.pack(">II", 2049, 0))).shape == (0,)


def test_an_empty_image_file_is_just_a_header(tmp_path):
    assert read_idx(idx_file(tmp_path, struct.pack(">IIII", 2051, 0, 28, 28))).shape == (0, 28, 28)


def test_a_header_shorter_than_eight_bytes_is_too_short(tmp_path):
    with pytest.raises(MnistError, match="too short to be an IDX file.*Replace it with the original"):
        read_idx(idx_file(tmp_path, struct.pack(">II", 2049, 0)[:7]))


def test_an_image_header_without_its_sizes_is_truncated(tmp_path):
    with pytest.raises(MnistError, match="IDX image header is truncated.*Replace it with the original"):
        read_idx(idx_file(tmp_path, struct.pack(">IIII", 2051, 0, 28, 28)[:15]))


def test_header_numbers_are_unsigned(tmp_path):
    with pytest.raises(MnistError, match="announces 4294967295 items"):
        read_idx(idx_file(tmp_path, struct.pack(">II", 2049, 2**32 - 1) + bytes(3)))
    with pytest.raises(MnistError, match="images are 4294967295x28, expected 28x28"):
        read_idx(idx_file(tmp_path, struct.pack(">IIII", 2051, 1, 2**32 - 1, 28)))


def test_an_empty_course_data_dir_means_no_local_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("COURSE_DATA_DIR", "")
    assert data_dir_from_env() is None
    monkeypatch.setenv("COURSE_DATA_DIR", str(tmp_path))
    assert data_dir_from_env() == tmp_path


def test_make_blobs_are_sklearn_blobs_of_the_documented_spread():
    X, y = make_blobs()
    expected_X, expected_y = sklearn_blobs(
        n_samples=500, centers=2, n_features=2, cluster_std=2.5, random_state=0
    )
    assert X.dtype == np.float64 and y.dtype == np.int64
    assert np.array_equal(X, expected_X) and np.array_equal(y, expected_y)
    X, y = make_blobs(n_samples=2, std=0.5, seed=3)  # the smallest allowed set, a small spread
    expected_X, _ = sklearn_blobs(n_samples=2, centers=2, n_features=2, cluster_std=0.5, random_state=3)
    assert np.array_equal(X, expected_X) and sorted(y.tolist()) == [0, 1]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"n_samples": 1}, "n_samples must be at least 2, got 1"), ({"std": 0}, "std must be positive, got 0")],
)
def test_make_blobs_says_which_parameter_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_blobs(**kwargs)


def test_load_mnist_reads_verified_files_kept_from_an_earlier_fetch_offline(mnist_dir, tmp_path, monkeypatch):
    monkeypatch.delenv("COURSE_DATA_DIR", raising=False)
    kept = tmp_path / "kept"
    kept.mkdir()
    for path in mnist_dir.glob("*.gz"):
        (kept / path.name).write_bytes(path.read_bytes())
    unreachable = ["http://127.0.0.1:9/"]  # the discard port: any download attempt fails
    (x_train, y_train), _, (x_test, _) = load_mnist(cache_dir=kept, mirrors=unreachable, train_size=10)
    assert x_train.shape == (10, 28, 28) and x_test.shape == (10_000, 28, 28)
    assert np.array_equal(y_train, load_mnist(mnist_dir, train_size=10)[0][1])


def test_a_cut_gzip_file_says_how_to_get_a_whole_one(tmp_path):
    path = tmp_path / "cut.gz"
    path.write_bytes(gzip.compress(struct.pack(">II", 2049, 0))[:-6])
    with pytest.raises(
        MnistError, match=r"not a complete gzip file .*fetch a fresh copy, or replace it with the original"
    ):
        read_idx(path)


@pytest.mark.parametrize("train_size", [1, 55_000])
def test_train_size_accepts_one_image_and_the_whole_split(mnist_dir, train_size):
    (x_train, y_train), _, _ = load_mnist(mnist_dir, train_size=train_size)
    assert len(x_train) == len(y_train) == train_size


def test_a_count_that_disagrees_with_the_data_names_both(tmp_path):
    with pytest.raises(MnistError, match=r"announces 10 items \(10 bytes\) but the file holds 7 bytes"):
        read_idx(idx_file(tmp_path, struct.pack(">II", 2049, 10) + bytes(7)))


def test_a_changed_local_file_is_not_used_and_the_message_says_what_to_do(mnist_dir, tmp_path):
    folder = tmp_path / "copy"
    folder.mkdir()
    for path in mnist_dir.glob("*.gz"):
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "t10k-labels-idx1-ubyte.gz").write_bytes(b"not the original")
    with pytest.raises(MnistError, match=r"It was not used\. Replace it .*or unset COURSE_DATA_DIR"):
        load_mnist(folder)
