"""E-mail jobs. Messages carry links only, never case content."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from .app import app_context


def send_invitation(to: str, link: str) -> None:
    with app_context() as app:
        cfg = app.config
        msg = EmailMessage()
        msg["From"] = cfg["MAIL_FROM"]
        msg["To"] = to
        msg["Subject"] = "Your ANICE account invitation"
        msg.set_content(
            "You have been invited to ANICE, the case exchange of the ASEAN Network of "
            f"IP Enforcement Experts.\n\nOpen this link to set your password and TOTP "
            f"(it works once and expires in {cfg['INVITATION_HOURS']} hours):\n{link}\n")
        send(cfg, msg)


def send(cfg, msg: EmailMessage) -> None:
    """Implicit TLS on port 465, STARTTLS whenever the server offers it."""
    if cfg["SMTP_PORT"] == 465:
        smtp = smtplib.SMTP_SSL(cfg["SMTP_HOST"], 465, timeout=30,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=30)
    with smtp:
        smtp.ehlo()
        if cfg["SMTP_PORT"] != 465 and smtp.has_extn("starttls"):
            smtp.starttls(context=ssl.create_default_context())
            smtp.ehlo()
        if cfg["SMTP_USER"]:
            smtp.login(cfg["SMTP_USER"], cfg["SMTP_PASSWORD"] or "")
        smtp.send_message(msg)


def send_notification(officer_id: int, kind: str) -> None:  # noqa: ARG001 - kind for logs
    """A link only: no reference, name or content of a case ever goes by e-mail."""
    from anice import notifications
    from anice.db import session
    from anice.models import Officer

    with app_context() as app:
        cfg = app.config
        officer = session().get(Officer, officer_id)
        if officer is None or not officer.active or not cfg.get("SMTP_HOST"):
            return
        msg = EmailMessage()
        msg["From"] = cfg["MAIL_FROM"]
        msg["To"] = officer.email
        # In the recipient's language (their choice, else their country's).
        subject, body = notifications.email(officer, cfg["BASE_URL"])
        msg["Subject"] = subject
        msg.set_content(body)
        send(cfg, msg)
