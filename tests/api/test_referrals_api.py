"""/api/v1 referrals and notifications: the same rules as the service, as JSON, with tokens of
the officers of both sides; what the receiver reads is exactly what was shared."""

from __future__ import annotations

import io

import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.models import AuditEvent, Evidence, Referral, ReferralStatus, Right
from anice.rights import importing

from ..referrals.helpers import PDF, accepted, draft, sent, world
from ..rights.helpers import csv_bytes


@pytest.fixture
def w(db, make):
    return world(db, make)


@pytest.fixture
def api(client, db):
    def for_officer(officer, scope="read-write"):
        _, raw = tokens.create_token(db, officer, "national system", scope, 5)
        db.commit()
        headers = {"Authorization": f"Bearer {raw}"}

        class Client:
            def get(self, url):
                return client.get("/api/v1" + url, headers=headers)

            def post(self, url, json=None, **kw):
                return client.post("/api/v1" + url, headers=headers, json=json, **kw)

            def patch(self, url, json=None):
                return client.patch("/api/v1" + url, headers=headers, json=json)

            def put(self, url, json=None):
                return client.put("/api/v1" + url, headers=headers, json=json)

            def upload(self, url, name, content, **fields):
                return client.post("/api/v1" + url, headers=headers,
                                   data={"file": (io.BytesIO(content), name), **fields},
                                   content_type="multipart/form-data")

        return Client()

    return for_officer


def _referral_data(w, **overrides) -> dict:
    return {"to": ["TH"], "requested_action": "investigate", "handling_code": "agency_only",
            "message": "Same supplier ships to Bangkok.", "deadline": "2099-01-31",
            "fields": ["title", "summary"], "seizures": [w.case.seizures[0].id],
            "evidence": [w.evidence[0].public_id], **overrides}


def _problem(response, status: int, field: str | None = None) -> dict:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    if field is not None:
        assert body["field"] == field and field in body["detail"], body
    return body


def test_whole_life_over_the_api(api, db, w):
    inv, sup, coord, th_sup = api(w.inv_my), api(w.sup_my), api(w.coord_th), api(w.sup_th)
    created = inv.post(f"/cases/{w.case.id}/referrals", json={**_referral_data(w),
                                                               "submit": True})
    assert created.status_code == 201, created.get_json()
    [ref] = created.get_json()
    assert ref["status"] == "pending_approval" and ref["side"] == "sender"
    assert ref["reference"].startswith("RF-MY-") and ref["case"]["id"] == w.case.id
    assert ref["deadline"] == "2099-01-31" and ref["created_at"].endswith("+00:00")
    rid = ref["id"]
    # Before it leaves the receiver neither lists nor reads it.
    assert coord.get("/referrals").get_json()["total"] == 0
    _problem(coord.get(f"/referrals/{rid}"), 404)
    outbox = sup.get("/referrals?box=outbox&status=pending_approval").get_json()
    assert [r["id"] for r in outbox["items"]] == [rid] and outbox["page"] == 1
    approved = sup.post(f"/referrals/{rid}/approve", json={"version": ref["version"]})
    assert approved.status_code == 200 and approved.get_json()["status"] == "sent"
    inbox = coord.get("/referrals?box=inbox&per_page=10").get_json()
    assert inbox["total"] == 1 and inbox["per_page"] == 10
    item = inbox["items"][0]
    assert item["side"] == "receiver" and item["sent_at"].endswith("+00:00")
    assert item["case"] == {"reference": w.case.reference, "id": None}
    routed = coord.post(f"/referrals/{rid}/route", json={"agency_id": w.th_police.id,
                                                         "version": item["version"]})
    assert routed.status_code == 200, routed.get_json()
    assert routed.get_json()["status"] == "routed"
    assert routed.get_json()["to"]["agency"]["id"] == w.th_police.id
    answer = th_sup.post(f"/referrals/{rid}/accept",
                         json={"version": routed.get_json()["version"], "copy": True})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["status"] == "accepted" and body["first_response_at"].endswith("+00:00")
    linked = body["linked_case"]
    assert linked["reference"].startswith(f"TH-{w.th_police.code}-")
    # The linked case is the receiver's own case, with the shared seizure item copied.
    own = th_sup.get(f"/cases/{linked['id']}").get_json()
    assert [s["brand"] for s in own["seizures"]] == [w.case.seizures[0].brand]
    wrote = th_sup.post(f"/referrals/{rid}/messages", json={"body": "Raid planned."})
    assert wrote.status_code == 201 and wrote.get_json()["side"] == "receiver"
    assert inv.post(f"/referrals/{rid}/messages", json={"body": "Thank you."}).status_code == 201
    thread = th_sup.get(f"/referrals/{rid}/messages").get_json()
    assert [(m["side"], m["body"]) for m in thread] == [("receiver", "Raid planned."),
                                                        ("sender", "Thank you.")]
    life = ["sent", "routed", "accepted", "message", "message"]
    for side, before in ((inv, ["drafted", "submitted"]), (th_sup, [])):
        # The receiver does not read the sender's drafting and approval.
        detail = side.get(f"/referrals/{rid}").get_json()
        assert [e["kind"] for e in detail["events"]] == before + life
        assert len(detail["messages"]) == 2 and detail["overdue"] is False
    actions = set(db.scalars(select(AuditEvent.action).where(
        AuditEvent.object_type == "referral", AuditEvent.object_id == str(rid))))
    assert {"referral.drafted", "referral.sent", "referral.routed", "referral.accepted",
            "referral.message"} <= actions
    # Notifications of the drafter: the answer and the receiver's message.
    notes = inv.get("/notifications").get_json()
    assert {"referral.accepted", "referral.message"} <= {n["kind"] for n in notes["items"]}
    assert notes["unread"] == len(notes["items"]) >= 2
    assert all(n["read_at"] is None and n["created_at"].endswith("+00:00")
               for n in notes["items"])
    first = notes["items"][0]["id"]
    # Another officer's ids mark nothing of the drafter's.
    assert th_sup.post("/notifications/read", json={"ids": [first]}).get_json()["marked"] == 0
    one = inv.post("/notifications/read", json={"ids": [first]}).get_json()
    assert one == {"marked": 1, "unread": notes["unread"] - 1}
    rest = inv.post("/notifications/read", json={"all": True}).get_json()
    assert rest == {"marked": notes["unread"] - 1, "unread": 0}


def test_receiver_reads_only_the_shared_items(api, db, w):
    referral = accepted(db, w)
    for officer in (w.sup_th, w.inv_th):
        response = api(officer).get(f"/referrals/{referral.id}")
        shared = response.get_json()["shared"]
        assert set(shared["fields"]) == {"title", "summary"}
        assert shared["fields"]["title"] == w.case.title
        assert [s["id"] for s in shared["seizures"]] == [w.case.seizures[0].id]
        assert shared["listings"] == [] and shared["parties"] == []
        assert shared["matches"] == []
        assert [e["id"] for e in shared["evidence"]] == [w.evidence[0].public_id]
        assert "case_id" not in shared["evidence"][0]
        text = response.get_data(as_text=True)
        unshared = [w.case.listings[0].url, w.case.parties[0].name, w.case.city,
                    w.case.seizures[1].description, w.evidence[1].public_id,
                    w.evidence[2].public_id, w.case.province]
        assert not [value for value in unshared if value in text]
        assert response.get_json()["case"] == {"reference": w.case.reference, "id": None}
    # The sender's case itself stays out of reach of the receiver.
    _problem(api(w.sup_th).get(f"/cases/{w.case.id}"), 404)
    # The sender sees its own choice, the same items.
    mine = api(w.inv_my).get(f"/referrals/{referral.id}").get_json()["shared"]
    assert set(mine["fields"]) == {"title", "summary"} and len(mine["evidence"]) == 1


def test_third_country_and_other_agency_get_404(api, db, w):
    referral = accepted(db, w)
    rid = referral.id
    for outsider in (w.coord_vn, w.inv_vn, w.sup_th_customs):
        client = api(outsider)
        _problem(client.get(f"/referrals/{rid}"), 404)
        _problem(client.get(f"/referrals/{rid}/messages"), 404)
        _problem(client.post(f"/referrals/{rid}/messages", json={"body": "Hello?"}), 404)
        _problem(client.post(f"/referrals/{rid}/withdraw", json={"reason": "x"}), 404)
        _problem(client.post(f"/referrals/{rid}/decline", json={"reason": "x"}), 404)
        _problem(client.patch(f"/referrals/{rid}", json={"message": "x"}), 404)
        for box in ("inbox", "outbox"):
            assert client.get(f"/referrals?box={box}").get_json()["total"] == 0
        _problem(client.get(f"/evidence/{w.evidence[0].public_id}/content"), 404)
    _problem(api(w.inv_vn).post(f"/cases/{w.case.id}/referrals", json=_referral_data(w)), 404)
    _problem(api(w.sup_th).get("/referrals/999999"), 404)


def test_shared_evidence_downloads_and_unshared_is_404(api, db, w):
    referral = accepted(db, w)
    receiver = api(w.inv_th)
    shared, unshared = w.evidence[0].public_id, w.evidence[1].public_id
    download = receiver.get(f"/evidence/{shared}/content")
    assert download.status_code == 200 and download.data.endswith(b"scan-0.pdf")
    _problem(receiver.get(f"/evidence/{unshared}/content"), 404)
    # The sender sees the receiver's download in its item's chain of custody.
    custody = api(w.inv_my).get(f"/evidence/{shared}/custody").get_json()
    downloads = [e for e in custody if e["action"] == "download"]
    assert downloads and downloads[-1]["actor"] == w.inv_th.email
    assert downloads[-1]["details"]["referral"] == referral.reference
    assert any(e["action"] == "share" for e in custody)


def test_withdrawn_cuts_shared_and_downloads(api, db, w):
    referral = accepted(db, w)
    rid, receiver = referral.id, api(w.sup_th)
    assert receiver.get(f"/referrals/{rid}").get_json()["shared"] is not None
    gone = api(w.inv_my).post(f"/referrals/{rid}/withdraw", json={"reason": "Closed at home"})
    assert gone.status_code == 200 and gone.get_json()["status"] == "withdrawn"
    assert gone.get_json()["withdrawn_at"].endswith("+00:00")
    detail = receiver.get(f"/referrals/{rid}").get_json()
    assert detail["status"] == "withdrawn" and detail["shared"] is None
    assert detail["events"][-1]["kind"] == "withdrawn"
    assert detail["linked_case"] is not None  # its own case stays
    for officer in (w.sup_th, w.inv_th):
        _problem(api(officer).get(f"/evidence/{w.evidence[0].public_id}/content"), 404)
    _problem(receiver.post(f"/referrals/{rid}/messages", json={"body": "Why?"}), 403)
    # The sender still sees what it had chosen.
    assert api(w.inv_my).get(f"/referrals/{rid}").get_json()["shared"] is not None


def test_read_token_cannot_write(api, db, w):
    referral = sent(db, w, to=f"agency:{w.th_police.id}")
    reader = api(w.sup_th, scope="read")
    assert reader.get(f"/referrals/{referral.id}").status_code == 200
    assert reader.get("/notifications").status_code == 200
    for response in (reader.post(f"/referrals/{referral.id}/accept", json={}),
                     reader.post(f"/referrals/{referral.id}/messages", json={"body": "x"}),
                     reader.upload(f"/referrals/{referral.id}/messages", "a.pdf", PDF),
                     reader.post("/notifications/read", json={"all": True}),
                     reader.patch(f"/referrals/{referral.id}", json={"message": "x"})):
        assert "read-only" in _problem(response, 403)["detail"]
    drafter = api(w.inv_my, scope="read")
    _problem(drafter.post(f"/cases/{w.case.id}/referrals", json=_referral_data(w)), 403)
    db.expire_all()
    assert db.get(Referral, referral.id).status == ReferralStatus.ROUTED
    assert db.scalar(select(func.count(Referral.id))) == 1
    # A method the path does not have is 405, as elsewhere in the API.
    _problem(api(w.sup_th).put(f"/referrals/{referral.id}", json={}), 405)


def test_bad_bodies_name_the_field(api, db, w):
    inv = api(w.inv_my)
    bad = inv.post(f"/cases/{w.case.id}/referrals", json={
        "to": ["MY", "XX"], "requested_action": "dance", "handling_code": "",
        "message": "", "deadline": "2001-01-01", "fields": ["secret"],
        "seizures": [999999], "evidence": ["nope"]})
    problem = _problem(bad, 422, "to")
    assert {"to", "requested_action", "handling_code", "message", "deadline", "fields",
            "seizures", "evidence"} <= {e["field"] for e in problem["errors"]}
    _problem(inv.post(f"/cases/{w.case.id}/referrals", json=["TH"]), 422, "body")
    assert db.scalar(select(func.count(Referral.id))) == 0  # nothing half-written
    for query, field in (("box=sideways", "box"), ("status=lost", "status"),
                         ("overdue=maybe", "overdue"), ("page=0", "page"),
                         ("per_page=x", "per_page")):
        _problem(inv.get(f"/referrals?{query}"), 422, field)
    _problem(inv.get("/notifications?limit=-1"), 422, "limit")
    referral = sent(db, w)
    rid, coord = referral.id, api(w.coord_th)
    _problem(coord.post(f"/referrals/{rid}/route", json={"agency_id": "abc"}), 422,
             "agency_id")
    _problem(coord.post(f"/referrals/{rid}/route", json={"agency_id": w.case.agency_id}),
             422, "agency_id")
    _problem(coord.post(f"/referrals/{rid}/decline", json={}), 422, "reason")
    _problem(coord.post(f"/referrals/{rid}/decline", json={"reason": "x", "version": "v1"}),
             422, "version")
    _problem(coord.post(f"/referrals/{rid}/request-info", json={"message": " "}), 422,
             "message")
    _problem(coord.post(f"/referrals/{rid}/accept", json=[1]), 422, "body")
    _problem(coord.post(f"/referrals/{rid}/messages", json={"body": ""}), 422, "body")
    _problem(inv.post(f"/referrals/{rid}/shares", json={"fields": ["salary"]}), 422, "fields")
    _problem(inv.post(f"/referrals/{rid}/shares", json={}), 422, "shares")
    other = draft(db, w)
    _problem(inv.patch(f"/referrals/{other.id}", json={"fields": ["tags"]}), 422, "fields")
    _problem(inv.patch(f"/referrals/{other.id}", json={"deadline": "someday"}), 422,
             "deadline")
    for body, field in (({"ids": ["x"]}, "ids"), ({}, "ids"), ({"all": "yes"}, "all"),
                        ({"all": True, "ids": [1]}, "ids")):
        _problem(inv.post("/notifications/read", json=body), 422, field)
    db.expire_all()
    assert db.get(Referral, rid).status == ReferralStatus.SENT


def test_stale_version_is_409_and_nothing_changes(api, db, w):
    referral = sent(db, w)
    coord = api(w.coord_th)
    version = coord.get(f"/referrals/{referral.id}").get_json()["version"]
    stale = coord.post(f"/referrals/{referral.id}/route",
                       json={"agency_id": w.th_police.id, "version": version - 1})
    assert "changed since" in _problem(stale, 409)["detail"]
    detail = coord.get(f"/referrals/{referral.id}").get_json()
    assert detail["status"] == "sent" and detail["version"] == version
    assert "routed" not in [e["kind"] for e in detail["events"]]
    # A draft edited from an old version: 409; from the current one only what is sent changes.
    other = draft(db, w)
    inv = api(w.inv_my)
    current = inv.get(f"/referrals/{other.id}").get_json()
    _problem(inv.patch(f"/referrals/{other.id}", json={"message": "New",
                                                       "version": current["version"] + 1}), 409)
    edited = inv.patch(f"/referrals/{other.id}", json={"message": "Now with the port name.",
                                                       "version": current["version"]})
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert body["message"] == "Now with the port name." and body["deadline"] == "2099-01-31"
    assert body["requested_action"] == "investigate" and body["version"] > current["version"]


def test_other_moves_return_info_decline_shares_consent(api, db, w):
    inv, sup, coord = api(w.inv_my), api(w.sup_my), api(w.coord_th)
    [ref] = inv.post(f"/cases/{w.case.id}/referrals", json=_referral_data(w)).get_json()
    rid = ref["id"]
    assert ref["status"] == "draft"
    assert inv.post(f"/referrals/{rid}/submit").get_json()["status"] == "pending_approval"
    back = sup.post(f"/referrals/{rid}/return", json={"reason": "Add the port."})
    assert back.status_code == 200 and back.get_json()["status"] == "draft"
    assert inv.post(f"/referrals/{rid}/submit").get_json()["status"] == "pending_approval"
    assert sup.post(f"/referrals/{rid}/approve").get_json()["status"] == "sent"
    asked = coord.post(f"/referrals/{rid}/request-info", json={"message": "Which port?"})
    assert asked.get_json()["status"] == "info_requested"
    added = inv.post(f"/referrals/{rid}/shares",
                     json={"listings": [w.case.listings[0].id], "fields": ["place"]})
    assert added.get_json() == {"added": 2}
    shared = coord.get(f"/referrals/{rid}").get_json()
    assert shared["status"] == "sent"  # the sender's answer sends it back
    assert [x["url"] for x in shared["shared"]["listings"]] == [w.case.listings[0].url]
    assert shared["shared"]["fields"]["place"] == "Petaling Jaya, Selangor"
    declined = coord.post(f"/referrals/{rid}/decline", json={"reason": "Not IP here."})
    assert declined.get_json()["status"] == "declined"
    assert declined.get_json()["decision_reason"] == "Not IP here."
    _problem(inv.post(f"/referrals/{rid}/shares", json={"fields": ["tags"]}), 403)
    # Court use after consent: the sending supervisor consents once accepted.
    court = accepted(db, w, handling_code="court_after_consent")
    _problem(api(w.sup_th).post(f"/referrals/{court.id}/court-consent"), 403)
    consent = sup.post(f"/referrals/{court.id}/court-consent")
    assert consent.status_code == 200 and consent.get_json()["court_consent_at"]
    export = api(w.inv_th).get(f"/evidence/{w.evidence[0].public_id}/content?reason=court")
    assert export.status_code == 200
    listed = inv.get(f"/cases/{w.case.id}/referrals").get_json()
    assert {r["id"] for r in listed} == {rid, court.id}


def test_messages_with_attachments(api, db, w):
    referral = sent(db, w, to=f"agency:{w.th_police.id}")
    rid = referral.id
    # A receiver attaches only once it has its own case to keep the file in.
    early = api(w.sup_th).upload(f"/referrals/{rid}/messages", "reply.pdf", PDF)
    _problem(early, 422, "file")
    posted = api(w.inv_my).upload(f"/referrals/{rid}/messages", "invoice.pdf",
                               PDF + b"invoice", body="The invoice.")
    assert posted.status_code == 201, posted.get_json()
    message = posted.get_json()
    attachment = message["attachment"]
    assert message["body"] == "The invoice." and attachment["name"] == "invoice.pdf"
    evidence = db.scalar(select(Evidence).where(Evidence.public_id == attachment["id"]))
    assert evidence.case_id == w.case.id  # kept in the sender's case, sealed like any other
    got = api(w.sup_th).get(attachment["content"].removeprefix("/api/v1"))
    assert got.status_code == 200 and got.data.endswith(b"invoice")
    custody = api(w.inv_my).get(f"/evidence/{attachment['id']}/custody").get_json()
    assert [e["action"] for e in custody][:2] == ["intake", "share"]
    service_accept = api(w.sup_th).post(f"/referrals/{rid}/accept", json={})
    linked_id = service_accept.get_json()["linked_case"]["id"]
    reply = api(w.sup_th).upload(f"/referrals/{rid}/messages", "reply.pdf", PDF + b"reply")
    assert reply.status_code == 201 and reply.get_json()["body"] == ""
    kept = db.scalar(select(Evidence).where(
        Evidence.public_id == reply.get_json()["attachment"]["id"]))
    assert kept.case_id == linked_id
    # The sender reads the receiver's attachment through the thread.
    assert api(w.inv_my).get(f"/evidence/{kept.public_id}/content").status_code == 200
    # Nothing stays stored when the file is refused.
    empty = api(w.inv_my).upload(f"/referrals/{rid}/messages", "empty.pdf", b"")
    _problem(empty, 422, "file")
    assert len(api(w.inv_my).get(f"/referrals/{rid}/messages").get_json()) == 2


def test_a_shared_match_carries_its_goods_line(api, db, make, w):
    importing.import_csv(db, None, csv_bytes(
        'MY,TM77,trademark,registered,NIKE,25,Nike Inc,,,2001-01-02,,,"25: running shoes; caps"'))
    db.commit()
    right = db.scalar(select(Right).where(Right.number == "TM77"))
    match = make.match(w.inv_my, w.case, right, decision=None)
    assert match.goods_term == "running shoes"  # the shared seizure's "Running shoes"
    referral = accepted(db, w, matches=[str(match.id)])
    shared = api(w.sup_th).get(f"/referrals/{referral.id}").get_json()["shared"]
    assert [m["goods_match"] for m in shared["matches"]] == [
        {"class": 25, "term": "running shoes", "words": ["running", "shoe"]}]
