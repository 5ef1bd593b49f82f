"""Jobs queued after a commit (``jobs.enqueue_after_commit``), held in the ``pending_job``
outbox as if no worker had taken them yet, until the test runs them as a worker would."""

from __future__ import annotations

from flask import Flask
from sqlalchemy import select

from anice import jobs
from anice.models.pending_job import PendingJob


class HeldJobs:
    def __init__(self, monkeypatch, app: Flask) -> None:
        self.app = app
        self.ids: list[int] = []
        self._run = jobs.run_outbox
        monkeypatch.setattr(jobs, "run_outbox", self._hold)

    def _hold(self, ids: list[int]) -> int:
        self.ids.extend(ids)
        return 0

    def queued(self) -> list[tuple[str, tuple]]:
        """(job, its arguments) of every held job, oldest first."""
        with self.app.app_context():
            with self.app.extensions["anice.sessionmaker"]() as session:
                rows = session.scalars(select(PendingJob).where(PendingJob.id.in_(self.ids))
                                       .order_by(PendingJob.id))
                return [(row.func, tuple(row.args)) for row in rows]

    def run(self) -> list[str]:
        """Run the held jobs (each claimed once, as the outbox runner does); their names."""
        names = [name for name, _ in self.queued()]
        ids, self.ids = self.ids, []
        with self.app.app_context():
            self._run(ids)
        return names
