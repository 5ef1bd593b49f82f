"""Verification requests: the officer's side and the holder's side (which never carries the
case, its parties or other items)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field

from ...models import HandlingCode, HolderIntent, Verdict, VerificationStatus
from .base import Day, In, Moment, Out, Text

ItemKind = Literal["seizure", "listing", "evidence", "answer"]


class VerificationItemOut(Out):
    id: int
    kind: ItemKind
    # Seizure: description, brand, category, quantity, unit. Listing: platform, title,
    # price, currency, url. Evidence and answer files: name, media_type, size, sha256.
    snapshot: dict[str, Any]
    content: str | None = Field(description="Where the holder downloads a shared file")


class VerificationAnswer(Out):
    verdict: Verdict
    statement: str
    examiner: str
    intent: HolderIntent
    answered_at: Moment


class HolderVerification(Out):
    """What the holder reads of a request."""

    id: str
    right: str
    from_country: str
    status: VerificationStatus
    overdue: bool
    sent_at: Moment
    question: str
    detention_date: Day
    working_days: int
    deadline: Day
    handling_code: HandlingCode
    version: int
    items: list[VerificationItemOut]
    answer: VerificationAnswer | None


class OfficerVerification(HolderVerification):
    """The officer's side also sees the case, the holder and the withdrawal."""

    case_id: int
    case_reference: str
    holder: str
    withdrawn_at: Moment | None
    withdraw_reason: str | None


class VerificationInput(In):
    match_id: int
    org_id: int | None = None
    seizure_ids: list[int] = []
    listing_ids: list[int] = []
    evidence_ids: list[int] = []
    question: Text
    detention_date: Day
    working_days: int | None = Field(None, description="Default: the configured number")
    handling_code: HandlingCode


class WithdrawInput(In):
    reason: Text
    version: int | None = None


class AnswerInput(In):
    """As multipart/form-data fields, with up to five ``attachments`` files."""

    verdict: Verdict
    statement: Text
    examiner: Text
    intent: HolderIntent
    version: int | None = None
