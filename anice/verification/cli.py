"""``flask --app wsgi holidays ...`` (working-day calendars) and ``verifications remind``
(deadline reminders without the RQ scheduler)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import db
from ..errors import Invalid
from . import holidays, reminders


@click.group("holidays", help="Weekends and public holidays of the member states.")
def holidays_group() -> None:
    pass


@holidays_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def holidays_import(path: Path) -> None:
    """Import public holidays from a CSV file with the header country,date,name; nothing is
    written when any line is wrong (each wrong line is named)."""
    try:
        result = holidays.import_csv(db.session(), None, path.read_bytes())
    except Invalid as exc:
        db.session().rollback()
        raise click.ClickException(exc.message) from None
    db.commit()
    click.echo(f"{result.added} added, {result.renamed} renamed, {result.unchanged} unchanged")


@holidays_group.command("seed")
@with_appcontext
def holidays_seed() -> None:
    """Load the shipped 2026-2027 holidays (and Brunei's weekend) where a country has none."""
    result = holidays.ensure_reference_calendars(db.session())
    db.commit()
    click.echo(f"{result.added} holidays added")


@holidays_group.command("list")
@click.argument("country")
@click.option("--year", type=int, help="Only this year.")
@with_appcontext
def holidays_list(country: str, year: int | None) -> None:
    """List a country's public holidays (and its weekend)."""
    code = country.strip().upper()
    rows = holidays.holidays_of(db.session(), code, year)
    weekend = holidays.weekend_of(db.session(), code)
    click.echo(f"{code} weekend (ISO weekdays): {weekend}")
    for row in rows:
        click.echo(f"{row.day.isoformat()}  {row.day.strftime('%a')}  {row.name}")


@click.group("verifications", help="Verification requests to right holders.")
def verifications_group() -> None:
    pass


@verifications_group.command("remind")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day to act as (default: today in each request's country).")
@with_appcontext
def verifications_remind(today) -> None:
    """Send the reminders and overdue notices due (what the RQ cron job runs daily)."""
    day: date | None = today.date() if today else None
    counts = reminders.remind_due(db.session(), day)
    db.commit()
    click.echo(f"reminders sent: {counts['reminded']}, overdue notices: {counts['overdue']}")
