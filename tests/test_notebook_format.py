"""course_utils.course.notebook_format: canonical JSON, generated header/footer/Colab cell, ruff."""

from __future__ import annotations

import json
import subprocess
import sys

import nbformat
import pytest

from course_utils.course.lessons import LESSONS, Lesson, colab_url
from course_utils.course.notebook_format import (
    COLAB_TAG,
    FOOTER,
    HEADER,
    canonical_notebook,
    canonical_text,
    check_project,
    colab_cell_source,
    format_notebook,
    format_project,
    is_canonical,
    navigation_line,
)
from tests.conftest import ROOT
from tests.tiny_notebooks import code, markdown, notebook, write

LESSON = LESSONS[4]  # 05_keras_single_layer


def messy_notebook():
    """A notebook as Jupyter, papermill and a hand-written badge leave it."""
    executed = code('print("hi")', "setup", cell_id="setup")
    executed.execution_count = 1
    executed.outputs = [nbformat.v4.new_output("stream", name="stdout", text="hi\n")]
    executed.metadata.update(
        {"execution": {"iopub.status.busy": "2024"}, "scrolled": True, "collapsed": False}
    )
    executed.metadata["papermill"] = {"duration": 1.5}
    nb = notebook(
        markdown(
            "# Lesson five, old title\n\n"
            "[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://wrong)\n\n"
            "What you will learn: Keras.",
            cell_id="title",
        ),
        executed,
        code("EPOCHS = 3", "parameters", cell_id="params"),
        markdown("## Summary\n\nBye.", cell_id="summary"),
        papermill={"parameters": {}},
        widgets={"state": {}},
        course_utils={"seconds": 12.5, "profile": "full"},
        language_info={"name": "python", "version": "3.11.7", "mimetype": "text/x-python"},
    )
    nb.metadata.kernelspec = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "venv"}
    nb.nbformat_minor = 4
    return nb


def test_canonical_json_is_sorted_indented_and_ends_with_a_newline():
    text = canonical_text(messy_notebook(), LESSON)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text == json.dumps(json.loads(text), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    nbformat.validate(nbformat.reads(text, as_version=4))


def test_only_known_metadata_is_kept():
    nb = canonical_notebook(messy_notebook(), LESSON)
    assert (nb.nbformat, nb.nbformat_minor) == (4, 5)
    assert nb.metadata == {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {
            "codemirror_mode": {"name": "ipython", "version": 3},
            "file_extension": ".py",
            "mimetype": "text/x-python",
            "name": "python",
            "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3",
            "version": "3.11.7",
        },
        "course_utils": {"seconds": 12.5, "profile": "full"},
    }
    cells = {cell.id: cell for cell in nb.cells}
    assert cells["setup"].metadata == {"tags": ["setup"]}
    assert cells["params"].metadata == {"tags": ["parameters"]}
    assert cells["summary"].metadata == {}


def test_figure_texts_are_kept_with_their_cell():
    nb = messy_notebook()
    nb.cells[1].metadata["course"] = {"figure_text": ["Loss falls from 2.3 to 0.3."]}
    cell = next(cell for cell in canonical_notebook(nb, LESSON).cells if cell.id == "setup")
    assert cell.metadata == {"course": {"figure_text": ["Loss falls from 2.3 to 0.3."]}, "tags": ["setup"]}


def test_outputs_execution_counts_and_cell_ids_are_kept():
    source = messy_notebook()
    nb = canonical_notebook(source, LESSON)
    setup = next(cell for cell in nb.cells if cell.id == "setup")
    assert setup.outputs == source.cells[1].outputs and setup.execution_count == 1
    assert [cell.id for cell in nb.cells] == ["title", "colab-install", "setup", "params", "summary"]


def test_canonicalising_is_idempotent():
    once = canonical_text(messy_notebook(), LESSON)
    assert canonical_text(nbformat.reads(once, as_version=4), LESSON) == once
    plain = canonical_text(messy_notebook())
    assert canonical_text(nbformat.reads(plain, as_version=4)) == plain


def test_the_header_has_the_table_title_badge_and_navigation_between_markers():
    title = canonical_notebook(messy_notebook(), LESSON).cells[0].source
    assert title == (
        "# Lesson 5 · One dense layer in Keras\n\n"
        f"{HEADER[0]}\n\n"
        f"[![Open In Colab](https://colab.research.google.com/assets/colab-badge.svg)]({colab_url(LESSON.notebook)})"
        "\n\n"
        "Exercise version, to fill in yourself: "
        "[exercises/05_keras_single_layer.ipynb](exercises/05_keras_single_layer.ipynb)\n\n"
        "En español: [es/05_keras_single_layer.ipynb](es/05_keras_single_layer.ipynb)\n\n"
        "← [Lesson 4: Weight initialisation](04_weight_initialization.ipynb) · "
        "[Lesson 6: Going deep: ReLU and Adam](06_keras_deep_dense.ipynb) →\n\n"
        f"{HEADER[1]}\n\n"
        "What you will learn: Keras."
    )


def test_the_footer_repeats_the_navigation_in_the_last_markdown_cell():
    summary = canonical_notebook(messy_notebook(), LESSON).cells[-1].source
    assert summary == f"## Summary\n\nBye.\n\n{FOOTER[0]}\n\n{navigation_line(LESSON)}\n\n{FOOTER[1]}"


def test_generated_blocks_are_replaced_not_duplicated_when_the_table_changes():
    nb = canonical_notebook(messy_notebook(), LESSON)
    renamed = [
        Lesson(4, "04_weight_initialization.ipynb", "Init", 0.9, 0.5),
        Lesson(5, LESSON.notebook, "Dense", 0.9, 0.5),
    ]
    again = canonical_notebook(nb, renamed[1], renamed)
    title, summary = again.cells[0].source, again.cells[-1].source
    assert title.startswith("# Lesson 5 · Dense\n") and title.count(HEADER[0]) == 1
    assert title.count("colab-badge.svg") == 1 and "[Lesson 4: Init](04_weight_initialization.ipynb)" in title
    assert "Lesson 6" not in title and summary.count(FOOTER[0]) == 1
    assert summary.endswith("← [Lesson 4: Init](04_weight_initialization.ipynb)\n\n" + FOOTER[1])


def test_navigation_omits_the_missing_ends():
    assert navigation_line(LESSONS[0]) == "[Lesson 2: Hidden layers](02_hidden_layers.ipynb) →"
    assert (
        navigation_line(LESSONS[-1])
        == "← [Lesson 11: Batch normalisation: 99.5%](11_batch_normalization.ipynb)"
    )


def test_the_colab_cell_is_second_tagged_and_generated():
    nb = canonical_notebook(messy_notebook(), LESSON)
    colab = nb.cells[1]
    assert colab.cell_type == "code" and colab.metadata == {"tags": [COLAB_TAG]}
    assert colab.source == colab_cell_source() and colab.outputs == []
    assert '%pip install -q "course-utils @ git+https://github.com/open-dl-course/mnist-course@main"' in (
        colab.source
    )


def test_an_existing_colab_cell_is_moved_rewritten_and_keeps_its_execution_count():
    nb = messy_notebook()
    old = code("!pip install something", "colab", "extra-tag", cell_id="old-colab")
    old.execution_count, old.outputs = 2, [nbformat.v4.new_output("stream", name="stdout", text="x\n")]
    nb.cells.insert(3, old)
    result = canonical_notebook(nb, LESSON)
    colabs = [cell for cell in result.cells if COLAB_TAG in cell.metadata.get("tags", [])]
    assert colabs == [result.cells[1]]
    assert result.cells[1].id == "old-colab" and result.cells[1].execution_count == 2
    assert result.cells[1].source == colab_cell_source() and result.cells[1].outputs == []
    assert result.cells[1].metadata["tags"] == ["colab", "extra-tag"]


def test_a_notebook_that_is_not_a_lesson_only_gets_clean_json():
    nb = canonical_notebook(messy_notebook())
    assert nb.cells[0].source.startswith("# Lesson five, old title") and len(nb.cells) == 4


def test_missing_cell_ids_are_added():
    nb = messy_notebook()
    for cell in nb.cells:
        del cell["id"]
    result = canonical_notebook(nb)
    assert all(cell.id for cell in result.cells) and len({cell.id for cell in result.cells}) == 4
    nbformat.validate(result)


def test_format_notebook_and_is_canonical_work_on_files(tmp_path):
    path = write(messy_notebook(), tmp_path / LESSON.notebook)
    assert not is_canonical(path)
    assert format_notebook(path) is True
    assert is_canonical(path) and format_notebook(path) is False
    assert path.read_text() == canonical_text(nbformat.read(path, as_version=4), LESSON)


def test_the_colab_cell_satisfies_ruff_with_the_project_configuration(tmp_path):
    path = tmp_path / LESSON.notebook
    path.write_text(canonical_text(messy_notebook(), LESSON))
    for arguments in (["format", "--check"], ["check"]):
        command = [
            sys.executable,
            "-m",
            "ruff",
            *arguments,
            "--config",
            str(ROOT / "pyproject.toml"),
            str(path),
        ]
        result = subprocess.run(command, capture_output=True, text=True, check=False)
        assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture
def messy_project(tmp_path):
    """A project folder with a non-canonical lesson notebook and badly formatted Python."""
    notebooks = tmp_path / "notebooks"
    lesson = write(messy_notebook(), notebooks / LESSON.notebook)
    module = tmp_path / "pkg" / "module.py"
    module.parent.mkdir()
    module.write_text("import os\nimport sys\nx = {  'a':1 }\nprint(sys.argv, x)\n")
    (tmp_path / "pyproject.toml").write_text('[tool.ruff.lint]\nselect = ["F", "I"]\n')
    return tmp_path, lesson, module


def test_check_reports_what_is_not_canonical_and_changes_nothing(messy_project):
    root, lesson, module = messy_project
    before = {path: path.read_text() for path in (lesson, module)}
    problems = check_project([lesson], [root / "pkg"], cwd=root)
    assert problems[0] == f"notebooks/{lesson.name}: not in canonical form"
    assert any(problem.startswith("ruff format --check") and "module.py" in problem for problem in problems)
    assert any(problem.startswith("ruff check --no-fix") and "F401" in problem for problem in problems)
    assert {path: path.read_text() for path in before} == before


def test_format_fixes_notebooks_and_code_then_check_passes(messy_project):
    root, lesson, module = messy_project
    assert format_project([lesson], [root / "pkg"], cwd=root) == []
    assert module.read_text() == "import sys\n\nx = {'a': 1}\nprint(sys.argv, x)\n".replace("'", '"')
    assert check_project([lesson], [root / "pkg"], cwd=root) == []


def test_format_changes_sources_only_never_outputs(tmp_path):
    """ruff's own JSON round-trip turns 0.9178000092506409 into …408; format must not let it."""
    cell = code("x = {  'a':1 }\nx", cell_id="value")
    cell.execution_count = 1
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data",
            data={"application/vnd.course-utils.results+json": {"metrics": {"a": 0.9178000092506409}}},
        )
    ]
    path = write(notebook(markdown("# Scratch"), cell), tmp_path / "scratch.ipynb")
    assert format_project([path], [path], cwd=tmp_path) == []
    formatted = nbformat.read(path, as_version=4).cells[1]
    assert formatted.source == 'x = {"a": 1}\nx' and formatted.outputs == cell.outputs
    assert "0.9178000092506409" in path.read_text()


def test_language_info_is_what_jupyterlab_writes_with_the_stored_python_version_or_none():
    nb = messy_notebook()
    del nb.metadata["language_info"]
    info = canonical_notebook(nb, LESSON).metadata.language_info
    assert "version" not in info and info.pygments_lexer == "ipython3"
    nb.metadata.language_info = {"name": "python", "version": 3}  # not a version string: dropped
    assert "version" not in canonical_notebook(nb, LESSON).metadata.language_info


def test_whole_floats_are_stored_as_jupyterlab_saves_them():
    nb = messy_notebook()
    nb.metadata.course_utils = {"seconds": 4.0, "profile": "full"}
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", {"application/json": {"x": 2.0, "y": 2.5}})]
    canonical = canonical_notebook(nb, LESSON)
    assert json.dumps(canonical.metadata.course_utils) == '{"seconds": 4, "profile": "full"}'
    assert canonical.cells[2].outputs[0].data["application/json"] == {"x": 2, "y": 2.5}
