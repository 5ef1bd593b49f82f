"""One line of text drawn straight on a page (headers, footers) with the per-script fonts and
shaping of a paragraph: ``canvas.drawString`` would set a Thai or Khmer page header in DejaVu
Sans, unshaped."""

from __future__ import annotations

from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from .typefaces import markup


def draw_line(canvas, text: str, x: float, y: float, font: str, size: float, color=None,
              right: bool = False) -> None:
    """``text`` on one line with its baseline at ``y``, starting at ``x`` (ending there when
    ``right``), in ``font`` and ``size`` with each script's runs in their own font."""
    style = ParagraphStyle("line", fontName=font, fontSize=size, leading=size * 1.2,
                           shaping=1, alignment=TA_RIGHT if right else TA_LEFT,
                           **({"textColor": color} if color is not None else {}))
    para = Paragraph(markup(text), style)
    available = x if right else canvas._pagesize[0] - x
    width, height = para.wrap(available, size * 4)
    para.drawOn(canvas, x - available if right else x, y - (height - size))
