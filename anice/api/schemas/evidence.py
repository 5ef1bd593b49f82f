"""Evidence items and their chain of custody."""

from __future__ import annotations

from typing import Any

from ...models import CustodyAction
from ...models.evidence import EvidenceStatus
from .base import Moment, Out


class EvidenceFacts(Out):
    """What is recorded of an evidence item at intake and by its checks."""

    id: str
    name: str | None
    media_type: str | None
    size: int
    sha256: str
    description: str | None
    acquired_at: Moment | None
    acquired_where: str | None
    acquired_how: str | None
    uploaded_at: Moment
    status: EvidenceStatus
    last_verified_at: Moment | None
    last_verify_ok: bool | None


class EvidenceOut(EvidenceFacts):
    case_id: int
    # Kept although the same content already was evidence of the case: that item, and why.
    duplicate_of: str | None
    duplicate_reason: str | None


class EvidenceVerified(EvidenceOut):
    ok: bool


class SharedEvidence(EvidenceFacts):
    """An evidence item as a referral shares it: no case id, a content link."""

    content: str


class CustodyEntry(Out):
    at: Moment
    action: CustodyAction
    actor: str
    client_addr: str | None
    reason: str | None
    details: dict[str, Any] | None
