"""CSV export of the cases an officer may see (the list as filtered on screen)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import Select
from sqlalchemy.orm import Session

from .. import audit
from ..models import Officer

COLUMNS = ["reference", "kind", "status", "title", "agency", "country", "province", "city",
           "detected_on", "opened_on", "closed_on", "right_types", "sensitivity", "brands",
           "seizure_items", "quantity_total", "value_usd_total", "platforms", "listings",
           "sellers", "outcome", "updated_at"]
MAX_ROWS = 100_000


def safe_cell(value: object) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def export_csv(db: Session, actor: Officer, query: Select) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    count = 0
    for case in db.scalars(query.limit(MAX_ROWS)).unique():
        brands = sorted({s.brand for s in case.seizures})
        writer.writerow([safe_cell(v) for v in (
            case.reference, case.kind.value, case.status.value, case.title,
            f"{case.country_code}-{case.agency.code}", case.country_code, case.province,
            case.city, case.detected_on, case.opened_on, case.closed_on,
            ";".join(t.value for t in case.right_types), case.sensitivity.value,
            ";".join(brands), len(case.seizures), sum(s.quantity for s in case.seizures),
            sum((s.value_usd or 0) for s in case.seizures),
            ";".join(sorted({x.platform.value for x in case.listings})), len(case.listings),
            ";".join(sorted({x.seller_name for x in case.listings if x.seller_name})),
            case.outcome.value if case.outcome else "", case.updated_at.isoformat())])
        count += 1
    audit.record(db, actor, "case.export", country_code=actor.country_code,
                 details={"rows": count})
    return out.getvalue()
