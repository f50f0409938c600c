"""Lesson 10's answers as data: the convolutions, the dense layer with dropout, the dense layer's share."""

from __future__ import annotations

from functools import cache

import keras
import numpy as np
from keras import layers

from . import right, wrong


def conv(filters, kernel, strides=1, padding="same", activation="relu"):
    return layers.Conv2D(filters, kernel, strides=strides, padding=padding, activation=activation)


@right("lesson10.convolutions")
def keyword_arguments():
    return (
        [
            layers.Conv2D(filters=24, kernel_size=(6, 6), padding="same", activation=keras.activations.relu),
            layers.Conv2D(filters=48, kernel_size=5, strides=(2, 2), padding="same", activation="relu"),
            layers.Conv2D(filters=64, kernel_size=4, strides=2, padding="same", activation="relu"),
        ],
    )


@wrong("lesson10.convolutions", says="convolution 3 gives 14×14 images, expected 7×7")
def last_stride_forgotten():
    return ([conv(24, 6), conv(48, 5, 2), conv(64, 4)],)


@wrong("lesson10.convolutions", says="holds 2 convolutions, expected 3")
def a_layer_missing():
    return ([conv(24, 6), conv(48, 5, 2)],)


@wrong("lesson10.convolutions", says="convolution 2 looks through 4×4 windows, expected 5×5")
def lesson_9_window():
    return ([conv(24, 6), conv(48, 4, 2), conv(64, 4, 2)],)


@right("lesson10.dense_with_dropout")
def separate_relu():
    return ([layers.Dense(200), layers.ReLU(), layers.Dropout(rate=0.4)], 0.4)


@wrong("lesson10.dense_with_dropout", says="share of values dropped, not kept")
def keep_probability():  # TensorFlow 1's dropout took the share kept (keep_prob), as the codelab did
    return ([layers.Dense(200, activation="relu"), layers.Dropout(0.6)], 0.4)


@wrong("lesson10.dense_with_dropout", says="the dropout comes before the dense layer")
def dropout_first():
    return ([layers.Dropout(0.4), layers.Dense(200, activation="relu")], 0.4)


@wrong("lesson10.dense_with_dropout", says="outputs go negative")
def activation_forgotten():
    return ([layers.Dense(200), layers.Dropout(0.4)], 0.4)


@cache
def small_model():
    """Lesson 10's plan on a small scale: a convolution, Flatten, a dense layer, the read-out."""
    model = keras.Sequential(
        [
            keras.Input((8, 8, 1)),
            layers.Conv2D(4, 3, strides=2, padding="same", activation="relu"),
            layers.Flatten(),
            layers.Dense(20, activation="relu"),
            layers.Dropout(0.4),
            layers.Dense(10, activation="softmax"),
        ]
    )
    return model


@right("lesson10.dense_share")
def counted_from_the_weights():
    model = small_model()
    dense = next(layer for layer in model.layers if isinstance(layer, layers.Dense))
    total = sum(int(np.prod(weight.shape)) for weight in model.weights)
    return (sum(int(np.prod(weight.shape)) for weight in dense.weights) / total, model)


@wrong("lesson10.dense_share", says="percentage")
def percentage():
    model = small_model()
    return (100 * model.layers[2].count_params() / model.count_params(), model)


@wrong("lesson10.dense_share", says="read-out layer")
def last_dense_layer():
    model = small_model()
    return (model.layers[-1].count_params() / model.count_params(), model)


@wrong("lesson10.dense_share", says="biases too")
def kernel_only():
    model = small_model()
    return (int(np.prod(model.layers[2].kernel.shape)) / model.count_params(), model)
