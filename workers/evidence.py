"""Evidence jobs: periodic integrity verification, the orphan cleanup, derived data."""

from __future__ import annotations

from .app import app_context


def verify_all() -> dict:
    """Re-decrypt and re-hash every held item; mismatches are custody events and logged.

    Each item is committed on its own; a retry after the worker died skips the items its
    killed attempt already verified."""
    with app_context():
        import logging

        from sqlalchemy import or_, select

        from anice import db
        from anice.evidence import service
        from anice.models import Evidence, EvidenceStatus

        from .app import first_started_at

        session = db.session()
        query = select(Evidence.id).where(Evidence.status == EvidenceStatus.ACTIVE)
        since = first_started_at()
        if since is not None:
            query = query.where(or_(Evidence.last_verified_at.is_(None),
                                    Evidence.last_verified_at < since))
        ids = list(session.scalars(query.order_by(Evidence.id)))
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


def make_derivatives(evidence_id: int) -> dict:
    """Thumbnail and EXIF facts of a newly received item (none for other types)."""
    with app_context():
        from anice import db
        from anice.evidence import derived
        from anice.models import Evidence

        session = db.session()
        evidence = session.get(Evidence, evidence_id)
        if evidence is None:
            return {"made": []}
        made = derived.make_derivatives(session, evidence)
        session.commit()
        return {"evidence": evidence.public_id, "made": [kind.value for kind in made]}


def rewrap_keys(batch: int = 200) -> dict:
    """Re-wrap every data key under the primary KEK; progress in the RQ job's meta.

    Batch by batch, each committed; a retry goes on with the keys not yet re-wrapped."""
    with app_context():
        from anice import db
        from anice.evidence import service

        from .app import current_job

        job = current_job()

        def progress(done: int) -> None:
            if job is not None:
                job.meta["rewrapped"] = done
                job.save_meta()

        count = service.rewrap(db.session(), batch=batch, progress=progress)
        return {"rewrapped": count}
