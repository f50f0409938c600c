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
    "the perceptron's trainable weights W (one column of 784 weights per digit) and biases b, "
    "starting at zero",
    (
        "Training changes the weights in place, so they are TensorFlow variables; each of the 10 outputs "
        "has one weight per pixel and one bias.",
        "W = tf.Variable(...) and b = tf.Variable(...), each made from a tensor of zeros of the right shape.",
    ),
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


def _softmax(z):
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _cross_entropy(y, logits):
    return float(-(y * np.log(_softmax(logits))).sum(axis=1).mean())


@exercise(
    "lesson02.cross_entropy",
    2,
    "the batch's mean cross-entropy between the one-hot labels and the softmax of the logits: one number",
    (
        "For one image the cross-entropy is minus the log of the probability the softmax gives its true "
        "digit; the loss of a batch is the mean over its images.",
        "TensorFlow has a function that takes the labels and the raw logits (it applies the softmax "
        "itself, safely): tf.nn.softmax_cross_entropy_with_logits; then a mean over the batch.",
    ),
)
def _lesson02_cross_entropy(cross_entropy):
    value = _numpy(_result(cross_entropy, _ONE_HOT, _LOGITS))
    if value.shape != ():
        return _say(
            "the loss has shape {shape}: take the mean over the batch (one number)", shape=value.shape
        )
    expected, value = _cross_entropy(_ONE_HOT, _LOGITS), float(value)
    if np.isclose(value, expected, rtol=1e-5):
        return None
    if np.isclose(value, _cross_entropy(_ONE_HOT, _softmax(_LOGITS)), rtol=1e-5):
        return _say(
            "the loss of a known batch is {got:.4f}, expected {expected:.4f}: "
            "the softmax is applied twice (the function you call already applies it to the logits)",
            got=value,
            expected=expected,
        )
    if np.isclose(value, len(_LOGITS) * expected, rtol=1e-5):
        return _say(
            "the loss of a known batch is {got:.4f}, expected {expected:.4f}: that is the sum over the "
            "batch, not the mean",
            got=value,
            expected=expected,
        )
    return _say(
        "the loss of a known batch is {got:.4f}, expected {expected:.4f}: is it minus the log of the "
        "softmax probability of each true digit, averaged?",
        got=value,
        expected=expected,
    )


@exercise(
    "lesson02.train_step",
    3,
    "one SGD step: record the forward pass and the loss, take the loss's gradients and move each variable "
    "against its gradient",
    (
        "A gradient tape watches the forward pass; afterwards it gives the gradient of the loss with "
        "respect to each variable, and each variable moves learning_rate times its gradient downhill.",
        "A tf.GradientTape block around the forward pass and the loss; then the tape's gradient of the "
        "loss with respect to the variables, and a loop over variables and gradients that updates each "
        "variable in place (assign_sub).",
    ),
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
        return _say("the variables did not change: your step must update each one in place")
    after = _cross_entropy(y, x @ W + b)
    if after > np.log(3):
        return _say(
            "your step made the loss of a known batch go up, from {before:.4f} to {after:.4f}: "
            "which way does the gradient point?",
            before=np.log(3),
            after=after,
        )
    if not (np.allclose(W, expected_W, atol=1e-5) and np.allclose(b, expected_b, atol=1e-5)):
        return _say(
            "one step from zero weights gives W {got}, expected {expected}: "
            "each variable should move by learning_rate times its own gradient",
            got=np.round(W, 4).tolist(),
            expected=np.round(expected_W, 4).tolist(),
        )
    if not np.isclose(float(_numpy(loss)), np.log(3), rtol=1e-5):
        return _say("train_step should return the batch's loss (computed before the update) first")
    return None


def _one_epoch(x_train, y_train, batches, learning_rate):
    """The weights after one SGD step per batch (lists of row indices) from zero, and the batches' metrics."""
    W, b, losses, accuracies = np.zeros((784, 10)), np.zeros(10), [], []
    for batch in batches:
        x, y = x_train[batch], y_train[batch]
        logits = x @ W + b
        p = _softmax(logits)
        losses.append(-np.mean(np.sum(y * np.log(p), axis=1)))
        accuracies.append(np.mean(logits.argmax(axis=1) == y.argmax(axis=1)))
        W = W - learning_rate * x.T @ (p - y) / len(x)
        b = b - learning_rate * (p - y).mean(axis=0)
    return W, losses, accuracies


@exercise(
    "lesson02.fit",
    4,
    "one training step per mini-batch of the shuffled images, keeping each batch's loss and accuracy",
    (
        "An epoch visits every training image once, in the shuffled order `order`, cut into mini-batches "
        "of batch_size (the last may be smaller); each batch gets one train_step.",
        "A for loop over the starting positions of the batches; inside it, the batch's rows of `order`, "
        "one call to train_step, and two appends.",
    ),
)
def _lesson02_fit(fit, x_train, y_train):
    import tensorflow as tf

    batch_size, learning_rate, seed = len(x_train) // 4 + 1, 0.5, 3  # four batches, the last one smaller
    W, b = tf.Variable(tf.zeros([784, 10])), tf.Variable(tf.zeros([10]))
    with contextlib.redirect_stdout(io.StringIO()), warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        history = _result(fit, lambda inputs: inputs @ W + b, [W, b], 1, batch_size, learning_rate, seed)
    if not np.any(_numpy(W)):
        raise _NotDone
    x_train, y_train = np.asarray(x_train, "float64"), np.asarray(y_train, "float64")
    order = np.random.default_rng(seed).permutation(len(x_train))
    starts = range(0, len(x_train), batch_size)
    batches = [order[first : first + batch_size] for first in starts]
    expected_W, losses, accuracies = _one_epoch(x_train, y_train, batches, learning_rate)
    got = _numpy(W)
    if not np.allclose(got, expected_W, atol=1e-4):
        if np.allclose(got, _one_epoch(x_train, y_train, [order], learning_rate)[0], atol=1e-4):
            return _say("your epoch took a single step on all the images: take one step per mini-batch")
        in_order = [np.arange(len(x_train))[first : first + batch_size] for first in starts]
        if np.allclose(got, _one_epoch(x_train, y_train, in_order, learning_rate)[0], atol=1e-4):
            return _say("your batches take the images in their stored order: use the shuffled order")
        if len(batches) > 1 and np.allclose(
            got, _one_epoch(x_train, y_train, batches[:-1], learning_rate)[0], atol=1e-4
        ):
            return _say("your epoch leaves out the last mini-batch: every image takes part once per epoch")
        return _say(
            "after one epoch from zero weights yours differ from one step per mini-batch of the shuffled "
            "images: does every image take part once per epoch, in batches of batch_size?"
        )
    if not np.isclose(history["loss"][0], np.mean(losses), rtol=1e-4):
        return _say(
            "the epoch's loss is {got:.4f}, the mean of its batches' losses is {expected:.4f}: "
            "keep every batch's loss",
            got=history["loss"][0],
            expected=np.mean(losses),
        )
    if not np.isclose(history["accuracy"][0], np.mean(accuracies), atol=1e-4):
        return _say("keep every batch's accuracy (the second value train_step returns) in accuracies")
    return None


@exercise(
    "lesson02.hidden_layer_variables",
    5,
    "the variables of the 784-HIDDEN_UNITS-10 network: small random weights (standard deviation 0.1) drawn "
    "from `seed`, so the same seed gives the same network, and zero biases",
    (
        "Random weights make the hidden units differ from the start; a seeded initialiser makes the run "
        "repeatable. Keras's initialisers take a seed and return a tensor of the shape you ask for.",
        "Four tf.Variables: W1 and W2 from a seeded initialiser of keras.initializers (a different seed for "
        "each layer, both derived from `seed`), b1 and b2 from tf.zeros.",
    ),
)
def _lesson02_hidden_layer_variables(hidden_layer_variables, hidden_units):
    variables = _result(hidden_layer_variables, 7)
    shapes = ((784, hidden_units), (hidden_units,), (hidden_units, 10), (10,))
    for name, value, shape in zip(("W1", "b1", "W2", "b2"), variables, shapes, strict=True):
        if not hasattr(value, "assign_sub"):
            return _say(
                "{name} must be a tf.Variable (training changes it in place), got {type}",
                name=name,
                type=type(value).__name__,
            )
        if problem := _wrong_shape(name, value, shape):
            return problem
    W1, b1, W2, b2 = map(_numpy, variables)
    if np.any(b1) or np.any(b2):
        return _say("the biases should start at zero")
    for name, value in (("W1", W1), ("W2", W2)):
        if np.all(value == value.flat[0]):
            return _say(
                "every weight of {name} is the same: every hidden unit would compute the same thing",
                name=name,
            )
        std = float(np.std(value))
        if not 0.05 <= std <= 0.15 or abs(float(np.mean(value))) > 0.02:
            return _say(
                "the weights of {name} have mean {mean:.3f} and standard deviation {std:.3f}: "
                "draw them around 0, with a standard deviation of about 0.1",
                name=name,
                mean=float(np.mean(value)),
                std=std,
            )
    again = [_numpy(v) for v in hidden_layer_variables(7)]
    if not all(np.array_equal(a, b) for a, b in zip(again, (W1, b1, W2, b2), strict=True)):
        return _say("two calls with the same seed give different weights: draw them from `seed`")
    other = _numpy(hidden_layer_variables(8)[0])
    if np.array_equal(other, W1):
        return _say("another seed gives the same weights: draw them from `seed`")
    return None


@exercise(
    "lesson02.hidden_network",
    6,
    "the network's output logits: a sigmoid hidden layer, then the output layer",
    (
        "Each layer is a weighted sum plus its bias; the hidden layer squashes its sums with the sigmoid, "
        "the output layer does not (the softmax comes with the loss).",
        "Two lines: h from x, W1 and b1 through tf.sigmoid; then return the output layer's weighted "
        "sum of h.",
    ),
)
def _lesson02_hidden_network(hidden_network, variables):
    W1, b1, W2, b2 = map(_numpy, variables)
    x = np.linspace(0, 1, 2 * W1.shape[0], dtype="float32").reshape(2, -1)
    value = _numpy(_result(hidden_network(variables), x))
    expected = _sigmoid(x @ W1 + b1) @ W2 + b2
    if problem := _wrong_shape("forward(x)", value, expected.shape):
        return problem
    if np.allclose(value, expected, atol=1e-4):
        return None
    if np.allclose(value, _sigmoid(expected), atol=1e-4):
        return _say(
            "your outputs are squashed between 0 and 1: the output layer gives raw logits "
            "(the softmax comes with the loss)"
        )
    if np.allclose(value, (x @ W1 + b1) @ W2 + b2, atol=1e-4):
        return _say("your network is linear: the hidden layer's sums need their sigmoid")
    return _say(
        "for a known input the first logits are {got}, expected {expected}",
        got=np.round(value[0, :3], 4),
        expected=np.round(expected[0, :3], 4),
    )
