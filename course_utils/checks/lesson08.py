"""Lesson 8's checks (dropout and overfitting), in the order of the notebook."""

from __future__ import annotations

from .engine import _say, exercise
from .shared import (
    _SIZES,
    _TEST_HINT,
    _dense_dropout,
    _layers_problem,
    _test_evaluation_problem,
)


@exercise(
    "lesson08.dropout_layers",
    1,
    "a list of the four ReLU layers 200-100-60-30, each followed by layers.Dropout(DROPOUT)",
    "[layers.Dense(200, activation='relu'), layers.Dropout(DROPOUT), layers.Dense(100, ...), ...]",
)
def _lesson08_dropout_layers(hidden, rate):
    return _layers_problem(_say("the list"), hidden, _dense_dropout(_SIZES, rate))


@exercise(
    "lesson08.wide_layers",
    2,
    "for each size in WIDE_LAYERS, a Dense ReLU layer followed by layers.Dropout(DROPOUT)",
    "hidden = []; for size in WIDE_LAYERS: hidden += [layers.Dense(size, activation='relu'), "
    "layers.Dropout(DROPOUT)]",
)
def _lesson08_wide_layers(hidden, sizes, rate):
    return _layers_problem(_say("the list"), hidden, _dense_dropout(sizes, rate))


exercise("lesson08.test_evaluation", 3, "evaluate the wide network once on the test split", _TEST_HINT)(
    _test_evaluation_problem
)
