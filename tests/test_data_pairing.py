"""Pins what load_mnist returns: which images are held out, and that every image keeps its own label.

The expected digests were computed once from the four original files (read here without the
course's decoder); a loader that shuffles labels, holds out other images or decodes wrongly changes
them.
"""

from __future__ import annotations

import gzip
import hashlib

import numpy as np
import pytest

from course_utils.data import TRAIN_SIZE, VALIDATION_SIZE, load_mnist, split_indices

# sha256 of the 5,000 validation indices (sorted, little-endian int64) into the original training set
VALIDATION_INDICES_SHA256 = "6622b81d03d15b3ea626609096cb504264687f14f24f092e1610a44cc2661a75"
# sha256 of each split's labels (uint8) and images (uint8 pixels, row-major), in the loader's order
SPLIT_SHA256 = {
    "train": (
        "4dc278a25a6865c7e9ff675b7f6131079ee5c0c869a73d4efc4f1ef3ca3a0a24",
        "9f9bfd3edb7ddf9f696bdb460f863c04fa7dd16a46e9ef437097017b3d1f1cd0",
    ),
    "validation": (
        "8595c20a3630ce99e42fb1ffa463214b23ef98b9966167b5152882a08b8a1422",
        "e8dcced028082401653e3be42bdd3872493ae135d82f4cf96d1b24713eb7d880",
    ),
    "test": (
        "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
        "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    ),
}
# A few known pairs: (split, position in the split, label, first 16 hex digits of the image's sha256)
KNOWN_PAIRS = [
    ("train", 0, 5, "23ceaef5eb61f0e7"),
    ("train", 1, 0, "2d1c3087ac5f2bed"),
    ("train", 54_999, 8, "a4d26ec9c55ad383"),
    ("validation", 0, 3, "5c4506ec7c416b68"),
    ("validation", 1, 7, "4f6fb2c7cc1568cb"),
    ("validation", 4_999, 1, "886ea3a861f09617"),
    ("test", 0, 7, "8f6a418c9a639f9e"),
    ("test", 1, 2, "3f8c3b265b6083fb"),
    ("test", 9_999, 6, "bdf9356b0cf6b1ae"),
]
SPLITS = ("train", "validation", "test")


def sha256(array: np.ndarray) -> str:
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def original(mnist_dir, name: str, header: int) -> np.ndarray:
    """An original file's items, read with gzip and numpy only (not with the course's decoder)."""
    return np.frombuffer(gzip.decompress((mnist_dir / name).read_bytes()), np.uint8, offset=header)


def as_pixels(x: np.ndarray) -> np.ndarray:
    """The loader's float32 images in [0, 1] back to the original uint8 pixels, one row per image."""
    return np.rint(x.reshape(len(x), -1) * 255).astype(np.uint8)


@pytest.fixture(scope="module")
def splits(mnist_dir):
    return dict(zip(SPLITS, load_mnist(mnist_dir), strict=True))


def test_the_held_out_validation_images_are_pinned():
    train_idx, val_idx = split_indices()
    assert sha256(val_idx.astype("<i8")) == VALIDATION_INDICES_SHA256
    assert len(val_idx) == VALIDATION_SIZE and len(train_idx) == TRAIN_SIZE
    assert np.array_equal(np.sort(np.concatenate([train_idx, val_idx])), np.arange(60_000))
    assert np.all(np.diff(train_idx) > 0) and np.all(np.diff(val_idx) > 0)  # original order kept


def test_the_loader_returns_the_images_and_labels_at_the_split_indices(splits, mnist_dir):
    images = original(mnist_dir, "train-images-idx3-ubyte.gz", 16).reshape(60_000, 784)
    labels = original(mnist_dir, "train-labels-idx1-ubyte.gz", 8)
    train_idx, val_idx = split_indices()
    for split, idx in (("train", train_idx), ("validation", val_idx)):
        x, y = splits[split]
        assert np.array_equal(as_pixels(x), images[idx]), f"{split} images are not the held-out ones"
        assert np.array_equal(y, labels[idx]), f"{split} labels do not belong to their images"
    x_test, y_test = splits["test"]
    assert np.array_equal(
        as_pixels(x_test), original(mnist_dir, "t10k-images-idx3-ubyte.gz", 16).reshape(-1, 784)
    )
    assert np.array_equal(y_test, original(mnist_dir, "t10k-labels-idx1-ubyte.gz", 8))


@pytest.mark.parametrize("split", SPLITS)
def test_each_split_has_its_pinned_labels_and_images(splits, split):
    x, y = splits[split]
    labels_sha, images_sha = SPLIT_SHA256[split]
    assert sha256(y.astype(np.uint8)) == labels_sha, f"{split} labels changed (order or pairing)"
    assert sha256(as_pixels(x)) == images_sha, f"{split} images changed (selection, order or decoding)"


@pytest.mark.parametrize(("split", "position", "label", "image_sha"), KNOWN_PAIRS)
def test_known_image_label_pairs(splits, split, position, label, image_sha):
    x, y = splits[split]
    assert int(y[position]) == label
    assert sha256(as_pixels(x[position : position + 1]))[:16] == image_sha


def test_train_size_keeps_the_first_training_pairs_and_whole_validation_and_test(splits, mnist_dir):
    small = load_mnist(mnist_dir, train_size=1_000)
    (x_small, y_small), val, test = small
    x_train, y_train = splits["train"]
    assert np.array_equal(x_small, x_train[:1_000]) and np.array_equal(y_small, y_train[:1_000])
    for got, whole in ((val, splits["validation"]), (test, splits["test"])):
        assert np.array_equal(got[0], whole[0]) and np.array_equal(got[1], whole[1])


def test_flat_and_one_hot_hold_the_same_pairs(splits, mnist_dir):
    flat_one_hot = load_mnist(mnist_dir, flat=True, one_hot=True)
    for split, (x, y) in zip(SPLITS, flat_one_hot, strict=True):
        x_plain, y_plain = splits[split]
        assert x.shape == (len(x_plain), 784) and x.dtype == np.float32
        assert np.array_equal(x, x_plain.reshape(len(x_plain), 784))
        assert y.shape == (len(y_plain), 10) and y.dtype == np.float32
        assert np.array_equal(y.sum(axis=1), np.ones(len(y))) and set(np.unique(y)) == {0.0, 1.0}
        assert np.array_equal(y.argmax(axis=1), y_plain)
