"""What the registry does when a case's items change (match them again) and when rights
change (check the machine's matching index, rebuild it when the delta grows too big),
after commit."""

from __future__ import annotations

from ..events import CaseItemsChanged, Registry, RightsChanged

MATCH_JOB = "workers.rights.match_case"
INDEX_JOB = "workers.rights.refresh_index"


def subscribe(registry: Registry) -> None:
    # One job per case and transaction, however many items the transaction changed.
    registry.job(CaseItemsChanged, MATCH_JOB, lambda event: (event.case_id,))
    # One check per transaction: an import of a million rows or a single edit.
    registry.job(RightsChanged, INDEX_JOB, lambda event: (event.since_us,))
