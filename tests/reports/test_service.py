"""Generation, versions with their diff, the schedule, subscriptions and notifications."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from anice.errors import Invalid
from anice.models import AuditEvent, Case, Notification, Role
from anice.models.report import PeriodKind, Report, ReportStatus
from anice.reports import figures, service
from anice.reports.periods import Period, Scope, due_periods, parse_period
from workers.reports import generate_due, run_report

OCT = parse_period("2026-10")
TODAY = date(2026, 11, 25)


def test_generate_freezes_figures_with_their_hash(db, world):
    result = service.generate(db, Scope.country("MY"), OCT, origin="cli", today=TODAY)
    db.commit()
    report = result.report
    assert result.created and report.status == ReportStatus.DONE and report.progress == 100
    assert report.period_key == "2026-10" and report.period_kind == PeriodKind.MONTH
    assert report.sha256 == figures.digest(report.figures)
    db.expire_all()
    stored = db.get(Report, report.id)
    assert figures.digest(stored.figures) == stored.sha256  # the JSON round-trips exactly
    assert stored.figures["seizures"]["total"]["value_usd"] == "1860.00"
    assert stored.previous_id is None and stored.changes is None
    row = db.scalar(select(AuditEvent).where(AuditEvent.action == "report.generate"))
    assert row.country_code == "MY" and row.details["sha256"] == report.sha256


def test_regenerating_a_closed_period_keeps_versions_and_shows_what_changed(db, world):
    first = service.generate(db, Scope.country("MY"), OCT, origin="cli", today=TODAY).report
    db.commit()
    again = service.generate(db, Scope.country("MY"), OCT, origin="cli", today=TODAY)
    assert not again.created and again.report.id == first.id  # same figures: no new version
    # A case recorded late: a counterfeit case opened on 30 October.
    late = db.get(Case, world.cases["draft"].id)
    late.opened_on = date(2026, 10, 30)
    db.commit()
    second = service.generate(db, Scope.country("MY"), OCT, origin="cli", today=TODAY)
    db.commit()
    assert second.created and second.report.previous_id == first.id
    assert second.report.sha256 != first.sha256
    changed = {c["path"]: (c["before"], c["after"]) for c in second.report.changes}
    assert changed["cases.opened.total.cases"] == (3, 4)
    assert changed["cases.opened.rows[counterfeit].cases"] == (2, 3)
    assert changed["cases.right_types[trademark].opened"] == (2, 3)
    label = next(c["label"] for c in second.report.changes
                 if c["path"] == "cases.opened.total.cases")
    assert label == "Cases › opened › total › cases"
    assert first.figures["cases"]["opened"]["total"]["cases"] == 3  # the old one is kept
    assert [r.id for r in service.versions_of(db, second.report)] == [second.report.id,
                                                                      first.id]


def test_due_periods():
    assert [p.key for p in due_periods(date(2026, 11, 1))] == ["2026-10", "2026-Q3", "2025"]
    assert [p.key for p in due_periods(date(2027, 1, 1))] == ["2026-12", "2026-Q4", "2026"]
    assert [p.key for p in due_periods(date(2026, 4, 15))] == ["2026-03", "2026-Q1", "2025"]


def test_generate_due_makes_every_scope_once(db, world, make):
    make.officer(role=Role.SECRETARIAT)  # creates the (skipped) secretariat agency
    result = generate_due("2026-11-01")
    scopes = service.all_scopes(db)
    # region + 11 countries + the agencies (not the secretariat's)
    assert len(scopes) == 1 + 11 + 3
    assert len(result["made"]) == 3 * len(scopes)
    assert "country:MY 2026-10" in result["made"] and "region 2025" in result["made"]
    counts = dict(db.execute(select(Report.period_kind, func.count())
                             .group_by(Report.period_kind)).all())
    assert counts == {PeriodKind.MONTH: 15, PeriodKind.QUARTER: 15, PeriodKind.YEAR: 15}
    assert generate_due("2026-11-01")["made"] == []  # idempotent
    assert generate_due("2026-11-20")["made"] == []  # later in the month: nothing new
    made = generate_due(date(2026, 12, 1))["made"]
    assert len(made) == len(scopes) and all(m.endswith("2026-11") for m in made)


def test_subscribers_who_may_read_are_notified(db, world, make):
    coordinator = make.officer(role=Role.COORDINATOR, country="MY")
    th_coordinator = make.officer(role=Role.COORDINATOR, country="TH")
    supervisor = make.officer(role=Role.SUPERVISOR, agency=world.a1)
    unsubscribed = make.officer(role=Role.COORDINATOR, country="MY")
    for officer in (coordinator, th_coordinator, supervisor):
        service.set_subscriptions(db, officer, ["month", "year"])
    db.commit()
    # The data set's own notices (referrals, matches) came before: count only what follows.
    before = db.scalar(select(func.max(Notification.id))) or 0
    service.generate(db, Scope.country("MY"), OCT, origin="schedule", today=TODAY)
    db.commit()
    told = dict(db.execute(select(Notification.officer_id, Notification.message)
                           .where(Notification.id > before)).all())
    assert set(told) == {coordinator.id}
    assert told[coordinator.id] == "Monthly national report MY, 2026-10 is ready"
    assert unsubscribed.id not in told
    service.generate(db, Scope.agency(world.a1.id, "MY"), parse_period("2026-Q4"),
                     origin="schedule", today=TODAY)
    db.commit()
    assert not db.scalar(select(Notification).where(Notification.officer_id == supervisor.id))


def test_subscriptions_are_validated_and_audited(db, world, make):
    coordinator = make.officer(role=Role.COORDINATOR, country="MY")
    assert service.set_subscriptions(db, coordinator, ["quarter"]) == {PeriodKind.QUARTER}
    assert service.subscriptions(db, coordinator) == {PeriodKind.QUARTER}
    with pytest.raises(Invalid) as err:
        service.set_subscriptions(db, coordinator, ["custom"])
    assert err.value.field == "kinds"
    with pytest.raises(Invalid):
        service.set_subscriptions(db, coordinator, ["weekly"])
    assert service.set_subscriptions(db, coordinator, []) == set()
    db.commit()
    assert db.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "report.subscribe")) == 2


@pytest.mark.parametrize("data, field", [
    ({"period": "2026-13"}, "period"), ({"period": "next month"}, "period"),
    ({}, "period"), ({"start": "2026-01-01"}, "end"), ({"end": "2026-01-01"}, "start"),
    ({"start": "2026-02-01", "end": "2026-01-01"}, "end"),
    ({"start": "2020-01-01", "end": "2026-01-01"}, "end"),
    ({"period": "2099-01"}, "period")])
def test_bad_requests_name_the_field(db, world, make, data, field):
    coordinator = make.officer(role=Role.COORDINATOR, country="MY")
    with pytest.raises(Invalid) as err:
        service.request_report(db, coordinator, data)
    assert err.value.field == field
    assert db.scalar(select(func.count()).select_from(Report)) == 0


def test_on_demand_report_runs_as_a_job_and_tells_the_requester(db, world, make):
    coordinator = make.officer(role=Role.COORDINATOR, country="MY")
    report = service.request_report(db, coordinator, {"start": "2026-10-01",
                                                      "end": "2026-10-15"})
    db.commit()
    assert report.status == ReportStatus.QUEUED and report.origin == "on-demand"
    assert run_report(report.id)["status"] == "done"
    db.expire_all()
    report = db.get(Report, report.id)
    assert report.status == ReportStatus.DONE and report.period_kind == PeriodKind.CUSTOM
    assert report.figures["cases"]["opened"]["total"] == {"cases": 3}  # c1, c3, c5 (not c2)
    note = db.scalar(select(Notification).where(Notification.officer_id == coordinator.id))
    assert note.url == f"/reports/{report.id}" and "2026-10-01..2026-10-15" in note.message
    assert db.scalar(select(AuditEvent.details).where(
        AuditEvent.action == "report.request")) == {"scope": "country:MY",
                                                    "period": "2026-10-01..2026-10-15"}


def test_a_failed_job_is_recorded_on_the_report(db, world, make, monkeypatch):
    supervisor = make.officer(role=Role.SUPERVISOR, agency=world.a1)
    report = service.request_report(db, supervisor, {"period": "2026-10"})
    db.commit()

    def broken(*_args, **_kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(figures, "compute", broken)
    assert run_report(report.id)["status"] == "failed"
    db.expire_all()
    report = db.get(Report, report.id)
    assert report.status == ReportStatus.FAILED and "database went away" in report.error


def test_custom_period_comparisons():
    p = Period.custom(date(2026, 1, 10), date(2026, 1, 19))
    assert p.previous() == Period.custom(date(2025, 12, 31), date(2026, 1, 9))
    assert p.year_before() == Period.custom(date(2025, 1, 10), date(2025, 1, 19))
    leap = Period.custom(date(2024, 2, 29), date(2024, 3, 1)).year_before()
    assert leap.start == date(2023, 2, 28)
