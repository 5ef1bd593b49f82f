"""The hash-chained audit log: tamper detection, concurrency, CLI."""

from __future__ import annotations

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
