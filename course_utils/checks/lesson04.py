"""Lesson 4's checks (weight initialisation), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _NotDone, _result, _say, exercise
from .shared import (
    _lesson_parameters,
    _trained_mlp_problem,
)


class _Weights:
    """A stand-in model with known first-layer weights (`model.weights[0].numpy()`)."""

    def __init__(self, W1):
        self.weights = [type("Variable", (), {"numpy": lambda _self: W1})()]


@exercise(
    "lesson04.hidden_unit_spread",
    1,
    "the std across hidden units for each input, averaged; and the distinct columns of W1",
    "np.std(W1, axis=1).mean() and np.unique(W1.round(4), axis=1).shape[1]",
)
def _lesson04_hidden_unit_spread(hidden_unit_spread):
    W1 = np.array([[1.0, 1.0, 3.0], [2.0, 2.0, 0.0]])
    result = _result(hidden_unit_spread, _Weights(W1))
    expected = (float(np.std(W1, axis=1).mean()), 2)
    if not isinstance(result, tuple) or len(result) != 2:
        return _say("return two values: (spread, distinct)")
    if not np.isclose(result[0], expected[0]):
        return _say(
            "the spread of a known W1 is {got:.4f}, expected {expected:.4f}: np.std(W1, axis=1).mean()",
            got=result[0],
            expected=expected[0],
        )
    return (
        None
        if result[1] == 2
        else _say("a known W1 with 2 distinct columns gives {got}: count columns (axis=1)", got=result[1])
    )


@exercise(
    "lesson04.grid_network",
    2,
    "build the network with this initialiser and train it with this loss and the shared budget",
    "model = MLP([784, HIDDEN_UNITS, 10], hidden_activation=HIDDEN_ACTIVATION, initializer=name, seed=SEED); "
    "history = train(model, x_train, y_train, epochs=EPOCHS, batch_size=BATCH_SIZE, "
    "learning_rate=LEARNING_RATE, loss=loss, validation_data=(x_val, y_val), seed=SEED, verbose=False)",
)
def _lesson04_grid_network(model, history, name, loss):
    activation, units, epochs, batch_size, rate, seed = _lesson_parameters(
        "HIDDEN_ACTIVATION", "HIDDEN_UNITS", "EPOCHS", "BATCH_SIZE", "LEARNING_RATE", "SEED"
    )
    settings = dict(epochs=epochs, batch_size=batch_size, learning_rate=rate, loss=loss, seed=seed)
    return _trained_mlp_problem(model, history, [784, units, 10], activation, name, settings)


@exercise(
    "lesson04.layer_stds",
    3,
    "`layers`, every hidden layer's activations (numpy) for 1,000 validation images (deep.hidden), "
    "and stds[activation, initializer], the list of their stds",
    "layers = [h.numpy() for h in deep.hidden(x_val[:1000])]; stds[activation, initializer] = "
    "[float(np.std(h)) for h in layers]",
)
def _lesson04_layer_stds(layers, stds, key, depth):
    if len(layers) != depth:
        return _say(
            "layers holds {count} arrays, expected one per hidden layer ({depth})",
            count=len(layers),
            depth=depth,
        )
    if any(np.shape(h)[0] != 1000 for h in layers):
        return _say("use the first 1,000 validation images")
    if key not in stds:
        raise _NotDone
    expected = [float(np.std(h)) for h in layers]
    return (
        None
        if np.allclose(stds[key], expected)
        else _say("stds[activation, initializer] should list np.std of each layer")
    )
