"""Generate the learner edition of a lesson: solution blocks become `# TODO` prompts."""

from __future__ import annotations

import ast
import copy
import dataclasses
import io
import json
import re
import textwrap
import tokenize
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .code_strings import masked_magics
from .lessons import lesson_for
from .notebook_format import HEADER, _marked, header_block
from .runner import NOTEBOOKS_DIR

LEARNER_DIR = NOTEBOOKS_DIR / "exercises"
SOLUTIONS_MODULE = NOTEBOOKS_DIR.parent / "course_utils" / "solutions.py"
CHECK_CALL = re.compile(r'^[ \t]*check\("(?P<name>[\w.]+)"')
TEST_MARKER = re.compile(r"^[ \t]*#\s*NBVAL_[A-Z_]+[ \t]*$")
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
    """True if code `text` uses the variable `name` (not as an attribute, nor in a string or a comment)."""
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(masked_magics(text)).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):  # not whole code: the words, then
        return re.search(rf"(?<![\w.]){re.escape(name)}\b", text) is not None
    return any(
        token.type == tokenize.NAME and token.string == name and (i == 0 or tokens[i - 1].string != ".")
        for i, token in enumerate(tokens)
    )


def learner_edition(nb, name: str = "notebook"):
    """A copy of an instructor notebook with solutions replaced by TODOs, outputs and test markers removed.

    A lesson's header gets the learner edition's own Colab badge and a link back to the solutions.
    """
    learner = copy.deepcopy(nb)
    learner.metadata.pop("course_utils", None)  # the source's run record: the learner edition never ran
    lesson = lesson_for(name)
    markdown = [cell for cell in learner.cells if cell.cell_type == "markdown"]
    if lesson is not None and markdown:
        markdown[0].source = _marked(HEADER).sub(
            header_block(lesson, exercise=True), markdown[0].source, count=1
        )
    blocks = solution_blocks(nb, name)
    code_cells = [(i, cell.source) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"]
    for index, cell in enumerate(learner.cells):
        if cell.cell_type != "code":
            continue
        cell.outputs, cell.execution_count = [], None
        lines = cell.source.split("\n")
        cell_blocks = [block for block in blocks if block.cell_index == index]
        later_cells = "\n".join(source for i, source in code_cells if i > index)
        for block in reversed(cell_blocks):  # from the bottom, so line numbers stay valid
            later = "\n".join(lines[block.last_line + 1 :]) + "\n" + later_cells
            lines[block.first_line : block.last_line + 1] = _placeholder(block, later)
        cell.source = "\n".join(line for line in lines if not TEST_MARKER.match(line))
    return learner


def _placeholder(block: SolutionBlock, later_code: str) -> list[str]:
    needed = [name for name in assigned_names(block.code) if _used_in(name, later_code)]
    lines = [f"{block.indent}{TODO_MARK}: {block.prompt}"]
    lines += [f"{block.indent}{name} = ...  {TODO_MARK}" for name in needed]
    if _is_list_items(block.code):  # the block is items of a list: keep the list valid
        lines.append(f"{block.indent}...,")
    elif block.indent and not needed:  # keep an indented body (e.g. a function's) valid Python
        lines.append(f"{block.indent}...")
    return lines


def _is_list_items(code: str) -> bool:
    """True if the block's last token is a comma: it lists items of an enclosing list or call."""
    skipped = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT}
    skipped.add(tokenize.ENDMARKER)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(textwrap.dedent(code)).readline))
    except (tokenize.TokenError, IndentationError):
        return False
    significant = [token.string for token in tokens if token.type not in skipped]
    return bool(significant) and significant[-1] == ","


def filled_with_solutions(learner, source, name: str = "notebook", answers: dict | None = None):
    """The learner edition with each TODO region replaced by its solution code (for round-trip tests),
    or by `answers[prompt]` where given: a learner's own code for that exercise, indented as the block."""
    filled = copy.deepcopy(learner)
    blocks = [
        dataclasses.replace(block, code=textwrap.indent(answers[block.prompt], block.indent))
        if answers and block.prompt in answers
        else block
        for block in solution_blocks(source, name)
    ]
    for index, cell in enumerate(filled.cells):
        cell_blocks = [block for block in blocks if block.cell_index == index]
        if not cell_blocks:
            continue
        lines, result, pending = cell.source.split("\n"), [], list(cell_blocks)
        position = 0
        while position < len(lines):
            line = lines[position]
            if pending and line.strip().startswith(f"{TODO_MARK}: "):
                block = pending.pop(0)
                position += 1
                while position < len(lines) and _is_placeholder(lines[position]):
                    position += 1
                result.extend(block.code.split("\n"))
                continue
            result.append(line)
            position += 1
        cell.source = "\n".join(result)
    return filled


def _is_placeholder(line: str) -> bool:
    stripped = line.strip()
    return (
        stripped in ("...", "...,")
        or re.fullmatch(rf"[A-Za-z_]\w* = \.\.\.  {TODO_MARK}", stripped) is not None
    )


def without_solution_markers(nb):
    """A copy of a solution notebook without its BEGIN/END SOLUTION lines and test markers (round trip)."""
    plain = copy.deepcopy(nb)
    for cell in plain.cells:
        if cell.cell_type == "code":
            lines = cell.source.split("\n")
            kept = [
                line
                for line in lines
                if not (BEGIN.match(line) or END.match(line) or TEST_MARKER.match(line))
            ]
            cell.source = "\n".join(kept)
    return plain


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
    """Solution code lines that still appear in the learner edition.

    Per cell, a solution line counts as leaked when the learner's cell holds it more often than the
    source cell does outside its solution blocks (so a line the learner must write is caught even when
    the same text also appears elsewhere); across the notebook, lines found only inside solution
    blocks must appear in no learner cell.
    """
    blocks = solution_blocks(source)
    leaked, outside_everywhere = set(), set()
    learner_cells = {cell.id: cell for cell in learner.cells if cell.cell_type == "code"}
    for index, cell in enumerate(source.cells):
        if cell.cell_type != "code":
            continue
        lines = cell.source.split("\n")
        inside = {n for b in blocks if b.cell_index == index for n in range(b.first_line, b.last_line + 1)}
        outside = Counter(_code_line(line) for n, line in enumerate(lines) if n not in inside)
        outside_everywhere.update(outside)
        solution = {_code_line(lines[n]) for n in inside} - {""}
        learner_cell = learner_cells.get(cell.id)
        if learner_cell is not None:
            extra = Counter(_code_line(line) for line in learner_cell.source.split("\n")) - outside
            leaked.update(line for line in extra if line in solution)
    secret = {_code_line(line) for b in blocks for line in b.code.split("\n")} - outside_everywhere - {""}
    learner_lines = {_code_line(line) for cell in learner_cells.values() for line in cell.source.split("\n")}
    return sorted(leaked | (secret & learner_lines))


def answers_in_sight(source, learner, min_tokens: int = 6) -> list[tuple[str, str]]:
    """(exercise prompt, learner cell id) where a learner cell shows an exercise's answer: at least half
    of its lines, each as it is or with one token changed (an argument, a name, a number).

    Lines with fewer than `min_tokens` tokens (`return x`, `model.fit(`) give nothing away and are
    not counted; the TODO lines the learner fills in are not compared.
    """
    cells = [cell for cell in learner.cells if cell.cell_type == "code"]
    shown = {
        cell.id: [_tokens(line) for line in cell.source.split("\n") if TODO_MARK not in line]
        for cell in cells
    }
    found = []
    for block in solution_blocks(source):
        answer = [tokens for line in block.code.split("\n") if len(tokens := _tokens(line)) >= min_tokens]
        for cell_id, lines in shown.items():
            copied = sum(any(_one_token_apart(line, tokens) for tokens in lines) for line in answer)
            if answer and 2 * copied >= len(answer):
                found.append((block.prompt, cell_id))
    return found


def _one_token_apart(a: list[str], b: list[str]) -> bool:
    a, b = _expression(a), _expression(b)
    return len(a) == len(b) and sum(x != y for x, y in zip(a, b, strict=True)) <= 1


def _expression(tokens: list[str]) -> list[str]:
    """The tokens of what a line computes: without a leading `return` or `name =`."""
    if tokens[:1] == ["return"]:
        return tokens[1:]
    if len(tokens) > 2 and tokens[1] in ("=", "+=", "-=", "*=", "/="):
        return tokens[2:]
    return tokens


def _tokens(line: str) -> list[str]:
    """The significant Python tokens of one line of code (comments and layout left out)."""
    skipped = {
        tokenize.COMMENT,
        tokenize.NL,
        tokenize.NEWLINE,
        tokenize.INDENT,
        tokenize.DEDENT,
        tokenize.ENDMARKER,
    }
    try:
        return [
            t.string
            for t in tokenize.generate_tokens(io.StringIO(line.strip()).readline)
            if t.type not in skipped
        ]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return line.split()


def _code_line(line: str) -> str:
    """A line stripped of spaces; comments, markers and bare placeholders count as empty."""
    stripped = line.strip()
    return "" if stripped.startswith("#") or stripped in ("...", "...,") else stripped


def cells_before_first_todo(learner) -> list:
    """The learner notebook's cells that come before the first cell with a TODO (they must run as is)."""
    for index, cell in enumerate(learner.cells):
        if cell.cell_type == "code" and TODO_MARK in cell.source:
            return learner.cells[:index]
    return list(learner.cells)


def learner_text(path) -> str:
    """The file contents of the learner edition of the notebook at path."""
    path = Path(path)
    return nbformat.writes(learner_edition(nbformat.read(path, as_version=4), name=path.name)) + "\n"


def write_learner_editions(notebooks, output_dir=LEARNER_DIR) -> list[Path]:
    """Write the learner edition of each notebook path into output_dir; return the written paths."""
    output_dir = Path(output_dir)
    output_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in map(Path, notebooks):
        target = output_dir / path.name
        target.write_text(learner_text(path), encoding="utf-8")
        written.append(target)
    return written


def checked_blocks(nb, name: str = "notebook") -> list[tuple[str, SolutionBlock]]:
    """(check name, block) pairs: the k-th check call of a cell checks the cell's k-th solution block."""
    blocks = solution_blocks(nb, name)
    pairs = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        names = [match["name"] for line in cell.source.split("\n") if (match := CHECK_CALL.match(line))]
        cell_blocks = [block for block in blocks if block.cell_index == index]
        pairs.extend(zip(names, cell_blocks, strict=False))
    return pairs


def solutions_module_text(notebooks) -> str:
    """The source of course_utils/solutions.py: each checked exercise's solution code, by check name."""
    entries = []
    for path in map(Path, notebooks):
        for name, block in checked_blocks(nbformat.read(path, as_version=4), path.name):
            entries.append(f"    {json.dumps(name)}: {_quoted(textwrap.dedent(block.code))},")
    return (
        '"""The worked solutions of the checked exercises, by check name: `check.solution(name)`.\n\n'
        'Generated from the solution notebooks by `python -m course_utils exercises`: do not edit.\n"""\n\n'
        "SOLUTIONS = {\n" + "\n".join(entries) + "\n}\n"
    )


def _quoted(text: str) -> str:
    """A Python string literal of text, quoted the way ruff format writes it."""
    literal = json.dumps(text, ensure_ascii=False)
    if '"' in text and "'" not in text:
        return "'" + literal[1:-1].replace('\\"', '"') + "'"
    return literal
