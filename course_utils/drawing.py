"""Your own digits: strokes drawn on a canvas turned into MNIST-like images, classified and shown.

MNIST's digits were made this way: each digit's bounding box was scaled to fit a 20×20 box (keeping
its proportions, anti-aliased), then placed in a 28×28 field so that its centre of mass lies at
the centre. ``to_mnist`` does the same to a drawing.
"""

from __future__ import annotations

import numpy as np

from course_utils.i18n import translated

CANVAS_SIZE = 280  # pixels of the drawing canvas, ten times MNIST's 28
PEN_WIDTH = 20  # pixels: about MNIST's stroke width once a full-size digit is scaled to 20 pixels
INK_THRESHOLD = 0.1  # a pixel darker than this counts as part of the digit's bounding box


def render_strokes(strokes, size: int = CANVAS_SIZE, width: int = PEN_WIDTH) -> np.ndarray:
    """A size×size image (floats, 1 = ink) of strokes: lists of (x, y) points, drawn with round ends."""
    from PIL import Image, ImageDraw

    image = Image.new("L", (size, size), 0)
    draw = ImageDraw.Draw(image)
    radius = width / 2
    for stroke in strokes:
        points = [(float(x), float(y)) for x, y in stroke]
        if len(points) > 1:
            draw.line(points, fill=255, width=int(width), joint="curve")
        for x, y in points[:1] + points[-1:]:  # round caps (and a dot for a single tap)
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return np.asarray(image, dtype=np.float32) / 255


def _resized(pixels: np.ndarray, height: int, width: int) -> np.ndarray:
    """pixels resampled to height×width: box filter when shrinking (anti-aliased), bilinear when growing."""
    from PIL import Image

    shrinking = height < pixels.shape[0] or width < pixels.shape[1]
    method = Image.Resampling.BOX if shrinking else Image.Resampling.BILINEAR
    resized = Image.fromarray(pixels.astype(np.float32), mode="F").resize((width, height), method)
    return np.clip(np.asarray(resized, dtype=np.float32), 0, 1)


def center_of_mass(image: np.ndarray) -> tuple[float, float]:
    """(row, column) of an image's centre of mass, weighting every pixel by its ink."""
    rows, cols = np.indices(image.shape)
    total = image.sum()
    return float((rows * image).sum() / total), float((cols * image).sum() / total)


def to_mnist(image, box: int = 20, field: int = 28) -> np.ndarray:
    """An MNIST-like field×field image (0-1): the bounding box scaled into box×box, centred by mass."""
    image = np.asarray(image, dtype=np.float32)
    if image.ndim != 2:
        raise ValueError(
            translated(
                "drawing", "expected one grey image (height, width), got an array of shape {shape}"
            ).format(shape=image.shape)
        )
    if image.max() > 1:
        image = image / 255  # 0-255 pixels
    rows, cols = np.nonzero(image > INK_THRESHOLD)
    if rows.size == 0:
        raise ValueError(translated("drawing", "the drawing is empty: draw a digit first"))
    digit = image[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1]
    scale = box / max(digit.shape)
    height = max(1, round(digit.shape[0] * scale))
    width = max(1, round(digit.shape[1] * scale))
    digit = _resized(digit, height, width)
    digit /= digit.max()
    row, col = center_of_mass(digit)
    centre = field // 2
    top = min(max(round(centre - row), 0), field - height)
    left = min(max(round(centre - col), 0), field - width)
    result = np.zeros((field, field), np.float32)
    result[top : top + height, left : left + width] = digit
    return result


def shrink_whole_canvas(image, field: int = 28) -> np.ndarray:
    """The naive alternative to to_mnist: the whole canvas scaled down to field×field, nothing centred."""
    image = np.asarray(image, dtype=np.float32)
    return _resized(image, field, field)


def tilt(images, degrees: float = 0.0, slant: float = 0.0, margin: int = 6) -> np.ndarray:
    """Images turned anticlockwise by ``degrees``, then slanted like italics (``slant`` px right per px up).

    ``images``: one or more square grey images (..., size, size). A ``margin`` of empty pixels is added
    on every side first, so that no ink is cut off: the result is (size + 2 * margin) pixels wide.
    """
    import keras

    images = np.asarray(images, dtype=np.float32)
    if images.ndim not in (2, 3) or images.shape[-1] != images.shape[-2]:
        raise ValueError(
            translated(
                "drawing", "expected square grey images (size, size) or (n, size, size), got shape {shape}"
            ).format(shape=images.shape)
        )
    batch = np.pad(images.reshape(-1, *images.shape[-2:]), ((0, 0), (margin, margin), (margin, margin)))
    c = (batch.shape[-1] - 1) / 2  # turn and slant about the centre
    angle = np.radians(degrees)
    cos, sin = np.cos(angle), np.sin(angle)
    # for each output pixel (x right, y down), the input point it comes from: undo the slant, then the turn
    a0, a1 = cos, slant * cos - sin
    b0, b1 = sin, slant * sin + cos
    transform = [a0, a1, c - a0 * c - a1 * c, b0, b1, c - b0 * c - b1 * c, 0.0, 0.0]
    moved = keras.ops.image.affine_transform(
        batch[..., None], np.tile(np.float32(transform), (len(batch), 1)), interpolation="bilinear"
    )
    moved = np.clip(keras.ops.convert_to_numpy(moved)[..., 0], 0, 1)
    return moved.reshape(*images.shape[:-2], *moved.shape[-2:])


def predict_digit(model, mnist_image) -> np.ndarray:
    """The model's ten class probabilities for one 28×28 image (the model may take it flat or square)."""
    import keras

    batch = np.reshape(np.asarray(mnist_image, np.float32), (1, *model.input_shape[1:]))
    return keras.ops.convert_to_numpy(model(batch, training=False))[0]


def plot_prediction(drawing, mnist_image, probabilities, title: str | None = None):
    """Three panels: the drawing, what the model sees (28×28), and the ten probabilities as bars."""
    import matplotlib.pyplot as plt

    probabilities = np.asarray(probabilities)
    predicted = int(probabilities.argmax())
    fig, (ax_drawing, ax_seen, ax_bars) = plt.subplots(
        1, 3, figsize=(9, 2.8), gridspec_kw={"width_ratios": [1, 1, 1.6]}
    )
    plt.close(fig)
    for ax, picture, name in (
        (ax_drawing, drawing, translated("drawing", "your drawing")),
        (ax_seen, mnist_image, translated("drawing", "what the model sees")),
    ):
        ax.imshow(picture, cmap="gray_r", vmin=0, vmax=1)
        ax.set_title(name, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    colors = ["#1f77b4"] * 10
    colors[predicted] = "#d62728"
    ax_bars.bar(range(10), probabilities, color=colors)
    ax_bars.set_xticks(range(10))
    ax_bars.set_ylim(0, 1)
    title_bars = translated("drawing", "prediction: {digit} ({probability:.0%})")
    ax_bars.set_title(title_bars.format(digit=predicted, probability=probabilities[predicted]), fontsize=10)
    if title:
        fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    return fig


def figure_png(fig, dpi: int = 80) -> bytes:
    """A figure as PNG bytes."""
    import io

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _arc(cx, cy, rx, ry, start, stop, n=24) -> list[tuple[float, float]]:
    """Points on an ellipse from angle start to stop (degrees, 0 = right, 90 = up)."""
    angles = np.radians(np.linspace(start, stop, n))
    return [(cx + rx * np.cos(a), cy - ry * np.sin(a)) for a in angles]


def sample_strokes() -> dict[int, list[list[tuple[float, float]]]]:
    """One digit 0-9 drawn as strokes on the 280×280 canvas, the way a person might draw them with a mouse."""
    return {
        0: [_arc(140, 140, 62, 95, 90, 450, 48)],
        1: [[(118, 70), (150, 45), (150, 235)]],
        2: [_arc(140, 100, 55, 52, 160, -40) + [(85, 235), (200, 235)]],
        3: [_arc(135, 92, 52, 45, 150, -90) + _arc(135, 182, 60, 50, 90, -150)],
        4: [[(160, 45), (80, 175), (205, 175)], [(165, 110), (165, 240)]],
        5: [[(195, 48), (100, 48), (92, 130)] + _arc(138, 178, 60, 55, 140, -150)],
        6: [[(180, 50)] + _arc(140, 175, 60, 62, 150, 180 + 360 - 10, 40)],
        7: [[(80, 50), (200, 50), (120, 240)]],
        8: [_arc(140, 92, 48, 45, -90, 270) + _arc(140, 185, 58, 50, 90, -270)],
        9: [_arc(140, 98, 55, 52, -10, 360 - 10, 40) + [(192, 110), (170, 240)]],
    }
