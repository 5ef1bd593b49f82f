"""ANICE: the case exchange of the ASEAN Network of IP Enforcement Experts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the app; configuration from the environment, overridden by ``test_config``."""
    # The imports below stay in the factory: importing any module of ``anice`` imports this
    # package first, and it must not pull in every view, blueprint and subscriber with it.
    app = Flask(__name__, template_folder=str(ROOT / "templates"),
                static_folder="static")
    from .request import InMemoryPartsRequest

    app.request_class = InMemoryPartsRequest  # no form file part spooled to disk in clear
    from . import config

    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)

    from . import db, errors, logs, web

    logs.configure(app.config["LOG_LEVEL"])
    db.init_app(app)
    errors.register(app)
    web.init_app(app)

    from .admin.views import bp as admin_bp
    from .api import bp as api_bp
    from .auth.session_views import bp as session_bp
    from .auth.views import bp as auth_bp
    from .cases.views import bp as cases_bp
    from .cli import register as register_cli
    from .evidence.views import bp as evidence_bp
    from .health import bp as health_bp
    from .holders.views import bp as holders_bp
    from .main import bp as main_bp
    from .notifications.views import bp as notifications_bp
    from .referrals.views import bp as referrals_bp
    from .rights.views import bp as rights_bp
    from .verification.holder_views import bp as holder_requests_bp
    from .verification.views import bp as verifications_bp

    for bp in (main_bp, auth_bp, admin_bp, cases_bp, evidence_bp, rights_bp, api_bp,
               health_bp, referrals_bp, notifications_bp, session_bp, holders_bp,
               verifications_bp, holder_requests_bp):
        app.register_blueprint(bp)
    register_cli(app)
    from . import events
    from .cases import subscriptions as cases_subscriptions
    from .correlation import subscriptions as correlation_subscriptions
    from .evidence import subscriptions as evidence_subscriptions
    from .holders import subscriptions as holders_subscriptions
    from .rights import subscriptions as rights_subscriptions

    # The one place where features subscribe to what services announce (anice/events).
    events.init_app(app, (cases_subscriptions, correlation_subscriptions,
                          rights_subscriptions, evidence_subscriptions,
                          holders_subscriptions))
    from .metrics import init_app as init_metrics

    init_metrics(app)
    from .correlation.views import bp as correlation_bp

    app.register_blueprint(correlation_bp)
    from .reports.views import bp as reports_bp

    app.register_blueprint(reports_bp)
    from .evidence.kek import check_at_start

    check_at_start(app)  # stored evidence but not its KEKs: do not serve (nor make a new one)
    return app
