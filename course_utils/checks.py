"""Checks for the exercises: `check("lesson01.sigmoid", sigmoid)` tells at once whether an answer is right.

A check prints one line when the answer is right, and stops the notebook with a short message when
it is not done yet (`...` is still there) or not right. `check.hint(name)` prints the exercise's hint,
`check.solution(name)` its worked solution.
Checks never draw from the random generators the lessons use, so they do not change any result.
"""

from __future__ import annotations

import contextlib
import io
import random
import sys
import warnings
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .i18n import translated

# The lines a check prints, translated through the shared catalogue (context "check").
RIGHT = "✓ exercise {number} is right ({name})"
NOT_DONE = "exercise {number} is not done yet: {prompt}"
WRONG = 'exercise {number}: {problem} (a hint: check.hint("{name}"))'
HINT = "Hint for exercise {number} ({prompt}): {hint}"
SOLUTION = "Solution of exercise {number} ({prompt}):\n{solution}"
MESSAGES = (RIGHT, NOT_DONE, WRONG, HINT, SOLUTION)


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
        raise ExerciseNotDone(_text(NOT_DONE, number=exercise_.number, prompt=_prompt(exercise_))) from None
    if problem:
        raise ExerciseWrong(_text(WRONG, number=exercise_.number, problem=problem, name=name))
    if _first_report(name):
        print(_text(RIGHT, number=exercise_.number, name=name))


def hint(name: str) -> None:
    """Print the hint of exercise `name`."""
    exercise_ = EXERCISES[name]
    hint_ = translated("check hint", exercise_.hint)
    print(_text(HINT, number=exercise_.number, prompt=_prompt(exercise_), hint=hint_))


def solution(name: str) -> None:
    """Print the worked solution of exercise `name` (the code of the solution notebook)."""
    from .solutions import SOLUTIONS

    exercise_ = EXERCISES[name]
    print(_text(SOLUTION, number=exercise_.number, prompt=_prompt(exercise_), solution=SOLUTIONS[name]))


def _text(message: str, **fields) -> str:
    """One of the MESSAGES, in the learner's language (COURSE_LANGUAGE), filled in."""
    return translated("check", message).format(**fields)


def _prompt(exercise_: Exercise) -> str:
    return translated("check prompt", exercise_.prompt)


def _say(template: str, **fields) -> str:
    """A test's "what is wrong" in the learner's language (context "check problem"), filled in.

    `template` must be a plain string literal: `translate` collects every `_say("…")` of this module.
    """
    return translated("check problem", template).format(**fields)


check.hint = hint  # `check.hint("lesson01.sigmoid")` in a notebook that imports only `check`
check.solution = solution


def _unfinished(value) -> bool:
    """A placeholder: `...`, None (an empty function body), or a tuple holding `...`."""
    if isinstance(value, tuple):
        return any(item is Ellipsis for item in value)
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
    if shape == tuple(expected):
        return None
    return _say(
        "{name} has shape {shape}, expected {expected}", name=name, shape=shape, expected=tuple(expected)
    )


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
        return _say(
            "{what} should be a list of Keras layers, got {type}", what=what, type=type(layers).__name__
        )
    if len(got) != len(expected):
        return _say(
            "{what} has {count} layers, expected {expected}: {classes}",
            what=what,
            count=len(got),
            expected=len(expected),
            classes=[g[0] for g in got],
        )
    for position, (have, want) in enumerate(zip(got, expected, strict=True), start=1):
        if have != want:
            return _say(
                "layer {position} of {what} is {have}, expected {want}",
                position=position,
                what=what,
                have=" ".join(have),
                want=" ".join(want),
            )
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
    problem = _layers_problem(_say("the model"), _model_layers(model), [_dense(10, "softmax")])
    if problem:
        return problem
    shape = tuple(model.input_shape)
    return (
        None
        if shape == (None, 784)
        else _say("the input has shape {shape}, expected (784,)", shape=shape[1:])
    )


def _compile_problem(model, optimizer: str, learning_rate: float) -> str | None:
    if getattr(model, "optimizer", None) is None:
        raise _NotDone
    if type(model.optimizer).__name__ != optimizer:
        return _say(
            "the optimizer is {got}, expected {expected}",
            got=type(model.optimizer).__name__,
            expected=optimizer,
        )
    if not np.isclose(float(model.optimizer.learning_rate), learning_rate):
        return _say(
            "the learning rate is {got:g}, expected {expected:g}",
            got=float(model.optimizer.learning_rate),
            expected=learning_rate,
        )
    if model.loss != "sparse_categorical_crossentropy":
        return _say(
            "the loss is {got!r}, expected 'sparse_categorical_crossentropy' (labels are digits)",
            got=model.loss,
        )
    metrics = getattr(model, "_compile_config", None)
    names = (metrics.config.get("metrics") if metrics else None) or []
    return (
        None if "accuracy" in names else _say("pass metrics=['accuracy'] to see the accuracy while training")
    )


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
        return _say(
            "fit recorded {count} validation epochs, expected {epochs}",
            count=len(values.get("val_accuracy", [])),
            epochs=epochs,
        )
    if len(timer.seconds) != epochs:
        return _say("the timer measured no epoch: pass it to fit in callbacks=[...]")
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


def _five_dense_layers(activation: str) -> list[tuple]:
    """Lesson 6's layers: 200-100-60-30 with `activation`, then 10 softmax neurons."""
    return [*(_dense(size, activation) for size in _SIZES), _dense(10, "softmax")]


@exercise(
    "lesson06.sigmoid_model",
    1,
    "Dense layers of 200, 100, 60 and 30 sigmoid neurons, then 10 softmax neurons",
    "keras.Sequential([keras.Input((28 * 28,)), layers.Dense(200, activation='sigmoid'), ..., "
    "layers.Dense(10, activation='softmax')], name='sigmoid_sgd')",
)
def _lesson06_sigmoid_model(model):
    return _layers_problem(_say("the model"), _model_layers(model), _five_dense_layers("sigmoid"))


@exercise(
    "lesson06.relu_model",
    2,
    "the same five layers with ReLU in the four hidden layers",
    "as sigmoid_model, with activation='relu' in the four hidden layers, and name='relu_adam'",
)
def _lesson06_relu_model(model):
    return _layers_problem(_say("the model"), _model_layers(model), _five_dense_layers("relu"))


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
    return _layers_problem(_say("the list"), hidden, _dense_dropout(_SIZES, rate))


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


# Lessons 2 to 4: networks written with TensorFlow variables and course_utils.mlp.MLP


def _numpy(value):
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


@exercise(
    "lesson02.perceptron_variables",
    1,
    "the perceptron's variables, W (784x10) and b (10), all zeros",
    'W = tf.Variable(tf.zeros([784, 10]), name="W") and b = tf.Variable(tf.zeros([10]), name="b")',
)
def _lesson02_perceptron_variables(W, b):
    for name, value, shape in (("W", W, (784, 10)), ("b", b, (10,))):
        if not hasattr(value, "assign_sub"):
            return _say(
                "{name} must be a tf.Variable (training changes it in place), got {type}",
                name=name,
                type=type(value).__name__,
            )
        if problem := _wrong_shape(name, value, shape):
            return problem
        if np.any(_numpy(value)):
            return _say("{name} should start at zero", name=name)
    return None


_LOGITS = np.array([[2.0, 0.5, -1.0], [0.0, 0.0, 3.0]], dtype="float32")
_ONE_HOT = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype="float32")


def _cross_entropy(y, logits):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return float(-(y * log_softmax).sum(axis=1).mean())


@exercise(
    "lesson02.cross_entropy",
    2,
    "the mean cross-entropy between one-hot labels and softmax(logits)",
    "tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y_true, logits)): one number for the batch",
)
def _lesson02_cross_entropy(cross_entropy):
    value = _numpy(_result(cross_entropy, _ONE_HOT, _LOGITS))
    if value.shape != ():
        return _say(
            "the loss has shape {shape}: take the mean over the batch (one number)", shape=value.shape
        )
    expected = _cross_entropy(_ONE_HOT, _LOGITS)
    if np.isclose(value, expected, rtol=1e-5):
        return None
    return _say(
        "the loss of a known batch is {got:.4f}, expected {expected:.4f}: softmax the logits first",
        got=float(value),
        expected=expected,
    )


@exercise(
    "lesson02.hidden_layer_variables",
    5,
    "W1 (784 x HIDDEN_UNITS) and W2 (HIDDEN_UNITS x 10) from keras.initializers.TruncatedNormal(stddev=0.1) "
    "with seed=seed for W1 and seed=seed + 1 for W2, zero biases",
    "keras.initializers.TruncatedNormal(stddev=0.1, seed=seed)((784, HIDDEN_UNITS)) for W1, "
    "seed + 1 for W2; tf.zeros for the biases",
)
def _lesson02_hidden_layer_variables(hidden_layer_variables, hidden_units):
    variables = _result(hidden_layer_variables, 7)
    shapes = ((784, hidden_units), (hidden_units,), (hidden_units, 10), (10,))
    for name, value, shape in zip(("W1", "b1", "W2", "b2"), variables, shapes, strict=True):
        if problem := _wrong_shape(name, value, shape):
            return problem
    W1, b1, W2, b2 = map(_numpy, variables)
    if np.any(b1) or np.any(b2):
        return _say("the biases should start at zero")
    from keras.initializers import TruncatedNormal

    for name, value, seed in (("W1", W1, 7), ("W2", W2, 8)):
        expected = np.asarray(TruncatedNormal(stddev=0.1, seed=seed)(value.shape))
        if not np.allclose(value, expected):
            used = "seed" if seed == 7 else "seed + 1"
            return _say(
                "{name} differs from TruncatedNormal(stddev=0.1, seed={used}) for seed=7",
                name=name,
                used=used,
            )
    return None


@exercise(
    "lesson02.hidden_network",
    6,
    "a sigmoid hidden layer, then the output logits",
    "h = tf.sigmoid(x @ W1 + b1); return h @ W2 + b2",
)
def _lesson02_hidden_network(hidden_network, variables):
    W1, b1, W2, b2 = map(_numpy, variables)
    x = np.linspace(0, 1, 2 * W1.shape[0], dtype="float32").reshape(2, -1)
    value = _numpy(_result(hidden_network(variables), x))
    expected = _sigmoid(x @ W1 + b1) @ W2 + b2
    return _wrong_shape("forward(x)", value, expected.shape) or (
        None
        if np.allclose(value, expected, atol=1e-4)
        else _say("the logits are wrong: sigmoid on the hidden layer only")
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


@exercise(
    "lesson07.dense_network",
    1,
    "Dense 200-100-60-30 (ReLU) and 10 (softmax), compiled with Adam(learning_rate)",
    "lesson 6's relu_adam model in keras.Sequential(..., name=name), then network.compile(optimizer="
    "keras.optimizers.Adam(learning_rate), loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
)
def _lesson07_dense_network(dense_network):
    network = _result(dense_network, 0.004, "checked")
    problem = _layers_problem(_say("the network"), _model_layers(network), _five_dense_layers("relu"))
    if problem is None and network.name != "checked":
        return _say("give the model the name passed in: keras.Sequential([...], name=name)")
    if problem is None and getattr(network, "optimizer", None) is None:
        return _say("compile the network before returning it")
    return problem or _compile_problem(network, "Adam", 0.004)


def _learning_rate_for_problem(learning_rate_for, learning_rate, decay):
    rates = [_result(learning_rate_for, epoch) for epoch in (0, 1, 3)]
    expected = [learning_rate * decay**epoch for epoch in (0, 1, 3)]
    if np.allclose(rates, expected):
        return None
    if np.isclose(rates[0], learning_rate * decay):
        return _say("epochs count from 0: the first epoch uses LEARNING_RATE itself")
    return _say(
        "epochs 0, 1, 3 get {got}, expected {expected}",
        got=", ".join(f"{rate:.3g}" for rate in rates),
        expected=", ".join(f"{rate:.3g}" for rate in expected),
    )


_LEARNING_RATE_PROMPT = (
    "the learning rate of epoch `epoch` (0, 1, ...): LEARNING_RATE times LR_DECAY to the power epoch"
)
_LEARNING_RATE_HINT = "return LEARNING_RATE * LR_DECAY**epoch"
for _lesson, _number in ((7, 2), (9, 2), (10, 3), (11, 4)):
    exercise(f"lesson{_lesson:02d}.learning_rate_for", _number, _LEARNING_RATE_PROMPT, _LEARNING_RATE_HINT)(
        _learning_rate_for_problem
    )


# Lessons 2 to 4: the training step and loops


@exercise(
    "lesson02.train_step",
    3,
    "record the forward pass and the loss, take the gradients, update each variable",
    "inside `with tf.GradientTape() as tape:` compute logits = forward(x) and "
    "loss = cross_entropy(y, logits); "
    "then gradients = tape.gradient(loss, variables), and variable.assign_sub(learning_rate * gradient) "
    "for each variable and its gradient",
)
def _lesson02_train_step(make_train_step):
    import tensorflow as tf

    W, b = tf.Variable(tf.zeros([3, 3])), tf.Variable(tf.zeros([3]))
    x = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, -1.0]], dtype="float32")
    y = np.array([[1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype="float32")
    step = make_train_step(lambda inputs: inputs @ W + b, [W, b], 0.5)
    try:
        loss, _ = step(tf.constant(x), tf.constant(y))
    except NameError as error:  # "name 'loss' is not defined": the block is not written yet
        if "'loss'" in str(error) or "'logits'" in str(error):
            raise _NotDone from None
        raise
    gradient = (np.full((2, 3), 1 / 3) - y) / len(x)  # softmax of zero logits, minus the labels
    expected_W, expected_b = -0.5 * x.T @ gradient, -0.5 * gradient.sum(axis=0)
    W, b = _numpy(W), _numpy(b)
    if not np.any(W) and not np.any(b):
        return _say(
            "the variables did not change: update each one with variable.assign_sub(learning_rate * gradient)"
        )
    if np.allclose(W, -expected_W, atol=1e-5) and np.allclose(b, -expected_b, atol=1e-5):
        return _say("the step went uphill: subtract learning_rate * gradient (assign_sub), do not add it")
    if not (np.allclose(W, expected_W, atol=1e-5) and np.allclose(b, expected_b, atol=1e-5)):
        return _say(
            "one step from zero weights gives W {got}, expected {expected}: "
            "the gradients of the cross-entropy, times learning_rate",
            got=np.round(W, 4).tolist(),
            expected=np.round(expected_W, 4).tolist(),
        )
    if not np.isclose(float(_numpy(loss)), np.log(3), rtol=1e-5):
        return _say("train_step should return the batch's loss (computed before the update) first")
    return None


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


@exercise(
    "lesson02.fit",
    4,
    "one step per mini-batch of shuffled images, keeping each batch's loss and accuracy",
    "for first in range(0, len(x_train), batch_size): take batch = order[first : first + batch_size], "
    "call train_step(x_train[batch], y_train[batch]) and append float(loss) and float(acc) to their lists",
)
def _lesson02_fit(fit, x_train, y_train):
    import tensorflow as tf

    batch_size, learning_rate, seed = 5000, 0.5, 3
    W, b = tf.Variable(tf.zeros([784, 10])), tf.Variable(tf.zeros([10]))
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        history = _result(fit, lambda inputs: inputs @ W + b, [W, b], 1, batch_size, learning_rate, seed)
    if not np.any(_numpy(W)):
        raise _NotDone
    x_train, y_train = np.asarray(x_train, "float64"), np.asarray(y_train, "float64")
    order = np.random.default_rng(seed).permutation(len(x_train))
    expected_W, expected_b, losses, accuracies = np.zeros((784, 10)), np.zeros(10), [], []
    for first in range(0, len(x_train), batch_size):
        x, y = x_train[order[first : first + batch_size]], y_train[order[first : first + batch_size]]
        logits = x @ expected_W + expected_b
        p = _softmax(logits)
        losses.append(-np.mean(np.sum(y * np.log(p), axis=1)))
        accuracies.append(np.mean(logits.argmax(axis=1) == y.argmax(axis=1)))
        expected_W -= learning_rate * x.T @ (p - y) / len(x)
        expected_b -= learning_rate * (p - y).mean(axis=0)
    if not np.allclose(_numpy(W), expected_W, atol=1e-4):
        return _say(
            "after one epoch the weights differ from one step per mini-batch: for each first in "
            "range(0, len(x_train), batch_size), train on order[first : first + batch_size]"
        )
    if not np.isclose(history["loss"][0], np.mean(losses), rtol=1e-4):
        return _say(
            "the epoch's loss is {got:.4f}, the mean of its batches' losses is {expected:.4f}: "
            "append each batch's loss to losses",
            got=history["loss"][0],
            expected=np.mean(losses),
        )
    if not np.isclose(history["accuracy"][0], np.mean(accuracies), atol=1e-4):
        return _say("append each batch's accuracy (the second value train_step returns) to accuracies")
    return None


def _trained_mlp_problem(model, history, sizes, activation, initializer, settings) -> str | None:
    """None if the MLP and its training (train's settings) are the ones the exercise asks for."""
    if not hasattr(model, "sizes") or not hasattr(model, "initializer_name"):
        return _say("model should be an MLP, got {type}", type=type(model).__name__)
    built = {"sizes": model.sizes, "hidden_activation": model.hidden_activation_name}
    built |= {"initializer": model.initializer_name, "seed": model.seed}
    wanted = {
        "sizes": sizes,
        "hidden_activation": activation,
        "initializer": initializer,
        "seed": settings["seed"],
    }
    for key, value in wanted.items():
        if built[key] != value:
            return _say(
                "build the MLP with {key}={expected!r}, not {got!r}", key=key, expected=value, got=built[key]
            )
    if not hasattr(history, "settings"):
        return _say("history should be what train(...) returns, got {type}", type=type(history).__name__)
    for key, value in settings.items():
        if history.settings.get(key) != value:
            got = history.settings.get(key)
            return _say("train with {key}={expected!r}, not {got!r}", key=key, expected=value, got=got)
    if "val_accuracy" not in history.history:
        return _say("pass validation_data=(x_val, y_val) to train")
    return None


def _lesson_parameters(*names) -> list:
    """The lesson's parameters, as its check_parameters cell last accepted them."""
    from .parameters import CHECKED

    missing = [name for name in names if name not in CHECKED]
    if missing:
        names = ", ".join(missing)
        raise ExerciseError(_say("run the parameters cells first: this check needs {names}", names=names))
    return [CHECKED[name] for name in names]


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


# Lessons 7 to 11: training with a schedule, the test split, lesson 11's network


@exercise(
    "lesson07.fit",
    3,
    "the same training, with callbacks=[keras.callbacks.LearningRateScheduler(learning_rate_for), "
    "PlotTraining(sample_rate=10, zoom=2), timer]",
    "history = model.fit(training_dataset(x_train, y_train, BATCH_SIZE, seed=SEED), "
    "validation_data=evaluation_dataset(x_val, y_val), epochs=EPOCHS, callbacks=[...], verbose=2)",
)
def _lesson07_fit(history, timer, epochs, learning_rate_for):
    if problem := _fit_problem(history, timer, epochs):
        return problem
    rates = history.history.get("learning_rate")
    if rates is None:
        return _say("pass keras.callbacks.LearningRateScheduler(learning_rate_for) in callbacks=[...]")
    expected = [learning_rate_for(epoch) for epoch in range(epochs)]
    if not np.allclose(rates, expected, rtol=1e-4):
        return _say(
            "the epochs were trained with learning rates {got}, expected {expected}: "
            "schedule them with LearningRateScheduler(learning_rate_for)",
            got=[float(f"{rate:.3g}") for rate in rates],
            expected=[float(f"{rate:.3g}") for rate in expected],
        )
    return None


@exercise(
    "lesson08.wide_layers",
    2,
    "for each size in WIDE_LAYERS, a Dense ReLU layer followed by layers.Dropout(DROPOUT)",
    "hidden = []; for size in WIDE_LAYERS: hidden += [layers.Dense(size, activation='relu'), "
    "layers.Dropout(DROPOUT)]",
)
def _lesson08_wide_layers(hidden, sizes, rate):
    return _layers_problem(_say("the list"), hidden, _dense_dropout(sizes, rate))


def _test_evaluation_problem(model, test_loss, test_accuracy, x_test, y_test) -> str | None:
    from .pipelines import evaluation_dataset

    loss, accuracy = model.evaluate(evaluation_dataset(x_test, y_test), verbose=0)
    got = float(_numpy(test_loss)), float(_numpy(test_accuracy))
    if np.isclose(got[0], accuracy, atol=1e-4) and np.isclose(got[1], loss, rtol=1e-3):
        return _say("evaluate returns the loss first, then the accuracy: test_loss, test_accuracy = ...")
    if np.isclose(got[0], loss, rtol=1e-3) and np.isclose(got[1], accuracy, atol=1e-4):
        return None
    return _say(
        "test_loss, test_accuracy are {loss:.4f}, {accuracy:.4f}, but the model scores "
        "{expected_loss:.4f}, {expected_accuracy:.4f} on the test split: "
        "model.evaluate(evaluation_dataset(x_test, y_test), verbose=0)",
        loss=got[0],
        accuracy=got[1],
        expected_loss=loss,
        expected_accuracy=accuracy,
    )


_TEST_HINT = "test_loss, test_accuracy = model.evaluate(evaluation_dataset(x_test, y_test), verbose=0)"
exercise("lesson08.test_evaluation", 3, "evaluate the wide network once on the test split", _TEST_HINT)(
    _test_evaluation_problem
)
exercise(
    "lesson09.test_evaluation", 3, "evaluate the trained model once on the untouched test split", _TEST_HINT
)(_test_evaluation_problem)


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


# Lesson 12: your own handwriting


def _images_problem(name: str, value, expected, recipe: str) -> str | None:
    """None if the image(s) `value` equal `expected`, else what to compute instead."""
    if problem := _wrong_shape(name, value, np.shape(expected)):
        return problem
    if np.allclose(value, expected, atol=1e-5):
        return None
    return _say("{name} is not {recipe}", name=name, recipe=recipe)


@exercise(
    "lesson12.two_versions",
    1,
    "the two 28×28 versions of the drawing: the whole canvas shrunk, and MNIST's recipe",
    "shrunk, seen = shrink_whole_canvas(drawing), to_mnist(drawing)",
)
def _lesson12_two_versions(shrunk, seen, drawing):
    from .drawing import shrink_whole_canvas, to_mnist

    expected_shrunk, expected_seen = shrink_whole_canvas(drawing), to_mnist(drawing)
    if np.shape(shrunk) == np.shape(seen) == (28, 28) and np.allclose(shrunk, expected_seen):
        if np.allclose(seen, expected_shrunk):
            return _say(
                "shrunk and seen are swapped: shrunk is the whole canvas made small, seen is to_mnist"
            )
    return _images_problem(
        "shrunk", shrunk, expected_shrunk, "shrink_whole_canvas(drawing)"
    ) or _images_problem("seen", seen, expected_seen, "to_mnist(drawing)")


@exercise(
    "lesson12.redrawn",
    2,
    "every test image (as 28×28) through to_mnist, flattened back to 784 pixels",
    "np.stack([to_mnist(image) for image in x_test.reshape(-1, 28, 28)]).reshape(-1, 28 * 28)",
)
def _lesson12_redrawn(redrawn, x_test):
    from .drawing import to_mnist

    x_test = np.asarray(x_test).reshape(len(x_test), -1)
    if problem := _wrong_shape("redrawn", redrawn, x_test.shape):
        return problem
    rows = [0, len(x_test) // 2, len(x_test) - 1]
    expected = np.stack([to_mnist(x_test[row].reshape(28, 28)).reshape(-1) for row in rows])
    value = np.asarray(redrawn)[rows]
    if np.allclose(value, expected, atol=1e-5):
        return None
    if np.allclose(value, x_test[rows]):
        return _say("redrawn holds the test images as they are: pass each one (as 28×28) through to_mnist")
    return _say("the rows of redrawn should be to_mnist(image).reshape(-1) for each test image")


@exercise(
    "lesson12.drawn_predictions",
    3,
    "what the model sees for each drawing, and its ten probabilities for each",
    "seen = np.stack([to_mnist(drawing) for drawing in drawings]); "
    "probabilities = np.stack([predict_digit(model, image) for image in seen])",
)
def _lesson12_drawn_predictions(seen, probabilities, drawings, model):
    from .drawing import predict_digit, to_mnist

    expected_seen = np.stack([to_mnist(drawing) for drawing in drawings])
    if problem := _images_problem("seen", seen, expected_seen, "[to_mnist(drawing) for drawing in drawings]"):
        return problem
    if problem := _wrong_shape("probabilities", probabilities, (len(drawings), 10)):
        return problem
    for row in (0, len(drawings) - 1):
        if not np.allclose(probabilities[row], predict_digit(model, expected_seen[row]), atol=1e-4):
            return _say("probabilities[{row}] should be predict_digit(model, seen[{row}])", row=row)
    return None


_VARIANT_RECIPES = {
    "3, pen 4 px": "to_mnist(render_strokes(strokes[3], width=4))",
    "3, pen 60 px": "to_mnist(render_strokes(strokes[3], width=60))",
    "small 3, shrunk": "shrink_whole_canvas(render_strokes(small_three))",
    "1 with flag and foot": "to_mnist(render_strokes(european_one))",
    "7 with a bar": "to_mnist(render_strokes(crossed_seven))",
}


@exercise(
    "lesson12.variants",
    4,
    "the variants, by name: '3, pen 4 px' and '3, pen 60 px' (the 3 drawn with that pen, through to_mnist), "
    "'small 3, shrunk' (small_three shrunk without to_mnist), '1 with flag and foot' and '7 with a bar' "
    "(through to_mnist)",
    "variants = {'3, pen 4 px': to_mnist(render_strokes(strokes[3], width=4)), '3, pen 60 px': ..., "
    "'small 3, shrunk': shrink_whole_canvas(render_strokes(small_three)), "
    "'1 with flag and foot': to_mnist(render_strokes(european_one)), '7 with a bar': ...}",
)
def _lesson12_variants(variants, strokes, small_three, european_one, crossed_seven):
    from .drawing import render_strokes, shrink_whole_canvas, to_mnist

    if not isinstance(variants, dict):
        return _say("variants should be a dict: name → 28×28 image, got {type}", type=type(variants).__name__)
    if list(variants) != list(_VARIANT_RECIPES):
        return _say(
            "variants should have the names {expected}, in this order", expected=list(_VARIANT_RECIPES)
        )
    expected = [
        to_mnist(render_strokes(strokes[3], width=4)),
        to_mnist(render_strokes(strokes[3], width=60)),
        shrink_whole_canvas(render_strokes(small_three)),
        to_mnist(render_strokes(european_one)),
        to_mnist(render_strokes(crossed_seven)),
    ]
    for (name, recipe), image in zip(_VARIANT_RECIPES.items(), expected, strict=True):
        if problem := _images_problem(f"variants[{name!r}]", variants[name], image, recipe):
            return problem
    return None
