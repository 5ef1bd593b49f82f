"""WIPO ST.66 / ST.86 XML import: mapping, upsert, safety, bad input, memory, progress."""

from __future__ import annotations

import io
import tracemalloc

import pytest
from sqlalchemy import func, select

from anice.models import Right, RightKind, RightStatus
from anice.rights import importing, importing_xml

ST66 = "http://www.wipo.int/standards/XMLSchema/ST66"
OLD_TM = "http://www.wipo.int/standards/XMLSchema/trademarks"
ST86 = "http://www.wipo.int/standards/XMLSchema/ST86"


def trademark(number="TM001", office="MY", status="Registered", mark="NIKE",
              filed="2001-01-02", registered="2002-03-04Z", expires="2032-03-04",
              classes=(("25", "shoes"), ("18", "bags")), extra="") -> str:
    goods = "".join(
        f"<ClassDescription><ClassNumber>{c}</ClassNumber>"
        f'<GoodsServicesDescription languageCode="en">{g}</GoodsServicesDescription>'
        "</ClassDescription>" for c, g in classes)
    return f"""
      <TradeMark operationCode="Insert">
        <RegistrationOfficeCode>{office}</RegistrationOfficeCode>
        <ApplicationNumber>{number}</ApplicationNumber>
        <ApplicationDate>{filed}</ApplicationDate>
        <RegistrationNumber>R-{number}</RegistrationNumber>
        <RegistrationDate>{registered}</RegistrationDate>
        <ExpiryDate>{expires}</ExpiryDate>
        <MarkCurrentStatusCode>{status}</MarkCurrentStatusCode>
        <WordMarkSpecification>
          <MarkVerbalElementText>{mark}</MarkVerbalElementText>
        </WordMarkSpecification>
        <GoodsServicesDetails><GoodsServices><ClassDescriptionDetails>{goods}
        </ClassDescriptionDetails></GoodsServices></GoodsServicesDetails>
        <ApplicantDetails><Applicant><ApplicantAddressBook><FormattedNameAddress><Name>
          <FormattedName><OrganizationName>{mark} Inc</OrganizationName></FormattedName>
        </Name></FormattedNameAddress></ApplicantAddressBook></Applicant></ApplicantDetails>
        <RepresentativeDetails><Representative><RepresentativeAddressBook>
          <FormattedNameAddress><Name><FormattedName>
            <FirstName>Ana</FirstName><LastName>Cruz</LastName>
          </FormattedName></Name></FormattedNameAddress>
        </RepresentativeAddressBook></Representative></RepresentativeDetails>{extra}
      </TradeMark>"""


def st66(*records: str, ns: str = ST66, prefix: str = "") -> bytes:
    p = f"{prefix}:" if prefix else ""
    xmlns = f'xmlns:{prefix}="{ns}"' if prefix else f'xmlns="{ns}"'
    body = "".join(records)
    if prefix:
        body = body.replace("<", f"<{p}").replace(f"<{p}/", f"</{p}")
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<{p}Transaction {xmlns}>\n'
            f"  <{p}TradeMarkTransactionBody><{p}TransactionContentDetails>"
            f"<{p}TransactionData>\n    <{p}TradeMarkDetails>{body}\n    </{p}TradeMarkDetails>\n"
            f"  </{p}TransactionData></{p}TransactionContentDetails>"
            f"</{p}TradeMarkTransactionBody>\n</{p}Transaction>\n").encode()


def design(identifier="D001-0001", status="Registered", locarno="02-04",
           title="Sports shoe") -> str:
    return f"""
        <Design>
          <DesignIdentifier>{identifier}</DesignIdentifier>
          <RegistrationNumber>R{identifier}</RegistrationNumber>
          <RegistrationDate>2011-05-06</RegistrationDate>
          <ExpiryDate>2026-05-06</ExpiryDate>
          <DesignCurrentStatusCode>{status}</DesignCurrentStatusCode>
          <DesignTitle languageCode="en">{title}</DesignTitle>
          <IndicationProductDetails>
            <IndicationProduct languageCode="en">Shoes</IndicationProduct>
          </IndicationProductDetails>
          <ClassDescriptionDetails><ClassDescription>
            <ClassNumber>{locarno}</ClassNumber>
          </ClassDescription></ClassDescriptionDetails>
          <ApplicantDetails><Applicant><ApplicantAddressBook><FormattedNameAddress><Name>
            <FreeFormatName><FreeFormatNameDetails>
              <FreeFormatNameLine>Shoe Design Sdn Bhd</FreeFormatNameLine>
            </FreeFormatNameDetails></FreeFormatName>
          </Name></FormattedNameAddress></ApplicantAddressBook></Applicant></ApplicantDetails>
        </Design>"""


def st86(*records: str) -> bytes:
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n<Transaction xmlns="{ST86}">'
            "<DesignTransactionBody><TransactionContentDetails><TransactionData>"
            "<DesignApplicationDetails><DesignApplication>"
            "<RegistrationOfficeCode>TH</RegistrationOfficeCode>"
            "<DesignApplicationNumber>D001</DesignApplicationNumber>"
            "<DesignApplicationDate>2010-01-02</DesignApplicationDate>"
            f"<DesignDetails>{''.join(records)}</DesignDetails>"
            "</DesignApplication></DesignApplicationDetails>"
            "</TransactionData></TransactionContentDetails></DesignTransactionBody>"
            "</Transaction>\n").encode()


def run(db, data: bytes, mode="abort", **kwargs):
    result = importing_xml.import_xml(db, None, io.BytesIO(data), mode=mode, **kwargs)
    db.commit()
    return result


def refused(db, data: bytes) -> list[str]:
    with pytest.raises(importing.RightsImportRefused) as exc:
        importing_xml.import_xml(db, None, io.BytesIO(data))
    db.rollback()
    return [str(e) for e in exc.value.result.errors]


def count(db) -> int:
    return db.scalar(select(func.count()).select_from(Right))


def right(db, number: str) -> Right:
    return db.scalar(select(Right).where(Right.number == number))


def test_st66_maps_the_elements(db, make):
    result = run(db, st66(trademark(), trademark("TM002", office="TH", mark="adidas",
                                                 status="Application filed",
                                                 classes=(("25", "clothing"),))))
    assert (result.rows, result.inserted) == (2, 2), result.errors
    nike = right(db, "TM001")
    assert (nike.office, nike.type, nike.status) == ("MY", RightKind.TRADEMARK,
                                                      RightStatus.REGISTERED)
    assert nike.mark_text == "NIKE" and nike.class_list == [25, 18]
    assert nike.goods == "25: shoes\n18: bags"
    assert (nike.owner, nike.representative) == ("NIKE Inc", "Ana Cruz")
    assert (str(nike.filing_date), str(nike.registration_date), str(nike.expiry_date)) == (
        "2001-01-02", "2002-03-04", "2032-03-04")
    assert right(db, "TM002").status == RightStatus.FILED


@pytest.mark.parametrize("ns, prefix", [(OLD_TM, ""), (ST66, "tm"), ("", "")])
def test_namespaces_do_not_matter(db, make, ns, prefix):
    data = st66(trademark(), ns=ns, prefix=prefix) if ns else st66(trademark()).replace(
        f' xmlns="{ST66}"'.encode(), b"")
    assert run(db, data).inserted == 1 and right(db, "TM001").mark_text == "NIKE"


def test_st86_designs_take_the_main_locarno_class_and_the_application(db, make):
    result = run(db, st86(design(), design("D001-0002", status="Expired", locarno="11-01",
                                           title="Lamp")))
    assert result.inserted == 2, result.errors
    shoe = right(db, "D001-0001")
    assert (shoe.office, shoe.type, shoe.status) == ("TH", RightKind.DESIGN,
                                                      RightStatus.REGISTERED)
    assert shoe.class_list == [2] and shoe.mark_text == "Sports shoe"
    assert shoe.goods == "Shoes" and shoe.owner == "Shoe Design Sdn Bhd"
    assert str(shoe.filing_date) == "2010-01-02"  # from the enclosing DesignApplication
    lamp = right(db, "D001-0002")
    assert lamp.class_list == [11] and lamp.status == RightStatus.EXPIRED


def test_reimport_updates_never_duplicates_and_keeps_the_contact(db, make):
    run(db, st66(trademark(), trademark("TM002")))
    nike = right(db, "TM001")
    nike.contact_email = "legal@nike.example"
    db.commit()
    again = run(db, st66(trademark(status="Expired"), trademark("TM002")))
    assert (again.inserted, again.updated, again.unchanged) == (0, 1, 1)
    db.expire_all()
    assert count(db) == 2
    nike = right(db, "TM001")
    assert nike.status == RightStatus.EXPIRED and nike.contact_email == "legal@nike.example"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<TradeMarkDetails><TradeMark><ApplicationNumber>&lol9;</ApplicationNumber></TradeMark>
</TradeMarkDetails>"""
EXTERNAL = b"""<?xml version="1.0"?>
<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<TradeMarkDetails><TradeMark><RegistrationOfficeCode>MY</RegistrationOfficeCode>
<ApplicationNumber>X1</ApplicationNumber><MarkCurrentStatusCode>Registered
</MarkCurrentStatusCode><WordMarkSpecification><MarkVerbalElementText>&xxe;
</MarkVerbalElementText></WordMarkSpecification></TradeMark></TradeMarkDetails>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL], ids=["laughs", "external"])
def test_doctype_and_entities_are_refused_unexpanded(db, make, data):
    tracemalloc.start()
    errors = refused(db, data)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert errors == ["line 2, file: has a DOCTYPE or ENTITY declaration, which is "
                      "refused (no entities, no DTD): remove it"]
    assert peak < 5_000_000 and count(db) == 0


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL], ids=["laughs", "external"])
def test_a_doctype_after_the_first_chunk_is_refused_by_the_parser(db, make, monkeypatch,
                                                                   data):
    monkeypatch.setattr(importing_xml, "DOCTYPE", importing_xml.re.compile(rb"^$never"))
    errors = refused(db, data)
    assert errors == ["line 2, file: has a DOCTYPE declaration, which is refused "
                      "(no entities, no DTD): remove it"]
    assert count(db) == 0


def test_malformed_xml_reports_the_line(db, make):
    data = st66(trademark(), trademark("TM002")).replace(b"</ExpiryDate>", b"</Expiry>", 2)
    errors = refused(db, data)
    assert len(errors) == 1 and errors[0].startswith("line 11, file: is not well-formed XML: "
                                                     "mismatched tag"), errors
    assert count(db) == 0


@pytest.mark.parametrize("data, message", [
    (b"<Catalogue><Item/></Catalogue>", "line 1, file: has the root element 'Catalogue'"),
    (b"   ", "file: is empty"),
    (st66(), "file: holds no TradeMark (ST.66), Trademark (ST.96) or Design (ST.86, ST.96) "
             "record"),
])
def test_unreadable_documents_are_refused(db, make, data, message):
    errors = refused(db, data)
    assert any(e.startswith(message) for e in errors), errors


@pytest.mark.parametrize("record, message", [
    (trademark(status=""), "line 27, MarkCurrentStatusCode: is required"),
    (trademark(filed="02/01/2001"),
     "line 30, ApplicationDate: '02/01/2001' is not a date as YYYY-MM-DD"),
    (trademark(number="").replace("<RegistrationNumber>R-</RegistrationNumber>", ""),
     "line 27, ApplicationNumber/RegistrationNumber: is required"),
    (trademark(office=""), "line 27, RegistrationOfficeCode: is required"),
    (trademark(office="US"), "line 28, RegistrationOfficeCode: 'US' is neither a member state"),
    (trademark(classes=(("46", "x"),)), "line 38, ClassNumber: 46 is not a Nice class"),
])
def test_bad_records_name_line_and_element(db, make, record, message):
    errors = refused(db, st66(trademark("TM002", office="TH"), record))
    assert [e for e in errors if e.startswith(message)], errors
    assert count(db) == 0  # abort: the good record is not written either


def test_number_falls_back_to_registration_number(db, make):
    record = trademark().replace("<ApplicationNumber>TM001</ApplicationNumber>", "")
    assert run(db, st66(record)).inserted == 1 and right(db, "R-TM001") is not None


def test_unknown_record_type_and_duplicates_are_reported(db, make):
    data = st66(trademark(), "<Patent><Title>x</Title></Patent>", trademark())
    result = run(db, data, mode="skip")
    assert [e.where for e in result.errors] == ["line 26, record", "line 29, ApplicationNumber"]
    assert "is already on line 5 of this file" in result.errors[1].message
    assert (result.inserted, result.skipped) == (1, 2) and count(db) == 1


def test_skip_mode_writes_the_good_records(db, make):
    result = run(db, st66(trademark(), trademark("TM002", filed="02/01/2001"),
                          trademark("TM003")), mode="skip")
    assert (result.rows, result.inserted, result.skipped) == (3, 2, 1)
    assert [e.field for e in result.errors] == ["ApplicationDate"]
    assert count(db) == 2


def test_malformed_tail_in_skip_mode_keeps_what_was_read(db, make):
    data = st66(trademark(), trademark("TM002")).replace(b"</Transaction>", b"</Trans>")
    result = run(db, data, mode="skip")
    assert result.inserted == 2 and result.fatal
    assert result.errors[0].field == "file" and "mismatched tag" in result.errors[0].message


def _generated(path, records: int) -> None:
    def chunks():
        yield b'<?xml version="1.0" encoding="UTF-8"?>\n'
        yield f'<Transaction xmlns="{ST66}"><TradeMarkDetails>\n'.encode()
        for i in range(records):
            yield (f"<TradeMark><RegistrationOfficeCode>MY</RegistrationOfficeCode>"
                   f"<ApplicationNumber>G{i:06d}</ApplicationNumber>"
                   "<MarkCurrentStatusCode>Registered</MarkCurrentStatusCode>"
                   "<WordMarkSpecification><MarkVerbalElementText>MARK "
                   f"{i}</MarkVerbalElementText></WordMarkSpecification>"
                   "<GoodsServicesDetails><GoodsServices><ClassDescriptionDetails>"
                   "<ClassDescription><ClassNumber>25</ClassNumber>"
                   f"<GoodsServicesDescription>{'clothing; footwear; ' * 20}"
                   "</GoodsServicesDescription></ClassDescription></ClassDescriptionDetails>"
                   "</GoodsServices></GoodsServicesDetails></TradeMark>\n").encode()
        yield b"</TradeMarkDetails></Transaction>\n"

    with open(path, "wb") as fh:
        for chunk in chunks():
            fh.write(chunk)


def _import_peak(db, path) -> tuple[int, list[int], int]:
    seen: list[int] = []
    tracemalloc.start()
    with open(path, "rb") as fh:
        result = importing_xml.import_xml(db, None, fh, progress=seen.append)
        db.commit()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert not result.errors
    return result.inserted, seen, peak


@pytest.mark.sqlite_only
def test_memory_stays_constant_on_a_large_file(app, db, make, tmp_path, monkeypatch):
    """A file four times larger takes what the smaller one does, but for the one key per row
    that names a number repeated in the file: memory is one batch of rows, not the file.
    (Batches of 1,000 rows instead of 5,000, so that four batches against sixteen show it
    at a quarter of the rows: tracemalloc makes every row slow.)"""
    # the matching index built after the commit (tests run jobs at once) is not the import's
    monkeypatch.setitem(app.config, "RIGHTS_INDEX_DELTA_MAX", 10**9)
    monkeypatch.setattr(importing, "BATCH", 1_000)
    small, big = tmp_path / "small.xml", tmp_path / "big.xml"
    _generated(small, 4_000)
    _generated(big, 16_000)
    assert big.stat().st_size > 12_000_000
    inserted, _, small_peak = _import_peak(db, small)
    assert inserted == 4_000
    inserted, seen, big_peak = _import_peak(db, big)  # the first 4,000 are unchanged
    assert inserted == 12_000 and seen[-1] == 16_000 and len(seen) >= 8
    assert small_peak < 15_000_000, small_peak  # one batch of rows and their history
    per_row = (big_peak - small_peak) / 12_000
    assert per_row < 250, (small_peak, big_peak)  # the repeated-number key: ~100 bytes


def test_progress_is_reported(db, make, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)
    seen = []
    run(db, st66(*(trademark(f"TM{i}") for i in range(5))), progress=seen.append)
    assert seen and seen[-1] == 5 and count(db) == 5


@pytest.mark.parametrize("head, name, xml", [
    (b"\xef\xbb\xbf  <?xml", "a.txt", True), (b"\n<Transaction", "", True),
    ("<x/>".encode("utf-16"), "", True), (b"office,number", "rights.XML", True),
    (b"office,number", "rights.csv", False),
])
def test_xml_is_told_from_csv(head, name, xml):
    assert importing_xml.looks_like_xml(head, name) is xml


def test_cli_imports_xml_by_content(runner, db, make, tmp_path):
    path = tmp_path / "marks.dat"
    path.write_bytes(st66(trademark(), trademark("TM002", filed="02/01/2001")))
    refused_run = runner.invoke(args=["rights", "import", str(path)])
    assert refused_run.exit_code == 1
    assert "line 30, ApplicationDate: '02/01/2001'" in refused_run.output
    skipped = runner.invoke(args=["rights", "import", "--skip-bad-rows", str(path)])
    assert skipped.exit_code == 0, skipped.output
    assert "2 rows: 1 inserted" in skipped.output and count(db) == 1


def test_upload_page_accepts_xml(client, auth, db, make):
    from anice.models import Role

    auth.login(make.officer(Role.COORDINATOR, country="TH"))
    page = client.get("/rights/import").get_data(as_text=True)
    assert ".xml" in page
    done = client.post("/rights/import", data={
        "mode": "abort", "file": (io.BytesIO(st86(design())), "designs.xml")},
        content_type="multipart/form-data")
    assert done.status_code == 302, done.get_data(as_text=True)  # to the job's page
    assert "1 inserted" in client.get(done.headers["Location"]).get_data(as_text=True)
    assert right(db, "D001-0001").type == RightKind.DESIGN


def test_xml_in_utf16_or_latin1_as_declared_is_read_and_bad_bytes_named(db, make):
    text = st66(trademark(mark="ไนกี้")).decode()
    utf16 = text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    assert run(db, utf16).inserted == 1
    latin = st66(trademark(number="TM9", mark="CAFÉ")).decode().replace(
        'encoding="UTF-8"', 'encoding="ISO-8859-1"').encode("latin-1")
    assert run(db, latin).inserted == 1
    undeclared = st66(trademark(number="TM8", mark="CAFÉ")).decode().encode("latin-1")
    with pytest.raises(importing.RightsImportRefused) as exc:
        run(db, undeclared)
    [error] = exc.value.result.errors
    assert error.field == "file" and error.line > 1 and "not well-formed" in error.message
