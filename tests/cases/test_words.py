"""Labels in words: the timeline, the case page, lists and error summaries show no internal
words (``in_court``, ``value_local``), the case page says when and by whom it last changed,
and a suspect's contact is shown where the suspect is."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from anice.cases import items, service, workflow
from anice.models import Role, TimelineEntry
from anice.text.labels import change_value, field_label, field_list, label

from ..referrals.helpers import accepted, world
from .helpers import SEIZURE, SUSPECT, new_case, opened_case

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# Words with an underscore that are data typed by people, not the application's own words.
DATA = {"watch_king"}
CONTACT = {"phone": "+60 12-345 6789", "email": "ah.seng@example.com",
           "contact": "WeChat ahseng88"}


class VisibleText(HTMLParser):
    """The text a reader sees (no attributes, scripts or styles)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def internal_words(html: str) -> set[str]:
    return set(SNAKE.findall(visible(html))) - DATA


def test_labels_table():
    from anice.models import CaseStatus, Category, Outcome, Unit

    assert label(CaseStatus.IN_COURT) == label("in_court") == "In court"
    assert label(Outcome.NO_FURTHER_ACTION) == "No further action"
    assert label(Category.BAGS_ACCESSORIES) == "Bags and accessories"
    assert label(Unit.KG) == "kg" and label(Role.COORDINATOR) == "National coordinator"
    assert field_label("value_local") == "Value (local currency)"
    assert field_label("seizure.disposal_on") == "Disposal date"
    assert field_list(["title", "right_types_mask", "detected_on"]) == \
        "title, IP right types and detection date"
    assert change_value("right_types_mask", 3) == "Trademark, Copyright"
    assert change_value("status", "under_investigation") == "Under investigation"
    assert change_value("title", "my_title") == "my_title"  # data stays as typed
    assert change_value("court_date", None) == "—"


def test_timeline_in_words(db, make, client, auth):
    inv = make.officer()
    pros = make.officer(Role.PROSECUTOR, agency=inv.agency)
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    case = new_case(db, inv)
    service.update_case(db, inv, case.id, {"version": case.version, "title": "Raid, day 2",
                                           "right_types": ["trademark", "copyright"]})
    db.commit()
    case = opened_case(db, inv)
    items.add_item(db, inv, case.id, "party", SUSPECT)
    workflow.move_case(db, inv, case.id, "under_investigation", {"version": case.version})
    workflow.move_case(db, pros, case.id, "prosecution", {"version": case.version,
                                                          "charges": "TDA 2011 s.8"})
    workflow.move_case(db, pros, case.id, "in_court", {
        "version": case.version, "court_name": "Sessions Court", "court_date": "2026-11-20"})
    workflow.move_case(db, sup, case.id, "closed", {"version": case.version,
                                                    "outcome": "no_further_action"})
    db.commit()
    summaries = list(db.scalars(select(TimelineEntry.summary).order_by(TimelineEntry.id)))
    assert summaries[0].startswith("Created draft MY-") and \
        summaries[0].endswith("(counterfeit goods)")
    assert summaries[1] == "Edited title and IP right types"
    assert not any("Opened counterfeit" in s or SNAKE.search(s) for s in summaries)
    auth.login(inv)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    text = visible(page)
    assert "Moved from prosecution to in court" in text
    assert "Status Prosecution In court" in text  # the change table, in words
    assert "Outcome No further action" in text
    assert internal_words(page) == set()


def test_last_changed_instead_of_the_version(db, make, client, auth):
    inv = make.officer()
    case = new_case(db, inv)
    items.add_item(db, inv, case.id, "seizure", SEIZURE)
    db.commit()
    auth.login(inv)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    text = visible(page)
    assert re.search(r"Last changed \d{4}-\d\d-\d\d \d\d:\d\d \S+ by " + re.escape(inv.name),
                     text)
    assert "Version" not in text
    assert f'name="version" value="{case.version}"' in page  # still sent for locking


def test_suspect_contact_is_shown(db, make, client, auth):
    w = world(db, make)
    suspect = w.case.parties[0]
    items.update_item(db, w.inv_my, w.case.id, "party", suspect.id,
                      {**SUSPECT, **CONTACT})
    db.commit()
    auth.login(w.inv_my)
    page = client.get(f"/cases/{w.case.id}").get_data(as_text=True)
    text = visible(page)
    assert all(value in text for value in CONTACT.values())
    assert 'href="tel:+60123456789"' in page and 'href="mailto:ah.seng@example.com"' in page
    referral = accepted(db, w, parties=[str(suspect.id)])
    auth.logout()
    auth.login(w.sup_th)
    shared = visible(client.get(f"/referrals/{referral.id}").get_data(as_text=True))
    assert "Suspect: Ah Seng" in shared and CONTACT["phone"] in shared


def test_error_summary_names_fields_in_words(db, make, client, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    response = client.post(f"/cases/{case.id}/items/seizure",
                           data={**SEIZURE, "value_local": "lots", "disposal": "destroyed"})
    text = visible(response.get_data(as_text=True))
    assert response.status_code == 422
    assert "Value (local currency): write only the figure" in text
    assert "Disposal date: give the date of the disposal" in text
    assert "value local" not in text and internal_words(response.get_data(as_text=True)) == set()


@pytest.mark.parametrize("who", ["inv_my", "sup_th"])
def test_main_pages_show_no_internal_words(db, make, client, auth, who):
    w = world(db, make)
    sup = w.sup_my
    online = make.case(w.inv_my, kind="online", opened=True)
    make.listing(w.inv_my, online, platform="tiktok_shop", takedown_result="partially_removed",
                 takedown_requested_on="2026-09-20")
    items.add_item(db, w.inv_my, w.case.id, "seizure", {
        **SEIZURE, "category": "bags_accessories", "disposal": "destroyed",
        "disposal_on": "2026-10-20", "container_number": "CSQU3054383"})
    items.add_item(db, w.inv_my, w.case.id, "party", {"role": "right_holder",
                                                       "kind": "company", "name": "Nike Inc"})
    workflow.move_case(db, w.inv_my, w.case.id, "under_investigation",
                       {"version": w.case.version})
    workflow.move_case(db, sup, w.case.id, "prosecution", {"version": w.case.version,
                                                           "charges": "TDA 2011 s.8"})
    workflow.record_prosecution(db, sup, w.case.id, {"version": w.case.version,
                                                     "court_date": "2026-11-02"})
    db.commit()
    referral = accepted(db, w, fields=["title", "kind", "status", "detection", "dates",
                                       "prosecution", "right_types"],
                        parties=[str(p.id) for p in w.case.parties])
    officer = getattr(w, who)
    auth.login(officer)
    pages = ["/", "/cases/", f"/referrals/{referral.id}", "/referrals/", "/notifications/"]
    if who == "inv_my":
        pages += [f"/cases/{w.case.id}", f"/cases/{online.id}", f"/cases/{w.case.id}/edit",
                  "/cases/new", "/account"]
    for path in pages:
        response = client.get(path)
        assert response.status_code == 200, path
        assert internal_words(response.get_data(as_text=True)) == set(), path
