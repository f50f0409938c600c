"""Lesson 7's checks (learning-rate decay), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _result, _say, exercise
from .shared import (
    _LEARNING_RATE_HINT,
    _LEARNING_RATE_PROMPT,
    _compile_problem,
    _fit_problem,
    _five_dense_layers,
    _layers_problem,
    _learning_rate_for_problem,
    _model_layers,
)


@exercise(
    "lesson07.dense_network",
    1,
    "Dense 200-100-60-30 (ReLU) and 10 (softmax), compiled with Adam(learning_rate)",
    "lesson 6's relu_adam model in keras.Sequential(..., name=name), then network.compile(optimizer="
    "keras.optimizers.Adam(learning_rate), loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
)
def _lesson07_dense_network(dense_network):
    network = _result(dense_network, 0.004, "checked")
    problem = _layers_problem(_say("the network"), _model_layers(network), _five_dense_layers("relu"))
    if problem is None and network.name != "checked":
        return _say("give the model the name passed in: keras.Sequential([...], name=name)")
    if problem is None and getattr(network, "optimizer", None) is None:
        return _say("compile the network before returning it")
    return problem or _compile_problem(network, "Adam", 0.004)


exercise("lesson07.learning_rate_for", 2, _LEARNING_RATE_PROMPT, _LEARNING_RATE_HINT)(
    _learning_rate_for_problem
)


@exercise(
    "lesson07.fit",
    3,
    "the same training, with callbacks=[keras.callbacks.LearningRateScheduler(learning_rate_for), "
    "PlotTraining(sample_rate=10, zoom=2), timer]",
    "history = model.fit(training_dataset(x_train, y_train, BATCH_SIZE, seed=SEED), "
    "validation_data=evaluation_dataset(x_val, y_val), epochs=EPOCHS, callbacks=[...], verbose=2)",
)
def _lesson07_fit(history, timer, epochs, learning_rate_for):
    if problem := _fit_problem(history, timer, epochs):
        return problem
    rates = history.history.get("learning_rate")
    if rates is None:
        return _say("pass keras.callbacks.LearningRateScheduler(learning_rate_for) in callbacks=[...]")
    expected = [learning_rate_for(epoch) for epoch in range(epochs)]
    if not np.allclose(rates, expected, rtol=1e-4):
        return _say(
            "the epochs were trained with learning rates {got}, expected {expected}: "
            "schedule them with LearningRateScheduler(learning_rate_for)",
            got=[float(f"{rate:.3g}") for rate in rates],
            expected=[float(f"{rate:.3g}") for rate in expected],
        )
    return None
