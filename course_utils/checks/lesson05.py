"""Lesson 5's checks (one dense layer in Keras), in the order of the notebook.

Also the Keras checks that lessons 6 and 7 reuse: what a compiled model's loss computes, and which
split a `fit` validated on. They judge what the model does on known inputs, never how it is written.
"""

from __future__ import annotations

import numpy as np

from .engine import _NotDone, _say, exercise


def _probe_images(count: int = 16) -> np.ndarray:
    """Known inputs: `count` rows of 784 pixel values (a fixed generator: the lesson's ones are untouched)."""
    return np.random.default_rng(5).uniform(0, 1, (count, 784)).astype("float32")


def _softmax(scores):
    shifted = np.exp(scores - scores.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _run(model, images) -> tuple[np.ndarray | None, str | None]:
    """(outputs, None) of `model` on `images`, or (None, what is wrong)."""
    if not hasattr(model, "layers"):
        raise _NotDone
    try:
        shape = tuple(model.input_shape)[1:]
    except (AttributeError, ValueError):  # not built yet: a first call builds it for rows of 784 pixels
        try:
            return np.asarray(model(images, training=False)), None
        except Exception:  # noqa: BLE001 (whatever fails, the model cannot read such images)
            return None, _say(
                "the model does not know the size of its input: start it with an input of 784 pixels"
            )
    if shape != (784,):
        return None, _say(
            "the model reads inputs of shape {shape}, but each image here is a row of 784 pixels", shape=shape
        )
    return np.asarray(model(images, training=False)), None


def _outputs_problem(outputs) -> str | None:
    """None if the rows of `outputs` are probabilities of ten digits, else what is wrong."""
    if outputs.shape[1:] != (10,):
        return _say(
            "the model gives {count} numbers per image; a digit classifier gives one per digit, 10",
            count=outputs.shape[1:],
        )
    if outputs.min() < 0 or outputs.max() > 1:
        return _say(
            "the outputs are not probabilities (some are below 0 or above 1): "
            "the last layer must turn its ten scores into probabilities"
        )
    if not np.allclose(outputs.sum(axis=1), 1, atol=1e-4):
        return _say(
            "each output lies between 0 and 1, but the ten of an image do not add up to 1: they should be "
            "the probabilities of ten digits, exactly one of which is right"
        )
    return None


@exercise(
    "lesson05.model",
    1,
    "a model that reads an image as a row of 784 pixels and gives, through one layer of ten neurons, "
    "the probabilities of the ten digits",
    (
        "One layer of ten neurons, one per digit, whose activation turns the ten scores into "
        "probabilities that add up to 1 (see the formula above).",
        "a keras.Sequential model named 'one_layer': a keras.Input of the right shape, then one "
        "layers.Dense layer; choose its number of neurons and its activation",
    ),
)
def _lesson05_model(model):
    images = _probe_images()
    outputs, problem = _run(model, images)
    if problem:
        return problem
    weighted = [layer for layer in model.layers if layer.get_weights()]
    if len(weighted) != 1 or model.count_params() != 784 * 10 + 10:
        return _say(
            "the model has {count} layers with weights and {params} parameters; one layer of ten neurons, "
            "each with a weight per pixel and a bias, has 7,850",
            count=len(weighted),
            params=model.count_params(),
        )
    if problem := _outputs_problem(outputs):
        return problem
    kernel, bias = weighted[0].get_weights()[:2]
    scores = images @ kernel + bias
    if np.allclose(outputs, _softmax(scores), atol=1e-5):
        return None
    if np.allclose(outputs, _softmax(_softmax(scores)), atol=1e-5):
        return _say(
            "the outputs are the softmax of probabilities, not of the layer's scores: "
            "is the softmax applied twice?"
        )
    return _say("the outputs add up to 1 but are not the softmax of the layer's scores")


def _loss_problem(loss) -> str | None:
    """None if `loss` computes the cross-entropy of digit labels and predicted probabilities."""
    import keras

    labels = np.array([3, 0])
    probabilities = _softmax(np.array([[0.5, 0, 0, 2, 0, 0, 0, 0, 0, 0], [1, 0, 3, 0, 0, 0, 0, 0, 0, 0.0]]))
    expected = float(-np.mean(np.log(probabilities[[0, 1], labels])))
    try:
        function = keras.losses.get(loss) if isinstance(loss, str) else loss
        got = float(np.mean(np.asarray(function(labels, probabilities.astype("float32")))))
    except Exception:  # noqa: BLE001 (any failure means the loss does not take digit labels)
        return _say(
            "the loss cannot compare digit labels (0 to 9, one per image) with ten probabilities: "
            "which cross-entropy takes labels that are digits, not one-hot vectors?"
        )
    if np.isclose(got, expected, rtol=1e-4):
        return None
    with np.errstate(divide="ignore"):
        if np.isclose(got, -np.mean(np.log(_softmax(probabilities)[[0, 1], labels])), rtol=1e-4):
            return _say(
                "the loss treats the outputs as scores (logits), but the last layer already gives "
                "probabilities"
            )
    return _say(
        "the loss is not the cross-entropy: for two digits whose predicted probabilities we know it "
        "gives {got:.4f}, the cross-entropy is {expected:.4f}",
        got=got,
        expected=expected,
    )


def _compile_problem(model, optimizer: str, learning_rate: float) -> str | None:
    """None if `model` is compiled with `optimizer` at `learning_rate`, the cross-entropy and the accuracy."""
    if getattr(model, "optimizer", None) is None:
        raise _NotDone
    got = type(model.optimizer).__name__
    if got != optimizer:
        return _say("the optimizer is {got}; this lesson trains with {expected}", got=got, expected=optimizer)
    rate = float(np.asarray(model.optimizer.learning_rate))
    if not np.isclose(rate, learning_rate):
        return _say(
            "the optimizer's learning rate is {got:g}, but this lesson's LEARNING_RATE is {expected:g}",
            got=rate,
            expected=learning_rate,
        )
    if problem := _loss_problem(model.loss):
        return problem
    config = getattr(model, "_compile_config", None)
    metrics = (config.config.get("metrics") if config else None) or []
    names = [metric if isinstance(metric, str) else getattr(metric, "name", "") for metric in metrics]
    if "accuracy" in names:
        return None
    return _say("the model reports no accuracy while training, and the cells below read it from the history")


@exercise(
    "lesson05.compile",
    2,
    "set up training: plain stochastic gradient descent with steps of LEARNING_RATE, the cross-entropy "
    "of the digit labels as the loss, and the accuracy reported",
    (
        "compile takes the optimizer, the loss and the metrics. The labels are digits 0-9, not one-hot "
        "vectors, which decides which cross-entropy to use.",
        "call the model's compile method with optimizer= (an optimizer of keras.optimizers, given the "
        "learning rate), loss= (the name of a loss) and metrics= (a list of names)",
    ),
)
def _lesson05_compile(model, learning_rate):
    return _compile_problem(model, "SGD", learning_rate)


def _scores(model, split) -> tuple[float, float]:
    """(loss, accuracy) of `model` on `split`, an (images, labels) pair."""
    images, labels = split
    scores = model.evaluate(images, labels, batch_size=1000, verbose=0, return_dict=True)
    return float(scores["loss"]), float(scores["accuracy"])


def _fit_problem(history, timer, epochs, validation, test) -> str | None:
    """None if `history` is a fit of `epochs` epochs, timed by `timer`, validated on `validation`.

    Which data a fit validated on is not stored anywhere public, so the check measures it: after `fit`
    the model's weights are those of the last epoch, so evaluating the model on the validation split
    must give the last epoch's `val_loss` and `val_accuracy`. On the test split it gives other numbers,
    unless the fit validated on it. This holds whatever form the data had (arrays, a tf.data pipeline).
    """
    logs = getattr(history, "history", None)
    if not isinstance(logs, dict) or getattr(history, "model", None) is None:
        return _say("history should be what fit returns, got {type}", type=type(history).__name__)
    trained = len(logs.get("loss", []))
    if trained != epochs:
        return _say(
            "fit trained {count} epochs; this lesson trains EPOCHS = {epochs}", count=trained, epochs=epochs
        )
    if "val_accuracy" not in logs:
        return _say(
            "fit measured nothing after each epoch: give it the validation split, to watch the training"
        )
    if len(getattr(timer, "seconds", [])) != epochs:
        return _say("the timer measured no epoch: fit must call it, like PlotTraining")
    last = logs["val_loss"][-1], logs["val_accuracy"][-1]

    def same(scores):
        return np.isclose(scores[0], last[0], rtol=1e-3) and np.isclose(scores[1], last[1], atol=1e-6)

    if same(_scores(history.model, validation)):
        return None
    if same(_scores(history.model, test)):
        return _say(
            "fit validated on the test split. The test split is for one final evaluation, once every choice "
            "is made; watching it during training turns it into one more split we tune on. "
            "Watch the validation split instead"
        )
    return _say(
        "the validation accuracy of the last epoch, {got:.4f}, is not the model's accuracy on the "
        "validation split: which data did fit validate on?",
        got=last[1],
    )


@exercise(
    "lesson05.fit",
    3,
    "train the model for EPOCHS epochs on the training pipeline, watching the validation split after "
    "every epoch, with the live curves (PlotTraining(sample_rate=10)) and the timer, and verbose=2",
    (
        "fit takes the training data, the data to validate on after each epoch, the number of epochs "
        "and the callbacks; it returns the history. Remember which split is for watching the training.",
        "history is what the model's fit method returns; give it the training pipeline of "
        "training_dataset, validation_data=, epochs=, callbacks= (a list) and verbose=2",
    ),
)
def _lesson05_fit(history, timer, epochs, validation, test):
    return _fit_problem(history, timer, epochs, validation, test)
