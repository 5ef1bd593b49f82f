"""The bell: every officer's notifications as grouped entries, and the count in the header."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from .. import db
from .. import notifications as notify
from ..errors import Invalid, user_message
from ..validation import Fields
from ..web import Page, int_arg

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
PER_PAGE = 25


@bp.app_context_processor
def _unread():
    def unread_notifications() -> int:
        if not current_user.is_authenticated:
            return 0
        return notify.unread_entries(db.session(), current_user)
    return {"unread_notifications": unread_notifications}


@bp.app_template_global()
def notice_text(notification) -> str:
    """A notification's line in the reader's language (the bell and its page)."""
    return notify.shown(notification)


@bp.get("/")
@login_required
def index():
    kind, page, status = request.args.get("kind", ""), int_arg("page"), 200
    try:
        rows, total = notify.entries(db.session(), current_user, kind=kind, page=page,
                                     per_page=PER_PAGE)
    except Invalid as exc:
        flash(user_message(exc), "error")
        kind, status = "", 422
        rows, total = notify.entries(db.session(), current_user, page=1, per_page=PER_PAGE)
    return render_template("notifications/index.html", rows=rows, kind=kind,
                           kinds=notify.kinds_of(db.session(), current_user),
                           page=Page(rows, page, PER_PAGE, total)), status


@bp.post("/read")
@login_required
def read():
    fields = Fields({"id": request.form.getlist("id")})
    ids = fields.integer_list("id")  # each a record id in range, or a 422
    fields.done()
    # An id stands for its whole entry: every notice of its group is marked read.
    notify.mark_entries_read(db.session(), current_user, ids or None)
    db.commit()
    target = request.form.get("next", "")
    # Only our own paths (a notification's link), never an outside address.
    if target.startswith("/") and not target.startswith("//"):
        return redirect(target)
    return redirect(url_for("notifications.index"))
