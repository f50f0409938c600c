"""Lesson 1's checks (a single neuron in numpy), in the order of the notebook.

Each check runs the learner's code on small known data and judges what it does: the values of the
sigmoid and of the probabilities, the gradient against finite differences, and the step by the loss
it leaves on its batch and the direction it moves the weights.
"""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .shared import (
    _lesson_parameters,
    _sigmoid,
    _wrong_shape,
)

_Z = np.array([-2.0, 0.0, 3.0])
_X = np.array([[1.0, 2.0, 1.0], [0.0, -1.0, 1.0], [2.0, 0.5, 1.0], [-1.0, 1.0, 1.0]])
_Y = np.array([1, 0, 1, 0])
_W = np.array([0.5, -1.0, 0.2])


def _loss(X, y, w):
    return float(np.mean((_sigmoid(X @ w) - y) ** 2))


def _gradient(X, y, w):
    """The gradient of the mean squared error, by central finite differences (no formula to copy)."""
    step = 1e-6
    return np.array(
        [(_loss(X, y, w + step * e) - _loss(X, y, w - step * e)) / (2 * step) for e in np.eye(len(w))]
    )


@exercise(
    "lesson01.sigmoid",
    1,
    "the logistic function: squash any real z into (0, 1), with sigmoid(0) = 0.5",
    (
        "The sigmoid is 1 over (1 plus e to the minus z); numpy's functions work on a whole array at once.",
        "One line: return an expression in z built from np.exp.",
    ),
)
def _lesson01_sigmoid(sigmoid):
    value = _result(sigmoid, _Z)
    if problem := _wrong_shape("sigmoid(z)", value, _Z.shape):
        return problem
    expected = _sigmoid(_Z)
    if np.allclose(value, expected):
        return None
    if np.all(np.diff(value) < 0):
        return _say(
            "sigmoid([-2, 0, 3]) gives {value}: your function falls as z grows, a sigmoid rises from 0 to 1",
            value=np.round(value, 4),
        )
    return _say(
        "sigmoid([-2, 0, 3]) gives {value}, expected {expected}",
        value=np.round(value, 4),
        expected=np.round(expected, 4),
    )


@exercise(
    "lesson01.predict_proba",
    2,
    "the neuron's probability of class 1 for every row of X: its weighted sum, squashed into (0, 1)",
    (
        "With the bias column in X, one matrix product gives every point's weighted sum; "
        "the sigmoid of exercise 1 turns it into a probability.",
        "One line: your sigmoid applied to the product of X and w.",
    ),
)
def _lesson01_predict_proba(predict_proba):
    value = np.asarray(_result(predict_proba, _X, _W), dtype=float)
    expected = _sigmoid(_X @ _W)
    if problem := _wrong_shape("predict_proba(X, w)", value, expected.shape):
        return problem + _say(": one probability per row of X")
    if np.allclose(value, expected):
        return None
    if np.any(value < 0) or np.any(value > 1):
        return _say(
            "for a known X and w you return {value}: some are outside 0 to 1, so they are not probabilities",
            value=np.round(value, 4),
        )
    return _say(
        "the probabilities of a known X and w are {value}, expected {expected}: "
        "is the weighted sum of each row, bias included, what goes into the sigmoid?",
        value=np.round(value, 4),
        expected=np.round(expected, 4),
    )


@exercise(
    "lesson01.gradient",
    3,
    "the gradient of the loss with respect to w, one number per weight, by the chain rule",
    (
        "Chain rule: the derivative of the square, times the sigmoid's derivative sigma(z)(1 - sigma(z)), "
        "times the input, averaged over the points.",
        "First the probabilities, with your predict_proba; then one matrix product of X transposed with "
        "a vector that has one entry per point.",
    ),
)
def _lesson01_gradient(gradient):
    value = np.asarray(_result(gradient, _X, _Y, _W), dtype=float)
    if problem := _wrong_shape("gradient(X, y, w)", value, _W.shape):
        return problem + _say(": one number per weight")
    numerical = _gradient(_X, _Y, _W)
    if np.allclose(value, numerical, atol=1e-6):
        return None
    if np.allclose(value, -numerical, atol=1e-6):
        return _say(
            "your gradient points the opposite way to the finite differences: the loss rises along the "
            "gradient, so check the sign of the error term"
        )
    ratio = np.dot(value, numerical) / np.dot(numerical, numerical)
    if not np.isclose(ratio, 0) and np.allclose(value, ratio * numerical, atol=1e-6):
        return _say(
            "your gradient is {ratio:.3g} times the finite differences: right direction, wrong "
            "constant factor",
            ratio=ratio,
        )
    return _say(
        "the gradient {value} differs from the finite differences {numerical}: "
        "is every factor of the chain rule there?",
        value=np.round(value, 4),
        numerical=np.round(numerical, 4),
    )


@exercise(
    "lesson01.step",
    4,
    "update w by one gradient-descent step that lowers the loss on this batch",
    (
        "The gradient points to where the loss rises fastest; a step moves the weights a little "
        "the other way, LEARNING_RATE times the gradient.",
        "One line that gives w its new value, using your gradient function on this batch "
        "(x_train[batch], y_train[batch]).",
    ),
)
def _lesson01_step(w_before, w, X, y):
    (rate,) = _lesson_parameters("LEARNING_RATE")
    w_before, w = np.asarray(w_before, dtype=float), np.asarray(w, dtype=float)
    if problem := _wrong_shape("w", w, w_before.shape):
        return problem + _say(": one step changes the weights, it does not replace them")
    if not np.all(np.isfinite(w)):
        return _say("w is no longer finite after your step")
    expected = w_before - rate * _gradient(X, y, w_before)
    if np.allclose(w, expected, rtol=1e-4, atol=1e-6):
        return None
    if np.array_equal(w, w_before):
        return _say("your step left the weights unchanged")
    before, after = _loss(X, y, w_before), _loss(X, y, w)
    if not np.any(w):
        return _say(
            "your step set every weight to zero: a step starts from the current weights and moves "
            "them a little"
        )
    if after > before:
        return _say(
            "your step made the loss on this batch go up, from {before:.4f} to {after:.4f}: "
            "which way does the gradient point?",
            before=before,
            after=after,
        )
    move, wanted = w - w_before, expected - w_before
    cosine = np.dot(move, wanted) / (np.linalg.norm(move) * np.linalg.norm(wanted))
    if cosine > 0.9999:
        return _say(
            "your step goes the right way but is {ratio:.3g} times as long as LEARNING_RATE times "
            "the gradient",
            ratio=np.linalg.norm(move) / np.linalg.norm(wanted),
        )
    return _say("your step does not move the weights straight against the gradient of this batch")
