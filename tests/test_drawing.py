"""course_utils.drawing: strokes to images, MNIST's preprocessing, predictions shown; the DrawingPad."""

import numpy as np
import pytest

from course_utils.drawing import (
    center_of_mass,
    plot_prediction,
    render_strokes,
    sample_strokes,
    shrink_whole_canvas,
    to_mnist,
)


def _ink_box(image, threshold=0.1):
    rows, cols = np.nonzero(image > threshold)
    return rows.min(), rows.max(), cols.min(), cols.max()


def test_render_strokes_draws_thick_round_lines_where_the_points_are():
    image = render_strokes([[(40, 50), (240, 50)], [(140, 200)]], size=280, width=20)
    assert image.shape == (280, 280) and image.dtype == np.float32
    assert image[50, 140] == 1 and image[50, 27] == 0 and image[90, 140] == 0
    top, bottom, left, right = _ink_box(image)
    assert (top, left, right) == pytest.approx((40, 30, 250), abs=1) and bottom == pytest.approx(210, abs=1)
    assert image[200, 140] == 1  # a single tap is a dot


@pytest.mark.parametrize(
    "stroke",
    [
        [(250, 10), (270, 10), (270, 279), (260, 279)],  # a tall "1"-like shape at the right edge
        [(150, 5), (275, 5), (275, 275)],  # a "7"-like corner: its mass is far from its box's centre
    ],
)
def test_a_large_digit_drawn_off_centre_comes_out_centred_and_20_pixels_tall(stroke):
    drawing = render_strokes([stroke], size=280, width=16)
    image = to_mnist(drawing)
    assert image.shape == (28, 28) and image.max() == pytest.approx(1)
    top, bottom, left, right = _ink_box(image, threshold=0)
    assert bottom - top + 1 == 20  # the longer side fills the 20-pixel box
    assert right - left + 1 < 20  # proportions kept: a narrow digit stays narrow
    row, col = center_of_mass(image)
    assert abs(row - 14) <= 0.5 and abs(col - 14) <= 0.5


def test_a_wide_digit_fills_the_box_in_width():
    drawing = render_strokes([[(20, 130), (200, 150)]], size=280, width=30)
    top, bottom, left, right = _ink_box(to_mnist(drawing), threshold=0)
    assert right - left + 1 == 20 and bottom - top + 1 < 10


def test_to_mnist_is_anti_aliased_and_accepts_0_to_255_pixels():
    drawing = render_strokes(sample_strokes()[7])
    image = to_mnist(drawing)
    grey = (image > 0.05) & (image < 0.95)
    assert grey.sum() > 10  # soft edges, as in MNIST, not just black and white
    np.testing.assert_allclose(to_mnist(drawing * 255), image, atol=1e-6)


def test_an_empty_drawing_gets_a_clear_message():
    with pytest.raises(ValueError, match="empty: draw a digit first"):
        to_mnist(np.zeros((280, 280)))
    with pytest.raises(ValueError, match="one grey image"):
        to_mnist(np.zeros((2, 28, 28)))


def test_mnist_digits_pass_through_to_mnist_almost_unchanged(mnist_dir):
    from course_utils.data import load_mnist

    (x_train, _), _, _ = load_mnist(mnist_dir)
    images = x_train[:50].reshape(-1, 28, 28)
    again = np.stack([to_mnist(image) for image in images])
    assert np.abs(again - images).mean() < 0.05
    for image in again:
        top, bottom, left, right = _ink_box(image, threshold=0)
        assert max(bottom - top, right - left) + 1 == 20


def test_shrinking_the_whole_canvas_keeps_position_and_size():
    drawing = render_strokes([[(230, 200), (270, 270)]], size=280, width=16)
    top, bottom, left, right = _ink_box(shrink_whole_canvas(drawing), threshold=0.05)
    assert top >= 18 and left >= 21  # still in the bottom right corner, still small


def test_sample_strokes_are_ten_digits_on_the_canvas():
    strokes = sample_strokes()
    assert sorted(strokes) == list(range(10))
    for digit_strokes in strokes.values():
        points = np.array([point for stroke in digit_strokes for point in stroke])
        assert points.min() >= 0 and points.max() <= 280


def test_plot_prediction_shows_drawing_input_and_ten_bars():
    drawing = render_strokes(sample_strokes()[3])
    probabilities = np.full(10, 0.02)
    probabilities[3] = 0.82
    fig = plot_prediction(drawing, to_mnist(drawing), probabilities)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == ["your drawing", "what the model sees", "prediction: 3 (82%)"]
    assert len(fig.axes[2].patches) == 10


class _AlwaysFour:
    """A stand-in model with the lesson model's interface: flat 784 inputs, ten probabilities."""

    input_shape = (None, 784)

    def __call__(self, batch, training=False):
        assert batch.shape == (1, 784) and not training
        probabilities = np.full((1, 10), 0.05, np.float32)
        probabilities[0, 4] = 0.55
        return probabilities


def test_drawing_pad_classifies_its_strokes_on_request():
    from course_utils.canvas import DrawingPad

    pad = DrawingPad(_AlwaysFour())
    pad.requests += 1  # what the Classify button does, with nothing drawn
    assert "empty" in pad.prediction and pad.result == ""
    pad.strokes = sample_strokes()[4]
    pad.requests += 1
    assert pad.prediction == "prediction: 4 (55%)"
    assert pad.result.startswith("data:image/png;base64,") and len(pad.result) > 1000
    assert pad.probabilities.argmax() == 4


def _ink_centre(image, threshold=0.3):
    return np.argwhere(image > threshold).mean(axis=0)


def test_tilt_turns_anticlockwise_about_the_centre_and_keeps_a_margin():
    from course_utils.drawing import tilt

    image = np.zeros((28, 28), np.float32)
    image[13:15, 22:24] = 1  # right of the centre (13.5, 13.5)
    assert tilt(image, 0, margin=0) == pytest.approx(image, abs=1e-6)
    assert _ink_centre(tilt(image, 90, margin=0)) == pytest.approx((4.5, 13.5), abs=0.6)  # now above it
    assert _ink_centre(tilt(image, -90, margin=0)) == pytest.approx((22.5, 13.5), abs=0.6)  # below it
    assert _ink_centre(tilt(image, 180, margin=0)) == pytest.approx((13.5, 4.5), abs=0.6)  # left of it
    turned = tilt(image, 30)
    assert turned.shape == (40, 40) and turned.max() <= 1 and turned.min() >= 0
    assert turned.sum() == pytest.approx(image.sum(), rel=0.05)  # no ink lost at the borders


def test_tilt_slants_like_italics_and_works_on_a_batch():
    from course_utils.drawing import tilt

    bar = np.zeros((28, 28), np.float32)
    bar[4:24, 13:15] = 1  # an upright bar
    italic = tilt(bar, slant=0.5, margin=0)
    top, bottom = _ink_centre(italic[:8]), _ink_centre(italic[20:])
    assert top[1] > 13.5 + 3 and bottom[1] < 13.5 - 3  # top leans right
    assert _ink_centre(tilt(bar, slant=-0.5, margin=0)[:8])[1] < 13.5 - 3
    batch = tilt(np.stack([bar, bar[::-1]]), degrees=10)
    assert batch.shape == (2, 40, 40)
    assert batch[0] == pytest.approx(tilt(bar, degrees=10), abs=1e-6)
    with pytest.raises(ValueError, match="square grey images"):
        tilt(np.zeros((28, 20)))
