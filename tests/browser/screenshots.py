"""Screenshots for the documentation: refreshed when ANICE_SCREENSHOTS=1 is set.

Without it they go to a temporary folder, so a test run leaves the work tree clean.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

SCREENSHOTS = (Path(__file__).resolve().parents[2] / "docs" / "screenshots"
               if os.environ.get("ANICE_SCREENSHOTS") == "1"
               else Path(tempfile.gettempdir()) / "anice-screenshots")
SIZE = {"width": 1280, "height": 800}


def save(page, name: str) -> Path:
    """Save ``docs/screenshots/<name>.png`` of the page at 1280x800."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(SIZE)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), animations="disabled", caret="hide")
    return path
