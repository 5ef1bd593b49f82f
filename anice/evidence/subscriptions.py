"""What the evidence feature does when evidence is registered: derive thumbnails, EXIF and
text, by a job after the commit (never for an upload that was rolled back)."""

from __future__ import annotations

from ..events import EvidenceRegistered, Registry

DERIVATIVES_JOB = "workers.evidence.make_derivatives"


def subscribe(registry: Registry) -> None:
    registry.job(EvidenceRegistered, DERIVATIVES_JOB, lambda event: (event.evidence_id,))
