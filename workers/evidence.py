"""Evidence jobs: periodic integrity verification, the orphan cleanup, derived data."""

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


def rewrap_keys() -> dict:
    """Re-wrap every data key under the primary KEK; progress in the RQ job's meta."""
    with app_context():
        from anice import db
        from anice.evidence import service

        try:
            from rq import get_current_job

            job = get_current_job()
        except Exception:  # noqa: BLE001 - run inline, without RQ
            job = None

        def progress(done: int) -> None:
            if job is not None:
                job.meta["rewrapped"] = done
                job.save_meta()

        count = service.rewrap(db.session(), progress=progress)
        return {"rewrapped": count}
