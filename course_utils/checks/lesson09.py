"""Lesson 9's checks (a convolutional network), in the order of the notebook."""

from __future__ import annotations

from .engine import _say, exercise
from .shared import (
    _LEARNING_RATE_HINT,
    _LEARNING_RATE_PROMPT,
    _TEST_HINT,
    _conv,
    _layers_problem,
    _learning_rate_for_problem,
    _test_evaluation_problem,
)


@exercise(
    "lesson09.convolutions",
    1,
    "a list of four layers: reshape to 28×28×1, then Conv2D 12@3×3, 24@6×6 stride 2, 32@6×6 stride 2 "
    "(ReLU, same padding)",
    "[layers.Reshape((28, 28, 1)), layers.Conv2D(12, 3, padding='same', activation='relu'), "
    "layers.Conv2D(24, 6, strides=2, padding='same', activation='relu'), ...]",
)
def _lesson09_convolutions(convolutions):
    expected = [("Reshape",), _conv(12, 3), _conv(24, 6, 2), _conv(32, 6, 2)]
    problem = _layers_problem("convolutions", convolutions, expected)
    if problem is None and tuple(convolutions[0].target_shape) != (28, 28, 1):
        return _say(
            "the Reshape gives {shape}, expected (28, 28, 1)", shape=tuple(convolutions[0].target_shape)
        )
    return problem


exercise("lesson09.learning_rate_for", 2, _LEARNING_RATE_PROMPT, _LEARNING_RATE_HINT)(
    _learning_rate_for_problem
)


exercise(
    "lesson09.test_evaluation", 3, "evaluate the trained model once on the untouched test split", _TEST_HINT
)(_test_evaluation_problem)
