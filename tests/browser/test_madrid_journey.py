"""Browser journey of an international registration (Madrid, office WO): an investigator in
VN finds it under the VN office filter, reads its designations and its goods by class on the
right's page, and sees on a case's candidate the goods line its listing matched."""

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
            "WO,1600001,trademark,registered,VELTRONA,25;18,Veltrona SA,,,,,,"
            '"25: Footwear; running shoes, sports shoes; 18: Backpacks",MY SG VN,12-2024',
            header=HEADER + ",designations,class_edition"))
        db.commit()
        right = db.scalar(select(Right).where(Right.number == "1600001"))
        right_id = right.id
        factory = Factory(db)
        case = factory.case(person, kind="online")
        factory.listing(person, case, title="VELTRONA running shoes flash sale")
        factory.match(person, case, right, decision=None)
        case_id = case.id
    log_in(page, live_server, email, PASSWORD, current_code(secret))
    go(page, f"{live_server.url}/rights/?office=VN")
    expect(page.get_by_role("cell", name="WO (designating MY, SG, VN)")).to_be_visible()
    assert_accessible(page)
    go(page, f"{live_server.url}/rights/{right_id}")
    expect(page.get_by_text("International registration, designating MY, SG, VN")) \
        .to_be_visible()
    goods = page.locator("#goods")
    expect(goods.get_by_role("heading")).to_contain_text("Nice classification, edition 12-2024")
    expect(goods.get_by_text("Class 25")).to_be_visible()
    expect(goods.get_by_text("Footwear; running shoes, sports shoes")).to_be_visible()
    expect(goods.get_by_text("Class 18")).to_be_visible()
    assert_accessible(page)
    go(page, f"{live_server.url}/cases/{case_id}#matches")
    line = page.locator("#matches .goods-line").first
    expect(line).to_have_text("Goods line that matched: Class 25: running shoes")
    expect(line.locator("mark")).to_have_text(["running", "shoes"])
    assert_accessible(page)
