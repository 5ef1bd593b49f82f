"""The correlation rows of the access table: who sees a linked case, who a hit, who
nothing; who marks noise. Plain objects, no database."""

from __future__ import annotations

import pytest

from anice import policy
from anice.models import Sensitivity

from .cast import (
    ADMIN,
    COORD_MY,
    COORD_TH,
    GONE,
    INV_MY,
    INV_MY_CUSTOMS,
    INV_TH,
    MY_POLICE,
    PROS_MY,
    SECRETARIAT,
    SUP_MY,
    TH_POLICE,
    case,
)

MY_CASE = case(MY_POLICE, id_=1)
MY_RESTRICTED = case(MY_POLICE, sensitivity=Sensitivity.RESTRICTED, team=(INV_MY,), id_=1)
TH_CASE = case(TH_POLICE, id_=1)


@pytest.mark.parametrize("actor, linked, expected", [
    (INV_MY, MY_CASE, "case"),            # same agency
    (PROS_MY, MY_CASE, "case"),
    (SUP_MY, MY_CASE, "case"),
    (COORD_MY, MY_CASE, "case"),          # own country, coordinator
    (INV_MY_CUSTOMS, MY_CASE, "hit"),     # other agency, same country
    (INV_TH, MY_CASE, "hit"),             # other country
    (COORD_TH, MY_CASE, "hit"),
    (INV_MY, MY_RESTRICTED, "case"),      # on its team
    (PROS_MY, MY_RESTRICTED, None),       # restricted: no hit outside its reach
    (INV_MY_CUSTOMS, MY_RESTRICTED, None),
    (COORD_MY, MY_RESTRICTED, None),
    (INV_TH, MY_RESTRICTED, None),
    (INV_MY, TH_CASE, "hit"),
    (ADMIN, MY_CASE, None),               # no case content, not even a hit
    (SECRETARIAT, MY_CASE, None),
    (GONE, MY_CASE, None),
    (None, MY_CASE, None),
])
def test_linked_case_view(actor, linked, expected):
    assert policy.linked_case_view(actor, linked) == expected
    assert policy.can_see_linked_case(actor, linked) is (expected == "case")
    assert policy.gets_hit(actor, linked) is (expected == "hit")


TH_RESTRICTED = case(TH_POLICE, sensitivity=Sensitivity.RESTRICTED, team=(INV_TH,),
                     id_=1)


@pytest.mark.parametrize("actor, linked, own, expected", [
    (INV_MY, TH_CASE, MY_CASE, "hit"),          # from a normal case of its own
    (INV_MY, TH_CASE, None, "hit"),             # a lookup
    (INV_MY, TH_CASE, MY_RESTRICTED, None),     # the holder would be told of it
    (SUP_MY, TH_CASE, MY_RESTRICTED, None),
    (INV_TH, MY_CASE, TH_RESTRICTED, None),
    (INV_MY_CUSTOMS, MY_CASE, MY_RESTRICTED, None),  # a case it cannot read is not "its own"
    (INV_TH, MY_RESTRICTED, TH_CASE, None),     # restricted holder: nothing either way
    (INV_TH, MY_RESTRICTED, TH_RESTRICTED, None),
    (INV_MY, MY_CASE, MY_RESTRICTED, "case"),   # in reach: the case itself, nothing told
])
def test_a_restricted_case_gets_no_hit_either(actor, linked, own, expected):
    assert policy.linked_case_view(actor, linked, own) == expected
    assert policy.gets_hit(actor, linked, own) is (expected == "hit")
    assert (policy.hit_view(actor, linked, ["phone"], "weak", own) is None) is (expected != "hit")


@pytest.mark.parametrize("own, actor, expected", [
    (MY_CASE, INV_MY, True), (MY_CASE, COORD_MY, True), (MY_RESTRICTED, INV_MY, False),
    (MY_RESTRICTED, SUP_MY, False), (MY_CASE, INV_TH, False), (MY_CASE, GONE, False)])
def test_hits_are_given_on_normal_cases_the_actor_reads(own, actor, expected):
    assert policy.can_get_hits_on(actor, own) is expected


@pytest.mark.parametrize("officer, country, expected", [
    (INV_MY, "MY", True), (INV_MY, "TH", False), (INV_TH, "MY", False), (INV_MY, None, False)])
def test_officers_are_named_in_their_own_country_only(officer, country, expected):
    assert policy.names_officer_to(officer, country) is expected


@pytest.mark.parametrize("actor", [INV_TH, COORD_TH, INV_MY_CUSTOMS])
def test_a_hit_names_the_holder_and_the_kinds_only(actor):
    view = policy.hit_view(actor, MY_CASE, ["seller_id", "phone"], "strong")
    assert view == {"agency": {"id": MY_POLICE.id, "code": MY_POLICE.code,
                               "name": MY_POLICE.name},
                    "country": {"code": "MY", "name": "MY"},
                    "kinds": ["phone", "seller_id"], "strength": "strong"}
    text = repr(view)
    assert MY_CASE.reference not in text and "Dragon" not in text and "secret" not in text


@pytest.mark.parametrize("actor, linked", [
    (INV_MY, MY_CASE), (ADMIN, MY_CASE), (SECRETARIAT, MY_CASE), (INV_TH, MY_RESTRICTED),
    (None, TH_CASE)])
def test_no_hit_view_where_policy_gives_none(actor, linked):
    assert policy.hit_view(actor, linked, ["phone"], "weak") is None


@pytest.mark.parametrize("actor, country, expected", [
    (COORD_MY, "MY", True), (COORD_MY, "TH", False), (COORD_MY, None, False),
    (COORD_TH, "TH", True), (ADMIN, None, True), (ADMIN, "MY", True),
    (SUP_MY, "MY", False), (INV_MY, "MY", False), (SECRETARIAT, None, False),
    (GONE, None, False), (None, "MY", False)])
def test_mark_noise(actor, country, expected):
    assert policy.can_mark_noise(actor, country) is expected


@pytest.mark.parametrize("actor, expected", [
    (INV_MY, True), (PROS_MY, True), (SUP_MY, True), (COORD_MY, True), (INV_TH, True),
    (ADMIN, False), (SECRETARIAT, False), (GONE, False), (None, False)])
def test_lookups_and_network_view(actor, expected):
    assert policy.can_look_up_identifiers(actor) is expected
    assert policy.can_view_network(actor) is expected


@pytest.mark.parametrize("actor, expected", [
    (COORD_MY, True), (ADMIN, True), (SUP_MY, False), (INV_MY, False), (SECRETARIAT, False)])
def test_noise_marks_are_read_by_their_keepers(actor, expected):
    assert policy.can_view_noise(actor) is expected
