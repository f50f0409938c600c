"""The course's website: a Sphinx source tree per language made from the stored notebooks, and its build.

`python -m course_utils site` writes `build/site-work/<language>/src/` (the home page from the README, one
page per lesson and per learner notebook, the instructor answers) and builds it with Sphinx, myst-nb and
sphinx-book-theme (configuration: `website/conf.py`) into `build/site/` (English) and `build/site/es/`.
Nothing is executed: the pages show the notebooks' stored outputs.

The module is also the site's Sphinx extension: the figure texts of a cell become its images' alt text,
every page links to its counterpart in the other language, and formulas become MathML (no script).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import polib

from .lessons import BRANCH, LESSONS, REPOSITORY, colab_url
from .notebook_format import EXERCISES_FOLDER, HEADER, _marked, navigation_line, title_line
from .runner import PROJECT_ROOT
from .translate import SHARED, catalogue_path

SITE_URL = "https://open-dl-course.github.io/mnist-course/"
CONF_DIR = PROJECT_ROOT / "website"
LANGUAGES = {"en": "English", "es": "Español"}  # English is the site's root; each other language a folder
NOTEBOOK_FOLDERS = {"en": "notebooks", "es": "notebooks/es"}  # in the repository, as the Colab badges say
READMES = {"en": "README.md", "es": "README.es.md"}
DOWNLOADS = "_ipynb"  # the notebooks as stored, for the download links (not pages)
TITLE = "Deep learning from one neuron to 99.5 % on MNIST"
SITE_TEXTS = (  # translated in locales/<language>/LC_MESSAGES/shared.po (context "site")
    TITLE,
    "Open the exercise version in Colab",
    "Download the notebook",
    "{title} (exercise version)",
    "Lessons",
    "Exercises (learner edition)",
    "For instructors",
    "Instructor answers",
    "The measured answers to the end-of-lesson exercises are in English only: {link}.",
)
REQUIRED = ("sphinx", "myst_nb", "sphinx_book_theme", "latex2mathml")  # requirements-site.txt
GENERATED_TEXTS = ("lesson title", "header", "site")  # the shared catalogue's contexts the site uses


def translator(language: str):
    """tr(text): the finished translation of a title, header or site text (English: the text itself)."""
    if language == "en":
        return lambda text: text
    catalogue = polib.pofile(str(catalogue_path(SHARED, language)))
    done = {
        entry.msgid: entry.msgstr
        for entry in catalogue
        if entry.msgctxt in GENERATED_TEXTS and entry.msgstr and "fuzzy" not in entry.flags
    }
    return lambda text: done.get(text, text)


def notebook_dir(language: str) -> Path:
    return PROJECT_ROOT / NOTEBOOK_FOLDERS[language]


# ---- the source tree ---------------------------------------------------------------------------------


def sources(language: str) -> dict[str, str | bytes]:
    """The files of one language's source tree, by path inside it."""
    tr, folder, files = translator(language), notebook_dir(language), {}
    for lesson in LESSONS:
        for name in (lesson.notebook, f"{EXERCISES_FOLDER}/{lesson.notebook}"):
            path = folder / name
            if path.exists():
                files[name] = page_notebook(path, lesson, name != lesson.notebook, language, tr)
                files[f"{DOWNLOADS}/{name}"] = path.read_bytes()
    files["index.md"] = home_page(language, files, tr)
    files["answers.md"] = answers_page(language, tr)
    return files


def page_notebook(path: Path, lesson, exercise: bool, language: str, tr) -> str:
    """The notebook as its page shows it: the generated header made for the web (links, Colab, download)."""
    nb = nbformat.read(path, as_version=4)
    first = next(cell for cell in nb.cells if cell.cell_type == "markdown")
    source = _marked(HEADER).sub(lambda _: site_header(lesson, exercise, language, tr), first.source, count=1)
    if exercise:
        source = source.replace(title_line(lesson, tr), "# " + exercise_title(lesson, tr), 1)
    first.source = source
    return nbformat.writes(nb) + "\n"


def exercise_title(lesson, tr) -> str:
    return tr("{title} (exercise version)").format(title=title_line(lesson, tr)[2:])


def site_header(lesson, exercise: bool, language: str, tr) -> str:
    """Colab links (the badges' URLs), a download link, the other edition, the previous and next lessons."""
    folder = NOTEBOOK_FOLDERS[language]
    learner_colab = colab_url(lesson.notebook, f"{folder}/{EXERCISES_FOLDER}")
    if exercise:
        links = [f"[{tr('Open In Colab')}]({learner_colab})"]
        other = f"{tr('With the solutions:')} [{title_line(lesson, tr)[2:]}](../{lesson.notebook})"
    else:
        links = [
            f"[{tr('Open In Colab')}]({colab_url(lesson.notebook, folder)})",
            f"[{tr('Open the exercise version in Colab')}]({learner_colab})",
        ]
        other = f"{tr('Exercise version, to fill in yourself:')} [{exercise_title(lesson, tr)}]"
        other += f"({EXERCISES_FOLDER}/{lesson.notebook})"
    stored = f"../{DOWNLOADS}/{EXERCISES_FOLDER}" if exercise else DOWNLOADS
    links.append(f"[{tr('Download the notebook')} ({lesson.notebook})](path:{stored}/{lesson.notebook})")
    lines = [" · ".join(links), other, navigation_line(lesson, LESSONS, tr)]
    return "\n\n".join([HEADER[0], *lines, HEADER[1]])


MARKDOWN_LINK = re.compile(r"(?<!!)\[([^\]]+)\]\(([^)\s]+)\)")


def home_page(language: str, files, tr) -> str:
    """The README of the language, its links made to work on the site, then the site's page order."""
    text = (PROJECT_ROOT / READMES[language]).read_text(encoding="utf-8")
    text = MARKDOWN_LINK.sub(lambda match: _site_link(match[1], match[2], language, files), text)
    lessons = [name.removesuffix(".ipynb") for name in files if "/" not in name and name.endswith(".ipynb")]
    learner = [name.removesuffix(".ipynb") for name in files if name.startswith(EXERCISES_FOLDER + "/")]
    tables = [(tr("Lessons"), lessons), (tr("Exercises (learner edition)"), learner)]
    tables.append((tr("For instructors"), ["answers"]))
    for caption, pages in tables:
        text += f"\n```{{toctree}}\n:hidden:\n:caption: {caption}\n\n" + "\n".join(pages) + "\n```\n"
    return text


def _site_link(text: str, target: str, language: str, files) -> str:
    """A README link as the site needs it: a notebook's page, the other language's home, or GitHub."""
    if "://" in target or target.startswith("#"):
        return f"[{text}]({target})"
    path, _, anchor = target.partition("#")
    folder = NOTEBOOK_FOLDERS[language] + "/"
    if path.startswith(folder) and path[len(folder) :] in files:
        return f"[{text}]({target[len(folder) :]})"
    for other, readme in READMES.items():
        if path == readme and other != language:  # another Sphinx build: a plain HTML link
            home = "es/index.html" if other != "en" else "../index.html"
            return f'<a href="{home}{"#" + anchor if anchor else ""}">{text}</a>'
    return f"[{text}](https://github.com/{REPOSITORY}/blob/{BRANCH}/{target})"


def answers_page(language: str, tr) -> str:
    """The instructor answers (English only; another language's page links to them)."""
    if language == "en":
        return (PROJECT_ROOT / "instructor" / "answers.md").read_text(encoding="utf-8")
    link = f'<a href="../answers.html" hreflang="en">{tr("Instructor answers")}</a>'
    return (
        f"# {tr('Instructor answers')}\n\n"
        + tr("The measured answers to the end-of-lesson exercises are in English only: {link}.").format(
            link=link
        )
        + "\n"
    )


def write_sources(folder: Path, language: str) -> None:
    """Write a language's source tree into folder."""
    for name, data in sources(language).items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)


# ---- the build -------------------------------------------------------------------------------------


def build(output: Path, work: Path, log=print) -> int:
    """Write the source trees into work/<language>/ and build them all at once, from scratch, warnings as
    errors; then English becomes output/ and each other language output/<language>/. Returns 0 when every
    build passed."""
    start = time.monotonic()
    shutil.rmtree(work, ignore_errors=True)
    builds = {}
    for language in LANGUAGES:
        folder = work / language  # myst-nb writes outputs beside the HTML folder: one folder per build
        write_sources(folder / "src", language)
        command = [sys.executable, "-m", "sphinx", "-b", "html", "-W", "--keep-going", "-q", "-c", CONF_DIR]
        command += ["-d", folder / "doctrees", folder / "src", folder / "html"]
        env = {**os.environ, "COURSE_SITE_LANGUAGE": language, "PYTHONPATH": str(PROJECT_ROOT)}
        builds[language] = subprocess.Popen(list(map(str, command)), env=env)
    failed = [language for language, process in builds.items() if process.wait() != 0]
    seconds = time.monotonic() - start
    if failed:
        log(f"site: the build of {', '.join(failed)} failed (warnings are errors), {seconds:.0f} s")
        return 1
    shutil.rmtree(output, ignore_errors=True)
    for language in LANGUAGES:
        target = output if language == "en" else output / language
        target.parent.mkdir(parents=True, exist_ok=True)
        (work / language / "html").rename(target)
    log(f"site: built {', '.join(LANGUAGES)} into {output} in {seconds:.0f} s")
    return 0


# ---- the Sphinx extension ----------------------------------------------------------------------------


def setup(app):
    """Sphinx extension (website/conf.py): figure texts as alt text, language links, MathML formulas."""
    app.connect("doctree-resolved", _alt_texts)
    app.connect("html-page-context", _other_language)
    app.add_html_math_renderer("mathml", (_mathml, None), (_mathml, None))
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def _alt_texts(app, doctree, docname) -> None:
    """Each image of a notebook cell gets the cell's figure text of the same rank as its alt text (a learner
    notebook keeps the texts of figures it does not show)."""
    from docutils import nodes
    from sphinx.util import logging

    for cell in doctree.findall(nodes.container):
        if cell.get("nb_element") != "cell_code":
            continue
        images = list(cell.findall(nodes.image))
        texts = cell.get("cell_metadata", {}).get("course", {}).get("figure_text", [])
        if images and len(texts) != len(images):
            logging.getLogger(__name__).warning(
                f"{docname}: a cell shows {len(images)} images and has {len(texts)} figure texts "
                "(CONTRIBUTING.md, 'Figure texts')",
                location=docname,
            )
        for image, text in zip(images, texts, strict=False):
            image["alt"] = text


def _other_language(app, pagename, templatename, context, doctree) -> None:
    """`course_languages`: the same page in the other languages (name, code, relative URL)."""
    here = app.config.language
    up = "../" * pagename.count("/") + ("" if here == "en" else "../")
    page = app.builder.get_target_uri(pagename)
    context["course_languages"] = [
        {"code": code, "name": name, "url": up + ("" if code == "en" else f"{code}/") + page}
        for code, name in LANGUAGES.items()
        if code != here
    ]


def _mathml(self, node) -> None:
    """A formula as MathML, which browsers render by themselves and screen readers read: no script, no
    network (an HTML math renderer's visitor)."""
    from docutils import nodes
    from latex2mathml.converter import convert

    display = "block" if isinstance(node, nodes.math_block) else "inline"
    self.body.append(convert(node.astext(), display=display))
    raise nodes.SkipNode
