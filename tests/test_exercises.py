"""course_utils.course.exercises: solution blocks become TODOs, everything else stays."""

from __future__ import annotations

import ast

import nbformat
import pytest

from course_utils.course.exercises import (
    SolutionMarkerError,
    assigned_names,
    cells_before_first_todo,
    filled_with_solutions,
    leaked_solution_lines,
    learner_edition,
    solution_blocks,
    solutions_removed,
    without_solution_markers,
    write_learner_editions,
)
from tests.tiny_notebooks import code, markdown, notebook, write

FORWARD = """\
def forward(x, w, b):
    # BEGIN SOLUTION: compute the weighted sum and squash it
    z = x @ w + b
    return sigmoid(z)
    # END SOLUTION"""

TRAIN = """\
# BEGIN SOLUTION: build and train the model
model = make_model()
history, extra = model.fit(x_train), 2
scratch = 3
# END SOLUTION
print(history)"""


def instructor_notebook():
    executed = code("import numpy as np\nprint(1)", "setup", cell_id="setup")
    executed.execution_count = 1
    executed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    return notebook(
        markdown("# Lesson 2 · Hidden layers", cell_id="title"),
        executed,
        code("EPOCHS = 3", "parameters", cell_id="params"),
        code(FORWARD, cell_id="forward"),
        code(TRAIN, cell_id="train"),
        code("accuracy = model.evaluate(x_test)\nrecord(accuracy)", cell_id="evaluate"),
    )


def test_solution_blocks_are_found_with_prompt_indent_and_code():
    blocks = solution_blocks(instructor_notebook())
    assert [(b.cell_index, b.prompt, b.indent) for b in blocks] == [
        (3, "compute the weighted sum and squash it", "    "),
        (4, "build and train the model", ""),
    ]
    assert blocks[1].code == "model = make_model()\nhistory, extra = model.fit(x_train), 2\nscratch = 3"


def test_blocks_become_prompts_with_placeholders_for_names_that_later_code_needs():
    learner = learner_edition(instructor_notebook())
    assert learner.cells[4].source == (
        "# TODO: build and train the model\n"
        "model = ...  # TODO\n"  # used in a later cell
        "history = ...  # TODO\n"  # used later in the same cell
        "print(history)"  # `extra` and `scratch` are never used again: no placeholder
    )


def test_a_name_only_written_in_a_later_string_comment_or_attribute_gets_no_placeholder():
    nb = instructor_notebook()
    nb.cells[5].source = 'print("the scratch extra")  # extra\nresult.extra = 1\n%env X=model'
    learner = learner_edition(nb)
    assert (
        learner.cells[4].source == "# TODO: build and train the model\nhistory = ...  # TODO\nprint(history)"
    )


def test_an_indented_block_keeps_its_indentation_and_a_valid_body():
    source = learner_edition(instructor_notebook()).cells[3].source
    assert source == "def forward(x, w, b):\n    # TODO: compute the weighted sum and squash it\n    ..."
    ast.parse(source)


def test_outputs_and_execution_counts_are_cleared_and_everything_else_stays():
    source = instructor_notebook()
    learner = learner_edition(source)
    assert [cell.id for cell in learner.cells] == [cell.id for cell in source.cells]
    for before, after in zip(source.cells, learner.cells, strict=True):
        assert after.metadata == before.metadata  # tags kept
        if after.cell_type == "code":
            assert after.outputs == [] and after.execution_count is None
    for index in (0, 1, 2, 5):  # unmarked cells
        assert learner.cells[index].source == source.cells[index].source
    assert source.cells[1].outputs, "the instructor notebook itself is not modified"
    nbformat.validate(learner)


def test_solutions_removed_and_no_solution_line_leaks():
    source = instructor_notebook()
    learner = learner_edition(source)
    assert solutions_removed(learner, source)
    assert leaked_solution_lines(source, learner) == []
    assert not solutions_removed(source)
    assert leaked_solution_lines(source, source) == [
        "history, extra = model.fit(x_train), 2",
        "model = make_model()",
        "return sigmoid(z)",
        "scratch = 3",
        "z = x @ w + b",
    ]


def test_the_runnable_prefix_stops_before_the_first_todo():
    learner = learner_edition(instructor_notebook())
    assert [cell.id for cell in cells_before_first_todo(learner)] == ["title", "setup", "params"]
    plain = notebook(code("x = 1"))
    assert cells_before_first_todo(plain) == plain.cells


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("# BEGIN SOLUTION: a\nx = 1", r"lesson\.ipynb, cell 2: BEGIN SOLUTION on line 1 is never closed"),
        ("x = 1\n# END SOLUTION", r"lesson\.ipynb, cell 2: END SOLUTION on line 2 without BEGIN"),
        (
            "# BEGIN SOLUTION: a\n# BEGIN SOLUTION: b\n# END SOLUTION\n# END SOLUTION",
            r"cell 2: BEGIN SOLUTION on line 2 inside another block",
        ),
        ("# BEGIN SOLUTION\nx = 1\n# END SOLUTION", r"cell 2, line 1: write `# BEGIN SOLUTION: <prompt"),
        ("# BEGIN SOLUTION:   \nx = 1\n# END SOLUTION", r"cell 2, line 1: write"),
    ],
)
def test_unbalanced_or_bare_markers_name_the_notebook_and_cell(source, message):
    nb = notebook(markdown("# Title"), code(source))
    with pytest.raises(SolutionMarkerError, match=message):
        learner_edition(nb, name="lesson.ipynb")


def test_markers_in_markdown_are_not_solutions():
    nb = notebook(markdown("Write `# BEGIN SOLUTION: prompt` in a code cell."))
    assert solution_blocks(nb) == []
    assert learner_edition(nb).cells[0].source == nb.cells[0].source


@pytest.mark.parametrize(
    ("code_text", "names"),
    [
        ("a = 1\nb, c = 2, 3\n[d, e] = 4, 5", ["a", "b", "c", "d", "e"]),
        ("x: int = 1\ny: int", ["x"]),
        ("model.trainable = False\nw[0] = 1\nn += 1", []),
        ("for i in range(3):\n    inner = i", []),  # only the block's top level
        ("    x = 1\n    y = (\n        2\n    )", ["x", "y"]),  # indented blocks are dedented first
        ("x = 1\n%timeit f()\nyy, zz = g()", ["x", "yy", "zz"]),  # magics: plain-text fallback
        ("a = b = 1", ["a", "b"]),
    ],
)
def test_assigned_names(code_text, names):
    assert assigned_names(code_text) == names


def test_write_learner_editions_writes_valid_notebooks(tmp_path):
    source = write(instructor_notebook(), tmp_path / "src" / "02_hidden_layers.ipynb")
    (written,) = write_learner_editions([source], tmp_path / "learner")
    assert written == tmp_path / "learner" / "02_hidden_layers.ipynb"
    learner = nbformat.read(written, as_version=4)
    nbformat.validate(learner)
    assert solutions_removed(learner, nbformat.read(source, as_version=4))
    assert written.read_text().endswith("}\n")


LIST_ITEMS = """\
layers = [
    first,
    # BEGIN SOLUTION: the middle layers
    middle,
    more,  # a comment
    # END SOLUTION
    last,
]"""


def test_a_block_of_list_items_leaves_a_valid_list():
    learner = learner_edition(notebook(code(LIST_ITEMS, cell_id="list")))
    assert (
        learner.cells[0].source
        == "layers = [\n    first,\n    # TODO: the middle layers\n    ...,\n    last,\n]"
    )
    ast.parse(learner.cells[0].source)


def test_learner_editions_are_written_into_a_new_nested_folder_and_rewritten(tmp_path):
    path = write(instructor_notebook(), tmp_path / "02_hidden_layers.ipynb")
    target = tmp_path / "new" / "exercises"
    for _ in range(2):
        assert write_learner_editions([path], target) == [target / "02_hidden_layers.ipynb"]
    assert solutions_removed(nbformat.read(target / "02_hidden_layers.ipynb", as_version=4))


def test_filling_the_todos_leaves_the_learner_edition_unchanged():
    source = instructor_notebook()
    learner = learner_edition(source)
    before = nbformat.writes(learner)
    filled = filled_with_solutions(learner, source)
    assert nbformat.writes(learner) == before
    assert [c.source for c in filled.cells] == [c.source for c in without_solution_markers(source).cells]
