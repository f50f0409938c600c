"""Lesson 1's checks (a single neuron in numpy), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .shared import (
    _sigmoid,
    _wrong_shape,
)

_Z = np.array([-2.0, 0.0, 3.0])
_X = np.array([[1.0, 2.0, 1.0], [0.0, -1.0, 1.0], [2.0, 0.5, 1.0], [-1.0, 1.0, 1.0]])
_Y = np.array([1, 0, 1, 0])
_W = np.array([0.5, -1.0, 0.2])


@exercise(
    "lesson01.sigmoid",
    1,
    "the logistic function 1 / (1 + e^-z)",
    "return 1 / (1 + np.exp(-z)); it works on a whole array at once",
)
def _lesson01_sigmoid(sigmoid):
    value = _result(sigmoid, _Z)
    return _wrong_shape("sigmoid(z)", value, _Z.shape) or (
        None
        if np.allclose(value, _sigmoid(_Z))
        else _say(
            "sigmoid([-2, 0, 3]) gives {value}, expected {expected}",
            value=np.round(value, 4),
            expected=np.round(_sigmoid(_Z), 4),
        )
    )


@exercise(
    "lesson01.predict_proba",
    2,
    "the weighted sum X @ w, squashed by the sigmoid",
    "one row per point: sigmoid(X @ w) gives one probability per row",
)
def _lesson01_predict_proba(predict_proba):
    value = _result(predict_proba, _X, _W)
    expected = _sigmoid(_X @ _W)
    return _wrong_shape("predict_proba(X, w)", value, expected.shape) or (
        None if np.allclose(value, expected) else _say("the probabilities are wrong: use sigmoid(X @ w)")
    )


@exercise(
    "lesson01.gradient",
    3,
    "the gradient of the mean squared error (chain rule through the sigmoid)",
    "with p = predict_proba(X, w): 2 / len(X) * X.T @ ((p - y) * p * (1 - p))",
)
def _lesson01_gradient(gradient):
    value = _result(gradient, _X, _Y, _W)
    if problem := _wrong_shape("gradient(X, y, w)", value, _W.shape):
        return problem + _say(": one number per weight")

    def loss(w):
        return np.mean((_sigmoid(_X @ w) - _Y) ** 2)

    step = 1e-6
    numerical = np.array([(loss(_W + step * e) - loss(_W - step * e)) / (2 * step) for e in np.eye(3)])
    if np.allclose(value, numerical, atol=1e-6):
        return None
    if np.allclose(value, -numerical, atol=1e-6):
        return _say("the gradient has the wrong sign: it is (p - y), not (y - p)")
    return _say(
        "the gradient {value} differs from the finite differences {numerical}",
        value=np.round(value, 4),
        numerical=np.round(numerical, 4),
    )


@exercise(
    "lesson01.step",
    4,
    "one gradient-descent step on the batch",
    "w = w - LEARNING_RATE * gradient(x_train[batch], y_train[batch], w)",
)
def _lesson01_step(w):
    if problem := _wrong_shape("w", w, (3,)):
        return problem + _say(": one step changes the weights, it does not replace them")
    return None if np.all(np.isfinite(w)) else _say("w is no longer finite: is the learning rate too large?")
