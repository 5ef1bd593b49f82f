"""/api/v1 referrals and notifications: the same rules as the referral pages, as JSON.

A receiver reads the sender's case only through ``shared``, built from
``service.shared_for``: what was chosen, while the referral shares; nothing else of the
sender's case (its id included) is ever serialised for the receiving side.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import jsonify, request
from flask_babel import gettext

from .. import db, policy
from .. import notifications as notify
from ..cases.service import get_case
from ..errors import Invalid
from ..evidence import service as evidence_service
from ..evidence.transfer import receive_multipart
from ..models import Evidence, Notification, Officer, Referral, ReferralMessage
from ..referrals import service, sharing
from ..validation import ID_MAX, whole_number
from ..web import paginate
from . import actor, api_view, bp, idempotent
from .cases import case_match_json, listing_json, party_json, seizure_json
from .evidence import evidence_json
from .schemas import (
    AcceptInput,
    InfoRequestInput,
    MessageInput,
    NotificationsMarked,
    NotificationsOut,
    NotificationsRead,
    ReasonInput,
    ReferralDetail,
    ReferralEdit,
    ReferralInput,
    ReferralMessageOut,
    ReferralOut,
    ReferralPage,
    RouteInput,
    SharesAdded,
    SharesInput,
    VersionInput,
    dump,
    dump_list,
)
from .spec import ERRORS, UPLOAD_ERRORS, doc
from .spec_params import NOTIFICATION_LIMIT, REFERRAL_FILTERS

CONFLICT = (*ERRORS, 409)
ATTACHED_MESSAGE = {"multipart/form-data": {"schema": {
    "type": "object", "required": ["file"], "properties": {
        "file": {"type": "string", "format": "binary"}, "body": {"type": "string"},
        "description": {"type": "string"},
        "acquired_at": {"type": "string", "format": "date-time"},
        "acquired_where": {"type": "string"}, "acquired_how": {"type": "string"},
        "duplicate_reason": {"type": "string"}}}}}

BOOLEAN = {"": False, "0": False, "false": False, "no": False,
           "1": True, "true": True, "yes": True}
# What PATCH /referrals/{id} changes; shares are added with POST .../shares.
EDITABLE = ("requested_action", "handling_code", "message", "deadline", "share_until",
            "version")


# --- serialising -------------------------------------------------------------------

def _iso(value: Any) -> Any:
    """Dates as YYYY-MM-DD, times as ISO 8601 in UTC, inside lists and dicts too."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _iso(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_iso(v) for v in value]
    return value


def _agency(agency) -> dict | None:
    return None if agency is None else {"id": agency.id, "code": agency.code,
                                        "name": agency.name}


def referral_json(referral: Referral, me: Officer) -> dict:
    sender = policy.is_sender(me, referral)
    linked = referral.linked_case
    return _iso({
        "id": referral.id, "reference": referral.reference,
        "side": "sender" if sender else "receiver",
        "status": referral.status.value,
        "requested_action": referral.requested_action.value,
        "handling_code": referral.handling_code.value, "message": referral.message,
        "deadline": referral.deadline, "share_until": referral.share_until,
        "overdue": referral.overdue(service.today()),
        "from": {"country": referral.from_country_code,
                 "agency": _agency(referral.from_agency)},
        "to": {"country": referral.to_country_code, "agency": _agency(referral.to_agency)},
        # The sender's case: its reference always, its id only to the sending side.
        "case": {"reference": referral.case.reference,
                 "id": referral.case_id if sender else None},
        "linked_case": ({"id": linked.id, "reference": linked.reference} if linked
                        else None),
        "decision_reason": referral.decision_reason,
        "created_at": referral.created_at, "sent_at": referral.sent_at,
        "routed_at": referral.routed_at, "first_response_at": referral.first_response_at,
        "decided_at": referral.decided_at, "withdrawn_at": referral.withdrawn_at,
        "court_consent_at": referral.court_consent_at, "updated_at": referral.updated_at,
        "version": referral.version,
    })


def _shared_evidence_json(ev: Evidence) -> dict:
    data = evidence_json(ev)
    del data["case_id"]  # the sender's case id is not shared
    data["content"] = f"/api/v1/evidence/{ev.public_id}/content"
    return data


def shared_json(view: sharing.SharedView | None) -> dict | None:
    if view is None:
        return None
    return {"reference": view.reference, "fields": _iso(view.fields),
            "seizures": [seizure_json(s) for s in view.seizures],
            "listings": [listing_json(x) for x in view.listings],
            "parties": [party_json(p) for p in view.parties],
            "matches": [case_match_json(m) for m in view.matches],
            "evidence": [_shared_evidence_json(e) for e in view.evidence]}


def message_json(message: ReferralMessage) -> dict:
    attachment = None
    if message.evidence_id is not None:
        ev = db.session().get(Evidence, message.evidence_id)
        attachment = {"id": ev.public_id, "name": ev.original_name,
                      "media_type": ev.media_type, "size": ev.size, "sha256": ev.sha256,
                      "content": f"/api/v1/evidence/{ev.public_id}/content"}
    return {"id": message.id, "at": message.at.isoformat(), "author": message.author_label,
            "side": message.side, "body": message.body, "attachment": attachment}


def _detail_json(referral: Referral, me: Officer) -> dict:
    session = db.session()
    data = referral_json(referral, me)
    data["events"] = [{"at": e.at.isoformat(), "actor": e.actor_label, "kind": e.kind,
                       "summary": e.summary, "details": _iso(service.event_details(e))}
                      for e in service.events_of(session, referral, me)]
    data["messages"] = [message_json(m) for m in service.messages_of(session, referral)]
    data["shared"] = shared_json(service.shared_for(session, me, referral))
    return data


def notification_json(n: Notification) -> dict:
    return {"id": n.id, "kind": n.kind, "message": n.message, "url": n.url,
            "created_at": n.created_at.isoformat(),
            "read_at": n.read_at.isoformat() if n.read_at else None}


# --- parsing -------------------------------------------------------------------------

def json_body(optional: bool = False) -> dict:
    """The JSON object sent; ``{}`` for an empty body where every member is optional."""
    body = request.get_json(silent=True)
    if body is None and optional and not request.get_data():
        return {}
    if not isinstance(body, dict):
        raise Invalid("body", gettext("must be a JSON object"))
    return body


def _whole(args, name: str, default: int, maximum: int) -> int:
    return int(whole_number(args.get(name), name, default=default, maximum=maximum,
                            clamp=name != "page") or default)


def _flag(args, name: str) -> bool:
    raw = str(args.get(name, "")).strip().lower()
    if raw not in BOOLEAN:
        raise Invalid(name, gettext("must be true or false"))
    return BOOLEAN[raw]


def _filter(args) -> service.ReferralFilter:
    box = args.get("box", "inbox")
    if box not in ("inbox", "outbox"):
        raise Invalid("box", gettext("must be inbox or outbox"))
    return service.ReferralFilter(box=box, status=str(args.get("status", ""))[:40],
                                  overdue=_flag(args, "overdue"))


# --- referrals ---------------------------------------------------------------------

@bp.post("/cases/<int:case_id>/referrals")
@doc("Draft one referral per receiver of a case, sharing the chosen items (submit: true "
     "submits them at once)", "referrals", body=ReferralInput, ok=[ReferralOut], status=201)
@idempotent
@api_view
def create_referrals(case_id: int):
    """One referral per receiver in ``to``; ``submit: true`` submits them at once."""
    referrals = service.create_referrals(db.session(), actor(), case_id, json_body())
    return jsonify(dump_list(ReferralOut, [referral_json(r, actor()) for r in referrals])), 201


@bp.get("/cases/<int:case_id>/referrals")
@doc("Referrals sent from the case, and the one it was opened for", "referrals",
     ok=[ReferralOut])
@api_view
def case_referrals(case_id: int):
    case = get_case(db.session(), actor(), case_id)
    return jsonify(dump_list(ReferralOut, [
        referral_json(r, actor()) for r in service.referrals_of_case(db.session(), actor(), case)]))


@bp.get("/referrals")
@doc("The officer's inbox (received) or outbox (sent), newest first, paginated",
     "referrals", ok=ReferralPage, query=REFERRAL_FILTERS)
@api_view
def list_referrals():
    f = _filter(request.args)
    page_no = _whole(request.args, "page", 1, 100_000)
    per_page = _whole(request.args, "per_page", 50, 200)
    page = paginate(service.referrals_query(db.session(), actor(), f), page_no, per_page)
    return jsonify(dump(ReferralPage, {"items": [referral_json(r, actor()) for r in page.items],
                                       "page": page.page, "per_page": page.per_page,
                                       "total": page.total}))


@bp.get("/referrals/<int:referral_id>")
@doc("One referral: header, status, deadline, events, messages and what the caller may "
     "read of the shared items (null when it may not)", "referrals", ok=ReferralDetail)
@api_view
def get_referral(referral_id: int):
    referral = service.get_referral(db.session(), actor(), referral_id)
    return jsonify(dump(ReferralDetail, _detail_json(referral, actor())))


@bp.patch("/referrals/<int:referral_id>")
@doc("Edit a draft (only the members sent change)", "referrals", body=ReferralEdit,
     ok=ReferralOut, errors=CONFLICT)
@api_view
def update_referral(referral_id: int):
    body = json_body()
    unknown = sorted(set(body) - set(EDITABLE))
    if unknown:
        raise Invalid(unknown[0], gettext("cannot be changed here (shares are added with "
                                          "POST /referrals/{id}/shares)"))
    referral = service.update_draft(db.session(), actor(), referral_id, body)
    return referral_moved(referral)


def referral_moved(referral: Referral):
    return jsonify(dump(ReferralOut, referral_json(referral, actor())))


@bp.post("/referrals/<int:referral_id>/submit")
@doc("Submit a draft: to the supervisor for approval, or sent at once", "referrals",
     ok=ReferralOut)
@api_view
def submit_referral(referral_id: int):
    json_body(optional=True)
    return referral_moved(service.submit(db.session(), actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/approve")
@doc("The sending supervisor approves: the referral leaves", "referrals",
     body=VersionInput, body_required=False, ok=ReferralOut, errors=CONFLICT)
@api_view
def approve_referral(referral_id: int):
    return referral_moved(service.approve(db.session(), actor(), referral_id,
                                        json_body(optional=True)))


@bp.post("/referrals/<int:referral_id>/return")
@doc("The sending supervisor returns it to draft, with the reason", "referrals",
     body=ReasonInput, ok=ReferralOut)
@api_view
def return_referral(referral_id: int):
    return referral_moved(service.send_back(db.session(), actor(), referral_id, json_body()))


@bp.post("/referrals/<int:referral_id>/route")
@doc("The receiving coordinator routes it to an agency of its country", "referrals",
     body=RouteInput, ok=ReferralOut, errors=CONFLICT)
@api_view
def route_referral(referral_id: int):
    return referral_moved(service.route(db.session(), actor(), referral_id, json_body()))


@bp.post("/referrals/<int:referral_id>/accept")
@doc("The routed agency's supervisor accepts, opening its linked case (copy: true "
     "copies the shared seizure items, listings and parties into it)", "referrals",
     body=AcceptInput, body_required=False, ok=ReferralOut, errors=CONFLICT)
@api_view
def accept_referral(referral_id: int):
    return referral_moved(service.accept(db.session(), actor(), referral_id,
                                        json_body(optional=True)))


@bp.post("/referrals/<int:referral_id>/decline")
@doc("Decline, with the reason", "referrals", body=ReasonInput, ok=ReferralOut,
     errors=CONFLICT)
@api_view
def decline_referral(referral_id: int):
    return referral_moved(service.decline(db.session(), actor(), referral_id, json_body()))


@bp.post("/referrals/<int:referral_id>/request-info")
@doc("Ask the sender for more information (a message on the thread)", "referrals",
     body=InfoRequestInput, ok=ReferralOut, errors=CONFLICT)
@api_view
def request_info(referral_id: int):
    return referral_moved(service.request_info(db.session(), actor(), referral_id, json_body()))


@bp.post("/referrals/<int:referral_id>/withdraw")
@doc("The sender withdraws: the receiver's access to what was shared stops at once",
     "referrals", body=ReasonInput, ok=ReferralOut, errors=CONFLICT)
@api_view
def withdraw_referral(referral_id: int):
    return referral_moved(service.withdraw(db.session(), actor(), referral_id, json_body()))


@bp.post("/referrals/<int:referral_id>/court-consent")
@doc("The sending supervisor consents to use in court (handling code "
     "court_after_consent)", "referrals", ok=ReferralOut)
@api_view
def consent_court_use(referral_id: int):
    json_body(optional=True)
    return referral_moved(service.consent_court_use(db.session(), actor(), referral_id))


@bp.post("/referrals/<int:referral_id>/shares")
@doc("The sender shares more items (never fewer: withdrawing stops sharing)",
     "referrals", body=SharesInput, ok=SharesAdded)
@api_view
def add_shares(referral_id: int):
    added = service.add_shares(db.session(), actor(), referral_id, json_body())
    return jsonify(dump(SharesAdded, {"added": added}))


# --- the thread ------------------------------------------------------------------------

@bp.get("/referrals/<int:referral_id>/messages")
@doc("The thread, oldest first", "referrals", ok=[ReferralMessageOut])
@api_view
def list_messages(referral_id: int):
    referral = service.get_referral(db.session(), actor(), referral_id)
    return jsonify(dump_list(ReferralMessageOut, [
        message_json(m) for m in service.messages_of(db.session(), referral)]))


@bp.post("/referrals/<int:referral_id>/messages")
@doc("Write on the thread: JSON {body}, or multipart/form-data with a file (kept as "
     "sealed evidence in custody) and an optional body", "referrals", body=MessageInput,
     body_content=ATTACHED_MESSAGE, ok=ReferralMessageOut, status=201,
     errors=(*UPLOAD_ERRORS, 409))
@idempotent
@api_view
def post_message(referral_id: int):
    """JSON ``{"body": ...}``, or multipart/form-data with ``file`` (and ``body``,
    ``description``, ``acquired_*``): the file is streamed into sealed evidence."""
    if request.mimetype != "multipart/form-data":
        message = service.post_message(db.session(), actor(), referral_id, json_body())
        return jsonify(dump(ReferralMessageOut, message_json(message))), 201
    evidence, message = _attached_message(referral_id)
    return jsonify(dump(ReferralMessageOut, message_json(message))), 201


def _attached_message(referral_id: int) -> tuple[Evidence, ReferralMessage]:
    session, me = db.session(), actor()
    # Checked before a byte of the body is read: may the actor attach here, and where to.
    case = service.attachment_case(session, me, referral_id)
    request.max_content_length = evidence_service.max_bytes() + 1024 * 1024
    intake, form = receive_multipart(case, me)
    evidence = evidence_service.register(session, me, case, intake, intake.client_name, form)
    try:
        message = service.post_message(session, me, referral_id, form, attachment=evidence)
        db.commit()
    except BaseException:
        intake.discard()  # nothing of a refused message stays stored
        raise
    return evidence, message


# --- notifications ----------------------------------------------------------------------

@bp.get("/notifications")
@doc("The caller's notifications, newest first, with the unread count",
     "notifications", ok=NotificationsOut, query=NOTIFICATION_LIMIT)
@api_view
def notifications():
    limit = _whole(request.args, "limit", 50, 100)
    rows = notify.notifications_of(db.session(), actor(), limit)
    return jsonify(dump(NotificationsOut, {"items": [notification_json(n) for n in rows],
                                           "unread": notify.unread_count(db.session(),
                                                                         actor())}))


@bp.post("/notifications/read")
@doc("Mark the caller's notifications as read: {ids: [...]} or {all: true}",
     "notifications", body=NotificationsRead, ok=NotificationsMarked)
@api_view
def read_notifications():
    """``{"ids": [...]}`` marks those of the caller's notifications, ``{"all": true}``
    every one."""
    body = json_body()
    ids = _notification_ids(body)
    marked = notify.mark_read(db.session(), actor(), ids)
    return jsonify(dump(NotificationsMarked, {
        "marked": marked, "unread": notify.unread_count(db.session(), actor())}))


def _notification_ids(body: dict) -> list[int] | None:
    every, ids = body.get("all", False), body.get("ids")
    if not isinstance(every, bool):
        raise Invalid("all", gettext("must be true or false"))
    if every:
        if ids is not None:
            raise Invalid("ids", gettext("send either ids or all, not both"))
        return None
    if not isinstance(ids, list) or not ids:
        raise Invalid("ids", gettext("must be a list of notification ids, or send "
                                     "{\"all\": true}"))
    if len(ids) > 1000 or not all(isinstance(i, int) and not isinstance(i, bool)
                                  and 0 < i <= ID_MAX for i in ids):
        raise Invalid("ids", gettext("must be at most 1000 notification ids (whole "
                                     "numbers)"))
    return ids
