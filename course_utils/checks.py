"""Checks for the exercises: `check("lesson01.sigmoid", sigmoid)` tells at once whether an answer is right.

A check prints one line when the answer is right, and stops the notebook with a short message when
it is not done yet (`...` is still there) or not right (with a hint). `hint(name)` prints the hint.
Checks never draw from the random generators the lessons use, so they do not change any result.
"""

from __future__ import annotations

import random
import sys
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np


class ExerciseError(Exception):
    """An exercise is not done yet or not right; IPython shows only the message, not a traceback."""

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


class ExerciseNotDone(ExerciseError):
    """The exercise still holds its `...` placeholder."""


class ExerciseWrong(ExerciseError):
    """The exercise gives a wrong result; the message says what is wrong."""


class _NotDone(Exception):
    """Raised by a test when the value is still a placeholder."""


@dataclass(frozen=True)
class Exercise:
    """One exercise of a lesson: its number in the lesson, its prompt, its test and its hint."""

    name: str
    number: int
    prompt: str
    test: Callable
    hint: str


EXERCISES: dict[str, Exercise] = {}


def exercise(name: str, number: int, prompt: str, hint: str):
    """Register the decorated test (it returns None when right, else what is wrong) as exercise `name`."""

    def register(test):
        EXERCISES[name] = Exercise(name, number, prompt, test, hint)
        return test

    return register


def check(name: str, *values) -> None:
    """Check exercise `name` on the learner's values: print one line if right, else raise with a hint."""
    exercise_ = EXERCISES[name]
    try:
        if any(_unfinished(value) for value in values):
            raise _NotDone
        with _random_state_kept():
            problem = exercise_.test(*values)
    except _NotDone:
        raise ExerciseNotDone(f"exercise {exercise_.number} is not done yet: {exercise_.prompt}") from None
    if problem:
        raise ExerciseWrong(f"exercise {exercise_.number}: {problem}")
    if _first_report(name):
        print(f"✓ exercise {exercise_.number} is right ({name})")


def hint(name: str) -> None:
    """Print the hint of exercise `name`."""
    exercise_ = EXERCISES[name]
    print(f"Hint for exercise {exercise_.number} ({exercise_.prompt}): {exercise_.hint}")


def _unfinished(value) -> bool:
    return value is Ellipsis or value is None


_reported: set = set()


def _first_report(name: str) -> bool:
    """True the first time `name` passes in this cell run (a check inside a loop prints once)."""
    try:
        count = get_ipython().execution_count  # noqa: F821 (defined in IPython kernels)
    except NameError:
        return True
    key = (name, count)
    if key in _reported:
        return False
    _reported.add(key)
    return True


class _random_state_kept:
    """Restore Python's and numpy's global random states (Keras draws its default seeds from them)."""

    def __enter__(self):
        self._states = random.getstate(), np.random.get_state()
        self._names = _keras_layer_names()
        self._names_copy = dict(self._names) if self._names is not None else None

    def __exit__(self, *exc):
        random.setstate(self._states[0])
        np.random.set_state(self._states[1])
        if self._names is not None:  # layers made by a check must not shift the lesson's layer names
            self._names.clear()
            self._names.update(self._names_copy)
        return False


def _keras_layer_names():
    """Keras's counters of automatic layer names (`dense_2`…), or None without Keras."""
    if "keras" not in sys.modules:
        return None
    try:
        from keras.src.backend.common import global_state
    except ImportError:
        return None
    return global_state.get_global_attribute(
        "object_name_uids", default=defaultdict(int), set_to_default=True
    )


def _result(function, *arguments):
    """function(*arguments), treating a None result (an empty body) as not done."""
    value = function(*arguments)
    if _unfinished(value):
        raise _NotDone
    return value


def _wrong_shape(name, value, expected) -> str | None:
    shape = tuple(np.shape(value))
    return None if shape == tuple(expected) else f"{name} has shape {shape}, expected {tuple(expected)}"


# Lesson 1: a single neuron in numpy

_Z = np.array([-2.0, 0.0, 3.0])
_X = np.array([[1.0, 2.0, 1.0], [0.0, -1.0, 1.0], [2.0, 0.5, 1.0], [-1.0, 1.0, 1.0]])
_Y = np.array([1, 0, 1, 0])
_W = np.array([0.5, -1.0, 0.2])


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


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
        else f"sigmoid([-2, 0, 3]) gives {np.round(value, 4)}, expected {np.round(_sigmoid(_Z), 4)}"
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
        None if np.allclose(value, expected) else "the probabilities are wrong: use sigmoid(X @ w)"
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
        return problem + ": one number per weight"

    def loss(w):
        return np.mean((_sigmoid(_X @ w) - _Y) ** 2)

    step = 1e-6
    numerical = np.array([(loss(_W + step * e) - loss(_W - step * e)) / (2 * step) for e in np.eye(3)])
    if np.allclose(value, numerical, atol=1e-6):
        return None
    if np.allclose(value, -numerical, atol=1e-6):
        return "the gradient has the wrong sign: it is (p - y), not (y - p)"
    return f"the gradient {np.round(value, 4)} differs from the finite differences {np.round(numerical, 4)}"


@exercise(
    "lesson01.step",
    4,
    "one gradient-descent step on the batch",
    "w = w - LEARNING_RATE * gradient(x_train[batch], y_train[batch], w)",
)
def _lesson01_step(w):
    if problem := _wrong_shape("w", w, (3,)):
        return problem + ": one step changes the weights, it does not replace them"
    return None if np.all(np.isfinite(w)) else "w is no longer finite: is the learning rate too large?"


# Lessons 5 to 11: Keras models, compared layer by layer

_LAYER_KEYS = ("units", "filters", "kernel_size", "strides", "padding", "activation", "rate", "use_bias")


def _layer_summary(layer) -> tuple:
    """A layer's class and the parts of its configuration the exercises ask for."""
    config = layer.get_config()
    parts = [type(layer).__name__]
    for key in _LAYER_KEYS:
        if key in config and not (key == "use_bias" and config[key]):
            value = config[key]
            parts.append(f"{key}={tuple(value) if isinstance(value, list) else value}")
    if type(layer).__name__ == "BatchNormalization":
        parts.append(f"scale={config['scale']}")
    return tuple(parts)


def _layers_problem(what: str, layers, expected: list[tuple]) -> str | None:
    """None if `layers` match `expected` (summaries of layers), else the first difference."""
    try:
        got = [_layer_summary(layer) for layer in layers]
    except (AttributeError, TypeError):
        return f"{what} should be a list of Keras layers, got {type(layers).__name__}"
    if len(got) != len(expected):
        return f"{what} has {len(got)} layers, expected {len(expected)}: {[g[0] for g in got]}"
    for position, (have, want) in enumerate(zip(got, expected, strict=True), start=1):
        if have != want:
            return f"layer {position} of {what} is {' '.join(have)}, expected {' '.join(want)}"
    return None


def _dense(units, activation) -> tuple:
    return ("Dense", f"units={units}", f"activation={activation}")


def _model_layers(model) -> list:
    if not hasattr(model, "layers"):
        raise _NotDone
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


@exercise(
    "lesson05.model",
    1,
    "a Sequential model: an input of 784 pixels and one Dense layer of 10 softmax neurons",
    "keras.Sequential([keras.Input((28 * 28,)), layers.Dense(10, activation='softmax')], name='one_layer')",
)
def _lesson05_model(model):
    problem = _layers_problem("the model", _model_layers(model), [_dense(10, "softmax")])
    if problem:
        return problem
    shape = tuple(model.input_shape)
    return None if shape == (None, 784) else f"the input has shape {shape[1:]}, expected (784,)"


def _compile_problem(model, optimizer: str, learning_rate: float) -> str | None:
    if getattr(model, "optimizer", None) is None:
        raise _NotDone
    if type(model.optimizer).__name__ != optimizer:
        return f"the optimizer is {type(model.optimizer).__name__}, expected {optimizer}"
    if not np.isclose(float(model.optimizer.learning_rate), learning_rate):
        return f"the learning rate is {float(model.optimizer.learning_rate):g}, expected {learning_rate:g}"
    if model.loss != "sparse_categorical_crossentropy":
        return f"the loss is {model.loss!r}, expected 'sparse_categorical_crossentropy' (labels are digits)"
    metrics = getattr(model, "_compile_config", None)
    names = (metrics.config.get("metrics") if metrics else None) or []
    return None if "accuracy" in names else "pass metrics=['accuracy'] to see the accuracy while training"


@exercise(
    "lesson05.compile",
    2,
    "compile with SGD(LEARNING_RATE), the sparse categorical cross-entropy and the accuracy",
    "model.compile(optimizer=keras.optimizers.SGD(LEARNING_RATE), "
    "loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
)
def _lesson05_compile(model, learning_rate):
    return _compile_problem(model, "SGD", learning_rate)


def _fit_problem(history, timer, epochs) -> str | None:
    values = getattr(history, "history", {})
    if len(values.get("val_accuracy", [])) != epochs:
        return f"fit recorded {len(values.get('val_accuracy', []))} validation epochs, expected {epochs}"
    if len(timer.seconds) != epochs:
        return "the timer measured no epoch: pass it to fit in callbacks=[...]"
    return None


@exercise(
    "lesson05.fit",
    3,
    "train for EPOCHS epochs on the training pipeline, validating on the validation split, "
    "with callbacks=[PlotTraining(sample_rate=10), timer] and verbose=2",
    "history = model.fit(training_dataset(x_train, y_train, BATCH_SIZE, seed=SEED), "
    "validation_data=evaluation_dataset(x_val, y_val), epochs=EPOCHS, callbacks=[...], verbose=2)",
)
def _lesson05_fit(history, timer, epochs):
    return _fit_problem(history, timer, epochs)


def _conv(filters, kernel, strides=1, activation="relu", bias=True) -> tuple:
    parts = [
        "Conv2D",
        f"filters={filters}",
        f"kernel_size={(kernel, kernel)}",
        f"strides={(strides, strides)}",
    ]
    return (*parts, "padding=same", f"activation={activation}", *(() if bias else ("use_bias=False",)))


_SIZES = (200, 100, 60, 30)


@exercise(
    "lesson06.sigmoid_model",
    1,
    "Dense layers of 200, 100, 60 and 30 sigmoid neurons, then 10 softmax neurons",
    "keras.Sequential([keras.Input((28 * 28,)), layers.Dense(200, activation='sigmoid'), ..., "
    "layers.Dense(10, activation='softmax')], name='sigmoid_sgd')",
)
def _lesson06_sigmoid_model(model):
    expected = [*(_dense(size, "sigmoid") for size in _SIZES), _dense(10, "softmax")]
    return _layers_problem("the model", _model_layers(model), expected)


@exercise(
    "lesson06.relu_model",
    2,
    "the same five layers with ReLU in the four hidden layers",
    "as sigmoid_model, with activation='relu' in the four hidden layers, and name='relu_adam'",
)
def _lesson06_relu_model(model):
    expected = [*(_dense(size, "relu") for size in _SIZES), _dense(10, "softmax")]
    return _layers_problem("the model", _model_layers(model), expected)


@exercise(
    "lesson06.compile",
    3,
    "compile with Adam(LEARNING_RATE), the sparse categorical cross-entropy and the accuracy",
    "model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), "
    "loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
)
def _lesson06_compile(model, learning_rate):
    return _compile_problem(model, "Adam", learning_rate)


def _dense_dropout(sizes, rate) -> list[tuple]:
    return [layer for size in sizes for layer in (_dense(size, "relu"), ("Dropout", f"rate={rate}"))]


@exercise(
    "lesson08.dropout_layers",
    1,
    "a list of the four ReLU layers 200-100-60-30, each followed by layers.Dropout(DROPOUT)",
    "[layers.Dense(200, activation='relu'), layers.Dropout(DROPOUT), layers.Dense(100, ...), ...]",
)
def _lesson08_dropout_layers(hidden, rate):
    return _layers_problem("the list", hidden, _dense_dropout(_SIZES, rate))


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
        return f"the Reshape gives {tuple(convolutions[0].target_shape)}, expected (28, 28, 1)"
    return problem


@exercise(
    "lesson10.convolutions",
    1,
    "a list of three layers: Conv2D 24@6×6, 48@5×5 stride 2, 64@4×4 stride 2 (ReLU, same padding)",
    "[layers.Conv2D(24, 6, padding='same', activation='relu'), "
    "layers.Conv2D(48, 5, strides=2, padding='same', activation='relu'), ...]",
)
def _lesson10_convolutions(convolutions):
    return _layers_problem("convolutions", convolutions, [_conv(24, 6), _conv(48, 5, 2), _conv(64, 4, 2)])


@exercise(
    "lesson10.dense_with_dropout",
    2,
    "a list of two layers: a dense layer of 200 ReLU neurons, then dropout at rate DROPOUT",
    "[layers.Dense(200, activation='relu'), layers.Dropout(DROPOUT)]",
)
def _lesson10_dense_with_dropout(layers, rate):
    return _layers_problem("dense_with_dropout", layers, _dense_dropout([200], rate))


def _bn_block(first: tuple, momentum) -> list[tuple]:
    return [first, ("BatchNormalization", "scale=False"), ("Activation", "activation=relu")]


def _bn_problem(what, layers, first, momentum):
    problem = _layers_problem(what, layers, _bn_block(first, momentum))
    if problem is None and not np.isclose(layers[1].momentum, momentum):
        return f"the batch normalisation has momentum {layers[1].momentum}, expected BN_MOMENTUM ({momentum})"
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
