"""The app's keyring and evidence storage, built once per process from the configuration."""

from __future__ import annotations

from pathlib import Path

from flask import current_app

from ..config import default_key_file
from ..crypto.keys import FileKeyring, Keyring, StaticKeyring
from ..storage import storage_from_config


def keyring() -> Keyring:
    """The KEK source: a key file outside the data folder (or an injected KMS keyring).
    Raises KeyringUnavailable (KeyFileMissing) when there is none."""
    ring = current_app.extensions.get("anice.keyring")
    if ring is None and current_app.config.get("KEKS"):
        ring = StaticKeyring(current_app.config["KEKS"])
        current_app.extensions["anice.keyring"] = ring
    if ring is None:
        # Never created here: a missing file raises KeyFileMissing (`keys init` makes it).
        ring = FileKeyring(key_file_path())
        current_app.extensions["anice.keyring"] = ring
    return ring


def key_file_path() -> Path:
    """Where the key file is (ANICE_KEY_FILE), refused inside the data folder."""
    path = Path(current_app.config.get("KEY_FILE") or default_key_file()).resolve()
    data_dir = Path(current_app.config["DATA_DIR"]).resolve()
    if path.is_relative_to(data_dir):
        raise RuntimeError(f"KEY_FILE {path} is inside the data folder {data_dir}: keep "
                           "keys apart from the data they protect (ANICE_KEY_FILE)")
    return path


def storage():
    store = current_app.extensions.get("anice.storage")
    if store is None:
        store = storage_from_config(current_app.config)
        current_app.extensions["anice.storage"] = store
    return store


def max_bytes() -> int:
    return int(current_app.config.get("EVIDENCE_MAX_BYTES") or 5 * 1024**3)
