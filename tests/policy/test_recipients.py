"""Rows of the access table for the questions views, templates and services ask policy
instead of comparing roles and countries themselves (issue 15): plain predicates on
unsaved objects, and the ``can`` object templates get."""

from __future__ import annotations

import pytest

# --- the questions views, templates and services now ask policy ------------------------

def _officer(role, country="MY", agency_id=1, referral_approval=True):
    from anice.models import Agency, Officer

    agency = Agency(id=agency_id, country_code=country, code=f"A{agency_id}", name="a",
                    active=True, referral_approval=referral_approval)
    return Officer(id=agency_id * 10 + len(role.value), email="x@t", name="x", role=role,
                   agency=agency, agency_id=agency_id, active=True, timezone="UTC")


def test_the_new_predicates_answer_as_the_old_checks_did():
    from anice import policy
    from anice.models import Agency, Referral, Role

    inv, sup, coord = (_officer(r) for r in (Role.INVESTIGATOR, Role.SUPERVISOR,
                                             Role.COORDINATOR))
    admin, sec = _officer(Role.ADMIN, "ID", 9), _officer(Role.SECRETARIAT, "ID", 9)
    assert [policy.can_read_cases(o) for o in (inv, sup, coord, admin, sec, None)] == \
        [True, True, True, False, False, False]
    assert [policy.can_filter_cases_by_agency(o) for o in (inv, coord, admin)] == \
        [False, True, False]
    assert [policy.importable_offices(o) for o in (admin, coord, inv)] == [None, ("MY",), ()]
    assert not policy.can_refer_to_country(inv, "MY") and policy.can_refer_to_country(inv, "TH")
    # a supervisor's own referral leaves at once; anybody else's waits, if the agency asks
    assert policy.referral_needs_approval(inv, inv.agency)
    assert not policy.referral_needs_approval(sup, sup.agency)
    assert not policy.referral_needs_approval(inv, _officer(Role.INVESTIGATOR,
                                                           referral_approval=False).agency)
    th = Agency(id=5, country_code="TH", active=True)
    referral = Referral(to_country_code="TH", from_agency_id=1, to_agency_id=None)
    assert policy.can_route_to(referral, th)
    assert not policy.can_route_to(referral, Agency(id=6, country_code="VN", active=True))
    assert not policy.can_route_to(referral, Agency(id=7, country_code="TH", active=False))
    # before routing the receiving country's coordinators are told; after, its supervisors
    def same(a, b):
        return str(a.compile(compile_kwargs={"literal_binds": True})) == str(
            b.compile(compile_kwargs={"literal_binds": True}))

    assert same(policy.referral_recipients(referral, "receiver"), policy.coordinators_of("TH"))
    referral.to_agency_id = 5
    assert same(policy.referral_recipients(referral, "receiver"), policy.supervisors_of(5))
    assert same(policy.referral_recipients(referral, "sender"), policy.supervisors_of(1))
    assert same(policy.referral_recipients(referral, "router"), policy.coordinators_of("TH"))
    assert not same(policy.supervisors_of(5), policy.coordinators_of("TH"))
    with pytest.raises(ValueError):
        policy.referral_recipients(referral, "anybody")


def test_templates_get_a_can_object_that_asks_policy():
    from anice.models import Role
    from anice.web import Can

    class Anonymous:
        is_authenticated = False

    inv = _officer(Role.INVESTIGATOR)
    assert Can(inv).read_cases() and Can(inv).view_rights()
    assert not Can(Anonymous()).read_cases() and not Can(Anonymous()).view_rights()
    with pytest.raises(AttributeError):
        Can(inv).anything_not_in_policy  # noqa: B018
