"""Sphinx configuration of the course's website. Build it with `make site` (python -m course_utils site),
which writes the source trees this configuration reads and sets COURSE_SITE_LANGUAGE for each."""

import os

from course_utils.course import site
from course_utils.course.lessons import BRANCH, REPOSITORY

language = os.environ.get("COURSE_SITE_LANGUAGE", "en")
project = html_title = site.translator(language)(site.TITLE)
copyright = "the course's authors, Apache-2.0"
extensions = ["myst_nb", "course_utils.course.site"]
exclude_patterns = [site.DOWNLOADS]  # the stored notebooks, offered for download, not pages

nb_execution_mode = "off"  # the stored outputs; nothing is re-executed
myst_enable_extensions = ["dollarmath"]
myst_heading_anchors = 3

html_theme = "sphinx_book_theme"
html_theme_options = {
    # Colab: https://colab.research.google.com/github/REPOSITORY/blob/BRANCH/<path_to_docs>/<page>.ipynb,
    # the URL of each notebook's own badge, since the source tree mirrors the notebooks' folder.
    "repository_url": f"https://github.com/{REPOSITORY}",
    "repository_branch": BRANCH,
    "path_to_docs": site.NOTEBOOK_FOLDERS[language],
    "launch_buttons": {"colab_url": "https://colab.research.google.com"},
    "use_repository_button": True,
    "use_download_button": False,  # each lesson page links to its stored notebook instead
    "article_header_end": ["language-switch.html", "article-header-buttons.html"],
}
html_baseurl = site.SITE_URL + ("" if language == "en" else f"{language}/")
templates_path = ["_templates"]
html_static_path = ["_static"]
html_css_files = ["course.css"]
html_favicon = "_static/favicon.svg"
html_copy_source = False
html_use_index = False
html_domain_indices = False
html_math_renderer = "mathml"  # course_utils.course.site: formulas as MathML, no MathJax from a CDN
html_context = {"default_mode": "auto"}  # light or dark, as the reader's system prefers
# The lessons' results also carry a machine-readable copy (application/vnd.course-utils.results+json) for the
# course runner; the page shows their HTML table.
suppress_warnings = ["mystnb.unknown_mime_type"]
