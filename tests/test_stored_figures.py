"""The figures the lessons store, as a learner and the website see them: opaque (they read in a dark
theme), and sized for a laptop screen at 100 % zoom."""

from __future__ import annotations

import base64
import io

import nbformat
import pytest
from PIL import Image

from course_utils.course.runner import NOTEBOOKS_DIR
from course_utils.style import MAX_FIGURE_WIDTH

PATHS = sorted(NOTEBOOKS_DIR.glob("*.ipynb")) + sorted((NOTEBOOKS_DIR / "es").glob("*.ipynb"))


def stored_images(path):
    """(cell number, PIL image) of every PNG output of a notebook."""
    nb = nbformat.read(path, as_version=4)
    for number, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            data = output.get("data", {}).get("image/png")
            if data:
                yield number, Image.open(io.BytesIO(base64.b64decode(data)))


@pytest.mark.parametrize("path", PATHS, ids=lambda path: str(path.relative_to(NOTEBOOKS_DIR)))
def test_every_stored_figure_is_opaque_and_fits_a_laptop_screen(path):
    for number, image in stored_images(path):
        where = f"{path.name}, cell {number}"
        if image.mode in ("RGBA", "LA", "P"):
            alpha = image.convert("RGBA").getchannel("A")
            assert alpha.getextrema()[0] == 255, f"{where}: the figure has transparent pixels"
        assert image.width <= MAX_FIGURE_WIDTH * 100 * 1.05, f"{where}: {image.width} px wide"
