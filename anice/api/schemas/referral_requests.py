"""Referral requests: asked from a hit, answered by the holder's coordinator."""

from __future__ import annotations

from typing import Literal

from ...models import HandlingCode, IdentifierKind, RequestedAction, RequestStatus
from .base import Country2, Day, In, Moment, Out, Text
from .common import AgencyRef
from .referrals import SharesInput


class RequestCaseRef(Out):
    reference: str
    id: int | None  # to the asker's side only


class RequestAsker(Out):
    country: Country2
    agency: AgencyRef
    case: RequestCaseRef


class RequestHolder(Out):
    country: Country2
    agency: AgencyRef


class MatchedIdentifier(Out):
    kind: IdentifierKind
    value: str | None  # none for the hashed kinds (national ids, passports)


class HolderCase(Out):
    id: int
    reference: str | None  # null when the coordinator no longer reads the case
    identifiers: list[MatchedIdentifier]


class AnswerRef(Out):
    id: int
    reference: str


class RequestOut(Out):
    id: int
    reference: str
    side: Literal["asker", "holder"]
    # As the caller's side may know it: the asker reads "open" until the referral is sent.
    status: RequestStatus
    status_text: str
    asker: RequestAsker
    holder: RequestHolder
    kinds: list[IdentifierKind]
    message: str
    decline_reason: str | None
    created_at: Moment
    answered_at: Moment | None
    referral: AnswerRef | None
    # The holder cases and the values that matched: to the holder's side only.
    holder_cases: list[HolderCase] | None


class RequestInput(In):
    agency_id: int  # the agency a hit of the case points to
    message: Text


class ReferBackInput(SharesInput):
    case_id: int = None  # which holder case, when the request stands for several
    requested_action: RequestedAction
    handling_code: HandlingCode
    message: Text
    deadline: Day = None
    share_until: Day = None
