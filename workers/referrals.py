"""Referral jobs: deadline reminders (daily, from the RQ scheduler or cron)."""

from __future__ import annotations

from .app import app_context


def remind_due() -> dict:
    """Remind receivers of referrals due in 3 days and in 1 day (each once)."""
    with app_context():
        from anice import db
        from anice.referrals.service import remind_due as remind

        count = remind(db.session())
        db.commit()
        return {"reminded": count}
