"""Keep ``case_identifier`` in step with the cases: incrementally as each case is saved;
a bulk import (itself a job) defers the per-case work and refreshes its cases at the end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Case, CaseMatch, CaseStatus, MatchDecision, Officer, Right
from ..models.correlation import CaseIdentifier
from .extract import identifiers_of
from .hits import defer_announce
from .keys import hash_key
from .links import Shared

DEFERRED = "anice.correlation.deferred"


def _confirmed(db: Session, case_id: int) -> list[tuple[int, str, str]]:
    return [tuple(row) for row in db.execute(
        select(CaseMatch.id, Right.office, Right.number)
        .join(Right, CaseMatch.right_id == Right.id)
        .where(CaseMatch.case_id == case_id, CaseMatch.decision == MatchDecision.CONFIRMED))]


def refresh_case(db: Session, case: Case, actor: Officer | None = None) -> list[Shared]:
    """Bring the case's identifiers up to date; the new ones are announced, by a job after
    the commit, when ``actor`` is given (the officer whose change added them)."""
    deferred = db.info.get(DEFERRED)
    if deferred is not None:
        deferred.append((case.id, actor.id if actor else None))
        return []
    db.flush()
    found = ({} if case.status == CaseStatus.DISCARDED
             else identifiers_of(case, hash_key(), _confirmed(db, case.id)))
    rows = db.scalars(select(CaseIdentifier).where(CaseIdentifier.case_id == case.id)).all()
    for row in rows:
        source = found.pop((row.kind, row.value), None)
        if source is None:
            db.delete(row)
            continue
        row.source = source
        row.agency_id, row.country_code = case.agency_id, case.country_code
    added = [CaseIdentifier(case_id=case.id, agency_id=case.agency_id,
                            country_code=case.country_code, kind=kind, value=value,
                            source=source) for (kind, value), source in found.items()]
    db.add_all(added)
    db.flush()
    new = [Shared(kind, value, source) for (kind, value), source in found.items()]
    if actor is not None and added:
        defer_announce(db, actor, case, [row.id for row in added])
    return new


@contextmanager
def deferred(db: Session) -> Iterator[list[tuple[int, int | None]]]:
    """Within the block, refresh_case only notes the case; the caller then runs
    ``refresh_cases`` on the ones it keeps (a preview that rolls back runs nothing)."""
    previous = db.info.get(DEFERRED)
    db.info[DEFERRED] = notes = []
    try:
        yield notes
    finally:
        if previous is None:
            db.info.pop(DEFERRED, None)
        else:
            db.info[DEFERRED] = previous


def refresh_cases(db: Session, case_ids: list[int], actor: Officer | None = None) -> int:
    """Refresh many cases (the end of a bulk import); returns how many exist."""
    done = 0
    for case_id in case_ids:
        case = db.get(Case, case_id)
        if case is None:
            continue
        refresh_case(db, case, actor)
        done += 1
    return done


def rebuild(db: Session, batch: int = 500, progress=None) -> int:
    """Recompute every case's identifiers (after a key change or an upgrade)."""
    last, done = 0, 0
    while True:
        ids = list(db.scalars(select(Case.id).where(Case.id > last).order_by(Case.id)
                              .limit(batch)))
        if not ids:
            return done
        for case_id in ids:
            refresh_case(db, db.get(Case, case_id))
        db.commit()
        db.expunge_all()
        done += len(ids)
        last = ids[-1]
        if progress:
            progress(done)
