"""flask reports generate|due: every scope of a period, versions only when figures change."""

from __future__ import annotations

from sqlalchemy import func, select

from anice.models import Case
from anice.models.report import Report, ScopeLevel

from .helpers import build_world


def test_generate_every_scope_of_a_month(runner, db, make):
    world = build_world(db, make)
    result = runner.invoke(args=["reports", "generate", "--period", "2026-10"])
    assert result.exit_code == 0, result.output
    scopes = 1 + 11 + 3  # the region, the member states, the agencies
    assert f"{scopes} reports of October 2026: {scopes} made, 0 unchanged" in result.output
    db.expire_all()
    levels = dict(db.execute(select(Report.scope_level, func.count())
                             .group_by(Report.scope_level)).all())
    assert levels == {ScopeLevel.REGION: 1, ScopeLevel.COUNTRY: 11, ScopeLevel.AGENCY: 3}
    my = db.scalar(select(Report).where(Report.country_code == "MY",
                                        Report.scope_level == ScopeLevel.COUNTRY))
    assert my.origin == "cli" and my.figures["seizures"]["total"]["value_usd"] == "1860.00"

    again = runner.invoke(args=["reports", "generate", "--period", "2026-10"])
    assert f"{scopes} reports of October 2026: 0 made, {scopes} unchanged" in again.output

    db.get(Case, world.cases["draft"].id).opened_on = world.cases["c1"].opened_on
    db.commit()
    changed = runner.invoke(args=["reports", "generate", "--period", "2026-10",
                                  "--scope", "country:MY"])
    assert "1 reports of October 2026: 1 made, 0 unchanged" in changed.output
    newest = db.scalar(select(Report).order_by(Report.id.desc()).limit(1))
    assert newest.previous_id == my.id and newest.changes


def test_generate_quarter_year_and_scopes(runner, db, make):
    build_world(db, make)
    for period, label in (("2026-Q3", "Q3 2026"), ("2025", "2025")):
        result = runner.invoke(args=["reports", "generate", "--period", period,
                                     "--scope", "region"])
        assert result.exit_code == 0 and f"1 reports of {label}: 1 made" in result.output
    custom = runner.invoke(args=["reports", "generate", "--period", "2026-10-01..2026-10-15",
                                 "--scope", "country:TH"])
    assert custom.exit_code == 0 and "1 made" in custom.output


def test_bad_arguments(runner, db, make):
    build_world(db, make)
    bad = runner.invoke(args=["reports", "generate", "--period", "2026-13"])
    assert bad.exit_code == 2 and "--period: '2026-13': the month must be 01 to 12" in bad.output
    bad = runner.invoke(args=["reports", "generate", "--period", "2026-10", "--scope", "x"])
    assert bad.exit_code == 2 and "--scope" in bad.output
    bad = runner.invoke(args=["reports", "generate", "--period", "2026-10",
                              "--scope", "country:XX"])
    assert bad.exit_code == 2 and "nothing matches" in bad.output
    assert db.scalar(select(func.count()).select_from(Report)) == 0


def test_due_runs_the_schedule_once(runner, db, make):
    build_world(db, make)
    first = runner.invoke(args=["reports", "due", "--today", "2026-11-01"])
    assert first.exit_code == 0 and "45 reports made for 2026-11-01" in first.output
    assert "  region 2026-10" in first.output and "  country:MY 2026-Q3" in first.output
    second = runner.invoke(args=["reports", "due", "--today", "2026-11-01"])
    assert "0 reports made" in second.output
