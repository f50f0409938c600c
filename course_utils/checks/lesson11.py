"""Lesson 11's checks (batch normalisation), in the order of the notebook.

The blocks are judged by running copies of their layers (lesson 9's helpers) and by where the batch
normalisation sits: after the weighted sum (which then needs no bias), before the ReLU (so no scale).
"""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .lesson09 import _convolutions_problem, _kind, _run

_RELU = ("ReLU",)


def _is_relu(layer) -> bool:
    if _kind(layer) == "ReLU":
        return True
    activation = layer.get_config().get("activation")
    name = activation if isinstance(activation, str) else getattr(activation, "__name__", "")
    return name == "relu"


def _block_problem(what: str, copies, weighted: str, momentum) -> str | None:
    """None if `copies` are one `weighted` layer, then batch norm, then a ReLU, as the lesson builds them."""
    kinds = [_kind(layer) for layer in copies]
    if kinds.count(weighted) != 1:
        return _say(
            "{what} should hold one {weighted} layer, it holds {count}",
            what=what,
            weighted=weighted,
            count=kinds.count(weighted),
        )
    if "BatchNormalization" not in kinds:
        return _say("{what} holds no batch normalisation", what=what)
    layer, norm = copies[kinds.index(weighted)], copies[kinds.index("BatchNormalization")]
    relus = [index for index, each in enumerate(copies) if _is_relu(each)]
    if not relus:
        return _say("{what} has no ReLU", what=what)
    if relus[0] < kinds.index("BatchNormalization"):
        return _say(
            "in {what} the ReLU comes before the batch normalisation: batch norm goes between the "
            "weighted sum and the activation",
            what=what,
        )
    if kinds.index("BatchNormalization") < kinds.index(weighted):
        return _say(
            "in {what} the batch normalisation comes before the {weighted} layer",
            what=what,
            weighted=weighted,
        )
    if layer.use_bias:
        return _say(
            "the {weighted} layer of {what} adds a bias: batch norm's offset β already plays that role",
            weighted=weighted,
            what=what,
        )
    if norm.scale:
        return _say(
            "the batch normalisation of {what} learns a scale γ, which the ReLU after it makes useless",
            what=what,
        )
    if not np.isclose(norm.momentum, momentum):
        return _say(
            "the batch normalisation has momentum {got}, expected BN_MOMENTUM ({expected})",
            got=norm.momentum,
            expected=momentum,
        )
    return None


def _called_block_problem(what, copies, outputs, weighted, shape, momentum):
    if tuple(np.shape(outputs[-1])[1:]) != shape:
        return _say(
            "{what} gives outputs of shape {got}, expected {expected}",
            what=what,
            got=tuple(np.shape(outputs[-1])[1:]),
            expected=shape,
        )
    return _block_problem(what, copies, weighted, momentum)


@exercise(
    "lesson11.conv_bn_relu",
    1,
    "the layers of one convolutional block: a convolution with `filters` windows of `kernel_size` and "
    "the given stride that keeps the size (stride 1) or halves it, batch-normalised before its ReLU, "
    "with nothing batch norm makes redundant, and moving averages at BN_MOMENTUM",
    (
        "Batch norm goes between the weighted sum and the activation. Its offset β does the bias's job, "
        "and a ReLU after it does not care about a scale γ: leave out what is redundant.",
        "return [layers.Conv2D(..., use_bias=...), layers.BatchNormalization(scale=..., momentum=...), "
        "an activation layer]",
    ),
)
def _lesson11_conv_bn_relu(conv_bn_relu, momentum):
    rng = np.random.default_rng(0)
    for filters, kernel, strides, size in ((32, 5, 2, 14), (8, 3, 1, 28)):
        what = f"conv_bn_relu({filters}, {kernel}, strides={strides})"
        layers_ = _result(conv_bn_relu, filters, kernel, strides)
        batch = rng.normal(size=(2, 28, 28, 4)).astype("float32")
        copies, outputs, problem = _run(what, layers_, batch)
        problem = problem or _called_block_problem(
            what, copies, outputs, "Conv2D", (size, size, filters), momentum
        )
        if problem:
            return problem
        conv = copies[[_kind(layer) for layer in copies].index("Conv2D")]
        if tuple(conv.kernel_size) != (kernel, kernel):
            return _say(
                "the convolution of {what} does not use {kernel}×{kernel} windows", what=what, kernel=kernel
            )
    return None


@exercise(
    "lesson11.dense_bn_relu",
    2,
    "the layers of one dense block: `units` neurons, batch-normalised before their ReLU, with nothing "
    "batch norm makes redundant, and moving averages at BN_MOMENTUM",
    (
        "The same rule as for the convolutional block: the weighted sum, then batch norm, then the "
        "activation; no bias, no scale.",
        "return [layers.Dense(..., use_bias=...), layers.BatchNormalization(scale=..., momentum=...), "
        "an activation layer]",
    ),
)
def _lesson11_dense_bn_relu(dense_bn_relu, momentum):
    batch = np.random.default_rng(0).normal(size=(2, 50)).astype("float32")
    for units in (200, 7):
        what = f"dense_bn_relu({units})"
        copies, outputs, problem = _run(what, _result(dense_bn_relu, units), batch)
        problem = problem or _called_block_problem(what, copies, outputs, "Dense", (units,), momentum)
        if problem:
            return problem
    return None


@exercise(
    "lesson11.hidden_layers",
    3,
    "the hidden layers, built from your two blocks: batch-normalised convolutions with 16 filters of "
    "5×5, 32 of 5×5 and 64 of 4×4 (28×28, then 14×14, then 7×7 images), then Flatten and a dense "
    "block of 200",
    (
        "Each convolution of lesson 10 becomes one of your convolutional blocks; the blocks are lists, "
        "and a list of layers can be unpacked into a longer one.",
        "[*conv_bn_relu(...), *conv_bn_relu(...), *conv_bn_relu(...), a Flatten layer, *dense_bn_relu(...)]",
    ),
)
def _lesson11_hidden_layers(hidden_layers, momentum):
    batch = np.random.default_rng(0).normal(size=(2, 28, 28, 1)).astype("float32")
    if problem := _convolutions_problem(
        "hidden_layers", hidden_layers, batch, [(16, 5, 28), (32, 5, 14), (64, 4, 7)]
    ):
        return problem
    copies, outputs, _ = _run("hidden_layers", hidden_layers, batch)
    kinds = [_kind(layer) for layer in copies]
    if "Flatten" not in kinds or kinds.count("Dense") != 1 or kinds.index("Dense") < kinds.index("Flatten"):
        return _say(
            "after the convolutions, hidden_layers should flatten the images, then hold one dense block"
        )
    if tuple(np.shape(outputs[-1])[1:]) != (200,):
        return _say(
            "hidden_layers gives outputs of shape {got}, expected 200 values per image",
            got=tuple(np.shape(outputs[-1])[1:]),
        )
    starts = [index for index, kind in enumerate(kinds) if kind in ("Conv2D", "Dense")]
    ends = [*starts[1:], len(copies)]
    for number, (start, end) in enumerate(zip(starts, ends, strict=True), start=1):
        block = [layer for layer in copies[start:end] if _kind(layer) != "Flatten"]
        if problem := _block_problem(f"block {number} of hidden_layers", block, kinds[start], momentum):
            return problem
    return None


@exercise(
    "lesson11.batches_to_forget",
    4,
    "the number of training batches after which a moving average with this momentum gives its "
    "starting value a weight below 1 %",
    (
        "At every batch the moving average keeps `momentum` times its old value: after n batches the "
        "starting value weighs momentum to the power n.",
        "count the batches in a loop until that weight drops below 0.01, or solve for n with "
        "logarithms and round to the next whole batch",
    ),
)
def _lesson11_batches_to_forget(batches_to_forget):
    for momentum in (0.9, 0.99, 0.5):
        weight, expected = 1.0, 0
        while weight >= 0.01:
            weight, expected = weight * momentum, expected + 1
        got = _result(batches_to_forget, momentum)
        if isinstance(got, float | np.floating) and not float(got).is_integer():
            return _say(
                "batches_to_forget({momentum}) returns {got:.2f}: a number of batches is a whole number",
                momentum=momentum,
                got=got,
            )
        if not isinstance(got, int | np.integer | float | np.floating):
            return _say("batches_to_forget should return a number, got {type}", type=type(got).__name__)
        if int(got) != expected:
            return _say(
                "with momentum {momentum}, the starting value weighs {weight:.4f} after {got} batches and "
                "{previous:.4f} after {before}: the answer is the first count that takes it below 0.01",
                momentum=momentum,
                got=int(got),
                weight=momentum ** int(got),
                before=int(got) - 1,
                previous=momentum ** (int(got) - 1),
            )
    return None
