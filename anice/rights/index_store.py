"""The machine's shared matching index: where it lives, how it is built and switched.

The folder (``RIGHTS_INDEX_DIR``, default ``<data folder>/rights-index``) holds versioned
files ``marks-<snapshot>.idx`` (format in ``matching/mapped.py``) and a pointer file
``current`` naming the one to use. A build writes a new file under a temporary name,
fsyncs it, renames it, then replaces ``current`` atomically (``os.replace``); a process
that maps an older file keeps reading it until its next query sees the new pointer, and the
kernel keeps an unlinked file's pages while a process still maps it. One build at a time
per folder (an advisory lock); the previous version is kept, older ones are removed.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Right, RightKind, RightName
from .matching.mapped_build import build_file

log = logging.getLogger(__name__)

POINTER = "current"
LOCK = "build.lock"
KEEP = 2  # the current file and the one before it


def index_dir() -> Path:
    configured = current_app.config.get("RIGHTS_INDEX_DIR")
    return Path(configured or Path(current_app.config["DATA_DIR"]) / "rights-index")


def pointer_path() -> Path:
    return index_dir() / POINTER


def current_file() -> Path | None:
    """The file ``current`` names, or None when there is none yet."""
    try:
        name = pointer_path().read_text().strip()
    except FileNotFoundError:
        return None
    return index_dir() / name if name else None


def micros(value: datetime | None) -> int:
    """A stored time as microseconds since the epoch (the file keeps integers)."""
    if value is None:
        return 0
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return int(value.timestamp() * 1_000_000)


def registry_version(db: Session) -> dict[str, Any]:
    """What the index is built from: the newest right, change and other spelling, and the
    time the build started reading (changes after it come from the delta)."""
    return {"snapshot_us": micros(datetime.now(UTC)),
            "max_right_id": db.scalar(select(func.max(Right.id))) or 0,
            "max_updated_us": micros(db.scalar(select(func.max(Right.updated_at)))),
            "max_name_id": db.scalar(select(func.max(RightName.id))) or 0}


def class_list(classes: str | None, kind) -> list[int]:
    """Nice classes only: a design's Locarno 2 (clothing) is not Nice 2 (paints)."""
    if kind not in (RightKind.TRADEMARK, "trademark"):
        return []
    return [int(c) for c in (classes or "").split(";")
            if c.strip().isascii() and c.strip().isdigit()]


def marks(db: Session, ids: list[int] | None = None) -> Iterator[tuple]:
    """(id, texts, classes, status, updated_us) of the rights with a word element, by id;
    only ``ids`` when given."""
    names: dict[int, list[str]] = {}
    query = select(RightName.right_id, RightName.text).order_by(RightName.id)
    if ids is not None:
        query = query.where(RightName.right_id.in_(ids))
    for right_id, text in db.execute(query):
        names.setdefault(right_id, []).append(text)
    rows = (select(Right.id, Right.mark_text, Right.classes, Right.status, Right.type,
                   Right.updated_at)
            .where(Right.mark_text.is_not(None)).order_by(Right.id))
    if ids is not None:
        rows = rows.where(Right.id.in_(ids))
    for right_id, text, classes, status, kind, updated in db.execute(
            rows.execution_options(yield_per=50_000)):
        yield (right_id, [text, *names.pop(right_id, [])], class_list(classes, kind),
               getattr(status, "value", status), micros(updated))


def build(db: Session, progress: Callable[[int], None] | None = None) -> Path | None:
    """Build a new index file from the registry and make it current; None when another
    build holds the folder's lock (it will make its own file current)."""
    folder = index_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK, "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("rights index build already running", extra={"folder": str(folder)})
            return None
        started = time.perf_counter()
        registry = registry_version(db)
        name = f"marks-{registry['snapshot_us']}-{os.getpid()}.idx"
        tmp = folder / f".{name}.tmp"
        processes = int(current_app.config.get("RIGHTS_INDEX_BUILD_PROCESSES") or 0)
        try:
            header = build_file(str(tmp), marks(db), registry, progress, processes)
            os.replace(tmp, folder / name)
            _point_to(folder, name)
        finally:
            tmp.unlink(missing_ok=True)
        _prune(folder, name)
        log.info("rights index built", extra={
            "file": name, "marks": header["marks"], "entries": header["entries"],
            "mib": round((folder / name).stat().st_size / 2**20, 1),
            "seconds": round(time.perf_counter() - started, 1)})
        return folder / name


def _point_to(folder: Path, name: str) -> None:
    tmp = folder / f".{POINTER}.{os.getpid()}"
    with open(tmp, "w") as fh:
        fh.write(name + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, folder / POINTER)
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)  # the rename itself survives a crash
    finally:
        os.close(fd)


def _prune(folder: Path, current: str) -> None:
    files = sorted((p for p in folder.glob("marks-*.idx") if p.name != current),
                   key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[KEEP - 1:]:
        old.unlink(missing_ok=True)  # a process still mapping it keeps its pages


def discard(path: Path, reason: str) -> None:
    """Move a bad file out of the way (kept as ``.bad`` for a look) and clear the pointer
    if it named it, so that no process maps it again."""
    try:
        os.replace(path, path.with_suffix(".bad"))
    except FileNotFoundError:
        pass
    if current_file() == path:
        pointer_path().unlink(missing_ok=True)
    log.error("rights index file discarded", extra={"file": str(path), "reason": reason})
