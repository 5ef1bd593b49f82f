"""Bulk import pages: upload a CSV, read the preview, confirm.

Between preview and confirmation the file is kept on the server, never sent back by the
client: ``<DATA_DIR>/imports/<hmac(officer id, token)>.csv``, so a token is useless to
anyone but the officer who uploaded it. Files older than an hour are deleted.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import secrets
import time
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for

from .. import db, policy
from . import importing
from .views import FormState, _me, bp

TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")
KEEP_SECONDS = 3600


def _folder() -> Path:
    folder = Path(current_app.config["DATA_DIR"]) / "imports"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder


def _kept_path(officer_id: int, token: str) -> Path:
    key = current_app.config["SECRET_KEY"].encode()
    name = hmac.new(key, f"{officer_id}:{token}".encode(), hashlib.sha256).hexdigest()
    return _folder() / f"{name}.csv"


def _sweep() -> None:
    cutoff = time.time() - KEEP_SECONDS
    for path in _folder().iterdir():
        try:
            if path.stat().st_mtime < cutoff:
                path.unlink()
        except FileNotFoundError:
            pass  # removed by a concurrent request


def _keep(officer_id: int, raw: bytes) -> str:
    _sweep()
    token = secrets.token_urlsafe(24)
    fd = os.open(_kept_path(officer_id, token), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(raw)
    return token


def _claim(officer_id: int, token: str) -> Path:
    """Take the kept file out of reach of a second confirmation (a double click)."""
    path = _kept_path(officer_id, token) if TOKEN.match(token) else None
    claimed = path.with_suffix(".importing") if path else None
    try:
        if path is None or time.time() - path.stat().st_mtime > KEEP_SECONDS:
            raise FileNotFoundError
        path.rename(claimed)
    except FileNotFoundError:
        abort(404, "No such upload: uploads are kept for one hour and imported once. "
                   "Upload the file again.")
    return claimed


def _page(state: FormState, preview: importing.ImportPreview | None = None,
          token: str | None = None, status: int = 200):
    return render_template("cases/import.html", state=state, preview=preview, token=token,
                           limits={"rows": importing.MAX_ROWS, "errors": importing.MAX_ERRORS,
                                   "mb": importing.MAX_BYTES // (1024 * 1024)}), status


@bp.route("/import", methods=["GET", "POST"])
def import_cases():
    me = _me()
    if not policy.can_import_cases(me):
        abort(404)
    if request.method == "GET":
        return _page(FormState())
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return _page(FormState(errors={"file": ["choose a CSV file to upload"]}), status=422)
    raw = upload.stream.read(importing.MAX_BYTES + 1)
    preview = importing.preview_import(db.session(), me, raw)
    # Nothing was written; end the transaction now (SQLite holds its write lock until then).
    db.session().rollback()
    if not preview.ok:
        return _page(FormState(), preview, status=422)
    return _page(FormState(), preview, _keep(me.id, raw))


@bp.post("/import/<token>")
def commit_import(token: str):
    me = _me()
    if not policy.can_import_cases(me):
        abort(404)
    path = _claim(me.id, token)
    try:
        cases = importing.commit_import(db.session(), me, path.read_bytes())
        db.commit()
    except importing.ImportRefused as exc:
        # The data changed since the preview (a rate, a date now in the future, ...).
        db.session().rollback()
        return _page(FormState(), exc.preview, status=422)
    except BaseException:
        path.rename(path.with_suffix(".csv"))  # let the officer try again
        raise
    finally:
        path.unlink(missing_ok=True)
    flash(f"{len(cases)} case{'s' if len(cases) != 1 else ''} imported.", "info")
    return redirect(url_for("cases.index"))


@bp.get("/import/template.csv")
def import_template():
    me = _me()
    if not policy.can_import_cases(me):
        abort(404)
    return Response(importing.template_csv(db.session(), me), mimetype="text/csv", headers={
        "Content-Disposition": "attachment; filename=anice-import-template.csv"})
