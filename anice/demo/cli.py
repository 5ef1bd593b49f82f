"""``flask --app wsgi demo load|totp``: demonstration data."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .. import db
from ..evidence import kek
from ..models import CaseMatch
from . import DEMO_PASSWORD, current_code, demo_totp_secret, load
from .cases import load_cases
from .holders import load_holders
from .referrals import load_referrals
from .rights import load_rights


@click.group("demo", help="Demonstration data.")
def demo_group() -> None:
    pass


@demo_group.command("load")
@click.option("--cases", "case_count", type=click.IntRange(min=0), default=300,
              show_default=True, help="Demo cases to create on the first load.")
@click.option("--not-embedded-ok", is_flag=True,
              help="Allow loading into a database that is not the embedded SQLite file.")
@with_appcontext
def demo_load(case_count: int, not_embedded_ok: bool) -> None:
    """Load member states, agencies, one officer of every role and demo cases (idempotent)."""
    # Demo accounts have published passwords and TOTP secrets: never in production by mistake.
    if not current_app.config["DATABASE_URL"].startswith("sqlite") and not not_embedded_ok:
        raise click.UsageError("DATABASE_URL is not the embedded SQLite database; demo accounts "
                               "have published credentials. Pass --not-embedded-ok to insist.")

    try:  # the demo is for trying evidence uploads too: it needs keys, made here explicitly
        created, message = kek.init_keys(db.session())
    except kek.KeysMissing as exc:
        raise click.ClickException(str(exc)) from None
    if created:
        click.echo(message)
    accounts = load(db.session())
    db.commit()
    if not accounts:
        click.echo("demo data already loaded")
        return
    click.echo("Demo accounts (password, TOTP secret for your authenticator app):")
    for a in accounts:
        click.echo(f"  {a['role']:<12} {a['email']:<28} {a['password']}  TOTP {a['totp']}")

    # The registry first: each case's items are then matched by the job their commit queues.
    rights = load_rights(db.session())
    db.commit()
    click.echo(f"{rights} demo rights registered")
    # Matching jobs run here, one after the other, not on a thread racing the next cases.
    current_app.config["JOBS_AFTER_COMMIT"] = "sync"
    with click.progressbar(length=case_count, label="Creating demo cases",
                           file=sys.stderr) as bar:
        made = load_cases(db.session(), count=case_count, progress=bar.update)

    candidates = db.session().scalar(select(func.count()).select_from(CaseMatch))
    click.echo(f"{made} demo cases loaded; {candidates} candidate matches on the cases")

    referrals = load_referrals(db.session())
    db.commit()
    click.echo(f"{referrals} demo referrals between MY, TH and VN")

    holders = load_holders(db.session(), DEMO_PASSWORD, demo_totp_secret)
    db.commit()
    click.echo("Demo right holder accounts (they see their own rights' pages only):")
    for a in holders:
        click.echo(f"  {a['role']:<12} {a['email']:<28} {a['password']}  TOTP {a['totp']}"
                   f"  ({a['org']})")
    click.echo("Current TOTP code for an account: .venv/bin/flask --app wsgi demo totp EMAIL")


@demo_group.command("totp")
@click.argument("email")
@with_appcontext
def demo_totp(email: str) -> None:
    """Print the current TOTP code of a demo account (demo convenience only)."""
    code = current_code(db.session(), email)
    if code is None:
        raise click.UsageError(f"EMAIL: {email} is not a demo account")
    click.echo(code)
