"""/api/v1/holder/alerts: a right holder's brand-protection system reads the alerts of its
organisation and subscribes to them (holder endpoints are named ``holder_*``)."""

from __future__ import annotations

from flask import jsonify, request
from flask_babel import gettext

from .. import db
from ..errors import Invalid
from ..holders import alerts, service
from ..models import HolderAlert
from . import actor, api_view, bp
from .schemas import dump, dump_list
from .schemas.holder_alerts import AlertSubscriptionInput, AlertSubscriptionOut, HolderAlertOut
from .spec import doc


def alert_json(alert: HolderAlert) -> dict:
    right = alert.right
    return {"id": alert.id,
            "right": {"id": right.id, "office": right.office, "number": right.number,
                      "mark": right.mark_text},
            "country": alert.country_code, "agency": alert.agency_name,
            "confirmed_on": alert.confirmed_on.isoformat(), "category": alert.category,
            "quantity": alert.quantity, "created_at": alert.created_at.isoformat()}


@bp.get("/holder/alerts")
@doc("Your organisation's alerts (newest first): where, by which agency, when and what "
     "goods one of your rights was confirmed in a case", "holder alerts", ok=[HolderAlertOut])
@api_view
def holder_alerts():
    rows = alerts.my_alerts(db.session(), actor())
    return jsonify(dump_list(HolderAlertOut, [alert_json(a) for a in rows]))


@bp.get("/holder/alerts/<int:alert_id>")
@doc("One alert of your organisation", "holder alerts", ok=HolderAlertOut)
@api_view
def holder_alert(alert_id: int):
    return jsonify(dump(HolderAlertOut, alert_json(alerts.my_alert(db.session(), actor(),
                                                                   alert_id))))


@bp.put("/holder/alerts/subscription")
@doc("Subscribe to alerts (true) or stop them (false)", "holder alerts",
     body=AlertSubscriptionInput, ok=AlertSubscriptionOut)
@api_view
def holder_set_alerts():
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("alerts"), bool):
        raise Invalid("alerts", gettext("must be true or false"))
    org = service.set_alerts(db.session(), actor(), body["alerts"])
    return jsonify(dump(AlertSubscriptionOut, {"alerts": bool(org.alerts)}))
