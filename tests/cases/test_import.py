"""Bulk import of cases from CSV: preview, row errors, all or nothing; web and CLI."""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from anice.cases import importing
from anice.errors import Forbidden
from anice.models import (
    AuditEvent,
    Case,
    CaseCounter,
    ImportJob,
    ImportStatus,
    Listing,
    Role,
    SeizureItem,
    TimelineEntry,
)

RAID = {"case_key": "raid-1", "kind": "counterfeit", "title": "Raid on Petaling Street",
        "right_types": "trademark;design", "detection": "raid", "province": "Selangor",
        "detected_on": "2026-09-02", "tags": "shoes;bags", "brand": "Nike",
        "description": "Running shoes", "category": "footwear", "quantity": "120",
        "unit": "pairs", "value_local": "6000", "currency": "MYR", "usd_rate": "0.22"}
SHOP = {"case_key": "shop-1", "kind": "online", "title": "Seller of fake watches",
        "url": "https://shopee.com.my/product/1", "platform": "shopee",
        "seller_name": "Watch King", "listing_title": "Rolex premium copy", "price": "350",
        "listing_currency": "MYR", "seen_at": "2026-09-01T10:00"}


def to_csv(*rows: dict, columns: list[str] | None = None) -> str:
    names = columns or [c for c in importing.COLUMNS if any(c in r for r in rows)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=names, extrasaction="raise")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


GOOD = to_csv(RAID, {"case_key": "raid-1", "brand": "Adidas", "description": "Bags",
                     "category": "bags_accessories", "quantity": "30", "unit": "pieces"},
              SHOP, {"case_key": "shop-1", "url": "https://lazada.com.my/p/2",
                     "platform": "lazada", "brand": "Rolex", "description": "Watches",
                     "category": "watches_jewellery", "quantity": "5", "unit": "pieces"})


def counts(db) -> dict[str, int]:
    return {m.__name__: db.scalar(select(func.count()).select_from(m))
            for m in (Case, SeizureItem, Listing, TimelineEntry, AuditEvent, CaseCounter)}


def where(preview) -> list[tuple]:
    return [(e.line, e.column) for e in preview.errors]


@pytest.mark.parametrize("row, line, column, message", [
    ({**RAID, "category": "weapons"}, 2, "category", "is not one of"),
    ({**RAID, "quantity": "-5"}, 2, "quantity", "greater than zero"),
    ({**SHOP, "url": "ftp://files.example/x"}, 2, "url", "http(s)"),
    ({**SHOP, "url": "javascript:alert(1)"}, 2, "url", "http(s)"),
    ({**RAID, "detected_on": "2999-01-01"}, 2, "detected_on", "cannot be in the future"),
    ({**RAID, "title": ""}, 2, "title", "is required"),
    ({**RAID, "kind": "physical"}, 2, "kind", "is not one of"),
    ({**RAID, "province": "Atlantis"}, 2, "province", "not a province of MY"),
    ({**SHOP, "listing_title": "x" * 501}, 2, "listing_title", "at most 500"),
    ({**SHOP, "listing_currency": "XYZ"}, 2, "listing_currency", "ISO 4217"),
    ({**RAID, "case_key": ""}, 2, "case_key", "is required"),
])
def test_preview_names_line_and_column(db, make, row, line, column, message):
    inv = make.officer()
    preview = importing.preview_import(db, inv, to_csv(SHOP | {"case_key": "ok"}, row))
    line += 1  # after the good first row
    assert where(preview) == [(line, column)], preview.errors
    assert message in preview.errors[0].message
    assert not preview.ok


@pytest.mark.parametrize("text, line, column, message", [
    (to_csv(RAID).replace("brand", "colour"), 1, "colour", "not an import column"),
    (to_csv(RAID).replace("case_key", "key"), 1, "key", "not an import column"),
    ("kind,title\r\ncounterfeit,Raid\r\n", 1, "case_key", "column is missing"),
    ("case_key,title,title\r\na,b,c\r\n", 1, "title", "appears twice"),
    ("case_key;kind;title\r\na;online;b\r\n", 1, "file", "not separated by commas"),
    ("", None, "file", "is empty"),
    ("case_key,kind,title\r\n", None, "file", "no rows"),
    ("case_key,kind,title\r\na,online,Shop,extra\r\n", 2, "", "4 cells but the header has 3"),
    ("case_key,kind,title,\r\na,online,Shop,oops\r\n", 2, "column 4", "no name in the header"),
])
def test_preview_reports_header_and_file_problems(db, make, text, line, column, message):
    preview = importing.preview_import(db, make.officer(), text)
    expected = [(line, column)] + ([(1, "case_key")] if column == "key" else [])
    assert where(preview) == expected, preview.errors
    assert message in preview.errors[0].message
    if line in (None, 1):
        assert preview.cases == []


def test_too_many_rows_and_too_large(db, make, monkeypatch):
    inv = make.officer()
    rows = [{"case_key": f"k{i}", "kind": "online", "title": "t"}
            for i in range(importing.MAX_ROWS + 1)]
    preview = importing.preview_import(db, inv, to_csv(*rows))
    assert where(preview) == [(None, "file")]
    assert "more than 5,000 rows" in preview.errors[0].message
    assert preview.cases == []
    big = b"case_key,title\r\n" + b"a," + b"x" * importing.MAX_BYTES + b"\r\n"
    preview = importing.preview_import(db, inv, big)
    assert where(preview) == [(None, "file")] and "larger than 5 MB" in preview.errors[0].message


def test_not_utf8_and_workbooks_are_refused_clearly(db, make):
    inv = make.officer()
    latin1 = to_csv(RAID, {**RAID, "case_key": "r2", "title": "Café raid"}).encode("latin-1")
    preview = importing.preview_import(db, inv, latin1)
    assert where(preview) == [(3, "file")] and "not UTF-8" in preview.errors[0].message
    assert "byte 0xE9" in preview.errors[0].message
    no_bom = importing.preview_import(db, inv, to_csv(RAID).encode("utf-16-le"))
    assert where(no_bom) == [(1, "file")] and "UTF-16" in no_bom.errors[0].message
    broken = codecs.BOM_UTF16_LE + to_csv(RAID, SHOP).encode("utf-16-le")[:-1]
    assert "not valid UTF-16" in importing.preview_import(db, inv, broken).errors[0].message
    preview = importing.preview_import(db, inv, b"PK\x03\x04rest-of-an-xlsx")
    assert "workbook" in preview.errors[0].message


def test_utf16_with_bom_imports(db, make):
    inv = make.officer()
    for encoding in ("utf-16", "utf-16-be"):
        raw = to_csv(RAID, {**RAID, "case_key": "r2", "title": "ร้านค้า"}).encode(encoding)
        if encoding == "utf-16-be":
            raw = codecs.BOM_UTF16_BE + raw
        preview = importing.preview_import(db, inv, raw)
        assert preview.ok, preview.errors
        assert [c.title for c in preview.cases] == [RAID["title"], "ร้านค้า"]


def test_bom_prefixed_file_imports(db, make):
    inv = make.officer()
    raw = b"\xef\xbb\xbf" + to_csv(RAID).encode()
    assert importing.preview_import(db, inv, raw).ok
    [case] = importing.commit_import(db, inv, raw)
    db.commit()
    assert case.title == RAID["title"] and case.seizures[0].brand == "Nike"
    assert importing.preview_import(db, inv, "\ufeff" + to_csv(SHOP)).ok


def test_every_error_of_the_file_is_reported_together(db, make):
    inv = make.officer()
    text = to_csv(
        {**RAID, "title": "", "quantity": "0"},                           # line 2
        {"case_key": "raid-1", "brand": "Puma", "description": "Caps", "quantity": "3",
         "category": "apparel", "unit": "barrels", "title": "Another title"},  # line 3
        {"case_key": "raid-1", "description": "Belts", "quantity": "9"},  # line 4: no brand
        {**SHOP, "url": "shopee", "price": "-1"},                        # line 5
    )
    preview = importing.preview_import(db, inv, text)
    assert sorted(where(preview), key=str) == sorted([
        (2, "title"), (2, "quantity"), (3, "title"), (3, "unit"), (4, "brand"),
        (5, "url"), (5, "price")], key=str)
    message = {(e.line, e.column): e.message for e in preview.errors}
    assert "differs from line 2" in message[3, "title"]
    assert "description, quantity are filled" in message[4, "brand"]
    assert [(c.key, c.line, c.seizures, c.listings) for c in preview.cases] == [
        ("raid-1", 2, 2, 0), ("shop-1", 5, 0, 1)]


def test_errors_are_capped(db, make):
    rows = [{**RAID, "case_key": f"k{i}", "quantity": "-1", "category": "x"}
            for i in range(300)]
    preview = importing.preview_import(db, make.officer(), to_csv(*rows))
    assert len(preview.errors) == importing.MAX_ERRORS and preview.truncated
    assert len(preview.cases) == importing.MAX_ERRORS // 2


def test_good_file_creates_cases_grouped_by_key(db, make):
    inv = make.officer()
    preview = importing.preview_import(db, inv, GOOD)
    assert preview.ok and preview.rows == 4 and (preview.seizures, preview.listings) == (3, 2)
    cases = importing.commit_import(db, inv, GOOD)
    db.commit()
    raid, shop = cases
    year = raid.year
    assert [c.reference for c in cases] == [f"MY-{inv.agency.code}-{year}-00000{n}"
                                            for n in (1, 2)]
    assert (raid.kind.value, raid.title, raid.province, raid.tags) == (
        "counterfeit", RAID["title"], "Selangor", ["shoes", "bags"])
    assert [t.value for t in raid.right_types] == ["trademark", "design"]
    assert [s.brand for s in raid.seizures] == ["Nike", "Adidas"] and raid.listings == []
    assert str(raid.seizures[0].value_usd) == "1320.00"
    assert [x.platform.value for x in shop.listings] == ["shopee", "lazada"]
    assert shop.listings[0].title == "Rolex premium copy" and shop.listings[0].currency == "MYR"
    assert [s.brand for s in shop.seizures] == ["Rolex"]
    assert all(c.assigned_ids == {inv.id} and c.status.value == "draft" for c in cases)
    kinds = [e.kind for e in db.scalars(select(TimelineEntry).where(
        TimelineEntry.case_id == raid.id).order_by(TimelineEntry.id))]
    assert kinds == ["created", "seizure_added", "seizure_added"]
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "case.import")).one()
    assert event.details == {"rows": 4, "cases": 2, "seizures": 3, "listings": 2}
    assert event.actor_id == inv.id


def test_one_bad_row_imports_nothing(db, make, caplog):
    inv = make.officer()
    before = counts(db)
    bad = to_csv(RAID, SHOP, {**SHOP, "case_key": "shop-2", "title": "Secret title 42",
                              "seen_at": "yesterday"})
    caplog.set_level(logging.INFO, logger="anice.cases.importing")
    with pytest.raises(importing.ImportRefused) as err:
        importing.commit_import(db, inv, bad)
    assert err.value.field == "file" and err.value.message == "1 error; nothing was imported"
    assert err.value.errors == [("line 4, seen_at", "must be a date and time as YYYY-MM-DDTHH:MM")]
    assert counts(db) == before
    db.rollback()
    assert counts(db) == before
    refused = [r for r in caplog.records if r.getMessage() == "case import refused"]
    assert refused and refused[0].errors == 1 and refused[0].rows == 3
    assert "Secret title" not in caplog.text and "yesterday" not in caplog.text
    # Numbers were not used up either.
    [case] = importing.commit_import(db, inv, to_csv(SHOP))
    assert case.reference.endswith("-000001")


def test_preview_changes_nothing(db, make):
    inv = make.officer()
    before = counts(db)
    for _ in range(2):
        assert importing.preview_import(db, inv, GOOD).ok
        assert counts(db) == before
    db.commit()
    assert counts(db) == before
    cases = importing.commit_import(db, inv, GOOD)
    db.commit()
    assert cases[0].reference.endswith("-000001") and counts(db)["Case"] == 2


def test_only_case_creators_import(db, make):
    for role in (Role.PROSECUTOR, Role.COORDINATOR, Role.ADMIN):
        with pytest.raises(Forbidden):
            importing.preview_import(db, make.officer(role), GOOD)
        with pytest.raises(Forbidden):
            importing.commit_import(db, make.officer(role), GOOD)
    assert importing.preview_import(db, make.officer(Role.SUPERVISOR), GOOD).ok


def test_template_imports_as_it_is(db, make):
    inv = make.officer(country="TH", agency=make.agency("TH", "DIP"))
    text = importing.template_csv(db, inv)
    assert text.startswith("\ufeffcase_key,kind,title,")
    preview = importing.preview_import(db, inv, text)
    assert preview.ok, preview.errors
    assert [(c.kind, c.seizures, c.listings) for c in preview.cases] == [
        ("counterfeit", 1, 0), ("online", 0, 1)]


# --- web -------------------------------------------------------------------------------

def upload(client, body: bytes | str, name: str = "cases.csv"):
    raw = body.encode() if isinstance(body, str) else body
    return client.post("/cases/import", data={"file": (io.BytesIO(raw), name)},
                       content_type="multipart/form-data")


def checked(client, body: bytes | str):
    """Upload, then the job page (the check ran inline: no Redis in the tests)."""
    response = upload(client, body)
    assert response.status_code == 302, response.text
    return response.headers["Location"], client.get(response.headers["Location"])


def test_web_journey(client, auth, db, make, app):
    inv = make.officer()
    auth.login(inv)
    page = client.get("/cases/")
    assert 'href="/cases/import"' in page.text
    form = client.get("/cases/import")
    assert form.status_code == 200 and 'type="file"' in form.text
    assert 'accept=".csv,text/csv"' in form.text and '<label for="file">' in form.text
    url, preview = checked(client, GOOD)
    assert re.fullmatch(r"/cases/import/\d+", url)
    assert preview.status_code == 200 and "Import 2 cases" in preview.text
    assert "raid-1" in preview.text and "<caption>" in preview.text
    job = db.scalar(select(ImportJob))
    assert (job.status, job.step, job.officer_id) == (ImportStatus.CHECKED, "check", inv.id)
    assert client.get(url + "/status").get_json()["status"] == "checked"
    # The upload is kept sealed in the evidence storage: no clear copy anywhere.
    files = [p for p in Path(app.config["DATA_DIR"]).rglob("*") if p.is_file()]
    kept = [p for p in files if "imports" in p.parts]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"ANICEEV1")
    assert not any(b"Petaling" in p.read_bytes() for p in files if p.suffix != ".db"
                   and "-wal" not in p.name and "-shm" not in p.name)
    assert counts(db)["Case"] == 0
    done = client.post(f"{url}/confirm")
    assert done.status_code == 302 and done.headers["Location"] == url
    report = client.get(url)
    assert "2 cases imported" in report.text and "MY-" in report.text
    assert RAID["title"] in client.get("/cases/").text
    assert not [p for p in Path(app.config["DATA_DIR"]).rglob("*")
                if p.is_file() and "imports" in p.parts]
    again = client.post(f"{url}/confirm")  # imported once
    assert again.status_code == 302 and "imported already" in client.get(url).text
    assert counts(db)["Case"] == 2
    actions = list(db.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert [a for a in actions if "import" in a] == [
        "cases.import.upload", "cases.import.confirm", "case.import"]


def test_web_preview_with_errors_offers_no_import(client, auth, make, db):
    auth.login(make.officer())
    url, response = checked(client, to_csv(RAID, {**RAID, "case_key": "b", "quantity": "-5"}))
    assert "greater than zero" in response.text and "nothing will be imported" in response.text
    assert "/confirm" not in response.text
    assert '<th scope="col">Line</th>' in response.text
    assert client.post(f"{url}/confirm").status_code == 302
    assert counts(db)["Case"] == 0
    empty = upload(client, b"")
    assert empty.status_code == 422 and "is empty" in empty.text
    missing = client.post("/cases/import", data={}, content_type="multipart/form-data")
    assert missing.status_code == 422 and "choose a file" in missing.text
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 1


def test_too_large_upload_is_refused_before_a_job(client, auth, make, db, monkeypatch):
    monkeypatch.setattr(importing, "MAX_BYTES", 1000)
    auth.login(make.officer())
    response = upload(client, GOOD + "#" * 1000)
    assert response.status_code == 422 and "larger than the limit" in response.text
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 0


def test_another_officer_cannot_see_or_confirm_the_job(client, auth, db, make):
    owner = make.officer()
    other = make.officer(agency=owner.agency)
    auth.login(owner)
    url, _ = checked(client, GOOD)
    auth.logout()
    auth.login(other)
    assert client.get(url).status_code == 404
    assert client.get(url + "/status").status_code == 404
    assert client.post(f"{url}/confirm").status_code == 404
    assert client.post("/cases/import/99999999999999999999/confirm").status_code == 404
    assert counts(db)["Case"] == 0
    auth.logout()
    auth.login(owner)
    assert client.post(f"{url}/confirm").status_code == 302
    assert counts(db)["Case"] == 2


def test_stale_uploads_expire(client, auth, db, make, monkeypatch, app):
    from anice.imports import service as imports

    auth.login(make.officer())
    url, _ = checked(client, GOOD)
    monkeypatch.setattr(imports, "KEEP_SECONDS", -1)
    assert client.post(f"{url}/confirm").status_code == 302
    assert "no longer kept" in client.get(url).text
    job = db.scalar(select(ImportJob))
    db.refresh(job)
    assert job.status == ImportStatus.EXPIRED and job.storage_key is None
    assert counts(db)["Case"] == 0
    # A checked upload nobody confirms is swept when the next file comes in.
    url, _ = checked(client, GOOD)
    monkeypatch.setattr(imports, "KEEP_SECONDS", 0)
    checked(client, GOOD)
    kept = [p for p in Path(app.config["DATA_DIR"]).rglob("*") if p.is_file()
            and "imports" in p.parts]
    assert len(kept) == 1
    assert "Expired" in client.get("/cases/import").text


def test_web_template_and_access(client, auth, make):
    auth.login(make.officer(Role.PROSECUTOR))
    assert client.get("/cases/import").status_code == 404
    assert upload(client, GOOD).status_code == 404
    assert client.get("/cases/import/template.csv").status_code == 404
    assert 'href="/cases/import"' not in client.get("/cases/").text
    auth.logout()
    auth.login(make.officer())
    template = client.get("/cases/import/template.csv")
    assert template.status_code == 200 and template.mimetype == "text/csv"
    assert "attachment" in template.headers["Content-Disposition"]
    _, page = checked(client, template.data)
    assert "Import 2 cases" in page.text


# --- CLI -------------------------------------------------------------------------------

def test_cli_import_and_dry_run(runner, db, make, tmp_path):
    inv = make.officer()
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(to_csv(RAID, {**RAID, "case_key": "b", "quantity": "-5"}), encoding="utf-8")

    dry = runner.invoke(args=["cases", "import", str(good), "--as", inv.email, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "4 rows, 2 cases, 3 seizure items, 2 listings" in dry.output
    assert "nothing was written" in dry.output and counts(db)["Case"] == 0

    refused = runner.invoke(args=["cases", "import", str(bad), "--as", inv.email])
    assert refused.exit_code == 1
    assert "line 3, quantity: must be greater than zero" in refused.output
    assert "1 error; nothing was imported" in refused.output and counts(db)["Case"] == 0
    refused = runner.invoke(args=["cases", "import", str(bad), "--as", inv.email, "--dry-run"])
    assert refused.exit_code == 1 and "line 3, quantity" in refused.output

    done = runner.invoke(args=["cases", "import", str(good), "--as", inv.email.upper()])
    assert done.exit_code == 0, done.output
    assert done.output.startswith("2 cases imported: MY-")
    db.expire_all()
    assert counts(db)["Case"] == 2


def test_cli_refuses_unknown_or_unauthorised_officer(runner, db, make, tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(GOOD, encoding="utf-8")
    unknown = runner.invoke(args=["cases", "import", str(good), "--as", "nobody@x.demo"])
    assert unknown.exit_code == 2 and "--as" in unknown.output
    pros = make.officer(Role.PROSECUTOR)
    refused = runner.invoke(args=["cases", "import", str(good), "--as", pros.email])
    assert refused.exit_code == 2 and "investigators and supervisors" in refused.output
    assert counts(db)["Case"] == 0


def test_dates_relative_to_today_are_checked(db, make):
    tomorrow = (date.today() + timedelta(days=2)).isoformat()
    preview = importing.preview_import(db, make.officer(), to_csv(
        {**SHOP, "takedown_requested_on": tomorrow}))
    assert where(preview) == [(2, "takedown_requested_on")]


def test_import_without_a_valid_csrf_token_stores_nothing(app_config, db, make, monkeypatch):
    """Issue 14, finding 10: the token is checked before one byte of the file is stored."""
    from anice import create_app
    from anice.imports import sealed

    from ..factories import PASSWORD, code_for

    opened: list[str] = []
    real_init = sealed.SealedUpload.__init__

    def counting_init(self, storage, *args, **kwargs):
        opened.append("upload")
        real_init(self, storage, *args, **kwargs)

    monkeypatch.setattr(sealed.SealedUpload, "__init__", counting_init)
    app = create_app({**app_config, "WTF_CSRF_ENABLED": True})
    inv = make.officer()
    client = app.test_client()
    page = client.get("/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    client.post("/login", data={"email": inv.email, "password": PASSWORD,
                                "code": code_for(inv), "csrf_token": token})

    def post(data: dict):
        return client.post("/cases/import", data={**data, "file": (io.BytesIO(GOOD.encode()),
                                                                   "cases.csv")},
                           content_type="multipart/form-data")

    for data in ({}, {"csrf_token": "forged"}):
        assert post(data).status_code == 400
    forged = client.post("/cases/import", headers={"X-CSRFToken": "forged"},
                         data={"file": (io.BytesIO(GOOD.encode()), "cases.csv")},
                         content_type="multipart/form-data")
    assert forged.status_code == 400
    assert opened == []  # no sealed object was even started
    store = Path(app_config["DATA_DIR"])
    assert not [p for p in store.rglob("*") if p.is_file() and "imports" in p.parts]
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 0
    # The form's own token (a field before the file) goes through.
    token = re.search(r'name="csrf_token" value="([^"]+)"',
                      client.get("/cases/import").text).group(1)
    assert post({"csrf_token": token}).status_code == 302 and opened == ["upload"]
    assert db.scalar(select(func.count()).select_from(ImportJob)) == 1
