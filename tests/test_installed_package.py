"""The package as `pip install` leaves it (not editable, no checkout around it), run from another folder."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from course_utils.checks import EXERCISES
from tests.conftest import ROOT
from tests.tiny_notebooks import lesson_notebook, write


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A non-editable install of this checkout into a fresh target folder; yields (target, pip's output)."""
    target = tmp_path_factory.mktemp("site") / "packages"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-input",
            "--target",
            str(target),
            str(ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0 and "Could not find a version that satisfies" in result.stderr:
        pytest.skip("pip cannot fetch setuptools>=77 to build the package (no index)")
    assert result.returncode == 0, result.stderr[-3000:]
    return target, result.stdout + result.stderr


def _course_utils(target, cwd, *arguments):
    environment = {**os.environ, "PYTHONPATH": str(target)}
    environment.pop("COURSE_DATA_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "course_utils", *arguments],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_build_uses_the_current_licence_fields(installed):
    target, output = installed
    assert "deprecated" not in output.lower()
    (metadata,) = target.glob("course_utils-*.dist-info/METADATA")
    assert "License-Expression: Apache-2.0" in metadata.read_text()


def test_without_notebooks_every_command_that_reads_them_says_so_in_one_line(installed, tmp_path):
    target, _ = installed
    for arguments in (["run"], ["report"], ["exercises", "--output", "out"], ["quick-copies", "out"]):
        result = _course_utils(target, tmp_path, *arguments)
        assert result.returncode == 2, result
        assert result.stderr.startswith("error: no lesson notebooks in ") and result.stderr.count("\n") == 1
        assert "pass --notebooks DIR" in result.stderr and "Traceback" not in result.stderr


def test_the_installed_runner_finds_notebooks_by_option_or_in_the_current_folder(installed, tmp_path):
    target, _ = installed
    write(
        lesson_notebook("Lesson 1", "record_results(test_accuracy=0.99)"),
        tmp_path / "notebooks" / "01_neuron.ipynb",
    )
    result = _course_utils(target, tmp_path, "run", "--only", "01", "--output", "out")  # ./notebooks
    assert result.returncode == 0, result.stdout + result.stderr
    assert "[1/1] 01_neuron" in result.stdout and (tmp_path / "out" / "report.md").exists()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = _course_utils(
        target, elsewhere, "run", "--only", "01", "--notebooks", str(tmp_path / "notebooks")
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (elsewhere / "build" / "course-quick" / "01_neuron.ipynb").exists()


def test_the_installed_checks_register_every_exercise_and_answer_in_spanish(installed, tmp_path):
    """The checks are a sub-package: the install carries every lesson's module and the compiled catalogue."""
    target, _ = installed
    code = (
        "from course_utils.checks import EXERCISES, ExerciseWrong, check\n"
        "print(len(EXERCISES))\n"
        "try:\n"
        "    check('lesson01.sigmoid', lambda z: z[:2])\n"
        "except ExerciseWrong as error:\n"
        "    print(error)\n"
    )
    environment = {**os.environ, "PYTHONPATH": str(target), "COURSE_LANGUAGE": "es"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, message = result.stdout.splitlines()[:2]
    assert int(count) == len(EXERCISES) and message.startswith("ejercicio 1: sigmoid(z) tiene forma (2,)")
