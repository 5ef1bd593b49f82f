"""Reference data every installation needs: the member states, the operations agency."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..auth import service as auth_service
from ..errors import Invalid
from ..models import Agency, AgencyKind, Country, Officer, Role
from .service import reset_credentials

MEMBER_STATES = [
    ("BN", "Brunei Darussalam", "BND", "Asia/Brunei"),
    ("KH", "Cambodia", "KHR", "Asia/Phnom_Penh"),
    ("ID", "Indonesia", "IDR", "Asia/Jakarta"),
    ("LA", "Lao PDR", "LAK", "Asia/Vientiane"),
    ("MY", "Malaysia", "MYR", "Asia/Kuala_Lumpur"),
    ("MM", "Myanmar", "MMK", "Asia/Yangon"),
    ("PH", "Philippines", "PHP", "Asia/Manila"),
    ("SG", "Singapore", "SGD", "Asia/Singapore"),
    ("TH", "Thailand", "THB", "Asia/Bangkok"),
    ("VN", "Viet Nam", "VND", "Asia/Ho_Chi_Minh"),
    ("TL", "Timor-Leste", "USD", "Asia/Dili"),
]


def ensure_member_states(db: Session) -> None:
    for code, name, currency, tz in MEMBER_STATES:
        if db.get(Country, code) is None:
            db.add(Country(code=code, name=name, currency=currency, timezone=tz))
    db.flush()


def operations_agency(db: Session, country_code: str) -> Agency:
    """The agency that holds system admins and the ANIEE secretariat."""
    ensure_member_states(db)
    if db.get(Country, country_code) is None:
        raise Invalid("country", gettext("%(code)s is not a member state code",
                                         code=repr(country_code)))
    agency = db.scalar(select(Agency).where(Agency.kind == AgencyKind.SECRETARIAT))
    if agency is None:
        agency = Agency(country_code=country_code, code="ANIEE", kind=AgencyKind.SECRETARIAT,
                        name="ANIEE Secretariat and ANICE operations")
        db.add(agency)
        db.flush()
    return agency


def reinvite_admin(db: Session, *, email: str) -> str:
    """A new link for an existing admin (lost device, expired link): old credentials go."""
    officer = db.scalar(select(Officer).where(Officer.email == email.strip().lower()))
    if officer is None or officer.role != Role.ADMIN:
        raise Invalid("email", gettext("is not the e-mail of a system admin"))

    token = reset_credentials(db, officer, None)
    audit.record(db, None, "officer.reinvite_admin", officer, actor_label="cli")
    return token


def create_admin(db: Session, *, email: str, name: str, country_code: str) -> str:
    """Create an admin (inactive until enrolled) and return the invitation token."""
    try:
        email = validate_email(email, check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise Invalid("email", gettext("is not a valid e-mail address (%(reason)s)",
                                       reason=str(exc))) from None
    if not name.strip():
        raise Invalid("name", gettext("is required"))
    if db.scalar(select(Officer).where(Officer.email == email)):
        raise Invalid("email", gettext("already belongs to an account"))
    agency = operations_agency(db, country_code)
    officer = Officer(email=email, name=name.strip(), role=Role.ADMIN, agency=agency,
                      timezone=agency.country.timezone if agency.country else "UTC")
    db.add(officer)
    db.flush()
    token = auth_service.new_invitation(db, officer, None)
    audit.record(db, None, "officer.create_admin", officer, actor_label="cli",
                 details={"email": email})
    return token
