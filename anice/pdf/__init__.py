"""What ANICE's PDFs share: fonts per script and complex-script shaping (reportlab)."""

from .typefaces import Fonts, fonts, markup

__all__ = ["Fonts", "fonts", "markup"]
