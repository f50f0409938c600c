"""README.es.md keeps in step with README.md: sections, code blocks, the lesson table, links."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "README.md"
SPANISH = ROOT / "README.es.md"

CODE_BLOCK = re.compile(r"^```.*?^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
NUMBER = re.compile(r"[\d.,]+(?: (?:s|min))?")
INLINE_CODE = re.compile(r"`[^`]+`")


def sections(path: Path) -> list[tuple[str, str]]:
    """The README's `## ` sections: (heading, body), in order."""
    parts = re.split(r"^## (.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return list(zip(parts[1::2], parts[2::2], strict=True))


def lesson_rows(path: Path, heading: str) -> list[list[str]]:
    """The cells of each row of the table under the heading (Lessons, Lecciones)."""
    body = dict(sections(path)).get(heading)
    assert body is not None, f"{path.name} has no lessons section"
    rows = [line.strip().strip("|").split("|") for line in body.splitlines() if line.startswith("|")]
    return [[cell.strip() for cell in row] for row in rows[2:]]  # past the header and the separator


def slug(heading: str) -> str:
    """The anchor GitHub and myst give a heading."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def untranslated(body: str) -> set[str]:
    """What a translation keeps as it is: inline code (commands, paths, variables) and web links."""
    inline = INLINE_CODE.findall(CODE_BLOCK.sub("", body))
    return set(inline) | {link for link in LINK.findall(body) if "://" in link}


def test_the_same_sections_in_the_same_order_with_the_same_code():
    english, spanish = sections(ENGLISH), sections(SPANISH)
    assert len(spanish) == len(english), [heading for heading, _ in spanish]
    for (heading, body), (translated, cuerpo) in zip(english, spanish, strict=True):
        assert CODE_BLOCK.findall(cuerpo) == CODE_BLOCK.findall(body), f"{heading} / {translated}"
        assert untranslated(body) - untranslated(cuerpo) == set(), f"{heading} / {translated}"


def test_the_lesson_tables_have_the_same_rows_and_numbers():
    english, spanish = lesson_rows(ENGLISH, "Lessons"), lesson_rows(SPANISH, "Lecciones")
    assert english and [row[0] for row in spanish] == [row[0] for row in english]
    for row, fila in zip(english, spanish, strict=True):
        assert len(fila) == len(row), fila
        numbers = [cell for cell in row if NUMBER.fullmatch(cell)]
        assert len(numbers) == 4, row  # lesson, target, measured, full run
        assert [cell for cell in fila if NUMBER.fullmatch(cell)] == numbers, (row[0], fila)


def test_each_spanish_row_links_the_spanish_notebook_and_its_learner_edition():
    for row, fila in zip(lesson_rows(ENGLISH, "Lessons"), lesson_rows(SPANISH, "Lecciones"), strict=True):
        name = Path(LINK.findall(row[1])[0]).name
        links = LINK.findall(" | ".join(fila))
        assert links == [f"notebooks/es/{name}", f"notebooks/es/exercises/{name}"], (row[0], links)
        assert all((ROOT / link).is_file() for link in links), links


def test_every_relative_link_and_anchor_of_the_spanish_readme_resolves():
    text = SPANISH.read_text(encoding="utf-8")
    anchors = {slug(heading) for heading, _ in sections(SPANISH)}
    broken = []
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://")):
            continue
        path, _, anchor = target.partition("#")
        if path and not (ROOT / path).exists():
            broken.append(target)
        elif not path and anchor not in anchors:
            broken.append(target)
    assert broken == []


def test_each_readme_links_the_other():
    assert "(README.es.md)" in ENGLISH.read_text(encoding="utf-8")
    assert "(README.md)" in SPANISH.read_text(encoding="utf-8")
