"""My work: the home page's lists of what waits for the officer.

Each list is one small function ``(db, officer) -> Section | None`` (None: the list does
not concern this officer). They are registered in SECTIONS below, in the order the page
shows them; to add a list, write its function and add it here.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from ..models import Officer
from . import sections
from .section import Item, Section

__all__ = ["SECTIONS", "Item", "Section", "my_work"]

SectionFn = Callable[[Session, Officer], Section | None]

SECTIONS: list[SectionFn] = [
    sections.approvals,
    sections.to_route,
    sections.to_accept,
    sections.info_requested,
    sections.referral_requests,
    sections.deadlines,
    sections.assigned,
    sections.imports_finished,
    sections.reports_finished,
]


def my_work(db: Session, officer: Officer) -> list[Section]:
    """The lists that concern the officer, each counted within what it may see."""
    return [s for fn in SECTIONS if (s := fn(db, officer)) is not None]
