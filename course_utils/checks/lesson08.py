"""Lesson 8's checks (dropout and overfitting), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .shared import _numpy


class _History:
    """A stand-in for what fit returns, with known values."""

    def __init__(self, **logs):
        self.history = logs


_HISTORIES = (
    _History(
        loss=[0.50, 0.20, 0.10, 0.05, 0.03, 0.02, 0.01],
        val_loss=[0.40, 0.25, 0.22, 0.24, 0.26, 0.29, 0.31],
        val_accuracy=[0.90, 0.93, 0.94, 0.945, 0.95, 0.948, 0.947],
    ),
    _History(loss=[0.3, 0.1], val_loss=[0.2, 0.3], val_accuracy=[0.95, 0.96]),
)


@exercise(
    "lesson08.best_epoch",
    1,
    "the epoch (counted from 1, as in the log) after which a training's validation loss was lowest",
    (
        "The history holds one validation loss per epoch, in order; find where the smallest one sits, "
        "and remember that the log counts epochs from 1.",
        "values = history.history['...']; numpy has a function for the position of the smallest value",
    ),
)
def _lesson08_best_epoch(best_epoch):
    for history in _HISTORIES:
        got = _result(best_epoch, history)
        expected = int(np.argmin(history.history["val_loss"])) + 1
        if got == expected:
            continue
        logs = history.history
        if got == expected - 1:
            return _say("the answer is one epoch too early: the log counts epochs from 1")
        if got in (int(np.argmin(logs["loss"])) + 1, int(np.argmin(logs["loss"]))):
            return _say(
                "that is where the training loss is lowest; the question is about the validation loss"
            )
        if got in (int(np.argmax(logs["val_accuracy"])) + 1, int(np.argmax(logs["val_accuracy"]))):
            return _say(
                "that is where the validation accuracy is highest; the question is about the validation loss"
            )
        return _say(
            "for validation losses {losses} your function gives {got}", losses=logs["val_loss"], got=got
        )
    return None


def _kinds(layers) -> list[tuple]:
    """Each layer as ("dense", units, activation) or ("dropout", rate); an activation layer after a Dense
    layer counts as that layer's activation."""
    kinds = []
    for layer in layers:
        name, config = type(layer).__name__, layer.get_config()
        if name == "Dense":
            kinds.append(("dense", config["units"], config["activation"]))
        elif name == "Dropout":
            kinds.append(("dropout", round(float(config["rate"]), 6)))
        elif (
            name in ("Activation", "ReLU") and kinds and kinds[-1][0] == "dense" and kinds[-1][2] == "linear"
        ):
            activation = "relu" if name == "ReLU" else config["activation"]
            kinds[-1] = ("dense", kinds[-1][1], activation)
        else:
            kinds.append((name,))
    return kinds


def _hidden_layers_problem(hidden_layers, sizes, rate) -> str | None:
    layers = list(_result(hidden_layers, sizes, rate))
    try:
        kinds = _kinds(layers)
    except (AttributeError, TypeError):
        return _say("hidden_layers should return a list of Keras layers")
    dense = [kind for kind in kinds if kind[0] == "dense"]
    if [kind[1] for kind in dense] != list(sizes):
        return _say(
            "hidden_layers{arguments} gives dense layers of {got} neurons, one per size asked for: {sizes}",
            arguments=(tuple(sizes), rate),
            got=[kind[1] for kind in dense],
            sizes=list(sizes),
        )
    if any(kind[2] != "relu" for kind in dense):
        return _say("the dense layers should use ReLU, like lesson 7's network")
    dropouts = [kind for kind in kinds if kind[0] == "dropout"]
    if rate and len(dropouts) != len(sizes):
        return _say(
            "hidden_layers{arguments} has {count} dropout layers: every hidden layer's outputs should be "
            "dropped",
            arguments=(tuple(sizes), rate),
            count=len(dropouts),
        )
    if rate and any(np.isclose(kind[1], 1 - rate) for kind in dropouts) and not np.isclose(rate, 0.5):
        return _say(
            "the dropout layers keep the fraction {rate} and drop the rest: a dropout layer's rate is the "
            "fraction it drops",
            rate=rate,
        )
    if any(not np.isclose(kind[1], rate) for kind in dropouts):
        return _say(
            "the dropout layers drop {got}, not the fraction passed in", got=[kind[1] for kind in dropouts]
        )
    if rate and kinds[0][0] == "dropout":
        return _say("a dropout layer comes first: it should follow the layer whose outputs it drops")
    return None


@exercise(
    "lesson08.hidden_layers",
    2,
    "a function that returns new hidden layers: for each size in `sizes` a ReLU layer of that many "
    "neurons, its outputs dropped with probability `dropout` during training (no dropout when it is 0)",
    (
        "A dropout layer acts on the outputs of the layer before it. A call must return new layers: a "
        "layer object belongs to one network.",
        "start from an empty list; loop over the sizes, adding a layers.Dense layer and, when dropout "
        "is above 0, a layers.Dropout layer; return the list",
    ),
)
def _lesson08_hidden_layers(hidden_layers):
    for sizes, rate in (((12, 6), 0.3), ((5,), 0.25), ((4, 3), 0)):
        if problem := _hidden_layers_problem(hidden_layers, sizes, rate):
            return problem
    first, second = _result(hidden_layers, (3,), 0.5), _result(hidden_layers, (3,), 0.5)
    if any(layer is other for layer in first for other in second):
        return _say("two calls return the same layer objects: each call must create new layers")
    return None


@exercise(
    "lesson08.test_evaluation",
    3,
    "the test loss and test accuracy of the chosen network, measured once on the untouched test split",
    (
        "evaluate measures a trained model on a split, without training it, and returns the loss and "
        "the metrics in the order compile named them.",
        "two names on the left, one call of the model's evaluate method on the right, given the test "
        "split (a pipeline of evaluation_dataset) and verbose=0",
    ),
)
def _lesson08_test_evaluation(model, test_loss, test_accuracy, test, validation):
    images, labels = test
    loss, accuracy = model.evaluate(images, labels, batch_size=1000, verbose=0)
    got = float(_numpy(test_loss)), float(_numpy(test_accuracy))
    if np.isclose(got[0], loss, rtol=1e-3) and np.isclose(got[1], accuracy, atol=1e-5):
        return None
    if np.isclose(got[0], accuracy, atol=1e-5) and np.isclose(got[1], loss, rtol=1e-3):
        return _say("the two numbers are swapped: evaluate returns the loss first, then the accuracy")
    val_loss, val_accuracy = model.evaluate(*validation, batch_size=1000, verbose=0)
    if np.isclose(got[0], val_loss, rtol=1e-3) and np.isclose(got[1], val_accuracy, atol=1e-5):
        return _say(
            "these are the scores on the validation split, which guided our choices; the number to report "
            "comes from the test split"
        )
    return _say(
        "test_loss, test_accuracy are {loss:.4f}, {accuracy:.4f}, but the chosen network scores "
        "{expected_loss:.4f}, {expected_accuracy:.4f} on the test split: is it the right network and the "
        "right split?",
        loss=got[0],
        accuracy=got[1],
        expected_loss=loss,
        expected_accuracy=accuracy,
    )
