"""Checks across fields: dates that contradict each other and shipment numbers whose check
digit is wrong are refused by the services, so the web, the API and the import all say so."""

from __future__ import annotations

import re

import pytest

from anice.auth import tokens
from anice.cases import importing, items, service, workflow
from anice.errors import Invalid
from anice.models import Role

from .helpers import SEIZURE, new_case, opened_case
from .test_import import RAID, to_csv

# COUNTERFEIT (tests/factories.py) was detected on 2026-10-02.
DISPOSED = {**SEIZURE, "disposal": "destroyed"}


def _refused(call) -> list[tuple[str, str]]:
    with pytest.raises(Invalid) as err:
        call()
    return err.value.errors


def test_disposal_on_or_after_detection(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    errors = _refused(lambda: items.add_item(db, inv, case.id, "seizure",
                                             {**DISPOSED, "disposal_on": "2026-10-01"}))
    db.rollback()
    assert errors == [("disposal_on", "cannot be before the case's detection date "
                                      "(2026-10-02): goods are disposed of after they are "
                                      "found")]
    item = items.add_item(db, inv, case.id, "seizure", {**DISPOSED, "disposal_on": "2026-10-02"})
    db.commit()
    assert item.disposal_on.isoformat() == "2026-10-02"
    # Moving the detection date past the disposal is refused on the detection date.
    errors = _refused(lambda: service.update_case(db, inv, case.id, {
        "version": case.version, "detected_on": "2026-10-05"}))
    db.rollback()
    assert errors[0][0] == "detected_on" and "after the disposal of Nike (2026-10-02)" in \
        errors[0][1]


@pytest.mark.parametrize(("field", "value", "words"), [
    ("container_number", "CSQU3054384", "the check digit of CSQU305438 is 3, not 4"),
    ("container_number", "CSQX3054383", "is not an ISO 6346 category letter"),
    ("container_number", "CSQ3054383", "3-letter owner code"),
    ("airway_bill", "157-12345676", "the check digit of 157-1234567 is 5"),
    ("airway_bill", "157-1234567", "3-digit airline prefix and 8 digits"),
])
def test_shipment_numbers_need_their_check_digit(db, make, field, value, words):
    inv = make.officer()
    case = new_case(db, inv)
    errors = _refused(lambda: items.add_item(db, inv, case.id, "seizure",
                                             {**SEIZURE, field: value}))
    assert len(errors) == 1 and errors[0][0] == field and words in errors[0][1]


def test_valid_shipment_numbers_are_kept_as_typed(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    item = items.add_item(db, inv, case.id, "seizure", {
        **SEIZURE, "container_number": "CSQU 305438 3", "airway_bill": "157-12345675"})
    db.commit()
    assert (item.container_number, item.airway_bill) == ("CSQU 305438 3", "157-12345675")


def test_court_date_not_before_detection(db, make):
    inv = make.officer()
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    case = opened_case(db, inv)
    errors = _refused(lambda: workflow.record_prosecution(db, sup, case.id, {
        "version": case.version, "court_date": "2026-09-30"}))
    db.rollback()
    assert errors == [("court_date", "cannot be before the case's detection date (2026-10-02)")]
    workflow.record_prosecution(db, sup, case.id, {"version": case.version,
                                                   "court_date": "2026-10-02"})
    db.commit()
    assert case.court_date.isoformat() == "2026-10-02"
    errors = _refused(lambda: service.update_case(db, inv, case.id, {
        "version": case.version, "detected_on": "2026-10-03"}))
    assert errors[0][0] == "detected_on" and "after the court date (2026-10-02)" in errors[0][1]


def test_court_outcome_not_before_the_court_date(db, make):
    inv = make.officer()
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    case = opened_case(db, inv)
    workflow.record_prosecution(db, sup, case.id, {"version": case.version,
                                                   "court_date": "2026-11-20"})
    db.commit()
    errors = _refused(lambda: workflow.move_case(db, sup, case.id, "closed", {
        "version": case.version, "outcome": "convicted", "on": "2026-11-10"}))
    db.rollback()
    assert errors == [("on", "the outcome \"convicted\" cannot be recorded on 2026-11-10, "
                             "before the court date (2026-11-20)")]
    # A settlement may end a case before its hearing.
    workflow.move_case(db, sup, case.id, "closed", {"version": case.version,
                                                    "outcome": "settled", "on": "2026-11-10"})
    db.rollback()
    workflow.move_case(db, sup, case.id, "closed", {"version": case.version,
                                                    "outcome": "acquitted", "on": "2026-11-20"})
    db.commit()
    assert case.outcome.value == "acquitted"


def test_outcome_recorded_today_before_a_future_hearing(db, make):
    inv = make.officer()
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    case = opened_case(db, inv)
    workflow.record_prosecution(db, sup, case.id, {"version": case.version,
                                                   "court_date": "2099-01-15"})
    db.commit()
    errors = _refused(lambda: workflow.move_case(db, sup, case.id, "closed", {
        "version": case.version, "outcome": "convicted"}))
    assert errors[0][0] == "outcome" and "before the court date (2099-01-15)" in errors[0][1]
    errors = _refused(lambda: workflow.record_prosecution(db, sup, case.id, {
        "version": case.version, "outcome": "convicted"}))
    assert errors[0][0] == "outcome"


def test_web_forms_show_the_field_and_keep_the_input(client, auth, make, db):
    inv = make.officer()
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    case = opened_case(db, inv)
    auth.login(inv)
    response = client.post(f"/cases/{case.id}/items/seizure",
                           data={**DISPOSED, "disposal_on": "2026-09-01",
                                 "container_number": "CSQU3054384"})
    body = response.data.decode()
    assert response.status_code == 422
    assert 'id="seizure-container_number-error"' in body and "is 3, not 4" in body
    assert 'id="seizure-disposal_on-error"' in body
    assert "Container number: the check digit" in body  # the summary names it in words
    assert "Disposal date: cannot be before" in body
    assert 'value="CSQU3054384"' in body  # what was typed is kept
    workflow.move_case(db, inv, case.id, "under_investigation", {"version": case.version})
    db.commit()  # the prosecution form shows from here on
    auth.logout()
    auth.login(sup)
    version = re.search(r'name="version" value="(\d+)"',
                        client.get(f"/cases/{case.id}").data.decode()).group(1)
    response = client.post(f"/cases/{case.id}/prosecution",
                           data={"version": version, "court_date": "2026-09-01"})
    body = response.data.decode()
    assert response.status_code == 422 and 'id="pros-court_date-error"' in body
    assert "Court date: cannot be before the case" in body


def test_api_names_the_field(client, make, db):
    inv = make.officer()
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    case = opened_case(db, inv)
    headers = {}
    for officer in (inv, sup):
        _, raw = tokens.create_token(db, officer, "test", "read-write", 5)
        headers[officer.id] = {"Authorization": f"Bearer {raw}"}
    db.commit()
    response = client.post(f"/api/v1/cases/{case.id}/seizures", headers=headers[inv.id],
                           json={**SEIZURE, "airway_bill": "157-12345676"})
    problem = response.get_json()
    assert response.status_code == 422 and response.mimetype == "application/problem+json"
    assert problem["field"] == "airway_bill" and "airway_bill" in problem["detail"]
    assert problem["detail"].startswith("Air waybill")
    assert problem["errors"][0]["label"] == "Air waybill"
    response = client.patch(f"/api/v1/cases/{case.id}/prosecution", headers=headers[sup.id],
                            json={"version": case.version, "court_date": "2026-09-01"})
    assert response.status_code == 422 and response.get_json()["field"] == "court_date"


def test_import_reports_line_and_column(db, make):
    inv = make.officer()
    rows = [RAID | {"disposal": "destroyed", "disposal_on": "2026-09-01"},
            {"case_key": "raid-1", "brand": "Adidas", "description": "Bags",
             "category": "bags_accessories", "quantity": "10", "unit": "pieces",
             "container_number": "CSQU3054384", "airway_bill": "157-12345676"},
            {"case_key": "raid-1", "brand": "Puma", "description": "Caps",
             "category": "apparel", "quantity": "5", "unit": "pieces",
             "container_number": "CSQU3054383", "airway_bill": "157-12345675"}]
    preview = importing.preview_import(db, inv, to_csv(*rows))
    found = {(e.line, e.column): e.message for e in preview.errors}
    assert set(found) == {(2, "disposal_on"), (3, "container_number"), (3, "airway_bill")}
    assert "before the case's detection date (2026-09-02)" in found[2, "disposal_on"]
    assert "is 3, not 4" in found[3, "container_number"]
