"""The one entry of every rights import (CLI and jobs): a CSV file, a WIPO XML file, or a
ZIP holding XML (or CSV) files with the mark images they name beside them, as the
offices and TMview deliver them in bulk.

A ZIP is checked whole before a row is read: at most ``MAX_MEMBERS`` members and
``max_unzipped`` bytes once unpacked (as the archive declares them; reading never yields
more than declared), no absolute path or ``..`` (a member's name never becomes a path:
images are looked up by name), no link, no encrypted member, no archive inside it.
Every problem names the member. All its data files are one import (one all-or-nothing
transaction, one report), read in name order.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import IO

from flask import current_app, has_app_context
from flask_babel import format_decimal, gettext
from sqlalchemy.orm import Session

from ..models import Officer
from . import importing, importing_xml, provenance
from .importing import ImportResult
from .mark_images import MAX_IMAGE_BYTES, BadImage, MarkImages
from .statuses import load_table

MAX_MEMBERS = 50_000
DEFAULT_MAX_UNZIPPED = 8 * 1024**3
DATA = (".xml", ".csv")
ARCHIVES = (".zip", ".jar", ".gz", ".tgz", ".tar", ".7z", ".rar", ".bz2", ".tbz", ".xz",
            ".zst", ".lz", ".lzma", ".cab", ".arj", ".lzh", ".z")
ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!", b"BZh", b"\xfd7zXZ")
DRIVE = re.compile(r"^[A-Za-z]:")
SPOOL_CHUNK = 1024 * 1024


class BundleRefused(Exception):
    """The ZIP may not be read (``member``: which one, "" for the archive)."""

    def __init__(self, member: str, message: str) -> None:
        super().__init__(message)
        self.member, self.message = member, message


def max_unzipped_bytes() -> int:
    if has_app_context():
        return int(current_app.config.get("RIGHTS_IMPORT_MAX_UNZIPPED_BYTES")
                   or DEFAULT_MAX_UNZIPPED)
    return DEFAULT_MAX_UNZIPPED


def looks_like_zip(head: bytes, filename: str = "") -> bool:
    return head.startswith((b"PK\x03\x04", b"PK\x05\x06")) or (
        filename.lower().endswith(".zip") and not head.lstrip().startswith(b"<"))


def _unsafe(name: str) -> str | None:
    """Why a member's name is refused, or None."""
    path = name.replace("\\", "/")
    if path.startswith("/") or DRIVE.match(path):
        return gettext("has an absolute path: refused")
    if ".." in PurePosixPath(path).parts:
        return gettext("climbs out of the archive ('..' in its path): refused")
    if "\x00" in name or any(ord(c) < 32 for c in name):
        return gettext("has control characters in its name: refused")
    return None


class Bundle:
    """A checked ZIP: its data files (sorted) and its other members, found by name."""

    def __init__(self, fileobj: IO[bytes], max_unzipped: int) -> None:
        try:
            self.zip = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:
            raise BundleRefused("", gettext("is not a readable ZIP archive (%(reason)s)",
                                            reason=exc)) from None
        infos = self.zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise BundleRefused("", gettext("holds %(count)s members, more than the limit of "
                                            "%(limit)s", count=format_decimal(len(infos)),
                                            limit=format_decimal(MAX_MEMBERS)))
        self.data: list[zipfile.ZipInfo] = []
        self.others: dict[str, zipfile.ZipInfo] = {}  # lower-case name and base name
        total = 0
        for info in infos:
            self._check(info)
            total += info.file_size
            if total > max_unzipped:
                raise BundleRefused(info.filename, gettext(
                    "takes the archive past %(limit)s bytes unpacked: split the delivery",
                    limit=format_decimal(max_unzipped)))
            if info.is_dir() or _ignored(info.filename):
                continue
            if info.filename.lower().endswith(DATA):
                self.data.append(info)
            else:
                path = info.filename.replace("\\", "/").lower()
                self.others.setdefault(path, info)
                self.others.setdefault(path.rpartition("/")[2], info)
        self.data.sort(key=lambda i: i.filename)
        if not self.data:
            raise BundleRefused("", gettext("holds no .xml or .csv file to import"))
        kinds = {i.filename.lower()[-4:] for i in self.data}
        if len(kinds) > 1:
            raise BundleRefused("", gettext("holds both XML and CSV files: upload them in "
                                            "separate ZIP files"))

    @staticmethod
    def _check(info: zipfile.ZipInfo) -> None:
        name = info.filename
        problem = _unsafe(name)
        if problem is None and info.flag_bits & 0x1:
            problem = gettext("is encrypted: refused")
        if problem is None and stat.S_ISLNK(info.external_attr >> 16):
            problem = gettext("is a symbolic link: refused")
        if problem is None and name.lower().endswith(ARCHIVES):
            problem = gettext("is an archive inside the archive: unpack it and zip its files "
                              "together")
        if problem is not None:
            raise BundleRefused(name[:200], problem)

    @property
    def xml(self) -> bool:
        return self.data[0].filename.lower().endswith(".xml")

    def open(self, info: zipfile.ZipInfo) -> IO[bytes]:
        stream = self.zip.open(info)
        head = stream.read(8)
        if head.startswith(ARCHIVE_MAGIC):
            stream.close()
            raise BundleRefused(info.filename, gettext("is an archive inside the archive (by "
                                                       "its content): refused"))
        stream.seek(0)
        return stream

    def find(self, name: str, fmt: str = "") -> tuple[str, bytes] | None:
        """A referenced image by its name as written, then by its base name, with the
        format as extension when the name has none (ST.66 gives them apart)."""
        path = name.replace("\\", "/").lower()
        wanted = [path, path.rpartition("/")[2]]
        ext = fmt.strip().lstrip(".").lower()
        if ext:
            wanted += [f"{w}.{ext}" for w in wanted]
            if ext == "jpeg":
                wanted += [f"{w}.jpg" for w in wanted[:2]]
        info = next((self.others[w] for w in wanted if w in self.others), None)
        if info is None:
            return None
        if info.file_size > MAX_IMAGE_BYTES:
            raise BadImage(gettext("(member %(member)s) is larger than the limit of %(limit)s "
                                   "bytes per image", member=info.filename[:80],
                                   limit=format_decimal(MAX_IMAGE_BYTES)))
        try:
            return info.filename, self.zip.read(info)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            raise BadImage(gettext("(member %(member)s) cannot be read from the ZIP "
                                   "(%(reason)s)", member=info.filename[:80],
                                   reason=exc)) from None


def _ignored(name: str) -> bool:
    """Folders and files that archivers add (macOS resource forks, hidden files)."""
    parts = name.replace("\\", "/").split("/")
    return parts[0] == "__MACOSX" or parts[-1].startswith(".")


class FolderImages:
    """Images next to an XML file on the server (``flask rights import FILE.xml``): by
    base name in the file's folder only."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def find(self, name: str, fmt: str = "") -> tuple[str, bytes] | None:
        base = name.replace("\\", "/").rpartition("/")[2]
        ext = fmt.strip().lstrip(".").lower()
        for candidate in (base, f"{base}.{ext}" if ext else ""):
            if not candidate or candidate in (".", ".."):
                continue
            path = self.folder / candidate
            if path.is_file():
                if path.stat().st_size > MAX_IMAGE_BYTES:
                    raise BadImage(gettext("is larger than the limit of %(limit)s bytes per "
                                           "image", limit=format_decimal(MAX_IMAGE_BYTES)))
                return candidate, path.read_bytes()
        return None


def _seekable(stream: IO[bytes]) -> IO[bytes]:
    """The stream, or a temporary copy when it cannot seek from its end (a sealed upload):
    a ZIP is read from its end. The copy is unlinked at once and gone when closed."""
    try:
        stream.seek(0, io.SEEK_END)
        stream.seek(0)
        return stream
    except (io.UnsupportedOperation, OSError):
        stream.seek(0)
    spool = tempfile.TemporaryFile(prefix="anice-rights-")  # noqa: SIM115 - closed by caller
    shutil.copyfileobj(stream, spool, SPOOL_CHUNK)
    spool.seek(0)
    return spool


def _bundle_records(db: Session, stream: IO[bytes], result: ImportResult,
                    images: MarkImages, keep: list[str]
                    ) -> Iterator[tuple[int, dict[str, str]]]:
    spool = _seekable(stream)
    try:
        try:
            bundle = Bundle(spool, max_unzipped_bytes())
        except BundleRefused as exc:
            result.fatal = True
            result.error(None, exc.member or "file", exc.message)
            return
        images.source = bundle
        table = load_table(db) if bundle.xml else None
        if table is None:
            keep.clear()  # CSV carries every column
        for info in bundle.data:
            result.source = info.filename[:200]
            try:
                member = bundle.open(info)
            except BundleRefused as exc:
                result.error(None, result.source, exc.message)
                result.fatal = True
                return
            with member:
                if table is not None:
                    yield from importing_xml.xml_records(member, result, table, images)
                else:
                    yield from importing.csv_records(member, result)
        result.source = ""
    finally:
        if spool is not stream:
            spool.close()


def import_file(db: Session, actor: Officer | None, stream: IO[bytes], *,
                filename: str = "", mode: str = "abort",
                progress: Callable[[int], None] | None = None,
                images_folder: Path | None = None,
                import_job_id: int | None = None) -> ImportResult:
    """CSV, XML or a ZIP of them with their images, told apart by the first bytes (``<``,
    ``PK``) or the extension. ``images_folder``: where an XML file's referenced images
    are (the CLI: the file's own folder). The run is recorded with the file's name, its
    SHA-256 (of the file as received: the ZIP itself) and the web job that ran it."""
    stream = provenance.hashing(stream)
    source = provenance.Source(filename=os.path.basename(filename),
                               import_job_id=import_job_id)
    if stream.seekable():
        start = stream.tell()
        head = stream.read(512)
        stream.seek(start)
    else:
        head = b""
    folder = FolderImages(images_folder) if images_folder is not None else None
    images = MarkImages(folder)
    if looks_like_zip(head, filename) and not _is_workbook(stream, head):
        # The bundle's files are all XML (which keeps what XML does not carry) or all CSV:
        # known once the archive is open, so the list is emptied then for CSV.
        keep = list(importing_xml.KEEP)
        return importing.import_rows(
            db, actor, lambda result: _bundle_records(db, stream, result, images, keep),
            mode=mode, progress=progress, keep=keep, details={"format": "zip"},
            source=source, digest=stream.hexdigest, images=images)
    if importing_xml.looks_like_xml(head, filename):
        return importing_xml.import_xml(db, actor, stream, mode=mode, progress=progress,
                                        source=source, images=images)
    return importing.import_csv(db, actor, stream, mode=mode, progress=progress,
                                source=source, images=images)


def _is_workbook(stream: IO[bytes], head: bytes) -> bool:
    """An .xlsx (a ZIP too) goes to the CSV reader, which names it as a workbook."""
    if not head.startswith(b"PK") or not stream.seekable():
        return False
    return b"[Content_Types].xml" in head
