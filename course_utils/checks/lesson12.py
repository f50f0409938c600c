"""Lesson 12's checks (your own handwriting), in the order of the notebook."""

from __future__ import annotations

import numpy as np

from .engine import _say, exercise
from .shared import (
    _wrong_shape,
)


def _images_problem(name: str, value, expected, recipe: str) -> str | None:
    """None if the image(s) `value` equal `expected`, else what to compute instead."""
    if problem := _wrong_shape(name, value, np.shape(expected)):
        return problem
    if np.allclose(value, expected, atol=1e-5):
        return None
    return _say("{name} is not {recipe}", name=name, recipe=recipe)


@exercise(
    "lesson12.two_versions",
    1,
    "the two 28×28 versions of the drawing: the whole canvas shrunk, and MNIST's recipe",
    "shrunk, seen = shrink_whole_canvas(drawing), to_mnist(drawing)",
)
def _lesson12_two_versions(shrunk, seen, drawing):
    from ..drawing import shrink_whole_canvas, to_mnist

    expected_shrunk, expected_seen = shrink_whole_canvas(drawing), to_mnist(drawing)
    if np.shape(shrunk) == np.shape(seen) == (28, 28) and np.allclose(shrunk, expected_seen):
        if np.allclose(seen, expected_shrunk):
            return _say(
                "shrunk and seen are swapped: shrunk is the whole canvas made small, seen is to_mnist"
            )
    return _images_problem(
        "shrunk", shrunk, expected_shrunk, "shrink_whole_canvas(drawing)"
    ) or _images_problem("seen", seen, expected_seen, "to_mnist(drawing)")


@exercise(
    "lesson12.redrawn",
    2,
    "every test image (as 28×28) through to_mnist, flattened back to 784 pixels",
    "np.stack([to_mnist(image) for image in x_test.reshape(-1, 28, 28)]).reshape(-1, 28 * 28)",
)
def _lesson12_redrawn(redrawn, x_test):
    from ..drawing import to_mnist

    x_test = np.asarray(x_test).reshape(len(x_test), -1)
    if problem := _wrong_shape("redrawn", redrawn, x_test.shape):
        return problem
    rows = [0, len(x_test) // 2, len(x_test) - 1]
    expected = np.stack([to_mnist(x_test[row].reshape(28, 28)).reshape(-1) for row in rows])
    value = np.asarray(redrawn)[rows]
    if np.allclose(value, expected, atol=1e-5):
        return None
    if np.allclose(value, x_test[rows]):
        return _say("redrawn holds the test images as they are: pass each one (as 28×28) through to_mnist")
    return _say("the rows of redrawn should be to_mnist(image).reshape(-1) for each test image")


@exercise(
    "lesson12.drawn_predictions",
    3,
    "what the model sees for each drawing, and its ten probabilities for each",
    "seen = np.stack([to_mnist(drawing) for drawing in drawings]); "
    "probabilities = np.stack([predict_digit(model, image) for image in seen])",
)
def _lesson12_drawn_predictions(seen, probabilities, drawings, model):
    from ..drawing import predict_digit, to_mnist

    expected_seen = np.stack([to_mnist(drawing) for drawing in drawings])
    if problem := _images_problem("seen", seen, expected_seen, "[to_mnist(drawing) for drawing in drawings]"):
        return problem
    if problem := _wrong_shape("probabilities", probabilities, (len(drawings), 10)):
        return problem
    for row in (0, len(drawings) - 1):
        if not np.allclose(probabilities[row], predict_digit(model, expected_seen[row]), atol=1e-4):
            return _say("probabilities[{row}] should be predict_digit(model, seen[{row}])", row=row)
    return None


_VARIANT_RECIPES = {
    "3, pen 4 px": "to_mnist(render_strokes(strokes[3], width=4))",
    "3, pen 60 px": "to_mnist(render_strokes(strokes[3], width=60))",
    "small 3, shrunk": "shrink_whole_canvas(render_strokes(small_three))",
    "1 with flag and foot": "to_mnist(render_strokes(european_one))",
    "7 with a bar": "to_mnist(render_strokes(crossed_seven))",
}


@exercise(
    "lesson12.variants",
    4,
    "the variants, by name: '3, pen 4 px' and '3, pen 60 px' (the 3 drawn with that pen, through to_mnist), "
    "'small 3, shrunk' (small_three shrunk without to_mnist), '1 with flag and foot' and '7 with a bar' "
    "(through to_mnist)",
    "variants = {'3, pen 4 px': to_mnist(render_strokes(strokes[3], width=4)), '3, pen 60 px': ..., "
    "'small 3, shrunk': shrink_whole_canvas(render_strokes(small_three)), "
    "'1 with flag and foot': to_mnist(render_strokes(european_one)), '7 with a bar': ...}",
)
def _lesson12_variants(variants, strokes, small_three, european_one, crossed_seven):
    from ..drawing import render_strokes, shrink_whole_canvas, to_mnist

    if not isinstance(variants, dict):
        return _say("variants should be a dict: name → 28×28 image, got {type}", type=type(variants).__name__)
    if list(variants) != list(_VARIANT_RECIPES):
        return _say(
            "variants should have the names {expected}, in this order", expected=list(_VARIANT_RECIPES)
        )
    expected = [
        to_mnist(render_strokes(strokes[3], width=4)),
        to_mnist(render_strokes(strokes[3], width=60)),
        shrink_whole_canvas(render_strokes(small_three)),
        to_mnist(render_strokes(european_one)),
        to_mnist(render_strokes(crossed_seven)),
    ]
    for (name, recipe), image in zip(_VARIANT_RECIPES.items(), expected, strict=True):
        if problem := _images_problem(f"variants[{name!r}]", variants[name], image, recipe):
            return problem
    return None
