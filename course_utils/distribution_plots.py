"""Distributions of weights and activations: per layer (lesson 4) and over training (lesson 11).

Quantile bands (the middle 50 % and 90 % of the values, and the median) are easier to read for a
beginner than overlaid histograms; each band has its own line style and a label, not just a colour.
Each plot returns a closed matplotlib Figure in the course style (importing ``course_utils.plots``
applies it).
"""

from __future__ import annotations

import numpy as np

from course_utils.plots import _figure, epoch_axis
from course_utils.style import BLUE, VERMILLION

QUANTILES = (5, 25, 50, 75, 95)  # percent: the 90 % band, the 50 % band, the median
BAND_STYLES = {5: ":", 25: "--", 50: "-", 75: "--", 95: ":"}  # the quantile lines' dashes


def quantiles(values, percents=QUANTILES) -> np.ndarray:
    """The given percentiles of all the values (any shape), in the order of ``percents``."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0:
        raise ValueError("no values to summarise")
    return np.percentile(values, percents)


def _runs(snapshots) -> dict[str, dict[int, np.ndarray]]:
    if not snapshots:
        raise ValueError("no activations: record them with callbacks.ActivationRecorder while training")
    first = next(iter(snapshots.values()))
    if not isinstance(first, dict):  # one run: {epoch: activations}
        snapshots = {"": snapshots}
    if not all(run for run in snapshots.values()):
        raise ValueError("a run has no recorded epochs")
    return {name: dict(sorted(run.items())) for name, run in snapshots.items()}


def plot_activation_distributions(snapshots, layer: str = "the layer", percents=QUANTILES):
    """A layer's activations over training, one panel per run: the 5–95 % and 25–75 % bands and the median.

    ``snapshots`` maps a run's name (say "without batch norm", "with batch norm") to
    ``{epoch: activations}``, such as ``ActivationRecorder.activations``; one run's dict works too.
    """
    runs = _runs(snapshots)
    low_out, low_in, median, high_in, high_out = percents
    fig, axes = _figure(1, len(runs), (4.6 * len(runs), 3.8), sharey=True)
    colors = (BLUE, VERMILLION)
    for i, (ax, (name, run)) in enumerate(zip(axes.flat, runs.items(), strict=True)):
        color = colors[i % 2]
        epochs = np.array(list(run))
        table = np.array([quantiles(values, percents) for values in run.values()])  # (epochs, 5)
        ax.fill_between(epochs, table[:, 0], table[:, 4], color=color, alpha=0.15, lw=0)
        ax.fill_between(epochs, table[:, 1], table[:, 3], color=color, alpha=0.35, lw=0)
        labels = {
            low_out: f"{low_out}–{high_out} % of the values",
            low_in: f"{low_in}–{high_in} % of the values",
            median: "median",
        }
        for column, percent in enumerate(percents):
            style = BAND_STYLES.get(QUANTILES[column], "-")
            ax.plot(
                epochs,
                table[:, column],
                ls=style,
                color=color,
                lw=2.5 if column == 2 else 1.2,
                marker="o" if column == 2 else None,
                label=labels.get(percent, f"_{percent} %"),  # one legend entry per band
            )
        ax.axhline(0, color="gray", lw=0.8)
        ax.set_title(name or layer)
        epoch_axis(ax, "epoch (0: before training)")
        ax.grid(True, alpha=0.3)
    axes[0, 0].set_ylabel(f"activations of {layer}")
    axes[0, -1].legend(loc="best")
    fig.suptitle(f"How the activations of {layer} spread out during training")
    fig.tight_layout()
    return fig


def plot_layer_distributions(values_per_layer: dict, title: str | None = None, what: str = "value"):
    """One histogram per layer (weights or activations), on one shared x axis, with each layer's spread."""
    if not values_per_layer:
        raise ValueError("no layers: give a dict {layer name: values}")
    arrays = {name: np.asarray(values, dtype=np.float64).ravel() for name, values in values_per_layer.items()}
    everything = np.concatenate(list(arrays.values()))
    low, high = np.percentile(everything, [0.5, 99.5])
    if high <= low:
        low, high = low - 1, high + 1
    bins = np.linspace(low, high, 41)
    count = len(arrays)
    columns = min(count, 4)
    rows = -(-count // columns)
    fig, axes = _figure(rows, columns, (2.4 * columns + 0.4, 2.3 * rows + 0.7), sharex=True)
    for ax, (name, values) in zip(axes.flat, arrays.items(), strict=False):
        ax.hist(np.clip(values, low, high), bins=bins, color=BLUE, edgecolor="white", lw=0.3)
        ax.axvline(0, color="gray", lw=0.8)
        ax.set_title(f"{name}\nstd {values.std():.3g}", fontsize=10)
        ax.set_yticks([])
        ax.set_xlabel(what)
    for ax in list(axes.flat)[count:]:
        ax.axis("off")
    fig.suptitle(title or f"Distribution of the {what}s, layer by layer")
    fig.tight_layout()
    return fig
