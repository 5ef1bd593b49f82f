"""Submit once: a form token does the work of its form a single time (double click, replay)."""

from __future__ import annotations

import re

from sqlalchemy import func, select

from anice.models import Case, CaseNote, SeizureItem, Submission

from ..cases.helpers import COUNTERFEIT, SEIZURE, new_case
from ..factories import Auth

TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def _token(client, path: str) -> str:
    found = TOKEN.search(client.get(path).data.decode())
    assert found, f"no form token on {path}"
    return found.group(1)


def _count(db, model) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def test_a_replayed_create_makes_one_case_and_answers_the_first(client, auth, make, db):
    auth.login(make.officer())
    token = _token(client, "/cases/new")
    first = client.post("/cases/new", data={**COUNTERFEIT, "form_token": token})
    assert first.status_code == 302
    again = client.post("/cases/new", data={**COUNTERFEIT, "form_token": token})
    third = client.post("/cases/new", data={**COUNTERFEIT, "form_token": token})
    assert again.status_code == third.status_code == 303
    assert again.headers["Location"] == third.headers["Location"] == first.headers["Location"]
    assert _count(db, Case) == 1
    page = client.get(again.headers["Location"]).data.decode()
    assert "Already saved" in page


def test_each_render_gives_a_new_token(client, auth, make, db):
    auth.login(make.officer())
    one, two = _token(client, "/cases/new"), _token(client, "/cases/new")
    assert one != two
    client.post("/cases/new", data={**COUNTERFEIT, "form_token": one})
    client.post("/cases/new", data={**COUNTERFEIT, "form_token": two})
    assert _count(db, Case) == 2


def test_a_refused_submit_keeps_the_token_usable(client, auth, make, db):
    auth.login(make.officer())
    token = _token(client, "/cases/new")
    bad = client.post("/cases/new", data={**COUNTERFEIT, "title": "", "form_token": token})
    assert bad.status_code == 422 and _count(db, Submission) == 0
    good = client.post("/cases/new", data={**COUNTERFEIT, "form_token": token})
    assert good.status_code == 302 and _count(db, Case) == 1


def test_another_officers_token_is_not_honoured(app, client, auth, make, db):
    owner = make.officer()
    auth.login(owner)
    token = _token(client, "/cases/new")
    mine = client.post("/cases/new", data={**COUNTERFEIT, "form_token": token})
    other = app.test_client()
    Auth(other, db).login(make.officer(agency=owner.agency))
    theirs = other.post("/cases/new", data={**COUNTERFEIT, "form_token": token})
    # Not the owner's case: the colleague's own submission.
    assert theirs.status_code == 302
    assert theirs.headers["Location"] != mine.headers["Location"]
    assert _count(db, Case) == 2


def test_without_a_token_the_form_works_as_before(client, auth, make, db):
    auth.login(make.officer())
    client.post("/cases/new", data=COUNTERFEIT)
    client.post("/cases/new", data=COUNTERFEIT)
    assert _count(db, Case) == 2


def test_case_page_forms_submit_once(client, auth, make, db):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    page = client.get(f"/cases/{case.id}").data.decode()
    tokens = TOKEN.findall(page)
    assert len(set(tokens)) == len(tokens) >= 3  # one fresh token per creating form
    token = tokens[0]
    for _ in range(3):
        client.post(f"/cases/{case.id}/items/seizure", data={**SEIZURE, "form_token": token})
    assert _count(db, SeizureItem) == 1
    note_token = tokens[-1]
    for _ in range(2):
        client.post(f"/cases/{case.id}/notes", data={"text": "Seen", "form_token": note_token})
    assert _count(db, CaseNote) == 1


# --- the API's Idempotency-Key ------------------------------------------------------

def _api(client, db, officer):
    from anice.auth import tokens

    _, raw = tokens.create_token(db, officer, "test", "read-write", 5)
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_api_idempotency_key_creates_once(client, make, db):
    inv = make.officer()
    headers = {**_api(client, db, inv), "Idempotency-Key": "5d1c2f3a-0b7e-4d7c-9a55-1f0e2d3c4b5a"}
    first = client.post("/api/v1/cases", json=COUNTERFEIT, headers=headers)
    again = client.post("/api/v1/cases", json=COUNTERFEIT, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert _count(db, Case) == 1
    changed = client.post("/api/v1/cases", json={**COUNTERFEIT, "title": "Other"},
                          headers=headers)
    assert changed.status_code == 422 and changed.get_json()["field"] == "Idempotency-Key"
    assert _count(db, Case) == 1


def test_api_idempotency_key_is_per_officer_and_optional(client, make, db):
    inv = make.officer()
    colleague = make.officer(agency=inv.agency)
    key = {"Idempotency-Key": "retry-1"}
    mine = client.post("/api/v1/cases", json=COUNTERFEIT, headers={**_api(client, db, inv), **key})
    theirs = client.post("/api/v1/cases", json=COUNTERFEIT,
                         headers={**_api(client, db, colleague), **key})
    assert mine.status_code == theirs.status_code == 201
    assert mine.get_json()["id"] != theirs.get_json()["id"]
    plain = _api(client, db, inv)
    client.post("/api/v1/cases", json=COUNTERFEIT, headers=plain)
    client.post("/api/v1/cases", json=COUNTERFEIT, headers=plain)
    assert _count(db, Case) == 4
    bad = client.post("/api/v1/cases", json=COUNTERFEIT,
                      headers={**plain, "Idempotency-Key": "no spaces allowed"})
    assert bad.status_code == 422 and _count(db, Case) == 4


def test_api_refused_request_keeps_no_key(client, make, db):
    inv = make.officer()
    headers = {**_api(client, db, inv), "Idempotency-Key": "k-2"}
    assert client.post("/api/v1/cases", json={**COUNTERFEIT, "title": ""},
                       headers=headers).status_code == 422
    assert _count(db, Submission) == 0
    case = client.post("/api/v1/cases", json=COUNTERFEIT, headers=headers).get_json()
    headers["Idempotency-Key"] = "k-3"
    for _ in range(2):
        added = client.post(f"/api/v1/cases/{case['id']}/seizures", json=SEIZURE,
                            headers=headers)
        assert added.status_code == 201
    assert _count(db, SeizureItem) == 1


def test_openapi_documents_the_idempotency_key(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    create = spec["paths"]["/cases"]["post"]
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header"
               for p in create["parameters"])
    assert not any(p.get("name") == "Idempotency-Key"
                   for p in spec["paths"]["/cases/{case_id}"]["patch"].get("parameters", []))


def test_a_streamed_evidence_upload_carries_its_token_in_the_url(client, auth, make, db):
    import io

    from anice.models import Evidence

    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    page = client.get(f"/cases/{case.id}").data.decode()
    action = re.search(r'action="(/cases/\d+/evidence\?[^"]+)"', page).group(1)
    assert "form_token=" in action
    url = action.replace("&amp;", "&")
    answers = []
    for _ in range(2):
        answers.append(client.post(url, data={"file": (io.BytesIO(b"%PDF-1.4 same"), "a.pdf")},
                                   content_type="multipart/form-data",
                                   headers={"X-Requested-With": "XMLHttpRequest"}))
    assert [a.status_code for a in answers] == [201, 201]
    assert answers[0].get_json()["location"] == answers[1].get_json()["location"]
    assert answers[1].get_json()["replayed"] is True
    assert _count(db, Evidence) == 1


def test_a_report_request_is_queued_once(client, auth, make, db):
    from anice.models import Report, Role

    auth.login(make.officer(role=Role.COORDINATOR, country="MY"))
    token = _token(client, "/reports/")
    data = {"period": "", "start": "2026-10-01", "end": "2026-10-31", "form_token": token}
    first = client.post("/reports/", data=data)
    again = client.post("/reports/", data=data)
    assert first.status_code == 302 and again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    assert _count(db, Report) == 1
    refused = client.post("/reports/", data={"period": "2026-13", "form_token": "t-refused"})
    assert refused.status_code == 422 and _count(db, Submission) == 1  # released
