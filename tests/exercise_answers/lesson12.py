"""Lesson 12's answers as data: the two versions of a drawing, the redrawn test images, the drawn
digits' predictions and the variants."""

from __future__ import annotations

from functools import cache

import keras
import numpy as np

from course_utils.drawing import predict_digit, render_strokes, sample_strokes, shrink_whole_canvas, to_mnist

from . import right, wrong


@cache
def strokes():
    return sample_strokes()


@cache
def small_three():
    return [[(x / 3 + 10, y / 3 + 170) for x, y in stroke] for stroke in strokes()[3]]


@cache
def drawing():
    return render_strokes(small_three())


@right("lesson12.two_versions")
def one_at_a_time():
    canvas = drawing()
    seen = to_mnist(canvas.copy())
    shrunk = shrink_whole_canvas(canvas)
    return (shrunk, seen, canvas)


@wrong("lesson12.two_versions", says="swapped")
def swapped():
    return (to_mnist(drawing()), shrink_whole_canvas(drawing()), drawing())


@wrong("lesson12.two_versions", says="taking every 10th pixel drops the ink")
def subsampled():
    return (drawing()[::10, ::10], to_mnist(drawing()), drawing())


@wrong("lesson12.two_versions", says="seen is the whole canvas made small")
def never_prepared():
    return (shrink_whole_canvas(drawing()), shrink_whole_canvas(drawing()), drawing())


@cache
def test_images():
    """Three MNIST-shaped rows that MNIST's recipe changes (the digits fill the whole 28×28 field)."""
    return np.stack([shrink_whole_canvas(render_strokes(strokes()[digit])) for digit in (0, 4, 8)]).reshape(
        -1, 784
    )


@right("lesson12.redrawn")
def filled_in_a_loop():
    x_test = test_images()
    redrawn = np.zeros_like(x_test)
    for row, image in enumerate(x_test):
        redrawn[row] = to_mnist(image.reshape(28, 28)).ravel()
    return (redrawn, x_test)


@wrong("lesson12.redrawn", says="as they are")
def unchanged():
    return (test_images(), test_images())


@wrong("lesson12.redrawn", says="redrawn has shape (3, 28, 28), expected (3, 784)")
def not_flattened():
    return (np.stack([to_mnist(image.reshape(28, 28)) for image in test_images()]), test_images())


@wrong("lesson12.redrawn", says="transposed")
def columns_for_rows():
    return (
        np.stack([to_mnist(image.reshape(28, 28).T).reshape(-1) for image in test_images()]),
        test_images(),
    )


@cache
def model():
    return keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(
                10, activation="softmax", kernel_initializer=keras.initializers.GlorotUniform(seed=3)
            ),
        ]
    )


@cache
def drawings():
    return tuple(render_strokes(strokes()[digit]) for digit in range(3))


@right("lesson12.drawn_predictions")
def one_batch():
    seen = np.stack([to_mnist(drawing) for drawing in drawings()])
    probabilities = keras.ops.convert_to_numpy(model()(seen.reshape(-1, 784)))
    return (seen, probabilities, list(drawings()), model())


@wrong("lesson12.drawn_predictions", says="seen holds the canvases made small")
def canvases_shrunk():
    seen = np.stack([shrink_whole_canvas(drawing) for drawing in drawings()])
    return (seen, np.stack([predict_digit(model(), image) for image in seen]), list(drawings()), model())


@wrong("lesson12.drawn_predictions", says="probabilities[0] are not the model's probabilities for seen[0]")
def in_reverse_order():
    seen = np.stack([to_mnist(drawing) for drawing in drawings()])
    probabilities = np.stack([predict_digit(model(), image) for image in seen])
    return (seen, probabilities[::-1], list(drawings()), model())


@wrong("lesson12.drawn_predictions", says="do not add up to 1")
def softmax_twice():
    seen = np.stack([to_mnist(drawing) for drawing in drawings()])
    probabilities = np.stack([predict_digit(model(), image) for image in seen])
    return (seen, probabilities * 2, list(drawings()), model())


@cache
def variant_inputs():
    strokes_ = strokes()
    european_one = [[(110, 80), (155, 45), (155, 235)], [(115, 235), (195, 235)]]
    crossed_seven = strokes_[7] + [[(110, 145), (185, 145)]]
    return strokes_, small_three(), european_one, crossed_seven


@cache
def right_variants():
    strokes_, small, one, seven = variant_inputs()
    names = ("3, pen 4 px", "3, pen 60 px", "small 3, shrunk", "1 with flag and foot", "7 with a bar")
    images = [
        to_mnist(render_strokes(strokes_[3], width=4)),
        to_mnist(render_strokes(strokes_[3], width=60)),
        shrink_whole_canvas(render_strokes(small)),
        to_mnist(render_strokes(one)),
        to_mnist(render_strokes(seven)),
    ]
    return dict(zip(names, images, strict=True))


@right("lesson12.variants")
def built_in_a_loop():
    strokes_, small, one, seven = variant_inputs()
    variants = {}
    for width in (4, 60):
        variants[f"3, pen {width} px"] = to_mnist(render_strokes(strokes_[3], width=width))
    variants["small 3, shrunk"] = shrink_whole_canvas(render_strokes(small))
    variants["1 with flag and foot"] = to_mnist(render_strokes(one))
    variants["7 with a bar"] = to_mnist(render_strokes(seven))
    return (variants, *variant_inputs())


@wrong("lesson12.variants", says="the two pen widths are swapped")
def pens_swapped():
    variants = dict(right_variants())
    variants["3, pen 4 px"], variants["3, pen 60 px"] = variants["3, pen 60 px"], variants["3, pen 4 px"]
    return (variants, *variant_inputs())


@wrong("lesson12.variants", says="variants['small 3, shrunk'] should be the small 3")
def small_three_prepared():
    variants = dict(right_variants(), **{"small 3, shrunk": to_mnist(render_strokes(small_three()))})
    return (variants, *variant_inputs())


@wrong("lesson12.variants", says="should have the names")
def a_variant_missing():
    return (dict(list(right_variants().items())[:4]), *variant_inputs())
