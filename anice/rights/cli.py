"""``flask --app wsgi rights import|match-batch``: the registry of registered rights."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from .. import db
from ..errors import Invalid
from ..models import Right
from . import importing, importing_zip, index_store, mark_images, match_service, statuses


@click.group("rights", help="The registry of registered rights.")
def rights_group() -> None:
    pass


@rights_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--skip-bad-rows", is_flag=True,
              help="Import the good rows and report the bad ones (default: all or nothing).")
@with_appcontext
def rights_import(file: str, skip_bad_rows: bool) -> None:
    """Import rights from a CSV or WIPO ST.66/ST.86/ST.96 XML FILE, or a ZIP of them with
    their mark images, updating by (office, number); exit 1 on errors. Images an XML file
    names are looked up in its folder."""
    session = db.session()
    mode = "skip" if skip_bad_rows else "abort"
    with open(file, "rb") as fh, click.progressbar(
            length=os.path.getsize(file) or 1, label="importing", file=sys.stderr,
            item_show_func=lambda rows: f"{rows:,} rows" if rows else None) as bar:
        def progress(rows: int) -> None:
            bar.update(max(0, fh.tell() - bar.pos), rows)

        try:
            result = importing_zip.import_file(session, None, fh, filename=file, mode=mode,
                                               progress=progress,
                                               images_folder=Path(file).resolve().parent)
            db.commit()
        except importing.RightsImportRefused as exc:
            result = exc.result
    click.echo(f"{result.rows:,} rows: {result.inserted:,} inserted, {result.updated:,} "
               f"updated, {result.unchanged:,} unchanged, {result.withdrawn:,} withdrawn, "
               f"{result.skipped:,} skipped")
    if result.sha256:
        click.echo(f"SHA-256 {result.sha256}")
    if result.previous is not None:
        click.echo(f"this file was already imported on "
                   f"{result.previous.finished_at:%Y-%m-%d %H:%M} UTC by {result.previous.by}")
    for error in result.errors:
        click.echo(f"  {error}", err=True)
    for warning in result.warnings:
        click.echo(f"  warning: {warning}", err=True)
    if result.truncated:
        click.echo(f"  (only the first {len(result.errors):,} errors are listed)", err=True)
    if result.errors and mode == "abort":
        click.echo("nothing was imported (use --skip-bad-rows to import the good rows)",
                   err=True)
        sys.exit(1)


@rights_group.command("build-index")
@with_appcontext
def rights_build_index() -> None:
    """Build the machine's shared matching index from the registry and make it current
    (every web and job process maps it at its next query)."""
    session = db.session()
    total = session.scalar(select(func.count()).select_from(Right)) or 0
    with click.progressbar(length=total or 1, label="indexing", file=sys.stderr,
                           item_show_func=lambda n: f"{n:,} rights" if n else None) as bar:
        def progress(rows: int) -> None:
            bar.update(rows - bar.pos, rows)

        path = index_store.build(session, progress=progress)
    if path is None:
        click.echo("another build is running; it will make its file current", err=True)
        sys.exit(1)
    click.echo(f"{path} ({path.stat().st_size / 2**20:,.0f} MiB) is now current")


@rights_group.command("images-cleanup")
@click.option("--min-age", type=click.IntRange(min=0), default=3600, show_default=True,
              help="Only objects older than this many seconds.")
@with_appcontext
def rights_images_cleanup(min_age: int) -> None:
    """Delete stored mark images that no right uses any more (replaced by a re-import)."""
    removed = mark_images.cleanup_unused(db.session(), older_than_seconds=min_age)
    db.commit()
    click.echo(f"{removed} unused mark image objects removed")


@rights_group.command("match-batch")
@click.argument("queries", type=click.File("r", encoding="utf-8-sig"))
@click.option("--limit", type=click.IntRange(1, 100), default=10, show_default=True)
@click.option("--include-inactive", is_flag=True, help="Also expired, refused, cancelled.")
@with_appcontext
def rights_match_batch(queries, limit: int, include_inactive: bool) -> None:
    """Match QUERIES.jsonl ({"id", "text", "classes"?, "class"?} a line: ``classes`` ranks
    rights in them higher, ``class`` keeps only rights in them); one JSON line out per
    query."""
    session = db.session()
    match_service.matcher(session)  # build the index once, before the first query
    for line_no, line in enumerate(queries, 1):
        if not line.strip():
            continue
        try:
            query = json.loads(line)
            if not isinstance(query, dict):
                raise ValueError("not an object")
        except ValueError:
            raise click.UsageError(f"line {line_no}: not a JSON object") from None
        try:
            text, classes = match_service.query_fields(query)
            found = match_service.match(session, text, classes, limit, include_inactive,
                                        match_service.parse_classes(query.get("class"),
                                                                    "class"))
        except Invalid as exc:
            raise click.UsageError(f"line {line_no}, {exc.field}: {exc.message}") from None
        click.echo(json.dumps({"id": query.get("id"),
                               "candidates": [match_service.match_json(m) for m in found]},
                              ensure_ascii=False))


@rights_group.group("status", help="The status table: each office's status values and the "
                                   "ANICE status they mean.")
def status_group() -> None:
    pass


@status_group.command("list")
@click.option("--office", default="", help="Only this office (a code such as MY, or *).")
@with_appcontext
def status_list(office: str) -> None:
    """List the table: office, value as published, ANICE status."""

    for row in statuses.office_statuses(db.session(), office or None):
        click.echo(f"{row.office}\t{row.value}\t{row.status.value}")


@status_group.command("set")
@click.argument("office")
@click.argument("value")
@click.argument("status")
@with_appcontext
def status_set(office: str, value: str, status: str) -> None:
    """Say that OFFICE publishes VALUE for STATUS (registered, filed, expired, refused,
    cancelled, other); OFFICE * is WIPO's standard values. Audited."""

    try:
        row = statuses.set_office_status(db.session(), None, office, value, status)
        db.commit()
    except Invalid as exc:
        raise click.UsageError(f"{exc.field}: {exc.message}") from None
    click.echo(f"{row.office} {row.value!r} -> {row.status.value}; import the office's files "
               "again to update their rights")
