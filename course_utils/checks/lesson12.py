"""Lesson 12's checks (your own handwriting), in the order of the notebook.

The images are compared with what the lesson's preprocessing gives; a message names the image and
what it should show, in words, never the code that makes it.
"""

from __future__ import annotations

import numpy as np

from ..i18n import translated
from .engine import _say, exercise
from .shared import _wrong_shape


def _same(value, expected) -> bool:
    return np.shape(value) == np.shape(expected) and np.allclose(value, expected, atol=1e-5)


@exercise(
    "lesson12.two_versions",
    1,
    "two 28×28 versions of the drawing to compare: shrunk, the whole canvas made small as it is, and "
    "seen, the drawing prepared the way MNIST prepared its digits",
    (
        "The section above names one helper for each: one only makes the canvas small, the other "
        "finds the digit, scales it into a 20-pixel box and centres it by its mass.",
        "shrunk, seen = (the helper that shrinks the canvas)(drawing), (MNIST's recipe)(drawing)",
    ),
)
def _lesson12_two_versions(shrunk, seen, drawing):
    from ..drawing import shrink_whole_canvas, to_mnist

    expected_shrunk, expected_seen = shrink_whole_canvas(drawing), to_mnist(drawing)
    if _same(shrunk, expected_seen) and _same(seen, expected_shrunk):
        return _say(
            "shrunk and seen are swapped: shrunk is the whole canvas made small, seen is MNIST's recipe"
        )
    if problem := _wrong_shape("shrunk", shrunk, (28, 28)) or _wrong_shape("seen", seen, (28, 28)):
        return problem
    if _same(shrunk, expected_seen):
        return _say(
            "shrunk is centred and scaled like an MNIST digit: it should be the whole canvas made small"
        )
    if not _same(shrunk, expected_shrunk):
        return _say(
            "shrunk is not the whole canvas averaged down to 28×28 (taking every 10th pixel drops the ink "
            "in between)"
        )
    if _same(seen, expected_shrunk):
        return _say("seen is the whole canvas made small: it should go through MNIST's recipe")
    if not _same(seen, expected_seen):
        return _say("seen is not the drawing prepared with MNIST's recipe")
    return None


@exercise(
    "lesson12.redrawn",
    2,
    "all the test images, each prepared with MNIST's recipe as a 28×28 image, then back in the shape "
    "of x_test (one row of 784 pixels per image)",
    (
        "MNIST's recipe works on one 28×28 image at a time, and the model reads rows of 784 pixels: "
        "reshape on the way in and on the way out.",
        "stack the results of a loop (or a list comprehension) over x_test's images as 28×28, then reshape",
    ),
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
        return _say("redrawn holds the test images as they are: prepare each one with MNIST's recipe")
    transposed = np.stack([to_mnist(x_test[row].reshape(28, 28).T).reshape(-1) for row in rows])
    if np.allclose(value, transposed, atol=1e-5) or np.allclose(
        value, np.stack([image.reshape(28, 28).T.reshape(-1) for image in expected]), atol=1e-5
    ):
        return _say("the images of redrawn are transposed: rows and columns are swapped")
    return _say("row {row} of redrawn is not test image {row} prepared with MNIST's recipe", row=rows[0])


@exercise(
    "lesson12.drawn_predictions",
    3,
    "seen, what the model sees of each of the ten drawings (MNIST's recipe), and probabilities, the "
    "model's ten class probabilities for each of them",
    (
        "The network only knows digits prepared like MNIST's, so it must be given what it sees, not the "
        "raw drawings; the course has a helper that asks the model about one 28×28 image.",
        "seen = np.stack([... for drawing in drawings]); probabilities = np.stack([... for image in seen])",
    ),
)
def _lesson12_drawn_predictions(seen, probabilities, drawings, model):
    from ..drawing import predict_digit, shrink_whole_canvas, to_mnist

    expected_seen = np.stack([to_mnist(drawing) for drawing in drawings])
    if problem := _wrong_shape("seen", seen, expected_seen.shape):
        return problem
    if not np.allclose(seen, expected_seen, atol=1e-5):
        shrunk = np.stack([shrink_whole_canvas(drawing) for drawing in drawings])
        if np.allclose(seen, shrunk, atol=1e-5):
            return _say("seen holds the canvases made small: the model should see them prepared like MNIST's")
        return _say("seen is not the drawings prepared with MNIST's recipe")
    if problem := _wrong_shape("probabilities", probabilities, (len(drawings), 10)):
        return problem
    for row in (0, len(drawings) - 1):
        expected = predict_digit(model, expected_seen[row])
        if not np.allclose(probabilities[row], expected, atol=1e-4):
            if np.allclose(np.sum(probabilities[row]), 1, atol=1e-3):
                return _say("probabilities[{row}] are not the model's probabilities for seen[{row}]", row=row)
            return _say("probabilities[{row}] do not add up to 1: they should be probabilities", row=row)
    return None


_VARIANTS = ("3, pen 4 px", "3, pen 60 px", "small 3, shrunk", "1 with flag and foot", "7 with a bar")


def _variant_names() -> list[str]:
    """The variants' names in the learner's language (a translated notebook names them in it)."""
    return [
        translated("lesson12 variant", "3, pen 4 px"),
        translated("lesson12 variant", "3, pen 60 px"),
        translated("lesson12 variant", "small 3, shrunk"),
        translated("lesson12 variant", "1 with flag and foot"),
        translated("lesson12 variant", "7 with a bar"),
    ]


def _variant_recipe(name: str) -> str:
    """What the variant `name` should show, in words (translated)."""
    return {
        "3, pen 4 px": _say("the 3 drawn with a 4-pixel pen, through MNIST's recipe"),
        "3, pen 60 px": _say("the 3 drawn with a 60-pixel pen, through MNIST's recipe"),
        "small 3, shrunk": _say("the small 3 of the first section, its whole canvas made small"),
        "1 with flag and foot": _say("the European 1, through MNIST's recipe"),
        "7 with a bar": _say("the crossed 7, through MNIST's recipe"),
    }[name]


@exercise(
    "lesson12.variants",
    4,
    "the variants, by name: '3, pen 4 px' and '3, pen 60 px' (the 3 drawn with that pen, through MNIST's "
    "recipe), 'small 3, shrunk' (small_three as the network would see it without MNIST's recipe), "
    "'1 with flag and foot' and '7 with a bar' (through MNIST's recipe)",
    (
        "Each variant changes one thing of the same strokes: the pen width (render_strokes has a width "
        "argument), the preprocessing, or the style.",
        "a dict, in this order: {'3, pen 4 px': ..., '3, pen 60 px': ..., 'small 3, shrunk': ..., "
        "'1 with flag and foot': ..., '7 with a bar': ...}",
    ),
)
def _lesson12_variants(variants, strokes, small_three, european_one, crossed_seven):
    from ..drawing import render_strokes, shrink_whole_canvas, to_mnist

    if not isinstance(variants, dict):
        return _say("variants should be a dict: name → 28×28 image, got {type}", type=type(variants).__name__)
    names = _variant_names()
    if list(variants) != names:
        return _say("variants should have the names {expected}, in this order", expected=names)
    expected = [
        to_mnist(render_strokes(strokes[3], width=4)),
        to_mnist(render_strokes(strokes[3], width=60)),
        shrink_whole_canvas(render_strokes(small_three)),
        to_mnist(render_strokes(european_one)),
        to_mnist(render_strokes(crossed_seven)),
    ]
    for index, (name, image) in enumerate(zip(names, expected, strict=True)):
        if problem := _wrong_shape(f"variants[{name!r}]", variants[name], (28, 28)):
            return problem
        if not _same(variants[name], image):
            if index < 2 and _same(variants[name], expected[1 - index]):
                return _say("the two pen widths are swapped")
            recipe = _variant_recipe(_VARIANTS[index])
            return _say("variants[{name!r}] should be {recipe}", name=name, recipe=recipe)
    return None
