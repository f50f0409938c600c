"""course_utils.plots: every public plot draws what it promises."""

import matplotlib
import numpy as np
import pytest
from matplotlib.figure import Figure

from course_utils import plots


@pytest.fixture(scope="module")
def digits():
    return plots.font_digits()


def test_font_digits_are_mnist_like(digits):
    images, labels = digits
    assert images.shape == (10 * len(plots.DIGIT_FONTS), 28, 28) and images.dtype == np.float32
    assert labels.tolist() == list(range(10)) * len(plots.DIGIT_FONTS)
    assert 0 <= images.min() and images.max() <= 1
    # centred by mass, like MNIST
    for image in images:
        rows, cols = np.indices(image.shape)
        cy, cx = (rows * image).sum() / image.sum(), (cols * image).sum() / image.sum()
        assert abs(cy - 14) < 1.5 and abs(cx - 14) < 1.5
        assert image.sum() > 10


def _labels_and_colors(fig):
    return [(ax.get_xlabel(), ax.xaxis.label.get_color()) for ax in fig.axes if ax.get_xlabel()]


def test_plot_digits_marks_wrong_predictions_by_colour_and_symbol(digits):
    images, labels = digits
    predictions = labels.copy()
    predictions[3] = 8
    fig = plots.plot_digits(images[:10], labels[:10], predictions[:10])
    assert isinstance(fig, Figure)
    marks = _labels_and_colors(fig)
    assert marks[3] == ("✗ 8 (3)", plots.WRONG_COLOR)
    assert all(text.startswith("✗") == (i == 3) for i, (text, _) in enumerate(marks))
    framed = [ax for ax in fig.axes if ax.spines["top"].get_linewidth() > 2]
    assert len(framed) == 1


def test_plot_digits_accepts_one_hot_and_probabilities(digits):
    images, labels = digits
    probs = np.eye(10)[labels[:20]]
    fig = plots.plot_digits(images[:20], probs, probs, columns=5)
    assert len(fig.axes) == 20 and not any(t.startswith("✗") for t, _ in _labels_and_colors(fig))


def test_plot_digits_rejects_mismatched_input(digits):
    images, labels = digits
    with pytest.raises(ValueError, match="predictions"):
        plots.plot_digits(images[:5], labels[:5], labels[:4])
    with pytest.raises(ValueError, match="no digits"):
        plots.plot_digits(images[:0], labels[:0])


def test_misrecognized_digits_come_first(digits):
    images, labels = digits
    predictions = labels.copy()
    wrong = [7, 25, 40]
    predictions[wrong] = (labels[wrong] + 1) % 10
    fig = plots.plot_misrecognized(images, labels, predictions, n=10)
    marks = [t for t, _ in _labels_and_colors(fig)]
    assert all(t.startswith("✗") for t in marks[:3]) and not any(t.startswith("✗") for t in marks[3:])
    assert "3 of 60 digits misrecognised" in fig._suptitle.get_text()


def test_history_plot_has_a_panel_per_metric():
    history = {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6], "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}
    fig = plots.plot_history(history)
    assert [ax.get_title() for ax in fig.axes] == ["loss", "accuracy"]
    assert len(fig.axes[0].lines) == 2
    with pytest.raises(ValueError, match="empty"):
        plots.plot_history({})


def test_history_loss_panel_is_not_flattened_by_the_first_epoch():
    history = {"loss": [9.0, 0.3, 0.2, 0.1], "val_loss": [2.0, 0.25, 0.3, 0.4]}
    ax = plots.plot_history(history).axes[0]
    low, high = ax.get_ylim()
    assert low < 0.1 and 0.4 < high < 1.0
    assert all(float(t).is_integer() for t in ax.get_xticks())


def test_learning_rate_plot_shows_the_schedule():
    fig = plots.plot_learning_rate(lambda e: 0.01 * 0.6**e, 5)
    ys = fig.axes[0].lines[0].get_ydata()
    assert np.allclose(ys, [0.01 * 0.6**e for e in range(5)])
    assert list(fig.axes[0].lines[0].get_xdata()) == [1, 2, 3, 4, 5]  # epochs counted from 1
    assert all(float(t).is_integer() for t in fig.axes[0].get_xticks())
    with pytest.raises(ValueError):
        plots.plot_learning_rate(lambda e: 0.1, 0)


@pytest.mark.parametrize("name", sorted(plots.ACTIVATIONS))
def test_activation_derivatives_match_finite_differences(name):
    f, df = plots.ACTIVATIONS[name]
    x = np.array([-3.0, -1.2, -0.3, 0.4, 1.1, 2.7])  # away from the kink at 0
    numeric = (f(x + 1e-6) - f(x - 1e-6)) / 2e-6
    assert np.allclose(df(x), numeric, atol=1e-5)


def test_activation_plot_has_function_and_derivative_per_panel():
    fig = plots.plot_activations(("sigmoid", "relu"))
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.lines]
    assert len(visible) == 2 and all(len(ax.get_legend().get_texts()) == 2 for ax in visible)
    with pytest.raises(ValueError, match="unknown activation"):
        plots.plot_activations(("swish",))


def test_decision_boundary_draws_both_classes():
    X = np.array([[0.0, 0.0], [1.0, 1.0], [0.0, 1.0], [1.0, 0.0]])
    y = np.array([0, 1, 0, 1])
    fig = plots.plot_decision_boundary(lambda P: 1 / (1 + np.exp(-(P[:, 0] - 0.5) * 10)), X, y)
    ax = fig.axes[0]
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"class 0", "class 1"}
    assert len(ax.collections) >= 3


def test_figures_are_closed_so_they_show_once(digits):
    images, labels = digits
    before = matplotlib.pyplot.get_fignums()
    plots.plot_digits(images[:3], labels[:3])
    assert matplotlib.pyplot.get_fignums() == before


def test_maxout_is_the_largest_of_its_lines():
    x = np.array([-3.0, 0.0, 3.0])
    assert np.allclose(plots.maxout(x, pieces=((1.0, 0.0), (-1.0, 0.0))), np.abs(x))
    assert np.allclose(plots.maxout(x, pieces=((1.0, 0.0), (0.0, 0.0))), np.maximum(x, 0))  # ReLU


def test_compared_runs_share_one_panel_per_metric():
    runs = {
        "a": {"val_loss": [1.0, 0.5], "val_accuracy": [0.8, 0.9]},
        "b": {"val_loss": [2.0, 0.4], "val_accuracy": [0.7, 0.95]},
    }
    fig = plots.compare_histories(runs)
    assert [len(ax.lines) for ax in fig.axes] == [2, 2]
    assert list(fig.axes[0].lines[1].get_ydata()) == [2.0, 0.4]


def test_weight_templates_share_one_scale_centred_at_zero():
    kernel = np.linspace(-1, 3, 784 * 10).reshape(784, 10)
    fig = plots.plot_weight_templates(kernel)
    images = [ax.images[0] for ax in fig.axes if ax.images]
    assert len(images) == 10
    assert {image.get_clim() for image in images} == {(-3.0, 3.0)}
    with pytest.raises(ValueError, match="784"):
        plots.plot_weight_templates(np.zeros((10, 10)))
