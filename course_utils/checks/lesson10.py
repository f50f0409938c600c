"""Lesson 10's checks (a bigger CNN with dropout), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _NotDone, _say, exercise
from .lesson09 import _convolutions_problem, _kind, _run


@exercise(
    "lesson10.convolutions",
    1,
    "the three ReLU convolutions of the table above (24 filters of 6×6, 48 of 5×5, 64 of 4×4) that take "
    "28×28 images to 28×28, then 14×14, then 7×7",
    (
        "Same plan as lesson 9, wider: padding keeps the size, a stride of 2 halves it.",
        "[layers.Conv2D(filters, kernel_size, strides=..., padding=..., activation=...), ...]",
    ),
)
def _lesson10_convolutions(convolutions):
    batch = np.random.default_rng(0).normal(size=(2, 28, 28, 1)).astype("float32")
    return _convolutions_problem("convolutions", convolutions, batch, [(24, 6, 28), (48, 5, 14), (64, 4, 7)])


@exercise(
    "lesson10.dense_with_dropout",
    2,
    "the layers between Flatten and the read-out: 200 ReLU neurons whose outputs dropout thins out at "
    "the rate DROPOUT during training",
    (
        "Dropout acts on the values that come into it, and its rate is the share it sets to zero; "
        "here it should thin out what the dense layer gives to the read-out.",
        "[a Dense layer of 200 with a ReLU, a Dropout layer]",
    ),
)
def _lesson10_dense_with_dropout(layers_, rate):
    batch = np.random.default_rng(0).normal(size=(2, 7 * 7 * 64)).astype("float32")
    copies, outputs, problem = _run("dense_with_dropout", layers_, batch)
    if problem:
        return problem
    kinds = [_kind(layer) for layer in copies]
    if "Dropout" not in kinds:
        return _say("dense_with_dropout holds no dropout layer")
    if "Dense" not in kinds:
        return _say("dense_with_dropout holds no dense layer")
    if np.shape(outputs[-1])[1:] != (200,):
        return _say(
            "dense_with_dropout gives {count} values per image, expected 200", count=np.shape(outputs[-1])[1:]
        )
    if kinds.index("Dropout") < kinds.index("Dense"):
        return _say(
            "the dropout comes before the dense layer: it should thin out the dense layer's outputs, "
            "which the read-out reads"
        )
    if np.min(outputs[-1]) < 0:
        return _say("the dense layer's outputs go negative: it should use a ReLU")
    got = copies[kinds.index("Dropout")].rate
    if np.isclose(got, rate):
        return None
    if np.isclose(got, 1 - rate):
        return _say(
            "the dropout rate is {got:g}: Keras's rate is the share of values dropped, not kept "
            "(DROPOUT is {rate:g})",
            got=got,
            rate=rate,
        )
    return _say("the dropout rate is {got:g}, expected DROPOUT ({rate:g})", got=got, rate=rate)


@exercise(
    "lesson10.dense_share",
    3,
    "the share (between 0 and 1) of the model's weights that sit in its dense layer of 200 neurons, "
    "biases included, read from the model",
    (
        "Every layer knows how many weights it holds, and so does the whole model; the dense layer of "
        "200 is the first Dense layer, the one after Flatten.",
        "find that layer in model.layers, then divide its count_params() by the model's",
    ),
)
def _lesson10_dense_share(share, model):
    if share is None or share is Ellipsis:
        raise _NotDone
    dense = [layer for layer in model.layers if _kind(layer) == "Dense"]
    total = model.count_params()
    expected = dense[0].count_params() / total
    try:
        share = float(share)
    except (TypeError, ValueError):
        return _say("the share should be a number between 0 and 1, got {type}", type=type(share).__name__)
    if np.isclose(share, expected, rtol=1e-4):
        return None
    if np.isclose(share, 100 * expected, rtol=1e-4):
        return _say("that is a percentage: the share should be between 0 and 1")
    if np.isclose(share, 1 - expected, rtol=1e-4):
        return _say("that is the share of all the other layers together")
    if np.isclose(share, dense[-1].count_params() / total, rtol=1e-4):
        return _say("that is the share of the read-out layer (10 neurons), not of the layer of 200")
    kernel_only = int(np.prod(dense[0].kernel.shape)) / total
    if np.isclose(share, kernel_only, rtol=1e-4):
        return _say("close: the layer of 200 has biases too, and they are weights of the model")
    return _say(
        "{share:.4f} of the weights is not what the model holds in its dense layer of 200", share=share
    )
