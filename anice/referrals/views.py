"""Referral pages: inbox and outbox, drafting from a case, one referral with its thread."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import db, policy
from ..cases import service as case_service
from ..errors import Conflict, Forbidden, Invalid, user_message
from ..evidence import service as evidence_service
from ..evidence.service import evidence_of
from ..evidence.transfer import check_upload_csrf, receive_multipart
from ..extensions import csrf
from ..forms import FORM_TOKEN, FormState, submit_once
from ..models import (
    Agency,
    CaseMatch,
    Country,
    Evidence,
    HandlingCode,
    Officer,
    ReferralStatus,
    RequestedAction,
    ShareKind,
)
from ..text.locales import N_
from ..web import id_arg, int_arg, paginate
from . import requests, service, sharing

bp = Blueprint("referrals", __name__, url_prefix="/referrals")


@bp.before_request
@login_required
def _only_case_readers():
    if not policy.can_read_cases(current_user):
        abort(404)


def _me() -> Officer:
    return current_user._get_current_object()


CHOICES = {"actions": list(RequestedAction), "handling_codes": list(HandlingCode),
           "share_fields": sharing.FIELDS, "statuses": list(ReferralStatus)}


@bp.get("/")
def index():
    me = _me()
    f = service.ReferralFilter(box=request.args.get("box", "inbox"),
                               status=request.args.get("status", ""),
                               overdue=request.args.get("overdue") == "1",
                               due=request.args.get("due") == "1")
    if f.box not in ("inbox", "outbox"):
        abort(404)
    status = 200
    try:
        query = service.referrals_query(db.session(), me, f)
        page = paginate(query, int_arg("page"), 25)
    except Invalid as exc:
        flash(user_message(exc), "error")
        page, status = paginate(service.referrals_query(
            db.session(), me, service.ReferralFilter(box=f.box)), 1, 25), 422
    # A supervisor's inbox also shows what waits for its approval (those are in the outbox).
    approvals = service.waiting_for_approval(db.session(), me) if f.box == "inbox" else []
    return render_template("referrals/index.html", page=page, f=f, today=service.today(),
                           counts=service.counts(db.session(), me), approvals=approvals,
                           due_days=service.DUE_SOON_DAYS,
                           ref_requests=requests.list_requests(db.session(), me, f.box),
                           asker_status=requests.asker_status), status


def _targets(me: Officer) -> tuple[list[Country], list[Agency]]:
    session = db.session()
    countries = list(session.scalars(select(Country).where(
        Country.active.is_(True), policy.referable_countries(me)).order_by(Country.name)))
    agencies = list(session.scalars(select(Agency).where(
        Agency.active.is_(True), policy.referable_agencies(me),
        Agency.kind != "secretariat").order_by(Agency.country_code, Agency.name)))
    return countries, agencies


def form_data() -> dict[str, Any]:
    data: dict[str, Any] = {k: v for k, v in request.form.items()
                            if k not in ("csrf_token", FORM_TOKEN)}
    for name in ("to", "fields", "seizures", "listings", "parties", "matches", "evidence"):
        data[name] = request.form.getlist(name)
    return data


def render_new(case, form: FormState, status: int = 200, on_request=None):
    """The referral form; ``on_request``: answering a referral request (the receiver is
    the asker's agency, fixed)."""
    countries, agencies = ([], []) if on_request is not None else _targets(_me())
    matches = list(db.session().scalars(select(CaseMatch).where(CaseMatch.case_id == case.id)
                                        .order_by(CaseMatch.score.desc())))
    return render_template("referrals/new.html", case=case, form=form, countries=countries,
                           agencies=agencies, matches=matches, on_request=on_request,
                           evidence=[e for e in evidence_of(db.session(), _me(), case)
                                     if e.status.value == "active"], **CHOICES), status


@bp.route("/new", methods=["GET", "POST"])
@submit_once
def new():
    me = _me()
    case_id = id_arg("case_id")
    if case_id is None:
        abort(404)
    case = case_service.get_case(db.session(), me, case_id)
    if not policy.can_refer_case(me, case):
        raise Forbidden(gettext("Only the case's investigators and supervisor refer it."))
    if request.method == "GET":
        agency_id = id_arg("agency_id")
        # Nothing is ticked to share: the officer chooses each field and item.
        values = {"to": [f"agency:{agency_id}"] if agency_id else [],
                  "handling_code": HandlingCode.AGENCY_ONLY.value}
        return render_new(case, FormState(values))
    data = form_data()
    try:
        referrals = service.create_referrals(db.session(), me, case.id, data)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        return render_new(case, FormState.failed(data, exc), 422)
    names = ", ".join(r.reference for r in referrals)
    flash(gettext("Submitted: %(refs)s.", refs=names) if data.get("submit") == "1"
          else gettext("Saved as draft: %(refs)s.", refs=names), "info")
    return redirect(url_for("referrals.show", referral_id=referrals[0].id))


def _render(referral, forms: dict[str, FormState] | None = None, status: int = 200):
    me = _me()
    session = db.session()
    shared = service.shared_for(session, me, referral)
    is_sender = policy.is_sender(me, referral)
    route_choices = []
    if policy.can_route_referral(me, referral):
        route_choices = list(session.scalars(select(Agency).where(
            policy.routable_agencies(referral), Agency.kind != "secretariat")
            .order_by(Agency.name)))
    share_more = None
    if is_sender and policy.can_add_shares(me, referral):
        share_more = {
            "fields": [k for k in sharing.FIELDS if k not in referral.shared_keys(
                ShareKind.FIELD)],
            "seizures": [s for s in referral.case.seizures
                         if str(s.id) not in referral.shared_keys(ShareKind.SEIZURE)],
            "listings": [s for s in referral.case.listings
                         if str(s.id) not in referral.shared_keys(ShareKind.LISTING)],
            "parties": [s for s in referral.case.parties
                        if str(s.id) not in referral.shared_keys(ShareKind.PARTY)],
            "evidence": [e for e in evidence_of(session, me, referral.case)
                         if str(e.id) not in referral.shared_keys(ShareKind.EVIDENCE)
                         and e.status.value == "active"],
        }
    attachments = {}
    for message in service.messages_of(session, referral):
        if message.evidence_id:
            attachments[message.id] = session.get(Evidence, message.evidence_id)
    return render_template(
        "referrals/show.html", r=referral, shared=shared, is_sender=is_sender,
        answers=requests.answered_by(session, me, referral),
        events=service.events_of(session, referral, me), event_text=service.event_text,
        messages=service.messages_of(session, referral), attachments=attachments,
        route_choices=route_choices, share_more=share_more, today=service.today(),
        forms=forms or {}, new_state=FormState, max_bytes=evidence_service.max_bytes(),
        can_attach=_can_attach(me, referral), **CHOICES), status


def _can_attach(me: Officer, referral) -> bool:
    if not policy.can_message_referral(me, referral):
        return False
    case = referral.case if policy.is_sender(me, referral) else referral.linked_case
    return case is not None and policy.can_add_evidence(me, case)


@bp.get("/<int:referral_id>")
def show(referral_id: int):
    return _render(service.get_referral(db.session(), _me(), referral_id))


# The flash of each action: English here, translated when flashed.
ACTIONS = {
    "submit": (lambda s, me, rid, d: service.submit(s, me, rid), N_("Submitted.")),
    "approve": (service.approve, N_("Approved and sent.")),
    "return": (service.send_back, N_("Returned to draft.")),
    "route": (service.route, N_("Routed.")),
    "accept": (service.accept, N_("Accepted: your agency's linked case is open.")),
    "decline": (service.decline, N_("Declined.")),
    "request-info": (service.request_info, N_("More information requested.")),
    "withdraw": (service.withdraw,
                 N_("Withdrawn: the receiver no longer reads what was shared.")),
    "court-consent": (lambda s, me, rid, d: service.consent_court_use(s, me, rid),
                      N_("Consent to court use recorded.")),
    "shares": (service.add_shares, N_("Shared.")),
    "messages": (service.post_message, N_("Message sent.")),
    "edit": (service.update_draft, N_("Draft saved.")),
}


@bp.post("/<int:referral_id>/<action>")
@submit_once
def act(referral_id: int, action: str):
    if action not in ACTIONS:
        abort(404)
    func, success = ACTIONS[action]
    me = _me()
    data = form_data()
    try:
        func(db.session(), me, referral_id, data)
        db.commit()
    except Invalid as exc:
        db.session().rollback()
        referral = service.get_referral(db.session(), me, referral_id)
        return _render(referral, {action: FormState.failed(data, exc)}, 422)
    except Conflict as exc:
        db.session().rollback()
        referral = service.get_referral(db.session(), me, referral_id)
        return _render(referral, {action: FormState(data, message=exc.message)}, 409)
    flash(gettext(success), "info")
    return redirect(url_for("referrals.show", referral_id=referral_id))


@bp.post("/<int:referral_id>/attachments")
@csrf.exempt
@submit_once(streamed=True)
def attach(referral_id: int):
    """A message with a file: streamed into evidence of the writer's side's case."""
    request.max_content_length = evidence_service.max_bytes() + 1024 * 1024
    check_upload_csrf()
    me = _me()
    session = db.session()
    case = service.attachment_case(session, me, referral_id)
    try:
        intake, form = receive_multipart(case, me)
        evidence = evidence_service.register(session, me, case, intake,
                                             getattr(intake, "client_name", None), {})
        service.post_message(session, me, referral_id, {"body": form.get("body", "")},
                             attachment=evidence)
        db.commit()
    except (Invalid, evidence_service.DuplicateEvidence) as exc:
        session.rollback()
        flash(gettext("Not sent: %(error)s", error=user_message(exc)
                      if isinstance(exc, Invalid) else str(exc)), "error")
        return redirect(url_for("referrals.show", referral_id=referral_id) + "#thread")
    flash(gettext("Message sent with %(file)s (sealed and hashed).",
                  file=evidence.original_name), "info")
    return redirect(url_for("referrals.show", referral_id=referral_id) + "#thread")


from . import request_views  # noqa: E402,F401  (the request pages hang on bp)
