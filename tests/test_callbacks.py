"""course_utils.callbacks: PlotTraining and EpochTimer on a real (tiny) Keras training."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from course_utils.callbacks import EpochTimer, PlotTraining
from course_utils.pipelines import evaluation_dataset, training_dataset
from tests.ipython_shell import FakeShell


def _train(callbacks, metrics=("accuracy",), batch_size=16, epochs=2, n=200):
    rng = np.random.default_rng(0)
    x = rng.random((n, 8), dtype=np.float32)
    y = (x[:, 0] > 0.5).astype(np.int64)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy", metrics=list(metrics))
    model.fit(
        training_dataset(x, y, batch_size),
        validation_data=evaluation_dataset(x, y, 64),
        epochs=epochs,
        callbacks=callbacks,
        verbose=0,
    )


@pytest.mark.parametrize("batch_size", [7, 16, 200])
def test_plot_training_samples_batches_and_epochs(batch_size):
    plot = PlotTraining(sample_rate=2, live=False)
    _train([plot], batch_size=batch_size)
    steps = -(-200 // batch_size)
    assert len(plot.batch_points["loss"]) == (2 * steps) // 2
    assert [x for x, _ in plot.epoch_points["val_loss"]] == [1.0, 2.0]
    xs = [x for x, _ in plot.batch_points["loss"]]
    assert xs == sorted(xs) and 0 < xs[0] and xs[-1] == pytest.approx(2.0, abs=1 / steps + 1e-9)
    assert [ax.get_title() for ax in plot.figure.axes] == ["loss", "accuracy"]


def test_plot_training_follows_whatever_metrics_were_compiled():
    plot = PlotTraining(sample_rate=1, live=False)
    _train([plot], metrics=("accuracy", "sparse_categorical_crossentropy"))
    assert plot.metric_names() == ["loss", "accuracy", "sparse_categorical_crossentropy"]
    assert len(plot.figure.axes) == 3
    plot_loss_only = PlotTraining(sample_rate=1, live=False)
    _train([plot_loss_only], metrics=())
    assert [ax.get_title() for ax in plot_loss_only.figure.axes] == ["loss"]


def test_zoom_narrows_the_view_to_the_end_of_training():
    plot = PlotTraining(sample_rate=1, zoom=4, live=False)
    _train([plot], epochs=4)
    ax = plot.figure.axes[0]
    assert ax.get_xlim()[0] == pytest.approx(3.0)
    late = [y for x, y in plot.batch_points["loss"] + plot.epoch_points["val_loss"] if x >= 3.0]
    low, high = ax.get_ylim()
    assert low < min(late) and max(late) < high  # with a margin: no marker sits on the frame


def test_live_mode_updates_one_display_in_place(monkeypatch):
    shown = []

    class Handle:
        def update(self, fig):
            shown.append("update")

    def fake_display(fig, display_id=False):
        shown.append("display")
        return Handle()

    import IPython.display

    monkeypatch.setattr(IPython.display, "display", fake_display)
    plot = PlotTraining(sample_rate=1, live=True, redraw_seconds=0)
    _train([plot])
    assert shown[0] == "display" and shown.count("display") == 1 and shown.count("update") > 2


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"sample_rate": 0}, "sample_rate must be a positive integer (batches), got 0"),
        ({"sample_rate": 1.5}, "sample_rate must be a positive integer (batches), got 1.5"),
        ({"zoom": 0.5}, "zoom must be >= 1 (1 shows the whole training), got 0.5"),
    ],
)
def test_bad_parameters_are_rejected(kwargs, message):
    with pytest.raises(ValueError) as raised:
        PlotTraining(**kwargs)
    assert str(raised.value) == message


def test_epoch_timer_times_every_epoch():
    timer = EpochTimer()
    with pytest.raises(RuntimeError, match="no epoch"):
        _ = EpochTimer().seconds_per_epoch
    _train([timer], epochs=3)
    assert len(timer.seconds) == 3 and all(s > 0 for s in timer.seconds)
    assert timer.seconds_per_epoch == sorted(timer.seconds)[1]


@pytest.mark.parametrize(
    "shell_kind, live", [("zmq", True), ("colab", True), ("terminal", False), ("none", False)]
)
def test_live_display_is_decided_by_what_the_shell_is(monkeypatch, shell_kind, live):
    import IPython
    from ipykernel.zmqshell import ZMQInteractiveShell
    from IPython.terminal.interactiveshell import TerminalInteractiveShell

    from course_utils.callbacks import _live_display

    shell_class = {
        "zmq": ZMQInteractiveShell,
        "colab": type("Shell", (ZMQInteractiveShell,), {}),  # like google.colab._shell.Shell
        "terminal": TerminalInteractiveShell,
        "none": None,
    }[shell_kind]
    shell = None if shell_class is None else shell_class.__new__(shell_class)
    monkeypatch.delenv("COURSE_UTILS_STATIC_PLOTS", raising=False)
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    assert _live_display() is live
    monkeypatch.setenv("COURSE_UTILS_STATIC_PLOTS", "1")
    assert _live_display() is False


def _fit_known_batch_values(plot, values, batch_size=4, steps_per_epoch=5):
    """Fit a model whose loss on batch j is exactly values[j]: the mean of that batch's labels."""
    labels = np.repeat(np.asarray(values, dtype=np.float32), batch_size)[:, None]
    data = tf.data.Dataset.from_tensor_slices((np.zeros_like(labels), labels)).batch(batch_size)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss=lambda y_true, y_pred: y_true[:, 0] + 0.0 * y_pred[:, 0])
    epochs = len(values) // steps_per_epoch
    model.fit(data.repeat(), steps_per_epoch=steps_per_epoch, epochs=epochs, callbacks=[plot], verbose=0)


def _training_line(plot):
    ax = plot.figure.axes[0]
    (line,) = [line for line in ax.lines if line.get_label().startswith("training")]
    return line


def test_training_curve_draws_each_batch_value_not_keras_running_mean():
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0]  # two epochs of five batches
    plot = PlotTraining(sample_rate=1, live=False)
    _fit_known_batch_values(plot, values)
    line = _training_line(plot)
    assert np.allclose(line.get_ydata(), values, atol=1e-5)
    assert np.allclose(line.get_xdata(), np.arange(1, 11) / 5)
    assert line.get_label() == "training (each batch)"


def test_training_points_average_the_batches_since_the_previous_point():
    values = [3.0, 1.0, 4.0, 1.0, 5.0, 9.0, 2.0, 6.0, 5.0, 3.0]
    plot = PlotTraining(sample_rate=2, live=False)
    _fit_known_batch_values(plot, values)
    line = _training_line(plot)
    assert np.allclose(line.get_ydata(), [2.0, 2.5, 7.0, 4.0, 4.0], atol=1e-5)  # windows cross epochs
    assert line.get_label() == "training (mean of 2 batches)"


def test_a_live_figure_is_first_shown_with_several_points():
    counts = []

    class CountingPlot(PlotTraining):
        def _draw(self):
            counts.append(max((len(p) for p in self.batch_points.values()), default=0))

    _train([CountingPlot(sample_rate=5, live=True, redraw_seconds=0)], batch_size=16, epochs=2)
    assert counts and min(counts) >= 3 and counts[0] == 3  # the first frame, as soon as it has 3 points


def test_zoom_keeps_the_last_validation_marker_inside_the_panel():
    plot = PlotTraining(sample_rate=1, zoom=2, live=False)
    _train([plot], epochs=4)
    for ax in plot.figure.axes:
        assert ax.get_xlim()[1] > 4.0
        assert [t for t in ax.get_xticks() if ax.get_xlim()[0] <= t <= ax.get_xlim()[1]] == [2.0, 3.0, 4.0]


def test_loss_panel_is_not_flattened_by_the_first_epoch():
    values = [50.0] * 5 + [1.0, 1.2, 0.9, 1.1, 1.0] * 3
    plot = PlotTraining(sample_rate=1, live=False)
    _fit_known_batch_values(plot, values)
    low, high = plot.figure.axes[0].get_ylim()
    assert high < 2.0 and low < 0.9


def _drawn_lines(ax):
    """The figure's lines in one panel, by role: validation (its legend label), else training."""
    lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    validation = [line for line in lines if "val" in line.get_label().lower()]
    return validation, [line for line in lines if line not in validation]


def test_the_figure_draws_the_validation_values_of_every_epoch_and_a_training_curve():
    logged = []
    plot = PlotTraining(sample_rate=1, live=False)
    _train(
        [plot, keras.callbacks.LambdaCallback(on_epoch_end=lambda epoch, logs: logged.append(logs))], epochs=3
    )
    panels = {ax.get_title(): ax for ax in plot.figure.axes}
    assert set(panels) == {"loss", "accuracy"}
    for name, ax in panels.items():
        validation, training = _drawn_lines(ax)
        assert len(validation) == 1, f"{name}: no validation line drawn"
        np.testing.assert_allclose(validation[0].get_xdata(), [1.0, 2.0, 3.0])
        np.testing.assert_allclose(
            validation[0].get_ydata(), [logs["val_" + name] for logs in logged], rtol=1e-6
        )
        assert training, f"{name}: no training line drawn"
        xs, ys = np.asarray(training[0].get_xdata(), float), np.asarray(training[0].get_ydata(), float)
        assert len(xs) >= 3 and np.all(np.isfinite(ys)) and xs[-1] == pytest.approx(3.0, abs=0.1)


@pytest.mark.parametrize("missing", ["IPython", "ipykernel.zmqshell"])
def test_no_live_display_without_ipython_or_ipykernel(monkeypatch, missing):
    import sys

    from course_utils.callbacks import _live_display

    monkeypatch.delenv("COURSE_UTILS_STATIC_PLOTS", raising=False)
    if missing == "ipykernel.zmqshell":
        import IPython
        from ipykernel.zmqshell import ZMQInteractiveShell

        monkeypatch.setattr(IPython, "get_ipython", lambda: ZMQInteractiveShell.__new__(ZMQInteractiveShell))
        assert _live_display() is True
    monkeypatch.setitem(sys.modules, missing, None)  # `import` of it now raises ImportError
    assert _live_display() is False


def test_the_defaults_average_10_batches_show_the_whole_training_and_redraw_once_a_second():
    plot = PlotTraining(live=False)
    _train([plot], batch_size=8, epochs=2, n=200)  # 25 batches per epoch
    assert [round(x, 2) for x, _ in plot.batch_points["loss"]] == [0.4, 0.8, 1.2, 1.6, 2.0]
    ax = plot.figure.axes[0]
    assert _training_line(plot).get_label() == "training (mean of 10 batches)"
    assert ax.get_xlim()[0] == 0 and plot.redraw_seconds == 1.0


class _CountingPlot(PlotTraining):
    def _draw(self):
        self.draws = getattr(self, "draws", 0) + 1
        super()._draw()


def _fake_display(monkeypatch, in_ipython: bool) -> list:
    """Record what PlotTraining shows through IPython.display, as if in IPython (or not)."""
    import IPython
    import IPython.display

    shown = []

    class Handle:
        def update(self, fig):
            shown.append("update")

    def display(fig, display_id=False):
        shown.append("live display" if display_id else "static display")
        return Handle()

    monkeypatch.setattr(IPython.display, "display", display)
    shell = FakeShell(monkeypatch) if in_ipython else None
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    return shown


def test_live_frames_between_epochs_wait_redraw_seconds(monkeypatch):
    _fake_display(monkeypatch, in_ipython=True)
    plot = _CountingPlot(sample_rate=1, live=True, redraw_seconds=1000)
    _train([plot], batch_size=16, epochs=2)  # 13 batches per epoch: 26 points
    assert plot.draws == 4  # the first frame with 3 points, each epoch's end, the end of training


@pytest.mark.parametrize("seconds_since_boot", [0.0, 0.5, 1e7])
def test_the_first_live_frame_comes_at_once_whenever_the_machine_booted(monkeypatch, seconds_since_boot):
    """time.monotonic() counts from boot: near 0 on a fresh CI machine or a new Colab VM."""
    import time

    _fake_display(monkeypatch, in_ipython=True)
    monkeypatch.setattr(time, "monotonic", lambda: seconds_since_boot)  # a clock that does not move
    plot = _CountingPlot(sample_rate=1, live=True, redraw_seconds=1.0)
    _train([plot], batch_size=16, epochs=2)
    assert plot.draws == 4  # the first frame at 3 points, then only each epoch's end and the end


@pytest.mark.parametrize("live, in_ipython", [(False, True), (False, False), (True, True)])
def test_the_finished_figure_is_shown_once_in_ipython(monkeypatch, live, in_ipython):
    shown = _fake_display(monkeypatch, in_ipython)
    _train([PlotTraining(sample_rate=2, live=live, redraw_seconds=0)])
    if live:
        assert shown.count("live display") == 1 and "static display" not in shown
    else:
        assert shown == (["static display"] if in_ipython else [])


def test_epoch_points_are_the_validation_values_only():
    plot = PlotTraining(sample_rate=5, live=False)
    schedule = keras.callbacks.LearningRateScheduler(lambda epoch: 0.01)
    _train([plot, schedule], epochs=2)
    assert set(plot.epoch_points) == {"val_loss", "val_accuracy"}
    assert "learning_rate" not in plot.batch_points


def test_a_dataset_of_unknown_length_places_its_points_once_the_first_epoch_is_counted():
    rng = np.random.default_rng(0)
    x = rng.random((64, 8), dtype=np.float32)
    y = (x[:, 0] > 0.5).astype(np.int64)
    data = tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: True).batch(16)  # 4 batches
    model = keras.Sequential([keras.Input((8,)), keras.layers.Dense(2, activation="softmax")])
    model.compile(optimizer="sgd", loss="sparse_categorical_crossentropy")
    plot = PlotTraining(sample_rate=2, live=False)
    model.fit(data, epochs=2, callbacks=[plot], verbose=0)
    assert [x for x, _ in plot.batch_points["loss"]] == [1.0, 1.0, 1.5, 2.0]


def test_only_numeric_metrics_are_drawn_and_never_the_learning_rate():
    plot = PlotTraining(sample_rate=1, live=False)
    plot.set_model(keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]))
    plot.params = {"steps": 2}
    plot.on_train_begin()
    plot.on_epoch_begin(0)
    for batch, loss in enumerate((0.5, 0.25)):
        logs = {"loss": np.float32(loss), "learning_rate": 0.1, "lr": 0.1, "note": "text"}
        plot.on_train_batch_end(batch, logs)
    plot.on_epoch_end(0, {"loss": 0.3, "val_loss": 0.4, "learning_rate": 0.1})
    plot.on_train_end()
    assert set(plot.batch_points) == {"loss"} and set(plot.epoch_points) == {"val_loss"}
    assert plot.batch_points["loss"] == [(0.5, 0.5), (1.0, 0.0)]  # batch values from the running means
    assert plot.metric_names() == ["loss"] and len(plot.figure.axes) == 1


def test_without_ipython_the_figure_is_drawn_and_not_shown(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "IPython", None)
    monkeypatch.setitem(sys.modules, "IPython.display", None)  # as if IPython were not installed
    plot = PlotTraining(sample_rate=2, live=False)
    _train([plot])
    assert plot.figure is not None and len(plot.figure.axes) == 2


def test_live_frames_update_one_figure_of_4_8_by_3_8_inches_per_panel_at_most_10_wide(monkeypatch):
    _fake_display(monkeypatch, in_ipython=True)
    figures = []

    class RecordingPlot(PlotTraining):
        def _draw(self):
            super()._draw()
            figures.append(self.figure)

    _train([RecordingPlot(sample_rate=1, live=True, redraw_seconds=0)], epochs=2)
    assert len(figures) > 3 and all(figure is figures[0] for figure in figures)
    assert tuple(figures[0].get_size_inches()) == pytest.approx((9.6, 3.8))  # 2 panels fit a laptop


@pytest.mark.parametrize("zoom, left, right", [(1, 0.0, 2.06), (2, 1.0, 2.03)])
def test_the_x_axis_leaves_room_after_the_last_epoch(zoom, left, right):
    plot = PlotTraining(sample_rate=2, zoom=zoom, live=False)
    _train([plot], epochs=2)
    for ax in plot.figure.axes:
        assert ax.get_xlim() == pytest.approx((left, right))


def test_training_is_a_thin_line_and_validation_thick_markers():
    plot = PlotTraining(sample_rate=2, live=False)
    _train([plot], epochs=2)
    training, validation = plot.figure.axes[0].lines
    assert (training.get_label(), training.get_linewidth(), training.get_marker()) == (
        "training (mean of 2 batches)",
        1,
        "None",
    )
    assert (validation.get_label(), validation.get_linewidth(), validation.get_marker()) == (
        "validation",
        2,
        "o",
    )


def test_zoom_2_fits_the_y_axis_to_the_points_of_the_last_half():
    plot = PlotTraining(sample_rate=1, zoom=2, live=False)
    _fit_known_batch_values(plot, [5.0, 5.0, 5.0, 5.0, 9.0] + [1.0, 2.0, 3.0, 2.0, 1.0])
    ax = plot.figure.axes[0]  # 2 epochs of 5 batches: the view starts at x = 1.0, the 9.0
    assert ax.get_xlim() == pytest.approx((1.0, 2.03)) and ax.get_ylim() == pytest.approx((0.6, 9.4))


def test_a_flat_zoomed_view_gets_a_margin_of_0_01():
    plot = PlotTraining(sample_rate=1, zoom=2, live=False)
    plot.set_model(keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)]))
    plot.params = {"steps": 2}
    plot.on_train_begin()
    for epoch in range(2):
        plot.on_epoch_begin(epoch)
        for batch in range(2):
            plot.on_train_batch_end(batch, {"loss": 2.0})  # running means of batches that all lose 2.0
        plot.on_epoch_end(epoch, {"loss": 2.0, "val_loss": 2.0})
    plot.on_train_end()
    assert plot.figure.axes[0].get_ylim() == pytest.approx((1.99, 2.01))


def test_the_loss_panel_keeps_every_epoch_after_the_first_in_view():
    values = [50.0] * 5 + [3.0, 2.0, 1.5, 1.2, 1.1] + [1.0, 1.1, 0.9, 1.0, 1.0] * 2
    plot = PlotTraining(sample_rate=1, live=False)
    _fit_known_batch_values(plot, values)
    ax = plot.figure.axes[0]
    assert ax.get_ylim() == pytest.approx((0.9 - 0.105, 3.0 + 0.315))  # epoch 2's 3.0 stays in view
    assert all(line.get_visible() for line in ax.xaxis.get_gridlines())  # with a grid
