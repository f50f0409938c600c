"""The session's one quick run against the stored notebooks: checked cells, figures, quick results.

Checked cells (tag `nbval-check-output`) are compared as `pytest --nbval-lax` compares them (same
sanitisers, nbval's own functions), on the executed copies of the quick run, so no lesson runs twice.
"""

from __future__ import annotations

import base64
import io

import matplotlib.image
import nbformat
import numpy as np
import pytest

from course_utils.course.runner import NOTEBOOKS_DIR
from tests.nbval_compare import CHECK_TAG, comparable, sanitizer
from tests.quick_results import TOLERANCE, compared, expected, recorded

pytestmark = pytest.mark.course  # reads the quick course run
PATHS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
by_name = pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
sanitize = sanitizer()


def stored_and_executed(path, quick_run):
    """Pairs (position in the source, stored cell, the same cell of the executed copy or None)."""
    executed = nbformat.read(quick_run[0] / path.name, as_version=4)
    by_id = {cell.get("id"): cell for cell in executed.cells}
    stored = nbformat.read(path, as_version=4)
    return [(index + 1, cell, by_id.get(cell.get("id"))) for index, cell in enumerate(stored.cells)]


@by_name
def test_checked_cells_reproduce_their_stored_outputs(path, quick_run):
    checked = [
        (number, cell, fresh)
        for number, cell, fresh in stored_and_executed(path, quick_run)
        if CHECK_TAG in cell.metadata.get("tags", [])
    ]
    assert checked, f"{path.name} has no cell tagged {CHECK_TAG}"
    for number, cell, fresh in checked:
        assert fresh is not None, f"cell {number} is missing from the executed copy"
        assert comparable(fresh.outputs, sanitize) == comparable(cell.outputs, sanitize), (
            f"cell {number} of {path.name} differs from its stored output:\n{cell.source}"
        )


def png_pixels(data: str) -> np.ndarray:
    return matplotlib.image.imread(io.BytesIO(base64.b64decode(data)), format="png")


@by_name
def test_every_stored_figure_is_drawn_again_and_is_not_blank(path, quick_run):
    for number, cell, fresh in stored_and_executed(path, quick_run):
        stored_figures = [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]
        if not stored_figures:
            continue
        assert fresh is not None, f"cell {number} is missing from the executed copy"
        figures = [o.data["image/png"] for o in fresh.outputs if "image/png" in o.get("data", {})]
        assert len(figures) >= len(stored_figures), f"cell {number}: figure missing in the quick run"
        for data in figures:
            pixels = png_pixels(data)
            assert pixels.shape[0] > 50 and pixels.shape[1] > 50, f"cell {number}: a tiny image"
            assert np.ptp(pixels[..., :3]) > 0, f"cell {number}: a blank image"


def test_the_quick_run_reproduces_the_recorded_quick_results(quick_run):
    """Every non-timing metric of the quick run equals tests/quick_results.json within TOLERANCE."""
    got, want = recorded(quick_run[0] / "results.json"), expected()
    assert sorted(got) == sorted(want), "lessons differ: record again with tests/quick_results.py"
    for notebook, metrics in want.items():
        assert sorted(got[notebook]) == sorted(metrics), f"{notebook}: other metrics recorded"
        for metric, value in metrics.items():
            assert compared(metric)
            assert got[notebook][metric] == pytest.approx(value, abs=TOLERANCE), f"{notebook}: {metric}"
