"""Comparisons that several lessons' checks share: shapes, compilation and training, the lessons'
parameters and the trained MLPs of lessons 3 and 4.
"""

from __future__ import annotations

import numpy as np

from .engine import ExerciseError, _NotDone, _say


def _wrong_shape(name, value, expected) -> str | None:
    shape = tuple(np.shape(value))
    if shape == tuple(expected):
        return None
    return _say(
        "{name} has shape {shape}, expected {expected}", name=name, shape=shape, expected=tuple(expected)
    )


def _numpy(value):
    return np.asarray(value.numpy() if hasattr(value, "numpy") else value)


def _sigmoid(z):
    return 1 / (1 + np.exp(-z))


def _compile_problem(model, optimizer: str, learning_rate: float) -> str | None:
    if getattr(model, "optimizer", None) is None:
        raise _NotDone
    if type(model.optimizer).__name__ != optimizer:
        return _say(
            "the optimizer is {got}, expected {expected}",
            got=type(model.optimizer).__name__,
            expected=optimizer,
        )
    if not np.isclose(float(model.optimizer.learning_rate), learning_rate):
        return _say(
            "the learning rate is {got:g}, expected {expected:g}",
            got=float(model.optimizer.learning_rate),
            expected=learning_rate,
        )
    if model.loss != "sparse_categorical_crossentropy":
        return _say(
            "the loss is {got!r}, expected 'sparse_categorical_crossentropy' (labels are digits)",
            got=model.loss,
        )
    metrics = getattr(model, "_compile_config", None)
    names = (metrics.config.get("metrics") if metrics else None) or []
    return (
        None if "accuracy" in names else _say("pass metrics=['accuracy'] to see the accuracy while training")
    )


def _fit_problem(history, timer, epochs) -> str | None:
    values = getattr(history, "history", {})
    if len(values.get("val_accuracy", [])) != epochs:
        return _say(
            "fit recorded {count} validation epochs, expected {epochs}",
            count=len(values.get("val_accuracy", [])),
            epochs=epochs,
        )
    if len(timer.seconds) != epochs:
        return _say("the timer measured no epoch: pass it to fit in callbacks=[...]")
    return None


def _trained_mlp_problem(model, history, sizes, activation, initializer, settings) -> str | None:
    """None if the MLP and its training (train's settings) are the ones the exercise asks for."""
    if not hasattr(model, "sizes") or not hasattr(model, "initializer_name"):
        return _say("model should be an MLP, got {type}", type=type(model).__name__)
    built = {"sizes": model.sizes, "hidden_activation": model.hidden_activation_name}
    built |= {"initializer": model.initializer_name, "seed": model.seed}
    wanted = {
        "sizes": sizes,
        "hidden_activation": activation,
        "initializer": initializer,
        "seed": settings["seed"],
    }
    for key, value in wanted.items():
        if built[key] != value:
            return _say(
                "build the MLP with {key}={expected!r}, not {got!r}", key=key, expected=value, got=built[key]
            )
    if not hasattr(history, "settings"):
        return _say("history should be what train(...) returns, got {type}", type=type(history).__name__)
    for key, value in settings.items():
        if history.settings.get(key) != value:
            got = history.settings.get(key)
            return _say("train with {key}={expected!r}, not {got!r}", key=key, expected=value, got=got)
    if "val_accuracy" not in history.history:
        return _say("pass validation_data=(x_val, y_val) to train")
    return None


def _lesson_parameters(*names) -> list:
    """The lesson's parameters, as its check_parameters cell last accepted them."""
    from ..parameters import CHECKED

    missing = [name for name in names if name not in CHECKED]
    if missing:
        names = ", ".join(missing)
        raise ExerciseError(_say("run the parameters cells first: this check needs {names}", names=names))
    return [CHECKED[name] for name in names]
