"""Demo right holders: a brand owner and a firm of counsel acting for two holders, each
with an account, its rights linked by the national coordinators (through the holder
service, as a coordinator would on the holder pages)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policy
from ..auth import passwords
from ..auth.secrets import seal_secret
from ..holders import files, guides, material, service
from ..models import (
    Case,
    CaseMatch,
    CaseStatus,
    HolderOrg,
    HolderRight,
    MatchDecision,
    Officer,
    Right,
    Role,
    SeizureItem,
)
from ..rights import case_matching
from ..verification import service as verification


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
        db.flush()
        _material(db, person, spec)
        accounts.append({"role": Role.HOLDER.value, "email": email, "password": password,
                         "totp": secret, "org": org.name})
    db.flush()
    _requests(db)
    return accounts


# Requests in each state: waiting, answered "counterfeit", overdue, withdrawn.
QUESTION = ("Goods detained at the warehouse raid: please confirm whether they are genuine. "
            "Photos of the labels are attached; samples can be examined at our store room.")


def _requests(db: Session) -> None:
    staff = [o for o in (_officer(db, "investigator.my"), _officer(db, "investigator2.my"))
             if o is not None]
    rows = db.execute(
        select(CaseMatch, Case).join(Case, Case.id == CaseMatch.case_id)
        .join(HolderRight, HolderRight.right_id == CaseMatch.right_id)
        .where(HolderRight.revoked_at.is_(None), Case.country_code == "MY",
               Case.status != CaseStatus.DRAFT, CaseMatch.source.like("seizure:%"))
        .order_by(Case.id, CaseMatch.score.desc())).all()
    done: set[int] = set()
    plans = ["sent", "answered", "overdue", "withdrawn"]
    for match, case in rows:
        inv = next((o for o in staff if policy.can_edit_case(o, case)), None)
        if not plans:
            break
        if case.id in done or inv is None:
            continue
        done.add(case.id)
        if match.decision != MatchDecision.CONFIRMED:
            case_matching.decide(db, inv, case.id, match.id, "confirmed")
        seizure = db.get(SeizureItem, int(match.source.split(":")[1]))
        plan = plans.pop(0)
        today = verification.today_in(db, case.country_code)
        detained = today - timedelta(days=30 if plan == "overdue" else 2)
        vr = verification.send(db, inv, case.id, match.id, org_id=None,
                               seizure_ids=[seizure.id], question=QUESTION,
                               detention_date=detained, working_days=10,
                               handling_code="agency_only")
        if plan == "answered":
            holder = db.scalar(select(Officer).where(Officer.holder_org_id == vr.org_id,
                                                     Officer.active.is_(True)))
            verification.answer(db, holder, vr.public_id, verdict="counterfeit",
                                statement="The labels lack the style code and the stitching "
                                          "does not match our production: counterfeit.",
                                examiner="Sarah Okafor, brand protection", intent="complaint")
        elif plan == "withdrawn":
            verification.withdraw(db, inv, vr.public_id, "Goods released by the court order.")


# What each demo holder keeps: contacts, a guide with two images, recordations.
CONTACTS = {
    "Nike Innovate C.V.": [
        {"country": "MY", "name": "Farah Ismail", "role": "Brand protection, Malaysia",
         "email": "brandprotection.my@nike.example", "phone": "+60 3 2161 0000",
         "hours": "Mon-Fri 09:00-18:00 MYT; customs detentions 24h", "languages": "ms,en"},
        {"country": "TH", "name": "Pim Suwannarat", "role": "Brand protection, Thailand",
         "email": "brandprotection.th@nike.example", "phone": "+66 2 000 0000",
         "hours": "Mon-Fri 08:30-17:30 ICT", "languages": "th,en"}],
    "Rahman & Tan IP Counsel": [
        {"country": "MY", "name": "Aisyah Rahman", "role": "Partner, enforcement",
         "email": "enforcement@rahmantan.example", "phone": "+60 3 7000 0000",
         "hours": "Mon-Sat 08:00-20:00 MYT", "languages": "ms,en,zh"}],
}
GUIDES = {
    "Nike Innovate C.V.": {
        "title": "Nike running shoes: genuine or counterfeit",
        "product": "Running shoes (Air Max, Pegasus)",
        "genuine_features": "Even stitching of 8-10 stitches per inch; the swoosh is one "
                            "piece; size label printed, not stitched on; factory code on "
                            "the tongue label matches the box label.",
        "counterfeit_features": "Glue marks at the sole; swoosh made of two pieces or "
                                "printed; misspelt care label; box label without UPC.",
        "packaging": "Orange or black box with the style code, size, colour code and UPC "
                     "on one label; tissue paper with the swoosh.",
        "checks": "The 9-digit style code (e.g. DM0029-100) on the box and the tongue label "
                  "must be the same.",
        "usual_prices": "MYR 450-900 in authorised stores; below MYR 150 is a warning sign.",
        "distributors": [{"country": "MY", "name": "Nike Malaysia (authorised stores)",
                          "licensee": False, "contact": "nike.com/my"},
                         {"country": "TH", "name": "Supersports (Central Group)",
                          "licensee": False, "contact": "supersports.co.th"}]},
    "Rahman & Tan IP Counsel": {
        "title": "adidas Originals: telling fakes apart",
        "product": "Footwear and track suits",
        "genuine_features": "Three stripes evenly spaced and stitched; trefoil logo sharp; "
                            "article number on the size label.",
        "counterfeit_features": "Stripes glued or uneven; article number missing or not "
                                "matching the box.",
        "packaging": "Blue or white box with the article number and size label.",
        "checks": "Article number (e.g. GY7037) on the box and the shoe must match.",
        "usual_prices": "MYR 300-700 in authorised stores.", "distributors": []},
}
RECORDATIONS = {
    "Nike Innovate C.V.": [("MY", "customs", "JKDM/IPR/2024/0117", "2024-04-01",
                            "2027-03-31"),
                           ("TH", "customs", "TCD-AFA-2025-0342", "2025-06-01",
                            "2026-05-31")],
    "Rahman & Tan IP Counsel": [("MY", "customs", "JKDM/IPR/2023/0588", "2023-07-01",
                                 "2026-06-30")],
}


def _picture(title: str, colour: str) -> bytes:
    """A small PNG for the demo guide (drawn here: no external file)."""
    image = Image.new("RGB", (480, 320), "white")
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((40, 150, 440, 260), radius=40, fill=colour)
    pen.rectangle((60, 260, 430, 280), fill="black")
    pen.text((40, 40), title, fill="black")
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _material(db: Session, person: Officer, spec: DemoHolder) -> None:
    for contact in CONTACTS.get(spec.org, []):
        material.add_contact(db, person, contact)
    rights = [r.id for r in service.my_rights(db, person)]
    if not rights:
        return
    data = dict(GUIDES[spec.org], rights=rights[:4])
    guide = guides.create_guide(db, person, data)
    for n, (caption, colour) in enumerate((("Genuine: one-piece swoosh, even stitching",
                                            "#2a6f97"),
                                           ("Counterfeit seized 2026: glued sole, two-piece "
                                            "logo", "#9b2226"))):
        intake = files.start_intake()
        intake.write(_picture(caption, colour))
        files.add_guide_image(db, person, guide.id, intake, f"guide-{n + 1}.png", caption)
    for country, authority, number, valid_from, valid_until in RECORDATIONS[spec.org]:
        material.create_recordation(db, person, {
            "right": rights[0], "country": country, "authority": authority,
            "number": number, "valid_from": valid_from, "valid_until": valid_until,
            "notes": "Application for action under the customs IP border measures."})
