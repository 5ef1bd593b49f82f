"""Which cases share identifiers with a case, and how an actor may see each of them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from flask_babel import gettext
from sqlalchemy import bindparam, select, union_all
from sqlalchemy.orm import Session, joinedload, selectinload

from .. import policy
from ..errors import NotFound
from ..models import Agency, Case, Officer
from ..models.correlation import CaseIdentifier, IdentifierKind, IdentifierNoise
from ..text.locales import N_

K = IdentifierKind
Pair = tuple[IdentifierKind, str]
# A value held by more cases than this is common (a big brand, a courier's depot): it is
# shown as such and links nothing on its own.
MAX_PER_VALUE = 50
# How much one shared value says that two cases concern the same offender.
WEIGHTS = {
    K.NATIONAL_ID: 0.95, K.PASSPORT: 0.95, K.COMPANY_NUMBER: 0.9, K.SELLER_ID: 0.9,
    K.EMAIL: 0.85, K.CONTAINER: 0.85, K.AIRWAY_BILL: 0.85, K.PHONE: 0.8, K.URL: 0.75,
    K.VEHICLE_PLATE: 0.6, K.DOMAIN: 0.6, K.SELLER_NAME: 0.45, K.RIGHT: 0.1,
}


def strength_of(kinds: Iterable[IdentifierKind]) -> float:
    """1 - prod(1 - w): independent clues add up, none alone reaches 1."""
    miss = 1.0
    for kind in kinds:
        miss *= 1.0 - WEIGHTS[kind]
    return round(1.0 - miss, 3)


def strength_label(score: float) -> str:
    # Also the API's value: English; pages show it translated (``_(link.strength)``).
    return N_("strong") if score >= 0.85 else N_("medium") if score >= 0.6 else N_("weak")


@dataclass
class Holder:
    case_id: int
    country_code: str


@dataclass
class Shared:
    kind: IdentifierKind
    value: str
    source: str

    @property
    def shown(self) -> str:
        """The value as the actor's own case holds it (hashed kinds are not readable)."""
        return "(kept as a keyed hash)" if self.kind.hashed else self.value


@dataclass
class CaseLink:
    case: Case
    shared: list[Shared]
    score: float

    @property
    def strength(self) -> str:
        return strength_label(self.score)


@dataclass
class Links:
    """What ``links_for`` gives: linked cases the actor sees, hits, and own values that
    link nothing (too common, or marked as noise)."""

    visible: list[CaseLink] = field(default_factory=list)
    hits: list[dict] = field(default_factory=list)
    common: list[Shared] = field(default_factory=list)
    silenced: list[Shared] = field(default_factory=list)
    # Hits are not given on this case (restricted): the panel says why.
    hits_withheld: bool = False
    # (holder case, kinds) behind the hits, for recording them; never rendered.
    hit_cases: list[tuple[Case, list[IdentifierKind]]] = field(default_factory=list)


def identifiers(db: Session, case_id: int) -> list[CaseIdentifier]:
    return list(db.scalars(select(CaseIdentifier).where(CaseIdentifier.case_id == case_id)))


def noise_for(db: Session, pairs: Iterable[Pair]) -> dict[Pair, set[str | None]]:
    """Active noise marks of these values: the countries they apply to (None: all)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    out: dict[Pair, set[str | None]] = defaultdict(set)
    rows = db.execute(select(IdentifierNoise.kind, IdentifierNoise.value,
                             IdentifierNoise.country_code)
                      .where(IdentifierNoise.lifted_at.is_(None),
                             IdentifierNoise.value.in_({v for _, v in pairs})))
    for kind, value, country in rows:
        if (kind, value) in pairs:
            out[(kind, value)].add(country)
    return out


def silenced(noise: dict[Pair, set[str | None]], pair: Pair, country: str) -> bool:
    marks = noise.get(pair)
    return bool(marks) and (None in marks or country in marks)


@lru_cache(maxsize=256)
def _holders_statement(count: int, exclude: bool, limit: int):
    """One index seek per value, each limited, in one statement; built once per shape so
    that SQLAlchemy reuses its compiled form (building a 20-part union costs more than
    running it)."""
    ci = CaseIdentifier
    parts = []
    for i in range(count):
        query = select(ci.kind, ci.value, ci.case_id, ci.country_code).where(
            ci.kind == bindparam(f"k{i}", type_=ci.kind.type), ci.value == bindparam(f"v{i}"))
        if exclude:
            query = query.where(ci.case_id != bindparam("exclude"))
        parts.append(select(query.limit(limit).subquery()))
    return parts[0] if count == 1 else union_all(*parts)


def holders_of(db: Session, pairs: list[Pair], exclude_case_id: int | None = None
               ) -> dict[Pair, list[Holder]]:
    """Cases holding each value, at most MAX_PER_VALUE + 1 per value."""
    out: dict[Pair, list[Holder]] = {}
    for start in range(0, len(pairs), 100):
        chunk = pairs[start:start + 100]
        if not chunk:
            continue
        statement = _holders_statement(len(chunk), exclude_case_id is not None,
                                       MAX_PER_VALUE + 1)
        params: dict = {"exclude": exclude_case_id} if exclude_case_id is not None else {}
        for i, (kind, value) in enumerate(chunk):
            params[f"k{i}"], params[f"v{i}"] = kind, value
        for kind, value, case_id, country in db.execute(statement, params):
            out.setdefault((K(kind), value), []).append(Holder(case_id, country))
    return out


MEMO = "anice.correlation.linked"


def forget(db: Session) -> None:
    """Drop the links remembered in this transaction (noise marks changed)."""
    db.info.pop(MEMO, None)


def linked_cases(db: Session, country: str, own: list[Shared], exclude_case_id: int | None
                 ) -> tuple[dict[int, list[Shared]], list[Shared], list[Shared]]:
    """{other case id: shared identifiers}, the common values and the silenced ones.

    Remembered for the rest of the transaction: saving a case announces its new links and
    then shows them, from one lookup."""
    key = (country, exclude_case_id, frozenset((s.kind, s.value) for s in own))
    transaction, memo = db.info.get(MEMO, (None, {}))
    if transaction is not db.get_transaction():
        memo = {}
        db.info[MEMO] = (db.get_transaction(), memo)
    if key not in memo:
        memo[key] = _linked_cases(db, country, own, exclude_case_id)
    return memo[key]


def _linked_cases(db: Session, country: str, own: list[Shared], exclude_case_id: int | None
                  ) -> tuple[dict[int, list[Shared]], list[Shared], list[Shared]]:
    noise = noise_for(db, [(s.kind, s.value) for s in own])
    usable = [s for s in own if not silenced(noise, (s.kind, s.value), country)]
    quiet = [s for s in own if silenced(noise, (s.kind, s.value), country)]
    found = holders_of(db, [(s.kind, s.value) for s in usable], exclude_case_id)
    by_case: dict[int, list[Shared]] = defaultdict(list)
    common = []
    for s in usable:
        holders = found.get((s.kind, s.value), [])
        if len(holders) > MAX_PER_VALUE:
            common.append(s)
            continue
        for h in holders:
            if not silenced(noise, (s.kind, s.value), h.country_code):
                by_case[h.case_id].append(s)
    return by_case, common, quiet


def load_cases(db: Session, ids: Iterable[int]) -> list[Case]:
    ids = list(ids)
    if not ids:
        return []
    # The holders' agencies and countries are named in hits: one round trip for them all.
    return list(db.scalars(select(Case).where(Case.id.in_(ids)).options(
        selectinload(Case.assignments),
        joinedload(Case.agency).joinedload(Agency.country))))


def sort_key(link: CaseLink) -> tuple:
    return (-link.score, link.case.reference)


def classify(actor: Officer, cases: list[Case], by_case: dict[int, list[Shared]],
             own_case: Case | None = None) -> Links:
    """Split linked cases by what the actor may know of them (policy.linked_case_view),
    as links of ``own_case`` (None: of a looked-up value)."""
    result = Links()
    per_agency: dict[int, tuple[Case, set[IdentifierKind], float]] = {}
    for other in cases:
        shared = by_case[other.id]
        score = strength_of(s.kind for s in shared)
        view = policy.linked_case_view(actor, other, own_case)
        if view == "case":
            result.visible.append(CaseLink(other, shared, score))
        elif view == "hit":
            kinds = sorted({s.kind for s in shared})
            result.hit_cases.append((other, kinds))
            first, seen, best = per_agency.get(other.agency_id, (other, set(), 0.0))
            per_agency[other.agency_id] = (first, seen | set(kinds), max(best, score))
    result.visible.sort(key=sort_key)
    for first, kinds, score in per_agency.values():
        view = policy.hit_view(actor, first, kinds, strength_label(score), own_case)
        if view is not None:
            view["score"] = score
            result.hits.append(view)
    result.hits.sort(key=lambda h: (-h["score"], h["country"]["code"], h["agency"]["code"]))
    return result


def compute(db: Session, actor: Officer, case: Case) -> Links:
    """The links of a case the actor may see (no side effects)."""
    if not policy.can_view_case(actor, case):
        raise NotFound(gettext("No such case."))
    own = [Shared(r.kind, r.value, r.source) for r in identifiers(db, case.id)]
    by_case, common, quiet = linked_cases(db, case.country_code, own, case.id)
    result = classify(actor, load_cases(db, by_case), by_case, case)
    result.common, result.silenced = common, quiet
    result.hits_withheld = not policy.can_get_hits_on(actor, case)
    return result
