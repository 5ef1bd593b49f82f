"""``flask --app wsgi backup create|restore|check``: the operator's side of ``anice.backup``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .. import audit, backup, db
from . import keys as backup_keys
from . import prune as backup_prune

PASSPHRASE_HELP = ("File whose first line is the passphrase of the key export (default: "
                   "$ANICE_BACKUP_PASSPHRASE, else asked for)")


def _passphrase(path: str | None, confirm: bool) -> str:
    if path:
        lines = Path(path).read_text().splitlines()
        return lines[0] if lines else ""
    if os.environ.get("ANICE_BACKUP_PASSPHRASE"):
        return os.environ["ANICE_BACKUP_PASSPHRASE"]
    return click.prompt("Passphrase of the key export", hide_input=True,
                        confirmation_prompt=confirm)


@click.group("backup", help="Consistent backups (database, evidence objects, sealed keys).")
def backup_group() -> None:
    pass


@backup_group.command("create")
@click.argument("folder", type=click.Path(file_okay=False))
@click.option("--keys-out", type=click.Path(dir_okay=False),
              help="Where to write the sealed key export (default: FOLDER.keys beside it).")
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False),
              help=PASSPHRASE_HELP)
@click.option("--without-keys", is_flag=True,
              help="Do not export keys (they are backed up elsewhere, e.g. in a KMS).")
@with_appcontext
def backup_create(folder: str, keys_out: str | None, passphrase_file: str | None,
                  without_keys: bool) -> None:
    """Back up the database and every evidence object into the new FOLDER."""
    target = Path(folder).resolve()
    keys_path = None if without_keys else Path(keys_out or f"{target}.keys").resolve()
    if keys_path is not None and keys_path.is_relative_to(target):
        raise click.UsageError("--keys-out: keep the key export outside the backup folder")
    if keys_path is not None and keys_path.exists():
        raise click.UsageError(f"--keys-out: {keys_path} exists already")
    try:
        blob = None
        if keys_path is not None:
            blob = backup_keys.seal(backup_keys.collect(), _passphrase(passphrase_file, True))
        summary = backup.create(target, blob, keys_path)
    except (backup.BackupError, backup_keys.KeyExportError) as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"backup written to {target}: database ({backup.backend()}), "
               f"{summary.objects} evidence objects ({summary.bytes:,} bytes)")
    click.echo(f"manifest SHA-256 {summary.manifest_sha256} (record it apart from the backup)")
    if keys_path is not None:
        click.echo(f"keys sealed in {keys_path}: store it apart from the backup folder")
    else:
        click.echo("no keys exported: back up the key file (or KMS keys) and SECRET_KEY "
                   "separately")
    for key in summary.missing:
        click.echo(f"MISSING object {key} (named by the database, absent from storage)",
                   err=True)
    if summary.missing:
        sys.exit(1)


@backup_group.command("check")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
def backup_check(folder: str) -> None:
    """Re-hash every file of a backup against its manifest; exit 1 on any difference."""
    try:
        manifest = backup.read_manifest(Path(folder))
    except backup.BackupError as exc:
        raise click.ClickException(str(exc)) from None
    problems = backup.check_files(Path(folder), manifest)
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        sys.exit(1)
    click.echo(f"backup intact: {len(manifest['files'])} files match the manifest "
               f"(made {manifest['created_at']})")


@backup_group.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--keys", "keys_file", type=click.Path(exists=True, dir_okay=False),
              help="The sealed key export made with the backup.")
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False),
              help=PASSPHRASE_HELP)
@with_appcontext
def backup_restore(folder: str, keys_file: str | None, passphrase_file: str | None) -> None:
    """Restore FOLDER into this (empty) deployment: keys, evidence objects, then database."""
    try:
        material = advice = None
        if keys_file:
            blob = Path(keys_file).read_bytes()
            material = backup_keys.open_sealed(blob, _passphrase(passphrase_file, False))
            advice = backup_keys.reseal_advice(blob)
        lines = backup.restore(Path(folder), material)
    except (backup.BackupError, backup_keys.KeyExportError) as exc:
        raise click.ClickException(str(exc)) from None
    for line in lines:
        click.echo(line)
    click.echo("restored. Next: `flask --app wsgi db upgrade`, `evidence verify`, "
               "`audit verify`, then start the app")
    if advice:
        click.echo(f"WARNING: {advice}", err=True)


@backup_group.command("reseal-keys")
@click.argument("keys_file", type=click.Path(exists=True, dir_okay=False))
@click.option("--passphrase-file", type=click.Path(exists=True, dir_okay=False),
              help=PASSPHRASE_HELP)
def backup_reseal_keys(keys_file: str, passphrase_file: str | None) -> None:
    """Seal KEYS_FILE again under today's KDF (Argon2id), with the same passphrase."""
    path = Path(keys_file)
    passphrase = _passphrase(passphrase_file, False)
    try:
        material = backup_keys.open_sealed(path.read_bytes(), passphrase)
        blob = backup_keys.seal(material, passphrase)
        backup_keys.open_sealed(blob, passphrase)  # readable before the old one goes
    except backup_keys.KeyExportError as exc:
        raise click.ClickException(str(exc)) from None
    backup_keys.write_private(path, blob)
    click.echo(f"{path}: sealed again with Argon2id; copies of the old file elsewhere are "
               "still only as strong as before: replace them too")


@backup_group.command("prune-shredded")
@click.argument("folders", nargs=-1, required=True,
                type=click.Path(exists=True, file_okay=False))
@with_appcontext
def backup_prune_shredded(folders: tuple[str, ...]) -> None:
    """Rewrite each backup FOLDER without the keys and objects of items shredded since it
    was made (run it after every shred, e.g. nightly, over every retained backup)."""
    session = db.session()
    shredded = backup_prune.shredded_items(session)
    failed = False
    for folder in folders:
        path = Path(folder).resolve()
        try:
            total = len(backup.read_manifest(path)["objects"])
            with click.progressbar(length=total, label=f"pruning {path.name}",
                                   file=sys.stderr) as bar:
                result = backup_prune.prune(path, shredded,
                                            progress=lambda n, bar=bar: bar.update(n - bar.pos))
        except backup.BackupError as exc:
            click.echo(f"{path}: {exc}", err=True)
            failed = True
            continue
        if not result.items:
            click.echo(f"{path}: nothing to prune (it holds no key of a shredded item)")
            continue
        audit.record(session, None, "backup.pruned",
                     details={"backup": path.name, "evidence": result.items,
                              "objects": len(result.objects)})
        session.commit()
        click.echo(f"{path}: pruned {len(result.items)} shredded item(s) "
                   f"({', '.join(result.items)}): their keys, {result.derivatives} derived "
                   f"row(s) and {len(result.objects)} object(s) ({result.bytes:,} bytes)")
        click.echo(f"  new manifest SHA-256 {result.manifest_sha256} (record it in place of "
                   "the old one)")
    if failed:
        sys.exit(1)
