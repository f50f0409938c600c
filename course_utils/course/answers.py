"""Instructor answers to the end-of-lesson exercises that are parameter changes, measured by running them.

Each variant runs the lesson with papermill parameters; `python -m course_utils answers --only 1`
re-measures and rewrites instructor/answers.md (a file learners do not get in notebooks/exercises/).
"""

from __future__ import annotations

import ast
import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import nbformat

from .lessons import LESSONS, Lesson
from .report import NotebookRun, stored_run
from .runner import NOTEBOOKS_DIR, PROJECT_ROOT, execute_lesson, kernel_environment

ANSWERS_FILE = PROJECT_ROOT / "instructor" / "answers.md"


@dataclass(frozen=True)
class Variant:
    """One exercise's parameter change for one lesson."""

    lesson: int
    exercise: int
    parameters: Mapping = field(hash=False)

    def __post_init__(self):
        object.__setattr__(self, "parameters", MappingProxyType(dict(self.parameters)))

    @property
    def label(self) -> str:
        """`LEARNING_RATE = 0.01, EPOCHS = 20`."""
        return ", ".join(f"{name} = {value!r}" for name, value in self.parameters.items())


def _variants(lesson: int, exercise: int, *parameter_sets: dict) -> list[Variant]:
    return [Variant(lesson, exercise, parameters) for parameters in parameter_sets]


VARIANTS: tuple[Variant, ...] = tuple(
    [
        *_variants(1, 2, {"LEARNING_RATE": 0.01}, {"LEARNING_RATE": 5.0}),
        *_variants(1, 3, {"BATCH_SIZE": 10}),
        *_variants(1, 4, {"STD": 4.0}, {"STD": 6.0}),
        *_variants(2, 1, {"LEARNING_RATE": 0.005, "EPOCHS": 20}),  # SOURCE_LEARNING_RATE
        *_variants(2, 2, {"LEARNING_RATE": 5.0}, {"LEARNING_RATE": 20.0}),
        *_variants(2, 3, {"HIDDEN_UNITS": 20}, {"HIDDEN_UNITS": 50}, {"HIDDEN_UNITS": 800}),
        *_variants(3, 2, {"LEARNING_RATE": 0.1}, {"LEARNING_RATE": 1.0}),
        *_variants(4, 2, {"HIDDEN_ACTIVATION": "sigmoid"}),
        *_variants(5, 1, {"LEARNING_RATE": 0.01}, {"LEARNING_RATE": 1.0}),
        *_variants(5, 2, {"BATCH_SIZE": 32}, {"BATCH_SIZE": 1024}),
        *_variants(6, 4, {"LEARNING_RATE": 0.01}),
        *_variants(7, 1, {"LR_DECAY": 0.8}, {"LR_DECAY": 0.4}),
        *_variants(7, 2, {"LEARNING_RATE": 0.001}, {"LEARNING_RATE": 0.001, "LR_DECAY": 1.0}),
        *_variants(8, 1, {"TRAIN_SIZE": 5000}),
        *_variants(8, 2, {"DROPOUT": 0.1}, {"DROPOUT": 0.5}),
        *_variants(9, 3, {"LEARNING_RATE": 0.01}, {"LR_DECAY": 1.0}),
        *_variants(9, 4, {"TRAIN_SIZE": 5000, "EPOCHS": 8}),
        *_variants(10, 1, {"DROPOUT": 0.6}),  # the lesson itself runs DROPOUT = 0 and its default
        *_variants(11, 1, {"BATCH_SIZE": 100, "LEARNING_RATE": 0.003}),
        *_variants(11, 2, {"DROPOUT": 0.0}),
        *(Variant(11, 4, {"MAX_SHIFT": 0, "SEED": seed}) for seed in (42, 1)),
    ]
)


def parameter_names(lesson: Lesson, notebooks_dir=NOTEBOOKS_DIR) -> set[str]:
    """The names assigned in a lesson's parameters cell."""
    nb = nbformat.read(Path(notebooks_dir) / lesson.notebook, as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    return {
        target.id
        for node in ast.parse(cell.source).body
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def run_variant(variant: Variant, output_dir, data_dir=None, notebooks_dir=NOTEBOOKS_DIR) -> NotebookRun:
    """Execute the lesson with the variant's parameters (papermill) into output_dir; its run."""
    lesson = next(lesson for lesson in LESSONS if lesson.number == variant.lesson)
    with_parameters = dataclasses.replace(lesson, quick_parameters=dict(variant.parameters))
    name = "_".join(f"{key}-{value}" for key, value in variant.parameters.items())
    output = Path(output_dir) / f"{lesson.stem}__{name}.ipynb"
    with kernel_environment(data_dir):
        return execute_lesson(with_parameters, notebooks_dir, output, profile="quick")


def answers_markdown(rows: Sequence[tuple[Variant, NotebookRun | None]]) -> str:
    """The instructor answers file: one row per variant, measured or with the command to measure it."""
    lines = [
        "# Instructor answers: measured variants of the end-of-lesson exercises",
        "",
        "Not for learners. Each row is one lesson run with the exercise's parameter change (papermill",
        "parameters, everything else as in the stored notebook, CPU). Re-measure a lesson with",
        "`python -m course_utils answers --only N`; rows without numbers have not been measured yet.",
        "",
        "Variants are compared on the validation split: the validation accuracy of the lesson's chosen",
        "network, then the lesson's other validation and training results. The test split is for the",
        'configuration the lesson chose, once: only the stored run ("as stored") shows its test',
        "accuracy. Lesson 1 has no validation split (its 500 points are split into training and test",
        "only), so its variants are compared on the training split.",
        "",
        "| lesson | exercise | parameters | validation accuracy | other results | run time |",
        "|---|---|---|---|---|---|",
    ]
    for variant, run in rows:
        if run is None or run.failure is not None:
            why = "not measured" if run is None else f"failed: {run.failure.ename}"
            command = f"`python -m course_utils answers --only {variant.lesson}`"
            lines.append(f"| {variant.lesson} | {variant.exercise} | {variant.label} | {why} | {command} | |")
            continue
        metrics = dict(run.metrics)
        accuracy = metrics.pop("val_accuracy", None)
        shown = f"{accuracy:.4f}" if isinstance(accuracy, float) else "–"
        if variant.exercise:  # a variant: its test results are not for comparing
            metrics = {name: value for name, value in metrics.items() if "test" not in name}
        ordered = sorted(metrics.items(), key=lambda item: (item[0] != "test_accuracy", item[0]))
        others = ", ".join(f"{name} {_number(value)}" for name, value in ordered)
        where = f"| {variant.lesson} | {variant.exercise} | {variant.label} |"
        lines.append(f"{where} {shown} | {others} | {run.seconds:.0f} s |")
    return "\n".join(lines) + "\n"


def _baseline_row(number: int, notebooks_dir) -> str:
    """The stored full run of a lesson, the row each variant compares with."""
    lesson = next(lesson for lesson in LESSONS if lesson.number == number)
    run = stored_run(Path(notebooks_dir) / lesson.notebook)
    row = answers_markdown([(Variant(number, 0, {}), run)]).splitlines()[-1]
    return row.replace(f"| {number} | 0 |  |", f"| {number} | – | as stored (no change) |", 1)


def _number(value) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def measured_rows(path=ANSWERS_FILE) -> dict[str, str]:
    """The rows of an existing answers file, by `lesson|exercise|parameters`, to keep what was measured."""
    rows = {}
    if Path(path).exists():
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            cells = [cell.strip() for cell in line.strip("|").split("|")]
            if len(cells) == 6 and cells[0].isdigit() and cells[3] != "not measured":
                rows["|".join(cells[:3])] = line
    return rows


def write_answers(
    lessons: Sequence[Lesson],
    output_dir,
    path=ANSWERS_FILE,
    data_dir=None,
    notebooks_dir=NOTEBOOKS_DIR,
    missing_only=False,
) -> list[NotebookRun]:
    """Measure the variants of `lessons` (only the unmeasured ones with `missing_only`), keep the other
    measured rows, rewrite the answers file."""
    numbers = {lesson.number for lesson in lessons}
    kept = measured_rows(path)
    runs, lines = [], []
    for position, variant in enumerate(VARIANTS):
        if position == 0 or VARIANTS[position - 1].lesson != variant.lesson:
            lines.append(_baseline_row(variant.lesson, notebooks_dir))
        key = f"{variant.lesson}|{variant.exercise}|{variant.label}"
        if variant.lesson in numbers and not (missing_only and key in kept):
            run = run_variant(variant, output_dir, data_dir, notebooks_dir)
            runs.append(run)
            lines.append(answers_markdown([(variant, run)]).splitlines()[-1])
        else:
            lines.append(kept.get(key) or answers_markdown([(variant, None)]).splitlines()[-1])
    header = answers_markdown([]).rstrip("\n")
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    text = header + "\n" + "\n".join(lines) + "\n" + short_answers(path)
    Path(path).write_text(text, encoding="utf-8")
    return runs


SHORT_ANSWERS = "## Short answers"


def short_answers(path=ANSWERS_FILE) -> str:
    """The hand-written section after the table (from `## Short answers` on), kept when the table is
    rewritten; its numbers must be the table's (a test checks)."""
    text = Path(path).read_text(encoding="utf-8") if Path(path).exists() else ""
    start = text.find(SHORT_ANSWERS)
    return "" if start < 0 else "\n" + text[start:]
