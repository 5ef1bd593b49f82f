"""Reports: who reads which, on-demand requests, generation, versions and subscriptions.

Figures are computed by ``figures.compute`` (SQL aggregates), frozen as JSON with their
SHA-256, and never rewritten: regenerating a period that changed adds a version that
points at the one it replaces and lists what changed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from flask import current_app, has_app_context
from flask_babel import force_locale, gettext
from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from .. import audit, jobs, policy
from ..errors import Forbidden, Invalid, NotFound
from ..models import Agency, AgencyKind, Country, Officer
from ..models.report import (
    PeriodKind,
    Report,
    ReportStatus,
    ReportSubscription,
    ScopeLevel,
)
from ..models.types import utcnow
from ..notifications import notify
from ..text.locales import N_, officer_language
from ..validation import Fields
from . import diff, figures, wording
from .periods import Period, Scope, custom_period, due_periods, parse_period

log = logging.getLogger(__name__)
DEFAULT_MIN_CELL = 3
Progress = Callable[[int], None]


def min_cell() -> int:
    """ANICE_REPORT_MIN_CELL (REPORT_MIN_CELL in the app config), default 3."""
    raw = (current_app.config.get("REPORT_MIN_CELL") if has_app_context() else None)
    if raw is None:
        raw = os.environ.get("ANICE_REPORT_MIN_CELL") or DEFAULT_MIN_CELL
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise RuntimeError(f"ANICE_REPORT_MIN_CELL must be an integer, got {raw!r}") from None
    return max(1, value)


def today_utc() -> date:
    return datetime.now(UTC).date()


def scope_of(report: Report) -> Scope:
    return Scope(report.scope_level, report.country_code, report.agency_id)


def period_of(report: Report) -> Period:
    return Period(report.period_kind, report.period_start, report.period_end)


def actor_scope(actor: Officer) -> Scope:
    """The one scope an officer's reports are about (supervisor, coordinator, secretariat)."""
    scopes = policy.report_scopes(actor)
    if not scopes:
        raise NotFound(gettext("No such page."))
    level, country_code, agency_id = scopes[0]
    return Scope(ScopeLevel(level), country_code, agency_id)


# --- reading ---------------------------------------------------------------------------

def get_report(db: Session, actor: Officer, report_id: int) -> Report:
    report = db.get(Report, report_id)
    if report is None or not policy.can_view_report(actor, report):
        raise NotFound(N_("No such report."))
    return report


def archive_query(actor: Officer, kind: PeriodKind | None = None) -> Select:
    query = select(Report).where(policy.visible_reports(actor))
    if kind is not None:
        query = query.where(Report.period_kind == kind)
    return query.order_by(Report.period_start.desc(), Report.period_kind, Report.id.desc())


def latest_done(db: Session, scope: Scope, period_key: str,
                before_id: int | None = None) -> Report | None:
    query = select(Report).where(*_same(scope), Report.period_key == period_key,
                                 Report.status == ReportStatus.DONE,
                                 policy.deliverable_reports())
    if before_id is not None:
        query = query.where(Report.id < before_id)
    return db.scalar(query.order_by(Report.id.desc()).limit(1))


def _same(scope: Scope) -> list:
    return [Report.scope_level == scope.level,
            Report.country_code.is_(None) if scope.country_code is None
            else Report.country_code == scope.country_code,
            Report.agency_id.is_(None) if scope.agency_id is None
            else Report.agency_id == scope.agency_id]


def versions_of(db: Session, report: Report) -> list[Report]:
    """Every version of the report's scope and period, newest first."""
    return list(db.scalars(select(Report).where(
        *_same(scope_of(report)), Report.period_key == report.period_key,
        Report.status == ReportStatus.DONE, policy.deliverable_reports())
        .order_by(Report.id.desc())))


# --- requesting (on demand) --------------------------------------------------------------

def parse_request(data: Mapping[str, Any]) -> Period:
    """A period from a form: ``period`` ("2026-10", "2026-Q3", "2026") or ``start``/``end``."""
    f = Fields(data)
    text = f.text("period", max_len=30)
    start, end = f.day("start", not_future=False), f.day("end", not_future=False)
    f.done()
    if text:
        return parse_period(text)
    if start is None and end is None:
        raise Invalid("period", gettext("give a month, a quarter, a year, or the first and "
                                        "last day"))
    if start is None:
        raise Invalid("start", gettext("give the first day of the range"))
    if end is None:
        raise Invalid("end", gettext("give the last day of the range"))
    return custom_period(start, end, "end")


def request_report(db: Session, actor: Officer, data: Mapping[str, Any]) -> Report:
    """A queued report of the actor's scope over the period asked for (run by a job)."""
    scope = actor_scope(actor)
    if not policy.can_request_report(actor, scope.level, scope.country_code, scope.agency_id):
        raise Forbidden(N_("You may not request reports."))
    period = parse_request(data)
    if period.start > today_utc():
        raise Invalid("period", gettext("the period has not started yet"))
    report = _new_report(scope, period, origin="on-demand", requested_by=actor)
    db.add(report)
    db.flush()
    audit.record(db, actor, "report.request", report, country_code=scope.country_code,
                 details={"scope": scope.key, "period": period.key})
    jobs.enqueue_after_commit(db, "workers.reports.run_report", report.id)
    return report


def _new_report(scope: Scope, period: Period, origin: str,
                requested_by: Officer | None = None) -> Report:
    return Report(scope_level=scope.level, country_code=scope.country_code,
                  agency_id=scope.agency_id, period_kind=period.kind, period_key=period.key,
                  period_start=period.start, period_end=period.end,
                  status=ReportStatus.QUEUED, progress=0, origin=origin,
                  requested_by_id=requested_by.id if requested_by else None)


# --- generating --------------------------------------------------------------------------

def compute_figures(db: Session, scope: Scope, period: Period, today: date | None = None,
                    progress: Progress | None = None) -> dict:
    # English whoever asks (a report made inline during a Thai officer's request too): the
    # frozen figures and their hash must not depend on the requester's language.
    with force_locale("en"):
        return figures.compute(db, scope, period, today=today or today_utc(),
                               min_cell=min_cell(), progress=progress)


def _freeze(db: Session, report: Report, found: dict) -> None:
    """Store the figures, their hash, and the link to (and diff with) the last version."""
    report.figures = found
    report.sha256 = figures.digest(found)
    report.generated_at = utcnow()
    report.status = ReportStatus.DONE
    report.progress = 100
    report.error = None
    previous = latest_done(db, scope_of(report), report.period_key, before_id=report.id)
    if previous is not None:
        report.previous_id = previous.id
        report.changes = ([] if previous.sha256 == report.sha256
                          else diff.changes(previous.figures, found))


def run(db: Session, report: Report, progress: Progress | None = None,
        today: date | None = None) -> Report:
    """Compute a queued report (the job's work); the caller commits."""
    found = compute_figures(db, scope_of(report), period_of(report), today, progress)
    _freeze(db, report, found)
    db.flush()
    _tell(db, report)
    return report


def fail(db: Session, report: Report, message: str) -> None:
    report.status = ReportStatus.FAILED
    report.error = message[:2000]
    if report.requested_by is not None:
        _notify_each(db, [report.requested_by], "report.failed",
                     lambda: gettext("%(report)s could not be generated", report=title(report)),
                     _url(report))


@dataclass
class Generated:
    report: Report
    created: bool  # False: the figures had not changed, the existing version stands


def generate(db: Session, scope: Scope, period: Period, origin: str,
             today: date | None = None, progress: Progress | None = None) -> Generated:
    """Compute and store the report of ``scope`` over ``period`` unless the last version
    has the same figures (then nothing is written). Used by the schedule and the CLI."""
    found = compute_figures(db, scope, period, today, progress)
    existing = latest_done(db, scope, period.key)
    if existing is not None and existing.sha256 == figures.digest(found):
        return Generated(existing, False)
    report = _new_report(scope, period, origin)
    db.add(report)
    db.flush()
    _freeze(db, report, found)
    db.flush()
    audit.record(db, None, "report.generate", report, country_code=scope.country_code,
                 actor_label=origin, details={"scope": scope.key, "period": period.key,
                                              "sha256": report.sha256,
                                              "previous": report.previous_id})
    _tell(db, report)
    return Generated(report, True)


def all_scopes(db: Session) -> list[Scope]:
    """The region, every active member state and every active agency (not the secretariat)."""
    scopes = [Scope.region()]
    for code in db.scalars(select(Country.code).where(Country.active.is_(True))
                           .order_by(Country.code)):
        scopes.append(Scope.country(code))
    for agency_id, code in db.execute(
            select(Agency.id, Agency.country_code).join(Country)
            .where(Agency.active.is_(True), Country.active.is_(True),
                   Agency.kind != AgencyKind.SECRETARIAT)
            .order_by(Agency.country_code, Agency.code)):
        scopes.append(Scope.agency(agency_id, code))
    return scopes


def missing(db: Session, period: Period, scopes: list[Scope]) -> list[Scope]:
    """The scopes without a finished report of ``period`` (what the schedule still owes)."""
    have = {(r.scope_level, r.country_code, r.agency_id) for r in db.execute(
        select(Report.scope_level, Report.country_code, Report.agency_id).where(
            Report.period_key == period.key, Report.period_kind == period.kind,
            Report.status == ReportStatus.DONE, policy.deliverable_reports()))}
    return [s for s in scopes if (s.level, s.country_code, s.agency_id) not in have]


def due(db: Session, today: date) -> list[tuple[Scope, Period]]:
    scopes = all_scopes(db)
    return [(scope, period) for period in due_periods(today)
            for scope in missing(db, period, scopes)]


# --- notifications and subscriptions ------------------------------------------------------

def title(report: Report) -> str:
    """"Monthly national report MY, 2026-10" (no content: safe for a notification), in the
    current locale's words."""
    where = {"region": "ASEAN", "country": report.country_code,
             "agency": f"{report.country_code}-{report.agency.code if report.agency else ''}"
             }[report.scope_level.value]
    return gettext("%(report)s %(scope)s, %(period)s",
                   report=wording.report_kind(report.period_kind, report.scope_level),
                   scope=where, period=report.period_key)


def _url(report: Report) -> str:
    return f"/reports/{report.id}"


def _tell(db: Session, report: Report) -> None:
    """Subscribers of the period kind who may read the report; the requester of one."""
    readers = policy.report_readers(report.scope_level, report.country_code, report.agency_id)
    recipients = list(db.scalars(
        select(Officer).join(ReportSubscription, ReportSubscription.officer_id == Officer.id)
        .where(ReportSubscription.period_kind == report.period_kind, readers)))
    if report.requested_by is not None:
        recipients.append(report.requested_by)
    message = READY_CHANGED if report.changes else READY
    if report.previous_id and report.changes == []:
        message = READY_UNCHANGED
    _notify_each(db, recipients, "report.ready",
                 lambda: gettext(message, report=title(report)), _url(report))


READY = N_("%(report)s is ready")
READY_CHANGED = N_("%(report)s is regenerated with changes")
READY_UNCHANGED = N_("%(report)s is regenerated (no change)")


def _notify_each(db: Session, recipients: list[Officer], kind: str, message: Callable[[], str],
                 url: str) -> None:
    """Each recipient's notice in their own language (a scheduled report reaches officers
    of several countries)."""
    for officer in {o.id: o for o in recipients if o is not None}.values():
        with force_locale(officer_language(officer)):
            notify(db, [officer], kind, message(), url=url)


def subscriptions(db: Session, actor: Officer) -> set[PeriodKind]:
    return set(db.scalars(select(ReportSubscription.period_kind)
                          .where(ReportSubscription.officer_id == actor.id)))


def set_subscriptions(db: Session, actor: Officer, kinds: list[str]) -> set[PeriodKind]:
    """Be notified of the monthly, quarterly and/or annual reports of one's scope."""
    if not policy.can_view_reports(actor):
        raise NotFound(gettext("No such page."))
    wanted = set()
    for kind in kinds:
        try:
            wanted.add(PeriodKind(kind))
        except ValueError:
            raise Invalid("kinds", gettext("%(kind)s is not month, quarter or year",
                                          kind=repr(kind))) from None
    if PeriodKind.CUSTOM in wanted:
        raise Invalid("kinds", gettext("custom reports are not scheduled"))
    have = {s.period_kind: s for s in db.scalars(
        select(ReportSubscription).where(ReportSubscription.officer_id == actor.id))}
    for kind in wanted - set(have):
        db.add(ReportSubscription(officer_id=actor.id, period_kind=kind))
    for kind in set(have) - wanted:
        db.delete(have[kind])
    if wanted != set(have):
        db.flush()
        audit.record(db, actor, "report.subscribe", country_code=actor.country_code,
                     details={"kinds": sorted(k.value for k in wanted)})
    return wanted


def record_export(db: Session, actor: Officer, report: Report, fmt: str) -> None:
    audit.record(db, actor, "report.export", report, country_code=report.country_code,
                 details={"format": fmt, "sha256": report.sha256})
