"""Complex-script shaping in reportlab's paragraphs, with text that extracts as written.

reportlab 5 shapes a paragraph's words with HarfBuzz (uharfbuzz) when its style has
``shaping=1``, but (checked on 5.1.0):
- a word is shaped whole in the font of its first run, so "Nike/ไนกี้" would be shaped in
  DejaVu Sans; here each run of a word is shaped in its own font;
- the shaped glyphs are written in visual order, and glyphs with no character of their own
  (Khmer subscripts, Myanmar medials, Thai tone marks moved over a tall vowel) get
  private-use characters: pdftotext then reads "ေမာင်" for "မောင်" and drops what it
  cannot map. Each shaped run is therefore wrapped in a marked-content span whose
  ``/ActualText`` is the source text (PDF 32000-1, 14.9.4), which pdftotext, poppler,
  pdf.js and Acrobat read instead of the glyphs;
- a word too long for its line (a Burmese name in a narrow table column) is cut character
  by character, which breaks shaped syllables apart; here it is cut between HarfBuzz
  clusters (syllables), each part keeping its glyphs and its source text;
- private-use characters are numbered in the order glyphs are first met in the process,
  which would make the same report differ between workers (and a custody report's signature
  fail); ``ShapingFont`` numbers them by glyph id instead.
Words of Latin, Vietnamese and other simple scripts are left unshaped, as before.
"""

from __future__ import annotations

import functools
import re

from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import ShapedStr, TTFont
from reportlab.pdfgen import textobject
from reportlab.platypus import paragraph

# The scripts that need shaping: Thai, Lao, Myanmar, Khmer (and their extensions).
COMPLEX = re.compile("[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u19e0-\u19ff"
                     "\ua9e0-\ua9ff\uaa60-\uaa7f]")
SOURCE = "_anice_source"
_PRIVATE_FIRST, _PRIVATE_LAST = 0xE000, 0xF8FF


def available() -> bool:
    """Whether HarfBuzz (uharfbuzz) can be used: without it complex scripts print unshaped."""
    return ttfonts.uharfbuzz is not None


class ShapingFont(TTFont):
    """A TrueType font whose glyphs without a character get the same private-use code in
    every process (U+E000 + glyph id), so the same document always gives the same bytes."""

    def hbFont(self, fontSize=10):  # noqa: N802 (reportlab's name)
        font = super().hbFont(fontSize)
        self.hbAddPrivate = self._private_char
        return font

    def _private_char(self, name: str, gid: int, advance: float) -> int:
        face = self.face
        uchar = _PRIVATE_FIRST + gid
        if uchar > _PRIVATE_LAST or face.charToGlyph.get(uchar, gid) != gid:
            uchar = next(u for u in range(_PRIVATE_FIRST, _PRIVATE_LAST + 1)
                         if face.charToGlyph.get(u, gid) == gid)
        if uchar not in face.charToGlyph:
            face.charToGlyph[uchar] = gid
            face.glyphToChar.setdefault(gid, []).append(uchar)
            face.charWidths[uchar] = advance
        return uchar


def _source(value) -> str | None:
    if isinstance(value, ShapedStr):
        return getattr(value, SOURCE, None)
    return value if isinstance(value, str) else None


def _with_source(value: ShapedStr, source: str | None) -> ShapedStr:
    if source is not None:
        setattr(value, SOURCE, source)
    return value


def _shape_run(word: list, shape) -> list:
    """One run (one font) of a frag word shaped; each shaped piece knows its source text."""
    shaped = shape(word)
    if shaped is word:
        return word
    text = "".join(s for _, s in word[1:] if isinstance(s, str))
    pieces = [p for p in shaped[1:] if isinstance(p[1], ShapedStr)]
    starts = [min((d.cluster for d in p[1].__shapeData__), default=0) for p in pieces]
    for piece, start, end in zip(pieces, starts, [*starts[1:], len(text)], strict=True):
        _with_source(piece[1], text[start:end])
    return shaped


def shape_word(original, word: list, *args, **kwargs) -> list:
    """reportlab's ``shapeFragWord`` applied to each same-font run of a word that holds a
    complex script; other words unchanged."""
    if isinstance(word, ttfonts.ShapedFragWord):
        return word
    runs = word[1:]
    if any(isinstance(s, ShapedStr) for _, s in runs):  # parts of a word cut to fit its line
        return ttfonts.makeShapedFragWord(word)(word)
    if not any(isinstance(s, str) and COMPLEX.search(s) for _, s in runs):
        return word
    shape = functools.partial(original, *args, **kwargs) if args or kwargs else original
    names = {getattr(f, "fontName", None) for f, _ in runs}
    if len(names) == 1 or any(hasattr(f, "cbDefn") for f, _ in runs):
        return _shape_run(word, shape)
    total, pieces, any_shaped = 0.0, [], False
    start = 0
    for end in range(1, len(runs) + 1):
        if end < len(runs) and runs[end][0].fontName == runs[start][0].fontName:
            continue
        group = runs[start:end]
        width = sum(pdfmetrics.stringWidth(s, f.fontName, f.fontSize) for f, s in group)
        shaped = _shape_run([width, *group], shape)
        any_shaped = any_shaped or isinstance(shaped, ttfonts.ShapedFragWord)
        total += shaped[0]
        pieces += shaped[1:]
        start = end
    if not any_shaped:
        return word
    return ttfonts.makeShapedFragWord(word)([total, *pieces])


def _clusters(frag, text: str) -> list[tuple[float, str, str | None]]:
    """A frag's text as (width, text, source) units that must stay on one line: a HarfBuzz
    cluster of a shaped string, a character of a plain one."""
    size = frag.fontSize
    if not isinstance(text, ShapedStr):
        return [(pdfmetrics.stringWidth(c, frag.fontName, size), c, c) for c in text]
    data, source = text.__shapeData__, _source(text) or ""
    base = min((d.cluster for d in data), default=0)
    starts = [i for i, d in enumerate(data) if i == 0 or d.cluster != data[i - 1].cluster]
    units = []
    for start, end in zip(starts, [*starts[1:], len(data)], strict=True):
        first = data[start].cluster - base
        last = data[end].cluster - base if end < len(data) else len(source)
        width = sum(d.x_advance for d in data[start:end]) * size / 1000
        units.append((width, text[start:end], source[first:last]))
    return units


def split_word(original, word: list, max_width: float, max_widths: list, lineno: int):
    """reportlab's ``_splitFragWord`` for a shaped word: the parts are cut between clusters."""
    pieces = word[1:]
    if not (isinstance(word, ttfonts.ShapedFragWord) and all(
            not isinstance(s, ShapedStr) or _source(s) is not None for _, s in pieces)):
        return original(word, max_width, max_widths, lineno)
    last_line = len(max_widths) - 1
    parts, line, width = [], [], 0.0

    def close(kind) -> None:
        merged: list = []
        for frag, text in line:
            if merged and merged[-1][0] is frag:
                merged[-1] = (frag, merged[-1][1] + text)
            else:
                merged.append((frag, text))
        cloned = []
        for frag, text in merged or [(pieces[0][0], "")]:
            frag = frag.clone()
            if hasattr(frag, "text"):  # re-wrapping starts from the source, never the glyphs
                frag.text = _source(text) or str(text)
            cloned.append((frag, text))
        part = kind([width, *cloned])
        parts.append(ttfonts.makeShapedFragWord(part)(part))  # not shaped again

    for frag, text in pieces:
        for unit_width, glyphs, source in _clusters(frag, text):
            next_width = max_widths[min(last_line, lineno + 1)]
            if width + unit_width > max_width and (width or unit_width <= next_width):
                close(paragraph._SplitFrag)
                line, width = [], 0.0
                lineno += 1
                max_width = max_widths[min(last_line, lineno)]
            if isinstance(glyphs, ShapedStr):
                glyphs = _with_source(glyphs, source)
            line.append((frag, glyphs))
            width += unit_width
    close(paragraph._SplitFragHS if isinstance(word, paragraph._HSFrag)
          else paragraph._SplitFragH)
    return parts


def _add(original, self, other):
    out = original(self, other)
    left, right = _source(self), _source(other)
    return _with_source(out, None if left is None or right is None else left + right)


def _radd(original, self, other):
    out = original(self, other)
    left, right = _source(other), _source(self)
    return _with_source(out, None if left is None or right is None else left + right)


def _format_text(original, self, text) -> str:
    code = original(self, text)
    source = getattr(text, SOURCE, None) if isinstance(text, ShapedStr) else None
    if not source or source == str(text):
        return code
    actual = ("\ufeff" + source).encode("utf-16-be").hex().upper()
    return f"/Span <</ActualText <{actual}>>> BDC {code} EMC"


@functools.cache
def install() -> bool:
    """Patches reportlab (once per process): per-run shaping and ``/ActualText`` spans.
    Returns whether shaping is available at all."""
    if not available():
        return False
    original = paragraph.shapeFragWord
    paragraph.shapeFragWord = functools.partial(shape_word, original)
    paragraph._splitFragWord = functools.partial(split_word, paragraph._splitFragWord)
    add, radd = ShapedStr.__add__, ShapedStr.__radd__
    ShapedStr.__add__ = lambda self, other: _add(add, self, other)
    ShapedStr.__radd__ = lambda self, other: _radd(radd, self, other)
    fmt = textobject.PDFTextObject._formatText
    textobject.PDFTextObject._formatText = lambda self, text: _format_text(fmt, self, text)
    return True
