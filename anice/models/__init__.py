"""All models, imported so that Alembic and the app see the whole metadata."""

from .audit import AuditEvent, AuditHead
from .geo import Agency, AgencyKind, Country
from .officer import (
    ApiToken,
    Invitation,
    LoginAttempt,
    Officer,
    OfficerSession,
    RecoveryCode,
    Role,
    TokenScope,
)
from .types import utcnow

__all__ = [
    "Agency",
    "AgencyKind",
    "ApiToken",
    "AuditEvent",
    "AuditHead",
    "Country",
    "Invitation",
    "LoginAttempt",
    "Officer",
    "OfficerSession",
    "RecoveryCode",
    "Role",
    "TokenScope",
    "utcnow",
]
