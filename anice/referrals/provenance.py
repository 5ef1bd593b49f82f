"""What a linked case holds that came from a referral, and what the referral's handling
code lets the receiver do with it.

A linked case remembers its referral and handling code (``Case.origin_referral_id``,
``Case.origin_handling``); the fields built from the referral at acceptance
(``LINKED_FIELDS``) carry that code for good. Each copied seizure item, listing and party
has a ``ReferralCopy`` row with the referral and its code; a match found on a copied
item's text quotes it, so it follows that item. Evidence is never copied: the
receiver reads the sender's item through the referral, so its code is checked at every
read (``evidence.service.read`` for court use), and a referral shares only evidence of
its own case.

A field keeps its mark even after the receiver edits it: whether an edit still carries
the sender's words cannot be told reliably, and a partial rewrite must not launder them.
The receiver who wants to pass on its own account writes it in the new referral's
message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policy
from ..models import Case, CaseMatch, Referral, ReferralCopy, ShareKind
from ..text.locales import N_

# Fields of the linked case written from the referral when it is accepted: the title
# (the sender's title), the summary (sender's reference, agency and message) and the tags
# (the sender's country).
LINKED_FIELDS = ("title", "summary", "tags")

# The refusal per use, and per use until the sender consents (court_after_consent).
REFUSALS = {
    "reshare": N_("%(what)s was received through referral %(ref)s under the handling code "
                  "\"%(code)s\": it may not be shared on"),
    "export": N_("%(what)s was received through referral %(ref)s under the handling code "
                 "\"%(code)s\": it may not be exported"),
    "court": N_("%(what)s was received through referral %(ref)s under the handling code "
                "\"%(code)s\": it may not be used in court"),
}
UNTIL_CONSENT = {
    "export": N_("%(what)s was received through referral %(ref)s under the handling code "
                 "\"%(code)s\": it may not be exported until the sender consents"),
    "court": N_("%(what)s was received through referral %(ref)s under the handling code "
                "\"%(code)s\": it may not be used in court until the sender consents"),
}
FIELD_WORDS = {"title": N_("the title"), "summary": N_("the summary"), "tags": N_("the tags")}
ITEM_WORDS = {"seizure": N_("seizure %(id)s"), "listing": N_("listing %(id)s"),
              "party": N_("party %(id)s")}


def case_origin(db: Session, case: Case) -> Referral | None:
    """The referral a linked case was opened on, if any."""
    if case.origin_referral_id is None:
        return None
    return db.get(Referral, case.origin_referral_id)


def item_origin(db: Session, kind: ShareKind, item_id: int) -> Referral | None:
    """The referral a seizure item, listing or party was copied from, if any."""
    copy = db.scalar(select(ReferralCopy).where(ReferralCopy.kind == kind,
                                                ReferralCopy.copy_id == item_id))
    return db.get(Referral, copy.referral_id) if copy is not None else None


def refusal(what: str, origin: Referral, use: str) -> str:
    """The reason, naming the referral and its handling code (in the reader's language)."""
    values = {"what": what, "ref": origin.reference,
              "code": gettext(origin.handling_code.label)}
    if use in UNTIL_CONSENT and origin.handling_code.value == "court_after_consent":
        return gettext(UNTIL_CONSENT[use], **values)
    return gettext(REFUSALS.get(use, REFUSALS["reshare"]), **values)


def field_refusal(db: Session, case: Case, name: str, use: str) -> str | None:
    """Why ``use`` of the case's field ``name`` is refused, or None if it is allowed."""
    if name not in LINKED_FIELDS:
        return None
    origin = case_origin(db, case)
    if origin is None or policy.handling_allows(origin, use):
        return None
    return refusal(gettext(FIELD_WORDS[name]), origin, use)


def item_refusal(db: Session, kind: ShareKind, item_id: int, use: str) -> str | None:
    """Why ``use`` of a copied item is refused, or None if it is allowed (or its own)."""
    origin = item_origin(db, kind, item_id)
    if origin is None or policy.handling_allows(origin, use):
        return None
    words = ITEM_WORDS.get(kind.value)
    return refusal(gettext(words, id=item_id) if words else f"{kind.value} {item_id}", origin,
                   use)


def match_refusal(db: Session, match_id: int, use: str) -> str | None:
    """A match quotes the text it was found on: a copied item's text keeps its code."""
    match = db.get(CaseMatch, match_id)
    kind, _, item_id = (match.source if match else "").partition(":")
    if kind not in (ShareKind.SEIZURE.value, ShareKind.LISTING.value) or not item_id.isdigit():
        return None
    reason = item_refusal(db, ShareKind(kind), int(item_id), use)
    return gettext("match %(id)s quotes %(reason)s", id=match_id, reason=reason) \
        if reason else None


@dataclass
class Withheld:
    """What an export of a linked case leaves out: its referral-built fields and copies."""

    origin: Referral | None = None
    items: set[tuple[ShareKind, int]] = field(default_factory=set)

    def keeps(self, kind: ShareKind, item_id: int) -> bool:
        return (kind, item_id) not in self.items


class ExportFilter:
    """Per case, what an export may carry. Copies go only into the linked case opened on
    their referral, so a case without an origin has none (no query for it)."""

    def __init__(self, db: Session) -> None:
        self.db = db

    def of(self, case: Case) -> Withheld:
        origin = case_origin(self.db, case)
        if origin is None or policy.handling_allows(origin, "export"):
            return Withheld()
        copies = self.db.execute(select(ReferralCopy.kind, ReferralCopy.copy_id).where(
            ReferralCopy.referral_id == origin.id))
        return Withheld(origin=origin, items={(k, i) for k, i in copies})
