"""Accept and withdraw racing on one referral, from two threads with their own sessions
and connections (PostgreSQL: real row locks), always end in one consistent state.

Either the accept ran first (accepted, then withdrawn: one linked case) or the withdrawal
did (the accept is refused: no linked case). Never accepted after withdrawn, never two
linked cases, and the referral's events and audit rows tell the same story.
"""

from __future__ import annotations

import functools
import threading

import psycopg
import pytest
from sqlalchemy import func, select

from anice import audit
from anice.models import AuditEvent, Case, Referral, ReferralStatus, TimelineEntry
from anice.referrals import service

from ..races import dsn, join, lock_waiters, mover
from .helpers import sent, world

pytestmark = pytest.mark.postgresql_only

ROUNDS = 20


@pytest.fixture
def w(db, make):
    return world(db, make)


def _routed(db, w) -> int:
    """A referral sent straight to the TH agency, waiting for its answer."""
    referral = sent(db, w, to=f"agency:{w.th_police.id}")
    assert referral.status == ReferralStatus.ROUTED
    return referral.id



def _accept(referral_id: int):
    return lambda session, actor: service.accept(session, actor, referral_id, {"copy": True})


def _withdraw(referral_id: int):
    return lambda session, actor: service.withdraw(session, actor, referral_id,
                                                   {"reason": "Settled at home"})



def _check(db, w, referral_id: int, outcome: dict, th_cases_before: int) -> bool:
    """The end state is one of the two consistent ones; returns whether it was accepted."""
    db.expire_all()
    referral = db.get(Referral, referral_id)
    assert outcome["withdraw"] == "done", outcome
    assert outcome["accept"] in ("done", "Forbidden", "Conflict"), outcome
    accepted = outcome["accept"] == "done"
    assert referral.status == ReferralStatus.WITHDRAWN and referral.withdrawn_at is not None
    events = [e.kind for e in service.events_of(db, referral, w.inv_my)]
    actions = list(db.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "referral", AuditEvent.object_id == str(referral_id))
        .order_by(AuditEvent.id)))
    th_cases = db.scalar(select(func.count(Case.id)).where(
        Case.agency_id == w.th_police.id)) or 0
    sender_lines = list(db.scalars(select(TimelineEntry.summary).where(
        TimelineEntry.case_id == w.case.id, TimelineEntry.kind == "referral",
        TimelineEntry.summary.contains(referral.reference))))
    assert events.count("withdrawn") == 1 and actions.count("referral.withdrawn") == 1
    assert events[-1] == "withdrawn" and actions[-1] == "referral.withdrawn"
    if accepted:
        assert referral.linked_case_id is not None and referral.decided_at is not None
        assert referral.decided_at <= referral.withdrawn_at
        assert events[-2:] == ["accepted", "withdrawn"]
        assert actions[-2:] == ["referral.accepted", "referral.withdrawn"]
        assert th_cases == th_cases_before + 1  # exactly one linked case
        linked = db.get(Case, referral.linked_case_id)
        assert linked.agency_id == w.th_police.id and referral.reference in linked.title
    else:
        assert referral.linked_case_id is None and referral.decided_at is None
        assert "accepted" not in events and "referral.accepted" not in actions
        assert th_cases == th_cases_before  # the refused accept left no case behind
        assert not any("Accepted" in line for line in sender_lines)
    assert sum("Withdrawn" in line for line in sender_lines) == 1
    return accepted


def test_accept_and_withdraw_race_end_consistently(app, db, w):
    results = []
    for _ in range(ROUNDS):
        referral_id = _routed(db, w)
        before = db.scalar(select(func.count(Case.id)).where(Case.agency_id == w.th_police.id))
        db.commit()
        start = functools.partial(threading.Barrier(2).wait, timeout=60)
        outcome: dict = {}
        threads = [
            mover(app, w.sup_th.id, _accept(referral_id), outcome, "accept", start),
            mover(app, w.sup_my.id, _withdraw(referral_id), outcome, "withdraw", start),
        ]
        for thread in threads:
            thread.start()
        join(threads)
        results.append(_check(db, w, referral_id, outcome, before))
    assert len(results) == ROUNDS
    check = audit.verify(db)
    assert check.ok, check  # the hash chain held under concurrent writers




@pytest.mark.parametrize("first", ["accept", "withdraw"])
def test_both_orders_queued_on_the_row_lock(app, db, w, database_url, first):
    """Both moves wait on the referral's row lock, held by a third connection, in a known
    order (PostgreSQL queues row-lock waiters): each of the two outcomes happens."""
    referral_id = _routed(db, w)
    before = db.scalar(select(func.count(Case.id)).where(Case.agency_id == w.th_police.id))
    db.commit()
    outcome: dict = {}
    movers = {"accept": mover(app, w.sup_th.id, _accept(referral_id), outcome, "accept"),
              "withdraw": mover(app, w.sup_my.id, _withdraw(referral_id), outcome, "withdraw")}
    second = "withdraw" if first == "accept" else "accept"
    with psycopg.connect(dsn(database_url), autocommit=True) as watcher, \
            psycopg.connect(dsn(database_url)) as blocker:
        blocker.execute("SELECT id FROM referral WHERE id = %s FOR UPDATE", (referral_id,))
        movers[first].start()
        lock_waiters(watcher, 1)
        movers[second].start()
        lock_waiters(watcher, 2)
        blocker.rollback()
    join(movers.values())
    accepted = _check(db, w, referral_id, outcome, before)
    assert accepted == (first == "accept")
    if not accepted:
        assert outcome["accept"] == "Forbidden"


def test_moves_on_two_referrals_of_one_case_do_not_collide(app, db, w, database_url):
    """Each move writes on the sender's case (its timeline): two referrals of one case
    answered at the same moment both succeed, one after the other, on a fresh case row."""
    first_id = _routed(db, w)
    second_id = sent(db, w, to="VN").id
    db.commit()
    outcome: dict = {}
    movers = [mover(app, w.sup_th.id, _accept(first_id), outcome, "accept"),
              mover(app, w.coord_vn.id, lambda session, actor: service.decline(
                  session, actor, second_id, {"reason": "Not ours"}), outcome, "decline")]
    with psycopg.connect(dsn(database_url), autocommit=True) as watcher, \
            psycopg.connect(dsn(database_url)) as blocker:
        # Someone else holds the sender's case row (e.g. an officer saving an edit).
        blocker.execute("SELECT id FROM case_file WHERE id = %s FOR UPDATE", (w.case.id,))
        movers[0].start()
        lock_waiters(watcher, 1)
        movers[1].start()
        lock_waiters(watcher, 2)
        blocker.rollback()
    join(movers)
    assert outcome == {"accept": "done", "decline": "done"}
    db.expire_all()
    assert db.get(Referral, first_id).status == ReferralStatus.ACCEPTED
    assert db.get(Referral, second_id).status == ReferralStatus.DECLINED
    lines = list(db.scalars(select(TimelineEntry.summary).where(
        TimelineEntry.case_id == w.case.id, TimelineEntry.kind == "referral")))
    assert any("Accepted" in line for line in lines)
    assert any("Declined" in line for line in lines)
    assert audit.verify(db).ok
