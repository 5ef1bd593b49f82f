"""Administration rules: member states, agencies, inviting and managing officers."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import available_timezones

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.orm import Session

from .. import audit, jobs, policy
from ..auth import service as auth_service
from ..auth import sessions
from ..errors import Forbidden, Invalid, NotFound
from ..models import (
    Agency,
    AgencyKind,
    ApiToken,
    AuditEvent,
    Country,
    Invitation,
    LoginAttempt,
    Officer,
    Role,
    utcnow,
)

AGENCY_CODE = re.compile(r"^[A-Z0-9]{2,16}$")


# --- countries -------------------------------------------------------------------

def list_countries(db: Session) -> list[Country]:
    return list(db.scalars(select(Country).order_by(Country.name)))


def get_country(db: Session, code: str) -> Country:
    country = db.get(Country, (code or "").upper())
    if country is None:
        raise NotFound(gettext("No such country."))
    return country


def update_country(db: Session, actor: Officer, code: str, *, name: str, currency: str,
                   timezone: str, active: bool) -> Country:
    if not policy.can_manage_countries(actor):
        raise NotFound(gettext("No such country."))
    country = get_country(db, code)
    name = name.strip()
    if not name:
        raise Invalid("name", gettext("is required"))
    if not re.fullmatch(r"[A-Z]{3}", currency or ""):
        raise Invalid("currency", gettext("must be an ISO 4217 code such as MYR"))
    if timezone not in available_timezones():
        raise Invalid("timezone", gettext("%(zone)s is not a known time zone", zone=repr(timezone)))
    before = {"name": country.name, "currency": country.currency,
              "timezone": country.timezone, "active": country.active}
    country.name, country.currency, country.timezone, country.active = (
        name, currency, timezone, active)
    after = {"name": name, "currency": currency, "timezone": timezone, "active": active}
    audit.record(db, actor, "country.update", country, country_code=country.code,
                 details={"before": before, "after": after})
    return country


# --- agencies --------------------------------------------------------------------

def list_agencies(db: Session, country_code: str | None = None) -> list[Agency]:
    query = select(Agency).join(Agency.country).order_by(Country.name, Agency.name)
    if country_code:
        query = query.where(Agency.country_code == country_code)
    return list(db.scalars(query))


def get_agency(db: Session, agency_id: int) -> Agency:
    agency = db.get(Agency, agency_id)
    if agency is None:
        raise NotFound(gettext("No such agency."))
    return agency


def _agency_fields(code: str, name: str, kind: str) -> tuple[str, str, AgencyKind]:
    code = (code or "").strip().upper()
    if not AGENCY_CODE.match(code):
        raise Invalid("code", gettext("must be 2-16 capital letters or digits, e.g. KPDN"))
    name = (name or "").strip()
    if not name:
        raise Invalid("name", gettext("is required"))
    try:
        return code, name, AgencyKind(kind)
    except ValueError:
        raise Invalid("kind", gettext("must be one of %(values)s",
                                      values=", ".join(k.value for k in AgencyKind))) from None


def create_agency(db: Session, actor: Officer, country_code: str, code: str, name: str,
                  kind: str) -> Agency:
    country = get_country(db, country_code)
    if not policy.can_manage_agencies_of(actor, country.code):
        raise Forbidden(gettext("You may only add agencies of your own country."))
    code, name, kind_value = _agency_fields(code, name, kind)
    if db.scalar(select(Agency).where(Agency.country_code == country.code, Agency.code == code)):
        raise Invalid("code", gettext("%(country)s already has an agency with code %(code)s",
                                      country=country.code, code=code))
    agency = Agency(country_code=country.code, code=code, name=name, kind=kind_value)
    db.add(agency)
    db.flush()
    audit.record(db, actor, "agency.create", agency, country_code=country.code,
                 details={"code": code, "name": name, "kind": kind_value.value})
    return agency


def update_agency(db: Session, actor: Officer, agency_id: int, *, name: str, kind: str,
                  active: bool, tell_holders: bool | None = None) -> Agency:
    """Rename, re-kind or (de)activate an agency; ``tell_holders`` (None: unchanged) is
    whether right holders are told of rights confirmed in its cases, unless a case says
    otherwise (HolderAlert)."""
    agency = get_agency(db, agency_id)
    if not policy.can_manage_agencies_of(actor, agency.country_code):
        raise Forbidden(gettext("You may only change agencies of your own country."))
    _, name, kind_value = _agency_fields(agency.code, name, kind)
    tell = bool(agency.tell_holders) if tell_holders is None else bool(tell_holders)
    before = {"name": agency.name, "kind": agency.kind.value, "active": agency.active,
              "tell_holders": bool(agency.tell_holders)}
    agency.name, agency.kind, agency.active = name, kind_value, active
    agency.tell_holders = tell
    audit.record(db, actor, "agency.update", agency, country_code=agency.country_code,
                 details={"before": before,
                          "after": {"name": name, "kind": kind_value.value, "active": active,
                                    "tell_holders": tell}})
    return agency


# --- officers --------------------------------------------------------------------

@dataclass
class OfficerFilter:
    q: str = ""
    country: str = ""
    agency_id: int | None = None
    role: str = ""
    status: str = ""  # active, invited, deactivated
    sort: str = "name"
    page: int = 1
    per_page: int = 25


SORTS = {"name": Officer.name, "email": Officer.email, "role": Officer.role,
         "last_login": Officer.last_login_at, "created": Officer.created_at}


def officers_query(actor: Officer, f: OfficerFilter) -> Select:
    query = select(Officer).join(Officer.agency).where(policy.visible_officers(actor))
    if f.q:
        like = f"%{f.q.strip().lower()}%"
        query = query.where(or_(func.lower(Officer.name).like(like),
                                func.lower(Officer.email).like(like)))
    if f.country:
        query = query.where(Agency.country_code == f.country)
    if f.agency_id:
        query = query.where(Officer.agency_id == f.agency_id)
    if f.role:
        query = query.where(Officer.role == f.role)
    if f.status == "active":
        query = query.where(Officer.active.is_(True))
    elif f.status == "invited":
        query = query.where(Officer.active.is_(False), Officer.deactivated_at.is_(None))
    elif f.status == "deactivated":
        query = query.where(Officer.deactivated_at.is_not(None))
    key = f.sort.lstrip("-")
    column = SORTS.get(key, Officer.name)
    return query.order_by(column.desc() if f.sort.startswith("-") else column.asc(), Officer.id)


def get_officer(db: Session, actor: Officer, officer_id: int) -> Officer:
    """An officer the actor may see, else NotFound (never a hint that it exists)."""
    officer = db.get(Officer, officer_id)
    if officer is None or not policy.can_view_officer(actor, officer):
        raise NotFound(gettext("No such officer."))
    return officer


def invite_officer(db: Session, actor: Officer, *, email: str, name: str, role: str,
                   agency_id: int) -> tuple[Officer, str]:
    """Create an invited (inactive) account and its one-time link token."""
    try:
        email = validate_email(email or "", check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid("email", gettext("is not a valid e-mail address (%(reason)s)",
                                       reason=str(exc))) from None
    name = (name or "").strip()
    if not name:
        raise Invalid("name", gettext("is required"))
    try:
        role_value = Role(role)
    except ValueError:
        raise Invalid("role", gettext("is not a known role")) from None
    agency = db.get(Agency, agency_id) if agency_id else None
    if agency is None:
        raise Invalid("agency", gettext("is required"))
    if not policy.can_invite(actor, role_value, agency):
        raise Invalid("role", gettext("you may not invite a %(role)s into %(agency)s",
                                      role=gettext(role_value.label).lower(),
                                      agency=agency.name))
    if db.scalar(select(Officer).where(func.lower(Officer.email) == email)):
        raise Invalid("email", gettext("already belongs to an account"))
    officer = Officer(email=email, name=name, role=role_value, agency=agency,
                      timezone=agency.country.timezone, active=False)
    db.add(officer)
    db.flush()
    token = auth_service.new_invitation(db, officer, actor)
    audit.record(db, actor, "officer.invite", officer, country_code=agency.country_code,
                 details={"email": email, "role": role_value.value, "agency": agency.id})
    mail_invitation(db, officer, token)
    return officer, token


def invitation_link(token: str) -> str:
    """The one-time link of an invitation (built without a request: CLI and jobs too)."""
    path = current_app.url_map.bind("anice").build("auth.accept_invitation", {"token": token})
    return current_app.config["BASE_URL"].rstrip("/") + path


def link_to_hand_over(token: str) -> str | None:
    """The link the inviter is shown: only when no mail server delivers it (embedded mode)."""
    return None if current_app.config.get("SMTP_HOST") else invitation_link(token)


def mail_invitation(db: Session, officer: Officer, token: str) -> None:
    """E-mail the link once the invitation commits, when a mail server is configured. The
    job waits in the outbox (with the link) only until Redis takes it; a failed delivery
    stays there for ``flask jobs flush``, and a reinvitation issues a new link."""
    if current_app.config.get("SMTP_HOST"):
        jobs.enqueue_after_commit(db, "workers.mail.send_invitation", to=officer.email,
                                  link=invitation_link(token))


def _managed(db: Session, actor: Officer, officer_id: int) -> Officer:
    officer = get_officer(db, actor, officer_id)
    if not policy.can_manage_officer(actor, officer) and not policy.can_deactivate(actor, officer):
        raise Forbidden(gettext("You may not manage this officer."))
    return officer


def change_role(db: Session, actor: Officer, officer_id: int, role: str) -> Officer:
    officer = get_officer(db, actor, officer_id)
    try:
        new_role = Role(role)
    except ValueError:
        raise Invalid("role", gettext("is not a known role")) from None
    if not policy.can_change_role(actor, officer, new_role):
        raise Forbidden(gettext("You may not give this role to this officer."))
    if new_role != officer.role:
        before = officer.role.value
        officer.role = new_role
        # A new role means new rights: make the officer log in again.
        sessions.end_all_sessions(db, officer)
        audit.record(db, actor, "officer.role", officer, country_code=officer.country_code,
                     details={"before": before, "after": new_role.value})
    return officer


def deactivate(db: Session, actor: Officer, officer_id: int, reason: str) -> Officer:
    officer = get_officer(db, actor, officer_id)
    if not policy.can_deactivate(actor, officer):
        raise Forbidden(gettext("You may not deactivate this officer."))
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("reason", gettext("say why the account is deactivated"))
    officer.active = False
    officer.deactivated_at = utcnow()
    ended = sessions.end_all_sessions(db, officer)
    withdraw_credentials(db, officer)
    audit.record(db, actor, "officer.deactivate", officer, country_code=officer.country_code,
                 details={"reason": reason[:500], "sessions_ended": ended})
    return officer


def reinvite(db: Session, actor: Officer, officer_id: int) -> tuple[Officer, str]:
    """Withdraw open invitations and credentials, and issue a new link (lost device, etc.)."""
    officer = _managed(db, actor, officer_id)
    if not policy.can_reinvite(actor, officer):
        raise Forbidden(gettext("You may not reinvite this officer."))
    token = reset_credentials(db, officer, actor)
    audit.record(db, actor, "officer.reinvite", officer, country_code=officer.country_code)
    mail_invitation(db, officer, token)
    return officer, token


def reset_credentials(db: Session, officer: Officer, invited_by: Officer | None) -> str:
    """Password, TOTP, sessions, tokens and open links all go; returns a new link token."""
    withdraw_credentials(db, officer)
    officer.active = False
    officer.password_hash = None
    officer.totp_secret_enc = None
    officer.totp_confirmed = False
    officer.deactivated_at = None
    sessions.end_all_sessions(db, officer)
    return auth_service.new_invitation(db, officer, invited_by)


def withdraw_credentials(db: Session, officer: Officer) -> None:
    """Open invitations and API tokens stop working (deactivation, reinvitation)."""
    now = utcnow()
    db.execute(update(Invitation).where(Invitation.officer_id == officer.id,
                                        Invitation.used_at.is_(None),
                                        Invitation.revoked_at.is_(None))
               .values(revoked_at=now))
    db.execute(update(ApiToken).where(ApiToken.officer_id == officer.id,
                                      ApiToken.revoked_at.is_(None))
               .values(revoked_at=now))


def login_attempts(db: Session, actor: Officer, officer: Officer, limit: int = 20
                   ) -> list[LoginAttempt]:
    if not policy.can_view_login_attempts(actor, officer):
        return []
    return list(db.scalars(select(LoginAttempt).where(LoginAttempt.officer_id == officer.id)
                           .order_by(LoginAttempt.at.desc()).limit(limit)))


# --- audit trail -------------------------------------------------------------------

@dataclass
class AuditFilter:
    action: str = ""
    actor: str = ""
    country: str = ""
    date_from: str = ""
    date_to: str = ""
    page: int = 1
    per_page: int = 50


def audit_query(actor: Officer, f: AuditFilter) -> Select:
    if not policy.can_read_audit(actor):
        raise NotFound(gettext("No such page."))
    query = select(AuditEvent).where(policy.visible_audit_events(actor))
    if f.action:
        query = query.where(AuditEvent.action.like(f"{f.action}%"))
    if f.actor:
        query = query.where(func.lower(AuditEvent.actor_label).like(f"%{f.actor.lower()}%"))
    if f.country:
        query = query.where(AuditEvent.country_code == f.country)

    for field, value in (("date_from", f.date_from), ("date_to", f.date_to)):
        if not value:
            continue
        try:
            day = datetime.strptime(value, "%Y-%m-%d").replace(tzinfo=UTC)
        except ValueError:
            raise Invalid(field, gettext("must be a date as YYYY-MM-DD")) from None
        if field == "date_from":
            query = query.where(AuditEvent.at >= day)
        else:
            query = query.where(AuditEvent.at < day + timedelta(days=1))
    return query.order_by(AuditEvent.id.desc())
