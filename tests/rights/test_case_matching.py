"""A case's brands and listings matched against the registry; decisions kept and audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from anice.models import CaseMatch, MatchDecision, TimelineEntry
from anice.rights import case_matching

from ..cases.helpers import LISTING, SEIZURE, new_case
from .test_match_service import registry  # noqa: F401  (fixture)


def test_adding_items_matches_the_case(client, auth, db, make, registry):  # noqa: F811
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    assert client.post(f"/cases/{case.id}/items/seizure",
                       data={**SEIZURE, "brand": "Adidaz Originals"}).status_code == 302
    matches = list(db.scalars(select(CaseMatch).where(CaseMatch.case_id == case.id)))
    assert matches and matches[0].right.number == "TM1001" and matches[0].reasons
    page = client.get(f"/cases/{case.id}").data.decode()
    assert "Registered rights" in page and "ADIDAS" in page
    assert "ip@adidas.example" not in page  # contact shown only once confirmed


def test_confirm_reject_are_kept_across_reruns(client, auth, db, make, registry):  # noqa: F811
    inv = make.officer()
    case = new_case(db, inv, kind="online")
    auth.login(inv)
    client.post(f"/cases/{case.id}/items/listing",
                data={**LISTING, "title": "N1KE air max 90 premium copy", "seller_name": "x"})
    match = db.scalar(select(CaseMatch).where(CaseMatch.case_id == case.id))
    assert match.right.mark_text == "NIKE"
    response = client.post(f"/cases/{case.id}/matches/{match.id}",
                           data={"decision": "confirmed"})
    assert response.status_code == 302
    page = client.get(f"/cases/{case.id}").data.decode()
    assert "ip@nike.example" in page  # the holder's contact once confirmed
    client.post(f"/cases/{case.id}/matches")  # re-run
    db.expire_all()
    again = db.get(CaseMatch, match.id)
    assert again.decision == MatchDecision.CONFIRMED and again.decided_by_id == inv.id
    entry = db.scalar(select(TimelineEntry).where(TimelineEntry.kind == "match"))
    assert "Confirmed" in entry.summary
    bad = client.post(f"/cases/{case.id}/matches/{match.id}", data={"decision": "maybe"})
    assert bad.status_code == 422


def test_outsiders_cannot_decide(client, auth, db, make, registry):  # noqa: F811
    inv = make.officer()
    case = new_case(db, inv)
    case.seizures  # noqa: B018 - load before matching
    from anice.cases import items

    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "Adidas"})
    db.commit()
    assert case_matching.match_case(db, case) >= 1
    db.commit()
    row = db.scalar(select(CaseMatch))
    auth.login(make.officer(country="TH"))
    assert client.post(f"/cases/{case.id}/matches/{row.id}",
                       data={"decision": "confirmed"}).status_code == 404
    assert client.get(f"/cases/{case.id}").status_code == 404
    coordinator = make.officer(country="MY", role="coordinator")
    auth.logout()
    auth.login(coordinator)
    html = client.get(f"/cases/{case.id}").data.decode()
    assert "ADIDAS" in html and not re.search(r">Confirm<", html)
    assert client.post(f"/cases/{case.id}/matches/{row.id}",
                       data={"decision": "confirmed"}).status_code == 403


def test_case_matches_over_the_api(client, db, make, registry):  # noqa: F811
    from anice.auth import tokens
    from anice.cases import items

    inv = make.officer()
    case = new_case(db, inv)
    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "ADlDAS"})
    case_matching.match_case(db, case)
    db.commit()
    _, raw = tokens.create_token(db, inv, "t", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    found = client.get(f"/api/v1/cases/{case.id}/matches", headers=headers).get_json()
    assert found[0]["number"] == "TM1001" and found[0]["decision"] == "pending"
    decided = client.post(f"/api/v1/cases/{case.id}/matches/{found[0]['id']}",
                          json={"decision": "rejected"}, headers=headers)
    assert decided.status_code == 200 and decided.get_json()["decision"] == "rejected"
