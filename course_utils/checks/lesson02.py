"""Lesson 2's checks (hidden layers), in the order of the notebook."""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np

from .engine import _NotDone, _result, _say, exercise
from .shared import (
    _numpy,
    _sigmoid,
    _wrong_shape,
)


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
