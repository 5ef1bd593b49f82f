"""Submit once: a form token or an API ``Idempotency-Key`` does its work a single time.

The web pages put a fresh token in each form that creates something; API clients may send
an ``Idempotency-Key``. The first POST with a key records ``key -> outcome`` for its officer
in the same transaction as its work, so a double click, a retry or a replay of the POST
finds the record (or, when both are in flight, loses the unique constraint and rolls its
own work back) and answers the first outcome instead of doing the work again. A key is the
officer's own: another officer's POST with the same key is a submission of its own.
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
import time
from datetime import timedelta

from sqlalchemy import delete, inspect, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import Officer, Submission, utcnow

log = logging.getLogger(__name__)

FORM, API = "form", "api"
KEPT = timedelta(hours=24)  # a replay later than this does the work again
_KEY = re.compile(r"^[A-Za-z0-9_\-.:]{1,100}$")


class AlreadySubmitted(Exception):  # noqa: N818 - a signal, not an error
    """A POST with the same key committed first: answer ``earlier`` and do nothing."""

    def __init__(self, earlier: Submission) -> None:
        super().__init__("already submitted")
        self.earlier = earlier


def new_token() -> str:
    """A fresh form token (192 random bits, URL-safe)."""
    return secrets.token_urlsafe(24)


def usable_key(key: str | None) -> bool:
    """1 to 100 letters, digits or ``- _ . :`` (a UUID, a form token)."""
    return key is not None and bool(_KEY.match(key))


def fingerprint(*parts: bytes | str) -> str:
    """What identifies the request behind a key (method, path, body): its SHA-256."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


def earlier(db: Session, actor: Officer, scope: str, key: str) -> Submission | None:
    """The actor's recorded submission with this key, if one was made within ``KEPT``."""
    return db.scalar(select(Submission).where(
        Submission.officer_id == actor.id, Submission.scope == scope, Submission.key == key,
        Submission.created_at >= utcnow() - KEPT))


def claim(db: Session, actor: Officer, scope: str, key: str, path: str,
          print_: str | None = None) -> Submission:
    """Record, in the caller's transaction (its work already flushed), that the actor's
    submission ``key`` is done here. When a concurrent POST with the key committed first,
    roll this transaction back and raise AlreadySubmitted with that one's record."""
    officer_id = actor.id
    db.execute(delete(Submission).where(Submission.officer_id == officer_id,
                                        Submission.created_at < utcnow() - KEPT))
    row = Submission(officer_id=officer_id, scope=scope, key=key, path=path[:500],
                     fingerprint=print_)
    db.add(row)
    try:
        db.flush()
    except IntegrityError:
        db.rollback()
        first = db.scalar(select(Submission).where(
            Submission.officer_id == officer_id, Submission.scope == scope,
            Submission.key == key))
        if first is None:
            raise
        log.info("concurrent submission with the same key rolled back",
                 extra={"scope": scope, "officer": officer_id})
        raise AlreadySubmitted(first) from None
    return row


def is_kept(row: Submission) -> bool:
    """The claim is still in the transaction (the view did not roll it back)."""
    return inspect(row).persistent


def settle(db: Session, row: Submission | None, status_code: int,
           location: str | None = None, body: str | None = None) -> bool:
    """Keep the first outcome with the claim; False when the claim was rolled back since."""
    if row is None or not is_kept(row):
        return False
    row.status_code = status_code
    row.location = (location or "")[:500] or None
    row.body = body
    db.flush()
    return True


def release(db: Session, claim_id: int) -> None:
    """Forget a claim committed ahead of its work (``commit_first``): the work was refused
    or failed, so the same token may be sent again."""
    db.rollback()
    db.execute(delete(Submission).where(Submission.id == claim_id))
    db.commit()


def outcome_of(db: Session, first: Submission, wait: float = 5.0) -> Submission:
    """A claim committed ahead of its work has no outcome until that work ends: wait a few
    seconds for it (a double click), else answer without one."""
    deadline = time.monotonic() + wait
    while first.status_code is None and time.monotonic() < deadline:
        time.sleep(0.1)
        db.rollback()  # a fresh snapshot each time
        found = db.get(Submission, first.id, populate_existing=True)
        if found is None:
            break  # released: the first submission was refused
        first = found
    return first
