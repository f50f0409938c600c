"""Figure texts: every image a stored lesson shows says what it shows, in English and in Spanish."""

from __future__ import annotations

import nbformat
import pytest

from course_utils.course.lessons import LESSONS
from course_utils.course.notebook_format import LANGUAGE_CELL_ID, figure_texts
from course_utils.course.runner import NOTEBOOKS_DIR

GENERIC = {"image", "figure", "plot", "chart", "output", "imagen", "figura", "gráfico"}


def images(cell) -> int:
    outputs = cell.get("outputs", [])
    return sum(key.startswith("image/") for output in outputs for key in output.get("data", {}))


def read(path):
    return nbformat.read(path, as_version=4)


@pytest.mark.parametrize("folder", ["", "es"])
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_every_image_output_has_its_own_meaningful_text(lesson, folder):
    nb = read(NOTEBOOKS_DIR / folder / lesson.notebook)
    for cell in nb.cells:
        texts = figure_texts(cell)
        assert len(texts) == images(cell), f"{lesson.stem}, cell {cell.id}: one text per image output"
        for text in texts:
            assert len(text) >= 60 and text.strip(" .").lower() not in GENERIC, (cell.id, text)


def own_cells(nb) -> list:
    """The cells of a translated notebook that its English one has (not its language cell)."""
    return [cell for cell in nb.cells if cell.get("id") != LANGUAGE_CELL_ID]


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_the_spanish_texts_are_translations_and_the_learner_editions_keep_the_texts(lesson):
    english, spanish = read(NOTEBOOKS_DIR / lesson.notebook), read(NOTEBOOKS_DIR / "es" / lesson.notebook)
    pairs = [
        (text, translated)
        for source, copy in zip(english.cells, own_cells(spanish), strict=True)
        for text, translated in zip(figure_texts(source), figure_texts(copy), strict=True)
    ]
    assert pairs and all(text != translated for text, translated in pairs)
    for folder, source in (("exercises", english), ("es/exercises", spanish)):
        learner = read(NOTEBOOKS_DIR / folder / lesson.notebook)
        assert [figure_texts(cell) for cell in learner.cells] == [figure_texts(cell) for cell in source.cells]
