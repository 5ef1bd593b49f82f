"""Every "may this actor ..." question of ANICE, answered in one place.

Deny by default: each predicate lists who may, and nobody else may. Query filters
(``visible_*``) return SQLAlchemy clauses that views, the API and jobs add to
their queries, so a record outside the actor's reach is simply not found (404).
"""

from __future__ import annotations

from sqlalchemy import String, and_, cast, false, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from .models import (
    SHARING_STATES,
    Agency,
    AuditEvent,
    Case,
    CaseAssignment,
    CaseStatus,
    Country,
    Evidence,
    HandlingCode,
    IdentifierNoise,
    ImportJob,
    Officer,
    Referral,
    ReferralMessage,
    ReferralRequest,
    ReferralShare,
    ReferralStatus,
    RequestStatus,
    Role,
    Sensitivity,
    ShareKind,
)
from .models.holder import Guide, GuideRight, HolderOrg, HolderRight, Recordation
from .models.report import Report
from .models.verification import VerificationRequest, VerificationStatus
from .text.locales import DEFAULT, LANGUAGES, country_language

STAFF_ROLES = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR, Role.SUPERVISOR})
NETWORK_ROLES = frozenset({Role.COORDINATOR, Role.SECRETARIAT, Role.ADMIN})
# The roles of agency accounts (lists and filters of officers); holders are kept apart.
OFFICER_ROLES = tuple(r for r in Role if r != Role.HOLDER)


def _usable(actor: Officer | None) -> bool:
    """An active officer of an agency. A right holder's account is not one: every officer
    predicate below refuses it (the holders' own predicates are at the end)."""
    return actor is not None and actor.active and actor.role != Role.HOLDER


def is_admin(actor: Officer | None) -> bool:
    return _usable(actor) and actor.role == Role.ADMIN


def is_coordinator_of(actor: Officer | None, country_code: str) -> bool:
    return (_usable(actor) and actor.role == Role.COORDINATOR
            and actor.country_code == country_code)


# --- countries and agencies -------------------------------------------------

def can_manage_countries(actor: Officer | None) -> bool:
    """Only system admins add, rename or (de)activate member states."""
    return is_admin(actor)


def can_manage_agencies_of(actor: Officer | None, country_code: str) -> bool:
    """Admins manage every agency; a coordinator those of its own country."""
    return is_admin(actor) or is_coordinator_of(actor, country_code)


def can_open_admin(actor: Officer | None) -> bool:
    """Whether the administration area (people, agencies, audit) is shown at all."""
    return _usable(actor) and actor.role in (Role.ADMIN, Role.COORDINATOR)


def translation_languages(actor: Officer | None) -> tuple[str, ...]:
    """The catalogs whose state the actor may review (untranslated and fuzzy messages):
    admins and the secretariat every language; a national coordinator their country's
    (none for a country that reads English)."""
    catalogs = tuple(code for code in LANGUAGES if code != DEFAULT)
    if _usable(actor) and actor.role in (Role.ADMIN, Role.SECRETARIAT):
        return catalogs
    if _usable(actor) and actor.role == Role.COORDINATOR:
        own = country_language(actor.country_code)
        return (own,) if own in catalogs else ()
    return ()


def can_review_translations(actor: Officer | None) -> bool:
    """Whether the page of the catalogs' state opens for the actor (others: 404)."""
    return bool(translation_languages(actor))


# --- officers ----------------------------------------------------------------

def invitable_roles(actor: Officer | None) -> tuple[Role, ...]:
    """Roles the actor may give: admins the network roles, coordinators the staff roles."""
    if is_admin(actor):
        return (Role.COORDINATOR, Role.SECRETARIAT, Role.ADMIN)
    if _usable(actor) and actor.role == Role.COORDINATOR:
        return (Role.INVESTIGATOR, Role.PROSECUTOR, Role.SUPERVISOR)
    return ()


def can_invite(actor: Officer | None, role: Role, agency: Agency) -> bool:
    """May the actor invite an officer with ``role`` into ``agency``?"""
    if role not in invitable_roles(actor) or not agency.active:
        return False
    return is_admin(actor) or agency.country_code == actor.country_code


def visible_officers(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Officer: whom the actor may list and look at."""
    if is_admin(actor):
        return true()
    if not _usable(actor):
        return false()
    if actor.role == Role.COORDINATOR:
        in_country = select(Agency.id).where(Agency.country_code == actor.country_code)
        return Officer.agency_id.in_(in_country)
    if actor.role == Role.SUPERVISOR:
        return Officer.agency_id == actor.agency_id
    return Officer.id == actor.id


def can_view_officer(actor: Officer | None, target: Officer) -> bool:
    if is_admin(actor):
        return True
    if not _usable(actor):
        return False
    if actor.id == target.id:
        return True
    if actor.role == Role.COORDINATOR:
        return target.country_code == actor.country_code
    if actor.role == Role.SUPERVISOR:
        return target.agency_id == actor.agency_id
    return False


def can_manage_officer(actor: Officer | None, target: Officer) -> bool:
    """Change role, deactivate, reinvite: the people the actor is responsible for."""
    if not _usable(actor) or actor.id == target.id:
        return False
    if actor.role == Role.ADMIN:
        return target.role in NETWORK_ROLES
    if actor.role == Role.COORDINATOR:
        return target.role in STAFF_ROLES and target.country_code == actor.country_code
    return False


def can_deactivate(actor: Officer | None, target: Officer) -> bool:
    """Coordinators their staff; admins anyone else (an emergency stop)."""
    if is_admin(actor) and actor.id != target.id:
        return True
    return can_manage_officer(actor, target)


def can_reinvite(actor: Officer | None, target: Officer) -> bool:
    """A new link resets credentials; undoing a deactivation is for admins only."""
    if target.deactivated_at is not None:
        return is_admin(actor) and actor.id != target.id
    return can_manage_officer(actor, target)


def can_change_role(actor: Officer | None, target: Officer, new_role: Role) -> bool:
    return can_manage_officer(actor, target) and new_role in invitable_roles(actor)


def can_view_login_attempts(actor: Officer | None, target: Officer) -> bool:
    """Failed logins are shown to the account's coordinator (and admins, and itself)."""
    if not can_view_officer(actor, target):
        return False
    return actor.id == target.id or actor.role in (Role.ADMIN, Role.COORDINATOR)


# --- audit -------------------------------------------------------------------

def can_read_audit(actor: Officer | None) -> bool:
    return can_open_admin(actor)


def visible_audit_events(actor: Officer | None) -> ColumnElement[bool]:
    """Admins read the whole trail; a coordinator its country's rows."""
    if is_admin(actor):
        return true()
    if _usable(actor) and actor.role == Role.COORDINATOR:
        return AuditEvent.country_code == actor.country_code
    return false()


# --- cases -------------------------------------------------------------------
# A case belongs to one agency. Its staff see the agency's normal cases, the
# supervisor all of them, the country's coordinator the country's normal cases;
# a restricted case only its assigned team and the agency's supervisor. Another
# country sees nothing here (only through referrals, a later area).

CASE_READERS = frozenset({Role.INVESTIGATOR, Role.PROSECUTOR, Role.SUPERVISOR, Role.COORDINATOR})
SUP, INV, PROS = Role.SUPERVISOR, Role.INVESTIGATOR, Role.PROSECUTOR
ST = CaseStatus
TRANSITIONS: dict[tuple[CaseStatus, CaseStatus], frozenset[Role]] = {
    (ST.DRAFT, ST.OPEN): frozenset({INV, SUP}),
    (ST.OPEN, ST.UNDER_INVESTIGATION): frozenset({INV, SUP}),
    (ST.UNDER_INVESTIGATION, ST.PROSECUTION): frozenset({PROS, SUP}),
    (ST.PROSECUTION, ST.IN_COURT): frozenset({PROS, SUP}),
    (ST.IN_COURT, ST.CLOSED): frozenset({PROS, SUP}),
    (ST.PROSECUTION, ST.CLOSED): frozenset({PROS, SUP}),
    (ST.OPEN, ST.CLOSED): frozenset({SUP}),
    (ST.UNDER_INVESTIGATION, ST.CLOSED): frozenset({SUP}),
    (ST.CLOSED, ST.OPEN): frozenset({SUP}),  # reopening, with a reason
}


# A linked case opened on an "agency only" referral is read by the receiving agency alone
# (its staff as for any case of the agency, whatever its sensitivity): never by the
# country's coordinator, the only reader from outside an agency.
AGENCY_ONLY = HandlingCode.AGENCY_ONLY.value


def is_agency_only(case: Case) -> bool:
    """A linked case opened on an "agency only" referral: treat it like a restricted case
    wherever its content could reach beyond the agency (hits, reports)."""
    return case.origin_handling == AGENCY_ONLY


def not_agency_only() -> ColumnElement[bool]:
    """Filter on Case: not a linked case of an "agency only" referral (``is_agency_only``)."""
    return or_(Case.origin_handling.is_(None), Case.origin_handling != AGENCY_ONLY)


def not_discarded() -> ColumnElement[bool]:
    """Filter on Case: not a discarded draft (no one sees one; the audit trail keeps it)."""
    return Case.status != CaseStatus.DISCARDED


def visible_cases(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Case: the cases the actor may see (query helper for every case list)."""
    if not _usable(actor) or actor.role not in CASE_READERS:
        return false()
    return and_(not_discarded(), _cases_in_reach(actor))


def _cases_in_reach(actor: Officer) -> ColumnElement[bool]:
    if actor.role == Role.SUPERVISOR:
        return Case.agency_id == actor.agency_id
    assigned = Case.id.in_(select(CaseAssignment.case_id)
                           .where(CaseAssignment.officer_id == actor.id))
    normal_or_mine = or_(Case.sensitivity == Sensitivity.NORMAL, assigned)
    if actor.role == Role.COORDINATOR:
        return and_(Case.country_code == actor.country_code, normal_or_mine,
                    not_agency_only())
    return and_(Case.agency_id == actor.agency_id, normal_or_mine)


def can_view_case(actor: Officer | None, case: Case) -> bool:
    """The case as :func:`visible_cases` filters it."""
    if not _usable(actor) or actor.role not in CASE_READERS or \
            case.status == CaseStatus.DISCARDED:
        return False
    if actor.role == Role.SUPERVISOR:
        return case.agency_id == actor.agency_id
    if is_agency_only(case) and case.agency_id != actor.agency_id:
        return False
    in_reach = (case.country_code == actor.country_code if actor.role == Role.COORDINATOR
                else case.agency_id == actor.agency_id)
    return in_reach and (case.sensitivity == Sensitivity.NORMAL
                         or actor.id in case.assigned_ids)


def _case_staff(actor: Officer | None, case: Case, roles: frozenset[Role]) -> bool:
    return (can_view_case(actor, case) and actor.role in roles
            and case.agency_id == actor.agency_id)


def can_create_case(actor: Officer | None) -> bool:
    """Investigators and supervisors open cases in their own agency."""
    return _usable(actor) and actor.role in (Role.INVESTIGATOR, Role.SUPERVISOR)


def can_discard_case(actor: Officer | None, case: Case) -> bool:
    """A draft is thrown away by the officer who created it (while an investigator or
    supervisor of its agency) or by the agency's supervisor; an opened case never is."""
    if case.status != CaseStatus.DRAFT:
        return False
    return (_case_staff(actor, case, frozenset({SUP}))
            or (_case_staff(actor, case, frozenset({INV})) and actor.id == case.created_by_id))


def can_edit_case(actor: Officer | None, case: Case) -> bool:
    """Facts, items, listings, parties: the agency's investigators and supervisor."""
    return case.status != CaseStatus.CLOSED and _case_staff(actor, case, frozenset({INV, SUP}))


def can_change_sensitivity(actor: Officer | None, case: Case, to: Sensitivity) -> bool:
    """Lifting a restriction is the supervisor's; its team may also restrict a case."""
    if _case_staff(actor, case, frozenset({SUP})):
        return True
    return (to == Sensitivity.RESTRICTED and can_edit_case(actor, case)
            and actor.id in case.assigned_ids)


def can_record_prosecution(actor: Officer | None, case: Case) -> bool:
    """Charges, court dates and outcomes: the agency's prosecutors and supervisor, until
    the case is closed (the outcome is recorded by the closing move)."""
    return case.status != CaseStatus.CLOSED and _case_staff(actor, case, frozenset({PROS, SUP}))


def can_add_note(actor: Officer | None, case: Case) -> bool:
    return _case_staff(actor, case, frozenset({INV, PROS, SUP}))


def can_assign(actor: Officer | None, case: Case) -> bool:
    return case.status != CaseStatus.CLOSED and _case_staff(actor, case, frozenset({SUP}))


def can_transition(actor: Officer | None, case: Case, to: CaseStatus) -> bool:
    roles = TRANSITIONS.get((case.status, to), frozenset())
    return bool(roles) and _case_staff(actor, case, roles)


def allowed_transitions(actor: Officer | None, case: Case) -> list[CaseStatus]:
    return [to for (src, to) in TRANSITIONS if src == case.status
            and can_transition(actor, case, to)]


def can_export_cases(actor: Officer | None) -> bool:
    return _usable(actor) and actor.role in CASE_READERS


def can_import_cases(actor: Officer | None) -> bool:
    return can_create_case(actor)


def can_assign_to(actor: Officer | None, case: Case, officer: Officer) -> bool:
    """Only active officers of the case's own agency can be on its team."""
    return (can_assign(actor, case) and officer.active and officer.agency_id == case.agency_id
            and officer.role in (Role.INVESTIGATOR, Role.PROSECUTOR, Role.SUPERVISOR))


# --- evidence ----------------------------------------------------------------

def can_add_evidence(actor: Officer | None, case: Case) -> bool:
    """Evidence goes in with the case's facts: its investigators and supervisor."""
    return can_edit_case(actor, case)


def can_shred_evidence(actor: Officer | None, case: Case) -> bool:
    """Destroying evidence (retention, court order) is the supervisor's decision."""
    return _case_staff(actor, case, frozenset({SUP}))


# --- API ---------------------------------------------------------------------

def token_allows(scope: str, method: str) -> bool:
    """A read token may only read; a read-write token may do what its officer may."""
    if method in ("GET", "HEAD", "OPTIONS"):
        return scope in ("read", "read-write")
    return scope == "read-write"


# --- rights registry -----------------------------------------------------------
# The registry is shared reference data: every officer reads it, contacts included
# (finding the right holder is its purpose); each office's rights are kept by its
# country's coordinator, and admins keep all of them.

def can_view_rights(actor: Officer | None) -> bool:
    """Every active officer browses the registry, right holders' contacts included."""
    return _usable(actor)


def can_edit_right(actor: Officer | None, office: str) -> bool:
    """Edit or import rights of ``office``: admins any office, a coordinator its own."""
    return is_admin(actor) or is_coordinator_of(actor, office)


def can_import_rights(actor: Officer | None) -> bool:
    """Whether the import page is offered at all (each row is then checked by office)."""
    return _usable(actor) and actor.role in (Role.ADMIN, Role.COORDINATOR)


def can_open_status_table(actor: Officer | None) -> bool:
    """The status table page: admins and coordinators (each row is then checked)."""
    return _usable(actor) and actor.role in (Role.ADMIN, Role.COORDINATOR)


def can_edit_status_table(actor: Officer | None, office: str) -> bool:
    """Map an office's status values to ANICE statuses: admins for every office (and the
    WIPO standard values, office ``*``), a coordinator for its own country's office."""
    return is_admin(actor) or (office != "*" and is_coordinator_of(actor, office))


# --- operations ------------------------------------------------------------------

def can_view_metrics(actor: Officer | None) -> bool:
    """The /metrics page (no case content): system admins; scrapers are let in by
    ``metrics.may_scrape`` through a token or address configured by the operator."""
    return is_admin(actor)


# --- referrals -----------------------------------------------------------------
# The sender's side is whoever may see the sender's case. The receiving side is the
# receiving country's coordinator (it routes) and the routed agency: its supervisor
# decides, and once accepted those who see the linked case work with it. The receiver
# reads only what is shared, only while the referral shares (not draft, declined,
# withdrawn, or past share_until); a third country sees nothing. Under "agency only" the
# coordinator stops reading shared content once it has routed the referral.

RS = ReferralStatus
UNSENT = frozenset({RS.DRAFT, RS.PENDING_APPROVAL})


def can_refer_case(actor: Officer | None, case: Case) -> bool:
    """Investigators and supervisors of the case's agency draft referrals of it."""
    return _case_staff(actor, case, frozenset({INV, SUP}))


def is_sender(actor: Officer | None, referral: Referral) -> bool:
    return can_view_case(actor, referral.case)


def is_receiver(actor: Officer | None, referral: Referral) -> bool:
    """On the receiving side of a referral that has left its sender."""
    if not _usable(actor) or referral.status in UNSENT:
        return False
    if is_coordinator_of(actor, referral.to_country_code):
        return True
    if referral.to_agency_id is None or actor.agency_id != referral.to_agency_id:
        return False
    if actor.role == Role.SUPERVISOR:
        return True
    linked = referral.linked_case
    return linked is not None and can_view_case(actor, linked)


def can_view_referral(actor: Officer | None, referral: Referral) -> bool:
    return is_sender(actor, referral) or is_receiver(actor, referral)


def visible_referrals(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Referral: the outbox of the actor's visible cases and its inbox."""
    if not _usable(actor) or actor.role not in CASE_READERS:
        return false()
    sent = Referral.status.not_in(list(UNSENT))
    outbox = Referral.case_id.in_(select(Case.id).where(visible_cases(actor)))
    if actor.role == Role.COORDINATOR:
        inbox = and_(sent, Referral.to_country_code == actor.country_code)
    elif actor.role == Role.SUPERVISOR:
        inbox = and_(sent, Referral.to_agency_id == actor.agency_id)
    else:
        inbox = and_(sent, Referral.to_agency_id == actor.agency_id,
                     Referral.linked_case_id.in_(select(Case.id).where(visible_cases(actor))))
    return or_(outbox, inbox)


def inbox_filter(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Referral: received by the actor's country (coordinator) or agency."""
    if not _usable(actor):
        return false()
    if actor.role == Role.COORDINATOR:
        return Referral.to_country_code == actor.country_code
    return Referral.to_agency_id == actor.agency_id


def _sharing(referral: Referral, today) -> bool:
    return referral.status in SHARING_STATES and (
        referral.share_until is None or today <= referral.share_until)


def can_read_shared(actor: Officer | None, referral: Referral, today) -> bool:
    """May the actor read what the referral shares (as a receiver)?"""
    if not is_receiver(actor, referral) or not _sharing(referral, today):
        return False
    if (referral.handling_code == HandlingCode.AGENCY_ONLY and actor.role == Role.COORDINATOR
            and referral.to_agency_id is not None):
        return False
    return True


def shared_evidence(actor: Officer | None, today) -> ColumnElement[bool]:
    """Filter on Evidence: items the actor reads through referrals it receives (shared
    items, and attachments of the thread), while those referrals share."""
    if not _usable(actor) or actor.role not in CASE_READERS:
        return false()
    receiving = and_(Referral.status.in_(list(SHARING_STATES)),
                     or_(Referral.share_until.is_(None), Referral.share_until >= today))
    if actor.role == Role.COORDINATOR:
        receiving = and_(receiving, Referral.to_country_code == actor.country_code,
                         or_(Referral.handling_code != HandlingCode.AGENCY_ONLY,
                             Referral.to_agency_id.is_(None)))
    elif actor.role == Role.SUPERVISOR:
        receiving = and_(receiving, Referral.to_agency_id == actor.agency_id)
    else:
        receiving = and_(receiving, Referral.to_agency_id == actor.agency_id,
                         Referral.linked_case_id.in_(select(Case.id).where(visible_cases(actor))))
    shared = (select(ReferralShare.key).join(Referral)
              .where(ReferralShare.kind == ShareKind.EVIDENCE, receiving))
    attached = (select(ReferralMessage.evidence_id).join(Referral)
                .where(ReferralMessage.evidence_id.is_not(None), receiving))
    # Attachments the receiver wrote live in its own case; those the sender wrote are
    # read by the receiver here. (Ids are stored as text in the share's key.)
    return or_(Evidence.id.in_(attached), cast(Evidence.id, String).in_(shared))


def visible_evidence(actor: Officer | None, today) -> ColumnElement[bool]:
    """Filter on Evidence: of the actor's visible cases, shared with it by referrals it
    receives, or attached on the thread of a referral of one of its cases."""
    if not _usable(actor) or actor.role not in CASE_READERS:
        return false()
    own_cases = select(Case.id).where(visible_cases(actor))
    thread_of_mine = (select(ReferralMessage.evidence_id).join(Referral)
                      .where(ReferralMessage.evidence_id.is_not(None),
                             Referral.case_id.in_(own_cases),
                             Referral.status.not_in(list(UNSENT))))
    return or_(Evidence.case_id.in_(own_cases), Evidence.id.in_(thread_of_mine),
               shared_evidence(actor, today))


def can_edit_referral(actor: Officer | None, referral: Referral) -> bool:
    """Change the request (action, message, deadline, receiver) while it is a draft."""
    return referral.status == RS.DRAFT and can_refer_case(actor, referral.case)


def can_add_shares(actor: Officer | None, referral: Referral) -> bool:
    """The sender adds shared items until the referral is declined or withdrawn."""
    return (referral.status not in (RS.DECLINED, RS.WITHDRAWN)
            and can_refer_case(actor, referral.case))


def can_submit_referral(actor: Officer | None, referral: Referral) -> bool:
    return can_edit_referral(actor, referral)


def needs_approval(actor: Officer, referral: Referral) -> bool:
    """The agency's supervisor approves before a referral leaves, unless the agency
    turned approval off or the drafter is that supervisor."""
    return referral_needs_approval(actor, referral.from_agency)


def referral_needs_approval(actor: Officer | None, agency: Agency) -> bool:
    """Whether a referral the actor drafts in ``agency`` waits for its supervisor's approval
    (the same answer as :func:`needs_approval`, before the referral exists)."""
    return bool(agency.referral_approval) and not (
        _usable(actor) and actor.role == Role.SUPERVISOR and actor.agency_id == agency.id)


def can_approve_referral(actor: Officer | None, referral: Referral) -> bool:
    return (referral.status == RS.PENDING_APPROVAL and _usable(actor)
            and actor.role == Role.SUPERVISOR and actor.agency_id == referral.from_agency_id)


def can_withdraw_referral(actor: Officer | None, referral: Referral) -> bool:
    """Its drafter or the sending agency's supervisor, until declined or withdrawn."""
    if referral.status in (RS.DECLINED, RS.WITHDRAWN) or not is_sender(actor, referral):
        return False
    return ((actor.role == Role.SUPERVISOR and actor.agency_id == referral.from_agency_id)
            or (actor.id == referral.created_by_id and can_refer_case(actor, referral.case)))


def can_route_referral(actor: Officer | None, referral: Referral) -> bool:
    """The receiving country's coordinator sends it to one of its agencies, once: after
    that (or when the sender named the agency) the agency decides."""
    return (referral.status == RS.SENT and referral.to_agency_id is None
            and is_coordinator_of(actor, referral.to_country_code))


def can_accept_referral(actor: Officer | None, referral: Referral) -> bool:
    """The routed agency's supervisor accepts (and opens the linked case)."""
    return (referral.status in (RS.ROUTED, RS.INFO_REQUESTED)
            and referral.to_agency_id is not None and _usable(actor)
            and actor.role == Role.SUPERVISOR and actor.agency_id == referral.to_agency_id)


def can_answer_referral(actor: Officer | None, referral: Referral) -> bool:
    """Decline or ask for more: the routed agency's supervisor; before routing, the
    coordinator (once routed, the agency answers: the coordinator only follows)."""
    if referral.status not in (RS.SENT, RS.ROUTED, RS.INFO_REQUESTED):
        return False
    return can_accept_referral(actor, referral) or (
        referral.to_agency_id is None and is_coordinator_of(actor, referral.to_country_code))


def can_message_referral(actor: Officer | None, referral: Referral) -> bool:
    """Both sides write on the thread of a sent referral until it is withdrawn."""
    if referral.status in UNSENT or referral.status == RS.WITHDRAWN:
        return False
    if is_receiver(actor, referral):
        return True
    return is_sender(actor, referral) and _usable(actor) and actor.role in STAFF_ROLES \
        and actor.agency_id == referral.from_agency_id


def can_consent_court_use(actor: Officer | None, referral: Referral) -> bool:
    return (referral.handling_code == HandlingCode.COURT_AFTER_CONSENT
            and referral.court_consent_at is None and referral.status == RS.ACCEPTED
            and _usable(actor) and actor.role == Role.SUPERVISOR
            and actor.agency_id == referral.from_agency_id)


# What the handling code lets the receiver do with what it received. "copy" puts an
# item into its own linked case; "court" exports shared evidence for court; "reshare"
# puts a received item, or a linked-case field built from the referral, into a referral
# of its own; "export" lets it out of ANICE in a file (the case CSV): only where it may
# leave ANICE at all, i.e. for court; "forward" routes it to another agency of its country.
HANDLING: dict[HandlingCode, dict[str, bool | str]] = {
    HandlingCode.AGENCY_ONLY: {"copy": True, "court": False, "reshare": False, "export": False,
                               "forward": False},
    HandlingCode.WITHIN_COUNTRY: {"copy": True, "court": False, "reshare": False,
                                  "export": False, "forward": True},
    HandlingCode.COURT_AFTER_CONSENT: {"copy": True, "court": "consent", "reshare": False,
                                       "export": "consent", "forward": False},
    HandlingCode.OPEN: {"copy": True, "court": True, "reshare": True, "export": True,
                        "forward": True},
}


def handling_allows(referral: Referral, use: str) -> bool:
    """May the receiver make ``use`` of what came through ``referral`` (HANDLING)?"""
    rule = HANDLING[referral.handling_code].get(use, False)
    if rule == "consent":
        return referral.court_consent_at is not None
    return bool(rule)


# --- my work ---------------------------------------------------------------------
# The home page lists what waits for the actor. Each list is the query form of the
# predicate that lets the actor act on its items (can_approve_referral, ...), and
# has_work says which lists concern the actor at all.

def referrals_to_approve(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Referral: waiting for the actor's approval (``can_approve_referral``)."""
    if not _usable(actor) or actor.role != Role.SUPERVISOR:
        return false()
    return and_(Referral.status == RS.PENDING_APPROVAL,
                Referral.from_agency_id == actor.agency_id)


def referrals_to_route(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Referral: received by the actor's country, not yet routed to an agency."""
    if not _usable(actor) or actor.role != Role.COORDINATOR:
        return false()
    return and_(Referral.status == RS.SENT, Referral.to_country_code == actor.country_code)


def referrals_to_accept(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Referral: routed to the actor's agency, waiting for its supervisor to
    accept, decline or ask for more (``can_accept_referral``)."""
    if not _usable(actor) or actor.role != Role.SUPERVISOR:
        return false()
    return and_(Referral.status == RS.ROUTED, Referral.to_agency_id == actor.agency_id)


def referrals_asking_info(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Referral: the receiver asked the sender for more, and the actor writes on
    the sender's side of the thread (``can_message_referral``)."""
    if not _usable(actor) or actor.role not in STAFF_ROLES:
        return false()
    return and_(Referral.status == RS.INFO_REQUESTED,
                Referral.from_agency_id == actor.agency_id,
                Referral.case_id.in_(select(Case.id).where(visible_cases(actor))))


MY_WORK: dict[str, frozenset[Role]] = {
    "approvals": frozenset({SUP}),
    "to_route": frozenset({Role.COORDINATOR}),
    "referral_requests": frozenset({Role.COORDINATOR}),
    "to_accept": frozenset({SUP}),
    "info_requested": STAFF_ROLES,
    "deadlines": frozenset({SUP, Role.COORDINATOR}),
    "assigned": STAFF_ROLES,
}


def has_work(actor: Officer | None, section: str) -> bool:
    """Whether a list of the home page ("approvals", "imports", ...) concerns the actor."""
    if section == "imports":
        return can_import_cases(actor) or can_import_rights(actor)
    if section == "reports":
        return can_view_reports(actor)
    return _usable(actor) and actor.role in MY_WORK.get(section, ())


# --- bulk imports --------------------------------------------------------------

def can_view_import_job(actor: Officer | None, job) -> bool:
    """An import's progress and report are its uploader's alone: its errors quote the
    file (case titles, suspects' names), which nobody else has seen."""
    return _usable(actor) and job.officer_id == actor.id


def visible_import_jobs(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on ImportJob: the actor's own (``can_view_import_job``)."""
    return ImportJob.officer_id == actor.id if _usable(actor) else false()


# --- correlation ---------------------------------------------------------------------
# Cases that share an identifier are linked. The linked case itself is shown only to who
# may see it (can_view_case); any other officer who reads cases gets a hit: the holding
# agency and country, the kinds of the shared identifiers and the strength, never the
# case's reference, content or the value it holds. Every hit is recorded and told to the
# holder's coordinator, so a restricted case takes part in no hit on either side: it gives
# none (its existence would reach the asker) and gets none (the holder would be told of
# it). Admins and the secretariat get neither (no case content).

def can_see_linked_case(actor: Officer | None, case: Case) -> bool:
    """A linked case is shown as itself (reference, title, shared values)."""
    return can_view_case(actor, case)


def _gives_hits(case: Case) -> bool:
    """Restricted cases and "agency only" linked cases take part in no hit, either side."""
    return case.sensitivity == Sensitivity.NORMAL and not is_agency_only(case)


def gets_hit(actor: Officer | None, case: Case, own_case: Case | None = None) -> bool:
    """A linked case outside the actor's reach shows as a hit (and the hit is recorded and
    told to the holder's coordinator): only for case readers, never for a restricted or an
    "agency only" linked case, and never on such an ``own_case`` (the actor's case the link
    was found from; None for a lookup of a value). Asked again when a job records the hit."""
    return (_usable(actor) and actor.role in CASE_READERS
            and _gives_hits(case) and not can_view_case(actor, case)
            and (own_case is None or can_get_hits_on(actor, own_case)))


def can_get_hits_on(actor: Officer | None, own_case: Case) -> bool:
    """Hits on cases outside the actor's reach are shown on a normal case it reads; on a
    restricted one none (a lookup of the value still answers, naming the agency)."""
    return _gives_hits(own_case) and can_view_case(actor, own_case)


def linked_case_view(actor: Officer | None, case: Case,
                     own_case: Case | None = None) -> str | None:
    """"case", "hit" or None (nothing at all) for a case linked to ``own_case`` (or to a
    looked-up value) that the actor reads."""
    if can_see_linked_case(actor, case):
        return "case"
    return "hit" if gets_hit(actor, case, own_case) else None


def hit_view(actor: Officer | None, case: Case, kinds, strength: str,
             own_case: Case | None = None) -> dict | None:
    """The only facts a hit gives: who holds the case and what kind of identifier it
    shares. Built from the holding agency, never from the case's own fields."""
    if not gets_hit(actor, case, own_case):
        return None
    agency = case.agency
    return {"agency": {"id": agency.id, "code": agency.code, "name": agency.name},
            "country": {"code": agency.country_code,
                        "name": agency.country.name if agency.country else agency.country_code},
            "kinds": sorted({getattr(k, "value", k) for k in kinds}), "strength": strength}


# --- referral requests ---------------------------------------------------------------
# An officer shown a hit on its case asks the holder to refer its case. The asker's side
# is whoever reads the asker's case; the holder's side is the holder country's coordinator
# alone (it knows the holder case; the asker learns nothing more than the hit gave until
# a referral arrives).

def can_request_case(actor: Officer | None, own_case: Case) -> bool:
    """Ask the holder of a hit on ``own_case`` for a referral: who may refer the case (its
    investigators and supervisor) on a case that gets hits."""
    return can_refer_case(actor, own_case) and can_get_hits_on(actor, own_case)


def is_request_holder(actor: Officer | None, request: ReferralRequest) -> bool:
    """The holder's side of a request: the holder country's coordinator."""
    return is_coordinator_of(actor, request.holder_country_code)


def can_view_referral_request(actor: Officer | None, request: ReferralRequest) -> bool:
    """The asker's side (who reads the asker's case) and the holder country's coordinator."""
    return can_view_case(actor, request.asker_case) or is_request_holder(actor, request)


def visible_referral_requests(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on ReferralRequest: :func:`can_view_referral_request` as a query."""
    if not _usable(actor) or actor.role not in CASE_READERS:
        return false()
    asked = ReferralRequest.asker_case_id.in_(select(Case.id).where(visible_cases(actor)))
    if actor.role == Role.COORDINATOR:
        return or_(asked, ReferralRequest.holder_country_code == actor.country_code)
    return asked


def request_inbox(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on ReferralRequest: the requests the actor's side is asked to answer."""
    if not _usable(actor) or actor.role != Role.COORDINATOR:
        return false()
    return ReferralRequest.holder_country_code == actor.country_code


def can_answer_referral_request(actor: Officer | None, request: ReferralRequest) -> bool:
    """Refer the case back or decline: the holder's coordinator, while the request is open."""
    return request.status == RequestStatus.OPEN and is_request_holder(actor, request)


def can_refer_on_request(actor: Officer | None, request: ReferralRequest,
                         holder_case: Case) -> bool:
    """Answer by referring ``holder_case`` (one the request stands for, that the
    coordinator still reads) to the asker's agency; the holder agency approves as usual."""
    return (can_answer_referral_request(actor, request) and can_view_case(actor, holder_case)
            and holder_case.agency_id == request.holder_agency_id
            and any(c.holder_case_id == holder_case.id for c in request.holder_cases))


def request_recipients(request: ReferralRequest, side: str) -> ColumnElement[bool]:
    """Filter on Officer: who is told of a request. "holder": the holder country's
    coordinators; "asker": the asking agency's supervisors (the asker is added by the
    service)."""
    if side == "holder":
        return coordinators_of(request.holder_country_code)
    if side == "asker":
        return supervisors_of(request.asker_agency_id)
    raise ValueError(f"unknown side {side!r}")


def names_officer_to(officer: Officer, country_code: str | None) -> bool:
    """Whether a notice or audit row kept for ``country_code`` may name ``officer``: only in
    the officer's own country; across a border it names the agency and country."""
    return country_code is not None and officer.country_code == country_code


def can_look_up_identifiers(actor: Officer | None) -> bool:
    """Hit/no-hit lookups of an identifier and the network view: officers who read cases."""
    return _usable(actor) and actor.role in CASE_READERS


def can_view_network(actor: Officer | None) -> bool:
    return can_look_up_identifiers(actor)


def can_mark_noise(actor: Officer | None, country_code: str | None) -> bool:
    """Silence a value: a coordinator for its own country, an admin also network-wide
    (``country_code`` None)."""
    if is_admin(actor):
        return True
    return country_code is not None and is_coordinator_of(actor, country_code)


def can_view_noise(actor: Officer | None) -> bool:
    return _usable(actor) and actor.role in (Role.ADMIN, Role.COORDINATOR)


# --- reports -------------------------------------------------------------------------
# Aggregates only, never a case: a supervisor reads its agency's reports, a national
# coordinator its country's, the secretariat the region's (small cells suppressed).
# System admins read none (they run the schedule from the CLI; the figures are not theirs).
# A report is delivered to every reader of its scope (report_readers), so it counts only
# the cases that every one of them may open (report_cases; docs/reports.md).

def report_scopes(actor: Officer | None) -> list[tuple[str, str | None, int | None]]:
    """The report scopes the actor may read: (level, country_code, agency_id) triples."""
    if not _usable(actor):
        return []
    if actor.role == Role.SUPERVISOR:
        return [("agency", actor.country_code, actor.agency_id)]
    if actor.role == Role.COORDINATOR:
        return [("country", actor.country_code, None)]
    if actor.role == Role.SECRETARIAT:
        return [("region", None, None)]
    return []


def can_view_reports(actor: Officer | None) -> bool:
    """Whether the Reports area is offered at all."""
    return bool(report_scopes(actor))


def can_view_report_scope(actor: Officer | None, level: str, country_code: str | None,
                          agency_id: int | None) -> bool:
    for own_level, own_country, own_agency in report_scopes(actor):
        if own_level != str(level):
            continue
        if own_level == "region":
            return True
        if own_level == "country" and country_code == own_country:
            return True
        if own_level == "agency" and agency_id == own_agency:
            return True
    return False


# Figures schema 2 onwards count only what report_cases lets in. A country's or the
# region's report made before (schema 1) counted restricted cases: it is not delivered.
REPORT_CASES_SCHEMA = 2


def report_deliverable(report) -> bool:
    """A stored report whose figures follow report_cases (any report of an agency, whose
    rule has not changed; a report still queued or failed, which holds no figure)."""
    if str(report.scope_level) == "agency" or not report.figures:
        return True
    return (report.figures.get("schema") or 0) >= REPORT_CASES_SCHEMA


def deliverable_reports() -> ColumnElement[bool]:
    """Filter on Report: what report_deliverable lets in, for lists and version chains."""
    schema = func.coalesce(Report.figures["schema"].as_integer(), REPORT_CASES_SCHEMA)
    return or_(Report.scope_level == "agency", schema >= REPORT_CASES_SCHEMA)


def can_view_report(actor: Officer | None, report) -> bool:
    """A stored report (anice.models.report.Report) of one of the actor's scopes."""
    return report_deliverable(report) and can_view_report_scope(
        actor, report.scope_level, report.country_code, report.agency_id)


def visible_reports(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Report: the archive the actor may browse."""
    clauses = []
    for level, country_code, agency_id in report_scopes(actor):
        if level == "region":
            clauses.append(Report.scope_level == "region")
        elif level == "country":
            clauses.append(and_(Report.scope_level == "country",
                                Report.country_code == country_code))
        else:
            clauses.append(and_(Report.scope_level == "agency", Report.agency_id == agency_id))
    return and_(or_(*clauses), deliverable_reports()) if clauses else false()


def can_request_report(actor: Officer | None, level: str, country_code: str | None,
                       agency_id: int | None) -> bool:
    """On-demand reports (any range) for the scopes the actor may read."""
    return can_view_report_scope(actor, level, country_code, agency_id)


def report_cases(level: str, country_code: str | None,
                 agency_id: int | None) -> ColumnElement[bool]:
    """Filter on Case: the cases a report of this scope counts, those that every reader of
    the scope may open. An agency's supervisors open all its cases. Above the agency, a
    coordinator opens only the country's normal cases, so restricted cases and the linked
    cases of "agency only" referrals are counted in their agency's report alone; the
    region counts what its countries count (then withholds small cells)."""
    if str(level) == "agency":
        return and_(Case.agency_id == agency_id, not_discarded())
    beyond_agency = and_(Case.sensitivity == Sensitivity.NORMAL, not_agency_only(),
                         not_discarded())
    if str(level) == "country":
        return and_(Case.country_code == country_code, beyond_agency)
    return beyond_agency


def report_readers(level: str, country_code: str | None,
                   agency_id: int | None) -> ColumnElement[bool]:
    """Filter on Officer: who may read a report of this scope (subscribers to notify)."""
    if str(level) == "region":
        return and_(Officer.active.is_(True), Officer.role == Role.SECRETARIAT)
    if str(level) == "country":
        in_country = select(Agency.id).where(Agency.country_code == country_code)
        return and_(Officer.active.is_(True), Officer.role == Role.COORDINATOR,
                    Officer.agency_id.in_(in_country))
    return and_(Officer.active.is_(True), Officer.role == Role.SUPERVISOR,
                Officer.agency_id == agency_id)


# --- what pages offer, who is told ---------------------------------------------------
# Views, templates (through web.Can) and services ask these instead of comparing roles or
# countries themselves (tests/test_access_in_policy.py fails on such a comparison).

def can_read_cases(actor: Officer | None) -> bool:
    """The Cases and Referrals areas: officers who read cases (agency staff, coordinators)."""
    return _usable(actor) and actor.role in CASE_READERS


def can_filter_cases_by_agency(actor: Officer | None) -> bool:
    """A coordinator reads the cases of several agencies, so its case list filters by one."""
    return _usable(actor) and actor.role == Role.COORDINATOR


def importable_offices(actor: Officer | None) -> tuple[str, ...] | None:
    """Offices whose rights the actor may import: None for every office (admins), its own
    country's for a coordinator, none for anybody else."""
    if is_admin(actor):
        return None
    if can_import_rights(actor):
        return (actor.country_code,)
    return ()


def can_refer_to_country(actor: Officer | None, country_code: str) -> bool:
    """A referral goes to another member state than the actor's own."""
    return _usable(actor) and country_code != actor.country_code


def referable_countries(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Country: where the actor's referrals may go (see can_refer_to_country)."""
    return Country.code != actor.country_code if _usable(actor) else false()


def referable_agencies(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Agency: agencies of other member states a referral may name."""
    return Agency.country_code != actor.country_code if _usable(actor) else false()


def can_route_to(referral: Referral, agency: Agency) -> bool:
    """A referral is routed to an active agency of the country it was sent to."""
    return bool(agency.active) and agency.country_code == referral.to_country_code


def routable_agencies(referral: Referral) -> ColumnElement[bool]:
    """Filter on Agency: the agencies :func:`can_route_to` lets a referral go to."""
    return and_(Agency.active.is_(True), Agency.country_code == referral.to_country_code)


def supervisors_of(agency_id: int | None) -> ColumnElement[bool]:
    """Filter on Officer: the active supervisors of an agency (who approve its referrals
    and decide on those it receives)."""
    return and_(Officer.active.is_(True), Officer.role == Role.SUPERVISOR,
                Officer.agency_id == agency_id)


def coordinators_of(country_code: str) -> ColumnElement[bool]:
    """Filter on Officer: the active national coordinators of a country."""
    in_country = select(Agency.id).where(Agency.country_code == country_code)
    return and_(Officer.active.is_(True), Officer.role == Role.COORDINATOR,
                Officer.agency_id.in_(in_country))


def referral_recipients(referral: Referral, side: str) -> ColumnElement[bool]:
    """Filter on Officer: who is told of news on a referral. "sender": the sending agency's
    supervisors (who also approve); "receiver": the routed agency's supervisors, or before
    routing the receiving country's coordinators; "router": the receiving country's
    coordinators. The drafter and a linked case's team are added by the service."""
    if side == "sender":
        return supervisors_of(referral.from_agency_id)
    if side == "router" or (side == "receiver" and referral.to_agency_id is None):
        return coordinators_of(referral.to_country_code)
    if side == "receiver":
        return supervisors_of(referral.to_agency_id)
    raise ValueError(f"unknown side {side!r}")


def hit_recipients(country_code: str) -> ColumnElement[bool]:
    """Filter on Officer: who is told of a hit on (or a flood of lookups in) a country's
    cases: its coordinators."""
    return coordinators_of(country_code)


def visible_noise(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on IdentifierNoise: all marks for admins; a coordinator its country's and the
    network-wide ones; nobody else any."""
    if is_admin(actor):
        return true()
    if not can_view_noise(actor):
        return false()
    return or_(IdentifierNoise.country_code == actor.country_code,
               IdentifierNoise.country_code.is_(None))


# --- right holders -------------------------------------------------------------------
# A right holder's representative (role "holder") logs in like an officer but belongs to a
# holder organisation, not an agency. It reaches only its own pages (holder_reaches: any
# other page or API route answers 404) and there sees its organisation's rights while a
# coordinator's link to them stands, what it keeps for them (contacts, guides,
# recordations, their files) and the verification requests sent to it about those rights:
# never a case, another holder's requests or an officer list. Officers read every holder's
# material (it is there for them) and edit none. A national coordinator keeps the holder
# organisations of its country (invites their people, links their rights); the
# secretariat keeps all of them.

HOLDER_ENDPOINTS = ("holders.", "holder_requests.", "auth.", "session.", "notifications.",
                    "api.holder_")
HOLDER_EXACT = frozenset({"static", "main.home", "api.me", "api.update_me", "api.openapi",
                          "health.healthz"})


def is_holder(actor: Officer | None) -> bool:
    """An active right holder's account of an active organisation."""
    return (actor is not None and actor.active and actor.role == Role.HOLDER
            and actor.holder_org is not None and actor.holder_org.active)


def is_holder_account(actor: Officer | None) -> bool:
    """Any holder's account, active or not (what it may reach is decided by is_holder)."""
    return actor is not None and actor.role == Role.HOLDER


def holder_reaches(endpoint: str | None) -> bool:
    """Whether a holder's account may call this web or API endpoint at all."""
    if not endpoint:
        return False
    return endpoint in HOLDER_EXACT or endpoint.startswith(HOLDER_ENDPOINTS)


def is_of_holder(actor: Officer | None, org_id: int) -> bool:
    return is_holder(actor) and actor.holder_org_id == org_id


def _keeps_holders(actor: Officer | None) -> bool:
    return _usable(actor) and actor.role in (Role.COORDINATOR, Role.SECRETARIAT)


def can_manage_holders(actor: Officer | None) -> bool:
    """Whether the holder organisations page is offered: coordinators and the secretariat."""
    return _keeps_holders(actor)


def can_manage_holder_org(actor: Officer | None, org: HolderOrg) -> bool:
    """Invite its people, link or unlink its rights, (de)activate it: the coordinator of
    its country, or the secretariat."""
    if not _keeps_holders(actor):
        return False
    return actor.role == Role.SECRETARIAT or actor.country_code == org.country_code


def holder_org_countries(actor: Officer | None) -> tuple[str, ...] | None:
    """Countries the actor may register a holder organisation in (None: any)."""
    if _usable(actor) and actor.role == Role.SECRETARIAT:
        return None
    if _keeps_holders(actor):
        return (actor.country_code,)
    return ()


def visible_holder_orgs(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on HolderOrg: the organisations the actor keeps (or its own, for a holder)."""
    if is_holder(actor):
        return HolderOrg.id == actor.holder_org_id
    if not _keeps_holders(actor):
        return false()
    if actor.role == Role.SECRETARIAT:
        return true()
    return HolderOrg.country_code == actor.country_code


def can_link_right(actor: Officer | None, org: HolderOrg, office: str) -> bool:
    """Link a right of ``office`` to ``org``: the organisation's keeper, for a right of any
    office (national or WO): the register is public, and the keeper confirms the holder's
    name and the numbers against it, having checked who the organisation is."""
    return bool(office) and can_manage_holder_org(actor, org)


def active_links(org_id: int) -> ColumnElement[bool]:
    """Filter on HolderRight: the links of ``org_id`` that stand (not revoked)."""
    return and_(HolderRight.org_id == org_id, HolderRight.revoked_at.is_(None))


def holder_right_ids(actor: Officer | None):
    """Select of the right ids a holder reaches (its organisation's standing links); an
    empty select for anyone else."""
    if not is_holder(actor):
        return select(HolderRight.right_id).where(false())
    return select(HolderRight.right_id).where(active_links(actor.holder_org_id))


def can_view_holder_material(actor: Officer | None, org_id: int) -> bool:
    """Contacts, guides, recordations and their files of ``org_id``: every active officer
    (recordations of every country are public to officers), and the organisation itself."""
    return _usable(actor) or is_of_holder(actor, org_id)


def can_edit_holder_material(actor: Officer | None, org_id: int) -> bool:
    """Only the holder organisation keeps its contacts, guides and recordations."""
    return is_of_holder(actor, org_id)


def visible_guides(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Guide: a holder its organisation's guides that cover one of the rights it
    reaches (withdrawn ones too: they are its record); officers every guide in force."""
    if is_holder(actor):
        covered = select(GuideRight.guide_id).where(
            GuideRight.right_id.in_(holder_right_ids(actor)))
        return and_(Guide.org_id == actor.holder_org_id, Guide.id.in_(covered))
    if not _usable(actor):
        return false()
    return Guide.withdrawn_at.is_(None)


def visible_recordations(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on Recordation: a holder its organisation's recordations of the rights it
    reaches (withdrawn ones too); officers of every country every recordation in force
    (they are public to officers)."""
    if is_holder(actor):
        return and_(Recordation.org_id == actor.holder_org_id,
                    Recordation.right_id.in_(holder_right_ids(actor)))
    if not _usable(actor):
        return false()
    return Recordation.withdrawn_at.is_(None)


def can_view_holder_alerts(actor: Officer | None, org_id: int) -> bool:
    return is_of_holder(actor, org_id)


def can_set_holder_alerts(actor: Officer | None, org: HolderOrg) -> bool:
    """Subscribe to (or stop) alerts: the organisation itself."""
    return is_of_holder(actor, org.id)


def tells_holder(case: Case) -> bool:
    """Whether holders of rights confirmed in ``case`` are told (HolderAlert): the case's
    own choice, else its agency's; never for a restricted case (its existence stays in the
    agency)."""
    if case.sensitivity == Sensitivity.RESTRICTED:
        return False
    return bool(case.agency.tell_holders if case.tell_holder is None else case.tell_holder)


def can_set_tell_holder(actor: Officer | None, case: Case) -> bool:
    """Whether the case's holders are told: who edits the case."""
    return can_edit_case(actor, case)


# Verification requests: the officer's side is whoever reads the case (the case's team
# sends and withdraws); the holder's side is the organisation the request was sent to,
# while its link to the right stands.

def can_request_verification(actor: Officer | None, case: Case) -> bool:
    return can_edit_case(actor, case)


def is_verification_holder(actor: Officer | None, vr: VerificationRequest) -> bool:
    return is_of_holder(actor, vr.org_id)


def can_view_verification(actor: Officer | None, vr: VerificationRequest,
                          linked: bool = True) -> bool:
    """The officer's side reads every request of a case it may see; the holder reads those
    sent to it while ``linked`` (its link to the request's right stands: the caller asks
    the database)."""
    if is_holder(actor):
        return is_verification_holder(actor, vr) and linked
    return can_view_case(actor, vr.case)


def visible_verifications(actor: Officer | None) -> ColumnElement[bool]:
    """Filter on VerificationRequest."""
    if is_holder(actor):
        return and_(VerificationRequest.org_id == actor.holder_org_id,
                    VerificationRequest.right_id.in_(holder_right_ids(actor)))
    if not _usable(actor):
        return false()
    return VerificationRequest.case_id.in_(select(Case.id).where(visible_cases(actor)))


def verifications_of_case(actor: Officer | None, case: Case) -> ColumnElement[bool]:
    """Filter on VerificationRequest: the requests of ``case`` the actor may see. For an
    officer who may see the case that is all of them, asked without deriving the visible
    cases again in SQL (the case page asks on every view; that subquery was a tenth of the
    page's CPU time)."""
    if is_holder(actor):
        return and_(VerificationRequest.case_id == case.id, visible_verifications(actor))
    if not can_view_case(actor, case):
        return false()
    return VerificationRequest.case_id == case.id


def can_read_verification_items(actor: Officer | None, vr: VerificationRequest,
                                 linked: bool = True) -> bool:
    """The holder downloads what was shared until the request is withdrawn."""
    return (can_view_verification(actor, vr, linked) and is_verification_holder(actor, vr)
            and vr.status != VerificationStatus.WITHDRAWN)


def can_answer_verification(actor: Officer | None, vr: VerificationRequest,
                            linked: bool = True) -> bool:
    return (vr.status == VerificationStatus.SENT and is_verification_holder(actor, vr)
            and can_view_verification(actor, vr, linked))


def can_withdraw_verification(actor: Officer | None, vr: VerificationRequest) -> bool:
    return vr.status == VerificationStatus.SENT and can_edit_case(actor, vr.case)


def verification_officers(vr: VerificationRequest) -> ColumnElement[bool]:
    """Filter on Officer: who on the officer's side is told of an answer or a deadline: the
    sender and the case's assigned team (the service adds them by id)."""
    ids = select(CaseAssignment.officer_id).where(CaseAssignment.case_id == vr.case_id)
    return and_(Officer.active.is_(True),
                or_(Officer.id == vr.sent_by_id, Officer.id.in_(ids)))


def verification_holders(org_id: int) -> ColumnElement[bool]:
    """Filter on Officer: the holder organisation's active accounts."""
    return and_(Officer.active.is_(True), Officer.role == Role.HOLDER,
                Officer.holder_org_id == org_id)


def can_maintain_holidays(actor: Officer | None, country_code: str) -> bool:
    """A country's weekend and public holidays: admins, and its coordinator."""
    return is_admin(actor) or is_coordinator_of(actor, country_code)
