"""Backup and restore drill: back up a deployment, restore it into an empty one, and check
that every evidence file decrypts to its recorded SHA-256 and the audit chain verifies.

Runs on SQLite and PostgreSQL, with evidence on local files and on S3 (a moto server).
"""

from __future__ import annotations

import hashlib
import itertools
import json
import os
from pathlib import Path

import pytest
from sqlalchemy import func, select

from anice.models import AuditEvent, CustodyEvent, Evidence, EvidenceDerivative, Role

from .cases.helpers import new_case
from .conftest import TEST_CONFIG
from .evidence.test_service import pdf_bytes, upload
from .storage.conftest import CREDENTIALS, s3_endpoint  # noqa: F401  (fixture)

PASSPHRASE = "correct horse battery staple 42"
_targets = itertools.count()


@pytest.fixture(params=["local", "s3"])
def storage_kind(request):
    return request.param


def storage_config(kind: str, root: Path, request) -> dict:
    if kind == "local":
        return {"EVIDENCE_STORAGE": "local", "EVIDENCE_DIR": str(root / "evidence")}
    from anice.storage.s3 import S3Storage

    endpoint = request.getfixturevalue("s3_endpoint")
    bucket = f"anice-backup-{os.getpid()}-{next(_targets)}"
    S3Storage(bucket=bucket, endpoint_url=endpoint, **CREDENTIALS).client.create_bucket(
        Bucket=bucket)
    return {"EVIDENCE_STORAGE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint,
            "S3_ACCESS_KEY_ID": CREDENTIALS["access_key"],
            "S3_SECRET_ACCESS_KEY": CREDENTIALS["secret_key"]}


@pytest.fixture
def app_config(database_url, tmp_path, storage_kind, request):
    source = tmp_path / "source"
    return {**TEST_CONFIG, "DATABASE_URL": database_url, "DATA_DIR": str(source / "data"),
            "KEY_FILE": str(source / "keys" / "keyring.json"),
            **storage_config(storage_kind, source, request)}


@pytest.fixture
def empty_deployment(backend, storage_kind, tmp_path, request):
    """A new database (not even migrated), an empty store, no key file, another data folder."""
    root = tmp_path / "restored"
    config = {**TEST_CONFIG, "DATA_DIR": str(root / "data"),
              "KEY_FILE": str(root / "keys" / "keyring.json"),
              **storage_config(storage_kind, root, request)}
    if backend == "sqlite":
        (root / "db").mkdir(parents=True)
        yield {**config, "DATABASE_URL": f"sqlite:///{root / 'db' / 'anice.db'}"}
        return
    import psycopg

    server = request.getfixturevalue("postgres")
    name = f"restored_{os.getpid()}_{next(_targets)}"
    dsn = f"host=127.0.0.1 port={server.port} user=anice dbname=postgres"
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield {**config, "DATABASE_URL": server.url(name)}
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def passphrase_file(tmp_path):
    path = tmp_path / "passphrase"
    path.write_text(PASSPHRASE + "\n")
    return path


def png_bytes() -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def build_data(client, db, make, auth) -> dict[str, str]:
    """A case with three evidence files (one image, so a thumbnail too) and one shredded."""
    inv = make.officer()
    case = new_case(db, inv)
    auth.login(inv)
    files = {"scan.pdf": pdf_bytes(300_000), "photo.png": png_bytes(),
             "big.pdf": pdf_bytes(1_300_000),
             "gone.pdf": pdf_bytes(5_000)}
    for name, data in files.items():
        assert upload(client, case.id, data, name=name).status_code == 302
    auth.logout()
    from anice.evidence import service

    supervisor = make.officer(role=Role.SUPERVISOR, agency=inv.agency)
    db.expire_all()  # the uploads changed the case in other sessions
    gone = db.scalar(select(Evidence).where(Evidence.original_name == "gone.pdf"))
    service.shred(db, supervisor, gone.public_id, "destroyed by court order")
    db.commit()
    return {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}


def test_restore_drill(app, client, db, make, auth, runner, empty_deployment, tmp_path,
                       passphrase_file, backend, storage_kind):
    sums = build_data(client, db, make, auth)
    assert db.scalar(select(func.count()).select_from(EvidenceDerivative)) >= 1
    audit_rows = db.scalar(select(func.count()).select_from(AuditEvent))
    custody_rows = db.scalar(select(func.count()).select_from(CustodyEvent))

    folder = tmp_path / "backups" / "nightly"
    made = runner.invoke(args=["backup", "create", str(folder),
                               "--passphrase-file", str(passphrase_file)])
    assert made.exit_code == 0, made.output
    keys = Path(f"{folder}.keys")
    assert keys.exists() and not (folder / keys.name).exists()
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["objects"]) == 3 + manifest_derivatives(db)  # not the shredded one
    assert manifest["database"]["backend"] == backend
    assert runner.invoke(args=["backup", "check", str(folder)]).exit_code == 0
    for path in [folder, *folder.rglob("*"), keys]:  # readable by the operator only
        assert path.stat().st_mode & 0o077 == 0, path
    # Only ciphertext in the backup, and no key in clear in the key export.
    kek = json.loads(Path(app.config["KEY_FILE"]).read_text())
    for path in [*folder.rglob("*"), keys]:
        if path.is_file():
            content = path.read_bytes()
            assert b"ANICE-PLAINTEXT-MARKER" not in content, path
            for entry in kek["keys"].values():
                assert entry["key"].encode() not in content, path

    from anice import create_app

    restored = create_app(empty_deployment)
    # The test holds the source app's context open: commands must run in the new one's.
    with restored.app_context():
        new_runner = restored.test_cli_runner()
        if storage_kind == "s3":  # also a target that was migrated, but holds nothing yet
            assert new_runner.invoke(args=["db", "upgrade"]).exit_code == 0
        out = new_runner.invoke(args=["backup", "restore", str(folder), "--keys", str(keys),
                                      "--passphrase-file", str(passphrase_file)])
        assert out.exit_code == 0, out.output
        assert new_runner.invoke(args=["db", "upgrade"]).exit_code == 0
        check = new_runner.invoke(args=["audit", "verify"])
        assert check.exit_code == 0 and f"audit chain intact: {audit_rows} rows" in check.output
        from anice import db as anice_db
        from anice.evidence import runtime, service

        session = anice_db.session()
        assert session.scalar(select(func.count()).select_from(CustodyEvent)) == custody_rows
        items = session.scalars(select(Evidence).order_by(Evidence.id)).all()
        held = [e for e in items if e.dek_wrapped is not None]
        assert {e.original_name for e in held} == {"scan.pdf", "photo.png", "big.pdf"}
        for evidence in held:
            digest = hashlib.sha256(b"".join(service.plaintext(evidence))).hexdigest()
            assert digest == evidence.sha256 == sums[evidence.original_name]
        store = runtime.storage()
        for derivative in session.scalars(select(EvidenceDerivative)):
            assert store.exists(derivative.storage_key)
        verified = new_runner.invoke(args=["evidence", "verify"])
        assert verified.exit_code == 0 and "3 of 3 evidence items verified" in verified.output
    restored.extensions["anice.engine"].dispose()


def manifest_derivatives(db) -> int:
    return db.scalar(select(func.count()).select_from(EvidenceDerivative))


@pytest.mark.sqlite_only
@pytest.mark.parametrize("storage_kind", ["local"])
def test_restore_refuses_damage_and_wrong_keys(app, client, db, make, auth, runner, tmp_path,
                                               passphrase_file, empty_deployment):
    build_data(client, db, make, auth)
    folder = tmp_path / "b"
    assert runner.invoke(args=["backup", "create", str(folder),
                               "--passphrase-file", str(passphrase_file)]).exit_code == 0
    keys = Path(f"{folder}.keys")
    from anice import create_app

    target = create_app(empty_deployment)
    restore = target.test_cli_runner()
    with target.app_context():
        wrong = tmp_path / "wrong"
        wrong.write_text("not the passphrase at all")
        out = restore.invoke(args=["backup", "restore", str(folder), "--keys", str(keys),
                                   "--passphrase-file", str(wrong)])
        assert out.exit_code != 0 and "passphrase is wrong" in out.output
        out = restore.invoke(args=["backup", "restore", str(folder)])
        assert out.exit_code != 0 and "no key for KEK" in out.output
        victim = next(p for p in (folder / "objects").rglob("*") if p.is_file())
        victim.write_bytes(victim.read_bytes()[:-1] + b"\0")
        check = restore.invoke(args=["backup", "check", str(folder)])
        assert check.exit_code == 1 and "differs from the manifest" in check.output
        out = restore.invoke(args=["backup", "restore", str(folder), "--keys", str(keys),
                                   "--passphrase-file", str(passphrase_file)])
        assert out.exit_code != 0 and "damaged" in out.output
        # Nothing was written by the refused restores.
        assert not Path(empty_deployment["DATA_DIR"], "evidence").exists()
        assert not Path(empty_deployment["KEY_FILE"]).exists()
    target.extensions["anice.engine"].dispose()


@pytest.mark.parametrize("storage_kind", ["local"])
def test_restore_refuses_a_database_in_use(app, client, db, make, auth, runner, tmp_path,
                                           passphrase_file):
    build_data(client, db, make, auth)
    folder = tmp_path / "b"
    assert runner.invoke(args=["backup", "create", str(folder), "--without-keys"]
                         ).exit_code == 0
    assert not Path(f"{folder}.keys").exists()
    out = runner.invoke(args=["backup", "restore", str(folder)])
    assert out.exit_code != 0 and "not empty" in out.output
    again = runner.invoke(args=["backup", "create", str(folder), "--without-keys"])
    assert again.exit_code != 0 and "not empty" in again.output


@pytest.mark.sqlite_only
def test_key_export_round_trip_and_short_passphrase():
    from anice.backup import keys as backup_keys

    material = {"keks": {"primary": "k1", "keys": {"k1": {"key": "AAAA"}}}, "secret_key": "s"}
    blob = backup_keys.seal(material, PASSPHRASE)
    assert b"AAAA" not in blob
    assert backup_keys.open_sealed(blob, PASSPHRASE) == material
    import base64

    outer = json.loads(blob)
    sealed = bytearray(base64.b64decode(outer["sealed"]))
    sealed[0] ^= 1
    outer["sealed"] = base64.b64encode(bytes(sealed)).decode()
    with pytest.raises(backup_keys.KeyExportError, match="wrong or the key export was changed"):
        backup_keys.open_sealed(json.dumps(outer).encode(), PASSPHRASE)
    with pytest.raises(backup_keys.KeyExportError, match="passphrase is wrong"):
        backup_keys.open_sealed(blob, PASSPHRASE + "!")
    with pytest.raises(backup_keys.KeyExportError, match="at least"):
        backup_keys.seal(material, "short")


def legacy_scrypt_export(material: dict, passphrase: str, n: int = 2**15, **kdf) -> bytes:
    """A key export as ANICE wrote it before 2026-12 (scrypt N=2^15), or with other params."""
    import base64
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    key = Scrypt(salt=salt, length=32, n=min(n, 2**15), r=8, p=1).derive(passphrase.encode())
    sealed = AESGCM(key).encrypt(nonce, json.dumps(material).encode(), b"anice-keys-1")
    return json.dumps({"format": "anice-keys-1",
                       "kdf": {"name": "scrypt", "n": n, "r": 8, "p": 1,
                               "salt": base64.b64encode(salt).decode(), **kdf},
                       "nonce": base64.b64encode(nonce).decode(),
                       "sealed": base64.b64encode(sealed).decode()}).encode()


MATERIAL = {"keks": {"primary": "k1", "keys": {"k1": {"key": "AAAA"}}}, "secret_key": "s"}


@pytest.mark.sqlite_only
def test_new_key_exports_use_argon2id_with_current_parameters():
    from anice.backup import keys as backup_keys

    kdf = json.loads(backup_keys.seal(MATERIAL, PASSPHRASE))["kdf"]
    assert kdf["name"] == "argon2id"
    assert kdf["memory_kib"] >= 64 * 1024 and kdf["time_cost"] >= 3
    assert backup_keys.reseal_advice(backup_keys.seal(MATERIAL, PASSPHRASE)) is None


@pytest.mark.sqlite_only
@pytest.mark.parametrize("kdf, field", [
    ({"name": "scrypt", "n": 2**40}, "n"),
    ({"name": "scrypt", "r": 10**6}, "r"),
    ({"name": "scrypt", "p": 64}, "p"),
    ({"name": "argon2id", "time_cost": 3, "memory_kib": 64 * 2**30, "parallelism": 4},
     "memory_kib"),
    ({"name": "argon2id", "time_cost": 10**6, "memory_kib": 65536, "parallelism": 4},
     "time_cost"),
    ({"name": "argon2id", "time_cost": 3, "memory_kib": 65536, "parallelism": "4"},
     "parallelism"),
])
def test_key_export_parameters_from_the_file_are_bounded(kdf, field):
    """An absurd parameter is refused by name before any work (no memory or CPU bomb)."""
    from anice.backup import keys as backup_keys

    outer = json.loads(legacy_scrypt_export(MATERIAL, PASSPHRASE))
    outer["kdf"].update(kdf)
    with pytest.raises(backup_keys.KeyExportError, match=f"parameter {field} .* refused"):
        backup_keys.open_sealed(json.dumps(outer).encode(), PASSPHRASE)


@pytest.mark.sqlite_only
def test_old_scrypt_exports_still_open_and_can_be_resealed(app, runner, tmp_path,
                                                         passphrase_file):
    from anice.backup import keys as backup_keys

    path = tmp_path / "old.keys"
    path.write_bytes(legacy_scrypt_export(MATERIAL, PASSPHRASE))
    assert backup_keys.open_sealed(path.read_bytes(), PASSPHRASE) == MATERIAL
    assert "re-seal it" in backup_keys.reseal_advice(path.read_bytes())
    out = runner.invoke(args=["backup", "reseal-keys", str(path),
                              "--passphrase-file", str(passphrase_file)])
    assert out.exit_code == 0, out.output
    assert json.loads(path.read_bytes())["kdf"]["name"] == "argon2id"
    assert path.stat().st_mode & 0o077 == 0
    assert backup_keys.open_sealed(path.read_bytes(), PASSPHRASE) == MATERIAL
    assert backup_keys.reseal_advice(path.read_bytes()) is None
