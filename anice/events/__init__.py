"""Domain events: a service announces what it changed; subscribers do what must follow.

A service calls ``announce(db, SomeEvent(...))`` after it has written its change. Each
feature that must react says so in its own ``subscriptions.py`` (``subscribe(registry)``);
the app factory wires those modules, once, into the app's ``Registry``. Two kinds of
subscriber:

- ``registry.on(Event, handler)``: ``handler(db, event)`` runs at once, in the announcing
  transaction (the search document, the case's identifiers): a rollback undoes it too.
- ``registry.job(Event, "workers.x.y", args)``: the job is queued through the transactional
  outbox (``jobs.enqueue_after_commit``) and runs only after the commit (matching, evidence
  derivatives). The same job with the same arguments is queued once per transaction, so ten
  items added in one request give one matching job for their case.

Plain functions and a dict rather than blinker's signals: subscribers here need the session
and an order, jobs need deduplication per transaction, and an explicit table is easier to
read and to test than receivers connected wherever a module happens to be imported.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from flask import Flask, current_app
from sqlalchemy import event as sa_event
from sqlalchemy.orm import Session

from ..jobs import enqueue_after_commit

EXTENSION = "anice.events"
_QUEUED = "anice.events.queued"


@dataclass(frozen=True)
class CaseSaved:
    """The facts of case ``case_id`` were created or changed (title, status, tags, ...)."""

    case_id: int
    actor_id: int | None


@dataclass(frozen=True)
class CaseDiscarded:
    """Draft case ``case_id`` was discarded: it leaves lists, search, reports and links."""

    case_id: int
    actor_id: int | None


@dataclass(frozen=True)
class CaseItemsChanged:
    """Seizure items, listings or parties of case ``case_id`` were added, edited or removed."""

    case_id: int
    actor_id: int | None


@dataclass(frozen=True)
class CaseMatchDecided:
    """An officer confirmed, rejected or reset a registry match of case ``case_id``
    (``match_id``: the CaseMatch decided, when one match was)."""

    case_id: int
    actor_id: int | None
    match_id: int | None = None


@dataclass(frozen=True)
class EvidenceRegistered:
    """Evidence ``evidence_id`` was sealed, stored and recorded on case ``case_id``."""

    evidence_id: int
    case_id: int
    actor_id: int | None


@dataclass(frozen=True)
class RightsChanged:
    """Registered rights were imported or edited; the change began at ``since_us``
    (microseconds since the epoch): the matching index must cover it."""

    rights: int
    since_us: int


Event = (CaseSaved | CaseItemsChanged | CaseMatchDecided | EvidenceRegistered
         | RightsChanged)
Handler = Callable[[Session, Any], None]


@dataclass
class Registry:
    """Who listens to what: in-transaction handlers and after-commit jobs, per event type."""

    handlers: dict[type, list[Handler]] = field(default_factory=dict)
    jobs: dict[type, list[tuple[str, Callable[[Any], tuple]]]] = field(default_factory=dict)

    def on(self, event_type: type, handler: Handler) -> None:
        """Run ``handler(db, event)`` in the announcing transaction."""
        self.handlers.setdefault(event_type, []).append(handler)

    def job(self, event_type: type, func_path: str, args: Callable[[Any], tuple]) -> None:
        """Queue ``func_path(*args(event))`` after the announcing transaction commits."""
        self.jobs.setdefault(event_type, []).append((func_path, args))

    def describe(self) -> dict[str, list[str]]:
        """Event name -> its subscribers, for the docs and the tests."""
        out: dict[str, list[str]] = {}
        for event_type, handlers in self.handlers.items():
            out.setdefault(event_type.__name__, []).extend(
                f"{h.__module__}.{h.__qualname__}" for h in handlers)
        for event_type, jobs in self.jobs.items():
            out.setdefault(event_type.__name__, []).extend(f"job {p}" for p, _ in jobs)
        return out


def init_app(app: Flask, features: Iterable[ModuleType]) -> Registry:
    """Build the app's registry from each feature's ``subscriptions.subscribe``."""
    registry = Registry()
    for module in features:
        module.subscribe(registry)
    app.extensions[EXTENSION] = registry
    return registry


def announce(db: Session, event: Event) -> None:
    """Tell the subscribers that ``event`` happened in ``db``'s transaction."""
    registry: Registry = current_app.extensions[EXTENSION]
    for handler in registry.handlers.get(type(event), ()):
        handler(db, event)
    for func_path, args_of in registry.jobs.get(type(event), ()):
        _queue_once(db, func_path, tuple(args_of(event)))


def _queue_once(db: Session, func_path: str, args: tuple) -> None:
    if _QUEUED not in db.info:
        db.info[_QUEUED] = set()
        sa_event.listen(db, "after_commit", _forget)
        sa_event.listen(db, "after_soft_rollback", _forget_after_rollback)
    queued = db.info[_QUEUED]
    if (func_path, args) in queued:
        return
    enqueue_after_commit(db, func_path, *args)
    queued.add((func_path, args))


def _forget(db: Session) -> None:
    if not db.in_nested_transaction():
        db.info[_QUEUED] = set()


def _forget_after_rollback(db: Session, previous_transaction) -> None:
    # A savepoint rolled back may have taken a queued job with it: queue again rather than
    # miss one (the jobs are idempotent).
    db.info[_QUEUED] = set()
