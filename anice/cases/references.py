"""Case references, unique per agency and year and never reused: MY-KPDN-2026-000123."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from ..models import Agency, CaseCounter


def _insert_ignore(db: Session):
    dialect = postgresql if db.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(CaseCounter)


def next_sequence(db: Session, agency_id: int, year: int) -> int:
    """Take the next number under a row lock, so concurrent creations never collide."""
    bump = (update(CaseCounter)
            .where(CaseCounter.agency_id == agency_id, CaseCounter.year == year)
            .values(last=CaseCounter.last + 1)
            .returning(CaseCounter.last)
            .execution_options(synchronize_session=False))
    last = db.execute(bump).scalar()
    if last is None:
        db.execute(_insert_ignore(db).values(agency_id=agency_id, year=year, last=0)
                   .on_conflict_do_nothing())
        last = db.execute(bump).scalar_one()
    return last


def format_reference(agency: Agency, year: int, seq: int) -> str:
    return f"{agency.country_code}-{agency.code}-{year}-{seq:06d}"
