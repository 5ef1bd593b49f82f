"""Bulk import of rights from CSV: streaming, upsert by (office, number), in batches.

Every run is recorded (``provenance``: the file, its SHA-256, who, when, the counts), every
right points to the run that created it and the last one that changed it, and every
change writes a history row (``history``), so that a row that did not change writes
nothing at all.

Rows are read one at a time from a text wrapper over the file (constant memory but for
one 8-byte key per row, to name the first line of a number repeated in the file), and
written per batch of ``BATCH`` rows with SQLAlchemy Core (``upsert.write_batch``).

Two modes: ``abort`` (all or nothing: the caller's transaction, rolled back on any
error, every error reported) and ``skip`` (bad rows reported and left out, a commit
after every batch, so that a long import keeps its progress).
"""

from __future__ import annotations

import codecs
import csv
import io
import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from .. import audit, policy
from ..errors import Forbidden, Invalid
from ..events import RightsChanged, announce
from ..models import Officer, RegistryImport, utcnow
from ..text.locales import N_
from . import goods, index_store, mark_images, provenance
from .mark_images import ImageRef, MarkImages
from .matching.goods import GoodsPart
from .service import RightFields, check_designated, member_offices, right_values
from .upsert import WRITTEN, Batch, write_batch

log = logging.getLogger(__name__)

COLUMNS = ("office", "number", "type", "status", "mark_text", "classes", "owner",
           "representative", "contact_email", "filing_date", "registration_date",
           "expiry_date", "goods")
# Columns a file may leave out: designations (of an international registration, office
# WO: member states separated by spaces or ';'); class_edition (of the classes: Nice
# "12-2024", Locarno "14"); operation (insert, update or delete, as in a daily update
# file; insert and update both upsert, delete withdraws).
OPTIONAL = ("designations", "class_edition", "operation")
OPERATIONS = ("insert", "update", "delete")
# Columns a file may add that are not the right's own: a mark image (a file name inside the
# same ZIP) and its Vienna codes separated by ';'.
IMAGE_COLUMNS = ("image", "vienna")
BATCH = 5_000
MAX_ERRORS = 1_000
# The csv module refuses fields over 128 KiB; goods lists run to 1,000,000 characters
# (service.TEXT_LIMITS), and a little beyond is let through to be named by its field.
csv.field_size_limit(max(csv.field_size_limit(), 4 * 1024 * 1024))
MODES = ("abort", "skip")


# A header's problem, for one column and for several (the names, then the header wanted).
MISSING_COLUMNS = (N_("missing column %(columns)s; the header must be %(header)s"),
                   N_("missing columns %(columns)s; the header must be %(header)s"))
UNKNOWN_COLUMNS = (N_("unknown column %(columns)s; the header must be %(header)s"),
                   N_("unknown columns %(columns)s; the header must be %(header)s"))
REPEATED_COLUMNS = (N_("repeated column %(columns)s; the header must be %(header)s"),
                    N_("repeated columns %(columns)s; the header must be %(header)s"))


@dataclass(frozen=True)
class RowError:
    """``line`` as an editor numbers it (header = 1), None for the whole file."""

    line: int | None
    field: str
    message: str

    @property
    def where(self) -> str:
        if self.line is None:
            return self.field or "file"
        return f"line {self.line}, {self.field}" if self.field else f"line {self.line}"

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class ImportResult:
    mode: str = "abort"
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0  # rights withdrawn by a Delete record (not counted as updated)
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    # Imported anyway, but worth a look (an office's status value no table knows).
    warnings: list[RowError] = field(default_factory=list)
    truncated: bool = False  # more than MAX_ERRORS errors: the rest are not listed
    fatal: bool = False  # the file could not be read to its end
    format: str = ""  # csv, st66, st86, st96
    run: RegistryImport | None = None  # the provenance row of this run
    officer_id: int | None = None
    sha256: str | None = None
    previous: RegistryImport | None = None  # an earlier run of the same file
    source: str = ""  # the file being read inside a ZIP: named in every problem
    images: int = 0  # rights whose mark images were set or replaced

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, line: int | None, name: str, message: str) -> None:
        if len(self.errors) >= MAX_ERRORS:
            self.truncated = True
            return
        self.errors.append(RowError(line, self._in_source(name), message))

    def warn(self, line: int | None, name: str, message: str) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(RowError(line, self._in_source(name), message))

    def _in_source(self, name: str) -> str:
        if not self.source or name == self.source:
            return name
        return f"{self.source}: {name}" if name else self.source


class RightsImportRefused(Invalid):
    """Abort mode met errors: nothing was written. Carries the result with every error."""

    def __init__(self, result: ImportResult) -> None:
        count = len(result.errors)
        if result.truncated:
            message = gettext("%(num)s or more errors; nothing was imported", num=count)
        elif count == 1:
            message = gettext("1 error; nothing was imported")
        else:
            message = gettext("%(num)s errors; nothing was imported", num=count)
        # ``where`` ("line 3, brand") stays English: the API gives it as the problem's field.
        super().__init__("file", message, [(e.where, e.message) for e in result.errors])
        self.result = result


# --- reading --------------------------------------------------------------------------

def _check_encoding(stream: IO[bytes], result: ImportResult) -> str | None:
    """The file's encoding (UTF-8, with or without BOM, or UTF-16 with a BOM), checked to
    its end in one fast pass before anything is written; None (and the error) if not."""
    start = stream.tell()
    head = stream.read(4)
    if head.startswith(b"PK\x03\x04"):
        result.error(None, "file", gettext("is a spreadsheet workbook, not CSV: save it as "
                                           "\"CSV UTF-8\""))
        return None
    utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    encoding = "utf-16" if utf16 else "utf-8"
    units = "utf-16-le" if head.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
    decoder = codecs.getincrementaldecoder(encoding)()
    chunk, line = head, 1
    while chunk:
        if not utf16 and b"\x00" in chunk:
            at = line + chunk[:chunk.index(b"\x00")].count(b"\n")
            result.error(at, "file", gettext("holds NUL bytes: UTF-16 text without a "
                                             "byte-order mark? Save it as \"CSV UTF-8\""))
            return None
        try:
            text = decoder.decode(chunk)
        except UnicodeDecodeError as exc:
            if utf16:
                line += chunk[:exc.start].decode(units, "ignore").count("\n")
                result.error(line, "file", gettext("is not valid UTF-16 text (from this line "
                                                   "on): save it as \"CSV UTF-8\""))
            else:
                line += chunk[:exc.start].count(b"\n")
                result.error(line, "file", gettext(
                    "is not UTF-8 text: byte %(byte)s on this line is not UTF-8 (Latin-1 or "
                    "Windows-1252?): save it as \"CSV UTF-8\"",
                    byte=f"0x{chunk[exc.start]:02X}"))
            return None
        line += text.count("\n") if utf16 else chunk.count(b"\n")
        chunk = stream.read(1 << 20)
    try:
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        result.error(line, "file", gettext("ends in the middle of a %(encoding)s character",
                                           encoding=encoding.upper()))
        return None
    stream.seek(start)
    return encoding


def _header(record: list[str] | None, result: ImportResult) -> list[str] | None:
    if record is None:
        result.error(None, "file", gettext("is empty: the first line must be the header "
                                           "%(header)s", header=",".join(COLUMNS)))
        return None
    names = [cell.strip().lower() for cell in record]
    if len(names) == 1 and any(sep in names[0] for sep in ";\t|"):
        result.error(1, "header", gettext("is not separated by commas"))
        return None
    missing = [c for c in COLUMNS if c not in names]
    unknown = [n for n in names if n not in COLUMNS and n not in OPTIONAL
               and n not in IMAGE_COLUMNS]
    repeated = sorted({n for n in names if names.count(n) > 1})
    for problem, found in ((MISSING_COLUMNS, missing), (UNKNOWN_COLUMNS, unknown),
                           (REPEATED_COLUMNS, repeated)):
        if found:
            result.error(1, "header", gettext(problem[len(found) > 1], columns=", ".join(found),
                                              header=",".join(COLUMNS)))
    return names if result.ok else None


def _records(stream: IO[bytes], result: ImportResult,
             encoding: str = "utf-8") -> Iterator[tuple[int, dict[str, str]]]:
    """(line, row) for every non-blank data row; stops at a header or CSV error."""
    codec = "utf-8-sig" if encoding == "utf-8" else encoding  # both drop the BOM
    text = io.TextIOWrapper(stream, encoding=codec, newline="")
    reader = csv.reader(text, strict=True)
    try:
        names = _header(next(reader, None), result)
        if names is None:
            return
        line = reader.line_num + 1
        for record in reader:
            start, line = line, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if len(record) != len(names):
                result.rows += 1
                result.skipped += 1
                result.error(start, "row", gettext(
                    "has %(cells)s cells but the header has %(columns)s (a value with a comma "
                    "needs quotes)", cells=len(record), columns=len(names)))
                continue
            yield start, dict(zip(names, record, strict=True))
        if result.rows == 0:
            result.error(None, "file", gettext("has a header but no rows"))
    except csv.Error as exc:
        result.fatal = True
        result.error(reader.line_num, "file", gettext("cannot be read as CSV: %(problem)s; "
                                                      "reading stopped here", problem=exc))
    except UnicodeDecodeError:
        result.fatal = True
        result.error(reader.line_num + 1, "file", gettext("is not UTF-8 text (from this line "
                                                          "on): save it as \"CSV UTF-8\""))
    finally:
        text.detach()


# --- writing --------------------------------------------------------------------------

class SourcedRow(dict):
    """A row read from another format than CSV (XML): ``sources`` names where each column
    came from (line, element name) so that errors point into the file, and ``problems``
    are errors the reader found already (line, field, message), which replace the
    column's own check."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sources: dict[str, tuple[int, str]] = {}
        # the goods per class as the source gives them (with their language), when it does
        self.goods_parts: list[GoodsPart] = []
        self.problems: list[tuple[int, str, str]] = []
        self.warnings: list[tuple[int, str, str]] = []
        # The record's mark images (prepared and stored), or None: left as they are.
        self.images: list[mark_images.Prepared] | None = None

    def where(self, line: int, name: str) -> tuple[int, str]:
        return self.sources.get(name, (line, name))


def _where(row: dict[str, str], line: int, name: str) -> tuple[int, str]:
    return row.where(line, name) if isinstance(row, SourcedRow) else (line, name)


def _operation(line: int, row: dict[str, str], result: ImportResult) -> str | None:
    """The row's operation ("" when none is given); None (and the error) when unknown."""
    operation = (row.get("operation") or "").strip().lower()
    if operation and operation not in OPERATIONS:
        result.error(*_where(row, line, "operation"),
                     gettext("%(value)s is not one of: %(choices)s",
                             value=repr(operation[:20]), choices=", ".join(OPERATIONS)))
        return None
    return operation


def _parse_withdrawal(actor: Officer | None, offices: frozenset[str], line: int,
                      row: dict[str, str], result: ImportResult) -> dict[str, Any] | None:
    """A Delete names the right (office and number) and perhaps its status as published:
    the rest of the record is not read."""
    f = RightFields(row)
    office = (f.text("office", required=True, max_len=2) or "").upper()
    number = f.text("number", required=True, max_len=64)
    if office and office not in offices and office != "WO":
        f.error("office", gettext("%(office)s is neither a member state nor WO: refused",
                                  office=repr(office)))
    elif office and actor is not None and not policy.can_edit_right(actor, office):
        f.error("office", gettext("you may not import rights of office %(office)s",
                                  office=office))
    for name, message in f.errors:
        result.error(*_where(row, line, name), message)
    if f.errors:
        return None
    raw = (row.get("status_raw") or "").strip()[:200]
    return {"office": office, "number": number, "status_raw": raw or "Delete",
            "_withdraw": _where(row, line, "operation")}


def _parse(actor: Officer | None, offices: frozenset[str], line: int, row: dict[str, str],
           result: ImportResult) -> dict[str, Any] | None:
    operation = _operation(line, row, result)
    if operation is None:
        return None
    if operation == "delete":
        return _parse_withdrawal(actor, offices, line, row, result)
    f = RightFields(row)
    values = right_values(f, offices)
    check_designated(f, values, offices)
    office = values.get("office")
    if office in offices and actor is not None and not policy.can_edit_right(actor, office):
        f.error("office", gettext("you may not import rights of office %(office)s",
                                  office=office))
    problems = row.problems if isinstance(row, SourcedRow) else []
    if f.errors or problems:
        for at, name, message in problems:
            result.error(at, name, message)
        reported = {name for _, name, _ in problems}
        for name, message in f.errors:
            at, name = _where(row, line, name)
            if name not in reported:
                result.error(at, name, message)
        return None
    for name in WRITTEN:
        values.setdefault(name, None)
    values["classes"] = values["classes"] or ""
    values["designations"] = values["designations"] or ""
    raw = row.get("status_raw") if isinstance(row, SourcedRow) else None
    values["status_raw"] = raw.strip()[:200] or None if raw else None
    for at, name, message in (row.warnings if isinstance(row, SourcedRow) else ()):
        result.warn(at, name, message)
    return values


def _csv_images(line: int, row: dict[str, str], images: MarkImages | None,
                result: ImportResult) -> tuple[list[mark_images.Prepared] | None, bool]:
    """(the images of a CSV row with an ``image`` column, ok); None: no such column, or a
    file not found (the right's images are left as they are)."""
    if "image" not in row and "vienna" not in row:
        return None, True
    name = (row.get("image") or "").strip()
    codes = [c for c in (row.get("vienna") or "").split(";") if c.strip()]
    if not name:
        if codes:
            result.warn(line, "vienna", "given without an image: left out")
        return ([] if "image" in row else None), True
    ref = ImageRef(line, "image", name=name, vienna=[(line, "vienna", c) for c in codes])
    problems: list[tuple[int, str, str]] = []
    warned: list[tuple[int, str, str]] = []
    prepared = (images or MarkImages()).prepare([ref], problems, warned)
    for at, element, message in warned:
        result.warn(at, element, message)
    for at, element, message in problems:
        result.error(at, element, message)
    return prepared, not problems


def _run(db: Session, actor: Officer | None, records: Iterable[tuple[int, dict[str, str]]],
         result: ImportResult, progress: Callable[[int], None] | None,
         keep: tuple[str, ...] = (), images: MarkImages | None = None) -> None:
    offices = member_offices(db)
    # hash of (office, number) -> first line: a repeated number names both lines.
    seen: dict[int, int] = {}
    batch = Batch()
    for line, row in records:
        result.rows += 1
        values = _parse(actor, offices, line, row, result)
        if values is not None:
            key = (values["office"], values["number"])
            first = seen.setdefault(hash(key), line)
            if first != line:
                values = None
                result.error(*_where(row, line, "number"),
                             gettext("%(number)s of office %(office)s is already on line "
                                     "%(line)s of this file", number=repr(key[1]),
                                     office=key[0], line=first))
        pictures = None
        if values is not None and not values.get("_withdraw"):
            if isinstance(row, SourcedRow):
                pictures = row.images
            else:
                pictures, good = _csv_images(line, row, images, result)
                values = values if good else None
        if values is None:
            result.skipped += 1
        elif result.mode == "skip" or result.ok:  # abort mode writes nothing after an error
            batch.rows[key] = (line, values)
            if pictures is not None:
                batch.images[key] = pictures
            if not values.get("_withdraw"):
                parts = row.goods_parts if isinstance(row, SourcedRow) else None
                batch.goods[key] = parts or goods.parts_from_text(values["goods"],
                                                                   values["classes"])
        if len(batch.rows) >= BATCH:
            _flush(db, actor, batch, result, progress, keep)
            batch = Batch()
        elif progress and result.rows % BATCH == 0:
            progress(result.rows)
    _flush(db, actor, batch, result, progress, keep)


def _flush(db: Session, actor: Officer | None, batch: Batch, result: ImportResult,
           progress: Callable[[int], None] | None, keep: tuple[str, ...] = ()) -> None:
    write_batch(db, batch, result, keep)
    if result.mode == "skip":
        # Each committed batch carries its own audit row (a later failure keeps both).
        audit.record(db, actor, "right.import.batch",
                     country_code=actor.country_code if actor is not None else None,
                     details={"rows": result.rows, "inserted": result.inserted,
                              "updated": result.updated, "skipped": result.skipped})
        db.commit()
    if progress:
        progress(result.rows)


def import_csv(db: Session, actor: Officer | None, stream: IO[bytes], *, mode: str = "abort",
               progress: Callable[[int], None] | None = None,
               source: provenance.Source | None = None,
               images: MarkImages | None = None) -> ImportResult:
    """Import rights from a CSV byte stream (header ``COLUMNS``), upserting by office and
    number. ``actor`` None is the operator at the server (CLI): every office.

    ``abort``: raises RightsImportRefused (nothing written) on any error; otherwise the
    rows are written in the caller's transaction, which the caller commits. ``skip``:
    commits every batch and returns the result with the rows left out.
    """
    stream = provenance.hashing(stream)
    return import_rows(db, actor, lambda result: csv_records(stream, result), mode=mode,
                       progress=progress, source=source, digest=stream.hexdigest,
                       images=images)


def csv_records(stream: IO[bytes], result: ImportResult
                ) -> Iterable[tuple[int, dict[str, str]]]:
    """(line, row) of a CSV byte stream, its encoding checked first when it can seek;
    file-level problems go to ``result``."""
    result.format = result.format or "csv"
    encoding = _check_encoding(stream, result) if stream.seekable() else "utf-8"
    if encoding is None:
        return ()
    return _records(stream, result, encoding)


def import_rows(db: Session, actor: Officer | None,
                records: Callable[[ImportResult], Iterable[tuple[int, dict[str, str]]]], *,
                mode: str = "abort", progress: Callable[[int], None] | None = None,
                keep: tuple[str, ...] = (), details: dict[str, Any] | None = None,
                source: provenance.Source | None = None,
                digest: Callable[[], str] | None = None,
                images: MarkImages | None = None) -> ImportResult:
    """Import (line, row) pairs with the CSV's column names, as ``import_csv`` does;
    ``records(result)`` reads them, reporting file-level errors in ``result``. ``keep``:
    columns the source does not carry (left as they are on an update); ``details``: more
    for the audit record; ``source`` and ``digest`` (the file's SHA-256 once it is read)
    for the provenance row of the run."""
    if mode not in MODES:
        raise Invalid("mode", gettext("%(value)s is not one of: %(choices)s",
                                      value=repr(mode), choices=", ".join(MODES)))
    if actor is not None and not policy.can_import_rights(actor):
        raise Forbidden(gettext("Only admins and coordinators import rights."))
    result = ImportResult(mode=mode, officer_id=actor.id if actor is not None else None)
    began = utcnow()
    try:
        result.run = provenance.start(db, actor, source, (details or {}).get("format", "csv"),
                                      mode)
        _run(db, actor, records(result), result, progress, keep, images)
        if result.ok or mode == "skip":
            result.sha256 = digest() if digest is not None else None
            provenance.finish(db, result.run, result, result.sha256)
            audit.record(db, actor, "right.import", result.run,
                         country_code=actor.country_code if actor is not None else None,
                         details={"mode": mode, "rows": result.rows,
                                  "inserted": result.inserted, "updated": result.updated,
                                  "unchanged": result.unchanged,
                                  "withdrawn": result.withdrawn, "images": result.images,
                                  "skipped": result.skipped, "errors": len(result.errors),
                                  "file": result.run.filename, "sha256": result.sha256,
                                  **(details or {}), "format": result.format})
            changed = result.inserted + result.updated + result.withdrawn
            if changed:
                announce(db, RightsChanged(changed, index_store.micros(began)))
    except BaseException:
        db.rollback()
        raise
    if mode == "abort" and not result.ok:
        db.rollback()
        log.info("rights import refused", extra={"rows": result.rows,
                                                 "errors": len(result.errors)})
        raise RightsImportRefused(result)
    log.info("rights imported", extra={"rows": result.rows, "inserted": result.inserted,
                                       "updated": result.updated, "skipped": result.skipped,
                                       "withdrawn": result.withdrawn})
    return result
