"""The life of a referral: draft, approve, send, route, answer, message, withdraw.

Every change locks the referral row (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite
serialises writers) and re-reads it, and the version column refuses a stale write, so
that racing moves (an accept and a withdrawal) end in one consistent state. Each move
writes a referral event (both sides' timeline), a timeline entry on the cases involved,
an audit row and notifications, all in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, policy
from .. import notifications as notify
from ..cases import timeline
from ..errors import Conflict, Forbidden, Invalid, NotFound, flush_or_conflict
from ..evidence.service import record_custody
from ..models import (
    AWAITING_STATES,
    Agency,
    Case,
    Country,
    CustodyAction,
    Evidence,
    HandlingCode,
    Officer,
    Referral,
    ReferralEvent,
    ReferralMessage,
    ReferralRequest,
    ReferralStatus,
    RequestedAction,
    RequestStatus,
    ShareKind,
    utcnow,
)
from ..text.locales import N_
from ..text.messages import by_language, english, translate
from ..text.messages import message as msg
from ..validation import Fields, whole_number
from . import linked, sharing

RS = ReferralStatus


def today() -> date:
    return datetime.now(UTC).date()


# --- reading -------------------------------------------------------------------

def get_referral(db: Session, actor: Officer, referral_id: int) -> Referral:
    """A referral the actor is a party to; otherwise NotFound."""
    referral = db.get(Referral, referral_id)
    if referral is None or not policy.can_view_referral(actor, referral):
        raise NotFound(gettext("No such referral."))
    return referral


# "Due soon": an answer due within this many days (or overdue), on My work and the inbox.
DUE_SOON_DAYS = 3


@dataclass
class ReferralFilter:
    box: str = "inbox"  # inbox | outbox
    status: str = ""
    overdue: bool = False
    due: bool = False  # waiting for an answer due within DUE_SOON_DAYS, or overdue


def referrals_query(db: Session, actor: Officer, f: ReferralFilter):
    query = select(Referral).where(policy.visible_referrals(actor))
    if f.box == "outbox":
        query = query.where(Referral.case_id.in_(
            select(Case.id).where(policy.visible_cases(actor))))
    else:
        query = query.where(policy.inbox_filter(actor),
                            Referral.status.not_in(list(policy.UNSENT)))
    if f.status:
        try:
            query = query.where(Referral.status == RS(f.status))
        except ValueError:
            raise Invalid("status", gettext("%(value)s is not a referral status",
                                            value=repr(f.status[:30]))) from None
    if f.overdue:
        query = query.where(Referral.status.in_(list(AWAITING_STATES)),
                            Referral.deadline < today())
    if f.due:
        query = query.where(Referral.status.in_(list(AWAITING_STATES)),
                            Referral.deadline <= today() + timedelta(days=DUE_SOON_DAYS))
    return query.order_by(Referral.created_at.desc(), Referral.id.desc())


def waiting_for_approval(db: Session, actor: Officer, limit: int = 50) -> list[Referral]:
    """Referrals of the actor's agency that wait for its approval (a supervisor's)."""
    return list(db.scalars(select(Referral).where(
        policy.visible_referrals(actor), policy.referrals_to_approve(actor))
        .order_by(Referral.id.desc()).limit(limit)))


def referrals_of_case(db: Session, actor: Officer, case: Case) -> list[Referral]:
    """The referrals sent from this case, and the one it was opened for."""
    if not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    return list(db.scalars(select(Referral).where(
        (Referral.case_id == case.id) | (Referral.linked_case_id == case.id))
        .order_by(Referral.id.desc())))


# The sender's own business before the referral left (drafting, approval): not the
# receiver's to read.
SENDER_ONLY_EVENTS = ("drafted", "edited", "submitted", "returned")


def events_of(db: Session, referral: Referral, actor: Officer) -> list[ReferralEvent]:
    query = select(ReferralEvent).where(ReferralEvent.referral_id == referral.id)
    if not policy.is_sender(actor, referral):
        query = query.where(ReferralEvent.kind.not_in(SENDER_ONLY_EVENTS))
    return list(db.scalars(query.order_by(ReferralEvent.at, ReferralEvent.id)))


def messages_of(db: Session, referral: Referral) -> list[ReferralMessage]:
    return list(db.scalars(select(ReferralMessage)
                           .where(ReferralMessage.referral_id == referral.id)
                           .order_by(ReferralMessage.at, ReferralMessage.id)))


def shared_for(db: Session, actor: Officer, referral: Referral) -> sharing.SharedView | None:
    """What the actor may read of the shared items: the sender sees its own choice;
    the receiver only while the referral shares; otherwise None."""
    if policy.is_sender(actor, referral) or policy.can_read_shared(actor, referral, today()):
        return sharing.shared_view(db, referral)
    return None


def referral_granting(db: Session, actor: Officer, evidence: Evidence) -> Referral | None:
    """The referral through which a receiver reads a sender's evidence item."""
    candidates = db.scalars(select(Referral).where(
        policy.visible_referrals(actor),
        (Referral.id.in_(select(ReferralMessage.referral_id).where(
            ReferralMessage.evidence_id == evidence.id)))
        | (Referral.case_id == evidence.case_id)))
    for referral in candidates:
        shared = str(evidence.id) in referral.shared_keys(ShareKind.EVIDENCE)
        attached = db.scalar(select(ReferralMessage.id).where(
            ReferralMessage.referral_id == referral.id,
            ReferralMessage.evidence_id == evidence.id)) is not None
        if (shared or attached) and (policy.can_read_shared(actor, referral, today())
                                     or policy.is_sender(actor, referral)):
            return referral
    return None


# --- helpers -------------------------------------------------------------------

def _lock(db: Session, actor: Officer, referral_id: int) -> Referral:
    """Re-read the referral under a row lock before changing it."""
    db.execute(select(Referral.id).where(Referral.id == referral_id).with_for_update())
    referral = db.get(Referral, referral_id, populate_existing=True)
    if referral is not None:
        _lock_cases(db, referral.case_id, referral.linked_case_id)
    if referral is None or not policy.can_view_referral(actor, referral):
        raise NotFound(gettext("No such referral."))
    return referral


def _lock_cases(db: Session, *case_ids: int | None) -> None:
    """Lock and re-read the cases whose timelines a move writes on, first thing: a move
    that waited for a case while holding the audit log's head (locked by every writer)
    would deadlock with one holding the case, and a stale case row fails its flush."""
    ids = sorted({i for i in case_ids if i is not None})
    if ids:
        db.execute(select(Case.id).where(Case.id.in_(ids)).order_by(Case.id)
                   .with_for_update())
        db.scalars(select(Case).where(Case.id.in_(ids))
                   .execution_options(populate_existing=True)).all()


def _check_version(referral: Referral, version: Any) -> None:
    if version is None or version == "":
        return
    try:
        expected = int(version)
    except (TypeError, ValueError):
        raise Invalid("version", gettext("must be the version number of the referral")) from None
    if expected != referral.version:
        raise Conflict(gettext("Referral %(ref)s changed since you opened it (it is now: "
                               "%(status)s). Nothing was done: reload it.",
                               ref=referral.reference, status=gettext(referral.status.label)))


def _flush(db: Session, referral: Referral) -> None:
    flush_or_conflict(db, gettext("Referral %(ref)s was changed by someone else at the same "
                                  "time. Nothing was done: reload it.", ref=referral.reference))


def _side_label(actor: Officer | None) -> str:
    if actor is None:
        return "ANICE"
    return f"{actor.agency.name} ({actor.country_code})"


def _url(referral: Referral) -> str | None:
    if not has_request_context():
        return f"/referrals/{referral.id}"
    return url_for("referrals.show", referral_id=referral.id)


def _event(db: Session, actor: Officer | None, referral: Referral, kind: str, text: dict,
           details: dict | None = None) -> None:
    """One line on the referral's life, on the cases' timelines, and in the audit log.
    ``text`` (``messages.message``) is kept with the event: each side reads it in its own
    language (``event_text``); the summary column keeps it in English."""
    referral.updated_at = utcnow()
    summary = english(text)
    db.add(ReferralEvent(referral_id=referral.id, actor_id=actor.id if actor else None,
                         actor_label=_side_label(actor), kind=kind, summary=summary,
                         details={**(details or {}), "text": text}))
    line = msg(N_("Referral %(ref)s: %(what)s"), ref=referral.reference, what=text)
    if actor is not None:
        for case in {referral.case, referral.linked_case} - {None}:
            timeline_entry(db, actor, case, line)
    audit.record(db, actor, f"referral.{kind}", referral,
                 country_code=actor.country_code if actor else referral.from_country_code,
                 details={"referral": referral.reference, "case": referral.case.reference,
                          "to": referral.to_country_code, **(details or {})})


def timeline_entry(db: Session, actor: Officer, case: Case, line: dict) -> None:
    """A timeline line (``messages.message``) without a second audit row (the referral event
    has one)."""
    # The case row itself is not touched: a referral's move must not turn an officer's
    # open edit of the case into a version conflict. An officer of another agency (the
    # other side, or the coordinator) is named by agency and country, as on the referral.
    own = actor.agency_id == case.agency_id
    db.add(timeline.new_entry(case, "referral", line, actor_id=actor.id if own else None,
                              actor_label=actor.name if own else _side_label(actor),
                              changes=[]))


def _officers(db: Session, referral: Referral, side: str) -> list[Officer]:
    """Who policy says is told of news on ``side`` of the referral."""
    return list(db.scalars(select(Officer).where(policy.referral_recipients(referral, side))
                           .order_by(Officer.id)))


def sender_people(db: Session, referral: Referral) -> list[Officer]:
    people = _officers(db, referral, "sender")
    if referral.created_by is not None:
        people.append(referral.created_by)
    return people


def receiver_people(db: Session, referral: Referral) -> list[Officer]:
    """The routed agency's supervisors and the linked case's team; before routing, the
    country's coordinators."""
    people = _officers(db, referral, "receiver")
    if referral.to_agency_id is not None and referral.linked_case is not None:
        people += [a.officer for a in referral.linked_case.assignments]
    return people


def event_text(event: ReferralEvent) -> str:
    """An event's line in the reader's language (English for events written before)."""
    text = (event.details or {}).get("text")
    return translate(text) if isinstance(text, dict) else event.summary


def event_details(event: ReferralEvent) -> dict:
    """An event's details as the API gives them (without the text kept for translation)."""
    return {k: v for k, v in (event.details or {}).items() if k != "text"}


def tell_each(db: Session, people: list[Officer], kind: str, text: dict,
              url: str | None) -> None:
    """A notice to each of ``people``, in the language each reads."""
    for code, group in by_language(people):
        with force_locale(code):
            notify.notify(db, group, kind, translate(text), url)


def _tell(db: Session, people: list[Officer], referral: Referral, kind: str, what: dict) -> None:
    tell_each(db, people, f"referral.{kind}",
              msg(N_("Referral %(ref)s: %(what)s"), ref=referral.reference, what=what),
              _url(referral))


# --- drafting ------------------------------------------------------------------

def _targets(db: Session, actor: Officer, f: Fields, value: Any) -> list[tuple[str, Agency | None]]:
    """``to``: country codes (its coordinator routes) or ``agency:<id>`` entries."""
    items = value if isinstance(value, list | tuple) else str(value or "").replace(
        ";", ",").split(",")
    items = [str(i).strip() for i in items if str(i).strip()]
    if not items:
        f.error("to", gettext("choose at least one receiving country or agency"))
        return []
    targets: list[tuple[str, Agency | None]] = []
    for item in items[:20]:
        if item.lower().startswith("agency:"):
            try:
                agency = db.get(Agency, whole_number(item.split(":", 1)[1], "to") or 0)
            except Invalid:
                agency = None
            if agency is None or not agency.active:
                f.error("to", gettext("%(item)s is not an active agency", item=repr(item[:30])))
                continue
            code = agency.country_code
        else:
            code, agency = item.upper(), None
            # Only a plausible code reaches SQL (a NUL or a lone surrogate would be a 500).
            country = (db.get(Country, code) if len(code) == 2 and code.isascii()
                       and code.isalpha() else None)
            if country is None or not country.active:
                f.error("to", gettext("%(item)s is not an active member state",
                                      item=repr(item[:30])))
                continue
        if not policy.can_refer_to_country(actor, code):
            f.error("to", gettext("a referral goes to another member state (this case is "
                                  "already in %(country)s)", country=code))
            continue
        if any(c == code and (a is None or agency is None or a.id == agency.id)
               for c, a in targets):
            f.error("to", gettext("%(item)s is named twice", item=repr(item[:30])))
            continue
        targets.append((code, agency))
    return targets


def _request_values(f: Fields) -> dict[str, Any]:
    values = {
        "requested_action": f.choice("requested_action", RequestedAction, required=True),
        "handling_code": f.choice("handling_code", HandlingCode, required=True),
        "message": f.text("message", required=True, max_len=10000),
        "deadline": f.day("deadline", not_future=False, not_before=today()),
        "share_until": f.day("share_until", not_future=False, not_before=today()),
    }
    return values


def create_referrals(db: Session, actor: Officer, case_id: int,
                     data: Mapping[str, Any]) -> list[Referral]:
    """Draft one referral per receiver, each sharing the same chosen items."""
    _lock_cases(db, case_id)
    case = db.get(Case, case_id)
    if case is None or not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    if not policy.can_refer_case(actor, case):
        raise Forbidden(gettext("Only the case's investigators and supervisor refer it."))
    raw_to = data.getlist("to") if hasattr(data, "getlist") else data.get("to")
    referrals = draft_referrals(db, actor, case, data, raw_to)
    if data.get("submit") in (True, "1", "true", "on", "yes"):
        for referral in referrals:
            submit(db, actor, referral.id)
    return referrals


def draft_referrals(db: Session, actor: Officer, case: Case, data: Mapping[str, Any],
                    raw_to: Any) -> list[Referral]:
    """The drafting itself, for a caller that has asked policy (``create_referrals``, or a
    referral request answered by the holder's coordinator)."""
    f = Fields(data)
    targets = _targets(db, actor, f, raw_to)
    values = _request_values(f)
    choice = None
    try:
        choice = sharing.parse_choice(db, case, data)
    except Invalid as exc:
        f.errors.extend(exc.errors)
    f.done()
    referrals = []
    for code, agency in targets:
        referral = Referral(case_id=case.id, from_agency_id=case.agency_id,
                            from_country_code=case.country_code, to_country_code=code,
                            to_agency_id=agency.id if agency else None,
                            created_by_id=actor.id, **values)
        db.add(referral)
        db.flush()
        referral.reference = f"RF-{case.country_code}-{referral.created_at.year}-{referral.id:06d}"
        sharing.apply(referral, choice, actor.id)
        receiver = f"{agency.name}, {code}" if agency else code
        _event(db, actor, referral, "drafted",
               msg(N_("Drafted to %(receiver)s: %(action)s"), receiver=receiver,
                   action=msg(values["requested_action"].label)),
               {"shares": len(referral.shares)})
        referrals.append(referral)
    return referrals


def update_draft(db: Session, actor: Officer, referral_id: int,
                 data: Mapping[str, Any]) -> Referral:
    referral = _lock(db, actor, referral_id)
    if not policy.can_edit_referral(actor, referral):
        raise Forbidden(gettext("Only a draft is edited, by the case's investigators and "
                                "supervisor."))
    _check_version(referral, data.get("version"))
    # What is not sent keeps its value (a partial edit: the API's PATCH).
    current = {"requested_action": referral.requested_action.value,
               "handling_code": referral.handling_code.value, "message": referral.message,
               "deadline": referral.deadline, "share_until": referral.share_until}
    f = Fields({**current, **data})
    values = _request_values(f)
    f.done()
    changes = timeline.diff(referral, values)
    if changes:
        _flush(db, referral)
        _event(db, actor, referral, "edited",
               msg(N_("Edited %(fields)s"), fields=", ".join(c["field"] for c in changes)))
    return referral


def add_shares(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any]) -> int:
    """The sender shares more (never less: withdrawing is how sharing stops)."""
    referral = _lock(db, actor, referral_id)
    if not policy.can_add_shares(actor, referral):
        raise Forbidden(gettext("Shared items can be added by the case's investigators and "
                                "supervisor until the referral is declined or withdrawn."))
    choice = sharing.parse_choice(db, referral.case, data)
    if not choice:
        raise Invalid("shares", gettext("choose at least one field or item to share"))
    added = sharing.apply(referral, choice, actor.id)
    if added:
        _flush(db, referral)
        _event(db, actor, referral, "shared",
               msg(N_("Shared %(num)s more item(s)"), num=len(added)),
               {"added": [f"{s.kind.value}:{s.key}" for s in added]})
        if referral.status == RS.INFO_REQUESTED:
            _back_from_info(referral)
        if referral.status not in policy.UNSENT:
            # Sending records the share of what it carries; what is added later is
            # shared now, so its custody says so in the same transaction.
            _custody_shares(db, actor, referral,
                            [s.key for s in added if s.kind == ShareKind.EVIDENCE])
            _tell(db, receiver_people(db, referral), referral, "shared",
                  msg(N_("more items were shared")))
    return len(added)


def submit(db: Session, actor: Officer, referral_id: int) -> Referral:
    referral = _lock(db, actor, referral_id)
    if not policy.can_submit_referral(actor, referral):
        raise Forbidden(gettext("Only a draft is submitted, by the case's investigators and "
                                "supervisor."))
    return submit_draft(db, actor, referral)


def submit_draft(db: Session, actor: Officer, referral: Referral) -> Referral:
    """To the supervisor's approval, or sent at once (the caller asked policy)."""
    if policy.needs_approval(actor, referral):
        referral.status = RS.PENDING_APPROVAL
        _flush(db, referral)
        _event(db, actor, referral, "submitted",
               msg(N_("Submitted for the supervisor's approval")))
        _tell(db, _officers(db, referral, "sender"), referral, "approval",
              msg(N_("waits for your approval")))
        return referral
    return _send(db, actor, referral)


def approve(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any]) -> Referral:
    referral = _lock(db, actor, referral_id)
    if not policy.can_approve_referral(actor, referral):
        raise Forbidden(gettext("Only the sending agency's supervisor approves a referral "
                                "that waits for approval."))
    _check_version(referral, data.get("version"))
    referral.approved_by_id = actor.id
    sent = _send(db, actor, referral)
    if referral.created_by is not None and referral.created_by_id != actor.id:
        _tell(db, [referral.created_by], referral, "approved",
              msg(N_("approved and sent")))
    return sent


def send_back(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any]) -> Referral:
    """The supervisor returns a referral to draft, with the reason."""
    referral = _lock(db, actor, referral_id)
    if not policy.can_approve_referral(actor, referral):
        raise Forbidden(gettext("Only the sending agency's supervisor approves or returns a "
                                "referral."))
    f = Fields(data)
    reason = f.text("reason", required=True, max_len=2000)
    f.done()
    referral.status = RS.DRAFT
    _flush(db, referral)
    _event(db, actor, referral, "returned",
           msg(N_("Returned to draft: %(reason)s"), reason=reason))
    if referral.created_by is not None:
        _tell(db, [referral.created_by], referral, "returned",
              msg(N_("returned to draft")))
    return referral


def _send(db: Session, actor: Officer, referral: Referral) -> Referral:
    referral.status = RS.ROUTED if referral.to_agency_id else RS.SENT
    referral.sent_at = utcnow()
    if referral.to_agency_id:
        referral.routed_at = referral.sent_at
    _flush(db, referral)
    to = (f"{referral.to_agency.name}, {referral.to_country_code}" if referral.to_agency
          else referral.to_country_code)
    _event(db, actor, referral, "sent", msg(N_("Sent to %(to)s"), to=to))
    _custody_shares(db, actor, referral, referral.shared_keys(ShareKind.EVIDENCE))
    people = receiver_people(db, referral)
    if referral.to_agency_id:
        people += _officers(db, referral, "router")
    _tell(db, people, referral, "received",
          msg(N_("received from %(country)s"), country=referral.from_country_code))
    _tell_askers(db, referral)
    return referral


def _tell_askers(db: Session, referral: Referral) -> None:
    """Whoever asked for this case (a referral request it answers) learns that it is sent:
    until now the asker knew nothing beyond the hit."""
    for request in db.scalars(select(ReferralRequest).where(
            ReferralRequest.referral_id == referral.id)):
        people = list(db.scalars(select(Officer).where(
            policy.request_recipients(request, "asker")).order_by(Officer.id)))
        if request.created_by is not None:
            people.append(request.created_by)
        _tell(db, people, referral, "request_answered",
              msg(N_("sent to your agency in answer to your request %(ref)s"),
                  ref=request.reference))


def _custody_shares(db: Session, actor: Officer, referral: Referral, keys) -> None:
    """A "share" custody event for each evidence item (by share key) the referral gives."""
    ids = sorted(int(k) for k in keys)
    if ids:
        for ev in db.scalars(select(Evidence).where(Evidence.id.in_(ids))
                             .order_by(Evidence.id)):
            _custody_share(db, actor, ev, referral)


def _custody_share(db: Session, actor: Officer, evidence: Evidence, referral: Referral) -> None:
    record_custody(db, evidence, actor, CustodyAction.SHARE,
                   details={"referral": referral.reference, "to": referral.to_country_code,
                            "agency": referral.to_agency.name if referral.to_agency else None})


# --- the receiving side ----------------------------------------------------------

def route(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any]) -> Referral:
    referral = _lock(db, actor, referral_id)
    if not policy.can_route_referral(actor, referral):
        raise Forbidden(gettext("Only the receiving country's coordinator routes a referral "
                                "that is not yet answered."))
    _check_version(referral, data.get("version"))
    f = Fields(data)
    agency_id = f.text("agency_id", max_len=12)
    f.done()
    if not agency_id:
        raise Invalid("agency_id", gettext("choose the agency to route the referral to"))
    try:
        agency = db.get(Agency, whole_number(agency_id, "agency_id") or 0)
    except Invalid:
        agency = None
    if agency is None or not policy.can_route_to(referral, agency):
        raise Invalid("agency_id", gettext("choose an active agency of %(country)s",
                                           country=referral.to_country_code))
    if agency.id == referral.to_agency_id:
        return referral
    referral.to_agency_id = agency.id
    referral.to_agency = agency
    referral.status = RS.ROUTED
    referral.routed_at = utcnow()
    _flush(db, referral)
    _event(db, actor, referral, "routed", msg(N_("Routed to %(agency)s"), agency=agency.name))
    _tell(db, receiver_people(db, referral), referral, "routed",
          msg(N_("routed to your agency")))
    return referral


def _first_answer(referral: Referral) -> None:
    if referral.first_response_at is None:
        referral.first_response_at = utcnow()


def accept(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any]) -> Referral:
    """Accept and open the linked case in the actor's agency; optionally copy the shared
    seizure items, listings and parties into it (their origin is kept)."""
    referral = _lock(db, actor, referral_id)
    if not policy.can_accept_referral(actor, referral):
        raise Forbidden(gettext("Only the supervisor of the agency the referral is routed to "
                                "accepts it, while it waits for an answer."))
    _check_version(referral, data.get("version"))
    view = sharing.shared_view(db, referral)
    case = linked.open_linked_case(db, actor, referral, view)
    referral.linked_case_id = case.id
    referral.linked_case = case
    referral.status = RS.ACCEPTED
    referral.decided_at = utcnow()
    _first_answer(referral)
    _flush(db, referral)
    copied = 0
    if data.get("copy") in (True, "1", "true", "on", "yes"):
        copied = linked.copy_items(db, actor, referral, view, case)
    _event(db, actor, referral, "accepted",
           msg(N_("Accepted; %(agency)s opened case %(case)s"), agency=actor.agency.name,
               case=case.reference),
           {"linked_case": case.reference, "copied": copied})
    _tell(db, sender_people(db, referral), referral, "accepted",
          msg(N_("accepted by %(agency)s (%(country)s)"), agency=actor.agency.name,
              country=actor.country_code))
    return referral


def decline(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any]) -> Referral:
    referral = _lock(db, actor, referral_id)
    if not policy.can_answer_referral(actor, referral):
        raise Forbidden(gettext("Only the receiving coordinator or agency supervisor answers "
                                "a referral that waits for an answer."))
    _check_version(referral, data.get("version"))
    f = Fields(data)
    reason = f.text("reason", required=True, max_len=2000)
    f.done()
    referral.status = RS.DECLINED
    referral.decision_reason = reason
    referral.decided_at = utcnow()
    _first_answer(referral)
    _flush(db, referral)
    _event(db, actor, referral, "declined", msg(N_("Declined: %(reason)s"), reason=reason))
    _tell(db, sender_people(db, referral), referral, "declined",
          msg(N_("declined by %(agency)s (%(country)s)"), agency=actor.agency.name,
              country=actor.country_code))
    return referral


def request_info(db: Session, actor: Officer, referral_id: int,
                 data: Mapping[str, Any]) -> Referral:
    referral = _lock(db, actor, referral_id)
    if not policy.can_answer_referral(actor, referral):
        raise Forbidden(gettext("Only the receiving coordinator or agency supervisor asks for "
                                "more information on a referral that waits for an answer."))
    _check_version(referral, data.get("version"))
    f = Fields(data)
    question = f.text("message", required=True, max_len=10000)
    f.done()
    referral.status = RS.INFO_REQUESTED
    _first_answer(referral)
    _flush(db, referral)
    db.add(ReferralMessage(referral_id=referral.id, author_id=actor.id,
                           author_label=actor.name, side="receiver", body=question))
    _event(db, actor, referral, "info_requested", msg(N_("Asked for more information")))
    _tell(db, sender_people(db, referral), referral, "info_requested",
          msg(N_("more information was requested")))
    return referral


def _back_from_info(referral: Referral) -> None:
    referral.status = RS.ROUTED if referral.to_agency_id else RS.SENT


def withdraw(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any]) -> Referral:
    """Stop sharing at once; what the receiver copied into its own case stays there."""
    referral = _lock(db, actor, referral_id)
    if not policy.can_withdraw_referral(actor, referral):
        raise Forbidden(gettext("Only its drafter or the sending agency's supervisor withdraws "
                                "a referral, until it is declined or withdrawn."))
    _check_version(referral, data.get("version"))
    f = Fields(data)
    reason = f.text("reason", required=True, max_len=2000)
    f.done()
    was_sent = referral.status not in policy.UNSENT
    referral.status = RS.WITHDRAWN
    referral.withdrawn_at = utcnow()
    _flush(db, referral)
    _event(db, actor, referral, "withdrawn", msg(N_("Withdrawn: %(reason)s"), reason=reason))
    if was_sent:
        _tell(db, receiver_people(db, referral), referral, "withdrawn",
              msg(N_("withdrawn by the sender")))
    elif referral.sent_at is None:
        _reopen_requests(db, actor, referral)
    return referral


def _reopen_requests(db: Session, actor: Officer, referral: Referral) -> None:
    """A referral withdrawn before it left answered nothing: the requests it was to answer
    wait for an answer again (the asker never saw it)."""
    for request in db.scalars(select(ReferralRequest).where(
            ReferralRequest.referral_id == referral.id)):
        request.status, request.referral_id, request.referral = RequestStatus.OPEN, None, None
        request.answered_at = request.answered_by_id = None
        audit.record(db, actor, "referral_request.reopened", request,
                     country_code=request.holder_country_code,
                     details={"request": request.reference, "referral": referral.reference})
        _tell(db, list(db.scalars(select(Officer).where(
            policy.request_recipients(request, "holder")).order_by(Officer.id))), referral,
            "request_reopened",
            msg(N_("withdrawn before it was sent: request %(ref)s waits for an answer "
                   "again"), ref=request.reference))


def consent_court_use(db: Session, actor: Officer, referral_id: int) -> Referral:
    referral = _lock(db, actor, referral_id)
    if not policy.can_consent_court_use(actor, referral):
        raise Forbidden(gettext("Only the sending agency's supervisor consents to court use, "
                                "for an accepted referral under that handling code."))
    referral.court_consent_at = utcnow()
    _flush(db, referral)
    _event(db, actor, referral, "court_consent", msg(N_("Consented to use in court")))
    _tell(db, receiver_people(db, referral), referral, "court_consent",
          msg(N_("the sender consented to use in court")))
    return referral


# --- the thread ----------------------------------------------------------------------

def post_message(db: Session, actor: Officer, referral_id: int, data: Mapping[str, Any],
                 attachment: Evidence | None = None) -> ReferralMessage:
    """A message (and optionally an evidence item already taken in) on the thread."""
    referral = _lock(db, actor, referral_id)
    if not policy.can_message_referral(actor, referral):
        raise Forbidden(gettext("You may not write on this referral's thread."))
    f = Fields(data)
    body = f.text("body", required=attachment is None, max_len=10000) or ""
    f.done()
    side = "sender" if policy.is_sender(actor, referral) else "receiver"
    message = ReferralMessage(referral_id=referral.id, author_id=actor.id,
                              author_label=actor.name, side=side, body=body,
                              evidence_id=attachment.id if attachment else None)
    db.add(message)
    if side == "sender" and referral.status == RS.INFO_REQUESTED:
        _back_from_info(referral)
    _flush(db, referral)
    _event(db, actor, referral, "message",
           msg(N_("Wrote a message with an attachment")) if attachment
           else msg(N_("Wrote a message")))
    if attachment is not None:
        _custody_share(db, actor, attachment, referral)
    people = receiver_people(db, referral) if side == "sender" else sender_people(db, referral)
    _tell(db, people, referral, "message", msg(N_("new message")))
    return message


def attachment_case(db: Session, actor: Officer, referral_id: int) -> Case:
    """Where an attachment of the actor's side is kept: the sender's case, or the
    receiver's linked case (a receiver attaches once it has accepted)."""
    referral = get_referral(db, actor, referral_id)
    if not policy.can_message_referral(actor, referral):
        raise Forbidden(gettext("You may not write on this referral's thread."))
    case = referral.case if policy.is_sender(actor, referral) else referral.linked_case
    if case is None:
        raise Invalid("file", gettext("attachments from the receiving side are kept in its "
                                      "linked case: accept the referral first, or write "
                                      "without a file"))
    if not policy.can_add_evidence(actor, case):
        raise Forbidden(gettext("You may not add evidence to this case."))
    return case


# --- deadlines ---------------------------------------------------------------------

REMIND_DAYS = (3, 1)


def remind_due(db: Session, on: date | None = None) -> int:
    """Remind the receiving side 3 days and 1 day before the deadline, once each."""
    on = on or today()
    sent = 0
    # Rows a move holds right now are skipped (reminded at the next run), never fought for.
    rows = db.scalars(select(Referral).where(Referral.status.in_(list(AWAITING_STATES)),
                                             Referral.deadline.is_not(None),
                                             Referral.deadline >= on)
                      .with_for_update(skip_locked=True, of=Referral))
    for referral in rows:
        days = (referral.deadline - on).days
        due = [d for d in REMIND_DAYS if days <= d]
        if not due:
            continue
        step = min(due)
        if referral.reminded_days is not None and referral.reminded_days <= step:
            continue
        referral.reminded_days = step
        _tell(db, receiver_people(db, referral), referral, "reminder",
              msg(N_("the answer is due on %(date)s"), date=referral.deadline.isoformat()))
        text = msg(N_("Reminder: answer due on %(date)s"), date=referral.deadline.isoformat())
        db.add(ReferralEvent(referral_id=referral.id, actor_label="ANICE", kind="reminder",
                             summary=english(text), details={"text": text}))
        sent += 1
    if sent:
        audit.record(db, None, "referral.reminders", details={"referrals": sent})
    return sent


def counts(db: Session, actor: Officer) -> dict[str, int]:
    """Inbox items waiting for the actor's side, and overdue ones."""
    base = select(func.count(Referral.id)).where(policy.visible_referrals(actor),
                                                 policy.inbox_filter(actor))
    waiting = db.scalar(base.where(Referral.status.in_(list(AWAITING_STATES)))) or 0
    overdue = db.scalar(base.where(Referral.status.in_(list(AWAITING_STATES)),
                                   Referral.deadline < today())) or 0
    approval = db.scalar(select(func.count(Referral.id)).where(
        policy.visible_referrals(actor), policy.referrals_to_approve(actor))) or 0
    return {"waiting": waiting, "overdue": overdue, "approval": approval}
