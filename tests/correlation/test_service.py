"""Identifiers kept in step with the cases, links as policy allows, hits told, noise."""

from __future__ import annotations

import pytest
from sqlalchemy import inspect, text

from anice.cases import items
from anice.cases import service as case_service
from anice.correlation import links as links_module
from anice.correlation import service
from anice.errors import Conflict, Forbidden, NotFound
from anice.models import CorrelationHit, Sensitivity
from anice.models import IdentifierKind as K

from ..rights.test_match_service import registry  # noqa: F401  (fixture)
from .helpers import SELLER, SUSPECT, audit_rows, identifiers, notes_of, online_case


def kinds(rows):
    return {(r.kind, r.value) for r in rows}


def test_identifiers_follow_every_save(db, make):
    w = make.world()
    case = online_case(db, w.inv_th, SELLER)
    found = kinds(identifiers(db, case.id))
    assert (K.SELLER_ID, "shopee:watchking88") in found
    assert (K.URL, "shopee.co.th/watchking88") in found
    assert (K.PHONE, "+66812345678") in found
    assert (K.SELLER_NAME, "watchking") in found
    listing = case.listings[0]
    items.update_item(db, w.inv_th, case.id, "listing", listing.id,
                      {**SELLER, "seller_id": "queenwatch", "seller_phone": ""})
    db.commit()
    found = kinds(identifiers(db, case.id))
    assert (K.SELLER_ID, "shopee:queenwatch") in found
    assert (K.SELLER_ID, "shopee:watchking88") not in found
    assert not any(k == K.PHONE for k, _ in found)
    items.remove_item(db, w.inv_th, case.id, "listing", listing.id)
    db.commit()
    assert identifiers(db, case.id) == []


def test_person_identifiers_are_never_stored_in_clear(db, make):
    w = make.world()
    case = online_case(db, w.inv_th, SELLER)
    items.add_item(db, w.inv_th, case.id, "party", SUSPECT)
    db.commit()
    other = online_case(db, w.inv_my, None)
    items.add_item(db, w.inv_my, other.id, "party", {**SUSPECT, "id_number": "1101700230481"})
    db.commit()
    # The same national id, written differently, links the two cases...
    shared = kinds(identifiers(db, case.id)) & kinds(identifiers(db, other.id))
    assert {k for k, _ in shared} >= {K.NATIONAL_ID, K.PASSPORT, K.EMAIL}
    # ...and no correlation table holds it (or the passport) in clear.
    tables = [t for t in inspect(db.get_bind()).get_table_names()
              if t in ("case_identifier", "identifier_noise", "correlation_hit",
                       "identifier_lookup")]
    assert len(tables) == 4
    service.links_for(db, w.inv_my, other)
    service.lookup(db, w.inv_my, {"kind": "passport", "value": "AA 1234567"})
    db.commit()
    for table in tables + ["audit_event", "notification"]:
        dump = " ".join(str(row) for row in db.execute(text(f"SELECT * FROM {table}")))
        for clear in ("1101700230481", "1-1017-00230-48-1", "AA1234567", "AA 1234567"):
            assert clear not in dump, (table, clear)


def test_same_agency_sees_the_case_other_agencies_and_countries_a_hit(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER, title="Secret TH operation Dragon")
    my_case = online_case(db, w.inv_my, {**SELLER, "url": "https://shopee.com.my/wk88"})
    mine_too = online_case(db, w.inv_my2, {**SELLER, "url": "https://shopee.com.my/wk88"})
    result = service.links_for(db, w.inv_my, my_case)
    assert [link.case.id for link in result.visible] == [mine_too.id]
    assert {s.kind for s in result.visible[0].shared} >= {K.SELLER_ID, K.URL, K.PHONE}
    assert result.visible[0].strength == "strong"
    assert len(result.hits) == 1
    hit = result.hits[0]
    assert hit["agency"]["code"] == "ECD" and hit["country"]["code"] == "TH"
    assert "seller_id" in hit["kinds"]
    flat = repr(service.links_json(result)["hits"])
    assert th_case.reference not in flat and "Dragon" not in flat and str(th_case.id) not in \
        flat.replace(str(th_case.agency_id), "")
    # A coordinator sees its whole country (both MY cases), TH's case only as a hit.
    result = service.links_for(db, w.coord_my, my_case)
    assert [link.case.id for link in result.visible] == [mine_too.id]
    # Another MY agency's officer may not open the case at all.
    with pytest.raises(NotFound):
        service.links_for(db, w.inv_my_customs, my_case)
    with pytest.raises(NotFound):
        service.links_for(db, w.admin, my_case)


def test_a_hit_is_recorded_once_audited_and_told_to_the_holders_coordinator(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    my_case = online_case(db, w.inv_my, SELLER)
    for _ in range(2):
        service.links_for(db, w.inv_my, my_case)
        db.commit()
    rows = db.query(CorrelationHit).filter_by(viewer_id=w.inv_my.id, via="case").all()
    assert {r.kind for r in rows} >= {K.SELLER_ID, K.URL}
    assert {r.holder_case_id for r in rows} == {th_case.id}
    audit = [a for a in audit_rows(db, "correlation.hit") if a.actor_id == w.inv_my.id]
    assert len(audit) == 1 and audit[0].country_code == "TH"
    told = [n for n in notes_of(db, w.coord_th) if n.kind == "correlation.hit"]
    assert len(told) == 1
    # Across the border: the asker's agency and country, never the officer.
    assert w.inv_my.agency.name in told[0].message and "Malaysia" in told[0].message
    assert w.inv_my.name not in told[0].message and "marketplace seller id" in told[0].message
    assert audit[0].actor_label == f"{w.inv_my.agency.name}, Malaysia"
    assert my_case.reference not in told[0].message


def test_a_new_listing_with_a_known_seller_tells_the_linked_cases_teams(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    mine = online_case(db, w.inv_my2, {**SELLER, "url": "https://shopee.com.my/a"})
    new = online_case(db, w.inv_my, None, title="Operation Kingfisher")
    before = len(notes_of(db, w.inv_th))  # told already of ``mine``, a case of MY too
    items.add_item(db, w.inv_my, new.id, "listing", {**SELLER, "url": "https://shopee.com.my/b"})
    db.commit()
    same_agency = [n for n in notes_of(db, w.inv_my2) if n.kind == "correlation.link"]
    assert len(same_agency) == 1 and new.reference in same_agency[0].message
    assert mine.reference in same_agency[0].message
    th = [n for n in notes_of(db, w.inv_th)[before:] if n.kind == "correlation.hit"]
    assert len(th) == 1
    assert th_case.reference in th[0].message  # its own case
    assert new.reference not in th[0].message and "Kingfisher" not in th[0].message
    assert "Malaysia" in th[0].message
    # Telling TH's officer was a hit on the MY case: MY's coordinator knows who was told.
    assert any(w.inv_th.agency.name in n.message for n in notes_of(db, w.coord_my))
    assert not any(w.inv_th.name in n.message for n in notes_of(db, w.coord_my))
    assert notes_of(db, w.inv_vn) == []


def test_restricted_cases_give_no_hit(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER, sensitivity="restricted")
    assert th_case.sensitivity == Sensitivity.RESTRICTED
    my_case = online_case(db, w.inv_my, SELLER)
    result = service.links_for(db, w.inv_my, my_case)
    assert result.hits == [] and result.visible == []
    assert notes_of(db, w.coord_th) == []


def test_noise_stops_linking_and_can_be_undone(db, make):
    w = make.world()
    phone_only = {"url": "https://shop-a.example/x", "platform": "website",
                  "seller_phone": "+60 3-2345 6789"}
    a = online_case(db, w.inv_my, phone_only)
    online_case(db, w.inv_my2, {**phone_only, "url": "https://shop-b.example/y"})
    assert len(service.links_for(db, w.inv_my, a).visible) == 1
    with pytest.raises(Forbidden):
        service.mark_noise(db, w.inv_my, {"kind": "phone", "value": "03-2345 6789"})
    with pytest.raises(Forbidden):
        service.mark_noise(db, w.coord_th, {"kind": "phone", "value": "03-2345 6789",
                                            "country": "MY"})
    mark = service.mark_noise(db, w.coord_my, {"kind": "phone", "value": "03-2345 6789",
                                               "reason": "marketplace help line"})
    db.commit()
    assert mark.value == "+60323456789" and mark.country_code == "MY"
    result = service.links_for(db, w.inv_my, a)
    assert result.visible == [] and [s.value for s in result.silenced] == ["+60323456789"]
    with pytest.raises(Conflict):
        service.mark_noise(db, w.coord_my, {"kind": "phone", "value": "+60323456789"})
    db.rollback()
    service.lift_noise(db, w.coord_my, mark.id)
    db.commit()
    assert len(service.links_for(db, w.inv_my, a).visible) == 1
    assert [r.country_code for r in audit_rows(db, "correlation.noise_marked")] == ["MY"]
    assert len(audit_rows(db, "correlation.noise_lifted")) == 1
    with pytest.raises(NotFound):
        service.lift_noise(db, w.coord_th, mark.id)


def test_network_wide_noise_is_for_admins(db, make):
    w = make.world()
    with pytest.raises(Forbidden):
        service.mark_noise(db, w.coord_my, {"kind": "domain", "value": "example.com",
                                            "scope": "network"})
    mark = service.mark_noise(db, w.admin, {"kind": "domain", "value": "shop.example.com",
                                            "scope": "network"})
    assert mark.country_code is None and mark.value == "example.com"
    assert mark in service.noise_marks(db, w.coord_th)
    with pytest.raises(NotFound):
        service.lift_noise(db, w.coord_my, mark.id)
    with pytest.raises(NotFound):
        service.noise_marks(db, w.inv_my)


def test_common_values_link_nothing(db, make, monkeypatch):
    monkeypatch.setattr(links_module, "MAX_PER_VALUE", 2)
    w = make.world()
    listing = {"url": "https://www.mall.example/1", "platform": "website"}
    cases = [online_case(db, w.inv_my, {**listing, "url": f"https://x{i}.mall.example/{i}"})
             for i in range(4)]
    result = service.links_for(db, w.inv_my, cases[0])
    assert result.visible == [] and [s.kind for s in result.common] == [K.DOMAIN]


def test_lookup_answers_hits_and_is_audited(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER, title="Operation Dragon")
    answer = service.lookup(db, w.inv_my, {"kind": "seller_id", "value": "@watchking88",
                                           "platform": "shopee"})
    db.commit()
    assert answer["cases"] == [] and len(answer["hits"]) == 1
    assert answer["hits"][0]["agency"]["code"] == "ECD"
    assert th_case.reference not in repr(answer) and "Dragon" not in repr(answer)
    mine = service.lookup(db, w.inv_th, {"kind": "phone", "value": "081 234 5678"})
    assert [c["case"]["reference"] for c in mine["cases"]] == [th_case.reference]
    rows = audit_rows(db, "correlation.lookup")
    assert [r.actor_id for r in rows] == [w.inv_my.id, w.inv_th.id]
    assert rows[0].details["kind"] == "seller_id" and rows[0].details["hits"] == 1
    nothing = service.lookup(db, w.inv_vn, {"kind": "email", "value": "nobody@example.org"})
    assert nothing["cases"] == [] and nothing["hits"] == []
    with pytest.raises(NotFound):
        service.lookup(db, w.admin, {"kind": "email", "value": "nobody@example.org"})


def test_bad_identifiers_are_refused_naming_the_field(db, make):
    from anice.errors import Invalid

    w = make.world()
    case = online_case(db, w.inv_my)
    with pytest.raises(Invalid) as exc:
        items.add_item(db, w.inv_my, case.id, "listing", {**SELLER, "seller_phone": "123"})
    assert exc.value.field == "seller_phone"
    db.rollback()
    with pytest.raises(Invalid) as exc:
        service.lookup(db, w.inv_my, {"kind": "seller_id", "value": "x"})
    assert exc.value.field == "platform"
    with pytest.raises(Invalid) as exc:
        service.lookup(db, w.inv_my, {"kind": "container", "value": "ABC"})
    assert exc.value.field == "value"


def test_counterfeit_shipments_and_confirmed_rights_link(db, make):
    from ..cases.helpers import SEIZURE, new_case

    w = make.world()
    cases = []
    for officer in (w.inv_my, w.inv_my2):
        case = new_case(db, officer)
        items.add_item(db, officer, case.id, "seizure",
                       {**SEIZURE, "container_number": "MSCU 123456 6",
                        "airway_bill": "157-12345675", "vehicle_plate": "WXY 1234"})
        db.commit()
        cases.append(case)
    shared = service.links_for(db, w.inv_my, cases[0]).visible[0].shared
    assert {s.kind for s in shared} == {K.CONTAINER, K.AIRWAY_BILL, K.VEHICLE_PLATE}
    case = case_service.get_case(db, w.inv_my, cases[0].id)
    assert case.seizures[0].container_number == "MSCU 123456 6"


def test_rights_confirmed_by_matching_are_identifiers(db, make, registry):  # noqa: F811
    from sqlalchemy import select

    from anice.models import CaseMatch
    from anice.rights import case_matching

    from ..cases.helpers import SEIZURE, new_case

    w = make.world()
    cases = []
    for officer in (w.inv_my, w.inv_my2):
        case = new_case(db, officer)
        items.add_item(db, officer, case.id, "seizure", {**SEIZURE, "brand": "Adidaz"})
        db.commit()
        case_matching.match_case(db, case)
        db.commit()
        match = db.scalar(select(CaseMatch).where(CaseMatch.case_id == case.id))
        assert (K.RIGHT, f"{match.right.office}:TM1001") not in kinds(identifiers(db, case.id))
        case_matching.decide(db, officer, case.id, match.id, "confirmed")
        db.commit()
        cases.append(case)
    found = kinds(identifiers(db, cases[0].id))
    assert any(k == K.RIGHT and v.endswith(":TM1001") for k, v in found)
    shared = service.links_for(db, w.inv_my, cases[0]).visible[0].shared
    assert [s.kind for s in shared] == [K.RIGHT]
    assert service.links_for(db, w.inv_my, cases[0]).visible[0].strength == "weak"
