"""What a page shows a person, and the part of it that is not translated.

Checked: every text node of the document (the <title> too) and the attributes people read
(aria-label, title, placeholder, alt, the value of buttons). Not checked, on purpose:
  - <script> and <style>;
  - elements with a ``lang`` attribute: text in another language on purpose (the language
    switch shows each language's name in its own script);
  - ``IGNORED`` below, and the data of the page's own records (names, e-mails, agency codes
    and names, country names: ``data``), given by each test;
  - anything without letters (numbers, dates, times, codes such as +08, punctuation).
Everything else must sit between the pseudo-locale's markers.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from anice.auth.forms import zone_choices

from .catalogs import CLOSE, OPEN

IGNORED = ("ANICE",)  # the product's name
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}
_PSEUDO = re.compile(re.escape(OPEN) + r"[^\[\]]*" + re.escape(CLOSE))
_WORD = re.compile(r"[^\W\d_]{2,}")


def zone_names() -> tuple[str, ...]:
    """The time zone select's options (IANA names), data rather than words."""
    return tuple(str(choice.label) for choice in zone_choices())


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []
        self.texts: list[str] = []
        self.attributes: list[str] = []

    def _skipping(self) -> bool:
        return any(skip for _, skip in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = tag in ("script", "style") or "lang" in attrs and tag != "html"
        if not skip and not self._skipping():
            for name in READ_ATTRIBUTES:
                if attrs.get(name):
                    self.attributes.append(attrs[name])
            if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
                self.attributes.append(attrs["value"])
        if tag not in VOID:
            self.stack.append((tag, skip))

    def handle_endtag(self, tag):
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                return

    def handle_data(self, data):
        if not self._skipping():
            self.texts.append(data)


def strip_pseudo(text: str) -> str:
    """The text less every pseudo-translated part (innermost first: they nest)."""
    while True:
        shorter = _PSEUDO.sub(" ", text)
        if shorter == text:
            return text
        text = shorter


def untranslated(html: str, data: tuple[str, ...] = ()) -> list[str]:
    """The words a person would read on the page that no catalog message gave."""
    parser = _Visible()
    parser.feed(html)
    leftovers = [strip_pseudo("\n".join(parser.texts))]
    leftovers += [strip_pseudo(value) for value in parser.attributes]
    found = []
    skip = sorted((*IGNORED, *zone_names(), *(d for d in data if d)), key=len, reverse=True)
    for rest in leftovers:
        for known in skip:
            rest = rest.replace(known, " ")
        found += [line.strip() for line in rest.splitlines() if _WORD.search(line)]
    return found
