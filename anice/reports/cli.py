"""``flask --app wsgi reports ...``: make the periodic reports without the RQ scheduler."""

from __future__ import annotations

import sys
from datetime import date

import click
from flask.cli import with_appcontext

from .. import db
from ..errors import Invalid
from .periods import Scope, parse_period
from .schedule import generate_due
from .service import all_scopes, generate, today_utc


@click.group("reports", help="Enforcement reports (agency, national, regional).")
def reports_group() -> None:
    pass


def _scopes(session, which: str):
    scopes = all_scopes(session)
    if which == "all":
        return scopes
    if which == "region":
        return [Scope.region()]
    level, _, value = which.partition(":")
    if level == "country":
        return [s for s in scopes if s.level.value == "country" and s.country_code == value]
    if level == "agency" and value.isdigit():
        return [s for s in scopes if s.level.value == "agency" and s.agency_id == int(value)]
    raise click.UsageError("--scope: all, region, country:XX or agency:ID")


@reports_group.command("generate")
@click.option("--period", "period_text", required=True,
              help="2026-10 (month), 2026-Q3 (quarter), 2026 (year) or 2026-01-05..2026-02-10.")
@click.option("--scope", "which", default="all", show_default=True,
              help="all, region, country:MY or agency:ID.")
@with_appcontext
def reports_generate(period_text: str, which: str) -> None:
    """Make every agency's, country's and the regional report of PERIOD (as the schedule
    does); a period already reported gets a new version only if its figures changed."""
    try:
        period = parse_period(period_text)
    except Invalid as exc:
        raise click.UsageError(f"--period: {exc.message}") from None
    session = db.session()
    scopes = _scopes(session, which)
    if not scopes:
        raise click.UsageError(f"--scope: nothing matches {which!r}")
    made = unchanged = 0
    with click.progressbar(scopes, label=f"reports of {period.key}", file=sys.stderr,
                           item_show_func=lambda s: s.key if s else None) as bar:
        for scope in bar:
            result = generate(session, scope, period, origin="cli")
            db.commit()
            made += result.created
            unchanged += not result.created
    click.echo(f"{len(scopes)} reports of {period.label}: {made} made, {unchanged} unchanged "
               "(same figures as the last version)")


@reports_group.command("due")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The day to act as (default: today, UTC).")
@with_appcontext
def reports_due(today) -> None:
    """Make the scheduled reports that are due and missing (what the RQ cron job runs)."""
    day: date = today.date() if today else today_utc()
    made = generate_due(db.session(), day)
    click.echo(f"{len(made)} reports made for {day.isoformat()}")
    for line in made:
        click.echo(f"  {line}")
