"""The holder answering while the officer withdraws (issue 18), from two threads with
their own sessions and connections on PostgreSQL: one of them wins, the other gets a
Conflict, and the request, the case's evidence, timeline and audit rows tell one story.
Never answered and withdrawn, never an attachment left behind by a refused answer."""

from __future__ import annotations

import functools
import threading

import psycopg
import pytest
from sqlalchemy import func, select

from anice import audit
from anice.models import (
    AuditEvent,
    Evidence,
    TimelineEntry,
    VerificationRequest,
    VerificationStatus,
)
from anice.verification import service

from ..races import dsn, join, lock_waiters, mover
from .helpers import intake, scene, send

pytestmark = pytest.mark.postgresql_only

ROUNDS = 8


@pytest.fixture
def s(db, make):
    return scene(db, make)



def _answer(public_id: str):
    def move(session, actor):
        files = [(intake(session, actor), "report.pdf")]
        try:
            service.answer(session, actor, public_id, verdict="counterfeit",
                           statement="Fake", examiner="A. Tan", intent="complaint",
                           attachments=files)
        except BaseException:
            files[0][0].discard()
            raise
    return move


def _withdraw(public_id: str):
    return lambda session, actor: service.withdraw(session, actor, public_id, "Released")


def _count(db, model, *where) -> int:
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0


def _check(db, s, vr_id: int, outcome: dict) -> str:
    db.expire_all()
    vr = db.get(VerificationRequest, vr_id)
    assert sorted(outcome.values()) == ["Conflict", "done"], outcome
    answers = [i for i in vr.items if i.kind == "answer"]
    actions = list(db.scalars(select(AuditEvent.action).where(
        AuditEvent.action.in_(["verification.answer", "verification.withdraw"]),
        AuditEvent.details["request"].as_string() == vr.public_id)))
    lines = list(db.scalars(select(TimelineEntry.kind).where(
        TimelineEntry.case_id == s.case.id,
        TimelineEntry.kind.in_(["verification_answered", "verification_withdrawn"]))))
    if outcome["answer"] == "done":
        assert vr.status == VerificationStatus.ANSWERED and vr.withdrawn_at is None
        assert vr.verdict is not None and len(answers) == 1
        assert actions == ["verification.answer"]
    else:
        assert vr.status == VerificationStatus.WITHDRAWN and vr.answered_at is None
        assert vr.verdict is None and answers == []
        assert actions == ["verification.withdraw"]
    return vr.status.value, lines



def test_answer_and_withdraw_race_end_in_one_state(app, db, s):
    seen = []
    for _ in range(ROUNDS):
        vr = send(db, s)
        before = _count(db, Evidence, Evidence.uploaded_by_id == s.holder.id)
        outcome: dict = {}
        start = functools.partial(threading.Barrier(2).wait, timeout=60)
        threads = [mover(app, s.holder.id, _answer(vr.public_id), outcome, "answer", start),
                   mover(app, s.inv.id, _withdraw(vr.public_id), outcome, "withdraw", start)]
        for thread in threads:
            thread.start()
        join(threads)
        state, _ = _check(db, s, vr.id, outcome)
        after = _count(db, Evidence, Evidence.uploaded_by_id == s.holder.id)
        assert after == before + (1 if state == "answered" else 0)
        seen.append(state)
    assert len(seen) == ROUNDS
    assert audit.verify(db).ok




@pytest.mark.parametrize("first", ["answer", "withdraw"])
def test_both_orders_queued_on_the_row_lock(app, db, s, database_url, first):
    """Both wait on the request's row lock held by a third connection, in a known order:
    each outcome happens, the loser changes nothing."""
    vr = send(db, s)
    outcome: dict = {}
    movers = {"answer": mover(app, s.holder.id, _answer(vr.public_id), outcome, "answer"),
              "withdraw": mover(app, s.inv.id, _withdraw(vr.public_id), outcome,
                                 "withdraw")}
    second = "withdraw" if first == "answer" else "answer"
    with psycopg.connect(dsn(database_url), autocommit=True) as watcher, \
            psycopg.connect(dsn(database_url)) as blocker:
        blocker.execute("SELECT id FROM verification_request WHERE id = %s FOR UPDATE",
                        (vr.id,))
        movers[first].start()
        lock_waiters(watcher, 1)
        movers[second].start()
        lock_waiters(watcher, 2)
        blocker.rollback()
    join(movers.values())
    state, lines = _check(db, s, vr.id, outcome)
    assert outcome[first] == "done" and outcome[second] == "Conflict"
    assert lines == (["verification_answered"] if first == "answer"
                     else ["verification_withdrawn"])
