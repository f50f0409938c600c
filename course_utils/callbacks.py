"""PlotTraining: a Keras callback that draws the training curves while a model trains."""

from __future__ import annotations

import math
import os
import time

import keras
import matplotlib.pyplot as plt

from course_utils.i18n import translated
from course_utils.plots import epoch_axis, focus_loss_axis, metric_name  # importing plots applies the style
from course_utils.style import figure_width


def _live_display() -> bool:
    """True in a Jupyter kernel with a front end (JupyterLab, Colab); False under the runner or a script."""
    if os.environ.get("COURSE_UTILS_STATIC_PLOTS") == "1":
        return False
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None:
        return False
    try:
        from ipykernel.zmqshell import ZMQInteractiveShell
    except ImportError:
        return False
    return isinstance(shell, ZMQInteractiveShell)  # JupyterLab's shell, or a subclass such as Colab's


class PlotTraining(keras.callbacks.Callback):
    """Draw loss and metrics: training values batch by batch, validation values every epoch.

    Keras reports the training metrics as running means since the start of the epoch; this callback
    turns them back into each batch's own value (``v_k = k * m_k - (k - 1) * m_(k-1)`` for the running
    means ``m``), and each training point is the mean of the ``sample_rate`` batches since the previous
    point, so the curve has no jumps at epoch boundaries. The x axis counts epochs: 1 is the end of the
    first epoch, where its validation point sits.

    In Jupyter the figure updates in place (no widgets, no JavaScript), once it has a few points. Under
    the course runner (``COURSE_UTILS_STATIC_PLOTS=1``) or in a script, one static figure is drawn at
    the end; it is kept in ``self.figure``. ``zoom > 1`` narrows each panel to the last ``1/zoom`` of
    the training, where the interesting differences are.
    """

    MIN_LIVE_POINTS = 3  # a live frame waits for this many training points per curve

    def __init__(self, sample_rate: int = 10, zoom: float = 1, live: bool | None = None, redraw_seconds=1.0):
        super().__init__()
        if not isinstance(sample_rate, int) or sample_rate < 1:
            raise ValueError(
                translated(
                    "callbacks", "sample_rate must be a positive integer (batches), got {sample_rate!r}"
                ).format(sample_rate=sample_rate)
            )
        if not zoom >= 1:
            raise ValueError(
                translated(
                    "callbacks", "zoom must be >= 1 (1 shows the whole training), got {zoom!r}"
                ).format(zoom=zoom)
            )
        self.sample_rate, self.zoom, self.redraw_seconds = sample_rate, zoom, redraw_seconds
        self.live = _live_display() if live is None else live
        self.figure = None
        self._handle = None

    # -- collecting ------------------------------------------------------------------------------
    def on_train_begin(self, logs=None):
        self.batch_points: dict[str, list[tuple[float, float]]] = {}
        self.epoch_points: dict[str, list[tuple[float, float]]] = {}
        self._window: dict[str, list[float]] = {}
        self._step, self._steps_per_epoch = 0, self.params.get("steps")
        self._epoch, self._last_draw = 0, None  # no frame yet: the first may come at once

    def on_epoch_begin(self, epoch, logs=None):
        self._epoch, self._batch_in_epoch = epoch, 0
        self._running_means: dict[str, float] = {}

    def on_train_batch_end(self, batch, logs=None):
        self._step += 1
        self._batch_in_epoch += 1
        k = self._batch_in_epoch
        for name, mean in (logs or {}).items():
            if self._plottable(name, mean):
                mean = float(mean)
                value = k * mean - (k - 1) * self._running_means.get(name, 0.0)
                self._running_means[name] = mean
                self._window.setdefault(name, []).append(value)
        if self._step % self.sample_rate:
            return
        x = self._x_position()
        for name, values in self._window.items():
            self.batch_points.setdefault(name, []).append((x, sum(values) / len(values)))
        self._window = {}
        if self.live and self._enough_points() and self._redraw_due():
            self._draw()

    def on_epoch_end(self, epoch, logs=None):
        if not self._steps_per_epoch:
            self._steps_per_epoch = self._batch_in_epoch
        for name, value in (logs or {}).items():
            if name.startswith("val_") and self._plottable(name, value):
                self.epoch_points.setdefault(name, []).append((epoch + 1.0, float(value)))
        if self.live and self._enough_points():
            self._draw()

    def on_train_end(self, logs=None):
        self._draw()
        if not self.live and self._in_ipython():
            from IPython.display import display

            display(self.figure)

    # -- drawing ---------------------------------------------------------------------------------
    def _x_position(self) -> float:
        if self._steps_per_epoch:
            return self._epoch + self._batch_in_epoch / self._steps_per_epoch
        return float(self._epoch + 1)  # first epoch of unknown length: place samples at its end

    def _redraw_due(self) -> bool:
        """True when no frame was drawn yet, or the last one is over `redraw_seconds` old.

        Only differences of `time.monotonic()` are used: its zero is arbitrary (the machine's boot).
        """
        return self._last_draw is None or time.monotonic() - self._last_draw > self.redraw_seconds

    def _enough_points(self) -> bool:
        return any(len(points) >= self.MIN_LIVE_POINTS for points in self.batch_points.values())

    @staticmethod
    def _plottable(name, value) -> bool:
        return name not in ("learning_rate", "lr") and (
            isinstance(value, (int, float)) or hasattr(value, "item")
        )

    @staticmethod
    def _in_ipython() -> bool:
        try:
            from IPython import get_ipython
        except ImportError:
            return False
        return get_ipython() is not None

    def metric_names(self) -> list[str]:
        """Metric names in panel order: loss first, then the model's other metrics."""
        names = {n.removeprefix("val_") for n in [*self.batch_points, *self.epoch_points]}
        return sorted(names, key=lambda n: (n != "loss", n))

    def _draw(self) -> None:
        names = self.metric_names()
        if not names:
            return
        if self.figure is None or len(self.figure.axes) != len(names):
            self.figure, _ = plt.subplots(
                1, len(names), figsize=(figure_width(4.8, len(names)), 3.8), squeeze=False
            )
            plt.close(self.figure)  # shown by display() only, never twice
        x_max = self._x_max()
        start = x_max * (1 - 1 / self.zoom)
        right = x_max + 0.03 * (x_max - start)  # room for the last validation marker
        for ax, name in zip(self.figure.axes, names, strict=False):
            ax.clear()
            series = [
                # two cues each: colour, and a thin solid line vs. a thick dashed line with dots
                (self.batch_points.get(name, []), self._training_label(), dict(ls="-", lw=1, alpha=0.8)),
                (
                    self.epoch_points.get("val_" + name, []),
                    translated("callbacks", "validation"),
                    dict(ls="--", marker="o", lw=2),
                ),
            ]
            for points, label, style in series:
                if points:
                    xs, ys = zip(*points, strict=True)
                    ax.plot(xs, ys, label=label, **style)
            ax.set_title(metric_name(name))
            epoch_axis(ax)
            ax.grid(True, alpha=0.3)
            ax.legend(loc="best")
            visible = [y for points, _, _ in series for x, y in points if x >= start]
            if self.zoom > 1 and visible:
                lo, hi = min(visible), max(visible)
                pad = (hi - lo) * 0.05 or 0.01
                ax.set_ylim(lo - pad, hi + pad)
            elif name.endswith("loss"):
                every = [y for points, _, _ in series for _, y in points]
                focus_loss_axis(ax, [y for points, _, _ in series for x, y in points if x > 1], every)
            ax.set_xlim(start, right)
        self.figure.tight_layout()
        if self.live:
            from IPython.display import display

            if self._handle is None:
                self._handle = display(self.figure, display_id=True)
            else:
                self._handle.update(self.figure)
        self._last_draw = time.monotonic()

    def _training_label(self) -> str:
        if self.sample_rate == 1:
            return translated("callbacks", "training (each batch)")
        return translated("callbacks", "training (mean of {batches} batches)").format(
            batches=self.sample_rate
        )

    def _x_max(self) -> float:
        """The last x drawn (`_draw` runs only once there is a point)."""
        return max(p[0] for pts in [*self.batch_points.values(), *self.epoch_points.values()] for p in pts)


class NanLossError(ArithmeticError):
    """Training stopped because the loss became NaN (or infinite); the message says what to try."""


class EpochTimer(keras.callbacks.Callback):
    """Measure the wall time of each training epoch (``seconds``; ``seconds_per_epoch`` is the median).

    It also stops training at the first NaN loss with a NanLossError: a model whose weights blew
    up must not go on to be evaluated as if it had trained.
    """

    def __init__(self):
        super().__init__()
        self.seconds: list[float] = []

    def on_train_begin(self, logs=None):
        self.seconds = []

    def on_epoch_begin(self, epoch, logs=None):
        self._start = time.perf_counter()
        self._epoch = epoch

    def on_train_batch_end(self, batch, logs=None):
        __tracebackhide__ = True  # IPython shows the message, not this frame
        loss = (logs or {}).get("loss")
        if loss is not None and not math.isfinite(float(loss)):
            self.model.stop_training = True
            raise NanLossError(self._nan_message(batch, float(loss))) from None

    def _nan_message(self, batch: int, loss: float) -> str:
        rate = getattr(getattr(self.model, "optimizer", None), "learning_rate", None)
        try:
            rate = f"{float(keras.ops.convert_to_numpy(rate)):g}"
        except (TypeError, ValueError):
            rate = None
        fields = dict(loss=loss, epoch=self._epoch + 1, batch=batch + 1, rate=rate)
        if rate:
            message = translated(
                "callbacks",
                "the loss became {loss} in epoch {epoch}, batch {batch}: the weights blew up "
                "and training stopped. Try a learning rate ten times smaller than {rate} "
                "(LEARNING_RATE in the parameters cell), then run the notebook again.",
            )
        else:
            message = translated(
                "callbacks",
                "the loss became {loss} in epoch {epoch}, batch {batch}: the weights blew up "
                "and training stopped. Try a learning rate ten times smaller (LEARNING_RATE in the "
                "parameters cell), then run the notebook again.",
            )
        return message.format(**fields)

    def on_epoch_end(self, epoch, logs=None):
        self.seconds.append(time.perf_counter() - self._start)

    @property
    def seconds_per_epoch(self) -> float:
        """Median epoch time in seconds (robust to the slower first epoch, which traces the graph)."""
        if not self.seconds:
            raise RuntimeError(
                translated(
                    "callbacks",
                    "no epoch has been timed yet: pass the EpochTimer to model.fit(callbacks=[...])",
                )
            )
        ordered = sorted(self.seconds)
        return ordered[len(ordered) // 2]


class ActivationRecorder(keras.callbacks.Callback):
    """Record a named layer's outputs on a fixed batch of images before training and after every epoch.

    ``activations`` maps an epoch (0: before training, then 1, 2, …) to a numpy array of the layer's
    outputs for ``images``; ``course_utils.distribution_plots.plot_activation_distributions`` draws it.
    The layer runs in inference mode (``training=False``: batch norm uses its moving statistics,
    dropout is off), so recording changes nothing in the model. ``every=k`` records every k-th epoch.
    """

    def __init__(self, layer_name: str, images, every: int = 1):
        super().__init__()
        if not isinstance(every, int) or every < 1:
            raise ValueError(
                translated("callbacks", "every must be a positive integer (epochs), got {every!r}").format(
                    every=every
                )
            )
        self.layer_name, self.images, self.every = layer_name, images, every
        self.activations: dict[int, object] = {}

    def on_train_begin(self, logs=None):
        try:
            layer = self.model.get_layer(self.layer_name)
        except ValueError:
            names = [layer.name for layer in self.model.layers]
            raise ValueError(
                translated("callbacks", "the model has no layer {layer!r}; its layers: {names}").format(
                    layer=self.layer_name, names=names
                )
            ) from None
        inputs = self.model.inputs
        self._probe = keras.Model(inputs[0] if len(inputs) == 1 else inputs, layer.output)
        if not self.activations:
            self._record(0)

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every == 0:
            self._record(epoch + 1)

    def _record(self, epoch: int) -> None:
        outputs = self._probe(self.images, training=False)
        self.activations[epoch] = keras.ops.convert_to_numpy(outputs)
