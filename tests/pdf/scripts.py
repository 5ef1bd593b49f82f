"""Checks of a PDF's text in the scripts of the region: what pdftotext extracts, and where
the words are drawn on the page (pdftotext -bbox, pdftoppm), as a reader's tools see them."""

from __future__ import annotations

import html
import io
import re
import subprocess
import tempfile
import unicodedata
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

# Case data as officers type it: a Khmer brand, a Burmese seller, a Lao company, Thai "Nike".
SAMPLES = {
    "Khmer": "ក្រុមហ៊ុនអង្គរ",
    "Myanmar": "မောင်မောင်ကုမ္ပဏီ",
    "Lao": "ບໍລິສັດລາວ",
    "Thai": "ไนกี้",
}


def flat(text: str) -> str:
    """NFC, and any run of white space (line breaks included) as one space."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def pdftotext(pdf: bytes, *args: str) -> str:
    return subprocess.run(["pdftotext", *args, "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def word_boxes(pdf: bytes, word: str) -> list[tuple[int, tuple[float, float, float, float]]]:
    """(page number, (x0, y0, x1, y1) in points) of each word pdftotext reads as ``word``."""
    found, page = [], 0
    for line in pdftotext(pdf, "-bbox").splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                      r'yMax="([\d.]+)">(.*)</word>', line)
        if m and flat(html.unescape(m.group(5))) == flat(word):
            found.append((page, tuple(float(v) for v in m.groups()[:4])))
    return found


def page_png(pdf: bytes, page: int, dpi: int = 100) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "in.pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-singlefile", "-f", str(page),
                        "-l", str(page), "in.pdf", "page"], cwd=folder, check=True)
        return (Path(folder) / "page.png").read_bytes()


def ink(png: bytes, box: tuple[float, float, float, float], dpi: int = 100) -> float:
    """The share of dark pixels inside ``box`` (points) of a page rendered at ``dpi``."""
    scale = dpi / 72
    image = Image.open(io.BytesIO(png)).convert("L")
    x0, y0, x1, y1 = (round(v * scale) for v in box)
    crop = image.crop((x0, y0, max(x1, x0 + 1), max(y1, y0 + 1)))
    counts = crop.histogram()
    return sum(counts[:128]) / sum(counts)


def actual_texts(pdf: bytes) -> set[str]:
    """The /ActualText of the marked-content spans in the pages' content streams: one per
    run of text that HarfBuzz shaped into other glyphs than its characters."""
    found = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        stream = page.get_contents().get_data().decode("latin-1")
        for hexa in re.findall(r"/ActualText <FEFF([0-9A-F]*)>", stream):
            found.add(bytes.fromhex(hexa).decode("utf-16-be"))
    return found


# Scripts whose samples HarfBuzz must change (reordered, stacked or repositioned glyphs).
SHAPED = ("Khmer", "Myanmar", "Thai")


def assert_printed(pdf: bytes, strings: dict[str, str] = SAMPLES) -> None:
    """Each string is shaped, extracts exactly as written and is drawn (not blank) where it
    is read."""
    spans = actual_texts(pdf)
    for script in SHAPED:
        if script in strings:
            assert any(strings[script] in span for span in spans), f"{script} not shaped"
    text = flat(pdftotext(pdf))
    for script, value in strings.items():
        assert flat(value) in text, f"{script} {value!r} not extracted: {text[:2000]!r}"
        boxes = word_boxes(pdf, value)
        assert boxes, f"{script} {value!r} has no word box"
        page, box = boxes[0]
        assert ink(page_png(pdf, page), box) > 0.05, f"{script} {value!r} is blank on page {page}"


def embedded_fonts(pdf: bytes) -> str:
    """pdffonts' listing: the fonts the PDF embeds."""
    return subprocess.run(["pdffonts", "-"], input=pdf, capture_output=True,
                          check=False).stdout.decode()
