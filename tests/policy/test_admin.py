"""The administration rows of the access table: countries, agencies, officers, audit,
API tokens, metrics. Pure objects from the shared cast, no database."""

from __future__ import annotations

import pytest

from anice import policy
from anice.models import Role

from .cast import (
    ADMIN,
    COORD_MY,
    COORD_TH,
    COORD_VN,
    GONE,
    HOLDER,
    INV_MY,
    INV_MY_CUSTOMS,
    INV_TH,
    MY_CLOSED,
    MY_CUSTOMS,
    MY_POLICE,
    OPS,
    OTHER_ADMIN,
    PROS_MY,
    SECRETARIAT,
    SUP_MY,
    TH_POLICE,
    agency,
    officer,
)


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


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (OTHER_ADMIN, True), (GONE, False), (COORD_MY, False), (SUP_MY, False),
    (SECRETARIAT, False), (None, False)])
def test_is_admin(actor, expected):
    assert policy.is_admin(actor) is expected


@pytest.mark.parametrize("actor, country, expected", [
    (COORD_MY, "MY", True), (COORD_MY, "TH", False), (COORD_TH, "TH", True),
    (ADMIN, "ID", False), (SUP_MY, "MY", False), (None, "MY", False)])
def test_is_coordinator_of(actor, country, expected):
    assert policy.is_coordinator_of(actor, country) is expected


def _deactivated(target):
    from datetime import UTC, datetime

    from .cast import officer

    gone = officer(target.role, target.agency, active=False)
    gone.deactivated_at = datetime(2026, 11, 1, tzinfo=UTC)
    return gone


@pytest.mark.parametrize("actor, target, expected", [
    # An account in use: whoever manages it sends a new link.
    (ADMIN, COORD_MY, True), (COORD_MY, INV_MY, True), (COORD_MY, INV_TH, False),
    (SUP_MY, INV_MY, False), (ADMIN, ADMIN, False),
    # A deactivated account comes back by an admin only.
    (ADMIN, _deactivated(INV_MY), True), (COORD_MY, _deactivated(INV_MY), False),
    (GONE, _deactivated(INV_MY), False), (None, _deactivated(INV_MY), False)])
def test_reinvite(actor, target, expected):
    assert policy.can_reinvite(actor, target) is expected


class _Job:
    def __init__(self, officer_id: int) -> None:
        self.officer_id = officer_id


@pytest.mark.parametrize("actor, job, expected", [
    (INV_MY, _Job(INV_MY.id), True), (SUP_MY, _Job(INV_MY.id), False),
    (COORD_MY, _Job(INV_MY.id), False), (ADMIN, _Job(INV_MY.id), False),
    (GONE, _Job(GONE.id), False), (None, _Job(INV_MY.id), False)])
def test_import_job_is_its_uploaders_alone(actor, job, expected):
    assert policy.can_view_import_job(actor, job) is expected


COORD_SG = officer(Role.COORDINATOR, agency(8, "SG", "SPF"))
CATALOGS = ("id", "ms", "th", "vi", "km", "lo", "my", "fil", "pt")


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, CATALOGS), (SECRETARIAT, CATALOGS),
    (COORD_MY, ("ms",)), (COORD_TH, ("th",)), (COORD_VN, ("vi",)),
    (COORD_SG, ()),  # Singapore reads English: no catalog of its own
    (SUP_MY, ()), (INV_TH, ()), (PROS_MY, ()), (GONE, ()), (HOLDER, ()), (None, ())])
def test_translation_reviewers(actor, expected):
    assert policy.translation_languages(actor) == expected
    assert policy.can_review_translations(actor) is bool(expected)
