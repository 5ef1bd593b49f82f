"""What right holders keep for officers: contacts, guides with images, recordations with
documents (issue 18)."""

from __future__ import annotations

from pydantic import Field

from ...models import HolderCapacity, RecordationAuthority
from .base import Country2, Day, In, Moment, Out, Text

MemberState = Country2


class ContactIn(In):
    """An enforcement contact for officers of one member state (e-mail or phone needed)."""

    country: MemberState
    name: Text
    role: str = None
    email: str = None
    phone: str = None
    hours: str = None
    languages: str = Field(None, description="Language codes, comma separated: en,ms,zh")


class ContactOut(Out):
    id: int
    country: str
    name: str
    role: str | None
    email: str | None
    phone: str | None
    hours: str | None
    languages: list[str]
    updated_at: Moment


class Distributor(Out):
    """An authorised distributor (or licensee) in one member state."""

    country: str
    name: str
    licensee: bool
    contact: str | None


class DistributorIn(In):
    country: MemberState
    name: Text
    licensee: bool = None
    contact: str = None


class HolderFileOut(Out):
    """A file kept sealed in ANICE; ``content`` is its address here (never elsewhere)."""

    id: str
    name: str
    media_type: str
    size: int
    sha256: str
    caption: str
    uploaded_at: Moment
    content: str


class GuideFields(In):
    genuine_features: str = None
    counterfeit_features: str = None
    packaging: str = None
    checks: str = Field(None, description="Serial number, hologram or QR checks")
    usual_prices: str = None
    distributors: list[DistributorIn] = None


class GuideCreate(GuideFields):
    title: Text
    product: Text
    rights: list[int] = Field(description="Ids of the rights it covers (the holder's own)",
                              min_length=1)


class GuideUpdate(GuideCreate):
    """The whole guide again, with the version read (409 if someone saved meanwhile)."""

    version: int


class VersionIn(In):
    version: int


class GuideOut(Out):
    id: int
    title: str
    product: str
    rights: list[int]
    genuine_features: str
    counterfeit_features: str
    packaging: str
    checks: str
    usual_prices: str
    distributors: list[Distributor]
    images: list[HolderFileOut]
    version: int
    updated_at: Moment
    withdrawn_at: Moment | None


class GuideLink(Out):
    id: int
    title: str
    product: str
    page: str


class RecordationIn(In):
    right: int
    country: MemberState
    authority: RecordationAuthority
    number: Text
    valid_from: Day
    valid_until: Day = None
    notes: str = None


class RecordationOut(Out):
    id: int
    right: int
    country: str
    authority: RecordationAuthority
    number: str
    valid_from: Day
    valid_until: Day | None
    expired: bool
    notes: str
    documents: list[HolderFileOut]
    withdrawn_at: Moment | None


class RightHolder(Out):
    """A holder standing linked to a right, with what it keeps for officers: contacts
    (the officer's country first), recordations of every country, guides."""

    org: int
    name: str
    capacity: HolderCapacity
    holder_name: str
    contacts: list[ContactOut]
    recordations: list[RecordationOut]
    guides: list[GuideLink]
