"""Execute lesson notebooks with papermill: the course run, regeneration in place, nbval copies."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import nbformat

from ..data import MnistError, mnist_files
from ..results import read_results
from .lessons import LESSONS, Lesson
from .report import Failure, NotebookRun, outputs_fingerprint, run_record, verdict, write_outputs

PROFILES = ("quick", "full")
PROJECT_ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
LOCK_PATH = Path("/tmp/course-full-run.lock")
KERNEL_NAME = "python3"


class NoNotebooksError(ValueError):
    """No lesson notebooks where the command looked."""


class CourseInterrupted(KeyboardInterrupt):
    """Ctrl-C during a run; `lesson` is the one that was running (outputs already written)."""

    def __init__(self, lesson: Lesson):
        super().__init__(f"interrupted during lesson {lesson.number}")
        self.lesson = lesson


def find_notebooks_dir(notebooks_dir=None) -> Path:
    """The lesson notebooks: the folder given, else notebooks/ of the checkout, else ./notebooks."""
    candidates = [Path(notebooks_dir)] if notebooks_dir is not None else [NOTEBOOKS_DIR, Path("notebooks")]
    for folder in candidates:
        if any(folder.glob("[0-9][0-9]_*.ipynb")):
            return folder
    looked = " or ".join(str(folder) for folder in dict.fromkeys(candidates))
    raise NoNotebooksError(
        f"no lesson notebooks in {looked}: pass --notebooks DIR (the notebooks/ folder of a course checkout)"
    )


@contextmanager
def kernel_environment(data_dir=None) -> Iterator[None]:
    """Environment for the kernels: static plots, this course_utils importable, COURSE_DATA_DIR."""
    python_path = [str(PROJECT_ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    updates = {"COURSE_UTILS_STATIC_PLOTS": "1", "PYTHONPATH": os.pathsep.join(python_path)}
    if data_dir is not None:
        updates["COURSE_DATA_DIR"] = str(Path(data_dir).resolve())
    saved = {name: os.environ.get(name) for name in updates}
    os.environ.update(updates)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextmanager
def full_run_lock(path=LOCK_PATH, log: Callable[[str], None] = print) -> Iterator[None]:
    """Hold an exclusive lock so that two full runs never share the machine; waits if needed."""
    with open(path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log(f"Another full run holds {path}; waiting for it to finish…")
            fcntl.flock(handle, fcntl.LOCK_EX)
        handle.truncate(0)
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def execute_lesson(lesson: Lesson, notebooks_dir, output_path, profile: str = "quick") -> NotebookRun:
    """Execute one lesson notebook on a fresh kernel into output_path (cwd: the notebooks folder).

    Ctrl-C stops the kernel and returns a run marked `interrupted` (the copy keeps what ran).
    """
    import papermill  # imported here: `report` and `format` must work without the runner extras
    from papermill.exceptions import PapermillExecutionError

    source, output_path = Path(notebooks_dir).resolve() / lesson.notebook, Path(output_path).resolve()
    output_path.parent.mkdir(parents=True, exist_ok=True)
    output_path.unlink(missing_ok=True)  # never read a previous run's results
    parameters = lesson.parameters_for(profile)
    failure, interrupted, start = None, False, time.monotonic()
    with tempfile.TemporaryDirectory(prefix="course-kernel-") as sockets:
        kernel = _ipc_kernel_manager(Path(sockets))
        try:
            papermill.execute_notebook(
                str(source),
                str(output_path),
                parameters=parameters or None,
                kernel_name=KERNEL_NAME,
                cwd=str(source.parent),
                progress_bar=False,
                km=kernel,
            )
        except PapermillExecutionError as error:
            cell = _source_cell_number(source, error.cell_index, injected=bool(parameters))
            failure = Failure(error.ename, error.evalue, cell, error.exec_count)
        except KeyboardInterrupt:
            interrupted = True
            signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not stop the clean-up
        except Exception as error:  # a dead kernel, a missing or unreadable notebook…
            failure = Failure(type(error).__name__, str(error))
        finally:
            _shut_down(kernel)
    seconds = round(time.monotonic() - start, 1)
    metrics = {}
    if output_path.exists():
        executed = nbformat.read(output_path, as_version=4)
        executed.metadata["course_utils"] = run_record(executed, profile, seconds, interrupted)
        nbformat.write(executed, output_path)
        metrics = read_results(executed)
    if interrupted:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    return NotebookRun(lesson, output_path, profile, seconds, metrics, failure, interrupted=interrupted)


def _ipc_kernel_manager(folder: Path):
    """A kernel manager whose kernel talks over local IPC sockets in folder (no TCP port is opened)."""
    from jupyter_client.manager import AsyncKernelManager

    return AsyncKernelManager(kernel_name=KERNEL_NAME, transport="ipc", ip=str(folder / "kernel"))


def _shut_down(kernel) -> None:
    """Stop the kernel if it still runs (after an error or Ctrl-C), so that none is left behind."""
    if kernel.has_kernel:
        asyncio.run(kernel.shutdown_kernel(now=True))


def _source_cell_number(source: Path, cell_index: int, injected: bool) -> int:
    """Map papermill's cell index (which counts the injected-parameters cell) to the source's 1-based one."""
    if injected:
        cells = nbformat.read(source, as_version=4).cells
        tagged = [i for i, cell in enumerate(cells) if "parameters" in cell.metadata.get("tags", [])]
        injected_at = tagged[0] + 1 if tagged else 0
        if cell_index > injected_at:
            cell_index -= 1
    return cell_index + 1


def run_course(
    lessons: Sequence[Lesson] = LESSONS,
    notebooks_dir=NOTEBOOKS_DIR,
    output_dir="build/course-quick",
    profile: str = "quick",
    data_dir=None,
    log: Callable[..., None] = print,
    lock_path=LOCK_PATH,
) -> list[NotebookRun]:
    """Execute the lessons in order, each on a fresh kernel; write results.json and report.md.

    MNIST is checked once, before the first lesson that needs it; without it those lessons are
    skipped. Ctrl-C writes the outputs of the lessons run so far, then raises CourseInterrupted.
    """
    if profile not in PROFILES:
        raise ValueError(f"unknown profile {profile!r}; choose one of {', '.join(PROFILES)}")
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    runs, mnist_problem = [], None
    with _lock_if(profile == "full", lock_path, log), kernel_environment(data_dir):
        for position, lesson in enumerate(lessons, start=1):
            output_path = output_dir / lesson.notebook
            try:
                if lesson.needs_mnist and mnist_problem is None:
                    mnist_problem = _mnist_problem(log)
                if lesson.needs_mnist and mnist_problem:
                    output_path.unlink(missing_ok=True)
                    run = NotebookRun(
                        lesson, output_path, profile, None, {}, skipped="no MNIST data (see above)"
                    )
                else:
                    run = execute_lesson(lesson, notebooks_dir, output_path, profile)
            except KeyboardInterrupt:  # between kernels, e.g. while MNIST downloads
                run = NotebookRun(lesson, output_path, profile, None, {}, interrupted=True)
            log(
                f"[{position}/{len(lessons)}] {lesson.stem} … "
                + (f"{run.seconds:.1f} s  " if run.seconds is not None else "")
                + verdict(run),
                flush=True,
            )
            runs.append(run)
            if run.interrupted:
                write_outputs(runs, output_dir)
                raise CourseInterrupted(lesson)
    write_outputs(runs, output_dir)
    return runs


def _mnist_problem(log) -> str:
    """'' when the four MNIST files can be had (checked or downloaded), else the reason, said once."""
    try:
        mnist_files()
    except MnistError as error:
        log(f"MNIST is not available, so the lessons that need it are skipped. {error}", flush=True)
        return str(error)
    return ""


@contextmanager
def _lock_if(condition: bool, path, log) -> Iterator[None]:
    if condition:
        with full_run_lock(path, log):
            yield
    else:
        yield


def regenerate(
    lessons: Sequence[Lesson] = LESSONS,
    notebooks_dir=NOTEBOOKS_DIR,
    work_dir="build/regenerate",
    table: Sequence[Lesson] = LESSONS,
    data_dir=None,
    log: Callable[..., None] = print,
    lock_path=LOCK_PATH,
    language: str = "en",
) -> list[NotebookRun]:
    """Re-execute source notebooks with the full profile and store the ones that ran back, canonical.

    A translation (`language`, its notebooks in `notebooks_dir/<language>`) keeps its notebooks as
    `translate` built them and takes only the outputs of its run (`translate` then rebuilds its learner
    edition)."""
    from .notebook_format import canonical_notebook, canonical_text, format_notebook

    notebooks_dir = Path(notebooks_dir)
    if language != "en":
        folder = notebooks_dir / language
        runs = run_course(lessons, folder, Path(work_dir) / language, "full", data_dir, log, lock_path)
        for run in runs:
            if run.failure is None and not run.interrupted:
                executed = nbformat.read(run.path, as_version=4)
                _store_translated_run(executed, folder / run.lesson.notebook, language)
        return runs
    for lesson in lessons:  # generated cells first, so that the stored execution counts cover them
        if (notebooks_dir / lesson.notebook).exists():
            format_notebook(notebooks_dir / lesson.notebook, table)
    runs = run_course(lessons, notebooks_dir, work_dir, "full", data_dir, log, lock_path)
    for run in runs:
        if run.failure is None:
            stored = canonical_notebook(nbformat.read(run.path, as_version=4), run.lesson, table)
            stored.metadata["course_utils"]["outputs"] = outputs_fingerprint(stored)  # without timings
            text = canonical_text(stored, run.lesson, table)
            (notebooks_dir / run.lesson.notebook).write_text(text, encoding="utf-8")
    return runs


def _store_translated_run(executed, path: Path, language: str) -> None:
    """Put the outputs of a translated notebook's run into its stored copy, marked as run in `language`."""
    stored = nbformat.read(path, as_version=4)
    ran = {cell.id: cell for cell in executed.cells}
    for cell in stored.cells:
        if cell.cell_type == "code" and cell.id in ran:
            cell.outputs, cell.execution_count = ran[cell.id].outputs, ran[cell.id].execution_count
    record = dict(executed.metadata["course_utils"])
    record["language"] = language
    stored.metadata["course_utils"] = record
    stored.metadata["course_utils"]["outputs"] = outputs_fingerprint(stored)
    path.write_text(nbformat.writes(stored) + "\n", encoding="utf-8")


def write_quick_copies(lessons: Sequence[Lesson], notebooks_dir, output_dir) -> list[Path]:
    """Copies of the lesson notebooks with the quick parameters injected and stored outputs kept (nbval)."""
    import papermill

    output_dir = Path(output_dir).resolve()
    output_dir.mkdir(parents=True, exist_ok=True)
    for stale in output_dir.glob("*.ipynb"):
        stale.unlink()
    written = []
    for lesson in lessons:
        source = Path(notebooks_dir).resolve() / lesson.notebook
        if source.exists():
            target = output_dir / lesson.notebook
            papermill.execute_notebook(
                str(source),
                str(target),
                parameters=dict(lesson.quick_parameters) or None,
                kernel_name=KERNEL_NAME,
                prepare_only=True,
                progress_bar=False,
            )
            written.append(target)
    return written
