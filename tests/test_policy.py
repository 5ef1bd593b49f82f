"""The access table: actors x actions x objects. The most important test file.

Pure objects, no database: policy decides on plain data.
"""

from __future__ import annotations

import pytest

from anice import policy
from anice.models import Agency, AgencyKind, Country, Officer, Role

MY_POLICE = Agency(id=1, country_code="MY", code="PDRM", name="MY police", kind=AgencyKind.POLICE,
                   active=True)
MY_CUSTOMS = Agency(id=2, country_code="MY", code="JKDM", name="MY customs",
                    kind=AgencyKind.CUSTOMS, active=True)
TH_POLICE = Agency(id=3, country_code="TH", code="ECD", name="TH police", kind=AgencyKind.POLICE,
                   active=True)
OPS = Agency(id=4, country_code="ID", code="ANIEE", name="ops", kind=AgencyKind.SECRETARIAT,
             active=True)
MY_CLOSED = Agency(id=5, country_code="MY", code="OLD", name="closed", kind=AgencyKind.OTHER,
                   active=False)
for _a in (MY_POLICE, MY_CUSTOMS, TH_POLICE, OPS, MY_CLOSED):
    _a.country = Country(code=_a.country_code, name=_a.country_code, currency="X",
                         timezone="UTC")

_ids = iter(range(100, 1000))


def officer(role: Role, agency: Agency, active: bool = True) -> Officer:
    return Officer(id=next(_ids), email=f"{role}{agency.id}@t", name=role.value, role=role,
                   agency=agency, agency_id=agency.id, active=active, timezone="UTC")


ADMIN = officer(Role.ADMIN, OPS)
SECRETARIAT = officer(Role.SECRETARIAT, OPS)
COORD_MY = officer(Role.COORDINATOR, MY_CUSTOMS)
COORD_TH = officer(Role.COORDINATOR, TH_POLICE)
SUP_MY = officer(Role.SUPERVISOR, MY_POLICE)
INV_MY = officer(Role.INVESTIGATOR, MY_POLICE)
INV_MY_CUSTOMS = officer(Role.INVESTIGATOR, MY_CUSTOMS)
PROS_MY = officer(Role.PROSECUTOR, MY_POLICE)
INV_TH = officer(Role.INVESTIGATOR, TH_POLICE)
GONE = officer(Role.ADMIN, OPS, active=False)
OTHER_ADMIN = officer(Role.ADMIN, OPS)


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (GONE, False), (COORD_MY, False), (SUP_MY, False), (INV_MY, False),
    (SECRETARIAT, False), (None, False)])
def test_manage_countries(actor, expected):
    assert policy.can_manage_countries(actor) is expected


@pytest.mark.parametrize("actor, country, expected", [
    (ADMIN, "TH", True), (COORD_MY, "MY", True), (COORD_MY, "TH", False),
    (COORD_TH, "MY", False), (SUP_MY, "MY", False), (INV_MY, "MY", False),
    (SECRETARIAT, "MY", False), (GONE, "MY", False)])
def test_manage_agencies(actor, country, expected):
    assert policy.can_manage_agencies_of(actor, country) is expected


@pytest.mark.parametrize("actor, role, agency, expected", [
    (ADMIN, Role.COORDINATOR, MY_POLICE, True),
    (ADMIN, Role.SECRETARIAT, OPS, True),
    (ADMIN, Role.INVESTIGATOR, MY_POLICE, False),   # coordinators invite their staff
    (COORD_MY, Role.INVESTIGATOR, MY_POLICE, True),
    (COORD_MY, Role.SUPERVISOR, MY_CUSTOMS, True),
    (COORD_MY, Role.PROSECUTOR, MY_POLICE, True),
    (COORD_MY, Role.INVESTIGATOR, TH_POLICE, False),  # another country's agency
    (COORD_MY, Role.COORDINATOR, MY_POLICE, False),
    (COORD_MY, Role.ADMIN, MY_POLICE, False),
    (COORD_MY, Role.INVESTIGATOR, MY_CLOSED, False),  # inactive agency
    (SUP_MY, Role.INVESTIGATOR, MY_POLICE, False),
    (INV_MY, Role.INVESTIGATOR, MY_POLICE, False),
    (SECRETARIAT, Role.INVESTIGATOR, MY_POLICE, False),
    (GONE, Role.COORDINATOR, MY_POLICE, False),
])
def test_invite(actor, role, agency, expected):
    assert policy.can_invite(actor, role, agency) is expected


@pytest.mark.parametrize("actor, target, expected", [
    (ADMIN, INV_TH, True), (ADMIN, COORD_MY, True),
    (COORD_MY, INV_MY, True), (COORD_MY, SUP_MY, True), (COORD_MY, INV_TH, False),
    (COORD_MY, COORD_TH, False), (COORD_TH, INV_MY, False),
    (SUP_MY, INV_MY, True), (SUP_MY, INV_MY_CUSTOMS, False), (SUP_MY, INV_TH, False),
    (INV_MY, INV_MY, True), (INV_MY, PROS_MY, False), (INV_MY, INV_TH, False),
    (SECRETARIAT, INV_MY, False), (GONE, INV_MY, False), (None, INV_MY, False)])
def test_view_officer(actor, target, expected):
    assert policy.can_view_officer(actor, target) is expected


@pytest.mark.parametrize("actor, target, expected", [
    (ADMIN, COORD_MY, True), (ADMIN, SECRETARIAT, True), (ADMIN, OTHER_ADMIN, True),
    (ADMIN, ADMIN, False), (ADMIN, INV_MY, False),
    (COORD_MY, INV_MY, True), (COORD_MY, PROS_MY, True), (COORD_MY, SUP_MY, True),
    (COORD_MY, INV_TH, False), (COORD_MY, COORD_TH, False), (COORD_MY, COORD_MY, False),
    (COORD_TH, INV_MY, False), (SUP_MY, INV_MY, False), (INV_MY, INV_MY, False),
    (SECRETARIAT, INV_MY, False)])
def test_manage_officer(actor, target, expected):
    assert policy.can_manage_officer(actor, target) is expected


@pytest.mark.parametrize("actor, target, expected", [
    (ADMIN, INV_MY, True), (ADMIN, ADMIN, False), (COORD_MY, INV_MY, True),
    (COORD_MY, INV_TH, False), (COORD_TH, SUP_MY, False), (SUP_MY, INV_MY, False)])
def test_deactivate(actor, target, expected):
    assert policy.can_deactivate(actor, target) is expected


@pytest.mark.parametrize("actor, target, role, expected", [
    (COORD_MY, INV_MY, Role.SUPERVISOR, True), (COORD_MY, INV_MY, Role.COORDINATOR, False),
    (COORD_MY, INV_MY, Role.ADMIN, False), (COORD_MY, INV_TH, Role.SUPERVISOR, False),
    (ADMIN, COORD_MY, Role.SECRETARIAT, True), (ADMIN, INV_MY, Role.SUPERVISOR, False),
    (SUP_MY, INV_MY, Role.PROSECUTOR, False)])
def test_change_role(actor, target, role, expected):
    assert policy.can_change_role(actor, target, role) is expected


@pytest.mark.parametrize("actor, target, expected", [
    (COORD_MY, INV_MY, True), (ADMIN, INV_MY, True), (INV_MY, INV_MY, True),
    (SUP_MY, INV_MY, False), (COORD_TH, INV_MY, False), (INV_TH, INV_MY, False)])
def test_login_attempts_visible_to_coordinator(actor, target, expected):
    assert policy.can_view_login_attempts(actor, target) is expected


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (COORD_MY, True), (SUP_MY, False), (INV_MY, False), (SECRETARIAT, False),
    (GONE, False)])
def test_read_audit(actor, expected):
    assert policy.can_read_audit(actor) is expected
    assert policy.can_open_admin(actor) is expected


@pytest.mark.parametrize("scope, method, expected", [
    ("read", "GET", True), ("read", "POST", False), ("read", "DELETE", False),
    ("read-write", "POST", True), ("read-write", "GET", True), ("bogus", "GET", False)])
def test_token_scope(scope, method, expected):
    assert policy.token_allows(scope, method) is expected


def test_invitable_roles_deny_by_default():
    for actor in (SUP_MY, INV_MY, PROS_MY, SECRETARIAT, GONE, None):
        assert policy.invitable_roles(actor) == ()


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (GONE, False), (SECRETARIAT, False), (COORD_MY, False), (SUP_MY, False),
    (INV_MY, False), (PROS_MY, False), (None, False)])
def test_view_metrics(actor, expected):
    assert policy.can_view_metrics(actor) is expected
