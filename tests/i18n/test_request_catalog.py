"""The catalog is looked up once per request and language (anice.extensions.RequestDomain),
and templates get gettext bound to the page's catalog (anice.web._page_gettext): a language
forced or refreshed within one request must still be followed, in Python and in templates."""

from __future__ import annotations

from flask import render_template_string, session
from flask_babel import force_locale, gettext, refresh

from anice.extensions import RequestDomain, babel

TEMPLATE = "{{ _('Log in') }}|{% trans %}Log in{% endtrans %}"


def test_forced_and_refreshed_languages_are_followed_within_one_request(app):
    with app.test_request_context("/login", headers={"Accept-Language": "en"}):
        assert isinstance(babel.domain_instance, RequestDomain)
        assert gettext("Log in") == "Log in"
        with force_locale("th"):
            assert gettext("Log in") == "เข้าสู่ระบบ"
            assert render_template_string(TEMPLATE) == "เข้าสู่ระบบ|เข้าสู่ระบบ"
        assert gettext("Log in") == "Log in"  # back to the request's language
        assert render_template_string(TEMPLATE) == "Log in|Log in"
        session["language"] = "vi"  # the switch before login, then Flask-Babel's refresh
        refresh()
        assert gettext("Log in") == "Đăng nhập"
        assert render_template_string(TEMPLATE) == "Đăng nhập|Đăng nhập"


def test_template_gettext_formats_and_escapes_as_before(app):
    with app.test_request_context("/login"), force_locale("en"):
        page = render_template_string(
            "{{ _('Times in %(zone)s (%(offset)s); change it in My account', "
            "zone='<b>Asia/Bangkok</b>', offset='UTC+07:00') }}")
    assert page == ("Times in &lt;b&gt;Asia/Bangkok&lt;/b&gt; (UTC+07:00); "
                    "change it in My account")
