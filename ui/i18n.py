"""Translations with Qt's own tools.

Source strings are French (the product's language). ``resources/i18n/spie_en.ts`` holds the
English translation; ``spie_en.qm`` is compiled from it with ``pyside6-lrelease``. To refresh
the catalogue after changing strings::

    .venv/bin/pyside6-lupdate $(git ls-files 'ui/*.py') -ts resources/i18n/spie_en.ts
    .venv/bin/pyside6-lrelease resources/i18n/spie_en.ts -qm resources/i18n/spie_en.qm

Every string is marked with ``translate("context", "texte")`` (a literal context and a
literal text, so that ``lupdate`` finds them). Labels from the referentials and messages of
the core's errors are data in French and stay French in the English interface.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from spie_desktop.resources import resource_path

LANGUAGES = {"fr": "Français", "en": "English"}

#: English as written in the UK: day-first dates like the French ones (« 02/12/2026 »,
#: « Wednesday, 2 December 2026 »), weeks starting on Monday.
ENGLISH_LOCALE = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def translate(context: str, text: str, disambiguation: str | None = None, n: int = -1) -> str:
    """``QCoreApplication.translate`` under a name ``pyside6-lupdate`` recognises."""
    return QCoreApplication.translate(context, text, disambiguation, n)


_installed: list[QTranslator] = []
_language = "fr"


def _install_qt_catalogue(app: QCoreApplication, language: str) -> None:
    """Qt's own strings (context menus of text fields, calendar…) in the same language."""
    translator = QTranslator(app)
    directory = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", directory):
        app.installTranslator(translator)
        _installed.append(translator)


def install_language(language: str) -> bool:
    """Load the catalogue of ``language`` (French is the source); True when it took effect."""
    global _language
    app = QCoreApplication.instance()
    for translator in _installed:
        if app is not None:
            app.removeTranslator(translator)
    _installed.clear()
    _language = "fr"
    if app is not None:
        _install_qt_catalogue(app, language if language in LANGUAGES else "fr")
    if language == "fr" or app is None:
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        return language == "fr"
    translator = QTranslator(app)
    path = resource_path("i18n", f"spie_{language}.qm")
    if not translator.load(str(path)):
        QLocale.setDefault(QLocale(QLocale.Language.French, QLocale.Country.France))
        return False
    app.installTranslator(translator)
    _installed.append(translator)
    _language = language
    QLocale.setDefault(ENGLISH_LOCALE if language == "en" else QLocale(language))
    return True


def current_language() -> str:
    return _language
