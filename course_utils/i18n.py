"""The language of the messages the helpers print: `COURSE_LANGUAGE` (e.g. `es`; English when unset).

Translations are gettext catalogues compiled into the package (`course_utils/locale/<language>/…/*.mo`,
built from `locales/<language>/LC_MESSAGES/shared.po` by `python -m course_utils translate <language>`).
The language cell of a translated notebook (`%env COURSE_LANGUAGE=es`) sets it.
"""

from __future__ import annotations

import gettext
import os
from functools import lru_cache
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "course_utils"


@lru_cache
def _catalogue(language: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language], fallback=True)


def language() -> str:
    """The course's language: `COURSE_LANGUAGE`, English when unset."""
    return os.environ.get("COURSE_LANGUAGE", "en")


def translated(context: str, text: str) -> str:
    """text in the language of `COURSE_LANGUAGE` (itself when there is no translation)."""
    return _catalogue(language()).pgettext(context, text)


def translated_solution(name: str, code: str) -> str:
    """The worked solution `code` of exercise `name` as the translated notebook writes it (its texts and
    names in the language of `COURSE_LANGUAGE`; `translate` fills these entries from the lesson's code)."""
    return _catalogue(language()).pgettext(f"solution {name}", code)
