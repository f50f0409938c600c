"""tf.data input pipelines for training and evaluation (imports TensorFlow)."""

from __future__ import annotations

import tensorflow as tf

from course_utils.i18n import translated


def _check(x, y, batch_size: int) -> None:
    if len(x) != len(y):
        raise ValueError(
            translated("pipelines", "x and y differ in length: {images} images but {labels} labels").format(
                images=len(x), labels=len(y)
            )
        )
    if len(x) == 0:
        raise ValueError(translated("pipelines", "the dataset is empty"))
    if not isinstance(batch_size, int) or batch_size < 1:
        raise ValueError(
            translated("pipelines", "batch_size must be a positive integer, got {batch_size!r}").format(
                batch_size=batch_size
            )
        )


def training_dataset(
    x, y, batch_size: int, *, seed: int = 0, shuffle_buffer: int = 10_000, max_shift: int = 0
) -> tf.data.Dataset:
    """Cached, shuffled (with a seed, anew each epoch), batched and prefetched training data.

    ``max_shift > 0`` augments the data: each 28x28 image moves by a random whole number of pixels,
    up to ``max_shift`` in each direction, differently every epoch (reproducibly, from ``seed``).
    """
    _check(x, y, batch_size)
    if not isinstance(max_shift, int) or not 0 <= max_shift <= 8:
        raise ValueError(
            translated(
                "pipelines", "max_shift must be a whole number of pixels from 0 to 8, got {max_shift!r}"
            ).format(max_shift=max_shift)
        )
    data = (
        tf.data.Dataset.from_tensor_slices((x, y))
        .cache()
        .shuffle(min(shuffle_buffer, len(x)), seed=seed, reshuffle_each_iteration=True)
    )
    if max_shift:
        seeds = tf.data.Dataset.random(seed=seed, rerandomize_each_iteration=True).batch(2)
        data = tf.data.Dataset.zip(data, seeds).map(
            lambda pair, pair_seed: (_shift(pair[0], max_shift, pair_seed), pair[1]),
            num_parallel_calls=tf.data.AUTOTUNE,
            deterministic=True,
        )
    return data.batch(batch_size).prefetch(tf.data.AUTOTUNE)


def _shift(image, max_shift: int, seed):
    """Move one image (28x28 or flat 784) by up to max_shift pixels: pad with zeros, crop at random."""
    square = tf.reshape(image, [28, 28, 1])
    padded = tf.pad(square, [[max_shift, max_shift], [max_shift, max_shift], [0, 0]])
    return tf.reshape(tf.image.stateless_random_crop(padded, [28, 28, 1], seed=seed), tf.shape(image))


def evaluation_dataset(x, y, batch_size: int = 1000) -> tf.data.Dataset:
    """Batched evaluation data in order; the last, smaller batch is kept, so no example is dropped."""
    _check(x, y, batch_size)
    return (
        tf.data.Dataset.from_tensor_slices((x, y))
        .batch(batch_size, drop_remainder=False)
        .cache()
        .prefetch(tf.data.AUTOTUNE)
    )
