"""Referrals, their thread, and notifications."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...models import HandlingCode, ReferralStatus, RequestedAction
from .base import Country2, Day, In, Moment, Out, Text
from .cases import CaseMatch, ListingOut, PartyOut, SeizureOut
from .common import AgencyRef
from .evidence import SharedEvidence

Side = Literal["sender", "receiver"]


class ReferralSide(Out):
    country: Country2 | None
    agency: AgencyRef | None


class CaseRef(Out):
    reference: str
    id: int | None  # to the sending side only


class LinkedCaseRef(Out):
    id: int
    reference: str


class ReferralOut(Out):
    id: int
    reference: str
    side: Side
    status: ReferralStatus
    requested_action: RequestedAction
    handling_code: HandlingCode
    message: str
    deadline: Day | None
    share_until: Day | None
    overdue: bool
    from_: ReferralSide = Field(alias="from")
    to: ReferralSide
    case: CaseRef
    linked_case: LinkedCaseRef | None
    decision_reason: str | None
    created_at: Moment | None
    sent_at: Moment | None
    routed_at: Moment | None
    first_response_at: Moment | None
    decided_at: Moment | None
    withdrawn_at: Moment | None
    court_consent_at: Moment | None
    updated_at: Moment | None
    version: int


class ReferralEvent(Out):
    at: Moment
    actor: str
    kind: str
    summary: str
    details: Any


class Attachment(Out):
    id: str
    name: str | None
    media_type: str | None
    size: int
    sha256: str
    content: str


class ReferralMessageOut(Out):
    id: int
    at: Moment
    author: str
    side: Side
    body: str
    attachment: Attachment | None


class Shared(Out):
    """What the caller may read of the sender's case, while the referral shares."""

    reference: str
    fields: dict[str, Any]
    seizures: list[SeizureOut]
    listings: list[ListingOut]
    parties: list[PartyOut]
    matches: list[CaseMatch]
    evidence: list[SharedEvidence]


class ReferralDetail(ReferralOut):
    events: list[ReferralEvent]
    messages: list[ReferralMessageOut]
    shared: Shared | None


class ReferralPage(Out):
    items: list[ReferralOut]
    page: int
    per_page: int
    total: int


class SharesAdded(Out):
    added: int


class NotificationOut(Out):
    id: int
    kind: str
    message: str
    url: str | None
    created_at: Moment
    read_at: Moment | None


class NotificationsOut(Out):
    items: list[NotificationOut]
    unread: int


class NotificationsMarked(Out):
    marked: int
    unread: int


# --- request bodies ---------------------------------------------------------------------

Ids = list[str | int]


class SharesInput(In):
    fields: list[str] = None
    seizures: Ids = None
    listings: Ids = None
    parties: Ids = None
    matches: Ids = None
    evidence: list[str] = None  # evidence public ids of the case


class ReferralInput(SharesInput):
    to: list[Text]  # country codes (its coordinator routes) or agency:<id>
    requested_action: RequestedAction
    handling_code: HandlingCode
    message: Text
    deadline: Day = None
    share_until: Day = None
    submit: bool = None


class ReferralEdit(In):
    requested_action: RequestedAction = None
    handling_code: HandlingCode = None
    message: str = None
    deadline: Day = None
    share_until: Day = None
    version: int = None


class VersionInput(In):
    version: int = None


class ReasonInput(In):
    reason: Text
    version: int = None


class RouteInput(In):
    agency_id: int
    version: int = None


class AcceptInput(In):
    copy_: bool = Field(None, alias="copy")  # copy the shared items into the new case
    version: int = None


class InfoRequestInput(In):
    message: Text
    version: int = None


class MessageInput(In):
    body: Text


class NotificationsRead(In):
    ids: list[int] = None
    all: bool = None
