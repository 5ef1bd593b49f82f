"""Login throttling per (client address, e-mail as typed) and the growing delay.

Keyed by the pair, never by the account alone: a guesser at one address is slowed down,
the officer logging in from another address is not, and an unknown e-mail is throttled
exactly like a real one (so the answer tells nothing about which accounts exist).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import LoginThrottle, utcnow

MAX_DELAY = timedelta(minutes=15)


def delay_after(failures: int) -> timedelta | None:
    """Growing delay after the free attempts: 30 s, 1 min, 2 min, ... up to 15 min."""
    free = current_app.config["LOGIN_FREE_ATTEMPTS"]
    if failures < free:
        return None
    return min(timedelta(seconds=30 * 2 ** min(failures - free, 10)), MAX_DELAY)


def _client_net(client_addr: str | None) -> str:
    """The address, or for IPv6 its /64: one host usually holds a whole /64 to rotate in."""
    try:
        addr = ipaddress.ip_address(client_addr or "")
    except ValueError:
        return client_addr or ""
    if isinstance(addr, ipaddress.IPv6Address):
        if addr.ipv4_mapped is not None:
            return str(addr.ipv4_mapped)
        return str(ipaddress.ip_network(f"{addr}/64", strict=False))
    return str(addr)


def pair_key(client_addr: str | None, email: str) -> str:
    """The throttle key of one address and one e-mail (keyed hash: the table names neither)."""
    key = current_app.config["SECRET_KEY"].encode()
    message = f"{_client_net(client_addr)}\n{email.strip().lower()}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def wait_seconds(db: Session, key: str, now: datetime | None = None) -> int:
    """Seconds this pair must still wait before its next attempt; 0 when it may try."""
    now = now or utcnow()
    until = db.scalar(select(LoginThrottle.locked_until).where(LoginThrottle.key == key))
    if until is None or until <= now:
        return 0
    return int((until - now).total_seconds()) + 1


def record_failure(db: Session, key: str) -> None:
    """Count one failed attempt of the pair (atomic under parallel attempts)."""
    now = utcnow()
    insert = pg_insert if db.get_bind().dialect.name == "postgresql" else sqlite_insert
    db.execute(insert(LoginThrottle).values(key=key, failures=1, updated_at=now)
               .on_conflict_do_update(index_elements=[LoginThrottle.key], set_={
                   "failures": LoginThrottle.failures + 1, "updated_at": now}))
    failures = db.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key)) or 0
    delay = delay_after(failures)
    if delay is not None:
        db.execute(update(LoginThrottle).where(LoginThrottle.key == key)
                   .values(locked_until=now + delay)
                   .execution_options(synchronize_session=False))


def clear(db: Session, key: str) -> None:
    """A successful login from this address forgets its failures."""
    db.execute(delete(LoginThrottle).where(LoginThrottle.key == key)
               .execution_options(synchronize_session=False))


def purge_stale(db: Session, older_than: timedelta = timedelta(days=1)) -> int:
    """Remove pairs with no failure for a day (their delay has long run out)."""
    result = db.execute(delete(LoginThrottle).where(LoginThrottle.updated_at < utcnow()
                                                    - older_than)
                        .execution_options(synchronize_session=False))
    return result.rowcount or 0
