"""course_utils.course.runner and .report, for real: tiny notebooks (no TensorFlow) on real kernels."""

from __future__ import annotations

import fcntl
import json
import shutil
import subprocess
import sys
import threading

import nbformat
import pytest

from course_utils.course import runner
from course_utils.course.cli import main
from course_utils.course.lessons import Lesson
from course_utils.course.notebook_format import COLAB_TAG, is_canonical
from course_utils.course.report import (
    exit_status,
    failures_summary,
    outputs_fingerprint,
    render_report,
    result_rows,
    stored_run,
)
from course_utils.results import read_results
from tests.conftest import ROOT
from tests.tiny_notebooks import lesson_notebook, write

GOOD_BODY = """\
record_results(
    test_accuracy=0.5 + EPOCHS / 100,
    epochs=EPOCHS,
    static_plots=int(os.environ.get("COURSE_UTILS_STATIC_PLOTS") == "1"),
    in_notebooks_dir=int(os.path.exists("marker.txt")),
    data_dir_set=int(os.environ.get("COURSE_DATA_DIR", "").endswith("some-data")),
)"""

# The quick profile injects EPOCHS=40 (0.5 + 0.40 = 0.90); the full profile keeps EPOCHS = 3 (0.53).
GOOD = Lesson(1, "01_good.ipynb", "Good", 0.5, 0.85, {"EPOCHS": 40}, needs_mnist=False)
RAISES = Lesson(2, "02_raises.ipynb", "Raises", 0.5, 0.5, {"EPOCHS": 1}, needs_mnist=False)
LOW = Lesson(3, "03_low.ipynb", "Low", 0.9, 0.5, {}, needs_mnist=False)
SILENT = Lesson(4, "04_silent.ipynb", "Silent", 0.9, 0.5, {"EPOCHS": 1}, needs_mnist=False)
TABLE = (GOOD, RAISES, LOW, SILENT)
BODIES = {
    GOOD: GOOD_BODY,
    RAISES: 'raise ValueError("boom | bang")',
    LOW: "record_results(test_accuracy=0.1)",
    SILENT: "x = 1",
}


def write_course(folder, lessons=TABLE):
    """Write the tiny lesson notebooks into folder; return {notebook name: file bytes}."""
    for lesson in lessons:
        write(
            lesson_notebook(f"Lesson {lesson.number} · {lesson.title}", BODIES[lesson]),
            folder / lesson.notebook,
        )
    (folder / "marker.txt").write_text("the runner's kernels start in the notebooks folder\n")
    return {lesson.notebook: (folder / lesson.notebook).read_bytes() for lesson in lessons}


@pytest.fixture(scope="module")
def quick_course(tmp_path_factory):
    """The four tiny lessons run once with the quick profile."""
    root = tmp_path_factory.mktemp("course")
    sources = write_course(root / "notebooks")
    lines = []
    runs = runner.run_course(
        TABLE,
        root / "notebooks",
        root / "out",
        "quick",
        data_dir=root / "some-data",
        log=lambda text, **_: lines.append(text),
        lock_path=root / "lock",
    )
    return root, sources, runs, lines


def test_every_notebook_runs_and_progress_is_printed(quick_course):
    _, _, runs, lines = quick_course
    assert [run.lesson for run in runs] == list(TABLE)
    assert [line.split(" … ")[0] for line in lines] == [
        "[1/4] 01_good",
        "[2/4] 02_raises",
        "[3/4] 03_low",
        "[4/4] 04_silent",
    ]
    assert lines[0].endswith("  ok") and " s  " in lines[0]
    assert lines[1].endswith("FAILED: cell 6 (In [4]): ValueError: boom | bang")
    assert lines[2].endswith("below target: test_accuracy 0.1000 < 0.5")
    assert lines[3].endswith("FAILED: no test_accuracy recorded")


def test_quick_parameters_environment_and_working_folder_reach_the_kernel(quick_course):
    good = quick_course[2][0]
    assert good.metrics == {
        "test_accuracy": 0.9,
        "epochs": 40,
        "static_plots": 1,
        "in_notebooks_dir": 1,
        "data_dir_set": 1,
    }
    assert good.passed and good.failure is None


def test_failures_give_the_source_cell_number_and_the_error(quick_course):
    raises = quick_course[2][1]
    assert (raises.failure.cell, raises.failure.execution_count) == (
        6,
        4,
    )  # counts the injected cell, not shown
    assert (raises.failure.ename, raises.failure.evalue) == ("ValueError", "boom | bang")
    assert (
        failures_summary(quick_course[2]) == "  02_raises.ipynb: cell 6 (In [4]): ValueError: boom | bang\n"
    )
    assert exit_status(quick_course[2]) == 1 and exit_status(quick_course[2][:1]) == 0


def test_sources_stay_untouched_and_executed_copies_record_time_and_profile(quick_course):
    root, sources, runs, _ = quick_course
    assert {name: (root / "notebooks" / name).read_bytes() for name in sources} == sources
    for run in runs:
        assert run.path == root / "out" / run.lesson.notebook
        executed = nbformat.read(run.path, as_version=4)
        stored = executed.metadata.course_utils
        assert stored == {
            "seconds": run.seconds,
            "profile": "quick",
            "outputs": outputs_fingerprint(executed),
        }
        assert run.seconds > 0


def test_results_json_has_one_row_per_metric_and_null_rows_for_failures(quick_course):
    root, _, runs, _ = quick_course
    rows = json.loads((root / "out" / "results.json").read_text())
    assert rows == result_rows(runs)
    by_notebook = {}
    for row in rows:
        by_notebook.setdefault(row["notebook"], []).append(row)
    good = by_notebook["01_good.ipynb"]
    assert [row["metric"] for row in good][0] == "test_accuracy"  # the lesson's metric first
    assert good[0] == {
        "notebook": "01_good.ipynb",
        "lesson": 1,
        "metric": "test_accuracy",
        "value": 0.9,
        "target": 0.85,
        "passed": True,
        "seconds": runs[0].seconds,
        "profile": "quick",
    }
    assert all(row["target"] is None and row["passed"] is None for row in good[1:])
    for name in ("02_raises.ipynb", "04_silent.ipynb"):
        (row,) = by_notebook[name]
        assert (row["metric"], row["value"], row["passed"]) == ("test_accuracy", None, False)
    (low,) = by_notebook["03_low.ipynb"]
    assert (low["value"], low["target"], low["passed"]) == (0.1, 0.5, False)


def test_report_md_has_one_row_per_lesson(quick_course):
    root, _, runs, _ = quick_course
    report = (root / "out" / "report.md").read_text()
    assert report == render_report(runs)
    lines = report.splitlines()
    assert lines[0] == "| Lesson | Metric | Value | Target | Result | Time |"
    assert lines[2].startswith("| 01 Good | test_accuracy | 0.9000 | 0.85 | pass | ")
    assert lines[3].startswith(
        "| 02 Raises | test_accuracy | – | 0.5 | **fail** (cell 6 (In [4]): ValueError: boom \\| bang) |"
    )
    assert lines[4].startswith("| 03 Low | test_accuracy | 0.1000 | 0.5 | **fail** (below target: ")
    assert lines[5].startswith(
        "| 04 Silent | test_accuracy | – | 0.5 | **fail** (no test_accuracy recorded) |"
    )
    assert lines[-1].startswith("1/4 lessons passed; profile quick; total ")


def test_stored_runs_reproduce_the_outcome_without_running_anything(quick_course):
    root, _, runs, _ = quick_course
    stored = [stored_run(run.path, TABLE) for run in runs]
    assert [(s.value, s.passed, s.seconds, s.profile) for s in stored] == [
        (r.value, r.passed, r.seconds, r.profile) for r in runs
    ]
    assert stored[1].failure.ename == "ValueError"
    assert stored_run(root / "out" / "01_good.ipynb") is None  # not in the real table


def test_the_report_command_reads_stored_notebooks(quick_course, tmp_path, capsys):
    executed = quick_course[2][0].path
    shutil.copy(executed, tmp_path / "05_keras_single_layer.ipynb")  # a name from the real table
    assert main(["report", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert "| 05 One dense layer in Keras | test_accuracy | 0.9000 | 0.8 | pass |" in out
    assert main(["report", str(tmp_path / "nothing-here")]) == 2
    assert "no such notebook or folder" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main(["report", str(tmp_path / "empty")]) == 1
    assert "No lesson notebooks found." in capsys.readouterr().err


def test_the_command_line_rejects_unknown_lessons(capsys):
    assert main(["run", "--only", "05,99"]) == 2
    assert "unknown lesson '99'; valid lessons: 01 (01_neuron)" in capsys.readouterr().err


def test_python_dash_m_course_utils_shows_the_commands():
    result = subprocess.run(
        [sys.executable, "-m", "course_utils", "--help"], capture_output=True, text=True, cwd=ROOT
    )
    assert result.returncode == 0
    for command in ("run", "report", "regenerate", "exercises", "format", "quick-copies"):
        assert command in result.stdout


def test_an_unknown_profile_is_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown profile 'slow'"):
        runner.run_course(TABLE, tmp_path, tmp_path / "out", "slow")


def test_regenerate_stores_executed_canonical_notebooks_and_keeps_failing_ones(tmp_path):
    notebooks = tmp_path / "notebooks"
    sources = write_course(notebooks, (GOOD, RAISES))
    runs = runner.regenerate(
        (GOOD, RAISES),
        notebooks,
        tmp_path / "work",
        (GOOD, RAISES),
        log=lambda *a, **k: None,
        lock_path=tmp_path / "lock",
    )
    assert [run.profile for run in runs] == ["full", "full"]
    assert runs[0].metrics["epochs"] == 3 and runs[0].passed  # stored parameters, nothing injected
    good = nbformat.read(notebooks / GOOD.notebook, as_version=4)
    assert is_canonical(notebooks / GOOD.notebook, (GOOD, RAISES))
    assert good.metadata.course_utils == {
        "seconds": runs[0].seconds,
        "profile": "full",
        "outputs": outputs_fingerprint(good),
    }
    assert read_results(good)["test_accuracy"] == 0.53
    counts = [cell.execution_count for cell in good.cells if cell.cell_type == "code"]
    assert counts == list(range(1, len(counts) + 1))  # the generated Colab cell included
    assert COLAB_TAG in good.cells[1].metadata.tags
    raises = nbformat.read(notebooks / RAISES.notebook, as_version=4)
    assert all(cell.get("outputs", []) == [] for cell in raises.cells), "a failed run is not stored"
    assert (notebooks / RAISES.notebook).read_bytes() != sources[RAISES.notebook]  # but it was formatted
    assert json.loads((tmp_path / "work" / "results.json").read_text())[0]["profile"] == "full"


def test_quick_copies_inject_parameters_and_keep_stored_outputs(quick_course, tmp_path):
    executed = quick_course[2][0].path
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    source = nbformat.read(executed, as_version=4)
    source.cells = [
        cell for cell in source.cells if "injected-parameters" not in cell.metadata.get("tags", [])
    ]
    nbformat.write(source, notebooks / GOOD.notebook)
    before = (notebooks / GOOD.notebook).read_bytes()
    out = tmp_path / "nbval"
    out.mkdir()
    (out / "stale.ipynb").write_text("{}")
    written = runner.write_quick_copies((GOOD, SILENT), notebooks, out)
    assert written == [out / GOOD.notebook] and not (out / "stale.ipynb").exists()
    copy = nbformat.read(written[0], as_version=4)
    params = next(i for i, cell in enumerate(copy.cells) if "parameters" in cell.metadata.get("tags", []))
    injected = copy.cells[params + 1]
    assert injected.metadata.tags == ["injected-parameters"] and "EPOCHS = 40" in injected.source
    kept = [cell for cell in copy.cells if cell is not injected]
    assert [cell.get("outputs") for cell in kept] == [cell.get("outputs") for cell in source.cells]
    assert read_results(copy) == read_results(source)
    assert (notebooks / GOOD.notebook).read_bytes() == before


def test_the_full_run_lock_excludes_a_second_run_until_released(tmp_path):
    lock = tmp_path / "lock"
    messages, entered = [], threading.Event()

    def second_run():
        with runner.full_run_lock(lock, log=messages.append):
            entered.set()

    with runner.full_run_lock(lock):
        with open(lock) as other, pytest.raises(BlockingIOError):
            fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        thread = threading.Thread(target=second_run)
        thread.start()
        thread.join(timeout=1)
        assert not entered.is_set()
    thread.join(timeout=10)
    assert entered.is_set() and messages == [f"Another full run holds {lock}; waiting for it to finish…"]


def test_a_missing_notebook_is_a_failure_and_stale_copies_are_not_read(quick_course, tmp_path):
    stale = tmp_path / "out" / GOOD.notebook
    stale.parent.mkdir()
    shutil.copy(quick_course[2][0].path, stale)
    (run,) = runner.run_course((GOOD,), tmp_path / "empty", tmp_path / "out", log=lambda *a, **k: None)
    assert run.failure.ename == "FileNotFoundError" and run.failure.cell is None
    assert run.metrics == {} and run.value is None and not stale.exists()
    assert run.failure.describe().startswith("notebook: FileNotFoundError: ")
