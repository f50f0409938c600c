"""Distributions of weights and activations: per layer (lesson 4) and over training (lesson 11).

Quantile bands (the middle 50 % and 90 % of the values, and the median) are easier to read for a
beginner than overlaid histograms; each band has its own line style and a label, not just a colour.
Each plot returns a closed matplotlib Figure in the course style (importing ``course_utils.plots``
applies it).
"""

from __future__ import annotations

import numpy as np

from course_utils.i18n import translated
from course_utils.plots import _figure, epoch_axis
from course_utils.style import BLUE, VERMILLION

QUANTILES = (5, 25, 50, 75, 95)  # percent: the 90 % band, the 50 % band, the median
BAND_STYLES = {5: ":", 25: "--", 50: "-", 75: "--", 95: ":"}  # the quantile lines' dashes


def quantiles(values, percents=QUANTILES) -> np.ndarray:
    """The given percentiles of all the values (any shape), in the order of ``percents``."""
    values = np.asarray(values, dtype=np.float64).ravel()
    if values.size == 0:
        raise ValueError(translated("distribution_plots", "no values to summarise"))
    return np.percentile(values, percents)


def _runs(snapshots) -> dict[str, dict[int, np.ndarray]]:
    if not snapshots:
        raise ValueError(
            translated(
                "distribution_plots",
                "no activations: record them with callbacks.ActivationRecorder while training",
            )
        )
    first = next(iter(snapshots.values()))
    if not isinstance(first, dict):  # one run: {epoch: activations}
        snapshots = {"": snapshots}
    if not all(run for run in snapshots.values()):
        raise ValueError(translated("distribution_plots", "a run has no recorded epochs"))
    return {name: dict(sorted(run.items())) for name, run in snapshots.items()}


def plot_activation_distributions(snapshots, layer: str | None = None, percents=QUANTILES):
    """A layer's activations over training, one panel per run: the 5–95 % and 25–75 % bands and the median.

    ``snapshots`` maps a run's name (say "without batch norm", "with batch norm") to
    ``{epoch: activations}``, such as ``ActivationRecorder.activations``; one run's dict works too.
    """
    runs = _runs(snapshots)
    if layer is None:
        layer = translated("distribution_plots", "the layer")
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
            low_out: translated("distribution_plots", "{low}–{high} % of the values").format(
                low=low_out, high=high_out
            ),
            low_in: translated("distribution_plots", "{low}–{high} % of the values").format(
                low=low_in, high=high_in
            ),
            median: translated("distribution_plots", "median"),
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
        epoch_axis(ax, translated("distribution_plots", "epoch (0: before training)"))
        ax.grid(True, alpha=0.3)
    axes[0, 0].set_ylabel(translated("distribution_plots", "activations of {layer}").format(layer=layer))
    axes[0, -1].legend(loc="best")
    fig.suptitle(
        translated("distribution_plots", "How the activations of {layer} spread out during training").format(
            layer=layer
        )
    )
    fig.tight_layout()
    return fig


def _what(what: str) -> tuple[str, str]:
    """The x label and the default title for the values of `what` (weights, activations…), translated."""
    if what == "value":
        return translated("distribution_plots", "value"), translated(
            "distribution_plots", "Distribution of the values, layer by layer"
        )
    if what == "weight":
        return translated("distribution_plots", "weight"), translated(
            "distribution_plots", "Distribution of the weights, layer by layer"
        )
    if what == "activation":
        return translated("distribution_plots", "activation"), translated(
            "distribution_plots", "Distribution of the activations, layer by layer"
        )
    return what, translated("distribution_plots", "Distribution of the {what}s, layer by layer").format(
        what=what
    )


def plot_layer_distributions(values_per_layer: dict, title: str | None = None, what: str = "value"):
    """One histogram per layer (weights or activations), on one shared x axis, with each layer's spread."""
    if not values_per_layer:
        raise ValueError(
            translated("distribution_plots", "no layers: give a dict {{layer name: values}}").format()
        )
    arrays = {name: np.asarray(values, dtype=np.float64).ravel() for name, values in values_per_layer.items()}
    everything = np.concatenate(list(arrays.values()))
    low, high = np.percentile(everything, [0.5, 99.5])
    if high <= low:
        low, high = low - 1, high + 1
    bins = np.linspace(low, high, 41)
    label, heading = _what(what)
    count = len(arrays)
    columns = min(count, 4)
    rows = -(-count // columns)
    fig, axes = _figure(rows, columns, (2.4 * columns + 0.4, 2.3 * rows + 0.7), sharex=True)
    for ax, (name, values) in zip(axes.flat, arrays.items(), strict=False):
        ax.hist(np.clip(values, low, high), bins=bins, color=BLUE, edgecolor="white", lw=0.3)
        ax.axvline(0, color="gray", lw=0.8)
        ax.set_title(
            translated("distribution_plots", "{name}\nstd {std:.3g}").format(name=name, std=values.std()),
            fontsize=10,
        )
        ax.set_yticks([])
        ax.set_xlabel(label)
    for ax in list(axes.flat)[count:]:
        ax.axis("off")
    fig.suptitle(title or heading)
    fig.tight_layout()
    return fig
