"""The home page: My work (what waits for the officer), then the usual ways in."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from . import db, policy
from .mywork import my_work

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    if policy.is_holder_account(current_user):
        return redirect(url_for("holders.home"))
    return render_template("main/home.html",
                           sections=my_work(db.session(), current_user._get_current_object()))
