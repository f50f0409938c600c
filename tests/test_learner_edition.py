"""The learner edition (notebooks/exercises/): up to date, valid Python, no solution code, linked, checked.

The runnable prefixes of all learner notebooks (every cell before the first TODO cell, plus that cell
for lessons with checks) run one after the other in ONE kernel, with their quick parameters, so MNIST
is loaded once per lesson at most and TensorFlow is imported once.
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager
from nbclient import NotebookClient
from nbformat.v4 import new_code_cell, new_notebook
from papermill.parameterize import parameterize_notebook

from course_utils.checks import EXERCISES
from course_utils.course.exercises import (
    BEGIN,
    LEARNER_DIR,
    SOLUTIONS_MODULE,
    TEST_MARKER,
    TODO_MARK,
    answers_in_sight,
    cells_before_first_todo,
    checked_blocks,
    filled_with_solutions,
    leaked_solution_lines,
    learner_edition,
    learner_text,
    solution_blocks,
    solutions_module_text,
    solutions_removed,
    without_solution_markers,
)
from course_utils.course.lessons import colab_url, lesson_for
from course_utils.course.notebook_format import HEADER, HOW_TO_WORK, KERNELSPEC
from course_utils.course.runner import NOTEBOOKS_DIR, kernel_environment
from tests.conftest import ROOT, local_mnist_dir

PATHS = sorted(NOTEBOOKS_DIR.glob("*.ipynb"))
if not PATHS:
    pytest.skip("notebooks/ holds no lesson notebook yet", allow_module_level=True)

by_name = pytest.mark.parametrize("path", PATHS, ids=[path.stem for path in PATHS])
BADGE = re.compile(r"\[!\[Open In Colab\]\([^)]*\)\]\(([^)\s]+)\)")
LINK = re.compile(r"\]\((?!https?:)([^)\s]+\.ipynb)\)")
CHECK_CALL = re.compile(r'^(?P<indent>[ \t]*)check\("(?P<name>[\w.]+)"')
RESET_BETWEEN_NOTEBOOKS = """\
%reset -f
import sys

import matplotlib.pyplot

matplotlib.pyplot.close("all")
if "keras" in sys.modules:
    sys.modules["keras"].utils.clear_session()"""


def read(path):
    return nbformat.read(path, as_version=4)


def code_cells(nb):
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def header(nb) -> str:
    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"][0].source
    return markdown[markdown.index(HEADER[0]) : markdown.index(HEADER[1])]


def check_calls(nb) -> list[tuple[int, str]]:
    """(cell index, exercise name) of every check call, in notebook order."""
    return [
        (index, match["name"])
        for index, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for line in cell.source.split("\n")
        if (match := CHECK_CALL.match(line))
    ]


def test_the_committed_learner_edition_is_complete_and_has_nothing_else():
    committed = sorted(path.name for path in LEARNER_DIR.glob("*.ipynb"))
    assert committed == [path.name for path in PATHS], "run `python -m course_utils exercises`"


@by_name
def test_the_committed_learner_notebook_is_up_to_date(path):
    target = LEARNER_DIR / path.name
    assert target.exists() and target.read_text(encoding="utf-8") == learner_text(path), (
        "run `python -m course_utils exercises`"
    )


@by_name
def test_every_learner_code_cell_is_valid_python_after_ipython_transforms(path):
    transform = TransformerManager().transform_cell
    for cell in code_cells(read(LEARNER_DIR / path.name)):
        try:
            ast.parse(transform(cell.source))
        except SyntaxError as error:
            pytest.fail(f"cell {cell.id} is not valid Python ({error}):\n{cell.source}")


@by_name
def test_the_learner_edition_has_no_solution_code_outputs_or_test_markers(path):
    source = read(path)
    learner = read(LEARNER_DIR / path.name)
    nbformat.validate(learner)
    assert solutions_removed(learner, source)
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells(learner))
    assert "course_utils" not in learner.metadata, "a learner notebook never ran: no run record"
    markers = [line for cell in code_cells(learner) for line in cell.source.split("\n") if "NBVAL" in line]
    assert markers == []
    todos = sum(cell.source.count(f"{TODO_MARK}: ") for cell in code_cells(learner))
    assert todos == len(solution_blocks(source)), "every solution block becomes one TODO prompt"


@by_name
def test_the_learner_edition_keeps_every_cell_and_changes_only_the_solution_blocks(path):
    source, learner = read(path), read(LEARNER_DIR / path.name)
    blocks = {block.cell_index for block in solution_blocks(source)}
    plain = without_solution_markers(source)
    assert len(learner.cells) == len(source.cells)
    for index, (before, after) in enumerate(zip(plain.cells, learner.cells, strict=True)):
        assert (after.id, after.cell_type, after.metadata) == (before.id, before.cell_type, before.metadata)
        if index not in blocks and before.cell_type == "code":
            assert after.source == before.source


@by_name
def test_filling_each_todo_with_its_solution_gives_back_the_solution_code(path):
    source, learner = read(path), read(LEARNER_DIR / path.name)
    filled = filled_with_solutions(learner, source, path.name)
    expected = without_solution_markers(source)
    assert [cell.source for cell in code_cells(filled)] == [cell.source for cell in code_cells(expected)]


def test_the_leak_check_catches_a_solution_line_that_also_appears_outside_the_blocks():
    name = "06_keras_deep_dense.ipynb"
    source = read(NOTEBOOKS_DIR / name)
    learner = learner_edition(source, name)
    assert leaked_solution_lines(source, learner) == []
    todo = "# TODO: the ReLU network's optimizer"
    compile_cell = next(cell for cell in learner.cells if todo in cell.source)
    # the line the learner must write here, pasted into the learner's cell, is caught
    line = "optimizer = keras.optimizers.Adam(LEARNING_RATE)"
    compile_cell.source = compile_cell.source.replace("    optimizer = ...  # TODO\n", f"    {line}\n", 1)
    assert line in compile_cell.source
    assert leaked_solution_lines(source, learner) == [line]


@by_name
def test_each_edition_has_its_own_colab_badge_and_links_to_the_other(path):
    solution_header = header(read(path))
    learner_header = header(read(LEARNER_DIR / path.name))
    assert BADGE.findall(solution_header) == [colab_url(path.name)]
    assert BADGE.findall(learner_header) == [colab_url(path.name, "notebooks/exercises")]
    assert f"exercises/{path.name}" in LINK.findall(solution_header)
    assert f"../{path.name}" in LINK.findall(learner_header)
    for folder, text in ((NOTEBOOKS_DIR, solution_header), (LEARNER_DIR, learner_header)):
        assert [link for link in LINK.findall(text) if not (folder / link).resolve().is_file()] == []


@by_name
def test_the_learner_notebook_has_its_own_colab_install_cell(path):
    tagged = [
        cell for cell in code_cells(read(LEARNER_DIR / path.name)) if "colab" in cell.metadata.get("tags", [])
    ]
    assert len(tagged) == 1 and "%pip install" in tagged[0].source


def test_the_readme_lesson_table_links_both_editions():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in PATHS:
        row = next(
            line for line in readme.split("\n") if line.startswith(f"| {lesson_for(path.name).number} |")
        )
        assert f"(notebooks/{path.name})" in row and f"(notebooks/exercises/{path.name})" in row
        assert (ROOT / "notebooks" / "exercises" / path.name).is_file()


@by_name
def test_each_check_follows_its_exercise_and_numbers_them_in_order(path):
    source = read(path)
    calls = check_calls(source)
    blocks = solution_blocks(source)
    lesson = lesson_for(path.name).number
    names = [name for _, name in calls]
    assert len(set(names)) == len(names), "one check call per exercise"
    unchecked = [block.prompt for block in blocks if block.cell_index not in {index for index, _ in calls}]
    assert unchecked == [] and len(calls) == len(blocks), f"every solution block needs a check: {unchecked}"
    assert sorted(name for name in EXERCISES if name.startswith(f"lesson{lesson:02d}.")) == sorted(names)
    for number, (index, name) in enumerate(calls, start=1):
        exercise = EXERCISES[name]
        assert exercise.number == number
        in_cell = [call for call in calls if call[0] == index]
        cell_blocks = [block for block in blocks if block.cell_index == index]
        assert len(in_cell) == len(cell_blocks), f"{name}: one check per solution block of its cell"
        block = cell_blocks[in_cell.index((index, name))]  # the k-th check of a cell checks its k-th block
        lines = source.cells[index].source.split("\n")
        call_line = next(n for n, line in enumerate(lines) if CHECK_CALL.match(line) and f'"{name}"' in line)
        assert block.last_line < call_line, f"{name}: the check comes before its exercise"
        assert block.prompt == exercise.prompt, f"{name}: the check's prompt differs from the block's"


@by_name
def test_the_stored_run_shows_every_check_passing(path):
    source = read(path)
    for index, name in check_calls(source):
        text = "".join(output.get("text", "") for output in source.cells[index].outputs)
        number = EXERCISES[name].number
        assert f"✓ exercise {number} is right ({name})" in text, (
            f"{name}: no success line in the stored outputs: run `python -m course_utils regenerate`"
        )


@pytest.fixture(scope="session")
def learner_run_errors():
    """Run each learner prefix (quick parameters), plus the first TODO cell where the lesson has checks."""
    cells = []
    for path in PATHS:
        lesson = lesson_for(path.name)
        learner = read(LEARNER_DIR / path.name)
        if lesson.quick_parameters:
            learner.metadata.setdefault("papermill", {})  # what papermill's loader adds
            for cell in learner.cells:
                cell.metadata.setdefault("tags", [])
            learner = parameterize_notebook(learner, dict(lesson.quick_parameters), kernel_name="python3")
        prefix = cells_before_first_todo(learner)
        if check_calls(read(path)):
            prefix = learner.cells[: len(prefix) + 1]
        for cell in [new_code_cell(RESET_BETWEEN_NOTEBOOKS), *(c for c in prefix if c.cell_type == "code")]:
            cell = nbformat.from_dict(dict(cell))
            cell.metadata["course_notebook"] = path.name
            cells.append(cell)
    nb = new_notebook(cells=cells, metadata={"kernelspec": dict(KERNELSPEC)})
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=900,
        allow_errors=True,
        resources={"metadata": {"path": str(LEARNER_DIR)}},
    )
    with kernel_environment(local_mnist_dir()):
        client.execute()
    errors = {}
    for cell in nb.cells:
        for output in cell.outputs:
            if output.output_type == "error":
                errors.setdefault(cell.metadata["course_notebook"], []).append((output, cell.source))
    return errors


@by_name
def test_an_unfinished_learner_notebook_runs_until_its_first_exercise_stops_it(path, learner_run_errors):
    errors = learner_run_errors.get(path.name, [])
    calls = check_calls(read(path))
    if not calls:
        assert not errors, f"{errors[0][0].ename}: {errors[0][0].evalue}\nin:\n{errors[0][1]}"
        return
    assert len(errors) == 1, [f"{output.ename}: {output.evalue}" for output, _ in errors]
    output, cell_source = errors[0]
    first = EXERCISES[calls[0][1]]
    message = f'exercise 1 is not done yet: {first.prompt} (stuck? check.hint("{first.name}"))'
    assert (output.ename, output.evalue) == ("ExerciseNotDone", message)
    assert f"{TODO_MARK}: {first.prompt}" in cell_source
    assert output.traceback == [f"ExerciseNotDone: {message}"]


def test_solution_markers_and_test_markers_are_recognised():
    assert BEGIN.match("    # BEGIN SOLUTION: a prompt") and TEST_MARKER.match("# NBVAL_CHECK_OUTPUT")
    assert not TEST_MARKER.match('print("# NBVAL_CHECK_OUTPUT")')


def test_the_worked_solutions_module_is_up_to_date_and_covers_every_check():
    from course_utils.solutions import SOLUTIONS

    assert SOLUTIONS_MODULE.read_text(encoding="utf-8") == solutions_module_text(PATHS), (
        "run `python -m course_utils exercises`"
    )
    assert sorted(SOLUTIONS) == sorted(EXERCISES)
    pairs = [pair for path in PATHS for pair in checked_blocks(read(path), path.name)]
    assert all(EXERCISES[name].prompt == block.prompt for name, block in pairs)


def test_the_exercises_command_writes_the_chosen_lessons(tmp_path, capsys):
    from course_utils.course.cli import main

    assert main(["exercises", "--only", "1", "--output", str(tmp_path)]) == 0
    assert [path.name for path in tmp_path.iterdir()] == ["01_neuron.ipynb"]
    assert (tmp_path / "01_neuron.ipynb").read_text(encoding="utf-8") == learner_text(
        NOTEBOOKS_DIR / "01_neuron.ipynb"
    )
    assert f"Wrote 1 learner notebooks to {tmp_path}" in capsys.readouterr().out


@by_name
def test_no_learner_cell_shows_an_answer_not_even_with_one_argument_changed(path):
    """Lesson 10 once showed exercises 1-2's layers verbatim in a later cell; lesson 3 its network with
    another activation: a learner who scrolls down must not find the answer."""
    learner = read(LEARNER_DIR / path.name)
    numbers = {cell.id: number for number, cell in enumerate(learner.cells, start=1)}
    found = [f"cell {numbers[cell]}: {prompt}" for prompt, cell in answers_in_sight(read(path), learner)]
    assert found == [], f"answers in plain sight in exercises/{path.name}"


def test_an_answer_with_one_argument_changed_is_found():
    source = new_notebook(
        cells=[
            new_code_cell(
                "def f():\n    # BEGIN SOLUTION: a layer\n"
                '    return layers.Dense(200, activation="relu")\n    # END SOLUTION'
            )
        ]
    )
    for shown, leaked in [
        ('layers.Dense(200, activation="relu")', True),
        ('layers.Dense(200, activation="sigmoid")', True),
        ('layers.Dense(200, activation="relu", name="x")', False),
        ("layers.Dropout(0.5)", False),
    ]:
        learner = learner_edition(source)
        learner.cells.append(new_code_cell(shown))
        assert bool(answers_in_sight(source, learner)) is leaked, shown


@by_name
def test_every_learner_notebook_starts_by_saying_how_to_work(path):
    first = read(LEARNER_DIR / path.name).cells[0]
    assert HOW_TO_WORK in first.source and first.source.index(HOW_TO_WORK) < first.source.index(HEADER[1])
    assert HOW_TO_WORK not in read(path).cells[0].source  # the solution notebook has no exercises to do
