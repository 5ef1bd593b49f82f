"""Daily update files: new, changed, withdrawn, expired and transferred rights; the same
file twice changes nothing; provenance (file, SHA-256, who, when) and history per right."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from sqlalchemy import func, select

from anice.models import (
    AuditEvent,
    RegistryImport,
    Right,
    RightChange,
    RightStatus,
    Role,
)
from anice.rights import editing, history, importing, importing_zip, provenance

from .test_api import get
from .test_import_xml import st66, trademark

FIXTURES = Path(__file__).parent / "fixtures"
BASE = (FIXTURES / "daily_base_my.csv").read_bytes()
UPDATE = (FIXTURES / "daily_update_my.csv").read_bytes()


def run(db, actor, data: bytes, name: str, mode="abort"):
    result = importing_zip.import_file(db, actor, io.BytesIO(data), filename=name, mode=mode)
    db.commit()
    return result


def right(db, number: str) -> Right:
    return db.scalar(select(Right).where(Right.number == number))


def changes_of(db, number: str) -> list[RightChange]:
    return list(db.scalars(select(RightChange).join(Right, Right.id == RightChange.right_id)
                           .where(Right.number == number).order_by(RightChange.id)))


def count(db, model) -> int:
    return db.scalar(select(func.count()).select_from(model))


@pytest.fixture
def admin(make):
    return make.officer(Role.ADMIN)


@pytest.fixture
def updated(db, admin):
    base = run(db, admin, BASE, "MY-base.csv")
    update = run(db, admin, UPDATE, "MY-daily-2026-12-06.csv")
    return base, update


def test_a_daily_update_applies_new_changed_withdrawn_expired_and_transferred(
        db, admin, updated):
    base, update = updated
    assert (base.inserted, base.format) == (5, "csv")
    assert (update.rows, update.inserted, update.updated, update.withdrawn, update.unchanged,
            update.skipped) == (7, 1, 3, 1, 1, 1)
    assert update.ok and [str(w) for w in update.warnings] == [
        "line 8, operation: Delete of MY TM1999000001: no such right in the registry; "
        "nothing to withdraw"]
    puma = right(db, "TM2019001202")  # withdrawn, never deleted: cases keep their link
    assert (puma.status, puma.status_raw, puma.mark_text) == (RightStatus.CANCELLED, "Delete",
                                                              "PUMA")
    kinds = {number: [c.kind.value for c in changes_of(db, number)] for number in (
        "TM2024009901", "TM2019001201", "TM2019001202", "TM2016004410", "TM2018007730",
        "TM2017002250")}
    assert kinds == {"TM2024009901": ["created"], "TM2019001201": ["created", "updated"],
                     "TM2019001202": ["created", "withdrawn"],
                     "TM2016004410": ["created", "expired"],
                     "TM2018007730": ["created", "transferred"],
                     "TM2017002250": ["created"]}
    fila = changes_of(db, "TM2018007730")[-1]
    assert fila.changes == {"owner": ["Fila Holdings Corp.", "Fila Luxembourg S.a.r.l."]}
    assert (fila.officer_id, fila.import_id, fila.source.value) == (admin.id, update.run.id,
                                                                   "import")
    assert changes_of(db, "TM2016004410")[-1].changes == {"status": ["registered", "expired"]}
    assert changes_of(db, "TM2019001202")[-1].changes == {
        "status": ["registered", "cancelled"], "status_raw": [None, "Delete"]}
    nike = changes_of(db, "TM2019001201")[-1].changes
    goods = right(db, "TM2019001201").goods
    assert nike["classes"] == [";25;18;", ";25;18;9;"]
    # A long goods text is kept as its length and hash, not a second time in full.
    assert nike["goods"] == ["Footwear; clothing; bags", {
        "length": len(goods), "sha256": hashlib.sha256(goods.encode()).hexdigest()}]
    # Provenance: the file that created each right and the last one that changed it.
    umbro, kappa = right(db, "TM2017002250"), right(db, "TM2016004410")
    assert (umbro.created_import_id, umbro.last_import_id) == (base.run.id, base.run.id)
    assert (kappa.created_import_id, kappa.last_import_id) == (base.run.id, update.run.id)
    run_row = db.get(RegistryImport, update.run.id)
    assert (run_row.filename, run_row.format, run_row.mode, run_row.officer_id) == (
        "MY-daily-2026-12-06.csv", "csv", "abort", admin.id)
    assert run_row.sha256 == hashlib.sha256(UPDATE).hexdigest() == update.sha256
    assert (run_row.inserted, run_row.updated, run_row.unchanged, run_row.withdrawn,
            run_row.skipped, run_row.warnings) == (1, 3, 1, 1, 1, 1)
    assert run_row.finished_at is not None and update.previous is None


def test_the_same_update_twice_changes_nothing_and_names_the_earlier_import(
        db, admin, updated, make):
    _, first = updated
    stamps = dict(db.execute(select(Right.number, Right.updated_at)).all())
    changes = count(db, RightChange)
    other = make.officer(Role.ADMIN)
    again = run(db, other, UPDATE, "copy-of-the-daily-file.csv")
    assert (again.inserted, again.updated, again.withdrawn, again.unchanged,
            again.skipped) == (0, 0, 0, 6, 1)
    assert count(db, RightChange) == changes
    assert dict(db.execute(select(Right.number, Right.updated_at)).all()) == stamps
    assert right(db, "TM2016004410").last_import_id == first.run.id
    assert again.previous.id == first.run.id and again.previous.by == admin.name
    assert again.sha256 == first.sha256 and count(db, RegistryImport) == 3


def test_an_update_in_skip_mode_is_as_idempotent(db, admin):
    run(db, admin, BASE, "base.csv", mode="skip")
    run(db, admin, UPDATE, "daily.csv", mode="skip")
    changes = count(db, RightChange)
    again = run(db, admin, UPDATE, "daily.csv", mode="skip")
    assert (again.updated, again.withdrawn, count(db, RightChange)) == (0, 0, changes)


def test_a_delete_of_an_unknown_right_alone_is_a_warning(db, admin):
    data = (b"office,number,type,status,mark_text,classes,owner,representative,"
            b"contact_email,filing_date,registration_date,expiry_date,goods,operation\r\n"
            b"MY,TM404,,,,,,,,,,,,delete\r\n")
    result = run(db, admin, data, "deletes.csv")
    assert result.ok and result.skipped == 1 and count(db, Right) == 0
    assert "no such right in the registry" in str(result.warnings[0])


def test_a_bad_operation_is_named(db, admin):
    data = (b"office,number,type,status,mark_text,classes,owner,representative,"
            b"contact_email,filing_date,registration_date,expiry_date,goods,operation\r\n"
            b"MY,TM404,trademark,registered,X,25,,,,,,,,replace\r\n")
    with pytest.raises(importing.RightsImportRefused) as exc:
        importing_zip.import_file(db, admin, io.BytesIO(data), filename="x.csv")
    assert [str(e) for e in exc.value.result.errors] == [
        "line 2, operation: 'replace' is not one of: insert, update, delete"]
    db.rollback()
    assert count(db, RegistryImport) == 0  # a refused file leaves no trace but its report


def test_st66_operation_codes_withdraw_and_only_the_record_counts(db, admin):
    base = st66(trademark("TM001"), trademark("TM002", mark="PUMA"))
    run(db, admin, base, "base.xml")
    # EUIPO's ST.66 exports mark nested parties with their own operationCode (a removed
    # applicant): only the record's own attribute says what happens to the right.
    nested = trademark("TM001", mark="NIKE").replace(
        "<ApplicantDetails><Applicant>", '<ApplicantDetails><Applicant operationCode="Delete">')
    delete = trademark("TM002", mark="PUMA", status="Surrendered").replace(
        'operationCode="Insert"', 'operationCode="Delete"')
    unknown = trademark("TM003").replace('operationCode="Insert"', 'operationCode="Delete"')
    result = run(db, admin, st66(nested, delete, unknown), "daily.xml")
    assert (result.format, result.unchanged, result.withdrawn, result.skipped) == (
        "st66", 1, 1, 1)
    assert [str(w) for w in result.warnings] == [
        "line 49, operationCode: Delete of MY TM003: no such right in the registry; "
        "nothing to withdraw"]
    puma = right(db, "TM002")
    assert (puma.status, puma.status_raw) == (RightStatus.CANCELLED, "Surrendered")
    assert right(db, "TM001").status == RightStatus.REGISTERED


def test_st96_operation_category_delete_withdraws(db, admin):
    sample = (FIXTURES / "st96_trademarks_sg.xml").read_bytes()
    run(db, admin, sample, "sg.xml")
    first = db.scalar(select(Right).order_by(Right.id))
    record = (f'<tmk:TrademarkBag xmlns:tmk="http://www.wipo.int/standards/XMLSchema/ST96/'
              f'Trademark" xmlns:com="http://www.wipo.int/standards/XMLSchema/ST96/Common">'
              f'<tmk:Trademark com:operationCategory="Delete">'
              f"<com:RegistrationOfficeCode>{first.office}</com:RegistrationOfficeCode>"
              f"<com:ApplicationNumber><com:ApplicationNumberText>{first.number}"
              f"</com:ApplicationNumberText></com:ApplicationNumber>"
              f"</tmk:Trademark></tmk:TrademarkBag>").encode()
    result = run(db, admin, record, "sg-daily.xml")
    assert (result.format, result.withdrawn) == ("st96", 1)
    db.refresh(first)
    assert (first.status, first.status_raw) == (RightStatus.CANCELLED, "Delete")
    assert changes_of(db, first.number)[-1].kind.value == "withdrawn"


def test_the_cli_records_the_operator_and_reports_the_earlier_import(runner, db, make,
                                                                    tmp_path):
    path = tmp_path / "MY-base.csv"
    path.write_bytes(BASE)
    first = runner.invoke(args=["rights", "import", str(path)])
    assert first.exit_code == 0, first.output
    assert "already imported" not in first.output
    assert f"SHA-256 {hashlib.sha256(BASE).hexdigest()}" in first.output
    second = runner.invoke(args=["rights", "import", str(path)])
    assert "5 rows: 0 inserted, 0 updated, 5 unchanged, 0 withdrawn" in second.output
    assert "this file was already imported on " in second.output
    run_row = db.scalar(select(RegistryImport).order_by(RegistryImport.id))
    assert run_row.officer_id is None and run_row.operator.startswith("cli")
    assert run_row.filename == "MY-base.csv" and "(at the server)" in second.output


def test_an_edit_writes_history_with_its_audit_row_in_one_transaction(db, admin, updated):
    nike = right(db, "TM2019001201")
    changes, audits = count(db, RightChange), count(db, AuditEvent)
    editing.update_right(db, admin, nike.id, {"updated_at": nike.updated_at.isoformat(),
                                              "owner": "Nike Inc", "status": "expired"})
    assert (count(db, RightChange), count(db, AuditEvent)) == (changes + 1, audits + 1)
    db.rollback()  # both go with the change, or neither
    assert (count(db, RightChange), count(db, AuditEvent)) == (changes, audits)
    nike = right(db, "TM2019001201")
    editing.update_right(db, admin, nike.id, {"updated_at": nike.updated_at.isoformat(),
                                              "owner": "Nike Inc"})
    db.commit()
    last = changes_of(db, "TM2019001201")[-1]
    assert (last.kind.value, last.source.value, last.officer_id, last.import_id) == (
        "transferred", "edit", admin.id, None)
    assert last.changes == {"owner": ["Nike Innovate C.V.", "Nike Inc"]}
    assert history.change_kind({"status": ["expired", "registered"]}).value == "restored"


def test_the_import_audit_row_names_the_file_in_the_same_transaction(db, admin):
    with pytest.raises(importing.RightsImportRefused):
        importing_zip.import_file(db, admin, io.BytesIO(BASE + b"MY,X,bad\n"), filename="b")
    assert count(db, AuditEvent) == 0 and count(db, RightChange) == 0
    result = run(db, admin, BASE, "base.csv")
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "right.import"))
    assert event.details["sha256"] == result.sha256 and event.details["file"] == "base.csv"


def test_page_and_api_show_provenance_and_history(client, auth, db, make, admin, updated):
    _, update = updated
    kappa = right(db, "TM2016004410")
    investigator = make.officer(Role.INVESTIGATOR, country="TH")
    auth.login(investigator)
    page = client.get(f"/rights/{kappa.id}").get_data(as_text=True)
    assert "MY-daily-2026-12-06.csv" in page and update.sha256[:12] in page
    assert "Expired" in page and f"{admin.name}, import of MY-daily-2026-12-06.csv" in page
    data = get(client, db, investigator, f"/rights/{kappa.id}").get_json()
    assert data["provenance"]["created"]["filename"] == "MY-base.csv"
    assert data["provenance"]["last"]["sha256"] == update.sha256
    items = get(client, db, investigator, f"/rights/{kappa.id}/history").get_json()
    assert items["total"] == 2 and [i["kind"] for i in items["items"]] == ["expired",
                                                                          "created"]
    assert items["items"][0]["changes"] == {"status": ["registered", "expired"]}
    assert items["items"][0]["by"] == admin.name
    paged = get(client, db, investigator, f"/rights/{kappa.id}/history?per_page=1&page=2")
    assert [i["kind"] for i in paged.get_json()["items"]] == ["created"]
    assert get(client, db, investigator, "/rights/999999/history").status_code == 404
    gone = make.officer(Role.INVESTIGATOR, active=False)
    assert get(client, db, gone, f"/rights/{kappa.id}/history").status_code in (401, 404)


def test_the_history_is_capped_with_show_all(client, auth, db, admin, updated):
    nike = right(db, "TM2019001201")
    for owner in [f"Owner {i}" for i in range(11)]:
        nike = right(db, "TM2019001201")
        editing.update_right(db, admin, nike.id, {"updated_at": nike.updated_at.isoformat(),
                                                  "owner": owner})
        db.commit()
    auth.login(admin)
    page = client.get(f"/rights/{nike.id}").get_data(as_text=True)
    assert "the latest 10 of 13 changes" in page and "Show all 13 changes" in page
    assert "all 13 changes" in client.get(f"/rights/{nike.id}?history=all").get_data(
        as_text=True)


def test_the_web_import_of_the_same_file_twice_reports_the_earlier_import(
        client, auth, db, make):
    coordinator = make.officer(Role.COORDINATOR, country="MY")
    auth.login(coordinator)
    pages = []
    for name in ("MY-base.csv", "MY-daily.csv", "MY-daily.csv"):
        posted = client.post("/rights/import", data={
            "mode": "abort", "file": (io.BytesIO(BASE if name == "MY-base.csv" else UPDATE),
                                      name)}, content_type="multipart/form-data")
        pages.append(client.get(posted.headers["Location"]).get_data(as_text=True))
    assert "1 inserted" in pages[1] and "1 withdrawn" in pages[1]
    assert "already imported" not in pages[1]
    assert "0 inserted" in pages[2] and "0 updated" in pages[2] and "6 unchanged" in pages[2]
    assert "This file was already imported on" in pages[2] and coordinator.name in pages[2]
    assert "nothing changed" in pages[2]
    runs = list(db.scalars(select(RegistryImport).order_by(RegistryImport.id)))
    assert [r.import_job_id is not None for r in runs] == [True, True, True]
    assert runs[0].sha256 == hashlib.sha256(BASE).hexdigest()  # the file as uploaded
    listing = client.get("/rights/import").get_data(as_text=True)
    assert "Recently imported files" in listing and runs[-1].sha256[:12] in listing


def test_the_hash_covers_the_whole_file_once_whatever_the_rewinds():
    data = bytes(range(256)) * 5000
    reader = provenance.HashingReader(io.BytesIO(data))
    assert reader.read(1000) == data[:1000]
    reader.seek(0)  # the encoding check rewinds; the CSV pass reads it all again
    assert reader.read() == data
    assert reader.hexdigest() == hashlib.sha256(data).hexdigest()
    stopped = provenance.HashingReader(io.BytesIO(data))
    stopped.read(70_000)  # a file that stops at a fatal error is hashed to its end
    stopped.seek(10)
    assert stopped.hexdigest() == hashlib.sha256(data).hexdigest()
