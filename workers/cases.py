"""Case jobs: the web CSV import, checked and then imported (anice.cases.import_jobs)."""

from __future__ import annotations

from .app import app_context


def check_import(job_id: int) -> str | None:
    with app_context():
        from anice import db
        from anice.cases.import_jobs import run_check

        status = run_check(db.session(), job_id)
        return status.value if status else None


def run_import(job_id: int) -> str | None:
    with app_context():
        from anice import db
        from anice.cases.import_jobs import run_import as run

        status = run(db.session(), job_id)
        return status.value if status else None
