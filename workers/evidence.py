"""Evidence jobs: periodic integrity verification and the orphan cleanup."""

from __future__ import annotations

from .app import app_context


def verify_all() -> dict:
    """Re-decrypt and re-hash every held item; mismatches are custody events and logged."""
    with app_context():
        import logging

        from sqlalchemy import select

        from anice import db
        from anice.evidence import service
        from anice.models import Evidence, EvidenceStatus

        session = db.session()
        ids = list(session.scalars(select(Evidence.id).where(
            Evidence.status == EvidenceStatus.ACTIVE).order_by(Evidence.id)))
        bad = []
        for evidence_id in ids:
            evidence = session.get(Evidence, evidence_id)
            if not service.verify(session, evidence, None):
                bad.append(evidence.public_id)
                logging.getLogger(__name__).error("evidence mismatch",
                                                  extra={"evidence": evidence.public_id})
            session.commit()
        return {"verified": len(ids), "mismatches": bad}


def cleanup_orphans() -> dict:
    with app_context():
        from anice import db
        from anice.evidence import service

        removed = service.cleanup_orphans(db.session())
        db.commit()
        return {"removed": len(removed)}
