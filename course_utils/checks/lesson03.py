"""Lesson 3's checks (activation functions), in the order of the notebook.

The networks are run on known inputs, and a training run is checked for the split it validated on
(`_validation_problem`, which lesson 4 uses too).
"""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .shared import (
    _lesson_parameters,
    _numpy,
    _trained_mlp_problem,
)


@exercise(
    "lesson03.tanh_output",
    1,
    "lesson 2's one-layer network (784 inputs, 10 outputs) with a tanh at the output, every weight starting "
    "at zero and the biases starting with `bias_initializer`",
    (
        "course_utils.mlp.MLP builds the network from its layer sizes; its arguments choose the output "
        "activation and how the weights and the biases start.",
        "return MLP([...], output_activation=..., initializer=..., bias_initializer=bias_initializer)",
    ),
)
def _lesson03_tanh_output(one_layer_tanh):
    images = np.random.default_rng(0).random((3, 784)).astype("float32")
    zeros = _result(one_layer_tanh, "zeros")
    try:
        outputs = _numpy(zeros(images))
    except Exception as error:  # noqa: BLE001 (any failure on 784 inputs says the same)
        return _say("your network fails on images of 784 pixels: {error}", error=type(error).__name__)
    if outputs.shape != (3, 10):
        return _say(
            "your network gives outputs of shape {shape} for 3 images, expected (3, 10)", shape=outputs.shape
        )
    parameters = sum(int(np.prod(np.shape(v))) for v in zeros.trainable_variables)
    if parameters != 784 * 10 + 10:
        return _say(
            "your network has {count:,} parameters; the one-layer network has 7,850 (no hidden layer)",
            count=parameters,
        )
    if not np.allclose(outputs, outputs[0]):
        return _say(
            "before training your network gives different outputs for different images: start every "
            "weight at zero"
        )
    ones = _numpy(_result(one_layer_tanh, "ones")(images))
    if np.allclose(ones, 0) and np.allclose(outputs, 0):
        return _say(
            'with bias_initializer="ones" the outputs are still 0: let the argument choose the biases'
        )
    if not np.allclose(ones, np.tanh(1.0), atol=1e-5) or not np.allclose(outputs, 0, atol=1e-6):
        return _say(
            "with biases of 0 your outputs are {zero:.4f}, with biases of 1 they are {one:.4f}; "
            "a tanh output gives tanh(0) = 0 and tanh(1) = 0.7616",
            zero=float(outputs.flat[0]),
            one=float(ones.flat[0]),
        )
    return None


@exercise(
    "lesson03.loss_first_image",
    2,
    "the cross-entropy of the first test image, by the formula -sum(y * log(output)), on tanh_output's own "
    "outputs",
    (
        "The formula takes the log of each of the network's ten outputs, weighs it by the one-hot label "
        "and sums with a minus sign; use the first test image only, and do not protect the log.",
        "One expression with tf.reduce_sum and tf.math.log, on y_test[:1] and the network's output for "
        "x_test[:1].",
    ),
)
def _lesson03_loss_first_image(loss, network, x, y):
    with np.errstate(divide="ignore", invalid="ignore"):
        expected = -np.sum(_numpy(y[:1]) * np.log(_numpy(network(x[:1]))))
    value = float(_numpy(loss))
    if np.isclose(value, expected) or (np.isnan(value) and np.isnan(expected)):
        return None
    if np.isfinite(value) and not np.isfinite(expected):
        return _say(
            "your loss is {got:.4f}, a finite number, but the formula on these outputs gives {expected}: "
            "take the log of the network's own outputs, unprotected",
            got=value,
            expected=expected,
        )
    return _say(
        "the loss is {got}, expected {expected}: the formula, on the first test image only",
        got=value,
        expected=expected,
    )


def _validation_problem(history, validation, test, evaluate) -> str | None:
    """None if the history's last validation metrics are the model's on `validation`, else what is wrong.

    `TrainingHistory` keeps no reference to the data it validated on, so the check measures the trained
    model on both splits (`evaluate` returns (loss, accuracy)) and compares with the last recorded epoch:
    measured after the last step, they equal exactly one of the two.
    """
    values = history.history
    recorded = np.array([values["val_loss"][-1], values["val_accuracy"][-1]])
    if np.allclose(recorded, evaluate(*test), rtol=1e-4, equal_nan=True):
        return _say(
            "you validated on the test split: choices are made on the validation split, and the test split "
            "is measured once, at the end, for the network chosen"
        )
    if np.allclose(recorded, evaluate(*validation), rtol=1e-4, equal_nan=True):
        return None
    return _say("the validation metrics train recorded are not the network's on the validation split")


@exercise(
    "lesson03.activation_network",
    3,
    "train the 784-HIDDEN_UNITS-10 network with hidden activation `name` (truncated-normal weights, `seed`) "
    "for the shared budget, measured on the validation split after every epoch",
    (
        "Every run must differ only in the activation: the same sizes, initial weights, seed, epochs, batch "
        "size and learning rate, and the validation split to compare them on.",
        "model, an MLP([...], hidden_activation=..., initializer=..., seed=seed); then "
        "its history from train(model, x_train, y_train, ...) with the lesson's parameters, quietly "
        "(verbose=False).",
    ),
)
def _lesson03_activation_network(model, history, name, x_val, y_val, x_test, y_test):
    from ..mlp import evaluate

    units, epochs, batch_size, rate, seed = _lesson_parameters(
        "HIDDEN_UNITS", "EPOCHS", "BATCH_SIZE", "LEARNING_RATE", "SEED"
    )
    settings = dict(epochs=epochs, batch_size=batch_size, learning_rate=rate, loss="cross_entropy", seed=seed)
    return _run_problem(
        model,
        history,
        [784, units, 10],
        name,
        "truncated_normal",
        settings,
        (x_val, y_val),
        (x_test, y_test),
        evaluate,
    )


def _run_problem(model, history, sizes, activation, initializer, settings, validation, test, evaluate):
    """A trained MLP: its network and settings, then the split it validated on."""
    if hasattr(model, "sizes") and "val_accuracy" not in getattr(history, "history", {"val_accuracy": 0}):
        return _say(
            "train recorded no validation metrics: give it the validation split, so every epoch is "
            "measured on images it does not train on"
        )
    return _trained_mlp_problem(model, history, sizes, activation, initializer, settings) or (
        _validation_problem(
            history, validation, test, lambda x, y: evaluate(model, x, y, loss=settings["loss"])
        )
    )
