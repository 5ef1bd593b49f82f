"""The right holder's pages of verification requests (blueprint "holder_requests"): what
was sent to it, the shared files, and its answer."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import db, policy
from ..errors import Conflict, Invalid
from ..evidence.transfer import SEALED_FILE_CSP, attachment, check_upload_csrf
from ..extensions import csrf
from ..forms import submit_once
from ..models import HolderIntent, Verdict
from . import service, uploads

bp = Blueprint("holder_requests", __name__, url_prefix="/holder/requests")


def _me():
    return current_user._get_current_object()


@bp.before_request
@login_required
def _signed_in():
    return None


@bp.app_template_global()
def holder_open_requests():
    """The holder's waiting requests, for its home page."""
    me = _me()
    if not policy.is_holder(me):
        return []
    return [vr for vr in service.holder_requests(db.session(), me)
            if vr.status == service.SENT]


@bp.get("/")
def index():
    me = _me()
    rows = service.holder_requests(db.session(), me)
    return render_template("verification/holder_index.html", rows=rows,
                           today={vr.id: service.today_in(db.session(), vr.country_code)
                                  for vr in rows})


def _show(vr, *, values=None, errors=None, status=200):
    me = _me()
    return render_template(
        "verification/holder_show.html", vr=vr,
        today=service.today_in(db.session(), vr.country_code),
        shared=service.shared_items(vr),
        can_read=policy.can_read_verification_items(me, vr, True),
        can_answer=policy.can_answer_verification(me, vr, True),
        verdicts=list(Verdict), intents=list(HolderIntent), values=values or {},
        errors=errors or {}, max_files=uploads.MAX_ATTACHMENTS), status


@bp.get("/<public_id>")
def show(public_id: str):
    return _show(service.get_for_holder(db.session(), _me(), public_id))


@bp.get("/<public_id>/items/<int:item_id>")
def download(public_id: str, item_id: int) -> Response:
    evidence, stream = service.read_item(db.session(), _me(), public_id, item_id)
    db.commit()  # the custody event stands before a byte leaves
    return attachment(evidence, stream_with_context(stream))


download.talisman_view_options = {"content_security_policy": SEALED_FILE_CSP}


@bp.post("/<public_id>/answer")
@csrf.exempt
@submit_once(streamed=True, then="holder_requests.index")
def answer(public_id: str):
    check_upload_csrf()
    me = _me()
    session = db.session()
    vr = service.get_for_holder(session, me, public_id)
    form, files = {}, []
    try:
        form, files = uploads.receive_answer(me)
        service.answer(session, me, public_id, verdict=form.get("verdict", ""),
                       statement=form.get("statement", ""), examiner=form.get("examiner", ""),
                       intent=form.get("intent", ""), attachments=files,
                       version=form.get("version") or None)
        db.commit()
    except Invalid as exc:
        session.rollback()
        uploads.discard(files)
        vr = service.get_for_holder(session, me, public_id)
        return _show(vr, values=dict(form), errors=dict(exc.errors), status=422)
    except Conflict as exc:
        session.rollback()
        uploads.discard(files)
        flash(str(exc), "error")
        return redirect(url_for("holder_requests.show", public_id=public_id))
    except BaseException:
        session.rollback()
        uploads.discard(files)
        raise
    flash(gettext("Your answer was sent."), "info")
    return redirect(url_for("holder_requests.show", public_id=vr.public_id))
