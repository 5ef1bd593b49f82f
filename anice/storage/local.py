"""Evidence objects as files under one folder (0700 folders, 0600 files)."""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from .interface import (
    PART_MARKER,
    StorageFull,
    StorageUnavailable,
    validate_key,
    validate_prefix,
)

_FULL = {errno.ENOSPC, errno.EDQUOT}
_UNAVAILABLE = {errno.EROFS, errno.EIO}


@contextmanager
def _disk_errors():
    """A full or failing disk becomes StorageFull / StorageUnavailable, naming the problem."""
    try:
        yield
    except StorageUnavailable:
        raise
    except OSError as exc:
        if exc.errno in _FULL:
            raise StorageFull(f"the evidence folder is full ({exc.strerror})",
                              exc.errno) from exc
        if exc.errno in _UNAVAILABLE:
            raise StorageUnavailable(f"the evidence folder cannot be written ({exc.strerror})",
                                     exc.errno) from exc
        raise


def _close_quietly(fh) -> None:
    """Close after a failure: a buffered file that cannot flush still closes its descriptor."""
    try:
        fh.close()
    except OSError:
        pass


class LocalWriter:
    """Writes to ``<key>.part-<random>`` beside the key; commit links it into place."""

    def __init__(self, path: Path):
        self._path = path
        self._part = path.with_name(f"{path.name}{PART_MARKER}{secrets.token_hex(8)}")
        with _disk_errors():
            fd = os.open(self._part, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600)
        self._file: BinaryIO | None = os.fdopen(fd, "wb")
        self._size = 0
        self._failed = False

    def write(self, data: bytes) -> None:
        self._check_writable()
        # After a failed write (disk full) the part may hold a fragment: only abort is left.
        self._failed = True
        with _disk_errors():
            self._size += self._file.write(data)
        self._failed = False

    def commit(self) -> int:
        self._check_writable()
        fh, self._file = self._file, None
        try:
            with _disk_errors():
                fh.flush()
                os.fsync(fh.fileno())
                fh.close()
                # A link, unlike a rename, refuses to replace an object committed meanwhile.
                os.link(self._part, self._path)
        except BaseException:
            _close_quietly(fh)
            self._part.unlink(missing_ok=True)
            raise
        self._part.unlink()
        _fsync_dir(self._path.parent)
        return self._size

    def abort(self) -> None:
        if self._file is None:
            return
        fh, self._file = self._file, None
        _close_quietly(fh)  # its buffer may not fit on a full disk: the part goes anyway
        self._part.unlink(missing_ok=True)

    def _check_writable(self) -> None:
        if self._file is None:
            raise ValueError("writer is already committed or aborted")
        if self._failed:
            raise ValueError("an earlier write failed; abort this writer")


class LocalStorage:
    name = "local"

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        return self.root / validate_key(key)

    def writer(self, key: str) -> LocalWriter:
        path = self._path(key)
        with _disk_errors():
            _make_dirs(self.root, path.parent)
        if path.exists():
            raise FileExistsError(f"object {key!r} already exists")
        return LocalWriter(path)

    def open(self, key: str) -> BinaryIO:
        path = self._path(key)
        if path.is_dir():
            raise FileNotFoundError(f"no object {key!r}")
        return open(path, "rb")  # the caller closes it

    def size(self, key: str) -> int:
        st = self._path(key).stat()
        if not stat.S_ISREG(st.st_mode):
            raise FileNotFoundError(f"no object {key!r}")
        return st.st_size

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def keys(self, prefix: str = "") -> Iterator[tuple[str, datetime]]:
        validate_prefix(prefix)
        # Walk only the folder the prefix names, then filter by the rest of it.
        start = self.root / prefix.rpartition("/")[0]
        for folder, dirnames, filenames in os.walk(start):
            dirnames.sort()
            for filename in sorted(filenames):
                if PART_MARKER in filename:
                    continue
                path = Path(folder, filename)
                key = path.relative_to(self.root).as_posix()
                if not key.startswith(prefix):
                    continue
                try:
                    mtime = path.stat().st_mtime
                except FileNotFoundError:  # deleted while listing
                    continue
                yield key, datetime.fromtimestamp(mtime, tz=UTC)


    def sweep_unfinished(self, older_than: datetime) -> int:
        """Delete parts left by writers that died (a killed worker): never committed."""
        removed = 0
        for folder, _dirs, filenames in os.walk(self.root):
            for filename in filenames:
                path = Path(folder, filename)
                if PART_MARKER not in filename:
                    continue
                try:
                    if datetime.fromtimestamp(path.stat().st_mtime, tz=UTC) < older_than:
                        path.unlink()
                        removed += 1
                except FileNotFoundError:
                    continue
        return removed


def _make_dirs(root: Path, folder: Path) -> None:
    """Create ``folder`` and its missing parents below ``root``, each 0700."""
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = root
    for part in folder.relative_to(root).parts:
        path = path / part
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass


def _fsync_dir(folder: Path) -> None:
    """Make the new directory entry durable, so a crash cannot lose a committed object."""
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
