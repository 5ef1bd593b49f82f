"""Correlation: identifiers shared between cases, across agencies and borders.

``refresh_case(db, case, actor)`` keeps a case's identifiers current (run by the
``CaseItemsChanged`` / ``CaseMatchDecided`` subscriber in ``subscriptions.py``);
``service.links_for`` shows its links with hit/no-hit privacy.
"""

from .index import deferred, refresh_case, refresh_cases

__all__ = ["deferred", "refresh_case", "refresh_cases"]
