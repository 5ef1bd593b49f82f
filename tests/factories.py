"""Builders for test objects and a login helper (CTFd's gen_* style)."""

from __future__ import annotations

import itertools
import time

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from anice.admin.bootstrap import ensure_member_states, operations_agency
from anice.auth import passwords, totp
from anice.auth.secrets import seal_secret
from anice.models import Agency, AgencyKind, Officer, Role

PASSWORD = "correct horse battery staple 42"
_seq = itertools.count(1)


class Factory:
    def __init__(self, db: Session) -> None:
        self.db = db
        ensure_member_states(db)
        db.commit()

    def agency(self, country: str = "MY", code: str | None = None,
               kind: AgencyKind = AgencyKind.POLICE) -> Agency:
        code = code or f"AG{next(_seq)}"
        found = self.db.scalar(select(Agency).where(Agency.country_code == country,
                                                    Agency.code == code))
        if found:
            return found
        agency = Agency(country_code=country, code=code, name=f"Agency {code} of {country}",
                        kind=kind)
        self.db.add(agency)
        self.db.commit()
        return agency

    def officer(self, role: Role | str = Role.INVESTIGATOR, country: str = "MY",
                agency: Agency | None = None, active: bool = True,
                email: str | None = None) -> Officer:
        role = Role(role)
        if agency is None:
            agency = (operations_agency(self.db, country) if role in (Role.ADMIN,
                                                                       Role.SECRETARIAT)
                      else self.agency(country, code=f"{country}POL"))
        secret = totp.new_secret()
        officer = Officer(
            email=email or f"{role.value}{next(_seq)}@{country.lower()}.anice.demo",
            name=f"{role.label} {country}", role=role, agency=agency,
            timezone=agency.country.timezone if agency.country else "UTC", active=active,
            password_hash=passwords.hash_password(PASSWORD),
            totp_secret_enc=seal_secret(secret), totp_confirmed=active)
        officer.totp_secret = secret  # plain copy for the tests only (not a column)
        self.db.add(officer)
        self.db.commit()
        return officer


def code_for(officer: Officer) -> str:
    """A TOTP code the server will accept next (never a replay of the last step)."""
    step = max(int(time.time() // totp.STEP), officer.totp_last_step + 1)
    return pyotp.TOTP(officer.totp_secret).generate_otp(step)


class Auth:
    def __init__(self, client, db: Session) -> None:
        self.client = client
        self.db = db

    def login(self, officer: Officer, password: str = PASSWORD, code: str | None = None):
        self.db.refresh(officer)
        return self.client.post("/login", data={
            "email": officer.email, "password": password,
            "code": code if code is not None else code_for(officer)})

    def logout(self):
        return self.client.post("/logout")
