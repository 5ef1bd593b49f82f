"""Browser journey of an international registration (Madrid, office WO): an investigator in
VN finds it under the VN office filter and reads its designations on the right's page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from anice.models import Right, Role
from anice.rights import importing

from ..factories import PASSWORD, Factory
from ..rights.helpers import HEADER, csv_bytes
from .a11y import assert_accessible
from .test_journeys import current_code, go, log_in

pytestmark = [pytest.mark.sqlite_only, pytest.mark.browser, pytest.mark.xdist_group("browser")]


def test_madrid_mark_listed_and_shown_with_its_designations(live_server, page):
    with live_server.db() as db:
        person = Factory(db).officer(role=Role.INVESTIGATOR, country="VN")
        email, secret = person.email, person.totp_secret
        importing.import_csv(db, None, csv_bytes(
            "WO,1600001,trademark,registered,VELTRONA,25,Veltrona SA,,,,,,,MY SG VN",
            header=HEADER + ",designations"))
        db.commit()
        right_id = db.scalar(select(Right.id).where(Right.number == "1600001"))
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/rights/?office=VN")
    expect(page.get_by_role("cell", name="WO (designating MY, SG, VN)")).to_be_visible()
    assert_accessible(page)
    go(page, f"{live_server.url}/rights/{right_id}")
    expect(page.get_by_text("International registration, designating MY, SG, VN")) \
        .to_be_visible()
    assert_accessible(page)
