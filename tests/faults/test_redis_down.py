"""Fault: Redis down.

The real Redis of the test is stopped while officers work. Pages and changes go on; the
jobs they need wait in the ``pending_job`` outbox (written in the database, never dropped)
and reach RQ once Redis is back: with the next job queued, or ``flask jobs flush``. Signing
in needs Redis (rate limits fail closed) and says so; ``/healthz`` reports it.
"""

from __future__ import annotations

import io

import pytest
import redis
from rq import Queue
from rq.job import Job
from sqlalchemy import func, select

from anice.errors import REDIS_DOWN
from anice.models import CaseMatch, EvidenceDerivative, PendingJob

from .. import servers
from ..cases.helpers import LISTING, SEIZURE, new_case
from ..evidence.test_derived import jpeg_with_exif
from ..factories import Auth
from ..rights.test_match_service import registry  # noqa: F401  (fixture)
from .conftest import with_redis


@pytest.fixture
def app_config(app_config, own_redis):
    return with_redis(app_config, own_redis)


def pending(db) -> list[str]:
    db.expire_all()
    return list(db.scalars(select(PendingJob.func).order_by(PendingJob.id)))


def test_redis_down_the_app_serves_and_no_job_is_lost(app, client, db, make, auth, own_redis,
                                                      worker, registry):  # noqa: F811
    officer = make.officer()
    case = new_case(db, officer)
    auth.login(officer)
    latecomer = make.officer()
    runner = app.test_cli_runner()
    own_redis.stop()

    # Reads and writes go on; the jobs they need wait in the outbox.
    assert client.get("/cases/").status_code == 200
    assert client.get(f"/cases/{case.id}").status_code == 200
    assert client.post(f"/cases/{case.id}/items/seizure",
                       data={**SEIZURE, "brand": "Adidas"}).status_code == 302
    photo = client.post(f"/cases/{case.id}/evidence", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(jpeg_with_exif()), "raid.jpg")})
    assert photo.status_code == 302
    assert pending(db) == ["workers.rights.match_case", "workers.evidence.make_derivatives"]
    assert db.scalar(select(func.count()).select_from(CaseMatch)) == 0

    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["redis"].startswith("error") and health.get_json()["database"] == "ok"
    # Signing in needs the rate-limit counters: refused with the reason, not a 500.
    refused = Auth(app.test_client(), db).login(latecomer)
    assert refused.status_code == 503 and REDIS_DOWN in refused.get_data(as_text=True)
    # The flush keeps them while Redis is away, and says so.
    still_down = runner.invoke(args=["jobs", "flush"])
    assert still_down.exit_code == 1 and "0 pending jobs queued, 2 left" in still_down.output
    assert "outbox: 2 pending" in runner.invoke(args=["jobs", "status"]).output

    back = servers.start_redis(port=own_redis.port)  # Redis back at the same address
    try:
        # The next change that queues a job hands the outbox over as well.
        assert client.post(f"/cases/{case.id}/items/listing", data=LISTING).status_code == 302
        assert pending(db) == []
        queue = Queue("default", connection=redis.Redis.from_url(back.url))
        # The listing's own jobs (its links announced after the commit, its matching) and
        # the two that waited.
        assert sorted(Job.fetch(i, connection=queue.connection).func_name
                      for i in queue.job_ids) == [
            "workers.correlation.announce", "workers.evidence.make_derivatives",
            "workers.rights.match_case", "workers.rights.match_case"]
        worker().finish()
        db.expire_all()
        assert "TM1001" in {m.right.number for m in db.scalars(select(CaseMatch))}
        assert db.scalar(select(func.count()).select_from(EvidenceDerivative)) == 2
        assert Auth(app.test_client(), db).login(latecomer).status_code == 302
        assert app.test_client().get("/healthz").status_code == 200
    finally:
        back.stop()


@pytest.mark.sqlite_only
def test_flush_command_queues_the_outbox_when_redis_is_back(app, db, own_redis):
    from anice import jobs

    own_redis.stop()
    with app.app_context():
        assert jobs.enqueue("workers.maintenance.purge_sessions").startswith("pending-")
    back = servers.start_redis(port=own_redis.port)
    try:
        done = app.test_cli_runner().invoke(args=["jobs", "flush"])
        assert done.exit_code == 0 and "1 pending jobs queued, 0 left" in done.output
        assert Queue("default", connection=redis.Redis.from_url(back.url)).count == 1
        assert pending(db) == []
    finally:
        back.stop()
