"""Deadlines of verification requests: a reminder to both sides some working days before
the deadline, an overdue notice once it has passed, each sent once (the daily job
``workers.verifications.remind_due``, or ``flask --app wsgi verifications remind``)."""

from __future__ import annotations

from datetime import date

from flask import current_app, has_app_context
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from .. import audit
from ..models import VerificationRequest, utcnow
from ..text.locales import N_
from ..text.messages import message
from . import calendar
from .service import SENT, tell_holders, tell_officers, today_in


def _mark(db: Session, vr: VerificationRequest, **values) -> None:
    """Note a notice as sent without counting as a change of the request: its version stays,
    so an answer or withdrawal from a page opened before the notice is not refused."""
    db.execute(update(VerificationRequest).where(VerificationRequest.id == vr.id)
               .values(**values).execution_options(synchronize_session=False))
    for name, value in values.items():
        set_committed_value(vr, name, value)


def remind_due(db: Session, on: date | None = None) -> dict[str, int]:
    """Tell both sides once when a waiting request's deadline is near (the configured working
    days before it) and once when it has passed. ``on``: the day to act as (else today in
    each request's country)."""
    before = int(current_app.config.get("VERIFICATION_REMIND_WORKING_DAYS", 2)) \
        if has_app_context() else 2
    reminded = overdue = 0
    rows = db.scalars(select(VerificationRequest).where(
        VerificationRequest.status == SENT,
        (VerificationRequest.reminded_at.is_(None))
        | (VerificationRequest.overdue_noted_at.is_(None)))
        .with_for_update(skip_locked=True, of=VerificationRequest))
    for vr in list(rows):
        day = on or today_in(db, vr.country_code)
        if vr.deadline < day:
            if vr.overdue_noted_at is None:
                now = utcnow()
                _mark(db, vr, overdue_noted_at=now, reminded_at=vr.reminded_at or now)
                what = message(N_("the answer was due on %(date)s"),
                               date=vr.deadline.isoformat())
                tell_officers(db, vr, "overdue", what)
                tell_holders(db, vr, "overdue", what)
                overdue += 1
        elif vr.reminded_at is None and calendar.working_days_left(
                db, vr.country_code, day, vr.deadline) <= before:
            _mark(db, vr, reminded_at=utcnow())
            what = message(N_("the answer is due on %(date)s"), date=vr.deadline.isoformat())
            tell_officers(db, vr, "reminder", what)
            tell_holders(db, vr, "reminder", what)
            reminded += 1
    db.flush()
    if reminded or overdue:
        audit.record(db, None, "verification.reminders", actor_label="ANICE",
                     details={"reminded": reminded, "overdue": overdue})
    return {"reminded": reminded, "overdue": overdue}
