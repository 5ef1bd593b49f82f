"""``flask --app wsgi referrals ...``: operator commands for referrals."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from .. import db
from .service import remind_due


@click.group("referrals", help="Cross-border referrals.")
def referrals_group() -> None:
    pass


@referrals_group.command("remind")
@with_appcontext
def remind() -> None:
    """Send the deadline reminders due today (run daily: cron or the RQ scheduler)."""
    count = remind_due(db.session())
    db.commit()
    click.echo(f"reminders sent: {count}")
