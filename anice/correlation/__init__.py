"""Correlation: identifiers shared between cases, across agencies and borders.

``refresh_case(db, case, actor)`` keeps a case's identifiers current (called by the case
services on every save); ``service.links_for`` shows its links with hit/no-hit privacy.
"""

from .index import deferred, refresh_case, refresh_cases

__all__ = ["deferred", "refresh_case", "refresh_cases"]
