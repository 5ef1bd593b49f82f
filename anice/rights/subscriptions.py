"""What the registry does when a case's items change: match them again, after commit."""

from __future__ import annotations

from ..events import CaseItemsChanged, Registry

MATCH_JOB = "workers.rights.match_case"


def subscribe(registry: Registry) -> None:
    # One job per case and transaction, however many items the transaction changed.
    registry.job(CaseItemsChanged, MATCH_JOB, lambda event: (event.case_id,))
