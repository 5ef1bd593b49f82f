"""An "agency only" referral's linked case, with its copied suspects, seizures and
listings, is the receiving agency's alone: the country's coordinator gets 404 on web and
API, and finds it in no list, search or export."""

from __future__ import annotations

import pytest

from anice.auth import tokens
from anice.cases import items

from .helpers import accepted, world


@pytest.fixture
def w(db, make):
    return world(db, make)


def _linked(db, w, code: str):
    # The sender's suspect with an ID number, as the tester found it copied.
    party = w.case.parties[0]
    items.update_item(db, w.inv_my, w.case.id, "party", party.id,
                      {"role": "suspect", "kind": "person", "name": party.name,
                       "nationality": "MY", "id_number": "880101-14-5566"})
    db.commit()
    referral = accepted(db, w, copy=True, handling_code=code, fields=["title", "summary"],
                        seizures=[str(s.id) for s in w.case.seizures],
                        listings=[str(x.id) for x in w.case.listings],
                        parties=[str(p.id) for p in w.case.parties])
    return referral.linked_case


def _as(auth, officer):
    auth.logout()
    assert auth.login(officer).status_code == 302


def _api(client, db, officer, url):
    _, raw = tokens.create_token(db, officer, "national system", "read", 5)
    db.commit()
    return client.get("/api/v1" + url, headers={"Authorization": f"Bearer {raw}"})


SECRETS = ("880101-14-5566", "Ah Seng", "Adidas", "Watch King")


def test_the_coordinator_cannot_open_an_agency_only_linked_case(client, auth, db, w):
    linked = _linked(db, w, "agency_only")
    _as(auth, w.coord_th)
    assert client.get(f"/cases/{linked.id}").status_code == 404
    for url in ("/cases/", "/cases/?q=Adidas", "/cases/export.csv"):
        page = client.get(url).get_data(as_text=True)
        assert linked.reference not in page
        # (the search box repeats the word searched for)
        assert not any(s in page for s in SECRETS if s not in url), url
    assert _api(client, db, w.coord_th, f"/cases/{linked.id}").status_code == 404
    listed = _api(client, db, w.coord_th, "/cases").get_data(as_text=True)
    assert linked.reference not in listed and "Watch King" not in listed


def test_the_receiving_agency_works_with_it(client, auth, db, w):
    linked = _linked(db, w, "agency_only")
    for officer in (w.sup_th, w.inv_th):
        _as(auth, officer)
        page = client.get(f"/cases/{linked.id}").get_data(as_text=True)
        assert "880101-14-5566" in page
        response = _api(client, db, officer, f"/cases/{linked.id}")
        assert response.status_code == 200 and "Ah Seng" in response.get_data(as_text=True)
    _as(auth, w.sup_th_customs)
    assert client.get(f"/cases/{linked.id}").status_code == 404


def test_within_country_leaves_the_linked_case_to_the_coordinator(client, auth, db, w):
    linked = _linked(db, w, "within_country")
    _as(auth, w.coord_th)
    assert client.get(f"/cases/{linked.id}").status_code == 200
    assert _api(client, db, w.coord_th, f"/cases/{linked.id}").status_code == 200
