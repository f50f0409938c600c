"""Pictures of convolution (lessons 9 and 10): a filter on a digit, output sizes, filters, maps, shapes.

Every output map is computed by TensorFlow's own convolution (``convolve``), the operation a Conv2D
layer runs: a cross-correlation, the filter slid over the image without flipping it. Each plot returns
a closed matplotlib Figure in the course style (importing ``course_utils.plots`` applies it).
"""

from __future__ import annotations

import numpy as np

from course_utils.i18n import translated
from course_utils.plots import _figure
from course_utils.style import DIVERGING_CMAP

# Hand-set 3×3 filters for lesson 9 (Sobel): each answers an edge of one direction with a large value.
EDGE_FILTERS = {
    "vertical edges": np.array([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], np.float32),
    "horizontal edges": np.array([[-1, -2, -1], [0, 0, 0], [1, 2, 1]], np.float32),
}
MAP_CMAP = "viridis"  # maps that are never negative (after ReLU): dark 0, bright large


def _image(image) -> np.ndarray:
    image = np.asarray(image, dtype=np.float32)
    if image.ndim == 1 and image.size == 28 * 28:
        image = image.reshape(28, 28)
    image = np.squeeze(image)
    if image.ndim != 2:
        raise ValueError(
            translated(
                "conv_plots", "expected one greyscale image (28×28 or 784 values), got shape {shape}"
            ).format(shape=np.shape(image))
        )
    return image


def _kernel(kernel) -> np.ndarray:
    kernel = np.squeeze(np.asarray(kernel, dtype=np.float32))
    if kernel.ndim != 2:
        raise ValueError(
            translated("conv_plots", "expected one 2-D filter (such as 3×3), got shape {shape}").format(
                shape=np.shape(kernel)
            )
        )
    return kernel


def _size(shape) -> str:
    return "×".join(str(int(n)) for n in shape)


def _symmetric(values) -> dict:
    """Colour limits centred at 0, so white is 0, red positive and blue negative."""
    limit = float(np.abs(values).max()) or 1.0
    return dict(cmap=DIVERGING_CMAP, vmin=-limit, vmax=limit)


def _bare(ax) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


def convolve(image, kernel, stride: int = 1, padding: str = "valid") -> np.ndarray:
    """The output map of one filter on one greyscale image, as a Conv2D layer computes it (tf.nn.conv2d)."""
    import tensorflow as tf

    if padding not in ("valid", "same"):
        raise ValueError(
            translated("conv_plots", 'padding must be "valid" or "same", got {padding!r}').format(
                padding=padding
            )
        )
    image, kernel = _image(image), _kernel(kernel)
    outputs = tf.nn.conv2d(image[None, :, :, None], kernel[:, :, None, None], stride, padding.upper())
    return outputs.numpy()[0, :, :, 0]


def plot_convolution(image, kernel, stride: int = 1, padding: str = "valid", title: str | None = None):
    """The image, the filter (its numbers in its cells) and the output map side by side, with their sizes."""
    image, kernel = _image(image), _kernel(kernel)
    output = convolve(image, kernel, stride, padding)
    fig, axes = _figure(1, 3, (9.5, 3.6), width_ratios=[1, 0.8, 1.2])
    ax_image, ax_kernel, ax_output = axes[0]
    ax_image.imshow(image, cmap="gray_r", vmin=0, vmax=max(1.0, float(image.max())))
    ax_image.set_title(translated("conv_plots", "image {size}").format(size=_size(image.shape)))
    ax_kernel.imshow(kernel, **_symmetric(kernel))
    limit = float(np.abs(kernel).max()) or 1.0
    for (row, col), value in np.ndenumerate(kernel):
        strong = abs(value) > 0.6 * limit
        ax_kernel.text(col, row, f"{value:g}", ha="center", va="center", fontsize=11,
                       color="white" if strong else "black")  # fmt: skip
    ax_kernel.set_title(translated("conv_plots", "filter {size}").format(size=_size(kernel.shape)))
    shown = ax_output.imshow(output, **_symmetric(output))
    ax_output.set_title(translated("conv_plots", "output {size}").format(size=_size(output.shape)))
    fig.colorbar(shown, ax=ax_output, shrink=0.8, label=translated("conv_plots", "filter's answer"))
    for ax in axes[0]:
        _bare(ax)
    ax_kernel.set_xlabel(translated("conv_plots", "slid over the image"))
    ax_output.set_xlabel(
        translated("conv_plots", 'stride {stride}, padding "{padding}"').format(
            stride=stride, padding=padding
        )
    )
    fig.suptitle(
        title
        or translated("conv_plots", "{input} → {output}: one filter, one output map").format(
            input=_size(image.shape), output=_size(output.shape)
        )
    )
    return fig


def plot_output_sizes(image, kernel, settings=((1, "valid"), (1, "same"), (2, "same"))):
    """The output map for each (stride, padding) setting, drawn to the input's scale so sizes compare."""
    image, kernel = _image(image), _kernel(kernel)
    settings = [tuple(setting) for setting in settings]
    if not settings:
        raise ValueError(
            translated("conv_plots", 'no settings: give (stride, padding) pairs such as (2, "same")')
        )
    fig, axes = _figure(1, len(settings) + 1, (2.6 * (len(settings) + 1), 3.3))
    height, width = image.shape
    axes[0, 0].imshow(image, cmap="gray_r", extent=(0, width, height, 0))
    axes[0, 0].set_title(translated("conv_plots", "input {size}").format(size=_size(image.shape)))
    for ax, (stride, padding) in zip(axes[0, 1:], settings, strict=True):
        output = convolve(image, kernel, stride, padding)
        # one output pixel per input pixel: a smaller map looks smaller, next to the input's frame
        rows, cols = output.shape
        ax.imshow(output, extent=(0, cols, rows, 0), **_symmetric(output))
        ax.set_title(
            translated("conv_plots", 'stride {stride}, "{padding}"\n→ {size}').format(
                stride=stride, padding=padding, size=_size(output.shape)
            )
        )
    for ax in axes[0]:
        ax.set_xlim(0, width)
        ax.set_ylim(height, 0)
        ax.set_xticks([0, width // 2, width])
        ax.set_yticks([0, height // 2, height])
    fig.suptitle(
        translated("conv_plots", "A {size} filter: the output's size depends on stride and padding").format(
            size=_size(kernel.shape)
        )
    )
    fig.tight_layout()
    return fig


def _conv_kernel(layer_or_kernel) -> tuple[np.ndarray, str]:
    kernel = layer_or_kernel
    name = getattr(layer_or_kernel, "name", None)
    if hasattr(layer_or_kernel, "get_weights"):
        weights = layer_or_kernel.get_weights()
        if not weights:
            raise ValueError(
                translated(
                    "conv_plots", "layer {name!r} has no weights yet: build or train the model first"
                ).format(name=name)
            )
        kernel = weights[0]
    kernel = np.asarray(kernel, dtype=np.float32)
    if kernel.ndim == 2:
        kernel = kernel[:, :, None, None]
    if kernel.ndim != 4:
        raise ValueError(
            translated(
                "conv_plots", "expected a Conv2D layer or a (height, width, in, out) kernel, got {shape}"
            ).format(shape=kernel.shape)
        )
    return kernel, name or translated("conv_plots", "filters")


def plot_filters(layer_or_kernel, channel: int = 0, columns: int = 8, max_filters: int = 32):
    """A Conv2D layer's filters (on input channel ``channel``) as small images on one scale centred at 0."""
    kernel, name = _conv_kernel(layer_or_kernel)
    if not 0 <= channel < kernel.shape[2]:
        raise ValueError(
            translated(
                "conv_plots", "channel {channel} does not exist: the filters have {channels} input channels"
            ).format(channel=channel, channels=kernel.shape[2])
        )
    filters = kernel[:, :, channel, :max_filters]
    count = filters.shape[-1]
    columns = min(columns, count)
    rows = -(-count // columns)
    fig, axes = _figure(rows, columns, (1.05 * columns + 1.4, 1.15 * rows + 0.9))
    style = _symmetric(filters)
    for i, ax in enumerate(axes.flat):
        _bare(ax)
        if i >= count:
            ax.axis("off")
            continue
        shown = ax.imshow(filters[:, :, i], **style)
        ax.set_title(str(i), fontsize=10)
    fig.colorbar(shown, ax=list(axes.flat), shrink=0.9, label=translated("conv_plots", "weight"))
    fields = dict(
        name=name, filters=kernel.shape[-1], size=_size(kernel.shape[:2]), channel=channel, shown=count
    )
    if kernel.shape[2] > 1 and kernel.shape[-1] > count:
        title = translated(
            "conv_plots",
            "{name}: {filters} filters {size}, input channel {channel} (first {shown} of {filters})",
        )
    elif kernel.shape[2] > 1:
        title = translated("conv_plots", "{name}: {filters} filters {size}, input channel {channel}")
    elif kernel.shape[-1] > count:
        title = translated("conv_plots", "{name}: {filters} filters {size} (first {shown} of {filters})")
    else:
        title = translated("conv_plots", "{name}: {filters} filters {size}")
    fig.suptitle(title.format(**fields))
    return fig


def _conv_layers(model, layers):
    import keras

    if layers is None:
        chosen = [layer for layer in model.layers if isinstance(layer, keras.layers.Conv2D)]
    else:
        chosen = [model.get_layer(layer) if isinstance(layer, str) else layer for layer in layers]
    if not chosen:
        raise ValueError(
            translated(
                "conv_plots", "the model has no Conv2D layer: name the layers to show with layers=[...]"
            )
        )
    return chosen


def feature_maps(model, image, layers=None) -> dict[str, np.ndarray]:
    """The outputs (height, width, channels) of each Conv2D layer (or of ``layers``) for one image."""
    import keras

    chosen = _conv_layers(model, layers)
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        inputs = None
    if not inputs:
        raise ValueError(
            translated("conv_plots", "the model has no defined input: build it with keras.Input(...) first")
        )
    probe = keras.Model(inputs[0] if len(inputs) == 1 else inputs, [layer.output for layer in chosen])
    batch = np.asarray(image, dtype=np.float32).reshape((1, *inputs[0].shape[1:]))
    outputs = probe(batch, training=False)
    outputs = outputs if isinstance(outputs, (list, tuple)) else [outputs]
    return {
        layer.name: keras.ops.convert_to_numpy(out)[0] for layer, out in zip(chosen, outputs, strict=True)
    }


def plot_feature_maps(model, image, layers=None, per_layer: int = 8):
    """One row per Conv2D layer: the first ``per_layer`` maps it outputs for one image, with its shape."""
    maps = feature_maps(model, image, layers)
    columns = min(per_layer, max(m.shape[-1] for m in maps.values()))
    fig, axes = _figure(len(maps), columns + 1, (1.05 * (columns + 1) + 0.6, 1.3 * len(maps) + 0.7))
    for row, (name, values) in zip(axes, maps.items(), strict=True):
        row[0].imshow(_image(image), cmap="gray_r")
        row[0].set_ylabel(f"{name}\n{_size(values.shape)}", fontsize=10)
        style = (
            _symmetric(values) if values.min() < 0 else dict(cmap=MAP_CMAP, vmin=0, vmax=values.max() or 1)
        )
        for i, ax in enumerate(row[1:]):
            if i < values.shape[-1]:
                ax.imshow(values[:, :, i], **style)
                ax.set_title(translated("conv_plots", "map {index}").format(index=i), fontsize=10)
            else:
                ax.axis("off")
        for ax in row:
            _bare(ax)
    axes[0, 0].set_title(translated("conv_plots", "input"), fontsize=10)
    fig.suptitle(
        translated(
            "conv_plots",
            "Feature maps of one digit, one row per convolutional layer (name, height×width×maps)",
        )
    )
    fig.tight_layout()
    return fig


def _describe(layer) -> str:
    kind = type(layer).__name__
    config = layer.get_config()
    if "filters" in config and "kernel_size" in config:
        strides = config.get("strides", (1, 1))
        text = f"{kind} {config['filters']}@{_size(config['kernel_size'])}"
        if tuple(strides) != (1, 1):
            stride = strides[0] if strides[0] == strides[-1] else _size(strides)
            text = translated("conv_plots", "{layer} stride {stride}").format(layer=text, stride=stride)
        return text + f" {config.get('padding', '')}".rstrip()
    if "pool_size" in config:
        return f"{kind} {_size(config['pool_size'])}"
    if "units" in config:
        return f"{kind} {config['units']}"
    if "rate" in config:
        return f"{kind} {config['rate']:g}"
    return kind


def tensor_shapes(model) -> list[tuple[str, tuple[int, ...]]]:
    """(description, shape without the batch axis) of the input and of each layer's output, in order."""
    inputs = getattr(model, "inputs", None)
    if not inputs:
        raise ValueError(
            translated("conv_plots", "the model has no defined input: build it with keras.Input(...) first")
        )
    rows = [("Input", tuple(int(n) for n in inputs[0].shape[1:]))]
    for layer in model.layers:
        if type(layer).__name__ == "InputLayer":
            continue
        rows.append((_describe(layer), tuple(int(n) for n in layer.output.shape[1:])))
    return rows


def plot_tensor_shapes(model, title: str | None = None):
    """The tensor shapes from the model's input to its output, one box per layer, read from the model."""
    rows = tensor_shapes(model)
    fig, axes = _figure(1, 1, (7.5, 0.5 * len(rows) + 0.9))
    ax = axes[0, 0]
    ax.set_xlim(0, 1)
    ax.set_ylim(len(rows) - 0.4, -0.8)
    ax.axis("off")
    layer_box = dict(boxstyle="round,pad=0.3", facecolor="#E8F1F8", edgecolor="#0072B2")
    shape_box = dict(boxstyle="square,pad=0.3", facecolor="white", edgecolor="#333333")
    ax.text(0.02, -0.6, translated("conv_plots", "layer"), fontsize=11, fontweight="bold", va="center")
    heading = translated("conv_plots", "output shape (numbers per image)")
    ax.text(0.60, -0.6, heading, fontsize=11, fontweight="bold", va="center")
    for y, (description, shape) in enumerate(rows):
        ax.text(0.02, y, description, fontsize=11, va="center", bbox=layer_box)
        count = int(np.prod(shape))
        text = translated("conv_plots", "{shape}  ({count:,})").format(shape=_size(shape), count=count)
        ax.text(0.60, y, text, fontsize=11, va="center", bbox=shape_box)
        ax.annotate("", (0.585, y), (0.47, y), arrowprops=dict(arrowstyle="->", color="#333333"))
    ax.set_title(
        title
        or translated("conv_plots", "{model}: shapes from input to output").format(
            model=getattr(model, "name", "model")
        )
    )
    fig.tight_layout()
    return fig
