"""The course's figure style: colour-blind-safe colours with a second cue, opaque, readable, laptop-sized."""

import io
import subprocess
import sys

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgba
from matplotlib.text import Text
from PIL import Image

from course_utils import conv_plots, distribution_plots, plots, style
from course_utils.callbacks import PlotTraining


def _digit():
    images, _ = plots.font_digits(("DejaVuSans.ttf",))
    return images[7]


def _tiny_model():
    import keras

    keras.utils.set_random_seed(0)
    return keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Reshape((28, 28, 1)),
            keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
            keras.layers.Conv2D(6, 3, strides=2, padding="same", activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )


def _training_plot():
    plot = PlotTraining(sample_rate=1, live=False)
    plot.batch_points = {"loss": [(0.5, 1.0), (1.0, 0.8)], "accuracy": [(0.5, 0.5), (1.0, 0.7)]}
    plot.epoch_points = {"val_loss": [(1.0, 0.9)], "val_accuracy": [(1.0, 0.6)]}
    plot._draw()
    return plot.figure


def _rng_values():
    rng = np.random.default_rng(0)
    return rng


# Every figure the course's helpers draw, by name.
HELPERS = {
    "digits": lambda: plots.plot_digits(*plots.font_digits(("DejaVuSans.ttf",)), np.arange(10) % 9),
    "history": lambda: plots.plot_history(
        {"loss": [1.0, 0.5], "val_loss": [1.1, 0.6], "accuracy": [0.5, 0.8], "val_accuracy": [0.4, 0.7]}
    ),
    "compare_histories": lambda: plots.compare_histories(
        {name: {"val_loss": [1.0, 0.5 + i], "val_accuracy": [0.8, 0.9]} for i, name in enumerate("abc")}
    ),
    "weight_templates": lambda: plots.plot_weight_templates(np.linspace(-1, 1, 7840).reshape(784, 10)),
    "learning_rate": lambda: plots.plot_learning_rate(lambda e: 0.1 * 0.5**e, 4),
    "activations": lambda: plots.plot_activations(),
    "decision_boundary": lambda: plots.plot_decision_boundary(
        lambda P: 1 / (1 + np.exp(-P[:, 0])), np.array([[0.0, 0], [1, 1]]), np.array([0, 1]), resolution=20
    ),
    "decision_boundaries": lambda: plots.plot_decision_boundaries(
        lambda P, w: 1 / (1 + np.exp(-(P @ w))),
        np.array([[0.0, 0], [1, 1]]),
        np.array([0, 1]),
        [np.array([1.0, 0.0]), np.array([1.0, 1.0]), np.array([0.0, 1.0])],
        resolution=20,
    ),
    "training": _training_plot,
    "convolution": lambda: conv_plots.plot_convolution(_digit(), conv_plots.EDGE_FILTERS["vertical edges"]),
    "output_sizes": lambda: conv_plots.plot_output_sizes(_digit(), np.ones((3, 3))),
    "filters": lambda: conv_plots.plot_filters(_tiny_model().layers[1]),
    "feature_maps": lambda: conv_plots.plot_feature_maps(_tiny_model(), _digit()),
    "tensor_shapes": lambda: conv_plots.plot_tensor_shapes(_tiny_model()),
    "activation_distributions": lambda: distribution_plots.plot_activation_distributions(
        {
            "without batch norm": {e: _rng_values().normal(e, 1 + e, 200) for e in range(3)},
            "with batch norm": {e: _rng_values().normal(0, 1, 200) for e in range(3)},
        }
    ),
    "layer_distributions": lambda: distribution_plots.plot_layer_distributions(
        {f"layer {i}": _rng_values().normal(0, 1 / i, 500) for i in range(1, 6)}
    ),
}


@pytest.fixture(scope="module")
def figures():
    drawn = {name: draw() for name, draw in HELPERS.items()}
    for fig in drawn.values():
        fig.canvas.draw()  # lays out ticks and legends, as showing the figure would
    return drawn


def test_the_colour_cycle_is_okabe_ito_with_a_line_style_per_colour():
    cycle = list(matplotlib.rcParams["axes.prop_cycle"])
    assert [to_hex(entry["color"]).upper() for entry in cycle] == list(style.OKABE_ITO)
    styles = [entry["linestyle"] for entry in cycle]
    assert all(a != b for a, b in zip(styles, styles[1:], strict=False))  # neighbours differ by dashes too


def test_the_style_ships_in_the_package_and_every_setup_applies_it():
    assert style.STYLE_FILE.exists()
    code = (
        "import matplotlib\n"
        "from course_utils.setup import check_environment\n"
        "check_environment(tensorflow=False)\n"
        "print(matplotlib.rcParams['figure.facecolor'], matplotlib.rcParams['font.size'])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "white 11.0"


def test_the_background_is_opaque_white():
    for key in ("figure.facecolor", "axes.facecolor", "savefig.facecolor"):
        assert to_rgba(matplotlib.rcParams[key]) == (1.0, 1.0, 1.0, 1.0), key
    assert matplotlib.rcParams["savefig.transparent"] is False


@pytest.mark.parametrize("name", sorted(HELPERS))
def test_every_figure_is_opaque_readable_and_fits_a_laptop(figures, name):
    fig = figures[name]
    assert to_rgba(fig.get_facecolor())[3] == 1.0
    assert fig.get_size_inches()[0] <= style.MAX_FIGURE_WIDTH + 1e-9
    small = [
        (text.get_text(), text.get_fontsize())
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip() and text.get_fontsize() < style.MIN_FONT_SIZE
    ]
    assert not small, f"text under {style.MIN_FONT_SIZE} pt: {small[:5]}"


@pytest.mark.parametrize("name", ["convolution", "training", "activation_distributions"])
def test_a_stored_png_has_no_transparent_pixel(figures, name):
    """As Jupyter's inline backend stores it (IPython's print_figure, bbox tight, the figure's facecolor)."""
    from IPython.core.pylabtools import print_figure

    png = print_figure(figures[name], "png", bbox_inches="tight")
    pixels = np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))
    assert pixels[..., 3].min() == 255
    buffer = io.BytesIO()
    figures[name].savefig(buffer, format="png")
    assert np.asarray(Image.open(buffer).convert("RGBA"))[..., 3].min() == 255


def _cues(line):
    return to_hex(line.get_color()), line.get_linestyle(), line.get_marker()


@pytest.mark.parametrize("name", ["history", "compare_histories", "activations", "training"])
def test_series_differ_by_colour_and_by_line_style_or_marker(figures, name):
    for ax in figures[name].axes:
        lines = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
        for i, a in enumerate(lines):
            for b in lines[i + 1 :]:
                (colour_a, dash_a, marker_a), (colour_b, dash_b, marker_b) = _cues(a), _cues(b)
                assert colour_a != colour_b, (a.get_label(), b.get_label())
                assert dash_a != dash_b or marker_a != marker_b, (a.get_label(), b.get_label())


def test_activation_bands_differ_by_line_style(figures):
    ax = figures["activation_distributions"].axes[0]
    labelled = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert len(labelled) == 3
    assert len({(line.get_linestyle(), line.get_marker()) for line in labelled}) == 3


def test_the_classes_of_a_decision_boundary_differ_by_marker_and_colour(figures):
    ax = figures["decision_boundary"].axes[0]
    points = [c for c in ax.collections if c.get_label().startswith("class")]
    assert len({to_hex(c.get_facecolor()[0]) for c in points}) == 2
    assert len({c.get_paths()[0].vertices.tobytes() for c in points}) == 2  # o and ^


def test_figures_are_closed(figures):
    assert all(fig.number not in plt.get_fignums() for fig in figures.values() if hasattr(fig, "number"))
