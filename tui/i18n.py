"""Translations: GNU gettext catalogues in tui/locale/<lang>/LC_MESSAGES/*.mo.

Message ids are English; Vietnamese is the default language. Each feature area
keeps its own catalogue file (cchc-core.po, cchc-bundle.po, ...); all the .mo files
of a language are chained into one translation. set_language() must run before
screens are imported, because BINDINGS descriptions are read at class definition.

Compile after editing a .po:  python -m tui.i18n  (needs Babel, in the [test] extra)
"""

from __future__ import annotations

import gettext
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
DEFAULT_LANGUAGE = "vi"
LANGUAGES = ("vi", "en")

_translation: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


# The catalogues of each language once read (the start may set the language twice:
# from --lang early, then from the config).
_loaded: dict[str, gettext.NullTranslations] = {}


def set_language(language: str) -> None:
    """Switch every later _() call to `language` ('vi' or 'en')."""
    global _translation, _language
    if language not in _loaded:
        _loaded[language] = _read_catalogues(language)
    _translation = _loaded[language]
    _language = language


def _read_catalogues(language: str) -> gettext.NullTranslations:
    chained: gettext.NullTranslations = gettext.NullTranslations()
    if language != "en":
        catalogues = sorted((LOCALE_DIR / language / "LC_MESSAGES").glob("*.mo"))
        for path in catalogues:
            with open(path, "rb") as handle:
                translation = gettext.GNUTranslations(handle)
            if chained.__class__ is gettext.NullTranslations:
                chained = translation
            else:
                chained.add_fallback(translation)
    return chained


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translation.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translation.ngettext(singular, plural, n)


def compile_catalogues() -> list[Path]:
    """Compile every .po beside its .mo (a developer's step, needs Babel)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po_path in sorted(LOCALE_DIR.glob("*/LC_MESSAGES/*.po")):
        with open(po_path, "rb") as handle:
            catalog = read_po(handle)
        mo_path = po_path.with_suffix(".mo")
        with open(mo_path, "wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for compiled in compile_catalogues():
        print(compiled)
