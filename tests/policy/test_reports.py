"""Who reads which report: the access table on plain objects (no database)."""

from __future__ import annotations

import pytest

from anice import policy
from anice.models.report import Report, ScopeLevel

from .cast import (
    ADMIN,
    COORD_MY,
    COORD_TH,
    GONE,
    INV_MY,
    MY_CUSTOMS,
    MY_POLICE,
    PROS_MY,
    SECRETARIAT,
    SUP_MY,
    SUP_MY_CUSTOMS,
)


def report(level: str, country: str | None = None, agency_id: int | None = None) -> Report:
    return Report(id=1, scope_level=ScopeLevel(level), country_code=country,
                  agency_id=agency_id)


REGION = report("region")
MY = report("country", "MY")
TH = report("country", "TH")
MY_POLICE_REPORT = report("agency", "MY", MY_POLICE.id)
MY_CUSTOMS_REPORT = report("agency", "MY", MY_CUSTOMS.id)


@pytest.mark.parametrize("actor, target, expected", [
    (SUP_MY, MY_POLICE_REPORT, True), (SUP_MY, MY_CUSTOMS_REPORT, False),
    (SUP_MY, MY, False), (SUP_MY, REGION, False),
    (SUP_MY_CUSTOMS, MY_CUSTOMS_REPORT, True), (SUP_MY_CUSTOMS, MY_POLICE_REPORT, False),
    (COORD_MY, MY, True), (COORD_MY, TH, False), (COORD_MY, MY_POLICE_REPORT, False),
    (COORD_MY, REGION, False), (COORD_TH, TH, True), (COORD_TH, MY, False),
    (SECRETARIAT, REGION, True), (SECRETARIAT, MY, False),
    (SECRETARIAT, MY_POLICE_REPORT, False),
    (ADMIN, REGION, False), (ADMIN, MY, False),          # admins read no figures
    (INV_MY, MY_POLICE_REPORT, False), (PROS_MY, MY_POLICE_REPORT, False),
    (INV_MY, MY, False), (GONE, REGION, False), (None, REGION, False),
])
def test_can_view_report(actor, target, expected):
    assert policy.can_view_report(actor, target) is expected


@pytest.mark.parametrize("actor, expected", [
    (SUP_MY, True), (COORD_MY, True), (SECRETARIAT, True), (ADMIN, False), (INV_MY, False),
    (PROS_MY, False), (GONE, False), (None, False)])
def test_reports_area_offered(actor, expected):
    assert policy.can_view_reports(actor) is expected


@pytest.mark.parametrize("actor, scope", [
    (SUP_MY, [("agency", "MY", MY_POLICE.id)]), (COORD_MY, [("country", "MY", None)]),
    (SECRETARIAT, [("region", None, None)]), (ADMIN, []), (INV_MY, [])])
def test_report_scopes(actor, scope):
    assert policy.report_scopes(actor) == scope


@pytest.mark.parametrize("actor, level, country, agency, expected", [
    (COORD_MY, "country", "MY", None, True), (COORD_MY, "country", "TH", None, False),
    (SUP_MY, "agency", "MY", MY_POLICE.id, True), (SUP_MY, "agency", "MY", MY_CUSTOMS.id, False),
    (SECRETARIAT, "region", None, None, True), (SECRETARIAT, "country", "MY", None, False),
    (ADMIN, "region", None, None, False)])
def test_can_request_report(actor, level, country, agency, expected):
    assert policy.can_request_report(actor, level, country, agency) is expected


def test_the_secretariat_reads_no_case():
    assert SECRETARIAT.role not in policy.CASE_READERS
    assert policy.can_export_cases(SECRETARIAT) is False


def made(level: str, schema: int | None, country: str | None = "MY",
         agency_id: int | None = None) -> Report:
    found = report(level, None if level == "region" else country, agency_id)
    found.figures = None if schema is None else {"schema": schema}
    return found


@pytest.mark.parametrize("actor, target, expected", [
    # Made before reports followed case visibility (schema 1): not delivered above the agency.
    (COORD_MY, made("country", 1), False), (COORD_MY, made("country", 2), True),
    (SECRETARIAT, made("region", 1), False), (SECRETARIAT, made("region", 2), True),
    (SUP_MY, made("agency", 1, agency_id=MY_POLICE.id), True),
    (COORD_MY, made("country", None), True),  # queued: no figure yet
])
def test_reports_made_before_the_visibility_rule(actor, target, expected):
    assert policy.can_view_report(actor, target) is expected


@pytest.mark.parametrize("actor, level, country, agency, expected", [
    (SUP_MY, "agency", "MY", MY_POLICE.id, True), (SUP_MY, "agency", "MY", MY_CUSTOMS.id, False),
    (SUP_MY, "country", "MY", None, False),
    (COORD_MY, "country", "MY", None, True), (COORD_MY, "country", "TH", None, False),
    (COORD_MY, "region", None, None, False), (COORD_TH, "country", "TH", None, True),
    (SECRETARIAT, "region", None, None, True), (SECRETARIAT, "agency", "MY", MY_POLICE.id, False),
    (ADMIN, "region", None, None, False), (INV_MY, "agency", "MY", MY_POLICE.id, False),
    (GONE, "region", None, None, False), (None, "region", None, None, False)])
def test_can_view_report_scope(actor, level, country, agency, expected):
    assert policy.can_view_report_scope(actor, level, country, agency) is expected


@pytest.mark.parametrize("target, expected", [
    (made("agency", 1, agency_id=MY_POLICE.id), True), (made("agency", 2), True),
    (made("country", 1), False), (made("country", 2), True), (made("country", 3), True),
    (made("region", 1), False), (made("region", 2), True),
    (made("country", None), True), (made("region", None), True)])
def test_report_deliverable(target, expected):
    assert policy.report_deliverable(target) is expected
