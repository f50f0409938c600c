"""The lesson notebooks themselves: layout, fresh outputs, results, links, a quick run.

The learner edition has its own tests in test_learner_edition.py.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest

from course_utils.course.exercises import (
    solution_blocks,
)
from course_utils.course.lessons import LESSONS, colab_url, lesson_for
from course_utils.course.notebook_format import FOOTER, HEADER, is_canonical
from course_utils.course.runner import NOTEBOOKS_DIR
from course_utils.results import read_results

PATHS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
if not PATHS:
    pytest.skip("notebooks/ holds no lesson notebook yet", allow_module_level=True)

BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)\s]+)\)")
LINK = re.compile(r"\]\((?!https?:)([^)\s]+\.ipynb)\)")
BETWEEN_MARKERS = {
    markers: re.compile(re.escape(markers[0]) + ".*?" + re.escape(markers[1]), re.S)
    for markers in (HEADER, FOOTER)
}
RESET_BETWEEN_NOTEBOOKS = """\
%reset -f
import sys

import matplotlib.pyplot

matplotlib.pyplot.close("all")
if "keras" in sys.modules:
    sys.modules["keras"].utils.clear_session()"""
by_name = pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def markdown_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "markdown"]


def test_every_lesson_of_the_table_has_its_notebook():
    missing = [lesson.notebook for lesson in LESSONS if not (NOTEBOOKS_DIR / lesson.notebook).exists()]
    assert not missing, f"lessons without a notebook: {missing}"


@by_name
def test_the_notebook_is_a_lesson_with_exactly_one_parameters_cell(path):
    assert lesson_for(path.name) is not None, f"{path.name} is not in course_utils/lessons.py"
    tagged = [cell for cell in read(path).cells if "parameters" in cell.metadata.get("tags", [])]
    assert len(tagged) == 1 and tagged[0].cell_type == "code"


@by_name
def test_stored_outputs_are_fresh(path):
    cells = [cell for cell in code_cells(read(path)) if cell.source.strip()]
    counts = [cell.execution_count for cell in cells]
    assert counts == list(range(1, len(cells) + 1)), "run `python -m course_utils regenerate --only …`"
    errors = [output for cell in cells for output in cell.outputs if output.output_type == "error"]
    assert not errors, f"stored error output: {errors[0].ename}: {errors[0].evalue}"


@by_name
def test_the_stored_run_records_the_lesson_metric_and_reaches_the_target(path):
    lesson = lesson_for(path.name)
    nb = read(path)
    results = read_results(nb)
    assert lesson.metric in results, f"no record_results({lesson.metric}=…) output"
    assert results[lesson.metric] >= lesson.target, "the stored run misses the full target"


@by_name
def test_the_colab_badge_points_at_the_notebook_itself(path):
    header = markdown_cells(read(path))[0].source
    assert BADGE.findall(header) == [colab_url(path.name)]


@by_name
def test_navigation_links_point_to_existing_notebooks(path):
    nb = read(path)
    blocks = [BETWEEN_MARKERS[HEADER].search(markdown_cells(nb)[0].source)]
    blocks.append(BETWEEN_MARKERS[FOOTER].search(markdown_cells(nb)[-1].source))
    assert all(blocks), "header or footer markers missing: run `python -m course_utils format`"
    links = [link for block in blocks for link in LINK.findall(block.group(0))]
    assert links, "no navigation links"
    assert [link for link in links if not (NOTEBOOKS_DIR / link).is_file()] == []


@by_name
def test_the_notebook_is_canonical(path):
    assert is_canonical(path), "run `python -m course_utils format`"


@by_name
def test_lessons_from_two_on_have_at_least_three_exercises(path):
    if lesson_for(path.name).number >= 2:
        assert len(solution_blocks(read(path), path.name)) >= 3


@pytest.mark.course
def test_the_quick_course_runs_end_to_end(quick_run):
    """`python -m course_utils run --profile quick` over every lesson present (the session's one run)."""
    output, log, status = quick_run
    present = [lesson for lesson in LESSONS if (NOTEBOOKS_DIR / lesson.notebook).exists()]
    assert status == 0, log[-8000:]
    rows = json.loads((output / "results.json").read_text())
    targets = [row for row in rows if row["target"] is not None]
    assert [row["notebook"] for row in targets] == [lesson.notebook for lesson in present]
    for row, lesson in zip(targets, present, strict=True):
        assert row["metric"] == lesson.metric and row["passed"] is True and row["profile"] == "quick"
        assert row["value"] >= lesson.quick_target and row["seconds"] > 0
        executed = read(output / lesson.notebook)
        assert executed.metadata.course_utils["profile"] == "quick"
    assert len((output / "report.md").read_text().splitlines()) == len(present) + 4
    assert f"{len(present)}/{len(present)} lessons passed" in log
