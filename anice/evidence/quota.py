"""Upload quotas: evidence bytes one officer and one agency may upload in any 24 hours.

``ANICE_EVIDENCE_QUOTA_OFFICER_BYTES`` (default 20 GiB) and ``..._AGENCY_BYTES`` (default
100 GiB); 0 turns a quota off. Every evidence item counts at its plaintext size from its
upload time, shredded or not, wherever it was added (case page, API, referral message);
the agency is the uploader's. Import files (cases, rights) do not count: each is bounded by
its own limit and deleted when its job ends or an hour after the check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..models import Evidence, Officer, utcnow
from ..text.locales import N_

WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class Allowance:
    """What the actor may still upload now, and the words that say which quota ends it."""

    remaining: int | None  # None: no quota applies
    message: str = ""

    def refuse_beyond(self, size: int) -> None:
        if self.remaining is not None and size > self.remaining:
            raise Invalid("file", self.message)


def _gib(n: int) -> str:
    return f"{n / 1024**3:g} GiB" if n >= 1024**3 else gettext("%(num)s bytes", num=f"{n:,}")


def _used(db: Session, *, officer_id: int | None = None, agency_id: int | None = None) -> int:
    query = select(func.coalesce(func.sum(Evidence.size), 0)).where(
        Evidence.uploaded_at >= utcnow() - WINDOW)
    if officer_id is not None:
        query = query.where(Evidence.uploaded_by_id == officer_id)
    else:
        query = query.join(Officer, Officer.id == Evidence.uploaded_by_id).where(
            Officer.agency_id == agency_id)
    return int(db.scalar(query) or 0)


def allowance(db: Session, actor: Officer) -> Allowance:
    """The smaller of the officer's and the agency's remaining quota of the last 24 hours."""
    limits = [("officer", int(current_app.config.get("EVIDENCE_QUOTA_OFFICER_BYTES") or 0)),
              ("agency", int(current_app.config.get("EVIDENCE_QUOTA_AGENCY_BYTES") or 0))]
    best: Allowance = Allowance(None)
    for whose, limit in limits:
        if limit <= 0:
            continue
        used = (_used(db, officer_id=actor.id) if whose == "officer"
                else _used(db, agency_id=actor.agency_id))
        remaining = max(0, limit - used)
        if best.remaining is None or remaining < best.remaining:
            text = (N_("your upload quota of %(limit)s per 24 hours would be exceeded "
                       "(%(used)s uploaded, %(left)s left); nothing was kept. Try again later "
                       "or ask the system administrator to raise %(setting)s")
                    if whose == "officer" else
                    N_("your agency's upload quota of %(limit)s per 24 hours would be exceeded "
                       "(%(used)s uploaded, %(left)s left); nothing was kept. Try again later "
                       "or ask the system administrator to raise %(setting)s"))
            best = Allowance(remaining, gettext(
                text, limit=_gib(limit), used=_gib(used), left=_gib(remaining),
                setting="ANICE_EVIDENCE_QUOTA_" + whose.upper() + "_BYTES"))
    return best
