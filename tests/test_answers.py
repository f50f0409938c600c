"""Instructor answers: each variant is a parameter change of a real exercise, and its numbers reproduce."""

from __future__ import annotations

import re

import nbformat
import pytest

from course_utils.course.answers import (
    ANSWERS_FILE,
    SHORT_ANSWERS,
    VARIANTS,
    Variant,
    answers_markdown,
    measured_rows,
    parameter_names,
    run_variant,
)
from course_utils.course.exercises import LEARNER_DIR
from course_utils.course.lessons import LESSONS
from course_utils.course.report import Failure, NotebookRun
from course_utils.course.runner import NOTEBOOKS_DIR
from tests.conftest import local_mnist_dir

by_variant = pytest.mark.parametrize(
    "variant", VARIANTS, ids=lambda v: f"{v.lesson:02d}-{v.exercise}-{v.label}"
)


def lesson(number):
    return next(lesson for lesson in LESSONS if lesson.number == number)


def exercises(number) -> list[str]:
    """The texts of a lesson's numbered exercises."""
    nb = nbformat.read(NOTEBOOKS_DIR / lesson(number).notebook, as_version=4)
    text = next(
        cell.source for cell in nb.cells if cell.cell_type == "markdown" and "## Exercises" in cell.source
    )
    return re.split(r"^\d+\. (?=\*\*)", text.split("<!--")[0], flags=re.M)[1:]


@by_variant
def test_the_variant_changes_parameters_of_its_lesson_for_one_of_its_exercises(variant):
    assert set(variant.parameters) <= parameter_names(lesson(variant.lesson))
    assert 1 <= variant.exercise <= len(exercises(variant.lesson))
    text = exercises(variant.lesson)[variant.exercise - 1]
    missing = [
        name
        for name, value in variant.parameters.items()
        if name != "SEED" and name not in text and repr(value) not in text
    ]
    assert missing == [], f"exercise {variant.exercise} of lesson {variant.lesson} does not mention {missing}"


def test_the_answers_file_has_a_row_per_variant_and_stays_out_of_the_learner_edition():
    text = ANSWERS_FILE.read_text(encoding="utf-8")
    for variant in VARIANTS:
        assert f"| {variant.lesson} | {variant.exercise} | {variant.label} |" in text
    assert not ANSWERS_FILE.resolve().is_relative_to(LEARNER_DIR.resolve())
    assert "answers" not in "".join(path.name for path in LEARNER_DIR.iterdir())


def test_a_failed_or_unmeasured_variant_says_so_with_the_command():
    variant = Variant(9, 3, {"LR_DECAY": 1.0})
    failed = NotebookRun(lesson(9), NOTEBOOKS_DIR, "quick", 3.0, {}, Failure("ValueError", "bad"))
    rows = answers_markdown([(variant, None), (variant, failed)]).splitlines()[-2:]
    assert rows == [
        "| 9 | 3 | LR_DECAY = 1.0 | not measured | `python -m course_utils answers --only 9` | |",
        "| 9 | 3 | LR_DECAY = 1.0 | failed: ValueError | `python -m course_utils answers --only 9` | |",
    ]


def test_variants_are_compared_on_validation_and_only_the_stored_run_shows_test_results():
    metrics = {"test_accuracy": 0.99, "val_accuracy": 0.98, "perceptron_test_accuracy": 0.9, "val_loss": 0.05}
    run = NotebookRun(lesson(2), NOTEBOOKS_DIR, "quick", 3.0, metrics, None)
    variant_row = answers_markdown([(Variant(2, 2, {"LEARNING_RATE": 5.0}), run)]).splitlines()[-1]
    stored_row = answers_markdown([(Variant(2, 0, {}), run)]).splitlines()[-1]
    assert variant_row == "| 2 | 2 | LEARNING_RATE = 5.0 | 0.9800 | val_loss 0.05 | 3 s |"
    assert "test" not in variant_row
    assert "| 0.9800 | test_accuracy 0.99, perceptron_test_accuracy 0.9, val_loss 0.05 |" in stored_row


def test_every_variant_row_of_the_answers_file_has_a_validation_accuracy_and_no_test_result():
    rows = measured_rows().values()
    for row in rows:
        lesson_number, exercise, _, validation, others, _ = (c.strip() for c in row.strip("|").split("|"))
        if exercise != "–":
            assert "test" not in others, row
            assert validation != "–" or lesson_number == "1", row


def test_a_measured_answer_reproduces_when_run_again(tmp_path):
    """Lesson 1 is seeded numpy: re-running a variant gives the committed numbers exactly."""
    variant = next(v for v in VARIANTS if v.lesson == 1 and v.parameters.get("STD") == 6.0)
    committed = measured_rows().get(f"1|{variant.exercise}|{variant.label}")
    assert committed is not None, "run `python -m course_utils answers --only 1`"
    run = run_variant(variant, tmp_path, local_mnist_dir())
    assert run.failure is None
    fresh = answers_markdown([(variant, run)]).splitlines()[-1]
    assert fresh.rsplit("|", 2)[0] == committed.rsplit("|", 2)[0]  # all but the run time


def test_the_short_answers_quote_only_measured_numbers():
    """Every number with three or more decimals in the short answers is in the measured table above them."""
    text = ANSWERS_FILE.read_text(encoding="utf-8")
    table, _, answers = text.partition(SHORT_ANSWERS)
    assert answers, "instructor/answers.md has no short answers"
    quoted = set(re.findall(r"(?<![\d.])\d+\.\d{3,}", answers))
    measured = set(re.findall(r"(?<![\d.])\d+\.\d+", table))
    assert sorted(quoted - measured) == []
    lessons = {int(number) for number in re.findall(r"^\*\*Lesson (\d+)\.\*\*", answers, flags=re.M)}
    assert lessons == {variant.lesson for variant in VARIANTS}, "a short answer for every measured lesson"
