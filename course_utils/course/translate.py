"""Translations of the lessons: gettext catalogues (one per notebook) of the English markdown and prompts.

The English notebooks are the only source. Each markdown cell is one message (context: the cell id;
the generated title, header and footer are left out: they are made anew in each language), and each
learner prompt (`# BEGIN SOLUTION: <prompt>`) is one message (context: `<cell id>:prompt:<n>`).
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import polib

from .exercises import solution_blocks
from .notebook_format import FOOTER, HEADER

LOCALES_DIR = Path(__file__).resolve().parents[2] / "locales"


def _without(markers: tuple[str, str], text: str) -> str:
    return re.sub(re.escape(markers[0]) + r".*?" + re.escape(markers[1]), "", text, count=1, flags=re.S)


def translatable_text(source: str, first: bool, last: bool) -> str:
    """A markdown cell's own text: without the generated title, header and footer."""
    text = source
    if first:
        text = _without(HEADER, text)
        lines = text.strip().split("\n")
        if lines and lines[0].startswith("# "):
            lines = lines[1:]
        text = "\n".join(lines)
    if last:
        text = _without(FOOTER, text)
    return text.strip()


def messages(nb) -> list[tuple[str, str]]:
    """(context, English text) of every message of a notebook, in reading order."""
    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    found = []
    prompts = {}
    for block in solution_blocks(nb):
        prompts.setdefault(block.cell_index, []).append(block.prompt)
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            text = translatable_text(cell.source, cell is markdown[0], cell is markdown[-1])
            if text:
                found.append((cell.id, text))
        for number, prompt in enumerate(prompts.get(index, []), start=1):
            found.append((f"{cell.id}:prompt:{number}", prompt))
    return found


def update_catalogue(notebook: Path, language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    """Create or update `<locales>/<language>/LC_MESSAGES/<stem>.po` from the English notebook."""
    path = Path(locales_dir) / language / "LC_MESSAGES" / f"{Path(notebook).stem}.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    old = polib.pofile(str(path)) if path.exists() else None
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "open-dl-course",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    for context, text in messages(nbformat.read(notebook, as_version=4)):
        entry = polib.POEntry(msgctxt=context, msgid=text, msgstr="")
        previous = old.find(text, msgctxt=context) if old else None
        if previous is not None:
            entry.msgstr, entry.flags = previous.msgstr, list(previous.flags)
        elif old is not None:
            same_cell = next((e for e in old if e.msgctxt == context), None)
            if same_cell is not None and same_cell.msgstr:  # the English text changed: keep, mark fuzzy
                entry.msgstr, entry.flags = same_cell.msgstr, ["fuzzy"]
                entry.previous_msgid = same_cell.msgid
        catalogue.append(entry)
    catalogue.save(str(path))
    return path
