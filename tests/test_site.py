"""The website (make site): a page per lesson in both languages, links and anchors that resolve, images
with their figure texts as alt text, no traceback, and Colab links equal to the notebooks' own badges.

Run with `make test-site` (`pytest tests/test_site.py -m site`); `make test` skips these tests.
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest

from course_utils.course.lessons import LESSONS
from course_utils.course.notebook_format import HEADER, figure_texts
from course_utils.course.runner import PROJECT_ROOT
from course_utils.course.site import DOWNLOADS, LANGUAGES, NOTEBOOK_FOLDERS

pytestmark = pytest.mark.site
BADGE = re.compile(r"\[!\[[^\]]*\]\([^)]*\)\]\(([^)]+)\)")
GENERIC_ALT = {"", "image", "figure", "plot", "png", "imagen", "figura"}
PAGES = [
    pytest.param(language, name, id=f"{language}:{name}")
    for language in LANGUAGES
    for lesson in LESSONS
    for name in (lesson.notebook, f"exercises/{lesson.notebook}")
]


class Page(HTMLParser):
    """What the tests read from one HTML file: ids, links, images and the visible text."""

    def __init__(self, text: str):
        super().__init__()
        self.ids, self.links, self.images, self.tags, self.text = set(), [], [], [], []
        self.lang = None
        self.feed(text)

    def handle_starttag(self, tag, attributes):
        attributes = dict(attributes)
        self.tags.append((tag, attributes))
        if "id" in attributes:
            self.ids.add(attributes["id"])
        if tag == "a" and "name" in attributes:
            self.ids.add(attributes["name"])
        if tag == "html":
            self.lang = attributes.get("lang")
        for name in ("href", "src"):
            if attributes.get(name) and tag in ("a", "link", "script", "img"):
                self.links.append(attributes[name])
        if tag == "img":
            self.images.append(attributes)

    def handle_data(self, data):
        self.text.append(data)

    def hrefs(self, **wanted) -> list[str]:
        """The href of every <a> whose attributes contain the given values (class: one of its classes)."""
        found = []
        for tag, attributes in self.tags:
            classes = (attributes.get("class") or "").split()
            if tag == "a" and all(
                value in classes if name == "class_" else attributes.get(name) == value
                for name, value in wanted.items()
            ):
                found.append(attributes.get("href"))
        return found


@cache
def parse(path: Path) -> Page:
    return Page(path.read_text(encoding="utf-8"))


def root_of(site: Path, language: str) -> Path:
    return site if language == "en" else site / language


def page_of(site: Path, language: str, notebook: str) -> Path:
    return root_of(site, language) / notebook.replace(".ipynb", ".html")


def stored(language: str, notebook: str) -> Path:
    return PROJECT_ROOT / NOTEBOOK_FOLDERS[language] / notebook


def badge_url(path: Path) -> str:
    """The Colab badge URL in a stored notebook's generated header."""
    header = nbformat.read(path, as_version=4).cells[0].source
    return BADGE.findall(header[header.index(HEADER[0]) :])[0]


def html_files(site: Path) -> list[Path]:
    return sorted(path for path in site.rglob("*.html") if "_static" not in path.parts)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_lesson_and_learner_notebook_has_a_page_in_both_languages(built_site, language):
    root = root_of(built_site, language)
    assert (root / "index.html").is_file() and (root / "search.html").is_file()
    assert (root / "answers.html").is_file() and (root / "searchindex.js").is_file()
    for lesson in LESSONS:
        for name in (lesson.notebook, f"exercises/{lesson.notebook}"):
            assert page_of(built_site, language, name).is_file(), name
            assert parse(page_of(built_site, language, name)).lang == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_home_page_is_the_readme_and_leads_to_every_page(built_site, language):
    home = parse(root_of(built_site, language) / "index.html")
    links = set(home.hrefs())
    for lesson in LESSONS:
        stem = lesson.notebook.replace(".ipynb", ".html")
        assert {stem, f"exercises/{stem}"} <= links
    assert "answers.html" in links
    title = (PROJECT_ROOT / ("README.md" if language == "en" else "README.es.md")).read_text().split("\n")[0]
    assert title.lstrip("# ") in "".join(home.text)


def test_every_internal_link_and_anchor_resolves(built_site):
    broken = []
    for path in html_files(built_site):
        for link in parse(path).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or link.startswith(("mailto:", "javascript:")):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(built_site)}: {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parse(target).ids:
                broken.append(f"{path.relative_to(built_site)}: {link} (no such anchor)")
    assert broken == []


def test_every_image_has_a_meaningful_alt_and_figures_have_their_figure_texts(built_site):
    for path in html_files(built_site):
        for image in parse(path).images:
            alt = (image.get("alt") or "").strip()
            assert alt.lower() not in GENERIC_ALT and alt != Path(image.get("src", "")).name, (path, image)


@pytest.mark.parametrize("language, name", PAGES)
def test_a_page_shows_its_figures_with_their_figure_texts_and_no_traceback(built_site, language, name):
    page = parse(page_of(built_site, language, name))
    nb = nbformat.read(stored(language, name), as_version=4)
    texts = [text for cell in nb.cells if cell.get("outputs") for text in figure_texts(cell)]
    assert [image["alt"] for image in page.images if "_images/" in image["src"]] == texts
    text = "".join(page.text)
    assert "Traceback (most recent call last)" not in text
    assert not any("traceback" in (attributes.get("class") or "") for _, attributes in page.tags)


@pytest.mark.parametrize("language, name", PAGES)
def test_colab_and_download_links_are_the_notebooks_own(built_site, language, name):
    page = parse(page_of(built_site, language, name))
    colab = {href for href in page.hrefs() if href.startswith("https://colab.research.google.com/github/")}
    exercise = name.startswith("exercises/")
    expected = {badge_url(stored(language, name))}
    if not exercise:  # a lesson's page also opens its learner notebook
        expected.add(badge_url(stored(language, f"exercises/{name}")))
    assert colab == expected
    launch = [href for href in page.hrefs(class_="dropdown-item") if href.startswith("https://colab.")]
    assert launch == [badge_url(stored(language, name))]  # the theme's launch button
    (download,) = [href for href in page.hrefs() if href and "_downloads/" in href]
    target = page_of(built_site, language, name).parent / download
    assert target.name == Path(name).name and target.read_bytes() == stored(language, name).read_bytes()
    assert not (root_of(built_site, language) / DOWNLOADS).exists()  # the sources' folder is not published


@pytest.mark.parametrize("language", LANGUAGES)
def test_lesson_pages_come_in_order_with_previous_and_next_links(built_site, language):
    pages = [page_of(built_site, language, lesson.notebook) for lesson in LESSONS]
    for previous, page, following in zip([None, *pages], pages, [*pages[1:], None], strict=False):
        links = parse(page)
        if previous is not None:
            assert links.hrefs(class_="left-prev") == [previous.name]
        if following is not None:
            assert links.hrefs(class_="right-next") == [following.name]


def test_every_page_links_to_the_same_page_in_the_other_language(built_site):
    for path in html_files(built_site):
        language = "es" if path.relative_to(built_site).parts[0] == "es" else "en"
        other = "en" if language == "es" else "es"
        (link,) = parse(path).hrefs(class_="course-language")
        target = (path.parent / link).resolve()
        assert target.is_file() and parse(target).lang == other, path
        assert target.relative_to(root_of(built_site, other).resolve()) == path.relative_to(
            root_of(built_site, language)
        )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_index_knows_dropout(built_site, language):
    index = (root_of(built_site, language) / "searchindex.js").read_text(encoding="utf-8")
    assert '"dropout"' in index
