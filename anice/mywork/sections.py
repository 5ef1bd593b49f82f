"""The lists of the home page, one small function each: ``(db, officer) -> Section``, or
None when the list does not concern the officer (``policy.has_work``). Every query goes
through the scoped helpers of the feature it lists, so nothing out of reach is counted.
Titles, empty texts and items' details are in the reader's language (built per request);
the records' own data (references, names, titles) as they are."""

from __future__ import annotations

from datetime import timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policy
from ..cases import service as cases
from ..models import (
    ImportJob,
    ImportKind,
    ImportStatus,
    Officer,
    Referral,
    Report,
    ReportStatus,
    utcnow,
)
from ..referrals import requests as referral_requests_of
from ..referrals import service as referrals
from ..reports import service as reports
from .section import ITEMS_SHOWN, Item, Section, count_of, first

RECENT_DAYS = 7  # imports and reports finished this recently are listed
FINISHED = (ImportStatus.DONE, ImportStatus.CHECKED, ImportStatus.REFUSED,
            ImportStatus.FAILED)


def _referral_item(r: Referral, today) -> Item:
    to = r.to_agency.name if r.to_agency else gettext("coordinator of %(country)s",
                                                      country=r.to_country_code)
    detail = gettext("%(action)s; from %(sender)s (%(country)s) to %(to)s",
                     action=gettext(r.requested_action.label), sender=r.from_agency.name,
                     country=r.from_country_code, to=to)
    if r.deadline and r.deadline < today:
        detail = gettext("%(detail)s; answer due %(date)s (overdue)", detail=detail,
                         date=r.deadline.isoformat())
    elif r.deadline:
        detail = gettext("%(detail)s; answer due %(date)s", detail=detail,
                         date=r.deadline.isoformat())
    return Item(r.reference or gettext("Referral %(ref)s", ref=r.id), f"/referrals/{r.id}",
                detail)


def _referrals(db: Session, officer: Officer, key: str, title: str, where, link: str,
               empty: str, urgent: bool = True) -> Section | None:
    if not policy.has_work(officer, key):
        return None
    query = (select(Referral).where(policy.visible_referrals(officer), where)
             .order_by(Referral.deadline.is_(None), Referral.deadline, Referral.id.desc()))
    today = referrals.today()
    return Section(key, title, count_of(db, query), link,
                   [_referral_item(r, today) for r in first(db, query)], empty, urgent=urgent)


def approvals(db: Session, officer: Officer) -> Section | None:
    return _referrals(db, officer, "approvals", gettext("Referrals waiting for your approval"),
                      policy.referrals_to_approve(officer),
                      "/referrals/?box=outbox&status=pending_approval",
                      gettext("No referral waits for your approval."))


def to_route(db: Session, officer: Officer) -> Section | None:
    return _referrals(db, officer, "to_route", gettext("Referrals to route to an agency"),
                      policy.referrals_to_route(officer), "/referrals/?box=inbox&status=sent",
                      gettext("No referral waits to be routed."))


def to_accept(db: Session, officer: Officer) -> Section | None:
    return _referrals(db, officer, "to_accept", gettext("Referrals to accept or answer"),
                      policy.referrals_to_accept(officer),
                      "/referrals/?box=inbox&status=routed",
                      gettext("No referral routed to your agency waits for an answer."))


def referral_requests(db: Session, officer: Officer) -> Section | None:
    """Requests from other countries for a referral of a case of the coordinator's country."""
    if not policy.has_work(officer, "referral_requests"):
        return None
    waiting = referral_requests_of.waiting_for(db, officer)
    items = [Item(w.label, w.url, gettext("asked %(date)s", date=w.since.date().isoformat()))
             for w in waiting[:ITEMS_SHOWN]]
    return Section("referral_requests", gettext("Requests for a referral of your country's cases"),
                   len(waiting), "/referrals/?box=inbox", items,
                   gettext("No other country waits for a referral from you."), urgent=True)


def info_requested(db: Session, officer: Officer) -> Section | None:
    return _referrals(db, officer, "info_requested", gettext("Information requested of you"),
                      policy.referrals_asking_info(officer),
                      "/referrals/?box=outbox&status=info_requested",
                      gettext("Nobody waits for more information from you."))


def deadlines(db: Session, officer: Officer) -> Section | None:
    """Answers the officer's side owes, due within DUE_SOON_DAYS or overdue (the inbox
    filter "due")."""
    if not policy.has_work(officer, "deadlines"):
        return None
    query = referrals.referrals_query(db, officer, referrals.ReferralFilter(
        box="inbox", due=True)).order_by(None).order_by(Referral.deadline, Referral.id)
    today = referrals.today()
    return Section("deadlines", gettext("Answers due within %(days)s days or overdue",
                                   days=referrals.DUE_SOON_DAYS),
                   count_of(db, query), "/referrals/?box=inbox&due=1",
                   [_referral_item(r, today) for r in first(db, query)],
                   gettext("No answer is due soon."), urgent=True)


def assigned(db: Session, officer: Officer) -> Section | None:
    if not policy.has_work(officer, "assigned"):
        return None
    query = cases.cases_query(db, officer, cases.CaseFilter(officer_id=officer.id,
                                                            sort="-updated"))
    items = [Item(c.reference, f"/cases/{c.id}", f"{gettext(c.status.label)}; {c.title}")
             for c in first(db, query)]
    return Section("assigned", gettext("Cases assigned to you"), count_of(db, query),
                   f"/cases/?officer={officer.id}", items, gettext("No case is assigned to you."),
                   link_label=gettext("All your cases"))


def _import_url(job: ImportJob) -> str:
    return (f"/cases/import/{job.id}" if job.kind == ImportKind.CASES
            else f"/rights/import/{job.id}")


def _import_detail(job: ImportJob) -> str:
    status = gettext(job.status.label).lower()
    if job.kind == ImportKind.CASES:
        return gettext("Case import: %(status)s", status=status)
    return gettext("Rights import: %(status)s", status=status)


def imports_finished(db: Session, officer: Officer) -> Section | None:
    if not policy.has_work(officer, "imports"):
        return None
    since = utcnow() - timedelta(days=RECENT_DAYS)
    query = (select(ImportJob).where(policy.visible_import_jobs(officer),
                                     ImportJob.status.in_(FINISHED),
                                     ImportJob.finished_at >= since)
             .order_by(ImportJob.finished_at.desc(), ImportJob.id.desc()))
    items = [Item(job.filename, _import_url(job), _import_detail(job))
             for job in first(db, query)]
    link = "/cases/import" if policy.can_import_cases(officer) else "/rights/import"
    title = gettext("Imports finished in the last %(days)s days", days=RECENT_DAYS)
    return Section("imports", title,
                   count_of(db, query), link, items, gettext("No import finished lately."),
                   link_label=gettext("Import page"))


def reports_finished(db: Session, officer: Officer) -> Section | None:
    if not policy.has_work(officer, "reports"):
        return None
    since = utcnow() - timedelta(days=RECENT_DAYS)
    query = (reports.archive_query(officer).where(Report.status == ReportStatus.DONE,
                                                  Report.generated_at >= since)
             .order_by(None).order_by(Report.generated_at.desc(), Report.id.desc()))
    items = [Item(reports.title(r), f"/reports/{r.id}") for r in first(db, query)]
    title = gettext("Reports finished in the last %(days)s days", days=RECENT_DAYS)
    return Section("reports", title,
                   count_of(db, query), "/reports/", items, gettext("No report finished lately."),
                   link_label=gettext("All reports"))
