"""Referral requests: "Request this case from <agency>" on a hit.

An officer shown a hit on its case asks the holder to refer its case. The request carries
the asker's case reference, the kinds of the identifiers that matched and a message; the
holder country's coordinator (told at once) sees which of its cases the hit stood for and
the values that matched, and answers by referring the case back (the normal referral,
sent to the asker's agency after the holder agency's approval) or declines with a reason.
The asker learns nothing beyond the hit until the referral is sent: its request shows
"waiting for an answer" while the referral is being drafted or approved.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_request_context, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..correlation import hits as hit_text
from ..correlation import links
from ..errors import Conflict, Forbidden, Invalid, NotFound, flush_or_conflict
from ..models import (
    Case,
    IdentifierKind,
    Officer,
    Referral,
    ReferralRequest,
    ReferralRequestCase,
    RequestStatus,
    utcnow,
)
from ..text.locales import N_
from ..text.messages import message as text
from ..text.messages import translate
from ..validation import Fields, whole_number
from . import service

QS = RequestStatus


# --- reading -----------------------------------------------------------------------

def get_request(db: Session, actor: Officer, request_id: int) -> ReferralRequest:
    """A request the actor's side may read; otherwise NotFound."""
    request = db.get(ReferralRequest, request_id)
    if request is None or not policy.can_view_referral_request(actor, request):
        raise NotFound(gettext("No such referral request."))
    return request


def list_requests(db: Session, actor: Officer, box: str = "inbox",
                  limit: int = 200) -> list[ReferralRequest]:
    """"inbox": requests the actor's side is asked to answer (the holder's coordinator);
    "outbox": requests made from the cases the actor reads. Open ones first."""
    query = select(ReferralRequest).where(policy.visible_referral_requests(actor))
    if box == "inbox":
        query = query.where(policy.request_inbox(actor))
    elif box == "outbox":
        query = query.where(ReferralRequest.asker_case_id.in_(
            select(Case.id).where(policy.visible_cases(actor))))
    else:
        raise Invalid("box", gettext("must be inbox or outbox"))
    return list(db.scalars(query.order_by(ReferralRequest.status != QS.OPEN,
                                          ReferralRequest.id.desc()).limit(limit)))


def request_of_hit(db: Session, actor: Officer, case: Case,
                   agency_id: int) -> ReferralRequest | None:
    """The latest request made from ``case`` to the agency of one of its hits."""
    if not policy.can_view_case(actor, case):
        return None
    return db.scalar(select(ReferralRequest).where(
        ReferralRequest.asker_case_id == case.id,
        ReferralRequest.holder_agency_id == agency_id).order_by(ReferralRequest.id.desc())
        .limit(1))


def answered_by(db: Session, actor: Officer, referral: Referral) -> list[ReferralRequest]:
    """The requests a referral answers, those the actor's side may read."""
    rows = db.scalars(select(ReferralRequest).where(ReferralRequest.referral_id == referral.id))
    return [r for r in rows if policy.can_view_referral_request(actor, r)]


def answer_shown(request: ReferralRequest) -> Referral | None:
    """The referral the asker may know of: only once it has left the holder (sent)."""
    referral = request.referral
    if referral is None or referral.sent_at is None or referral.status in policy.UNSENT:
        return None
    return referral


def asker_status(request: ReferralRequest) -> str:
    """The status in words as the asker's side sees it (nothing of the holder's drafting
    or approval)."""
    if request.status == QS.DECLINED:
        return N_("Declined")
    if request.status == QS.REFERRED and answer_shown(request) is not None:
        return N_("Answered by a referral")
    return QS.OPEN.label


def status_for(actor: Officer, request: ReferralRequest) -> str:
    """In English words, translated where shown."""
    if policy.is_request_holder(actor, request):
        return request.status.label
    return asker_status(request)


@dataclass
class WaitingItem:
    """One thing that waits for an officer (for the "My work" page)."""

    kind: str
    label: str
    url: str
    since: datetime


def waiting_for(db: Session, officer: Officer) -> list[WaitingItem]:
    """Referral requests this officer's side is asked to answer (open, oldest first)."""
    rows = db.scalars(select(ReferralRequest).where(
        policy.visible_referral_requests(officer), policy.request_inbox(officer),
        ReferralRequest.status == QS.OPEN).order_by(ReferralRequest.id))
    return [WaitingItem(kind="referral_request",
                        label=gettext("Request %(ref)s from %(agency)s asks for a referral",
                                      ref=r.reference,
                                      agency=hit_text.holder_text(r.asker_agency)),
                        url=_url(r), since=r.created_at)
            for r in rows if policy.can_answer_referral_request(officer, r)]


# --- helpers -----------------------------------------------------------------------

def _url(request: ReferralRequest) -> str:
    if not has_request_context():
        return f"/referrals/requests/{request.id}"
    return url_for("referrals.request_show", request_id=request.id)


def _lock(db: Session, actor: Officer, request_id: int) -> ReferralRequest:
    db.execute(select(ReferralRequest.id).where(ReferralRequest.id == request_id)
               .with_for_update())
    request = db.get(ReferralRequest, request_id, populate_existing=True)
    if request is None or not policy.can_view_referral_request(actor, request):
        raise NotFound(gettext("No such referral request."))
    return request


def _flush(db: Session, request: ReferralRequest) -> None:
    flush_or_conflict(db, gettext("Request %(ref)s was answered by someone else at the same "
                                  "time. Nothing was done: reload it.", ref=request.reference))


def _people(db: Session, request: ReferralRequest, side: str) -> list[Officer]:
    people = list(db.scalars(select(Officer).where(policy.request_recipients(request, side))
                             .order_by(Officer.id)))
    if side == "asker" and request.created_by is not None:
        people.append(request.created_by)
    return people


def _audit(db: Session, actor: Officer, request: ReferralRequest, action: str,
           details: dict) -> None:
    """One row in each country involved: across a border the actor is named by agency and
    country (as a hit is)."""
    details = {"request": request.reference, "asker_case": request.asker_case.reference,
               "holder_agency": request.holder_agency.code, **details}
    for country in sorted({request.asker_country_code, request.holder_country_code}):
        named = policy.names_officer_to(actor, country)
        audit.record(db, actor, f"referral_request.{action}", request, country_code=country,
                     actor_label=None if named else hit_text.asker_text(actor),
                     details=details)


def _kinds(request: ReferralRequest) -> dict:
    return hit_text.kinds_text(IdentifierKind(k) for k in request.kinds)


def default_message(case: Case, hit: dict) -> str:
    """The message the request form starts with (the asker may change it)."""
    kinds = translate(hit_text.kinds_text(IdentifierKind(k) for k in hit["kinds"]))
    return gettext("Our case %(case)s shares a %(kinds)s with a case held by %(holder)s. "
                   "Please refer that case to %(agency)s (%(country)s).",
                   case=case.reference, kinds=kinds, holder=hit["agency"]["name"],
                   agency=case.agency.name, country=case.country_code)


# --- asking ------------------------------------------------------------------------

def hit_for(db: Session, actor: Officer, case: Case, agency_id: Any) -> tuple[dict, list]:
    """The hit of ``case`` on ``agency_id`` as the actor is shown it, and the holder cases
    behind it (never shown to the actor). NotFound when there is none."""
    try:
        wanted = whole_number(agency_id, "agency_id") if agency_id not in (None, "") else None
    except Invalid:
        wanted = None
    if wanted is None:
        raise Invalid("agency_id", gettext("choose the agency a hit of this case points to"))
    found = links.compute(db, actor, case)
    hit = next((h for h in found.hits if h["agency"]["id"] == wanted), None)
    holders = [(c, kinds) for c, kinds in found.hit_cases if c.agency_id == wanted]
    if hit is None or not holders:
        raise NotFound(gettext("No hit of this case points to that agency."))
    return hit, holders


def _case_to_ask_from(db: Session, actor: Officer, case_id: int) -> Case:
    case = db.get(Case, case_id)
    if case is None or not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    if not policy.can_request_case(actor, case):
        raise Forbidden(gettext("Only the case's investigators and supervisor ask for a "
                                "referral, on a case that gets hits."))
    return case


def request_form(db: Session, actor: Officer, case_id: int, agency_id: Any) -> dict:
    """What the request form shows: the hit (agency, country, kinds) and a message."""
    case = _case_to_ask_from(db, actor, case_id)
    hit, _ = hit_for(db, actor, case, agency_id)
    return {"case": case, "hit": hit, "message": default_message(case, hit)}


def _identifiers(db: Session, own: Case, holder: Case, kinds: list[IdentifierKind]) -> list:
    """The identifiers ``own`` shares with ``holder`` (for the holder's side only)."""
    mine = {(r.kind, r.value) for r in links.identifiers(db, own.id)}
    theirs = {(r.kind, r.value) for r in links.identifiers(db, holder.id)}
    return [{"kind": k.value, "value": None if k.hashed else v}
            for k, v in sorted(mine & theirs) if k in kinds]


def create_request(db: Session, actor: Officer, case_id: int,
                   data: Mapping[str, Any]) -> ReferralRequest:
    """Ask the holder of a hit on the actor's case to refer its case (one open request per
    case and holder agency). Audited in both countries; the holder's coordinators told."""
    service._lock_cases(db, case_id)
    case = _case_to_ask_from(db, actor, case_id)
    hit, holders = hit_for(db, actor, case, data.get("agency_id"))
    f = Fields(data)
    message = f.text("message", required=True, max_len=10000)
    f.done()
    holder_agency_id = hit["agency"]["id"]
    existing = db.scalar(select(ReferralRequest).where(
        ReferralRequest.asker_case_id == case.id,
        ReferralRequest.holder_agency_id == holder_agency_id,
        ReferralRequest.status == QS.OPEN))
    if existing is not None:
        raise Conflict(gettext("This case already asked %(agency)s for a referral (request "
                               "%(ref)s); it waits for an answer.",
                               agency=hit["agency"]["name"], ref=existing.reference))
    request = ReferralRequest(
        asker_case_id=case.id, asker_case=case, asker_agency_id=case.agency_id,
        asker_country_code=case.country_code, created_by_id=actor.id,
        holder_agency_id=holder_agency_id, holder_country_code=hit["country"]["code"],
        kinds=list(hit["kinds"]), message=message)
    request.holder_cases = [
        ReferralRequestCase(holder_case_id=holder.id,
                            identifiers=_identifiers(db, case, holder, kinds))
        for holder, kinds in holders]
    db.add(request)
    db.flush()
    request.reference = f"RQ-{case.country_code}-{request.created_at.year}-{request.id:06d}"
    _audit(db, actor, request, "created", {"kinds": request.kinds})
    service.timeline_entry(db, actor, case, text(N_("Asked %(agency)s for a referral (request "
                                                    "%(ref)s)"),
                                                 agency=hit_text.holder_text(request.holder_agency),
                                                 ref=request.reference))
    asker = (f"{actor.name} ({hit_text.asker_text(actor)})"
             if policy.names_officer_to(actor, request.holder_country_code)
             else hit_text.asker_text(actor))
    service.tell_each(db, _people(db, request, "holder"), "referral_request.received",
                      text(N_("Referral request %(ref)s: %(asker)s asks %(agency)s to refer "
                              "its case (their case %(case)s shares a %(kinds)s)."),
                           ref=request.reference, asker=asker,
                           agency=request.holder_agency.name, case=case.reference,
                           kinds=_kinds(request)), _url(request))
    return request


# --- answering -----------------------------------------------------------------------

def _answerable(db: Session, actor: Officer, request_id: int) -> ReferralRequest:
    request = _lock(db, actor, request_id)
    if not policy.can_answer_referral_request(actor, request):
        if request.status != QS.OPEN:
            raise Conflict(gettext("Request %(ref)s was answered already (%(status)s).",
                                   ref=request.reference,
                                   status=gettext(request.status.label)))
        raise Forbidden(gettext("Only the holder country's coordinator answers a referral "
                                "request."))
    return request


def holder_case_of(db: Session, actor: Officer, request: ReferralRequest,
                   case_id: Any) -> Case:
    """The holder case to refer: the one named, or the only one the request stands for."""
    ids = [c.holder_case_id for c in request.holder_cases]
    if case_id in (None, ""):
        if len(ids) != 1:
            raise Invalid("case_id", gettext("choose which of your cases to refer"))
        wanted = ids[0]
    else:
        wanted = whole_number(case_id, "case_id")
    case = db.get(Case, wanted) if wanted in ids else None
    if case is None or not policy.can_refer_on_request(actor, request, case):
        raise Invalid("case_id", gettext("choose one of the cases this request is about"))
    return case


def refer_back(db: Session, actor: Officer, request_id: int,
               data: Mapping[str, Any]) -> Referral:
    """Answer by referring the holder case to the asker's agency: drafted by the
    coordinator and submitted at once (the holder agency's supervisor approves as usual).
    ``data`` is a referral's (requested action, handling code, message, shares...); the
    receiver is the asker's agency, whatever ``to`` says."""
    request = _answerable(db, actor, request_id)
    case = holder_case_of(db, actor, request, data.get("case_id"))
    service._lock_cases(db, case.id)
    fields = {k: v for k, v in dict(data).items() if k not in ("to", "submit")}
    for name in ("fields", "seizures", "listings", "parties", "matches", "evidence"):
        if hasattr(data, "getlist"):
            fields[name] = data.getlist(name)
    referral = service.draft_referrals(db, actor, case, fields,
                                       [f"agency:{request.asker_agency_id}"])[0]
    request.status = QS.REFERRED
    request.referral_id, request.referral = referral.id, referral
    request.answered_at, request.answered_by_id = utcnow(), actor.id
    _flush(db, request)
    _audit(db, actor, request, "referred", {"referral": referral.reference,
                                            "holder_case": case.reference})
    service.submit_draft(db, actor, referral)
    return referral


def decline_request(db: Session, actor: Officer, request_id: int,
                    data: Mapping[str, Any]) -> ReferralRequest:
    """Answer no, with a reason the asker reads."""
    request = _answerable(db, actor, request_id)
    f = Fields(data)
    reason = f.text("reason", required=True, max_len=2000)
    f.done()
    request.status = QS.DECLINED
    request.decline_reason = reason
    request.answered_at, request.answered_by_id = utcnow(), actor.id
    _flush(db, request)
    _audit(db, actor, request, "declined", {"reason": reason})
    service.timeline_entry(db, actor, request.asker_case,
                           text(N_("Request %(ref)s declined by %(agency)s: %(reason)s"),
                                ref=request.reference,
                                agency=hit_text.holder_text(request.holder_agency),
                                reason=reason))
    service.tell_each(db, _people(db, request, "asker"), "referral_request.declined",
                      text(N_("Referral request %(ref)s: declined by %(agency)s."),
                           ref=request.reference,
                           agency=hit_text.holder_text(request.holder_agency)), _url(request))
    return request
