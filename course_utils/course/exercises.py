"""Generate the learner edition of a lesson: solution blocks become `# TODO` prompts."""

from __future__ import annotations

import ast
import copy
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path

import nbformat

BEGIN = re.compile(r"^(?P<indent>[ \t]*)#\s*BEGIN SOLUTION\b(?P<rest>.*)$")
END = re.compile(r"^[ \t]*#\s*END SOLUTION\b")
TODO_MARK = "# TODO"
_ASSIGNMENT = re.compile(r"^(?P<names>[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*=(?!=)")


class SolutionMarkerError(ValueError):
    """A `# BEGIN SOLUTION` / `# END SOLUTION` pair is malformed."""


@dataclass(frozen=True)
class SolutionBlock:
    """One marked solution block: where it is, its prompt and its code."""

    cell_index: int
    first_line: int  # index of the BEGIN line in the cell's source
    last_line: int  # index of the END line
    indent: str
    prompt: str
    code: str


def solution_blocks(nb, name: str = "notebook") -> list[SolutionBlock]:
    """All solution blocks of a notebook, in order; raises SolutionMarkerError on unbalanced markers."""
    blocks = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "code":
            blocks.extend(_cell_blocks(cell.source, index, name))
    return blocks


def _cell_blocks(source: str, cell_index: int, name: str) -> list[SolutionBlock]:
    blocks, lines, opened = [], source.split("\n"), None
    where = f"{name}, cell {cell_index + 1}"
    for number, line in enumerate(lines):
        begin = BEGIN.match(line)
        if begin:
            if opened is not None:
                raise SolutionMarkerError(
                    f"{where}: BEGIN SOLUTION on line {number + 1} inside another block"
                )
            prompt = begin["rest"].strip()
            if not prompt.startswith(":") or not prompt[1:].strip():
                raise SolutionMarkerError(
                    f"{where}, line {number + 1}: write `# BEGIN SOLUTION: <prompt for the learner>`"
                )
            opened = (number, begin["indent"], prompt[1:].strip())
        elif END.match(line):
            if opened is None:
                raise SolutionMarkerError(f"{where}: END SOLUTION on line {number + 1} without BEGIN")
            first, indent, prompt = opened
            code = "\n".join(lines[first + 1 : number])
            blocks.append(SolutionBlock(cell_index, first, number, indent, prompt, code))
            opened = None
    if opened is not None:
        raise SolutionMarkerError(f"{where}: BEGIN SOLUTION on line {opened[0] + 1} is never closed")
    return blocks


def assigned_names(code: str) -> list[str]:
    """Names a block assigns at its own top level (`x = …`, `a, b = …`), in order."""
    try:
        tree = ast.parse(textwrap.dedent(code))
    except SyntaxError:  # IPython magics or an unusual block: fall back to the plain text
        lines = textwrap.dedent(code).split("\n")
        found = [m["names"] for line in lines if (m := _ASSIGNMENT.match(line))]
        return _unique(name.strip() for names in found for name in names.split(","))
    names = []
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        for target in targets:
            elements = target.elts if isinstance(target, ast.Tuple | ast.List) else [target]
            names.extend(element.id for element in elements if isinstance(element, ast.Name))
    return _unique(names)


def _unique(names) -> list[str]:
    return list(dict.fromkeys(names))


def _used_in(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None


def learner_edition(nb, name: str = "notebook"):
    """A copy of an instructor notebook with solutions replaced by TODOs and all outputs cleared."""
    learner = copy.deepcopy(nb)
    blocks = solution_blocks(nb, name)
    code_cells = [(i, cell.source) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    for index, cell in enumerate(learner.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        cell_blocks = [block for block in blocks if block.cell_index == index]
        if not cell_blocks:
            continue
        lines = cell.source.split("\n")
        later_cells = "\n".join(source for i, source in code_cells if i > index)
        for block in reversed(cell_blocks):  # from the bottom, so line numbers stay valid
            later = "\n".join(lines[block.last_line + 1 :]) + "\n" + later_cells
            lines[block.first_line : block.last_line + 1] = _placeholder(block, later)
        cell.source = "\n".join(lines)
    return learner


def _placeholder(block: SolutionBlock, later_code: str) -> list[str]:
    needed = [name for name in assigned_names(block.code) if _used_in(name, later_code)]
    lines = [f"{block.indent}{TODO_MARK}: {block.prompt}"]
    lines += [f"{block.indent}{name} = ...  {TODO_MARK}" for name in needed]
    if block.indent and not needed:  # keep an indented body (e.g. a function's) valid Python
        lines.append(f"{block.indent}...")
    return lines


def solutions_removed(learner, source=None) -> bool:
    """True if no solution markers remain and (given the source) no solution-only line leaked."""
    markers = any(
        BEGIN.match(line) or END.match(line)
        for cell in learner.cells
        if cell.cell_type == "code"
        for line in cell.source.split("\n")
    )
    return not markers and (source is None or not leaked_solution_lines(source, learner))


def leaked_solution_lines(source, learner) -> list[str]:
    """Code lines found only inside the source's solution blocks that still appear in the learner edition."""
    blocks = solution_blocks(source)
    solution = {line.strip() for block in blocks for line in block.code.split("\n")}
    outside = set()
    for index, cell in enumerate(source.cells):
        if cell.cell_type == "code":
            lines = cell.source.split("\n")
            inside = {
                n for b in blocks if b.cell_index == index for n in range(b.first_line, b.last_line + 1)
            }
            outside.update(line.strip() for n, line in enumerate(lines) if n not in inside)
    secret = {line for line in solution - outside if line and not line.startswith("#")}
    learner_lines = {
        line.strip() for cell in learner.cells if cell.cell_type == "code" for line in cell.source.split("\n")
    }
    return sorted(secret & learner_lines)


def cells_before_first_todo(learner) -> list:
    """The learner notebook's cells that come before the first cell with a TODO (they must run as is)."""
    for index, cell in enumerate(learner.cells):
        if cell.cell_type == "code" and TODO_MARK in cell.source:
            return learner.cells[:index]
    return list(learner.cells)


def write_learner_editions(notebooks, output_dir) -> list[Path]:
    """Write the learner edition of each notebook path into output_dir; return the written paths."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in map(Path, notebooks):
        learner = learner_edition(nbformat.read(path, as_version=4), name=path.name)
        target = output_dir / path.name
        target.write_text(nbformat.writes(learner) + "\n", encoding="utf-8")
        written.append(target)
    return written
