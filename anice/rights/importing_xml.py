"""Bulk import of rights from WIPO ST.66 (trademarks) and ST.86 (designs) XML.

The file is read with expat in 64 KiB chunks, and each ``TradeMark`` or ``Design`` record
becomes a row with the CSV's column names, handed to the CSV importer (the same rules,
batches, upsert by (office, number), abort vs skip). Memory stays constant: only the
record being read is held, never the document tree.

Safety: a document with a DOCTYPE (and so any entity declaration) is refused before and
while parsing, external entities are never fetched, parameter entities never parsed.
Namespaces are ignored: elements match on their local names, so the ST.66 namespace, the
older ``.../XMLSchema/trademarks`` one, ST.86's, or none at all read the same.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from sqlalchemy.orm import Session

from ..models import Officer
from . import importing
from .importing import ImportResult, SourcedRow

CHUNK = 64 * 1024
TRADEMARK, DESIGN = "TradeMark", "Design"
RECORDS = {TRADEMARK: "trademark", DESIGN: "design"}
# Elements that hold the records, and roots a WIPO file may have.
CONTAINERS = {"TradeMarkDetails": TRADEMARK, "DesignDetails": DESIGN}
ROOTS = {"Transaction", "TradeMarkDetails", "DesignDetails", TRADEMARK, DESIGN,
         "TradeMarkTransactionBody", "DesignTransactionBody"}
WIPO_NS = "http://www.wipo.int/standards/XMLSchema/"
# Columns an XML file does not carry: an update leaves them as they are.
KEEP = ("contact_email",)

# WIPO status codes (ST.66 MarkCurrentStatusCode, ST.86 DesignCurrentStatusCode, and the
# short forms TMview/DesignView use), compared in lower case without spaces or dashes.
STATUS_CODES = {
    "registered": "registered",
    "registrationpublished": "registered",
    "registrationrenewed": "registered",
    "renewed": "registered",
    "applicationfiled": "filed",
    "filed": "filed",
    "pending": "filed",
    "applicationpublished": "filed",
    "published": "filed",
    "applicationaccepted": "filed",
    "accepted": "filed",
    "applicationunderexamination": "filed",
    "underexamination": "filed",
    "examined": "filed",
    "applicationopposed": "filed",
    "opposed": "filed",
    "opposition": "filed",
    "appealed": "filed",
    "appealpending": "filed",
    "applicationsuspended": "filed",
    "suspended": "filed",
    "expired": "expired",
    "registrationexpired": "expired",
    "ended": "expired",
    "lapsed": "expired",
    "refused": "refused",
    "applicationrefused": "refused",
    "rejected": "refused",
    "withdrawn": "cancelled",
    "applicationwithdrawn": "cancelled",
    "abandoned": "cancelled",
    "cancelled": "cancelled",
    "canceled": "cancelled",
    "registrationcancelled": "cancelled",
    "surrendered": "cancelled",
    "registrationsurrendered": "cancelled",
    "invalidated": "cancelled",
    "revoked": "cancelled",
}
DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?\s*$")
LOCARNO = re.compile(r"^\s*(\d{1,2})(?:\s*[-.]\s*\d{1,2})?\s*$")
DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

# Direct children of a record -> column. Numbers are picked in order of preference.
SIMPLE = {
    "RegistrationOfficeCode": "office",
    "MarkCurrentStatusCode": "status",
    "DesignCurrentStatusCode": "status",
    "ApplicationDate": "filing_date",
    "FilingDate": "filing_date",
    "DesignApplicationDate": "filing_date",
    "RegistrationDate": "registration_date",
    "ExpiryDate": "expiry_date",
}
NUMBERS = {TRADEMARK: ("ApplicationNumber", "RegistrationNumber"),
           DESIGN: ("DesignIdentifier", "RegistrationNumber", "DesignApplicationNumber",
                    "ApplicationNumber")}
PARTIES = {"ApplicantDetails": "owner", "RepresentativeDetails": "representative"}
NAME_PARTS = ("OrganizationName", "FirstName", "MiddleName", "LastName",
              "FreeFormatNameLine")
# Fields that enclosing elements (ST.86's DesignApplication) may give all their records.
INHERITED = {"RegistrationOfficeCode", "ApplicationDate", "FilingDate",
             "DesignApplicationDate", "DesignApplicationNumber"}


class Refused(Exception):
    """The document may not be read on (a DOCTYPE, an entity, an unknown root)."""

    def __init__(self, line: int, field: str, message: str) -> None:
        super().__init__(message)
        self.line, self.field, self.message = line, field, message


def looks_like_xml(head: bytes, filename: str = "") -> bool:
    """XML by content (the first non-blank character is ``<``) or by extension."""
    if filename.lower().endswith(".xml"):
        return True
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            head = head[len(bom):].decode(encoding, "ignore").encode()
            break
    return head.lstrip().startswith(b"<")


def _local(name: str) -> str:
    return name.rpartition("}")[2]


class _Record:
    """The fields of one TradeMark or Design element as it is read."""

    def __init__(self, kind: str, line: int, context: dict[str, tuple[int, str]]) -> None:
        self.kind, self.line = kind, line
        self.fields: dict[str, tuple[int, str]] = dict(context)  # element -> (line, text)
        self.own: set[str] = set()  # fields of the record itself (not inherited)
        self.mark: tuple[int, str] | None = None
        self.classes: list[tuple[int, str, str]] = []  # (line, element, class text)
        self.goods: list[str] = []
        self.parties: dict[str, list[str]] = {"owner": [], "representative": []}
        self.party: dict[str, list[str]] | None = None
        self.problems: list[tuple[int, str, str]] = []

    def row(self) -> SourcedRow:
        row = SourcedRow(type=RECORDS[self.kind])
        sources = row.sources
        for element, column in SIMPLE.items():
            if element in self.fields and column not in row:
                line, text = self.fields[element]
                sources[column] = (line, element)
                if column == "status":
                    status = STATUS_CODES.get(re.sub(r"[\s_-]", "", text.lower()))
                    if status is None:
                        self.problems.append((line, element, f"{text[:40]!r} is not a "
                                                             "known WIPO status code"))
                        continue
                    text = status
                elif column.endswith("_date"):
                    match = DATE.match(text)
                    text = match.group(1) if match else text
                row[column] = text
        for element in NUMBERS[self.kind]:
            if self.fields.get(element, (0, ""))[1].strip():
                sources["number"] = (self.fields[element][0], element)
                row["number"] = self.fields[element][1]
                break
        else:
            sources["number"] = (self.line, "/".join(NUMBERS[self.kind][:2]))
        sources.setdefault("office", (self.line, "RegistrationOfficeCode"))
        status = "MarkCurrentStatusCode" if self.kind == TRADEMARK else "DesignCurrentStatusCode"
        sources.setdefault("status", (self.line, status))
        if self.mark:
            sources["mark_text"] = (self.mark[0], "MarkVerbalElementText"
                                    if self.kind == TRADEMARK else "DesignTitle")
            row["mark_text"] = self.mark[1]
        classes = []
        for line, element, text in self.classes:
            sources["classes"] = (line, element)
            if self.kind == DESIGN:
                match = LOCARNO.match(text)
                if not match:
                    self.problems.append((line, element, f"{text[:20]!r} is not a Locarno "
                                                         "class such as 02-04"))
                    continue
                text = str(int(match.group(1)))
            classes.append(text.strip())
        row["classes"] = ";".join(classes)
        row["goods"] = "\n".join(self.goods)
        for column, names in self.parties.items():
            row[column] = "; ".join(names)
        for column in importing.WRITTEN:
            row.setdefault(column, "")
        row.problems.extend(self.problems)
        return row


class _Reader:
    """expat handlers: records completed while a chunk was parsed wait in ``done``."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        self.parser = expat.ParserCreate(namespace_separator="}")
        p = self.parser
        p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
        p.buffer_text = True
        p.StartDoctypeDeclHandler = self._doctype
        p.EntityDeclHandler = self._entity
        p.ExternalEntityRefHandler = self._external
        p.StartElementHandler = self._start
        p.EndElementHandler = self._end
        p.CharacterDataHandler = self._text
        self.path: list[str] = []
        self.names: dict[str, str] = {}  # qualified -> local name
        self.lines: list[int] = []  # where each open element starts
        self.record: _Record | None = None
        self.depth = 0  # of the record element
        self.text: list[str] = []
        self.context: dict[str, tuple[int, str]] = {}  # element -> (line, text)
        self.context_depth: dict[str, int] = {}
        self.records = 0
        self.done: list[tuple[int, SourcedRow]] = []

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def _doctype(self, *_: Any) -> None:
        raise Refused(self.line, "file", "has a DOCTYPE declaration, which is refused "
                                         "(no entities, no DTD): remove it")

    def _entity(self, *_: Any) -> None:
        raise Refused(self.line, "file", "declares an entity, which is refused")

    def _external(self, *_: Any) -> int:
        raise Refused(self.line, "file", "refers to an external entity, which is refused")

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = self.names.get(name)
        if local is None:
            local = self.names[name] = _local(name)
        self.path.append(local)
        self.lines.append(self.line)
        self.text = []
        depth = len(self.path)
        if depth == 1 and local not in ROOTS and not name.startswith(WIPO_NS):
            raise Refused(self.line, "file", f"has the root element {local!r}: not a WIPO "
                                             "ST.66 trademark or ST.86 design document")
        record = self.record
        if record is None:
            parent = self.path[-2] if depth > 1 else ""
            if local in RECORDS:
                self.record = _Record(local, self.line, self.context)
                self.depth = depth
                operation = next((v for k, v in attrs.items()
                                  if _local(k) == "operationCode"), "")
                if operation.lower() == "delete":
                    self.record.problems.append(
                        (self.line, "operationCode", "'Delete' is not supported: an import "
                                                     "never deletes rights"))
            elif parent in CONTAINERS:
                self.result.rows += 1
                self.result.skipped += 1
                self.result.error(self.line, "record", f"<{local}> is not a "
                                  f"{CONTAINERS[parent]} record; skipped")
            return
        inner = self.path[self.depth:]
        if inner and inner[0] in PARTIES and len(inner) == 2:
            record.party = {}

    def _text(self, data: str) -> None:
        self.text.append(data)

    def _end(self, name: str) -> None:
        local = self.path[-1]
        text = "".join(self.text).strip()
        self.text = []
        line = self.lines.pop()
        record = self.record
        depth = len(self.path)
        if record is None:
            if local in INHERITED and text:
                self.context[local] = (line, text)
                self.context_depth[local] = depth - 1
            for key in [k for k, d in self.context_depth.items() if d >= depth]:
                del self.context[key], self.context_depth[key]
        elif depth == self.depth:
            self.done.append((record.line, record.row()))
            self.record = None
        else:
            inner = self.path[self.depth:]
            self._field(record, inner, local, text, line)
        self.path.pop()

    def _field(self, record: _Record, inner: list[str], local: str, text: str,
               line: int) -> None:
        start = line
        if len(inner) == 1:
            if local in SIMPLE or local in NUMBERS[record.kind]:
                if text and local not in record.own:
                    record.own.add(local)
                    record.fields[local] = (start, text)
            elif local == "DesignTitle" and text and record.mark is None:
                record.mark = (start, text)
            return
        top = inner[0]
        if top in PARTIES:
            if len(inner) == 2 and record.party is not None:
                party = record.party
                name = " ".join(party.get("OrganizationName", [])) or " ".join(
                    " ".join(party.get(p, [])) for p in NAME_PARTS[1:] if party.get(p))
                if name:
                    record.parties[PARTIES[top]].append(name)
                record.party = None
            elif local in NAME_PARTS and text and record.party is not None:
                record.party.setdefault(local, []).append(text)
            return
        if local == "MarkVerbalElementText" and "WordMarkSpecification" in inner:
            if text and record.mark is None:
                record.mark = (start, text)
        elif local == "DesignTitle" and text and record.mark is None:
            record.mark = (start, text)
        elif local == "ClassNumber" and text and (
                "GoodsServicesDetails" in inner if record.kind == TRADEMARK
                else "ClassDescriptionDetails" in inner):
            record.classes.append((start, local, text))
        elif local == "GoodsServicesDescription" and text and "GoodsServicesDetails" in inner:
            number = record.classes[-1][2] if record.classes else ""
            record.goods.append(f"{number}: {text}" if number else text)
        elif local == "IndicationProduct" and text:
            record.goods.append(text)


def _records(stream: IO[bytes], result: ImportResult) -> Iterator[tuple[int, SourcedRow]]:
    reader = _Reader(result)
    parser = reader.parser
    first = True
    try:
        while True:
            chunk = stream.read(CHUNK)
            if first:
                first = False
                found = DOCTYPE.search(chunk)
                if found:
                    line = chunk[:found.start()].count(b"\n") + 1
                    raise Refused(line, "file", "has a DOCTYPE or ENTITY declaration, "
                                                "which is refused (no entities, no DTD): "
                                                "remove it")
                if not chunk.strip():
                    result.error(None, "file", "is empty")
                    return
            parser.Parse(chunk, not chunk)
            while reader.done:
                batch, reader.done = reader.done, []
                for line, row in batch:
                    reader.records += 1
                    yield line, row
            if not chunk:
                break
    except (Refused, expat.ExpatError) as exc:
        # The records completed before the error are good (skip mode writes them).
        for line, row in reader.done:
            yield line, row
        result.fatal = True
        if isinstance(exc, Refused):
            result.error(exc.line, exc.field, exc.message)
        else:
            result.error(exc.lineno, "file", f"is not well-formed XML: "
                                             f"{expat.ErrorString(exc.code)} (column "
                                             f"{exc.offset + 1}); reading stopped here")
        return
    if reader.records == 0 and result.rows == 0:
        result.error(None, "file", "holds no TradeMark (ST.66) or Design (ST.86) record")


def import_xml(db: Session, actor: Officer | None, stream: IO[bytes], *,
               mode: str = "abort",
               progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import rights from a WIPO ST.66 or ST.86 XML byte stream, as ``import_csv`` does
    (same rules, modes, errors by line and field: the field is the XML element)."""
    return importing.import_rows(db, actor, lambda result: _records(stream, result),
                                 mode=mode, progress=progress, keep=KEEP,
                                 details={"format": "xml"})


def import_file(db: Session, actor: Officer | None, stream: IO[bytes], *,
                filename: str = "", mode: str = "abort",
                progress: Callable[[int], None] | None = None) -> ImportResult:
    """CSV or XML, told apart by the extension or the first non-blank byte (``<``)."""
    if stream.seekable():
        start = stream.tell()
        head = stream.read(512)
        stream.seek(start)
    else:
        head = b""
    if looks_like_xml(head, filename):
        return import_xml(db, actor, stream, mode=mode, progress=progress)
    return importing.import_csv(db, actor, stream, mode=mode, progress=progress)
