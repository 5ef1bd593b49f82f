"""Internal values in words: statuses, kinds, roles, units and field names as people read them.

One table for every page, error summary and message: ``label(CaseStatus.IN_COURT)`` is
"In court", ``field_label("value_local")`` is "Value (local currency)", each in the reader's
language (the tables hold the English, marked with ``N_`` for the catalogs; ``word`` and
``field_word`` give it untranslated, to store or log). Templates use the same functions
(``register`` adds them to Jinja once). Data (titles, names, references, platform names) is
never translated: only values the code itself chose.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext
from flask_babel.speaklater import LazyString

from ..extensions import gettext
from .locales import N_

# Values of the enums (anice/models) in words, where capitalising the value is not enough.
WORDS: dict[str, str] = {
    # case status and kind
    "under_investigation": N_("Under investigation"), "in_court": N_("In court"),
    "counterfeit": N_("Counterfeit goods"), "online": N_("Online infringement"),
    # detection
    "customs_detention": N_("Customs detention"), "market_inspection": N_("Market inspection"),
    "online_monitoring": N_("Online monitoring"),
    # outcome
    "no_further_action": N_("No further action"),
    # right types
    "gi": N_("Geographical indication"), "design": N_("Industrial design"),
    # seizure categories and units
    "bags_accessories": N_("Bags and accessories"),
    "watches_jewellery": N_("Watches and jewellery"),
    "mobile_accessories": N_("Mobile accessories"), "food_beverages": N_("Food and beverages"),
    "tobacco_alcohol": N_("Tobacco and alcohol"), "auto_parts": N_("Auto parts"),
    "media_software": N_("Media and software"), "kg": N_("kg"),
    # takedowns
    "partially_removed": N_("Partially removed"), "no_response": N_("No response"),
    # parties
    "right_holder": N_("Right holder"),
    # agencies
    "ip_office": N_("IP office"), "market_authority": N_("Market authority"),
    # referrals
    "pending_approval": N_("Waiting for approval"), "info_requested": N_("Information requested"),
    "agency_only": N_("Agency only"), "within_country": N_("Within the country"),
    "court_after_consent": N_("Court, after consent"), "take_down": N_("Take down"),
    "identify_suspect": N_("Identify the suspect"), "trace_goods": N_("Trace the goods"),
    "assist_prosecution": N_("Assist the prosecution"), "information_only": N_("Information only"),
    # tokens, custody, identifiers
    "read-write": N_("Read and write"), "read": N_("Read only"),
    "rewrap": N_("Key re-wrapped"), "shred": N_("Destroyed (key shredded)"),
    "seller_name": N_("Seller name"), "seller_id": N_("Seller id"),
    "company_number": N_("Company number"),
    "national_id": N_("National id"), "airway_bill": N_("Air waybill"),
    "vehicle_plate": N_("Vehicle plate"),
    # values whose capitalised form is their label, marked here for the catalogs
    "raid": N_("Raid"), "complaint": N_("Complaint"), "normal": N_("Normal"),
    "restricted": N_("Restricted"), "convicted": N_("Convicted"), "fined": N_("Fined"),
    "settled": N_("Settled"), "acquitted": N_("Acquitted"), "transferred": N_("Transferred"),
    "apparel": N_("Apparel"), "footwear": N_("Footwear"), "electronics": N_("Electronics"),
    "cosmetics": N_("Cosmetics"), "pharmaceuticals": N_("Pharmaceuticals"), "toys": N_("Toys"),
    "household": N_("Household"), "other": N_("Other"), "pieces": N_("Pieces"),
    "pairs": N_("Pairs"), "sets": N_("Sets"), "boxes": N_("Boxes"), "cartons": N_("Cartons"),
    "litres": N_("Litres"), "destroyed": N_("Destroyed"), "donated": N_("Donated"),
    "returned": N_("Returned"), "recycled": N_("Recycled"), "website": N_("Website"),
    "pending": N_("Pending"), "removed": N_("Removed"), "refused": N_("Refused"),
    "suspect": N_("Suspect"), "representative": N_("Representative"), "person": N_("Person"),
    "company": N_("Company"), "confirmed": N_("Confirmed"), "rejected": N_("Rejected"),
    "active": N_("Active"), "shredded": N_("Shredded"), "intake": N_("Intake"),
    "view": N_("View"), "download": N_("Download"), "export": N_("Export"),
    "share": N_("Share"), "verify": N_("Verify"), "transfer": N_("Transfer"),
    "disposal": N_("Disposal"), "thumbnail": N_("Thumbnail"), "exif": N_("Exif"),
    "police": N_("Police"), "customs": N_("Customs"), "secretariat": N_("Secretariat"),
    "owner": N_("Owner"), "rights": N_("Rights"), "cases": N_("Cases"), "queued": N_("Queued"),
    "running": N_("Running"), "done": N_("Done"), "failed": N_("Failed"),
    "field": N_("Field"), "seizure": N_("Seizure"), "listing": N_("Listing"),
    "party": N_("Party"), "match": N_("Match"), "evidence": N_("Evidence"),
    "import": N_("Import"), "edit": N_("Edit"),
}

# Proper names (platforms): data, the same in every language, never translated.
NAMES: dict[str, str] = {
    "shopee": "Shopee", "lazada": "Lazada", "tokopedia": "Tokopedia",
    "tiktok_shop": "TikTok Shop", "facebook": "Facebook", "instagram": "Instagram",
    "carousell": "Carousell", "zalora": "Zalora", "bukalapak": "Bukalapak",
    "telegram": "Telegram",
}

# The words of the enums that word themselves (``label`` properties in anice/models), marked
# here for the catalogs where the model builds them from the value (``capitalize``).
_OWN_WORDS = (
    N_("Draft"), N_("Open"), N_("Prosecution"), N_("Closed"), N_("Discarded"), N_("Trademark"),
    N_("Copyright"), N_("Patent"), N_("Checked"), N_("Expired"), N_("Investigate"),
    N_("Seize"), N_("Sent"), N_("Routed"), N_("Accepted"), N_("Declined"), N_("Withdrawn"),
    N_("Created"), N_("Updated"), N_("Restored"), N_("Brand owner"), N_("Appointed counsel"),
    # correlation identifiers (IdentifierKind), inside sentences
    N_("seller or shop name"), N_("marketplace seller id"), N_("web address"),
    N_("web domain"), N_("e-mail address"), N_("phone number"),
    N_("company registration number"), N_("national id number"), N_("passport number"),
    N_("container number"), N_("air waybill number"), N_("vehicle plate"),
    N_("registered right"),
    # referrals and their requests
    N_("Identify suspect"), N_("Trace goods"), N_("Assist prosecution"),
    N_("For the recipient's agency only"), N_("May be shared within the recipient country"),
    N_("May be used in court after the sender's consent"),
    N_("May be used and shared on within ANICE"), N_("Pending approval"),
    N_("Info requested"), N_("Waiting for an answer"), N_("Answered by a referral"),
    # reports
    N_("National"), N_("Regional"), N_("Monthly"), N_("Quarterly"), N_("Annual"),
    N_("Custom range"),
    # verification answers
    N_("Counterfeit"), N_("Genuine"), N_("Cannot tell without a sample"),
    N_("File a complaint"), N_("Ask for destruction"), N_("No action"),
)

# Where one value means different things in different enums: (enum class name, value).
BY_KIND: dict[tuple[str, str], str] = {
    ("AgencyKind", "prosecution"): N_("Prosecution service"),
    ("TimelineKind", "status"): N_("Status changed"),
}

# Field names (services, forms, API, CSV columns) in words.
FIELDS: dict[str, str] = {
    "title": N_("Title"), "summary": N_("Summary"), "kind": N_("Kind"), "status": N_("Status"),
    "right_types": N_("IP right types"), "right_types_mask": N_("IP right types"),
    "detection": N_("Detected by"), "province": N_("Province"), "city": N_("City"),
    "detected_on": N_("Detection date"), "opened_on": N_("Opening date"),
    "closed_on": N_("Closing date"),
    "sensitivity": N_("Sensitivity"), "tags": N_("Tags"),
    "tell_holder": N_("Right holders told"), "charges": N_("Charges"), "court_name": N_("Court"),
    "court_reference": N_("Court case number"), "court_date": N_("Court date"),
    "outcome": N_("Outcome"),
    "outcome_notes": N_("Outcome notes"), "version": N_("Version"), "reason": N_("Reason"),
    "on": N_("Date of this step"), "to": N_("New status"), "team": N_("Team"),
    "assignments": N_("Team"), "seizures": N_("Seizure items"), "listings": N_("Online listings"),
    "parties": N_("Suspects and right holders"), "officer": N_("Officer"),
    # seizure items
    "description": N_("Product"), "brand": N_("Brand as seen"), "category": N_("Category"),
    "quantity": N_("Quantity"), "unit": N_("Unit"), "value_local": N_("Value (local currency)"),
    "currency": N_("Currency"), "usd_rate": N_("USD rate"), "rate_date": N_("Rate date"),
    "value_usd": N_("Value (USD)"), "storage_place": N_("Storage place"),
    "disposal": N_("Disposal"),
    "disposal_on": N_("Disposal date"), "container_number": N_("Container number"),
    "airway_bill": N_("Air waybill"), "vehicle_plate": N_("Vehicle plate"),
    # listings
    "url": N_("Address (URL)"), "platform": N_("Platform"), "seller_name": N_("Seller name"),
    "seller_id": N_("Seller id"), "seller_phone": N_("Seller phone"),
    "listing_title": N_("Listing title"),
    "price": N_("Price"), "listing_currency": N_("Listing currency"), "seen_at": N_("Seen at"),
    "takedown_requested_on": N_("Takedown requested on"),
    "takedown_done_on": N_("Takedown done on"),
    "takedown_result": N_("Takedown result"),
    # parties
    "role": N_("Role"), "name": N_("Name"), "nationality": N_("Nationality"),
    "id_number": N_("ID or registration number"), "passport_number": N_("Passport number"),
    "phone": N_("Phone"), "email": N_("E-mail"), "contact": N_("Other contact"),
    "notes": N_("Notes"),
    # accounts and the rest
    "timezone": N_("Time zone"), "password": N_("Password"), "code": N_("Authenticator code"),
    "case_key": N_("Case key"), "file": N_("File"), "body": N_("Request body"), "text": N_("Text"),
    "deadline": N_("Deadline"), "handling_code": N_("Handling code"),
    "requested_action": N_("Requested action"), "message": N_("Message"),
    "evidence": N_("Evidence"),
    "fields": N_("Shared fields"), "matches": N_("Rights matches"), "q": N_("Search"),
    "from": N_("From"), "per_page": N_("Rows per page"), "page": N_("Page"),
    # evidence
    "acquired_at": N_("Acquired at"), "acquired_where": N_("Acquired where"),
    "acquired_how": N_("Acquired how"), "attachments": N_("Attachments"),
    "duplicate_reason": N_("Reason for adding a duplicate"), "action": N_("Action"),
    "caption": N_("Caption"), "upto": N_("Up to"),
    # referrals, requests, verification
    "agency": N_("Agency"), "agency_id": N_("Agency"), "case_id": N_("Case"),
    "box": N_("Box"), "all": N_("All"), "ids": N_("Selected items"), "items": N_("Items"),
    "share_until": N_("Shared until"), "shares": N_("Shared items"), "org": N_("Organisation"),
    "detention_date": N_("Detention date"), "working_days": N_("Working days"),
    "weekend": N_("Weekend days"), "date": N_("Date"), "row": N_("Row"),
    "match": N_("Rights match"), "verdict": N_("Verdict"), "intent": N_("Intention"),
    "statement": N_("Statement"), "examiner": N_("Examiner"), "csv": N_("CSV file"),
    # rights and right holders
    "office": N_("Office"), "number": N_("Number"), "type": N_("Type"), "class": N_("Class"),
    "classes": N_("Classes"), "class_edition": N_("Nice edition"), "names": N_("Names"),
    "script": N_("Script"), "designations": N_("Designated countries"),
    "registration_date": N_("Registration date"), "expiry_date": N_("Expiry date"),
    "contact_email": N_("Contact e-mail"), "contacts": N_("Contacts"),
    "updated_at": N_("Last changed"), "mode": N_("Import mode"), "limit": N_("Limit"),
    "sort": N_("Sort order"), "size": N_("Size"), "decision": N_("Decision"),
    "right": N_("Right"), "rights": N_("Rights"), "product": N_("Product"),
    "distributors": N_("Authorised distributors"), "licensee": N_("Licensee"),
    "authority": N_("Authority"), "valid_from": N_("Valid from"),
    "valid_until": N_("Valid until"), "capacity": N_("Capacity"),
    "power_of_attorney": N_("Power of attorney"), "hours": N_("Hours"),
    "languages": N_("Languages"), "alerts": N_("Alerts"),
    # accounts, reports, correlation
    "confirm": N_("Confirmation"), "language": N_("Language"), "scope": N_("Scope"),
    "days": N_("Days"), "csrf_token": N_("Form token"), "country": N_("Country"),
    "value": N_("Value"), "id": N_("Record"), "period": N_("Period"), "start": N_("Start"),
    "end": N_("End"), "kinds": N_("Kinds"), "number_style": N_("Number format"),
}

# Fields whose values are internal words (enum values) rather than data typed by people.
ENUM_FIELDS = frozenset({
    "status", "kind", "detection", "sensitivity", "outcome", "category", "unit", "disposal",
    "platform", "takedown_result", "role", "right_types", "requested_action", "handling_code",
})


def humanize(value: str) -> str:
    """``no_further_action`` -> "No further action" (for values not in the tables)."""
    text = value.replace("_", " ").strip()
    return text[:1].upper() + text[1:]


def word(value: Any) -> str:
    """An internal value in English words, untranslated: the catalog's message for it (to
    store and translate when shown, or for logs); "" for None."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        raw = str(value.value)
        special = BY_KIND.get((type(value).__name__, raw))
        if special:
            return special
        own = getattr(value, "label", None)  # an enum that words itself (Role, ...)
        if isinstance(own, str | LazyString):
            return str(own)
        return WORDS.get(raw) or NAMES.get(raw) or humanize(raw)
    raw = str(value)
    return WORDS.get(raw) or NAMES.get(raw) or humanize(raw)


def lower_first(text: str) -> str:
    """A translated word inside a sentence: "Under investigation" -> "under investigation"
    (only the first letter, so a translation keeps its own capitals; "IP office" and other
    words that start with an abbreviation stay as they are)."""
    if not text or text[1:2].isupper():
        return text
    return text[:1].lower() + text[1:]


def in_sentence(msgid: str) -> str:
    """A word of ANICE (a status, a unit: its English message) translated, for the middle
    of a sentence."""
    return lower_first(gettext(msgid))


def label(value: Any) -> str:
    """An internal value (an enum member or its value) in words, in the reader's language;
    "" for None. Proper names (platforms) stay as they are."""
    words = word(value)
    return gettext(words) if words else ""


def lazy_label(value: Any):
    """``label`` for what is built at import time (form choices): translated when shown."""
    return lazy_gettext(word(value))


def labels(values: Iterable[Any]) -> str:
    return ", ".join(label(v) for v in values)


def field_word(name: str) -> str:
    """A field's name in English words (the catalog's message); see ``field_label``."""
    if not name:
        return ""
    base = name.rsplit(".", 1)[-1].removesuffix("[]")
    return FIELDS.get(base) or humanize(base)


def field_label(name: str) -> str:
    """A field's name in words, in the reader's language; ``seizure.value_local`` reads as
    its last part."""
    words = field_word(name)
    return gettext(words) if words else ""


def field_phrase(name: str) -> str:
    """A field's name inside a sentence: "detection date", but "IP right types"."""
    words = field_label(name)
    return words if words[1:2].isupper() else words[:1].lower() + words[1:]


def field_list(names: Iterable[str]) -> str:
    """Field names in a sentence, each once: "title, IP right types and detection date"."""
    phrases = list(dict.fromkeys(field_phrase(n) for n in names))
    if len(phrases) < 2:
        return "".join(phrases)
    return gettext("%(items)s and %(last)s", items=", ".join(phrases[:-1]), last=phrases[-1])


def error_text(field: str, message: str) -> str:
    """One problem as a sentence naming its field in words, in the reader's language (a
    message marked with ``N_`` where it was raised is translated here)."""
    problem = gettext(message) if message else ""
    if not field:
        return problem
    return gettext("%(field)s: %(problem)s", field=field_label(field), problem=problem)


# Fields stored as a bit set of an enum whose members have ``bit``: registered by the model
# that defines the enum (``anice.models.case``), so that this module imports no model.
BIT_SETS: dict[str, Any] = {}


def change_value(field: str, value: Any) -> str:
    """A before/after value of a timeline change, as shown: enum values in words, the IP
    right types of a bit set by name, "—" for nothing."""
    if value is None or value == "" or value == []:
        return "—"
    base = field.rsplit(".", 1)[-1]
    if base in BIT_SETS and isinstance(value, int):
        return labels(t for t in BIT_SETS[base] if value & t.bit) or "—"
    if isinstance(value, list):
        return ", ".join(change_value(field, v) for v in value)
    if base in ENUM_FIELDS:
        return label(value)
    return str(value)


def register(env) -> None:
    """Make the helpers available to every template: ``label``, ``labels``,
    ``field_label``, ``change_value`` and ``error_text`` (as globals and filters)."""
    helpers = {"label": label, "labels": labels, "field_label": field_label,
               "change_value": change_value, "error_text": error_text}
    env.globals.update(helpers)
    env.filters.update(helpers)
