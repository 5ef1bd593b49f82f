"""The report's aggregate queries: one GROUP BY per table, run by the database.

Each function takes the session, the scope and the period and returns plain rows (dicts)
already aggregated; nothing here loops over cases, items or listings. What anchors each
figure in time:

- cases opened: ``opened_on``; closed, outcomes: ``closed_on``; court hearings: ``court_date``;
- seizure items: the detection day of their case (``detected_on``: the raid or detention);
- takedowns: ``takedown_requested_on`` of the listing;
- referrals: ``sent_at`` (UTC day); confirmed matches: ``decided_at`` (UTC day);
- verification requests: ``sent_at`` (UTC day).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import String, case, cast, distinct, exists, func, literal, literal_column, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from .. import policy
from ..models import (
    AWAITING_STATES,
    Case,
    CaseMatch,
    Listing,
    MatchDecision,
    Referral,
    ReferralStatus,
    Right,
    RightType,
    SeizureItem,
    TakedownResult,
    VerificationRequest,
)
from ..models.report import ScopeLevel
from . import sql
from .periods import Period, Scope

ACHIEVED = (TakedownResult.REMOVED, TakedownResult.PARTIALLY_REMOVED)
TOP_BRANDS = 10
TOP_RIGHTS = 10


def case_scope(scope: Scope) -> ColumnElement[bool]:
    """Filter on Case: the cases a report of ``scope`` counts, those every reader of the
    scope may open (``policy.report_cases``: an agency's cases of any sensitivity; above
    the agency, no restricted case and no "agency only" copy)."""
    return policy.report_cases(scope.level.value, scope.country_code, scope.agency_id)


def _counted_case(scope: Scope) -> ColumnElement[bool]:
    """Filter on Referral: sent from a case the report counts."""
    return Referral.case_id.in_(select(Case.id).where(case_scope(scope)))


def _right_type_sums() -> list:
    return [sql.count_if(sql.has_bit(Case.right_types_mask, t.bit)).label(t.value)
            for t in RightType]


def cases_opened(db: Session, scope: Scope, period: Period) -> list[dict]:
    """Per kind: cases opened, and how many involve each IP right type."""
    query = (select(Case.kind.label("kind"), func.count().label("cases"), *_right_type_sums())
             .where(case_scope(scope), sql.in_days(Case.opened_on, period.start,
                                                    period.end_exclusive))
             .group_by(Case.kind))
    return [dict(r._mapping) for r in db.execute(query)]


def cases_closed(db: Session, scope: Scope, period: Period) -> list[dict]:
    """Per kind and outcome: cases closed, with their right types."""
    query = (select(Case.kind.label("kind"), Case.outcome.label("outcome"),
                    func.count().label("cases"), *_right_type_sums())
             .where(case_scope(scope), sql.in_days(Case.closed_on, period.start,
                                                    period.end_exclusive))
             .group_by(Case.kind, Case.outcome))
    return [dict(r._mapping) for r in db.execute(query)]


def court_hearings(db: Session, scope: Scope, period: Period) -> int:
    return db.scalar(select(func.count()).select_from(Case).where(
        case_scope(scope), sql.in_days(Case.court_date, period.start,
                                       period.end_exclusive))) or 0


def _seizures_in(scope: Scope, period: Period):
    return (SeizureItem.__table__.join(Case.__table__, SeizureItem.case_id == Case.id),
            [case_scope(scope), sql.in_days(Case.detected_on, period.start,
                                            period.end_exclusive)])


def _value_columns(currency: str | None) -> list:
    """USD value; in the report's currency: native values, and the USD value of items
    recorded in another currency (converted afterwards at the report's rate)."""
    columns = [func.count().label("items"),
               func.count(distinct(SeizureItem.case_id)).label("cases"),
               func.sum(SeizureItem.quantity).label("quantity"),
               func.sum(SeizureItem.value_usd).label("value_usd")]
    if currency is None:
        return columns
    native = SeizureItem.currency == currency
    return [*columns, sql.sum_if(native, SeizureItem.value_local).label("local_native"),
            sql.sum_if(~native, SeizureItem.value_usd).label("usd_foreign"),
            sql.count_if(~native & SeizureItem.value_usd.is_not(None)).label("foreign_items")]


def seizures(db: Session, scope: Scope, period: Period, currency: str | None) -> list[dict]:
    """Per product category and unit: items, cases, quantity and value."""
    source, where = _seizures_in(scope, period)
    query = (select(SeizureItem.category.label("category"), SeizureItem.unit.label("unit"),
                    *_value_columns(currency))
             .select_from(source).where(*where)
             .group_by(SeizureItem.category, SeizureItem.unit))
    return [dict(r._mapping) for r in db.execute(query)]


def seizure_parts(db: Session, scope: Scope, period: Period, currency: str | None
                  ) -> list[dict]:
    """Items, cases and values per member state (region) or agency (otherwise): the totals
    add up from these rows, since a case belongs to one agency and one country."""
    source, where = _seizures_in(scope, period)
    part = Case.country_code if scope.level == ScopeLevel.REGION else Case.agency_id
    query = (select(part.label("part"), *_value_columns(currency))
             .select_from(source).where(*where).group_by(part))
    return [dict(r._mapping) for r in db.execute(query)]


def _item_source() -> ColumnElement:
    """CaseMatch.source of a seizure item: "seizure:<id>"."""
    return literal("seizure:", String) + cast(SeizureItem.id, String)


def _confirmed_right() -> ColumnElement[bool]:
    """Join condition: a confirmed match of the item to a registered right."""
    return ((CaseMatch.case_id == SeizureItem.case_id)
            & (CaseMatch.source == _item_source())
            & (CaseMatch.decision == MatchDecision.CONFIRMED))


def top_rights(db: Session, scope: Scope, period: Period, min_cases: int = 0) -> list[dict]:
    """The registered rights infringed by the most valuable seizures: per right confirmed
    for an item, its items, quantity, value and cases, with the right's holder; with
    ``min_cases``, only rights seen in at least that many cases."""
    source, where = _seizures_in(scope, period)
    source = (source.join(CaseMatch.__table__, _confirmed_right())
              .join(Right.__table__, CaseMatch.right_id == Right.id))
    cases = func.count(distinct(SeizureItem.case_id))
    value = func.coalesce(func.sum(SeizureItem.value_usd), 0)
    query = (select(Right.id.label("right_id"), Right.office.label("office"),
                    Right.number.label("number"), Right.mark_text.label("mark"),
                    func.coalesce(Right.owner, Right.representative).label("holder"),
                    cases.label("cases"), func.count().label("items"),
                    func.sum(SeizureItem.quantity).label("quantity"),
                    value.label("value_usd"))
             .select_from(source).where(*where)
             .group_by(Right.id, Right.office, Right.number, Right.mark_text, Right.owner,
                       Right.representative)
             .order_by(value.desc(), cases.desc(), Right.id).limit(TOP_RIGHTS))
    if min_cases > 1:
        query = query.having(cases >= min_cases)
    return [dict(r._mapping) for r in db.execute(query)]


def top_brands(db: Session, scope: Scope, period: Period, min_cases: int = 0) -> list[dict]:
    """The brands of the most valuable seizures that no confirmed right covers, grouped by
    the matcher's folded reading (``brand_key``: "NIKE", "NlKE" and "Nlke" are one brand);
    with ``min_cases``, only brands seen in at least that many cases. Each carries the
    spellings seized under it (``spellings``: brand as seen -> items) for its label."""
    source, where = _seizures_in(scope, period)
    where = [*where, ~exists().where(_confirmed_right())]
    cases = func.count(distinct(SeizureItem.case_id))
    value = func.coalesce(func.sum(SeizureItem.value_usd), 0)
    query = (select(SeizureItem.brand_key.label("key"), cases.label("cases"),
                    func.count().label("items"), value.label("value_usd"))
             .select_from(source).where(*where).group_by(SeizureItem.brand_key)
             .order_by(value.desc(), cases.desc(), SeizureItem.brand_key).limit(TOP_BRANDS))
    if min_cases > 1:
        query = query.having(cases >= min_cases)
    rows = [dict(r._mapping) | {"spellings": {}} for r in db.execute(query)]
    if rows:
        by_key = {r["key"]: r for r in rows}
        spellings = (select(SeizureItem.brand_key, SeizureItem.brand, func.count())
                     .select_from(source)
                     .where(*where, SeizureItem.brand_key.in_(list(by_key)))
                     .group_by(SeizureItem.brand_key, SeizureItem.brand))
        for key, brand, n in db.execute(spellings):
            by_key[key]["spellings"][brand] = n
    return rows


def _takedowns_in(scope: Scope, period: Period):
    when = sql.in_days(Listing.takedown_requested_on, period.start, period.end_exclusive)
    return (Listing.__table__.join(Case.__table__, Listing.case_id == Case.id),
            [case_scope(scope), when])


def takedowns(db: Session, scope: Scope, period: Period) -> list[dict]:
    """Per platform: takedowns requested in the period, achieved, refused, still open,
    and the mean days from request to removal."""
    source, where = _takedowns_in(scope, period)
    result = Listing.takedown_result
    done = Listing.takedown_done_on.is_not(None) & result.in_(ACHIEVED)
    days = sql.day_span(db, Listing.takedown_done_on, Listing.takedown_requested_on)
    query = (select(Listing.platform.label("platform"), func.count().label("listings"),
                    func.count(distinct(Listing.case_id)).label("cases"),
                    sql.count_if(result.in_(ACHIEVED)).label("achieved"),
                    sql.count_if(result == TakedownResult.REFUSED).label("refused"),
                    sql.count_if(result.is_(None) | result.in_(
                        (TakedownResult.PENDING, TakedownResult.NO_RESPONSE))).label("open"),
                    func.avg(case((done, days), else_=None)).label("mean_days"))
             .select_from(source).where(*where).group_by(Listing.platform))
    return [dict(r._mapping) for r in db.execute(query)]


def takedown_times(db: Session, scope: Scope, period: Period) -> dict:
    """Median and 90th percentile of days to removal, per platform and overall ("")."""
    source, where = _takedowns_in(scope, period)
    days = sql.day_span(db, Listing.takedown_done_on, Listing.takedown_requested_on)
    achieved = [*where, Listing.takedown_done_on.is_not(None),
                Listing.takedown_result.in_(ACHIEVED)]
    per_platform = sql.percentiles(db, select(Listing.platform.label("grp"),
                                              days.label("value"))
                                   .select_from(source).where(*achieved), (0.5, 0.9))
    overall = sql.percentiles(db, select(literal_column("''").label("grp"),
                                         days.label("value"))
                              .select_from(source).where(*achieved), (0.5, 0.9))
    return {**per_platform, **overall}


def referral_scope(scope: Scope) -> tuple[ColumnElement[bool], ColumnElement]:
    """The referrals of ``scope`` and whether each was sent or received by it. Sent ones
    (and the region's) count when their case does (a restricted case's referrals are in its
    agency's report only); received ones are in the receiving coordinator's inbox."""
    if scope.level == ScopeLevel.AGENCY:
        sent = Referral.from_agency_id == scope.agency_id
        return sent | (Referral.to_agency_id == scope.agency_id), _direction(sent)
    if scope.level == ScopeLevel.COUNTRY:
        ours = Referral.from_country_code == scope.country_code
        received = (Referral.to_country_code == scope.country_code) & ~ours
        return (ours & _counted_case(scope)) | received, _direction(ours)
    return _counted_case(scope), literal_column("'all'")


def _direction(sent: ColumnElement[bool]) -> ColumnElement:
    return case((sent, "sent"), else_="received")


def _grouping(scope: Scope, direction: ColumnElement) -> list:
    """GROUP BY the direction, except the region's constant one (PostgreSQL refuses it)."""
    return [] if scope.level == ScopeLevel.REGION else [direction]


def _referrals_in(scope: Scope, period: Period):
    where, direction = referral_scope(scope)
    return [where, Referral.sent_at.is_not(None),
            sql.in_moments(Referral.sent_at, period.start, period.end_exclusive)], direction


def _referral_counts(as_of: date) -> list:
    status = Referral.status
    awaiting = status.in_(tuple(AWAITING_STATES))
    return [func.count().label("referrals"),
            func.count(distinct(Referral.case_id)).label("cases"),
            sql.count_if(status == ReferralStatus.ACCEPTED).label("accepted"),
            sql.count_if(status == ReferralStatus.DECLINED).label("declined"),
            sql.count_if(status == ReferralStatus.WITHDRAWN).label("withdrawn"),
            sql.count_if(awaiting).label("awaiting"),
            sql.count_if(awaiting & (Referral.deadline < as_of)).label("overdue"),
            sql.count_if(Referral.first_response_at.is_not(None)).label("answered")]


def referral_pairs(db: Session, scope: Scope, period: Period, as_of: date) -> list[dict]:
    """Per direction and country pair: referrals sent in the period and where they stand
    on ``as_of`` (overdue: past the deadline and still waiting for the receiver)."""
    where, direction = _referrals_in(scope, period)
    query = (select(direction.label("direction"), Referral.from_country_code.label("from"),
                    Referral.to_country_code.label("to"), *_referral_counts(as_of))
             .where(*where)
             .group_by(*_grouping(scope, direction), Referral.from_country_code,
                       Referral.to_country_code))
    return [dict(r._mapping) for r in db.execute(query)]


def referral_actions(db: Session, scope: Scope, period: Period, as_of: date) -> list[dict]:
    where, direction = _referrals_in(scope, period)
    query = (select(direction.label("direction"),
                    Referral.requested_action.label("action"), *_referral_counts(as_of))
             .where(*where).group_by(*_grouping(scope, direction), Referral.requested_action))
    return [dict(r._mapping) for r in db.execute(query)]


def referral_response_times(db: Session, scope: Scope, period: Period) -> dict:
    """Median and 90th percentile of days from sending to the receiver's first response."""
    where, direction = _referrals_in(scope, period)
    days = sql.day_span(db, Referral.first_response_at, Referral.sent_at, moments=True)
    source = select(direction.label("grp"), days.label("value")).where(
        *where, Referral.first_response_at.is_not(None))
    return sql.percentiles(db, source, (0.5, 0.9))


def matches(db: Session, scope: Scope, period: Period) -> dict:
    """Right holders reached through confirmed matches decided in the period."""
    source = (CaseMatch.__table__.join(Case.__table__, CaseMatch.case_id == Case.id)
              .join(Right.__table__, CaseMatch.right_id == Right.id))
    query = (select(func.count().label("confirmed"),
                    func.count(distinct(CaseMatch.case_id)).label("cases"),
                    func.count(distinct(CaseMatch.right_id)).label("rights"),
                    func.count(distinct(func.coalesce(Right.owner, Right.representative))
                               ).label("holders"))
             .select_from(source)
             .where(case_scope(scope), CaseMatch.decision == MatchDecision.CONFIRMED,
                    CaseMatch.decided_at.is_not(None),
                    sql.in_moments(CaseMatch.decided_at, period.start, period.end_exclusive)))
    return dict(db.execute(query).one()._mapping)


def verification_requests(db: Session, scope: Scope, period: Period) -> list[dict]:
    """The verification requests sent in the period from the cases the report counts, one
    small row each (country, holder, case, times, deadline, status, verdict). Whether an
    answer came within its deadline is the answer's day in the sending country's time zone,
    which SQLite cannot compute: the figures are made from these rows in Python (requests
    are a few per confirmed match, orders of magnitude fewer than cases or items)."""
    vr = VerificationRequest
    query = (select(vr.country_code.label("country"), vr.org_id.label("org_id"),
                    vr.case_id.label("case_id"), vr.sent_at.label("sent_at"),
                    vr.answered_at.label("answered_at"), vr.deadline.label("deadline"),
                    vr.status.label("status"), vr.verdict.label("verdict"))
             .where(vr.case_id.in_(select(Case.id).where(case_scope(scope))),
                    sql.in_moments(vr.sent_at, period.start, period.end_exclusive)))
    return [dict(r._mapping) for r in db.execute(query)]


def trend(db: Session, scope: Scope, first: date, end_exclusive: date) -> dict[str, dict]:
    """Per month ("YYYY-MM"): cases opened, cases closed, seizure value in USD."""
    out: dict[str, dict] = {"opened": {}, "closed": {}, "value_usd": {}, "seizure_cases": {}}
    for name, column in (("opened", Case.opened_on), ("closed", Case.closed_on)):
        month = sql.month_of(db, column)
        query = (select(month.label("month"), func.count().label("n"))
                 .where(case_scope(scope), sql.in_days(column, first, end_exclusive))
                 .group_by(month))
        out[name] = {r.month: r.n for r in db.execute(query)}
    month = sql.month_of(db, Case.detected_on)
    source = SeizureItem.__table__.join(Case.__table__, SeizureItem.case_id == Case.id)
    query = (select(month.label("month"), func.sum(SeizureItem.value_usd).label("usd"),
                    func.count(distinct(SeizureItem.case_id)).label("cases"))
             .select_from(source)
             .where(case_scope(scope), sql.in_days(Case.detected_on, first, end_exclusive))
             .group_by(month))
    for r in db.execute(query):
        out["value_usd"][r.month] = r.usd
        out["seizure_cases"][r.month] = r.cases
    return out


def by_country(db: Session, period: Period) -> dict[str, dict]:
    """Regional reports: per member state, cases opened and closed."""
    out: dict[str, dict] = {}
    for name, column in (("opened", Case.opened_on), ("closed", Case.closed_on)):
        query = (select(Case.country_code, func.count().label("n"))
                 .where(case_scope(Scope.region()),
                        sql.in_days(column, period.start, period.end_exclusive))
                 .group_by(Case.country_code))
        for r in db.execute(query):
            out.setdefault(r.country_code, {})[name] = r.n
    return out
