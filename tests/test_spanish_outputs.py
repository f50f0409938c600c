"""The Spanish notebooks' stored outputs: from their own run, in Spanish, with the English edition's numbers.

`python -m course_utils regenerate --language es` makes them. Timings and Keras' progress bars are left out
(nbval's sanitisers, as for the English outputs); every other number of a cell must be the English
cell's, and no line may read as English (beyond code, names and Keras' or scikit-learn's own lines).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import nbformat
import pytest

from course_utils.course.lessons import LESSONS
from tests.nbval_compare import sanitizer

ROOT = Path(__file__).resolve().parents[1]
ENGLISH, SPANISH = ROOT / "notebooks", ROOT / "notebooks" / "es"
SANITIZE = sanitizer()
GROUPED = re.compile(r"(?<=\d)[,\u00a0\u202f](?=\d{3}(?!\d))")  # 55,000 / 55 000 -> 55000
NUMBER = re.compile(r"\d+(?:\.\d+)?(?:e[-+]?\d+)?")
ENGLISH_WORDS = re.compile(
    r"\b(the|of|and|with|after|is|are|not|first|best|lowest|epochs?|accuracy|validation|training|loss|"
    r"test|digits?|images?|per|layers?|network|learning|rate|weights?|mistakes|predicted|shifts|lesson|"
    r"seconds|saved|loaded|found|stopped|spread|units|mean|median|yes|parameters)\b",
    re.I,
)
NOT_PROSE = re.compile(
    r"^\s*\d+/\d+ - |^Epoch \d+/\d+$"  # Keras' progress lines
    r"|^\s*(accuracy|macro avg|weighted avg)\s+[\d.\s]+$"  # scikit-learn's classification report
    r"|^\s*[a-z_]+\s+-?[\d.]+(e[-+]?\d+)?$"  # record_results' table: a metric's name and its value
)


def texts(cell) -> str:
    """The text a reader sees in a code cell's outputs (images left out), as nbval compares it."""
    parts = []
    for output in cell.get("outputs", []):
        if output.output_type == "stream":
            parts.append(output.text)
        elif output.output_type == "error":
            parts.append(f"{output.ename}: {output.evalue}")
        elif "image/png" not in output.get("data", {}):
            parts.append(output.get("data", {}).get("text/plain", ""))
    return SANITIZE("\n".join(parts))


TIMING_RESULT = re.compile(r"(?m)^\s*\w*seconds\w*\s+[\d.]+$")  # record_results' seconds_per_epoch row


def numbers(text: str) -> Counter:
    """The numbers of a text (thousands separators removed), without the timings of its run."""
    return Counter(NUMBER.findall(GROUPED.sub("", TIMING_RESULT.sub("", text))))


def english_lines(text: str) -> list[str]:
    """Lines that read as English: an English word outside quotes, on a line that is not a library's."""
    return [
        line
        for line in text.split("\n")
        if not NOT_PROSE.search(line) and ENGLISH_WORDS.search(re.sub(r"'[^']*'|\"[^\"]*\"", "", line))
    ]


def code_cells(folder: Path, lesson) -> dict:
    nb = nbformat.read(folder / lesson.notebook, as_version=4)
    return {cell.id: cell for cell in nb.cells if cell.cell_type == "code"}


def images(cell) -> list[str]:
    return [o["data"]["image/png"] for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_every_cell_prints_the_numbers_of_the_english_cell(lesson):
    english, spanish = code_cells(ENGLISH, lesson), code_cells(SPANISH, lesson)
    differ = {
        cell_id: (texts(cell), texts(spanish[cell_id]))
        for cell_id, cell in english.items()
        if numbers(texts(cell)) != numbers(texts(spanish[cell_id]))
    }
    assert differ == {}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_no_output_line_reads_as_english(lesson):
    found = {
        cell_id: lines
        for cell_id, cell in code_cells(SPANISH, lesson).items()
        if (lines := english_lines(texts(cell)))
    }
    assert found == {}


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_every_figure_is_drawn_anew_in_spanish(lesson):
    """Each image differs from the English one (its words are Spanish), in the same cells and number."""
    english, spanish = code_cells(ENGLISH, lesson), code_cells(SPANISH, lesson)
    for cell_id, cell in english.items():
        shown, spanish_shown = images(cell), images(spanish[cell_id])
        assert len(shown) == len(spanish_shown), cell_id
        same = [i for i, (a, b) in enumerate(zip(shown, spanish_shown, strict=True)) if a == b]
        assert same == [], (cell_id, same)


def test_the_checks_find_english_and_other_numbers():
    """What the tests above catch: an English line, a changed number; what they let through."""
    assert english_lines("validation accuracy 0.9912") == ["validation accuracy 0.9912"]
    assert english_lines("exactitud de validación 0.9912\n550/550 - 3s - accuracy: 0.9") == []
    assert english_lines("    accuracy                          0.973       150") == []
    assert numbers("55,000 images, loss 0.1234") == numbers("55\u00a0000 imágenes, pérdida 0.1234")
    assert numbers("loss 0.1234") != numbers("pérdida 0.1243")
    assert numbers(SANITIZE("1 epoch in 12.3 s")) == numbers(SANITIZE("1 época en 14.9 s"))
    assert numbers("seconds_per_epoch        3.3677") == numbers("seconds_per_epoch 3.3031")
