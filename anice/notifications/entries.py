"""The bell as entries: notices sharing a group key (one kind, one subject, one day) are
one entry with a count; entries that ask the officer to act come first while unread.

Grouping happens when reading: every notice stays its own row (the API still lists rows),
and marking an entry read marks all its members.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import String, case, cast, func, or_, select, update
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..models import Notification, Officer, utcnow
from ..text.locales import N_

# Kinds that ask the recipient to do something: approve, route, accept or answer, fix a
# returned draft, answer a question, meet a deadline.
ACTION_KINDS = frozenset({
    "referral.approval", "referral.received", "referral.routed", "referral.returned",
    "referral.info_requested", "referral.reminder",
    "verification.received", "verification.reminder", "verification.overdue",
})

KIND_LABELS = {
    "case.assigned": N_("Case assigned to you"),
    "correlation.link": N_("New links between cases"),
    "correlation.hit": N_("Hits on your cases"),
    "correlation.flood": N_("Unusual number of searches"),
    "referral.approval": N_("Referral waits for your approval"),
    "referral.approved": N_("Referral approved"),
    "referral.returned": N_("Referral returned to draft"),
    "referral.received": N_("Referral received"),
    "referral.routed": N_("Referral routed to your agency"),
    "referral.accepted": N_("Referral accepted"),
    "referral.declined": N_("Referral declined"),
    "referral.info_requested": N_("Information requested"),
    "referral.message": N_("Referral message"),
    "referral.shared": N_("More items shared"),
    "referral.withdrawn": N_("Referral withdrawn"),
    "referral.court_consent": N_("Consent to use in court"),
    "referral.reminder": N_("Referral answer due"),
    "holder.alert": N_("Your right confirmed in a case"),
    "report.ready": N_("Report ready"),
    "verification.received": N_("Verification request received"),
    "verification.answered": N_("Verification request answered"),
    "verification.withdrawn": N_("Verification request withdrawn"),
    "verification.reminder": N_("Verification answer due soon"),
    "verification.overdue": N_("Verification answer overdue"),
    "report.failed": N_("Report failed"),
    "referral_request.received": N_("Referral request received"),
    "referral_request.declined": N_("Referral request declined"),
}
_KIND = re.compile(r"^[a-z_]{1,20}(\.[a-z_]{1,20})?$")
MEMBERS_SHOWN = 20


def kind_label(kind: str) -> str:
    """The kind in the reader's words (a kind without a label: its name, humanised)."""
    known = KIND_LABELS.get(kind)
    if known:
        return gettext(known)
    return kind.replace("_", " ").replace(".", ": ").capitalize()


@dataclass
class Entry:
    """One line of the bell: the newest notice of its group, and how many it stands for."""

    newest: Notification
    count: int
    unread: int
    members: list[Notification] = field(default_factory=list)  # the others, newest first

    @property
    def action_needed(self) -> bool:
        return self.newest.kind in ACTION_KINDS

    @property
    def label(self) -> str:
        return kind_label(self.newest.kind)


def _group():
    # Rows without a key are groups of one (their id; keys always hold a colon).
    return func.coalesce(Notification.group_key, cast(Notification.id, String))


def _checked_kind(kind: str) -> str:
    kind = (kind or "").strip()
    if kind and not _KIND.match(kind):
        raise Invalid("kind", gettext("'%(kind)s' is not a kind of notification",
                                      kind=kind[:40]))
    return kind


def unread_entries(db: Session, officer: Officer) -> int:
    """The bell's count: entries with at least one unread notice (not every notice)."""
    return db.scalar(select(func.count(func.distinct(_group()))).where(
        Notification.officer_id == officer.id, Notification.read_at.is_(None))) or 0


def kinds_of(db: Session, officer: Officer) -> list[tuple[str, str]]:
    """The kinds among the officer's notifications, as (kind, label), for the filter."""
    kinds = db.scalars(select(Notification.kind).where(Notification.officer_id == officer.id)
                       .distinct())
    return sorted(((k, kind_label(k)) for k in kinds), key=lambda pair: pair[1])


def entries(db: Session, officer: Officer, *, kind: str = "", page: int = 1,
            per_page: int = 25) -> tuple[list[Entry], int]:
    """One page of the officer's entries and how many there are: unread entries that need
    action first, then the newest first."""
    kind = _checked_kind(kind)
    grp = _group().label("grp")
    groups = (select(grp, func.max(Notification.id).label("newest"),
                     func.count(Notification.id).label("n"),
                     func.sum(case((Notification.read_at.is_(None), 1), else_=0)).label("unread"),
                     func.max(Notification.kind).label("kind"))
              .where(Notification.officer_id == officer.id)
              .group_by(grp))
    if kind:
        groups = groups.where(Notification.kind == kind)
    sub = groups.subquery()
    total = db.scalar(select(func.count()).select_from(sub)) or 0
    first = case((sub.c.kind.in_(sorted(ACTION_KINDS)) & (sub.c.unread > 0), 0), else_=1)
    rows = db.execute(select(sub.c.newest, sub.c.n, sub.c.unread)
                      .order_by(first, sub.c.newest.desc())
                      .limit(per_page).offset((max(1, page) - 1) * per_page)).all()
    newest = {n.id: n for n in db.scalars(select(Notification).where(
        Notification.id.in_([r.newest for r in rows])))}
    found = [Entry(newest[r.newest], int(r.n), int(r.unread or 0)) for r in rows]
    _load_members(db, officer, [e for e in found if e.count > 1])
    return found, total


def _load_members(db: Session, officer: Officer, grouped: list[Entry]) -> None:
    by_key = {e.newest.group_key: e for e in grouped}
    if not by_key:
        return
    for row in db.scalars(select(Notification).where(
            Notification.officer_id == officer.id, Notification.group_key.in_(list(by_key)))
            .order_by(Notification.id.desc())):
        entry = by_key[row.group_key]
        if row.id != entry.newest.id and len(entry.members) < MEMBERS_SHOWN:
            entry.members.append(row)


def mark_entries_read(db: Session, officer: Officer, ids: Iterable[int] | None = None) -> int:
    """Mark the officer's entries read: all, or those holding the given notice ids (every
    member of their groups). Another officer's ids change nothing."""
    stmt = update(Notification).where(Notification.officer_id == officer.id,
                                      Notification.read_at.is_(None))
    if ids is not None:
        ids = list(ids)
        keys = select(Notification.group_key).where(
            Notification.officer_id == officer.id, Notification.id.in_(ids),
            Notification.group_key.is_not(None))
        stmt = stmt.where(or_(Notification.id.in_(ids), Notification.group_key.in_(keys)))
    return db.execute(stmt.values(read_at=utcnow())
                      .execution_options(synchronize_session=False)).rowcount or 0
