"""Officers (users) and what belongs to their login: sessions, invitations, codes, tokens."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base
from ..text.locales import N_
from ..text.numbers import NumberFormat, default_format
from .geo import Agency

if TYPE_CHECKING:
    from .holder import HolderOrg
from .types import UTCDateTime, str_enum, utcnow


class Role(enum.StrEnum):
    INVESTIGATOR = "investigator"
    PROSECUTOR = "prosecutor"
    SUPERVISOR = "supervisor"
    COORDINATOR = "coordinator"
    SECRETARIAT = "secretariat"
    ADMIN = "admin"
    # A right holder's representative: an account outside agencies (anice/models/holder.py).
    HOLDER = "holder"

    @property
    def label(self) -> str:
        """The role in English words; pages show it translated (``_(role.label)``)."""
        return {"investigator": N_("Investigator"), "prosecutor": N_("Prosecutor"),
                "supervisor": N_("Supervisor"), "coordinator": N_("National coordinator"),
                "secretariat": N_("Secretariat"), "admin": N_("System admin"),
                "holder": N_("Right holder")}[self.value]


class Officer(Base):
    __tablename__ = "officer"
    # An officer works for an agency; a right holder's representative for its organisation.
    __table_args__ = (CheckConstraint("(agency_id IS NULL) <> (holder_org_id IS NULL)",
                                      name="agency_or_holder"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agency.id"), index=True)
    holder_org_id: Mapped[int | None] = mapped_column(ForeignKey("holder_org.id"), index=True)
    role: Mapped[Role] = mapped_column(str_enum(Role, 20))
    timezone: Mapped[str] = mapped_column(String(64))
    # How the officer writes figures; None until chosen: the country's (``number_style``).
    number_format: Mapped[NumberFormat | None] = mapped_column(str_enum(NumberFormat, 8))
    # The language pages are shown in (anice/text/locales.py); None until chosen: the country's.
    language: Mapped[str | None] = mapped_column(String(8))
    # Invited accounts become active once password and TOTP are enrolled.
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    deactivated_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # Fernet token of the base32 TOTP secret (see anice.auth.secrets).
    totp_secret_enc: Mapped[str | None] = mapped_column(Text)
    totp_confirmed: Mapped[bool] = mapped_column(Boolean, default=False)
    # Highest TOTP time step accepted so far: a code is never accepted twice.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    # Wrong second factors after the right password; only someone who knows the password
    # can lock the account (wrong passwords are throttled per address, see LoginThrottle).
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    agency: Mapped[Agency | None] = relationship(lazy="joined")
    holder_org: Mapped[HolderOrg | None] = relationship(lazy="joined",
                                                        foreign_keys=[holder_org_id])

    @property
    def country_code(self) -> str:
        if self.agency is None:  # a holder's representative: where its organisation is
            return self.holder_org.country_code
        return self.agency.country_code

    @property
    def is_holder(self) -> bool:
        return self.role == Role.HOLDER

    @property
    def number_style(self) -> NumberFormat:
        """The number format figures are read and shown in for this officer."""
        return self.number_format or default_format(self.country_code)

    # Flask-Login: the "id" kept in the cookie is the server-side session id, set at
    # login, so that revoking the session row ends the login at once.
    session_id = None  # set per request, not a column
    session_ends_at = None  # when the session's idle or absolute timeout falls (per request)

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.active

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str | None:
        return self.session_id

    def __repr__(self) -> str:
        return f"<Officer {self.id} {self.role}>"


class OfficerSession(Base):
    """A server-side login session; the cookie holds only its random id."""

    __tablename__ = "officer_session"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    client_addr: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    officer: Mapped[Officer] = relationship()


class Invitation(Base):
    __tablename__ = "invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("officer.id"))
    # SHA-256 of the token in the link; the token itself is never stored.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    officer: Mapped[Officer] = relationship(foreign_keys=[officer_id])
    invited_by: Mapped[Officer | None] = relationship(foreign_keys=[invited_by_id])


class RecoveryCode(Base):
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class TokenScope(enum.StrEnum):
    READ = "read"
    READ_WRITE = "read-write"


class ApiToken(Base):
    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    scope: Mapped[TokenScope] = mapped_column(str_enum(TokenScope, 12))
    # First characters of the token, shown in lists to tell tokens apart.
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    officer: Mapped[Officer] = relationship()


class LoginAttempt(Base):
    """Every login attempt on a known account, visible to its coordinator."""

    __tablename__ = "login_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    officer_id: Mapped[int] = mapped_column(ForeignKey("officer.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    success: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(String(40))
    client_addr: Mapped[str | None] = mapped_column(String(64))


class LoginThrottle(Base):
    """Failed logins of one client address with one e-mail as typed, known account or not:
    a guesser is slowed down at their address without locking the officer out elsewhere."""

    __tablename__ = "login_throttle"

    # HMAC of the address and the e-mail: the table names neither (nor mistyped passwords).
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
