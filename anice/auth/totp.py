"""Time-based one-time passwords (RFC 6238) with replay protection."""

from __future__ import annotations

import hmac
import time
from io import BytesIO

import pyotp
import segno

ISSUER = "ANICE"
STEP = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    return pyotp.TOTP(secret, interval=STEP).provisioning_uri(name=email, issuer_name=ISSUER)


def qr_svg(uri: str) -> bytes:
    """The enrolment QR code as a standalone SVG, rendered here (no external service)."""
    qr = segno.make(uri, error="m")

    out = BytesIO()
    qr.save(out, kind="svg", scale=5, border=2, title="TOTP enrolment QR code")
    return out.getvalue()


def matching_step(secret: str, code: str, last_step: int, now: float | None = None) -> int | None:
    """The time step the code belongs to (window +-1), if it is newer than ``last_step``."""
    code = "".join(code.split())
    if len(code) != 6 or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, interval=STEP)
    current = int((now if now is not None else time.time()) // STEP)
    for step in (current - 1, current, current + 1):
        if step > last_step and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None
