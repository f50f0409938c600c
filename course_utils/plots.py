"""Plots shared by the lessons: digits with predictions, curves, schedules, activations, distributions.

Each function returns a matplotlib Figure (already closed in pyplot, so a notebook shows it
exactly once: as the value of the cell's last line, or with ``display(fig)``). Importing this module
applies the course's figure style (``course_utils.style``): colour-blind-safe colours, each series
also told apart by its line style or marker, an opaque background, fonts of at least 10 pt.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import MaxNLocator

from course_utils.i18n import translated
from course_utils.style import BLACK, BLUE, DIVERGING_CMAP, MAX_FIGURE_WIDTH, VERMILLION, use_course_style

use_course_style()

WRONG_COLOR, RIGHT_COLOR = VERMILLION, BLACK  # and a wrong digit also gets a ✗ and a thick frame
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")  # a second cue, besides colour, for series
# Fonts that ship with matplotlib, so font digits work offline and everywhere.
DIGIT_FONTS = (
    "DejaVuSans.ttf",
    "DejaVuSans-Bold.ttf",
    "DejaVuSerif.ttf",
    "DejaVuSansMono.ttf",
    "STIXGeneral.ttf",
    "cmss10.ttf",
)


def _figure(rows: int, cols: int, size: tuple[float, float], **kwargs):
    width, height = size
    if width > MAX_FIGURE_WIDTH:  # fit a laptop screen: shrink, keeping the proportions
        width, height = MAX_FIGURE_WIDTH, height * MAX_FIGURE_WIDTH / width
    fig, axes = plt.subplots(rows, cols, figsize=(width, height), squeeze=False, **kwargs)
    plt.close(fig)
    return fig, axes


def epoch_axis(ax, label: str | None = None) -> None:
    """Label the x axis as epochs (counted from 1) with whole-number ticks only."""
    ax.set_xlabel(translated("plots", "epoch") if label is None else label)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))


def focus_loss_axis(ax, values_after_first_epoch, all_values) -> None:
    """Start a loss panel's y axis where the later epochs are visible, not flattened by the first one."""
    later, every = list(values_after_first_epoch), list(all_values)
    if not later or not every:
        return
    low, high = min(every), max(later)
    if max(every) <= high or high <= low:
        return
    ax.set_ylim(low - (high - low) * 0.05, high + (high - low) * 0.15)


# -- digits -------------------------------------------------------------------------------------
def font_digits(fonts=DIGIT_FONTS) -> tuple[np.ndarray, np.ndarray]:
    """Digits 0-9 rendered from matplotlib's bundled fonts, centred like MNIST: (N, 28, 28) and labels."""
    from PIL import Image, ImageDraw, ImageFont

    font_dir = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    images, labels = [], []
    for font_name in fonts:
        font = ImageFont.truetype(str(font_dir / font_name), 96)
        for digit in range(10):
            canvas = Image.new("L", (160, 160), 0)
            ImageDraw.Draw(canvas).text((30, 10), str(digit), fill=255, font=font)
            glyph = canvas.crop(canvas.getbbox())
            scale = 20 / max(glyph.size)  # MNIST digits fit a 20x20 box ...
            glyph = glyph.resize((max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))))
            pixels = np.asarray(glyph, dtype=np.float32) / 255
            rows, cols = np.indices(pixels.shape)
            total = pixels.sum()
            cy, cx = (rows * pixels).sum() / total, (cols * pixels).sum() / total
            top, left = int(round(14 - cy)), int(round(14 - cx))  # ... centred by mass in 28x28
            top = min(max(top, 0), 28 - pixels.shape[0])
            left = min(max(left, 0), 28 - pixels.shape[1])
            image = np.zeros((28, 28), np.float32)
            image[top : top + pixels.shape[0], left : left + pixels.shape[1]] = pixels
            images.append(image)
            labels.append(digit)
    return np.stack(images), np.array(labels, dtype=np.int64)


def plot_digits(images, labels, predictions=None, columns: int = 10, title: str | None = None):
    """A grid of digits; with predictions, each shows its predicted label, wrong ones red, ✗ and framed."""
    images, labels = np.asarray(images), np.asarray(labels)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    if predictions is not None:
        predictions = np.asarray(predictions)
        if predictions.ndim == 2:
            predictions = predictions.argmax(axis=1)
        if len(predictions) != len(images):
            raise ValueError(
                translated("plots", "{images} images but {predictions} predictions").format(
                    images=len(images), predictions=len(predictions)
                )
            )
    if len(images) != len(labels):
        raise ValueError(
            translated("plots", "{images} images but {labels} labels").format(
                images=len(images), labels=len(labels)
            )
        )
    if len(images) == 0:
        raise ValueError(translated("plots", "no digits to plot"))
    columns = min(columns, len(images))
    rows = -(-len(images) // columns)
    side = min(1.9, max(0.95, 9.5 / columns))  # a short row gets larger digits (at most 9.5 in in all)
    fig, axes = _figure(rows, columns, (columns * side, rows * (side + 0.2)))
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= len(images):
            ax.axis("off")
            continue
        ax.imshow(np.reshape(images[i], (28, 28)), cmap="gray_r", vmin=0, vmax=1)
        if predictions is None:
            ax.set_xlabel(str(labels[i]), fontsize=11)
            continue
        wrong = predictions[i] != labels[i]
        color = WRONG_COLOR if wrong else RIGHT_COLOR
        ax.set_xlabel(
            f"✗ {predictions[i]} ({labels[i]})" if wrong else str(predictions[i]), color=color, fontsize=10
        )
        for spine in ax.spines.values():
            spine.set_edgecolor(color)
            spine.set_linewidth(2.5 if wrong else 0.5)
    if title:
        fig.suptitle("\n".join(textwrap.wrap(title, max(30, int(columns * side * 10.5)))))  # fits the width
    fig.tight_layout()
    return fig


def plot_misrecognized(images, labels, predictions, n: int = 40, columns: int = 10):
    """What the model gets wrong: the misrecognised digits first, then correct ones to fill the grid."""
    labels, predictions = np.asarray(labels), np.asarray(predictions)
    if labels.ndim == 2:
        labels = labels.argmax(axis=1)
    if predictions.ndim == 2:
        predictions = predictions.argmax(axis=1)
    wrong = np.flatnonzero(predictions != labels)
    order = np.concatenate([wrong, np.flatnonzero(predictions == labels)])[:n]
    title = translated(
        "plots", "{wrong:,} of {total:,} digits misrecognised (✗ predicted (true), shown first)"
    ).format(wrong=len(wrong), total=len(labels))
    return plot_digits(np.asarray(images)[order], labels[order], predictions[order], columns, title)


# -- curves -------------------------------------------------------------------------------------
def plot_history(history, metrics=None, title: str | None = None):
    """Training and validation curves per epoch from a Keras History (or its ``.history`` dict).

    A loss panel's y axis starts where the epochs after the first are visible.
    """
    logs = getattr(history, "history", history)
    if not logs:
        raise ValueError(translated("plots", "the history is empty: train for at least one epoch first"))
    if metrics is None:
        metrics = sorted(
            {k.removeprefix("val_") for k in logs if k != "learning_rate"}, key=lambda m: (m != "loss", m)
        )
    fig, axes = _figure(1, len(metrics), (4.8 * len(metrics), 3.6))
    for ax, name in zip(axes.flat, metrics, strict=False):
        series = [logs[key] for key in (name, "val_" + name) if key in logs]
        training, validation = translated("plots", "training"), translated("plots", "validation")
        for key, label, style in ((name, training, "-"), ("val_" + name, validation, "o-")):
            if key in logs:
                values = logs[key]
                ax.plot(range(1, len(values) + 1), values, style, label=label)
        if name.endswith("loss"):
            focus_loss_axis(
                ax, [v for values in series for v in values[1:]], [v for vs in series for v in vs]
            )
        ax.set_title(metric_name(name))
        epoch_axis(ax)
        ax.grid(True, alpha=0.3)
        ax.legend()
    if title:
        fig.suptitle(title)
    fig.tight_layout()
    return fig


def metric_name(name: str) -> str:
    """A metric as a figure names it: Keras' "loss" and "accuracy" in the course's language, others as is."""
    shown = {"loss": translated("plots", "loss"), "accuracy": translated("plots", "accuracy")}
    return shown.get(name, name)


def compare_histories(histories: dict, metrics=("loss", "accuracy"), split: str = "val"):
    """Several runs' curves overlaid, one panel per metric, so they share their axes.

    ``histories`` maps a run's name to its Keras History; ``split`` is "val" (validation) or "" (training).
    Loss panels start their y axis where the epochs after the first are visible.
    """
    if not histories:
        raise ValueError(translated("plots", "no runs to compare"))
    fig, axes = _figure(1, len(metrics), (4.8 * len(metrics), 3.8))
    prefix = f"{split}_" if split else ""
    for ax, name in zip(axes.flat, metrics, strict=False):
        curves = [getattr(history, "history", history)[prefix + name] for history in histories.values()]
        for i, (label, values) in enumerate(zip(histories, curves, strict=True)):
            # colour and dashes from the course style's cycle, plus a marker of its own
            ax.plot(range(1, len(values) + 1), values, marker=MARKERS[i % len(MARKERS)], label=label)
        if name.endswith("loss"):
            later = [v for values in curves for v in values[1:]]
            focus_loss_axis(ax, later, [v for values in curves for v in values])
        if split == "val":
            ax.set_title(translated("plots", "validation {metric}").format(metric=metric_name(name)))
        else:
            ax.set_title(translated("plots", "training {metric}").format(metric=metric_name(name)))
        epoch_axis(ax)
        ax.grid(True, alpha=0.3)
        ax.legend()
    fig.tight_layout()
    return fig


def plot_weight_templates(kernel, columns: int = 5):
    """One 28x28 image per output neuron's weights: red positive, blue negative, one scale centred at 0."""
    kernel = np.asarray(kernel)
    if kernel.ndim != 2 or kernel.shape[0] != 784:
        raise ValueError(
            translated("plots", "expected a (784, neurons) kernel, got shape {shape}").format(
                shape=kernel.shape
            )
        )
    neurons = kernel.shape[1]
    rows = -(-neurons // columns)
    fig, axes = _figure(rows, columns, (1.7 * columns + 1.2, 1.9 * rows + 0.3))
    limit = float(np.abs(kernel).max()) or 1.0
    for i, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if i >= neurons:
            ax.axis("off")
            continue
        image = ax.imshow(kernel[:, i].reshape(28, 28), cmap=DIVERGING_CMAP, vmin=-limit, vmax=limit)
        ax.set_title(translated("plots", "neuron {index}").format(index=i), fontsize=10)
    label = translated("plots", "weight (red: ink here raises the score)")
    fig.colorbar(image, ax=list(axes.flat), shrink=0.8, label=label)
    return fig


def plot_learning_rate(schedule, epochs: int, log_scale: bool = True):
    """The learning rate of each epoch, counted from 1; Keras calls ``schedule`` with 0 for epoch 1."""
    if epochs < 1:
        raise ValueError(translated("plots", "epochs must be at least 1, got {epochs}").format(epochs=epochs))
    rates = [float(schedule(index)) for index in range(epochs)]
    fig, axes = _figure(1, 1, (6, 3))
    ax = axes[0, 0]
    ax.plot(range(1, epochs + 1), rates, "o-")
    epoch_axis(ax)
    ax.set_ylabel(translated("plots", "learning rate"))
    if log_scale:
        ax.set_yscale("log")
    ax.set_title(translated("plots", "Learning-rate schedule"))
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return fig


# -- activation functions -----------------------------------------------------------------------
def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _softmax_first(x):
    """Softmax probability of the first of four logits (x, 1, 0, -1)."""
    others = np.exp(np.array([1.0, 0.0, -1.0])).sum()
    return np.exp(x) / (np.exp(x) + others)


MAXOUT_PIECES = ((-0.5, -1.0), (0.25, 0.0), (1.0, -1.5))  # (slope, offset) of each linear piece


def maxout(x, pieces=MAXOUT_PIECES):
    """Maxout of one input: the largest of several linear functions ``slope * x + offset``."""
    x = np.asarray(x, dtype=float)
    return np.max([slope * x + offset for slope, offset in pieces], axis=0)


def _maxout_derivative(x, pieces=MAXOUT_PIECES):
    """The slope of whichever piece is the largest at x."""
    x = np.asarray(x, dtype=float)
    winner = np.argmax([slope * x + offset for slope, offset in pieces], axis=0)
    return np.asarray([slope for slope, _ in pieces])[winner]


ACTIVATIONS = {
    # name: (function, derivative)
    "sigmoid": (_sigmoid, lambda x: _sigmoid(x) * (1 - _sigmoid(x))),
    "tanh": (np.tanh, lambda x: 1 - np.tanh(x) ** 2),
    "relu": (lambda x: np.maximum(x, 0), lambda x: (x > 0).astype(float)),
    "leaky_relu": (lambda x: np.where(x > 0, x, 0.1 * x), lambda x: np.where(x > 0, 1.0, 0.1)),
    "elu": (
        lambda x: np.where(x > 0, x, np.expm1(np.minimum(x, 0))),
        lambda x: np.where(x > 0, 1.0, np.exp(x)),
    ),
    "maxout": (maxout, _maxout_derivative),
    "softmax": (_softmax_first, lambda x: _softmax_first(x) * (1 - _softmax_first(x))),
}


def plot_activations(
    names=("sigmoid", "tanh", "relu", "leaky_relu", "elu", "maxout", "softmax"), x_range=(-5, 5)
):
    """Each activation function (solid) with its derivative (dashed), one panel each."""
    unknown = [n for n in names if n not in ACTIVATIONS]
    if unknown:
        raise ValueError(
            translated("plots", "unknown activation(s) {unknown}; choose from {choices}").format(
                unknown=unknown, choices=sorted(ACTIVATIONS)
            )
        )
    x = np.linspace(*x_range, 401)
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig, axes = _figure(rows, cols, (3.2 * cols, 2.8 * rows))
    for ax, name in zip(axes.flat, names, strict=False):
        f, df = ACTIVATIONS[name]
        ax.plot(x, f(x), lw=2, label=name)
        ax.plot(x, df(x), "--", lw=1.5, label=translated("plots", "derivative"))
        ax.axhline(0, color="gray", lw=0.5)
        ax.axvline(0, color="gray", lw=0.5)
        titles = {
            "softmax": translated("plots", "softmax (first of logits x, 1, 0, -1)"),
            "maxout": translated("plots", "maxout of 3 lines (learned in a network)"),
        }
        ax.set_title(titles.get(name, name), fontsize=10)
        ax.legend()
        ax.grid(True, alpha=0.3)
    for ax in list(axes.flat)[len(names) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig


# -- 2-D classification (lesson 1) --------------------------------------------------------------
CLASS_STYLES = ((0, "o", BLUE), (1, "^", VERMILLION))  # (class, marker, colour): two cues per class


def _probability_grid(predict, X, resolution: int):
    pad = 1.0
    (x0, y0), (x1, y1) = X.min(axis=0) - pad, X.max(axis=0) + pad
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    probs = np.asarray(predict(np.column_stack([gx.ravel(), gy.ravel()]))).reshape(gx.shape)
    return gx, gy, probs


def _draw_boundary(ax, predict, X, y, resolution: int, point_size: float = 22):
    """Shade P(class 1), draw its 0.5 contour and the points; returns the shading (for a colourbar)."""
    gx, gy, probs = _probability_grid(predict, X, resolution)
    shade = ax.contourf(gx, gy, probs, levels=np.linspace(0, 1, 11), cmap=DIVERGING_CMAP, alpha=0.35)
    ax.contour(gx, gy, probs, levels=[0.5], colors="black", linewidths=1.5)
    for label, marker, color in CLASS_STYLES:
        pts = X[y == label]
        ax.scatter(
            pts[:, 0],
            pts[:, 1],
            marker=marker,
            c=color,
            edgecolor="k",
            s=point_size,
            label=translated("plots", "class {label}").format(label=label),
        )
    return shade


def plot_decision_boundary(predict, X, y, title: str | None = None, resolution: int = 200):
    """Points of two classes (colour and marker) over the model's probability, with its 0.5 boundary.

    ``predict`` maps an (n, 2) array to n probabilities of class 1.
    """
    X, y = np.asarray(X), np.asarray(y)
    fig, axes = _figure(1, 1, (5.5, 4.5))
    ax = axes[0, 0]
    shade = _draw_boundary(ax, predict, X, y, resolution)
    fig.colorbar(shade, ax=ax, label=translated("plots", "P(class 1)"))
    ax.legend(loc="best")
    ax.set_title(title or translated("plots", "Decision boundary (P = 0.5)"))
    fig.tight_layout()
    return fig


def plot_decision_boundaries(predict, X, y, weights_history, epochs=None, resolution: int = 100):
    """The decision boundary at a few moments of training, one small panel each (lesson 1).

    ``predict(points, weights)`` maps an (n, 2) array to n probabilities of class 1 with the given
    weights; ``weights_history[e]`` holds the weights after epoch ``e`` (0: before training).
    ``epochs`` picks the moments (by default four, from the first to the last).
    """
    X, y = np.asarray(X), np.asarray(y)
    if len(weights_history) == 0:
        raise ValueError(
            translated("plots", "weights_history is empty: keep the weights of each epoch while training")
        )
    last = len(weights_history) - 1
    if epochs is None:
        epochs = sorted(set(np.linspace(0, last, min(4, last + 1)).round().astype(int).tolist()))
    epochs = list(epochs)
    outside = [e for e in epochs if not 0 <= e <= last]
    if outside:
        raise ValueError(
            translated("plots", "epochs {outside} are not in weights_history (0 to {last})").format(
                outside=outside, last=last
            )
        )
    fig, axes = _figure(
        1, len(epochs), (2.6 * len(epochs) + 1.0, 3.4), sharex=True, sharey=True, layout="constrained"
    )
    for ax, epoch in zip(axes.flat, epochs, strict=True):
        weights = weights_history[epoch]
        shade = _draw_boundary(ax, lambda points, w=weights: predict(points, w), X, y, resolution, 14)
        if epoch == 0:
            ax.set_title(translated("plots", "before training"))
        else:
            ax.set_title(translated("plots", "after epoch {epoch}").format(epoch=epoch))
        ax.set_xlabel("$x_1$")
    axes[0, 0].set_ylabel("$x_2$")
    axes[0, -1].legend(loc="best")
    fig.suptitle(translated("plots", "The decision boundary (P = 0.5) moves while the neuron trains"))
    fig.colorbar(shade, ax=list(axes.flat), label=translated("plots", "P(class 1)"), shrink=0.9)
    return fig
