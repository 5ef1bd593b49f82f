"""Referrals, referral requests, verification requests, the calendars and My work in the
pseudo-locale: every word a person reads on these pages comes from a catalog (the records'
own data aside). Each page is rendered with records on it, from both sides where two
countries read it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from anice.models import Agency, Country, Notification
from anice.referrals import requests
from anice.text.labels import label
from anice.verification import service as verification

from ..correlation.helpers import SELLER
from ..referrals.helpers import accepted, draft, sent, world
from ..referrals.test_requests import hit  # noqa: F401  (a MY case with a hit on TH police)
from ..verification.helpers import scene, send
from .catalogs import PSEUDO
from .pseudo import untranslated
from .test_pseudo_locale import _data

# Which words a page shows does not depend on the database: SQLite only (suite time).
pytestmark = pytest.mark.sqlite_only

# Units of sizes (filesizeformat) are symbols, not text; country codes are data.
UNITS = ("KiB", "MiB", "kB", "MB", "Bytes", "MY", "TH", "VN")
# Words these pages show from parts other areas wrap (issue 19, not yet merged here): the
# pager of templates/macros.html and the kinds of identifiers of anice/correlation.
ELSEWHERE = ("in all", "phone number", "marketplace seller id", "seller or shop name")


def _check(client, url: str, data: tuple[str, ...] = ()) -> None:
    """As test_pseudo_locale's, but names every leftover of the page."""
    response = client.get(url)
    assert response.status_code == 200, url
    page = response.get_data(as_text=True)
    assert f'<html lang="{PSEUDO}">' in page
    assert (url, untranslated(page, data)) == (url, [])


def _reader(db, auth, officer):
    officer.language = PSEUDO
    db.commit()
    auth.logout()
    assert auth.login(officer).status_code == 302


def _texts(values) -> list[str]:
    """The values as strings (a list, such as a case's tags, gives each of its items)."""
    out = []
    for value in values:
        out += _texts(value) if isinstance(value, list | tuple) else [str(value or "")]
    return out


def _case_data(case) -> tuple[str, ...]:
    """A case's own data; and its items' kinds in words (``label``: anice/text/labels.py,
    wrapped by another area of issue 19)."""
    data = [case.reference, case.title, case.summary or "", case.tags or [],
            case.province or "", case.city or "", case.agency.name, case.agency.code,
            case.status.label]  # CaseStatus.label: the cases area marks it
    for s in case.seizures:
        data += [s.brand, s.description, s.storage_place or "", label(s.category),
                 label(s.unit), label(s.unit).lower()]
    for item in case.listings:
        data += [item.title or "", item.url, item.seller_name or "", item.seller_id or "",
                 label(item.platform)]
    for p in case.parties:
        data += [p.name, p.nationality or "", label(p.role), label(p.kind),
                 label(p.kind).lower()]
    return tuple(_texts(data))


def _files(evidence) -> tuple[str, ...]:
    return tuple(_texts([[e.original_name, e.sha256[:16] + "…", e.sha256[:12] + "…",
                          e.media_type] for e in evidence]))


def _places(db) -> tuple[str, ...]:
    """Every member state and agency by name and code (the receivers a sender picks)."""
    data = []
    for c in db.scalars(select(Country)):
        data += [c.name, c.code]
    for a in db.scalars(select(Agency)):
        data += [a.name, a.code]
    return tuple(data)


def _referral_data(w, referral) -> tuple[str, ...]:
    people = (w.inv_my, w.sup_my, w.coord_th, w.sup_th, w.inv_th)
    data = [referral.reference, referral.message, *_case_data(w.case),
            *_files(w.evidence),
            *(o.name for o in people), *(o.agency.name for o in people),
            *(o.agency.country.name for o in people), w.th_police.name, w.th_customs.name]
    if referral.linked_case is not None:
        data += _case_data(referral.linked_case)
    return tuple(d for d in data if d) + UNITS + ELSEWHERE


def test_referral_pages_of_the_sender(client, auth, db, make):
    w = world(db, make)
    kept = draft(db, w)
    gone = sent(db, w, to=f"agency:{w.th_police.id}")
    data = _referral_data(w, gone) + (kept.reference,) + _places(db)
    _reader(db, auth, w.inv_my)
    for url in ("/referrals/?box=outbox", "/referrals/?box=inbox",
                f"/referrals/new?case_id={w.case.id}", f"/referrals/{kept.id}",
                f"/referrals/{gone.id}"):
        _check(client, url, (*_data(w.inv_my), *data))
    page = client.get(f"/referrals/{kept.id}").get_data(as_text=True)
    assert "[Ȧççéñţéð Submit" in page  # the draft's actions were among what was checked


def test_referral_pages_of_the_approving_supervisor(client, auth, db, make):
    w = world(db, make)
    waiting = draft(db, w)
    from anice.referrals import service

    service.submit(db, w.inv_my, waiting.id)
    db.commit()
    _reader(db, auth, w.sup_my)
    data = (*_data(w.sup_my), *_referral_data(w, waiting))
    for url in ("/referrals/?box=inbox", f"/referrals/{waiting.id}", "/"):
        _check(client, url, data)
    home = client.get("/").get_data(as_text=True)
    assert waiting.reference in home  # My work listed it, with its details


def test_referral_pages_of_the_receiving_side(client, auth, db, make):
    w = world(db, make)
    routed = sent(db, w)  # to TH: its coordinator routes it
    taken = accepted(db, w, copy=True)
    db.refresh(taken)
    data = (*_referral_data(w, routed), *_referral_data(w, taken))
    _reader(db, auth, w.coord_th)
    for url in ("/referrals/?box=inbox", f"/referrals/{routed.id}", "/"):
        _check(client, url, (*_data(w.coord_th), *data))
    _reader(db, auth, w.sup_th)
    for url in ("/referrals/?box=inbox", f"/referrals/{taken.id}", "/"):
        _check(client, url, (*_data(w.sup_th), *data))
    page = client.get(f"/referrals/{taken.id}").get_data(as_text=True)
    assert "[Ȧççéñţéð Life of this referral]" in page and "[Ȧççéñţéð Accepted; " in page


def _hit_data(w) -> tuple[str, ...]:
    people = (w.inv_my, w.inv_th, w.coord_th)
    return (*_case_data(w.case), *_case_data(w.th_case), *(o.name for o in people),
            *(o.agency.name for o in people), *(o.agency.country.name for o in people),
            w.th_police.name, w.th_police.country.name, *SELLER.values(), *UNITS, *ELSEWHERE)


def test_referral_request_pages_of_both_sides(client, auth, db, make, hit):  # noqa: F811
    made = requests.create_request(db, hit.inv_my, hit.case.id,
                                   {"agency_id": str(hit.th_police.id),
                                    "message": "Please refer your case."})
    db.commit()
    values = [i.get("value") or "" for held in made.holder_cases for i in held.identifiers]
    data = (*_hit_data(hit), made.reference, made.message, *values)
    _reader(db, auth, hit.inv_my)
    for url in (f"/referrals/requests/new?case_id={hit.case.id}&agency_id={hit.th_police.id}",
                f"/referrals/requests/{made.id}", "/referrals/?box=outbox"):
        _check(client, url, (*_data(hit.inv_my), *data))
    _reader(db, auth, hit.coord_th)
    for url in (f"/referrals/requests/{made.id}", "/referrals/?box=inbox", "/",
                f"/referrals/requests/{made.id}/refer"):
        _check(client, url, (*_data(hit.coord_th), *data))


def _verification_data(s, vr) -> tuple[str, ...]:
    right = vr.right
    return (*_case_data(s.case), right.office, right.number, right.mark_text or "",
            right.owner or "", s.org.name, s.other_holder.holder_org.name, s.inv.name,
            vr.question, vr.country_code,
            *_files(s.photos), *(i.snapshot.get("media_type", "")
                                                     for i in vr.items), *UNITS)


def test_verification_pages_of_the_officer(client, auth, db, make):
    s = scene(db, make)
    vr = send(db, s)
    data = (*_data(s.inv), *_verification_data(s, vr))
    _reader(db, auth, s.inv)
    for url in (f"/cases/{s.case.id}/matches/{s.match.id}/verification",
                f"/verifications/{vr.public_id}"):
        _check(client, url, data)
    page = client.get(f"/verifications/{vr.public_id}").get_data(as_text=True)
    assert "[Ȧççéñţéð Withdraw the request]" in page


def test_holder_request_page_with_the_answer_form_and_an_answer(client, auth, db, make):
    s = scene(db, make)
    waiting = send(db, s)
    answered = send(db, s, detention_date=date(2026, 10, 5))
    verification.answer(db, s.holder, answered.public_id, verdict="counterfeit",
                        statement="Fake: wrong stitching.", examiner="Brand Protection Team",
                        intent="complaint", attachments=[])
    db.commit()
    data = (*_data(s.holder), *_verification_data(s, waiting), "Fake: wrong stitching.",
            "Brand Protection Team")
    _reader(db, auth, s.holder)
    for url in (f"/holder/requests/{waiting.public_id}", f"/holder/requests/{answered.public_id}",
                "/holder/requests/"):
        _check(client, url, data)
    form = client.get(f"/holder/requests/{waiting.public_id}").get_data(as_text=True)
    assert "[Ȧççéñţéð Send the answer]" in form and "[Ȧççéñţéð Counterfeit]" in form


def test_calendars_page(client, auth, db, make):
    from anice.verification import holidays

    admin = make.officer("admin")
    holidays.ensure_reference_calendars(db)
    db.commit()
    _reader(db, auth, admin)
    page = client.get("/calendars?country=MY&year=2026").get_data(as_text=True)
    rows = holidays.holidays_of(db, "MY", 2026)
    assert rows  # the table has rows (their names and weekdays are data)
    weekdays = ("lundo", "mardo", "merkredo", "ĵaŭdo", "vendredo", "sabato", "dimanĉo")
    countries = tuple(c.name for c in holidays.maintainable_countries(db, admin))
    data = (*_data(admin), *(h.name for h in rows), *weekdays, *countries,
            "country,date,name")
    _check(client, "/calendars?country=MY&year=2026", data)
    assert "[Ȧççéñţéð Working-day calendars]" in page


def _notices(db, officer, kind: str) -> list[str]:
    return list(db.scalars(select(Notification.message).where(
        Notification.officer_id == officer.id, Notification.kind == kind)))


def test_notices_and_event_lines_are_in_each_readers_language(client, auth, db, make):
    w = world(db, make)
    w.coord_th.language = PSEUDO  # the receiving coordinator reads the pseudo-locale
    db.commit()
    referral = sent(db, w)  # the English sender's supervisor approved it
    received = _notices(db, w.coord_th, "referral.received")
    assert received and all(m.startswith("[Ȧççéñţéð Referral ") for m in received)
    assert "[Ȧççéñţéð received from MY]" in received[0]
    from anice.referrals import service

    service.decline(db, w.coord_th, referral.id, {"reason": "Not ours."})
    db.commit()
    declined = _notices(db, w.inv_my, "referral.declined")
    assert declined == [f"Referral {referral.reference}: declined by "
                        f"{w.coord_th.agency.name} (TH)"]
    # One stored line, read in each side's language.
    _reader(db, auth, w.coord_th)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "[Ȧççéñţéð Declined: Not ours.]" in page
    w.inv_my.language = "en"
    db.commit()
    auth.logout()
    auth.login(w.inv_my)
    page = client.get(f"/referrals/{referral.id}").get_data(as_text=True)
    assert "Declined: Not ours." in page and "Ȧççéñţéð" not in page.split("life-h")[-1]


def test_verification_reminders_reach_the_holder_in_its_language(db, make):
    from anice.verification import reminders

    s = scene(db, make)
    s.holder.language = PSEUDO
    db.commit()
    vr = send(db, s, detention_date=date(2026, 10, 2), working_days=1)
    reminders.remind_due(db, on=vr.deadline + timedelta(days=1))
    db.commit()
    holder = _notices(db, s.holder, "verification.overdue")
    officer = _notices(db, s.inv, "verification.overdue")
    assert holder and holder[0].startswith("[Ȧççéñţéð Verification request about ")
    assert "[Ȧççéñţéð the answer was due on " in holder[0]
    assert officer and officer[0].startswith("Verification request on ")
