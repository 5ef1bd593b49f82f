"""Builders for correlation tests: a MY and a TH agency with staff and one case each."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from anice.cases import items
from anice.models import AuditEvent, CaseIdentifier, Notification, Officer, Role

from ..cases.helpers import new_case

SELLER = {"url": "https://shopee.co.th/watchking88?sp_atk=1", "platform": "shopee",
          "seller_name": "Watch King", "seller_id": "WatchKing88",
          "title": "Rolex Submariner premium copy", "seller_phone": "+66 81 234 5678"}
SUSPECT = {"role": "suspect", "kind": "person", "name": "Somchai Jaidee", "nationality": "TH",
           "id_number": "1-1017-00230-48-1", "passport_number": "AA1234567",
           "email": "somchai.shop@gmail.com"}


@dataclass
class World:
    inv_my: Officer
    inv_my2: Officer
    sup_my: Officer
    inv_my_customs: Officer
    coord_my: Officer
    inv_th: Officer
    coord_th: Officer
    inv_vn: Officer
    admin: Officer


def world(make) -> World:
    my_police = make.agency("MY", "PDRM")
    my_customs = make.agency("MY", "JKDM")
    th_police = make.agency("TH", "ECD")
    return World(
        inv_my=make.officer(Role.INVESTIGATOR, agency=my_police),
        inv_my2=make.officer(Role.INVESTIGATOR, agency=my_police),
        sup_my=make.officer(Role.SUPERVISOR, agency=my_police),
        inv_my_customs=make.officer(Role.INVESTIGATOR, agency=my_customs),
        coord_my=make.officer(Role.COORDINATOR, agency=my_customs),
        inv_th=make.officer(Role.INVESTIGATOR, agency=th_police),
        coord_th=make.officer(Role.COORDINATOR, agency=th_police),
        inv_vn=make.officer(Role.INVESTIGATOR, country="VN"),
        admin=make.officer(Role.ADMIN))


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
