"""Flask extensions, created unbound and initialised by the factory."""

from functools import cached_property
from types import SimpleNamespace

from babel.support import NullTranslations
from flask import g
from flask_babel import Babel, Domain, get_locale
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_wtf.csrf import CSRFProtect


class RequestDomain(Domain):
    """Flask-Babel's message domain, with the catalog looked up once per request and
    language rather than at each message: a case page asks for about 150 messages, and each
    lookup went through the request globals four times and formatted the locale's name
    (about a tenth of the page's CPU time under load; docs/performance.md). A new language
    in the same request (``refresh``, ``force_locale``) makes a new locale object, so the
    memo is keyed by that object."""

    def get_translations(self):
        ctx = _babel_context()
        if ctx is None:
            return NullTranslations()
        memo = getattr(ctx, "anice_translations", None)
        if memo is not None and memo[0] is getattr(ctx, "babel_locale", None):
            return memo[1]
        translations = super().get_translations()
        ctx.anice_translations = (get_locale(), translations)
        return translations


class RequestBabel(Babel):
    @cached_property
    def domain_instance(self):
        return RequestDomain(domain=self.domain)


def _babel_context() -> SimpleNamespace | None:
    """Flask-Babel's namespace of this application context (as
    ``flask_babel._get_current_context``), found with one proxy lookup instead of three."""
    try:
        app_g = g._get_current_object()
    except RuntimeError:  # no application context: Flask-Babel's NullTranslations
        return None
    ctx = app_g.__dict__.get("_flask_babel")
    if ctx is None:
        ctx = app_g._flask_babel = SimpleNamespace()
    return ctx


def catalog():
    """This request's catalog, in the officer's language."""
    return babel.domain_instance.get_translations()


def gettext(string: str, **variables) -> str:
    """``flask_babel.gettext`` without its domain lookup (the app has one domain): the
    labels, problems and stored messages of a page call it a few hundred times."""
    s = catalog().ugettext(string)
    return s % variables if variables else s


csrf = CSRFProtect()
login_manager = LoginManager()
limiter = Limiter(key_func=get_remote_address)
# Locale and time zone selectors: anice.web (the officer's language and zone).
babel = RequestBabel()
