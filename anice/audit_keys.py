"""The audit keys: HMAC-SHA256 keys that link the audit chain, kept outside the database.

A JSON file (0600) in the key folder, next to the KEK file (``ANICE_AUDIT_KEY_FILE``)::

    {"primary": id, "keys": {id: {"key": base64, "created": iso}},
     "keyed_after": {"row": N, "hash": H}}

Rows up to id N were written before the key existed: they verify as plain SHA-256 links, and
the chain must reach hash H at row N (an anchor the database does not hold). Every later row
carries the id of the key its MAC was made with. Created only by ``audit init-key``; a new
primary by ``audit rotate-key`` (older keys stay to verify older rows).
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from .config import default_key_file
from .models import AuditEvent, AuditHead

FILE_NAME = "audit-keys.json"
CHECKPOINT_NAME = "audit-checkpoint.json"


class AuditKeyError(RuntimeError):
    """The audit key file is missing, unreadable or malformed."""


@dataclass(frozen=True)
class AuditKeys:
    path: Path
    primary: str
    keys: dict[str, bytes]
    # The last row written before any key existed, and the chain's hash there.
    legacy_last_id: int
    legacy_head: str


def key_path() -> Path:
    """Where the audit keys live: ``AUDIT_KEY_FILE``, else beside the KEK file."""
    config = current_app.config
    settings = (config.get("AUDIT_KEY_FILE"), config.get("KEY_FILE"), config["DATA_DIR"])
    cached = current_app.extensions.get("anice.audit_key_path")
    if cached is not None and cached[0] == settings:
        return cached[1]  # resolve() costs a system call per folder: not on every audit row
    configured = current_app.config.get("AUDIT_KEY_FILE")
    if configured:
        path = Path(configured).resolve()
    else:
        path = Path(current_app.config.get("KEY_FILE") or default_key_file()).resolve().parent \
            / FILE_NAME
    data_dir = Path(current_app.config["DATA_DIR"]).resolve()
    if path.is_relative_to(data_dir):
        raise AuditKeyError(f"audit key file {path} is inside the data folder {data_dir}: keep "
                            "it apart from the database it protects (ANICE_AUDIT_KEY_FILE)")
    current_app.extensions["anice.audit_key_path"] = (settings, path)
    return path


def _parse(path: Path, raw: str) -> AuditKeys:
    try:
        data = json.loads(raw)
        keys = {kid: base64.b64decode(entry["key"], validate=True)
                for kid, entry in data["keys"].items()}
        anchor = data["keyed_after"]
        parsed = AuditKeys(path, data["primary"], keys, int(anchor["row"]), str(anchor["hash"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise AuditKeyError(f"audit key file {path} is malformed ({type(exc).__name__})") from None
    if parsed.primary not in keys or any(len(k) != 32 for k in keys.values()):
        raise AuditKeyError(f"audit key file {path} has no primary key or a key that is not "
                            "32 bytes")
    return parsed


def load(path: Path) -> AuditKeys:
    """Read and check the key file (owner-only, well formed)."""
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise AuditKeyError(f"audit key file {path} is readable by others (mode {mode:o}); "
                            "chmod 600 it")
    return _parse(path, path.read_text())


def current() -> AuditKeys | None:
    """This installation's audit keys, or None when none were created (re-read on change)."""
    path = key_path()
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    # ctime too: a chmod or a file replaced within one mtime tick is noticed.
    stamp = (path, st.st_ino, st.st_mtime_ns, st.st_ctime_ns)
    cached = current_app.extensions.get("anice.audit_keys")
    if cached is None or cached[0] != stamp:
        cached = (stamp, load(path))
        current_app.extensions["anice.audit_keys"] = cached
    return cached[1]


def _new_entry() -> dict:
    return {"key": base64.b64encode(secrets.token_bytes(32)).decode(),
            "created": datetime.now(UTC).isoformat()}


def _new_id() -> str:
    return f"audit-{datetime.now(UTC):%Y%m%d}-{secrets.token_hex(4)}"


def _write(path: Path, data: dict, exclusive: bool) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as fh:
        json.dump(data, fh, indent=2)
        fh.flush()
        os.fsync(fh.fileno())
    if not exclusive:
        os.replace(tmp, path)
        return
    try:
        os.link(tmp, path)  # never overwrite a key made by another process meanwhile
    except FileExistsError:
        raise AuditKeyError(f"an audit key file already exists at {path}") from None
    finally:
        tmp.unlink()


def write_new(path: Path, legacy_last_id: int, legacy_head: str) -> str:
    """Create the key file with one key and the anchor of the unkeyed rows; returns its id."""
    kid = _new_id()
    _write(path, {"primary": kid, "keys": {kid: _new_entry()},
                  "keyed_after": {"row": legacy_last_id, "hash": legacy_head}}, exclusive=True)
    return kid


def create(session: Session) -> AuditKeys:
    """Create the audit key; rows already written are anchored by their last id and hash.

    Holds the chain's head lock while the file is written, so no writer slips an unkeyed
    row in between; the caller commits (which releases the lock).
    """
    path = key_path()
    if path.exists():
        raise AuditKeyError(f"an audit key file already exists at {path}")
    session.execute(update(AuditHead).where(AuditHead.id == 1).values(seq=AuditHead.seq)
                    .execution_options(synchronize_session=False))
    head = session.scalar(select(AuditHead.last_hash).where(AuditHead.id == 1))
    if head is None:
        raise AuditKeyError("audit_head row missing: run the migrations first")
    last_id = session.scalar(select(func.max(AuditEvent.id))) or 0
    write_new(path, last_id, head)
    return load(path)


def rotate() -> str:
    """Add a new key and make it primary; older keys stay to verify the rows they made."""
    path = key_path()
    data = json.loads(load(path).path.read_text())
    kid = _new_id()
    data["keys"][kid] = _new_entry()
    data["primary"] = kid
    _write(path, data, exclusive=False)
    return kid


@dataclass(frozen=True)
class Checkpoint:
    """The last row `audit verify` found intact, kept beside the keys (not in the database)."""

    row: int
    hash: str
    at: str


def checkpoint_path() -> Path:
    return key_path().with_name(CHECKPOINT_NAME)


def read_checkpoint() -> Checkpoint | None:
    path = checkpoint_path()
    try:
        data = json.loads(path.read_text())
        return Checkpoint(int(data["row"]), str(data["hash"]), str(data["at"]))
    except FileNotFoundError:
        return None
    except (ValueError, KeyError, TypeError) as exc:
        raise AuditKeyError(f"audit checkpoint {path} is malformed ({type(exc).__name__})") \
            from None


def write_checkpoint(row: int, hash_: str) -> None:
    _write(checkpoint_path(), {"row": row, "hash": hash_, "at": datetime.now(UTC).isoformat()},
           exclusive=False)


def drop_checkpoint() -> bool:
    """Forget the checkpoint (after restoring an older database on purpose)."""
    try:
        checkpoint_path().unlink()
    except FileNotFoundError:
        return False
    return True


def status(session: Session) -> str:
    """For /healthz: "ok", "not created" (chain never keyed), or "error: ..." when rows need
    a key this process cannot read (every change would then be refused)."""
    try:
        if current() is not None:
            return "ok"
    except AuditKeyError:
        return "error: unreadable"
    keyed = session.scalar(select(AuditHead.key_id).where(AuditHead.id == 1))
    return "error: missing" if keyed else "not created"
