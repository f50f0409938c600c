"""Lesson 1's answers as test data: a single neuron in numpy (tiny known data, no training)."""

from __future__ import annotations

import numpy as np

from course_utils.parameters import check_parameters

from . import right, wrong

X = np.array([[1.0, 2.0, 1.0], [0.0, -1.0, 1.0], [2.0, 0.5, 1.0], [-1.0, 1.0, 1.0], [0.5, 0.5, 1.0]])
Y = np.array([1, 0, 1, 0, 1])
W0 = np.array([0.3, -0.8, 0.1])
RATE = 0.5


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _gradient(X, y, w):
    p = _sigmoid(X @ w)
    return 2 / len(X) * X.T @ ((p - y) * p * (1 - p))


# Exercise 1: the sigmoid.
@right("lesson01.sigmoid")
def sigmoid_from_exp_of_z():
    return (lambda z: np.exp(z) / (1 + np.exp(z)),)


@right("lesson01.sigmoid")
def sigmoid_from_tanh():
    return (lambda z: 0.5 * (1 + np.tanh(z / 2)),)


@wrong("lesson01.sigmoid", says="falls as z grows")
def sigmoid_sign_error():
    return (lambda z: 1 / (1 + np.exp(z)),)


@wrong("lesson01.sigmoid", says="expected [0.1192 0.5    0.9526]")
def tanh_instead_of_sigmoid():
    return (np.tanh,)


@wrong("lesson01.sigmoid", says="falls as z grows")
def operator_precedence():
    return (lambda z: 1 / 1 + np.exp(-z),)


# Exercise 2: the probabilities.
@right("lesson01.predict_proba")
def row_by_row_sum():
    return (lambda X, w: 1 / (1 + np.exp(-(X * w).sum(axis=1))),)


@wrong("lesson01.predict_proba", says="outside 0 to 1")
def forgotten_sigmoid():
    return (lambda X, w: X @ w,)


@wrong("lesson01.predict_proba", says="bias included")
def forgotten_bias_column():
    return (lambda X, w: _sigmoid(X[:, :2] @ w[:2]),)


@wrong("lesson01.predict_proba", says="one probability per row")
def sigmoid_of_the_inputs_times_w():
    return (lambda X, w: _sigmoid(X) * w,)


# Exercise 3: the gradient.
@right("lesson01.gradient")
def gradient_point_by_point():
    def gradient(X, y, w):
        total = np.zeros_like(w)
        for x_i, y_i in zip(X, y, strict=True):
            p_i = _sigmoid(x_i @ w)
            total += 2 * (p_i - y_i) * p_i * (1 - p_i) * x_i
        return total / len(X)

    return (gradient,)


@wrong("lesson01.gradient", says="opposite way")
def gradient_sign_error():
    return (lambda X, y, w: -_gradient(X, y, w),)


@wrong("lesson01.gradient", says="is every factor of the chain rule there?")
def forgotten_sigmoid_derivative():
    return (lambda X, y, w: 2 / len(X) * X.T @ (_sigmoid(X @ w) - y),)


@wrong("lesson01.gradient", says="times the finite differences")
def sum_instead_of_mean():
    return (lambda X, y, w: len(X) * _gradient(X, y, w),)


@wrong("lesson01.gradient", says="one number per weight")
def one_number_per_point():
    return (lambda X, y, w: (_sigmoid(X @ w) - y) * 2,)


# Exercise 4: the step (the notebook passes the weights before and after, and the batch).
def _step(update):
    check_parameters(LEARNING_RATE=RATE)
    w = W0.copy()
    w_before = w.copy()
    w = update(w)
    return w_before, w, X, Y


@right("lesson01.step")
def step_in_place():
    def update(w):
        w -= RATE * _gradient(X, Y, w)
        return w

    return _step(update)


@right("lesson01.step")
def step_as_a_sum_with_the_rate_last():
    return _step(lambda w: w + (-_gradient(X, Y, w)) * RATE)


@wrong("lesson01.step", says="made the loss on this batch go up")
def gradient_ascent():
    return _step(lambda w: w + RATE * _gradient(X, Y, w))


@wrong("lesson01.step", says="left the weights unchanged")
def no_update():
    return _step(lambda w: w)


@wrong("lesson01.step", says="set every weight to zero")
def weights_reset_to_zeros():
    return _step(lambda w: np.zeros_like(w))


@wrong("lesson01.step", says="times as long")
def learning_rate_forgotten():
    return _step(lambda w: w - _gradient(X, Y, w))


@wrong("lesson01.step", says="it does not replace them")
def the_gradient_instead_of_the_weights():
    return _step(lambda w: -RATE * _gradient(X, Y, w)[:2])
