"""The RQ worker class of ANICE: RQ's own, plus job durations and failures for /metrics.

Run it with ``rq worker -w workers.worker.Worker QUEUE...``. The figures go to Redis
(``anice.metrics.record_job``), so every web node reports the jobs of every worker host.
"""

from __future__ import annotations

import logging

from rq import Worker as RQWorker
from rq.utils import now

log = logging.getLogger(__name__)


# Jobs that search the registry: the worker keeps the index file mapped for them.
MATCHING_JOBS = frozenset({"workers.rights.match_case"})


class Worker(RQWorker):
    """Builds the app once, in this process, before forking the first work horse; after a
    matching job, maps the machine's matching index file and reads the delta beside it here
    as well, so the next one forks with them. A job then starts in milliseconds instead of
    building the app (about 1.5 s) again in every horse.

    That is done between jobs, never while a dequeued job waits for its horse (RQ would take
    a job that long in limbo for a stuck one and run it again elsewhere); the worker's state
    says "warming" meanwhile."""

    def execute_job(self, job, queue):
        from .app import prepare

        try:
            prepare()
        except Exception:  # noqa: BLE001 - the horse builds what it needs itself
            log.warning("could not prepare the app before forking", exc_info=True)
        try:
            return super().execute_job(job, queue)
        finally:
            if job.func_name in MATCHING_JOBS:
                self.warm_matcher()

    def warm_matcher(self) -> None:
        from .app import prepare

        self.set_state("warming")
        try:
            prepare(warm_matcher=True)
        except Exception:  # noqa: BLE001 - the next matching job builds it in its horse
            log.warning("could not build the match index", exc_info=True)
        finally:
            self.heartbeat()
            self.set_state("idle")

    def main_work_horse(self, job, queue):
        from .app import after_fork

        after_fork()  # the parent's pooled database connections are not the horse's
        return super().main_work_horse(job, queue)

    def handle_job_success(self, job, queue, started_job_registry, execution):
        super().handle_job_success(job, queue, started_job_registry, execution)
        self._record(job, failed=False)

    def handle_job_failure(self, job, queue, started_job_registry=None, exc_string="",
                           execution=None):
        # Called in the work horse when the job raised, and in this process when the
        # horse died (killed, out of memory): either way one failed run.
        super().handle_job_failure(job, queue, started_job_registry=started_job_registry,
                                   exc_string=exc_string, execution=execution)
        self._record(job, failed=True)

    def _record(self, job, failed: bool) -> None:
        from anice.metrics import record_job

        try:
            started = job.started_at
            seconds = ((job.ended_at or now()) - started).total_seconds() if started else 0.0
            record_job(self.connection, job.func_name, seconds, failed)
        except Exception:  # noqa: BLE001 - statistics never fail a job
            log.warning("could not record job metrics for %s", job.id, exc_info=True)
