"""A right's goods and services per class (``right_goods``): written whenever the goods
or classes of a right are (import, edit, demo), read for the right's page and the API; and
the goods line a candidate shares with what was seen.

The whole list stays on the right (``registered_right.goods``, shown and searched); these rows
hold it cut per class, with the language when the source gives one (XML).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import delete
from sqlalchemy.orm import Session

from ..models import Right, RightGoods
from . import bulk
from .matching.goods import READ, GoodsMatch, GoodsPart, best_line, split_goods

# Goods lines are looked for in the best candidates only, never inside the index's loop.
TOP = 10
TABLE = RightGoods.__table__


def class_numbers(classes: str | None) -> list[int]:
    """``;25;18;`` (as stored) or ``25;18`` -> [25, 18]."""
    return [int(c) for c in (classes or "").split(";") if c.strip().isdigit()]


def parts_from_text(goods: str | None, classes: str | None) -> list[GoodsPart]:
    """A list as typed or published in one text, cut per class (see ``split_goods``)."""
    return split_goods(goods, class_numbers(classes))


def write_parts(db: Session, parts: Mapping[int, Iterable[GoodsPart]],
                fresh: Iterable[int] = ()) -> None:
    """Replace the goods rows of each right in ``parts`` (right id -> its parts); bulk
    statements, for import batches. ``fresh``: rights just created (nothing to replace)."""
    if not parts:
        return
    skip = set(fresh)
    ids = [i for i in parts if i not in skip]
    for start in range(0, len(ids), 1000):
        db.execute(delete(RightGoods).where(RightGoods.right_id.in_(ids[start:start + 1000]))
                   .execution_options(synchronize_session=False))
    rows = [{"right_id": right_id, "class_number": p.class_number, "text": p.text,
             "language": p.language}
            for right_id, items in parts.items() for p in items]
    bulk.insert_rows(db, TABLE, rows)


def rewrite(db: Session, right: Right) -> None:
    """The right's rows again from its goods text and classes (after an edit)."""
    write_parts(db, {right.id: parts_from_text(right.goods, right.classes)})
    db.expire(right, ["goods_rows"])


def goods_lines(rights: list[Right], seen: str | None,
                prefer: Iterable[int] = ()) -> dict[int, GoodsMatch | None]:
    """For the first ``TOP`` rights: the goods line sharing the most words with ``seen``.
    Read from the goods text the candidates' rows already carry (the same lists, a class
    per ``25:`` line): no query beyond the one that loaded the rights."""
    if not seen or not seen.strip():
        return {}
    wanted = frozenset(prefer)
    return {right.id: best_line(parts_from_text((right.goods or "")[:READ], right.classes),
                                seen, wanted)
            for right in rights[:TOP]}


def grouped(right: Right) -> list[tuple[int | None, list[GoodsPart]]]:
    """The right's goods by class, in the order published, for its page."""
    parts = [GoodsPart(r.class_number, r.text, r.language) for r in right.goods_rows]
    if not parts and right.goods:
        parts = parts_from_text(right.goods, right.classes)
    groups: dict[int | None, list[GoodsPart]] = {}
    for part in parts:
        groups.setdefault(part.class_number, []).append(part)
    return list(groups.items())
