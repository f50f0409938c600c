"""EpochTimer stops training at the first NaN loss, with a message that says what to try."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from course_utils.callbacks import EpochTimer, NanLossError, PlotTraining


def _tiny_model(learning_rate):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(2, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.SGD(learning_rate), loss="sparse_categorical_crossentropy")
    return model


def _data():
    x = np.random.default_rng(0).normal(size=(256, 4)).astype("float32")
    return x, (x[:, 0] > 0).astype("int64")


def test_a_huge_learning_rate_stops_at_the_first_nan_with_advice():
    keras.utils.set_random_seed(0)
    model, timer, batches = _tiny_model(1e9), EpochTimer(), []
    counter = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: batches.append(logs["loss"])
    )
    with pytest.raises(NanLossError) as info:
        model.fit(*_data(), batch_size=32, epochs=5, callbacks=[PlotTraining(), counter, timer], verbose=0)
    assert np.isnan(batches[-1]) and all(np.isfinite(batches[:-1]))  # stopped at the first NaN batch
    assert len(batches) < 8 and timer.seconds == []  # within the first epoch
    message = str(info.value)
    assert message.startswith(f"the loss became nan in epoch 1, batch {len(batches)}: the weights blew up")
    assert "Try a learning rate ten times smaller than 1e+09 (LEARNING_RATE" in message


def test_a_sensible_learning_rate_trains_and_times_every_epoch():
    keras.utils.set_random_seed(0)
    timer = EpochTimer()
    _tiny_model(0.1).fit(*_data(), batch_size=32, epochs=2, callbacks=[timer], verbose=0)
    assert len(timer.seconds) == 2
