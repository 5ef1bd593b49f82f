"""Keys as an operator meets them: created only by `keys init`, checked at start and by
/healthz, rotated under one lock, every wrapped key counted (import uploads too)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from anice.crypto.keys import FileKeyring, KmsKeyring
from anice.evidence import kek
from anice.imports import service as imports
from anice.imports.sealed import seal_bytes
from anice.models import Evidence, ImportJob, ImportKind

from ..cases.helpers import new_case
from ..crypto.test_keys import RecordingKms
from .test_service import MARKER, pdf_bytes, upload


@pytest.fixture(autouse=True)
def _served(monkeypatch):
    # As gunicorn or a worker loads the app (the flask CLI skips the start check).
    monkeypatch.delenv("FLASK_RUN_FROM_CLI", raising=False)


@pytest.fixture
def stored_evidence(client, db, make, auth):
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    assert upload(client, case.id, pdf_bytes(5000)).status_code == 302
    return inv, case, db.scalar(select(Evidence))


def _health(client):
    response = client.get("/healthz")
    return response.status_code, response.get_json()


def test_evidence_without_its_kek_refuses_start_and_fails_healthz(app, app_config, client, db,
                                                                  stored_evidence):
    """Finding 13: the key mount missing, the app used to start with a brand-new KEK."""
    from anice import create_app

    _, _, ev = stored_evidence
    key_file = Path(app_config["KEY_FILE"])
    key_file.unlink()
    with pytest.raises(kek.KeysMissing, match=ev.kek_id):
        create_app(app_config)
    assert not key_file.exists()  # nothing made in its place
    app.extensions.pop("anice.keyring", None)
    status, body = _health(client)
    assert status == 503 and body["keys"].startswith("error")
    assert str(key_file) not in json.dumps(body) and not key_file.exists()
    # A key file without the KEK the evidence needs is no better.
    FileKeyring.create(key_file)
    with pytest.raises(kek.KeysMissing):
        create_app(app_config)
    assert _health(client)[0] == 503


def test_without_keys_the_app_starts_but_refuses_uploads_until_keys_init(
        app_config, tmp_path, make, auth, db):
    from anice import create_app

    key_file = tmp_path / "no-keys-yet" / "keyring.json"
    app = create_app({**app_config, "KEY_FILE": str(key_file)})
    client = app.test_client()
    status, body = _health(client)
    assert status == 503 and "keys init" in body["keys"]
    inv = make.officer()
    case = new_case(db, inv)
    from ..factories import Auth

    Auth(client, db).login(inv)
    response = upload(client, case.id, pdf_bytes(5000))
    assert response.status_code == 503 and b"keys init" in response.data
    assert not key_file.exists()
    with app.app_context():
        assert db.scalar(select(Evidence)) is None
        result = app.test_cli_runner().invoke(args=["keys", "init"])
    assert result.exit_code == 0 and "created key file" in result.output
    assert key_file.exists()
    assert upload(client, case.id, pdf_bytes(5000)).status_code == 302
    assert _health(client) == (200, {"status": "ok", "database": "ok",
                                     "redis": "not configured", "keys": "ok",
                                     "audit_key": "ok"})
    again = app.test_cli_runner().invoke(args=["keys", "init"])
    assert again.exit_code == 0 and "already there" in again.output


def test_keys_init_will_not_replace_a_lost_key_file(app, app_config, runner, stored_evidence):
    key_file = Path(app_config["KEY_FILE"])
    key_file.unlink()
    app.extensions.pop("anice.keyring", None)
    result = runner.invoke(args=["keys", "init"])
    assert result.exit_code == 1 and "restore the key file" in result.output
    assert not key_file.exists()
    status = runner.invoke(args=["keys", "status"])
    assert status.exit_code == 1 and "keys init" in status.output
    assert "Traceback" not in status.output


def _import_job(db, actor, data: bytes) -> ImportJob:
    from anice.evidence import runtime

    sealed = seal_bytes(runtime.storage(), runtime.keyring(), data, "rights.csv")
    job = imports.create_job(db, actor, ImportKind.RIGHTS, sealed)
    db.commit()
    return job


def test_rotation_counts_and_rewraps_import_uploads(app, db, runner, stored_evidence):
    """Finding 15: an import upload's key was not counted, so `keys retire` dropped its KEK."""
    inv, _, ev = stored_evidence
    old = ev.kek_id
    job = _import_job(db, inv, MARKER * 100)
    assert kek.kek_usage(db) == {old: 2}
    assert "wraps 2 data keys" in runner.invoke(args=["keys", "status"]).output
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    db.expire_all()
    new = db.get(ImportJob, job.id).kek_id
    assert new != old and db.get(Evidence, ev.id).kek_id == new
    assert kek.kek_usage(db) == {new: 2}
    assert f"retired {old}" in runner.invoke(args=["keys", "retire"]).output
    assert imports.read_upload(db.get(ImportJob, job.id)) == MARKER * 100


def test_a_second_key_operation_is_refused_while_one_runs(app, app_config, db, runner,
                                                          stored_evidence):
    """Two `keys rotate` at once must not both rewrite the key file or the wrapped keys."""
    before = Path(app_config["KEY_FILE"]).read_bytes()
    with app.app_context(), kek.keys_lock():
        for command in (["keys", "rotate"], ["keys", "rewrap"], ["keys", "retire"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 1 and "another key operation" in result.output
    assert Path(app_config["KEY_FILE"]).read_bytes() == before
    assert runner.invoke(args=["keys", "rotate"]).exit_code == 0
    db.expire_all()
    assert db.scalar(select(Evidence)).kek_id == FileKeyring(app_config["KEY_FILE"]).primary_id()


def test_an_unreachable_kms_is_a_503_and_a_clear_cli_message(app, client, db, runner,
                                                             stored_evidence):
    _, _, ev = stored_evidence
    kms = RecordingKms(primary=ev.kek_id)
    app.extensions["anice.keyring"] = KmsKeyring(kms, [ev.kek_id])
    kms.down = True
    response = client.get(f"/evidence/{ev.public_id}/download")
    assert response.status_code == 503 and b"keys" in response.data
    assert MARKER not in response.data
    assert _health(client)[0] == 503
    result = runner.invoke(args=["keys", "status"])
    assert result.exit_code == 1 and "KMS did not answer" in result.output


def test_only_serving_is_refused_not_the_repair_commands(app_config, monkeypatch,
                                                         stored_evidence):
    """`flask --app wsgi keys status` / `backup restore` must load the app in exactly the
    state `flask run` and gunicorn refuse."""
    import click

    from anice import create_app

    Path(app_config["KEY_FILE"]).unlink()
    monkeypatch.setenv("FLASK_RUN_FROM_CLI", "true")
    assert create_app(app_config) is not None  # a `flask --app wsgi keys ...` command
    with click.Context(click.Command("run")), pytest.raises(kek.KeysMissing):
        create_app(app_config)  # `flask --app wsgi run`


def test_an_unusable_key_file_with_evidence_is_a_503(app, app_config, client, stored_evidence):
    import os

    os.chmod(app_config["KEY_FILE"], 0o644)
    app.extensions.pop("anice.keyring", None)
    app.extensions.pop("anice.kek_usage", None)
    status, body = _health(client)
    assert status == 503 and body["keys"].startswith("error")
