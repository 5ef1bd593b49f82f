"""The offices' own status values (``702``, ``Design lapsed``) mapped to ANICE statuses:
a table kept as data (``OfficeStatus``), read once per import, maintained by admins and
coordinators through ``set_office_status`` (CLI ``flask rights status``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..errors import Forbidden, Invalid
from ..models import Officer, OfficeStatus, RightStatus

STANDARD = "*"  # the office of WIPO's standard values, which every office may use
OFFICE = re.compile(r"^(\*|[A-Z]{2})$")
MAX_VALUE = 200


def fold(value: str) -> str:
    """What lookups compare: 'Registered and fully published' = 'REGISTERED-AND-FULLY...'."""
    return re.sub(r"[\s_-]+", "", value.casefold())


@dataclass(frozen=True)
class StatusTable:
    """{(office, folded value): status}; an office's own row wins over the standard one."""

    rows: dict[tuple[str, str], RightStatus]

    def status(self, office: str, value: str) -> RightStatus | None:
        key = fold(value)
        return self.rows.get((office.upper(), key)) or self.rows.get((STANDARD, key))


def load_table(db: Session) -> StatusTable:
    return StatusTable({(row.office, row.key): row.status
                        for row in db.scalars(select(OfficeStatus))})


def office_statuses(db: Session, office: str | None = None) -> list[OfficeStatus]:
    """The table's rows (of one office), by office and value."""
    query = select(OfficeStatus).order_by(OfficeStatus.office, OfficeStatus.value)
    if office:
        query = query.where(OfficeStatus.office == office.upper())
    return list(db.scalars(query))


def set_office_status(db: Session, actor: Officer | None, office: str, value: str,
                      status: str) -> OfficeStatus:
    """Add or change the row saying that ``office`` publishes ``value`` for ``status``
    (flushed and audited; the caller commits). ``actor`` None is the operator at the
    server (CLI). Rights imported before keep their status until imported again."""
    office = (office or "").strip().upper()
    if not OFFICE.match(office):
        raise Invalid("office", gettext("%(value)s is not an office code such as MY (or * for "
                                        "the WIPO standard values)", value=repr(office[:10])))
    if actor is not None and not policy.can_edit_status_table(actor, office):
        raise Forbidden(gettext("You may not change the status table of office %(office)s.",
                                office=office))
    value = (value or "").strip()
    if not value or not fold(value):
        raise Invalid("value", gettext("is required"))
    if len(value) > MAX_VALUE:
        raise Invalid("value", gettext("must be at most %(max)s characters (got %(got)s)",
                                       max=MAX_VALUE, got=len(value)))
    try:
        mapped = RightStatus(str(status).strip().lower())
    except ValueError:
        raise Invalid("status", gettext("%(value)s is not one of: %(choices)s",
                                        value=repr(str(status)[:20]),
                                        choices=", ".join(s.value for s in RightStatus))) from None
    row = db.scalar(select(OfficeStatus).where(OfficeStatus.office == office,
                                               OfficeStatus.key == fold(value)))
    before = row.status.value if row is not None else None
    if row is None:
        row = OfficeStatus(office=office, value=value, key=fold(value), status=mapped)
        db.add(row)
    else:
        row.value, row.status = value, mapped
    db.flush()
    audit.record(db, actor, "right.status_table.set", row,
                 country_code=office if office != STANDARD else None,
                 details={"office": office, "value": value, "status": mapped.value,
                          "before": before})
    return row
