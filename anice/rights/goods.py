"""A right's goods and services per class (``right_goods``): written whenever the goods
or classes of a right are (import, edit, demo), read for the right's page and for the goods
line a candidate shares with what was seen.

The whole list stays on the right (``registered_right.goods``, shown and searched); these rows
hold it cut per class, with the language when the source gives one (XML).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from ..models import Right, RightGoods
from .matching.goods import GoodsMatch, GoodsPart, best_line, split_goods

# Goods lines are looked for in the best candidates only, never inside the index's loop.
TOP = 10
TABLE = RightGoods.__table__


def class_numbers(classes: str | None) -> list[int]:
    """``;25;18;`` (as stored) or ``25;18`` -> [25, 18]."""
    return [int(c) for c in (classes or "").split(";") if c.strip().isdigit()]


def parts_from_text(goods: str | None, classes: str | None) -> list[GoodsPart]:
    """A list as typed or published in one text, cut per class (see ``split_goods``)."""
    return split_goods(goods, class_numbers(classes))


def write_parts(db: Session, parts: Mapping[int, Iterable[GoodsPart]]) -> None:
    """Replace the goods rows of each right in ``parts`` (right id -> its parts); bulk
    statements, for import batches."""
    if not parts:
        return
    ids = list(parts)
    for start in range(0, len(ids), 1000):
        db.execute(delete(RightGoods).where(RightGoods.right_id.in_(ids[start:start + 1000]))
                   .execution_options(synchronize_session=False))
    rows = [{"right_id": right_id, "class_number": p.class_number, "text": p.text,
             "language": p.language}
            for right_id, items in parts.items() for p in items]
    if rows:
        db.execute(insert(TABLE), rows)


def rewrite(db: Session, right: Right) -> None:
    """The right's rows again from its goods text and classes (after an edit)."""
    write_parts(db, {right.id: parts_from_text(right.goods, right.classes)})
    db.expire(right, ["goods_rows"])


def parts_of(db: Session, rights: Iterable[Right]) -> dict[int, list[GoodsPart]]:
    """Each right's goods per class, in one query; a right without rows (made before them,
    or by hand) is cut from its text."""
    rights = list(rights)
    found: dict[int, list[GoodsPart]] = {r.id: [] for r in rights}
    if not rights:
        return found
    for row in db.execute(select(RightGoods.right_id, RightGoods.class_number,
                                 RightGoods.text, RightGoods.language)
                          .where(RightGoods.right_id.in_(list(found)))
                          .order_by(RightGoods.id)):
        found[row.right_id].append(GoodsPart(row.class_number, row.text, row.language))
    for right in rights:
        if not found[right.id] and right.goods:
            found[right.id] = parts_from_text(right.goods, right.classes)
    return found


def goods_lines(db: Session, rights: list[Right], seen: str | None,
                prefer: Iterable[int] = ()) -> dict[int, GoodsMatch | None]:
    """For the first ``TOP`` rights: the goods line sharing the most words with ``seen``."""
    rights = rights[:TOP]
    if not seen or not seen.strip() or not rights:
        return {}
    wanted = frozenset(prefer)
    return {right_id: best_line(parts, seen, wanted)
            for right_id, parts in parts_of(db, rights).items()}


def grouped(right: Right) -> list[tuple[int | None, list[GoodsPart]]]:
    """The right's goods by class, in the order published, for its page."""
    parts = [GoodsPart(r.class_number, r.text, r.language) for r in right.goods_rows]
    if not parts and right.goods:
        parts = parts_from_text(right.goods, right.classes)
    groups: dict[int | None, list[GoodsPart]] = {}
    for part in parts:
        groups.setdefault(part.class_number, []).append(part)
    return list(groups.items())
