"""tf.data input pipelines for training and evaluation (imports TensorFlow)."""

from __future__ import annotations

import tensorflow as tf


def _check(x, y, batch_size: int) -> None:
    if len(x) != len(y):
        raise ValueError(f"x and y differ in length: {len(x)} images but {len(y)} labels")
    if len(x) == 0:
        raise ValueError("the dataset is empty")
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer, got {batch_size!r}")


def training_dataset(
    x, y, batch_size: int, *, seed: int = 0, shuffle_buffer: int = 10_000
) -> tf.data.Dataset:
    """Cached, shuffled (with a seed, anew each epoch), batched and prefetched training data."""
    _check(x, y, batch_size)
    return (
        tf.data.Dataset.from_tensor_slices((x, y))
        .cache()
        .shuffle(min(shuffle_buffer, len(x)), seed=seed, reshuffle_each_iteration=True)
        .batch(batch_size)
        .prefetch(tf.data.AUTOTUNE)
    )


def evaluation_dataset(x, y, batch_size: int = 1000) -> tf.data.Dataset:
    """Batched evaluation data in order; the last, smaller batch is kept, so no example is dropped."""
    _check(x, y, batch_size)
    return (
        tf.data.Dataset.from_tensor_slices((x, y))
        .batch(batch_size, drop_remainder=False)
        .cache()
        .prefetch(tf.data.AUTOTUNE)
    )
