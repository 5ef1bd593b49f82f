"""``flask --app wsgi cases import``: cases from a CSV file."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from .. import db
from ..errors import Forbidden
from ..models import Officer
from . import importing, search


@click.group("cases", help="Cases.")
def cases_group() -> None:
    pass


@cases_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "email", required=True,
              help="Email of the officer (investigator or supervisor) who opens the cases.")
@click.option("--dry-run", is_flag=True, help="Check the file and report; write nothing.")
@with_appcontext
def cases_import(file: str, email: str, dry_run: bool) -> None:
    """Import cases from FILE (the CSV format of /cases/import/template.csv), all or none."""
    session = db.session()
    actor = session.scalar(select(Officer).where(Officer.email == email.strip().lower()))
    if actor is None:
        raise click.UsageError(f"--as: no officer has the email {email}")
    with open(file, "rb") as fh:
        raw = fh.read(importing.MAX_BYTES + 1)
    try:
        if dry_run:
            preview = importing.preview_import(session, actor, raw)
            session.rollback()
            if not preview.ok:
                raise importing.ImportRefused(preview)
            _echo_counts(preview)
            click.echo("dry run: the file is valid; nothing was written")
            return
        cases = importing.commit_import(session, actor, raw)
    except Forbidden as exc:
        session.rollback()
        raise click.UsageError(f"--as: {exc.message}") from None
    except importing.ImportRefused as exc:
        session.rollback()
        _echo_refusal(exc, dry_run)
        sys.exit(1)
    db.commit()
    click.echo(f"{len(cases)} cases imported"
               + (f": {cases[0].reference} to {cases[-1].reference}" if cases else ""))


@cases_group.command("rekey-brands")
@with_appcontext
def cases_rekey_brands() -> None:
    """Recompute the folded brand of every seizure item (after the brand normaliser changed):
    filters, search and reports group brands by it."""
    changed = search.rekey_brands(db.session())
    db.commit()
    click.echo(f"{changed} seizure items re-keyed")


def _echo_counts(preview) -> None:
    click.echo(f"{preview.rows} rows, {len(preview.cases)} cases, {preview.seizures} seizure "
               f"items, {preview.listings} listings")


def _echo_refusal(exc, dry_run: bool) -> None:
    _echo_counts(exc.preview)
    for error in exc.preview.errors:
        click.echo(f"  {error.where}: {error.message}", err=True)
    if exc.preview.truncated:
        click.echo("  (stopped there: the rest of the file was not checked)", err=True)
    click.echo(exc.message + (" (dry run)" if dry_run else ""), err=True)
