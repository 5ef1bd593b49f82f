"""Correlation as the views, the API and jobs use it: links of a case, hit/no-hit lookups,
noise marks."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, policy
from ..errors import Conflict, Forbidden, NotFound
from ..models import Officer, Platform, utcnow
from ..models.correlation import IdentifierKind, IdentifierLookup, IdentifierNoise
from ..notifications import stored
from ..text.locales import N_
from ..text.messages import message
from ..validation import Fields
from . import hits, links, normalize
from .keys import hash_key

K = IdentifierKind
FLAG_EVERY = timedelta(hours=1)


def links_for(db: Session, actor: Officer, case) -> links.Links:
    """The case's links as ``actor`` may see them; hits shown to it for the first time are
    recorded, audited and reported to the holder's coordinators by a job once the caller
    commits."""
    result = links.compute(db, actor, case)
    hits.defer_hits(db, actor, case, result.hit_cases, "case")
    return result


def link_json(link: links.CaseLink) -> dict:
    case = link.case
    return {"case": {"id": case.id, "reference": case.reference, "title": case.title,
                     "status": case.status.value,
                     "agency": {"id": case.agency_id, "code": case.agency.code},
                     "country": case.country_code},
            "shared": [{"kind": s.kind.value, "value": None if s.kind.hashed else s.value}
                       for s in link.shared],
            "strength": link.strength, "score": link.score}


def hit_json(hit: dict) -> dict:
    return {k: hit[k] for k in ("agency", "country", "kinds", "strength")}


def links_json(result: links.Links) -> dict:
    return {"cases": [link_json(link) for link in result.visible],
            "hits": [hit_json(h) for h in result.hits],
            "common": [{"kind": s.kind.value, "value": None if s.kind.hashed else s.value}
                       for s in result.common],
            "silenced": [{"kind": s.kind.value, "value": None if s.kind.hashed else s.value}
                         for s in result.silenced],
            "hits_withheld": result.hits_withheld}


# --- lookups -------------------------------------------------------------------------

def _typed_value(f: Fields, country: str) -> tuple[IdentifierKind | None, str | None]:
    kind = f.choice("kind", IdentifierKind, required=True)
    raw = f.text("value", required=True, max_len=2000)
    platform = f.choice("platform", Platform)
    if kind is None or raw is None:
        return kind, None
    if kind == K.SELLER_ID and platform is None:
        f.error("platform", gettext("is required with a marketplace seller id"))
        return kind, None
    value = normalize.value_of(kind, raw, country=country,
                               platform=platform.value if platform else None,
                               key=hash_key() if kind.hashed else None)
    if value is None:
        f.error("value", gettext("is not a %(kind)s ANICE can compare", kind=gettext(kind.label)))
    return kind, value


def lookup(db: Session, actor: Officer, data: Mapping[str, Any]) -> dict:
    """Hit/no-hit: which cases hold this identifier, shown as policy allows. Audited."""
    if not policy.can_look_up_identifiers(actor):
        raise NotFound(gettext("No such page."))
    f = Fields(data)
    country = f.country("country") or actor.country_code
    kind, value = _typed_value(f, country)
    f.done()
    own = [links.Shared(kind, value, "lookup")]
    by_case, common, quiet = links.linked_cases(db, country, own, None)
    result = links.classify(actor, links.load_cases(db, by_case), by_case)
    hits.defer_hits(db, actor, None, result.hit_cases, "lookup")
    db.add(IdentifierLookup(officer_id=actor.id, kind=kind, visible=len(result.visible),
                            hits=len(result.hits)))
    audit.record(db, actor, "correlation.lookup", None, country_code=actor.country_code,
                 details={"kind": kind.value, "key": value, "cases": len(result.visible),
                          "hits": len(result.hits)})
    answer = links_json(result)
    answer.update(kind=kind.value, value=None if kind.hashed else value,
                  common=bool(common), silenced=bool(quiet))
    return answer


FLOOD = stored.register("correlation.flood", N_(
    "Lookups throttled: %(name)s (%(agency)s) made more identifier lookups than allowed "
    "(%(limit)s). Check that they are needed."))


def flag_flood(db: Session, actor: Officer, limit: str) -> bool:
    """A throttled burst of lookups: reported once an hour to the officer's coordinators,
    with an audit row. True when it was reported now."""
    since = utcnow() - FLAG_EVERY
    recent = db.scalar(select(IdentifierLookup.id).where(
        IdentifierLookup.officer_id == actor.id, IdentifierLookup.flagged.is_(True),
        IdentifierLookup.at >= since).limit(1))
    if recent is not None:
        return False
    row = IdentifierLookup(officer_id=actor.id, kind=None, flagged=True)
    db.add(row)
    audit.record(db, actor, "correlation.lookup_flood", actor, country_code=actor.country_code,
                 details={"limit": limit})
    hits.notify(db, hits.coordinators_of(db, actor.country_code), "correlation.flood",
                message(FLOOD, name=actor.name, agency=actor.agency.name, limit=limit),
                url=f"/admin/officers/{actor.id}")
    return True


# --- noise ---------------------------------------------------------------------------

def mark_noise(db: Session, actor: Officer, data: Mapping[str, Any]) -> IdentifierNoise:
    """Stop a value from linking: in the actor's country, or network-wide (admins)."""
    f = Fields(data)
    network = f.data.get("scope") == "network"
    country = None if network else (f.country("country") or actor.country_code)
    if not policy.can_mark_noise(actor, country):
        raise Forbidden(gettext("Only coordinators (for their country) and admins mark noise."))
    if data.get("stored") == "1":  # a value as the network view shows it
        kind = f.choice("kind", IdentifierKind, required=True)
        value = f.text("value", required=True, max_len=255)
    else:
        kind, value = _typed_value(f, country or actor.country_code)
    reason = f.text("reason", max_len=300) or ""
    if kind is not None and kind.hashed:
        f.error("kind", gettext("person identifiers cannot be marked as noise"))
    f.done()
    existing = db.scalar(select(IdentifierNoise).where(
        IdentifierNoise.kind == kind, IdentifierNoise.value == value,
        IdentifierNoise.lifted_at.is_(None),
        IdentifierNoise.country_code.is_(None) if country is None
        else IdentifierNoise.country_code == country))
    if existing is not None:
        raise Conflict(gettext("This %(kind)s is already marked as noise.",
                               kind=gettext(kind.label)))
    links.forget(db)
    row = IdentifierNoise(kind=kind, value=value, country_code=country, reason=reason,
                          marked_by_id=actor.id)
    db.add(row)
    db.flush()
    audit.record(db, actor, "correlation.noise_marked", row, country_code=country,
                 details={"kind": kind.value, "value": value, "scope": country or "network",
                          "reason": reason})
    return row


def lift_noise(db: Session, actor: Officer, noise_id: int) -> IdentifierNoise:
    """Undo a noise mark: the value links again."""
    row = db.get(IdentifierNoise, noise_id)
    if row is None or not policy.can_mark_noise(actor, row.country_code):
        raise NotFound(gettext("No such noise mark."))
    if row.lifted_at is not None:
        raise Conflict(gettext("This mark was lifted already."))
    links.forget(db)
    row.lifted_at, row.lifted_by_id = utcnow(), actor.id
    audit.record(db, actor, "correlation.noise_lifted", row, country_code=row.country_code,
                 details={"kind": row.kind.value, "value": row.value,
                          "scope": row.country_code or "network"})
    return row


def noise_marks(db: Session, actor: Officer, limit: int = 200) -> list[IdentifierNoise]:
    """Marks the actor may read: all for admins; its country's and network-wide ones for a
    coordinator. Active ones first."""
    if not policy.can_view_noise(actor):
        raise NotFound(gettext("No such page."))
    query = select(IdentifierNoise)
    if not policy.is_admin(actor):
        query = query.where(policy.visible_noise(actor))
    return list(db.scalars(query.order_by(IdentifierNoise.lifted_at.is_not(None),
                                          IdentifierNoise.id.desc()).limit(limit)))
