"""Lesson 3's checks (activation functions), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _say, exercise
from .shared import (
    _lesson_parameters,
    _numpy,
    _trained_mlp_problem,
)


@exercise(
    "lesson03.tanh_output",
    1,
    "a one-layer network 784 -> 10 with a tanh output, zero weights and zero biases",
    'MLP([784, 10], output_activation="tanh", initializer="zeros", bias_initializer="zeros")',
)
def _lesson03_tanh_output(network):
    if getattr(network, "sizes", None) != [784, 10]:
        return _say(
            "the network has sizes {sizes}, expected [784, 10]", sizes=getattr(network, "sizes", None)
        )
    if network.output_activation_name != "tanh":
        return _say("the output activation is {got}, expected tanh", got=network.output_activation_name)
    if any(np.any(_numpy(w)) for w in [*network.weights, *network.biases]):
        return _say("the weights and biases should all start at zero")
    return None


@exercise(
    "lesson03.loss_first_image",
    2,
    "the cross-entropy of the first test image, by the formula -sum(y * log(output))",
    "-tf.reduce_sum(y_test[:1] * tf.math.log(tanh_output(x_test[:1])))",
)
def _lesson03_loss_first_image(loss, network, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = -np.sum(_numpy(y[:1]) * np.log(_numpy(network(x[:1]))))
    value = float(_numpy(loss))
    same = np.isclose(value, expected) or (np.isnan(value) and np.isnan(expected))
    return (
        None
        if same
        else _say(
            "the loss is {got}, expected {expected}: -sum(y * log(output)) on the first image",
            got=value,
            expected=expected,
        )
    )


@exercise(
    "lesson03.activation_network",
    3,
    "the 784-HIDDEN_UNITS-10 network with this hidden activation, trained with the shared budget",
    "model = MLP([784, HIDDEN_UNITS, 10], hidden_activation=name, "
    'initializer="truncated_normal", seed=SEED); '
    "history = train(model, x_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, "
    "learning_rate=LEARNING_RATE, validation_data=(x_val, y_val), seed=SEED, verbose=False)",
)
def _lesson03_activation_network(model, history, name):
    units, epochs, batch_size, rate, seed = _lesson_parameters(
        "HIDDEN_UNITS", "EPOCHS", "BATCH_SIZE", "LEARNING_RATE", "SEED"
    )
    settings = dict(epochs=epochs, batch_size=batch_size, learning_rate=rate, loss="cross_entropy", seed=seed)
    return _trained_mlp_problem(model, history, [784, units, 10], name, "truncated_normal", settings)
