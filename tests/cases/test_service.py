"""Cases through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from anice.cases import items, service, workflow
from anice.errors import Conflict, Forbidden, Invalid, NotFound
from anice.models import AuditEvent, Case, CaseStatus, Role, TimelineEntry, UsdRate
from anice.web import paginate

from .helpers import COUNTERFEIT, LISTING, SEIZURE, SUSPECT, new_case, opened_case


def test_create_gives_reference_and_timeline(db, make):
    inv = make.officer(Role.INVESTIGATOR, country="MY")
    case = new_case(db, inv)
    year = case.created_at.year
    assert case.reference == f"MY-{inv.agency.code}-{year}-000001"
    assert case.status == CaseStatus.DRAFT and case.assigned_ids == {inv.id}
    assert new_case(db, inv).reference.endswith("-000002")
    entry = db.scalar(select(TimelineEntry).where(TimelineEntry.case_id == case.id))
    assert entry.kind == "created" and entry.actor_id == inv.id
    assert db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == "case.created")) == 2


def test_references_per_agency_are_independent(db, make):
    a = make.officer(country="MY", agency=make.agency("MY", "AAA"))
    b = make.officer(country="MY", agency=make.agency("MY", "BBB"))
    first = new_case(db, a)
    assert first.reference == f"MY-AAA-{first.year}-000001"
    assert new_case(db, a).seq == 2
    assert new_case(db, b).reference == f"MY-BBB-{first.year}-000001"


@pytest.mark.parametrize("field, value, message", [
    ("kind", "physical", "is not one of"),
    ("title", "", "is required"),
    ("title", "x" * 201, "at most 200"),
    ("right_types", "trademark,smell", "is not one of"),
    ("detection", "telepathy", "is not one of"),
    ("province", "Atlantis", "is not a province of MY"),
    ("detected_on", "2999-01-01", "cannot be in the future"),
    ("detected_on", "02/10/2026", "YYYY-MM-DD"),
    ("sensitivity", "secret", "is not one of"),
    ("tags", "ok, <script>", "tags are words"),
])
def test_bad_case_input_names_the_field_and_writes_nothing(db, make, field, value, message):
    inv = make.officer()
    with pytest.raises(Invalid) as err:
        service.create_case(db, inv, {**COUNTERFEIT, field: value})
    assert (field, ) == (err.value.field,) and message in err.value.message
    db.rollback()
    assert db.scalar(select(func.count()).select_from(Case)) == 0


def test_all_errors_reported_together(db, make):
    with pytest.raises(Invalid) as err:
        service.create_case(db, make.officer(), {"kind": "x", "title": "", "detected_on": "y"})
    assert {f for f, _ in err.value.errors} == {"kind", "title", "detected_on"}


@pytest.mark.parametrize("field, value, message", [
    ("quantity", "-5", "greater than zero"),
    ("quantity", "abc", "must be a number"),
    ("category", "weapons", "is not one of"),
    ("unit", "barrels", "is not one of"),
    ("currency", "XYZ", "ISO 4217"),
    ("value_local", "-1", "cannot be negative"),
    ("disposal", "destroyed", "date of the disposal"),
])
def test_bad_seizure_input(db, make, field, value, message):
    inv = make.officer()
    case = new_case(db, inv)
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "seizure", {**SEIZURE, field: value})
    assert message in " ".join(m for _, m in err.value.errors)


@pytest.mark.parametrize("field, value, message", [
    ("url", "ftp://x/y", "http(s)"), ("url", "javascript:alert(1)", "http(s)"),
    ("platform", "myspace", "is not one of"), ("price", "-3", "negative"),
    ("seen_at", "2999-01-01T00:00", "future"),
])
def test_bad_listing_input(db, make, field, value, message):
    inv = make.officer()
    case = new_case(db, inv, kind="online")
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "listing", {**LISTING, field: value})
    assert message in " ".join(m for _, m in err.value.errors)


def test_party_nationality_must_be_a_country(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "party", {**SUSPECT, "nationality": "XX"})
    assert err.value.field == "nationality"


def test_usd_value_uses_reference_rate_of_the_detection_date(db, make):
    from datetime import date

    db.add_all([UsdRate(currency="MYR", on=date(2026, 9, 1), usd_per_unit=Decimal("0.2100")),
                UsdRate(currency="MYR", on=date(2026, 10, 1), usd_per_unit=Decimal("0.2300"))])
    db.commit()
    inv = make.officer()
    case = new_case(db, inv, detected_on="2026-09-20")
    item = items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "usd_rate": ""})
    assert item.usd_rate == Decimal("0.21") and item.rate_date == date(2026, 9, 20)
    assert item.value_usd == Decimal("1260.00")
    # An explicit rate wins; an unknown currency without a rate is refused.
    item = items.add_item(db, inv, case.id, "seizure", SEIZURE)
    assert item.value_usd == Decimal("1320.00")
    with pytest.raises(Invalid) as err:
        items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "currency": "EUR",
                                                       "usd_rate": ""})
    assert err.value.field == "usd_rate"


def test_workflow_requires_fields_and_roles(db, make):
    inv = make.officer(Role.INVESTIGATOR)
    pros = make.officer(Role.PROSECUTOR, agency=inv.agency)
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    bare = new_case(db, inv)
    workflow.move_case(db, inv, bare.id, "open", {"version": bare.version})
    db.commit()
    with pytest.raises(Invalid) as err:
        workflow.move_case(db, inv, bare.id, "under_investigation", {"version": bare.version})
    db.rollback()
    assert {f for f, _ in err.value.errors} == {"seizures"}
    with pytest.raises(Forbidden):
        workflow.move_case(db, inv, bare.id, "prosecution", {"version": bare.version})
    case = opened_case(db, inv)
    assert case.status == CaseStatus.OPEN and case.opened_on is not None
    workflow.move_case(db, inv, case.id, "under_investigation", {"version": case.version})
    db.commit()
    with pytest.raises(Forbidden):
        workflow.move_case(db, inv, case.id, "prosecution", {"version": case.version})
    with pytest.raises(Invalid) as err:
        workflow.move_case(db, pros, case.id, "prosecution", {"version": case.version})
    assert {f for f, _ in err.value.errors} == {"charges", "parties"}
    db.rollback()
    items.add_item(db, inv, case.id, "party", SUSPECT)
    db.commit()
    workflow.move_case(db, pros, case.id, "prosecution",
                       {"version": case.version, "charges": "Trade Descriptions Act s.8"})
    db.commit()
    workflow.move_case(db, pros, case.id, "in_court", {
        "version": case.version, "court_name": "Sessions Court Kuala Lumpur",
        "court_date": "2026-11-20"})
    db.commit()
    with pytest.raises(Invalid) as err:
        workflow.move_case(db, pros, case.id, "closed", {"version": case.version})
    assert err.value.field == "outcome"
    db.rollback()
    workflow.move_case(db, pros, case.id, "closed", {"version": case.version,
                                                      "outcome": "convicted"})
    db.commit()
    assert case.status == CaseStatus.CLOSED and case.closed_on
    with pytest.raises(Forbidden):
        service.update_case(db, inv, case.id, {"version": case.version, "title": "x"})
    with pytest.raises(Forbidden):
        workflow.move_case(db, inv, case.id, "open", {"version": case.version, "reason": "x"})
    with pytest.raises(Invalid) as err:
        workflow.move_case(db, sup, case.id, "open", {"version": case.version})
    assert err.value.field == "reason"
    db.rollback()
    workflow.move_case(db, sup, case.id, "open", {"version": case.version,
                                                   "reason": "Appeal: new evidence"})
    db.commit()
    assert case.status == CaseStatus.OPEN and case.outcome is None
    kinds = [e.summary for e in db.scalars(select(TimelineEntry).where(
        TimelineEntry.case_id == case.id, TimelineEntry.kind == "status")
        .order_by(TimelineEntry.id))]
    assert kinds[-1].startswith("Moved from closed to open (reopened: Appeal")
    assert len(kinds) == 6


def test_unknown_status_is_named(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    with pytest.raises(Invalid) as err:
        workflow.move_case(db, inv, case.id, "finished", {"version": case.version})
    assert err.value.field == "to"


def test_optimistic_locking(db, make):
    inv = make.officer()
    other = make.officer(agency=inv.agency)
    case = new_case(db, inv)
    seen = case.version
    service.update_case(db, inv, case.id, {"version": seen, "title": "First edit"})
    db.commit()
    with pytest.raises(Conflict) as err:
        service.update_case(db, other, case.id, {"version": seen, "title": "Second edit"})
    assert "changed by someone else" in err.value.message
    db.rollback()
    db.refresh(case)
    assert case.title == "First edit"


def test_edit_records_field_level_changes(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    service.update_case(db, inv, case.id, {"version": case.version, "title": "New title",
                                           "right_types": ["trademark", "copyright"],
                                           "summary": case.summary})
    db.commit()
    entry = db.scalars(select(TimelineEntry).where(TimelineEntry.kind == "edited")).one()
    changes = {c["field"]: c for c in entry.changes}
    assert set(changes) == {"title", "right_types_mask"}
    assert changes["title"]["before"] == COUNTERFEIT["title"]
    assert changes["title"]["after"] == "New title"


def test_restricted_case_visibility(db, make):
    inv = make.officer(Role.INVESTIGATOR)
    colleague = make.officer(Role.INVESTIGATOR, agency=inv.agency)
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    coord = make.officer(Role.COORDINATOR, country="MY")
    case = new_case(db, inv, sensitivity="restricted")
    for viewer, visible in ((inv, True), (sup, True), (colleague, False), (coord, False)):
        found = paginate(service.cases_query(db, viewer, service.CaseFilter()), 1, 50).items
        assert (case in found) is visible
        if not visible:
            with pytest.raises(NotFound):
                service.get_case(db, viewer, case.id)
    items.assign(db, sup, case.id, colleague.id)
    db.commit()
    assert service.get_case(db, colleague, case.id) is case


def test_other_country_and_network_roles_see_nothing(db, make):
    inv = make.officer(country="MY")
    case = new_case(db, inv)
    for outsider in (make.officer(country="TH"), make.officer(Role.COORDINATOR, country="TH"),
                     make.officer(Role.ADMIN), make.officer(Role.SECRETARIAT)):
        with pytest.raises(NotFound):
            service.get_case(db, outsider, case.id)
        assert paginate(service.cases_query(db, outsider, service.CaseFilter()), 1, 5).total == 0


def test_filters_and_full_text_search(db, make):
    inv = make.officer()
    shoes = opened_case(db, inv)
    watches = opened_case(db, inv, kind="online")
    items.add_item(db, inv, shoes.id, "seizure", {**SEIZURE, "brand": "Adidas Originals"})
    db.commit()

    def ids(**kw):
        query = service.cases_query(db, inv, service.CaseFilter(**kw))
        return {c.id for c in paginate(query, 1, 50).items}

    assert ids(kind="online") == {watches.id}
    assert ids(brand="adid") == {shoes.id}
    assert ids(platform="shopee") == {watches.id}
    assert ids(right_type="design") == {watches.id}
    assert ids(q="rolex") == {watches.id}
    assert ids(q="watchk") == {watches.id}          # prefix of a seller id
    assert ids(q="warehouse nike") == {shoes.id}
    assert ids(q="Petaling ROLEX") == set()
    assert ids(date_from="2026-10-01") == {shoes.id}
    assert ids(officer_id=inv.id) == {shoes.id, watches.id}
    with pytest.raises(Invalid) as err:
        ids(status="sleeping")
    assert err.value.field == "status"


def test_search_folds_vietnamese_and_keeps_thai(db, make):
    inv = make.officer(country="VN", agency=make.agency("VN", "DMS"))
    case = new_case(db, inv, title="Hàng giả thương hiệu Đồng Hồ", province="Ha Noi",
                    summary="ร้านขายนาฬิกา ปลอม")
    found = {c.id for c in paginate(service.cases_query(
        db, inv, service.CaseFilter(q="dong ho")), 1, 5).items}
    assert found == {case.id}
    found = {c.id for c in paginate(service.cases_query(
        db, inv, service.CaseFilter(q="ร้านขาย")), 1, 5).items}
    assert found == {case.id}


def test_concurrent_creation_gives_unique_gapless_references(app, db, make, backend):
    inv_id = make.officer().id
    refs: list[str] = []
    errors: list[Exception] = []

    def create(n: int) -> None:
        from anice import db as anice_db
        from anice.models import Officer

        try:
            with app.app_context():
                session = anice_db.session()
                actor = session.get(Officer, inv_id)
                for _ in range(5):
                    case = service.create_case(session, actor, COUNTERFEIT)
                    session.commit()
                    refs.append(case.reference)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=create, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert len(refs) == 30 and len(set(refs)) == 30
    assert sorted(int(r.rsplit("-", 1)[1]) for r in refs) == list(range(1, 31))


def test_notes_and_team(db, make):
    inv = make.officer()
    sup = make.officer(Role.SUPERVISOR, agency=inv.agency)
    pros = make.officer(Role.PROSECUTOR, agency=inv.agency)
    outsider = make.officer(agency=make.agency("MY", "OTHER"))
    case = new_case(db, inv)
    items.add_note(db, pros, case.id, "Suspect has a prior conviction.")
    with pytest.raises(Invalid):
        items.add_note(db, inv, case.id, "  ")
    with pytest.raises(Forbidden):
        items.assign(db, inv, case.id, pros.id)
    with pytest.raises(Invalid):
        items.assign(db, sup, case.id, outsider.id)
    items.assign(db, sup, case.id, pros.id)
    items.unassign(db, sup, case.id, inv.id)
    db.commit()
    assert case.assigned_ids == {pros.id}


def test_remove_and_edit_items(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    item = items.add_item(db, inv, case.id, "seizure", SEIZURE)
    items.update_item(db, inv, case.id, "seizure", item.id, {**SEIZURE, "quantity": "100"})
    db.commit()
    entry = db.scalars(select(TimelineEntry).where(TimelineEntry.kind == "seizure_edited")).one()
    assert entry.changes[0]["field"] == "seizure.quantity"
    items.remove_item(db, inv, case.id, "seizure", item.id)
    db.commit()
    assert case.seizures == []
    with pytest.raises(NotFound):
        items.remove_item(db, inv, case.id, "seizure", item.id)


def test_move_recorded_afterwards_keeps_its_day(db, make):
    from datetime import date

    inv = make.officer()
    case = new_case(db, inv, detected_on="2026-03-01")
    with pytest.raises(Invalid) as err:
        workflow.move_case(db, inv, case.id, "open", {"version": case.version,
                                                       "on": "2026-02-01"})
    assert err.value.field == "on"
    db.rollback()
    workflow.move_case(db, inv, case.id, "open", {"version": case.version, "on": "2026-03-04"})
    db.commit()
    assert case.opened_on == date(2026, 3, 4)


def test_brand_filter_folds_accents(db, make):
    inv = make.officer()
    case = new_case(db, inv)
    items.add_item(db, inv, case.id, "seizure", {**SEIZURE, "brand": "Hermès Birkin"})
    db.commit()
    found = paginate(service.cases_query(db, inv, service.CaseFilter(brand="HERMES")), 1, 5)
    assert [c.id for c in found.items] == [case.id]
    assert paginate(service.cases_query(db, inv, service.CaseFilter(brand="hermz")),
                    1, 5).total == 0
