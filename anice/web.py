"""Request plumbing: extensions, security headers, request ids, template helpers."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from urllib.parse import urlencode

from babel.dates import format_date
from flask import (
    Flask,
    Response,
    current_app,
    g,
    has_request_context,
    request,
    session,
    stream_with_context,
)
from flask_babel import get_locale, refresh
from flask_login import current_user
from flask_talisman import Talisman
from jinja2.ext import (  # Jinja's own wrappers, as Flask-Babel installs them
    _make_new_gettext,
    _make_new_ngettext,
    _make_new_npgettext,
    _make_new_pgettext,
)
from sqlalchemy import Select, func, select
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import db, policy
from .auth.sessions import load_session
from .errors import Invalid, NotFound
from .extensions import babel, catalog, csrf, gettext, limiter, login_manager
from .forms import form_token, form_token_field
from .text import labels, locales
from .text.locales import N_
from .text.numbers import NumberFormat, format_figure
from .text.times import wall_clock, zone, zone_label
from .validation import ID_MAX, PAGE_MAX, whole_number

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
_REQUEST_ID = re.compile(r"^[A-Za-z0-9\-]{8,64}$")


class BoundedInt(IntegerConverter):
    """<int:...> ids beyond an ``integer`` column are simply not found (not a database error)."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        # 0 is no record's id: 404 from the service. (A converter refusing the value made
        # Werkzeug answer 405 for some rules, schemathesis found.)
        return number if number <= ID_MAX else 0


def init_app(app: Flask) -> None:
    app.url_map.converters["int"] = BoundedInt
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = N_("Please log in to continue.")
    login_manager.localize_callback = gettext  # the flash in the reader's language
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    # Macros imported without the page's context read these (Flask-Babel's, without its
    # domain lookup at each message).
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: catalog().ugettext(s),
        ngettext=lambda s, p, n: catalog().ungettext(s, p, n),
        pgettext=lambda c, s: catalog().upgettext(c, s),
        npgettext=lambda c, s, p, n: catalog().unpgettext(c, s, p, n), newstyle=True)
    login_manager.session_protection = "basic"
    https = app.config["HTTPS"]
    Talisman(app, content_security_policy=CSP, force_https=https,
             strict_transport_security=https, strict_transport_security_max_age=31536000,
             session_cookie_secure=https, session_cookie_http_only=True,
             frame_options="DENY", referrer_policy="no-referrer",
             x_content_type_options=True)
    if app.config.get("PROXY_FIX"):
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]

    @login_manager.user_loader
    def _load(sid: str):
        # Asking how long the session has left is not activity.
        return load_session(db.session(), sid, touch=request.endpoint != "session.status")

    @app.before_request
    def _request_context() -> None:
        # A request reusing an outer app context (tests, CLI) must load its own user.
        g.pop("_login_user", None)
        g.pop("csrf_token", None)  # and its own CSRF token (from its own session)
        g.pop("api_officer", None)  # and its own API token's officer (the language of problems)
        refresh()  # and its own language and time zone (Flask-Babel caches them per context)
        rid = request.headers.get("X-Request-ID", "")
        g.request_id = rid if _REQUEST_ID.match(rid) else uuid.uuid4().hex
        g.client_addr = request.remote_addr
        _refuse_nul()

    @app.before_request
    def _holders_keep_to_their_pages() -> None:
        # Deny by default: a right holder's account reaches its own pages only; every other
        # page answers 404 as if it did not exist (the API checks the same in anice.api).
        if request.blueprint == "api" or request.endpoint == "static":
            return
        if (current_user.is_authenticated and policy.is_holder_account(current_user)
                and not policy.holder_reaches(request.endpoint)):
            raise NotFound(gettext("No such page."))

    @app.after_request
    def _headers(response):
        response.headers["X-Request-ID"] = g.get("request_id", "")
        if request.endpoint and not request.endpoint.endswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["figure"] = figure
    app.jinja_env.globals["times_note"] = times_note
    app.jinja_env.filters["merge_args"] = merge_args
    app.jinja_env.filters["translate"] = translate
    app.jinja_env.filters["lower_first"] = labels.lower_first
    app.jinja_env.globals["policy"] = policy
    labels.register(app.jinja_env)
    app.jinja_env.globals["change_value"] = change_value
    app.jinja_env.filters["change_value"] = change_value
    app.jinja_env.globals["form_token_field"] = form_token_field
    app.jinja_env.globals["form_token"] = form_token

    @app.context_processor
    def _globals():
        # The user and the catalog resolved once per page, not at each use: a page reads
        # current_user and asks for messages a few hundred times (docs/performance.md).
        user = current_user._get_current_object() if has_request_context() else None
        return {"current_user": user, "can": Can(user),
                "languages": locales.LANGUAGES, "current_language": str(get_locale() or "en"),
                **_page_gettext()}


def _page_gettext() -> dict:
    """The template's gettext functions bound to this page's catalog (Jinja's new-style
    ones, as Flask-Babel installs them: autoescaped, with %(name)s variables)."""
    translations = catalog()
    return {"gettext": _make_new_gettext(translations.ugettext),
            "ngettext": _make_new_ngettext(translations.ungettext),
            "pgettext": _make_new_pgettext(translations.upgettext),
            "npgettext": _make_new_npgettext(translations.unpgettext)}


def _extra_languages() -> tuple[str, ...]:
    # A test's pseudo-locale (tests/i18n); empty in every real configuration.
    extra = current_app.config.get("PSEUDO_LOCALE")
    return (extra,) if extra else ()


def select_locale() -> str:
    """The officer's language (their choice, else their country's; for the API the token
    owner's); before login the one picked with the switch, else the browser's
    Accept-Language among ours, else English."""
    if not has_request_context():
        return locales.DEFAULT
    extra = _extra_languages()
    if current_user and current_user.is_authenticated:
        return locales.officer_language(current_user, extra)
    if request.blueprint == "api" and g.get("api_officer") is not None:
        # The API's token owner reads its problems in their language, as they read pages.
        return locales.officer_language(g.api_officer, extra)
    picked = session.get("language")
    if locales.is_language(picked, extra):
        return picked
    return request.accept_languages.best_match(tuple(locales.LANGUAGES)) or locales.DEFAULT


def select_timezone() -> str:
    """Babel's time zone: the officer's own (UTC before login)."""
    return _viewer_zone() if has_request_context() else "UTC"


class Can:
    """What the current user may do, for templates: ``{% if can.refer(case) %}``. Each
    method asks a policy predicate (``can.view_rights()`` is ``policy.can_view_rights``), so
    a template never compares roles or countries itself."""

    def __init__(self, user) -> None:
        self._actor = user if user is not None and user.is_authenticated else None

    def refer(self, case) -> bool:
        return policy.can_refer_case(self._actor, case)

    def needs_referral_approval(self, agency) -> bool:
        return policy.referral_needs_approval(self._actor, agency)

    def import_offices(self) -> tuple[str, ...] | None:
        return policy.importable_offices(self._actor)

    def tell_holder(self, case) -> bool:
        """Whether right holders are told of rights confirmed in ``case`` (HolderAlert)."""
        return policy.tells_holder(case)

    def __getattr__(self, name: str):
        predicate = getattr(policy, f"can_{name}", None)
        if name.startswith("_") or not callable(predicate):
            raise AttributeError(name)
        return lambda *args: predicate(self._actor, *args)


def _refuse_nul() -> None:
    """A NUL character never reaches SQL (PostgreSQL refuses it in text: a 500 otherwise)."""
    if "\x00" in request.path:
        raise NotFound(gettext("No such page."))
    for name, value in request.args.items(multi=True):
        if "\x00" in name or "\x00" in value:
            raise Invalid(name[:40].replace("\x00", "") or "query",
                          gettext("contains a NUL character"))


def _viewer_zone() -> str:
    user = current_user._get_current_object()  # one proxy lookup, not three
    if user is not None and user.is_authenticated:
        return user.timezone or "UTC"
    return "UTC"


def localtime(value: datetime | None, fmt: str | None = None) -> str:
    """A UTC time shown in the officer's time zone (UTC for anonymous pages). An explicit
    strftime ``fmt`` is kept as is (exact timestamps, e.g. of the audit trail); otherwise
    English keeps the ISO form 2026-12-07 14:05; other languages get the date in their
    locale's medium form (CLDR through Babel: "7 ธ.ค. 2026" in Thai, "7 thg 12, 2026" in
    Vietnamese: the month in words, never a 2-digit year) and the time on 24 hours."""
    if value is None:
        return ""
    local = value.astimezone(zone(_viewer_zone()))
    locale = str(get_locale() or "en") if has_request_context() else "en"
    if fmt is None and locale != "en" and locale in locales.LANGUAGES:
        day = format_date(local.date(), "medium", locale=locale)
        return f"{day} {local.strftime('%H:%M')} {local.tzname()}"
    return f"{local.strftime(fmt or '%Y-%m-%d %H:%M')} {local.tzname()}"


def times_note() -> str:
    """What a form with a date-time field says: "Times in Asia/Bangkok (UTC+07:00)"."""
    name, _, offset = zone_label(_viewer_zone()).partition(", ")
    return gettext("Times in %(zone)s (%(offset)s); change it in My account", zone=name,
                   offset=offset)


def translate(text):
    """A text that may be a catalog message or data (an option's label, a stored problem):
    translated when the catalog has it, else as it is. Unlike ``_()`` in a template, it
    neither formats ``%`` nor marks the text safe: data stays escaped."""
    return gettext(str(text)) if text else text


def figure(value, places: int | None = None) -> str:
    """A figure in the officer's number format (1,234.5 or 1.234,5)."""
    if value is None or value == "":
        return ""
    style = NumberFormat.POINT
    user = current_user._get_current_object()
    if user is not None and user.is_authenticated:
        style = user.number_style
    try:
        return format_figure(Decimal(str(value)), style, places=places, unambiguous=False)
    except InvalidOperation:
        return str(value)


_FIGURE_FIELDS = ("quantity", "value_local", "value_usd", "price", "usd_rate")
_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?([+-]\d\d:\d\d|Z)")


def change_value(field: str, value) -> str:
    """A before/after value of the timeline as the officer reads it: instants in their
    zone, figures in their format, enum values in words (``labels.change_value``)."""
    if value is None:
        return "—"
    if isinstance(value, str) and _MOMENT.fullmatch(value):
        return localtime(datetime.fromisoformat(value.replace("Z", "+00:00")))
    if field.rsplit(".", 1)[-1] in _FIGURE_FIELDS:
        return figure(value)
    return labels.change_value(field, value)


def form_wall_clock(value: datetime | None) -> str:
    """The value a datetime-local field shows for a stored instant, in the officer's zone."""
    return wall_clock(value, _viewer_zone())


@dataclass
class Page:
    items: list
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def paginate(query: Select, page: int, per_page: int) -> Page:
    session = db.session()
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    page = min(PAGE_MAX, max(1, page))  # the OFFSET stays far inside a 64-bit integer
    items = list(session.scalars(query.limit(per_page).offset((page - 1) * per_page)).unique())
    return Page(items, page, per_page, total)


def private_image(size: int, chunks, media_type: str = "image/png") -> Response:
    """An image only signed-in officers may see: cached by their browser only, never
    sniffed as anything but its type."""
    return Response(stream_with_context(chunks), mimetype=media_type, direct_passthrough=True,
                    headers={"Content-Length": str(size),
                             "Cache-Control": "private, max-age=3600",
                             "X-Content-Type-Options": "nosniff"})


def int_arg(name: str, default: int = 1, maximum: int = PAGE_MAX) -> int:
    """A whole-number query argument (page numbers by default); anything else is a 422."""
    return int(whole_number(request.args.get(name), name, default=default, maximum=maximum)
               or default)


def id_arg(name: str) -> int | None:
    """A record id from the query string or form (None when absent); not an id is a 422."""
    return whole_number(request.values.get(name), name)


def attach_error(form, exc) -> None:
    """Put each problem of a service's Invalid next to the field it names."""
    for name, message in exc.errors:
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            if not isinstance(field.errors, list):
                field.errors = list(field.errors)
            field.errors.append(message)
        else:
            form.form_errors.append(f"{name}: {message}")


def merge_args(args, **overrides) -> str:
    """The current query string with some parameters replaced (sort and pager links)."""
    merged = {k: v for k, v in args.items() if k not in overrides}
    merged.update({k: v for k, v in overrides.items() if v is not None})
    return urlencode(merged)
