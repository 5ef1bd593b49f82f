"""The web and the API give the same actor the same answer for the same object (issue 15):
404 when the object is out of its reach, 403 only when it may see the object but not do
this to it, success otherwise. Each row runs through both surfaces."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from anice.auth import tokens
from anice.cases import items
from anice.models import Role
from anice.referrals import service as referrals
from anice.rights import importing

from .cases.helpers import SEIZURE, opened_case
from .referrals.helpers import add_evidence
from .rights.helpers import NIKE, csv_bytes

OK, DENIED, HIDDEN = "ok", "403", "404"


def outcome(status: int) -> str:
    if status in (403, 404):
        return str(status)
    assert status < 400, status  # a 409/422/5xx is a broken row, not an answer
    return OK


@dataclass
class Row:
    actor: str
    action: str
    expected: str


@pytest.fixture
def world(db, make):
    a = make.agency("MY", "KPDN")
    b = make.agency("MY", "JKDM")
    th = make.agency("TH", "DIP")
    people = {
        "inv": make.officer(Role.INVESTIGATOR, "MY", agency=a),
        "sup": make.officer(Role.SUPERVISOR, "MY", agency=a),
        "pros": make.officer(Role.PROSECUTOR, "MY", agency=a),
        "coord_my": make.officer(Role.COORDINATOR, "MY"),
        "inv_other_agency": make.officer(Role.INVESTIGATOR, "MY", agency=b),
        "coord_th": make.officer(Role.COORDINATOR, "TH"),
        "sup_th": make.officer(Role.SUPERVISOR, "TH", agency=th),
        "inv_vn": make.officer(Role.INVESTIGATOR, "VN"),
        "secretariat": make.officer(Role.SECRETARIAT),
        "admin": make.officer(Role.ADMIN),
    }
    inv = people["inv"]
    case = opened_case(db, inv)
    item = items.add_item(db, inv, case.id, "seizure", SEIZURE)
    db.commit()
    evidence = add_evidence(db, inv, case, "scan.pdf")
    [referral] = referrals.create_referrals(db, inv, case.id, {
        "to": "TH", "requested_action": "investigate", "handling_code": "open",
        "message": "Same supplier.", "deadline": "2099-01-31", "fields": ["title"]})
    db.commit()
    referrals.submit(db, inv, referral.id)
    db.commit()
    referrals.approve(db, people["sup"], referral.id, {})
    db.commit()
    importing.import_csv(db, None, csv_bytes(NIKE))
    db.commit()
    from anice.models import Right

    right = db.query(Right).one()
    ids = {"case": case.id, "item": item.id, "ev": evidence.public_id, "ref": referral.id,
           "right": right.id}
    return people, ids


# action -> (web method, web path, web form), (API method, API path, API JSON)
ACTIONS = {
    "view case": (("get", "/cases/{case}", None), ("get", "/cases/{case}", None)),
    "edit case": (("get", "/cases/{case}/edit", None), ("patch", "/cases/{case}", "version")),
    "add note": (("post", "/cases/{case}/notes", {"text": "Seen."}),
                 ("post", "/cases/{case}/notes", {"text": "Seen."})),
    "add seizure": (("post", "/cases/{case}/items/seizure", SEIZURE),
                    ("post", "/cases/{case}/seizures", SEIZURE)),
    "edit seizure": (("get", "/cases/{case}/items/seizure/{item}", None),
                     ("put", "/cases/{case}/seizures/{item}", SEIZURE)),
    "case links": (("get", "/cases/{case}", None), ("get", "/cases/{case}/links", None)),
    "view evidence": (("get", "/evidence/{ev}", None), ("get", "/evidence/{ev}", None)),
    "download evidence": (("get", "/evidence/{ev}/download", None),
                          ("get", "/evidence/{ev}/content", None)),
    "refer case": (("get", "/referrals/new?case_id={case}", None),
                   ("post", "/cases/{case}/referrals", {
                       "to": "TH", "requested_action": "investigate", "fields": ["title"],
                       "handling_code": "open", "message": "x", "deadline": "2099-01-31"})),
    "view referral": (("get", "/referrals/{ref}", None), ("get", "/referrals/{ref}", None)),
    "message referral": (("post", "/referrals/{ref}/messages", {"body": "Any news?"}),
                         ("post", "/referrals/{ref}/messages", {"body": "Any news?"})),
    "accept referral": (("post", "/referrals/{ref}/accept", {}),
                        ("post", "/referrals/{ref}/accept", {})),
    "view right": (("get", "/rights/{right}", None), ("get", "/rights/{right}", None)),
    "edit right": (("get", "/rights/{right}/edit", None),
                   ("patch", "/rights/{right}", "updated_at")),
}

ROWS = [
    # cases: the agency's staff, the country's coordinator, and those out of reach
    Row("inv", "view case", OK), Row("pros", "view case", OK), Row("coord_my", "view case", OK),
    Row("inv_other_agency", "view case", HIDDEN), Row("inv_vn", "view case", HIDDEN),
    Row("secretariat", "view case", HIDDEN), Row("admin", "view case", HIDDEN),
    Row("inv", "edit case", OK), Row("pros", "edit case", DENIED),
    Row("coord_my", "edit case", DENIED), Row("inv_other_agency", "edit case", HIDDEN),
    Row("admin", "edit case", HIDDEN),
    Row("pros", "add note", OK), Row("coord_my", "add note", DENIED),
    Row("inv_vn", "add note", HIDDEN),
    Row("inv", "add seizure", OK), Row("pros", "add seizure", DENIED),
    Row("coord_my", "add seizure", DENIED), Row("inv_other_agency", "add seizure", HIDDEN),
    Row("inv", "edit seizure", OK), Row("pros", "edit seizure", DENIED),
    Row("coord_my", "edit seizure", DENIED), Row("secretariat", "edit seizure", HIDDEN),
    # correlation: links of a case are read by who reads the case
    Row("inv", "case links", OK), Row("coord_my", "case links", OK),
    Row("inv_vn", "case links", HIDDEN), Row("secretariat", "case links", HIDDEN),
    # evidence
    Row("inv", "view evidence", OK), Row("pros", "view evidence", OK),
    Row("inv_other_agency", "view evidence", HIDDEN), Row("inv_vn", "view evidence", HIDDEN),
    Row("admin", "view evidence", HIDDEN),
    Row("inv", "download evidence", OK), Row("inv_vn", "download evidence", HIDDEN),
    # referrals: the sender's side, the receiving country, a third country
    Row("inv", "refer case", OK), Row("pros", "refer case", DENIED),
    Row("coord_my", "refer case", DENIED), Row("inv_vn", "refer case", HIDDEN),
    Row("inv", "view referral", OK), Row("coord_th", "view referral", OK),
    Row("sup_th", "view referral", HIDDEN), Row("inv_vn", "view referral", HIDDEN),
    Row("secretariat", "view referral", HIDDEN),
    Row("inv", "message referral", OK), Row("coord_th", "message referral", OK),
    Row("inv_vn", "message referral", HIDDEN),
    Row("inv", "accept referral", DENIED), Row("coord_th", "accept referral", DENIED),
    Row("inv_vn", "accept referral", HIDDEN),
    # rights: every officer reads the registry; its office's coordinator edits
    Row("inv_vn", "view right", OK), Row("coord_my", "edit right", OK),
    Row("coord_th", "edit right", DENIED), Row("inv", "edit right", DENIED),
]


def _api_body(db, client, headers, path, body):
    """Fill a version stamp the API needs from the object as the actor reads it."""
    if body == "version":
        return {"version": client.get(path, headers=headers).get_json().get("version")}
    if body == "updated_at":
        return {"updated_at": client.get(path, headers=headers).get_json().get("updated_at")}
    return body


def _web(client, method, path, form):
    call = getattr(client, method)
    response = call(path, data=form) if method == "post" else call(path)
    assert "/login" not in response.headers.get("Location", ""), path  # still logged in
    return response


def _api(app, db, officer, method, path, body):
    _, raw = tokens.create_token(db, officer, "test", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    api = app.test_client()
    path = "/api/v1" + path
    body = _api_body(db, api, headers, path, body)
    call = getattr(api, method)
    return call(path, headers=headers, json=body) if body is not None else call(
        path, headers=headers)


def test_web_and_api_agree_on_every_row(app, client, auth, db, world):
    people, ids = world
    wrong = []
    for actor in dict.fromkeys(r.actor for r in ROWS):  # one login per actor (TOTP steps)
        assert auth.login(people[actor]).status_code == 302, actor
        for row in (r for r in ROWS if r.actor == actor):
            (wm, wpath, wform), (am, apath, abody) = ACTIONS[row.action]
            web = outcome(_web(client, wm, wpath.format(**ids), wform).status_code)
            api = outcome(_api(app, db, people[actor], am, apath.format(**ids),
                               abody).status_code)
            if not web == api == row.expected:
                wrong.append(f"{actor} {row.action}: web {web}, API {api}, "
                             f"expected {row.expected}")
        auth.logout()
    assert not wrong, "\n".join(wrong)


def test_every_action_has_rows():
    """No action is left unchecked, and the table holds each of the three answers."""
    assert {r.action for r in ROWS} == set(ACTIONS)
    assert {r.expected for r in ROWS} == {OK, DENIED, HIDDEN}
