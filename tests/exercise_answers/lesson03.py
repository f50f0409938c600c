"""Lesson 3's answers as test data: tanh outputs, the NaN loss and a training run (made-up tiny data)."""

from __future__ import annotations

import functools

import numpy as np

from course_utils.parameters import check_parameters

from . import right, wrong

BUDGET = dict(HIDDEN_UNITS=20, EPOCHS=1, BATCH_SIZE=100, LEARNING_RATE=0.5, SEED=3)


@functools.cache
def splits():
    """Made-up images and one-hot labels: (train, validation, test), 300, 100 and 100 images."""
    rng = np.random.default_rng(0)
    x = (rng.random((500, 784)) < 0.2).astype("float32")
    y = np.eye(10, dtype="float32")[rng.integers(0, 10, 500)]
    return (x[:300], y[:300]), (x[300:400], y[300:400]), (x[400:], y[400:])


def _mlp(*args, **kwargs):
    from course_utils.mlp import MLP

    return MLP(*args, **kwargs)


# Exercise 1: the one-layer network with a tanh output.
@right("lesson03.tanh_output")
def tanh_network_by_keywords():
    return (
        lambda bias_initializer: _mlp(
            sizes=[784, 10], bias_initializer=bias_initializer, initializer="zeros", output_activation="tanh"
        ),
    )


@wrong("lesson03.tanh_output", says="a tanh output gives tanh(0) = 0 and tanh(1) = 0.7616")
def softmax_output_kept():
    return (lambda bias_initializer: _mlp([784, 10], initializer="zeros", bias_initializer=bias_initializer),)


@wrong("lesson03.tanh_output", says="the outputs are still 0")
def biases_always_zero():
    return (lambda bias_initializer: _mlp([784, 10], output_activation="tanh", initializer="zeros"),)


@wrong("lesson03.tanh_output", says="start every weight at zero")
def random_weights():
    return (
        lambda bias_initializer: _mlp([784, 10], output_activation="tanh", bias_initializer=bias_initializer),
    )


@wrong("lesson03.tanh_output", says="7,850 (no hidden layer)")
def a_hidden_layer_added():
    return (
        lambda bias_initializer: _mlp(
            [784, 200, 10], output_activation="tanh", initializer="zeros", bias_initializer=bias_initializer
        ),
    )


# Exercise 2: the loss of the first image, on the zero-weight tanh network.
def _loss_values(loss):
    import tensorflow as tf

    network = _mlp([784, 10], output_activation="tanh", initializer="zeros", bias_initializer="zeros")
    (x, y), _, _ = splits()
    return loss(tf, network, x, y), network, x, y


@right("lesson03.loss_first_image")
def loss_in_numpy():
    def loss(tf, network, x, y):
        with np.errstate(divide="ignore", invalid="ignore"):
            return -np.sum(y[0] * np.log(network(x[:1]).numpy()[0]))

    return _loss_values(loss)


@wrong("lesson03.loss_first_image", says="a finite number")
def softmax_cross_entropy_instead():
    return _loss_values(lambda tf, net, x, y: tf.nn.softmax_cross_entropy_with_logits(y[:1], net(x[:1]))[0])


@wrong("lesson03.loss_first_image", says="a finite number")
def log_protected_by_a_small_number():
    return _loss_values(lambda tf, net, x, y: -tf.reduce_sum(y[:1] * tf.math.log(net(x[:1]) + 1e-7)))


# Exercise 3: the training run (the notebook's loop around the learner's block).
@functools.cache
def trained(
    activation="relu",
    validation="validation",
    loss="cross_entropy",
    initializer="truncated_normal",
    **changes,
):
    """A model and its history, trained on the made-up splits with BUDGET (or `changes`)."""
    from course_utils.mlp import train

    (x_train, y_train), val, test = splits()
    settings = dict(
        epochs=BUDGET["EPOCHS"], batch_size=BUDGET["BATCH_SIZE"], learning_rate=BUDGET["LEARNING_RATE"]
    )
    settings.update(changes)
    data = {"validation": val, "test": test, "none": None}[validation]
    model = _mlp(
        [784, BUDGET["HIDDEN_UNITS"], 10], hidden_activation=activation, initializer=initializer, seed=3
    )
    history = train(
        model, x_train, y_train, loss=loss, validation_data=data, seed=3, verbose=False, **settings
    )
    return model, history


def _run(name, **how):
    check_parameters(**BUDGET)
    _, val, test = splits()
    return (*trained(**how), name, *val, *test)


@right("lesson03.activation_network")
def trained_as_asked():
    return _run("relu")


@wrong("lesson03.activation_network", says="you validated on the test split")
def validated_on_the_test_split():
    return _run("relu", validation="test")


@wrong("lesson03.activation_network", says="recorded no validation metrics")
def no_validation():
    return _run("relu", validation="none")


@wrong("lesson03.activation_network", says="hidden_activation='elu', not 'relu'")
def the_same_activation_every_time():
    return _run("elu")


@wrong("lesson03.activation_network", says="train with batch_size=100, not 50")
def another_batch_size():
    return _run("relu", batch_size=50)
