"""Operator commands."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import func, select

from anice.models import Agency, Country, Officer, Role


def test_create_admin_prints_a_working_invitation(runner, db, client):
    result = runner.invoke(args=["create-admin", "ops@anice.demo", "--name", "Ops Admin"])
    assert result.exit_code == 0, result.output
    link = result.output.strip().splitlines()[-1]
    path = link[link.index("/invite/"):]
    assert client.get(path).status_code == 200
    admin = db.scalar(select(Officer).where(Officer.email == "ops@anice.demo"))
    assert admin.role == Role.ADMIN and not admin.active
    assert db.scalar(select(func.count()).select_from(Country)) == 11


@pytest.mark.parametrize("args, message", [
    (["create-admin", "not-an-email", "--name", "X"], "email"),
    (["create-admin", "a@anice.demo", "--name", " "], "name"),
    (["create-admin", "a@anice.demo", "--name", "X", "--country", "ZZ"], "country"),
])
def test_create_admin_bad_arguments(runner, db, args, message):
    result = runner.invoke(args=args)
    assert result.exit_code == 2 and message in result.output
    assert db.scalar(select(func.count()).select_from(Officer)) == 0


def test_demo_load_is_idempotent_and_usable(runner, db, client):
    first = runner.invoke(args=["demo", "load", "--cases", "5"])
    assert first.exit_code == 0 and "coordinator.my@anice.demo" in first.output
    assert runner.invoke(args=["demo", "load"]).output.strip() == "demo data already loaded"
    per_country = dict(db.execute(select(Agency.country_code, func.count())
                                  .group_by(Agency.country_code)).all())
    assert len(per_country) == 11 and all(n >= 2 for n in per_country.values())
    roles = set(db.scalars(select(Officer.role)))
    assert roles == set(Role)
    line = next(x for x in first.output.splitlines() if "investigator.my@" in x)
    secret = line.split("TOTP")[1].strip()
    response = client.post("/login", data={"email": "investigator.my@anice.demo",
                                           "password": "demo passphrase for anice 2026",
                                           "code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    code = runner.invoke(args=["demo", "totp", "investigator.my@anice.demo"])
    assert code.exit_code == 0 and len(code.output.strip()) == 6
