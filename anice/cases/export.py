"""CSV export of the cases an officer may see (the list as filtered on screen)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Select
from sqlalchemy.orm import Session

from .. import audit
from ..models import Case, Officer, ShareKind
from ..referrals.provenance import ExportFilter, Withheld
from ..text.cells import safe_cell

COLUMNS = ["reference", "kind", "status", "title", "agency", "country", "province", "city",
           "detected_on", "opened_on", "closed_on", "right_types", "sensitivity", "brands",
           "seizure_items", "quantity_total", "value_usd_total", "platforms", "listings",
           "sellers", "outcome", "updated_at"]
MAX_ROWS = 100_000


def export_csv(db: Session, actor: Officer, query: Select) -> str:
    """The cases as CSV. What a linked case holds from a referral whose handling code
    does not let it leave ANICE (anice/referrals/provenance.py) is left out: its title
    and the copied seizure items and listings."""
    withholding = ExportFilter(db)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = withheld_cases = 0
    for case in db.scalars(query.limit(MAX_ROWS)).unique():
        withheld = withholding.of(case)
        withheld_cases += withheld.origin is not None
        writer.writerow([safe_cell(v) for v in _row(case, withheld)])
        count += 1
    audit.record(db, actor, "case.export", country_code=actor.country_code,
                 details={"rows": count, "withheld_linked_cases": withheld_cases})
    return out.getvalue()


def _row(case: Case, withheld: Withheld) -> list[object]:
    seizures = [s for s in case.seizures if withheld.keeps(ShareKind.SEIZURE, s.id)]
    listings = [x for x in case.listings if withheld.keeps(ShareKind.LISTING, x.id)]
    title = (f"(withheld: received through referral {withheld.origin.reference})"
             if withheld.origin is not None else case.title)
    return [
        case.reference, case.kind.value, case.status.value, title,
        f"{case.country_code}-{case.agency.code}", case.country_code, case.province,
        case.city, case.detected_on, case.opened_on, case.closed_on,
        ";".join(t.value for t in case.right_types), case.sensitivity.value,
        ";".join(sorted({s.brand for s in seizures})), len(seizures),
        sum(s.quantity for s in seizures), sum((s.value_usd or 0) for s in seizures),
        ";".join(sorted({x.platform.value for x in listings})), len(listings),
        ";".join(sorted({x.seller_name for x in listings if x.seller_name})),
        case.outcome.value if case.outcome else "", case.updated_at.isoformat()]
