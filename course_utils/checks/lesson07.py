"""Lesson 7's checks (learning-rate decay), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .lesson05 import _compile_problem, _fit_problem
from .lesson06 import _network_problem


@exercise(
    "lesson07.dense_network",
    1,
    "a fresh copy of lesson 6's ReLU network, named `name`, compiled with Adam starting at `learning_rate`",
    (
        "Put lesson 6's model and its compile step in the function, with the arguments in place of the "
        "fixed name and learning rate, and return the compiled network.",
        "build the network as in lesson 6 (a keras.Sequential model named after `name`), compile it "
        "(Adam, at `learning_rate`), return it",
    ),
)
def _lesson07_dense_network(dense_network):
    network = _result(dense_network, 0.004, "checked")
    if problem := _network_problem(network, "relu"):
        return problem
    if network.name != "checked":
        return _say("the network is named {got!r}, not after the name passed in", got=network.name)
    if getattr(network, "optimizer", None) is None:
        return _say("the network comes back uncompiled: compile it before returning it")
    if _result(dense_network, 0.004, "again") is network:
        return _say("two calls return the same network: each call must build a fresh one")
    return _compile_problem(network, "Adam", 0.004)


@exercise(
    "lesson07.learning_rate_for",
    2,
    "the learning rate of epoch `epoch` (Keras counts from 0): LEARNING_RATE in the first epoch, then "
    "LR_DECAY times the previous epoch's rate",
    (
        "Each epoch multiplies the rate by LR_DECAY once more, so after `epoch` epochs it has been "
        "multiplied `epoch` times. Epoch 0 is the first.",
        "return LEARNING_RATE * ... (an expression in LR_DECAY and epoch)",
    ),
)
def _lesson07_learning_rate_for(learning_rate_for, learning_rate, decay):
    epochs = (0, 1, 2, 5)
    rates = [float(_result(learning_rate_for, epoch)) for epoch in epochs]
    expected = [learning_rate * decay**epoch for epoch in epochs]
    if np.allclose(rates, expected, rtol=1e-6):
        return None
    if np.isclose(rates[0], learning_rate * decay):
        return _say("epochs count from 0: the first epoch (epoch 0) trains at LEARNING_RATE itself")
    if not np.isclose(rates[0], learning_rate):
        return _say(
            "the first epoch trains at {got:.3g}, not at LEARNING_RATE ({expected:.3g})",
            got=rates[0],
            expected=learning_rate,
        )
    if rates[-1] >= rates[0]:
        return _say("the learning rate does not shrink from epoch to epoch: it should decay")
    return _say(
        "epochs 0, 1, 2 and 5 get the rates {got}, but each epoch should use LR_DECAY times the rate of the "
        "one before: {expected}",
        got=", ".join(f"{rate:.3g}" for rate in rates),
        expected=", ".join(f"{rate:.3g}" for rate in expected),
    )


@exercise(
    "lesson07.fit",
    3,
    "the callbacks of the decayed run: those of the constant-rate run (with this run's timer), plus one "
    "that sets each epoch's learning rate from learning_rate_for",
    (
        "Keras has a callback that calls a function of the epoch at the start of every epoch and sets "
        "the optimizer's learning rate to what it returns.",
        "a list of three callbacks: one of keras.callbacks given learning_rate_for, then PlotTraining and "
        "the timer as in the constant-rate run",
    ),
)
def _lesson07_fit(history, timer, epochs, learning_rate_for, validation, test):
    if problem := _fit_problem(history, timer, epochs, validation, test):
        return problem
    rates = history.history.get("learning_rate")
    expected = [learning_rate_for(epoch) for epoch in range(epochs)]
    if rates is None or np.allclose(rates, rates[0]) and not np.allclose(expected, expected[0]):
        return _say("every epoch trained at the same learning rate: nothing set it from learning_rate_for")
    if not np.allclose(rates, expected, rtol=1e-4):
        return _say(
            "the epochs trained at the learning rates {got}, but learning_rate_for gives {expected}",
            got=", ".join(f"{rate:.3g}" for rate in rates),
            expected=", ".join(f"{rate:.3g}" for rate in expected),
        )
    return None
