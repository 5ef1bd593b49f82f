"""Matching a whole case: its seizure brands and listing titles/sellers against the registry.

Runs as a job after a transaction that changed the case's items (subscribed in
``rights/subscriptions.py`` to ``CaseItemsChanged``; inline without Redis). Officers confirm or
reject candidates; decisions are audited and kept across re-runs.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, selectinload

from .. import policy
from ..cases import timeline
from ..cases.service import get_case
from ..errors import Forbidden, Invalid, NotFound
from ..events import CaseMatchDecided, announce
from ..models import Case, CaseMatch, MatchDecision, Officer, Right, utcnow
from ..text.locales import N_
from ..text.messages import message
from . import match_service, nice

log = logging.getLogger(__name__)
PER_TEXT = 3
# The case's timeline entry of a decision (shown in each reader's language).
DECIDED = {
    MatchDecision.CONFIRMED: N_("Confirmed %(right)s (%(mark)s) for '%(text)s'"),
    MatchDecision.REJECTED: N_("Rejected %(right)s (%(mark)s) for '%(text)s'"),
    MatchDecision.PENDING: N_("Set %(right)s (%(mark)s) for '%(text)s' back to pending"),
}
MIN_SCORE = 60.0


@dataclass(frozen=True)
class Seen:
    """One text of a case that names a brand, with what tells its goods: the Nice classes
    they likely fall in (a boost for candidates in them) and the words to find in the
    candidates' goods (an item's description, a listing's title)."""

    source: str
    text: str
    classes: list[int]
    goods_text: str | None


def texts_of(case: Case) -> list[Seen]:
    """Everything of the case that names a brand."""
    out = []
    for item in case.seizures:
        out.append(Seen(f"seizure:{item.id}", item.brand,
                        nice.likely_classes(item.category, item.description), item.description))
    for listing in case.listings:
        classes = nice.word_classes(listing.title)
        if listing.title:
            out.append(Seen(f"listing:{listing.id}", listing.title, classes, listing.title))
        if listing.seller_name:
            out.append(Seen(f"seller:{listing.id}", listing.seller_name, classes,
                            listing.title))
    return out


def goods_match_of(row: CaseMatch) -> dict | None:
    """A candidate's goods line as the API gives it: ``{class, term, words}`` or None."""
    if not row.goods_term:
        return None
    return {"class": row.goods_class, "term": row.goods_term, "words": row.goods_words or []}


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
    for item in texts_of(case):
        text = item.text
        if not text or not text.strip():
            continue
        for found in match_service.match(db, text[:500], item.classes, PER_TEXT,
                                         goods_text=item.goods_text or ""):
            if found.score < MIN_SCORE:
                continue
            key = (item.source, found.right.id)
            seen.add(key)
            row = existing.get(key)
            reasons = [*found.reasons, where_enforceable(found.right, case.country_code)]
            if row is None:
                row = CaseMatch(case_id=case.id, source=item.source, text=text[:500],
                                right_id=found.right.id, score=found.score, reasons=reasons)
                db.add(row)
            else:
                row.score, row.reasons, row.text = found.score, reasons, text[:500]
                row.updated_at = utcnow()
            goods = found.goods_match
            row.goods_class = goods.class_number if goods else None
            row.goods_term = goods.term if goods else None
            row.goods_words = goods.words if goods else None
    stale = [row.id for key, row in existing.items() if key not in seen]
    if stale:
        db.execute(delete(CaseMatch).where(CaseMatch.id.in_(stale),
                                           CaseMatch.decision == MatchDecision.PENDING)
                   .execution_options(synchronize_session=False))
    db.flush()
    return len(seen)


def matches_of(db: Session, actor: Officer, case: Case) -> list[CaseMatch]:
    if not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    return list(db.scalars(select(CaseMatch).where(CaseMatch.case_id == case.id)
                           .options(selectinload(CaseMatch.right).selectinload(Right.images))
                           .order_by(CaseMatch.source, CaseMatch.score.desc())))


def decide(db: Session, actor: Officer, case_id: int, match_id: int, decision: str) -> CaseMatch:
    """Confirm or reject a candidate; audited, shown in the timeline, kept for re-runs."""
    case = get_case(db, actor, case_id)
    if not policy.can_edit_case(actor, case):
        raise Forbidden(gettext("You may not decide on matches of this case."))
    row = db.get(CaseMatch, match_id)
    if row is None or row.case_id != case.id:
        raise NotFound(gettext("No such match."))
    try:
        value = MatchDecision(decision)
    except ValueError:
        raise Invalid("decision", gettext("must be confirmed, rejected or pending")) from None
    before = row.decision
    row.decision, row.decided_by_id, row.decided_at = value, actor.id, utcnow()
    timeline.record(db, actor, case, "match",
                    message(DECIDED[value], right=f"{row.right.office} {row.right.number}",
                            mark=row.right.mark_text, text=row.text[:80]),
                    [{"field": "match", "before": before.value, "after": value.value}], obj=row)
    announce(db, CaseMatchDecided(case.id, actor.id, row.id))
    return row

