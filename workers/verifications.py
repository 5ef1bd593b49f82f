"""Verification request jobs: deadline reminders and overdue notices (daily)."""

from __future__ import annotations

from .app import app_context


def remind_due() -> dict:
    """Tell both sides of requests near or past their deadline (each notice once)."""
    with app_context():
        from anice import db
        from anice.verification.reminders import remind_due as remind

        counts = remind(db.session())
        db.commit()
        return counts
