"""An nbgrader course folder from the solution notebooks: solution cells, locked cells, graded check cells."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat

from .exercises import BEGIN, END, TEST_MARKER
from .lessons import Lesson

SCHEMA_VERSION = 3
CHECK_LINE = re.compile(r'^[ \t]*check\("(?P<name>[\w.]+)"')
POINTS_PER_CHECK = 1


def _metadata(grade_id: str, *, solution=False, grade=False, locked=False, points=None) -> dict:
    meta = {
        "grade": grade,
        "grade_id": grade_id,
        "locked": locked,
        "schema_version": SCHEMA_VERSION,
        "solution": solution,
        "task": False,
    }
    if grade:
        meta["points"] = points
    return meta


def nbgrader_notebook(nb):
    """A copy of a solution notebook in nbgrader's form, outputs cleared, metadata.nbgrader on every cell.

    Each `# BEGIN SOLUTION: prompt` becomes `# TODO: prompt` above nbgrader's `### BEGIN SOLUTION`; the
    check calls of a cell move to an autograded, locked test cell right after it.
    """
    source = copy.deepcopy(nb)
    cells = []
    for cell in source.cells:
        if cell.cell_type != "code":
            cell.metadata["nbgrader"] = _metadata(cell.id, locked=True)
            cells.append(cell)
            continue
        cell.outputs, cell.execution_count = [], None
        lines = [line for line in cell.source.split("\n") if not TEST_MARKER.match(line)]
        if not any(BEGIN.match(line) for line in lines):
            cell.source = "\n".join(lines)
            cell.metadata["nbgrader"] = _metadata(cell.id, locked=True)
            cells.append(cell)
            continue
        moved = {n for n, line in enumerate(lines) if CHECK_LINE.match(line) and not _in_loop(lines, n)}
        checks = [lines[n].strip() for n in sorted(moved)]
        kept = [line for n, line in enumerate(lines) if n not in moved for line in _nbgrader_line(line)]
        cell.source = re.sub(r"\n{4,}", "\n\n\n", "\n".join(kept)).rstrip()
        cell.metadata["nbgrader"] = _metadata(cell.id, solution=True)
        cells.append(cell)
        if checks:
            points = POINTS_PER_CHECK * len(checks)
            test = nbformat.v4.new_code_cell(
                "\n".join(checks), id=_unused_id(f"{cell.id}-check", source.cells)
            )
            test.metadata["nbgrader"] = _metadata(test.id, grade=True, locked=True, points=points)
            cells.append(test)
    source.cells = cells
    return source


def _unused_id(wanted: str, cells) -> str:
    """`wanted` (at most 64 characters), or with a number added if a cell of the notebook already has it."""
    taken = {cell.id for cell in cells}
    candidates = [wanted[:64], *(f"{wanted[:58]}-{n}" for n in range(2, len(taken) + 3))]
    return next(candidate for candidate in candidates if candidate not in taken)


def _in_loop(lines: list[str], number: int) -> bool:
    """True if line `number` is inside a for/while loop (its check stays there: it checks each step)."""
    indent = len(lines[number]) - len(lines[number].lstrip())
    for line in reversed(lines[:number]):
        stripped = line.lstrip()
        if stripped and len(line) - len(stripped) < indent:
            if stripped.startswith(("for ", "while ")):
                return True
            indent = len(line) - len(stripped)
    return False


def _nbgrader_line(line: str) -> list[str]:
    begin = BEGIN.match(line)
    if begin:
        prompt = begin["rest"].strip().removeprefix(":").strip()
        return [f"{begin['indent']}# TODO: {prompt}", f"{begin['indent']}### BEGIN SOLUTION"]
    if END.match(line):
        return [f"{line[: len(line) - len(line.lstrip())]}### END SOLUTION"]
    return [line]


def write_course(lessons: list[Lesson], notebooks_dir, output_dir, parameters=None) -> list[Path]:
    """Write output_dir/source/<lesson>/<lesson>.ipynb for each lesson (and nbgrader_config.py).

    `parameters` (a dict) is injected after each parameters cell, e.g. quick-run values for tests.
    """
    output_dir = Path(output_dir)
    written = []
    for lesson in lessons:
        nb = nbformat.read(Path(notebooks_dir) / lesson.notebook, as_version=4)
        if parameters:
            nb = _with_parameters(nb, parameters)
        target = output_dir / "source" / lesson.stem / lesson.notebook
        target.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(nbgrader_notebook(nb), target)
        written.append(target)
    assignments = sorted(folder.name for folder in (output_dir / "source").iterdir() if folder.is_dir())
    (output_dir / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa: F821\n"
        f"c.CourseDirectory.db_assignments = {[{'name': name} for name in assignments]!r}\n",
        encoding="utf-8",
    )
    return written


def _with_parameters(nb, parameters: dict):
    """nb with a cell setting `parameters` right after its parameters cell (papermill's convention)."""
    nb = copy.deepcopy(nb)
    index = next(i for i, cell in enumerate(nb.cells) if "parameters" in cell.metadata.get("tags", []))
    source = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    nb.cells.insert(index + 1, nbformat.v4.new_code_cell(source, id="injected-parameters"))
    return nb
