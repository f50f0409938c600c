"""What a user meets when a run goes wrong, for real: Ctrl-C, no MNIST, bad options, no notebooks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import nbformat
import pytest

from course_utils.course import runner
from course_utils.course.cli import main
from course_utils.course.lessons import Lesson
from course_utils.course.report import render_report, stored_run, verdict
from tests.conftest import ROOT
from tests.tiny_notebooks import lesson_notebook, write

FAST = "record_results(test_accuracy=0.99)"
KERNEL_PID_THEN_SLEEP = """\
import pathlib
import time

pathlib.Path(os.environ["KERNEL_PID_FILE"]).write_text(str(os.getpid()))
time.sleep(120)
record_results(test_accuracy=0.99)"""


def _cli(*arguments, cwd=ROOT, env=None, **kwargs):
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "course_utils", *arguments],
        cwd=cwd,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        **kwargs,
    )


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_ctrl_c_stops_the_run_keeps_finished_lessons_and_leaves_no_kernel(tmp_path, mnist_dir):
    notebooks, out, pid_file = tmp_path / "notebooks", tmp_path / "out", tmp_path / "kernel.pid"
    write(lesson_notebook("Lesson 1", FAST), notebooks / "01_neuron.ipynb")
    write(lesson_notebook("Lesson 2", KERNEL_PID_THEN_SLEEP), notebooks / "02_hidden_layers.ipynb")
    run = _cli(
        "run", "--only", "01,02", "--notebooks", str(notebooks), "--output", str(out),
        "--data-dir", str(mnist_dir), env={"KERNEL_PID_FILE": str(pid_file)},
    )  # fmt: skip
    deadline = time.monotonic() + 120
    while not pid_file.exists() and time.monotonic() < deadline and run.poll() is None:
        time.sleep(0.2)
    assert pid_file.exists(), run.communicate()
    kernel = int(pid_file.read_text())
    run.send_signal(signal.SIGINT)
    stopped = time.monotonic()
    stdout, stderr = run.communicate(timeout=30)
    assert time.monotonic() - stopped < 10
    assert run.returncode == 130
    assert "interrupted during lesson 2" in stdout and "Traceback" not in stderr + stdout
    for _ in range(50):
        if not _alive(kernel):
            break
        time.sleep(0.1)
    assert not _alive(kernel), "the kernel outlived the run"
    rows = json.loads((out / "results.json").read_text())
    assert [(row["lesson"], row["passed"]) for row in rows] == [(1, True), (2, False)]
    report = (out / "report.md").read_text()
    assert "| 01 A single neuron in numpy |" in report and "| pass |" in report
    assert "interrupted (Ctrl-C)" in report
    assert stored_run(out / "02_hidden_layers.ipynb").interrupted


def test_no_mnist_is_said_once_and_the_lessons_that_need_it_are_skipped(tmp_path):
    lessons = (
        Lesson(1, "01_numpy.ipynb", "No data", 0.5, 0.5, needs_mnist=False),
        Lesson(2, "02_mnist.ipynb", "Needs MNIST", 0.5, 0.5),
        Lesson(3, "03_mnist.ipynb", "Needs MNIST too", 0.5, 0.5),
    )
    for lesson in lessons:
        write(lesson_notebook(lesson.title, FAST), tmp_path / "notebooks" / lesson.notebook)
    (tmp_path / "empty").mkdir()
    lines = []
    runs = runner.run_course(
        lessons, tmp_path / "notebooks", tmp_path / "out", data_dir=tmp_path / "empty",
        log=lambda text, **_: lines.append(text),
    )  # fmt: skip
    assert runs[0].passed and [run.skipped for run in runs[1:]] == ["no MNIST data (see above)"] * 2
    (said,) = [line for line in lines if line.startswith("MNIST is not available")]
    assert "COURSE_DATA_DIR" in said.splitlines()[0]
    assert lines[-1] == "[3/3] 03_mnist … skipped: no MNIST data (see above)"
    assert not (tmp_path / "out" / "02_mnist.ipynb").exists()
    assert "| 02 Needs MNIST | test_accuracy | – | 0.5 | skipped: no MNIST data (see above) | – |" in (
        render_report(runs)
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["run", "--only", ","], "error: --only ',' names no lesson; e.g. --only 05,11"),
        (["run", "--only", "01", "--output", "{file}"], "error: --output {file} is a file, not a folder"),
        (
            ["exercises", "--output", "{tmp}/x", "--notebooks", "{tmp}"],
            "error: no lesson notebooks in {tmp}:",
        ),
        (["report", "--notebooks", "{tmp}"], "error: no lesson notebooks in {tmp}: pass --notebooks DIR"),
    ],
)
def test_command_line_mistakes_are_one_line_and_exit_status_2(arguments, message, tmp_path, capsys):
    (tmp_path / "a-file").write_text("not a folder")
    names = {"file": tmp_path / "a-file", "tmp": tmp_path}
    assert main([argument.format(**names) for argument in arguments]) == 2
    err = capsys.readouterr().err
    assert err.startswith(message.format(**names)) and err.count("\n") == 1


def test_a_read_only_output_folder_is_one_line_and_exit_status_2(tmp_path):
    folder = tmp_path / "read-only"
    folder.mkdir()
    folder.chmod(0o555)
    command = [sys.executable, "-m", "course_utils", "run", "--only", "01", "--output", str(folder)]
    if os.geteuid() == 0:  # root ignores permissions unless it drops the capability
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", *command]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2, result.stderr
    assert result.stderr == f"error: --output {folder} cannot be written: Permission denied\n"


def test_report_names_the_source_cell_like_the_runner(tmp_path):
    lesson = Lesson(1, "01_raises.ipynb", "Raises", 0.5, 0.5, {"EPOCHS": 1}, needs_mnist=False)
    write(lesson_notebook("Raises", 'raise ValueError("boom")'), tmp_path / "notebooks" / lesson.notebook)
    (run,) = runner.run_course((lesson,), tmp_path / "notebooks", tmp_path / "out", log=lambda *a, **k: None)
    stored = stored_run(run.path, (lesson,))
    assert run.failure.describe() == stored.failure.describe() == "cell 6 (In [4]): ValueError: boom"


def test_a_copy_run_again_outside_the_runner_does_not_claim_the_old_record(tmp_path):
    from nbclient import NotebookClient

    lesson = Lesson(1, "01_good.ipynb", "Good", 0.5, 0.5, needs_mnist=False)
    write(lesson_notebook("Good", FAST), tmp_path / "notebooks" / lesson.notebook)
    (run,) = runner.run_course(
        (lesson,), tmp_path / "notebooks", tmp_path / "out", "full", log=lambda *a, **k: None,
        lock_path=tmp_path / "lock",
    )  # fmt: skip
    assert (stored_run(run.path, (lesson,)).profile, stored_run(run.path, (lesson,)).seconds) == (
        "full",
        run.seconds,
    )
    again = nbformat.read(run.path, as_version=4)
    NotebookClient(again, resources={"metadata": {"path": str(tmp_path / "notebooks")}}).execute()
    write(again, tmp_path / "again" / lesson.notebook)  # papermill's metadata and the record come along
    rerun = stored_run(tmp_path / "again" / lesson.notebook, (lesson,))
    assert (rerun.profile, rerun.seconds) == ("unknown", None) and rerun.passed
    assert "profile unknown (a notebook does not say how it ran)" in render_report([rerun])


def test_a_nan_loss_failure_is_reported_as_such(tmp_path):
    lesson = Lesson(1, "01_nan.ipynb", "NaN", 0.5, 0.5, needs_mnist=False)
    body = 'class NanLossError(ArithmeticError):\n    pass\n\n\nraise NanLossError("the loss became nan")'
    write(lesson_notebook("NaN", body), tmp_path / "notebooks" / lesson.notebook)
    (run,) = runner.run_course((lesson,), tmp_path / "notebooks", tmp_path / "out", log=lambda *a, **k: None)
    assert verdict(run).startswith("FAILED: NaN loss: cell 6 (In [3]): NanLossError: the loss became nan")


def test_kernels_talk_over_ipc_not_tcp(tmp_path):
    notebooks, out = tmp_path / "notebooks", tmp_path / "out"
    write(lesson_notebook("Lesson 1", FAST), notebooks / "01_neuron.ipynb")
    run = _cli("run", "--only", "01", "--notebooks", str(notebooks), "--output", str(out))
    stdout, stderr = run.communicate(timeout=120)
    assert run.returncode == 0, stdout + stderr
    assert "TCP" not in stderr and "[1/1] 01_neuron" in stdout


def test_every_help_says_what_the_command_does_writes_and_how_long_it_takes(capsys):
    def helps(*command):
        with pytest.raises(SystemExit) as exit_:
            main([*command, "--help"])
        assert exit_.value.code == 0
        return " ".join(capsys.readouterr().out.split())

    top = helps()
    variables = ("DATA_DIR", "CACHE_DIR", "MNIST_MIRRORS", "DOWNLOAD_TIMEOUT", "DOWNLOAD_MIN_RATE")
    variables = [f"COURSE_{name}" for name in variables]
    assert all(variable in top for variable in variables)
    assert "about 19 minutes on 2 CPU cores" in top and "--notebooks DIR" in top
    for command in ("run", "report", "regenerate", "exercises", "format", "quick-copies"):
        text = helps(command)
        assert "--notebooks" in text
        assert any(word in text for word in ("minutes", "Takes seconds", "takes seconds")), command
        assert any(word in text for word in ("overwrit", "writes nothing", "in place", "deleted")), command
