"""Demo referrals between the demo agencies, made through the service layer so that
they carry their events, timelines, audit rows and notifications like real ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import (
    Agency,
    Case,
    CaseStatus,
    Officer,
)
from ..referrals import service
from . import DOMAIN


def _officer(db: Session, local: str) -> Officer:
    return db.scalar(select(Officer).where(Officer.email == f"{local}@{DOMAIN}"))


def load_referrals(db: Session) -> int:
    """Four referrals from KPDN (MY): accepted by ECD (TH), waiting for approval, sent to
    Viet Nam's coordinator, and one that asks Thailand for more information."""
    inv, sup = _officer(db, "investigator.my"), _officer(db, "supervisor.my")
    th_coord, th_sup = _officer(db, "coordinator.th"), _officer(db, "supervisor.th")
    if inv is None or th_sup is None:
        return 0
    cases = list(db.scalars(select(Case).where(Case.agency_id == inv.agency_id,
                                               Case.status != CaseStatus.DRAFT)
                            .order_by(Case.id).limit(4)))
    if len(cases) < 4:
        return 0
    ecd = db.scalar(select(Agency).where(Agency.country_code == "TH", Agency.code == "ECD"))
    deadline = (service.today() + timedelta(days=21)).isoformat()

    def make(case: Case, to: str, action: str, message: str) -> int:
        shares = {"fields": ["title", "kind", "right_types", "place", "dates"],
                  "seizures": [str(s.id) for s in case.seizures[:1]],
                  "listings": [str(item.id) for item in case.listings[:1]]}
        referral = service.create_referrals(db, inv, case.id, {
            "to": to, "requested_action": action, "handling_code": "within_country",
            "message": message, "deadline": deadline, **shares})[0]
        service.submit(db, inv, referral.id)
        return referral.id

    first = make(cases[0], f"agency:{ecd.id}", "investigate",
                 "The supplier of these goods ships from a warehouse near Bangkok; please "
                 "check the address we will send on the thread.")
    service.approve(db, sup, first, {})
    service.accept(db, th_sup, first, {"copy": True})
    service.post_message(db, th_sup, first, {"body": "Accepted; our team visits the "
                                                     "warehouse next week."})
    make(cases[1], "TH", "trace_goods", "Containers of this seizure were loaded in Laem "
                                        "Chabang; can you trace the consignor?")
    third = make(cases[2], "VN", "take_down", "The seller also sells on a Vietnamese "
                                              "marketplace; please request a takedown.")
    service.approve(db, sup, third, {})
    fourth = make(cases[3], "TH", "identify_suspect", "Who holds the phone number used by "
                                                      "this seller?")
    service.approve(db, sup, fourth, {})
    service.request_info(db, th_coord, fourth, {"message": "Please share the listing's "
                                                           "screenshots."})
    return 4
