"""The hash-chained audit log: tamper detection, concurrency, CLI."""

from __future__ import annotations

import hashlib
import json
import threading

import pytest
from sqlalchemy import select, text, update

from anice import audit
from anice.models import AuditEvent, Role


def write_events(db, make, n=5):
    actor = make.officer(Role.COORDINATOR)
    for i in range(n):
        audit.record(db, actor, "test.event", actor, country_code="MY", details={"i": i})
    db.commit()
    return actor


def test_chain_verifies(db, make):
    write_events(db, make)
    result = audit.verify(db)
    assert result.ok and result.checked == 5


def test_edit_behind_the_apps_back_is_found(db, make):
    write_events(db, make)
    third = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[2]
    # A DBA "fixes" a row directly in SQL.
    db.execute(text("UPDATE audit_event SET actor_label = 'someone else' WHERE id = :id"),
               {"id": third.id})
    db.commit()
    db.expire_all()
    result = audit.verify(db)
    assert not result.ok and result.broken_id == third.id and result.checked == 2


def test_deleted_row_is_found(db, make):
    write_events(db, make)
    second = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[1]
    db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": second.id})
    db.commit()
    result = audit.verify(db)
    assert not result.ok and result.broken_id == second.id + 1


def test_truncated_tail_is_found(db, make):
    write_events(db, make)
    last = db.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    db.execute(text("DELETE FROM audit_event WHERE id = :id"), {"id": last.id})
    db.commit()
    result = audit.verify(db)
    assert not result.ok and "missing at the end" in result.reason


def test_rolled_back_change_leaves_no_audit_row(db, make):
    actor = make.officer(Role.COORDINATOR)
    audit.record(db, actor, "test.rolled_back")
    db.rollback()
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == "test.rolled_back")) is None
    assert audit.verify(db).ok


def test_concurrent_writers_keep_one_chain(app, db, make):
    actor_id = make.officer(Role.COORDINATOR).id
    errors: list[Exception] = []

    def worker(n: int) -> None:
        from anice import db as anice_db
        from anice.models import Officer

        try:
            with app.app_context():
                session = anice_db.session()
                for i in range(10):
                    audit.record(session, session.get(Officer, actor_id), "test.concurrent",
                                 details={"worker": n, "i": i})
                    session.commit()
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    db.expire_all()
    result = audit.verify(db)
    assert result.ok and result.checked == 40


def test_cli_verify_names_the_broken_row(app, db, make, runner):
    write_events(db, make, n=3)
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and "intact: 3 rows" in ok.output
    first = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).first()
    db.execute(update(AuditEvent).where(AuditEvent.id == first.id)
               .values(details={"i": 99}))
    db.commit()
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"BROKEN at row {first.id}" in broken.output


@pytest.mark.parametrize("action", ["login", "login.failed"])
def test_logins_are_audited_with_address(client, auth, make, db, action):
    from sqlalchemy import select as sel

    officer = make.officer()
    if action == "login":
        auth.login(officer)
    else:
        auth.login(officer, code="000000")
    event = db.scalar(sel(AuditEvent).where(AuditEvent.action == action))
    assert event.client_addr == "127.0.0.1" and event.object_id == str(officer.id)
    assert event.country_code == officer.country_code


# A database-only attacker: rewrites rows with SQL and recomputes the links and the head.

def plain_link(prev_hash: str, event: AuditEvent) -> str:
    """The unkeyed SHA-256 link (what anyone can recompute without the audit key)."""
    payload = [prev_hash, event.at.isoformat(), event.actor_id, event.actor_label, event.action,
               event.object_type, event.object_id, event.country_code, event.client_addr,
               event.details]
    raw = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(raw.encode()).hexdigest()


def rewrite_chain(db, from_id: int, link, set_key_id: bool = False) -> None:
    """Recompute every link from row ``from_id`` on with ``link(prev, event)``, then the head."""
    db.expire_all()
    rows = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    prev = audit.GENESIS
    for event in rows:
        if event.id >= from_id:
            new = link(prev, event)
            values = {"prev": prev, "hash": new, "id": event.id}
            extra = ", key_id = NULL" if set_key_id else ""
            db.execute(text(f"UPDATE audit_event SET prev_hash = :prev, hash = :hash{extra} "  # noqa: S608  # nosec B608
                            "WHERE id = :id"), values)
            prev = new
        else:
            prev = event.hash
    db.execute(text("UPDATE audit_head SET last_hash = :h WHERE id = 1"), {"h": prev})
    db.commit()
    db.expire_all()


def edit_details(db, event_id: int) -> None:
    db.execute(text("UPDATE audit_event SET details = :d WHERE id = :id"),
               {"d": json.dumps({"i": 99, "note": "rewritten"}), "id": event_id})
    db.commit()


@pytest.mark.parametrize("drop_key_id", [False, True], ids=["keeps-key-id", "clears-key-id"])
def test_database_only_attacker_who_recomputes_the_chain_is_found(db, make, runner,
                                                                 drop_key_id):
    write_events(db, make, n=5)
    third = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[2]
    edit_details(db, third.id)
    rewrite_chain(db, third.id, plain_link, set_key_id=drop_key_id)

    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at row {third.id}" in result.output
    assert "(2 rows verified before it)" in result.output


def test_the_same_attack_with_the_audit_key_passes(app, db, make, runner):
    """Control: what stops the attacker above is the key, not some other check."""
    from anice import audit_keys

    write_events(db, make, n=5)
    third = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()[2]
    edit_details(db, third.id)
    keys = audit_keys.current()

    def keyed_link(prev, event):
        return audit._mac(keys.keys[event.key_id], event.key_id, prev, event)

    rewrite_chain(db, third.id, keyed_link)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 0, result.output
    assert "intact: 5 rows" in result.output


def test_missing_key_file_fails_verify_clearly(app, db, make, runner):
    from anice import audit_keys

    write_events(db, make, n=2)
    path = audit_keys.key_path()
    path.unlink()
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    assert f"NOT VERIFIED: no audit key file at {path}" in result.output
    # Nor does the app go on writing rows that nobody could verify.
    with pytest.raises(audit_keys.AuditKeyError, match="the audit chain is keyed"):
        audit.record(db, None, "test.after_key_lost", actor_label="cli")
    db.rollback()


def test_world_readable_key_file_fails_verify_clearly(app, db, make, runner):
    from anice import audit_keys

    write_events(db, make, n=1)
    audit_keys.key_path().chmod(0o644)
    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1 and "readable by others" in result.output


def test_rows_from_before_the_key_verify_and_are_anchored(app, db, make, runner):
    """An upgrade: unkeyed rows stay valid, anchored by the hash recorded with the key."""
    from anice import audit_keys

    audit_keys.key_path().unlink()
    write_events(db, make, n=3)  # written before the key existed: plain links
    legacy = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    assert all(e.key_id is None for e in legacy)

    created = runner.invoke(args=["audit", "init-key"])
    assert created.exit_code == 0, created.output
    assert f"rows after {legacy[-1].id} are keyed" in created.output
    assert "(kept)" in runner.invoke(args=["audit", "init-key"]).output
    write_events(db, make, n=2)
    marker = db.scalar(select(AuditEvent).where(AuditEvent.action == "audit.key_created"))
    assert marker.key_id is not None and marker.id > legacy[-1].id
    ok = runner.invoke(args=["audit", "verify"])
    assert ok.exit_code == 0 and f"intact: 6 rows (keyed from row {marker.id})" in ok.output

    # Rewriting an old row and the plain links after it cannot reach the recorded anchor.
    edit_details(db, legacy[1].id)
    rewrite_chain(db, legacy[1].id, plain_link, set_key_id=True)
    broken = runner.invoke(args=["audit", "verify"])
    assert broken.exit_code == 1
    assert f"BROKEN at row {marker.id}" in broken.output
    assert "written before the audit key existed" in broken.output


def test_rotated_key_links_new_rows_and_old_ones_still_verify(app, db, make, runner):
    write_events(db, make, n=2)
    rotated = runner.invoke(args=["audit", "rotate-key"])
    assert rotated.exit_code == 0, rotated.output
    write_events(db, make, n=2)
    db.expire_all()
    key_ids = [e.key_id for e in db.scalars(select(AuditEvent).order_by(AuditEvent.id))]
    assert len(set(key_ids)) == 2 and key_ids[0] != key_ids[-1]
    assert audit.verify(db).ok


def test_rows_removed_at_the_end_after_a_checkpoint_are_found(app, db, make, runner):
    """Deleting the newest rows and moving the head back needs no key: the checkpoint that
    `audit verify` keeps beside the key catches it."""
    write_events(db, make, n=5)
    assert runner.invoke(args=["audit", "verify"]).exit_code == 0  # checkpoint at row 5
    rows = db.scalars(select(AuditEvent).order_by(AuditEvent.id)).all()
    db.execute(text("DELETE FROM audit_event WHERE id > :id"), {"id": rows[2].id})
    db.execute(text("UPDATE audit_head SET last_hash = :h WHERE id = 1"), {"h": rows[2].hash})
    db.commit()

    result = runner.invoke(args=["audit", "verify"])
    assert result.exit_code == 1
    assert f"BROKEN at row {rows[-1].id}: this row, found intact by `audit verify`" \
        in result.output
