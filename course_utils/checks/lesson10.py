"""Lesson 10's checks (a bigger CNN with dropout), in the order of the notebook."""

from __future__ import annotations

from .engine import exercise
from .shared import (
    _LEARNING_RATE_HINT,
    _LEARNING_RATE_PROMPT,
    _conv,
    _dense_dropout,
    _layers_problem,
    _learning_rate_for_problem,
)


@exercise(
    "lesson10.convolutions",
    1,
    "a list of three layers: Conv2D 24@6×6, 48@5×5 stride 2, 64@4×4 stride 2 (ReLU, same padding)",
    "[layers.Conv2D(24, 6, padding='same', activation='relu'), "
    "layers.Conv2D(48, 5, strides=2, padding='same', activation='relu'), ...]",
)
def _lesson10_convolutions(convolutions):
    return _layers_problem("convolutions", convolutions, [_conv(24, 6), _conv(48, 5, 2), _conv(64, 4, 2)])


@exercise(
    "lesson10.dense_with_dropout",
    2,
    "a list of two layers: a dense layer of 200 ReLU neurons, then dropout at rate DROPOUT",
    "[layers.Dense(200, activation='relu'), layers.Dropout(DROPOUT)]",
)
def _lesson10_dense_with_dropout(layers, rate):
    return _layers_problem("dense_with_dropout", layers, _dense_dropout([200], rate))


exercise("lesson10.learning_rate_for", 3, _LEARNING_RATE_PROMPT, _LEARNING_RATE_HINT)(
    _learning_rate_for_problem
)
