"""The RQ worker class of ANICE: RQ's own, plus job durations and failures for /metrics.

Run it with ``rq worker -w workers.worker.Worker QUEUE...``. The figures go to Redis
(``anice.metrics.record_job``), so every web node reports the jobs of every worker host.
"""

from __future__ import annotations

import gc
import logging

from rq import Worker as RQWorker
from rq.utils import now

log = logging.getLogger(__name__)


# Jobs that search the registry: the worker keeps the match index warm for them.
MATCHING_JOBS = frozenset({"workers.rights.match_case"})


class Worker(RQWorker):
    """Builds the app (and, for matching jobs, the match index) once, in this process, before
    forking the work horse: a job then starts in milliseconds instead of building them again
    in every horse (about 1.5 s for the app, minutes for an index of a million marks)."""

    def execute_job(self, job, queue):
        from .app import prepare

        try:
            prepare(warm_matcher=job.func_name in MATCHING_JOBS)
        except Exception:  # noqa: BLE001 - the horse builds what it needs itself
            log.warning("could not prepare the app before forking", exc_info=True)
        # What exists now is shared with the horse copy-on-write; frozen, the horse's
        # garbage collector does not walk it (and so does not copy every page of the index).
        # Garbage is collected first: what is frozen is never freed.
        gc.collect()
        gc.freeze()
        return super().execute_job(job, queue)

    def main_work_horse(self, job, queue):
        from .app import after_fork

        after_fork()
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
