"""Tiny data and a tiny model for the Keras exercises' answers (lessons 5 to 8): cheap to fit and evaluate."""

from __future__ import annotations

from functools import cache

import numpy as np


@cache
def splits():
    """(train, validation, test): 64, 32 and 32 random "images" of 784 pixels with random digit labels."""
    rng = np.random.default_rng(0)

    def split(count):
        return rng.uniform(0, 1, (count, 784)).astype("float32"), rng.integers(0, 10, count)

    return split(64), split(32), split(32)


@cache
def tiny_model():
    """One softmax layer, compiled: every fit of these answers trains it on, so each traces only once."""
    import keras

    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(
        optimizer=keras.optimizers.SGD(0.1), loss="sparse_categorical_crossentropy", metrics=["accuracy"]
    )
    return model


def fit(epochs=2, validation="validation", callbacks=(), timed=True):
    """A fit of the tiny model, validated on `validation` ("validation", "test", "split" or None).

    Returns (history, timer)."""
    from course_utils.callbacks import EpochTimer

    (x_train, y_train), validation_split, test_split = splits()
    timer = EpochTimer()
    data = {"validation": {"validation_data": validation_split}, "test": {"validation_data": test_split}}
    data |= {"split": {"validation_split": 0.25}, None: {}}
    history = tiny_model().fit(
        x_train,
        y_train,
        batch_size=32,
        epochs=epochs,
        callbacks=[*callbacks, *([timer] if timed else [])],
        verbose=0,
        **data[validation],
    )
    return history, timer
