"""A demonstration data set: member states, agencies, an officer of every role."""

from __future__ import annotations

import base64
import hashlib

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..admin.bootstrap import ensure_member_states, operations_agency
from ..auth import passwords
from ..auth.secrets import open_secret, seal_secret
from ..models import (
    Agency,
    AgencyKind,
    Officer,
    Role,
)
from ..verification.holidays import ensure_reference_calendars

DEMO_PASSWORD = "demo passphrase for anice 2026"
DOMAIN = "anice.demo"

AGENCIES = {
    "BN": [("RBPF", "Royal Brunei Police Force", "police"),
           ("RCED", "Royal Customs and Excise Department", "customs"),
           ("BRUIPO", "Brunei Intellectual Property Office", "ip_office")],
    "KH": [("CCC", "Counter Counterfeit Committee", "other"),
           ("GDCE", "General Department of Customs and Excise", "customs")],
    "ID": [("POLRI", "Indonesian National Police", "police"),
           ("DJBC", "Directorate General of Customs and Excise", "customs"),
           ("DJKI", "Directorate General of Intellectual Property", "ip_office")],
    "LA": [("ECOPOL", "Economic Police Department", "police"),
           ("LCD", "Lao Customs Department", "customs")],
    "MY": [("KPDN", "Ministry of Domestic Trade and Cost of Living", "market_authority"),
           ("JKDM", "Royal Malaysian Customs Department", "customs"),
           ("MYIPO", "Intellectual Property Corporation of Malaysia", "ip_office")],
    "MM": [("MPF", "Myanmar Police Force", "police"),
           ("MCD", "Myanmar Customs Department", "customs")],
    "PH": [("IPOPHL", "Intellectual Property Office of the Philippines", "ip_office"),
           ("BOC", "Bureau of Customs", "customs"),
           ("NBI", "National Bureau of Investigation", "police")],
    "SG": [("SPF", "Singapore Police Force", "police"),
           ("ICA", "Immigration and Checkpoints Authority", "customs"),
           ("IPOS", "Intellectual Property Office of Singapore", "ip_office")],
    "TH": [("DIP", "Department of Intellectual Property", "ip_office"),
           ("ECD", "Economic and Cyber Crime Division", "police"),
           ("TCD", "Thai Customs Department", "customs")],
    "VN": [("DMS", "Department of Domestic Market Surveillance", "market_authority"),
           ("GDVC", "General Department of Viet Nam Customs", "customs"),
           ("IPVN", "Intellectual Property Office of Viet Nam", "ip_office")],
    "TL": [("PNTL", "National Police of Timor-Leste", "police"),
           ("AATL", "Customs Authority of Timor-Leste", "customs")],
}

# (local part, name, role, country, agency code or None for the operations agency)
OFFICERS = [
    ("admin", "Ari Admin", Role.ADMIN, "ID", None),
    ("secretariat", "Sita Secretariat", Role.SECRETARIAT, "ID", None),
    ("coordinator.my", "Mei Ling Tan", Role.COORDINATOR, "MY", "MYIPO"),
    ("supervisor.my", "Hafiz Rahman", Role.SUPERVISOR, "MY", "KPDN"),
    ("investigator.my", "Nurul Aziz", Role.INVESTIGATOR, "MY", "KPDN"),
    ("prosecutor.my", "Daniel Lim", Role.PROSECUTOR, "MY", "KPDN"),
    ("investigator2.my", "Siti Kamal", Role.INVESTIGATOR, "MY", "JKDM"),
    ("supervisor2.my", "Ravi Chandran", Role.SUPERVISOR, "MY", "JKDM"),
    ("coordinator.th", "Somchai Wongsa", Role.COORDINATOR, "TH", "DIP"),
    ("supervisor.th", "Kanya Srisuk", Role.SUPERVISOR, "TH", "ECD"),
    ("investigator.th", "Niran Chaiyaporn", Role.INVESTIGATOR, "TH", "ECD"),
    ("coordinator.vn", "Nguyen Thi Lan", Role.COORDINATOR, "VN", "IPVN"),
    ("investigator.vn", "Tran Van Minh", Role.INVESTIGATOR, "VN", "DMS"),
    ("supervisor.vn", "Le Thi Hoa", Role.SUPERVISOR, "VN", "DMS"),
    ("coordinator.id", "Budi Santoso", Role.COORDINATOR, "ID", "DJKI"),
]


def demo_totp_secret(email: str) -> str:
    """Deterministic so that a demo stays usable from printed instructions."""
    digest = hashlib.sha256(f"anice-demo:{email}".encode()).digest()[:20]
    return base64.b32encode(digest).decode()


def load(db: Session) -> list[dict]:
    """Load the demo set once; returns the accounts created (empty when already there)."""
    ensure_member_states(db)
    ensure_reference_calendars(db)  # weekends and 2026-2027 public holidays
    if db.scalar(select(Officer).where(Officer.email == f"admin@{DOMAIN}")):
        return []
    for country, agencies in AGENCIES.items():
        for code, name, kind in agencies:
            if not db.scalar(select(Agency).where(Agency.country_code == country,
                                                  Agency.code == code)):
                db.add(Agency(country_code=country, code=code, name=name, kind=AgencyKind(kind)))
    db.flush()
    ops = operations_agency(db, "ID")
    password_hash = passwords.hash_password(DEMO_PASSWORD)
    created = []
    for local, name, role, country, code in OFFICERS:
        agency = ops if code is None else db.scalar(
            select(Agency).where(Agency.country_code == country, Agency.code == code))
        email = f"{local}@{DOMAIN}"
        secret = demo_totp_secret(email)
        db.add(Officer(email=email, name=name, role=role, agency=agency,
                       timezone=agency.country.timezone, active=True,
                       password_hash=password_hash, totp_secret_enc=seal_secret(secret),
                       totp_confirmed=True))
        created.append({"role": role.value, "email": email, "password": DEMO_PASSWORD,
                        "totp": secret})
    db.flush()
    audit.record(db, None, "demo.load", actor_label="cli",
                 details={"officers": len(created)})
    return created


def current_code(db: Session, email: str) -> str | None:
    officer = db.scalar(select(Officer).where(Officer.email == email.lower()))
    if officer is None or not email.endswith(f"@{DOMAIN}") or not officer.totp_secret_enc:
        return None
    return pyotp.TOTP(open_secret(officer.totp_secret_enc)).now()
