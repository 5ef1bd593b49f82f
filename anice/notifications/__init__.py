"""Tell officers that something concerns them: an in-app notification and, when SMTP is
configured, an e-mail with a link only (never case content), sent by a job after commit.

Messages name references and events ("Referral RF-MY-2026-000012 was accepted"), never
what a case holds: a notification may be read by someone who should not see more. A line
given as a message (``anice.text.messages``) is kept as message and values and shown in the
reader's language (``shown``); a line given as text is written in its readers' language by
the caller (``by_language``). E-mails are written in the recipient's (``email``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context
from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from ..jobs import enqueue_after_commit
from ..models import Notification, Officer, utcnow
from ..text import locales
from ..text.messages import english, translate
from . import stored
from .entries import (  # noqa: F401  (the grouped reading of the bell)
    ACTION_KINDS,
    Entry,
    entries,
    kinds_of,
    mark_entries_read,
    unread_entries,
)

log = logging.getLogger(__name__)


def notify(db: Session, recipients: Iterable[Officer], kind: str, message: str | dict,
           url: str | None = None, group: str | None = None) -> list[Notification]:
    """One notification per active recipient (deduplicated), in the caller's transaction.
    ``message``: a ``messages.message`` (kept, and stored in English), or a line already in
    the recipients' language.

    ``group`` names the subject (e.g. ``"case:12"``): notices of the same kind and subject
    on the same day of the recipient are one entry of the bell (``entries``)."""
    text = message if isinstance(message, dict) else None
    line = english(text) if text is not None else message
    rows = []
    seen: set[int] = set()
    for officer in recipients:
        if officer is None or not officer.active or officer.id in seen:
            continue
        seen.add(officer.id)
        rows.append(Notification(officer_id=officer.id, kind=kind, message=line[:300],
                                 text=text, url=url,
                                 group_key=group_key(officer, kind, group)))
    db.add_all(rows)
    if rows and _mail_configured():
        _mail_after_commit(db, [(o_id, kind) for o_id in seen])
    return rows


def group_key(officer: Officer, kind: str, group: str | None,
              now: datetime | None = None) -> str | None:
    """``kind:subject:day``, the day in the recipient's time zone; None without a subject."""
    if group is None:
        return None
    try:
        zone = ZoneInfo(officer.timezone or "UTC")
    except (ValueError, KeyError):  # an unknown zone name: the UTC day
        zone = ZoneInfo("UTC")
    day = (now or utcnow()).astimezone(zone).date().isoformat()
    return f"{kind}:{group}:{day}"[:120]


def _mail_configured() -> bool:
    return has_app_context() and bool(current_app.config.get("SMTP_HOST"))


def _mail_after_commit(db: Session, items: list[tuple]) -> None:
    """E-mails leave only once the transaction that made the notifications has committed:
    the jobs are written to the outbox in that transaction (the queue carries ids, never
    the message)."""
    for officer_id, kind in items:
        enqueue_after_commit(db, "workers.mail.send_notification", officer_id=officer_id,
                             kind=kind)


def shown(notification: Notification) -> str:
    """The notification's line in the reader's language."""
    if notification.text:
        return translate(notification.text)
    return stored.shown(notification.kind, notification.message)  # an older row


def language_of(officer: Officer) -> str:
    """The language ``officer`` reads, for what is written for them outside their own
    request (e-mails, a job's report); a test's pseudo-locale counts (tests/i18n)."""
    extra = current_app.config.get("PSEUDO_LOCALE") if has_app_context() else None
    return locales.officer_language(officer, (extra,) if extra else ())


def email(officer: Officer, base_url: str) -> tuple[str, str]:
    """The subject and body of the e-mail telling ``officer`` of a new notification, in
    their language: a link only (no reference, name or content of a case)."""
    link = base_url.rstrip("/") + "/notifications"
    with force_locale(language_of(officer)):
        return (gettext("ANICE: a new notification"),
                gettext("Something in ANICE concerns you. Log in to read it:") + "\n" + link
                + "\n")


def unread_count(db: Session, officer: Officer) -> int:
    return db.scalar(select(func.count(Notification.id)).where(
        Notification.officer_id == officer.id, Notification.read_at.is_(None))) or 0


def notifications_of(db: Session, officer: Officer, limit: int = 100) -> list[Notification]:
    return list(db.scalars(select(Notification).where(Notification.officer_id == officer.id)
                           .order_by(Notification.id.desc()).limit(limit)))


def mark_read(db: Session, officer: Officer, ids: Iterable[int] | None = None) -> int:
    """Mark the officer's own notifications (all, or the given ids) as read."""
    stmt = update(Notification).where(Notification.officer_id == officer.id,
                                      Notification.read_at.is_(None))
    if ids is not None:
        stmt = stmt.where(Notification.id.in_(list(ids)))
    return db.execute(stmt.values(read_at=utcnow())).rowcount or 0
