"""course_utils.course.report on hand-made runs (no kernel): verdicts, rows, the report, stored runs."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from course_utils.course.lessons import Lesson
from course_utils.course.report import (
    Failure,
    NotebookRun,
    exit_status,
    failures_summary,
    notebook_paths,
    render_report,
    result_rows,
    run_record,
    stored_run,
    verdict,
    write_outputs,
)
from course_utils.results import RESULTS_MIME

FIRST = Lesson(1, "01_first.ipynb", "First", 0.95, 0.5)
SECOND = Lesson(2, "02_second.ipynb", "Second", 0.9, 0.6, metric="val_accuracy")
TABLE = (FIRST, SECOND)


def run(lesson=FIRST, profile="quick", seconds=12.34, metrics=None, failure=None):
    return NotebookRun(lesson, Path(lesson.notebook), profile, seconds, metrics or {}, failure)


def test_a_failure_names_its_cell_input_number_and_first_line():
    assert (
        Failure("ValueError", "bad shape\nmore", 7, 5).describe() == "cell 7 (In [5]): ValueError: bad shape"
    )
    assert Failure("ValueError", "bad", 7).describe() == "cell 7: ValueError: bad"
    assert Failure("DeadKernelError", "").describe() == "notebook: DeadKernelError"
    assert Failure("KeyError", "  'x'  \n").describe() == "notebook: KeyError: 'x'"
    assert Failure("DeadKernelError", None).describe() == "notebook: DeadKernelError"


@pytest.mark.parametrize(
    ("profile", "value", "target", "passed"),
    [
        ("quick", 0.5, 0.5, True),
        ("quick", 0.4999, 0.5, False),
        ("full", 0.9, 0.95, False),
        ("full", 0.95, 0.95, True),
    ],
)
def test_a_run_passes_when_its_metric_reaches_the_target_of_its_profile(profile, value, target, passed):
    outcome = run(profile=profile, metrics={"test_accuracy": value})
    assert (outcome.target, outcome.value, outcome.passed) == (target, value, passed)


def test_verdicts_say_why_a_run_did_not_pass():
    assert verdict(run(metrics={"test_accuracy": 0.7})) == "ok"
    low = verdict(run(metrics={"test_accuracy": 0.25}))
    assert low == "below target: test_accuracy 0.2500 < 0.5"
    assert verdict(run(metrics={"loss": 0.1})) == "FAILED: no test_accuracy recorded"
    failed = run(metrics={"test_accuracy": 0.9}, failure=Failure("ValueError", "boom", 3, 2))
    assert failed.value is None and not failed.passed
    assert verdict(failed) == "FAILED: cell 3 (In [2]): ValueError: boom"


def test_result_rows_put_the_lesson_metric_first_and_only_it_has_a_target():
    runs = [
        run(metrics={"seconds_per_epoch": 2.5, "test_accuracy": 0.75}),
        run(
            SECOND,
            profile="full",
            seconds=None,
            failure=Failure("OSError", "gone"),
            metrics={"val_accuracy": 1},
        ),
    ]
    common = {"notebook": "01_first.ipynb", "lesson": 1, "seconds": 12.34, "profile": "quick"}
    assert result_rows(runs) == [
        {**common, "metric": "test_accuracy", "value": 0.75, "target": 0.5, "passed": True},
        {**common, "metric": "seconds_per_epoch", "value": 2.5, "target": None, "passed": None},
        {
            "notebook": "02_second.ipynb",
            "lesson": 2,
            "metric": "val_accuracy",
            "value": None,
            "target": 0.9,
            "passed": False,
            "seconds": None,
            "profile": "full",
        },
    ]


def test_the_report_has_one_row_per_lesson_and_a_total():
    runs = [
        run(metrics={"test_accuracy": 0.75}),
        run(SECOND, seconds=1.0, failure=Failure("ValueError", "a | b", 4, 3)),
    ]
    assert render_report(runs) == (
        "| Lesson | Metric | Value | Target | Result | Time |\n"
        "|:--|:--|--:|--:|:--|--:|\n"
        "| 01 First | test_accuracy | 0.7500 | 0.5 | pass | 12.3 s |\n"
        "| 02 Second | val_accuracy | – | 0.6 | **fail** (cell 4 (In [3]): ValueError: a \\| b) | 1.0 s |\n"
        "\n"
        "1/2 lessons passed; profile quick; total 13.3 s.\n"
    )


def test_the_report_says_when_times_are_unknown_and_lists_every_profile():
    runs = [
        run(seconds=None, metrics={"test_accuracy": 0.1}),
        run(profile="full", metrics={"test_accuracy": 1.0}),
    ]
    lines = render_report(runs).splitlines()
    below = "**fail** (below target: test_accuracy 0.1000 < 0.5)"
    assert lines[2] == f"| 01 First | test_accuracy | 0.1000 | 0.5 | {below} | – |"
    assert lines[-1] == "1/2 lessons passed; profile full, quick; total time unknown (not stored)."
    assert render_report([]).splitlines()[-1] == "0/0 lessons passed; profile –; total 0.0 s."


def test_failures_summary_and_exit_status():
    good = run(metrics={"test_accuracy": 0.9})
    low = run(metrics={"test_accuracy": 0.1})
    broken = run(SECOND, failure=Failure("ValueError", "boom", 2, 1))
    assert failures_summary([good, low, broken]) == "  02_second.ipynb: cell 2 (In [1]): ValueError: boom\n"
    assert failures_summary([good, low]) == ""
    also = run(failure=Failure("OSError", "gone"))
    assert failures_summary([broken, also]) == (
        "  02_second.ipynb: cell 2 (In [1]): ValueError: boom\n  01_first.ipynb: notebook: OSError: gone\n"
    )
    assert exit_status([good]) == 0
    assert exit_status([good, low]) == 1 and exit_status([broken]) == 1 and exit_status([]) == 1


def test_write_outputs_writes_results_json_and_report_md(tmp_path):
    runs = [run(metrics={"test_accuracy": 0.75})]
    write_outputs(runs, tmp_path)
    assert json.loads((tmp_path / "results.json").read_text(encoding="utf-8")) == result_rows(runs)
    assert (tmp_path / "results.json").read_text(encoding="utf-8") == json.dumps(
        result_rows(runs), indent=2
    ) + "\n"
    assert (tmp_path / "report.md").read_text(encoding="utf-8") == render_report(runs)


def executed_notebook(path, metrics, error_in=None, course_utils=None):
    """A tiny executed lesson; course_utils={profile, seconds} becomes a run record tied to its outputs."""
    cells = [new_code_cell("x = 1", execution_count=1), new_code_cell("y = 2", execution_count=2)]
    cells[1].outputs = [
        new_output("display_data", data={RESULTS_MIME: {"metrics": metrics}, "text/plain": ""})
    ]
    if error_in is not None:
        cells[error_in].outputs.append(new_output("error", ename="ValueError", evalue="boom", traceback=[]))
    nb = new_notebook(cells=cells)
    if course_utils:
        nb.metadata["course_utils"] = run_record(nb, course_utils["profile"], course_utils["seconds"])
    nbformat.write(nb, path)
    return path


def test_a_stored_run_is_read_back_from_the_executed_notebook(tmp_path):
    path = executed_notebook(
        tmp_path / "01_first.ipynb", {"test_accuracy": 0.8}, course_utils={"seconds": 3.5, "profile": "quick"}
    )
    stored = stored_run(path, TABLE)
    assert (stored.lesson, stored.path, stored.profile, stored.seconds) == (FIRST, path, "quick", 3.5)
    assert stored.metrics == {"test_accuracy": 0.8} and stored.failure is None and stored.passed


def test_a_stored_run_without_a_record_is_of_unknown_profile_and_time_and_keeps_its_error(tmp_path):
    path = executed_notebook(tmp_path / "02_second.ipynb", {"val_accuracy": 0.99}, error_in=1)
    stored = stored_run(path, TABLE)
    assert (stored.profile, stored.seconds) == ("unknown", None)
    assert stored.failure == Failure("ValueError", "boom", 2, 2)
    assert stored_run(executed_notebook(tmp_path / "03_other.ipynb", {}), TABLE) is None


def test_notebook_paths_expand_folders_sorted_and_refuse_missing_ones(tmp_path):
    for name in ("02_b.ipynb", "01_a.ipynb", "notes.txt"):
        (tmp_path / name).write_text("{}")
    single = tmp_path / "02_b.ipynb"
    assert notebook_paths([tmp_path, single]) == [tmp_path / "01_a.ipynb", single, single]
    with pytest.raises(ValueError, match="no such notebook or folder: .*missing"):
        notebook_paths([tmp_path / "missing"])
