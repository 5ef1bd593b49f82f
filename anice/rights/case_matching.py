"""Matching a whole case: its seizure brands and listing titles/sellers against the registry.

Runs as a job after a transaction that changed the case's items (subscribed in
``rights/subscriptions.py`` to ``CaseItemsChanged``; inline without Redis). Officers confirm or
reject candidates; decisions are audited and kept across re-runs.
"""

from __future__ import annotations

import logging

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from .. import policy
from ..cases import timeline
from ..cases.service import get_case
from ..errors import Forbidden, Invalid, NotFound
from ..events import CaseMatchDecided, announce
from ..models import Case, CaseMatch, Category, MatchDecision, Officer, Right, utcnow
from . import match_service

log = logging.getLogger(__name__)
PER_TEXT = 3
MIN_SCORE = 60.0
# Nice classes the goods of a seizure category usually fall in (a hint, not a rule).
CATEGORY_CLASSES = {
    Category.APPAREL: [25], Category.FOOTWEAR: [25], Category.BAGS_ACCESSORIES: [18, 25],
    Category.WATCHES_JEWELLERY: [14], Category.ELECTRONICS: [9], Category.MOBILE_ACCESSORIES: [9],
    Category.COSMETICS: [3], Category.PHARMACEUTICALS: [5], Category.FOOD_BEVERAGES: [29, 30, 32],
    Category.TOBACCO_ALCOHOL: [33, 34], Category.TOYS: [28], Category.AUTO_PARTS: [4, 12],
    Category.HOUSEHOLD: [3, 8, 11, 21], Category.MEDIA_SOFTWARE: [9, 41],
}


def texts_of(case: Case) -> list[tuple[str, str, list[int]]]:
    """(source, text, classes) for everything of the case that names a brand."""
    out = []
    for item in case.seizures:
        out.append((f"seizure:{item.id}", item.brand, CATEGORY_CLASSES.get(item.category, [])))
    for listing in case.listings:
        if listing.title:
            out.append((f"listing:{listing.id}", listing.title, []))
        if listing.seller_name:
            out.append((f"seller:{listing.id}", listing.seller_name, []))
    return out


def where_enforceable(right: Right, country: str) -> str:
    """The reason line that says whether ``right`` may be enforced in the case's country:
    a national right in its office's state, an international registration (Madrid, office
    WO) in each member state it designates, exactly as a national right of that state.
    Candidates are not filtered by office (a holder's right elsewhere still names the brand
    and its contact); this line tells the officer."""
    if country in right.enforceable_in:
        if right.international:
            return (f"enforceable in {country}: international registration designating "
                    f"{', '.join(right.designation_list)}")
        return f"enforceable in {country}: registered there"
    if right.international:
        return (f"not enforceable in {country}: international registration designating "
                f"only {', '.join(right.designation_list) or 'no member state'}")
    return f"not enforceable in {country}: registered in {right.office}"


def match_case(db: Session, case: Case) -> int:
    """(Re)compute candidates; keep every decision; drop pending ones no longer proposed."""
    existing = {(m.source, m.right_id): m for m in db.scalars(
        select(CaseMatch).where(CaseMatch.case_id == case.id))}
    seen = set()
    for source, text, classes in texts_of(case):
        if not text or not text.strip():
            continue
        for found in match_service.match(db, text[:500], classes, PER_TEXT):
            if found.score < MIN_SCORE:
                continue
            key = (source, found.right.id)
            seen.add(key)
            row = existing.get(key)
            reasons = [*found.reasons, where_enforceable(found.right, case.country_code)]
            if row is None:
                db.add(CaseMatch(case_id=case.id, source=source, text=text[:500],
                                 right_id=found.right.id, score=found.score,
                                 reasons=reasons))
            else:
                row.score, row.reasons, row.text = found.score, reasons, text[:500]
                row.updated_at = utcnow()
    stale = [row.id for key, row in existing.items() if key not in seen]
    if stale:
        db.execute(delete(CaseMatch).where(CaseMatch.id.in_(stale),
                                           CaseMatch.decision == MatchDecision.PENDING)
                   .execution_options(synchronize_session=False))
    db.flush()
    return len(seen)


def matches_of(db: Session, actor: Officer, case: Case) -> list[CaseMatch]:
    if not policy.can_view_case(actor, case):
        raise NotFound("No such case.")
    return list(db.scalars(select(CaseMatch).where(CaseMatch.case_id == case.id)
                           .options(selectinload(CaseMatch.right).selectinload(Right.images))
                           .order_by(CaseMatch.source, CaseMatch.score.desc())))


def decide(db: Session, actor: Officer, case_id: int, match_id: int, decision: str) -> CaseMatch:
    """Confirm or reject a candidate; audited, shown in the timeline, kept for re-runs."""
    case = get_case(db, actor, case_id)
    if not policy.can_edit_case(actor, case):
        raise Forbidden("You may not decide on matches of this case.")
    row = db.get(CaseMatch, match_id)
    if row is None or row.case_id != case.id:
        raise NotFound("No such match.")
    try:
        value = MatchDecision(decision)
    except ValueError:
        raise Invalid("decision", "must be confirmed, rejected or pending") from None
    before = row.decision
    row.decision, row.decided_by_id, row.decided_at = value, actor.id, utcnow()
    timeline.record(db, actor, case, "match", f"{value.value.capitalize()} "
                    f"{row.right.office} {row.right.number} ({row.right.mark_text}) for "
                    f"'{row.text[:80]}'",
                    [{"field": "match", "before": before.value, "after": value.value}], obj=row)
    announce(db, CaseMatchDecided(case.id, actor.id))
    return row

