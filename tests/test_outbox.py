"""Work queued for after a commit (``jobs.enqueue_after_commit``): the transactional outbox.

The job is a ``pending_job`` row of the caller's transaction: a rollback drops it, a commit
hands it over (to RQ, or run in this process without Redis), and a crash between the commit
and the hand-over leaves it for ``flask jobs flush``. Correlation uses it so that saving a
case does not wait for hits to be recorded and told.
"""

from __future__ import annotations

import threading

import pytest
import redis
from rq import Queue
from rq.job import Job
from sqlalchemy import select

from anice import jobs
from anice.correlation import service
from anice.models import CorrelationHit, Notification, PendingJob

from .correlation.helpers import SELLER, audit_rows, identifiers, notes_of, online_case
from .faults.conftest import own_redis, with_redis, worker  # noqa: F401  (fixtures)

CALLS: list[tuple] = []


def remember(*args, **kwargs) -> None:
    """A job for these tests: what it was given, and the session it ran with."""
    from anice import db

    CALLS.append((args, kwargs, db.session(), threading.current_thread().name))


def fail_once(marker: str) -> None:
    if marker not in {c[0][0] for c in CALLS if c[0]}:
        CALLS.append(((marker,), {}, None))
        raise RuntimeError("the first run fails")


@pytest.fixture(autouse=True)
def _calls():
    CALLS.clear()
    yield
    CALLS.clear()


def pending(db) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(PendingJob.func).order_by(PendingJob.id)))


def test_the_job_runs_after_the_commit_with_its_own_session_and_is_dropped_on_rollback(app, db):
    jobs.enqueue_after_commit(db, "tests.test_outbox.remember", 7, kind="x")
    assert pending(db) == ["tests.test_outbox.remember"]  # in the caller's transaction
    assert CALLS == []  # nothing before the commit
    db.commit()
    assert [(c[0], c[1]) for c in CALLS] == [((7,), {"kind": "x"})]
    assert CALLS[0][2] is not db  # never the caller's (committed) session
    assert pending(db) == []

    CALLS.clear()
    jobs.enqueue_after_commit(db, "tests.test_outbox.remember", 8)
    db.rollback()
    db.commit()
    assert CALLS == [] and pending(db) == []


def test_savepoints_wait_for_the_real_commit(app, db):
    jobs.enqueue_after_commit(db, "tests.test_outbox.remember", "outer")
    with db.begin_nested():
        jobs.enqueue_after_commit(db, "tests.test_outbox.remember", "inner")
    assert CALLS == []  # releasing a savepoint is not a commit
    nested = db.begin_nested()
    jobs.enqueue_after_commit(db, "tests.test_outbox.remember", "rolled back")
    nested.rollback()
    assert CALLS == []
    db.commit()
    assert sorted(c[0][0] for c in CALLS) == ["inner", "outer"]
    assert pending(db) == []


def test_announcing_again_tells_nobody_twice(app, db, make):
    from workers.correlation import announce

    w = make.world()
    online_case(db, w.inv_th, SELLER)
    before = len(notes_of(db, w.inv_th))
    mine = online_case(db, w.inv_my, SELLER)  # announced after its commit
    told = notes_of(db, w.inv_th)
    assert len(told) == before + 1 and mine.reference not in told[-1].message
    ids = [i.id for i in identifiers(db, mine.id)]
    assert announce(mine.id, w.inv_my.id, ids) == {"announced": 0}  # a retry
    assert len(notes_of(db, w.inv_th)) == before + 1


def test_a_failing_job_stays_in_the_outbox_and_the_flush_runs_it_again(app, db, runner):
    jobs.enqueue_after_commit(db, "tests.test_outbox.fail_once", "m1")
    jobs.enqueue_after_commit(db, "tests.test_outbox.remember", "after")
    db.commit()  # the first fails (logged), the second still runs
    assert [c[0] for c in CALLS] == [("m1",), ("after",)]
    assert pending(db) == ["tests.test_outbox.fail_once"]
    result = runner.invoke(args=["jobs", "flush"])
    assert result.exit_code == 0, result.output
    assert pending(db) == []


def test_background_mode_runs_the_job_on_a_thread_after_the_commit(app, db):
    app.config["JOBS_AFTER_COMMIT"] = "background"
    jobs.enqueue_after_commit(db, "tests.test_outbox.remember", "bg")
    db.commit()
    jobs.wait_for_background()
    assert [c[0] for c in CALLS] == [("bg",)]
    assert CALLS[0][3].startswith("anice-jobs")  # not the committing thread
    assert pending(db) == []


def test_a_bad_mode_in_the_environment_is_refused(monkeypatch):
    from anice.config import from_environment

    monkeypatch.setenv("ANICE_JOBS_AFTER_COMMIT", "later")
    with pytest.raises(RuntimeError, match="ANICE_JOBS_AFTER_COMMIT must be background or sync"):
        from_environment()


def test_a_crash_between_commit_and_hand_over_loses_nothing(app, db, runner, monkeypatch):
    monkeypatch.setattr(jobs, "run_outbox", lambda ids: 1 / 0)  # the process "dies" here
    jobs.enqueue_after_commit(db, "tests.test_outbox.remember", "kept")
    db.commit()
    assert CALLS == [] and pending(db) == ["tests.test_outbox.remember"]
    monkeypatch.undo()
    assert runner.invoke(args=["jobs", "flush"]).exit_code == 0
    assert [c[0] for c in CALLS] == [("kept",)] and pending(db) == []


class TestWithRedis:
    @pytest.fixture
    def app_config(self, app_config, own_redis):  # noqa: F811
        return with_redis(app_config, own_redis)

    def test_hits_are_told_by_a_worker_after_the_save(self, app, db, make, own_redis,  # noqa: F811
                                                      worker):  # noqa: F811
        w = make.world()
        th_case = online_case(db, w.inv_th, SELLER)
        my_case = online_case(db, w.inv_my, SELLER)
        result = service.links_for(db, w.inv_my, my_case)
        db.commit()
        # The officer got the hit at once; recording and telling wait for the worker.
        assert [h["country"]["code"] for h in result.hits] == ["TH"]
        queue = Queue("default", connection=redis.Redis.from_url(own_redis.url))
        queued = [Job.fetch(i, connection=queue.connection).func_name for i in queue.job_ids]
        assert "workers.correlation.record_hits" in queued
        assert "workers.correlation.announce" in queued
        assert pending(db) == []
        assert db.scalars(select(CorrelationHit)).all() == []
        assert [n for n in notes_of(db, w.coord_th) if n.kind == "correlation.hit"] == []

        runner = worker()
        runner.finish()
        assert "Traceback" not in runner.output(), runner.output()
        db.expire_all()
        # (Recorded once, by whichever job came first: the TH case's own announcement, run
        # after the MY case existed, or the MY officer's view.)
        rows = db.scalars(select(CorrelationHit).where(
            CorrelationHit.viewer_id == w.inv_my.id)).all()
        assert {r.holder_case_id for r in rows} == {th_case.id}
        assert len(rows) == len({r.kind for r in rows})
        told = [n for n in notes_of(db, w.coord_th) if n.kind == "correlation.hit"]
        assert len(told) == 1 and my_case.reference not in told[0].message
        assert w.inv_my.agency.name in told[0].message and w.inv_my.name not in told[0].message
        assert [a.actor_id for a in audit_rows(db, "correlation.hit")
                if a.country_code == "TH"] == [w.inv_my.id]

        # Viewing again queues nothing: the hits are known.
        before = len(queue.job_ids)
        service.links_for(db, w.inv_my, my_case)
        db.commit()
        assert len(queue.job_ids) == before

    def test_redis_down_the_job_waits_in_the_outbox(self, app, db, make, own_redis):  # noqa: F811
        w = make.world()
        online_case(db, w.inv_th, SELLER)
        own_redis.stop()
        my_case = online_case(db, w.inv_my, SELLER)
        service.links_for(db, w.inv_my, my_case)
        db.commit()
        assert "workers.correlation.record_hits" in pending(db)
        assert db.scalar(select(Notification.id).where(
            Notification.officer_id == w.coord_th.id)) is None

    def test_the_worker_builds_the_app_once_not_in_every_job(self, app, db, make,  # noqa: F811
                                                             own_redis, worker):  # noqa: F811
        w = make.world()
        for n in range(3):
            online_case(db, w.inv_th, {**SELLER, "seller_id": f"Seller{n}"})
        service.links_for(db, w.inv_my, online_case(db, w.inv_my, SELLER))
        db.commit()
        queue = Queue("default", connection=redis.Redis.from_url(own_redis.url))
        assert len(queue.job_ids) >= 4
        runner = worker(log_level="INFO")
        runner.finish()
        out = runner.log.read_text(errors="replace")  # whole log: every job's lines
        assert out.count("app built for jobs") == 1, out[-4000:]  # in the worker, before forking
        assert "Traceback" not in out
        assert db.scalar(select(CorrelationHit.id).where(
            CorrelationHit.viewer_id == w.inv_my.id)) is not None
