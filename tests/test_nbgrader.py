"""The nbgrader course folder: valid metadata, and the real nbgrader releases and grades it.

Lessons 1 and 5 go through generate_assignment and autograde (solution: full marks, unfinished release:
zero) with their quick parameters; the other lessons' generate_assignment runs with `-m course`.
`make test-nbgrader` (COURSE_AUTOGRADE=all) autogrades every lesson.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nbformat
import pytest

from course_utils.checks import EXERCISES
from course_utils.course.exercises import leaked_solution_lines, solution_blocks
from course_utils.course.lessons import LESSONS, select
from course_utils.course.nbgrader import nbgrader_notebook, write_course
from course_utils.course.runner import NOTEBOOKS_DIR, kernel_environment
from tests.conftest import local_mnist_dir

nbgrader = pytest.importorskip("nbgrader", reason="the nbgrader extra is not installed")
from nbgrader.apps import NbGraderAPI  # noqa: E402
from nbgrader.nbgraderformat import MetadataValidator  # noqa: E402
from traitlets.config import Config  # noqa: E402

GRADED = (
    tuple(f"{lesson.number:02d}" for lesson in LESSONS)
    if os.environ.get("COURSE_AUTOGRADE") == "all"
    else ("01", "05")
)
by_lesson = pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.stem for lesson in LESSONS])


def read(path):
    return nbformat.read(path, as_version=4)


@by_lesson
def test_every_cell_has_valid_nbgrader_metadata_and_the_checks_give_the_points(lesson):
    source = read(NOTEBOOKS_DIR / lesson.notebook)
    nb = nbgrader_notebook(source)
    MetadataValidator().validate_nb(nb)
    assert all(cell.metadata["nbgrader"]["schema_version"] == 3 for cell in nb.cells)
    solution_cells = [cell for cell in nb.cells if cell.metadata["nbgrader"]["solution"]]
    assert len(solution_cells) == len({block.cell_index for block in solution_blocks(source)})
    graded = [cell for cell in nb.cells if cell.metadata["nbgrader"]["grade"]]
    assert all(cell.metadata["nbgrader"]["locked"] for cell in graded)
    names = [name for name in EXERCISES if name.startswith(f"lesson{lesson.number:02d}.")]
    calls = sum(cell.source.count("check(") for cell in graded)
    assert sum(cell.metadata["nbgrader"]["points"] for cell in graded) == calls <= len(names)
    for cell in solution_cells:
        lines = cell.source.split("\n")
        begins = [n for n, line in enumerate(lines) if line.strip() == "### BEGIN SOLUTION"]
        assert begins and all(lines[n - 1].strip().startswith("# TODO: ") for n in begins)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """An nbgrader course of all lessons (quick parameters), with an API bound to it."""
    # nbgrader runs the `alembic` command of its environment: put this Python's scripts first on PATH
    path = os.environ["PATH"]
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), path])
    root = tmp_path_factory.mktemp("nbgrader-course")
    for lesson in LESSONS:
        write_course([lesson], NOTEBOOKS_DIR, root, lesson.parameters_for("quick"))
    config = Config()
    config.CourseDirectory.root = str(root)
    config.CourseDirectory.db_assignments = [{"name": lesson.stem} for lesson in LESSONS]
    config.Execute.timeout = 600
    yield root, NbGraderAPI(config=config)
    os.environ["PATH"] = path


def _generate(course, lesson):
    root, api = course
    result = api.generate_assignment(lesson.stem)
    assert result["success"], result.get("log", "") + result.get("error", "")
    return read(root / "release" / lesson.stem / lesson.notebook)


@pytest.mark.parametrize(
    "lesson",
    [
        pytest.param(lesson, marks=[] if f"{lesson.number:02d}" in GRADED else [pytest.mark.course])
        for lesson in LESSONS
    ],
    ids=[lesson.stem for lesson in LESSONS],
)
def test_generate_assignment_releases_the_lesson_without_solution_code(course, lesson):
    release = _generate(course, lesson)
    text = "\n".join(cell.source for cell in release.cells)
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert leaked_solution_lines(read(NOTEBOOKS_DIR / lesson.notebook), release) == []
    assert text.count("raise NotImplementedError()") == len(
        solution_blocks(read(NOTEBOOKS_DIR / lesson.notebook))
    )


@pytest.mark.parametrize("lesson", select(",".join(GRADED)), ids=lambda lesson: lesson.stem)
def test_autograde_gives_full_marks_to_the_solution_and_zero_to_the_unfinished_release(course, lesson):
    root, api = course
    _generate(course, lesson)
    for student, folder in (("solution", "source"), ("unfinished", "release")):
        target = root / "submitted" / student / lesson.stem
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(root / folder / lesson.stem / lesson.notebook, target / lesson.notebook)
        with kernel_environment(local_mnist_dir()):
            result = api.autograde(lesson.stem, student)
        assert result["success"], result.get("log", "") + result.get("error", "")
    with api.gradebook as gradebook:
        solution = gradebook.find_submission(lesson.stem, "solution")
        unfinished = gradebook.find_submission(lesson.stem, "unfinished")
        assert solution.max_score > 0 and solution.score == solution.max_score
        assert unfinished.score == 0


def test_the_nbgrader_command_writes_a_course_folder(tmp_path, capsys):
    from course_utils.course.cli import main

    assert main(["nbgrader", "--output", str(tmp_path), "--only", "1,5", "--profile", "quick"]) == 0
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*.ipynb"))
    assert written == [
        "source/01_neuron/01_neuron.ipynb",
        "source/05_keras_single_layer/05_keras_single_layer.ipynb",
    ]
    config = (tmp_path / "nbgrader_config.py").read_text(encoding="utf-8")
    assert "'01_neuron'" in config and "'05_keras_single_layer'" in config
    lesson5 = read(tmp_path / "source/05_keras_single_layer/05_keras_single_layer.ipynb")
    assert any(cell.source == "EPOCHS = 1\nTRAIN_SIZE = 5000\nBATCH_SIZE = 32" for cell in lesson5.cells)
    assert "Wrote 2 nbgrader source notebooks" in capsys.readouterr().out


def test_a_wrong_answer_gets_partial_marks_and_feedback_that_shows_no_solution(course):
    """One exercise of lesson 1 answered wrong (the sigmoid's sign): some marks, not all, and the
    feedback the learner reads shows what is wrong but not the reference solution."""
    import html

    root, api = course
    (lesson,) = select("01")
    _generate(course, lesson)
    right = "return 1 / (1 + np.exp(-z))"
    submission = read(root / "source" / lesson.stem / lesson.notebook)
    cells = [cell for cell in submission.cells if right in cell.source]
    assert len(cells) == 1, "lesson 1's sigmoid solution changed: update this test's wrong answer"
    cells[0].source = cells[0].source.replace(right, "return 1 / (1 + np.exp(z))")
    target = root / "submitted" / "partial" / lesson.stem
    target.mkdir(parents=True, exist_ok=True)
    nbformat.write(submission, target / lesson.notebook)
    with kernel_environment(local_mnist_dir()):
        assert api.autograde(lesson.stem, "partial")["success"]
    with api.gradebook as gradebook:
        partial = gradebook.find_submission(lesson.stem, "partial")
        assert 0 < partial.score < partial.max_score
    assert api.generate_feedback(lesson.stem, "partial")["success"]
    (feedback,) = (root / "feedback" / "partial" / lesson.stem).glob("*.html")
    text = html.unescape(feedback.read_text(encoding="utf-8"))
    assert "ExerciseWrong" in text and right not in text
