"""Lesson 7's checks (learning-rate decay), in the order of the notebook."""

from __future__ import annotations

import numbers

import numpy as np

from .engine import _NotDone, _result, _say, exercise
from .lesson05 import _fit_problem


@exercise(
    "lesson07.learning_rate_for",
    1,
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
    "lesson07.first_epoch_below",
    2,
    "the first epoch, counted from 1 as in the training log, whose learning rate (from learning_rate_for) is "
    "below `threshold`; None if none of the EPOCHS epochs is",
    (
        "Go through the epochs of the training in order and ask learning_rate_for for each one's rate; the "
        "first rate below the threshold gives the answer. learning_rate_for counts the epochs from 0, the "
        "training log from 1.",
        "a loop over the EPOCHS epochs that returns (converted to the log's numbering) the first one whose "
        "rate is below `threshold`, and None after the loop",
    ),
)
def _lesson07_first_epoch_below(first_epoch_below, learning_rate_for, epochs):
    rates = [float(learning_rate_for(epoch)) for epoch in range(epochs)]
    # thresholds between two epochs' rates (on a log scale), so that no rate equals one of them
    falls = [k for k in range(epochs - 1) if rates[k + 1] < rates[k]]
    picked = sorted({falls[0], falls[len(falls) // 2], falls[-1]}) if falls else []
    cases = [(2 * rates[0], 1)] + [(float(np.sqrt(rates[k] * rates[k + 1])), k + 2) for k in picked]
    never = min(rates) / 2
    cases.append((never, None))
    answers = [first_epoch_below(threshold) for threshold, _ in cases]
    if all(got is None for got in answers) or any(got is Ellipsis for got in answers):
        raise _NotDone
    for (threshold, _), got in zip(cases, answers, strict=True):
        if got is not None and not _is_whole(got):
            return _say(
                "for a threshold of {threshold:.3g} it returns {got!r}, which is not an epoch: epochs are "
                "whole numbers",
                threshold=threshold,
                got=got,
            )
    reached = [
        (threshold, expected, int(got))
        for (threshold, expected), got in zip(cases, answers, strict=True)
        if expected and got is not None
    ]
    if len(reached) > 2 and len({got for _, _, got in reached}) == 1:
        return _say(
            "it returns epoch {got} whatever the threshold: the answer should follow `threshold`",
            got=reached[0][2],
        )
    missed = [
        threshold
        for (threshold, expected), got in zip(cases, answers, strict=True)
        if expected and got is None
    ]
    if {got - expected for _, expected, got in reached} == {-1}:
        return _say(
            "it answers one epoch too early: count the epochs from 1, as the training log does "
            "(learning_rate_for's epoch 0 is the log's epoch 1), and give the first epoch below the "
            "threshold, not the last one at or above it"
        )
    if missed:
        return _say(
            "for a threshold of {threshold:.3g} it returns None, but some epoch of the training has a "
            "learning rate below the threshold",
            threshold=missed[0],
        )
    for threshold, expected, got in reached:
        if got == expected:
            continue
        if got < 1:
            return _say(
                "for a threshold of {threshold:.3g} it returns epoch {got}, but the training log counts the "
                "epochs from 1",
                threshold=threshold,
                got=got,
            )
        rate = float(learning_rate_for(got - 1))
        if rate >= threshold:
            return _say(
                "for a threshold of {threshold:.3g} it returns epoch {got}, whose learning rate ({rate:.3g}) "
                "is not below the threshold",
                threshold=threshold,
                got=got,
                rate=rate,
            )
        return _say(
            "for a threshold of {threshold:.3g} it returns epoch {got}, whose learning rate ({rate:.3g}) is "
            "below the threshold, but so is the rate of the epoch before it ({before:.3g})",
            threshold=threshold,
            got=got,
            rate=rate,
            before=float(learning_rate_for(got - 2)),
        )
    if answers[-1] is not None:
        return _say(
            "for a threshold of {threshold:.3g}, below the learning rate of every one of the EPOCHS epochs, "
            "it returns {got}: it should return None when no epoch of the training goes below the threshold",
            threshold=never,
            got=answers[-1],
        )
    return None


def _is_whole(value) -> bool:
    """An int, a numpy integer or a whole float (not a bool)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, numbers.Real):
        return False
    return float(value).is_integer()


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
