"""What a referral shares: parsing the sender's choice, and the receiver's view of it.

The receiver's view is built only from the share rows: a field or item that was not
chosen is never read into it, so a template cannot show it by mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..errors import Invalid
from ..models import (
    Case,
    CaseMatch,
    Evidence,
    EvidenceStatus,
    Referral,
    ReferralShare,
    ShareKind,
)
from ..text.locales import N_
from . import provenance

# Case fields a sender may share, with their labels (the reference is always shown).
# In English; pages show them translated (``_(share_fields[key])``).
FIELDS: dict[str, str] = {
    "title": N_("Title"),
    "summary": N_("Summary"),
    "kind": N_("Kind"),
    "status": N_("Status"),
    "right_types": N_("IP rights involved"),
    "detection": N_("Detected by"),
    "place": N_("Place"),
    "dates": N_("Dates (detected, opened)"),
    "tags": N_("Tags"),
    "prosecution": N_("Charges, court and outcome"),
}

NOT_OF_CASE = {"seizure": N_("%(value)s is not a seizure of this case"),
               "listing": N_("%(value)s is not a listing of this case"),
               "party": N_("%(value)s is not a party of this case")}

ITEM_KINDS = {
    ShareKind.SEIZURE: "seizures",
    ShareKind.LISTING: "listings",
    ShareKind.PARTY: "parties",
}


@dataclass
class Choice:
    """The sender's selection, as (kind, key) pairs."""

    pairs: list[tuple[ShareKind, str]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.pairs)


def _ids(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    items = value if isinstance(value, list | tuple) else str(value).split(",")
    return [str(v).strip() for v in items if str(v).strip()]


def parse_choice(db: Session, case: Case, data: Any) -> Choice:
    """Read ``fields``, ``seizures``, ``listings``, ``parties``, ``matches``, ``evidence``
    (lists of names / ids / evidence public ids) and check each belongs to the case."""
    errors: list[tuple[str, str]] = []
    choice = Choice()
    get = data.getlist if hasattr(data, "getlist") else (lambda k: _ids(data.get(k)))
    for name in get("fields"):
        if name not in FIELDS:
            errors.append(("fields", gettext("%(value)s is not one of: %(choices)s",
                                             value=repr(name[:40]), choices=", ".join(FIELDS))))
        else:
            choice.pairs.append((ShareKind.FIELD, name))
    for kind, collection in ITEM_KINDS.items():
        own = {str(item.id) for item in getattr(case, collection)}
        for key in get(collection):
            if key not in own:
                errors.append((collection, gettext(NOT_OF_CASE[kind.value],
                                                   value=repr(key[:20]))))
            else:
                choice.pairs.append((kind, key))
    match_ids = set(get("matches"))
    if match_ids:
        own = {str(i) for i in db.scalars(select(CaseMatch.id).where(
            CaseMatch.case_id == case.id))}
        for key in match_ids:
            if key not in own:
                errors.append(("matches", gettext("%(value)s is not a match of this case",
                                                  value=repr(key[:20]))))
            else:
                choice.pairs.append((ShareKind.MATCH, key))
    public_ids = get("evidence")
    if public_ids:
        rows = {e.public_id: e for e in db.scalars(select(Evidence).where(
            Evidence.case_id == case.id, Evidence.public_id.in_(public_ids[:500])))}
        for key in public_ids:
            ev = rows.get(key)
            if ev is None:
                errors.append(("evidence", gettext("%(value)s is not an evidence item of this "
                                                   "case", value=repr(key[:40]))))
            elif ev.status == EvidenceStatus.SHREDDED:
                errors.append(("evidence", gettext("%(value)s was destroyed and cannot be shared",
                                                   value=repr(ev.original_name))))
            else:
                choice.pairs.append((ShareKind.EVIDENCE, str(ev.id)))
    if errors:
        raise Invalid.many(errors)
    check_reshare(db, case, choice)
    return choice


def check_reshare(db: Session, case: Case, choice: Choice) -> None:
    """What the case received through a referral (the linked case's fields built from it,
    copied items and parties, matches found on copied items' text) may be shared on only
    if that referral's handling code allows it."""
    errors: list[tuple[str, str]] = []
    for kind, key in choice.pairs:
        if kind == ShareKind.FIELD:
            reason = provenance.field_refusal(db, case, key, "reshare")
            name = "fields"
        elif kind in ITEM_KINDS:
            reason = provenance.item_refusal(db, kind, int(key), "reshare")
            name = ITEM_KINDS[kind]
        elif kind == ShareKind.MATCH:
            reason = provenance.match_refusal(db, int(key), "reshare")
            name = "matches"
        else:
            continue
        if reason:
            errors.append((name, reason))
    if errors:
        raise Invalid.many(errors)


def apply(referral: Referral, choice: Choice, actor_id: int) -> list[ReferralShare]:
    """Add the chosen shares that are not there yet; returns the new ones."""
    have = {(s.kind, s.key) for s in referral.shares}
    added = []
    for kind, key in choice.pairs:
        if (kind, key) not in have:
            share = ReferralShare(kind=kind, key=key, added_by_id=actor_id)
            referral.shares.append(share)
            have.add((kind, key))
            added.append(share)
    return added


@dataclass
class SharedView:
    """Exactly what the receiver may read of the sender's case."""

    reference: str
    fields: dict[str, Any]
    seizures: list[Any]
    listings: list[Any]
    parties: list[Any]
    matches: list[Any]
    evidence: list[Evidence]

    @property
    def empty(self) -> bool:
        return not (self.fields or self.seizures or self.listings or self.parties
                    or self.matches or self.evidence)


def _field_values(case: Case, names: set[str]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in FIELDS:
        if name not in names:
            continue
        if name == "kind":
            values[name] = case.kind.value
        elif name == "status":
            values[name] = case.status.label
        elif name == "right_types":
            values[name] = [t.label for t in case.right_types]
        elif name == "detection":
            values[name] = case.detection.value if case.detection else None
        elif name == "place":
            values[name] = ", ".join(p for p in (case.city, case.province) if p) or None
        elif name == "dates":
            values[name] = {"detected_on": case.detected_on, "opened_on": case.opened_on}
        elif name == "prosecution":
            values[name] = {"charges": case.charges, "court_name": case.court_name,
                            "court_date": case.court_date,
                            "outcome": case.outcome.value if case.outcome else None}
        else:
            values[name] = getattr(case, name)
    return values


def shared_view(db: Session, referral: Referral) -> SharedView:
    case = referral.case
    keys = {kind: referral.shared_keys(kind) for kind in ShareKind}

    def items(collection: str, kind: ShareKind) -> list[Any]:
        return [i for i in getattr(case, collection) if str(i.id) in keys[kind]]

    matches = []
    if keys[ShareKind.MATCH]:
        matches = list(db.scalars(select(CaseMatch).where(
            CaseMatch.case_id == case.id,
            CaseMatch.id.in_([int(k) for k in keys[ShareKind.MATCH]]))))
    evidence = []
    if keys[ShareKind.EVIDENCE]:
        evidence = list(db.scalars(select(Evidence).where(
            Evidence.case_id == case.id,
            Evidence.id.in_([int(k) for k in keys[ShareKind.EVIDENCE]])).order_by(Evidence.id)))
    return SharedView(reference=case.reference, fields=_field_values(case, keys[ShareKind.FIELD]),
                      seizures=items("seizures", ShareKind.SEIZURE),
                      listings=items("listings", ShareKind.LISTING),
                      parties=items("parties", ShareKind.PARTY),
                      matches=matches, evidence=evidence)
