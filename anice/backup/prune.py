"""Pruning shredded evidence out of retained backups (``backup prune-shredded``).

A backup taken before a shred holds the item's wrapped DEK, its ciphertext and the KEK that
opens it (in the key export): restoring it would revive the item. The KEK cannot be shredded
with it (it wraps every other item too), so the backup itself is rewritten: the item's row
loses its wrapped DEK (marked shredded, as in the live database), its derived rows go, and
its objects and its derivatives' objects are left out. The rewrite goes to a new folder beside
the backup, is checked against its new manifest, and only then takes the backup's place.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Evidence, EvidenceStatus
from . import (
    BackupError,
    _pg_tool,
    _sha256_file,
    check_files,
    read_manifest,
)

BATCH = 500
NULL = "\\N"


@dataclass
class Pruned:
    """What one backup lost: the items (public ids), their derived rows and objects."""

    folder: Path
    items: list[str] = field(default_factory=list)
    derivatives: int = 0
    objects: list[str] = field(default_factory=list)
    bytes: int = 0
    manifest_sha256: str = ""


def shredded_items(db: Session) -> dict[str, datetime]:
    """Public id -> shredded at, of every item shredded in the live database (the row stays
    after a shred, as its tombstone)."""
    rows = db.execute(select(Evidence.public_id, Evidence.shredded_at)
                      .where(Evidence.status == EvidenceStatus.SHREDDED))
    return {public_id: at or datetime.now(UTC) for public_id, at in rows}


def prune(folder: Path, shredded: dict[str, datetime],
          progress: Callable[[int], None] | None = None) -> Pruned:
    """Rewrite the backup in ``folder`` without the keys and objects of ``shredded`` items.

    Nothing changes if the backup holds none of them, or if it is damaged (refused)."""
    folder = Path(folder).resolve()
    lock = os.open(folder, os.O_RDONLY)
    try:
        try:  # two runs over one backup would each swap in their own copy
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(f"{folder} is being pruned by another process") from None
        return _prune_locked(folder, shredded, progress)
    finally:
        os.close(lock)


def _prune_locked(folder: Path, shredded: dict[str, datetime],
                  progress: Callable[[int], None] | None) -> Pruned:
    manifest = read_manifest(folder)
    problems = check_files(folder, manifest)
    if problems:
        raise BackupError(f"{folder} is damaged, not pruned:\n  " + "\n  ".join(problems))
    result = Pruned(folder)
    work = folder.with_name(f".{folder.name}.pruning-{secrets.token_hex(4)}")
    work.mkdir(mode=0o700)
    try:
        new_db = _prune_database(folder, work, manifest, shredded, result)
        if not result.items:
            return result
        _finish(folder, work, manifest, new_db, result, progress)
    finally:
        if work.exists():
            shutil.rmtree(work)
    return result


def _prune_database(folder: Path, work: Path, manifest: dict, shredded: dict[str, datetime],
                    result: Pruned) -> str:
    """Write the pruned database into ``work``; returns its file name. Fills ``result``."""
    source = folder / manifest["database"]["file"]
    if manifest["database"]["backend"] == "sqlite":
        _prune_sqlite(source, work / source.name, shredded, result)
        return source.name
    _prune_pg_dump(source, work / "database.sql", shredded, result)
    return "database.sql"


def _finish(folder: Path, work: Path, manifest: dict, new_db: str, result: Pruned,
            progress: Callable[[int], None] | None) -> None:
    """Link the kept objects into ``work``, write and check its manifest, then swap."""
    dropped = set(result.objects)
    for n, key in enumerate(manifest["objects"], 1):
        source = folder / "objects" / key
        if key in dropped:
            result.bytes += source.stat().st_size
            continue
        target = work / "objects" / key
        _private_dirs(work, target.parent)
        try:
            os.link(source, target)  # same file system: no copy of the ciphertext
        except OSError:
            shutil.copy2(source, target)
        if progress:
            progress(n)
    result.objects = sorted(dropped & set(manifest["objects"]))
    _write_manifest(work, manifest, new_db, result)
    problems = check_files(work, read_manifest(work))
    if problems:
        raise BackupError(f"the pruned copy of {folder} does not check, backup left as it "
                          "was:\n  " + "\n  ".join(problems))
    old = folder.with_name(f".{folder.name}.pruned-{secrets.token_hex(4)}")
    os.rename(folder, old)
    os.rename(work, folder)
    shutil.rmtree(old)


def _write_manifest(work: Path, manifest: dict, new_db: str, result: Pruned) -> None:
    kept = [key for key in manifest["objects"] if key not in set(result.objects)]
    files = {name: entry for name, entry in manifest["files"].items()
             if name.startswith("objects/") and name[len("objects/"):] in set(kept)}
    digest, size = _sha256_file(work / new_db)
    files[new_db] = {"sha256": digest, "size": size}
    pruned = [*manifest.get("pruned", []),
              {"at": datetime.now(UTC).isoformat(), "evidence": result.items,
               "derivatives": result.derivatives, "objects": len(result.objects)}]
    raw = json.dumps({**manifest, "database": {**manifest["database"], "file": new_db},
                      "objects": kept, "files": files, "pruned": pruned},
                     indent=1, sort_keys=True).encode()
    fd = os.open(work / "manifest.json", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
        fh.flush()
        os.fsync(fh.fileno())
    result.manifest_sha256 = hashlib.sha256(raw).hexdigest()


def _private_dirs(root: Path, folder: Path) -> None:
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        path.mkdir(mode=0o700, exist_ok=True)


def _batches(items: Iterable, size: int = BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start:start + size]


# --- SQLite -------------------------------------------------------------------------

def _prune_sqlite(source: Path, target: Path, shredded: dict[str, datetime],
                  result: Pruned) -> None:
    """Copy the backup's database, clear the shredded items' keys, and compact it."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(target)
    try:
        with dst:
            src.backup(dst)
        # Deleted content is overwritten, and VACUUM leaves no free page holding an old key.
        dst.execute("PRAGMA secure_delete=ON")
        dst.execute("PRAGMA journal_mode=DELETE")
        with dst:
            for batch in _batches(shredded):
                marks = ",".join("?" * len(batch))
                query = ("SELECT id, public_id, storage_key FROM evidence WHERE public_id IN "
                         f"({marks}) AND dek_wrapped IS NOT NULL")  # nosec B608 - only "?" marks
                rows = dst.execute(query, batch).fetchall()
                for evidence_id, public_id, key in rows:
                    _prune_sqlite_item(dst, evidence_id, shredded[public_id], result)
                    result.items.append(public_id)
                    result.objects.append(key)
        dst.execute("VACUUM")
    finally:
        src.close()
        dst.close()
    os.chmod(target, 0o600)
    result.items.sort()


def _prune_sqlite_item(conn: sqlite3.Connection, evidence_id: int, shredded_at: datetime,
                       result: Pruned) -> None:
    derived = conn.execute("SELECT storage_key FROM evidence_derivative WHERE evidence_id = ?",
                           (evidence_id,)).fetchall()
    result.objects += [key for (key,) in derived]
    result.derivatives += len(derived)
    conn.execute("DELETE FROM evidence_derivative WHERE evidence_id = ?", (evidence_id,))
    # As the UTCDateTime column stores it on SQLite (SQLAlchemy's text form, in UTC).
    at = shredded_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    conn.execute("UPDATE evidence SET dek_wrapped = NULL, status = ?, shredded_at = ? "
                 "WHERE id = ?", (EvidenceStatus.SHREDDED.value, at, evidence_id))


# --- PostgreSQL ---------------------------------------------------------------------

COPY = re.compile(r'^COPY (?:"?public"?\.)?"?(evidence|evidence_derivative)"? \((.*)\) '
                  r"FROM stdin;$")


def _prune_pg_dump(source: Path, target: Path, shredded: dict[str, datetime],
                   result: Pruned) -> None:
    """The custom-format dump as a plain SQL script (``pg_restore`` writes it, no database
    needed), its COPY rows of the shredded items rewritten; restored with ``psql``."""
    plain = source.suffix == ".sql"  # pruned before: already a script
    script = source if plain else target.with_name(target.name + ".full")
    if not plain:
        _pg_tool("pg_restore", None, ["--clean", "--if-exists", "--no-owner",
                                      "--no-privileges", "--single-transaction",
                                      f"--file={script}", str(source)])
    try:
        ids = _shredded_ids(script, shredded)
        if ids:
            _rewrite_script(script, target, ids, shredded, result)
    finally:
        if not plain:
            script.unlink(missing_ok=True)


def _copy_rows(lines: Iterable[str]):
    """(table, columns, row fields or None for a line outside the two COPY blocks, line)."""
    table = columns = None
    for line in lines:
        if table is None:
            match = COPY.match(line.rstrip("\n"))
            if match:
                table, columns = match.group(1), [c.strip().strip('"')
                                                  for c in match.group(2).split(",")]
            yield None, None, None, line
        elif line == "\\.\n":
            table = columns = None
            yield None, None, None, line
        else:
            yield table, columns, line.rstrip("\n").split("\t"), line


def _shredded_ids(script: Path, shredded: dict[str, datetime]) -> dict[str, str]:
    """Row id -> public id of the items the backup still holds keys of."""
    ids = {}
    with open(script, encoding="utf-8") as fh:
        for table, columns, fields, _ in _copy_rows(fh):
            if table == "evidence":
                row = dict(zip(columns, fields, strict=True))
                if row["public_id"] in shredded and row["dek_wrapped"] != NULL:
                    ids[row["id"]] = row["public_id"]
    return ids


def _rewrite_script(script: Path, target: Path, ids: dict[str, str],
                    shredded: dict[str, datetime], result: Pruned) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with open(script, encoding="utf-8") as fh, os.fdopen(fd, "w", encoding="utf-8") as out:
        for table, columns, fields, line in _copy_rows(fh):
            if table == "evidence":
                row = dict(zip(columns, fields, strict=True))
                if row["id"] in ids:
                    at = shredded[row["public_id"]].astimezone(UTC).isoformat(sep=" ")
                    row.update(dek_wrapped=NULL, status=EvidenceStatus.SHREDDED.value,
                               shredded_at=at)
                    result.items.append(row["public_id"])
                    result.objects.append(row["storage_key"])
                    line = "\t".join(row[c] for c in columns) + "\n"
            elif table == "evidence_derivative":
                row = dict(zip(columns, fields, strict=True))
                if row["evidence_id"] in ids:
                    result.derivatives += 1
                    result.objects.append(row["storage_key"])
                    continue
            out.write(line)
        out.flush()
        os.fsync(out.fileno())
    result.items.sort()
