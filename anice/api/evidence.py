"""/api/v1 evidence: raw-body streaming upload, metadata, content, custody, verify."""

from __future__ import annotations

from flask import Response, jsonify, request, stream_with_context
from flask_babel import gettext

from .. import db
from ..cases.service import get_case
from ..errors import Invalid, ServiceUnavailable
from ..evidence import service
from ..evidence.transfer import CHUNK, SEALED_FILE_CSP, attachment
from ..models import CustodyAction, Evidence
from . import actor, api_view, bp, idempotent
from .schemas import CustodyEntry, EvidenceOut, EvidenceVerified, dump, dump_list
from .spec import BINARY, UPLOAD_ERRORS, doc
from .spec_params import EVIDENCE_REASON, EVIDENCE_UPLOAD


def evidence_json(ev: Evidence) -> dict:
    return {"id": ev.public_id, "case_id": ev.case_id, "name": ev.original_name,
            "media_type": ev.media_type, "size": ev.size, "sha256": ev.sha256,
            "description": ev.description,
            "acquired_at": ev.acquired_at.isoformat() if ev.acquired_at else None,
            "acquired_where": ev.acquired_where, "acquired_how": ev.acquired_how,
            "uploaded_at": ev.uploaded_at.isoformat(), "status": ev.status.value,
            "last_verified_at": ev.last_verified_at.isoformat() if ev.last_verified_at
            else None, "last_verify_ok": ev.last_verify_ok}


def case_evidence_json(ev: Evidence) -> dict:
    """An item as its own case's officers see it (a referral shares less)."""
    return {**evidence_json(ev),
            "duplicate_of": ev.duplicate_of.public_id if ev.duplicate_of else None,
            "duplicate_reason": ev.duplicate_reason}


@bp.post("/cases/<int:case_id>/evidence")
@doc("Upload a file as evidence: the request body is the file (streamed, sealed, hashed); "
     "metadata in the query. Content that already is evidence of the case is refused (409, "
     "the item in `existing`) unless `duplicate_reason` says why both are kept", "evidence",
     ok=EvidenceOut, status=201, query=EVIDENCE_UPLOAD,
     body_content={"application/octet-stream": {"schema": BINARY}},
     errors=(*UPLOAD_ERRORS, 409))
@idempotent
@api_view
def upload_evidence(case_id: int):
    """The body is the file itself (any Content-Type); metadata in the query string."""
    request.max_content_length = service.max_bytes() + 1
    case = service.case_for_upload(db.session(), actor(), case_id)
    intake = service.start_intake(db.session(), actor())
    try:
        stream = request.stream
        while chunk := stream.read(CHUNK):
            intake.write(chunk)
    except (Invalid, ServiceUnavailable):  # bad input; the store full, down or too slow
        intake.discard()
        raise
    except Exception:  # noqa: BLE001 - a cut-off body: nothing may stay stored
        intake.discard()
        raise Invalid("body", gettext("the upload was cut off before it ended; nothing was kept"))
    if request.content_length is not None and intake.size != request.content_length:
        intake.discard()
        raise Invalid("body", gettext("the upload was cut off before it ended; nothing was kept"))
    try:
        evidence = service.register(db.session(), actor(), case, intake,
                                    request.args.get("filename"), request.args)
        db.commit()
    except BaseException:
        intake.discard()  # refused, or a retry with the same Idempotency-Key won the race
        raise
    return jsonify(dump(EvidenceOut, case_evidence_json(evidence))), 201


@bp.get("/cases/<int:case_id>/evidence")
@doc("Evidence items of a case", "evidence", ok=[EvidenceOut])
@api_view
def list_evidence(case_id: int):
    case = get_case(db.session(), actor(), case_id)
    return jsonify(dump_list(EvidenceOut, [
        case_evidence_json(e) for e in service.evidence_of(db.session(), actor(), case)]))


@bp.get("/evidence/<public_id>")
@doc("One evidence item", "evidence", ok=EvidenceOut)
@api_view
def get_evidence(public_id: str):
    evidence = service.get_evidence(db.session(), actor(), public_id)
    return jsonify(dump(EvidenceOut, case_evidence_json(evidence)))


@bp.get("/evidence/<public_id>/content")
@doc("The decrypted file, as the media type found at intake (a custody event: download, "
     "or export with a reason)", "evidence",
     query=EVIDENCE_REASON,
     content={"*/*": {"schema": BINARY}})
def evidence_content(public_id: str) -> Response:
    action = CustodyAction.EXPORT if request.args.get("reason") else CustodyAction.DOWNLOAD
    evidence, stream = service.read(db.session(), actor(), public_id, action,
                                    reason=request.args.get("reason"))
    db.commit()
    return attachment(evidence, stream_with_context(stream))


evidence_content.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.get("/evidence/<public_id>/custody")
@doc("The chain of custody", "evidence", ok=[CustodyEntry])
@api_view
def evidence_custody(public_id: str):
    evidence = service.get_evidence(db.session(), actor(), public_id)
    return jsonify(dump_list(CustodyEntry, [
        {"at": e.at.isoformat(), "action": e.action.value, "actor": e.actor_label,
         "client_addr": e.client_addr, "reason": e.reason, "details": e.details}
        for e in service.custody_of(db.session(), evidence)]))


@bp.post("/evidence/<public_id>/verify")
@doc("Re-decrypt and re-hash now", "evidence", ok=EvidenceVerified)
@api_view
def verify_evidence(public_id: str):
    evidence, ok = service.verify_by_officer(db.session(), actor(), public_id)
    return jsonify(dump(EvidenceVerified, {**case_evidence_json(evidence), "ok": ok}))
