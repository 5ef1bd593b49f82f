"""My work: each list counts what waits for the officer, and nothing of anybody else's,
through services (SQLite and PostgreSQL) and over HTTP."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from anice import mywork
from anice.models import (
    Case,
    ImportJob,
    ImportKind,
    ImportStatus,
    PeriodKind,
    Referral,
    Report,
    ReportStatus,
    ScopeLevel,
    utcnow,
)
from anice.mywork import Section
from anice.referrals import service as referrals

from ..factories import World

SOON = (referrals.today() + timedelta(days=2)).isoformat()
LATER = "2099-01-31"


def _request(w: World, case: Case, to: str = "TH", deadline: str = LATER) -> dict:
    return {"to": to, "requested_action": "investigate", "handling_code": "within_country",
            "message": "Same supplier.", "deadline": deadline, "fields": ["title"],
            "seizures": [str(case.seizures[0].id)] if case.seizures else []}


@dataclass
class Scene:
    w: World
    pending: Referral  # MY police, waits for sup_my's approval
    sent: Referral  # with TH's coordinator
    routed: Referral  # with TH police, answer due in two days
    asked: Referral  # TH police asked MY police for more
    vn: Referral  # with VN's coordinator (nobody of TH sees it)


def _referral(db, make, w: World, to: str = "TH", deadline: str = LATER,
              state: str = "sent", author=None) -> Referral:
    author = author or w.inv_my
    case = make.case(author, opened=True)
    r = make.referral(author, case, state="draft", **_request(w, case, to, deadline))
    if state == "draft":
        return r
    referrals.submit(db, author, r.id)
    db.commit()
    if state == "pending":
        return r
    referrals.approve(db, w.sup_my, r.id, {})
    db.commit()
    if state in ("routed", "asked"):
        referrals.route(db, w.coord_th, r.id, {"agency_id": str(w.th_police.id)})
        db.commit()
    if state == "asked":
        referrals.request_info(db, w.sup_th, r.id, {"message": "Which port?"})
        db.commit()
    return r


@pytest.fixture
def scene(db, make) -> Scene:
    w = make.world()
    return Scene(w, pending=_referral(db, make, w, state="pending"),
                 sent=_referral(db, make, w),
                 routed=_referral(db, make, w, deadline=SOON, state="routed"),
                 asked=_referral(db, make, w, state="asked"),
                 vn=_referral(db, make, w, to="VN", deadline=SOON))


def sections_of(db, officer) -> dict[str, Section]:
    return {s.key: s for s in mywork.my_work(db, officer)}


def refs(section: Section) -> set[str]:
    return {i.label for i in section.items}


def test_each_role_gets_its_own_lists(db, scene):
    w = scene.w
    assert {"approvals", "to_accept", "info_requested", "deadlines", "assigned",
            "imports", "reports"} <= set(sections_of(db, w.sup_my))
    assert set(sections_of(db, w.coord_th)) >= {"to_route", "deadlines", "reports"}
    assert "approvals" not in sections_of(db, w.coord_th)
    assert set(sections_of(db, w.inv_my)) == {"info_requested", "assigned", "imports"}
    assert set(sections_of(db, w.secretariat)) == {"reports"}
    assert "assigned" not in sections_of(db, w.admin)


def test_approvals_are_the_agency_supervisors_alone(db, scene):
    w = scene.w
    mine = sections_of(db, w.sup_my)["approvals"]
    assert mine.count == 1 and refs(mine) == {scene.pending.reference}
    assert mine.link == "/referrals/?box=outbox&status=pending_approval"
    # The TH supervisor approves nothing of MY police's.
    assert "approvals" in sections_of(db, w.sup_th)
    assert sections_of(db, w.sup_th)["approvals"].count == 0


def test_referrals_to_route_are_the_receiving_coordinators(db, scene):
    w = scene.w
    th = sections_of(db, w.coord_th)["to_route"]
    assert th.count == 1 and refs(th) == {scene.sent.reference}
    vn = sections_of(db, w.coord_vn)["to_route"]
    assert refs(vn) == {scene.vn.reference}
    assert sections_of(db, w.coord_my)["to_route"].count == 0


def test_referrals_to_accept_are_the_routed_agencys(db, scene):
    w = scene.w
    th = sections_of(db, w.sup_th)["to_accept"]
    assert th.count == 1 and refs(th) == {scene.routed.reference}
    assert sections_of(db, w.sup_th_customs)["to_accept"].count == 0
    assert sections_of(db, w.sup_my)["to_accept"].count == 0


def test_information_requested_of_the_sending_agency(db, scene):
    w = scene.w
    for officer in (w.inv_my, w.sup_my):
        asked = sections_of(db, officer)["info_requested"]
        assert asked.count == 1 and refs(asked) == {scene.asked.reference}
    assert sections_of(db, w.inv_my_customs)["info_requested"].count == 0
    assert sections_of(db, w.inv_th)["info_requested"].count == 0


def test_deadlines_within_three_days_and_overdue(db, scene):
    w = scene.w
    th = sections_of(db, w.sup_th)["deadlines"]
    assert th.count == 1 and refs(th) == {scene.routed.reference}
    coord = sections_of(db, w.coord_th)["deadlines"]
    assert refs(coord) == {scene.routed.reference}  # the one due soon; "sent" is due 2099
    assert refs(sections_of(db, w.coord_vn)["deadlines"]) == {scene.vn.reference}
    # Overdue counts too.
    scene.sent.deadline = referrals.today() - timedelta(days=1)
    db.commit()
    assert sections_of(db, w.coord_th)["deadlines"].count == 2
    assert sections_of(db, w.sup_my)["deadlines"].count == 0


def test_cases_assigned_to_me_within_what_i_may_see(db, make, scene):
    w = scene.w
    mine = sections_of(db, w.inv_my)["assigned"]
    # The five cases inv_my created for the referrals: it is on each case's team.
    assert mine.count == 5 and mine.link == f"/cases/?officer={w.inv_my.id}"
    make.case(w.inv_my2)
    assert sections_of(db, w.inv_my)["assigned"].count == 5
    assert sections_of(db, w.inv_my2)["assigned"].count == 1
    assert sections_of(db, w.sup_my)["assigned"].count == 0


def _job(db, officer, status, days_ago=0, kind=ImportKind.CASES) -> ImportJob:
    at = utcnow() - timedelta(days=days_ago)
    job = ImportJob(kind=kind, status=status, officer_id=officer.id,
                    country_code=officer.country_code, filename=f"{status.value}.csv",
                    upload_id=f"u{officer.id}{status.value}{days_ago}{kind.value}"[:32],
                    created_at=at, finished_at=at)
    db.add(job)
    db.commit()
    return job


def test_imports_finished_lately_are_the_uploaders(db, scene):
    w = scene.w
    done = _job(db, w.inv_my, ImportStatus.DONE)
    _job(db, w.inv_my, ImportStatus.REFUSED, days_ago=1)
    _job(db, w.inv_my, ImportStatus.DONE, days_ago=30)  # too old
    _job(db, w.inv_my2, ImportStatus.DONE)  # somebody else's
    running = _job(db, w.inv_my, ImportStatus.RUNNING)
    running.finished_at = None
    db.commit()
    mine = sections_of(db, w.inv_my)["imports"]
    assert mine.count == 2 and mine.items[0].url == f"/cases/import/{done.id}"
    assert sections_of(db, w.inv_my2)["imports"].count == 1
    rights = _job(db, w.coord_my, ImportStatus.DONE, kind=ImportKind.RIGHTS)
    coord = sections_of(db, w.coord_my)["imports"]
    assert coord.count == 1 and coord.items[0].url == f"/rights/import/{rights.id}"


def _report(db, level, country=None, agency=None, status=ReportStatus.DONE, days_ago=0):
    report = Report(scope_level=level, country_code=country,
                    agency_id=agency.id if agency else None, period_kind=PeriodKind.MONTH,
                    period_key="2026-10", period_start=date(2026, 10, 1),
                    period_end=date(2026, 10, 31), status=status, origin="schedule",
                    figures={"schema": 2},
                    generated_at=utcnow() - timedelta(days=days_ago))
    db.add(report)
    db.commit()
    return report


def test_reports_finished_lately_within_the_readers_scope(db, scene):
    w = scene.w
    mine = _report(db, ScopeLevel.AGENCY, "MY", w.my_police)
    _report(db, ScopeLevel.AGENCY, "MY", w.my_police, days_ago=20)  # too old
    _report(db, ScopeLevel.AGENCY, "MY", w.my_police, status=ReportStatus.FAILED)
    _report(db, ScopeLevel.AGENCY, "TH", w.th_police)
    national = _report(db, ScopeLevel.COUNTRY, "MY")
    sup = sections_of(db, w.sup_my)["reports"]
    assert sup.count == 1 and sup.items[0].url == f"/reports/{mine.id}"
    coord = sections_of(db, w.coord_my)["reports"]
    assert coord.count == 1 and coord.items[0].url == f"/reports/{national.id}"
    assert sections_of(db, w.secretariat)["reports"].count == 0


def test_empty_lists_say_so(db, make):
    w = make.world()
    home = sections_of(db, w.sup_th)
    assert home["approvals"].count == 0 and home["approvals"].items == []
    assert home["approvals"].empty == "No referral waits for your approval."


def test_a_list_can_be_registered(db, make, monkeypatch):
    w = make.world()
    extra = Section("requests", "Referral requests to answer", 3, "/referrals/?box=inbox")
    monkeypatch.setattr(mywork, "SECTIONS", [*mywork.SECTIONS, lambda db, o: extra,
                                             lambda db, o: None])
    keys = [s.key for s in mywork.my_work(db, w.coord_my)]
    assert keys[-1] == "requests" and keys.count("requests") == 1


# --- over HTTP -----------------------------------------------------------------------

def _as(auth, officer):
    auth.logout()
    assert auth.login(officer).status_code == 302


def test_home_lists_the_approval_and_its_link_shows_it(client, auth, db, scene):
    w = scene.w
    _as(auth, w.sup_my)
    page = client.get("/").get_data(as_text=True)
    assert "Referrals waiting for your approval" in page and scene.pending.reference in page
    assert 'href="/referrals/?box=outbox&amp;status=pending_approval"' in page
    listed = client.get("/referrals/?box=outbox&status=pending_approval").get_data(as_text=True)
    assert scene.pending.reference in listed and scene.sent.reference not in listed


def test_home_of_another_agency_shows_none_of_it(client, auth, db, scene):
    w = scene.w
    _as(auth, w.sup_th)
    page = client.get("/").get_data(as_text=True)
    assert scene.pending.reference not in page and "No referral waits for your approval." in page
    assert scene.routed.reference in page  # to accept, and due soon
    assert client.get("/referrals/?box=inbox&due=1").get_data(as_text=True).count(
        scene.routed.reference) == 1


def test_a_supervisors_inbox_shows_what_waits_for_its_approval(client, auth, db, scene):
    w = scene.w
    _as(auth, w.sup_my)
    inbox = client.get("/referrals/?box=inbox").get_data(as_text=True)
    assert "Waiting for your approval (1)" in inbox and scene.pending.reference in inbox
    assert "1 to approve" in inbox
    _as(auth, w.inv_my)
    inbox = client.get("/referrals/?box=inbox").get_data(as_text=True)
    assert "Waiting for your approval" not in inbox and scene.pending.reference not in inbox

