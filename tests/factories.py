"""Builders for test objects and a login helper (CTFd's gen_* style).

One factory for the whole suite: officers and agencies are written as rows; cases, items,
listings, parties, evidence, referrals, rights and matches go through the services, so
they carry what a user's would (references, timelines, audit rows, custody). ``world``
is the cast several suites share.
"""

from __future__ import annotations

import io
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import pyotp
from sqlalchemy import select
from sqlalchemy.orm import Session

from anice.admin.bootstrap import ensure_member_states, operations_agency
from anice.auth import passwords, totp
from anice.auth.secrets import seal_secret
from anice.models import (
    Agency,
    AgencyKind,
    Case,
    CaseMatch,
    Evidence,
    HolderCapacity,
    HolderKind,
    HolderOrg,
    HolderRight,
    Officer,
    Referral,
    Right,
    Role,
)

PASSWORD = "correct horse battery staple 42"
_seq = itertools.count(1)

COUNTERFEIT = {"kind": "counterfeit", "title": "Raid on Petaling Street warehouse",
               "summary": "Fake sports shoes and bags found in a warehouse.",
               "right_types": ["trademark"], "detection": "raid", "province": "Selangor",
               "city": "Petaling Jaya", "detected_on": "2026-10-02", "tags": "shoes, bags"}
ONLINE = {"kind": "online", "title": "Shopee seller of fake watches",
          "summary": "Replica watches offered online.", "right_types": ["trademark", "design"],
          "province": "Kuala Lumpur", "detected_on": "2026-09-15"}
SEIZURE = {"description": "Running shoes", "brand": "Nike", "category": "footwear",
           "quantity": "120", "unit": "pairs", "value_local": "6000", "currency": "MYR",
           "usd_rate": "0.22", "storage_place": "KPDN store room 3"}
LISTING = {"url": "https://shopee.com.my/product/123", "platform": "shopee",
           "seller_name": "Watch King", "seller_id": "watchking88",
           "title": "Rolex Submariner premium copy", "price": "350", "currency": "MYR",
           "seen_at": "2026-09-14T10:00:00+08:00"}
SUSPECT = {"role": "suspect", "kind": "person", "name": "Ah Seng", "nationality": "MY"}
PDF = b"%PDF-1.7\n" + b"shared evidence content " * 400 + b"\n%%EOF\n"
RIGHTS_HEADER = ("office,number,type,status,mark_text,classes,owner,representative,"
                 "contact_email,filing_date,registration_date,expiry_date,goods")


@dataclass
class World:
    """The shared cast: MY police and customs, TH police and customs, VN; each country's
    coordinator, the network's admin and secretariat. ``case`` and ``evidence`` are what
    a suite builds on it (a referred case and its files)."""

    my_police: Agency
    my_customs: Agency
    th_police: Agency
    th_customs: Agency
    inv_my: Officer
    inv_my2: Officer
    sup_my: Officer
    pros_my: Officer
    inv_my_customs: Officer
    coord_my: Officer
    inv_th: Officer
    sup_th: Officer
    sup_th_customs: Officer
    coord_th: Officer
    inv_vn: Officer
    coord_vn: Officer
    admin: Officer
    secretariat: Officer
    case: Case | None = None
    evidence: list[Evidence] = field(default_factory=list)


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
                email: str | None = None, language: str | None = "en") -> Officer:
        """An enrolled officer; ``language``: the one they chose (English, so that pages
        read as the tests expect), None for their country's (tests/i18n)."""
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
            password_hash=passwords.hash_password(PASSWORD), language=language,
            totp_secret_enc=seal_secret(secret), totp_confirmed=active)
        officer.totp_secret = secret  # plain copy for the tests only (not a column)
        self.db.add(officer)
        self.db.commit()
        return officer

    def holder_org(self, name: str | None = None, country: str = "MY",
                   rights: tuple[Right, ...] = (), alerts: bool = False) -> HolderOrg:
        """A registered holder organisation, linked (as owner) to ``rights``."""
        org = HolderOrg(name=name or f"Holder {next(_seq)}", kind=HolderKind.OWNER,
                        country_code=country, identity_checked="Registry extract seen",
                        alerts=alerts)
        self.db.add(org)
        self.db.flush()
        for right in rights:
            self.db.add(HolderRight(org=org, right=right, capacity=HolderCapacity.OWNER,
                                    holder_name=right.owner or org.name))
        self.db.commit()
        return org

    def holder(self, org: HolderOrg | None = None, active: bool = True,
               rights: tuple[Right, ...] = (), language: str | None = "en") -> Officer:
        """An enrolled right holder's account (password and TOTP like an officer's)."""
        org = org or self.holder_org(rights=rights)
        secret = totp.new_secret()
        person = Officer(
            email=f"holder{next(_seq)}@brand.example", name=f"Representative of {org.name}",
            role=Role.HOLDER, agency=None, holder_org=org, timezone="Asia/Kuala_Lumpur",
            active=active, password_hash=passwords.hash_password(PASSWORD), language=language,
            totp_secret_enc=seal_secret(secret), totp_confirmed=active)
        person.totp_secret = secret
        self.db.add(person)
        self.db.commit()
        return person

    def world(self) -> World:
        """The shared cast (agencies by their real-life codes, so references read well)."""
        my_police, my_customs = self.agency("MY", "PDRM"), self.agency("MY", "JKDM")
        th_police, th_customs = self.agency("TH", "ECD"), self.agency("TH", "CUS")
        staff = self.officer
        return World(
            my_police=my_police, my_customs=my_customs, th_police=th_police,
            th_customs=th_customs,
            inv_my=staff(Role.INVESTIGATOR, agency=my_police),
            inv_my2=staff(Role.INVESTIGATOR, agency=my_police),
            sup_my=staff(Role.SUPERVISOR, agency=my_police),
            pros_my=staff(Role.PROSECUTOR, agency=my_police),
            inv_my_customs=staff(Role.INVESTIGATOR, agency=my_customs),
            coord_my=staff(Role.COORDINATOR, agency=my_customs),
            inv_th=staff(Role.INVESTIGATOR, "TH", agency=th_police),
            sup_th=staff(Role.SUPERVISOR, "TH", agency=th_police),
            sup_th_customs=staff(Role.SUPERVISOR, "TH", agency=th_customs),
            # In neither TH agency: an "agency only" referral keeps its coordinator out.
            coord_th=staff(Role.COORDINATOR, "TH"),
            inv_vn=staff(Role.INVESTIGATOR, "VN"), coord_vn=staff(Role.COORDINATOR, "VN"),
            admin=staff(Role.ADMIN), secretariat=staff(Role.SECRETARIAT))

    # --- cases and what they hold (through the case services) -----------------------

    def case(self, actor: Officer, *, opened: bool = False, **fields: Any) -> Case:
        """A draft case of ``actor``'s agency; ``opened``: with one item, moved to open."""
        from anice.cases import service, workflow

        data = {**(ONLINE if fields.get("kind") == "online" else COUNTERFEIT), **fields}
        if actor.country_code != "MY":  # the sample places are Malaysian: take the
            # country's first province, so the case can be opened
            from anice.cases.places import provinces

            data = {**data, "province": fields.get("province", provinces(actor.country_code)[0]),
                    "city": fields.get("city", "")}
        case = service.create_case(self.db, actor, data)
        self.db.commit()
        if opened:
            if case.kind.value == "counterfeit":
                self.seizure_item(actor, case)
            else:
                self.listing(actor, case)
            workflow.move_case(self.db, actor, case.id, "open", {"version": case.version})
            self.db.commit()
        return case

    def _item(self, actor: Officer, case: Case, kind: str, data: dict[str, Any]):
        from anice.cases import items

        item = items.add_item(self.db, actor, case.id, kind, data)
        self.db.commit()
        return item

    def seizure_item(self, actor: Officer, case: Case, **fields: Any):
        return self._item(actor, case, "seizure", {**SEIZURE, **fields})

    def listing(self, actor: Officer, case: Case, **fields: Any):
        return self._item(actor, case, "listing", {**LISTING, **fields})

    def party(self, actor: Officer, case: Case, **fields: Any):
        return self._item(actor, case, "party", {**SUSPECT, **fields})

    def evidence(self, actor: Officer, case: Case, name: str = "scan.pdf",
                 body: bytes = PDF) -> Evidence:
        """A sealed evidence file (its content made unique by its name)."""
        from anice.evidence import service

        intake = service.start_intake(self.db, actor)
        intake.write(body + name.encode())
        evidence = service.register(self.db, actor, case, intake, name, {})
        self.db.commit()
        return evidence

    # --- referrals (through the referral service) -----------------------------------

    def referral(self, actor: Officer, case: Case, *, state: str = "draft",
                 approver: Officer | None = None, router: Officer | None = None,
                 receiver: Officer | None = None, route_to: Agency | None = None,
                 copy: bool = False, **data: Any) -> Referral:
        """A referral of ``case`` drafted by ``actor``, taken to ``state``: "draft",
        "sent" (submitted, approved by ``approver``) or "accepted" (routed by ``router``
        to ``route_to`` when sent to a country, accepted by ``receiver``)."""
        from anice.referrals import service

        db = self.db
        referral = service.create_referrals(db, actor, case.id, data)[0]
        db.commit()
        if state == "draft":
            return referral
        service.submit(db, actor, referral.id)
        db.commit()
        if referral.status.value == "pending_approval":
            service.approve(db, approver, referral.id, {})
            db.commit()
        if state == "sent":
            return referral
        if referral.to_agency_id is None:
            service.route(db, router, referral.id, {"agency_id": str(route_to.id)})
            db.commit()
        service.accept(db, receiver, referral.id, {"copy": copy})
        db.commit()
        return referral

    # --- rights and matches ---------------------------------------------------------

    def right(self, office: str = "MY", number: str | None = None, mark: str = "NIKE",
              owner: str = "Nike Inc", classes: str = "25", kind: str = "trademark",
              status: str = "registered", contact: str = "legal@owner.example") -> Right:
        """A registered right, imported as the registry's CSV import writes it."""
        from anice.rights import importing

        number = number or f"TM{next(_seq):06d}"
        row = (f"{office},{number},{kind},{status},{mark},{classes},{owner},,{contact},"
               "2001-01-02,2002-03-04,2032-03-04,goods")
        stream = io.BytesIO(f"{RIGHTS_HEADER}\r\n{row}\r\n".encode())
        importing.import_csv(self.db, None, stream)
        self.db.commit()
        return self.db.scalar(select(Right).where(Right.office == office,
                                                  Right.number == number))

    def match(self, actor: Officer, case: Case, right: Right,
              decision: str | None = "confirmed") -> CaseMatch:
        """The case matched against the registry and its match with ``right`` decided
        by ``actor`` (``decision`` None leaves it proposed)."""
        from flask import has_app_context

        from anice import jobs
        from anice.rights import case_matching

        if has_app_context():
            # A live server (embedded mode) matches the case on its background thread after
            # each change of items: let that finish first, or both insert the same proposals.
            jobs.wait_for_background()
        case_matching.match_case(self.db, case)
        self.db.commit()
        found = self.db.scalar(select(CaseMatch).where(CaseMatch.case_id == case.id,
                                                       CaseMatch.right_id == right.id))
        assert found is not None, f"{right.mark_text} is not matched by case {case.id}"
        if decision is not None:
            found = case_matching.decide(self.db, actor, case.id, found.id, decision)
            self.db.commit()
        return found


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
