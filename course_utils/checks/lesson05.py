"""Lesson 5's checks (one dense layer in Keras), in the order of the notebook."""

from __future__ import annotations

from .engine import _say, exercise
from .shared import (
    _compile_problem,
    _dense,
    _fit_problem,
    _layers_problem,
    _model_layers,
)


@exercise(
    "lesson05.model",
    1,
    "a Sequential model: an input of 784 pixels and one Dense layer of 10 softmax neurons",
    "keras.Sequential([keras.Input((28 * 28,)), layers.Dense(10, activation='softmax')], name='one_layer')",
)
def _lesson05_model(model):
    problem = _layers_problem(_say("the model"), _model_layers(model), [_dense(10, "softmax")])
    if problem:
        return problem
    shape = tuple(model.input_shape)
    return (
        None
        if shape == (None, 784)
        else _say("the input has shape {shape}, expected (784,)", shape=shape[1:])
    )


@exercise(
    "lesson05.compile",
    2,
    "compile with SGD(LEARNING_RATE), the sparse categorical cross-entropy and the accuracy",
    "model.compile(optimizer=keras.optimizers.SGD(LEARNING_RATE), "
    "loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
)
def _lesson05_compile(model, learning_rate):
    return _compile_problem(model, "SGD", learning_rate)


@exercise(
    "lesson05.fit",
    3,
    "train for EPOCHS epochs on the training pipeline, validating on the validation split, "
    "with callbacks=[PlotTraining(sample_rate=10), timer] and verbose=2",
    "history = model.fit(training_dataset(x_train, y_train, BATCH_SIZE, seed=SEED), "
    "validation_data=evaluation_dataset(x_val, y_val), epochs=EPOCHS, callbacks=[...], verbose=2)",
)
def _lesson05_fit(history, timer, epochs):
    return _fit_problem(history, timer, epochs)
