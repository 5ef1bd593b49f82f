"""Small-cell suppression for cross-agency (regional) figures; pure functions.

The rule (docs/reports.md):

1. A row of a table that counts fewer than ``min_cell`` cases (but more than none) is
   suppressed: every figure of the row is withheld (``None``) and the row is marked
   ``suppressed``. A row without cases (0) is shown: it singles nobody out.
2. Complementary suppression: when a table shows a total and exactly one of its rows is
   suppressed, the total minus the other rows would give it back, so the smallest other
   non-empty row is suppressed as well; if there is none, the total is withheld too.
3. A total that itself counts fewer than ``min_cell`` cases is withheld.
4. Lists without totals (top brands) simply leave out the entries below the threshold;
   single figures (a headline, a percentile over fewer than ``min_cell`` referrals) are
   withheld the same way.
"""

from __future__ import annotations

from collections.abc import Iterable


def small(count: int | None, min_cell: int | None) -> bool:
    return bool(min_cell) and count is not None and 0 < count < min_cell


def _blank(row: dict, keep: Iterable[str]) -> None:
    for key in list(row):
        if key not in keep:
            row[key] = None
    row["suppressed"] = True


def suppress_rows(rows: list[dict], min_cell: int | None, keep: Iterable[str],
                  count_key: str = "cases", total: dict | None = None) -> None:
    """Apply rules 1-3 in place to ``rows`` (and ``total``); ``keep`` names the columns
    that describe a row (category, platform...) and stay visible."""
    if not min_cell:
        return
    keep = set(keep)
    hidden = [r for r in rows if small(r.get(count_key), min_cell)]
    if total is not None and len(hidden) == 1:
        others = sorted((r for r in rows if r not in hidden and (r.get(count_key) or 0) > 0),
                        key=lambda r: r.get(count_key) or 0)
        if others:
            hidden.append(others[0])
        else:
            _blank(total, ())
    for row in hidden:
        _blank(row, keep)
    if total is not None and small(total.get(count_key), min_cell):
        _blank(total, ())


def suppress_value(value, count: int | None, min_cell: int | None):
    """A single figure based on ``count`` cases: withheld when the count is small."""
    return None if small(count, min_cell) else value
