"""Domain events: every path that adds case items gets them matched, correlated and indexed,
and every evidence upload gets its derivatives job exactly once, through the subscribers
wired in one place (anice/events, each feature's subscriptions.py)."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from sqlalchemy import func, select

import workers.evidence
import workers.rights
from anice import demo
from anice.auth import tokens
from anice.cases import importing
from anice.demo.cases import load_cases
from anice.demo.rights import load_rights
from anice.events import CaseItemsChanged, EvidenceRegistered
from anice.models import Case, CaseIdentifier, CaseMatch, CaseSearch, Evidence, Right

from ..referrals.helpers import PDF, accepted, sent, world
from ..rights.test_match_service import registry  # noqa: F401  (fixture)
from .helpers import SEIZURE, new_case
from .test_import import RAID, to_csv

CONTAINER = "MSCU1234566"


@pytest.fixture
def jobs_run(monkeypatch):
    """Count the after-commit jobs that ran, by name (they still run)."""
    ran: Counter = Counter()

    def counting(module, name):
        real = getattr(module, name)

        def job(*args, **kwargs):
            ran[name] += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, job)

    counting(workers.rights, "match_case")
    counting(workers.evidence, "make_derivatives")
    return ran


def _matched(db, case_id: int) -> list[str]:
    db.expire_all()
    return [m.right.number for m in db.scalars(select(CaseMatch)
                                               .where(CaseMatch.case_id == case_id))]


def _identifiers(db, case_id: int) -> set[str]:
    return {row.kind.value for row in db.scalars(
        select(CaseIdentifier).where(CaseIdentifier.case_id == case_id))}


def _token(db, officer) -> dict:
    _, raw = tokens.create_token(db, officer, "events", "read-write", 5)
    db.commit()
    return {"Authorization": f"Bearer {raw}"}


def test_subscribers_are_wired_in_one_place(app):
    described = app.extensions["anice.events"].describe()
    assert described["CaseItemsChanged"] == [
        "anice.cases.subscriptions.reindex", "anice.correlation.subscriptions.refresh",
        "job workers.rights.match_case"]
    assert described["EvidenceRegistered"] == ["job workers.evidence.make_derivatives"]
    assert described["CaseSaved"] == ["anice.cases.subscriptions.reindex"]
    assert described["RightsChanged"] == ["job workers.rights.refresh_index"]


def test_web_form_items_are_matched_once_per_request(client, auth, db, make, registry,  # noqa: F811
                                                     jobs_run):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    response = client.post(f"/cases/{case.id}/items/seizure",
                           data={**SEIZURE, "brand": "Adidas", "container_number": CONTAINER})
    assert response.status_code == 302
    assert "TM1001" in _matched(db, case.id)
    assert "container" in _identifiers(db, case.id)
    assert "adidas" in db.get(CaseSearch, case.id).body
    assert jobs_run["match_case"] == 1


def test_api_items_are_matched(client, db, make, registry, jobs_run):  # noqa: F811
    inv = make.officer()
    case = new_case(db, inv)
    created = client.post(f"/api/v1/cases/{case.id}/seizures", headers=_token(db, inv),
                          json={**SEIZURE, "brand": "Adidas", "container_number": CONTAINER})
    assert created.status_code == 201, created.get_json()
    assert "TM1001" in _matched(db, case.id)
    assert "container" in _identifiers(db, case.id)
    assert jobs_run["match_case"] == 1


def test_case_csv_import_items_are_matched(db, make, registry, jobs_run):  # noqa: F811
    inv = make.officer()
    raw = to_csv(RAID, {"case_key": "raid-1", "brand": "Adidas", "description": "Bags",
                        "category": "bags_accessories", "quantity": "30", "unit": "pieces"})
    (case,) = importing.commit_import(db, inv, raw)
    db.commit()
    assert "TM1001" in _matched(db, case.id)  # old code: imported items never matched
    assert jobs_run["match_case"] == 1  # two items, one case, one transaction: one job
    # A preview rolls back: nothing is matched, no job is left waiting.
    importing.preview_import(db, inv, raw)
    assert jobs_run["match_case"] == 1


def test_referral_copy_items_are_matched_and_correlated(db, make, registry,  # noqa: F811
                                                        jobs_run):
    w = world(db, make)
    referral = accepted(db, w, copy=True, listings=[str(w.case.listings[0].id)])
    linked = db.get(Case, referral.linked_case_id)
    assert linked.seizures and linked.listings
    # Old code: the copies were neither matched nor correlated in the receiving case.
    assert "TM2002" in _matched(db, linked.id)  # the shared Nike seizure
    assert "seller_id" in _identifiers(db, linked.id)
    assert "nike" in db.get(CaseSearch, linked.id).body


def test_demo_load_items_are_matched(db, make):
    demo.load(db)
    load_rights(db)
    db.commit()
    assert load_cases(db, count=4, seed=3) == 4
    matched = db.scalar(select(func.count(func.distinct(CaseMatch.case_id))))
    assert matched >= 1  # old code: the demo matched only by a separate pass in the CLI
    assert db.scalar(select(func.count()).select_from(CaseIdentifier)) > 0


def test_a_rolled_back_change_queues_nothing(db, make, registry, jobs_run):  # noqa: F811
    from anice.cases import items

    inv = make.officer()
    case = new_case(db, inv)
    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "Adidas"})
    db.rollback()
    db.commit()
    assert jobs_run["match_case"] == 0 and _matched(db, case.id) == []


# --- evidence: one derivatives job per upload, whatever the surface ----------------------

def _one_derivative_job(db, jobs_run, before: int) -> None:
    assert db.scalar(select(func.count()).select_from(Evidence)) == before + 1
    assert jobs_run["make_derivatives"] == 1


def test_case_page_upload_derives_once(client, auth, db, make, jobs_run):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    response = client.post(f"/cases/{case.id}/evidence",
                           data={"file": (io.BytesIO(PDF), "scan.pdf")},
                           content_type="multipart/form-data")
    assert response.status_code in (201, 302), response.get_data(as_text=True)
    _one_derivative_job(db, jobs_run, 0)


def test_api_upload_derives_once(client, db, make, jobs_run):
    inv = make.officer()
    case = new_case(db, inv)
    headers = {**_token(db, inv), "Content-Type": "application/octet-stream"}
    created = client.post(f"/api/v1/cases/{case.id}/evidence?filename=scan.pdf", data=PDF,
                          headers=headers)
    assert created.status_code == 201, created.get_json()
    _one_derivative_job(db, jobs_run, 0)


def test_referral_attachments_derive_once(client, auth, db, make, jobs_run):
    w = world(db, make)
    referral = sent(db, w, to=f"agency:{w.th_police.id}")
    before = db.scalar(select(func.count()).select_from(Evidence))
    jobs_run.clear()
    posted = client.post(f"/api/v1/referrals/{referral.id}/messages", headers=_token(db, w.inv_my),
                         data={"file": (io.BytesIO(PDF + b"api"), "api.pdf"), "body": "x"},
                         content_type="multipart/form-data")
    assert posted.status_code == 201, posted.get_json()
    _one_derivative_job(db, jobs_run, before)
    jobs_run.clear()
    auth.login(w.inv_my)
    web = client.post(f"/referrals/{referral.id}/attachments",
                      data={"file": (io.BytesIO(PDF + b"web"), "web.pdf"), "body": "y"},
                      content_type="multipart/form-data")
    assert web.status_code == 302
    _one_derivative_job(db, jobs_run, before + 1)


def test_views_and_api_queue_nothing_themselves(app, client, auth, db, make,
                                                registry, jobs_run, monkeypatch):  # noqa: F811
    """Unsubscribe the jobs: no surface queues matching or derivatives on its own."""
    subscribers = app.extensions["anice.events"]
    monkeypatch.setitem(subscribers.jobs, CaseItemsChanged, [])
    monkeypatch.setitem(subscribers.jobs, EvidenceRegistered, [])
    inv = make.officer()
    case = new_case(db, inv)
    headers = _token(db, inv)
    auth.login(inv)
    assert client.post(f"/cases/{case.id}/items/seizure",
                       data={**SEIZURE, "brand": "Adidas"}).status_code == 302
    assert client.post(f"/api/v1/cases/{case.id}/seizures", headers=headers,
                       json={**SEIZURE, "brand": "Adidas"}).status_code == 201
    assert client.post(f"/cases/{case.id}/evidence", data={"file": (io.BytesIO(PDF), "a.pdf")},
                       content_type="multipart/form-data").status_code in (201, 302)
    assert client.post(f"/api/v1/cases/{case.id}/evidence?filename=b.pdf", data=PDF + b"b",
                       headers={**headers, "Content-Type": "application/octet-stream"}
                       ).status_code == 201
    assert jobs_run == Counter() and _matched(db, case.id) == []


def test_events_carry_plain_ids():
    assert CaseItemsChanged(1, 2) == CaseItemsChanged(case_id=1, actor_id=2)
    assert EvidenceRegistered(3, 1, None).evidence_id == 3
    assert Right  # the registry model the matching job reads
