"""Report pages: the archive, a report (tables, charts, summary), its downloads, the
on-demand request with its progress, and subscriptions."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required

from .. import db, policy
from ..errors import Invalid
from ..forms import FORM_TOKEN, submit_once
from ..models import Officer
from ..models.report import PeriodKind, ReportStatus
from ..web import int_arg, paginate
from . import charts, export, pdf, service, tables, wording

bp = Blueprint("reports", __name__, url_prefix="/reports")
PER_PAGE = 30


@bp.before_request
@login_required
def _only_report_readers():
    if not policy.can_view_reports(current_user):
        abort(404)


def _me() -> Officer:
    return current_user._get_current_object()


def _kind_arg() -> PeriodKind | None:
    raw = request.args.get("kind") or None
    try:
        return PeriodKind(raw) if raw else None
    except ValueError:
        return None


def _index(form, error: Invalid | None = None):
    me, kind = _me(), _kind_arg()
    page = paginate(service.archive_query(me, kind), int_arg("page"), PER_PAGE)
    return render_template("reports/index.html", page=page, kind=kind, kinds=list(PeriodKind),
                           wording=wording,
                           scope=service.actor_scope(me), form=form, error=error,
                           subscribed=service.subscriptions(db.session(), me))


@bp.get("/")
def index():
    return _index({})


@bp.post("/")
@submit_once(commit_first=True)
def create():
    """Queue an on-demand report; inline (embedded mode) it is done when this returns."""
    data = {k: v for k, v in request.form.items() if k not in ("csrf_token", FORM_TOKEN)}
    try:
        report = service.request_report(db.session(), _me(), data)
    except Invalid as exc:
        db.session().rollback()
        return _index(data, exc), 422
    db.commit()
    return redirect(url_for("reports.show", report_id=report.id))


@bp.get("/<int:report_id>")
def show(report_id: int):
    session = db.session()
    report = service.get_report(session, _me(), report_id)
    if report.status != ReportStatus.DONE:
        return render_template("reports/progress.html", report=report,
                               title=service.title(report))
    f = report.figures
    return render_template("reports/show.html", report=report, f=f, title=service.title(report),
                           heading=gettext("%(scope)s: %(period)s",
                                           scope=wording.scope_label(f["scope"]),
                                           period=wording.period_label(wording.period_of(f))),
                           summary=wording.summary_lines(f), wording=wording,
                           headline=tables.headline_table(f), sections=tables.sections(f),
                           charts=charts.captions(), tables=tables,
                           versions=service.versions_of(session, report),
                           withheld_note=tables.withheld_note(f.get("min_cell")))


@bp.get("/<int:report_id>/status.json")
def status(report_id: int):
    report = service.get_report(db.session(), _me(), report_id)
    return jsonify({"id": report.id, "status": report.status.value,
                    "progress": report.progress, "error": report.error,
                    "url": url_for("reports.show", report_id=report.id)})


def _done(report_id: int):
    report = service.get_report(db.session(), _me(), report_id)
    if report.status != ReportStatus.DONE:
        abort(404)
    return report


@bp.get("/<int:report_id>/charts/<name>.<fmt>")
def chart(report_id: int, name: str, fmt: str):
    if name not in charts.CHARTS or fmt not in ("svg", "png"):
        abort(404)
    report = _done(report_id)
    body = charts.render(report.figures, name, fmt)
    response = Response(body, mimetype="image/svg+xml" if fmt == "svg" else "image/png")
    # Frozen figures: the same chart every time; cached privately by the browser.
    response.headers["Cache-Control"] = "private, max-age=86400"
    # The chart is in the reader's language: the page's URL names it (?lang=), so that a
    # switch of language is not served the cached chart of the other.
    response.headers["ETag"] = f'"{report.sha256}-{name}-{fmt}-{wording.locale()}"'
    return response


def _download(report_id: int, fmt: str, body, mimetype: str) -> Response:
    report = _done(report_id)
    content = body(report)
    service.record_export(db.session(), _me(), report, fmt)
    db.commit()
    name = f"anice-report-{report.id}-{report.period_key.replace('..', '_')}.{fmt}"
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{name}"',
        "X-Content-SHA256-Figures": report.sha256 or ""})


@bp.get("/<int:report_id>.pdf")
def as_pdf(report_id: int):
    return _download(report_id, "pdf", pdf.render, "application/pdf")


@bp.get("/<int:report_id>.csv")
def as_csv(report_id: int):
    return _download(report_id, "csv", export.to_csv, "text/csv")


@bp.get("/<int:report_id>.xlsx")
def as_xlsx(report_id: int):
    return _download(report_id, "xlsx", export.to_xlsx,
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.post("/subscriptions")
def subscriptions():
    kinds = request.form.getlist("kinds")
    service.set_subscriptions(db.session(), _me(), kinds)
    db.commit()
    flash(gettext("Your report notifications are saved."), "info")
    return redirect(url_for("reports.index"))
