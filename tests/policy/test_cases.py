"""The case access table: every role x relation to the case x action.

Pure objects from the shared cast (tests/policy/cast.py), no database.
The DB-level filter is exercised in tests/cases/test_service.py; here ``visible_cases``
is only checked to deny outright the roles that may read no case at all.
"""

from __future__ import annotations

import itertools

import pytest

from anice import policy
from anice.models import Case, CaseStatus, HandlingCode, Officer, Role, Sensitivity

from .cast import (
    COORD_TH,
    INV_MY_CUSTOMS,
    MY_CUSTOMS,
    MY_POLICE,
    SUP_MY_CUSTOMS,
    TH_POLICE,
    case,
    officer,
)

ST = CaseStatus


# Every actor of the matrix works in MY_POLICE, the "own agency". The network roles
# (secretariat, admin) are put there too, so that "no case content" is checked at its
# strictest: not even their own agency's cases.
ACTORS = {
    "investigator": officer(Role.INVESTIGATOR),
    "prosecutor": officer(Role.PROSECUTOR),
    "supervisor": officer(Role.SUPERVISOR),
    "coordinator": officer(Role.COORDINATOR),
    "secretariat": officer(Role.SECRETARIAT),
    "admin": officer(Role.ADMIN),
    "inactive investigator": officer(Role.INVESTIGATOR, active=False),
    # A right holder's account, even one wrongly put in the agency, sees no case at all.
    "holder": officer(Role.HOLDER),
}
# A colleague on the team of the restricted cases, so "not assigned" means "someone
# else is", not merely "the team is empty".
COLLEAGUE = officer(Role.INVESTIGATOR)


def related_case(actor: Officer, relation: str, status: CaseStatus) -> Case:
    """A case in ``status`` standing in ``relation`` to ``actor`` (who is in MY_POLICE)."""
    restricted = Sensitivity.RESTRICTED
    if relation == "own":
        return case(MY_POLICE, status)
    if relation == "own restricted":
        return case(MY_POLICE, status, restricted, team=(COLLEAGUE,))
    if relation == "own restricted assigned":
        return case(MY_POLICE, status, restricted, team=(COLLEAGUE, actor))
    if relation == "other agency":   # same country
        return case(MY_CUSTOMS, status)
    if relation == "other country":
        return case(TH_POLICE, status)
    raise AssertionError(relation)


RELATIONS = ("own", "own restricted", "own restricted assigned", "other agency",
             "other country")
T, F = True, False

# actor, relation: view, edit, open->under_investigation, under_investigation->prosecution,
#                  record prosecution, export the case list
MATRIX = [
    ("investigator", "own",                     T, T, T, F, F, T),
    ("investigator", "own restricted",          F, F, F, F, F, T),
    ("investigator", "own restricted assigned", T, T, T, F, F, T),
    ("investigator", "other agency",            F, F, F, F, F, T),
    ("investigator", "other country",           F, F, F, F, F, T),

    ("prosecutor", "own",                       T, F, F, T, T, T),
    ("prosecutor", "own restricted",            F, F, F, F, F, T),
    ("prosecutor", "own restricted assigned",   T, F, F, T, T, T),
    ("prosecutor", "other agency",              F, F, F, F, F, T),
    ("prosecutor", "other country",             F, F, F, F, F, T),

    ("supervisor", "own",                       T, T, T, T, T, T),
    ("supervisor", "own restricted",            T, T, T, T, T, T),
    ("supervisor", "own restricted assigned",   T, T, T, T, T, T),
    ("supervisor", "other agency",              F, F, F, F, F, T),
    ("supervisor", "other country",             F, F, F, F, F, T),

    # The coordinator reads its country's normal cases; it never works them.
    ("coordinator", "own",                      T, F, F, F, F, T),
    ("coordinator", "own restricted",           F, F, F, F, F, T),
    ("coordinator", "own restricted assigned",  T, F, F, F, F, T),
    ("coordinator", "other agency",             T, F, F, F, F, T),
    ("coordinator", "other country",            F, F, F, F, F, T),

    ("secretariat", "own",                      F, F, F, F, F, F),
    ("secretariat", "own restricted",           F, F, F, F, F, F),
    ("secretariat", "own restricted assigned",  F, F, F, F, F, F),
    ("secretariat", "other agency",             F, F, F, F, F, F),
    ("secretariat", "other country",            F, F, F, F, F, F),

    ("admin", "own",                            F, F, F, F, F, F),
    ("admin", "own restricted",                 F, F, F, F, F, F),
    ("admin", "own restricted assigned",        F, F, F, F, F, F),
    ("admin", "other agency",                   F, F, F, F, F, F),
    ("admin", "other country",                  F, F, F, F, F, F),

    ("inactive investigator", "own",                     F, F, F, F, F, F),
    ("inactive investigator", "own restricted",          F, F, F, F, F, F),
    ("inactive investigator", "own restricted assigned", F, F, F, F, F, F),
    ("inactive investigator", "other agency",            F, F, F, F, F, F),
    ("inactive investigator", "other country",           F, F, F, F, F, F),

    ("holder", "own",                           F, F, F, F, F, F),
    ("holder", "own restricted",                F, F, F, F, F, F),
    ("holder", "own restricted assigned",       F, F, F, F, F, F),
    ("holder", "other agency",                  F, F, F, F, F, F),
    ("holder", "other country",                 F, F, F, F, F, F),
]


def test_matrix_is_complete():
    """Every actor x relation appears exactly once: no row can be silently dropped."""
    keys = [(actor, relation) for actor, relation, *_ in MATRIX]
    assert len(keys) == len(set(keys))
    assert set(keys) == set(itertools.product(ACTORS, RELATIONS))
    assert {a.role for a in ACTORS.values()} == set(Role)


@pytest.mark.parametrize(
    "actor_name, relation, view, edit, open_to_investigation, investigation_to_prosecution, "
    "prosecute, export", MATRIX, ids=[f"{a}-{r}" for a, r, *_ in MATRIX])
def test_case_access_matrix(actor_name, relation, view, edit, open_to_investigation,
                            investigation_to_prosecution, prosecute, export):
    actor = ACTORS[actor_name]
    opened = related_case(actor, relation, ST.OPEN)
    investigated = related_case(actor, relation, ST.UNDER_INVESTIGATION)

    assert policy.can_view_case(actor, opened) is view
    assert policy.can_view_case(actor, investigated) is view
    assert policy.can_edit_case(actor, opened) is edit
    assert policy.can_edit_case(actor, investigated) is edit
    assert policy.can_transition(actor, opened, ST.UNDER_INVESTIGATION) is open_to_investigation
    assert (policy.can_transition(actor, investigated, ST.PROSECUTION)
            is investigation_to_prosecution)
    assert policy.can_record_prosecution(actor, investigated) is prosecute
    assert policy.can_export_cases(actor) is export


# --- targeted rules ----------------------------------------------------------

INV = ACTORS["investigator"]
PROS = ACTORS["prosecutor"]
SUP = ACTORS["supervisor"]
COORD = ACTORS["coordinator"]
SUP_CUSTOMS = SUP_MY_CUSTOMS
INV_CUSTOMS = INV_MY_CUSTOMS


def test_closed_case_cannot_be_edited_but_supervisor_reopens():
    closed = case(status=ST.CLOSED)
    for actor in (INV, SUP):
        assert policy.can_view_case(actor, closed)
        assert not policy.can_edit_case(actor, closed)
    assert not policy.can_assign(SUP, closed)
    assert policy.can_transition(SUP, closed, ST.OPEN)
    for actor in (INV, PROS, COORD, SUP_CUSTOMS):
        assert not policy.can_transition(actor, closed, ST.OPEN)
    # The same case, not closed, is editable: it is the status that forbids.
    reopened = case(status=ST.OPEN)
    assert policy.can_edit_case(INV, reopened) and policy.can_edit_case(SUP, reopened)


def test_prosecutor_cannot_start_investigation():
    for opened in (case(status=ST.OPEN),
                   case(status=ST.OPEN, sensitivity=Sensitivity.RESTRICTED, team=(PROS,))):
        assert policy.can_view_case(PROS, opened)
        assert not policy.can_transition(PROS, opened, ST.UNDER_INVESTIGATION)
        assert policy.can_transition(INV, opened, ST.UNDER_INVESTIGATION) is (
            opened.sensitivity == Sensitivity.NORMAL)


@pytest.mark.parametrize("actor, status, expected", [
    (INV, ST.DRAFT, {ST.OPEN}),
    (PROS, ST.DRAFT, set()),
    (INV, ST.OPEN, {ST.UNDER_INVESTIGATION}),
    (PROS, ST.OPEN, set()),
    (SUP, ST.OPEN, {ST.UNDER_INVESTIGATION, ST.CLOSED}),
    (INV, ST.UNDER_INVESTIGATION, set()),
    (PROS, ST.UNDER_INVESTIGATION, {ST.PROSECUTION}),
    (SUP, ST.UNDER_INVESTIGATION, {ST.PROSECUTION, ST.CLOSED}),
    (PROS, ST.PROSECUTION, {ST.IN_COURT, ST.CLOSED}),
    (INV, ST.PROSECUTION, set()),
    (PROS, ST.IN_COURT, {ST.CLOSED}),
    (PROS, ST.CLOSED, set()),
    (SUP, ST.CLOSED, {ST.OPEN}),
    (COORD, ST.OPEN, set()),
    (SUP_CUSTOMS, ST.OPEN, set()),       # another agency's supervisor
    (ACTORS["admin"], ST.OPEN, set()),
    (ACTORS["inactive investigator"], ST.OPEN, set()),
])
def test_allowed_transitions(actor, status, expected):
    allowed = policy.allowed_transitions(actor, case(status=status))
    assert set(allowed) == expected
    assert len(allowed) == len(expected)


def test_no_move_outside_the_transition_table():
    """Not even the supervisor skips a step, moves backwards or stays in place."""
    for src, dst in itertools.product(ST, ST):
        if (src, dst) not in policy.TRANSITIONS:
            assert not policy.can_transition(SUP, case(status=src), dst), (src, dst)


@pytest.mark.parametrize("actor", [COORD, ACTORS["secretariat"], ACTORS["admin"], COORD_TH,
                                   None])
def test_network_roles_never_move_a_case(actor):
    for src, dst in policy.TRANSITIONS:
        assert not policy.can_transition(actor, case(status=src), dst)


@pytest.mark.parametrize("target, expected", [
    (officer(Role.INVESTIGATOR), True),
    (officer(Role.PROSECUTOR), True),
    (officer(Role.SUPERVISOR), True),
    (INV_CUSTOMS, False),                                  # another agency, same country
    (officer(Role.INVESTIGATOR, TH_POLICE), False),        # another country
    (officer(Role.INVESTIGATOR, active=False), False),     # inactive
    (officer(Role.COORDINATOR), False),
    (officer(Role.SECRETARIAT), False),
    (officer(Role.ADMIN), False),
])
def test_assign_to(target, expected):
    assert policy.can_assign_to(SUP, case(), target) is expected


def test_only_the_agencys_supervisor_assigns():
    target = officer(Role.INVESTIGATOR)
    assert policy.can_assign_to(SUP, case(), target)
    for actor in (INV, PROS, COORD, SUP_CUSTOMS, ACTORS["admin"],
                  officer(Role.SUPERVISOR, active=False)):
        assert not policy.can_assign(actor, case())
        assert not policy.can_assign_to(actor, case(), target)
    assert not policy.can_assign_to(SUP, case(status=ST.CLOSED), target)


def test_assignment_does_not_reach_across_agencies_or_countries():
    restricted = case(sensitivity=Sensitivity.RESTRICTED, team=(INV_CUSTOMS, COORD_TH))
    assert not policy.can_view_case(INV_CUSTOMS, restricted)
    assert not policy.can_edit_case(INV_CUSTOMS, restricted)
    assert not policy.can_view_case(COORD_TH, restricted)
    assert not policy.can_view_case(SUP_CUSTOMS, restricted)


@pytest.mark.parametrize("actor, expected", [
    (INV, True), (SUP, True), (PROS, False), (COORD, False), (ACTORS["secretariat"], False),
    (ACTORS["admin"], False), (ACTORS["inactive investigator"], False), (None, False)])
def test_create_and_import(actor, expected):
    assert policy.can_create_case(actor) is expected
    assert policy.can_import_cases(actor) is expected


def test_no_actor_may_do_nothing():
    for status in ST:
        c = case(status=status)
        assert not policy.can_view_case(None, c)
        assert not policy.can_edit_case(None, c)
        assert not policy.can_record_prosecution(None, c)
        assert not policy.can_add_note(None, c)
        assert policy.allowed_transitions(None, c) == []
    assert not policy.can_export_cases(None)


# --- the query filter --------------------------------------------------------

def _compiled(actor: Officer | None) -> str:
    clause = policy.visible_cases(actor)
    return str(clause.compile(compile_kwargs={"literal_binds": True})).strip().lower()


@pytest.mark.parametrize("actor_name, readable", [
    ("investigator", True), ("prosecutor", True), ("supervisor", True), ("coordinator", True),
    ("secretariat", False), ("admin", False), ("inactive investigator", False)])
def test_visible_cases_denies_outright_who_reads_no_case(actor_name, readable):
    sql = _compiled(ACTORS[actor_name])
    is_false = sql in ("false", "0 = 1")
    assert is_false is not readable, sql
    if readable:
        # Scoped to the actor's own agency or (coordinator) country, never everything.
        assert ("case_file.country_code = 'my'" in sql if actor_name == "coordinator"
                else "case_file.agency_id = 1" in sql), sql


def test_visible_cases_without_actor_is_false():
    assert _compiled(None) in ("false", "0 = 1")


# --- evidence and sensitivity -------------------------------------------------------

@pytest.mark.parametrize("actor_name, relation, add, shred", [
    ("investigator", "own", T, F), ("investigator", "own restricted", F, F),
    ("investigator", "own restricted assigned", T, F), ("investigator", "other agency", F, F),
    ("prosecutor", "own", F, F), ("supervisor", "own", T, T),
    ("supervisor", "own restricted", T, T), ("supervisor", "other agency", F, F),
    ("coordinator", "own", F, F), ("secretariat", "own", F, F), ("admin", "own", F, F),
    ("inactive investigator", "own", F, F)])
def test_evidence_in_and_shredding(actor_name, relation, add, shred):
    actor = ACTORS[actor_name]
    target = related_case(actor, relation, ST.OPEN)
    assert policy.can_add_evidence(actor, target) is add
    assert policy.can_shred_evidence(actor, target) is shred


def test_no_evidence_is_added_to_a_closed_case_but_the_supervisor_still_shreds():
    closed = case(status=ST.CLOSED)
    assert not policy.can_add_evidence(INV, closed) and not policy.can_add_evidence(SUP, closed)
    assert policy.can_shred_evidence(SUP, closed)


@pytest.mark.parametrize("actor_name, relation, to, expected", [
    ("supervisor", "own", Sensitivity.RESTRICTED, T),
    ("supervisor", "own restricted", Sensitivity.NORMAL, T),
    ("investigator", "own restricted assigned", Sensitivity.NORMAL, F),   # lifting: supervisor
    ("investigator", "own restricted assigned", Sensitivity.RESTRICTED, T),
    ("investigator", "own", Sensitivity.RESTRICTED, F),   # not on the team
    ("investigator", "own restricted", Sensitivity.NORMAL, F),
    ("prosecutor", "own restricted assigned", Sensitivity.RESTRICTED, F),
    ("coordinator", "own", Sensitivity.RESTRICTED, F),
    ("supervisor", "other agency", Sensitivity.RESTRICTED, F),
    ("admin", "own", Sensitivity.RESTRICTED, F),
    ("inactive investigator", "own restricted assigned", Sensitivity.RESTRICTED, F)])
def test_change_sensitivity(actor_name, relation, to, expected):
    actor = ACTORS[actor_name]
    assert policy.can_change_sensitivity(actor, related_case(actor, relation, ST.OPEN),
                                         to) is expected


def test_team_member_restricts_its_normal_case():
    own = case(team=(INV,))
    assert policy.can_change_sensitivity(INV, own, Sensitivity.RESTRICTED)
    assert not policy.can_change_sensitivity(INV, own, Sensitivity.NORMAL)


@pytest.mark.parametrize("origin, expected", [
    (HandlingCode.AGENCY_ONLY, True), (HandlingCode.WITHIN_COUNTRY, False),
    (HandlingCode.COURT_AFTER_CONSENT, False), (HandlingCode.OPEN, False), (None, False)])
def test_is_agency_only(origin, expected):
    assert policy.is_agency_only(case(TH_POLICE, origin=origin)) is expected


# --- discarding a draft -----------------------------------------------------------

def _draft_by(creator: Officer, status: CaseStatus = ST.DRAFT, **kw) -> Case:
    found = case(MY_POLICE, status, **kw)
    found.created_by_id = creator.id
    return found


COLLEAGUE_INV = officer(Role.INVESTIGATOR)  # same agency, not the creator


@pytest.mark.parametrize("actor, draft, allowed", [
    (INV, _draft_by(INV), True),                      # its creator
    (SUP, _draft_by(INV), True),                      # the agency's supervisor
    (SUP, _draft_by(INV, sensitivity=Sensitivity.RESTRICTED, team=(INV,)), True),
    (COLLEAGUE_INV, _draft_by(INV), False),           # a colleague who did not create it
    (PROS, _draft_by(INV), False),
    (COORD, _draft_by(INV), False),                   # reads it, never works it
    (SUP_CUSTOMS, _draft_by(INV), False),             # another agency's supervisor
    (INV_CUSTOMS, _draft_by(INV_CUSTOMS), False),     # out of reach: creator elsewhere now
    (ACTORS["admin"], _draft_by(INV), False),
    (ACTORS["secretariat"], _draft_by(INV), False),
    (ACTORS["inactive investigator"], _draft_by(ACTORS["inactive investigator"]), False),
    (INV, _draft_by(INV, ST.OPEN), False),            # an opened case is never discarded
    (SUP, _draft_by(INV, ST.CLOSED), False),
    (SUP, _draft_by(INV, ST.DISCARDED), False),       # once is enough
])
def test_who_discards_a_draft(actor, draft, allowed):
    assert policy.can_discard_case(actor, draft) is allowed


def test_a_discarded_draft_is_seen_by_no_one():
    gone = _draft_by(INV, ST.DISCARDED)
    for actor in (INV, SUP, COORD, PROS):
        assert not policy.can_view_case(actor, gone)
        assert not policy.can_edit_case(actor, gone)
        assert policy.allowed_transitions(actor, gone) == []
    assert "discarded" in str(policy.not_discarded().compile(
        compile_kwargs={"literal_binds": True}))
