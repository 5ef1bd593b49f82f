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
    first = runner.invoke(args=["demo", "load", "--cases", "5", "--not-embedded-ok"])
    assert first.exit_code == 0 and "coordinator.my@anice.demo" in first.output
    again = runner.invoke(args=["demo", "load", "--not-embedded-ok"])
    assert again.output.strip() == "demo data already loaded"
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


def test_create_admin_reinvite(runner, db, client):
    assert runner.invoke(args=["create-admin", "ops@anice.demo", "--name", "Ops"]).exit_code == 0
    old = runner.invoke(args=["create-admin", "ops@anice.demo", "--name", "Ops"])
    assert old.exit_code == 2 and "already belongs" in old.output
    again = runner.invoke(args=["create-admin", "ops@anice.demo", "--name", "Ops", "--reinvite"])
    assert again.exit_code == 0 and "reinvited" in again.output
    link = again.output.strip().splitlines()[-1]
    assert client.get(link[link.index("/invite/"):]).status_code == 200
    nobody = runner.invoke(args=["create-admin", "x@anice.demo", "--name", "X", "--reinvite"])
    assert nobody.exit_code == 2 and "email" in nobody.output


def test_create_admin_reinvite_needs_no_name(runner, db, client):
    missing = runner.invoke(args=["create-admin", "ops@anice.demo"])
    assert missing.exit_code == 2 and "--name is required" in missing.output
    assert db.scalar(select(func.count()).select_from(Officer)) == 0
    assert runner.invoke(args=["create-admin", "ops@anice.demo", "--name", "Ops"]).exit_code == 0
    again = runner.invoke(args=["create-admin", "ops@anice.demo", "--reinvite"])
    assert again.exit_code == 0 and "reinvited" in again.output
    link = again.output.strip().splitlines()[-1]
    assert client.get(link[link.index("/invite/"):]).status_code == 200
    admin = db.scalar(select(Officer).where(Officer.email == "ops@anice.demo"))
    assert admin.name == "Ops"


def test_demo_load_refuses_a_server_database(app, runner):
    app.config["DATABASE_URL"] = "postgresql+psycopg://u@127.0.0.1:1/x"
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 2 and "--not-embedded-ok" in result.output


@pytest.mark.sqlite_only
def test_demo_load_creates_the_keys_explicitly(app_config, tmp_path):
    """Keys are never made on first use: `demo load` (like `make run`) runs `keys init`."""
    from anice import create_app

    key_file = tmp_path / "demo-keys" / "keyring.json"
    app = create_app({**app_config, "KEY_FILE": str(key_file)})
    result = app.test_cli_runner().invoke(args=["demo", "load", "--cases", "0",
                                                "--not-embedded-ok"])
    assert result.exit_code == 0, result.output
    assert "created key file" in result.output and key_file.exists()
