"""The new figure helpers draw the right thing: the filter, the layer, the shapes, the quantiles."""

import time

import keras
import numpy as np
import pytest

from course_utils import conv_plots, distribution_plots, plots
from course_utils.callbacks import ActivationRecorder
from course_utils.models import batch_normalized_network

SOBEL = conv_plots.EDGE_FILTERS["vertical edges"]


@pytest.fixture(scope="module")
def digit():
    images, _ = plots.font_digits(("DejaVuSans.ttf",))
    return images[7]


def _reference(image, kernel, stride=1, padding="valid"):
    """Cross-correlation by numpy (what Keras computes), with TensorFlow's "same" padding."""
    kh, kw = kernel.shape
    if padding == "same":
        out_h, out_w = -(-image.shape[0] // stride), -(-image.shape[1] // stride)
        pad_h = max((out_h - 1) * stride + kh - image.shape[0], 0)
        pad_w = max((out_w - 1) * stride + kw - image.shape[1], 0)
        image = np.pad(image, ((pad_h // 2, pad_h - pad_h // 2), (pad_w // 2, pad_w - pad_w // 2)))
    windows = np.lib.stride_tricks.sliding_window_view(image, kernel.shape)[::stride, ::stride]
    return np.einsum("ijkl,kl->ij", windows, kernel)


def _model(name="model"):
    """Two convolutions with different filter counts, so a map from the wrong layer cannot pass."""
    keras.utils.set_random_seed(1)
    return keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Reshape((28, 28, 1)),
            keras.layers.Conv2D(5, 3, padding="same", activation="relu", name="first"),
            keras.layers.Conv2D(7, 5, strides=2, padding="same", name="second"),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.25),
            keras.layers.Dense(10, activation="softmax"),
        ],
        name=name,
    )


def _images(fig):
    return [np.asarray(ax.images[0].get_array()) for ax in fig.axes if ax.images]


# -- convolution -----------------------------------------------------------------------------------
@pytest.mark.parametrize("stride, padding", [(1, "valid"), (1, "same"), (2, "same"), (2, "valid")])
def test_the_output_map_is_the_cross_correlation_of_the_image_with_the_kernel(digit, stride, padding):
    kernel = np.arange(9, dtype=np.float32).reshape(3, 3) - 3  # no symmetry: a flip would show
    fig = conv_plots.plot_convolution(digit, kernel, stride, padding)
    image, shown_kernel, output = _images(fig)
    expected = _reference(digit, kernel, stride, padding)
    np.testing.assert_allclose(output, expected, rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(conv_plots.convolve(digit, kernel, stride, padding), expected, atol=1e-5)
    np.testing.assert_array_equal(image, digit)
    np.testing.assert_array_equal(shown_kernel, kernel)
    flipped = _reference(digit, kernel[::-1, ::-1], stride, padding)
    assert not np.allclose(output, flipped, atol=1e-3)  # a true convolution (flipped kernel) differs


def test_the_kernel_shows_its_numbers_and_the_titles_its_sizes(digit):
    fig = conv_plots.plot_convolution(digit, SOBEL)
    numbers = [text.get_text() for text in fig.axes[1].texts]
    assert numbers == [f"{v:g}" for v in SOBEL.ravel()]
    assert fig._suptitle.get_text().startswith("28×28 → 26×26")
    assert [ax.get_title() for ax in fig.axes[:3]] == ["image 28×28", "filter 3×3", "output 26×26"]


def test_output_sizes_follow_stride_and_padding(digit):
    fig = conv_plots.plot_output_sizes(digit, SOBEL)
    shapes = [image.shape for image in _images(fig)]
    assert shapes == [(28, 28), (26, 26), (28, 28), (14, 14)]  # ceil(28 / 2) = 14 with "same"
    assert fig.axes[3].get_title().endswith("→ 14×14")
    np.testing.assert_allclose(_images(fig)[3], _reference(digit, SOBEL, 2, "same"), atol=1e-5)
    with pytest.raises(ValueError, match="padding"):
        conv_plots.convolve(digit, SOBEL, 1, "full")


# -- filters and feature maps ----------------------------------------------------------------------
def test_plot_filters_shows_the_kernels_of_the_requested_layer():
    model = _model()
    for layer in (model.get_layer("first"), model.get_layer("second")):
        fig = conv_plots.plot_filters(layer)
        kernel = layer.get_weights()[0]
        shown = _images(fig)
        assert len(shown) == kernel.shape[-1]
        for i, image in enumerate(shown):
            np.testing.assert_array_equal(image, kernel[:, :, 0, i])
        limits = {image.get_clim() for ax in fig.axes for image in ax.images}
        assert len(limits) == 1 and next(iter(limits))[0] == -next(iter(limits))[1]  # centred at 0
        assert layer.name in fig._suptitle.get_text()


def test_plot_filters_shows_the_requested_channel_and_accepts_a_kernel():
    kernel = np.random.default_rng(0).normal(size=(3, 3, 2, 4)).astype(np.float32)
    shown = _images(conv_plots.plot_filters(kernel, channel=1))
    np.testing.assert_array_equal(shown[2], kernel[:, :, 1, 2])
    with pytest.raises(ValueError, match="channel 2"):
        conv_plots.plot_filters(kernel, channel=2)


def test_feature_maps_are_the_outputs_of_each_convolutional_layer(digit):
    model = _model()
    probe = keras.Model(model.inputs[0], [model.get_layer("first").output, model.get_layer("second").output])
    first, second = (np.asarray(out)[0] for out in probe(digit.reshape(1, 784)))
    fig = conv_plots.plot_feature_maps(model, digit, per_layer=4)
    rows = [ax.get_ylabel() for ax in fig.axes if ax.get_ylabel()]
    assert rows == ["first\n28×28×5", "second\n14×14×7"]
    shown = _images(fig)
    assert len(shown) == 2 * 5  # per row: the input, then 4 maps
    np.testing.assert_array_equal(shown[0], digit)
    for i in range(4):
        np.testing.assert_allclose(shown[1 + i], first[:, :, i], atol=1e-6)
        np.testing.assert_allclose(shown[6 + i], second[:, :, i], atol=1e-6)


def test_feature_maps_of_named_layers_only(digit):
    model = _model()
    maps = conv_plots.feature_maps(model, digit.reshape(784), layers=["second"])
    assert list(maps) == ["second"] and maps["second"].shape == (14, 14, 7)
    with pytest.raises(ValueError, match="no Conv2D"):
        conv_plots.plot_feature_maps(keras.Sequential([keras.Input((4,)), keras.layers.Dense(2)]), np.ones(4))


# -- tensor shapes -----------------------------------------------------------------------------------
@pytest.mark.parametrize("build", [_model, batch_normalized_network])
def test_tensor_shapes_are_read_from_the_model(build):
    model = build()
    rows = conv_plots.tensor_shapes(model)
    assert rows[0] == ("Input", (784,))
    assert [shape for _, shape in rows[1:]] == [tuple(layer.output.shape[1:]) for layer in model.layers]
    fig = conv_plots.plot_tensor_shapes(model)
    texts = [text.get_text() for text in fig.axes[0].texts]
    for description, shape in rows:
        assert description in texts
        assert f"{'×'.join(map(str, shape))}  ({int(np.prod(shape)):,})" in texts


def test_tensor_shapes_describe_each_layer():
    descriptions = [d for d, _ in conv_plots.tensor_shapes(_model())]
    assert descriptions == [
        "Input",
        "Reshape",
        "Conv2D 5@3×3 same",
        "Conv2D 7@5×5 stride 2 same",
        "MaxPooling2D 2×2",
        "Flatten",
        "Dropout 0.25",
        "Dense 10",
    ]


# -- activations over training -------------------------------------------------------------------------
def test_activation_recorder_records_the_named_layer_every_epoch():
    model = _model()
    model.compile("sgd", "sparse_categorical_crossentropy")
    rng = np.random.default_rng(0)
    x, y = rng.random((32, 784), dtype=np.float32), rng.integers(0, 10, 32)
    recorder = ActivationRecorder("second", x[:6])
    model.fit(x, y, epochs=2, batch_size=16, verbose=0, callbacks=[recorder])
    assert sorted(recorder.activations) == [0, 1, 2]
    probe = keras.Model(model.inputs[0], model.get_layer("second").output)
    np.testing.assert_allclose(recorder.activations[2], np.asarray(probe(x[:6])), atol=1e-5)
    assert recorder.activations[0].shape == (6, 14, 14, 7)
    assert not np.allclose(recorder.activations[0], recorder.activations[2])  # before ≠ after training
    with pytest.raises(ValueError, match="no layer 'nope'"):
        model.fit(x, y, epochs=1, verbose=0, callbacks=[ActivationRecorder("nope", x[:2])])


def test_activation_distributions_draw_the_quantiles_of_each_epoch():
    rng = np.random.default_rng(0)
    runs = {
        "without batch norm": {e: rng.normal(e, 1 + e, (50, 4)) for e in range(4)},
        "with batch norm": {e: rng.normal(0, 1, (50, 4)) for e in range(4)},
    }
    fig = distribution_plots.plot_activation_distributions(runs, layer="conv")
    assert [ax.get_title() for ax in fig.axes] == list(runs)
    for ax, run in zip(fig.axes, runs.values(), strict=True):
        lines = ax.get_lines()[:5]
        expected = np.array([np.percentile(v, [5, 25, 50, 75, 95]) for v in run.values()])
        for column, line in enumerate(lines):
            np.testing.assert_array_equal(line.get_xdata(), [0, 1, 2, 3])
            np.testing.assert_allclose(line.get_ydata(), expected[:, column])
    legend = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    assert legend == ["5–95 % of the values", "25–75 % of the values", "median"]


def test_layer_distributions_one_panel_per_layer_in_order():
    rng = np.random.default_rng(0)
    values = {f"layer {i}": rng.normal(0, 1 / i, 1000) for i in range(1, 4)}
    fig = distribution_plots.plot_layer_distributions(values, what="activation")
    panels = [ax for ax in fig.axes if ax.patches]
    assert [ax.get_title().split("\n")[0] for ax in panels] == list(values)
    for ax, data in zip(panels, values.values(), strict=True):
        assert f"std {data.std():.3g}" in ax.get_title()
        assert sum(p.get_height() for p in ax.patches) == len(data)  # every value counted, clipped in range


# -- decision boundaries (lesson 1) --------------------------------------------------------------------
def test_decision_boundaries_show_the_chosen_epochs_with_their_weights():
    X = np.array([[-1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.0, -1.0]])
    y = np.array([0, 1, 1, 0])
    history = [np.array([1.0, 0.0]), np.array([0.0, 1.0]), np.array([1.0, 1.0])]
    used = []

    def predict(points, weights):
        used.append(tuple(weights))
        return 1 / (1 + np.exp(-(points @ weights)))

    fig = plots.plot_decision_boundaries(predict, X, y, history, epochs=[0, 2], resolution=10)
    assert [ax.get_title() for ax in fig.axes if ax.get_title()] == ["before training", "after epoch 2"]
    assert used == [(1.0, 0.0), (1.0, 1.0)]
    with pytest.raises(ValueError, match="not in weights_history"):
        plots.plot_decision_boundaries(predict, X, y, history, epochs=[3])


# -- budget ------------------------------------------------------------------------------------------------
def test_the_lesson_9_figures_draw_in_about_a_second(digit):
    keras.utils.set_random_seed(0)
    model = keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Reshape((28, 28, 1)),
            keras.layers.Conv2D(12, 3, padding="same", activation="relu"),
            keras.layers.Conv2D(24, 6, strides=2, padding="same", activation="relu"),
            keras.layers.Conv2D(32, 6, strides=2, padding="same", activation="relu"),
            keras.layers.Flatten(),
            keras.layers.Dense(200, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    for draw in (
        lambda: conv_plots.plot_convolution(digit, SOBEL),
        lambda: conv_plots.plot_filters(model.layers[1]),
        lambda: conv_plots.plot_feature_maps(model, digit),
        lambda: conv_plots.plot_tensor_shapes(model),
    ):
        start = time.perf_counter()
        draw().canvas.draw()
        assert time.perf_counter() - start < 3.0  # ~1 s on 2 shared cores; 3 s leaves room for a busy machine
