"""WIPO ST.96 import, the offices' own status values, and whole goods lists.

Fixtures (tests/rights/fixtures/) are written after published samples, office codes
rewritten to member states, marks and numbers invented:
- st96_trademarks_sg.xml: the USPTO's ST.96 trademark status XML (TSDR API,
  ``tmk:TrademarkTransaction``, numeric ``MarkCurrentStatusCode`` such as 702, classes as
  "025", dates with a zone offset) and CIPO's ST.96 trademark exports (``com:Contact/
  com:Name/com:EntityName``, one contact per language);
- st96_designs_my.xml: EUIPO design exports (a multiple application, EUIPO's status texts
  'Registered and fully published' and 'Design lapsed') with the element names WIPO's
  ST.96-to-ST.86 conversion stylesheet reads (``dgn:DesignBag/dgn:Design``,
  ``dgn:DesignIdentifier``, ``dgn:DesignTitleText``, ``dgn:DesignCurrentStatusCategory``).
The 21,310-character goods list is the length of a real EUIPO class 9/35/42 list.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from anice.errors import Forbidden, Invalid
from anice.models import AuditEvent, ImportJob, OfficeStatus, Right, RightStatus, Role
from anice.rights import importing, importing_xml, statuses

from ..held_jobs import HeldJobs
from .helpers import HEADER, csv_bytes
from .test_import_xml import st66, trademark

FIXTURES = Path(__file__).parent / "fixtures"
TRADEMARKS = (FIXTURES / "st96_trademarks_sg.xml").read_bytes()
DESIGNS = (FIXTURES / "st96_designs_my.xml").read_bytes()
TMK = "http://www.wipo.int/standards/XMLSchema/ST96/Trademark"
COM = "http://www.wipo.int/standards/XMLSchema/ST96/Common"
TERMS = ("Computer software, recorded; downloadable computer software applications; "
         "smartphones; protective cases for smartphones; headphones; wireless earbuds; "
         "chargers for electric batteries; power banks; smart watches; ")


def goods_list(length: int) -> str:
    text = (TERMS * (length // len(TERMS) + 1))[:length]
    return text[:-1] + "s"  # no trailing blank, which the import strips


def run(db, data: bytes, mode="abort"):
    result = importing_xml.import_xml(db, None, io.BytesIO(data), mode=mode)
    db.commit()
    return result


def right(db, number: str) -> Right:
    return db.scalar(select(Right).where(Right.number == number))


def st96(*records: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<tmk:TrademarkTransaction '
            f'xmlns:tmk="{TMK}" xmlns:com="{COM}">\n<tmk:TrademarkBag>{"".join(records)}\n'
            "</tmk:TrademarkBag>\n</tmk:TrademarkTransaction>\n").encode()


def st96_mark(number="40202499999A", filed="2024-02-03", goods="Footwear",
              status="Registered") -> str:
    return f"""
  <tmk:Trademark>
    <com:RegistrationOfficeCode>SG</com:RegistrationOfficeCode>
    <com:ApplicationNumber><com:ApplicationNumberText>{number}</com:ApplicationNumberText>
    </com:ApplicationNumber>
    <com:ApplicationDate>{filed}</com:ApplicationDate>
    <tmk:MarkCurrentStatusCode>{status}</tmk:MarkCurrentStatusCode>
    <tmk:MarkRepresentation><tmk:MarkReproduction><tmk:WordMarkSpecification>
      <tmk:MarkVerbalElementText>ORCHID BAY</tmk:MarkVerbalElementText>
    </tmk:WordMarkSpecification></tmk:MarkReproduction></tmk:MarkRepresentation>
    <tmk:GoodsServicesBag><tmk:GoodsServices><tmk:ClassDescriptionBag><tmk:ClassDescription>
      <tmk:ClassNumber>9</tmk:ClassNumber>
      <tmk:GoodsServicesDescriptionText>{goods}</tmk:GoodsServicesDescriptionText>
    </tmk:ClassDescription></tmk:ClassDescriptionBag></tmk:GoodsServices></tmk:GoodsServicesBag>
  </tmk:Trademark>"""


# --- ST.96 ------------------------------------------------------------------------------

def test_st96_trademarks_import_with_their_fields(db, make):
    result = run(db, TRADEMARKS)
    assert (result.rows, result.inserted, result.errors) == (2, 2, [])
    solaris = right(db, "40202412345X")
    assert (solaris.office, solaris.type.value, solaris.mark_text) == (
        "SG", "trademark", "SOLARIS PEAK")
    assert solaris.class_list == [25, 18]  # not the USPTO's domestic class 39
    assert solaris.goods.startswith("25: Footwear; hiking boots")
    assert "18: Backpacks; rucksacks; travelling bags" in solaris.goods
    assert (solaris.filing_date, solaris.registration_date, solaris.expiry_date) == (
        date(2024, 5, 14), date(2025, 2, 11), date(2034, 5, 14))
    # One name though the contact is given in two languages; the entity kind is no name.
    assert solaris.owner == "Solaris Peak Outdoor Pte. Ltd."
    assert solaris.representative == "Mei Ling Tan"
    kopi = right(db, "40202400777P")  # ApplicationNumberText before the ST.13 number
    assert (kopi.mark_text, kopi.class_list, kopi.owner, kopi.representative) == (
        "KOPI KAKI", [30], "Wei Jie Lim", "Lion City IP LLP")
    assert (kopi.status, kopi.status_raw) == (RightStatus.FILED, "Application published")
    assert run(db, TRADEMARKS).unchanged == 2  # re-import: by (office, number), no change


def test_st96_designs_import_with_their_fields(db, make):
    result = run(db, DESIGNS)
    assert (result.rows, result.inserted, result.errors) == (2, 2, [])
    shoe = right(db, "015000123-0001")
    assert (shoe.office, shoe.type.value, shoe.mark_text, shoe.class_list, shoe.goods) == (
        "MY", "design", "Sports shoes", [2], "Shoes")
    assert shoe.owner == "Peak Footwear Sdn. Bhd."
    assert (shoe.filing_date, shoe.registration_date, shoe.expiry_date) == (
        date(2023, 3, 1), date(2023, 3, 20), date(2028, 3, 1))
    assert right(db, "015000123-0002").mark_text == "Shoe soles"


def test_st96_errors_name_line_and_element(db, make):
    bad = st96(st96_mark(), st96_mark("40202400001B", filed="03/02/2024"),
               st96_mark("").replace("<com:ApplicationNumberText></com:ApplicationNumberText>",
                                     ""))
    with pytest.raises(importing.RightsImportRefused) as exc:
        importing_xml.import_xml(db, None, io.BytesIO(bad))
    db.rollback()
    errors = [str(e) for e in exc.value.result.errors]
    assert "line 22, ApplicationDate: '03/02/2024' is not a date as YYYY-MM-DD" in errors
    assert "line 32, ApplicationNumberText/RegistrationNumber: is required" in errors
    broken = st96(st96_mark()).replace(b"</tmk:MarkCurrentStatusCode>", b"</tmk:Status>")
    with pytest.raises(importing.RightsImportRefused) as exc:
        importing_xml.import_xml(db, None, io.BytesIO(broken))
    db.rollback()
    [error] = exc.value.result.errors
    assert str(error).startswith("line 9, file: is not well-formed XML: mismatched tag")
    assert db.scalar(select(Right.id)) is None


# --- the offices' own status values ---------------------------------------------------------

def test_an_offices_own_status_is_mapped_and_its_raw_value_shown(client, auth, db, make):
    sg = make.officer(Role.COORDINATOR, country="SG")
    statuses.set_office_status(db, sg, "SG", "702", "registered")
    my = make.officer(Role.COORDINATOR, country="MY")
    statuses.set_office_status(db, my, "MY", "Registered and fully published", "registered")
    statuses.set_office_status(db, my, "MY", "DESIGN-LAPSED", "expired")  # folded
    db.commit()
    assert run(db, TRADEMARKS).warnings == []
    assert run(db, DESIGNS).warnings == []
    solaris = right(db, "40202412345X")
    assert (solaris.status, solaris.status_raw) == (RightStatus.REGISTERED, "702")
    lapsed = right(db, "015000123-0002")
    assert (lapsed.status, lapsed.status_raw) == (RightStatus.EXPIRED, "Design lapsed")
    auth.login(make.officer(Role.INVESTIGATOR, country="TH"))
    page = client.get(f"/rights/{lapsed.id}").get_data(as_text=True)
    assert "Expired" in page and "as the office publishes it: “Design lapsed”" in page


def test_an_unknown_status_imports_as_other_with_a_warning(runner, db, make, tmp_path):
    result = run(db, st66(trademark(), trademark("TM002", status="Sleeping")))
    assert (result.inserted, result.errors) == (2, [])
    [warning] = [str(w) for w in result.warnings]
    assert warning.startswith("line 34, MarkCurrentStatusCode: 'Sleeping' is in no status "
                              "table (office MY or WIPO standard): imported as 'other'")
    sleeping = right(db, "TM002")
    assert (sleeping.status, sleeping.status_raw) == (RightStatus.OTHER, "Sleeping")
    assert right(db, "TM001").status == RightStatus.REGISTERED  # a WIPO standard value
    path = tmp_path / "designs.xml"
    path.write_bytes(DESIGNS)
    output = runner.invoke(args=["rights", "import", str(path)])
    assert output.exit_code == 0 and "2 inserted" in output.output
    assert ("warning: line 49, DesignCurrentStatusCategory: 'Design lapsed' is in no "
            "status table") in output.output


def test_the_import_page_lists_the_warnings(app, client, auth, db, make, monkeypatch):
    HeldJobs(monkeypatch, app)  # the job waits; the test runs it as a worker would
    auth.login(make.officer(Role.COORDINATOR, country="MY"))
    posted = client.post("/rights/import", data={
        "mode": "abort", "file": (io.BytesIO(DESIGNS), "designs.xml")},
        content_type="multipart/form-data")
    job = db.scalar(select(ImportJob))
    from workers.rights import import_rights

    assert import_rights(job.id) == "done"
    page = client.get(posted.headers["Location"]).get_data(as_text=True)
    assert "2 inserted" in page and "Warnings, by line" in page
    assert "&#39;Registered and fully published&#39; is in no status table" in page
    shown = client.get(f"/rights/{right(db, '015000123-0001').id}").get_data(as_text=True)
    assert "Other" in shown and "“Registered and fully published”" in shown


def test_the_status_table_is_kept_by_admins_and_the_office_coordinator(db, make):
    admin = make.officer(Role.ADMIN)
    my_coordinator = make.officer(Role.COORDINATOR, country="MY")
    statuses.set_office_status(db, admin, "*", "Registration lapsed", "expired")
    statuses.set_office_status(db, admin, "em", "Registration lapsed", "expired")
    row = statuses.set_office_status(db, my_coordinator, "MY", "Berdaftar", "filed")
    changed = statuses.set_office_status(db, my_coordinator, "MY", " berdaftar ",
                                         "registered")
    assert changed.id == row.id and changed.status == RightStatus.REGISTERED
    for actor, office in ((my_coordinator, "TH"), (my_coordinator, "*"),
                          (make.officer(Role.INVESTIGATOR, country="MY"), "MY"),
                          (make.officer(Role.SUPERVISOR, country="MY"), "MY")):
        with pytest.raises(Forbidden):
            statuses.set_office_status(db, actor, office, "Registered", "registered")
    with pytest.raises(Invalid) as exc:
        statuses.set_office_status(db, admin, "MY", "Berdaftar", "alive")
    assert exc.value.field == "status"
    with pytest.raises(Invalid) as exc:
        statuses.set_office_status(db, admin, "Malaysia", "Berdaftar", "registered")
    assert exc.value.field == "office"
    db.commit()
    events = db.scalars(select(AuditEvent).where(
        AuditEvent.action == "right.status_table.set").order_by(AuditEvent.id)).all()
    assert [(e.actor_id, e.country_code, e.details["office"], e.details["status"],
             e.details["before"]) for e in events] == [
        (admin.id, None, "*", "expired", None), (admin.id, "EM", "EM", "expired", None),
        (my_coordinator.id, "MY", "MY", "filed", None),
        (my_coordinator.id, "MY", "MY", "registered", "filed")]
    table = statuses.load_table(db)
    assert table.status("my", "BERDAFTAR") == RightStatus.REGISTERED
    assert table.status("TH", "registration-lapsed") == RightStatus.EXPIRED  # standard row
    assert table.status("TH", "Berdaftar") is None


def test_the_seeded_table_knows_wipo_euipo_and_uspto_values(db):
    table = statuses.load_table(db)
    assert table.status("MY", "Registration published") == RightStatus.REGISTERED
    assert table.status("EM", "Registered and fully published") == RightStatus.REGISTERED
    assert table.status("EM", "Design lapsed") == RightStatus.EXPIRED
    assert table.status("US", "702") == RightStatus.REGISTERED
    assert table.status("US", "602") == RightStatus.CANCELLED
    assert table.status("US", "900") == RightStatus.EXPIRED
    assert db.scalar(select(OfficeStatus).where(OfficeStatus.office == "*",
                                                OfficeStatus.key == "expired")) is not None


def test_the_cli_lists_and_sets_the_status_table(runner, db):
    done = runner.invoke(args=["rights", "status", "set", "MY", "Design lapsed", "expired"])
    assert done.exit_code == 0, done.output
    listed = runner.invoke(args=["rights", "status", "list", "--office", "MY"])
    assert listed.output == "MY\tDesign lapsed\texpired\n"
    bad = runner.invoke(args=["rights", "status", "set", "MY", "Design lapsed", "gone"])
    assert bad.exit_code == 2 and "status: 'gone' is not one of" in bad.output


# --- whole goods lists --------------------------------------------------------------------

def test_a_long_goods_list_imports_whole(db, make):
    euipo = goods_list(21_310)
    assert run(db, st96(st96_mark(goods=euipo))).inserted == 1
    assert right(db, "40202499999A").goods == f"9: {euipo}"
    longer = goods_list(150_000)  # past the csv module's 128 KiB field limit
    row = f'MY,TM9,trademark,registered,ORCHID,9,Orchid Ltd,,,,,,"{longer}"'
    importing.import_csv(db, None, csv_bytes(row))
    db.commit()
    assert len(right(db, "TM9").goods) == 150_000


def test_a_goods_list_beyond_the_bound_is_refused_naming_the_field(db, make):
    row = f'MY,TM9,trademark,registered,ORCHID,9,Orchid Ltd,,,,,,"{goods_list(1_000_001)}"'
    with pytest.raises(importing.RightsImportRefused) as exc:
        importing.import_csv(db, None, csv_bytes(row))
    db.rollback()
    assert [str(e) for e in exc.value.result.errors] == [
        "line 2, goods: must be at most 1000000 characters (got 1000001)"]
    assert HEADER.endswith(",goods")


def test_the_edit_form_keeps_a_long_goods_list(client, auth, db, make):
    run(db, st96(st96_mark()))
    mark = right(db, "40202499999A")
    auth.login(make.officer(Role.COORDINATOR, country="SG"))
    html = client.get(f"/rights/{mark.id}/edit").get_data(as_text=True)
    import re

    token = re.search(r'name="updated_at" value="([^"]+)"', html).group(1)
    goods = goods_list(600_000)  # past Werkzeug's default 500 kB form field
    saved = client.post(f"/rights/{mark.id}/edit", data={
        "updated_at": token, "office": "SG", "number": "40202499999A", "type": "trademark",
        "status": "expired", "mark_text": "ORCHID BAY", "classes": "9", "names": "",
        "goods": goods})
    assert saved.status_code == 302, saved.get_data(as_text=True)[:500]
    db.expire_all()
    mark = right(db, "40202499999A")
    assert mark.goods == goods and mark.status == RightStatus.EXPIRED
    assert mark.status_raw is None  # set by hand: no longer the office's value


def test_the_status_table_page(client, auth, db, make):
    auth.login(make.officer(Role.INVESTIGATOR, country="MY"))
    assert client.get("/rights/statuses").status_code == 404
    assert "Office status values" not in client.get("/rights/").get_data(as_text=True)
    client.post("/logout")
    auth.login(make.officer(Role.COORDINATOR, country="MY"))
    assert 'href="/rights/statuses"' in client.get("/rights/").get_data(as_text=True)
    page = client.get("/rights/statuses").get_data(as_text=True)
    assert 'value="MY"' in page and "Registered and fully published" in page  # seeded EM
    saved = client.post("/rights/statuses", data={"office": "MY", "value": "Design lapsed",
                                                  "status": "expired"})
    assert saved.status_code == 302 and saved.headers["Location"] == "/rights/statuses?office=MY"
    listed = client.get("/rights/statuses?office=MY").get_data(as_text=True)
    assert "Design lapsed" in listed and "Status values (1)" in listed and "Expired" in listed
    bad = client.post("/rights/statuses", data={"office": "MY", "value": "", "status": "x"})
    assert bad.status_code == 422 and "is required" in bad.get_data(as_text=True)
    assert client.post("/rights/statuses", data={
        "office": "TH", "value": "Lapsed", "status": "expired"}).status_code == 403
    assert statuses.load_table(db).status("TH", "Design lapsed") is None


def test_the_api_gives_the_status_as_published_and_takes_a_long_goods_list(client, db, make):
    from .test_api import get, patch

    run(db, DESIGNS)
    shoe = right(db, "015000123-0001")
    found = get(client, db, make.officer(Role.INVESTIGATOR, country="TH"),
                f"/rights/{shoe.id}").get_json()
    assert (found["status"], found["status_raw"]) == ("other", "Registered and fully published")
    coordinator = make.officer(Role.COORDINATOR, country="MY")
    goods = goods_list(120_000)
    done = patch(client, db, coordinator, f"/rights/{shoe.id}",
                 {"updated_at": found["updated_at"], "goods": goods})
    assert done.status_code == 200, done.get_json()
    assert done.get_json()["goods"] == goods
    too_long = patch(client, db, coordinator, f"/rights/{shoe.id}",
                     {"updated_at": done.get_json()["updated_at"],
                      "goods": goods_list(1_000_001)})
    assert too_long.status_code == 422
    assert "goods" in str(too_long.get_json()) and "1000000" in str(too_long.get_json())


def test_the_st96_reader_streams_in_constant_memory(tmp_path):
    """The reader alone (no database): a 20,000-mark ST.96 file of some 20 MB is read
    holding one record at a time."""
    import tracemalloc

    from anice.rights.importing import ImportResult

    path = tmp_path / "big-st96.xml"
    head, _, tail = st96("@").decode().partition("@")
    with open(path, "w", encoding="utf-8") as out:
        out.write(head)
        for i in range(20_000):
            out.write(st96_mark(f"4020{i:08d}A", goods=TERMS * 2))
        out.write(tail)
    assert path.stat().st_size > 20_000_000
    table = statuses.StatusTable({("*", "registered"): RightStatus.REGISTERED})
    result = ImportResult()
    tracemalloc.start()
    with open(path, "rb") as fh:
        read = sum(1 for _ in importing_xml.xml_records(fh, result, table))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert (read, result.errors) == (20_000, [])
    assert peak < 3_000_000, peak  # a 64 KiB chunk and the records completed in it
