"""Bulk import of cases from one CSV file: a preview that writes nothing, then all or nothing.

Rows with the same ``case_key`` form one case, whose details come from its first row; a
row adds a seizure item when ``brand`` is filled and a listing when ``url`` is filled.
The checks are the services' own: both steps run ``create_case`` and ``add_item`` inside
the session's transaction, which the preview always rolls back and the import rolls back
on any error.
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, correlation, policy
from ..errors import Forbidden, Invalid
from ..models import Case, Officer
from ..text.locales import N_
from ..validation import Reading
from . import items, places, rates, service

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
MAX_ERRORS = 200
MAX_KEY_LEN = 100
# progress(cases done, cases in the file)
Progress = Callable[[int, int], None]

CASE_COLUMNS = ("kind", "title", "summary", "right_types", "detection", "province", "city",
                "detected_on", "sensitivity", "tags")
# CSV column -> field of add_item, per kind of item.
SEIZURE_COLUMNS = {name: name for name in ("brand", "description", "category", "quantity",
                                           "unit", "value_local", "currency", "usd_rate",
                                           "storage_place", "disposal", "disposal_on",
                                           "container_number", "airway_bill",
                                           "vehicle_plate")}
LISTING_COLUMNS = {"url": "url", "platform": "platform", "seller_name": "seller_name",
                   "seller_id": "seller_id", "listing_title": "title", "price": "price",
                   "listing_currency": "currency", "seen_at": "seen_at",
                   "takedown_requested_on": "takedown_requested_on",
                   "takedown_done_on": "takedown_done_on", "takedown_result": "takedown_result"}
# (kind for add_item, the column that makes a row add one, its columns, noun)
ITEMS = (("seizure", "brand", SEIZURE_COLUMNS, N_("seizure item")),
         ("listing", "url", LISTING_COLUMNS, N_("listing")))
COLUMNS = ("case_key", *CASE_COLUMNS, *SEIZURE_COLUMNS, *LISTING_COLUMNS)


@dataclass(frozen=True)
class RowError:
    """One problem: ``line`` is the row as a spreadsheet numbers it (header = 1), None for
    the whole file; ``column`` the CSV column ("" for the whole row)."""

    line: int | None
    column: str
    message: str

    @property
    def where(self) -> str:
        if self.line is None:
            return self.column or "file"
        return f"line {self.line}, {self.column}" if self.column else f"line {self.line}"


@dataclass
class PlannedCase:
    key: str
    line: int
    kind: str
    title: str
    seizures: int = 0
    listings: int = 0


@dataclass
class ImportPreview:
    rows: int = 0
    cases: list[PlannedCase] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    # More than MAX_ERRORS problems: the rest of the file was not checked.
    truncated: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_ERRORS

    @property
    def seizures(self) -> int:
        return sum(c.seizures for c in self.cases)

    @property
    def listings(self) -> int:
        return sum(c.listings for c in self.cases)

    def error(self, line: int | None, column: str, message: str) -> None:
        # One problem per cell: a bad value must not also be reported as a missing one.
        if any(e.line == line and e.column == column for e in self.errors[-20:]):
            return
        if self.full:
            self.truncated = True
            return
        self.errors.append(RowError(line, column, message))


class ImportRefused(Invalid):
    """The file has errors; nothing was imported. Carries the preview with every error."""

    def __init__(self, preview: ImportPreview) -> None:
        count = len(preview.errors)
        if preview.truncated:
            message = gettext("%(num)s or more errors; nothing was imported", num=count)
        elif count == 1:
            message = gettext("1 error; nothing was imported")
        else:
            message = gettext("%(num)s errors; nothing was imported", num=count)
        super().__init__("file", message,
                         [(e.where, e.message) for e in preview.errors])
        self.preview = preview


# --- reading the file ------------------------------------------------------------------

def _decode(raw: str | bytes, result: ImportPreview) -> str | None:
    data = raw.encode("utf-8", "replace") if isinstance(raw, str) else raw
    if len(data) > MAX_BYTES:
        result.error(None, "file", gettext("is larger than %(num)s MB: split it into smaller "
                                           "files", num=MAX_BYTES // (1024 * 1024)))
        return None
    if data.startswith(b"PK\x03\x04"):
        result.error(None, "file", gettext("is a spreadsheet workbook, not CSV: save it as "
                                           "\"CSV UTF-8\" and upload that"))
        return None
    utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not utf16 and b"\x00" in data[:4096]:
        result.error(1, "file", gettext("holds NUL bytes: UTF-16 text without a byte-order "
                                        "mark? Save it as \"CSV UTF-8\""))
        return None
    encoding = "utf-16" if utf16 else "utf-8"
    try:
        text = raw if isinstance(raw, str) else data.decode(encoding)
    except UnicodeDecodeError as exc:
        line = data[:exc.start].decode(encoding, "ignore").count("\n") + 1
        if utf16:
            problem = gettext("is not valid UTF-16 text (from this line on): save it as "
                              "\"CSV UTF-8\"")
        else:
            problem = gettext("is not UTF-8 text: byte %(byte)s on this line is not UTF-8 "
                              "(Latin-1 or Windows-1252?): save it as \"CSV UTF-8\"",
                              byte=f"0x{data[exc.start]:02X}")
        result.error(line, "file", problem)
        return None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        result.error(None, "file", gettext("is empty: the first line must be the header "
                                           "(see the template)"))
        return None
    return text


def _records(text: str, result: ImportPreview) -> list[list[str]] | None:
    """Every record, stopping at the first unreadable one or past MAX_ROWS data rows."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[list[str]] = []
    data_rows = 0
    try:
        for record in reader:
            records.append(record)
            if len(records) > 1 and any(cell.strip() for cell in record):
                data_rows += 1
            if data_rows > MAX_ROWS:
                result.error(None, "file", gettext(
                    "has more than %(num)s rows: split it into files of at most %(num)s rows",
                    num=f"{MAX_ROWS:,}"))
                return None
    except csv.Error as exc:
        result.error(reader.line_num, "file",
                     gettext("cannot be read as CSV: %(problem)s", problem=exc))
        return None
    return records


def _header(record: list[str], result: ImportPreview) -> list[str] | None:
    names = [cell.strip().lower() for cell in record]
    if len(names) == 1 and any(sep in names[0] for sep in ";\t|"):
        result.error(1, "file", gettext("is not separated by commas: save it as \"CSV UTF-8 "
                                        "(comma delimited)\""))
        return None
    seen: set[str] = set()
    for name in names:
        if not name:
            continue  # allowed while the column is empty, see _rows
        if name in seen:
            result.error(1, name[:40], gettext("appears twice in the header"))
        elif name not in COLUMNS:
            result.error(1, name[:40], gettext("is not an import column; the columns are: "
                                               "%(columns)s", columns=", ".join(COLUMNS)))
        seen.add(name)
    if "case_key" not in seen:
        result.error(1, "case_key", gettext("column is missing: every row needs a case key "
                                            "(rows with the same key form one case)"))
    return names if result.ok else None


def _rows(records: list[list[str]], names: list[str],
          result: ImportPreview) -> list[tuple[int, dict[str, str]]]:
    rows = []
    for line, record in enumerate(records[1:], start=2):
        cells = [cell.strip() for cell in record]
        if not any(cells):
            continue
        result.rows += 1
        if any(cells[len(names):]):
            result.error(line, "", gettext(
                "has %(cells)s cells but the header has %(columns)s columns (a value "
                "containing a comma needs quotes)", cells=len(cells), columns=len(names)))
            continue
        row: dict[str, str] = {}
        for i, name in enumerate(names):
            value = cells[i] if i < len(cells) else ""
            if name:
                row[name] = value
            elif value:
                result.error(line, gettext("column %(num)s", num=i + 1),
                             gettext("has a value but no name in the header"))
        rows.append((line, row))
    return rows


def _read(raw: str | bytes, result: ImportPreview) -> list[tuple[int, dict[str, str]]]:
    text = _decode(raw, result)
    records = _records(text, result) if text is not None else None
    names = _header(records[0], result) if records else None
    if names is None:
        return []
    rows = _rows(records, names, result)
    if result.rows == 0:
        result.error(None, "file", gettext("has a header but no rows"))
    return rows


def _group(rows: list[tuple[int, dict[str, str]]],
           result: ImportPreview) -> dict[str, list[tuple[int, dict[str, str]]]]:
    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    for line, row in rows:
        key = row.get("case_key", "")
        if not key:
            result.error(line, "case_key",
                         gettext("is required (rows with the same key form one case)"))
        elif len(key) > MAX_KEY_LEN:
            result.error(line, "case_key",
                         gettext("must be at most %(num)s characters", num=MAX_KEY_LEN))
        else:
            groups.setdefault(key, []).append((line, row))
    return groups


# --- running the services ----------------------------------------------------------------

def _case_data(row: dict[str, str]) -> dict[str, object]:
    data: dict[str, object] = {name: row[name] for name in CASE_COLUMNS if name in row}
    if "tags" in data:
        data["tags"] = re.split(r"[;,]", str(data["tags"]))
    return data


def _check_repeats(key: str, rows: list[tuple[int, dict[str, str]]],
                   result: ImportPreview) -> None:
    """Later rows of a case may repeat its details, but not contradict them."""
    first_line, first = rows[0]
    for line, row in rows[1:]:
        for name in CASE_COLUMNS:
            if row.get(name) and row[name] != first.get(name, ""):
                result.error(line, name, gettext(
                    "differs from line %(line)s, the first row of case '%(key)s': a case's "
                    "details come from its first row", line=first_line, key=key))


def _create(db: Session, actor: Officer, line: int, data: dict[str, object],
            result: ImportPreview) -> tuple[Case | None, bool]:
    """The case and whether it is valid; for an invalid one, a stand-in without the bad
    fields, so that its rows' items are still checked (the rollback discards it)."""
    try:
        return service.create_case(db, actor, data), True
    except Invalid as exc:
        for name, message in exc.errors:
            result.error(line, name, message)
        bad = {name for name, _ in exc.errors}
    stand_in = {"kind": "counterfeit", "title": "import check",
                **{k: v for k, v in data.items() if k not in bad and v}}
    try:
        return service.create_case(db, actor, stand_in), False
    except Invalid:
        return None, False


def _add_items(db: Session, actor: Officer, case: Case | None, planned: PlannedCase,
               line: int, row: dict[str, str], result: ImportPreview) -> None:
    for kind, trigger, columns, noun in ITEMS:
        filled = [name for name in columns if row.get(name)]
        if not filled:
            continue
        if trigger not in filled:
            columns = ", ".join(filled)
            result.error(line, trigger, gettext(
                "is required for a %(item)s (%(columns)s is filled)", item=gettext(noun),
                columns=columns) if len(filled) == 1 else gettext(
                "is required for a %(item)s (%(columns)s are filled)", item=gettext(noun),
                columns=columns))
            continue
        if kind == "seizure":
            planned.seizures += 1
        else:
            planned.listings += 1
        if case is None:
            continue
        try:
            items.add_item(db, actor, case.id, kind,
                           {name: row.get(column, "") for column, name in columns.items()},
                           reading=Reading.typed_by(actor))
        except Invalid as exc:
            to_column = {name: column for column, name in columns.items()}
            for name, message in exc.errors:
                result.error(line, to_column.get(name, name), message)


def _import_case(db: Session, actor: Officer, key: str,
                 rows: list[tuple[int, dict[str, str]]], result: ImportPreview) -> int | None:
    """Run the services for one case and its items; its id, None if its own fields are
    invalid (errors in its items are in ``result``)."""
    first_line, first = rows[0]
    planned = PlannedCase(key, first_line, first.get("kind", "").lower(), first.get("title", ""))
    result.cases.append(planned)
    _check_repeats(key, rows, result)
    case, valid = _create(db, actor, first_line, _case_data(first), result)
    for line, row in rows:
        _add_items(db, actor, case, planned, line, row, result)
    if case is None:
        return None
    # Keep the session small: each ORM UPDATE (audit head, counters) scans all it holds.
    db.expunge(case)
    return case.id if valid else None


def _apply(db: Session, actor: Officer, raw: str | bytes,
           progress: Progress | None = None) -> tuple[ImportPreview, list[int]]:
    result = ImportPreview()
    groups = _group(_read(raw, result), result)
    case_ids: list[int] = []
    for done, (key, rows) in enumerate(groups.items()):
        if result.full:
            result.truncated = True
            break
        if progress:
            progress(done, len(groups))
        case_id = _import_case(db, actor, key, rows, result)
        if case_id is not None:
            case_ids.append(case_id)
    if progress:
        progress(len(groups), len(groups))
    return result, case_ids


def _allowed(actor: Officer) -> None:
    if not policy.can_import_cases(actor):
        raise Forbidden(gettext("Only investigators and supervisors import cases."))


def preview_import(db: Session, actor: Officer, raw: str | bytes,
                   progress: Progress | None = None) -> ImportPreview:
    """Check a CSV file exactly as ``commit_import`` would, and write nothing.

    The services run in the session's transaction, which is then rolled back: call it
    with a session that holds nothing else. (No savepoint: with pysqlite a savepoint
    opened outside a transaction commits when released.)
    """
    _allowed(actor)
    try:
        with correlation.deferred(db):  # rolled back: nothing to correlate
            result, _ = _apply(db, actor, raw, progress)
    finally:
        db.rollback()
    return result


def commit_import(db: Session, actor: Officer, raw: str | bytes,
                  progress: Progress | None = None) -> list[Case]:
    """Create every case of the file in the caller's transaction, or none of them.

    Raises ``ImportRefused`` (an ``Invalid`` on field "file" listing every row error).
    """
    _allowed(actor)
    try:
        with correlation.deferred(db):
            result, case_ids = _apply(db, actor, raw, progress)
        if result.ok:
            correlation.refresh_cases(db, case_ids, actor)
            audit.record(db, actor, "case.import", country_code=actor.country_code,
                         details={"rows": result.rows, "cases": len(case_ids),
                                  "seizures": result.seizures, "listings": result.listings})
    except BaseException:
        db.rollback()
        raise
    if not result.ok:
        db.rollback()
        log.info("case import refused", extra={"rows": result.rows,
                                               "errors": len(result.errors)})
        raise ImportRefused(result)
    log.info("cases imported", extra={"rows": result.rows, "cases": len(case_ids)})
    return list(db.scalars(select(Case).where(Case.id.in_(case_ids)).order_by(Case.id)))


def template_csv(db: Session, actor: Officer) -> str:
    """The header and two example rows that import as they are for this officer."""
    currency = actor.agency.country.currency
    day = datetime.now(UTC).date() - timedelta(days=7)
    rate = rates.rate_on(db, currency, day)
    province = next(iter(places.provinces(actor.country_code)), "")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerow({
        "case_key": "raid-1", "kind": "counterfeit", "title": "Warehouse raid: fake sports shoes",
        "summary": "Fake shoes found in a warehouse.", "right_types": "trademark",
        "detection": "raid", "province": province, "detected_on": day.isoformat(),
        "sensitivity": "normal", "tags": "shoes;warehouse", "brand": "Nike",
        "description": "Running shoes", "category": "footwear", "quantity": "120",
        "unit": "pairs", "value_local": "6000" if rate else "",
        "currency": currency if rate else "", "storage_place": "Store room 3"})
    writer.writerow({
        "case_key": "shop-1", "kind": "online", "title": "Online seller of fake watches",
        "right_types": "trademark;design", "province": province,
        "detected_on": day.isoformat(), "url": "https://shop.example/item/123",
        "platform": "shopee", "seller_name": "Watch King", "seller_id": "watchking88",
        "listing_title": "Premium copy watch", "price": "350", "listing_currency": currency,
        "seen_at": f"{day.isoformat()}T10:00", "takedown_requested_on": day.isoformat(),
        "takedown_result": "pending"})
    # A BOM, so that spreadsheet programs open the file as UTF-8.
    return "\ufeff" + out.getvalue()
