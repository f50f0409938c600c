"""course_utils.callbacks: PlotTraining and EpochTimer on a real (tiny) Keras training."""

import keras
import numpy as np
import pytest

from course_utils.callbacks import EpochTimer, PlotTraining
from course_utils.pipelines import evaluation_dataset, training_dataset


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
    assert low <= min(late) and max(late) <= high


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


@pytest.mark.parametrize("kwargs", [{"sample_rate": 0}, {"sample_rate": 1.5}, {"zoom": 0.5}])
def test_bad_parameters_are_rejected(kwargs):
    with pytest.raises(ValueError):
        PlotTraining(**kwargs)


def test_epoch_timer_times_every_epoch():
    timer = EpochTimer()
    with pytest.raises(RuntimeError, match="no epoch"):
        _ = EpochTimer().seconds_per_epoch
    _train([timer], epochs=3)
    assert len(timer.seconds) == 3 and all(s > 0 for s in timer.seconds)
    assert timer.seconds_per_epoch == sorted(timer.seconds)[1]


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
