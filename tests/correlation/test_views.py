"""The links panel, the network view and the noise pages, through HTTP."""

from __future__ import annotations

import pytest

from .helpers import SELLER, audit_rows, online_case


def test_case_page_shows_linked_cases_and_hits_without_their_content(client, auth, db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER, title="Operation Dragon in Bangkok")
    my_case = online_case(db, w.inv_my, SELLER)
    mine = online_case(db, w.inv_my2, {**SELLER, "url": "https://shopee.com.my/x"},
                       title="Watch King second shop")
    auth.login(w.inv_my)
    page = client.get(f"/cases/{my_case.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'id="links"' in html
    assert mine.reference in html and "Watch King second shop" in html
    assert "also appears in a case held by" in html and th_case.agency.name in html
    assert "Thailand" in html and "marketplace seller id" in html
    assert th_case.reference not in html and "Dragon" not in html
    assert f"/cases/{th_case.id}" not in html
    # Showing the hit told TH's coordinator once, however often the page is opened.
    client.get(f"/cases/{my_case.id}")
    assert len([a for a in audit_rows(db, "correlation.hit")
                if a.actor_id == w.inv_my.id]) == 1


def test_a_hit_offers_to_request_the_case_not_to_refer_ones_own(client, auth, db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    my_case = online_case(db, w.inv_my, SELLER)
    auth.login(w.inv_my)
    html = client.get(f"/cases/{my_case.id}").get_data(as_text=True)
    target = f"/referrals/requests/new?case_id={my_case.id}&amp;agency_id={th_case.agency_id}"
    assert target in html and f"Request this case from {th_case.agency.name}" in html
    assert "for a referral</a>" not in html and "agency_id" not in html.split(
        "/referrals/new?")[-1].split('"')[0]
    # A prosecutor reads the case but does not refer it: the hit offers nothing to do.
    auth.logout()
    auth.login(w.pros_my)
    html = client.get(f"/cases/{my_case.id}").get_data(as_text=True)
    assert "also appears in a case held by" in html and "/referrals/requests/new" not in html


def test_network_view_lists_shared_identifiers_of_visible_cases_only(client, auth, db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    online_case(db, w.inv_th, {**SELLER, "url": "https://shopee.co.th/other"})
    a = online_case(db, w.inv_my, SELLER)
    b = online_case(db, w.inv_my2, {**SELLER, "url": "https://shopee.com.my/x"})
    auth.login(w.inv_my)
    page = client.get("/correlation/")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "shopee:watchking88" in html and a.reference in html and b.reference in html
    assert th_case.reference not in html
    assert "<svg" in html and "style=" not in html
    filtered = client.get("/correlation/?kind=phone").get_data(as_text=True)
    assert "+66812345678" in filtered and "shopee:watchking88" not in filtered
    assert client.get("/correlation/?kind=bogus").status_code == 200
    # Investigators do not keep noise marks.
    assert client.get("/correlation/noise").status_code == 404
    assert client.post("/correlation/noise", data={"kind": "phone",
                                                   "value": "+66812345678"}).status_code == 403


def test_coordinator_marks_noise_from_the_network_view_and_undoes_it(client, auth, db, make):
    w = make.world()
    online_case(db, w.inv_my, SELLER)
    online_case(db, w.inv_my2, {**SELLER, "url": "https://shopee.com.my/x"})
    auth.login(w.coord_my)
    html = client.get("/correlation/?kind=phone").get_data(as_text=True)
    assert "+66812345678" in html and "Mark as noise in MY" in html
    done = client.post("/correlation/noise", data={
        "kind": "phone", "value": "+66812345678", "stored": "1",
        "back": "/correlation/?kind=phone"})
    assert done.status_code == 302 and done.headers["Location"].endswith("?kind=phone")
    assert "+66812345678" not in client.get("/correlation/?kind=phone").get_data(as_text=True)
    marks = client.get("/correlation/noise").get_data(as_text=True)
    assert "+66812345678" in marks and "Undo" in marks
    mark_id = audit_rows(db, "correlation.noise_marked")[0].object_id
    assert client.post(f"/correlation/noise/{mark_id}/lift").status_code == 302
    assert "+66812345678" in client.get("/correlation/?kind=phone").get_data(as_text=True)
    evil = client.post("/correlation/noise", data={
        "kind": "phone", "value": "+66812345678", "stored": "1", "back": "//evil.example"})
    assert evil.headers["Location"].endswith("/correlation/noise")


@pytest.mark.parametrize("who", ["admin", "inv_vn"])
def test_no_case_content_for_those_outside(client, auth, db, make, who):
    w = make.world()
    my_case = online_case(db, w.inv_my, SELLER)
    auth.login(getattr(w, who))
    assert client.get(f"/cases/{my_case.id}").status_code == 404
    html = client.get("/correlation/").get_data(as_text=True)
    assert my_case.reference not in html


def test_export_and_notifications_carry_no_content_from_outside(client, auth, db, make):
    from .helpers import notes_of

    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER, title="Operation Dragon in Bangkok")
    online_case(db, w.inv_my, SELLER)
    auth.login(w.inv_my)
    export = client.get("/cases/export.csv").get_data(as_text=True)
    assert th_case.reference not in export and "Dragon" not in export
    for officer in (w.inv_my, w.coord_my, w.inv_my2):
        for note in notes_of(db, officer):
            assert th_case.reference not in note.message and "Dragon" not in note.message


def test_no_referral_button_for_who_may_not_refer(app, client, auth, db, make):
    from anice.models import Role

    w = make.world()
    online_case(db, w.inv_th, SELLER)
    my_case = online_case(db, w.inv_my, SELLER)
    prosecutor = make.officer(Role.PROSECUTOR, agency=w.inv_my.agency)
    auth.login(prosecutor)
    html = client.get(f"/cases/{my_case.id}").get_data(as_text=True)
    assert "also appears in a case held by" in html
    assert "for a referral</a>" not in html
