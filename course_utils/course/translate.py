"""Translations of the lessons: gettext catalogues (one per notebook) of the English markdown and prompts.

The English notebooks are the only source. Each markdown cell is one message (context: the cell id;
the generated title, header and footer are left out: they are made anew in each language), and each
learner prompt (`# BEGIN SOLUTION: <prompt>`) is one message (context: `<cell id>:prompt:<n>`), and so is
each figure text of a code cell (what its n-th image shows; context: `<cell id>:figure:<n>`).
The shared catalogue (`shared.po`) holds the lesson titles, the generated header's texts, the website's
texts (`site.SITE_TEXTS`) and the exercise checks' messages (compiled into the package for
`course_utils.i18n`).

`translation()` brings the catalogues up to date and builds `notebooks/<language>/` (and its
`exercises/`): the English notebooks with their markdown translated, code and outputs kept. An entry
that is untranslated or fuzzy (its English text changed) leaves its cell in English and is reported;
`python -m course_utils translate <language> --check` fails on it.
"""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import polib

from ..i18n import DOMAIN
from ..i18n import LOCALE_DIR as LOCALE_PACKAGE_DIR
from . import code_strings
from .exercises import BEGIN, learner_edition, solution_blocks
from .lessons import LESSONS
from .notebook_format import (
    COLAB_CELL_SOURCE,
    COLAB_TAG,
    EXERCISES_FOLDER,
    FIGURE_TEXT,
    FOOTER,
    HEADER,
    HOW_TO_WORK,
    LANGUAGE_CELL_SOURCE,
    _marked,
    canonical_notebook,
    figure_texts,
    header_block,
)

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
    found, code = [], {}
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
        for number, text in enumerate(figure_texts(cell), start=1):
            found.append((f"{cell.id}:figure:{number}", text))
        if cell.cell_type == "code" and COLAB_TAG not in cell.metadata.get("tags", []):
            code.update(dict.fromkeys(code_strings.messages(cell.source)))
    return found + [(code_strings.CONTEXT, text) for text in code]


# ---- updating the catalogues -------------------------------------------------------------------------

SHARED = "shared"
# The notes under a markdown cell whose translation waits: its English text changed, or it is new.
NOT_REVIEWED = "*This part follows an older version of the English text; its translation awaits review.*"
NOT_TRANSLATED = "*This part is not translated yet.*"
HEADER_TEXTS = (
    "Lesson {number} · {title}",
    "Lesson {number}: {title}",
    "Open In Colab",
    "Exercise version, to fill in yourself:",
    "With the solutions:",
    HOW_TO_WORK,
    COLAB_CELL_SOURCE,
    LANGUAGE_CELL_SOURCE,
    NOT_REVIEWED,
    NOT_TRANSLATED,
)


def catalogue_path(stem: str, language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    """`<locales>/<language>/LC_MESSAGES/<stem>.po`."""
    return Path(locales_dir) / language / "LC_MESSAGES" / f"{stem}.po"


def _new_catalogue(language: str) -> polib.POFile:
    catalogue = polib.POFile(wrapwidth=0)
    catalogue.metadata = {
        "Project-Id-Version": "open-dl-course",
        "Language": language,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    return catalogue


def updated_catalogue(found: list[tuple[str, str]], old: polib.POFile | None, language: str) -> polib.POFile:
    """A catalogue of the (context, English text) messages, keeping old translations.

    An unchanged message keeps its translation and flags; a message whose English text changed (same
    context, when the context is unique: a cell id) keeps the old translation marked fuzzy, with the
    previous English text; a new message is untranslated. A translation that no message uses any more is
    kept as an obsolete entry (`#~`), never dropped.
    """
    catalogue = _new_catalogue(language)
    used = set()
    for context, text in found:
        entry = polib.POEntry(msgctxt=context, msgid=text, msgstr="")
        previous = old.find(text, msgctxt=context) if old else None
        if previous is not None and not previous.obsolete:
            entry.msgstr, entry.flags = previous.msgstr, list(previous.flags)
            entry.previous_msgid = previous.previous_msgid if "fuzzy" in previous.flags else None
            used.add(id(previous))
        elif old is not None and context != code_strings.CONTEXT:
            same_key = [e for e in old if e.msgctxt == context and not e.obsolete]
            same_key = same_key[0] if len(same_key) == 1 and same_key[0].msgstr else None
            if same_key is not None:  # the cell's English text changed: keep its translation, marked fuzzy
                entry.msgstr, entry.flags = same_key.msgstr, ["fuzzy"]
                entry.previous_msgid = same_key.previous_msgid or same_key.msgid
                used.add(id(same_key))
        catalogue.append(entry)
    current = {(entry.msgctxt, entry.msgid) for entry in catalogue}
    for entry in old or []:
        if entry.msgstr and id(entry) not in used and (entry.msgctxt, entry.msgid) not in current:
            kept = polib.POEntry(msgctxt=entry.msgctxt, msgid=entry.msgid, msgstr=entry.msgstr, obsolete=True)
            catalogue.append(kept)
            current.add((entry.msgctxt, entry.msgid))
    return catalogue


def _old(path: Path) -> polib.POFile | None:
    return polib.pofile(str(path), wrapwidth=0) if path.exists() else None


def lesson_catalogue(notebook: Path, language: str, locales_dir: Path = LOCALES_DIR) -> polib.POFile:
    """The lesson's catalogue brought up to date with its English notebook (not saved)."""
    found = messages(nbformat.read(notebook, as_version=4))
    return updated_catalogue(
        found, _old(catalogue_path(Path(notebook).stem, language, locales_dir)), language
    )


def update_catalogue(notebook: Path, language: str, locales_dir: Path = LOCALES_DIR) -> Path:
    """Create or update `<locales>/<language>/LC_MESSAGES/<stem>.po` from the English notebook."""
    path = catalogue_path(Path(notebook).stem, language, locales_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    lesson_catalogue(notebook, language, locales_dir).save(str(path))
    return path


def shared_messages() -> list[tuple[str, str]]:
    """(context, English text) of the shared catalogue: titles, header and site texts, checks' messages."""
    from .. import predictions
    from ..checks import EXERCISES, MESSAGES
    from ..solutions import SOLUTIONS
    from .site import SITE_TEXTS

    found = [("lesson title", lesson.title) for lesson in LESSONS]
    found += [("header", text) for text in HEADER_TEXTS]
    found += [("site", text) for text in SITE_TEXTS]
    found += [("check", text) for text in MESSAGES]
    exercises = list(EXERCISES.values())
    found += [("check prompt", text) for text in dict.fromkeys(e.prompt for e in exercises)]
    found += [("check hint", text) for text in dict.fromkeys(h for e in exercises for h in e.hints)]
    found += [("check problem", text) for text in problem_templates()]
    found += [("prediction", text) for text in predictions.MESSAGES]
    found += package_messages()
    found += [(f"solution {name}", code) for name, code in SOLUTIONS.items()]
    return found


def package_messages() -> list[tuple[str, str]]:
    """(context, English text) of every `translated("<context>", "<text>")` in the modules lessons import
    (course_utils/*.py and the checks, via Babel), module by module in name order."""
    from babel.messages.extract import extract_from_file

    package = Path(__file__).resolve().parents[1]
    found = [
        (context, message)
        for module in [*sorted(package.glob("*.py")), *sorted(package.glob("checks/*.py"))]
        for _, message, _, context in extract_from_file(
            "python", module, keywords={"translated": ((1, "c"), 2)}
        )
        if context and isinstance(message, str)
    ]
    return list(dict.fromkeys(found))


def problem_templates() -> list[str]:
    """The checks' "what is wrong" templates: each `_say("…")` in the modules of course_utils/checks/
    (via Babel), module by module in name order."""
    from babel.messages.extract import extract_from_file

    from .. import checks

    templates = [
        message
        for module in sorted(Path(checks.__file__).parent.glob("*.py"))
        for _, message, _, _ in extract_from_file("python", module, keywords={"_say": None})
    ]
    return list(dict.fromkeys(templates))


def shared_catalogue(
    language: str, lessons: dict[int, polib.POFile], locales_dir: Path = LOCALES_DIR
) -> polib.POFile:
    """The shared catalogue brought up to date; a check's prompt that is also a lesson's learner prompt
    takes that prompt's translation (one wording for both), and a worked solution is its lesson's code with
    the lesson's code texts translated (`lessons`: the lesson catalogues, by lesson number)."""
    catalogue = updated_catalogue(
        shared_messages(), _old(catalogue_path(SHARED, language, locales_dir)), language
    )
    prompts = {
        entry.msgid: entry.msgstr
        for lesson in lessons.values()
        for entry in lesson
        if ":prompt:" in (entry.msgctxt or "") and entry.msgstr and "fuzzy" not in entry.flags
    }
    for entry in catalogue:
        if entry.msgctxt == "check prompt" and entry.msgid in prompts:
            entry.msgstr, entry.flags, entry.previous_msgid = prompts[entry.msgid], [], None
        if entry.msgctxt.startswith("solution ") and not entry.obsolete:  # with its lesson's code texts
            lesson = lessons.get(int(entry.msgctxt.removeprefix("solution lesson")[:2]))
            code = _code_translations(lesson) if lesson is not None else (lambda body: body)
            entry.msgstr = code_strings.replaced(entry.msgid, code)
            entry.flags, entry.previous_msgid = [], None
    return catalogue


def problems(catalogue: polib.POFile, name: str) -> list[str]:
    """The catalogue's untranslated and fuzzy entries, one line each."""
    return [
        f"{name}: {_state(entry)}: {entry.msgctxt}: {_start(entry.msgid)}"
        for entry in catalogue
        if not entry.obsolete and (not entry.msgstr or "fuzzy" in entry.flags)
    ]


def _state(entry: polib.POEntry) -> str:
    return "fuzzy" if "fuzzy" in entry.flags else "untranslated"


def _start(text: str) -> str:
    line = text.split("\n")[0]
    return line if len(line) <= 60 else line[:57] + "..."


# ---- building the translated notebooks ---------------------------------------------------------------


def _done_entries(catalogue: polib.POFile) -> list[polib.POEntry]:
    """The entries whose translation is done: not empty, not fuzzy, not obsolete."""
    return [e for e in catalogue if e.msgstr and "fuzzy" not in e.flags and not e.obsolete]


def _translations(catalogue: polib.POFile) -> dict[str, tuple[str, str]]:
    """context → (English text, translation) of the finished entries keyed by cell (not code texts)."""
    return {
        entry.msgctxt: (entry.msgid, entry.msgstr)
        for entry in _done_entries(catalogue)
        if entry.msgctxt != code_strings.CONTEXT
    }


def _generated_texts(shared: polib.POFile):
    """tr(text) for the generated title, header and footer: the shared translation, else the text."""
    finished = {
        entry.msgid: entry.msgstr
        for entry in shared
        if entry.msgctxt in ("lesson title", "header") and entry.msgstr and "fuzzy" not in entry.flags
    }
    return lambda text: finished.get(text, text)


def translated_notebook(nb, lesson, catalogue: polib.POFile, shared: polib.POFile, language: str):
    """The English lesson with its markdown, figure texts, prompts and code texts translated.

    Outputs stay the English ones (with the checks' lines translated) until `with_own_outputs` puts in
    those of the translated notebook's own run. A markdown cell whose entry is fuzzy shows its old
    translation with a note; an untranslated one stays in English with a note (`problems` lists both).
    """
    nb = copy.deepcopy(nb)
    done = _translations(catalogue)
    waiting = {entry.msgctxt: entry.msgstr for entry in catalogue if entry.msgstr and "fuzzy" in entry.flags}
    tr = _generated_texts(shared)
    markdown = [cell for cell in nb.cells if cell.cell_type == "markdown"]
    for cell in markdown:
        own = translatable_text(cell.source, cell is markdown[0], cell is markdown[-1])
        english, spanish = done.get(cell.id, (None, None))
        if english == own and own:
            cell.source = spanish
        elif own and cell.id in waiting:
            cell.source = f"{waiting[cell.id]}\n\n{tr(NOT_REVIEWED)}"
        elif own:
            cell.source = f"{own}\n\n{tr(NOT_TRANSLATED)}"
        else:
            cell.source = own
    checks = _check_lines(shared)
    code = _code_translations(catalogue)
    for cell in nb.cells:
        texts = figure_texts(cell)
        if texts:
            cell.metadata["course"][FIGURE_TEXT] = [
                _finished(done, f"{cell.id}:figure:{number}", text) for number, text in enumerate(texts, 1)
            ]
        if cell.cell_type == "code" and COLAB_TAG not in cell.metadata.get("tags", []):
            cell.source = _translated_prompts(code_strings.replaced(cell.source, code), cell.id, done)
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                output["text"] = "\n".join(
                    _translated_line(line, checks) for line in output["text"].split("\n")
                )
    return canonical_notebook(nb, lesson, LESSONS, language, tr)


def _code_translations(catalogue: polib.POFile):
    """translation(body) of the lesson's code texts: the finished translation, else the English body."""
    finished = {
        entry.msgid: entry.msgstr
        for entry in _done_entries(catalogue)
        if entry.msgctxt == code_strings.CONTEXT
    }
    return lambda body: finished.get(body, body)


def _translated_prompts(source: str, cell_id: str, done) -> str:
    """source with each `# BEGIN SOLUTION: <prompt>` line's prompt translated (when finished)."""
    lines, number = source.split("\n"), 0
    for index, line in enumerate(lines):
        match = BEGIN.match(line)
        if match and match["rest"].strip().startswith(":"):
            number += 1
            english, spanish = done.get(f"{cell_id}:prompt:{number}", (None, None))
            if english == match["rest"].strip()[1:].strip():
                lines[index] = f"{match['indent']}# BEGIN SOLUTION: {spanish}"
    return "\n".join(lines)


def with_own_outputs(translated, executed, language: str):
    """`translated` with the outputs of its own run (`executed`: the stored translated notebook), or None
    when that run is missing or ran other code (then the translated notebook must be executed again)."""
    if executed is None or executed.metadata.get("course_utils", {}).get("language") != language:
        return None
    code = [(cell.id, cell.source) for cell in translated.cells if cell.cell_type == "code"]
    ran = {cell.id: cell for cell in executed.cells if cell.cell_type == "code"}
    if code != [(cell_id, ran[cell_id].source) for cell_id, _ in code if cell_id in ran]:
        return None
    translated = copy.deepcopy(translated)
    for cell in translated.cells:
        if cell.cell_type == "code":
            cell.outputs = copy.deepcopy(ran[cell.id].outputs)
            cell.execution_count = ran[cell.id].execution_count
    translated.metadata["course_utils"] = copy.deepcopy(executed.metadata["course_utils"])
    return translated


def _finished(done: dict[str, tuple[str, str]], context: str, english: str) -> str:
    """The finished translation of the message `context` if its English text is `english`, else `english`."""
    source, translated = done.get(context, (None, None))
    return translated if source == english else english


def _check_lines(shared: polib.POFile) -> list[tuple[re.Pattern, str]]:
    """(pattern of an English one-line check message, its translation), for stored outputs."""
    found = []
    for entry in shared:
        if (
            entry.msgctxt == "check"
            and entry.msgstr
            and "fuzzy" not in entry.flags
            and "\n" not in entry.msgid
        ):
            parts = re.split(r"\{(\w+)\}", entry.msgid)
            pattern = "".join(
                re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts)
            )
            found.append((re.compile(f"^{pattern}$"), entry.msgstr))
    return found


def _translated_line(line: str, checks) -> str:
    for pattern, translation in checks:
        match = pattern.match(line)
        if match:
            return translation.format(**match.groupdict())
    return line


def translated_learner_edition(
    translated, lesson, catalogue: polib.POFile, shared: polib.POFile, language: str
):
    """The learner edition of a translated lesson (its prompts are translated already): its own header."""
    learner = learner_edition(translated, lesson.notebook)
    tr = _generated_texts(shared)
    markdown = [cell for cell in learner.cells if cell.cell_type == "markdown"]
    header = header_block(lesson, LESSONS, exercise=True, language=language, tr=tr)
    markdown[0].source = _marked(HEADER).sub(lambda _: header, markdown[0].source, count=1)
    return learner


@dataclass
class Translation:
    """Everything `translate <language>` writes: catalogues, the compiled checks' catalogue, notebooks."""

    files: dict[Path, bytes]
    problems: list[str]
    messages: int


def translation(language: str, notebooks_dir: Path, locales_dir: Path = LOCALES_DIR, output_dir=None):
    """Compute (write nothing) the updated catalogues and the translated notebooks of every lesson."""
    notebooks_dir = Path(notebooks_dir)
    output_dir = Path(output_dir) if output_dir is not None else notebooks_dir / language
    files, found, count, catalogues = {}, [], 0, []
    lessons = [lesson for lesson in LESSONS if (notebooks_dir / lesson.notebook).exists()]
    for lesson in lessons:
        catalogue = lesson_catalogue(notebooks_dir / lesson.notebook, language, locales_dir)
        catalogues.append(catalogue)
        files[catalogue_path(lesson.stem, language, locales_dir)] = _saved(catalogue)
        found += problems(catalogue, lesson.stem)
        count += len(catalogue)
    by_number = {lesson.number: catalogue for lesson, catalogue in zip(lessons, catalogues, strict=True)}
    shared = shared_catalogue(language, by_number, locales_dir)
    files[catalogue_path(SHARED, language, locales_dir)] = _saved(shared)
    found += problems(shared, SHARED)
    count += len(shared)
    files[LOCALE_PACKAGE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"] = _saved(shared, compiled=True)
    for lesson, catalogue in zip(lessons, catalogues, strict=True):
        english = nbformat.read(notebooks_dir / lesson.notebook, as_version=4)
        translated = translated_notebook(english, lesson, catalogue, shared, language)
        stored = output_dir / lesson.notebook
        own = with_own_outputs(
            translated, nbformat.read(stored, as_version=4) if stored.exists() else None, language
        )
        if own is None:
            found.append(
                f"{lesson.stem}: its outputs are not from a run of the translated notebook: "
                f"python -m course_utils regenerate --language {language} --only {lesson.number}"
            )
        translated = own or translated
        files[output_dir / lesson.notebook] = (nbformat.writes(translated) + "\n").encode()
        if (notebooks_dir / EXERCISES_FOLDER / lesson.notebook).exists():  # lessons with a learner edition
            learner = translated_learner_edition(translated, lesson, catalogue, shared, language)
            files[output_dir / EXERCISES_FOLDER / lesson.notebook] = (
                nbformat.writes(learner) + "\n"
            ).encode()
    return Translation(files, found, count)


def _saved(catalogue: polib.POFile, compiled: bool = False) -> bytes:
    """The bytes polib writes for the catalogue (.po, or compiled .mo), as a translator's save would."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "catalogue"
        catalogue.save_as_mofile(str(path)) if compiled else catalogue.save(str(path))
        return path.read_bytes()


def out_of_date(result: Translation) -> list[Path]:
    """The files of a translation that differ from (or are missing on) disk."""
    return [path for path, data in result.files.items() if not path.exists() or not _same(path, data)]


def _same(path: Path, data: bytes) -> bool:
    """The file holds data; a catalogue may end with extra newlines (a translator's editor adds one)."""
    text = path.read_bytes()
    return text.rstrip(b"\n") == data.rstrip(b"\n") if path.suffix == ".po" else text == data


def write(result: Translation) -> list[Path]:
    """Write the files that changed; return them."""
    changed = out_of_date(result)
    for path in changed:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(result.files[path])
    return changed
