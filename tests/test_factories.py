"""The factory's service-built objects are what a user's would be."""

from __future__ import annotations

from anice.models import MatchDecision


def test_a_right_and_a_confirmed_match_of_a_case(db, make):
    w = make.world()
    case = make.case(w.inv_my, opened=True)          # a seizure of "Nike" goods
    right = make.right(mark="NIKE", owner="Nike Inc")
    assert (right.office, right.mark_text, right.owner) == ("MY", "NIKE", "Nike Inc")
    found = make.match(w.inv_my, case, right)
    assert found.decision == MatchDecision.CONFIRMED and found.case_id == case.id
    assert found.right_id == right.id
