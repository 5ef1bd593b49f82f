"""Verification requests. The officer's side sends one from a case's confirmed match to an
organisation standing linked to the matched right, sharing chosen items (seizures and
listings as snapshots, evidence read through the holder's own session) and withdraws it
while it waits. The holder's side sees only what was sent, downloads the shared evidence
(each read a custody event) and answers once, attachments sealed into the case's evidence.
An answer and a withdrawal racing end in one state (the row's version counter)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context, has_request_context, url_for
from flask_babel import force_locale, gettext
from sqlalchemy import case as sql_case
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..cases import timeline
from ..cases.service import get_case
from ..errors import Conflict, Forbidden, Invalid, NotFound, flush_or_conflict
from ..evidence import service as evidence_service
from ..models import (
    Case,
    CaseMatch,
    Country,
    Evidence,
    EvidenceStatus,
    HandlingCode,
    HolderIntent,
    HolderOrg,
    HolderRight,
    Listing,
    MatchDecision,
    Officer,
    SeizureItem,
    Verdict,
    VerificationItem,
    VerificationRequest,
    VerificationStatus,
    utcnow,
)
from ..notifications import notify
from ..text.locales import N_
from ..text.messages import by_language, message, number, translate
from ..validation import Fields
from . import calendar

SENT = VerificationStatus.SENT
# The case's timeline entries (shown in each reader's language).
SENT_TEXT = N_("Verification request sent to %(holder)s about %(right)s (items: %(items)s), "
               "answer due %(date)s")
WITHDRAWN_TEXT = N_("Verification request to %(holder)s about %(right)s withdrawn: %(reason)s")
ANSWERED_TEXT = N_("%(holder)s answered the verification request about %(right)s: "
                   "%(verdict)s (examiner %(examiner)s; intends: %(intent)s). %(statement)s")
CHANGED = N_("The request changed meanwhile (answered or withdrawn on the other side): "
             "reload it to see its state.")


def today_in(db: Session, country_code: str) -> date:
    """Today in the country's time zone: deadlines are days of that country."""
    country = db.get(Country, country_code)
    try:
        zone = ZoneInfo(country.timezone if country else "UTC")
    except (KeyError, ValueError):
        zone = ZoneInfo("UTC")
    return datetime.now(zone).date()


def is_overdue(vr: VerificationRequest, today: date) -> bool:
    return vr.status == SENT and vr.deadline < today


def default_working_days() -> int:
    return int(current_app.config.get("VERIFICATION_WORKING_DAYS", 10)) if has_app_context() \
        else 10


def _holder_url(vr: VerificationRequest) -> str:
    if has_request_context():
        return url_for("holder_requests.show", public_id=vr.public_id)
    return f"/holder/requests/{vr.public_id}"


def _officer_url(vr: VerificationRequest) -> str:
    if has_request_context():
        return url_for("verifications.show", public_id=vr.public_id)
    return f"/verifications/{vr.public_id}"


def _label(vr: VerificationRequest) -> str:
    return f"{vr.right.office} {vr.right.number}"


def _tell(db: Session, people, kind: str, text: dict, url: str, vr: VerificationRequest) -> None:
    """A notice to each person in the language they read (``text``: messages.message)."""
    for code, group in by_language(people):
        with force_locale(code):
            notify(db, group, f"verification.{kind}", translate(text), url,
                   group=f"verification:{vr.id}")


def tell_officers(db: Session, vr: VerificationRequest, kind: str, what: dict) -> None:
    """``what``: a ``messages.message``, read in each officer's language."""
    people = db.scalars(select(Officer).where(policy.verification_officers(vr)))
    _tell(db, people, kind, message(N_("Verification request on %(case)s (%(right)s): "
                                       "%(what)s"), case=vr.case.reference,
                                    right=_label(vr), what=what), _officer_url(vr), vr)


def tell_holders(db: Session, vr: VerificationRequest, kind: str, what: dict) -> None:
    """``what``: a ``messages.message``, read in each holder's language."""
    people = db.scalars(select(Officer).where(policy.verification_holders(vr.org_id)))
    _tell(db, people, kind, message(N_("Verification request about %(right)s from "
                                       "%(country)s: %(what)s"), right=_label(vr),
                                    country=vr.country_code, what=what), _holder_url(vr), vr)


# --- the officer's side ----------------------------------------------------------------

@dataclass
class SendChoices:
    """What the send form offers: the case's items and evidence, the linked holders."""

    case: Case
    match: CaseMatch
    links: list[HolderRight]
    seizures: list[SeizureItem]
    listings: list[Listing]
    evidence: list[Evidence]
    working_days: int


def _confirmed_match(db: Session, case: Case, match_id: int) -> CaseMatch:
    match = db.get(CaseMatch, match_id)
    if match is None or match.case_id != case.id:
        raise NotFound(gettext("No such match."))
    if match.decision != MatchDecision.CONFIRMED:
        raise Invalid("match", gettext("only a confirmed match can be sent to its right holder"))
    return match


def _links(db: Session, right_id: int) -> list[HolderRight]:
    return list(db.scalars(select(HolderRight).where(HolderRight.right_id == right_id,
                                                     HolderRight.revoked_at.is_(None))
                           .order_by(HolderRight.id)))


def send_choices(db: Session, actor: Officer, case_id: int, match_id: int) -> SendChoices:
    case = get_case(db, actor, case_id)
    if not policy.can_request_verification(actor, case):
        raise Forbidden(gettext("You may not send verification requests from this case."))
    match = _confirmed_match(db, case, match_id)
    links = [link for link in _links(db, match.right_id) if link.org.active]
    return SendChoices(
        case=case, match=match, links=links,
        seizures=list(db.scalars(select(SeizureItem).where(SeizureItem.case_id == case.id)
                                 .order_by(SeizureItem.id))),
        listings=list(db.scalars(select(Listing).where(Listing.case_id == case.id)
                                 .order_by(Listing.id))),
        evidence=list(db.scalars(select(Evidence).where(
            Evidence.case_id == case.id, Evidence.status != EvidenceStatus.SHREDDED)
            .order_by(Evidence.id))),
        working_days=default_working_days())


def _seizure_snapshot(item: SeizureItem) -> dict:
    # Never the storage place, value, container or anything naming people.
    return {"description": item.description, "brand": item.brand,
            "category": item.category.value, "quantity": str(item.quantity.normalize()),
            "unit": item.unit.value}


def _listing_snapshot(item: Listing) -> dict:
    # Never the seller's name, id or phone.
    return {"platform": item.platform.value, "title": item.title or "",
            "price": None if item.price is None else f"{item.price:.2f}",
            "currency": item.currency, "url": item.url}


def _evidence_snapshot(item: Evidence) -> dict:
    return {"name": item.original_name, "media_type": item.media_type, "size": item.size,
            "sha256": item.sha256}


def _ids(values, field: str) -> list[int]:
    try:
        return sorted({int(v) for v in values or ()})
    except (TypeError, ValueError):
        raise Invalid(field, gettext("must be item ids")) from None


def _pick(db: Session, model, ids: list[int], case: Case, field: str) -> list:
    rows = list(db.scalars(select(model).where(model.id.in_(ids), model.case_id == case.id)))
    if len(rows) != len(ids):
        raise Invalid(field, gettext("names an item that is not of this case"))
    return rows


def _text(value, field: str, limit: int) -> str:
    f = Fields({field: value})
    text = f.text(field, required=True, max_len=limit)
    f.done()
    return text


def _detention(value, today: date) -> date:
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise Invalid("detention_date", gettext("is not a date (YYYY-MM-DD)")) from None
    if not isinstance(value, date):
        raise Invalid("detention_date", gettext("is required"))
    if value > today:
        raise Invalid("detention_date", gettext("is in the future"))
    return value


def _working_days(value) -> int:
    try:
        days = int(value)
    except (TypeError, ValueError):
        raise Invalid("working_days", gettext("must be a whole number")) from None
    if not 1 <= days <= calendar.MAX_WORKING_DAYS:
        raise Invalid("working_days", gettext("must be between 1 and %(max)s",
                                              max=calendar.MAX_WORKING_DAYS))
    return days


def preview_deadline(db: Session, case: Case, detention_date, working_days) -> date:
    """The deadline the form shows before sending (same rule as ``send``)."""
    return calendar.deadline(db, case.country_code,
                             _detention(detention_date, today_in(db, case.country_code)),
                             _working_days(working_days))


def send(db: Session, actor: Officer, case_id: int, match_id: int, *, org_id: int | None,
         seizure_ids=(), listing_ids=(), evidence_ids=(), question: str,
         detention_date, working_days, handling_code: str) -> VerificationRequest:
    """Send a verification request to a holder organisation linked to the match's right."""
    choices = send_choices(db, actor, case_id, match_id)
    case, match = choices.case, choices.match
    links = {link.org_id: link for link in choices.links}
    if not links:
        raise Invalid("org", gettext("no right holder is linked to this right"))
    if org_id is None and len(links) == 1:
        org_id = next(iter(links))
    try:
        link = links[int(org_id)]
    except (KeyError, TypeError, ValueError):
        raise Invalid("org", gettext("choose a right holder linked to this right")) from None
    seizures = _pick(db, SeizureItem, _ids(seizure_ids, "seizures"), case, "seizures")
    listings = _pick(db, Listing, _ids(listing_ids, "listings"), case, "listings")
    evidence = _pick(db, Evidence, _ids(evidence_ids, "evidence"), case, "evidence")
    if any(e.status == EvidenceStatus.SHREDDED for e in evidence):
        raise Invalid("evidence", gettext("a shredded item cannot be shared"))
    if not (seizures or listings or evidence):
        raise Invalid("items", gettext("choose at least one seizure item, listing or evidence "
                                        "item"))
    question = _text(question, "question", 5000)
    detention = _detention(detention_date, today_in(db, case.country_code))
    days = _working_days(working_days)
    try:
        code = HandlingCode(handling_code)
    except ValueError:
        raise Invalid("handling_code", gettext("choose a handling code")) from None
    vr = VerificationRequest(
        public_id=secrets.token_hex(16), case_id=case.id, match_id=match.id,
        right_id=match.right_id, org_id=link.org_id, country_code=case.country_code,
        agency_id=case.agency_id, sent_by_id=actor.id, question=question,
        detention_date=detention, working_days=days,
        deadline=calendar.deadline(db, case.country_code, detention, days),
        handling_code=code, status=SENT)
    vr.items = ([VerificationItem(kind="seizure", seizure_id=s.id, snapshot=_seizure_snapshot(s))
                 for s in seizures]
                + [VerificationItem(kind="listing", listing_id=x.id, snapshot=_listing_snapshot(x))
                   for x in listings]
                + [VerificationItem(kind="evidence", evidence_id=e.id,
                                    snapshot=_evidence_snapshot(e)) for e in evidence])
    db.add(vr)
    db.flush()
    audit.record(db, actor, "verification.send", vr, country_code=case.country_code,
                 details={"request": vr.public_id, "org": link.org_id, "right": vr.right_id,
                          "seizures": [s.id for s in seizures],
                          "listings": [x.id for x in listings],
                          "evidence": [e.public_id for e in evidence],
                          "deadline": vr.deadline.isoformat(), "handling": code.value})
    timeline.record(db, actor, case, "verification_sent",
                    message(SENT_TEXT, holder=link.org.name, right=_label(vr),
                            items=number(len(vr.items)), date=vr.deadline.isoformat()), obj=vr)
    tell_holders(db, vr, "received",
                 message(N_("answer due %(date)s"), date=vr.deadline.isoformat()))
    return vr


def requests_of_case(db: Session, actor: Officer, case: Case) -> list[VerificationRequest]:
    """The case's requests, newest first (the case page's list)."""
    if not policy.can_view_case(actor, case):
        return []
    return list(db.scalars(select(VerificationRequest).where(
        policy.verifications_of_case(actor, case))
        .order_by(VerificationRequest.sent_at.desc(), VerificationRequest.id.desc())))


def get_for_officer(db: Session, actor: Officer, public_id: str) -> VerificationRequest:
    vr = db.scalar(select(VerificationRequest).where(
        VerificationRequest.public_id == str(public_id)[:32]))
    if vr is None or policy.is_holder(actor) or not policy.can_view_verification(actor, vr):
        raise NotFound(gettext("No such verification request."))
    return vr


def withdraw(db: Session, actor: Officer, public_id: str, reason: str,
             version: int | None = None) -> VerificationRequest:
    """Withdraw a waiting request: the holder reads nothing more of it."""
    vr = get_for_officer(db, actor, public_id)
    if vr.status != SENT or (version is not None and int(version) != vr.version):
        raise Conflict(gettext(CHANGED))
    if not policy.can_withdraw_verification(actor, vr):
        raise Forbidden(gettext("You may not withdraw this request."))
    reason = _text(reason, "reason", 2000)
    vr.status, vr.withdrawn_at, vr.withdrawn_by_id = VerificationStatus.WITHDRAWN, utcnow(), \
        actor.id
    vr.withdraw_reason = reason
    flush_or_conflict(db, gettext(CHANGED))
    audit.record(db, actor, "verification.withdraw", vr, country_code=vr.country_code,
                 details={"request": vr.public_id, "reason": reason})
    timeline.record(db, actor, vr.case, "verification_withdrawn",
                    message(WITHDRAWN_TEXT, holder=vr.org.name, right=_label(vr), reason=reason),
                    obj=vr)
    tell_holders(db, vr, "withdrawn", message(N_("withdrawn by the officer")))
    return vr


# --- the holder's side -------------------------------------------------------------------

def _linked(db: Session, vr: VerificationRequest) -> bool:
    return bool(db.scalar(select(exists().where(policy.active_links(vr.org_id),
                                                HolderRight.right_id == vr.right_id))))


def holder_requests(db: Session, actor: Officer) -> list[VerificationRequest]:
    """The requests sent to the holder's organisation about rights it still holds:
    waiting ones first (earliest deadline first), then the others, newest first."""
    if not policy.is_holder(actor):
        raise NotFound(gettext("No such page."))
    waiting = sql_case((VerificationRequest.status == SENT, 0), else_=1)
    rows = db.scalars(select(VerificationRequest).where(policy.visible_verifications(actor))
                      .order_by(waiting, sql_case((VerificationRequest.status == SENT,
                                                   VerificationRequest.deadline)),
                                VerificationRequest.sent_at.desc()))
    return list(rows)


def get_for_holder(db: Session, actor: Officer, public_id: str) -> VerificationRequest:
    """A request sent to the holder's organisation while its link to the right stands."""
    vr = db.scalar(select(VerificationRequest).where(
        VerificationRequest.public_id == str(public_id)[:32]))
    if (vr is None or not policy.is_holder(actor)
            or not policy.can_view_verification(actor, vr, _linked(db, vr))):
        raise NotFound(gettext("No such verification request."))
    return vr


def shared_items(vr: VerificationRequest, kinds=("seizure", "listing", "evidence")):
    return [item for item in vr.items if item.kind in kinds]


def read_item(db: Session, actor: Officer, public_id: str, item_id: int):
    """The holder downloads a shared evidence item: (evidence, stream); a custody event of
    the case's item names the holder and the request (the caller commits, then streams)."""
    vr = get_for_holder(db, actor, public_id)
    if not policy.can_read_verification_items(actor, vr, True):
        raise NotFound(gettext("No such item."))
    item = next((i for i in vr.items if i.id == item_id and i.kind == "evidence"), None)
    if item is None:
        raise NotFound(gettext("No such item."))
    evidence = db.get(Evidence, item.evidence_id)
    if evidence is None:
        raise NotFound(gettext("No such item."))
    stream = evidence_service.read_for_holder(
        db, actor, evidence, {"verification": vr.public_id, "holder": vr.org.name})
    audit.record(db, actor, "verification.download", vr, country_code=vr.country_code,
                 details={"request": vr.public_id, "evidence": evidence.public_id})
    return evidence, stream


def answer(db: Session, actor: Officer, public_id: str, *, verdict: str, statement: str,
           examiner: str, intent: str, attachments=(), version: int | None = None,
           ) -> VerificationRequest:
    """The holder answers once. ``attachments``: (intake, file name) pairs, sealed into
    the case's evidence; on any refusal they are discarded by the caller."""
    vr = get_for_holder(db, actor, public_id)
    if vr.status != SENT or (version is not None and int(version) != vr.version):
        raise Conflict(gettext(CHANGED))
    if not policy.can_answer_verification(actor, vr, True):
        raise NotFound(gettext("No such verification request."))
    f = Fields({"verdict": verdict, "statement": statement, "examiner": examiner,
                "intent": intent})
    fields = {"verdict": f.choice("verdict", Verdict, required=True),
              "statement": f.text("statement", required=True, max_len=10000),
              "examiner": f.text("examiner", required=True, max_len=200),
              "intent": f.choice("intent", HolderIntent, required=True)}
    f.done()  # every problem at once, each naming its field
    vr.status, vr.answered_at, vr.answered_by_id = VerificationStatus.ANSWERED, utcnow(), \
        actor.id
    vr.verdict, vr.statement = fields["verdict"], fields["statement"]
    vr.examiner, vr.intent = fields["examiner"], fields["intent"]
    # The version check first: a withdrawal that won leaves nothing of this answer.
    flush_or_conflict(db, gettext(CHANGED))
    for intake, name in attachments:
        evidence = evidence_service.register_holder_attachment(
            db, actor, vr.case, intake, name,
            {"verification": vr.public_id, "holder": vr.org.name})
        vr.items.append(VerificationItem(kind="answer", evidence_id=evidence.id,
                                         snapshot=_evidence_snapshot(evidence)))
    db.flush()
    audit.record(db, actor, "verification.answer", vr, country_code=vr.country_code,
                 details={"request": vr.public_id, "verdict": vr.verdict.value,
                          "intent": vr.intent.value,
                          "attachments": len(shared_items(vr, ("answer",)))})
    timeline.record(db, actor, vr.case, "verification_answered",
                    message(ANSWERED_TEXT, holder=vr.org.name, right=_label(vr),
                            verdict=message(vr.verdict.label), examiner=vr.examiner,
                            intent=message(vr.intent.label),
                            statement=(vr.statement or "")[:1500]), obj=vr)
    tell_officers(db, vr, "answered", message(vr.verdict.label))
    return vr


def linked_right_ids(db: Session, case: Case) -> set[int]:
    """Rights confirmed in ``case`` with an active holder organisation standing linked."""
    confirmed = select(CaseMatch.right_id).where(CaseMatch.case_id == case.id,
                                                 CaseMatch.decision == MatchDecision.CONFIRMED)
    return set(db.scalars(select(HolderRight.right_id).join(HolderRight.org).where(
        HolderRight.right_id.in_(confirmed), HolderRight.revoked_at.is_(None),
        HolderOrg.active.is_(True))))
