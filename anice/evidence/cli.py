"""``flask --app wsgi evidence ...`` and ``keys ...``: evidence integrity and the KEKs."""

from __future__ import annotations

import functools
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import db, jobs
from ..crypto.keys import KeyringBusy, KeyringUnavailable
from ..models import Evidence, EvidenceStatus
from . import custody_report, kek, runtime, service
from .kek import KeysManagedElsewhere, KeysMissing


@click.group("evidence", help="Evidence integrity and storage.")
def evidence_group() -> None:
    pass


@evidence_group.command("verify")
@click.argument("public_ids", nargs=-1)
@with_appcontext
def evidence_verify(public_ids: tuple[str, ...]) -> None:
    """Re-decrypt and re-hash evidence (all held items, or the ids given); exit 1 on a mismatch."""
    session = db.session()
    query = select(Evidence.id).where(Evidence.status == EvidenceStatus.ACTIVE)
    if public_ids:
        query = query.where(Evidence.public_id.in_(public_ids))
    ids = list(session.scalars(query.order_by(Evidence.id)))
    bad = []
    with click.progressbar(ids, label="verifying", file=sys.stderr) as bar:
        for evidence_id in bar:
            evidence = session.get(Evidence, evidence_id)
            if not service.verify(session, evidence, None):
                bad.append(evidence.public_id)
            session.commit()
    click.echo(f"{len(ids) - len(bad)} of {len(ids)} evidence items verified")
    for public_id in bad:
        click.echo(f"MISMATCH {public_id}", err=True)
    if bad:
        sys.exit(1)


@evidence_group.command("cleanup")
@click.option("--min-age", type=click.IntRange(min=0), default=3600, show_default=True,
              help="Only objects older than this many seconds.")
@with_appcontext
def evidence_cleanup(min_age: int) -> None:
    """Delete stored objects that no evidence row names (after a crash mid-upload)."""
    removed = service.cleanup_orphans(db.session(), older_than_seconds=min_age)
    db.commit()
    click.echo(f"{len(removed)} orphan objects removed")


@evidence_group.command("verify-report")
@click.argument("pdf", type=click.Path(exists=True, dir_okay=False))
@click.argument("sigfile", type=click.Path(exists=True, dir_okay=False))
@click.option("--key", "key_file", type=click.Path(exists=True, dir_okay=False),
              help="The signer's public key (PEM); default: this installation's signing key.")
@with_appcontext
def evidence_verify_report(pdf: str, sigfile: str, key_file: str | None) -> None:
    """Check a custody report PDF against its .sig file; exit 1 if it does not verify."""
    if key_file:
        trusted = Path(key_file).read_bytes()
    else:
        try:
            key = custody_report.signing_key(create=False)
        except FileNotFoundError as exc:
            click.echo(f"FAILED: {exc}; give the signer's public key with --key", err=True)
            sys.exit(1)
        trusted = custody_report.public_pem(key.public_key())
    ok, message = custody_report.verify_report(Path(pdf).read_bytes(),
                                               Path(sigfile).read_bytes(), trusted)
    click.echo(message, err=not ok)
    if not ok:
        sys.exit(1)


@click.group("keys", help="Key-encryption keys (KEKs) of the evidence store.")
def keys_group() -> None:
    pass


def _key_errors(fn):
    """A missing key file, an unreachable KMS or a concurrent key operation: a clear
    message and exit 1, not a traceback."""
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (KeyringUnavailable, KeyringBusy, KeysMissing, KeysManagedElsewhere,
                NotImplementedError) as exc:
            raise click.ClickException(str(exc)) from None

    return wrapper


@keys_group.command("init")
@with_appcontext
@_key_errors
def keys_init() -> None:
    """Create the key file and its first KEK (a new deployment; nothing if it exists).
    Refused when stored evidence needs KEKs a new file would not hold: restore that file."""
    _, message = kek.init_keys(db.session())
    db.commit()
    click.echo(message)


@keys_group.command("status")
@with_appcontext
@_key_errors
def keys_status() -> None:
    """Show the KEKs, the primary one, and how many data keys each wraps."""
    usage = kek.kek_usage(db.session())
    ring = runtime.keyring()
    for kek_id in ring.ids():
        mark = "primary" if kek_id == ring.primary_id() else "       "
        click.echo(f"{mark} {kek_id}  wraps {usage.get(kek_id, 0)} data keys")
    missing = set(usage) - set(ring.ids())
    for kek_id in sorted(missing):
        click.echo(f"MISSING {kek_id}  wraps {usage[kek_id]} data keys", err=True)


@keys_group.command("rotate")
@click.option("--no-rewrap", is_flag=True, help="Only make a new primary KEK.")
@click.option("--background", is_flag=True,
              help="Re-wrap in an RQ job (REDIS_URL) instead of in this command.")
@with_appcontext
@_key_errors
def keys_rotate(no_rewrap: bool, background: bool) -> None:
    """Make a new KEK primary, then re-wrap every data key with it (resumable; one key
    operation at a time)."""
    new = kek.rotate(db.session())
    click.echo(f"new primary KEK {new}")
    if no_rewrap:
        return
    if background:
        job_id = jobs.enqueue("workers.evidence.rewrap_keys")
        click.echo(f"re-wrap queued as job {job_id}" if job_id else "re-wrap done inline")
        return
    run_rewrap()


def run_rewrap() -> None:
    total = sum(kek.kek_usage(db.session()).values())
    with click.progressbar(length=total, label="re-wrapping data keys", file=sys.stderr) as bar:
        seen = [0]

        def progress(done: int) -> None:
            bar.update(done - seen[0])
            seen[0] = done

        count = service.rewrap(db.session(), progress=progress)
    click.echo(f"{count} data keys re-wrapped")


@keys_group.command("rewrap")
@with_appcontext
@_key_errors
def keys_rewrap() -> None:
    """Resume re-wrapping data keys under the primary KEK (after an interrupted rotate)."""
    run_rewrap()


@keys_group.command("retire")
@with_appcontext
@_key_errors
def keys_retire() -> None:
    """Remove every non-primary KEK that no data key uses any more."""
    retired, kept = kek.retire_unused(db.session())
    for kek_id, count in kept:
        click.echo(f"kept {kek_id}: still wraps {count} data keys (run `keys rewrap`)")
    for kek_id in retired:
        click.echo(f"retired {kek_id}")
