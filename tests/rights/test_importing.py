"""CSV import of rights: upsert by (office, number), bad input, abort vs skip, audit."""

from __future__ import annotations

import codecs
import io

import pytest
from sqlalchemy import func, select

from anice.errors import Forbidden
from anice.models import AuditEvent, Right, RightKind, RightStatus, Role
from anice.rights import importing

from .helpers import ADIDAS, NIKE, csv_bytes


def run(db, data, actor=None, mode="abort"):
    result = importing.import_csv(db, actor, data, mode=mode)
    db.commit()
    return result


def refused(db, data, actor=None):
    with pytest.raises(importing.RightsImportRefused) as exc:
        importing.import_csv(db, actor, data)
    return [str(e) for e in exc.value.result.errors]


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Right))


def test_import_inserts_then_updates_never_duplicates(db, make):
    result = run(db, csv_bytes(NIKE, ADIDAS))
    assert (result.rows, result.inserted, result.updated) == (2, 2, 0)
    nike = db.scalar(select(Right).where(Right.number == "TM001"))
    assert nike.type == RightKind.TRADEMARK and nike.status == RightStatus.REGISTERED
    assert nike.classes == ";25;18;" and nike.class_list == [25, 18]
    assert nike.contact_email == "legal@nike.example" and str(nike.expiry_date) == "2032-03-04"
    again = run(db, csv_bytes(NIKE.replace("registered", "expired"), ADIDAS))
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 1)
    db.expire_all()
    assert count(db) == 2
    assert db.scalar(select(Right.status).where(Right.number == "TM001")) == "expired"
    assert db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == "right.import")) == 2


def test_bom_and_lowercase_office_are_accepted(db, make):
    result = run(db, csv_bytes(NIKE.replace("MY,", "my,", 1), bom=True))
    assert result.inserted == 1 and count(db) == 1


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be"])
def test_utf16_with_a_byte_order_mark_is_read(db, make, encoding):
    thai = NIKE.replace("NIKE", "ไนกี้")
    data = csv_bytes(thai, ADIDAS, encoding=encoding).getvalue()
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    result = run(db, io.BytesIO(data))
    assert result.inserted == 2, result.errors
    assert db.scalar(select(Right.mark_text).where(Right.number == "TM001")) == "ไนกี้"


def test_utf16_errors_name_their_line(db, make):
    from .helpers import HEADER

    rows = [NIKE.replace("TM001", f"TM{i}") for i in range(5)]
    before = ("\r\n".join([HEADER, *rows[:3]]) + "\r\n").encode("utf-16-le")
    after = ("\r\n".join(rows[3:]) + "\r\n").encode("utf-16-le")
    # An unpaired surrogate at the start of line 5 (the header is line 1).
    broken = codecs.BOM_UTF16_LE + before + b"\x00\xd8" + after
    assert refused(db, io.BytesIO(broken))[0].startswith("line 5, file: is not valid UTF-16")


@pytest.mark.parametrize("data, message", [
    (csv_bytes("MY,TM9,trademark,registered,CAFÉ,30,Café Co,,,,,,", encoding="latin-1"),
     "line 2, file: is not UTF-8 text: byte 0xC9"),
    (csv_bytes(NIKE, encoding="utf-16-le"), "line 1, file: holds NUL bytes: UTF-16 text"),
    (io.BytesIO(codecs.BOM_UTF16_LE + csv_bytes(NIKE, ADIDAS, encoding="utf-16-le")
                .getvalue()[:-1]), "file: ends in the middle of a UTF-16 character"),
    (csv_bytes(), "file: has a header but no rows"),
    (csv_bytes("", ""), "file: has a header but no rows"),
    (csv_bytes(NIKE, header="office,number,type"), "line 1, header: missing columns"),
    (csv_bytes(NIKE, header="office;number;type"), "line 1, header: is not separated"),
    (csv_bytes(header=""), "file: is empty"),
    (csv_bytes('MY,TM1,trademark,registered,"NIKE,25,,,,,,,'), "cannot be read as CSV"),
])
def test_unreadable_files_are_refused(db, make, data, message):
    data = io.BytesIO(b"" if message == "file: is empty" else data.getvalue())
    errors = refused(db, data)
    assert any(message in e for e in errors), errors
    assert count(db) == 0


@pytest.mark.parametrize("row, message", [
    (NIKE.replace("2001-01-02", "02/01/2001"), "line 3, filing_date: '02/01/2001' is not a date"),
    (NIKE.replace("25;18", "25;46"), "line 3, classes: 46 is not a Nice class (1-45)"),
    (NIKE.replace("25;18", "25;x"), "line 3, classes: 'x' is not a class number"),
    (NIKE.replace("trademark", "brand"), "line 3, type: 'brand' is not one of"),
    (NIKE.replace("registered", "live"), "line 3, status: 'live' is not one of"),
    (NIKE.replace("MY,", "US,", 1), "line 3, office: 'US' is neither a member state"),
    (NIKE.replace("TM001", ""), "line 3, number: is required"),
    (NIKE.replace("legal@nike.example", "nobody"), "line 3, contact_email: 'nobody' is not"),
    (NIKE.replace("2002-03-04", "2000-03-04"), "line 3, registration_date: cannot be before"),
    (NIKE + ",extra", "line 3, row: has 14 cells"),
    (NIKE.replace("NIKE", "NI\x01KE"), "line 3, mark_text: contains control characters"),
    (NIKE.replace("NIKE", "N" * 501), "line 3, mark_text: must be at most 500 characters"),
])
def test_bad_rows_name_line_and_field(db, make, row, message):
    errors = refused(db, csv_bytes(ADIDAS, row))
    assert [e for e in errors if e.startswith(message)], errors
    assert count(db) == 0  # abort: the good row is not written either


def test_duplicate_number_names_both_lines(db, make):
    errors = refused(db, csv_bytes(NIKE, ADIDAS, NIKE.replace("NIKE", "NIKE AIR")))
    assert errors == ["line 4, number: 'TM001' of office MY is already on line 2 of this file"]


def test_skip_mode_writes_the_good_rows_and_reports_the_bad(db, make):
    result = run(db, csv_bytes(NIKE, ADIDAS.replace("trademark", "brand"), NIKE), mode="skip")
    assert (result.inserted, result.skipped) == (1, 2)
    assert [e.where for e in result.errors] == ["line 3, type", "line 4, number"]
    assert count(db) == 1


def test_multiline_quoted_goods_keep_line_numbers(db, make):
    row = NIKE.replace("shoes and bags", '"shoes\nand bags"')
    errors = refused(db, csv_bytes(row, ADIDAS.replace("trademark", "brand")))
    assert errors[0].startswith("line 4, type"), errors


def test_coordinator_imports_own_office_only(db, make):
    coordinator = make.officer(Role.COORDINATOR, country="MY")
    errors = refused(db, csv_bytes(NIKE, ADIDAS), coordinator)
    assert errors == ["line 3, office: you may not import rights of office TH"]
    assert run(db, csv_bytes(NIKE), coordinator).inserted == 1


def test_investigators_may_not_import(db, make):
    with pytest.raises(Forbidden):
        importing.import_csv(db, make.officer(Role.INVESTIGATOR), csv_bytes(NIKE))


def test_progress_is_reported(db, make, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)
    seen = []
    rows = [NIKE.replace("TM001", f"TM{i}") for i in range(5)]
    importing.import_csv(db, None, csv_bytes(*rows), progress=seen.append)
    assert seen and seen[-1] == 5 and count(db) == 5
