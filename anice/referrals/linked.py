"""The receiver's linked case: opened when a referral is accepted, built from what the
referral shares, and marked with the referral and its handling code (see provenance)."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import gettext
from sqlalchemy.orm import Session

from .. import policy
from ..cases.service import create_case
from ..events import CaseItemsChanged, announce
from ..models import (
    Case,
    CaseStatus,
    Listing,
    Officer,
    Party,
    Referral,
    ReferralCopy,
    SeizureItem,
    ShareKind,
)
from . import sharing


def open_linked_case(db: Session, actor: Officer, referral: Referral,
                     view: sharing.SharedView) -> Case:
    """The receiver's own case for the referral, in the actor's agency, carrying the
    referral's id and handling code (an "agency only" case is then read by that agency
    alone: policy.can_view_case)."""
    # Written in the accepting officer's language: the new case is its agency's own.
    title = view.fields.get("title") or gettext("Referral %(ref)s", ref=referral.reference)
    opened = gettext("Opened on referral %(ref)s from %(agency)s (%(country)s), case %(case)s. "
                     "Requested: %(action)s.", ref=referral.reference,
                     agency=referral.from_agency.name, country=referral.from_country_code,
                     case=referral.case.reference,
                     action=gettext(referral.requested_action.label).lower())
    case = create_case(db, actor, {
        "kind": referral.case.kind.value,
        "title": gettext("%(title)s (referral %(ref)s)", title=title,
                         ref=referral.reference)[:200],
        "summary": f"{opened}\n\n{referral.message}"[:10000],
        "tags": f"referral,{referral.from_country_code.lower()}",
    })
    case.status = CaseStatus.OPEN
    case.opened_on = datetime.now(UTC).date()
    case.origin_referral_id = referral.id
    case.origin_handling = referral.handling_code.value
    return case


_COPY_FIELDS = {
    ShareKind.SEIZURE: (SeizureItem, ("description", "brand", "brand_key", "category",
                                      "quantity", "unit", "value_local", "currency", "usd_rate",
                                      "rate_date", "value_usd")),
    ShareKind.LISTING: (Listing, ("url", "platform", "seller_name", "seller_id", "title",
                                  "price", "currency", "seen_at", "takedown_requested_on",
                                  "takedown_done_on", "takedown_result")),
    ShareKind.PARTY: (Party, ("role", "kind", "name", "nationality", "id_number", "contact",
                              "notes")),
}


def copy_items(db: Session, actor: Officer, referral: Referral, view: sharing.SharedView,
               case: Case) -> int:
    """Copy the shared seizure items, listings and parties into the linked case; each
    copy remembers the referral and its handling code. Announces the case's new items
    (matched against the registry after commit, correlated, indexed)."""
    if not policy.handling_allows(referral, "copy"):
        return 0
    count = 0
    for kind, items in ((ShareKind.SEIZURE, view.seizures), (ShareKind.LISTING, view.listings),
                        (ShareKind.PARTY, view.parties)):
        model, names = _COPY_FIELDS[kind]
        for item in items:
            copy = model(case_id=case.id, **{n: getattr(item, n) for n in names})
            db.add(copy)
            db.flush()
            db.add(ReferralCopy(referral_id=referral.id, kind=kind, source_id=item.id,
                                copy_id=copy.id, handling_code=referral.handling_code))
            count += 1
    if count:
        db.refresh(case)  # the copies were added by case_id: load them into the collections
        announce(db, CaseItemsChanged(case.id, actor.id))
    return count
