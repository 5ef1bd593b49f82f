"""The fonts of ANICE's PDFs: DejaVu Sans for Latin and Vietnamese, and a font per script
of the region (Noto Sans Khmer, Myanmar, Lao, Thai from Debian's fonts-noto-core; CJK when
a TrueType CJK font happens to be installed), each run of text set in the font of its
script and shaped by HarfBuzz (anice/pdf/shaping.py). See docs/reports.md, Scripts and fonts.
"""

from __future__ import annotations

import functools
import logging
import re
import shutil
import subprocess  # nosec B404: fc-list, a fixed command without a shell
import threading
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from . import shaping

log = logging.getLogger(__name__)

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NOTO = Path("/usr/share/fonts/truetype/noto")
TLWG = Path("/usr/share/fonts/truetype/tlwg")
# Zero-width space, non-joiner and joiner belong to the run around them (Khmer and Burmese
# mark word breaks with U+200B).
_JOINERS = "\u200b-\u200d"


@dataclass(frozen=True)
class Script:
    name: str
    lang: str                      # fontconfig's language, for fc-list when no known file
    chars: str                     # a regular-expression class body
    files: tuple[tuple[Path, Path | None], ...]  # (regular, bold) in order of preference
    package: str                   # the Debian package that brings the font
    required: bool = True          # a missing optional font is logged at INFO, not WARNING


SCRIPTS = (
    Script("Khmer", "km", "\u1780-\u17ff\u19e0-\u19ff",
           ((NOTO / "NotoSansKhmer-Regular.ttf", NOTO / "NotoSansKhmer-Bold.ttf"),),
           "fonts-noto-core"),
    Script("Myanmar", "my", "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f",
           ((NOTO / "NotoSansMyanmar-Regular.ttf", NOTO / "NotoSansMyanmar-Bold.ttf"),),
           "fonts-noto-core"),
    Script("Lao", "lo", "\u0e80-\u0eff",
           ((NOTO / "NotoSansLao-Regular.ttf", NOTO / "NotoSansLao-Bold.ttf"),),
           "fonts-noto-core"),
    Script("Thai", "th", "\u0e00-\u0e7f",
           ((NOTO / "NotoSansThai-Regular.ttf", NOTO / "NotoSansThai-Bold.ttf"),
            (TLWG / "Loma.ttf", TLWG / "Loma-Bold.ttf")),
           "fonts-noto-core"),
    # Only a TrueType-outline CJK font will do (reportlab reads no CFF): none is required.
    Script("CJK", "zh", "\u2e80-\u2fdf\u3000-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
           "\uac00-\ud7af\uf900-\ufaff\uff00-\uffef", (), "a TrueType CJK font", required=False),
)


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    scripts: dict[str, str] = field(default_factory=dict)  # script name -> font name
    shaped: bool = False
    bold_scripts: dict[str, str] = field(default_factory=dict)  # script name -> bold font

    @property
    def thai(self) -> str | None:
        return self.scripts.get("Thai")


def _register(name: str, regular: Path, bold: Path | None) -> bool:
    """Registers ``name`` (and ``name-Bold``) as a family; False when the file is unusable."""
    try:
        pdfmetrics.registerFont(shaping.ShapingFont(name, str(regular)))
        bold_name = name
        if bold is not None and bold.exists():
            pdfmetrics.registerFont(shaping.ShapingFont(f"{name}-Bold", str(bold)))
            bold_name = f"{name}-Bold"
    except (TTFError, OSError) as exc:
        log.info("PDF fonts: %s is not usable (%s)", regular, exc)
        return False
    pdfmetrics.registerFontFamily(name, normal=name, bold=bold_name, italic=name,
                                  boldItalic=bold_name)
    return True


def fc_list(lang: str) -> list[Path]:
    """Font files fontconfig says cover ``lang`` (TrueType only), or none without fc-list."""
    command = shutil.which("fc-list")
    if not command:
        return []
    try:
        out = subprocess.run([command, f":lang={lang}", "file"], capture_output=True,  # nosec B603
                             text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    files = sorted({line.rstrip(":").strip() for line in out.splitlines()})
    return [Path(f) for f in files if f.lower().endswith((".ttf", ".ttc"))]


def _script_font(script: Script) -> str | None:
    name = f"ANICE-{script.name}"
    for regular, bold in script.files:
        if regular.exists() and _register(name, regular, bold):
            return name
    for path in fc_list(script.lang):
        if _register(name, path, None):
            return name
    log.log(logging.WARNING if script.required else logging.INFO,
            "PDF fonts: no font for the %s script (install %s): %s text in PDF reports and "
            "custody reports prints as empty boxes", script.name, script.package, script.name)
    return None


_LOADING = threading.Lock()  # threads of a worker asking at once patch reportlab once


@functools.cache
def fonts() -> Fonts:
    """The registered fonts (once per process): DejaVu Sans (else Helvetica) and one font per
    script of the region that has one installed; a missing one is logged, not fatal."""
    with _LOADING:
        return _load()


def _load() -> Fonts:
    shaped = shaping.install()
    if not shaped:
        log.warning("PDF fonts: uharfbuzz is not installed: Thai, Lao, Khmer and Burmese "
                    "print unshaped (pip install -r requirements.txt)")
    scripts = {s.name: font for s in SCRIPTS if (font := _script_font(s))}
    registered = set(pdfmetrics.getRegisteredFontNames())
    bolds = {k: f"{v}-Bold" if f"{v}-Bold" in registered else v for k, v in scripts.items()}
    regular, bold = DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"
    if not (regular.exists() and _register("ANICE-Sans", regular, bold)):
        log.warning("PDF fonts: DejaVu Sans is missing (install fonts-dejavu-core): "
                    "Vietnamese and other accented Latin text may print wrongly")
        return Fonts("Helvetica", "Helvetica-Bold", scripts, shaped, bolds)
    bold_name = "ANICE-Sans-Bold" if bold.exists() else "ANICE-Sans"
    return Fonts("ANICE-Sans", bold_name, scripts, shaped, bolds)


@functools.cache
def _runs() -> re.Pattern | None:
    found = fonts().scripts
    groups = [f"(?P<{s.name}>[{s.chars}][{s.chars}{_JOINERS}]*)" for s in SCRIPTS
              if s.name in found]
    return re.compile("|".join(groups)) if groups else None


def markup(value: object, bold: bool = False) -> str:
    """Text for a Paragraph: escaped, each run of a script of the region set in its font
    (``bold``: its bold face, for bold styles, since a ``<font>`` tag resets the weight)."""
    text = escape("" if value is None else str(value))
    runs = _runs()
    if runs is None:
        return text
    names = fonts().bold_scripts if bold else fonts().scripts
    return runs.sub(lambda m: f'<font name="{names[m.lastgroup]}">{m.group()}</font>', text)
