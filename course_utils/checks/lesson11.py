"""Lesson 11's checks (batch normalisation), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .shared import (
    _LEARNING_RATE_HINT,
    _LEARNING_RATE_PROMPT,
    _conv,
    _dense,
    _layers_problem,
    _learning_rate_for_problem,
)


def _bn_block(first: tuple, momentum) -> list[tuple]:
    return [first, ("BatchNormalization", "scale=False"), ("Activation", "activation=relu")]


def _bn_problem(what, layers, first, momentum):
    problem = _layers_problem(what, layers, _bn_block(first, momentum))
    if problem is None and not np.isclose(layers[1].momentum, momentum):
        return _say(
            "the batch normalisation has momentum {got}, expected BN_MOMENTUM ({expected})",
            got=layers[1].momentum,
            expected=momentum,
        )
    return problem


@exercise(
    "lesson11.conv_bn_relu",
    1,
    "a list of three layers: Conv2D(filters, kernel_size, strides, same padding) without bias, "
    "BatchNormalization(scale=False, momentum=BN_MOMENTUM), ReLU",
    "[layers.Conv2D(filters, kernel_size, strides=strides, padding='same', use_bias=False), "
    "layers.BatchNormalization(scale=False, momentum=BN_MOMENTUM), layers.Activation('relu')]",
)
def _lesson11_conv_bn_relu(conv_bn_relu, momentum):
    layers = _result(conv_bn_relu, 32, 5, 2)
    return _bn_problem("conv_bn_relu(32, 5, strides=2)", layers, _conv(32, 5, 2, "linear", False), momentum)


@exercise(
    "lesson11.dense_bn_relu",
    2,
    "a list of three layers: Dense(units) without bias, "
    "BatchNormalization(scale=False, momentum=BN_MOMENTUM), ReLU",
    "[layers.Dense(units, use_bias=False), layers.BatchNormalization(scale=False, momentum=BN_MOMENTUM), "
    "layers.Activation('relu')]",
)
def _lesson11_dense_bn_relu(dense_bn_relu, momentum):
    layers = _result(dense_bn_relu, 200)
    return _bn_problem("dense_bn_relu(200)", layers, (*_dense(200, "linear"), "use_bias=False"), momentum)


@exercise(
    "lesson11.hidden_layers",
    3,
    "the hidden layers: batch-normalised convolutions 16@5×5, 32@5×5 stride 2, 64@4×4 stride 2, Flatten, "
    "a dense block of 200",
    "[*conv_bn_relu(16, 5), *conv_bn_relu(32, 5, strides=2), *conv_bn_relu(64, 4, strides=2), "
    "layers.Flatten(), *dense_bn_relu(200)]",
)
def _lesson11_hidden_layers(hidden_layers, momentum):
    convolutions = [_conv(16, 5, 1, "linear", False), _conv(32, 5, 2, "linear", False)]
    convolutions.append(_conv(64, 4, 2, "linear", False))
    expected = [layer for first in convolutions for layer in _bn_block(first, momentum)]
    expected += [("Flatten",), *_bn_block((*_dense(200, "linear"), "use_bias=False"), momentum)]
    problem = _layers_problem("hidden_layers", hidden_layers, expected)
    if problem is None:
        for layer in hidden_layers:
            if type(layer).__name__ == "BatchNormalization" and not np.isclose(layer.momentum, momentum):
                return _say(
                    "the batch normalisation has momentum {got}, expected BN_MOMENTUM ({expected})",
                    got=layer.momentum,
                    expected=momentum,
                )
    return problem


exercise("lesson11.learning_rate_for", 4, _LEARNING_RATE_PROMPT, _LEARNING_RATE_HINT)(
    _learning_rate_for_problem
)
