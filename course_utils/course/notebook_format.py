"""The canonical form of a lesson notebook: clean JSON, generated header, footer and Colab cell."""

from __future__ import annotations

import copy
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat.corpus.words import generate_corpus_id

from .lessons import BRANCH, COLAB_BADGE, LESSONS, REPOSITORY, Lesson, colab_url, lesson_for

# What JupyterLab 4 writes when it saves a notebook run on ipykernel's python3 kernel, so that opening and
# saving an unchanged lesson changes nothing. language_info's "version" is the Python of the kernel that
# last ran the notebook (the regenerating machine's): kept as stored, never required.
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
LANGUAGE_INFO = {
    "codemirror_mode": {"name": "ipython", "version": 3},
    "file_extension": ".py",
    "mimetype": "text/x-python",
    "name": "python",
    "nbconvert_exporter": "python",
    "pygments_lexer": "ipython3",
}
KEPT_NOTEBOOK_METADATA = ("course_utils",)
# Cell metadata that survives: tags, and `course` ({"figure_text": [one text per image output, in order]},
# what each figure shows: CONTRIBUTING.md, "Figure texts").
KEPT_CELL_METADATA = ("tags", "course")
FIGURE_TEXT = "figure_text"
HEADER = ("<!-- course_utils:header -->", "<!-- /course_utils:header -->")
FOOTER = ("<!-- course_utils:footer -->", "<!-- /course_utils:footer -->")
COLAB_TAG = "colab"
COLAB_CELL_ID = "colab-install"


def _same(text: str) -> str:
    return text


COLAB_CELL_SOURCE = (
    "Colab only: install the course helpers; TensorFlow, Keras, numpy and matplotlib are Colab's own."
)
LANGUAGE_CELL_ID = "course-language"
LANGUAGE_CELL_SOURCE = (
    "The language of this notebook: the course helpers write their messages, tables, figures and checks "
    "in it."
)


def colab_cell_source(language: str = "en", tr=_same) -> str:
    """The source of the Colab-only install cell (its comment in the notebook's language)."""
    return (
        f"# {tr(COLAB_CELL_SOURCE)}\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules:\n'
        f'    %pip install -q "course-utils @ git+https://github.com/{REPOSITORY}@{BRANCH}"'
    )


def language_cell_source(language: str, tr=_same) -> str:
    """The source of a translation's language cell: sets COURSE_LANGUAGE for everything the helpers show."""
    return f"# {tr(LANGUAGE_CELL_SOURCE)}\n%env COURSE_LANGUAGE={language}"


def title_line(lesson: Lesson, tr=_same) -> str:
    """The H1 of a lesson, e.g. `# Lesson 5 · One dense layer in Keras` (tr: a translation of the texts)."""
    return "# " + tr("Lesson {number} · {title}").format(number=lesson.number, title=tr(lesson.title))


def navigation_line(lesson: Lesson, lessons: Sequence[Lesson] = LESSONS, tr=_same) -> str:
    """`← [Lesson N-1: title](prev.ipynb) · [Lesson N+1: title](next.ipynb) →`, without missing ends."""
    ordered = sorted(lessons, key=lambda item: item.number)
    position = ordered.index(lesson)
    parts = []
    if position > 0:
        previous = ordered[position - 1]
        parts.append(f"← [{_lesson_name(previous, tr)}]({previous.notebook})")
    if position + 1 < len(ordered):
        following = ordered[position + 1]
        parts.append(f"[{_lesson_name(following, tr)}]({following.notebook}) →")
    return " · ".join(parts)


def _lesson_name(lesson: Lesson, tr) -> str:
    return tr("Lesson {number}: {title}").format(number=lesson.number, title=tr(lesson.title))


HOW_TO_WORK = (
    "**How to work.** Each exercise is a code cell marked `# TODO` that says what to achieve: replace "
    "its `...` with your own code and run the cell. The `check(...)` line after it tells you that the "
    'exercise is right, or what is wrong. Stuck? `check.hint("name")` gives the idea, '
    '`check.hint("name", 2)` the shape of the code, and `check.solution("name")` a worked solution '
    "(the name is the one in the cell's `check` line). Where a cell asks for a prediction, write it "
    "down before you run the experiment: it is not graded, but comparing it with what happens is "
    "how the lesson sticks."
)
EXERCISES_FOLDER = "exercises"  # the learner edition, inside notebooks/ (and inside notebooks/<language>/)
TRANSLATIONS = {"es": "En español"}  # notebooks/<language>/: the English notebooks link to each


def header_block(
    lesson: Lesson,
    lessons: Sequence[Lesson] = LESSONS,
    exercise: bool = False,
    language: str = "en",
    tr=_same,
) -> str:
    """The generated part of the first markdown cell: Colab badge, other edition, languages, navigation."""
    folder = "notebooks" if language == "en" else f"notebooks/{language}"
    if exercise:
        url = colab_url(lesson.notebook, f"{folder}/{EXERCISES_FOLDER}")
        other = f"{tr('With the solutions:')} [../{lesson.notebook}](../{lesson.notebook})"
    else:
        url = colab_url(lesson.notebook, folder)
        other = f"{tr('Exercise version, to fill in yourself:')} [{EXERCISES_FOLDER}/{lesson.notebook}]"
        other += f"({EXERCISES_FOLDER}/{lesson.notebook})"
    badge = f"[![{tr('Open In Colab')}]({COLAB_BADGE})]({url})"
    lines = [badge, other, _languages_line(lesson, exercise, language), navigation_line(lesson, lessons, tr)]
    if exercise:
        lines.append(tr(HOW_TO_WORK))
    return _between(HEADER, lines)


def _languages_line(lesson: Lesson, exercise: bool, language: str) -> str:
    """Links to the same notebook in the other languages (English ↔ each translation)."""
    inner = f"{EXERCISES_FOLDER}/{lesson.notebook}" if exercise else lesson.notebook
    if language != "en":
        return f"In English: [{inner}](../{'../' if exercise else ''}{inner})"
    up = "../" if exercise else ""
    return " · ".join(f"{name}: [{code}/{inner}]({up}{code}/{inner})" for code, name in TRANSLATIONS.items())


def footer_block(lesson: Lesson, lessons: Sequence[Lesson] = LESSONS, tr=_same) -> str:
    """The generated part of the last markdown cell: navigation."""
    return _between(FOOTER, [navigation_line(lesson, lessons, tr)])


def _between(markers: tuple[str, str], lines: list[str]) -> str:
    return "\n\n".join([markers[0], *(line for line in lines if line), markers[1]])


def _marked(markers: tuple[str, str]) -> re.Pattern:
    return re.compile(re.escape(markers[0]) + r".*?" + re.escape(markers[1]), re.DOTALL)


def _with_header(source: str, lesson: Lesson, lessons: Sequence[Lesson], language="en", tr=_same) -> str:
    """Title from the table, then the generated block; hand-written Colab badges are dropped."""
    source = _marked(HEADER).sub("", source, count=1)
    text = "\n".join(line for line in source.split("\n") if COLAB_BADGE not in line).strip()
    first, _, rest = text.partition("\n")
    if not first.startswith("# "):
        rest = text
    header = header_block(lesson, lessons, language=language, tr=tr)
    return f"{title_line(lesson, tr)}\n\n{header}\n\n{rest.strip()}".rstrip()


def _with_footer(source: str, lesson: Lesson, lessons: Sequence[Lesson], tr=_same) -> str:
    source = _marked(FOOTER).sub("", source, count=1)
    return f"{source.rstrip()}\n\n{footer_block(lesson, lessons, tr)}".lstrip()


def _with_colab_cell(nb, language="en", tr=_same):
    """The Colab cell second, and in a translation the language cell right after it."""
    colab_cells = [c for c in nb.cells if c.cell_type == "code" and COLAB_TAG in c.metadata.get("tags", [])]
    cell = colab_cells[0] if colab_cells else nbformat.v4.new_code_cell(id=COLAB_CELL_ID)
    cell.source, cell.outputs = colab_cell_source(language, tr), []
    cell.metadata["tags"] = list(dict.fromkeys([*cell.metadata.get("tags", []), COLAB_TAG]))
    languages = [c for c in nb.cells if c.get("id") == LANGUAGE_CELL_ID]
    generated = [cell]
    if language != "en":
        chosen = languages[0] if languages else nbformat.v4.new_code_cell(id=LANGUAGE_CELL_ID)
        chosen.source = language_cell_source(language, tr)
        generated.append(chosen)
    others = [c for c in nb.cells if not any(c is g for g in [*colab_cells, *languages])]
    nb.cells = others[:1] + generated + others[1:]


def canonical_notebook(
    nb, lesson: Lesson | None = None, lessons: Sequence[Lesson] = LESSONS, language: str = "en", tr=_same
):
    """A canonical copy of nb; for a lesson, with generated title, header, footer and Colab cell.

    A translation (`language`; `tr` translates the generated texts) gets its own badge, links, Colab cell.
    """
    nb = nbformat.from_dict(_as_javascript_writes(copy.deepcopy(nb)))
    nb.nbformat, nb.nbformat_minor = 4, 5
    metadata = {"kernelspec": dict(KERNELSPEC), "language_info": _language_info(nb.metadata)}
    metadata.update({key: nb.metadata[key] for key in KEPT_NOTEBOOK_METADATA if key in nb.metadata})
    nb.metadata = nbformat.from_dict(metadata)
    for cell in nb.cells:
        old = cell.get("metadata", {})
        cell.metadata = nbformat.from_dict({key: old[key] for key in KEPT_CELL_METADATA if old.get(key)})
        cell.setdefault("id", generate_corpus_id())
    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    if lesson is not None and markdown:
        markdown[0].source = _with_header(markdown[0].source, lesson, lessons, language, tr)
        markdown[-1].source = _with_footer(markdown[-1].source, lesson, lessons, tr)
        _with_colab_cell(nb, language, tr)
    return nb


def figure_texts(cell) -> list[str]:
    """The texts saying what each image output of a code cell shows, in order (none: [])."""
    return list(cell.get("metadata", {}).get("course", {}).get(FIGURE_TEXT, []))


def _as_javascript_writes(value):
    """value with whole floats as integers (4.0 -> 4), as JupyterLab's JSON writes them on save."""
    if isinstance(value, dict):
        return {key: _as_javascript_writes(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_javascript_writes(item) for item in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _language_info(metadata) -> dict:
    """The standard language_info, with the Python version of the kernel that last ran it, if any."""
    version = metadata.get("language_info", {}).get("version")
    return {**copy.deepcopy(LANGUAGE_INFO), **({"version": version} if isinstance(version, str) else {})}


def canonical_text(nb, lesson: Lesson | None = None, lessons: Sequence[Lesson] = LESSONS) -> str:
    """The canonical file contents of nb (sorted keys, indent 1, trailing newline)."""
    return nbformat.writes(canonical_notebook(nb, lesson, lessons)) + "\n"


def canonical_file_text(path, lessons: Sequence[Lesson] = LESSONS) -> str:
    """The canonical contents of the notebook at path (a lesson if its name is in `lessons`)."""
    path = Path(path)
    nb = nbformat.read(path, as_version=4)
    return canonical_text(nb, lesson_for(path.name, lessons), lessons)


def format_notebook(path, lessons: Sequence[Lesson] = LESSONS) -> bool:
    """Rewrite the notebook at path in canonical form; return True if it changed."""
    path = Path(path)
    text = canonical_file_text(path, lessons)
    changed = text != path.read_text(encoding="utf-8")
    if changed:
        path.write_text(text, encoding="utf-8")
    return changed


def is_canonical(path, lessons: Sequence[Lesson] = LESSONS) -> bool:
    """True if the notebook at path is already in canonical form."""
    path = Path(path)
    return canonical_file_text(path, lessons) == path.read_text(encoding="utf-8")


def ruff(arguments: Sequence[str], paths: Sequence[Path], cwd=None) -> subprocess.CompletedProcess:
    """Run `ruff <arguments> <paths>` with the current Python's ruff, capturing its output."""
    command = [sys.executable, "-m", "ruff", *arguments, *map(str, paths)]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def format_project(notebooks: Sequence[Path], code_paths: Sequence[Path], cwd=None) -> list[str]:
    """Canonicalise notebooks and ruff-format/fix code_paths; return the problems ruff could not fix."""
    for path in notebooks:
        format_notebook(path)
    before = {Path(path): nbformat.read(path, as_version=4) for path in notebooks}
    problems = []
    for arguments in (["check", "--fix", "--quiet", "--output-format", "concise"], ["format", "--quiet"]):
        result = ruff(arguments, code_paths, cwd)
        if result.returncode:
            problems.append(f"ruff {arguments[0]}:\n{result.stdout}{result.stderr}".rstrip())
    for path, nb in before.items():  # take only the cell sources from ruff: its JSON round-trip alters floats
        sources = {cell.id: cell.source for cell in nbformat.read(path, as_version=4).cells}
        for cell in nb.cells:
            cell.source = sources.get(cell.id, cell.source)
        path.write_text(canonical_text(nb, lesson_for(path.name)), encoding="utf-8")
    return problems


def check_project(notebooks: Sequence[Path], code_paths: Sequence[Path], cwd=None) -> list[str]:
    """Return what is not canonical (notebook JSON, ruff format, ruff check), changing nothing."""
    problems = [f"{_shown(path, cwd)}: not in canonical form" for path in notebooks if not is_canonical(path)]
    for arguments in (["format", "--check"], ["check", "--no-fix"]):
        result = ruff([*arguments, "--output-format", "concise"], code_paths, cwd)
        if result.returncode:
            problems.append(f"ruff {' '.join(arguments)}:\n{result.stdout}{result.stderr}".rstrip())
    return problems


def _shown(path: Path, cwd) -> Path:
    """path relative to cwd when it lies inside it (shorter messages)."""
    path = Path(path).resolve()
    return path.relative_to(Path(cwd).resolve()) if cwd and path.is_relative_to(Path(cwd).resolve()) else path
