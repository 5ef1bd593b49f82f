"""Builders for correlation tests, on the shared cast (``make.world()``, tests/factories.py)."""

from __future__ import annotations

from sqlalchemy import select

from anice.cases import items
from anice.models import AuditEvent, CaseIdentifier, Notification

from ..cases.helpers import new_case

SELLER = {"url": "https://shopee.co.th/watchking88?sp_atk=1", "platform": "shopee",
          "seller_name": "Watch King", "seller_id": "WatchKing88",
          "title": "Rolex Submariner premium copy", "seller_phone": "+66 81 234 5678"}
SUSPECT = {"role": "suspect", "kind": "person", "name": "Somchai Jaidee", "nationality": "TH",
           "id_number": "1-1017-00230-48-1", "passport_number": "AA1234567",
           "email": "somchai.shop@gmail.com"}


def online_case(db, officer, listing=None, **overrides):
    overrides.setdefault("province", "")
    case = new_case(db, officer, kind="online", **overrides)
    if listing is not None:
        items.add_item(db, officer, case.id, "listing", listing)
        db.commit()
    return case


def identifiers(db, case_id=None) -> list[CaseIdentifier]:
    query = select(CaseIdentifier)
    if case_id is not None:
        query = query.where(CaseIdentifier.case_id == case_id)
    return list(db.scalars(query))


def notes_of(db, officer) -> list[Notification]:
    return list(db.scalars(select(Notification).where(Notification.officer_id == officer.id)
                           .order_by(Notification.id)))


def audit_rows(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)
                           .order_by(AuditEvent.id)))
