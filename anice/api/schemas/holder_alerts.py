"""A right holder's alerts: what it was told of a confirmed match of one of its rights
(never the case's id, reference, suspects or evidence)."""

from __future__ import annotations

from pydantic import Field

from .base import Country2, Day, In, Moment, Out


class AlertRight(Out):
    id: int
    office: str
    number: str
    mark: str | None


class HolderAlertOut(Out):
    id: int
    right: AlertRight
    country: Country2
    agency: str = Field(description="The name of the agency whose case confirmed the right")
    confirmed_on: Day = Field(description="The day of the confirmation, in the country's "
                                          "time zone")
    category: str | None = Field(description="Product category of the matched seizure item "
                                             "(null for an online listing)")
    quantity: str | None = Field(description='Quantity and unit, e.g. "120 pair", or '
                                             '"1 listing"')
    created_at: Moment


class AlertSubscriptionOut(Out):
    alerts: bool


class AlertSubscriptionInput(In):
    alerts: bool
