"""Evidence "acquired at" typed in the officer's zone (issue 16, finding 4): stored in UTC,
shown back in the zone on the evidence page; the API reads a time without offset as UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from anice.auth import tokens
from anice.models import Evidence

from ..cases.helpers import new_case
from .test_service import pdf_bytes, upload


def test_acquired_at_typed_in_yangon_is_stored_in_utc_and_shown_back(client, db, make, auth):
    inv = make.officer(country="MM")
    assert inv.timezone == "Asia/Yangon"  # UTC+06:30
    case = new_case(db, inv)
    auth.login(inv)
    page = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "Times in Asia/Yangon (UTC+06:30)" in page
    response = upload(client, case.id, pdf_bytes(4000), acquired_at="2026-10-02T14:30")
    assert response.status_code == 302
    evidence = db.scalar(select(Evidence))
    assert evidence.acquired_at == datetime(2026, 10, 2, 8, 0, tzinfo=UTC)
    shown = client.get(f"/evidence/{evidence.public_id}").get_data(as_text=True)
    assert "2026-10-02 14:30 +0630" in shown


def test_api_reads_acquired_at_without_offset_as_utc(client, db, make):
    inv = make.officer(country="MM")
    case = new_case(db, inv)
    _, raw = tokens.create_token(db, inv, "scanner", "read-write", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    for given, stored in (("2026-10-02T14:30", datetime(2026, 10, 2, 14, 30, tzinfo=UTC)),
                          ("2026-10-02T14:30%2B06:30", datetime(2026, 10, 2, 8, 0, tzinfo=UTC))):
        answer = client.post(f"/api/v1/cases/{case.id}/evidence?filename=a.pdf"
                             f"&acquired_at={given}", data=pdf_bytes(3000 + 40 * len(given)),
                             headers=headers)
        assert answer.status_code == 201, answer.get_json()
        evidence = db.scalar(select(Evidence).where(Evidence.public_id == answer.get_json()["id"]))
        assert evidence.acquired_at == stored
