"""Lesson 6's checks (going deep: ReLU and Adam), in the order of the notebook."""

from __future__ import annotations

from .engine import _say, exercise
from .shared import (
    _compile_problem,
    _five_dense_layers,
    _layers_problem,
    _model_layers,
)


@exercise(
    "lesson06.sigmoid_model",
    1,
    "Dense layers of 200, 100, 60 and 30 sigmoid neurons, then 10 softmax neurons",
    "keras.Sequential([keras.Input((28 * 28,)), layers.Dense(200, activation='sigmoid'), ..., "
    "layers.Dense(10, activation='softmax')], name='sigmoid_sgd')",
)
def _lesson06_sigmoid_model(model):
    return _layers_problem(_say("the model"), _model_layers(model), _five_dense_layers("sigmoid"))


@exercise(
    "lesson06.relu_model",
    2,
    "the same five layers with ReLU in the four hidden layers",
    "as sigmoid_model, with activation='relu' in the four hidden layers, and name='relu_adam'",
)
def _lesson06_relu_model(model):
    return _layers_problem(_say("the model"), _model_layers(model), _five_dense_layers("relu"))


@exercise(
    "lesson06.compile",
    3,
    "compile with Adam(LEARNING_RATE), the sparse categorical cross-entropy and the accuracy",
    "model.compile(optimizer=keras.optimizers.Adam(LEARNING_RATE), "
    "loss='sparse_categorical_crossentropy', metrics=['accuracy'])",
)
def _lesson06_compile(model, learning_rate):
    return _compile_problem(model, "Adam", learning_rate)
