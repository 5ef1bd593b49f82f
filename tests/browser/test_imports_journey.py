"""Browser journey of the import jobs: a coordinator uploads a rights CSV (CSRF on, the file
parsed while it is sealed), watches the job's page until its script sees the job end and
shows the report; an investigator uploads a cases CSV, the check's page turns into the
preview, the import is confirmed and its page turns into the list of created cases. Jobs
are held back (a recording enqueue) and run by the test, so the pages are seen waiting."""

from __future__ import annotations

import io
import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from anice.models import Right, Role
from anice.rights import importing_zip

from ..cases.test_import import GOOD
from ..factories import PASSWORD, Factory
from ..held_jobs import HeldJobs
from ..rights.helpers import ADIDAS, NIKE, csv_bytes
from ..rights.test_import_st96 import st96
from ..rights.test_mark_images import logo, st96_figurative, zipped
from .a11y import assert_accessible
from .screenshots import save
from .test_journeys import current_code, go, log_in, path_of, submit

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


@pytest.fixture
def held_jobs(monkeypatch, live_server):
    """Jobs the services queue, kept until ``run()`` runs them (as a worker would)."""
    return HeldJobs(monkeypatch, live_server.app).run


def officer(live_server, role, country="MY"):
    with live_server.db() as db:
        person = Factory(db).officer(role=role, country=country)
        return person.email, person.totp_secret


def test_rights_import_shows_progress_then_the_report(live_server, page, held_jobs, tmp_path):
    email, secret = officer(live_server, Role.COORDINATOR)
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/rights/import")
    path = tmp_path / "marks.csv"
    path.write_bytes(csv_bytes(NIKE, ADIDAS).getvalue())
    page.get_by_label("CSV, XML or ZIP file").set_input_files(str(path))
    page.get_by_label("Skip the bad rows and import the others").check()
    submit(page, "Import")
    assert re.fullmatch(r"/rights/import/\d+", path_of(page))
    expect(page.get_by_role("heading", name="Waiting for a worker")).to_be_visible()
    expect(page.locator("[data-import-text]")).to_contain_text("Queued")
    assert held_jobs() == ["workers.rights.import_rights"]
    # The page's script polls the status and reloads itself when the job has ended.
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("1 inserted")
    expect(page.locator("main")).to_contain_text("you may not import rights of office TH")
    assert_accessible(page)
    save(page, "rights-import-report")


def test_case_import_check_confirm_and_report(live_server, page, held_jobs, tmp_path):
    email, secret = officer(live_server, Role.INVESTIGATOR)
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/cases/import")
    path = tmp_path / "cases.csv"
    path.write_text(GOOD, encoding="utf-8")
    page.get_by_label("CSV file").set_input_files(str(path))
    submit(page, "Check the file")
    expect(page.get_by_role("heading", name="Waiting for a worker")).to_be_visible()
    assert held_jobs() == ["workers.cases.check_import"]
    expect(page.get_by_role("button", name="Import 2 cases")).to_be_visible()
    assert_accessible(page)
    submit(page, "Import 2 cases")
    assert held_jobs() == ["workers.cases.run_import"]
    expect(page.get_by_role("heading", name="2 cases imported")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^MY-")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Raid on Petaling Street")


def test_admin_edits_a_right(live_server, page):
    from anice.rights import importing

    email, secret = officer(live_server, Role.ADMIN)
    with live_server.db() as db:
        importing.import_csv(db, None, csv_bytes(NIKE))
        db.commit()
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/rights/?q=nike")
    page.locator("main").get_by_role("link", name="NIKE").click()
    page.get_by_role("link", name="Edit").click()
    assert_accessible(page)
    page.get_by_label("Other spellings and transliterations, one per line").fill("ไนกี้\nNAIKI")
    page.get_by_label("Country of contact 1").select_option("TH")
    page.get_by_label("Name of contact 1").fill("Somchai P.")
    page.get_by_label("E-mail of contact 1").fill("not-an-address")
    submit(page, "Save")
    expect(page.locator("#c0-email-error")).to_contain_text("is not an e-mail address")
    save(page, "rights-edit-form")
    page.get_by_label("E-mail of contact 1").fill("th@nike.example")
    submit(page, "Save")
    expect(page.locator("main")).to_contain_text("ไนกี้ (Thai)")
    expect(page.get_by_role("table", name="Contacts per member state")).to_contain_text(
        "Somchai P.")


def test_st96_designs_import_with_warnings_then_their_statuses_are_mapped(
        live_server, page, held_jobs):
    from ..rights.test_import_st96 import FIXTURES

    email, secret = officer(live_server, Role.COORDINATOR)
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/rights/import")
    page.get_by_label("CSV, XML or ZIP file").set_input_files(str(FIXTURES / "st96_designs_my.xml"))
    submit(page, "Import")
    assert held_jobs() == ["workers.rights.import_rights"]
    expect(page.get_by_role("heading", name="Imported")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("2 inserted")
    expect(page.get_by_role("table", name="Warnings")).to_contain_text(
        "'Design lapsed' is in no status table")
    assert_accessible(page)
    go(page, f"{live_server.url}/rights/")
    page.get_by_role("link", name="Office status values").click()
    page.get_by_label("Value as the office publishes it").fill("Design lapsed")
    page.get_by_label("Means (required)").select_option("expired")
    submit(page, "Save")
    expect(page.locator("main")).to_contain_text("now means Expired")
    expect(page.get_by_role("table", name="Status values (1)")).to_contain_text("Design lapsed")
    assert_accessible(page)
    save(page, "rights-status-table")
    go(page, f"{live_server.url}/rights/?q=shoe+soles")
    page.locator("main").get_by_role("link", name="Shoe soles").click()
    expect(page.locator("main")).to_contain_text("“Design lapsed”")
    assert_accessible(page)


def test_a_base_file_then_its_daily_update_and_a_rights_history(live_server, page):
    """Jobs run inline here (the outbox after the upload's commit): each upload lands on
    its report. The same update twice changes nothing and says when it was imported."""
    from ..rights.test_updates import FIXTURES

    email, secret = officer(live_server, Role.COORDINATOR)
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    for name, outcome in (("daily_base_my.csv", "5 inserted"),
                          ("daily_update_my.csv", "1 withdrawn"),
                          ("daily_update_my.csv", "6 unchanged")):
        go(page, f"{live_server.url}/rights/import")
        page.get_by_label("CSV, XML or ZIP file").set_input_files(str(FIXTURES / name))
        submit(page, "Import")
        expect(page.get_by_role("heading", name="Imported")).to_be_visible()
        expect(page.get_by_role("status")).to_contain_text(outcome)
    expect(page.locator("main")).to_contain_text("This file was already imported on")
    expect(page.get_by_role("table", name="Warnings")).to_contain_text(
        "Delete of MY TM1999000001: no such right in the registry")
    assert_accessible(page)
    go(page, f"{live_server.url}/rights/import")
    expect(page.get_by_role("table", name="Recently imported files")).to_contain_text(
        "daily_update_my.csv")
    assert_accessible(page)
    go(page, f"{live_server.url}/rights/?q=kappa")
    page.locator("main").get_by_role("link", name="KAPPA").click()
    expect(page.locator("main")).to_contain_text("Created by the import of")
    history = page.get_by_role("table", name="History of the right")
    expect(history).to_contain_text("Expired")
    expect(history).to_contain_text("Status: Registered → Expired")
    assert_accessible(page)
    page.set_viewport_size({"width": 1280, "height": 800})
    history.scroll_into_view_if_needed()
    save(page, "rights-history")


def test_mark_images_from_a_zip_on_the_registry_the_right_and_the_case(live_server, page):
    """A ZIP delivery (ST.96 with its image beside it) imported at the server; an
    investigator sees the thumbnail in the registry and beside the case's candidate, and
    the full image with its Vienna codes on the right's page."""
    with live_server.db() as db:
        make = Factory(db)
        person = make.officer(role=Role.INVESTIGATOR, country="SG")
        email, secret = person.email, person.totp_secret
        bundle = zipped({"SG/trademarks.xml": st96(st96_figurative()),
                         "SG/images/40202455555F.jpg": logo()})
        importing_zip.import_file(db, None, io.BytesIO(bundle), filename="delivery.zip")
        db.commit()
        right = db.scalar(select(Right).where(Right.number == "40202455555F"))
        case = make.case(person)
        make.seizure_item(person, case, brand="RED LOTUS")
        make.match(person, case, right, decision=None)
        right_id, case_id = right.id, case.id
    alt = "Image of the mark RED LOTUS (Vienna codes 26.04.03)"
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/rights/?q=lotus")
    thumb = page.get_by_role("img", name=alt)
    expect(thumb).to_be_visible()
    assert thumb.evaluate("img => img.complete && img.naturalWidth") == 120
    go(page, f"{live_server.url}/rights/{right_id}")
    full = page.get_by_role("img", name=alt)
    expect(full).to_be_visible()
    assert full.evaluate("img => img.naturalWidth") == 120
    expect(page.get_by_role("heading", name="Mark image")).to_be_visible()
    expect(page.locator("figcaption")).to_contain_text("26.04.03")
    assert_accessible(page)
    save(page, "right-mark-image")
    go(page, f"{live_server.url}/cases/{case_id}")
    candidate = page.locator("#matches").get_by_role("img", name=alt)
    expect(candidate).to_be_visible()
    assert candidate.evaluate("img => img.naturalWidth") == 120
    assert_accessible(page)
