"""Bulk import of rights from WIPO ST.66 (trademarks), ST.86 (designs) and ST.96
(``tmk:Trademark`` and ``dgn:Design``) XML.

The file is read with expat in 64 KiB chunks, and each ``TradeMark`` / ``Trademark`` or
``Design`` record becomes a row with the CSV's column names, handed to the CSV importer
(the same rules, batches, upsert by (office, number), abort vs skip). Memory stays
constant: only the record being read is held, never the document tree.

Safety: a document with a DOCTYPE (and so any entity declaration) is refused before and
while parsing, external entities are never fetched, parameter entities never parsed.
Namespaces are ignored: elements match on their local names, so the ST.66 namespace, the
older ``.../XMLSchema/trademarks`` one, ST.86's, ST.96's (``.../ST96/Trademark``,
``.../ST96/Design``, ``.../ST96/Common``), or none at all read the same.

Daily update files carry an operation on each record: ST.66 and ST.86
``operationCode="Insert|Update|Delete"`` on ``TradeMark`` / ``Design`` (as in EUIPO's and
PRV's published ST.66 exports, where nested elements such as ``Applicant`` carry their own
``operationCode`` too: only the record's counts), ST.96 ``com:operationCategory`` on
``tmk:Trademark`` / ``dgn:Design``. Insert and Update both upsert; a Delete withdraws the
right (``upsert.withdraw``), never deletes it.

Status values are the office's own: they are looked up in the status table
(``statuses.StatusTable``: the office's rows, then WIPO's standard values); a value that no
row knows imports as ``other`` with a warning, and the raw value is kept on the right.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Callable, Iterator
from typing import IO, Any
from xml.parsers import expat

from flask_babel import gettext
from sqlalchemy.orm import Session

from ..models import Officer
from . import importing, provenance
from .importing import ImportResult, SourcedRow
from .mark_images import Base64Sink, ImageRef, MarkImages
from .matching.goods import GoodsPart
from .statuses import StatusTable, load_table

CHUNK = 64 * 1024
TRADEMARK, DESIGN = "TradeMark", "Design"
ST96_TRADEMARK = "Trademark"
RECORDS = {TRADEMARK: "trademark", ST96_TRADEMARK: "trademark", DESIGN: "design"}
# Elements that hold the records, and roots a WIPO file may have.
CONTAINERS = {"TradeMarkDetails": TRADEMARK, "DesignDetails": DESIGN,
              "TrademarkBag": ST96_TRADEMARK, "DesignBag": DESIGN}
ROOTS = {"Transaction", "TradeMarkDetails", "DesignDetails", TRADEMARK, DESIGN,
         "TradeMarkTransactionBody", "DesignTransactionBody",
         ST96_TRADEMARK, "TrademarkBag", "TrademarkTransaction", "TrademarkApplication",
         "DesignBag", "DesignTransaction", "DesignApplication"}
WIPO_NS = "http://www.wipo.int/standards/XMLSchema/"
# Columns an XML file does not carry: an update leaves them as they are.
KEEP = ("contact_email",)

DATE = re.compile(r"^\s*(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?\s*$")
LOCARNO = re.compile(r"^\s*(\d{1,2})(?:\s*[-.]\s*\d{1,2})?\s*$")
DOCTYPE = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)

# Direct children of a record -> column. Numbers are picked in order of preference.
SIMPLE = {
    "RegistrationOfficeCode": "office",
    "MarkCurrentStatusCode": "status",
    "DesignCurrentStatusCode": "status",
    "DesignCurrentStatusCategory": "status",  # ST.96
    "ApplicationDate": "filing_date",
    "FilingDate": "filing_date",
    "DesignApplicationDate": "filing_date",
    "RegistrationDate": "registration_date",
    "ExpiryDate": "expiry_date",
}
# ST.96 nests the number: com:ApplicationNumber/com:ApplicationNumberText (or
# com:ST13ApplicationNumber); ST.66 / ST.86 give it as the element's text.
NUMBERS = {"trademark": ("ApplicationNumber", "ApplicationNumberText",
                         "ST13ApplicationNumber", "RegistrationNumber"),
           "design": ("DesignIdentifier", "RegistrationNumber", "DesignApplicationNumber",
                      "ApplicationNumber", "ApplicationNumberText")}
NUMBER_PARTS = {"ApplicationNumberText", "ST13ApplicationNumber"}
MISSING_NUMBER = {TRADEMARK: "ApplicationNumber/RegistrationNumber",
                  ST96_TRADEMARK: "ApplicationNumberText/RegistrationNumber",
                  DESIGN: "DesignIdentifier/RegistrationNumber"}
# Party containers -> column (ST.66/ST.86 *Details, ST.96 *Bag); ST.96 holders (the
# owners of a registration) win over applicants.
PARTIES = {"ApplicantDetails": "owner", "RepresentativeDetails": "representative",
           "ApplicantBag": "owner", "HolderBag": "holder",
           "RepresentativeBag": "representative"}
# ST.96 parties given directly in the record (USPTO: the attorney of record).
SINGLE_PARTIES = {"NationalRepresentative": "representative",
                  "RecordAttorney": "representative"}
# (Not com:LegalEntityName: ST.96 gives there the kind of entity, "Corporation".)
ORGANISATION = ("OrganizationName", "OrganizationStandardName", "EntityName")
PERSON = ("FirstName", "MiddleName", "LastName")
NAME_PARTS = (*ORGANISATION, "PersonFullName", *PERSON, "FreeFormatNameLine")
# Fields that enclosing elements (ST.86's DesignApplication) may give all their records.
INHERITED = {"RegistrationOfficeCode", "ApplicationDate", "FilingDate",
             "DesignApplicationDate", "DesignApplicationNumber", "ApplicationNumberText"}
VERBAL = ("MarkVerbalElementText", "MarkSignificantVerbalElementText")
TITLES = ("DesignTitle", "DesignTitleText")
GOODS = ("GoodsServicesDescription", "GoodsServicesDescriptionText")
# Madrid designations: ST.66 DesignatedCountryDetails/DesignatedCountry/
# DesignatedCountryCode; ST.96 (and WIPO's Romarin exports) give the code in
# DesignatedCountryCode, or com:CountryCode / com:ST3Code inside a Designat* container
# (tmk:DesignatedCountryBag, tmk:MadridDesignation, ...). Read anywhere in a record.
DESIGNATION_CODES = ("DesignatedCountryCode", "DesignatedContractingPartyCode")
DESIGNATION_PARTS = ("CountryCode", "ST3Code", "DesignatedCountryCode")
DESIGNATION_SOURCE = {TRADEMARK: "DesignatedCountryDetails/DesignatedCountryCode",
                      ST96_TRADEMARK: "DesignatedCountryBag/DesignatedCountryCode",
                      DESIGN: "DesignatedCountryDetails/DesignatedCountryCode"}
PRODUCTS = ("IndicationProduct", "IndicationProductText", "ProductIndicationText",
            "ProductDescriptionText")
# Mark images, one ``MarkImage`` element each, anywhere in a record. Names as published:
# ST.66 (EUIPO/TMview, WIPO's IPAS exports, the Bulgarian office's RegiX schema)
# MarkImageDetails/MarkImage with MarkImageFilename (or MarkImageURI), MarkImageFileFormat,
# MarkImageBinary (base64) and MarkImageCategory/CategoryCodeDetails/CategoryCode (TMview
# also MarkImageCategoryDetails/MarkImageCategory/...); ST.96 (USPTO, CIPO, JPO stylesheets)
# tmk:MarkRepresentation/tmk:MarkReproduction/tmk:MarkImageBag/tmk:MarkImage with
# com:FileName, com:ImageFormatCategory, and the Vienna codes either as com:CategoryCode
# (tmk:MarkImageCategory/com:CategoryCodeBag) or split in tmk:MarkImageClassification/
# com:FigurativeElementClassificationBag/com:ViennaClassificationBag/com:ViennaClassification
# (com:ViennaCategory, com:ViennaDivision, com:ViennaSection; CIPO's exports).
IMAGE = "MarkImage"
IMAGE_NAMES = ("MarkImageFilename", "FileName", "MarkImageURI")
IMAGE_FORMATS = ("MarkImageFileFormat", "ImageFormatCategory")
IMAGE_BINARY = ("MarkImageBinary", "BinaryObject", "ImageBinaryObject")
VIENNA_CODE = "CategoryCode"
VIENNA_PARTS = ("ViennaCategory", "ViennaDivision", "ViennaSection")
VIENNA_GROUP = "ViennaClassification"
# The classification's edition: ST.66 GoodsServices/ClassificationVersion, ST.96
# ClassDescription/com:ClassificationVersion (per class; the first is kept); any element
# whose name ends so (NiceClassificationVersion, LocarnoClassificationVersion).
EDITION = "ClassificationVersion"


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


def _format(local: str, name: str) -> str:
    """The standard of a file, from its first record: ST.96 (``Trademark``, or a Design
    in an ST96 namespace), ST.66 (``TradeMark``) or ST.86 (``Design``)."""
    if local == ST96_TRADEMARK or "ST96" in name:
        return "st96"
    return "st66" if local == TRADEMARK else "st86"


def _party_name(party: dict[str, list[str]]) -> str:
    """An organisation's name, else a person's full name, else first/middle/last, else
    free-format lines. The first of each part: ST.96 repeats a contact per language."""
    for part in ORGANISATION:
        if party.get(part):
            return party[part][0]
    if party.get("PersonFullName"):
        return party["PersonFullName"][0]
    person = " ".join(party[p][0] for p in PERSON if party.get(p))
    return person or " ".join(party.get("FreeFormatNameLine", []))


class _Record:
    """The fields of one TradeMark / Trademark or Design element as it is read."""

    def __init__(self, kind: str, line: int, context: dict[str, tuple[int, str]],
                 table: StatusTable) -> None:
        self.kind, self.line, self.table = kind, line, table
        self.type = RECORDS[kind]
        self.fields: dict[str, tuple[int, str]] = dict(context)  # element -> (line, text)
        self.own: set[str] = set()  # fields of the record itself (not inherited)
        self.mark: tuple[int, str, str] | None = None  # (line, element, text)
        self.significant: tuple[int, str, str] | None = None  # ST.96's fallback
        self.classes: list[tuple[int, str, str]] = []  # (line, element, class text)
        self.goods: list[str] = []
        self.parts: list[tuple[str, str | None, str]] = []  # (class text, language, goods)
        self.edition: tuple[int, str, str] | None = None  # (line, element, text)
        self.designations: list[tuple[int, str, str]] = []  # (line, element, code)
        self.parties: dict[str, list[str]] = {"owner": [], "holder": [],
                                              "representative": []}
        self.party: dict[str, list[str]] | None = None
        self.problems: list[tuple[int, str, str]] = []
        self.warnings: list[tuple[int, str, str]] = []
        self.operation: tuple[str, str] = ("", "")  # (attribute, value)
        self.images: list[ImageRef] = []
        self.image: ImageRef | None = None  # the MarkImage being read
        self.vienna: dict[str, str] = {}  # parts of an ST.96 ViennaClassification

    def _status(self, line: int, element: str, text: str) -> str:
        office = self.fields.get("RegistrationOfficeCode", (0, ""))[1].strip().upper()
        status = self.table.status(office, text)
        if status is None:
            self.warnings.append((line, element, f"{text[:40]!r} is in no status table "
                                  f"(office {office or '?'} or WIPO standard): imported as "
                                  "'other'; map it with `flask rights status set`"))
            return "other"
        return status.value

    def _goods_parts(self, classes: list[str]) -> list[GoodsPart]:
        """The goods per class as read, with their language; a design's product
        indication is of its class when it has one."""
        only = int(classes[0]) if len(classes) == 1 and classes[0].isdigit() else None
        parts = []
        for number, language, text in self.parts:
            if number and self.type == "design":
                match = LOCARNO.match(number)
                number = match.group(1) if match else ""
            value = int(number) if number.strip().isdigit() else only
            parts.append(GoodsPart(value, text, (language or "")[:8] or None))
        return parts

    def row(self) -> SourcedRow:
        row = SourcedRow(type=self.type)
        sources = row.sources
        for element, column in SIMPLE.items():
            if element in self.fields and column not in row:
                line, text = self.fields[element]
                sources[column] = (line, element)
                if column == "status":
                    row["status_raw"] = text
                    text = self._status(line, element, text)
                elif column.endswith("_date"):
                    match = DATE.match(text)
                    text = match.group(1) if match else text
                row[column] = text
        numbers = NUMBERS[self.type]
        for element in numbers:
            if self.fields.get(element, (0, ""))[1].strip():
                sources["number"] = (self.fields[element][0], element)
                row["number"] = self.fields[element][1]
                break
        else:
            sources["number"] = (self.line, MISSING_NUMBER[self.kind])
        sources.setdefault("office", (self.line, "RegistrationOfficeCode"))
        status = ("MarkCurrentStatusCode" if self.type == "trademark"
                  else "DesignCurrentStatusCode")
        sources.setdefault("status", (self.line, status))
        mark = self.mark or self.significant
        if mark:
            sources["mark_text"] = (mark[0], mark[1])
            row["mark_text"] = mark[2]
        classes = []
        for line, element, text in self.classes:
            sources["classes"] = (line, element)
            if self.type == "design":
                match = LOCARNO.match(text)
                if not match:
                    self.problems.append((line, element, gettext(
                        "%(value)s is not a Locarno class such as 02-04",
                        value=repr(text[:20]))))
                    continue
                text = str(int(match.group(1)))
            classes.append(text.strip())
        row["classes"] = ";".join(classes)
        row["goods"] = "\n".join(self.goods)
        row.goods_parts.extend(self._goods_parts(classes))
        if self.edition:
            sources["class_edition"] = self.edition[:2]
            row["class_edition"] = self.edition[2]
        if self.designations:
            sources["designations"] = self.designations[0][:2]
        else:
            sources["designations"] = (self.line, DESIGNATION_SOURCE[self.kind])
        row["designations"] = " ".join(code for _, _, code in self.designations)
        parties = self.parties
        row["owner"] = "; ".join(parties["holder"] or parties["owner"])
        row["representative"] = "; ".join(parties["representative"])
        for column in importing.WRITTEN:
            row.setdefault(column, "")
        attribute, operation = self.operation
        if operation.lower() in importing.OPERATIONS:
            row["operation"] = operation.lower()
            row.sources["operation"] = (self.line, attribute)
        row.problems.extend(self.problems)
        row.warnings.extend(self.warnings)
        return row


class _Reader:
    """expat handlers: records completed while a chunk was parsed wait in ``done``."""

    def __init__(self, result: ImportResult, table: StatusTable) -> None:
        self.result, self.table = result, table
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
        self.language: str | None = None  # languageCode of the last element opened
        self.names: dict[str, str] = {}  # qualified -> local name
        self.lines: list[int] = []  # where each open element starts
        self.record: _Record | None = None
        self.depth = 0  # of the record element
        self.text: list[str] = []
        self.context: dict[str, tuple[int, str]] = {}  # element -> (line, text)
        self.context_depth: dict[str, int] = {}
        self.records = 0
        self.done: list[tuple[int, SourcedRow, list[ImageRef]]] = []
        self.binary: Base64Sink | None = None  # an embedded image being decoded

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber

    def _doctype(self, *_: Any) -> None:
        raise Refused(self.line, "file", gettext("has a DOCTYPE declaration, which is refused "
                                                 "(no entities, no DTD): remove it"))

    def _entity(self, *_: Any) -> None:
        raise Refused(self.line, "file", gettext("declares an entity, which is refused"))

    def _external(self, *_: Any) -> int:
        raise Refused(self.line, "file",
                      gettext("refers to an external entity, which is refused"))

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        local = self.names.get(name)
        if local is None:
            local = self.names[name] = _local(name)
        self.path.append(local)
        self.lines.append(self.line)
        self.text = []
        self.language = next((v for k, v in attrs.items() if k.endswith("languageCode")),
                             None) if attrs else None
        depth = len(self.path)
        if depth == 1 and local not in ROOTS and not name.startswith(WIPO_NS):
            raise Refused(self.line, "file", gettext(
                "has the root element %(element)s: not a WIPO ST.66 / ST.96 trademark or "
                "ST.86 / ST.96 design document", element=repr(local)))
        record = self.record
        if record is None:
            parent = self.path[-2] if depth > 1 else ""
            if local in RECORDS:
                self.record = _Record(local, self.line, self.context, self.table)
                self.depth = depth
                self.record.operation = next(
                    ((_local(k), v) for k, v in attrs.items()
                     if _local(k) in ("operationCode", "operationCategory")), ("", ""))
                if not self.result.format:
                    self.result.format = _format(local, name)
            elif parent in CONTAINERS:
                self.result.rows += 1
                self.result.skipped += 1
                self.result.error(self.line, "record", gettext(
                    "%(element)s is not a %(record)s record; skipped", element=f"<{local}>",
                    record=CONTAINERS[parent]))
            return
        inner = self.path[self.depth:]
        if (len(inner) == 2 and inner[0] in PARTIES
                or len(inner) == 1 and local in SINGLE_PARTIES):
            record.party = {}
        elif local == IMAGE and record.image is None:
            record.image = ImageRef(self.line, IMAGE)
        elif record.image is not None and local in IMAGE_BINARY:
            record.image.line, record.image.element = self.line, local
            self.binary = Base64Sink()

    def _text(self, data: str) -> None:
        if self.binary is not None:
            self.binary.feed(data)
            return
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
                # ST.96's number lives in com:ApplicationNumber, one level further down.
                self.context_depth[local] = depth - (2 if local in NUMBER_PARTS else 1)
            for key in [k for k, d in self.context_depth.items() if d >= depth]:
                del self.context[key], self.context_depth[key]
        elif depth == self.depth:
            self.done.append((record.line, record.row(), record.images))
            self.record = None
        elif record.image is not None:
            self._image(record, local, text, line)
        else:
            inner = self.path[self.depth:]
            self._field(record, inner, local, text, line)
        self.path.pop()

    def _image(self, record: _Record, local: str, text: str, line: int) -> None:
        image = record.image
        if local == IMAGE:
            record.images.append(image)
            record.image = None
        elif local in IMAGE_BINARY and self.binary is not None:
            self.binary.finish(image)
            self.binary = None
        elif local in IMAGE_NAMES and text and not image.name:
            # A URI or a path names the file by its last part.
            image.name = text.replace("\\", "/").rstrip("/").rpartition("/")[2]
            if image.data is None:
                image.line, image.element = line, local
        elif local in IMAGE_FORMATS and text:
            image.fmt = text
        elif local == VIENNA_CODE and text:
            image.vienna.append((line, local, text))
        elif local in VIENNA_PARTS and text:
            record.vienna[local] = text
        elif local == VIENNA_GROUP:
            parts = [record.vienna.get(p, "") for p in VIENNA_PARTS]
            record.vienna = {}
            if any(parts):
                code = ".".join(p.zfill(2) if p.isdigit() else p for p in parts if p)
                image.vienna.append((line, "ViennaClassification", code))

    def _field(self, record: _Record, inner: list[str], local: str, text: str,
               line: int) -> None:
        start = line
        top = inner[0]
        if top in PARTIES or top in SINGLE_PARTIES:
            self._party(record, inner, local, text)
            return
        if text and (local in DESIGNATION_CODES or local in DESIGNATION_PARTS and any(
                e.startswith("Designat") for e in inner[:-1])):
            record.designations.append((start, local, text))
            return
        if len(inner) == 1:
            if local in SIMPLE or local in NUMBERS[record.type]:
                if text and local not in record.own:
                    record.own.add(local)
                    record.fields[local] = (start, text)
            elif local in TITLES and text and record.mark is None:
                record.mark = (start, local, text)
            return
        if local in NUMBER_PARTS and top == "ApplicationNumber" and len(inner) == 2:
            if text and local not in record.own:
                record.own.add(local)
                record.fields[local] = (start, text)
        elif local == VERBAL[0] and "WordMarkSpecification" in inner:
            if text and record.mark is None:
                record.mark = (start, local, text)
        elif local == VERBAL[1] and text and record.significant is None:
            record.significant = (start, local, text)
        elif local in TITLES and text and record.mark is None:
            record.mark = (start, local, text)
        elif (local.endswith(EDITION) and text
              and "GoodsServicesClassificationBag" not in inner):
            if record.edition is None:
                record.edition = (start, local, text)
        elif local == "ClassNumber" and text and self._class_place(record, inner):
            record.classes.append((start, local, text))
        elif local in GOODS and text and ("GoodsServicesDetails" in inner
                                          or "GoodsServicesBag" in inner):
            number = record.classes[-1][2].lstrip("0") if record.classes else ""
            record.goods.append(f"{number}: {text}" if number else text)
            record.parts.append((number, self.language, text))
        elif local in PRODUCTS and text:
            record.goods.append(text)
            record.parts.append(("", self.language, text))

    @staticmethod
    def _class_place(record: _Record, inner: list[str]) -> bool:
        """Nice classes of the goods list (ST.66 GoodsServicesDetails, ST.96 GoodsServicesBag
        /.../ClassDescription: not USPTO's repeated GoodsServicesClassificationBag);
        Locarno classes (ST.86 ClassDescriptionDetails, ST.96 ClassDescriptionBag or
        LocarnoClassificationBag)."""
        if record.type == "trademark":
            return "GoodsServicesDetails" in inner or (
                "GoodsServicesBag" in inner and "ClassDescription" in inner)
        return any(e in ("ClassDescriptionDetails", "ClassDescriptionBag")
                   or e.startswith("Locarno") for e in inner)

    @staticmethod
    def _party(record: _Record, inner: list[str], local: str, text: str) -> None:
        top = inner[0]
        ends = len(inner) == 2 if top in PARTIES else len(inner) == 1
        if ends and record.party is not None:
            name = _party_name(record.party)
            if name:
                column = PARTIES.get(top) or SINGLE_PARTIES[top]
                if name not in record.parties[column]:
                    record.parties[column].append(name)
            record.party = None
        elif local in NAME_PARTS and text and record.party is not None:
            record.party.setdefault(local, []).append(text)


def _with_images(done: list[tuple[int, SourcedRow, list[ImageRef]]],
                 images: MarkImages) -> Iterator[tuple[int, SourcedRow]]:
    for line, row, refs in done:
        row.images = images.prepare(refs, row.problems, row.warnings)
        yield line, row


def xml_records(stream: IO[bytes], result: ImportResult, table: StatusTable,
                images: MarkImages | None = None) -> Iterator[tuple[int, SourcedRow]]:
    """(line, row) of every record of a WIPO XML byte stream, with its images prepared;
    file-level problems go to ``result``."""
    images = images or MarkImages()
    reader = _Reader(result, table)
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
                    raise Refused(line, "file", gettext(
                        "has a DOCTYPE or ENTITY declaration, which is refused (no entities, "
                        "no DTD): remove it"))
                if not chunk.strip():
                    result.error(None, "file", gettext("is empty"))
                    return
            parser.Parse(chunk, not chunk)
            while reader.done:
                batch, reader.done = reader.done, []
                for line, row in _with_images(batch, images):
                    reader.records += 1
                    yield line, row
            if not chunk:
                break
    except (Refused, expat.ExpatError) as exc:
        # The records completed before the error are good (skip mode writes them).
        yield from _with_images(reader.done, images)
        result.fatal = True
        if isinstance(exc, Refused):
            result.error(exc.line, exc.field, exc.message)
        else:
            result.error(exc.lineno, "file", gettext(
                "is not well-formed XML: %(problem)s (column %(column)s); reading stopped "
                "here", problem=expat.ErrorString(exc.code), column=exc.offset + 1))
        return
    if reader.records == 0 and result.rows == 0:
        result.error(None, "file", gettext("holds no TradeMark (ST.66), Trademark (ST.96) or "
                                           "Design (ST.86, ST.96) record"))


def import_xml(db: Session, actor: Officer | None, stream: IO[bytes], *,
               mode: str = "abort", progress: Callable[[int], None] | None = None,
               source: provenance.Source | None = None,
               images: MarkImages | None = None) -> ImportResult:
    """Import rights from a WIPO ST.66, ST.86 or ST.96 XML byte stream, as ``import_csv``
    does (same rules, modes, errors by line and field: the field is the XML element).
    Status values go through the status table; unknown ones import as ``other`` with a
    warning in ``result.warnings``. ``images``: where referenced image files are found
    (a ZIP's members); without it, only embedded images are read."""
    table = load_table(db)
    stream = provenance.hashing(stream)
    return importing.import_rows(db, actor,
                                 lambda result: xml_records(stream, result, table, images),
                                 mode=mode, progress=progress, keep=KEEP,
                                 details={"format": "xml"}, source=source,
                                 digest=stream.hexdigest, images=images)
