"""A small multilayer perceptron and its low-level TensorFlow training loop, built step by step in lesson 2.

Lesson 2 writes these lines cell by cell (``tf.Variable``, ``tf.GradientTape``, ``tf.function``, plain
SGD); lessons 3 and 4 reuse them from here to compare activation functions and weight initialisers.
No Keras layers: the model is a list of weight matrices and bias vectors.

    model = MLP([784, 200, 10], hidden_activation="sigmoid", initializer="truncated_normal")
    history = train(model, x_train, y_train, epochs=10, batch_size=100, learning_rate=0.5,
                    validation_data=(x_val, y_val))
    test_loss, test_accuracy = evaluate(model, x_test, y_test)

A NaN loss never raises: training stops at the end of that epoch and ``history.stopped_on_nan`` is
True, with ``history.message`` saying when it happened.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

import keras
import numpy as np
import tensorflow as tf

from course_utils.i18n import translated

ACTIVATIONS: dict[str, Callable | None] = {
    "sigmoid": tf.nn.sigmoid,
    "tanh": tf.nn.tanh,
    "relu": tf.nn.relu,
    "leaky_relu": lambda z: tf.nn.leaky_relu(z, alpha=0.1),  # same slope as course_utils.plots
    "elu": tf.nn.elu,
    "softmax": tf.nn.softmax,
    "linear": None,
}
LOSSES = ("cross_entropy", "mse")


def make_initializer(name, seed: int | None = None) -> Callable:
    """A function ``shape -> float32 tensor`` for an initialiser name, a number (constant) or a callable.

    Names: ``zeros``, ``ones``, ``normal`` (mean 0, std 0.01), ``truncated_normal`` (std 0.1),
    ``glorot`` (Glorot/Xavier normal), ``he`` (He normal).
    """
    if callable(name):
        return name
    if isinstance(name, (int, float)) and not isinstance(name, bool):
        return lambda shape: tf.fill(shape, tf.constant(float(name), tf.float32))
    factories = {
        "zeros": lambda: keras.initializers.Zeros(),
        "ones": lambda: keras.initializers.Ones(),
        "normal": lambda: keras.initializers.RandomNormal(stddev=0.01, seed=seed),
        "truncated_normal": lambda: keras.initializers.TruncatedNormal(stddev=0.1, seed=seed),
        "glorot": lambda: keras.initializers.GlorotNormal(seed=seed),
        "he": lambda: keras.initializers.HeNormal(seed=seed),
    }
    if name not in factories:
        raise ValueError(
            translated(
                "mlp", "unknown initializer {name!r}; choose from {choices}, a number or a callable"
            ).format(name=name, choices=sorted(factories))
        )
    initializer = factories[name]()
    return lambda shape: tf.convert_to_tensor(initializer(shape, dtype="float32"))


def _activation(name) -> Callable | None:
    if name is None or callable(name):
        return name
    if name not in ACTIVATIONS:
        raise ValueError(
            translated("mlp", "unknown activation {name!r}; choose from {choices} or a callable").format(
                name=name, choices=sorted(ACTIVATIONS)
            )
        )
    return ACTIVATIONS[name]


class MLP(tf.Module):
    """Dense layers ``sizes[0] -> ... -> sizes[-1]`` as ``tf.Variable``s: ``weights[i]``, ``biases[i]``.

    Hidden layers use ``hidden_activation``; the last layer ``output_activation``. ``initializer`` and
    ``bias_initializer`` are names for :func:`make_initializer`, numbers or callables; the weights of
    layer ``i + 1`` are drawn with ``seed + i``.
    """

    def __init__(
        self,
        sizes: Sequence[int],
        hidden_activation="sigmoid",
        output_activation="softmax",
        initializer="truncated_normal",
        bias_initializer="zeros",
        seed: int = 0,
    ):
        super().__init__()
        if len(sizes) < 2 or any(int(n) < 1 for n in sizes):
            raise ValueError(
                translated(
                    "mlp", "sizes needs at least an input and an output size, all positive; got {sizes}"
                ).format(sizes=sizes)
            )
        self.sizes = [int(n) for n in sizes]
        self.hidden_activation = _activation(hidden_activation)
        self.output_activation = _activation(output_activation)
        self.output_activation_name = output_activation if isinstance(output_activation, str) else None
        self.hidden_activation_name = hidden_activation if isinstance(hidden_activation, str) else None
        self.initializer_name = initializer if isinstance(initializer, str) else None
        self.seed = seed
        self.weights, self.biases = [], []
        for i, (n_in, n_out) in enumerate(zip(self.sizes[:-1], self.sizes[1:], strict=True)):
            w_init = make_initializer(initializer, seed=seed + i)  # layer i + 1 draws with seed + i
            b_init = make_initializer(bias_initializer, seed=seed + 1000 + i)
            self.weights.append(tf.Variable(w_init((n_in, n_out)), name=f"W{i + 1}"))
            self.biases.append(tf.Variable(b_init((n_out,)), name=f"b{i + 1}"))

    @property
    def variables_to_train(self) -> list[tf.Variable]:
        """Weights and biases, layer by layer: W1, b1, W2, b2, ..."""
        return [v for pair in zip(self.weights, self.biases, strict=True) for v in pair]

    def logits(self, x) -> tf.Tensor:
        """The last layer's weighted sums, before the output activation."""
        h = tf.convert_to_tensor(x, tf.float32)
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            h = h @ w + b
            if self.hidden_activation is not None:
                h = self.hidden_activation(h)
        return h @ self.weights[-1] + self.biases[-1]

    def hidden(self, x) -> list[tf.Tensor]:
        """The activations of every hidden layer (to look for saturated or dead units)."""
        h, outputs = tf.convert_to_tensor(x, tf.float32), []
        for w, b in zip(self.weights[:-1], self.biases[:-1], strict=True):
            h = h @ w + b
            if self.hidden_activation is not None:
                h = self.hidden_activation(h)
            outputs.append(h)
        return outputs

    def __call__(self, x) -> tf.Tensor:
        z = self.logits(x)
        return z if self.output_activation is None else self.output_activation(z)


def compute_loss(model: MLP, x, y_true, loss: str = "cross_entropy") -> tf.Tensor:
    """Mean loss over a batch; ``y_true`` is one-hot.

    ``cross_entropy`` is ``-sum(y * log(outputs))``, as written on paper: with a softmax output it is
    computed from the logits (same value, no ``log(0)``); with any other output it takes the log of
    the outputs as they are, so an output <= 0 gives NaN, which is the point of lesson 3.
    ``mse`` is the mean squared difference between outputs and one-hot labels.
    """
    return _loss_and_outputs(model, x, y_true, loss)[0]


def _loss_and_outputs(model: MLP, x, y_true, loss: str):
    logits = model.logits(x)
    outputs = logits if model.output_activation is None else model.output_activation(logits)
    if loss == "cross_entropy":
        if model.output_activation_name == "softmax":
            return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(y_true, logits)), outputs
        return tf.reduce_mean(-tf.reduce_sum(y_true * tf.math.log(outputs), axis=1)), outputs
    if loss == "mse":
        return tf.reduce_mean(tf.square(outputs - y_true)), outputs
    raise ValueError(
        translated("mlp", "unknown loss {loss!r}; choose from {choices}").format(loss=loss, choices=LOSSES)
    )


def _accuracy(outputs, y_true) -> tf.Tensor:
    hits = tf.equal(tf.argmax(outputs, axis=1), tf.argmax(y_true, axis=1))
    return tf.reduce_mean(tf.cast(hits, tf.float32))


def evaluate(
    model: MLP, x, y_true, loss: str = "cross_entropy", batch_size: int = 5000
) -> tuple[float, float]:
    """``(mean loss, accuracy)`` of the model on a whole set, in batches; labels one-hot."""
    x, y_true = np.asarray(x, np.float32), np.asarray(y_true, np.float32)
    total_loss, total_hits = 0.0, 0.0
    for start in range(0, len(x), batch_size):
        xb, yb = x[start : start + batch_size], y_true[start : start + batch_size]
        batch_loss, outputs = _loss_and_outputs(model, xb, yb, loss)
        total_loss += float(batch_loss) * len(xb)
        total_hits += float(_accuracy(outputs, yb)) * len(xb)
    return total_loss / len(x), total_hits / len(x)


class TrainingHistory:
    """Per-epoch ``loss``, ``accuracy`` (and ``val_loss``, ``val_accuracy``) in ``.history``.

    Works with ``course_utils.plots.plot_history``. ``stopped_on_nan`` tells whether training stopped
    on a NaN loss, ``message`` says what happened, ``seconds`` holds each epoch's wall time,
    ``settings`` the arguments of the ``train`` call (epochs, batch_size, learning_rate, loss, seed).
    """

    def __init__(self, **settings):
        self.settings = settings
        self.history: dict[str, list[float]] = {"loss": [], "accuracy": []}
        self.seconds: list[float] = []
        self.stopped_on_nan = False
        self.message = ""

    @property
    def epochs(self) -> int:
        """How many epochs were run."""
        return len(self.history["loss"])

    @property
    def seconds_per_epoch(self) -> float:
        """Median epoch time in seconds (the first epoch also traces the graph)."""
        if not self.seconds:
            raise RuntimeError(translated("mlp", "no epoch has been run"))
        return sorted(self.seconds)[len(self.seconds) // 2]

    def __repr__(self) -> str:
        return f"TrainingHistory(epochs={self.epochs}, stopped_on_nan={self.stopped_on_nan})"


def train(
    model: MLP,
    x_train,
    y_train,
    *,
    epochs: int,
    batch_size: int,
    learning_rate: float,
    loss: str = "cross_entropy",
    validation_data=None,
    seed: int = 0,
    verbose: bool = True,
) -> TrainingHistory:
    """Mini-batch SGD: shuffle each epoch (seeded), one gradient step per batch, metrics per epoch.

    Training loss and accuracy are the means over the epoch's batches; validation metrics are
    measured after each epoch. Stops, without raising, after an epoch whose loss is NaN or infinite.
    """
    if loss not in LOSSES:
        raise ValueError(
            translated("mlp", "unknown loss {loss!r}; choose from {choices}").format(
                loss=loss, choices=LOSSES
            )
        )
    if epochs < 1 or batch_size < 1 or not learning_rate > 0:
        raise ValueError(translated("mlp", "epochs and batch_size must be >= 1 and learning_rate > 0"))
    x_train, y_train = np.asarray(x_train, np.float32), np.asarray(y_train, np.float32)
    if y_train.ndim != 2:
        raise ValueError(translated("mlp", "y_train must be one-hot: load_mnist(..., one_hot=True)"))
    variables = model.variables_to_train

    @tf.function
    def train_step(xb, yb):
        with tf.GradientTape() as tape:
            batch_loss, outputs = _loss_and_outputs(model, xb, yb, loss)
        gradients = tape.gradient(batch_loss, variables)
        for variable, gradient in zip(variables, gradients, strict=True):
            variable.assign_sub(learning_rate * gradient)
        return batch_loss, _accuracy(outputs, yb)  # accuracy before the step, like the loss

    settings = dict(epochs=epochs, batch_size=batch_size, learning_rate=learning_rate, loss=loss, seed=seed)
    history, rng = TrainingHistory(**settings), np.random.default_rng(seed)
    if validation_data is not None:
        history.history.update(val_loss=[], val_accuracy=[])
    n = len(x_train)
    for epoch in range(1, epochs + 1):
        start = time.perf_counter()
        order = rng.permutation(n)
        losses, accuracies = [], []
        for first in range(0, n, batch_size):
            batch = order[first : first + batch_size]
            batch_loss, batch_accuracy = train_step(x_train[batch], y_train[batch])
            losses.append(batch_loss)
            accuracies.append(batch_accuracy)
        epoch_loss, epoch_accuracy = float(tf.reduce_mean(losses)), float(tf.reduce_mean(accuracies))
        history.seconds.append(time.perf_counter() - start)
        history.history["loss"].append(epoch_loss)
        history.history["accuracy"].append(epoch_accuracy)
        fields = dict(epoch=epoch, epochs=epochs, loss=epoch_loss, accuracy=epoch_accuracy)
        line = translated("mlp", "epoch {epoch}/{epochs}: loss {loss:.4f}, accuracy {accuracy:.4f}")
        if validation_data is not None:
            val_loss, val_accuracy = evaluate(model, *validation_data, loss=loss)
            history.history["val_loss"].append(val_loss)
            history.history["val_accuracy"].append(val_accuracy)
            fields.update(val_loss=val_loss, val_accuracy=val_accuracy)
            line = translated(
                "mlp",
                "epoch {epoch}/{epochs}: loss {loss:.4f}, accuracy {accuracy:.4f}, "
                "val_loss {val_loss:.4f}, val_accuracy {val_accuracy:.4f}",
            )
        line = line.format(**fields)
        if verbose:
            print(line)
        if not math.isfinite(epoch_loss):
            history.stopped_on_nan = True
            history.message = translated(
                "mlp", "stopped after epoch {epoch}: the training loss is {loss}"
            ).format(epoch=epoch, loss=epoch_loss)
            if verbose:
                print(history.message)
            break
    if not history.message:
        if history.epochs == 1:
            history.message = translated("mlp", "trained 1 epoch, loss finite")
        else:
            history.message = translated("mlp", "trained {epochs} epochs, loss finite").format(
                epochs=history.epochs
            )
    return history
