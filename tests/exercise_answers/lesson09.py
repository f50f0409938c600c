"""Lesson 9's answers as data: the convolutions, output_size and the epoch of the lowest validation loss."""

from __future__ import annotations

import math
from types import SimpleNamespace

from keras import layers

from . import right, wrong


def conv(filters, kernel, strides=1, padding="same", activation="relu"):
    return layers.Conv2D(filters, kernel, strides=strides, padding=padding, activation=activation)


@right("lesson09.convolutions")
def separate_relu_layers_and_tuples():
    return (
        [
            layers.Reshape(target_shape=(28, 28, 1)),
            layers.Conv2D(12, (3, 3), padding="same"),
            layers.ReLU(),
            layers.Conv2D(24, kernel_size=(6, 6), strides=(2, 2), padding="same"),
            layers.Activation("relu"),
            layers.Conv2D(32, 6, strides=2, padding="same", activation="relu"),
        ],
    )


@wrong("lesson09.convolutions", says="gives 26×26 images, expected 28×28")
def valid_padding():
    return ([layers.Reshape((28, 28, 1)), conv(12, 3, padding="valid"), conv(24, 6, 2), conv(32, 6, 2)],)


@wrong("lesson09.convolutions", says="convolution 2 gives 28×28 images, expected 14×14")
def stride_forgotten():
    return ([layers.Reshape((28, 28, 1)), conv(12, 3), conv(24, 6), conv(32, 6, 2)],)


@wrong("lesson09.convolutions", says="outputs of convolution 3 go negative")
def last_activation_forgotten():
    return ([layers.Reshape((28, 28, 1)), conv(12, 3), conv(24, 6, 2), conv(32, 6, 2, activation=None)],)


@wrong("lesson09.convolutions", says="cannot run on a batch")
def no_channel_axis():
    return ([layers.Reshape((28, 28)), conv(12, 3), conv(24, 6, 2), conv(32, 6, 2)],)


@wrong("lesson09.convolutions", says="convolution 1 has 3 filters, expected 12")
def filters_and_window_swapped():
    return ([layers.Reshape((28, 28, 1)), conv(3, 12), conv(24, 6, 2), conv(32, 6, 2)],)


@right("lesson09.output_size")
def integer_arithmetic():
    def output_size(size, kernel, stride, padding):
        remaining = size if padding == "same" else size - kernel + 1
        return -(-remaining // stride)

    return (output_size,)


@wrong("lesson09.output_size", says="output_size(7, 4, 2, 'same') returns 3")
def rounded_down():
    return (
        lambda size, kernel, stride, padding: (
            size // stride if padding == "same" else (size - kernel) // stride + 1
        ),
    )


@wrong("lesson09.output_size", says="output_size(28, 3, 1, 'valid') returns 25")
def valid_off_by_one():
    return (
        lambda size, kernel, stride, padding: (
            math.ceil(size / stride) if padding == "same" else (size - kernel) // stride
        ),
    )


@wrong("lesson09.output_size", says="output_size(28, 3, 1, 'valid') returns 28")
def padding_ignored():
    return (lambda size, kernel, stride, padding: math.ceil(size / stride),)


@wrong("lesson09.output_size", says="a whole number")
def true_division():
    return (
        lambda size, kernel, stride, padding: (
            size / stride if padding == "same" else (size - kernel) / stride + 1
        ),
    )


# A run that overfits: the validation loss is lowest after epoch 3, the training loss after epoch 5,
# the validation accuracy best after epoch 4.
HISTORY = SimpleNamespace(
    history={
        "loss": [0.30, 0.10, 0.05, 0.02, 0.01],
        "val_loss": [0.08, 0.05, 0.040, 0.045, 0.050],
        "val_accuracy": [0.975, 0.985, 0.988, 0.990, 0.989],
    }
)


@right("lesson09.lowest_val_loss_epoch")
def min_over_epochs():
    val_loss = HISTORY.history["val_loss"]
    return (min(range(1, len(val_loss) + 1), key=lambda epoch: val_loss[epoch - 1]), HISTORY)


@wrong("lesson09.lowest_val_loss_epoch", says="numbers the epochs from 1")
def counted_from_zero():
    return (2, HISTORY)


@wrong("lesson09.lowest_val_loss_epoch", says="the training loss was lowest")
def training_loss():
    return (5, HISTORY)


@wrong("lesson09.lowest_val_loss_epoch", says="the validation accuracy was best")
def best_accuracy():
    return (4, HISTORY)
