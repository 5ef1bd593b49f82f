"""Regression tests for the review of 2026-11-25 (each fails if its fix is undone)."""

from __future__ import annotations

import pytest

from anice.cases import service, workflow
from anice.errors import Forbidden
from anice.models import Role, Sensitivity

from .cases.helpers import new_case, opened_case


def test_a_move_cannot_smuggle_prosecution_fields(db, make):
    inv = make.officer()
    case = opened_case(db, inv)
    with pytest.raises(Forbidden):
        workflow.move_case(db, inv, case.id, "closed", {"version": case.version,
                                                        "outcome": "convicted"})
    db.rollback()
    workflow.move_case(db, inv, case.id, "under_investigation", {
        "version": case.version, "charges": "smuggled", "court_name": "x"})
    db.commit()
    db.refresh(case)
    assert case.charges is None and case.court_name is None


def test_only_the_supervisor_lifts_a_restriction(db, make):
    inv = make.officer()
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    case = new_case(db, inv, sensitivity="restricted")
    with pytest.raises(Forbidden):
        service.update_case(db, inv, case.id, {"version": case.version,
                                               "sensitivity": "normal"})
    db.rollback()
    service.update_case(db, sup, case.id, {"version": case.version, "sensitivity": "normal"})
    db.commit()
    assert case.sensitivity == Sensitivity.NORMAL
    outsider = make.officer(agency=inv.agency)  # not on the team
    with pytest.raises(Forbidden):
        service.update_case(db, outsider, case.id, {"version": case.version,
                                                    "sensitivity": "restricted"})


def test_odd_numbers_in_urls_and_queries(client, auth, make):
    auth.login(make.officer())
    assert client.get("/cases/99999999999999999999").status_code == 404
    # Not a whole number in range: the list with the problem named, 422 (issue 14, finding 7).
    assert client.get("/cases/?per_page=-1").status_code == 422
    assert client.get("/cases/?page=99999999999999999999").status_code == 422
    assert client.get("/cases/?officer=%C2%B2").status_code == 422


def test_key_rotation_in_another_process_is_seen(app, tmp_path):
    from anice.crypto.keys import FileKeyring

    FileKeyring.create(tmp_path / "k.json")  # what `keys init` does
    web = FileKeyring(tmp_path / "k.json")
    cli = FileKeyring(tmp_path / "k.json")
    new = cli.rotate()
    assert web.primary_id() == new  # the running app wraps with the new primary at once


def test_coordinator_cannot_undo_a_deactivation(db, make):
    from anice.admin import service as admin_service

    coord = make.officer(Role.COORDINATOR, country="MY")
    admin = make.officer(Role.ADMIN)
    inv = make.officer(country="MY")
    admin_service.deactivate(db, admin, inv.id, "emergency stop")
    db.commit()
    with pytest.raises(Forbidden):
        admin_service.reinvite(db, coord, inv.id)
    db.rollback()
    admin_service.reinvite(db, admin, inv.id)


def test_custody_csv_neutralises_formulas(client, db, make, auth):
    import io

    from sqlalchemy import select

    from anice.models import Evidence

    from .evidence.test_service import pdf_bytes

    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    client.post(f"/cases/{case.id}/evidence", data={"file": (io.BytesIO(pdf_bytes(5000)),
                                                             "a.pdf")},
                content_type="multipart/form-data")
    ev = db.scalar(select(Evidence))
    client.post(f"/evidence/{ev.public_id}/export", data={"reason": '=HYPERLINK("http://x")'})
    text = client.get(f"/evidence/{ev.public_id}/custody.csv").data.decode()
    assert "'=HYPERLINK" in text
    too_long = client.post(f"/evidence/{ev.public_id}/export", data={"reason": "r" * 3000})
    assert too_long.status_code == 422


def test_rights_skip_mode_batches_are_audited(db, make):
    import io

    from sqlalchemy import func, select

    from anice.models import AuditEvent
    from anice.rights import importing

    make.officer()  # the member states
    header = ("office,number,type,status,mark_text,classes,owner,representative,contact_email,"
              "filing_date,registration_date,expiry_date,goods\n")
    rows = "".join(f"MY,N{i},trademark,registered,MARK{i},25,O,,,,,,\n" for i in range(3))
    importing.import_csv(db, None, io.BytesIO((header + rows).encode()), mode="skip")
    db.commit()
    batches = db.scalar(select(func.count()).select_from(AuditEvent)
                        .where(AuditEvent.action == "right.import.batch"))
    assert batches >= 1
