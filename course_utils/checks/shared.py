"""Comparisons that several lessons' checks share: shapes, Keras layers, compilation and training,
the learning-rate schedule, the test evaluation and the trained MLPs of lessons 3 and 4.
"""

from __future__ import annotations

import numpy as np

from .engine import ExerciseError, _NotDone, _result, _say


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


_LAYER_KEYS = ("units", "filters", "kernel_size", "strides", "padding", "activation", "rate", "use_bias")


def _layer_summary(layer) -> tuple:
    """A layer's class and the parts of its configuration the exercises ask for."""
    config = layer.get_config()
    parts = [type(layer).__name__]
    for key in _LAYER_KEYS:
        if key in config and not (key == "use_bias" and config[key]):
            value = config[key]
            parts.append(f"{key}={tuple(value) if isinstance(value, list) else value}")
    if type(layer).__name__ == "BatchNormalization":
        parts.append(f"scale={config['scale']}")
    return tuple(parts)


def _layers_problem(what: str, layers, expected: list[tuple]) -> str | None:
    """None if `layers` match `expected` (summaries of layers), else the first difference."""
    try:
        got = [_layer_summary(layer) for layer in layers]
    except (AttributeError, TypeError):
        return _say(
            "{what} should be a list of Keras layers, got {type}", what=what, type=type(layers).__name__
        )
    if len(got) != len(expected):
        return _say(
            "{what} has {count} layers, expected {expected}: {classes}",
            what=what,
            count=len(got),
            expected=len(expected),
            classes=[g[0] for g in got],
        )
    for position, (have, want) in enumerate(zip(got, expected, strict=True), start=1):
        if have != want:
            return _say(
                "layer {position} of {what} is {have}, expected {want}",
                position=position,
                what=what,
                have=" ".join(have),
                want=" ".join(want),
            )
    return None


def _dense(units, activation) -> tuple:
    return ("Dense", f"units={units}", f"activation={activation}")


def _model_layers(model) -> list:
    if not hasattr(model, "layers"):
        raise _NotDone
    return [layer for layer in model.layers if type(layer).__name__ != "InputLayer"]


def _conv(filters, kernel, strides=1, activation="relu", bias=True) -> tuple:
    parts = [
        "Conv2D",
        f"filters={filters}",
        f"kernel_size={(kernel, kernel)}",
        f"strides={(strides, strides)}",
    ]
    return (*parts, "padding=same", f"activation={activation}", *(() if bias else ("use_bias=False",)))


_SIZES = (200, 100, 60, 30)


def _five_dense_layers(activation: str) -> list[tuple]:
    """Lesson 6's layers: 200-100-60-30 with `activation`, then 10 softmax neurons."""
    return [*(_dense(size, activation) for size in _SIZES), _dense(10, "softmax")]


def _dense_dropout(sizes, rate) -> list[tuple]:
    return [layer for size in sizes for layer in (_dense(size, "relu"), ("Dropout", f"rate={rate}"))]


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


def _learning_rate_for_problem(learning_rate_for, learning_rate, decay):
    rates = [_result(learning_rate_for, epoch) for epoch in (0, 1, 3)]
    expected = [learning_rate * decay**epoch for epoch in (0, 1, 3)]
    if np.allclose(rates, expected):
        return None
    if np.isclose(rates[0], learning_rate * decay):
        return _say("epochs count from 0: the first epoch uses LEARNING_RATE itself")
    return _say(
        "epochs 0, 1, 3 get {got}, expected {expected}",
        got=", ".join(f"{rate:.3g}" for rate in rates),
        expected=", ".join(f"{rate:.3g}" for rate in expected),
    )


_LEARNING_RATE_PROMPT = (
    "the learning rate of epoch `epoch` (0, 1, ...): LEARNING_RATE times LR_DECAY to the power epoch"
)
_LEARNING_RATE_HINT = "return LEARNING_RATE * LR_DECAY**epoch"


def _test_evaluation_problem(model, test_loss, test_accuracy, x_test, y_test) -> str | None:
    from ..pipelines import evaluation_dataset

    loss, accuracy = model.evaluate(evaluation_dataset(x_test, y_test), verbose=0)
    got = float(_numpy(test_loss)), float(_numpy(test_accuracy))
    if np.isclose(got[0], accuracy, atol=1e-4) and np.isclose(got[1], loss, rtol=1e-3):
        return _say("evaluate returns the loss first, then the accuracy: test_loss, test_accuracy = ...")
    if np.isclose(got[0], loss, rtol=1e-3) and np.isclose(got[1], accuracy, atol=1e-4):
        return None
    return _say(
        "test_loss, test_accuracy are {loss:.4f}, {accuracy:.4f}, but the model scores "
        "{expected_loss:.4f}, {expected_accuracy:.4f} on the test split: "
        "model.evaluate(evaluation_dataset(x_test, y_test), verbose=0)",
        loss=got[0],
        accuracy=got[1],
        expected_loss=loss,
        expected_accuracy=accuracy,
    )


_TEST_HINT = "test_loss, test_accuracy = model.evaluate(evaluation_dataset(x_test, y_test), verbose=0)"


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
