"""Backup and restore: a consistent database dump, the evidence objects, a manifest.

A backup folder holds ``database.dump`` (pg_dump, custom format) or ``database.sqlite3``
(SQLite's online backup), ``objects/<key>`` (the ciphertext of every object the dumped rows
name, copied from the storage backend as stored) and ``manifest.json`` (SHA-256 and size of
every file). The keys go to a separate, passphrase-sealed file (``anice.backup.keys``).
For PostgreSQL the list of objects is read in the very snapshot that pg_dump dumps.
"""

from __future__ import annotations

import glob
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from flask import current_app
from psycopg.conninfo import make_conninfo
from sqlalchemy import inspect, literal, select, text
from sqlalchemy import table as sql_table
from sqlalchemy.engine import make_url

from .. import audit_keys, db
from ..db import alembic_config
from ..evidence import runtime
from . import keys as backup_keys

FORMAT = "anice-backup-1"
CHUNK = 1024 * 1024
# The rows that name stored objects (shredded items have lost theirs on purpose).
OBJECT_KEYS = ("SELECT storage_key FROM evidence WHERE dek_wrapped IS NOT NULL "
               "UNION SELECT storage_key FROM evidence_derivative")
KEK_IDS = ("SELECT kek_id FROM evidence WHERE dek_wrapped IS NOT NULL "
           "UNION SELECT kek_id FROM evidence_derivative")
# A deployment whose tables hold none of these rows counts as empty (migrated or not).
CONTENT_TABLES = ("officer", "case_file", "evidence", "audit_event")


class BackupError(RuntimeError):
    pass


@dataclass
class Summary:
    folder: Path
    objects: int = 0
    bytes: int = 0
    missing: list[str] = field(default_factory=list)
    manifest_sha256: str = ""


def backend() -> str:
    return "sqlite" if current_app.config["DATABASE_URL"].startswith("sqlite") else "postgresql"


def _sha256_file(path: Path) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- create ------------------------------------------------------------------------

def create(folder: Path, keys_blob: bytes | None, keys_out: Path | None,
           progress: Callable[[int], None] | None = None) -> Summary:
    """Write a backup into the new or empty ``folder``; the sealed keys to ``keys_out``."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty: give a new folder for each backup")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(folder, 0o700)
    dump_name, keys, kek_ids, revision = _dump_database(folder)
    summary = Summary(folder)
    objects = folder / "objects"

    store = runtime.storage()
    for n, key in enumerate(sorted(keys), 1):
        target = objects / key
        _private_dirs(folder, target.parent)
        try:
            source = store.open(key)
        except FileNotFoundError:
            summary.missing.append(key)
            continue
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with source, os.fdopen(fd, "wb") as out:
            shutil.copyfileobj(source, out, CHUNK)
        summary.objects += 1
        summary.bytes += target.stat().st_size
        if progress:
            progress(n)
    keys_entry = None
    if keys_blob is not None and keys_out is not None:
        _write_new(keys_out, keys_blob)
        keys_entry = {"name": keys_out.name, "sha256": hashlib.sha256(keys_blob).hexdigest()}
    files = {}
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest, size = _sha256_file(path)
        files[path.relative_to(folder).as_posix()] = {"sha256": digest, "size": size}
    manifest = {"format": FORMAT, "created_at": datetime.now(UTC).isoformat(),
                "revision": revision, "database": {"backend": backend(), "file": dump_name},
                "storage": store.name, "objects": sorted(set(keys) - set(summary.missing)),
                "missing_objects": summary.missing, "kek_ids": kek_ids, "keys": keys_entry,
                "files": files}
    raw = json.dumps(manifest, indent=1, sort_keys=True).encode()
    _write_new(folder / "manifest.json", raw)
    summary.manifest_sha256 = hashlib.sha256(raw).hexdigest()
    return summary


def _private_dirs(root: Path, folder: Path) -> None:
    """``folder`` and its missing parents below ``root``, each 0700 (not the umask's mode)."""
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        path.mkdir(mode=0o700, exist_ok=True)


def _write_new(path: Path, content: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(content)
        fh.flush()
        os.fsync(fh.fileno())


def _dump_database(folder: Path) -> tuple[str, list[str], list[str], str | None]:
    """(dump file name, object keys, KEK ids, schema revision), all of one snapshot."""
    url = current_app.config["DATABASE_URL"]
    if backend() == "sqlite":
        name = "database.sqlite3"
        source = sqlite3.connect(f"file:{make_url(url).database}?mode=ro", uri=True)
        target = sqlite3.connect(folder / name)
        try:
            with target:
                source.backup(target)  # the online backup API: one consistent copy
            keys, kek_ids, revision = _snapshot_facts(
                lambda sql: [r[0] for r in target.execute(sql)])
        finally:
            source.close()
            target.close()
        os.chmod(folder / name, 0o600)
        return name, keys, kek_ids, revision
    name = "database.dump"
    with db.engine().connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        snapshot = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        # pg_dump reads the very snapshot this transaction holds open.
        _pg_tool("pg_dump", url, ["--format=custom", "--no-owner", "--no-privileges",
                                  f"--snapshot={snapshot}", f"--file={folder / name}"])
        keys, kek_ids, revision = _snapshot_facts(
            lambda sql: [r[0] for r in conn.execute(text(sql))])
        conn.rollback()
    os.chmod(folder / name, 0o600)
    return name, keys, kek_ids, revision


def _snapshot_facts(query: Callable[[str], list]) -> tuple[list[str], list[str], str | None]:
    revision = query("SELECT version_num FROM alembic_version")
    return (sorted(k for k in query(OBJECT_KEYS) if k), sorted(k for k in query(KEK_IDS) if k),
            revision[0] if revision else None)


def _pg_bin(name: str) -> str:
    """The newest installed PostgreSQL client (pg_dump must not be older than the server)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(p.split("/")[4]) if p.split("/")[4].isdigit() else 0)
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise BackupError(f"{name} not found: install the PostgreSQL client (postgresql-client)")
    return path


def _pg_tool(name: str, url: str | None, args: list[str]) -> None:
    """Run pg_dump/pg_restore/psql on DATABASE_URL; the password goes by environment, not
    argv. Without a URL, the tool works on files only (``pg_restore --file``)."""
    if url is None:
        done = subprocess.run([_pg_bin(name), *args], capture_output=True, text=True,
                              check=False)
        if done.returncode != 0:
            raise BackupError(f"{name} failed: {done.stderr.strip()[-2000:]}")
        return
    parsed = make_url(url)
    params = {"host": parsed.host, "port": parsed.port, "user": parsed.username,
              "dbname": parsed.database, **{k: v for k, v in parsed.query.items()
                                           if isinstance(v, str)}}
    env = {**os.environ}
    if parsed.password:
        env["PGPASSWORD"] = parsed.password
    conninfo = make_conninfo(**{k: v for k, v in params.items() if v not in (None, "")})
    done = subprocess.run([_pg_bin(name), *args, f"--dbname={conninfo}"], env=env,
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{name} failed: {done.stderr.strip()[-2000:]}")


# --- restore -----------------------------------------------------------------------

def read_manifest(folder: Path) -> dict:
    path = Path(folder) / "manifest.json"
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"no readable manifest in {folder}: {exc}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{path} is not an ANICE backup manifest ({FORMAT})")
    return manifest


def check_files(folder: Path, manifest: dict) -> list[str]:
    """Problems found by re-hashing every file the manifest lists (empty when all is well)."""
    problems = []
    for name, expected in sorted(manifest["files"].items()):
        path = Path(folder) / name
        if not path.is_file():
            problems.append(f"{name}: missing")
            continue
        digest, size = _sha256_file(path)
        if (digest, size) != (expected["sha256"], expected["size"]):
            problems.append(f"{name}: SHA-256 or size differs from the manifest")
    listed = set(manifest["files"])
    extra = [p.relative_to(folder).as_posix() for p in Path(folder).rglob("*")
             if p.is_file() and p.name != "manifest.json"
             and p.relative_to(folder).as_posix() not in listed]
    problems += [f"{name}: not in the manifest" for name in sorted(extra)]
    return problems


def check_target(manifest: dict) -> None:
    """Refuse anything but an empty deployment of the same database kind and a known schema."""
    if manifest["database"]["backend"] != backend():
        raise BackupError(f"the backup is of a {manifest['database']['backend']} database; "
                          f"DATABASE_URL is {backend()}")
    revision = manifest.get("revision")
    if revision:
        try:
            ScriptDirectory.from_config(alembic_config()).get_revision(revision)
        except Exception:  # noqa: BLE001 - alembic raises several kinds for an unknown id
            raise BackupError(f"the backup's schema revision {revision} is unknown to this "
                              "version of ANICE: restore with the version that made it") from None
    url = current_app.config["DATABASE_URL"]
    if backend() == "sqlite" and not Path(make_url(url).database or "").exists():
        return  # restoring creates the file
    engine = db.engine()
    tables = set(inspect(engine).get_table_names())
    with engine.connect() as conn:
        for table in CONTENT_TABLES:
            probe = select(literal(1)).select_from(sql_table(table)).limit(1)
            if table in tables and conn.execute(probe).first():
                raise BackupError(f"the database is not empty (table {table} has rows): "
                                  "restore only into a new, empty database")


def restore_objects(folder: Path, manifest: dict) -> tuple[int, int]:
    """(written, already present): each object streamed into the configured storage."""
    store = runtime.storage()
    written = present = 0
    for key in manifest["objects"]:
        source = Path(folder) / "objects" / key
        if store.exists(key):
            if _stored_digest(store, key) != manifest["files"][f"objects/{key}"]["sha256"]:
                raise BackupError(f"storage already holds another object under {key}")
            present += 1
            continue
        writer = store.writer(key)
        try:
            with open(source, "rb") as fh:
                while chunk := fh.read(CHUNK):
                    writer.write(chunk)
            writer.commit()
        except BaseException:
            writer.abort()
            raise
        written += 1
    return written, present


def _stored_digest(store, key: str) -> str:
    digest = hashlib.sha256()
    with store.open(key) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def restore_database(folder: Path, manifest: dict) -> None:
    dump = Path(folder) / manifest["database"]["file"]
    url = current_app.config["DATABASE_URL"]
    db.engine().dispose()
    if backend() == "sqlite":
        path = Path(make_url(url).database)
        path.parent.mkdir(parents=True, exist_ok=True)
        source = sqlite3.connect(f"file:{dump}?mode=ro", uri=True)
        target = sqlite3.connect(path)
        try:
            with target:
                source.backup(target)
        finally:
            source.close()
            target.close()
        return
    if dump.suffix == ".sql":  # a pruned backup: the script pg_restore wrote, rewritten
        _pg_tool("psql", url, ["--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1",
                               f"--file={dump}"])
        return
    # All or nothing; --clean also replaces the tables of a migrated but empty database.
    _pg_tool("pg_restore", url, ["--clean", "--if-exists", "--no-owner", "--no-privileges",
                                 "--single-transaction", "--exit-on-error", str(dump)])


def restore(folder: Path, material: dict | None) -> list[str]:
    """Check everything first, then keys, objects and, last, the database (all or nothing)."""
    manifest = read_manifest(folder)
    problems = check_files(folder, manifest)
    if problems:
        raise BackupError("the backup is damaged:\n  " + "\n  ".join(problems))
    check_target(manifest)
    missing = backup_keys.missing_keks(manifest["kek_ids"], material)
    if missing:
        raise BackupError(f"no key for KEK {', '.join(missing)}: give the backup's key export "
                          "(--keys) or configure those keys first")
    lines = backup_keys.install(material) if material else []
    written, present = restore_objects(folder, manifest)
    lines.append(f"objects: {written} written to {current_app.config['EVIDENCE_STORAGE']} "
                 f"storage (backed up from {manifest['storage']}), {present} already there")
    restore_database(folder, manifest)
    lines.append(f"database: restored from {manifest['database']['file']} (schema "
                 f"{manifest.get('revision')})")

    # The restored log may end before the last checkpoint: that is this restore, not an attack.
    if audit_keys.drop_checkpoint():
        lines.append("audit checkpoint: reset (the next `audit verify` sets a new one)")
    return lines
