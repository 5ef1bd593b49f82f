"""/api/v1 verification requests. Officers send them from a case's confirmed match, list a
case's and withdraw them; a right holder's brand-protection system (endpoints
``holder_*``, the only ones a holder's token reaches) lists its requests, downloads the
shared files and answers with attachments (multipart/form-data, as the referral thread's
attachments: each file streams into sealed evidence of the case)."""

from __future__ import annotations

from flask import Response, jsonify, request, stream_with_context
from flask_babel import gettext

from .. import db
from ..cases.service import get_case
from ..errors import Invalid
from ..evidence.transfer import SEALED_FILE_CSP, attachment
from ..verification import service, uploads
from . import actor, api_view, bp, idempotent
from .referrals import json_body
from .schemas import dump, dump_list
from .schemas.verifications import (
    AnswerInput,
    HolderVerification,
    OfficerVerification,
    VerificationInput,
    WithdrawInput,
)
from .spec import BINARY, ERRORS, UPLOAD_ERRORS, doc

CONFLICT = (*ERRORS, 409)
ANSWER_FORM = {"multipart/form-data": {"schema": {
    "type": "object", "required": ["verdict", "statement", "examiner", "intent"],
    "properties": {
        "verdict": {"type": "string", "enum": ["counterfeit", "genuine", "cannot_tell"]},
        "statement": {"type": "string"}, "examiner": {"type": "string"},
        "intent": {"type": "string", "enum": ["complaint", "destruction", "no_action"]},
        "version": {"type": "integer"},
        "attachments": {"type": "array", "maxItems": uploads.MAX_ATTACHMENTS,
                        "items": {"type": "string", "format": "binary"}}}}}}


def _item_json(vr, item, holder: bool) -> dict:
    content = None
    if holder and item.kind == "evidence":
        content = f"/api/v1/holder/verifications/{vr.public_id}/items/{item.id}/content"
    return {"id": item.id, "kind": item.kind, "snapshot": item.snapshot, "content": content}


def _json(session, vr, holder: bool) -> dict:
    answer = None
    if vr.verdict is not None:
        answer = {"verdict": vr.verdict, "statement": vr.statement, "examiner": vr.examiner,
                  "intent": vr.intent, "answered_at": vr.answered_at.isoformat()}
    data = {
        "id": vr.public_id, "right": f"{vr.right.office} {vr.right.number}",
        "from_country": vr.country_code, "status": vr.status,
        "overdue": service.is_overdue(vr, service.today_in(session, vr.country_code)),
        "sent_at": vr.sent_at.isoformat(), "question": vr.question,
        "detention_date": vr.detention_date.isoformat(), "working_days": vr.working_days,
        "deadline": vr.deadline.isoformat(), "handling_code": vr.handling_code,
        "version": vr.version, "answer": answer,
        "items": [_item_json(vr, i, holder) for i in vr.items]}
    if not holder:
        data.update(case_id=vr.case_id, case_reference=vr.case.reference, holder=vr.org.name,
                    withdrawn_at=vr.withdrawn_at.isoformat() if vr.withdrawn_at else None,
                    withdraw_reason=vr.withdraw_reason)
    return data


# --- officers ----------------------------------------------------------------------------

@bp.post("/cases/<int:case_id>/verifications")
@doc("Send a verification request from a confirmed match to a holder linked to its right "
     "(deadline in working days of the case's country)", "verifications",
     body=VerificationInput, ok=OfficerVerification, status=201)
@idempotent
@api_view
def send_verification(case_id: int):
    session = db.session()
    get_case(session, actor(), case_id)  # a case out of reach is 404 before any body check
    body = json_body()
    vr = service.send(
        session, actor(), case_id, _whole(body.get("match_id"), "match_id"),
        org_id=body.get("org_id"), seizure_ids=body.get("seizure_ids") or [],
        listing_ids=body.get("listing_ids") or [], evidence_ids=body.get("evidence_ids") or [],
        question=body.get("question"), detention_date=body.get("detention_date"),
        working_days=body.get("working_days") or service.default_working_days(),
        handling_code=body.get("handling_code") or "")
    return jsonify(dump(OfficerVerification, _json(session, vr, holder=False))), 201


def _whole(value, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise Invalid(field, gettext("must be a whole number"))
    return value


@bp.get("/cases/<int:case_id>/verifications")
@doc("A case's verification requests, newest first", "verifications",
     ok=[OfficerVerification])
@api_view
def case_verifications(case_id: int):
    session = db.session()
    case = get_case(session, actor(), case_id)
    return jsonify(dump_list(OfficerVerification, [
        _json(session, vr, holder=False)
        for vr in service.requests_of_case(session, actor(), case)]))


@bp.get("/verifications/<public_id>")
@doc("One verification request (officer's side)", "verifications", ok=OfficerVerification)
@api_view
def get_verification(public_id: str):
    session = db.session()
    vr = service.get_for_officer(session, actor(), public_id)
    return jsonify(dump(OfficerVerification, _json(session, vr, holder=False)))


@bp.post("/verifications/<public_id>/withdraw")
@doc("Withdraw a waiting request (409 once answered or changed since `version`)",
     "verifications", body=WithdrawInput, ok=OfficerVerification, errors=CONFLICT)
@api_view
def withdraw_verification(public_id: str):
    body = json_body()
    session = db.session()
    vr = service.withdraw(session, actor(), public_id, body.get("reason") or "",
                          body.get("version"))
    return jsonify(dump(OfficerVerification, _json(session, vr, holder=False)))


# --- the right holder --------------------------------------------------------------------

@bp.get("/holder/verifications")
@doc("The requests sent to the holder's organisation, waiting ones first", "holder",
     ok=[HolderVerification])
@api_view
def holder_verifications():
    session = db.session()
    return jsonify(dump_list(HolderVerification, [
        _json(session, vr, holder=True) for vr in service.holder_requests(session, actor())]))


@bp.get("/holder/verifications/<public_id>")
@doc("One request sent to the holder: only what was shared", "holder",
     ok=HolderVerification)
@api_view
def holder_verification(public_id: str):
    session = db.session()
    vr = service.get_for_holder(session, actor(), public_id)
    return jsonify(dump(HolderVerification, _json(session, vr, holder=True)))


@bp.get("/holder/verifications/<public_id>/items/<int:item_id>/content")
@doc("Download a shared file (a custody event of the case's evidence naming the holder)",
     "holder", content={"*/*": {"schema": BINARY}})
def holder_verification_content(public_id: str, item_id: int) -> Response:
    evidence, stream = service.read_item(db.session(), actor(), public_id, item_id)
    db.commit()
    return attachment(evidence, stream_with_context(stream))


holder_verification_content.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.post("/holder/verifications/<public_id>/answer")
@doc("Answer once: multipart/form-data with the fields and up to five `attachments` "
     "(sealed into the case's evidence); 409 when withdrawn or answered meanwhile",
     "holder", body=AnswerInput, body_content=ANSWER_FORM, ok=HolderVerification,
     errors=(*UPLOAD_ERRORS, 409))
@api_view
def holder_answer_verification(public_id: str):
    session, me = db.session(), actor()
    service.get_for_holder(session, me, public_id)  # 404 before a byte is read
    files: list = []
    try:
        if request.mimetype == "multipart/form-data":
            form, files = uploads.receive_answer(me)
        else:
            form = json_body()
        vr = service.answer(session, me, public_id, verdict=form.get("verdict") or "",
                            statement=form.get("statement") or "",
                            examiner=form.get("examiner") or "",
                            intent=form.get("intent") or "", attachments=files,
                            version=form.get("version") or None)
        db.commit()
    except BaseException:
        session.rollback()
        uploads.discard(files)
        raise
    return jsonify(dump(HolderVerification, _json(session, vr, holder=True)))
