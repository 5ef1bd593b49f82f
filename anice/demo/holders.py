"""Demo right holders: a brand owner and a firm of counsel acting for two holders, each
with an account, its rights linked by the national coordinators (through the holder
service, as a coordinator would on the holder pages)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..auth import passwords
from ..auth.secrets import seal_secret
from ..holders import service
from ..models import HolderOrg, Officer, Right, Role


@dataclass(frozen=True)
class DemoHolder:
    org: str
    kind: str
    country: str
    checked: str
    # (local part of the account's e-mail, name)
    account: tuple[str, str]
    # registered holders (as in the register) whose demo rights are linked, and the power
    # of attorney relied on (None: the organisation is the holder)
    holders: tuple[tuple[str, str | None], ...]


HOLDERS = (
    DemoHolder("Nike Innovate C.V.", "owner", "MY",
               "Certified extract of the Dutch trade register; call-back to the brand "
               "protection desk at its published number",
               ("holder.nike", "Sarah Okafor"), (("Nike Innovate C.V.", None),)),
    DemoHolder("Rahman & Tan IP Counsel", "counsel", "MY",
               "Advocates and Solicitors roll of Malaysia; powers of attorney on file",
               ("counsel.rahmantan", "Aisyah Rahman"),
               (("adidas AG", "POA adidas AG to Rahman & Tan, 2026-01-15"),
                ("Louis Vuitton Malletier", "POA LVM to Rahman & Tan, 2025-11-03"))),
)


def _officer(db: Session, local: str) -> Officer | None:
    return db.scalar(select(Officer).where(Officer.email == f"{local}@anice.demo"))


def load_holders(db: Session, password: str, secret_of) -> list[dict]:
    """Register the demo holders once; returns the accounts made (empty when there)."""
    if db.scalar(select(HolderOrg.id).limit(1)) is not None:
        return []
    keepers = {"MY": _officer(db, "coordinator.my")}
    if keepers["MY"] is None:
        return []
    password_hash = passwords.hash_password(password)
    accounts = []
    for spec in HOLDERS:
        org = service.create_org(db, keepers[spec.country], name=spec.org, kind=spec.kind,
                                 country_code=spec.country, identity_checked=spec.checked)
        for holder_name, attorney in spec.holders:
            rights = db.scalars(select(Right).where(Right.owner == holder_name,
                                                    Right.office.in_(("MY", "TH")))
                                .order_by(Right.office, Right.number))
            for right in rights:
                service.link_right(
                    db, keepers[spec.country], org.id, office=right.office, number=right.number,
                    capacity="representative" if attorney else "owner",
                    holder_name=holder_name, power_of_attorney=attorney)
        local, name = spec.account
        email = f"{local}@anice.demo"
        person, _token = service.invite_representative(db, keepers[spec.country], org.id,
                                                       email=email, name=name)
        # The demo account is enrolled at once (password and TOTP), like the demo officers.
        secret = secret_of(email)
        person.password_hash, person.totp_secret_enc = password_hash, seal_secret(secret)
        person.totp_confirmed = person.active = True
        accounts.append({"role": Role.HOLDER.value, "email": email, "password": password,
                         "totp": secret, "org": org.name})
    db.flush()
    return accounts
