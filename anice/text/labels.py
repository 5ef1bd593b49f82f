"""Internal values in words: statuses, kinds, roles, units and field names as people read them.

One table for every page, error summary and message: ``label(CaseStatus.IN_COURT)`` is
"In court", ``field_label("value_local")`` is "Value (local currency)". Templates use the
same functions (``register`` adds them to Jinja once). Data (titles, names, references) is
never passed through here: only values the code itself chose.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import Any

# Values of the enums (anice/models) in words, where capitalising the value is not enough.
WORDS: dict[str, str] = {
    # case status and kind
    "under_investigation": "Under investigation", "in_court": "In court",
    "counterfeit": "Counterfeit goods", "online": "Online infringement",
    # detection
    "customs_detention": "Customs detention", "market_inspection": "Market inspection",
    "online_monitoring": "Online monitoring",
    # outcome
    "no_further_action": "No further action",
    # right types
    "gi": "Geographical indication", "design": "Industrial design",
    # seizure categories and units
    "bags_accessories": "Bags and accessories", "watches_jewellery": "Watches and jewellery",
    "mobile_accessories": "Mobile accessories", "food_beverages": "Food and beverages",
    "tobacco_alcohol": "Tobacco and alcohol", "auto_parts": "Auto parts",
    "media_software": "Media and software", "kg": "kg",
    # platforms
    "shopee": "Shopee", "lazada": "Lazada", "tokopedia": "Tokopedia",
    "tiktok_shop": "TikTok Shop", "facebook": "Facebook", "instagram": "Instagram",
    "carousell": "Carousell", "zalora": "Zalora", "bukalapak": "Bukalapak",
    "telegram": "Telegram",
    # takedowns
    "partially_removed": "Partially removed", "no_response": "No response",
    # parties
    "right_holder": "Right holder",
    # agencies
    "ip_office": "IP office", "market_authority": "Market authority",
    # referrals
    "pending_approval": "Waiting for approval", "info_requested": "Information requested",
    "agency_only": "Agency only", "within_country": "Within the country",
    "court_after_consent": "Court, after consent", "take_down": "Take down",
    "identify_suspect": "Identify the suspect", "trace_goods": "Trace the goods",
    "assist_prosecution": "Assist the prosecution", "information_only": "Information only",
    # tokens, custody, identifiers
    "read-write": "Read and write", "read": "Read only",
    "rewrap": "Key re-wrapped", "shred": "Destroyed (key shredded)",
    "seller_name": "Seller name", "seller_id": "Seller id", "company_number": "Company number",
    "national_id": "National id", "airway_bill": "Air waybill",
    "vehicle_plate": "Vehicle plate",
}

# Where one value means different things in different enums: (enum class name, value).
BY_KIND: dict[tuple[str, str], str] = {
    ("AgencyKind", "prosecution"): "Prosecution service",
    ("TimelineKind", "status"): "Status changed",
}

# Field names (services, forms, API, CSV columns) in words.
FIELDS: dict[str, str] = {
    "title": "Title", "summary": "Summary", "kind": "Kind", "status": "Status",
    "right_types": "IP right types", "right_types_mask": "IP right types",
    "detection": "Detected by", "province": "Province", "city": "City",
    "detected_on": "Detection date", "opened_on": "Opening date", "closed_on": "Closing date",
    "sensitivity": "Sensitivity", "tags": "Tags",
    "tell_holder": "Right holders told", "charges": "Charges", "court_name": "Court",
    "court_reference": "Court case number", "court_date": "Court date", "outcome": "Outcome",
    "outcome_notes": "Outcome notes", "version": "Version", "reason": "Reason",
    "on": "Date of this step", "to": "New status", "team": "Team",
    "assignments": "Team", "seizures": "Seizure items", "listings": "Online listings",
    "parties": "Suspects and right holders", "officer": "Officer",
    # seizure items
    "description": "Product", "brand": "Brand as seen", "category": "Category",
    "quantity": "Quantity", "unit": "Unit", "value_local": "Value (local currency)",
    "currency": "Currency", "usd_rate": "USD rate", "rate_date": "Rate date",
    "value_usd": "Value (USD)", "storage_place": "Storage place", "disposal": "Disposal",
    "disposal_on": "Disposal date", "container_number": "Container number",
    "airway_bill": "Air waybill", "vehicle_plate": "Vehicle plate",
    # listings
    "url": "Address (URL)", "platform": "Platform", "seller_name": "Seller name",
    "seller_id": "Seller id", "seller_phone": "Seller phone", "listing_title": "Listing title",
    "price": "Price", "listing_currency": "Listing currency", "seen_at": "Seen at",
    "takedown_requested_on": "Takedown requested on", "takedown_done_on": "Takedown done on",
    "takedown_result": "Takedown result",
    # parties
    "role": "Role", "name": "Name", "nationality": "Nationality",
    "id_number": "ID or registration number", "passport_number": "Passport number",
    "phone": "Phone", "email": "E-mail", "contact": "Other contact", "notes": "Notes",
    # accounts and the rest
    "timezone": "Time zone", "password": "Password", "code": "Authenticator code",
    "case_key": "Case key", "file": "File", "body": "Request body", "text": "Text",
    "deadline": "Deadline", "handling_code": "Handling code",
    "requested_action": "Requested action", "message": "Message", "evidence": "Evidence",
    "fields": "Shared fields", "matches": "Rights matches", "q": "Search",
    "from": "From", "per_page": "Rows per page", "page": "Page",
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


def label(value: Any) -> str:
    """An internal value (an enum member or its value) in words; "" for None."""
    if value is None:
        return ""
    if isinstance(value, enum.Enum):
        raw = str(value.value)
        special = BY_KIND.get((type(value).__name__, raw))
        if special:
            return special
        own = getattr(value, "label", None)  # an enum that words itself (Role, ...)
        if isinstance(own, str):
            return own
        return WORDS.get(raw) or humanize(raw)
    raw = str(value)
    return WORDS.get(raw) or humanize(raw)


def labels(values: Iterable[Any]) -> str:
    return ", ".join(label(v) for v in values)


def field_label(name: str) -> str:
    """A field's name in words; ``seizure.value_local`` reads as its last part."""
    if not name:
        return ""
    base = name.rsplit(".", 1)[-1].removesuffix("[]")
    return FIELDS.get(base) or humanize(base)


def field_phrase(name: str) -> str:
    """A field's name inside a sentence: "detection date", but "IP right types"."""
    words = field_label(name)
    return words if words[1:2].isupper() else words[:1].lower() + words[1:]


def field_list(names: Iterable[str]) -> str:
    """Field names in a sentence, each once: "title, IP right types and detection date"."""
    phrases = list(dict.fromkeys(field_phrase(n) for n in names))
    if len(phrases) < 2:
        return "".join(phrases)
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]


def error_text(field: str, message: str) -> str:
    """One problem as a sentence naming its field in words."""
    return f"{field_label(field)}: {message}" if field else message


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
