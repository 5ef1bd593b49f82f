"""The query parameters of the listing operations, as the document shows them."""

from __future__ import annotations

from ..models import (
    CaseKind,
    CaseStatus,
    Platform,
    ReferralStatus,
    RightKind,
    RightStatus,
    RightType,
)
from ..rights.service import SORTS as RIGHT_SORTS
from ..validation import ID_MAX
from .spec import query

RECORD_ID = {"type": "integer", "minimum": 1, "maximum": ID_MAX}
PAGE = query("page", {"type": "integer", "minimum": 1, "maximum": 100_000})
PER_PAGE = query("per_page", {"type": "integer", "minimum": 1}, "at most 200 (more is read as 200)")
DAY = {"type": "string", "format": "date"}


def _enum(cls) -> dict:
    # Empty means any, as the filter forms of the pages send it.
    return {"type": "string", "enum": ["", *(m.value for m in cls)]}


def _sorts(keys) -> dict:
    return {"type": "string", "enum": [p + k for k in keys for p in ("", "-")]}


CASE_FILTERS = [
    query("q", {"type": "string"}), query("kind", _enum(CaseKind)),
    query("status", _enum(CaseStatus)), query("right_type", _enum(RightType)),
    query("brand", {"type": "string"}), query("platform", _enum(Platform)),
    query("from", DAY), query("to", DAY), query("officer", RECORD_ID),
    query("agency", RECORD_ID), query("country", {"type": "string"}),
    query("sort", _sorts(("reference", "detected", "updated", "status", "title"))),
    PAGE, PER_PAGE]

RIGHT_FILTERS = [
    query("q", {"type": "string"}, "contained in the mark text or the owner"),
    query("office", {"type": "string", "pattern": "^[A-Z]{2}$"}),
    query("type", _enum(RightKind)), query("status", _enum(RightStatus)),
    query("class", {"type": "integer", "minimum": 1}), query("sort", _sorts(RIGHT_SORTS)),
    PAGE, PER_PAGE]

RIGHT_MATCH = [
    query("q", {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S"},
          required=True),
    query("classes", {"type": "string", "pattern": "^[0-9;, ]*$"},
          "Nice classes of the goods, e.g. 25;18: rights in them rank higher"),
    query("class", {"type": "string", "pattern": "^[0-9;, ]*$"},
          "only rights in one of these Nice classes, e.g. 25 or 25;18"),
    query("limit", {"type": "integer", "minimum": 1, "maximum": 100}),
    query("include_inactive", {"type": "boolean"})]

REFERRAL_FILTERS = [
    query("box", {"type": "string", "enum": ["inbox", "outbox"], "default": "inbox"}),
    query("status", _enum(ReferralStatus)),
    query("overdue", {"type": "boolean"}, "only those past their deadline and still "
                                          "waiting for an answer"),
    PAGE, PER_PAGE]

NOTIFICATION_LIMIT = [query("limit", {"type": "integer", "minimum": 1},
                           "at most 100 (more is read as 100)")]

EVIDENCE_UPLOAD = [query(n, {"type": "string"}) for n in (
    "filename", "description", "acquired_at", "acquired_where", "acquired_how")] + [
    query("duplicate_reason", {"type": "string"},
          "why the file is kept although its content already is evidence of the case "
          "(without it such an upload is refused with 409 naming the item in `existing`)")]
RIGHT_IMAGE = [query("size", {"type": "string", "enum": ["full", "thumb"]},
                     "thumb: the thumbnail (at most 160 pixels a side); default full")]
EVIDENCE_REASON = [query("reason", {"type": "string"},
                         "a reason makes the download an export in the custody chain")]
