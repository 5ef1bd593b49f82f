"""Discarding a draft: who may, what it leaves behind, and a reference that is never reused."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from anice import policy
from anice.cases import service, workflow
from anice.errors import Forbidden, NotFound
from anice.models import AuditEvent, Case, CaseIdentifier, CaseStatus, Role, TimelineEntry

from ..factories import Auth


def _count(db, query) -> int:
    return db.scalar(select(func.count()).select_from(query.subquery()))


def test_the_creator_discards_a_draft_and_it_is_gone(db, make):
    inv = make.officer(Role.INVESTIGATOR)
    draft = make.case(inv, kind="online")
    make.listing(inv, draft)
    assert _count(db, select(CaseIdentifier).where(CaseIdentifier.case_id == draft.id)) > 0
    workflow.discard_case(db, inv, draft.id, {"reason": "typed twice"})
    db.commit()
    db.expire_all()
    assert db.get(Case, draft.id).status == CaseStatus.DISCARDED  # kept, for the trail
    entry = db.scalar(select(TimelineEntry).where(TimelineEntry.case_id == draft.id,
                                                  TimelineEntry.kind == "discarded"))
    assert entry is not None and "typed twice" in entry.summary
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "case.discarded",
                                              AuditEvent.object_id == str(draft.id)))
    # Gone from lists, search, links and reports; and out of reach even for its creator.
    assert _count(db, service.cases_query(db, inv, service.CaseFilter())) == 0
    assert _count(db, service.cases_query(db, inv, service.CaseFilter(q="Rolex"))) == 0
    assert _count(db, select(CaseIdentifier).where(CaseIdentifier.case_id == draft.id)) == 0
    assert _count(db, select(Case).where(
        policy.report_cases("agency", None, inv.agency_id))) == 0
    with pytest.raises(NotFound):
        service.get_case(db, inv, draft.id)


def test_the_reference_is_never_reused(db, make):
    inv = make.officer(Role.INVESTIGATOR)
    first = make.case(inv)
    workflow.discard_case(db, inv, first.id)
    db.commit()
    second = make.case(inv)
    assert second.reference != first.reference and second.seq == first.seq + 1


def test_the_agency_supervisor_discards_any_draft(db, make):
    inv = make.officer(Role.INVESTIGATOR)
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    draft = make.case(inv)
    workflow.discard_case(db, sup, draft.id)
    db.commit()
    assert db.get(Case, draft.id).status == CaseStatus.DISCARDED


def test_others_may_not_discard(db, make):
    inv = make.officer(Role.INVESTIGATOR)
    draft = make.case(inv)
    colleague = make.officer(Role.INVESTIGATOR, agency=inv.agency)
    prosecutor = make.officer(Role.PROSECUTOR, agency=inv.agency)
    for actor in (colleague, prosecutor):
        with pytest.raises(Forbidden):
            workflow.discard_case(db, actor, draft.id)
        db.rollback()
    for outsider in (make.officer(Role.SUPERVISOR, agency=make.agency()),
                     make.officer(Role.SUPERVISOR, country="TH")):
        with pytest.raises(NotFound):
            workflow.discard_case(db, outsider, draft.id)
        db.rollback()
    opened = make.case(inv, opened=True)
    with pytest.raises(Forbidden, match="only a draft"):
        workflow.discard_case(db, inv, opened.id)
    db.rollback()
    db.expire_all()
    assert db.get(Case, draft.id).status == CaseStatus.DRAFT


def test_discard_on_the_case_page(client, auth, make, db):
    inv = make.officer(Role.INVESTIGATOR)
    draft = make.case(inv)
    auth.login(inv)
    page = client.get(f"/cases/{draft.id}").data.decode()
    assert "Yes, discard draft" in page
    response = client.post(f"/cases/{draft.id}/discard", data={"reason": "opened by mistake"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/cases/")
    assert draft.reference in client.get("/cases/").data.decode()  # the flash names it
    assert client.get(f"/cases/{draft.id}").status_code == 404


def test_no_discard_button_for_a_colleague(app, make, db):
    inv = make.officer(Role.INVESTIGATOR)
    draft = make.case(inv)
    other = app.test_client()
    Auth(other, db).login(make.officer(Role.INVESTIGATOR, agency=inv.agency))
    page = other.get(f"/cases/{draft.id}").data.decode()
    assert "discard" not in page.lower()
    assert other.post(f"/cases/{draft.id}/discard").status_code == 403


def test_discard_over_the_api(client, make, db):
    from anice.auth import tokens

    inv = make.officer(Role.INVESTIGATOR)
    draft = make.case(inv)
    colleague = make.officer(Role.INVESTIGATOR, agency=inv.agency)
    headers = {}
    for officer in (inv, colleague):
        _, raw = tokens.create_token(db, officer, "test", "read-write", 5)
        headers[officer.id] = {"Authorization": f"Bearer {raw}"}
    db.commit()
    refused = client.post(f"/api/v1/cases/{draft.id}/discard", headers=headers[colleague.id])
    assert refused.status_code == 403
    done = client.post(f"/api/v1/cases/{draft.id}/discard", headers=headers[inv.id],
                       json={"reason": "duplicate"})
    assert done.status_code == 204
    assert client.get(f"/api/v1/cases/{draft.id}", headers=headers[inv.id]).status_code == 404
    assert client.post(f"/api/v1/cases/{draft.id}/discard",
                       headers=headers[inv.id]).status_code == 404
