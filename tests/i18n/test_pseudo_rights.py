"""The rights registry and the right holders' pages in the pseudo-locale: every word a person
reads comes from a catalog (tests/i18n/pseudo.py says what is checked, and what is data).
The pages carry data: a right imported from an ST.66 file with its mark image, edited
once (history), matched in a case, linked to a holder that keeps a contact, a guide and a
recordation; the import job of that file; the office status table with a value."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select

from anice.holders import material
from anice.models import (
    CaseMatch,
    Country,
    Guide,
    HolderOrg,
    ImportJob,
    MatchDecision,
    Notification,
    OfficeStatus,
    RegistryImport,
    Right,
    Role,
)
from anice.rights import editing, statuses
from anice.text.labels import field_label

from ..holders.test_material import GUIDE
from ..rights.test_import_xml import st66, trademark
from ..rights.test_mark_images import logo, st66_image
from .catalogs import PSEUDO
from .pseudo import untranslated
from .test_pseudo_locale import _data

# Which words a page shows does not depend on the database: SQLite only (suite time).
pytestmark = pytest.mark.sqlite_only

# Lines of shared partials that other parts of issue 19 wrap (state_fields.html's
# "(required)", macros.html's "… in all" under a list): tolerated here as whole lines
# only, so that nothing of this area's own templates hides behind them.
SHARED = (re.compile(r"\(required\)"), re.compile(r"\d+ in all"))
CODES = ("SHA-256",)  # the name of the hash, not a word


def _check(client, url: str, data: tuple[str, ...], part: str | None = None) -> str:
    """``url`` in the pseudo-locale has no word outside the catalogs (only the element
    whose id is ``part``, when given: the page around it belongs to another area)."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    assert f'<html lang="{PSEUDO}">' in page
    if part is not None:
        found = re.search(rf'<section[^>]*id="{part}".*?</section>', page, re.S)
        assert found, (url, part)
        page = f'<html lang="{PSEUDO}"><body>{found.group(0)}</body></html>'
    left = [line for line in untranslated(page, data)
            if not any(p.fullmatch(line) for p in SHARED)]
    assert left == [], (url, left)
    return page


def _import(client, name: str, data: bytes) -> str:
    posted = client.post("/rights/import", data={"mode": "abort", "file": (io.BytesIO(data),
                                                                           name)},
                         content_type="multipart/form-data")
    assert posted.status_code == 302, posted.data[:300]
    return posted.headers["Location"]


@pytest.fixture
def scene(client, auth, db, make):
    """A coordinator of MY (reading the pseudo-locale) imports an ST.66 file with a mark
    image through the import page and edits the right; a holder is linked to it and keeps
    a contact, a guide and a recordation; an investigator's case matched it."""
    coordinator = make.officer(Role.COORDINATOR, country="MY", language=PSEUDO)
    auth.login(coordinator)
    job_url = _import(client, "my-daily.xml",
                      st66(trademark("TM900", mark="NIKE AIR", extra=st66_image(logo()))))
    auth.logout()
    right = db.scalar(select(Right).where(Right.mark_text == "NIKE AIR"))
    assert right is not None, client.get(job_url).get_data(as_text=True)[-3000:]
    values = editing.form_values(db, right)
    editing.update_right(db, coordinator, right.id, {
        **values, "contact_name": "Aminah binti Yusof", "names": "ไนกี้ แอร์", "status": "expired"})
    statuses.set_office_status(db, None, "MY", "Didaftarkan", "registered")
    holder = make.holder(rights=(right,), language=PSEUDO)
    material.add_contact(db, holder, {
        "country": "MY", "name": "Aminah binti Yusof", "role": "Brand protection",
        "email": "aminah@nike.example", "phone": "+60 3 2168 8000", "hours": "09:00-18:00",
        "languages": "ms,en"})
    material.create_recordation(db, holder, {
        "right": right.id, "country": "MY", "authority": "customs",
        "number": "JKDM/IPR/2025/0117", "valid_from": "2025-04-01",
        "valid_until": "2027-03-31", "notes": "Kept at Port Klang"})
    investigator = make.officer(Role.INVESTIGATOR, country="MY", language=PSEUDO)
    case = make.case(investigator)
    db.add(CaseMatch(case_id=case.id, right_id=right.id, text="NIKE AIR MAX",
                     source="brand", score=91, reasons=["exact"],
                     decision=MatchDecision.PENDING))
    db.commit()
    return {"coordinator": coordinator, "holder": holder, "right": right, "job": job_url,
            "case": case, "investigator": investigator}


def _right_data(db, right: Right) -> tuple[str, ...]:
    """What the right's pages show of its own record (and the countries' names)."""
    db.refresh(right)
    data = [right.office, right.number, right.mark_text or "", right.owner or "",
            right.representative or "", right.contact_email or "", right.contact_name or "",
            right.status_raw or "", *(n.text for n in right.names),
            *(n.script or "" for n in right.names),
            *(g.text for g in right.goods_rows),
            *(i.filename for i in right.images), *(i.media_type for i in right.images),
            *(i.sha256 for i in right.images),
            *db.scalars(select(Country.name))]
    return tuple(data)


def _status_values(db) -> tuple[str, ...]:
    """The status table's rows: the values the offices publish, and the offices."""
    rows = db.scalars(select(OfficeStatus)).all()
    return (*(r.value for r in rows), *(r.office for r in rows))


def _holder_data(scene) -> tuple[str, ...]:
    """What the officer's pages show of the holder's material."""
    return (scene["holder"].holder_org.name, "Aminah binti Yusof", "aminah@nike.example",
            "+60 3 2168 8000", "Brand protection", "09:00-18:00", "ms,en",
            "JKDM/IPR/2025/0117", "Kept at Port Klang")


def _history_data(db) -> tuple[str, ...]:
    """The imported files (name, format, SHA-256 and its prefix) and the field names in words
    (anice/text/labels.py, wrapped by the labels part of issue 19)."""
    files = db.scalars(select(RegistryImport)).all()
    fields = [field_label(f) for f in ("contact_name", "names", "status_raw", "status")]
    return (*(f.filename for f in files), *(f.sha256 or "" for f in files),
            *((f.format or "").upper() for f in files),
            *(f.sha256[:12] for f in files if f.sha256), *fields)


def test_registry_pages(client, auth, db, make, scene):
    coordinator, right = scene["coordinator"], scene["right"]
    auth.login(coordinator)
    data = (*_data(coordinator), *_right_data(db, right), *_history_data(db),
            *_holder_data(scene), *CODES, *_status_values(db), "exact")
    for url in ("/rights/", "/rights/?q=nike&sort=-expiry", f"/rights/{right.id}",
                f"/rights/{right.id}?history=all", f"/rights/{right.id}/edit",
                "/rights/statuses", "/rights/statuses?office=MY", scene["job"]):
        _check(client, url, data)
    shown = client.get(f"/rights/{right.id}").get_data(as_text=True)
    # the checked right's page had its image, its history and its holder's material
    assert "<figure>" in shown and "JKDM/IPR/2025/0117" in shown
    assert "Aminah binti Yusof" in shown and "[Ȧççéñţéð Expired]" in shown
    # the import page, for a coordinator without a job of their own (the list of one's
    # own jobs is imports/_progress.html, wrapped with the imports)
    other = make.officer(Role.COORDINATOR, country="MY", language=PSEUDO)
    auth.logout()
    auth.login(other)
    _check(client, "/rights/import", (*_data(other), *data))


def test_the_case_page_candidates(client, auth, db, scene):
    investigator, right = scene["investigator"], scene["right"]
    auth.login(investigator)
    data = (*_data(investigator), *_right_data(db, right), *_holder_data(scene),
            "NIKE AIR MAX", "exact")
    page = _check(client, f"/cases/{scene['case'].id}", data, part="matches")
    assert "NIKE AIR MAX" in page and "JKDM/IPR/2025/0117" in page


def test_holder_pages(client, auth, db, scene):
    holder, right = scene["holder"], scene["right"]
    auth.login(holder)
    distributor = "MY; Nike Sales (Malaysia) Sdn Bhd; distributor; +60 3 2168 8000"
    posted = client.post("/holders/me/guides", data={**GUIDE, "rights": [str(right.id)],
                                                     "distributors": distributor})
    assert posted.status_code == 302
    guide = db.scalar(select(Guide))
    data = (*_data(holder), *_right_data(db, right), *GUIDE.values(), distributor,
            "Nike Sales (Malaysia) Sdn Bhd", "+60 3 2168 8000", "Aminah binti Yusof",
            "Brand protection", "aminah@nike.example", "09:00-18:00", "ms,en",
            "JKDM/IPR/2025/0117", "Kept at Port Klang")
    for url in (f"/holders/me/rights/{right.id}", "/holders/me/contacts",
                "/holders/me/guides", f"/holders/guides/{guide.id}",
                f"/holders/me/guides/{guide.id}/edit", "/holders/me/recordations",
                "/holders/me"):
        _check(client, url, data)


def test_coordinator_holder_pages(client, auth, db, scene):
    coordinator, holder = scene["coordinator"], scene["holder"]
    auth.login(coordinator)
    org = db.get(HolderOrg, holder.holder_org_id)
    data = (*_data(coordinator), *_right_data(db, scene["right"]), org.name,
            org.identity_checked or "", holder.name, holder.email,
            *(link.holder_name for link in org.links))
    for url in ("/holders/", f"/holders/{org.id}"):
        _check(client, url, data)


def test_the_holder_alert_is_in_each_readers_language(db, make):
    """The notification keeps its text: each of the holder's people gets it in their own
    language (a Thai representative in Thai, an English one in English)."""
    investigator = make.officer(Role.INVESTIGATOR, country="MY")
    investigator.agency.tell_holders = True
    db.commit()
    nike = make.right("MY", "TM300001", mark="NIKE", owner="Nike Innovate C.V.")
    org = make.holder_org(name="Nike Innovate C.V.", rights=(nike,), alerts=True)
    thai, english = make.holder(org=org, language="th"), make.holder(org=org)
    make.match(investigator, make.case(investigator, opened=True), nike)
    told = {n.officer_id: n.message for n in db.scalars(select(Notification))}
    assert told[english.id].startswith("Your right MY TM300001 was confirmed in a case of ")
    assert told[thai.id].startswith("สิทธิ MY TM300001 ของคุณได้รับการยืนยันในคดีของหน่วยงาน ")


def test_the_import_report_is_in_the_uploaders_language(client, auth, db, make):
    """The job writes its report's problems in the language of whoever uploaded the file
    (the one who reads it), here Thai."""
    auth.login(make.officer(Role.COORDINATOR, country="MY", language="th"))
    url = _import(client, "semicolons.csv", b"office;number;type\r\nMY;TM1;trademark\r\n")
    job = db.get(ImportJob, int(url.rsplit("/", 1)[1]))
    assert [(line, field, message) for line, field, message in job.errors] == [
        (1, "header", "ไม่ได้คั่นด้วยจุลภาค")]
    assert "ไม่ได้คั่นด้วยจุลภาค" in client.get(url).get_data(as_text=True)
