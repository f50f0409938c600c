"""Lesson 4's checks (weight initialisation), in the order of the notebook.

The spread is computed on a known W1, a training run is checked for its network, its settings and the
split it validated on, and the layers' activations are compared with the network's own.
"""

from __future__ import annotations

import numpy as np

from .engine import _NotDone, _result, _say, exercise
from .lesson03 import _run_problem
from .shared import _lesson_parameters


class _Weights:
    """A stand-in model with known first-layer weights (`model.weights[0].numpy()`)."""

    def __init__(self, W1):
        self.weights = [type("Variable", (), {"numpy": lambda _self: W1})()]


@exercise(
    "lesson04.hidden_unit_spread",
    1,
    "how different the hidden units of W1 are: for each input, the standard deviation of its weights across "
    "the hidden units, averaged over the inputs; and how many of W1's columns are distinct",
    (
        "W1 has one row per input and one column per hidden unit. Spread: compare the units within each "
        "row, then average over the rows. Distinct: count the different columns, rounded to 4 decimals.",
        "spread: np.std along the right axis, then .mean(); distinct: np.unique(..., axis=...) on W1 "
        "rounded, and the number of columns it keeps.",
    ),
)
def _lesson04_hidden_unit_spread(hidden_unit_spread):
    W1 = np.array([[1.0, 1.0, 3.0, 0.0], [2.0, 2.0, 0.0, 1.0]])  # 2 inputs, 4 units, 3 distinct
    result = _result(hidden_unit_spread, _Weights(W1))
    if not isinstance(result, tuple) or len(result) != 2:
        return _say("return two values: (spread, distinct)")
    if _unfinished_pair(result):
        raise _NotDone
    expected = float(np.std(W1, axis=1).mean())
    if not np.isclose(float(result[0]), expected):
        return _say(
            "the spread of a known W1 (2 inputs, 4 hidden units) is {got:.4f}, expected {expected:.4f}: "
            "for each input, how far apart are the hidden units' weights?",
            got=float(result[0]),
            expected=expected,
        )
    if result[1] != 3:
        return _say(
            "a known W1 with 4 hidden units, two of them equal, gives {got} distinct units, expected 3: "
            "a hidden unit is a column",
            got=result[1],
        )
    return None


def _unfinished_pair(result) -> bool:
    return any(value is Ellipsis or value is None for value in result)


@exercise(
    "lesson04.grid_network",
    2,
    "build the 784-HIDDEN_UNITS-10 network with `initializer` (hidden activation HIDDEN_ACTIVATION, "
    "seed SEED) "
    "and train it with `loss` for the shared budget, measured on the validation split after every epoch",
    (
        "Only the initialiser and the loss change from run to run: the same sizes, activation, seed, "
        "epochs, batch size and learning rate, and the validation split to compare on.",
        "model, an MLP([...], hidden_activation=..., initializer=initializer, seed=...); then "
        "its history from train(model, x_train, y_train, ...) with the lesson's parameters and "
        "loss=loss, quietly.",
    ),
)
def _lesson04_grid_network(model, history, initializer, loss, x_val, y_val, x_test, y_test):
    from ..mlp import evaluate

    activation, units, epochs, batch_size, rate, seed = _lesson_parameters(
        "HIDDEN_ACTIVATION", "HIDDEN_UNITS", "EPOCHS", "BATCH_SIZE", "LEARNING_RATE", "SEED"
    )
    settings = dict(epochs=epochs, batch_size=batch_size, learning_rate=rate, loss=loss, seed=seed)
    name = initializer if isinstance(initializer, str) else None
    return _run_problem(
        model,
        history,
        [784, units, 10],
        activation,
        name,
        settings,
        (x_val, y_val),
        (x_test, y_test),
        evaluate,
    )


@exercise(
    "lesson04.layer_stds",
    3,
    "`layers`, the activations of every hidden layer of `deep` for the first 1,000 validation images (numpy "
    "arrays), and stds[activation, initializer], the list of their standard deviations, first layer first",
    (
        "The network's `hidden` method returns the output of each hidden layer for a batch of images; "
        "one standard deviation per layer, over all its values, tells how big the signal still is.",
        "A list comprehension over deep.hidden(...) that turns each layer into numpy, then another one "
        "that takes np.std of each, stored under the key (activation, initializer).",
    ),
)
def _lesson04_layer_stds(layers, stds, key, deep, images):
    expected_layers = [np.asarray(h) for h in deep.hidden(images)]
    if len(layers) != len(expected_layers):
        return _say(
            "layers holds {count} arrays, expected one per hidden layer ({depth})",
            count=len(layers),
            depth=len(expected_layers),
        )
    if any(np.shape(h)[0] != len(images) for h in layers):
        return _say("use the first 1,000 validation images")
    for number, (got, want) in enumerate(zip(layers, expected_layers, strict=True), start=1):
        if np.shape(got) != want.shape or not np.allclose(np.asarray(got), want, rtol=1e-4, atol=1e-6):
            return _say(
                "layer {number} of your list is not the output of hidden layer {number} of deep "
                "(after its activation)",
                number=number,
            )
    if key not in stds:
        raise _NotDone
    expected = [float(np.std(h)) for h in expected_layers]
    if len(stds[key]) != len(expected) or not np.allclose(stds[key], expected, rtol=1e-4):
        return _say(
            "the stds you stored are {got}, the standard deviations of the layers are {expected}",
            got=np.round(np.asarray(stds[key], dtype=float), 4).tolist(),
            expected=np.round(expected, 4).tolist(),
        )
    return None
