"""``flask --app wsgi correlation rebuild``: recompute every case's identifiers."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .. import db
from .index import rebuild as run


@click.group("correlation", help="Case correlation (shared identifiers).")
def correlation_group() -> None:
    pass


@correlation_group.command("rebuild")
@with_appcontext
def rebuild() -> None:
    """Recompute the identifiers of every case (after a key change, an upgrade, a restore)."""
    done = run(db.session(), progress=lambda n: click.echo(f"  {n} cases", err=True))
    click.echo(f"identifiers of {done} cases recomputed")
