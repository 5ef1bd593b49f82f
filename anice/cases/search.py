"""Full-text search over cases behind one interface: SQLite FTS5 or PostgreSQL tsvector.

The indexed text is folded in Python first (case, Latin diacritics, đ), so both
backends see the same tokens. Brands are also indexed by their reading in
`anice.text.brand.brand_key`, and each query word is tried as written and as that reading,
so "nike" finds an item of "NlKE" and "NlKE" finds "Nike".
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.orm import Session

from ..models import Case, CaseSearch, SeizureItem
from ..text.brand import brand_key

MAX_TERMS = 8


def fold(value: str) -> str:
    """Lower-case, drop accents from Latin letters (keep Thai/Khmer/Lao/Burmese marks)."""
    decomposed = unicodedata.normalize("NFKD", value.replace("đ", "d").replace("Đ", "D"))
    out: list[str] = []
    for ch in decomposed:
        if unicodedata.category(ch) == "Mn" and out and ord(out[-1]) < 0x250:
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out)).casefold()


def document(case: Case) -> str:
    parts = [case.reference, case.title, case.summary or "", " ".join(case.tags or [])]
    parts += [f"{s.brand} {s.brand_key} {s.description}" for s in case.seizures]
    parts += [" ".join(filter(None, (x.title, x.seller_name, x.seller_id))) for x in case.listings]
    parts += [p.name for p in case.parties]
    return fold(" ".join(parts))


def reindex(db: Session, case: Case) -> None:
    """Refresh the case's search document (same transaction as the change)."""
    row = db.get(CaseSearch, case.id)
    body = document(case)
    if row is None:
        db.add(CaseSearch(case_id=case.id, body=body))
    elif row.body != body:
        row.body = body


def terms(query: str) -> list[str]:
    """Words of a query: runs of letters, marks and digits (Thai vowel signs are marks)."""
    words, current = [], []
    for ch in fold(query):
        if unicodedata.category(ch)[0] in "LMN":
            current.append(ch)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words[:MAX_TERMS]


def readings(word: str) -> list[str]:
    """A query word as written and, when it differs, as a brand reads (`brand_key`)."""
    key = brand_key(word)
    return [word] if not (key.isascii() and key.isalnum()) or key == word else [word, key]


def matching(db: Session, query: str) -> ColumnElement[bool] | None:
    """A filter on Case for the words of ``query`` (all words, each as a prefix)."""
    words = terms(query)
    if not words:
        return None
    if db.get_bind().dialect.name == "postgresql":
        # case_search.tsv: a stored tsvector column made by the migration (GIN-indexed),
        # so rows are not re-parsed when the planner walks the list order.
        tsquery = " & ".join("(" + " | ".join(f"{r}:*" for r in readings(w)) + ")"
                             for w in words)
        ids = select(CaseSearch.case_id).where(
            literal_column("case_search.tsv").op("@@")(func.to_tsquery("simple", tsquery)))
        return Case.id.in_(ids)
    fts = " AND ".join("(" + " OR ".join('"' + r.replace('"', "") + '"*' for r in readings(w))
                       + ")" for w in words)
    ids = text("SELECT rowid FROM case_fts WHERE case_fts MATCH :fts").bindparams(fts=fts)
    return Case.id.in_(ids)


def rekey_brands(db: Session, batch: int = 1000) -> int:
    """Recompute every seizure's ``brand_key`` with `brand_key` (after the normaliser
    changed) and refresh the search documents of the cases touched; returns how many items
    changed. Derived data only: no case content changes, so nothing is audited."""
    changed: set[int] = set()
    count, last = 0, 0
    while rows := db.execute(select(SeizureItem).where(SeizureItem.id > last)
                             .order_by(SeizureItem.id).limit(batch)).scalars().all():
        for item in rows:
            key = brand_key(item.brand)
            if item.brand_key != key:
                item.brand_key = key
                changed.add(item.case_id)
                count += 1
        last = rows[-1].id
        db.flush()
    for case_id in sorted(changed):
        reindex(db, db.get(Case, case_id))
    return count
