"""Alerts to right holders: when one of a holder's rights is confirmed in a case, the
organisations subscribed to alerts (HolderOrg.alerts) and standing linked to the right are
told where, by which agency, when, and what kind and quantity of goods; never the case
(its reference, suspects, evidence or text). The case decides (Case.tell_holder, else its
agency's Agency.tell_holders; never a restricted case): policy.tells_holder."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from flask_babel import force_locale, gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..errors import NotFound
from ..models import (
    Case,
    CaseMatch,
    Country,
    HolderAlert,
    HolderOrg,
    HolderRight,
    Listing,
    Officer,
    SeizureItem,
)
from ..models.case_match import MatchDecision
from ..notifications import notify
from ..text.labels import label
from ..text.locales import officer_language
from ..text.times import zone

ALERTS_URL = "/holders/me/alerts"


def _quantity(item: SeizureItem) -> str | None:
    if item.quantity is None:
        return None
    amount = Decimal(item.quantity).normalize()
    return f"{amount:f} {item.unit.value}"[:60]


def matched_goods(db: Session, match: CaseMatch) -> tuple[str | None, str | None]:
    """(product category, quantity) of what the match was found on: a seizure item's
    category and quantity, "1 listing" for an online listing (no category)."""
    kind, _, raw_id = match.source.partition(":")
    if not raw_id.isdigit():
        return None, None
    if kind == "seizure":
        item = db.get(SeizureItem, int(raw_id))
        if item is None or item.case_id != match.case_id:
            return None, None
        return item.category.value, _quantity(item)
    if kind == "listing":
        listing = db.get(Listing, int(raw_id))
        if listing is None or listing.case_id != match.case_id:
            return None, None
        return None, "1 listing"
    return None, None


def _subscribed_orgs(db: Session, right_id: int) -> list[HolderOrg]:
    """Active organisations subscribed to alerts with a standing link to the right."""
    linked = select(HolderRight.org_id).where(HolderRight.right_id == right_id,
                                              HolderRight.revoked_at.is_(None))
    return list(db.scalars(select(HolderOrg).where(HolderOrg.id.in_(linked),
                                                   HolderOrg.active.is_(True),
                                                   HolderOrg.alerts.is_(True))
                           .order_by(HolderOrg.id)))


def _already_told(db: Session, org_id: int, right_id: int, case_id: int) -> bool:
    return db.scalar(select(HolderAlert.id).where(
        HolderAlert.org_id == org_id, HolderAlert.right_id == right_id,
        HolderAlert.case_id == case_id)) is not None


def alert_on_match(db: Session, match_id: int, actor: Officer | None) -> list[HolderAlert]:
    """Write and notify one HolderAlert per subscribed organisation of a confirmed match's
    right, once per (organisation, right, case): a re-confirmation, or a second matched
    item of the same right in the same case, tells nobody again."""
    match = db.get(CaseMatch, match_id)
    if match is None or match.decision != MatchDecision.CONFIRMED:
        return []
    case = db.get(Case, match.case_id)
    if case is None or not policy.tells_holder(case):
        return []
    orgs = [o for o in _subscribed_orgs(db, match.right_id)
            if not _already_told(db, o.id, match.right_id, case.id)]
    if not orgs:
        return []
    category, quantity = matched_goods(db, match)
    decided = match.decided_at or datetime.now(zone("UTC"))
    country = db.get(Country, case.country_code)
    day = decided.astimezone(zone(country.timezone if country else None)).date()
    alerts = []
    for org in orgs:
        alert = HolderAlert(org_id=org.id, right_id=match.right_id, case_id=case.id,
                            country_code=case.country_code, agency_name=case.agency.name,
                            confirmed_on=day, category=category, quantity=quantity)
        db.add(alert)
        db.flush()
        audit.record(db, actor, "holder.alert", alert, country_code=case.country_code,
                     details={"org": org.id, "right": match.right_id, "case": case.reference})
        _tell(db, org, alert, match)
        alerts.append(alert)
    return alerts


def _tell(db: Session, org: HolderOrg, alert: HolderAlert, match: CaseMatch) -> None:
    right = match.right
    for person in db.scalars(select(Officer).where(policy.verification_holders(org.id))):
        with force_locale(officer_language(person)):  # stored text: in the reader's language
            notify(db, [person], "holder.alert", _alert_text(alert, right), url=ALERTS_URL,
                   group=f"right:{right.id}")


def _alert_text(alert: HolderAlert, right) -> str:
    values = {"right": f"{right.office} {right.number}", "agency": alert.agency_name,
              "country": alert.country_code, "date": alert.confirmed_on.isoformat()}
    goods = ", ".join(filter(None, [gettext(label(alert.category)) if alert.category
                                    else None, alert.quantity]))
    if goods:
        return gettext("Your right %(right)s was confirmed in a case of %(agency)s "
                       "(%(country)s) on %(date)s: %(goods)s", goods=goods, **values)
    return gettext("Your right %(right)s was confirmed in a case of %(agency)s (%(country)s) "
                   "on %(date)s.", **values)


# --- the holder's side -------------------------------------------------------------------

def my_alerts(db: Session, actor: Officer, limit: int = 500) -> list[HolderAlert]:
    """The holder's alerts, newest first, for rights its organisation still stands linked
    to (a revoked link hides that right's alerts at once)."""
    if not policy.is_holder(actor) or not policy.can_view_holder_alerts(
            actor, actor.holder_org_id):
        raise NotFound(gettext("No such page."))
    return list(db.scalars(
        select(HolderAlert).where(HolderAlert.org_id == actor.holder_org_id,
                                  HolderAlert.right_id.in_(policy.holder_right_ids(actor)))
        .order_by(HolderAlert.confirmed_on.desc(), HolderAlert.id.desc()).limit(limit)))


def my_alert(db: Session, actor: Officer, alert_id: int) -> HolderAlert:
    """One of the holder's alerts, else NotFound (another holder's, or a revoked right's)."""
    alert = db.get(HolderAlert, alert_id)
    if (alert is None or not policy.can_view_holder_alerts(actor, alert.org_id)
            or alert.right_id not in set(db.scalars(policy.holder_right_ids(actor)))):
        raise NotFound(gettext("No such alert."))
    return alert
