"""Lesson 4's answers as test data: the units' spread, a training run and the layers' activations."""

from __future__ import annotations

import functools

import numpy as np

from course_utils.parameters import check_parameters

from . import right, wrong
from .lesson03 import BUDGET, splits, trained


class _Model:
    def __init__(self, W1):
        self.weights = [type("Variable", (), {"numpy": lambda _self: W1})()]


# Exercise 1: the spread of the hidden units (the check calls it on a model of its own).
@right("lesson04.hidden_unit_spread")
def spread_by_methods_and_a_set_of_columns():
    def hidden_unit_spread(model):
        W1 = model.weights[0].numpy()
        return float(W1.std(axis=1).mean()), len({tuple(column) for column in W1.round(4).T})

    return (hidden_unit_spread,)


@wrong("lesson04.hidden_unit_spread", says="how far apart are the hidden units' weights?")
def spread_of_all_the_weights():
    def hidden_unit_spread(model):
        W1 = model.weights[0].numpy()
        return float(np.std(W1)), np.unique(W1.round(4), axis=1).shape[1]

    return (hidden_unit_spread,)


@wrong("lesson04.hidden_unit_spread", says="how far apart are the hidden units' weights?")
def spread_across_the_inputs():
    def hidden_unit_spread(model):
        W1 = model.weights[0].numpy()
        return float(np.std(W1, axis=0).mean()), np.unique(W1.round(4), axis=1).shape[1]

    return (hidden_unit_spread,)


@wrong("lesson04.hidden_unit_spread", says="a hidden unit is a column")
def distinct_rows_counted():
    def hidden_unit_spread(model):
        W1 = model.weights[0].numpy()
        return float(np.std(W1, axis=1).mean()), np.unique(W1.round(4), axis=0).shape[0]

    return (hidden_unit_spread,)


# Exercise 2: a run of the grid.
def _run(initializer, loss, **how):
    check_parameters(**BUDGET, HIDDEN_ACTIVATION="relu")
    _, val, test = splits()
    return (*trained(loss=loss, initializer=initializer, **how), initializer, loss, *val, *test)


@right("lesson04.grid_network")
def he_with_mse():
    return _run("he", "mse")


@wrong("lesson04.grid_network", says="you validated on the test split")
def validated_on_the_test_split():
    return _run("he", "cross_entropy", validation="test")


@wrong("lesson04.grid_network", says="train with loss='mse', not 'cross_entropy'")
def loss_left_at_its_default():
    model, history, *_ = _run("he", "cross_entropy")
    _, val, test = splits()
    return model, history, "he", "mse", *val, *test


@wrong("lesson04.grid_network", says="initializer='glorot', not 'he'")
def initializer_left_fixed():
    model, history, *_ = _run("he", "cross_entropy")
    _, val, test = splits()
    return model, history, "glorot", "cross_entropy", *val, *test


# Exercise 3: the activations of a deep stack and their standard deviations.
@functools.cache
def _deep():
    from course_utils.mlp import MLP

    return MLP([784, 8, 8, 8, 10], hidden_activation="tanh", initializer="glorot", seed=3)


def _stds(layers_of, std=np.std):
    deep, (images, _) = _deep(), splits()[1]
    layers = layers_of(deep, images)
    stds = {("tanh", "glorot"): [float(std(h)) for h in layers]}
    return layers, stds, ("tanh", "glorot"), deep, images


@right("lesson04.layer_stds")
def layers_by_asarray_and_method_std():
    return _stds(lambda deep, x: [np.asarray(h) for h in deep.hidden(x)], std=lambda h: h.std())


@wrong("lesson04.layer_stds", says="is not the output of hidden layer 1")
def sums_before_the_activation():
    def layers_of(deep, x):
        h, layers = x, []
        for W, b in zip(deep.weights[:-1], deep.biases[:-1], strict=True):
            layers.append((h @ W + b).numpy())
            h = np.tanh(layers[-1])
        return layers

    return _stds(layers_of)


@wrong("lesson04.layer_stds", says="expected one per hidden layer (3)")
def output_layer_included():
    return _stds(lambda deep, x: [h.numpy() for h in deep.hidden(x)] + [deep(x).numpy()])


@wrong("lesson04.layer_stds", says="use the first 1,000 validation images")
def another_number_of_images():
    def values():
        layers, stds, key, deep, images = _stds(lambda deep, x: [h.numpy() for h in deep.hidden(x)])
        return layers, stds, key, deep, images[:50]

    return values()


@wrong("lesson04.layer_stds", says="the stds you stored are")
def stds_of_the_weights():
    def values():
        layers, _, key, deep, images = _stds(lambda deep, x: [h.numpy() for h in deep.hidden(x)])
        return layers, {key: [float(np.std(W)) for W in deep.weights[:-1]]}, key, deep, images

    return values()
