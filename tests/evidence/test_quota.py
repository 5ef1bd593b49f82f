"""Upload quotas: bytes one officer and one agency may upload in 24 hours (issue 14, 10)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from anice.auth import tokens
from anice.errors import Invalid
from anice.evidence import quota, service
from anice.models import Evidence

from ..cases.helpers import new_case
from .test_service import pdf_bytes, upload

OFFICER_QUOTA, AGENCY_QUOTA = 500_000, 800_000


@pytest.fixture
def app_config(app_config):
    return {**app_config, "EVIDENCE_QUOTA_OFFICER_BYTES": OFFICER_QUOTA,
            "EVIDENCE_QUOTA_AGENCY_BYTES": AGENCY_QUOTA}


def stored_objects(app) -> list[Path]:
    return [p for p in Path(app.config["EVIDENCE_DIR"]).rglob("*") if p.is_file()]


def receive(db, officer, case, data: bytes) -> Evidence:
    intake = service.start_intake(db, officer)
    try:
        intake.write(data)
    except BaseException:
        intake.discard()
        raise
    evidence = service.register(db, officer, case, intake, "scan.pdf",
                                {"duplicate_reason": "the quota counts kept copies too"})
    db.commit()
    return evidence


def test_officer_quota_stops_the_stream_and_keeps_nothing(app, db, make):
    inv = make.officer()
    case = new_case(db, inv)
    receive(db, inv, case, pdf_bytes(300_000))
    with pytest.raises(Invalid) as refused:
        receive(db, inv, case, pdf_bytes(300_000))
    assert refused.value.field == "file" and "your upload quota" in refused.value.message
    assert "per 24 hours" in refused.value.message
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Evidence)) == 1
    assert len(stored_objects(app)) == 1  # the refused upload's ciphertext is gone
    # A colleague of the same agency still has their own quota, up to the agency's.
    colleague = make.officer(agency=inv.agency)
    receive(db, colleague, case, pdf_bytes(300_000))
    with pytest.raises(Invalid) as agency_full:
        receive(db, colleague, case, pdf_bytes(300_000))
    assert "your agency's upload quota" in agency_full.value.message
    db.rollback()
    # Another agency is not concerned.
    other = make.officer(agency=make.agency("MY", code="MYCUS"))
    receive(db, other, new_case(db, other), pdf_bytes(300_000))


def test_uploads_older_than_a_day_no_longer_count(app, db, make):
    inv = make.officer()
    case = new_case(db, inv)
    first = receive(db, inv, case, pdf_bytes(400_000))
    assert quota.allowance(db, inv).remaining < 200_000
    first.uploaded_at = first.uploaded_at - quota.WINDOW - timedelta(minutes=1)
    db.commit()
    assert quota.allowance(db, inv).remaining == OFFICER_QUOTA
    receive(db, inv, case, pdf_bytes(400_000))


def test_quota_checked_again_when_the_upload_ends(app, db, make):
    """Two uploads started together: the one finishing last is refused."""
    inv = make.officer()
    case = new_case(db, inv)
    slow = service.start_intake(db, inv)
    slow.write(pdf_bytes(300_000))
    receive(db, inv, case, pdf_bytes(300_000))
    with pytest.raises(Invalid):
        service.register(db, inv, case, slow, "slow.pdf", {})
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Evidence)) == 1
    assert len(stored_objects(app)) == 1


def test_quota_refusal_on_the_web_and_the_api(app, client, db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    assert upload(client, case.id, pdf_bytes(300_000)).status_code == 302
    refused = upload(client, case.id, pdf_bytes(300_000))
    assert refused.status_code == 302  # back to the case page, with the reason
    page = client.get(refused.headers["Location"]).text
    assert "Upload refused: file: your upload quota" in page
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    api = client.post(f"/api/v1/cases/{case.id}/evidence?filename=b.pdf",
                      data=pdf_bytes(300_000), content_type="application/pdf",
                      headers={"Authorization": f"Bearer {raw}"})
    assert api.status_code == 422 and api.mimetype == "application/problem+json"
    assert api.get_json()["field"] == "file" and "quota" in api.get_json()["detail"]
    assert db.scalar(select(func.count()).select_from(Evidence)) == 1
    assert len(stored_objects(app)) == 1


def test_zero_turns_a_quota_off(app, db, make):
    app.config.update(EVIDENCE_QUOTA_OFFICER_BYTES=0, EVIDENCE_QUOTA_AGENCY_BYTES=0)
    inv = make.officer()
    case = new_case(db, inv)
    for _ in range(3):
        receive(db, inv, case, pdf_bytes(300_000))
    assert quota.allowance(db, inv).remaining is None
