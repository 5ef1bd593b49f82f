"""``flask --app wsgi create-admin``: the first system admin account."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from .. import db
from ..errors import DomainError
from .bootstrap import create_admin as create
from .bootstrap import reinvite_admin


@click.command("create-admin")
@click.argument("email")
@click.option("--name", help="Full name of the admin (required unless --reinvite).")
@click.option("--country", default="ID", show_default=True,
              help="Country of the operations agency (ISO alpha-2).")
@click.option("--reinvite", is_flag=True,
              help="The admin exists: withdraw its credentials and issue a new link.")
@with_appcontext
def create_admin(email: str, name: str | None, country: str, reinvite: bool) -> None:
    """Create a system admin account and print its one-time invitation link."""
    if name is None and not reinvite:
        raise click.UsageError("--name is required")
    try:
        if reinvite:
            token = reinvite_admin(db.session(), email=email)
        else:
            token = create(db.session(), email=email, name=name or "",
                           country_code=country.upper())
    except Exception as exc:  # domain errors name the field

        if isinstance(exc, DomainError):
            raise click.UsageError(str(exc)) from None
        raise
    db.commit()
    base = current_app.config["BASE_URL"].rstrip("/")
    click.echo(f"Admin {email} {'reinvited' if reinvite else 'created'}. Open this link within "
               f"{current_app.config['INVITATION_HOURS']} h to set a password and TOTP:")
    click.echo(f"{base}/invite/{token}")
