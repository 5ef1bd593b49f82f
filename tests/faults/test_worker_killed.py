"""Fault: an RQ worker killed mid-job.

Real Redis, a real ``rq worker`` process and SIGKILL while a job pauses at a fault point
(``anice.jobs.fault_point``): after its work is flushed but before its commit, or after
its commit but before RQ records the result. Every job is retried (``rq.Retry`` from
``JOB_RETRIES``), and its effects exist exactly once: match rows, derivative rows and
objects, re-wrapped keys with one custody event each, audit rows, a report computed and its
requester told once.
"""

from __future__ import annotations

import io

import pytest
import redis
from rq import Queue
from rq.job import Job
from sqlalchemy import func, select

from anice import jobs
from anice.evidence import runtime, service
from anice.models import (
    AuditEvent,
    CaseMatch,
    CustodyAction,
    CustodyEvent,
    DerivativeKind,
    Evidence,
    EvidenceDerivative,
)

from ..cases.helpers import SEIZURE, new_case
from ..evidence.test_derived import jpeg_with_exif
from ..evidence.test_service import pdf_bytes
from ..rights.test_match_service import registry  # noqa: F401  (fixture)
from .conftest import with_redis

MATCH = "workers.rights.match_case"
DERIVE = "workers.evidence.make_derivatives"
REWRAP = "workers.evidence.rewrap_keys"


@pytest.fixture
def app_config(app_config, own_redis):
    return with_redis(app_config, own_redis)


def sealed(db, officer, case, name: str) -> Evidence:
    """An item received through the service (its derivatives job is queued, as for any)."""
    intake = service.start_intake(db, officer)
    intake.write(pdf_bytes(150_000, tag=name))
    evidence = service.register(db, officer, case, intake, name, {})
    db.commit()
    return evidence


def queue_of(app) -> Queue:
    return Queue("default", connection=redis.Redis.from_url(app.config["REDIS_URL"]))


def custody(db, evidence: Evidence, action: CustodyAction) -> list[CustodyEvent]:
    return list(db.scalars(select(CustodyEvent).where(CustodyEvent.evidence_id == evidence.id,
                                                      CustodyEvent.action == action)))


def stored_derived_keys(app) -> set[str]:
    with app.app_context():
        return {key for key, _ in runtime.storage().keys("dv/")}


def test_killed_work_horses_are_retried_and_apply_once(app, client, db, make, auth, worker,
                                                       registry):  # noqa: F811
    officer = make.officer()
    case = new_case(db, officer)
    auth.login(officer)
    older = [sealed(db, officer, case, f"ledger-{n}.pdf") for n in range(2)]
    queue_of(app).empty()  # their derivatives jobs: this test kills only the ones below
    # Through HTTP, as officers do: each change queues its job on Redis.
    assert client.post(f"/cases/{case.id}/items/seizure",
                       data={**SEIZURE, "brand": "Adidas"}).status_code == 302
    photo = client.post(f"/cases/{case.id}/evidence", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(jpeg_with_exif()), "raid.jpg")})
    assert photo.status_code == 302
    new_kek = runtime.keyring().rotate()
    jobs.enqueue(REWRAP, batch=1)
    queue = queue_of(app)
    job_ids = queue.job_ids
    assert [Job.fetch(i, connection=queue.connection).func_name for i in job_ids] == [
        MATCH, DERIVE, REWRAP]

    w = worker(pause=(f"{MATCH}:done", f"{DERIVE}:commit1", f"{REWRAP}:commit2"))
    w.kill_job(f"{MATCH}:done")  # matches committed, result not yet recorded
    w.kill_job(f"{DERIVE}:commit1")  # objects stored, rows flushed, not committed
    w.kill_job(f"{REWRAP}:commit2")  # first batch committed, second one flushed
    w.finish()

    for job_id in job_ids:
        job = Job.fetch(job_id, connection=queue.connection)
        assert job.is_finished, (job.func_name, job.get_status(), w.output())
        assert job.retries_left == app.config["JOB_RETRIES"] - 1  # one retry each
    db.expire_all()
    # Matching ran twice, its rows exist once.
    matches = list(db.scalars(select(CaseMatch).where(CaseMatch.case_id == case.id)))
    assert "TM1001" in {m.right.number for m in matches}
    assert len(matches) == len({(m.source, m.right_id) for m in matches})
    # One thumbnail and one EXIF row; deriving them is no access to the content by anyone:
    # no custody event (issue 16: no more "view by system"), the intake one only.
    item = db.scalar(select(Evidence).where(Evidence.original_name == "raid.jpg"))
    rows = list(db.scalars(select(EvidenceDerivative)
                           .where(EvidenceDerivative.evidence_id == item.id)))
    assert sorted(r.kind for r in rows) == [DerivativeKind.EXIF, DerivativeKind.THUMBNAIL]
    assert custody(db, item, CustodyAction.VIEW) == []
    assert len(custody(db, item, CustodyAction.INTAKE)) == 1
    # The killed attempt's objects are orphans; the cleanup job takes them, only them.
    assert len(stored_derived_keys(app)) == 4
    with app.app_context():
        removed = service.cleanup_orphans(db, older_than_seconds=0)
    db.commit()
    assert len(removed) == 2 and all(key.startswith("dv/") for key in removed)
    assert stored_derived_keys(app) == {r.storage_key for r in rows}
    # Every key re-wrapped once, with one custody event each; every item still opens.
    for evidence in [*older, item]:
        db.refresh(evidence)
        assert evidence.kek_id == new_kek
        assert len(custody(db, evidence, CustodyAction.REWRAP)) == 1
        assert service.verify(db, evidence, None)
    db.commit()
    # The audit rows of the re-wrap count each key once, across both attempts.
    rewraps = db.scalars(select(AuditEvent).where(AuditEvent.action == "keys.rewrap"))
    assert sum(e.details.get("items", 0) for e in rewraps) == 3
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0


def test_job_of_a_dead_worker_is_requeued_and_applies_once(app, client, db, make, auth,
                                                           worker):
    officer = make.officer()
    case = new_case(db, officer)
    auth.login(officer)
    assert client.post(f"/cases/{case.id}/evidence", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(jpeg_with_exif()), "raid.jpg")}
                       ).status_code == 302
    queue = queue_of(app)
    [job_id] = queue.job_ids

    first = worker(pause=(f"{DERIVE}:commit1",))
    first.kill_all(f"{DERIVE}:commit1")  # the host died: nobody is left to report the job
    job = Job.fetch(job_id, connection=queue.connection)
    assert job.get_status() == "started" and queue.count == 0
    # What RQ decides once the dead worker's heartbeat has run out (>= 60 s): any live
    # worker's maintenance, or `flask jobs flush`, finds the job abandoned and retries it.
    registry_key = queue.started_job_registry.key
    for member in queue.connection.zrange(registry_key, 0, -1):
        queue.connection.zadd(registry_key, {member: 0})
    flushed = app.test_cli_runner().invoke(args=["jobs", "flush"])
    assert flushed.exit_code == 0, flushed.output
    assert queue.job_ids == [job_id]

    second = worker()
    second.finish()
    job = Job.fetch(job_id, connection=queue.connection)
    assert job.is_finished, (job.get_status(), second.output())
    assert job.retries_left == app.config["JOB_RETRIES"] - 1
    db.expire_all()
    item = db.scalar(select(Evidence))
    assert db.scalar(select(func.count()).select_from(EvidenceDerivative)) == 2
    assert custody(db, item, CustodyAction.VIEW) == []
    assert len(custody(db, item, CustodyAction.INTAKE)) == 1
    with app.app_context():
        assert len(service.cleanup_orphans(db, older_than_seconds=0)) == 2
    db.commit()
    assert stored_derived_keys(app) == set(db.scalars(select(EvidenceDerivative.storage_key)))


REPORT = "workers.reports.run_report"


def test_killed_report_job_is_retried_and_done_once(app, client, db, make, auth, worker):
    from anice.models import Notification, Report, ReportStatus, Role

    coordinator = make.officer(role=Role.COORDINATOR, country="MY")
    new_case(db, make.officer(country="MY"))
    auth.login(coordinator)
    asked = client.post("/reports/", data={"period": "", "start": "2026-10-01",
                                           "end": "2026-10-31"})
    assert asked.status_code == 302
    queue = queue_of(app)
    [job_id] = queue.job_ids

    # Killed once while computing (its progress committed, not its figures), and once
    # after its final commit but before RQ recorded the result.
    w = worker(pause=(f"{REPORT}:commit2", f"{REPORT}:done"))
    w.kill_job(f"{REPORT}:commit2")
    w.kill_job(f"{REPORT}:done")
    w.finish()

    job = Job.fetch(job_id, connection=queue.connection)
    assert job.is_finished, (job.get_status(), w.output())
    assert job.retries_left == app.config["JOB_RETRIES"] - 2
    db.expire_all()
    [report] = db.scalars(select(Report)).all()  # one report, not one per attempt
    assert report.status == ReportStatus.DONE and report.progress == 100
    assert report.sha256 and report.figures
    told = db.scalars(select(Notification).where(Notification.officer_id == coordinator.id,
                                                 Notification.kind == "report.ready")).all()
    assert len(told) == 1  # the requester is told once
    assert app.test_cli_runner().invoke(args=["audit", "verify"]).exit_code == 0
