"""What one list of the home page is: a title, a count, a link to the full list, a few
items, and what to say when it is empty."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from ..text.locales import N_

ITEMS_SHOWN = 5


@dataclass
class Item:
    label: str
    url: str | None = None
    detail: str = ""


@dataclass
class Section:
    key: str  # a stable name ("approvals"), also the HTML id of the section
    title: str
    count: int
    link: str | None  # the full, filtered list (its count is ``count``)
    items: list[Item] = field(default_factory=list)
    empty: str = N_("Nothing waits.")  # translated where shown
    link_label: str = N_("See all")
    urgent: bool = False  # asks for action (approvals, answers): shown with a mark


def count_of(db: Session, query: Select) -> int:
    return db.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0


def first(db: Session, query: Select, n: int = ITEMS_SHOWN) -> list:
    return list(db.scalars(query.limit(n)).unique())
