"""The Spanish edition: complete catalogues that keep the English facts, and built notebooks in step."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import nbformat
import polib
import pytest

from course_utils import checks
from course_utils.course import code_strings, runner, translate
from course_utils.course.exercises import learner_edition
from course_utils.course.lessons import LESSONS, colab_url, lesson_for
from course_utils.course.notebook_format import FOOTER, HEADER, LANGUAGE_CELL_ID
from course_utils.results import read_results

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "notebooks"
SPANISH = ENGLISH / "es"
CATALOGUES = sorted((ROOT / "locales" / "es" / "LC_MESSAGES").glob("*.po"))
LESSON_CATALOGUES = [path for path in CATALOGUES if path.stem != translate.SHARED]
ENTRIES = [
    pytest.param(entry, id=f"{path.stem}:{entry.msgctxt}")
    for path in LESSON_CATALOGUES
    for entry in polib.pofile(str(path))
    if entry.msgstr
]
BADGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\(([^)]+)\)")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")

# A number: digits, with `.`/`,` (or a thin/no-break space) between digit groups; `x_1`, `F1` are not numbers.
NUMBER = re.compile(r"(?<![\w.,])\d+(?:[.,\u00a0\u202f]\d+)*")
CODE_SPAN = re.compile(r"`[^`\n]+`")
FORMULA = re.compile(r"\$\$.+?\$\$|\$[^$\n]+\$", re.S)
HEADING = re.compile(r"^(#+) ", re.M)
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+\.)[ \t]", re.M)


def numbers(text: str) -> Counter:
    """The numbers of a text, separators removed (0.9243 = 0,9243; 55,000 = 55.000 = 55 000)."""
    return Counter(re.sub(r"\D", "", number) for number in NUMBER.findall(text))


def formulas(text: str) -> Counter:
    """The formulas of a text; words in `\\text{…}` may be translated."""
    return Counter(re.sub(r"\\text\{[^}]*\}", r"\\text{}", formula) for formula in FORMULA.findall(text))


def code_spans(text: str) -> Counter:
    return Counter(CODE_SPAN.findall(FORMULA.sub("", text)))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda path: path.stem)
def test_every_entry_is_translated_and_none_is_fuzzy(path):
    assert translate.problems(polib.pofile(str(path)), path.stem) == []


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_translation_keeps_numbers_links_code_and_formulas(entry):
    english, spanish = entry.msgid, entry.msgstr
    assert numbers(spanish) == numbers(english)
    assert Counter(LINK.findall(spanish)) == Counter(LINK.findall(english))
    assert code_spans(spanish) == code_spans(english)
    assert formulas(spanish) == formulas(english)


@pytest.mark.parametrize("entry", ENTRIES)
def test_a_translation_keeps_the_markdown_structure(entry):
    english, spanish = entry.msgid, entry.msgstr
    assert HEADING.findall(spanish) == HEADING.findall(english)
    assert len(LIST_ITEM.findall(spanish)) == len(LIST_ITEM.findall(english))
    assert spanish.count("**") == english.count("**") and spanish.count("\n\n") == english.count("\n\n")


def test_the_checks_compare_what_they_should():
    assert numbers("0.9243 y 55,000") == numbers("0,9243 and 55.000") != numbers("0.9234 and 55.000")
    assert formulas(r"$\text{output}_k$ and $x$") == formulas(r"$\text{salida}_k$ y $x$")
    assert formulas("$x^2$") != formulas("$x^3$")
    assert code_spans("`EPOCHS` and $`a`$") == code_spans("`EPOCHS` y") != code_spans("`epochs` y")
    assert len(LIST_ITEM.findall("- a\n  - b\n1. c")) == 3 and HEADING.findall("## A\n#x") == ["##"]


def test_the_built_files_are_up_to_date():
    """Catalogues, the checks' compiled catalogue and notebooks/es are what `translate es` writes."""
    stale = translate.out_of_date(translate.translation("es", ENGLISH))
    assert stale == [], "run `python -m course_utils translate es`"


def test_an_edited_english_cell_makes_its_entry_fuzzy_and_its_page_shows_the_old_translation_with_a_note(
    tmp_path,
):
    shutil.copytree(ROOT / "locales", tmp_path / "locales")
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.read(ENGLISH / "01_neuron.ipynb", as_version=4)
    cell = next(cell for cell in nb.cells if cell.id == "l01-15")
    cell.source = "Before training, the weights are random numbers."
    nb.cells.insert(3, nbformat.v4.new_markdown_cell("A new paragraph.", id="new-cell"))
    gone = nb.cells.pop(next(i for i, c in enumerate(nb.cells) if c.id == "l01-17"))
    nbformat.write(nb, tmp_path / "notebooks" / "01_neuron.ipynb")
    result = translate.translation("es", tmp_path / "notebooks", tmp_path / "locales")
    catalogue = polib.pofile(
        result.files[translate.catalogue_path("01_neuron", "es", tmp_path / "locales")].decode()
    )
    entry = next(entry for entry in catalogue if entry.msgctxt == "l01-15")
    assert "fuzzy" in entry.flags and entry.previous_msgid.startswith(
        "Before training, the weights are random"
    )
    assert entry.msgstr.startswith("Antes de entrenar")
    (kept,) = [entry for entry in catalogue.obsolete_entries() if entry.msgctxt == "l01-17"]
    assert kept.msgid == gone.source.strip() and kept.msgstr  # a removed cell's translation is kept
    assert [
        problem for problem in result.problems if "01_neuron" in problem and "outputs" not in problem
    ] == [
        "01_neuron: untranslated: new-cell: A new paragraph.",
        "01_neuron: fuzzy: l01-15: Before training, the weights are random numbers.",
    ]
    built = nbformat.reads(
        result.files[tmp_path / "notebooks" / "es" / "01_neuron.ipynb"].decode(), as_version=4
    )
    shown = {cell.id: cell.source for cell in built.cells}
    assert shown["l01-15"] == entry.msgstr + "\n\n" + SPANISH_NOTES[translate.NOT_REVIEWED]
    assert shown["new-cell"] == "A new paragraph.\n\n" + SPANISH_NOTES[translate.NOT_TRANSLATED]


SPANISH_NOTES = {
    translate.NOT_REVIEWED: "*Esta parte sigue una versión anterior del texto en inglés; su traducción "
    "espera revisión.*",
    translate.NOT_TRANSLATED: "*Esta parte aún no está traducida.*",
}


def spanish(name: str, folder: Path = SPANISH):
    path = folder / name
    if not path.exists():
        pytest.fail(f"{path.relative_to(ROOT)} is missing: run `python -m course_utils translate es`")
    return nbformat.read(path, as_version=4)


def relative_links(text: str) -> list[str]:
    return [link for link in LINK.findall(text) if "://" not in link]


def generated(nb) -> str:
    """The generated header and footer of a notebook."""
    markdown = [cell.source for cell in nb.cells if cell.cell_type == "markdown"]
    return "\n".join(
        text[text.index(start) : text.index(end)]
        for text, (start, end) in ((markdown[0], HEADER), (markdown[-1], FOOTER))
        if start in text
    )


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_a_spanish_notebook_has_its_badge_and_links_to_existing_files(lesson):
    nb = spanish(lesson.notebook)
    header = generated(nb)
    assert BADGE.findall(header) == [colab_url(lesson.notebook, "notebooks/es")]
    assert header.count(f"(../{lesson.notebook})") == 1 and nb.cells[0].source.startswith(
        f"# Lección {lesson.number} ·"
    )
    english_links = relative_links(generated(nbformat.read(ENGLISH / lesson.notebook, as_version=4)))
    for link in relative_links(header):
        english_exists = link in english_links and (ENGLISH / link).is_file()
        assert (SPANISH / link).resolve().is_file() or (
            link.startswith("exercises/") and not english_exists
        ), link
    assert f"es/{lesson.notebook}" in english_links


@pytest.mark.parametrize("path", sorted((ENGLISH / "exercises").glob("*.ipynb")), ids=lambda path: path.stem)
def test_a_spanish_learner_notebook_has_its_badge_links_and_spanish_todos(path):
    nb = spanish(path.name, SPANISH / "exercises")
    english = learner_edition(nbformat.read(ENGLISH / path.name, as_version=4), path.name)
    header = generated(nb)
    assert BADGE.findall(header) == [colab_url(path.name, "notebooks/es/exercises")]
    assert (SPANISH / "exercises" / f"../../exercises/{path.name}").resolve() == path
    assert f"(../../exercises/{path.name})" in header and f"(../{path.name})" in header
    todo = re.compile(r"# TODO: .*")
    code = code_translation(catalogue_of(path))
    english_code = [
        todo.sub("# TODO", code_strings.replaced(c.source, code))
        for c in english.cells
        if c.cell_type == "code" and not colab(c)
    ]
    spanish_code = [
        todo.sub("# TODO", c.source) for c in nb.cells if c.cell_type == "code" and not generated_cell(c)
    ]
    assert spanish_code == english_code
    prompts = {entry.msgid: entry.msgstr for entry in polib.pofile(str(catalogue_of(path)))}
    for line in (m.group() for c in english.cells for m in todo.finditer(c.source)):
        assert line.replace(line[8:], prompts[line[8:]]) in "\n".join(c.source for c in nb.cells)


def code_translation(catalogue: Path):
    """body -> its Spanish body, for the lesson's code texts."""
    done = {e.msgid: e.msgstr for e in polib.pofile(str(catalogue)) if e.msgctxt == "code" and not e.obsolete}
    return lambda body: done.get(body, body)


def generated_cell(cell) -> bool:
    return colab(cell) or cell.get("id") == LANGUAGE_CELL_ID


def code_cells(nb) -> list:
    return [cell for cell in nb.cells if cell.cell_type == "code"]


def colab(cell) -> bool:
    return "colab" in cell.metadata.get("tags", [])


def catalogue_of(path: Path) -> Path:
    return translate.catalogue_path(lesson_for(path.name).stem, "es")


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.stem)
def test_the_code_is_the_english_code_with_its_texts_translated_and_a_cell_sets_the_language(lesson):
    english, nb = nbformat.read(ENGLISH / lesson.notebook, as_version=4), spanish(lesson.notebook)
    code = code_translation(catalogue_of(SPANISH / lesson.notebook))
    own = [cell for cell in code_cells(nb) if not generated_cell(cell)]
    for source, copy in zip([c for c in code_cells(english) if not colab(c)], own, strict=True):
        english_code = BEGIN_PROMPT.sub("# BEGIN SOLUTION", code_strings.replaced(source.source, code))
        assert BEGIN_PROMPT.sub("# BEGIN SOLUTION", copy.source) == english_code
    first = code_cells(nb)[:2]
    assert colab(first[0]) and first[0].source.startswith("# Solo en Colab: instala")
    assert first[1].id == LANGUAGE_CELL_ID and first[1].source == (
        "# El idioma de este cuaderno: las utilidades del curso escriben en él sus mensajes, tablas, figuras "
        "y comprobaciones.\n%env COURSE_LANGUAGE=es"
    )
    assert nb.metadata["course_utils"]["language"] == "es"  # outputs of its own run


BEGIN_PROMPT = re.compile(r"# BEGIN SOLUTION: .*")


@pytest.mark.parametrize("path", LESSON_CATALOGUES, ids=lambda path: path.stem)
def test_every_code_text_translation_keeps_the_literal_valid_and_its_fields(path):
    code = code_translation(path)
    nb = nbformat.read(ENGLISH / f"{path.stem}.ipynb", as_version=4)
    literals = [
        literal
        for cell in code_cells(nb)
        if not colab(cell)
        for literal in code_strings.literals(cell.source)
        if code_strings.is_message(literal)
    ]
    assert literals
    for literal in literals:
        spanish_body = code(literal.body)
        assert code_strings.problem(literal.body, spanish_body, literal.prefix, literal.quote) is None, (
            literal.body,
            spanish_body,
        )


def test_the_spanish_readme_links_every_lesson_and_existing_files():
    readme = (ROOT / "README.es.md").read_text(encoding="utf-8")
    links = relative_links(readme)
    assert [link for link in links if not (ROOT / link.split("#")[0]).is_file()] == []
    assert {f"notebooks/es/{lesson.notebook}" for lesson in LESSONS} <= set(links)
    assert "(README.es.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_a_check_answers_in_the_language_of_course_language(monkeypatch):
    monkeypatch.setenv("COURSE_LANGUAGE", "es")
    with pytest.raises(
        checks.ExerciseNotDone, match=r"^el ejercicio 1 aún no está hecho: la función logística"
    ):
        checks.check("lesson01.sigmoid", ...)
    with pytest.raises(checks.ExerciseWrong, match=r"\(una pista: check.hint\(\"lesson01.sigmoid\"\)\)$"):
        checks.check("lesson01.sigmoid", lambda z: z)
    with pytest.raises(
        checks.ExerciseWrong, match=r"^ejercicio 1: sigmoid\(z\) tiene forma \(2,\), se esperaba \(3,\)"
    ):
        checks.check("lesson01.sigmoid", lambda z: z[:2])
    monkeypatch.setenv("COURSE_LANGUAGE", "en")
    with pytest.raises(checks.ExerciseNotDone, match=r"^exercise 1 is not done yet: the logistic function"):
        checks.check("lesson01.sigmoid", ...)
    with pytest.raises(
        checks.ExerciseWrong, match=r"^exercise 1: sigmoid\(z\) has shape \(2,\), expected \(3,\)"
    ):
        checks.check("lesson01.sigmoid", lambda z: z[:2])


FIELD = re.compile(r"\{[^{}]*\}")


def test_every_check_message_is_in_the_catalogue_and_keeps_its_fields():
    """Each `_say("…")` of the checks is a catalogue entry whose translation fills the same fields."""
    shared = polib.pofile(str(translate.catalogue_path(translate.SHARED, "es")))
    problems = {entry.msgid: entry.msgstr for entry in shared if entry.msgctxt == "check problem"}
    templates = translate.problem_templates()
    assert len(templates) > 60 and set(templates) == set(problems)
    for english, spanish in problems.items():  # a "," grouping may go: Spanish does not group with commas
        fields = Counter(FIELD.findall(spanish))
        assert fields in (
            Counter(FIELD.findall(english)),
            Counter(FIELD.findall(english.replace(":,}", "}").replace(":,", ":"))),
        ), english


def test_stored_check_lines_are_translated():
    shared = polib.pofile(str(translate.catalogue_path(translate.SHARED, "es")))
    lines = translate._check_lines(shared)
    assert translate._translated_line("✓ exercise 2 is right (lesson01.step)", lines) == (
        "✓ el ejercicio 2 está bien (lesson01.step)"
    )
    assert translate._translated_line("loss 0.1234", lines) == "loss 0.1234"


def test_the_runner_runs_spanish_lesson_1_with_the_english_result(tmp_path, monkeypatch):
    """About 10 s (lesson 1 needs no TensorFlow); built from the catalogues, so it runs before a rebuild."""
    result = translate.translation("es", ENGLISH, output_dir=tmp_path / "es")
    notebook = tmp_path / "es" / "01_neuron.ipynb"
    notebook.parent.mkdir()
    notebook.write_bytes(result.files[notebook])
    monkeypatch.setenv("PYTHONPATH", str(ROOT))  # the kernel imports this checkout's course_utils
    lesson = lesson_for("01_neuron.ipynb")
    assert runner.find_notebooks_dir(notebook.parent) == notebook.parent
    (run,) = runner.run_course(
        (lesson,),
        notebook.parent,
        tmp_path / "out",
        "quick",
        log=lambda *a, **k: None,
        lock_path=tmp_path / "lock",
    )
    assert run.failure is None and run.passed
    assert run.metrics == read_results(nbformat.read(ENGLISH / lesson.notebook, as_version=4))
    executed = nbformat.read(run.path, as_version=4)
    printed = "".join(o.get("text", "") for c in executed.cells if c.cell_type == "code" for o in c.outputs)
    assert "✓ el ejercicio 1 está bien (lesson01.sigmoid)" in printed


def test_lesson_12_names_its_variants_as_its_check_expects_them_in_spanish(monkeypatch):
    """The Spanish notebook's variant names (code texts) are the names the check asks for in Spanish."""
    from course_utils import i18n
    from course_utils.checks import lesson12

    code = code_translation(translate.catalogue_path("12_your_handwriting", "es"))
    monkeypatch.setenv("COURSE_LANGUAGE", "es")
    i18n._catalogue.cache_clear()
    try:
        spanish_names = lesson12._variant_names()
    finally:
        i18n._catalogue.cache_clear()
    assert [code(name) for name in lesson12._VARIANTS] == spanish_names
    assert spanish_names != list(lesson12._VARIANTS)


def test_a_worked_solution_is_shown_as_the_spanish_notebook_writes_it(monkeypatch, capsys):
    from course_utils import i18n

    monkeypatch.setenv("COURSE_LANGUAGE", "es")
    i18n._catalogue.cache_clear()
    try:
        checks.solution("lesson12.variants")
    finally:
        i18n._catalogue.cache_clear()
    shown = capsys.readouterr().out
    assert '"3, lápiz de 4 px": to_mnist(render_strokes(strokes[3], width=4))' in shown
    assert "pen 4 px" not in shown


def test_in_spanish_the_variants_check_wants_the_spanish_names_and_names_each_mistake(monkeypatch):
    """The right variants under their Spanish names pass; English names, or swapped pens, are called
    wrong in Spanish, and no message shows the solution's code."""
    from course_utils import i18n
    from course_utils.checks import lesson12
    from tests.exercise_answers.lesson12 import right_variants, variant_inputs

    english = right_variants()
    monkeypatch.setenv("COURSE_LANGUAGE", "es")
    i18n._catalogue.cache_clear()
    try:
        spanish = dict(zip(lesson12._variant_names(), english.values(), strict=True))
        checks.check("lesson12.variants", spanish, *variant_inputs())  # passes: no exception
        with pytest.raises(checks.ExerciseWrong, match="3, lápiz de 4 px") as wrong_names:
            checks.check("lesson12.variants", dict(english), *variant_inputs())
        swapped = dict(spanish)
        names = lesson12._variant_names()
        swapped[names[0]], swapped[names[1]] = spanish[names[1]], spanish[names[0]]
        with pytest.raises(checks.ExerciseWrong, match="intercambiad") as wrong_pens:
            checks.check("lesson12.variants", swapped, *variant_inputs())
    finally:
        i18n._catalogue.cache_clear()
    for error in (wrong_names, wrong_pens):
        assert "render_strokes" not in str(error.value) and "to_mnist(" not in str(error.value)
