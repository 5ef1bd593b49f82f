"""``flask --app wsgi referrals ...``: operator commands for referrals."""

from __future__ import annotations

import click


@click.group("referrals", help="Cross-border referrals.")
def referrals_group() -> None:
    pass


@referrals_group.command("remind")
def remind() -> None:
    """Send the deadline reminders due today (run daily: cron or the RQ scheduler)."""
    from workers.referrals import remind_due

    click.echo(f"reminders sent: {remind_due()['reminded']}")
