"""Report jobs: an on-demand report, and the scheduled ones (``generate_due``).

In production the RQ cron scheduler enqueues ``workers.reports.generate_due`` every day
(see docs/reports.md); it is idempotent, so a missed day or a second run does no harm.
"""

from __future__ import annotations

import logging
from datetime import date

from .app import app_context

log = logging.getLogger(__name__)


def _current_job():
    try:
        from rq import get_current_job

        return get_current_job()
    except Exception:  # noqa: BLE001 - run inline, without RQ
        return None


def run_report(report_id: int) -> dict:
    """Compute a queued report; its progress is committed as it goes (the page polls it)."""
    with app_context():
        from anice import db
        from anice.models.report import Report, ReportStatus
        from anice.reports import service

        session = db.session()
        report = session.get(Report, report_id)
        if report is None or report.status == ReportStatus.DONE:
            return {"report": report_id, "status": "gone" if report is None else "done"}
        job = _current_job()
        report.status, report.progress = ReportStatus.RUNNING, 1
        report.job_id = job.id if job is not None else report.job_id
        session.commit()

        def progress(pct: int) -> None:
            report.progress = pct
            session.commit()
            if job is not None:
                job.meta["progress"] = pct
                job.save_meta()

        try:
            service.run(session, report, progress=progress)
            session.commit()
        except Exception as exc:  # noqa: BLE001 - recorded on the report, shown to the user
            session.rollback()
            log.exception("report failed", extra={"report": report_id})
            report = session.get(Report, report_id)
            service.fail(session, report, f"{type(exc).__name__}: {exc}")
            session.commit()
            return {"report": report_id, "status": "failed"}
        return {"report": report_id, "status": "done", "sha256": report.sha256}


def generate_due(today: date | str | None = None) -> dict:
    """Every agency's, country's and the regional report of the last completed month,
    quarter and year that is not made yet (on the 1st: the previous month; in the month
    after a quarter: that quarter; in January: the year). Idempotent."""
    with app_context():
        from anice import db
        from anice.reports import schedule, service

        day = date.fromisoformat(today) if isinstance(today, str) else today
        day = day or service.today_utc()
        return {"day": day.isoformat(), "made": schedule.generate_due(db.session(), day)}
