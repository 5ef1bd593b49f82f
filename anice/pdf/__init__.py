"""What ANICE's PDFs share: fonts per script and complex-script shaping (reportlab)."""

from .lines import draw_line
from .typefaces import Fonts, fonts, markup

__all__ = ["Fonts", "draw_line", "fonts", "markup"]
