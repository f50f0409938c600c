"""The lesson notebooks themselves: layout, fresh outputs, results, links, learner edition, a quick run.

The learner edition's runnable prefix is every cell before the first cell with a TODO (Setup,
parameters, data loading…); the prefixes of all lessons run, with their quick parameters, one after
the other in ONE kernel to stay fast.
"""

from __future__ import annotations

import json
import re

import nbformat
import pytest
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from papermill.parameterize import parameterize_notebook

from course_utils.course.exercises import (
    cells_before_first_todo,
    learner_edition,
    solution_blocks,
    solutions_removed,
)
from course_utils.course.lessons import LESSONS, colab_url, lesson_for
from course_utils.course.notebook_format import FOOTER, HEADER, KERNELSPEC, is_canonical
from course_utils.course.runner import NOTEBOOKS_DIR, kernel_environment
from course_utils.results import read_results
from tests.conftest import local_mnist_dir

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


@by_name
def test_the_learner_edition_is_valid_and_has_no_solution_code(path):
    source = read(path)
    learner = learner_edition(source, path.name)
    nbformat.validate(learner)
    assert solutions_removed(learner, source)
    blocks = {block.cell_index for block in solution_blocks(source)}
    assert len(learner.cells) == len(source.cells)
    for index, (before, after) in enumerate(zip(source.cells, learner.cells, strict=True)):
        assert (after.id, after.cell_type, after.metadata) == (before.id, before.cell_type, before.metadata)
        if index not in blocks:
            assert after.source == before.source
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells(learner))


@pytest.fixture(scope="session")
def learner_prefix_errors():
    """Run every learner prefix (quick parameters injected) in one kernel; errors by notebook name."""
    cells = []
    for path in PATHS:
        lesson = lesson_for(path.name)
        learner = learner_edition(read(path), path.name)
        if lesson is not None and lesson.quick_parameters:
            learner.metadata.setdefault("papermill", {})  # what papermill's loader adds
            for cell in learner.cells:
                cell.metadata.setdefault("tags", [])
            learner = parameterize_notebook(learner, dict(lesson.quick_parameters), kernel_name="python3")
        reset = new_code_cell(RESET_BETWEEN_NOTEBOOKS)
        for cell in [reset, *(c for c in cells_before_first_todo(learner) if c.cell_type == "code")]:
            cell = nbformat.from_dict(dict(cell))
            cell.metadata["course_notebook"] = path.name
            cells.append(cell)
    nb = new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC)})
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=900,
        allow_errors=True,
        resources={"metadata": {"path": str(NOTEBOOKS_DIR)}},
    )
    with kernel_environment(local_mnist_dir()):
        client.execute()
    errors = {}
    for cell in nb.cells:
        for output in cell.outputs:
            if output.output_type == "error":
                errors.setdefault(cell.metadata["course_notebook"], []).append(
                    f"{output.ename}: {output.evalue}\nin:\n{cell.source}"
                )
    return errors


@by_name
def test_the_learner_edition_runs_up_to_its_first_todo(path, learner_prefix_errors):
    errors = learner_prefix_errors.get(path.name, [])
    assert not errors, errors[0]


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
