"""Lesson 11's answers as data: the two batch-normalised blocks, the hidden layers, batches_to_forget."""

from __future__ import annotations

import math

from keras import layers

from . import right, wrong

MOMENTUM = 0.9


def conv_bn_relu(filters, kernel_size, strides=1):
    return [
        layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False),
        layers.BatchNormalization(scale=False, momentum=MOMENTUM),
        layers.Activation("relu"),
    ]


def dense_bn_relu(units):
    return [
        layers.Dense(units, use_bias=False),
        layers.BatchNormalization(scale=False, momentum=MOMENTUM),
        layers.Activation("relu"),
    ]


@right("lesson11.conv_bn_relu")
def relu_layer_and_keywords():
    def block(filters, kernel_size, strides=1):
        return [
            layers.Conv2D(
                filters=filters,
                kernel_size=(kernel_size, kernel_size),
                strides=(strides, strides),
                padding="same",
                use_bias=False,
            ),
            layers.BatchNormalization(momentum=MOMENTUM, center=True, scale=False),
            layers.ReLU(),
        ]

    return (block, MOMENTUM)


@wrong("lesson11.conv_bn_relu", says="the ReLU comes before the batch normalisation")
def activation_first():  # the order lesson 11's exercise 3 asks the learner to try
    def block(filters, kernel_size, strides=1):
        return [
            layers.Conv2D(
                filters, kernel_size, strides=strides, padding="same", use_bias=False, activation="relu"
            ),
            layers.BatchNormalization(scale=False, momentum=MOMENTUM),
        ]

    return (block, MOMENTUM)


@wrong("lesson11.conv_bn_relu", says="adds a bias")
def bias_kept():
    def block(filters, kernel_size, strides=1):
        return [
            layers.Conv2D(filters, kernel_size, strides=strides, padding="same"),
            layers.BatchNormalization(scale=False, momentum=MOMENTUM),
            layers.Activation("relu"),
        ]

    return (block, MOMENTUM)


@wrong("lesson11.conv_bn_relu", says="expected (14, 14, 32)")
def stride_ignored():
    def block(filters, kernel_size, strides=1):
        return conv_bn_relu(filters, kernel_size)

    return (block, MOMENTUM)


@wrong("lesson11.conv_bn_relu", says="learns a scale γ")
def scale_kept():
    def block(filters, kernel_size, strides=1):
        return [
            layers.Conv2D(filters, kernel_size, strides=strides, padding="same", use_bias=False),
            layers.BatchNormalization(momentum=MOMENTUM),
            layers.Activation("relu"),
        ]

    return (block, MOMENTUM)


@right("lesson11.dense_bn_relu")
def relu_layer():
    return (
        lambda units: [
            layers.Dense(units=units, use_bias=False),
            layers.BatchNormalization(scale=False, momentum=MOMENTUM),
            layers.ReLU(),
        ],
        MOMENTUM,
    )


@wrong("lesson11.dense_bn_relu", says="expected BN_MOMENTUM (0.9)")
def default_momentum():
    return (
        lambda units: [
            layers.Dense(units, use_bias=False),
            layers.BatchNormalization(scale=False),
            layers.Activation("relu"),
        ],
        MOMENTUM,
    )


@wrong("lesson11.dense_bn_relu", says="expected (7,)")
def units_hard_coded():
    return (lambda units: dense_bn_relu(200), MOMENTUM)


@wrong("lesson11.dense_bn_relu", says="has no ReLU")
def activation_forgotten():
    return (lambda units: dense_bn_relu(units)[:2], MOMENTUM)


@right("lesson11.hidden_layers")
def built_in_a_loop():
    hidden = []
    for filters, kernel, strides in ((16, 5, 1), (32, 5, 2), (64, 4, 2)):
        hidden += conv_bn_relu(filters, kernel, strides)
    hidden.append(layers.Flatten())
    hidden.extend(dense_bn_relu(200))
    return (hidden, MOMENTUM)


@wrong("lesson11.hidden_layers", says="convolution 2 gives 28×28 images, expected 14×14")
def strides_forgotten():
    return (
        [
            *conv_bn_relu(16, 5),
            *conv_bn_relu(32, 5),
            *conv_bn_relu(64, 4, 2),
            layers.Flatten(),
            *dense_bn_relu(200),
        ],
        MOMENTUM,
    )


@wrong("lesson11.hidden_layers", says="then hold one dense block")
def dense_block_forgotten():
    return (
        [*conv_bn_relu(16, 5), *conv_bn_relu(32, 5, 2), *conv_bn_relu(64, 4, 2), layers.Flatten()],
        MOMENTUM,
    )


@wrong("lesson11.hidden_layers", says="block 1 of hidden_layers holds no batch normalisation")
def lesson_10_first_convolution():
    first = layers.Conv2D(16, 5, padding="same", activation="relu")
    return (
        [first, *conv_bn_relu(32, 5, 2), *conv_bn_relu(64, 4, 2), layers.Flatten(), *dense_bn_relu(200)],
        MOMENTUM,
    )


@right("lesson11.batches_to_forget")
def counted_in_a_loop():
    def batches_to_forget(momentum):
        batches, weight = 0, 1.0
        while weight >= 0.01:
            batches, weight = batches + 1, weight * momentum
        return batches

    return (batches_to_forget,)


@wrong("lesson11.batches_to_forget", says="a whole number")
def not_rounded():
    return (lambda momentum: math.log(0.01) / math.log(momentum),)


@wrong("lesson11.batches_to_forget", says="after 43 batches")
def rounded_down():
    return (lambda momentum: math.floor(math.log(0.01) / math.log(momentum)),)


@wrong("lesson11.batches_to_forget", says="after 2 batches")
def new_value_weight():  # the weight of the new batch, 1 - momentum, taken for the old value's
    return (lambda momentum: round(math.log(0.01) / math.log(1 - momentum)),)
