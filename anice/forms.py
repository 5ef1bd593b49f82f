"""What every HTML form page shares: the state a form shows and the signed-in officer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_login import current_user

from .errors import Invalid
from .models import Officer
from .validation import Reading


def current_officer() -> Officer:
    """The signed-in officer of this request (the object, not the proxy)."""
    return current_user._get_current_object()


def typed() -> Reading:
    """How the signed-in officer writes what a form sends: their number format and time
    zone (figures such as 1.200 and times without an offset are read that way)."""
    return Reading.typed_by(current_officer())


@dataclass
class FormState:
    """What a form shows: the values typed (kept on errors) and the errors per field."""

    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    message: str = ""

    @classmethod
    def failed(cls, values: dict, exc: Invalid) -> FormState:
        errors: dict[str, list[str]] = {}
        for name, message in exc.errors:
            errors.setdefault(name, []).append(message)
        return cls(values, errors)
