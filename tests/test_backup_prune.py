"""A shred reaches retained backups: ``backup prune-shredded`` rewrites a backup made before
the shred so that restoring it does not revive the item (SQLite and PostgreSQL)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from anice.models import Evidence, EvidenceDerivative, Role

from . import test_backup
from .cases.helpers import new_case
from .evidence.test_service import pdf_bytes, upload
from .test_backup import png_bytes

# The restore drill's deployment fixtures (a source app and an empty target).
app_config = test_backup.app_config
empty_deployment = test_backup.empty_deployment
passphrase_file = test_backup.passphrase_file


@pytest.fixture
def storage_kind():
    return "local"


def held_then_shredded(client, db, make, auth, runner, folder, passphrase_file):
    """Two items backed up; then one (an image, with its thumbnail) shredded."""
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    for name, data in (("kept.pdf", pdf_bytes(40_000)), ("doomed.png", png_bytes())):
        assert upload(client, case.id, data, name=name).status_code == 302
    auth.logout()
    db.expire_all()
    doomed = db.scalar(select(Evidence).where(Evidence.original_name == "doomed.png"))
    thumbs = list(db.scalars(select(EvidenceDerivative)
                             .where(EvidenceDerivative.evidence_id == doomed.id)))
    assert thumbs
    secrets = {"keys": [doomed.dek_wrapped, *(t.dek_wrapped for t in thumbs)],
               "objects": [doomed.storage_key, *(t.storage_key for t in thumbs)],
               "public_id": doomed.public_id}
    made = runner.invoke(args=["backup", "create", str(folder),
                               "--passphrase-file", str(passphrase_file)])
    assert made.exit_code == 0, made.output
    from anice.evidence import service

    supervisor = make.officer(role=Role.SUPERVISOR, agency=inv.agency)
    service.shred(db, supervisor, doomed.public_id, "destroyed by court order 12/2026")
    db.commit()
    return secrets


def assert_no_trace(folder: Path, secrets: dict) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    assert not set(secrets["objects"]) & set(manifest["objects"])
    for key in secrets["objects"]:
        assert not (folder / "objects" / key).exists()
    for path in folder.rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            for key in secrets["keys"]:
                # Raw (SQLite) or as PostgreSQL writes bytea in a script.
                assert key not in content and key.hex().encode() not in content, path
    assert [p.name for p in folder.parent.iterdir()] == [folder.name, f"{folder.name}.keys"]


def test_prune_shredded_keeps_a_restore_from_reviving_the_item(
        app, client, db, make, auth, runner, tmp_path, passphrase_file, empty_deployment):
    folder = tmp_path / "backups" / "nightly"
    secrets = held_then_shredded(client, db, make, auth, runner, folder, passphrase_file)
    kept_sha = hashlib.sha256(pdf_bytes(40_000)).hexdigest()

    out = runner.invoke(args=["backup", "prune-shredded", str(folder)])
    assert out.exit_code == 0, out.output
    assert f"pruned 1 shredded item(s) ({secrets['public_id']})" in out.output
    assert f"1 derived row(s) and {len(secrets['objects'])} object(s)" in out.output
    assert runner.invoke(args=["backup", "check", str(folder)]).exit_code == 0
    assert_no_trace(folder, secrets)
    again = runner.invoke(args=["backup", "prune-shredded", str(folder)])
    assert again.exit_code == 0 and "nothing to prune" in again.output

    from anice import create_app

    restored = create_app(empty_deployment)
    with restored.app_context():
        new_runner = restored.test_cli_runner()
        out = new_runner.invoke(args=["backup", "restore", str(folder),
                                      "--keys", f"{folder}.keys",
                                      "--passphrase-file", str(passphrase_file)])
        assert out.exit_code == 0, out.output
        from anice import db as anice_db
        from anice.errors import Invalid
        from anice.evidence import service

        session = anice_db.session()
        items = {e.original_name: e for e in session.scalars(select(Evidence))}
        doomed = items["doomed.png"]
        assert doomed.status.value == "shredded" and doomed.dek_wrapped is None
        assert doomed.shredded_at is not None
        assert session.scalars(select(EvidenceDerivative)).all() == []
        with pytest.raises(Invalid):
            service.plaintext(doomed)
        kept = b"".join(service.plaintext(items["kept.pdf"]))
        assert hashlib.sha256(kept).hexdigest() == kept_sha
        verified = new_runner.invoke(args=["evidence", "verify"])
        assert verified.exit_code == 0 and "1 of 1 evidence items verified" in verified.output
        assert new_runner.invoke(args=["audit", "verify"]).exit_code == 0
    restored.extensions["anice.engine"].dispose()


@pytest.mark.sqlite_only
def test_prune_refuses_a_damaged_backup_and_leaves_it(app, client, db, make, auth, runner,
                                                      tmp_path, passphrase_file):
    folder = tmp_path / "backups" / "b"
    held_then_shredded(client, db, make, auth, runner, folder, passphrase_file)
    victim = next(p for p in (folder / "objects").rglob("*") if p.is_file())
    victim.write_bytes(victim.read_bytes() + b"\0")
    before = (folder / "manifest.json").read_bytes()
    out = runner.invoke(args=["backup", "prune-shredded", str(folder)])
    assert out.exit_code == 1 and "damaged, not pruned" in out.output
    assert (folder / "manifest.json").read_bytes() == before
    assert sorted(p.name for p in folder.parent.iterdir()) == ["b", "b.keys"]


@pytest.mark.sqlite_only
def test_prune_refuses_a_backup_another_run_is_pruning(app, client, db, make, auth, runner,
                                                       tmp_path, passphrase_file):
    import fcntl
    import os

    folder = tmp_path / "backups" / "b"
    held_then_shredded(client, db, make, auth, runner, folder, passphrase_file)
    before = (folder / "manifest.json").read_bytes()
    held = os.open(folder, os.O_RDONLY)
    try:
        fcntl.flock(held, fcntl.LOCK_EX)
        out = runner.invoke(args=["backup", "prune-shredded", str(folder)])
    finally:
        os.close(held)
    assert out.exit_code == 1 and "being pruned by another process" in out.output
    assert (folder / "manifest.json").read_bytes() == before
    assert runner.invoke(args=["backup", "prune-shredded", str(folder)]).exit_code == 0
    assert (folder / "manifest.json").read_bytes() != before
