"""Matching against the registry: the machine's shared index file, mapped by every
process, plus the rights changed since it was built (``shared_matcher``); the same for the
web app, the API, the jobs and the CLI (no Redis, no server needed)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..models import Right, RightName
from . import goods, index_store
from .matching.goods import GoodsMatch
from .matching.index import MarkIndex
from .matching.score import holder_key
from .shared_matcher import SharedMatcher, shared

MAX_QUERY = 500
MAX_LIMIT = 100


@dataclass
class Match:
    right: Right
    score: float
    reasons: list[str]
    # the right's goods line closest to the text seen (the best candidates only)
    goods_match: GoodsMatch | None = None


def _version(db: Session) -> tuple:
    """Changes whenever a right is added or updated (the app never deletes rights); each
    part is read from an index, so the check stays cheap at a million rights."""
    return (db.scalar(select(func.max(Right.id))), db.scalar(select(func.max(Right.updated_at))),
            db.scalar(select(func.max(RightName.id))))


def build_index(db: Session, progress=None, ids: list[int] | None = None) -> MarkIndex:
    """Stream the registry's word elements (and other spellings) into a fresh in-heap
    index: all of them, or the rights ``ids`` (the delta beside the shared file)."""
    index = MarkIndex()
    chunks = [None] if ids is None else [ids[i:i + 5000] for i in range(0, len(ids), 5000)]
    n = 0
    for chunk in chunks:
        for right_id, texts, classes, status, _updated in index_store.marks(db, chunk):
            index.add(right_id, texts, classes, status)
            n += 1
            if progress and n % 100_000 == 0:
                progress(n)
    return index


def matcher(db: Session) -> SharedMatcher:
    """This process's view of the registry: the machine's mapped index file (if any) and
    the rights changed since it was built, read from the database."""
    return shared.current(db)


def parse_classes(raw: Any, name: str = "classes") -> list[int]:
    """``25;18`` (or ``25,18``, or a list) -> [25, 18]; Invalid naming ``name``."""
    if raw in (None, "", []):
        return []
    items = raw if isinstance(raw, list | tuple) else str(raw).replace(",", ";").split(";")
    classes = []
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 45:
            raise Invalid(name, gettext("%(value)s is not a Nice class (1-45)",
                                        value=repr(text[:10])))
        classes.append(int(text))
    return classes


def match(db: Session, text: Any, classes: Iterable[int] = (), limit: int = 10,
          include_inactive: bool = False, only_classes: Iterable[int] = (),
          goods_text: str | None = None) -> list[Match]:
    """The registered rights ``text`` most likely infringes, best first, with reasons.

    ``classes``: the goods' likely Nice classes (candidates in them rank higher);
    ``only_classes``: only rights in one of these classes (the user's filter);
    ``goods_text``: the words to find in the best candidates' goods (default ``text``)."""
    if not isinstance(text, str) or not text.strip():
        raise Invalid("q", gettext("give the brand or listing text to match"))
    if len(text) > MAX_QUERY:
        raise Invalid("q", gettext("must be at most %(max)s characters", max=MAX_QUERY))
    if not 1 <= limit <= MAX_LIMIT:
        raise Invalid("limit", gettext("must be between 1 and %(max)s", max=MAX_LIMIT))
    classes = list(classes)

    def owners(ids: list) -> dict:
        """The candidates' owners: a text registered by several owners shows one of them
        ahead (`score.crowd`)."""
        return {i: holder_key(owner) for i, owner in db.execute(
            select(Right.id, Right.owner).where(Right.id.in_(ids))) if owner}

    found = matcher(db).search(text, classes=classes, limit=limit,
                               include_inactive=include_inactive,
                               only_classes=list(only_classes), db=db, owners=owners)
    rights = {r.id: r for r in db.scalars(select(Right).where(
        Right.id.in_([c.mark_id for c in found])))}
    out = [Match(rights[c.mark_id], c.score, c.reasons) for c in found if c.mark_id in rights]
    lines = goods.goods_lines([m.right for m in out],
                              text if goods_text is None else goods_text,
                              [*classes, *only_classes])
    for m in out:
        m.goods_match = lines.get(m.right.id)
    return out


def goods_match_json(found: GoodsMatch | None) -> dict | None:
    if found is None:
        return None
    return {"class": found.class_number, "term": found.term, "words": found.words}


def match_json(m: Match) -> dict:
    return {"office": m.right.office, "number": m.right.number,
            "designations": m.right.designation_list, "mark_text": m.right.mark_text,
            "score": m.score, "reasons": m.reasons,
            "goods_match": goods_match_json(m.goods_match)}


def query_fields(data: Mapping[str, Any]) -> tuple[str, list[int]]:
    return data.get("text") or data.get("q"), parse_classes(data.get("classes"))
