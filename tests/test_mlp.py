"""course_utils.mlp on tiny data: shapes, initialisers, learning, and a NaN loss that stops cleanly."""

from __future__ import annotations

import numpy as np
import pytest

tf = pytest.importorskip("tensorflow")

from course_utils.mlp import MLP, compute_loss, evaluate, make_initializer, train  # noqa: E402
from course_utils.plots import plot_history  # noqa: E402


def tiny_data(n=120, seed=0):
    """Two well-separated classes in 4 dimensions, one-hot labels."""
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 2, n)
    x = rng.normal(size=(n, 4)).astype(np.float32) + 2.0 * labels[:, None]
    return x, np.eye(2, dtype=np.float32)[labels]


def test_shapes_and_variables():
    model = MLP([4, 8, 3, 2], hidden_activation="relu")
    assert [tuple(w.shape) for w in model.weights] == [(4, 8), (8, 3), (3, 2)]
    assert len(model.variables_to_train) == 6
    x, _ = tiny_data(5)
    out = model(x).numpy()
    assert out.shape == (5, 2)
    np.testing.assert_allclose(out.sum(axis=1), 1, rtol=1e-5)  # softmax rows
    assert [h.shape[1] for h in model.hidden(x)] == [8, 3]


def test_initializers_are_seeded_and_constant_ones_are_constant():
    a, b = MLP([4, 8, 2], initializer="glorot", seed=3), MLP([4, 8, 2], initializer="glorot", seed=3)
    np.testing.assert_array_equal(a.weights[0].numpy(), b.weights[0].numpy())
    assert np.all(MLP([4, 8, 2], initializer="ones").weights[0].numpy() == 1)
    assert np.all(make_initializer(0.5)((2, 3)).numpy() == 0.5)
    with pytest.raises(ValueError, match="unknown initializer"):
        make_initializer("bogus")
    with pytest.raises(ValueError, match="unknown activation"):
        MLP([4, 2], hidden_activation="bogus")


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_training_learns_tiny_problem(loss):
    x, y = tiny_data()
    model = MLP([4, 8, 2], hidden_activation="tanh", initializer="glorot")
    history = train(
        model,
        x,
        y,
        epochs=15,
        batch_size=20,
        learning_rate=0.5,
        loss=loss,
        validation_data=(x, y),
        verbose=False,
    )
    assert history.epochs == 15 and not history.stopped_on_nan
    assert history.history["loss"][-1] < history.history["loss"][0]
    assert evaluate(model, x, y, loss=loss)[1] > 0.9
    assert history.seconds_per_epoch > 0
    plot_history(history)  # works with the course's plotting helper


def test_softmax_cross_entropy_matches_the_formula():
    x, y = tiny_data(10)
    model = MLP([4, 2], initializer="glorot")
    by_formula = -np.mean(np.sum(y * np.log(model(x).numpy()), axis=1))
    assert float(compute_loss(model, x, y)) == pytest.approx(by_formula, rel=1e-5)


def test_nan_loss_stops_cleanly(capsys):
    x, y = tiny_data()
    # tanh output with zero weights and bias: outputs 0, log(0) = -inf, 0 * -inf = NaN
    model = MLP([4, 2], output_activation="tanh", initializer="zeros", bias_initializer="zeros")
    history = train(model, x, y, epochs=5, batch_size=20, learning_rate=0.1, validation_data=(x, y))
    assert history.stopped_on_nan
    assert history.epochs == 1
    assert "NaN" in history.message or "nan" in history.message
    assert "stopped" in capsys.readouterr().out
    assert np.isnan(evaluate(model, x, y)[0])


def test_rejects_bad_arguments():
    x, y = tiny_data(10)
    with pytest.raises(ValueError, match="one-hot"):
        train(MLP([4, 2]), x, y.argmax(axis=1), epochs=1, batch_size=5, learning_rate=0.1)
    with pytest.raises(ValueError, match="unknown loss"):
        train(MLP([4, 2]), x, y, epochs=1, batch_size=5, learning_rate=0.1, loss="hinge")


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
@pytest.mark.parametrize("batch_size", [5, 7, 23, 100])
def test_evaluate_on_uneven_batches_matches_a_direct_computation(loss, batch_size):
    x, y = tiny_data(23, seed=1)  # 23 examples: the last batch is smaller than the others
    model = MLP([4, 3, 2], hidden_activation="tanh", initializer="glorot", seed=2)
    outputs = model(x).numpy().astype(np.float64)
    if loss == "cross_entropy":
        expected_loss = np.mean(-np.sum(y * np.log(outputs), axis=1))
    else:
        expected_loss = np.mean((outputs - y) ** 2)
    expected_accuracy = np.mean(outputs.argmax(axis=1) == y.argmax(axis=1))
    assert 0 < expected_accuracy < 1  # a model that is neither always right nor always wrong
    mean_loss, accuracy = evaluate(model, x, y, loss=loss, batch_size=batch_size)
    assert mean_loss == pytest.approx(expected_loss, rel=1e-5)
    assert accuracy == pytest.approx(expected_accuracy, abs=1e-6)  # float32 batch means
