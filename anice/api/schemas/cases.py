"""Cases, their items, notes, timeline and proposed rights."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import Field, create_model

from ...models import (
    CaseKind,
    CaseStatus,
    Category,
    Detection,
    Disposal,
    Outcome,
    PartyKind,
    PartyRole,
    Platform,
    RightType,
    Sensitivity,
    TakedownResult,
    Unit,
)
from ...models.case_match import MatchDecision
from .base import Country2, Day, Decimal, In, Moment, Out, Text
from .other import GoodsMatch

# Whether right holders subscribed to alerts are told of rights confirmed in the case:
# "default" follows the agency's setting (never for a restricted case).
TellHolder = Literal["default", "tell", "do_not_tell"]


class AgencyCode(Out):
    id: int
    code: str


class CaseSummary(Out):
    id: int
    reference: str
    kind: CaseKind
    status: CaseStatus
    title: str
    agency: AgencyCode
    country: Country2
    sensitivity: Sensitivity
    detected_on: Day | None
    updated_at: Moment
    version: int


class SeizureOut(Out):
    id: int
    description: str
    brand: str | None
    category: Category
    quantity: Decimal | None
    unit: Unit
    value_local: Decimal | None
    currency: str | None
    usd_rate: Decimal | None
    rate_date: Day | None
    value_usd: Decimal | None
    storage_place: str | None
    disposal: Disposal | None
    disposal_on: Day | None
    container_number: str | None
    airway_bill: str | None
    vehicle_plate: str | None


class ListingOut(Out):
    id: int
    url: str
    platform: Platform
    seller_name: str | None
    seller_id: str | None
    seller_phone: str | None
    title: str | None
    price: Decimal | None
    currency: str | None
    seen_at: Moment | None
    takedown_requested_on: Day | None
    takedown_done_on: Day | None
    takedown_result: TakedownResult | None


class PartyOut(Out):
    id: int
    role: PartyRole
    kind: PartyKind
    name: str
    nationality: str | None
    id_number: str | None
    passport_number: str | None
    phone: str | None
    email: str | None
    contact: str | None
    notes: str | None


class TeamMember(Out):
    id: int
    name: str


class CaseOut(CaseSummary):
    summary: str | None
    right_types: list[RightType]
    detection: Detection | None
    province: str | None
    city: str | None
    opened_on: Day | None
    closed_on: Day | None
    tags: list[str]
    charges: str | None
    court_name: str | None
    court_reference: str | None
    court_date: Day | None
    outcome: Outcome | None
    outcome_notes: str | None
    tell_holder: TellHolder
    tells_holder: bool = Field(description="Whether holders are told, after the agency's "
                                           "setting and the case's sensitivity")
    team: list[TeamMember]
    seizures: list[SeizureOut]
    listings: list[ListingOut]
    parties: list[PartyOut]


class CasePage(Out):
    items: list[CaseSummary]
    page: int
    per_page: int
    total: int


class NoteOut(Out):
    id: int
    at: Moment
    text: str


class TimelineEntry(Out):
    at: Moment
    actor: str
    kind: str
    summary: str
    changes: Any


class CaseMatch(Out):
    id: int
    source: str
    text: str
    right_id: int
    office: str
    number: str
    designations: list[str]  # office WO: the designated member states
    mark_text: str | None
    score: float
    reasons: list[str]
    # The right's goods line closest to the item's description or the listing's title.
    goods_match: GoodsMatch | None
    decision: MatchDecision


class MatchDecided(Out):
    id: int
    decision: MatchDecision


# --- request bodies (validated by the services; described here) ----------------------

class CaseInput(In):
    """A new case (kind and title required) or an edit (version required)."""

    kind: CaseKind = None
    title: Text = None
    summary: str = None
    right_types: list[RightType] = None
    detection: Detection = None
    province: str = None
    city: str = None
    detected_on: Day = None
    sensitivity: Sensitivity = None
    tags: list[str] = None
    tell_holder: TellHolder = None
    version: int = None  # required when editing


class CaseCreate(CaseInput):
    kind: CaseKind
    title: Text


class CaseEdit(CaseInput):
    version: int


class TransitionInput(In):
    to: CaseStatus
    version: int
    reason: str = None
    on: Day = None
    charges: str = None
    court_name: str = None
    court_reference: str = None
    court_date: Day = None
    outcome: Outcome = None
    outcome_notes: str = None


class ProsecutionInput(In):
    version: int
    charges: str = None
    court_name: str = None
    court_reference: str = None
    court_date: Day = None
    outcome_notes: str = None


class NoteInput(In):
    text: Text


class DiscardInput(In):
    reason: str = Field(None, max_length=500, description="Why the draft is thrown away "
                        "(optional; kept in its timeline and the audit trail)")


class DecisionInput(In):
    decision: MatchDecision


def _input_of(out: type[Out], required: tuple[str, ...]) -> type[In]:
    """The body that adds or replaces an item: the item's members, without its id."""
    fields = {}
    for name, info in out.model_fields.items():
        if name == "id":
            continue
        kind = info.annotation
        args = [a for a in getattr(kind, "__args__", ()) if a is not type(None)]
        kind = args[0] if len(args) == 1 else kind
        if name in required and kind is str:
            kind = Text
        fields[name] = (kind, Field(... if name in required else None,
                                    json_schema_extra=info.json_schema_extra))
    return create_model(out.__name__.replace("Out", "Input"), __base__=In, **fields)


SeizureInput = _input_of(SeizureOut, ("description", "brand", "category", "quantity", "unit"))
ListingInput = _input_of(ListingOut, ("url", "platform"))
PartyInput = _input_of(PartyOut, ("role", "kind", "name"))
