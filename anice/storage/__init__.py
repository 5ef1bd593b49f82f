"""Evidence storage: ciphertext objects by key, on local disk or in an S3-compatible bucket.

The crypto layer seals before it writes here, so this package only ever sees ciphertext.
Both backends stream in and out with constant memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from .interface import ObjectWriter, Storage, StorageFull, StorageUnavailable, validate_key
from .local import LocalStorage

__all__ = ["LocalStorage", "ObjectWriter", "Storage", "StorageFull", "StorageUnavailable",
           "storage_from_config", "validate_key"]


def storage_from_config(config: Mapping) -> Storage:
    """The evidence store that ``EVIDENCE_STORAGE`` names: ``local`` (default) or ``s3``."""
    kind = (config.get("EVIDENCE_STORAGE") or "local").strip().lower()
    if kind == "local":
        root = config.get("EVIDENCE_DIR") or Path(config["DATA_DIR"]) / "evidence"
        return LocalStorage(root)
    if kind == "s3":
        if not config.get("S3_BUCKET"):
            raise RuntimeError("evidence storage is s3 but no bucket is set: "
                               "set the environment variable ANICE_S3_BUCKET")
        # boto3 is imported only when S3 is used: it is slow to import.
        # Lazy: boto3 loads only where S3 is configured.
        from .s3 import DEFAULT_PART_SIZE, S3Storage

        return S3Storage(
            bucket=config["S3_BUCKET"],
            endpoint_url=config.get("S3_ENDPOINT_URL") or None,
            region=config.get("S3_REGION") or "us-east-1",
            access_key=config.get("S3_ACCESS_KEY_ID") or None,
            secret_key=config.get("S3_SECRET_ACCESS_KEY") or None,
            prefix=config.get("S3_PREFIX") or "",
            part_size=config.get("S3_PART_SIZE") or DEFAULT_PART_SIZE,
            connect_timeout=config.get("S3_CONNECT_TIMEOUT") or 5,
            read_timeout=config.get("S3_READ_TIMEOUT") or 30,
            max_attempts=config.get("S3_MAX_ATTEMPTS") or 3,
        )
    raise RuntimeError(f"ANICE_EVIDENCE_STORAGE must be 'local' or 's3', got {kind!r}")
