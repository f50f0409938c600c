"""Lesson 2's answers as test data: a network of tf.Variables (known tiny batches, one short epoch)."""

from __future__ import annotations

import functools
import time

import numpy as np

from . import right, wrong

UNITS = 20


@functools.cache
def _tf():
    import tensorflow as tf

    return tf


def _zeros(*shape):
    return _tf().Variable(_tf().zeros(shape))


# Exercise 1: the perceptron's variables.
@right("lesson02.perceptron_variables")
def variables_from_numpy_zeros():
    tf = _tf()
    return tf.Variable(np.zeros((784, 10), "float32")), tf.Variable(np.zeros(10, "float32"))


@wrong("lesson02.perceptron_variables", says="must be a tf.Variable")
def constants_instead_of_variables():
    tf = _tf()
    return tf.zeros([784, 10]), tf.zeros([10])


@wrong("lesson02.perceptron_variables", says="W has shape (10, 784), expected (784, 10)")
def weights_transposed():
    return _zeros(10, 784), _zeros(10)


@wrong("lesson02.perceptron_variables", says="W should start at zero")
def random_weights():
    tf = _tf()
    return tf.Variable(tf.random.stateless_normal([784, 10], seed=[1, 2])), _zeros(10)


# Exercise 2: the cross-entropy.
@right("lesson02.cross_entropy")
def cross_entropy_by_log_softmax():
    tf = _tf()
    return (lambda y, logits: -tf.reduce_mean(tf.reduce_sum(y * tf.nn.log_softmax(logits), axis=1)),)


@wrong("lesson02.cross_entropy", says="take the mean over the batch")
def one_loss_per_image():
    tf = _tf()
    return (lambda y, logits: tf.nn.softmax_cross_entropy_with_logits(y, logits),)


@wrong("lesson02.cross_entropy", says="the softmax is applied twice")
def softmax_applied_twice():
    tf = _tf()
    return (
        lambda y, logits: tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y, tf.nn.softmax(logits))),
    )


@wrong("lesson02.cross_entropy", says="the sum over the batch")
def sum_over_the_batch():
    tf = _tf()
    return (lambda y, logits: tf.reduce_sum(tf.nn.softmax_cross_entropy_with_logits(y, logits)),)


# Exercise 3: one training step (the notebook's cross_entropy and accuracy around the learner's block).
def _cross_entropy(y, logits):
    tf = _tf()
    return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y, logits))


def _accuracy(y, logits):
    tf = _tf()
    return tf.reduce_mean(tf.cast(tf.argmax(logits, axis=1) == tf.argmax(y, axis=1), tf.float32))


def _make_train_step(update):
    tf = _tf()

    def make_train_step(forward, variables, learning_rate):
        @tf.function
        def train_step(x, y):
            with tf.GradientTape() as tape:
                logits = forward(x)
                loss = _cross_entropy(y, logits)
            gradients = tape.gradient(loss, variables)
            for variable, gradient in zip(variables, gradients, strict=True):
                update(variable, gradient, learning_rate)
            return loss, _accuracy(y, logits)

        return train_step

    return make_train_step


@right("lesson02.train_step")
def step_by_assign():
    return (_make_train_step(lambda v, g, rate: v.assign(v - g * rate)),)


@wrong("lesson02.train_step", says="made the loss of a known batch go up")
def step_uphill():
    return (_make_train_step(lambda v, g, rate: v.assign_add(rate * g)),)


@wrong("lesson02.train_step", says="the variables did not change")
def gradients_taken_but_not_applied():
    return (_make_train_step(lambda v, g, rate: None),)


@wrong("lesson02.train_step", says="learning_rate times its own gradient")
def learning_rate_forgotten():
    return (_make_train_step(lambda v, g, rate: v.assign_sub(g)),)


# Exercise 4: the epoch loop (a fit around the learner's loop, on 550 made-up images).
@functools.cache
def _data():
    rng = np.random.default_rng(0)
    x = (rng.random((550, 784)) < 0.2).astype("float32")
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, 550)]
    return x, y


def _fit(loop):
    x_train, y_train = _data()
    make_train_step = _make_train_step(lambda v, g, rate: v.assign_sub(rate * g))

    def fit(forward, variables, epochs, batch_size, learning_rate, seed=0):
        train_step = make_train_step(forward, variables, learning_rate)
        rng = np.random.default_rng(seed)
        history = {"loss": [], "accuracy": []}
        start = time.perf_counter()
        for _ in range(epochs):
            order = rng.permutation(len(x_train))
            losses, accuracies = [], []
            loop(train_step, x_train, y_train, order, batch_size, losses, accuracies)
            history["loss"].append(float(np.mean(losses)))
            history["accuracy"].append(float(np.mean(accuracies)))
        history["seconds"] = time.perf_counter() - start
        return history

    return fit, x_train, y_train


def _steps(train_step, x_train, y_train, batches, losses, accuracies):
    for batch in batches:
        loss, acc = train_step(x_train[batch], y_train[batch])
        losses.append(float(loss))
        accuracies.append(float(acc))


@right("lesson02.fit")
def batches_by_split():
    def loop(train_step, x, y, order, batch_size, losses, accuracies):
        batches = np.split(order, range(batch_size, len(order), batch_size))
        _steps(train_step, x, y, batches, losses, accuracies)

    return _fit(loop)


@wrong("lesson02.fit", says="a single step on all the images")
def one_step_per_epoch():
    return _fit(lambda step, x, y, order, size, losses, accs: _steps(step, x, y, [order], losses, accs))


@wrong("lesson02.fit", says="stored order")
def batches_not_shuffled():
    def loop(train_step, x, y, order, batch_size, losses, accuracies):
        batches = [
            np.arange(first, min(first + batch_size, len(x))) for first in range(0, len(x), batch_size)
        ]
        _steps(train_step, x, y, batches, losses, accuracies)

    return _fit(loop)


@wrong("lesson02.fit", says="leaves out the last mini-batch")
def last_batch_left_out():
    def loop(train_step, x, y, order, batch_size, losses, accuracies):
        batches = [order[first : first + batch_size] for first in range(0, len(x) - batch_size, batch_size)]
        _steps(train_step, x, y, batches, losses, accuracies)

    return _fit(loop)


# Exercise 5: the hidden layer's variables.
def _normal(seed, shape, std=0.1):
    return np.random.default_rng(seed).normal(0, std, shape).astype("float32")


def _variables(draw):
    tf = _tf()

    def hidden_layer_variables(seed=0):
        W1, W2 = draw(seed)
        return tf.Variable(W1), _zeros(UNITS), tf.Variable(W2), _zeros(10)

    return hidden_layer_variables, UNITS


@right("lesson02.hidden_layer_variables")
def numpy_normal_weights():
    return _variables(lambda seed: (_normal(seed, (784, UNITS)), _normal(seed + 1, (UNITS, 10))))


@right("lesson02.hidden_layer_variables")
def tensorflow_stateless_truncated_normal():
    tf = _tf()

    def draw(seed):
        return (
            tf.random.stateless_truncated_normal((784, UNITS), seed=[seed, 0], stddev=0.1),
            tf.random.stateless_truncated_normal((UNITS, 10), seed=[seed, 1], stddev=0.1),
        )

    return _variables(draw)


@wrong("lesson02.hidden_layer_variables", says="every weight of W1 is the same")
def zero_weights():
    return _variables(lambda seed: (np.zeros((784, UNITS), "float32"), _normal(seed, (UNITS, 10))))


@wrong("lesson02.hidden_layer_variables", says="a standard deviation of about 0.1")
def standard_deviation_of_one():
    return _variables(lambda seed: (_normal(seed, (784, UNITS), 1.0), _normal(seed + 1, (UNITS, 10), 1.0)))


@wrong("lesson02.hidden_layer_variables", says="two calls with the same seed give different weights")
def unseeded_weights():
    rng = np.random.default_rng()
    return _variables(
        lambda seed: (rng.normal(0, 0.1, (784, UNITS)).astype("float32"), _normal(seed, (UNITS, 10)))
    )


@wrong("lesson02.hidden_layer_variables", says="another seed gives the same weights")
def seed_argument_ignored():
    return _variables(lambda seed: (_normal(42, (784, UNITS)), _normal(43, (UNITS, 10))))


# Exercise 6: the forward pass (known variables with non-zero biases).
def _known_variables():
    tf = _tf()
    return (
        tf.Variable(_normal(1, (784, UNITS))),
        tf.Variable(_normal(2, (UNITS,))),
        tf.Variable(_normal(3, (UNITS, 10))),
        tf.Variable(_normal(4, (10,))),
    )


def _network(forward):
    return lambda variables: lambda x: forward(x, *variables)


@right("lesson02.hidden_network")
def matmul_and_nn_sigmoid():
    tf = _tf()
    return _network(
        lambda x, W1, b1, W2, b2: tf.matmul(tf.nn.sigmoid(tf.matmul(x, W1) + b1), W2) + b2
    ), _known_variables()


@wrong("lesson02.hidden_network", says="squashed between 0 and 1")
def sigmoid_on_the_output_too():
    tf = _tf()
    return _network(
        lambda x, W1, b1, W2, b2: tf.sigmoid(tf.sigmoid(x @ W1 + b1) @ W2 + b2)
    ), _known_variables()


@wrong("lesson02.hidden_network", says="your network is linear")
def hidden_activation_forgotten():
    return _network(lambda x, W1, b1, W2, b2: (x @ W1 + b1) @ W2 + b2), _known_variables()


@wrong("lesson02.hidden_network", says="for a known input the first logits are")
def output_bias_forgotten():
    tf = _tf()
    return _network(lambda x, W1, b1, W2, b2: tf.sigmoid(x @ W1 + b1) @ W2), _known_variables()
