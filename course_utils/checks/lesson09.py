"""Lesson 9's checks (a convolutional network), in the order of the notebook.

The layer checks run *copies* of the learner's layers (same configuration, seeded weights) on a small
random batch and judge what comes out: shapes, window sizes, signs. So any way of writing the layers
passes (`kernel_size=(3, 3)`, a separate `layers.ReLU()`…), and the learner's own layers stay unbuilt.
Lessons 10 and 11 use the same helpers.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from .engine import _NotDone, _say, exercise


def _fresh(layer):
    """An unbuilt copy of `layer` with seeded random weights (the learner's layer is left untouched)."""
    import keras

    config = layer.get_config()
    if "kernel_initializer" in config:
        config["kernel_initializer"] = keras.initializers.GlorotUniform(seed=1)
    if "bias_initializer" in config:
        config["bias_initializer"] = keras.initializers.RandomUniform(-0.1, 0.1, seed=2)
    return type(layer).from_config(config)


def _run(what: str, layers_, batch) -> tuple[list, list, str | None]:
    """(copies of the layers, the output of each on `batch`, None) or ([], [], what went wrong)."""
    if _is_unfinished(layers_):
        raise _NotDone
    try:
        copies = [_fresh(layer) for layer in layers_]
    except (AttributeError, TypeError):
        return [], [], _say("{what} should be a list of Keras layers", what=what)
    outputs, value = [], batch
    try:
        for layer in copies:
            value = layer(value, training=False)
            outputs.append(np.asarray(value))
    except Exception as error:  # noqa: BLE001 (a learner's layers can fail in many ways; say which layer)
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return (
            [],
            [],
            _say(
                "{what} cannot run on a batch of shape {shape}: layer {position} ({layer}) fails: {error}",
                what=what,
                shape=tuple(np.shape(batch)),
                position=len(outputs) + 1,
                layer=type(copies[len(outputs)]).__name__,
                error=first_line[:160],
            ),
        )
    return copies, outputs, None


def _is_unfinished(value) -> bool:
    if value is Ellipsis or value is None:
        return True
    return isinstance(value, list | tuple) and any(item is Ellipsis for item in value)


def _kind(layer) -> str:
    return type(layer).__name__


def _convolutions_problem(what: str, layers_, batch, expected) -> str | None:
    """None if `layers_`, run on `batch`, hold the convolutions `expected` ((filters, kernel, size) each),
    each ending in a ReLU, else what is wrong."""
    copies, outputs, problem = _run(what, layers_, batch)
    if problem:
        return problem
    positions = [index for index, layer in enumerate(copies) if _kind(layer) == "Conv2D"]
    if len(positions) != len(expected):
        return _say(
            "{what} holds {count} convolutions, expected {expected}",
            what=what,
            count=len(positions),
            expected=len(expected),
        )
    first_input = batch if positions[0] == 0 else outputs[positions[0] - 1]
    if np.shape(first_input)[1:] != (28, 28, 1):
        return _say(
            "the first convolution sees inputs of shape {shape}, expected 28×28 images with one channel",
            shape=tuple(np.shape(first_input)[1:]),
        )
    for number, (index, (filters, kernel, size)) in enumerate(zip(positions, expected, strict=True), 1):
        layer = copies[index]
        if layer.filters != filters:
            return _say(
                "convolution {number} has {got} filters, expected {expected}",
                number=number,
                got=layer.filters,
                expected=filters,
            )
        if tuple(layer.kernel_size) != (kernel, kernel):
            return _say(
                "convolution {number} looks through {got} windows, expected {kernel}×{kernel}",
                number=number,
                got="×".join(map(str, layer.kernel_size)),
                kernel=kernel,
            )
        height, width = np.shape(outputs[index])[1:3]
        if (height, width) != (size, size):
            return _say(
                "convolution {number} gives {height}×{width} images, expected {size}×{size}: "
                "look at its padding and its stride",
                number=number,
                height=height,
                width=width,
                size=size,
            )
        following = positions[number] - 1 if number < len(positions) else len(copies) - 1
        if np.min(outputs[following]) < 0:
            return _say(
                "the outputs of convolution {number} go negative: each convolution should end in a ReLU",
                number=number,
            )
    return None


@exercise(
    "lesson09.convolutions",
    1,
    "the layers that turn each 784-pixel vector into a 28×28 image with one channel, then three ReLU "
    "convolutions (12 filters of 3×3, 24 of 6×6, 32 of 6×6) that end on 7×7 images, as in the table above",
    (
        "The model receives flat vectors, so the first layer gives them back their image shape. A "
        "convolution keeps 28×28 when it pads the borders; a stride of 2 halves the width and height.",
        "[layers.Reshape(...), layers.Conv2D(filters, kernel_size, strides=..., padding=..., "
        "activation=...), ...]",
    ),
)
def _lesson09_convolutions(convolutions):
    batch = np.random.default_rng(0).normal(size=(2, 28 * 28)).astype("float32")
    return _convolutions_problem("convolutions", convolutions, batch, [(12, 3, 28), (24, 6, 14), (32, 6, 7)])


# (size, kernel, stride, padding) cases for output_size; odd sizes catch a forgotten partial window.
_SIZE_CASES = [
    (28, 3, 1, "same"),
    (28, 6, 2, "same"),
    (7, 4, 2, "same"),
    (9, 3, 3, "same"),
    (28, 3, 1, "valid"),
    (28, 6, 2, "valid"),
    (14, 5, 2, "valid"),
    (9, 4, 3, "valid"),
]


@cache
def _keras_output_size(size, kernel, stride, padding) -> int:
    """What a real Conv2D gives: the truth the learner's formula is judged against."""
    from keras import layers

    layer = layers.Conv2D(1, kernel, strides=stride, padding=padding)
    return int(layer.compute_output_shape((1, size, size, 1))[1])


@exercise(
    "lesson09.output_size",
    2,
    "the width (and height) of a convolution's output images, from the input size, the window size, "
    "the stride and the padding ('same' or 'valid'), as Keras computes it",
    (
        "With 'same' padding the window may hang over the border, so only the stride matters, and a "
        "partial last step still gives an output; with 'valid' padding the window must fit entirely "
        "inside the image.",
        "if padding == 'same': return (size divided by stride, rounded up); otherwise count the "
        "positions a window of `kernel` pixels can take, every `stride` pixels",
    ),
)
def _lesson09_output_size(output_size):
    for size, kernel, stride, padding in _SIZE_CASES:
        expected = _keras_output_size(size, kernel, stride, padding)
        got = output_size(size, kernel, stride, padding)
        if got is None or got is Ellipsis:
            raise _NotDone
        if not isinstance(got, int | np.integer) and not (
            isinstance(got, float | np.floating) and float(got).is_integer()
        ):
            return _say(
                "output_size({size}, {kernel}, {stride}, {padding!r}) returns {got!r}: a number of pixels "
                "is a whole number",
                size=size,
                kernel=kernel,
                stride=stride,
                padding=padding,
                got=got,
            )
        if int(got) != expected:
            return _say(
                "output_size({size}, {kernel}, {stride}, {padding!r}) returns {got}, but a Keras "
                "convolution gives {expected}×{expected} images",
                size=size,
                kernel=kernel,
                stride=stride,
                padding=padding,
                got=int(got),
                expected=expected,
            )
    return None


@exercise(
    "lesson09.lowest_val_loss_epoch",
    3,
    "the epoch (numbered as in the training log above, from 1) after which the validation loss was lowest",
    (
        "history.history holds one list per quantity, with one value per epoch; overfitting shows in "
        "the validation loss, not in the training loss or in the accuracy.",
        "find the position of the smallest value in history.history['val_loss'], then number it as "
        "the log does",
    ),
)
def _lesson09_lowest_val_loss_epoch(epoch, history):
    values = history.history
    val_loss = list(values["val_loss"])
    expected = int(np.argmin(val_loss)) + 1
    if not isinstance(epoch, int | np.integer):
        return _say("the epoch should be a whole number, got {got!r}", got=epoch)
    if epoch == expected:
        return None
    if epoch == expected - 1:
        return _say("the training log numbers the epochs from 1: your answer is one less than the log's")
    if "loss" in values and epoch == int(np.argmin(values["loss"])) + 1:
        return _say(
            "after epoch {epoch} the training loss was lowest; overfitting shows in the validation loss",
            epoch=epoch,
        )
    if "val_accuracy" in values and epoch == int(np.argmax(values["val_accuracy"])) + 1:
        return _say(
            "after epoch {epoch} the validation accuracy was best; the question is about the validation loss",
            epoch=epoch,
        )
    if 1 <= epoch <= len(val_loss):
        return _say(
            "after epoch {epoch} the validation loss was {loss:.4f}, and another epoch did better",
            epoch=epoch,
            loss=val_loss[epoch - 1],
        )
    return _say("the training ran {count} epochs, numbered 1 to {count}", count=len(val_loss))
