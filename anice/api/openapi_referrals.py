"""OpenAPI paths and schemas of /api/v1 referrals and notifications."""

from __future__ import annotations

from ..models import HandlingCode, ReferralStatus, RequestedAction
from ..referrals.sharing import FIELDS

S = "#/components/schemas/"
PROBLEM = {"description": "Error (application/problem+json naming the field)",
           "content": {"application/problem+json": {"schema": {"$ref": S + "Problem"}}}}
ERRORS = {"401": PROBLEM, "403": PROBLEM, "404": PROBLEM, "422": PROBLEM}
CONFLICT = {"409": PROBLEM}
REFERRAL_ID = {"name": "referral_id", "in": "path", "required": True,
               "schema": {"type": "integer"}}
CASE_ID = {"name": "case_id", "in": "path", "required": True, "schema": {"type": "integer"}}

STR, INT, BOOL = {"type": "string"}, {"type": "integer"}, {"type": "boolean"}
TEXT = {"type": ["string", "null"]}
DATE = {"type": ["string", "null"], "format": "date"}
DT = {"type": ["string", "null"], "format": "date-time"}
IDS = {"type": "array", "items": {"type": ["string", "integer"]}}
VERSION = {"type": "integer", "description": "the version you read: 409 if it changed since"}


def _enum(cls) -> dict:
    return {"type": "string", "enum": [m.value for m in cls]}


def _obj(props: dict, required: list[str] | None = None) -> dict:
    schema: dict = {"type": "object", "properties": props}
    if required:
        schema["required"] = required
    return schema


def _json(name: str) -> dict:
    return {"application/json": {"schema": {"$ref": S + name}}}


def _op(summary: str, tag: str = "referrals", *, body: str | None = None,
        body_required: bool = True, ok: str | None = None, status: str = "200",
        params: list | None = None, conflict: bool = False) -> dict:
    op: dict = {"summary": summary, "tags": [tag],
                "responses": {**ERRORS, **(CONFLICT if conflict else {}),
                              status: {"description": "OK", "content": _json(ok)}}}
    if body:
        op["requestBody"] = {"required": body_required, "content": _json(body)}
    if params:
        op["parameters"] = params
    return op


def _move(summary: str, body: str | None, *, required: bool = True,
          conflict: bool = True) -> dict:
    return {"post": _op(summary, body=body, body_required=required, ok="Referral",
                        params=[REFERRAL_ID], conflict=conflict)}


LIST_FILTERS = [{"name": n, "in": "query", "required": False, "schema": s} for n, s in (
    ("box", {"type": "string", "enum": ["inbox", "outbox"], "default": "inbox"}),
    ("status", _enum(ReferralStatus)),
    ("overdue", {"type": "boolean", "description": "only those past their deadline and "
                                                   "still waiting for an answer"}),
    ("page", {"type": "integer", "minimum": 1, "maximum": 100_000}),
    ("per_page", {"type": "integer", "minimum": 1, "maximum": 200}))]


def referral_paths() -> dict:
    message_post = _op("Write on the thread: JSON {body}, or multipart/form-data with a file "
                       "(kept as sealed evidence in custody) and an optional body",
                       body="MessageInput", ok="ReferralMessage", status="201",
                       params=[REFERRAL_ID])
    message_post["requestBody"]["content"]["multipart/form-data"] = {"schema": _obj({
        "file": {"type": "string", "format": "binary"}, "body": STR, "description": STR,
        "acquired_at": {"type": "string", "format": "date-time"}, "acquired_where": STR,
        "acquired_how": STR}, ["file"])}
    return {
        "/cases/{case_id}/referrals": {
            "post": _op("Draft one referral per receiver of a case, sharing the chosen items "
                        "(submit: true submits them at once)", body="ReferralInput",
                        ok="ReferralList", status="201", params=[CASE_ID]),
            "get": _op("Referrals sent from the case, and the one it was opened for",
                       ok="ReferralList", params=[CASE_ID])},
        "/referrals": {"get": _op("The officer's inbox (received) or outbox (sent), "
                                  "newest first, paginated", ok="ReferralPage",
                                  params=LIST_FILTERS)},
        "/referrals/{referral_id}": {
            "get": _op("One referral: header, status, deadline, events, messages and what "
                       "the caller may read of the shared items (null when it may not)",
                       ok="ReferralDetail", params=[REFERRAL_ID]),
            "patch": _op("Edit a draft (only the members sent change)", body="ReferralEdit",
                         ok="Referral", params=[REFERRAL_ID], conflict=True)},
        "/referrals/{referral_id}/submit": _move(
            "Submit a draft: to the supervisor for approval, or sent at once", None,
            conflict=False),
        "/referrals/{referral_id}/approve": _move(
            "The sending supervisor approves: the referral leaves", "Version", required=False),
        "/referrals/{referral_id}/return": _move(
            "The sending supervisor returns it to draft, with the reason", "Reason",
            conflict=False),
        "/referrals/{referral_id}/route": _move(
            "The receiving coordinator routes it to an agency of its country", "Route"),
        "/referrals/{referral_id}/accept": _move(
            "The routed agency's supervisor accepts, opening its linked case (copy: true "
            "copies the shared seizure items, listings and parties into it)", "Accept",
            required=False),
        "/referrals/{referral_id}/decline": _move("Decline, with the reason", "Reason"),
        "/referrals/{referral_id}/request-info": _move(
            "Ask the sender for more information (a message on the thread)", "InfoRequest"),
        "/referrals/{referral_id}/withdraw": _move(
            "The sender withdraws: the receiver's access to what was shared stops at once",
            "Reason"),
        "/referrals/{referral_id}/court-consent": _move(
            "The sending supervisor consents to use in court (handling code "
            "court_after_consent)", None, conflict=False),
        "/referrals/{referral_id}/shares": {"post": _op(
            "The sender shares more items (never fewer: withdrawing stops sharing)",
            body="Shares", ok="SharesAdded", params=[REFERRAL_ID])},
        "/referrals/{referral_id}/messages": {
            "get": _op("The thread, oldest first", ok="ReferralMessages",
                       params=[REFERRAL_ID]),
            "post": message_post},
        "/notifications": {"get": _op(
            "The caller's notifications, newest first, with the unread count",
            "notifications", ok="Notifications",
            params=[{"name": "limit", "in": "query", "required": False,
                     "schema": {"type": "integer", "minimum": 1, "maximum": 100}}])},
        "/notifications/read": {"post": _op(
            "Mark the caller's notifications as read: {ids: [...]} or {all: true}",
            "notifications", body="NotificationsRead", ok="NotificationsMarked")},
    }


def _choice_props() -> dict:
    return {"fields": {"type": "array", "items": {"type": "string", "enum": list(FIELDS)}},
            "seizures": IDS, "listings": IDS, "parties": IDS, "matches": IDS,
            "evidence": {"type": "array", "items": STR,
                         "description": "evidence public ids of the case"}}


def _shared() -> dict:
    item = {"type": "array", "items": {"type": "object"}}
    return {"type": ["object", "null"], "description": "exactly what the caller may read of "
                                                       "the sender's case; null after "
                                                       "withdrawal or share_until",
            "properties": {
                "reference": STR,
                "fields": {"type": "object", "description": "only the shared case fields",
                           "properties": {name: {"description": label}
                                          for name, label in FIELDS.items()}},
                "seizures": {"type": "array", "items": {"$ref": S + "SeizureItem"}},
                "listings": {"type": "array", "items": {"$ref": S + "Listing"}},
                "parties": {"type": "array", "items": {"$ref": S + "Party"}},
                "matches": item,
                "evidence": {"type": "array", "items": _obj({
                    "id": STR, "name": STR, "media_type": STR, "size": INT, "sha256": STR,
                    "description": TEXT, "acquired_at": DT, "acquired_where": TEXT,
                    "acquired_how": TEXT, "uploaded_at": DT, "status": STR,
                    "content": {"type": "string", "description": "download path"}})}}}


def referral_schemas() -> dict:
    agency = {"type": ["object", "null"], "properties": {"id": INT, "code": STR, "name": STR}}
    side = _obj({"country": STR, "agency": agency})
    request = {"requested_action": _enum(RequestedAction),
               "handling_code": _enum(HandlingCode), "message": STR,
               "deadline": {**DATE, "description": "answer due (YYYY-MM-DD)"},
               "share_until": {**DATE, "description": "the receiver reads the shared "
                                                      "items until this day"}}
    referral = _obj({
        "id": INT, "reference": STR, "side": {"type": "string", "enum": ["sender", "receiver"]},
        "status": _enum(ReferralStatus), **request, "overdue": BOOL, "from": side, "to": side,
        "case": _obj({"reference": STR, "id": {"type": ["integer", "null"],
                                               "description": "to the sending side only"}}),
        "linked_case": {"type": ["object", "null"], "properties": {"id": INT,
                                                                   "reference": STR}},
        "decision_reason": TEXT, "created_at": DT, "sent_at": DT, "routed_at": DT,
        "first_response_at": DT, "decided_at": DT, "withdrawn_at": DT,
        "court_consent_at": DT, "updated_at": DT, "version": INT})
    message = _obj({"id": INT, "at": DT, "author": STR,
                    "side": {"type": "string", "enum": ["sender", "receiver"]}, "body": STR,
                    "attachment": {"type": ["object", "null"], "properties": {
                        "id": STR, "name": STR, "media_type": STR, "size": INT,
                        "sha256": STR, "content": STR}}})
    notification = _obj({"id": INT, "kind": STR, "message": STR, "url": TEXT,
                         "created_at": DT, "read_at": DT})
    return {
        "ReferralInput": _obj({
            "to": {"type": "array", "items": STR,
                   "description": "country codes (its coordinator routes) or agency:<id>"},
            **request, **_choice_props(), "submit": BOOL},
            ["to", "requested_action", "handling_code", "message"]),
        "ReferralEdit": _obj({**request, "version": VERSION}),
        "Referral": referral,
        "ReferralList": {"type": "array", "items": {"$ref": S + "Referral"}},
        "ReferralPage": _obj({"items": {"type": "array", "items": {"$ref": S + "Referral"}},
                              "page": INT, "per_page": INT, "total": INT}),
        "ReferralDetail": {"allOf": [{"$ref": S + "Referral"}, _obj({
            "events": {"type": "array", "items": _obj({
                "at": DT, "actor": STR, "kind": STR, "summary": STR,
                "details": {"type": "object"}})},
            "messages": {"type": "array", "items": {"$ref": S + "ReferralMessage"}},
            "shared": _shared()})]},
        "ReferralMessage": message,
        "ReferralMessages": {"type": "array", "items": {"$ref": S + "ReferralMessage"}},
        "MessageInput": _obj({"body": STR}, ["body"]),
        "Version": _obj({"version": VERSION}),
        "Reason": _obj({"reason": STR, "version": VERSION}, ["reason"]),
        "Route": _obj({"agency_id": INT, "version": VERSION}, ["agency_id"]),
        "Accept": _obj({"copy": BOOL, "version": VERSION}),
        "InfoRequest": _obj({"message": STR, "version": VERSION}, ["message"]),
        "Shares": _obj(_choice_props()),
        "SharesAdded": _obj({"added": INT}),
        "Notification": notification,
        "Notifications": _obj({"items": {"type": "array",
                                         "items": {"$ref": S + "Notification"}},
                               "unread": INT}),
        "NotificationsRead": _obj({"ids": {"type": "array", "items": INT}, "all": BOOL}),
        "NotificationsMarked": _obj({"marked": INT, "unread": INT}),
    }
