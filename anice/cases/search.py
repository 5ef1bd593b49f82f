"""Full-text search over cases behind one interface: SQLite FTS5 or PostgreSQL tsvector.

The indexed text is folded in Python first (case, Latin diacritics, đ), so both
backends see the same tokens.
"""

from __future__ import annotations

import unicodedata

from sqlalchemy import ColumnElement, func, literal_column, select, text
from sqlalchemy.orm import Session

from ..models import Case, CaseSearch

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
    parts += [f"{s.brand} {s.description}" for s in case.seizures]
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


def matching(db: Session, query: str) -> ColumnElement[bool] | None:
    """A filter on Case for the words of ``query`` (all words, each as a prefix)."""
    words = terms(query)
    if not words:
        return None
    if db.get_bind().dialect.name == "postgresql":
        # case_search.tsv: a stored tsvector column made by the migration (GIN-indexed),
        # so rows are not re-parsed when the planner walks the list order.
        tsquery = " & ".join(f"{w}:*" for w in words)
        ids = select(CaseSearch.case_id).where(
            literal_column("case_search.tsv").op("@@")(func.to_tsquery("simple", tsquery)))
        return Case.id.in_(ids)
    fts = " ".join('"' + w.replace('"', "") + '"*' for w in words)
    ids = text("SELECT rowid FROM case_fts WHERE case_fts MATCH :fts").bindparams(fts=fts)
    return Case.id.in_(ids)
