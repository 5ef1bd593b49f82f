"""One process's view of the registry for matching: the mapped index file + a delta.

Before each query the process checks two cheap things: the folder's ``current`` pointer
(one ``stat``) and the registry's version (three ``max()`` read from indexes). When the
pointer changed, it maps the new file (checking its SHA-256 once); when the registry
changed, it reads the rights changed since the file's snapshot into a small in-heap index
(the delta) searched beside the file, and masks those rights in the file. A right
committed before a query is therefore always found, whatever the file's age.

Without a usable file (none yet, corrupt, truncated, or too far behind), the delta is the
whole registry when it is small; a large registry is answered from its newest
``RIGHTS_INDEX_DELTA_MAX`` changes plus the database's exact word elements, a rebuild is
requested (RQ job, or a thread of this process without Redis) and a warning is logged.
The request path never builds the file itself.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from ..jobs import enqueue, redis_connection
from ..models import Right, RightName
from . import index_store
from .matching import caches
from .matching.index import MarkIndex
from .matching.mapped import IndexFileError, MappedIndex
from .matching.score import Candidate, Matcher, crowd

log = logging.getLogger(__name__)

DELTA_MAX = 20_000
OVERLAP_SECONDS = 2
FALLBACK_NAMES = 50  # rights with exactly the query's word element, read when degraded


@dataclass
class SharedMatcher:
    """Searches the mapped file (without its masked marks) and the delta, merges by score."""

    base: Matcher | None = None
    masked: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    delta: Matcher | None = None
    degraded: str | None = None  # why the answer may miss rights (None: complete)

    @property
    def index(self):
        return self.base.index if self.base is not None else (
            self.delta.index if self.delta is not None else MarkIndex())

    def search(self, text: str, classes=None, limit: int = 10, include_inactive: bool = False,
               only_classes=None, db: Session | None = None,
               owners: Callable[[list], Mapping] | None = None) -> list[Candidate]:
        """The best `limit` of the file and the delta; `owners` (mark ids -> {id: owner})
        keeps one owner per identical text ahead (`score.crowd`)."""
        found: list[Candidate] = []
        args = {"classes": classes, "limit": limit, "include_inactive": include_inactive,
                "only_classes": only_classes}
        if self.base is not None:
            found += self.base.ranked(text, exclude=self.masked, **args)
        if self.delta is not None:
            found += self.delta.ranked(text, **args)
        if self.degraded and db is not None:
            found += _exact_names(db, text, {c.mark_id for c in found}, args)
        # equal scores: the longer text first, as within each (`Matcher._top`); stable
        found.sort(key=lambda c: (-c.score, -len(c.key)))
        caches.trim()  # a serving process keeps its text caches small (caches.py)
        if not owners:
            return crowd(found, limit)
        # Only a text found more than once can put one owner ahead of another: the owners of
        # the others are not read (at 10M marks a lookup of up to 100 rights a query)
        copies = Counter(c.key for c in found)
        shared = [c.mark_id for c in found if copies[c.key] > 1]
        return crowd(found, limit, owners(shared) if shared else None)


def _exact_names(db: Session, text: str, seen: set, args: dict) -> list[Candidate]:
    """Degraded mode: rights whose word element is the query as written or in capitals."""
    forms = list(dict.fromkeys((text, text.strip(), text.strip().upper(),
                                text.strip().lower(), text.strip().title())))
    ids = [i for i in db.scalars(select(Right.id).where(Right.mark_text.in_(forms))
                                 .limit(FALLBACK_NAMES)) if i not in seen]
    if not ids:
        return []
    index = MarkIndex()
    for mark in index_store.marks(db, ids):
        index.add(*mark[:4])
    return Matcher(index).ranked(text, **args)


class _Shared:
    """The per-process state: the mapped file, the delta, and the versions they follow."""

    def __init__(self):
        self.lock = threading.Lock()
        self.pointer: tuple | None = None
        self.base: MappedIndex | None = None
        self.version: tuple | None = None
        self.view = SharedMatcher()
        self.builder: threading.Thread | None = None
        self.requested: set[str] = set()

    def reset(self) -> None:
        with self.lock:
            self.pointer = self.base = self.version = None
            self.view = SharedMatcher()
            self.requested.clear()

    def current(self, db: Session) -> SharedMatcher:
        path = index_store.pointer_path()
        pointer = (str(path), _stat(path))
        version = (str(db.get_bind().url), *_version(db))
        with self.lock:
            if pointer != self.pointer:
                if self.pointer is None or pointer[0] != self.pointer[0]:
                    self.requested.clear()  # another folder (tests, several apps)
                self.pointer = pointer
                self.base = self._open()
                self.version = None
            if version != self.version:
                self.view = self._view(db)
                self.version = version
            return self.view

    def _open(self) -> MappedIndex | None:
        path = index_store.current_file()
        if path is None:
            return None
        try:
            index = MappedIndex(str(path), check=current_app.config.get(
                "RIGHTS_INDEX_VERIFY", "full") == "full")
        except IndexFileError as exc:
            index_store.discard(path, str(exc))
            self.pointer = (self.pointer[0], _stat(index_store.pointer_path()))
            self._request_build(f"index file unusable: {exc}", path.name)
            return None
        log.info("rights index mapped", extra={"file": path.name, "marks": len(index)})
        return index

    def _view(self, db: Session) -> SharedMatcher:
        limit = int(current_app.config.get("RIGHTS_INDEX_DELTA_MAX", DELTA_MAX))
        base = self.base
        if base is None:
            total = db.scalar(select(func.count()).select_from(Right)
                              .where(Right.mark_text.is_not(None))) or 0
            if total <= limit:
                return SharedMatcher(delta=_delta(db, None))
            ids = list(db.scalars(select(Right.id).where(Right.mark_text.is_not(None))
                                  .order_by(Right.updated_at.desc()).limit(limit)))
            reason = f"no index file for {total:,} rights"
            self._request_build(reason, None)
            return SharedMatcher(delta=_delta(db, ids), degraded=reason)
        changed = changed_since(db, base, base.registry["snapshot_us"] - _overlap_us())
        degraded = None
        if len(changed) > limit:
            degraded = f"{len(changed):,} rights changed since the index file was built"
            self._request_build(degraded, Path(base.path).name)
            changed = changed[-limit:]
        return SharedMatcher(base=Matcher(base), masked=np.sort(base.positions(changed)),
                             delta=_delta(db, changed) if changed else None,
                             degraded=degraded)

    def _request_build(self, reason: str, stale: str | None) -> None:
        """Ask for a new file once per reason; ``stale``: the file found wanting (a job
        that finds another one current by then does nothing)."""
        if reason in self.requested:
            return
        self.requested.add(reason)
        log.warning("rights index unavailable (%s): matching from the recent changes and the "
                    "database until the rebuild finishes", reason, extra={"reason": reason})
        if redis_connection() is not None:
            enqueue("workers.rights.build_index", stale)
            return
        if self.builder is not None and self.builder.is_alive():
            return
        app = current_app._get_current_object()
        self.builder = threading.Thread(target=_build_in, args=(app,), daemon=True,
                                        name="anice-rights-index")
        self.builder.start()

    def wait_for_build(self, timeout: float = 60.0) -> None:
        """Tests: wait for this process's build thread, if any."""
        if self.builder is not None:
            self.builder.join(timeout)


def _build_in(app) -> None:
    with app.app_context():
        maker = app.extensions["anice.sessionmaker"]
        with maker() as session:
            try:
                index_store.build(session)
            except Exception:  # noqa: BLE001 - the next query asks again
                log.exception("rights index build failed")


def _stat(path) -> tuple | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _version(db: Session) -> tuple:
    """The registry's version, read at each match: one statement (a round trip per match,
    not three)."""
    return tuple(db.execute(select(
        select(func.max(Right.id)).scalar_subquery(),
        select(func.max(Right.updated_at)).scalar_subquery(),
        select(func.max(RightName.id)).scalar_subquery())).one())


def _overlap_us() -> int:
    return int(current_app.config.get("RIGHTS_INDEX_OVERLAP_SECONDS", OVERLAP_SECONDS)) * 10**6


def changed_since(db: Session, base: MappedIndex, since_us: int) -> list[int]:
    """Rights written after ``since_us`` (or after the file's newest right or spelling)
    whose copy in the file differs or is missing, oldest change first."""
    registry = base.registry
    since = datetime.fromtimestamp(since_us / 1e6, UTC)
    rows = db.execute(select(Right.id, Right.updated_at).where(
        or_(Right.updated_at > since, Right.id > registry["max_right_id"]))
        .order_by(Right.updated_at)).all()
    named = set(db.scalars(select(RightName.right_id).where(
        RightName.id > registry["max_name_id"])))
    if not rows and not named:
        return []
    ids = np.array([r[0] for r in rows], dtype=np.int64)
    stamps = np.array([index_store.micros(r[1]) for r in rows], dtype=np.int64)
    at = base.positions(ids.tolist()) if len(ids) else np.zeros(0, np.int64)
    known = dict(zip(base.mark_id_array[at].tolist(), base.mark_updated[at].tolist(),
                     strict=True))
    changed = [i for i, s in zip(ids.tolist(), stamps.tolist(), strict=True)
               if known.get(i) != s or i in named]
    return list(dict.fromkeys(changed + sorted(named - set(changed))))


def _delta(db: Session, ids: list[int] | None) -> Matcher | None:
    index = MarkIndex()
    chunks = [None] if ids is None else [ids[i:i + 5000] for i in range(0, len(ids), 5000)]
    for chunk in chunks:
        for mark in index_store.marks(db, chunk):
            index.add(*mark[:4])
    return Matcher(index) if len(index) else None


shared = _Shared()


def stale_reason(db: Session, since_us: int | None = None) -> str | None:
    """Why the machine's index file should be rebuilt now (None: it need not): none and
    more rights than the delta holds, unusable, or too many changes since. ``since_us``: a
    change that began then (an import) must be in the file or in the delta's window."""
    limit = int(current_app.config.get("RIGHTS_INDEX_DELTA_MAX", DELTA_MAX))
    path = index_store.current_file()
    if path is None:
        total = db.scalar(select(func.count()).select_from(Right)) or 0
        return f"no index file for {total:,} rights" if total > limit else None
    try:
        base = MappedIndex(str(path), check=False)
    except IndexFileError as exc:
        return f"index file unusable: {exc}"
    window = base.registry["snapshot_us"] - _overlap_us()
    begun = window if since_us is None else since_us - 1  # the change's own time included
    changed = changed_since(db, base, min(window, begun))
    if len(changed) > limit:
        return f"{len(changed):,} rights changed since the index file was built"
    if begun < window:
        late = changed_since(db, base, window)
        if len(changed) > len(late):  # written before the window, committed after the build
            return "a long transaction committed after the index file's snapshot"
    return None
