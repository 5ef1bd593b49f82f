"""Match brand texts against registered marks: normalise, find candidates, score, explain.

Pure code on plain data: no database and no Flask. `MarkIndex` holds the marks,
`Matcher.search` ranks them.
"""

from ...text.brand import normalize, variants
from .index import MarkIndex
from .score import Candidate, Matcher

__all__ = ["Candidate", "MarkIndex", "Matcher", "normalize", "variants"]
