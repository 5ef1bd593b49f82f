"""Right holder organisations: registering them, inviting their representatives and
linking them to the registered rights they own or represent (coordinators and the
secretariat), and what a holder's own account reaches (its linked rights)."""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit, policy
from ..admin import service as admin_service
from ..auth import service as auth_service
from ..auth import sessions
from ..errors import Conflict, Forbidden, Invalid, NotFound
from ..models import (
    Country,
    HolderCapacity,
    HolderKind,
    HolderOrg,
    HolderRight,
    Officer,
    Right,
    Role,
    utcnow,
)


def _text(value, field: str, limit: int, required: bool = True) -> str | None:
    text = (value or "").strip()
    if not text:
        if required:
            raise Invalid(field, gettext("is required"))
        return None
    if len(text) > limit:
        raise Invalid(field, gettext("is too long (%(got)s characters; at most %(max)s)",
                                     got=len(text), max=limit))
    return text


# --- organisations -------------------------------------------------------------------

def orgs_query(actor: Officer):
    return (select(HolderOrg).where(policy.visible_holder_orgs(actor))
            .order_by(HolderOrg.name))


def list_orgs(db: Session, actor: Officer) -> list[HolderOrg]:
    return list(db.scalars(orgs_query(actor)))


def get_org(db: Session, actor: Officer, org_id: int) -> HolderOrg:
    """An organisation the actor keeps (or its own), else NotFound."""
    org = db.scalar(select(HolderOrg).where(HolderOrg.id == org_id,
                                            policy.visible_holder_orgs(actor)))
    if org is None:
        raise NotFound(gettext("No such right holder."))
    return org


def org_countries(db: Session, actor: Officer) -> list[Country]:
    allowed = policy.holder_org_countries(actor)
    query = select(Country).where(Country.active.is_(True)).order_by(Country.name)
    if allowed is not None:
        query = query.where(Country.code.in_(allowed))
    return list(db.scalars(query))


def create_org(db: Session, actor: Officer, *, name: str, kind: str, country_code: str,
               identity_checked: str) -> HolderOrg:
    """Register a holder organisation after checking who they are (say how)."""
    if not policy.can_manage_holders(actor):
        raise Forbidden(gettext("You may not register right holders."))
    name = _text(name, "name", 300)
    try:
        kind_value = HolderKind(kind)
    except ValueError:
        raise Invalid("kind", gettext("must be owner or counsel")) from None
    allowed = policy.holder_org_countries(actor)
    if db.get(Country, country_code or "") is None or (
            allowed is not None and country_code not in allowed):
        raise Invalid("country", gettext("choose a member state you keep holders of"))
    checked = _text(identity_checked, "identity_checked", 2000)
    if db.scalar(select(HolderOrg.id).where(func.lower(HolderOrg.name) == name.lower())):
        raise Invalid("name", gettext("a right holder of this name is already registered"))
    org = HolderOrg(name=name, kind=kind_value, country_code=country_code,
                    identity_checked=checked, created_by_id=actor.id)
    db.add(org)
    db.flush()
    audit.record(db, actor, "holder.create", org, country_code=country_code,
                 details={"name": name, "kind": kind_value.value})
    return org


def set_org_active(db: Session, actor: Officer, org_id: int, active: bool,
                   reason: str = "") -> HolderOrg:
    """Suspend (or restore) an organisation: its accounts reach nothing while suspended."""
    org = get_org(db, actor, org_id)
    if not policy.can_manage_holder_org(actor, org):
        raise NotFound(gettext("No such right holder."))
    if not active:
        reason = _text(reason, "reason", 500)
    if org.active != active:
        org.active = active
        if not active:
            for person in people_of(db, org):
                sessions.end_all_sessions(db, person)
        audit.record(db, actor, "holder.activate" if active else "holder.suspend", org,
                     country_code=org.country_code, details={"reason": reason or None})
    return org


def set_alerts(db: Session, actor: Officer, on: bool) -> HolderOrg:
    """The holder subscribes to (or stops) alerts on confirmed matches of its rights."""
    org = actor.holder_org
    if org is None or not policy.can_set_holder_alerts(actor, org):
        raise NotFound(gettext("No such right holder."))
    if org.alerts != on:
        org.alerts = on
        audit.record(db, actor, "holder.alerts", org, country_code=org.country_code,
                     details={"alerts": on})
    return org


# --- people --------------------------------------------------------------------------

def people_of(db: Session, org: HolderOrg) -> list[Officer]:
    return list(db.scalars(select(Officer).where(Officer.holder_org_id == org.id)
                           .order_by(Officer.name)))


def invite_representative(db: Session, actor: Officer, org_id: int, *, email: str,
                          name: str) -> tuple[Officer, str]:
    """An invited (inactive) holder account and its one-time link: the same enrolment as
    an officer's (password, then TOTP)."""
    org = get_org(db, actor, org_id)
    if not policy.can_manage_holder_org(actor, org):
        raise NotFound(gettext("No such right holder."))
    if not org.active:
        raise Invalid("email", gettext("the organisation is suspended; restore it first"))
    try:
        email = validate_email(email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid("email", str(exc)) from None
    name = _text(name, "name", 200)
    if db.scalar(select(Officer.id).where(func.lower(Officer.email) == email)):
        raise Invalid("email", gettext("already belongs to an account"))
    person = Officer(email=email, name=name, role=Role.HOLDER, agency=None,
                     holder_org=org, timezone=db.get(Country, org.country_code).timezone,
                     active=False)
    db.add(person)
    db.flush()
    token = auth_service.new_invitation(db, person, actor)
    audit.record(db, actor, "holder.invite", person, country_code=org.country_code,
                 details={"email": email, "org": org.id})
    admin_service.mail_invitation(db, person, token)
    return person, token


def remove_representative(db: Session, actor: Officer, org_id: int, person_id: int,
                          reason: str) -> Officer:
    """Deactivate a representative's account (it left the firm, the mandate ended)."""
    org = get_org(db, actor, org_id)
    person = db.get(Officer, person_id)
    if (person is None or person.holder_org_id != org.id
            or not policy.can_manage_holder_org(actor, org)):
        raise NotFound(gettext("No such person."))
    reason = _text(reason, "reason", 500)
    if person.active or person.deactivated_at is None:
        person.active = False
        person.deactivated_at = utcnow()
        sessions.end_all_sessions(db, person)
        admin_service.withdraw_credentials(db, person)
        audit.record(db, actor, "holder.person.deactivate", person,
                     country_code=org.country_code, details={"reason": reason})
    return person


# --- links to rights -----------------------------------------------------------------

def links_of(db: Session, org: HolderOrg, standing_only: bool = False) -> list[HolderRight]:
    query = (select(HolderRight).where(HolderRight.org_id == org.id)
             .options(selectinload(HolderRight.right))
             .order_by(HolderRight.revoked_at.is_not(None), HolderRight.id))
    if standing_only:
        query = query.where(HolderRight.revoked_at.is_(None))
    return list(db.scalars(query))


def link_right(db: Session, actor: Officer, org_id: int, *, office: str, number: str,
               capacity: str, holder_name: str,
               power_of_attorney: str | None = None) -> HolderRight:
    """Link the right ``office`` ``number`` to the organisation, as its owner or its
    representative for ``holder_name`` (the register's holder): confirmed by the actor."""
    org = get_org(db, actor, org_id)
    if not policy.can_manage_holder_org(actor, org):
        raise NotFound(gettext("No such right holder."))
    office = (office or "").strip().upper()
    number = _text(number, "number", 64)
    right = db.scalar(select(Right).where(Right.office == office, Right.number == number))
    if right is None:
        raise Invalid("number", gettext("no right %(right)s in the registry",
                                        right=f"{office} {number}"))
    if not policy.can_link_right(actor, org, right.office):
        raise NotFound(gettext("No such right holder."))
    try:
        capacity_value = HolderCapacity(capacity)
    except ValueError:
        raise Invalid("capacity", gettext("must be owner or representative")) from None
    holder_name = _text(holder_name, "holder_name", 300)
    attorney = _text(power_of_attorney, "power_of_attorney", 300, required=False)
    if capacity_value == HolderCapacity.REPRESENTATIVE and attorney is None:
        raise Invalid("power_of_attorney", gettext("a representative acts under a power of "
                                                   "attorney: give its reference and date"))
    if db.scalar(select(HolderRight.id).where(policy.active_links(org.id),
                                              HolderRight.right_id == right.id)):
        raise Conflict(gettext("%(right)s is already linked to %(org)s.",
                               right=f"{right.office} {right.number}", org=org.name))
    link = HolderRight(org=org, right=right, capacity=capacity_value,
                       holder_name=holder_name, power_of_attorney=attorney,
                       linked_by_id=actor.id)
    db.add(link)
    db.flush()
    audit.record(db, actor, "holder.link", link, country_code=org.country_code,
                 details={"org": org.id, "right": right.id, "capacity": capacity_value.value,
                          "holder_name": holder_name})
    return link


def revoke_link(db: Session, actor: Officer, org_id: int, link_id: int,
                reason: str) -> HolderRight:
    """End the organisation's access to a right at once (its material and requests on
    the right disappear from its pages and API on the next request)."""
    org = get_org(db, actor, org_id)
    link = db.get(HolderRight, link_id)
    if (link is None or link.org_id != org.id
            or not policy.can_manage_holder_org(actor, org)):
        raise NotFound(gettext("No such link."))
    reason = _text(reason, "reason", 500)
    if link.revoked_at is None:
        link.revoked_at, link.revoked_by_id, link.revoke_reason = utcnow(), actor.id, reason
        audit.record(db, actor, "holder.unlink", link, country_code=org.country_code,
                     details={"org": org.id, "right": link.right_id, "reason": reason})
    return link


# --- the holder's own view -----------------------------------------------------------

@dataclass
class HolderHome:
    org: HolderOrg
    links: list[HolderRight]


def my_rights(db: Session, actor: Officer) -> list[Right]:
    """The rights the holder reaches (standing links of its organisation)."""
    if not policy.is_holder(actor):
        return []
    return list(db.scalars(select(Right).where(Right.id.in_(policy.holder_right_ids(actor)))
                           .order_by(Right.office, Right.number)))


def home(db: Session, actor: Officer) -> HolderHome:
    if not policy.is_holder(actor):
        raise NotFound(gettext("No such page."))
    return HolderHome(org=actor.holder_org,
                      links=links_of(db, actor.holder_org, standing_only=True))


def my_right(db: Session, actor: Officer, right_id: int) -> Right:
    """One of the holder's rights, else NotFound (a revoked link included)."""
    right = db.scalar(select(Right).where(Right.id == right_id,
                                          Right.id.in_(policy.holder_right_ids(actor))))
    if right is None:
        raise NotFound(gettext("No such right."))
    return right


def holders_of_right(db: Session, actor: Officer, right_id: int) -> list[HolderRight]:
    """The organisations standing linked to a right, for officers beside a match or on
    the right's page (their material is public to officers)."""
    if not policy.can_view_rights(actor):
        return []
    return list(db.scalars(select(HolderRight).where(HolderRight.right_id == right_id,
                                                     HolderRight.revoked_at.is_(None))
                           .options(selectinload(HolderRight.org))))
