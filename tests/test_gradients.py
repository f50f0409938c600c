"""course_utils.gradients: the gradient that reaches each layer, for the course's MLP and for Keras models."""

from __future__ import annotations

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")
keras = pytest.importorskip("keras")

from course_utils.gradients import layer_gradient_sizes  # noqa: E402
from course_utils.mlp import MLP, compute_loss  # noqa: E402


def tiny_data(n=64, features=6, classes=3, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, features)).astype(np.float32)
    labels = rng.integers(0, classes, n)
    return x, labels, np.eye(classes, dtype=np.float32)[labels]


def numerical_mean_abs_gradient(model, x, y_one_hot, layer, eps=1e-2):
    """Mean |dL/dw| of one weight matrix by central differences, in float64 arithmetic on the loss."""
    weights = model.weights[layer]
    original = weights.numpy().astype(np.float64)
    gradient = np.zeros_like(original)
    for index in np.ndindex(original.shape):
        values = []
        for step in (eps, -eps):
            moved = original.copy()
            moved[index] += step
            weights.assign(moved.astype(np.float32))
            values.append(float(compute_loss(model, x, y_one_hot)))
        gradient[index] = (values[0] - values[1]) / (2 * eps)
    weights.assign(original.astype(np.float32))
    return float(np.abs(gradient).mean())


def test_an_mlp_gets_one_size_per_weight_matrix_equal_to_a_numerical_gradient():
    x, _, y = tiny_data()
    model = MLP([6, 5, 4, 3], hidden_activation="tanh", initializer="glorot", seed=3)
    sizes = layer_gradient_sizes(model, x, y)
    assert len(sizes) == 3
    for layer, size in enumerate(sizes):
        assert size == pytest.approx(numerical_mean_abs_gradient(model, x, y, layer), rel=0.02)


def test_a_deep_sigmoid_stack_starves_its_first_layer_and_relu_with_he_does_not():
    x, _, y = tiny_data(n=200, features=20, classes=4)
    sigmoid = layer_gradient_sizes(
        MLP([20] + [32] * 6 + [4], hidden_activation="sigmoid", initializer="glorot", seed=0), x, y
    )
    relu = layer_gradient_sizes(
        MLP([20] + [32] * 6 + [4], hidden_activation="relu", initializer="he", seed=0), x, y
    )
    assert sigmoid[0] < sigmoid[-1] / 100  # vanishing: each sigmoid layer multiplies by at most 0.25
    assert relu[0] > relu[-1] / 30
    assert relu[0] > 10 * sigmoid[0]


def test_a_keras_model_uses_its_compiled_loss_and_measures_its_kernels_only():
    x, labels, _ = tiny_data()
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((6,)),
            keras.layers.Dense(5, activation="relu"),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    model.compile(loss="sparse_categorical_crossentropy")
    sizes = layer_gradient_sizes(model, x, labels)
    kernels = [model.layers[0].kernel, model.layers[2].kernel]
    with tf.GradientTape() as tape:
        loss = keras.losses.sparse_categorical_crossentropy(labels, model(x, training=False))
        loss = tf.reduce_mean(loss)
    expected = [float(tf.reduce_mean(tf.abs(g))) for g in tape.gradient(loss, [k.value for k in kernels])]
    assert sizes == pytest.approx(expected, rel=1e-5)
    assert sizes == pytest.approx(layer_gradient_sizes(model, x, labels))  # dropout off: the same every call


def test_bad_models_get_one_clear_message():
    x, labels, y = tiny_data()
    model = keras.Sequential([keras.Input((6,)), keras.layers.Dense(3, activation="softmax")])
    with pytest.raises(ValueError, match="compile model"):
        layer_gradient_sizes(model, x, labels)
    no_weights = keras.Sequential([keras.Input((6,)), keras.layers.Activation("softmax")])
    no_weights.compile(loss="sparse_categorical_crossentropy")
    with pytest.raises(ValueError, match="no layer with weights"):
        layer_gradient_sizes(no_weights, x, labels)
    with pytest.raises(ValueError, match="loss is nan"):
        layer_gradient_sizes(MLP([6, 3], output_activation="tanh", initializer="zeros"), x, y)
