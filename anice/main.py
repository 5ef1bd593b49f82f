"""The home page: My work (what waits for the officer), then the usual ways in."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from . import db
from .mywork import my_work

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def home():
    return render_template("main/home.html",
                           sections=my_work(db.session(), current_user._get_current_object()))
