"""The languages ANICE speaks, and which one a person reads by default.

An officer's own choice (``Officer.language``) comes first; until they choose, the main
language of their country (``COUNTRY_LANGUAGE``); before login, the browser's
Accept-Language among ``LANGUAGES`` (or the one picked with the switch, kept in the session).
"""

from __future__ import annotations

DEFAULT = "en"

# Code -> the language's name in itself: the switch shows each language in its own script.
LANGUAGES: dict[str, str] = {
    "en": "English",
    "id": "Bahasa Indonesia",
    "ms": "Bahasa Melayu",
    "th": "ไทย",
    "vi": "Tiếng Việt",
    "km": "ខ្មែរ",
    "lo": "ລາວ",
    "my": "မြန်မာ",
    "fil": "Filipino",
    "pt": "Português",
}

# The main language of each member state (ISO 3166 alpha-2 -> language code above).
COUNTRY_LANGUAGE: dict[str, str] = {
    "BN": "ms", "KH": "km", "ID": "id", "LA": "lo", "MY": "ms", "MM": "my",
    "PH": "fil", "SG": "en", "TH": "th", "VN": "vi", "TL": "pt",
}


def is_language(code: str | None, extra: tuple[str, ...] = ()) -> bool:
    """Whether ``code`` is a language a person may pick (``extra``: a test's pseudo-locale)."""
    return bool(code) and (code in LANGUAGES or code in extra)


def country_language(country_code: str | None) -> str:
    """The language of an officer of ``country_code`` until they choose one."""
    return COUNTRY_LANGUAGE.get(country_code or "", DEFAULT)


def officer_language(officer, extra: tuple[str, ...] = ()) -> str:
    """The language ``officer`` reads: their choice, else their country's."""
    chosen = getattr(officer, "language", None)
    if is_language(chosen, extra):
        return chosen
    return country_language(officer.country_code)


def N_(message: str) -> str:  # noqa: N802 - the name gettext's tools look for
    """Marks an English message for the catalogs (``make i18n-extract``) where it is defined;
    it is translated where it is shown (``gettext(message)``)."""
    return message
