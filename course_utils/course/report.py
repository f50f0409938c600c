"""Outcomes of lesson runs: results.json rows, the markdown report, outcomes stored in notebooks."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import nbformat

from ..results import read_results
from .lessons import LESSONS, Lesson, lesson_for

NAN_LOSS_ERROR = "NanLossError"  # raised by course_utils.callbacks.EpochTimer at the first NaN loss
PAPERMILL_TAGS = ("injected-parameters", "papermill-error-cell-tag")  # cells papermill adds to a copy


@dataclass(frozen=True)
class Failure:
    """Where and how a notebook failed."""

    ename: str
    evalue: str
    cell: int | None = None  # 1-based position of the failing cell in the source notebook
    execution_count: int | None = None

    def describe(self) -> str:
        """E.g. `cell 7 (In [5]): ValueError: bad shape`."""
        where = f"cell {self.cell}" if self.cell else "notebook"
        if self.execution_count:
            where += f" (In [{self.execution_count}])"
        first_line = self.evalue.strip().split("\n")[0] if self.evalue else ""
        return f"{where}: {self.ename}: {first_line}" if first_line else f"{where}: {self.ename}"


@dataclass(frozen=True)
class NotebookRun:
    """The outcome of one executed notebook."""

    lesson: Lesson
    path: Path  # the executed copy
    profile: str
    seconds: float | None
    metrics: dict
    failure: Failure | None = None
    skipped: str | None = None  # why the lesson was not run (e.g. no MNIST)
    interrupted: bool = False  # stopped by Ctrl-C before it finished

    @property
    def target(self) -> float:
        """The target of the lesson's metric for this run's profile."""
        return self.lesson.target_for(self.profile)

    @property
    def value(self):
        """The value of the lesson's metric, None if the notebook failed or did not record it."""
        return None if self.failure else self.metrics.get(self.lesson.metric)

    @property
    def passed(self) -> bool:
        """True if the notebook ran and its metric reached the target."""
        return self.value is not None and self.value >= self.target


def verdict(run: NotebookRun) -> str:
    """`ok`, or why the run did not pass: the error, a missing metric, or the value below target."""
    if run.skipped:
        return f"skipped: {run.skipped}"
    if run.interrupted:
        return "interrupted (Ctrl-C)"
    if run.failure and run.failure.ename == NAN_LOSS_ERROR:
        return f"FAILED: NaN loss: {run.failure.describe()}"
    if run.failure:
        return f"FAILED: {run.failure.describe()}"
    if run.value is None:
        return f"FAILED: no {run.lesson.metric} recorded"
    if not run.passed:
        return f"below target: {run.lesson.metric} {run.value:.4f} < {run.target}"
    return "ok"


def result_rows(runs: Sequence[NotebookRun]) -> list[dict]:
    """One row per recorded metric (target and passed only for the lesson's metric) for results.json."""
    rows = []
    for run in runs:
        recorded = {} if run.failure else run.metrics
        metrics = {run.lesson.metric: recorded.get(run.lesson.metric), **recorded}  # lesson's metric first
        for metric, value in metrics.items():
            is_target = metric == run.lesson.metric
            rows.append(
                {
                    "notebook": run.lesson.notebook,
                    "lesson": run.lesson.number,
                    "metric": metric,
                    "value": value,
                    "target": run.target if is_target else None,
                    "passed": run.passed if is_target else None,
                    "seconds": run.seconds,
                    "profile": run.profile,
                }
            )
    return rows


def render_report(runs: Sequence[NotebookRun]) -> str:
    """A markdown table with one row per lesson: metric, value, target, pass/fail and wall time."""
    lines = [
        "| Lesson | Metric | Value | Target | Result | Time |",
        "|:--|:--|--:|--:|:--|--:|",
    ]
    for run in runs:
        value = "–" if run.value is None else f"{run.value:.4f}"
        seconds = "–" if run.seconds is None else f"{run.seconds:.1f} s"
        result = "pass" if run.passed else f"**fail** ({verdict(run).removeprefix('FAILED: ')})"
        if run.skipped or run.interrupted:
            result = verdict(run)
        title = f"{run.lesson.number:02d} {run.lesson.title}"
        result = result.replace("|", "\\|")
        lines.append(f"| {title} | {run.lesson.metric} | {value} | {run.target} | {result} | {seconds} |")
    passed = sum(run.passed for run in runs)
    profiles = ", ".join(sorted({run.profile for run in runs})) or "–"
    known = [run.seconds for run in runs if run.seconds is not None]
    total = f"total {sum(known):.1f} s" if len(known) == len(runs) else "total time unknown (not stored)"
    if "unknown" in profiles:
        profiles += " (a notebook does not say how it ran)"
    lines += ["", f"{passed}/{len(runs)} lessons passed; profile {profiles}; {total}."]
    return "\n".join(lines) + "\n"


def failures_summary(runs: Sequence[NotebookRun]) -> str:
    """One line per failed notebook: notebook, cell and error ('' if none failed)."""
    failed = [run for run in runs if run.failure]
    return "".join(f"  {run.lesson.notebook}: {run.failure.describe()}\n" for run in failed)


def write_outputs(runs: Sequence[NotebookRun], output_dir) -> None:
    """Write results.json and report.md into output_dir."""
    output_dir = Path(output_dir)
    rows = json.dumps(result_rows(runs), indent=2)
    (output_dir / "results.json").write_text(rows + "\n", encoding="utf-8")
    (output_dir / "report.md").write_text(render_report(runs), encoding="utf-8")


def exit_status(runs: Sequence[NotebookRun]) -> int:
    """0 if every notebook ran and reached its profile's target, else 1."""
    return 0 if runs and all(run.passed for run in runs) else 1


def outputs_fingerprint(nb) -> str:
    """A digest of the code cells' outputs, execution counts and timings: a new execution changes it."""
    cells = [
        [
            cell.get("execution_count"),
            cell.get("outputs", []),
            cell.metadata.get("execution"),  # nbclient's timestamps (dropped from canonical notebooks)
            cell.metadata.get("papermill"),
        ]
        for cell in nb.cells
        if cell.cell_type == "code"
    ]
    return hashlib.sha256(json.dumps(cells, sort_keys=True, default=str).encode()).hexdigest()


def run_record(nb, profile: str, seconds: float, interrupted: bool = False) -> dict:
    """The runner's record of how nb ran, tied to its outputs (a copy executed again no longer matches)."""
    record = {"profile": profile, "seconds": seconds, "outputs": outputs_fingerprint(nb)}
    return {**record, "interrupted": True} if interrupted else record


def how_it_ran(nb) -> tuple[str, float | None, bool]:
    """(profile, seconds, interrupted) from the runner's record if it belongs to these outputs.

    A copy executed again elsewhere keeps the old record (and papermill's old metadata) but not the
    old outputs, so its record no longer matches: then ('unknown', None, False).
    """
    record = nb.metadata.get("course_utils", {})
    if record.get("outputs") == outputs_fingerprint(nb):
        return record["profile"], record["seconds"], bool(record.get("interrupted"))
    return "unknown", None, False


def stored_run(path, lessons: Sequence[Lesson] = LESSONS) -> NotebookRun | None:
    """The outcome stored in an executed notebook (None if it is not a lesson); runs nothing."""
    path = Path(path)
    lesson = lesson_for(path.name, lessons)
    if lesson is None:
        return None
    nb = nbformat.read(path, as_version=4)
    profile, seconds, interrupted = how_it_ran(nb)
    source_cells = [cell for cell in nb.cells if not set(cell.metadata.get("tags", [])) & set(PAPERMILL_TAGS)]
    failure = next(
        (
            Failure(output.ename, output.evalue, index + 1, cell.execution_count)
            for index, cell in enumerate(source_cells)  # numbered as in the source notebook
            if cell.cell_type == "code"
            for output in cell.outputs
            if output.output_type == "error"
        ),
        None,
    )
    return NotebookRun(lesson, path, profile, seconds, read_results(nb), failure, interrupted=interrupted)


def notebook_paths(paths: Sequence) -> list[Path]:
    """The notebooks named by paths (files, or folders searched for *.ipynb), sorted by name."""
    found = []
    for path in map(Path, paths):
        if not path.exists():
            raise ValueError(f"no such notebook or folder: {path}")
        found.extend(sorted(path.glob("*.ipynb")) if path.is_dir() else [path])
    return found
