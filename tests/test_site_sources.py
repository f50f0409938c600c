"""The website's source trees (course_utils.course.site), without Sphinx: part of `make test`."""

from __future__ import annotations

import re

import pytest

from course_utils.course import site
from course_utils.course.lessons import LESSONS, colab_url
from course_utils.course.runner import PROJECT_ROOT


@pytest.fixture(scope="module", params=list(site.LANGUAGES))
def tree(request):
    return request.param, site.sources(request.param)


def test_a_tree_has_every_page_and_the_stored_notebooks_to_download(tree):
    language, files = tree
    folder = PROJECT_ROOT / site.NOTEBOOK_FOLDERS[language]
    for lesson in LESSONS:
        for name in (lesson.notebook, f"exercises/{lesson.notebook}"):
            assert name in files
            assert files[f"{site.DOWNLOADS}/{name}"] == (folder / name).read_bytes()
    assert {"index.md", "answers.md"} <= set(files)


def test_a_lesson_page_opens_both_notebooks_in_colab_and_links_its_exercise_page(tree):
    language, files = tree
    folder = site.NOTEBOOK_FOLDERS[language]
    page = files["05_keras_single_layer.ipynb"]
    assert colab_url("05_keras_single_layer.ipynb", folder) in page
    assert colab_url("05_keras_single_layer.ipynb", f"{folder}/exercises") in page
    assert "(exercises/05_keras_single_layer.ipynb)" in page and "(es/" not in page
    assert f"(path:{site.DOWNLOADS}/05_keras_single_layer.ipynb)" in page
    learner = files["exercises/05_keras_single_layer.ipynb"]
    assert "(../05_keras_single_layer.ipynb)" in learner
    assert f"(path:../{site.DOWNLOADS}/exercises/05_keras_single_layer.ipynb)" in learner


def test_the_home_page_links_pages_not_repository_files(tree):
    language, files = tree
    home = files["index.md"]
    targets = re.findall(r"\]\(([^)\s]+)\)", home)
    assert targets and not [target for target in targets if target.startswith("notebooks/")]
    other_home = '<a href="es/index.html">' if language == "en" else '<a href="../index.html">'
    assert other_home in home
    assert home.count("```{toctree}") == 3 and "\nanswers\n" in home


def test_the_spanish_site_texts_come_from_the_catalogue():
    tr = site.translator("es")
    assert tr("Lessons") == "Lecciones" and tr("Open In Colab") == "Abrir en Colab"
    assert site.translator("en")("Lessons") == "Lessons"
    assert all(tr(text) != text for text in site.SITE_TEXTS)
