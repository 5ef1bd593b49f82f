"""The case workflow: draft -> open -> under investigation -> prosecution -> in court -> closed.

``policy.TRANSITIONS`` says who may make each move; this module checks what each move
needs and records it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext
from sqlalchemy.orm import Session

from .. import policy
from ..errors import Forbidden, Invalid
from ..events import CaseDiscarded, CaseSaved, announce
from ..models import Case, CaseKind, CaseStatus, Officer, Outcome, PartyRole
from ..notifications import stored
from ..text.labels import in_sentence, label, lower_first
from ..text.locales import N_
from ..text.messages import fields, message
from ..text.messages import word as as_word
from ..validation import Fields
from . import timeline
from .service import check_version, flush_or_conflict, get_case

# What each move may record on the way (everything else goes through record_prosecution).
MOVE_FIELDS = {
    CaseStatus.PROSECUTION: ("charges",),
    CaseStatus.IN_COURT: ("court_name", "court_reference", "court_date"),
    CaseStatus.CLOSED: ("outcome", "outcome_notes"),
}
# Outcomes a court decides: they cannot come before the court date (a fine may be an
# administrative compound and a settlement may end a case before its hearing).
COURT_OUTCOMES = (Outcome.CONVICTED, Outcome.ACQUITTED)
# Timeline entries (message and values, shown in the reader's language: text/messages;
# registered for rows written as English sentences before: notifications/stored).
RECORDED = stored.register("prosecution", N_("Recorded %(fields)s"), words=("fields",))
MOVED = stored.register("status", N_("Moved from %(before)s to %(after)s"),
                        words=("before", "after"))
REOPENED = stored.register("status", N_("Moved from %(before)s to %(after)s (reopened: "
                                        "%(reason)s)"), words=("before", "after"))
DISCARDED = stored.register("discarded", N_("Discarded draft %(case)s"))
DISCARDED_WHY = stored.register("discarded", N_("Discarded draft %(case)s: %(reason)s"))
PROSECUTION_FIELDS = ("charges", "court_name", "court_reference", "court_date", "outcome",
                      "outcome_notes")


def prosecution_values(f: Fields) -> dict[str, Any]:
    """Parse the prosecution fields present in the input."""
    values: dict[str, Any] = {}
    if f.present("charges"):
        values["charges"] = f.text("charges", max_len=5000)
    if f.present("court_name"):
        values["court_name"] = f.text("court_name", max_len=200)
    if f.present("court_reference"):
        values["court_reference"] = f.text("court_reference", max_len=100)
    if f.present("court_date"):
        values["court_date"] = f.day("court_date", not_future=False)
    if f.present("outcome"):
        values["outcome"] = f.choice("outcome", Outcome)
    if f.present("outcome_notes"):
        values["outcome_notes"] = f.text("outcome_notes", max_len=5000)
    return values


def date_problems(case: Case, values: Mapping[str, Any], outcome_on: date,
                  outcome_field: str = "outcome") -> list[tuple[str, str]]:
    """Court date and outcome against each other and the detection date, as they would be
    after ``values``; ``outcome_on`` is the day the outcome is recorded."""
    problems: list[tuple[str, str]] = []
    court = values.get("court_date", case.court_date)
    outcome = values.get("outcome", case.outcome)
    if "court_date" in values and court and case.detected_on and court < case.detected_on:
        problems.append(("court_date", gettext(
            "cannot be before the case's detection date (%(date)s)",
            date=case.detected_on.isoformat())))
    if court and outcome in COURT_OUTCOMES and outcome_on < court:
        field = outcome_field if "court_date" not in values else "court_date"
        problems.append((field, gettext(
            "the outcome \"%(outcome)s\" cannot be recorded on %(date)s, before the court "
            "date (%(court)s)", outcome=lower_first(label(outcome)),
            date=outcome_on.isoformat(), court=court.isoformat())))
    return problems


def record_prosecution(db: Session, actor: Officer, case_id: int,
                       data: Mapping[str, Any]) -> Case:
    """Charges, court dates and outcomes: prosecutors and supervisors of the agency."""
    case = get_case(db, actor, case_id)
    if not policy.can_record_prosecution(actor, case):
        raise Forbidden(gettext("Only the agency's prosecutors and supervisor record prosecution."))
    check_version(case, data.get("version"))
    f = Fields(data)
    values = prosecution_values(f)
    if not f.errors and ("court_date" in values or "outcome" in values):
        outcome_on = case.closed_on or datetime.now(UTC).date()
        for name, problem in date_problems(case, values, outcome_on):
            f.error(name, problem)
    f.done()
    changes = timeline.diff(case, values)
    if changes:
        flush_or_conflict(db, case)
        timeline.record(db, actor, case, "prosecution",
                        message(RECORDED, fields=fields(c["field"] for c in changes)),
                        changes)
    return case


def _requirements(case: Case, to: CaseStatus) -> list[tuple[str, str]]:
    """What the case must hold before it may move to ``to``: (field, message) pairs."""
    missing: list[tuple[str, str]] = []

    def need(condition: bool, field: str, message: str) -> None:
        if not condition:
            missing.append((field, message))

    if to in (CaseStatus.OPEN, CaseStatus.UNDER_INVESTIGATION) and case.status != CaseStatus.CLOSED:
        need(bool(case.summary), "summary", gettext("a summary is needed to open the case"))
        need(case.detected_on is not None, "detected_on", gettext("the detection date is needed"))
        need(bool(case.province), "province", gettext("the province is needed"))
        need(case.right_types_mask != 0, "right_types", gettext("name at least one IP right type"))
        if case.kind == CaseKind.COUNTERFEIT:
            need(case.detection is not None, "detection",
                 gettext("say how the goods were detected"))
        else:
            need(bool(case.listings), "listings", gettext("add at least one online listing"))
    if to == CaseStatus.UNDER_INVESTIGATION:
        need(bool(case.assignments), "assignments", gettext("assign at least one officer"))
        if case.kind == CaseKind.COUNTERFEIT:
            need(bool(case.seizures), "seizures", gettext("record at least one seizure item"))
    if to == CaseStatus.PROSECUTION:
        need(bool(case.charges), "charges", gettext("record the charges"))
        need(any(p.role == PartyRole.SUSPECT for p in case.parties), "parties",
             gettext("name at least one suspect"))
    if to == CaseStatus.IN_COURT:
        need(bool(case.court_name), "court_name", gettext("name the court"))
        need(case.court_date is not None, "court_date", gettext("give the court date"))
    if to == CaseStatus.CLOSED:
        need(case.outcome is not None, "outcome", gettext("record the outcome"))
    return missing


def move_case(db: Session, actor: Officer, case_id: int, to: str,
              data: Mapping[str, Any]) -> Case:
    """Move a case to status ``to``; fields needed by the move may come in ``data``."""
    case = get_case(db, actor, case_id)
    try:
        target = CaseStatus(to)
    except ValueError:
        raise Invalid("to", gettext("'%(value)s' is not a case status", value=to)) from None
    if not policy.can_transition(actor, case, target):
        raise Forbidden(gettext("You may not move this case from %(before)s to %(after)s.",
                                before=in_sentence(case.status.label),
                                after=in_sentence(target.label)))
    check_version(case, data.get("version"))
    f = Fields(data)
    reason = None
    if case.status == CaseStatus.CLOSED:
        reason = f.text("reason", required=True, max_len=2000)
    # The day the move happened, when it is recorded afterwards (default: today).
    on = f.day("on", not_before=case.detected_on) or datetime.now(UTC).date()
    values = {k: v for k, v in prosecution_values(f).items() if k in MOVE_FIELDS.get(target, ())}
    if not f.errors and (values or target == CaseStatus.CLOSED):
        dated = "on" if f.present("on") and str(data.get("on") or "").strip() else "outcome"
        outcome_on = on if target == CaseStatus.CLOSED else (case.closed_on or on)
        for name, problem in date_problems(case, values, outcome_on, dated):
            f.error(name, problem)
    f.done()
    if values and not policy.can_record_prosecution(actor, case):
        raise Forbidden(gettext("Only the agency's prosecutors and supervisor record charges, "
                                "court details and outcomes."))
    before = case.status
    changes = timeline.diff(case, values)
    missing = _requirements(case, target)
    if missing:
        raise Invalid.many(missing)
    moves: dict[str, Any] = {"status": target}
    if target == CaseStatus.OPEN and case.opened_on is None:
        moves["opened_on"] = on
    if target == CaseStatus.CLOSED:
        moves["closed_on"] = on
    if before == CaseStatus.CLOSED:
        moves.update(closed_on=None, outcome=None)
    changes += timeline.diff(case, moves)
    flush_or_conflict(db, case)
    words = {"before": as_word(before), "after": as_word(target)}
    summary = (message(REOPENED, reason=reason, **words) if reason
               else message(MOVED, **words))
    timeline.record(db, actor, case, "status", summary, changes)
    announce(db, CaseSaved(case.id, actor.id))
    return case


def discard_case(db: Session, actor: Officer, case_id: int,
                 data: Mapping[str, Any] | None = None) -> Case:
    """Throw a draft away (made twice, opened by mistake): its creator or the agency's
    supervisor. The case leaves every list, search, report and link; the row, its timeline
    and the audit trail stay, and its reference is never given to another case."""
    case = get_case(db, actor, case_id)
    if not policy.can_discard_case(actor, case):
        raise Forbidden(gettext("Only a draft is discarded, by the officer who created it or "
                                "the agency's supervisor.") if case.status == CaseStatus.DRAFT
                        else gettext("Case %(case)s is %(status)s: only a draft can be "
                                     "discarded.", case=case.reference,
                                     status=in_sentence(case.status.label)))
    f = Fields(data or {})
    reason = f.text("reason", max_len=500)
    f.done()
    case.status = CaseStatus.DISCARDED
    flush_or_conflict(db, case)
    summary = (message(DISCARDED_WHY, case=case.reference, reason=reason) if reason
               else message(DISCARDED, case=case.reference))
    timeline.record(db, actor, case, "discarded", summary,
                    [{"field": "status", "before": CaseStatus.DRAFT.value,
                      "after": CaseStatus.DISCARDED.value}])
    announce(db, CaseDiscarded(case.id, actor.id))
    return case
