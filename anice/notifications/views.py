"""The bell: every officer's notifications, and the unread count in the header."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import db
from .. import notifications as notify
from ..validation import Fields

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.app_context_processor
def _unread():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return notify.unread_count(db.session(), current_user)
    return {"unread_notifications": unread_notifications}


@bp.get("/")
@login_required
def index():
    rows = notify.notifications_of(db.session(), current_user)
    return render_template("notifications/index.html", rows=rows)


@bp.post("/read")
@login_required
def read():
    fields = Fields({"id": request.form.getlist("id")})
    ids = fields.integer_list("id")  # each a record id in range, or a 422
    fields.done()
    notify.mark_read(db.session(), current_user, ids or None)
    db.commit()
    target = request.form.get("next", "")
    # Only our own paths (a notification's link), never an outside address.
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("notifications.index"))
