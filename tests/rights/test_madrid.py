"""International registrations (Madrid system, office WO): imported with their designated
contracting parties, enforceable (shown, listed, matched) in each designated member state.

The XML records follow WIPO's published shapes, marks and numbers invented:
- ST.66 (WIPO Standard ST.66, Annex: ``TradeMark/DesignatedCountryDetails/
  DesignatedCountry/DesignatedCountryCode``, as in WIPO's Romarin exports, where the
  registration office of an international registration is ``WO``);
- ST.96 (WIPO Standard ST.96, Trademark schema: ``tmk:Trademark`` with a
  ``tmk:DesignatedCountryBag/tmk:DesignatedCountry`` holding ``com:DesignatedCountryCode``
  and ``tmk:MadridSystemCategory``, as WIPO's ST.96-to-ST.66 conversion reads them; the
  older ``com:CountryCode`` there is read too).
A Madrid registration designates members of the Madrid Union beyond ASEAN too (US, EM):
those are left out, only member states are kept.
"""

from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from anice.auth import tokens
from anice.errors import Invalid
from anice.models import CaseMatch, Right, Role
from anice.rights import case_matching, importing, importing_xml

from ..cases.helpers import SEIZURE, new_case
from .helpers import HEADER, csv_bytes
from .test_import_st96 import st96
from .test_import_xml import st66, trademark

MADRID_HEADER = HEADER + ",designations"


def designated(*codes: str) -> str:
    return ("<DesignatedCountryDetails>" + "".join(
        f"<DesignatedCountry><DesignatedCountryCode>{c}</DesignatedCountryCode>"
        "<DesignatedUnderCode>Protocol</DesignatedUnderCode></DesignatedCountry>"
        for c in codes) + "</DesignatedCountryDetails>")


def st96_mark(number: str, mark: str, codes: tuple[str, ...], office: str = "WO",
              code: str = "com:DesignatedCountryCode") -> str:
    """As WIPO's ST.96-to-ST.66 stylesheet reads them: tmk:DesignatedCountryBag/
    tmk:DesignatedCountry/com:DesignatedCountryCode beside tmk:MadridSystemCategory (``code``
    com:CountryCode: the older form, still read)."""
    bag = "".join(f"<tmk:DesignatedCountry><{code}>{c}</{code}>"
                  "<tmk:MadridSystemCategory>Protocol</tmk:MadridSystemCategory>"
                  "</tmk:DesignatedCountry>" for c in codes)
    return f"""
  <tmk:Trademark>
    <com:RegistrationOfficeCode>{office}</com:RegistrationOfficeCode>
    <com:ApplicationNumber><com:ApplicationNumberText>{number}</com:ApplicationNumberText>
    </com:ApplicationNumber>
    <tmk:MarkCurrentStatusCode>Registered</tmk:MarkCurrentStatusCode>
    <tmk:MarkRepresentation><tmk:MarkReproduction><tmk:WordMarkSpecification>
      <tmk:MarkVerbalElementText>{mark}</tmk:MarkVerbalElementText>
    </tmk:WordMarkSpecification></tmk:MarkReproduction></tmk:MarkRepresentation>
    <tmk:DesignatedCountryBag>{bag}</tmk:DesignatedCountryBag>
  </tmk:Trademark>"""


def xml(db, data: bytes, mode: str = "abort"):
    result = importing_xml.import_xml(db, None, io.BytesIO(data), mode=mode)
    db.commit()
    return result


def refused(db, data: bytes, kind: str = "xml") -> list[str]:
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    with pytest.raises(importing.RightsImportRefused) as caught:
        if kind == "xml":
            importing_xml.import_xml(db, None, stream)
        else:
            importing.import_csv(db, None, stream)
    return [str(e) for e in caught.value.result.errors]


def right(db, number: str) -> Right:
    return db.scalar(select(Right).where(Right.number == number))


def test_st66_madrid_registration_keeps_its_member_state_designations(db, make):
    data = st66(trademark("1234567", office="WO", mark="ZORBAX",
                          extra=designated("US", "MY", "SG", "EM", "VN")))
    result = xml(db, data)
    assert result.inserted == 1
    mark = right(db, "1234567")
    assert mark.office == "WO" and mark.international
    assert mark.designation_list == ["MY", "SG", "VN"]  # US and EM are no member states
    assert mark.enforceable_in == ["MY", "SG", "VN"]
    again = xml(db, data)
    assert again.unchanged == 1 and again.updated == 0  # idempotent


def test_st96_madrid_registration_and_national_marks_side_by_side(db, make):
    result = xml(db, st96(st96_mark("1500001", "QUANTIVEX", ("TH", "KH")),
                          st96_mark("SG-77", "QUANTIVEX", (), office="SG")))
    assert result.inserted == 2
    assert right(db, "1500001").designation_list == ["TH", "KH"]
    national = right(db, "SG-77")
    assert national.designation_list == [] and national.enforceable_in == ["SG"]
    older = xml(db, st96(st96_mark("1500002", "QUANTIVEX", ("VN",), code="com:CountryCode")))
    assert older.inserted == 1 and right(db, "1500002").designation_list == ["VN"]


def test_xml_refuses_foreign_offices_and_madrid_marks_designating_no_member(db, make):
    errors = refused(db, st66(trademark("US-1", office="US", mark="FOREIGN"),
                              trademark("1999999", office="WO", mark="ELSEWHERE",
                                        extra=designated("US", "CH"))))
    office = next(e for e in errors if "RegistrationOfficeCode" in e)
    assert "'US' is neither a member state" in office and "nor WO" in office
    assert office.startswith("line ")
    madrid = next(e for e in errors if "DesignatedCountryCode" in e)
    assert "designates no member state" in madrid and "US CH" in madrid
    bare = refused(db, st96(st96_mark("1888888", "NOWHERE", ())))
    assert any("DesignatedCountryBag/DesignatedCountryCode" in e
               and "designates no member state" in e for e in bare)
    st66_bare = refused(db, st66(trademark("1777777", office="WO", mark="NONE")))
    assert any("DesignatedCountryDetails/DesignatedCountryCode: office WO" in e
               for e in st66_bare)
    assert db.scalar(select(Right)) is None


def test_csv_designations_column(db, make):
    rows = ("WO,1600001,trademark,registered,VELTRONA,25,Veltrona SA,,,,,,,MY SG;vn",
            "MY,TM-9,trademark,registered,VELTRONA,25,Veltrona SA,,,,,,,")
    importing.import_csv(db, None, csv_bytes(*rows, header=MADRID_HEADER))
    db.commit()
    assert right(db, "1600001").designation_list == ["MY", "SG", "VN"]
    assert right(db, "TM-9").designations == ""
    # Files without the column import as before.
    importing.import_csv(db, None, csv_bytes(
        "TH,TM-10,trademark,registered,OTHER,25,x,,,,,,"))
    db.commit()
    assert right(db, "TM-10").office == "TH"


def test_csv_refusals_name_line_field_and_office(db, make):
    errors = refused(db, csv_bytes(
        "US,TM-1,trademark,registered,FOREIGN,25,x,,,,,,,",
        "WO,1700001,trademark,registered,NOWHERE,25,x,,,,,,,US;CH",
        "WO,1700002,trademark,registered,BLANK,25,x,,,,,,,",
        "MY,TM-2,trademark,registered,NATIONAL,25,x,,,,,,,SG",
        "WO,1700003,trademark,registered,BAD,25,x,,,,,,,Malaysia",
        header=MADRID_HEADER), kind="csv")
    assert any(e.startswith("line 2, office: 'US' is neither a member state") for e in errors)
    assert any(e.startswith("line 3, designations: office WO") and "US;CH" in e
               for e in errors)
    assert any(e.startswith("line 4, designations: office WO: the international "
                            "registration designates no member state") for e in errors)
    assert any(e.startswith("line 5, designations: only an international registration")
               for e in errors)
    assert any(e.startswith("line 6, designations: 'MALAYSIA' is not a two-letter")
               for e in errors)


def test_page_list_and_api_show_designations(client, auth, db, make):
    importing.import_csv(db, None, csv_bytes(
        "WO,1600001,trademark,registered,VELTRONA,25,Veltrona SA,,,,,,,MY SG VN",
        "TH,TM-5,trademark,registered,SIAMBRAND,25,x,,,,,,,", header=MADRID_HEADER))
    db.commit()
    mark = right(db, "1600001")
    officer = make.officer(Role.INVESTIGATOR, country="VN")
    auth.login(officer)
    page = client.get(f"/rights/{mark.id}").data.decode()
    assert "International registration, designating MY, SG, VN" in page
    listing = client.get("/rights/?office=VN").data.decode()
    assert "VELTRONA" in listing and "SIAMBRAND" not in listing
    _, raw = tokens.create_token(db, officer, "t", "read", 5)
    db.commit()
    headers = {"Authorization": f"Bearer {raw}"}
    one = client.get(f"/api/v1/rights/{mark.id}", headers=headers).get_json()
    assert one["office"] == "WO" and one["designations"] == ["MY", "SG", "VN"]
    assert one["enforceable_in"] == ["MY", "SG", "VN"]
    items = client.get("/api/v1/rights?office=SG", headers=headers).get_json()["items"]
    assert [i["number"] for i in items] == ["1600001"]
    national = client.get("/api/v1/rights?office=TH", headers=headers).get_json()["items"]
    assert national[0]["designations"] == [] and national[0]["enforceable_in"] == ["TH"]
    found = client.get("/api/v1/rights/match?q=VELTRONA", headers=headers).get_json()
    assert found[0]["designations"] == ["MY", "SG", "VN"]


def test_case_in_my_counts_a_madrid_mark_designating_my_like_a_national_one(
        client, auth, db, make):
    importing.import_csv(db, None, csv_bytes(
        "WO,1800001,trademark,registered,KORVANTIX,25,Korvantix AG,,,,,,,MY SG",
        "WO,1800002,trademark,registered,KORVANTIX,25,Korvantix AG,,,,,,,TH",
        "MY,TM-KV,trademark,registered,KORVANTIX,25,Korvantix AG,,,,,,,",
        header=MADRID_HEADER))
    db.commit()
    inv = make.officer(country="MY")
    case = new_case(db, inv)
    assert case.country_code == "MY"
    from anice.cases import items

    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "Korvantix"})
    db.commit()
    case_matching.match_case(db, case)
    db.commit()
    found = {m.right.number: m for m in db.scalars(
        select(CaseMatch).where(CaseMatch.case_id == case.id))}
    designating, elsewhere, national = found["1800001"], found["1800002"], found["TM-KV"]
    # Designating MY: the same score and the same note as the national MY right.
    assert designating.score == national.score
    assert designating.reasons[-1] == ("enforceable in MY: international registration "
                                       "designating MY, SG")
    assert national.reasons[-1] == "enforceable in MY: registered there"
    # Designating only TH: proposed as a TH right is today (matching does not filter by
    # office), told apart as not enforceable in MY.
    assert elsewhere.reasons[-1] == ("not enforceable in MY: international registration "
                                     "designating only TH")
    auth.login(inv)
    page = client.get(f"/cases/{case.id}").data.decode()
    assert "international registration, designating MY, SG" in page
    _, raw = tokens.create_token(db, inv, "t", "read", 5)
    db.commit()
    api = client.get(f"/api/v1/cases/{case.id}/matches",
                     headers={"Authorization": f"Bearer {raw}"}).get_json()
    assert {m["number"]: m["designations"] for m in api}["1800001"] == ["MY", "SG"]


def test_a_form_cannot_turn_a_national_right_into_an_international_one(db, make):
    from anice.rights import editing

    importing.import_csv(db, None, csv_bytes(
        "MY,TM-E,trademark,registered,EDITME,25,x,,,,,,"))
    db.commit()
    mark = right(db, "TM-E")
    admin = make.officer(Role.ADMIN)
    with pytest.raises(Invalid) as caught:
        editing.update_right(db, admin, mark.id, {"office": "WO",
                                                "updated_at": mark.updated_at.isoformat()})
    assert "designates no member state" in str(caught.value.errors)


def test_an_admin_moving_a_madrid_mark_to_a_national_office_drops_its_designations(db, make):
    from anice.rights import editing

    importing.import_csv(db, None, csv_bytes(
        "WO,1900001,trademark,registered,MOVEME,25,x,,,,,,,MY TH", header=MADRID_HEADER))
    db.commit()
    mark = right(db, "1900001")
    admin = make.officer(Role.ADMIN)
    editing.update_right(db, admin, mark.id, {"office": "TH",
                                              "updated_at": mark.updated_at.isoformat()})
    db.commit()
    db.expire_all()
    moved = right(db, "1900001")
    assert (moved.office, moved.designations, moved.enforceable_in) == ("TH", "", ["TH"])
