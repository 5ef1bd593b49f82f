"""The scheduled reports: what the RQ cron job and ``flask reports due`` both run."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy.orm import Session

from . import service

log = logging.getLogger(__name__)


def generate_due(session: Session, day: date | None = None) -> list[str]:
    """Make every missing report of the last completed month, quarter and year; returns
    "<scope> <period>" for each made. Commits after each report so a failure keeps the
    earlier ones (this is a job boundary). Idempotent."""
    day = day or service.today_utc()
    made = []
    for scope, period in service.due(session, day):
        service.generate(session, scope, period, origin="schedule", today=day)
        session.commit()
        made.append(f"{scope.key} {period.key}")
    log.info("scheduled reports made", extra={"count": len(made), "day": day.isoformat()})
    return made
