"""The demo case set: made through the services, consistent, deterministic."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from anice import audit, demo
from anice.cases import places
from anice.demo.cases import load_cases
from anice.models import Case, CaseSearch, CaseStatus, TimelineEntry, UsdRate


def test_demo_cases_cover_the_workflow_and_keep_the_audit_chain(db):
    demo.load(db)
    seen = []
    assert load_cases(db, count=60, seed=1, progress=seen.append) == 60
    assert sum(seen) == 60
    cases = db.scalars(select(Case).order_by(Case.id)).all()
    assert len(cases) == 60
    assert {c.kind.value for c in cases} == {"counterfeit", "online"}
    assert len({c.status for c in cases}) >= 4
    assert any(c.status != CaseStatus.DRAFT for c in cases)
    assert {c.country_code for c in cases} == {"MY", "TH", "VN"}
    today = datetime.now(UTC).date()
    for c in cases:
        assert c.detected_on is None or c.detected_on <= today
        assert c.province is None or c.province in places.provinces(c.country_code)
    with_timeline = db.scalar(select(func.count(func.distinct(TimelineEntry.case_id))))
    assert with_timeline == 60
    bodies = db.scalars(select(CaseSearch.body)).all()
    assert len(bodies) == 60 and all(bodies)
    assert db.scalar(select(func.count()).select_from(UsdRate)) > 0
    assert audit.verify(db).ok

    # Same seed, same cases: a second (shorter) load repeats the first titles.
    assert load_cases(db, count=12, seed=1) == 12
    again = db.scalars(select(Case.title).order_by(Case.id).offset(60)).all()
    assert again == [c.title for c in cases[:12]]
    assert audit.verify(db).ok


def test_demo_load_cases_option(runner, db):
    assert runner.invoke(args=["demo", "load", "--cases", "-1", "--not-embedded-ok"]).exit_code == 2
    result = runner.invoke(args=["demo", "load", "--cases", "5", "--not-embedded-ok"])
    assert result.exit_code == 0, result.output
    assert "5 demo cases loaded" in result.output
    assert db.scalar(select(func.count()).select_from(Case)) == 5
