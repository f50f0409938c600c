"""Lesson 6's checks (going deep: ReLU and Adam), in the order of the notebook.

A network is judged by running it, layer by layer, on known images: the size of each layer's output
and whether it is the chosen activation of the layer's weighted sums. Any way of writing the layers
passes (an `activation=` argument, a separate activation layer, the functional API).
"""

from __future__ import annotations

import numpy as np

from .engine import _say, exercise
from .lesson05 import _compile_problem, _outputs_problem, _probe_images, _run, _softmax
from .shared import _sigmoid

_SIZES = (200, 100, 60, 30, 10)
_ACTIVATIONS = {"sigmoid": _sigmoid, "relu": lambda z: np.maximum(z, 0), "softmax": _softmax}


def _blocks(model, images) -> list[tuple[np.ndarray, np.ndarray]]:
    """(weighted sums, output) of each layer with weights; the output is taken after the layers that
    follow it (an activation layer, dropout)."""
    blocks, value = [], images
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        weights = layer.get_weights()
        if weights:
            sums = value @ weights[0] + (weights[1] if len(weights) > 1 else 0)
            blocks.append((sums, None))
        value = np.asarray(layer(value, training=False))
        if blocks:
            blocks[-1] = (blocks[-1][0], value)
    return blocks


def _activation_problem(position: int, sums, outputs, activation: str) -> str | None:
    """None if `outputs` are `activation` of `sums`, else what layer `position` does instead."""
    if np.allclose(outputs, _ACTIVATIONS[activation](sums), atol=1e-5):
        return None
    if np.allclose(outputs, sums, atol=1e-5):
        return _say(
            "layer {position} passes its weighted sums on unchanged: it has no activation", position=position
        )
    if activation == "sigmoid" and (outputs.max() >= 1 or (outputs == 0).any()):
        return _say(
            "layer {position} gives values of 1 and more, or exact zeros: a sigmoid squashes every sum "
            "into (0, 1)",
            position=position,
        )
    if activation == "relu" and outputs.max() <= 1 and outputs.min() > 0:
        return _say(
            "layer {position} squashes its sums between 0 and 1; ReLU keeps positive sums as they are "
            "and sets negative ones to 0",
            position=position,
        )
    return _say(
        "the outputs of layer {position} are not the {activation} of its weighted sums",
        position=position,
        activation=activation,
    )


def _network_problem(model, activation: str) -> str | None:
    """None if `model` is lesson 6's network with `activation` in its four hidden layers."""
    images = _probe_images(8) * 4  # large enough sums to tell the activations apart
    outputs, problem = _run(model, images)
    if problem:
        return problem
    blocks = _blocks(model, images)
    sizes = tuple(block[1].shape[-1] for block in blocks)
    if sizes != _SIZES:
        return _say(
            "the layers with weights give {got} outputs per image; the network asks for hidden layers of "
            "200, 100, 60 and 30 neurons, then 10 for the digits",
            got=", ".join(str(size) for size in sizes) or "no",
        )
    for position, (sums, block_outputs) in enumerate(blocks[:-1], start=1):
        if problem := _activation_problem(position, sums, block_outputs, activation):
            return problem
    if problem := _outputs_problem(outputs):
        return problem
    return _activation_problem(len(blocks), blocks[-1][0], outputs, "softmax")


@exercise(
    "lesson06.sigmoid_model",
    1,
    "the codelab's network: four hidden layers of 200, 100, 60 and 30 sigmoid neurons, and the "
    "probabilities of the ten digits at the end",
    (
        "The same kind of model as lesson 5's, with four more layers in front of its read-out. Each hidden "
        "layer squashes its sums with the sigmoid; the last one still gives probabilities.",
        "lesson 5's kind of keras.Sequential model, named 'sigmoid_sgd': a keras.Input, then one "
        "layers.Dense layer per size, each with its activation",
    ),
)
def _lesson06_sigmoid_model(model):
    return _network_problem(model, "sigmoid")


@exercise(
    "lesson06.relu_model",
    2,
    "the same five layers, with ReLU in the four hidden layers",
    (
        "Only the activation of the hidden layers changes; the read-out must still give probabilities.",
        "the list of layers of sigmoid_model above, with another activation in its first four layers, "
        "and name='relu_adam'",
    ),
)
def _lesson06_relu_model(model):
    return _network_problem(model, "relu")


@exercise(
    "lesson06.compile",
    3,
    "the ReLU network's optimizer: one that adapts the step of every weight (see above), starting at "
    "LEARNING_RATE",
    (
        "The optimizer described above keeps running averages of each weight's gradients and of their "
        "squares; Keras has it among its optimizers.",
        "optimizer = keras.optimizers....(...): the class of that optimizer, given the learning rate",
    ),
)
def _lesson06_compile(model, learning_rate):
    return _compile_problem(model, "Adam", learning_rate)
