"""Configuration from environment variables, with safe defaults for the embedded mode."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _data_dir() -> Path:
    return Path(os.environ.get("ANICE_DATA_DIR", "instance")).resolve()


def _secret_key(data_dir: Path) -> str:
    """SECRET_KEY from the environment, else a random key kept in the data folder (0600)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "secret_key"
    if not path.exists():
        # Written under a temporary name and linked into place: a worker starting at the
        # same moment sees either no file or the whole key, never a half-written one.
        tmp = data_dir / f".secret_key.{os.getpid()}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_urlsafe(48))
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
    return path.read_text().strip()


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise RuntimeError(f"environment variable {name} must be an integer, got {raw!r}") from exc


def _intervals(name: str, default: list[int]) -> list[int]:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        values = [int(part) for part in raw.split(",")]
    except ValueError:
        values = [-1]
    if any(v < 0 for v in values):
        raise RuntimeError(f"environment variable {name} must be seconds separated by commas "
                           f"(e.g. 10,60,300), got {raw!r}")
    return values


def from_environment() -> dict:
    """Build the configuration mapping read by ``create_app``."""
    data_dir = _data_dir()
    redis_url = os.environ.get("REDIS_URL") or None
    https = os.environ.get("ANICE_HTTPS", "0") == "1"
    evidence_storage = os.environ.get("ANICE_EVIDENCE_STORAGE", "").strip().lower() or "local"
    if evidence_storage not in ("local", "s3"):
        raise RuntimeError(f"ANICE_EVIDENCE_STORAGE must be local or s3, got {evidence_storage!r}")
    if evidence_storage == "s3" and not os.environ.get("ANICE_S3_BUCKET"):
        raise RuntimeError("ANICE_EVIDENCE_STORAGE is s3 but ANICE_S3_BUCKET is not set")
    after_commit = os.environ.get("ANICE_JOBS_AFTER_COMMIT", "").strip().lower() or "background"
    if after_commit not in ("background", "sync"):
        raise RuntimeError("ANICE_JOBS_AFTER_COMMIT must be background or sync, got "
                           f"{after_commit!r}")
    return {
        "DATA_DIR": str(data_dir),
        "SECRET_KEY": _secret_key(data_dir),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{data_dir / 'anice.db'}",
        "REDIS_URL": redis_url,
        "BASE_URL": os.environ.get("ANICE_BASE_URL", "http://127.0.0.1:5000"),
        # Served behind TLS: Secure cookies and HSTS.
        "HTTPS": https,
        "SESSION_COOKIE_SECURE": https,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_NAME": "anice_session",
        "SESSION_IDLE_SECONDS": _int("ANICE_SESSION_IDLE_SECONDS", 30 * 60),
        "SESSION_ABSOLUTE_SECONDS": _int("ANICE_SESSION_ABSOLUTE_SECONDS", 12 * 3600),
        # The page warns this long before the idle timeout ("Stay signed in").
        "SESSION_WARN_SECONDS": _int("ANICE_SESSION_WARN_SECONDS", 120),
        # A form sent after its login ended is kept (encrypted) this long for re-sign-in.
        "FORM_STASH_MINUTES": _int("ANICE_FORM_STASH_MINUTES", 10),
        "INVITATION_HOURS": _int("ANICE_INVITATION_HOURS", 72),
        # Verification requests: the answer's default time limit, and the reminder before it.
        "VERIFICATION_WORKING_DAYS": _int("ANICE_VERIFICATION_WORKING_DAYS", 10),
        "VERIFICATION_REMIND_WORKING_DAYS": _int("ANICE_VERIFICATION_REMIND_WORKING_DAYS", 2),
        "PASSWORD_MIN_LENGTH": 12,
        "PASSWORD_MIN_SCORE": 3,
        # argon2id parameters; changing them rehashes each password at its next login.
        "ARGON2_TIME_COST": _int("ANICE_ARGON2_TIME_COST", 3),
        "ARGON2_MEMORY_COST": _int("ANICE_ARGON2_MEMORY_COST", 65536),
        "ARGON2_PARALLELISM": _int("ANICE_ARGON2_PARALLELISM", 2),
        "LOGIN_FREE_ATTEMPTS": 5,
        "LOGIN_RATE_LIMIT": os.environ.get("ANICE_LOGIN_RATE_LIMIT", "20 per minute"),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "API_TOKEN_MAX_DAYS": _int("ANICE_API_TOKEN_MAX_DAYS", 365),
        "SMTP_HOST": os.environ.get("SMTP_HOST") or None,
        "SMTP_PORT": _int("SMTP_PORT", 587),
        "SMTP_USER": os.environ.get("SMTP_USER") or None,
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD") or None,
        "MAIL_FROM": os.environ.get("ANICE_MAIL_FROM", "anice@localhost"),
        "LOG_LEVEL": os.environ.get("ANICE_LOG_LEVEL", "INFO"),
        "WTF_CSRF_TIME_LIMIT": None,
        # Referrer-Policy is no-referrer, so the HTTPS Referer check cannot apply; the
        # CSRF token and SameSite cookies protect the forms.
        "WTF_CSRF_SSL_STRICT": False,
        # Behind a reverse proxy: trust one hop of X-Forwarded-For/-Proto.
        "PROXY_FIX": os.environ.get("ANICE_PROXY_FIX", "0") == "1",
        "MAX_CONTENT_LENGTH": 16 * 1024 * 1024,
        # One form field held in memory (Werkzeug's default is 500 kB): a right's goods
        # list runs to 1,000,000 characters (4 MB of UTF-8); the body stays within the above.
        "MAX_FORM_MEMORY_SIZE": 4 * 1024 * 1024,
        # Evidence uploads stream past MAX_CONTENT_LENGTH up to this size.
        "EVIDENCE_MAX_BYTES": _int("ANICE_EVIDENCE_MAX_BYTES", 5 * 1024**3),
        # A right holder's guide image or recordation document (sealed like evidence).
        "HOLDER_FILE_MAX_BYTES": _int("ANICE_HOLDER_FILE_MAX_BYTES", 20 * 1024**2),
        # Evidence bytes one officer / one agency may upload in any 24 hours (0: no quota).
        "EVIDENCE_QUOTA_OFFICER_BYTES": _int("ANICE_EVIDENCE_QUOTA_OFFICER_BYTES",
                                             20 * 1024**3),
        "EVIDENCE_QUOTA_AGENCY_BYTES": _int("ANICE_EVIDENCE_QUOTA_AGENCY_BYTES",
                                            100 * 1024**3),
        # KEKs: a key file outside the data folder (created 0600 on first use).
        "KEY_FILE": os.environ.get("ANICE_KEY_FILE") or None,
        # HMAC keys of the audit chain (`audit init-key`); default: beside KEY_FILE.
        "AUDIT_KEY_FILE": os.environ.get("ANICE_AUDIT_KEY_FILE") or None,
        # Or KEKs injected by a secret store: "id1:base64,id2:base64" (first is primary).
        "KEKS": os.environ.get("ANICE_KEKS") or None,
        # Evidence ciphertext: "local" (files under EVIDENCE_DIR) or "s3" (the bucket below).
        "EVIDENCE_STORAGE": evidence_storage,
        "EVIDENCE_DIR": os.environ.get("ANICE_EVIDENCE_DIR") or str(data_dir / "evidence"),
        "S3_BUCKET": os.environ.get("ANICE_S3_BUCKET") or None,
        "S3_ENDPOINT_URL": os.environ.get("ANICE_S3_ENDPOINT_URL") or None,
        "S3_REGION": os.environ.get("ANICE_S3_REGION") or "us-east-1",
        # Unset keys fall back to boto3's own chain (instance role, AWS_* variables).
        "S3_ACCESS_KEY_ID": os.environ.get("ANICE_S3_ACCESS_KEY_ID") or None,
        "S3_SECRET_ACCESS_KEY": os.environ.get("ANICE_S3_SECRET_ACCESS_KEY") or None,
        "S3_PREFIX": os.environ.get("ANICE_S3_PREFIX", ""),
        # Multipart part size in bytes (at least 5 MiB): the memory one upload may hold.
        "S3_PART_SIZE": _int("ANICE_S3_PART_SIZE", 8 * 1024 * 1024),
        # A store that does not answer fails the request instead of holding it (seconds).
        "S3_CONNECT_TIMEOUT": _int("ANICE_S3_CONNECT_TIMEOUT", 5),
        "S3_READ_TIMEOUT": _int("ANICE_S3_READ_TIMEOUT", 30),
        "S3_MAX_ATTEMPTS": _int("ANICE_S3_MAX_ATTEMPTS", 3),
        # Jobs are retried when they fail or their worker dies (they are idempotent).
        "JOB_RETRIES": _int("ANICE_JOB_RETRIES", 3),
        "JOB_RETRY_INTERVALS": _intervals("ANICE_JOB_RETRY_INTERVALS", [10, 60, 300]),
        # Without Redis, work queued for after a commit (hits told, links announced, mail)
        # runs on a background thread ("background") or before the request ends ("sync").
        "JOBS_AFTER_COMMIT": after_commit,
        # The machine's shared matching index (docs/operations.md): its folder, how many
        # changed rights the delta beside it may hold before a rebuild, how far before a
        # build's snapshot the delta looks (transactions that commit late), and whether a
        # process checks a file's SHA-256 when it first maps it ("full") or only its size.
        "RIGHTS_INDEX_DIR": os.environ.get("ANICE_RIGHTS_INDEX_DIR")
        or str(data_dir / "rights-index"),
        "RIGHTS_INDEX_DELTA_MAX": _int("ANICE_RIGHTS_INDEX_DELTA_MAX", 20_000),
        "RIGHTS_INDEX_OVERLAP_SECONDS": _int("ANICE_RIGHTS_INDEX_OVERLAP_SECONDS", 2),
        "RIGHTS_INDEX_VERIFY": os.environ.get("ANICE_RIGHTS_INDEX_VERIFY", "full"),
        # Processes indexing a large registry's chunks (0: one per CPU).
        "RIGHTS_INDEX_BUILD_PROCESSES": _int("ANICE_RIGHTS_INDEX_BUILD_PROCESSES", 0),
    }


def default_key_file() -> Path:
    """The KEK file when ``KEY_FILE`` is unset: outside the data folder, in the user's config."""
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "anice" / "keyring.json"
