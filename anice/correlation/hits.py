"""Telling people: hits recorded and reported to the holder's coordinator, and notices to
the officers of cases that a new identifier links to.

Every text here names agencies, countries, kinds of identifiers and the recipient's own
references; never another case's reference, content or values outside its reader's reach.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, text, update
from sqlalchemy.orm import Session

from .. import audit, jobs, policy
from ..models import Agency, Case, Officer, utcnow
from ..models.correlation import CaseIdentifier, CorrelationHit, IdentifierKind
from ..notifications import notify, stored
from ..text.locales import N_
from ..text.messages import message as msg
from ..text.messages import words
from . import links

HitCases = list[tuple[Case, list[IdentifierKind]]]

# The notices (message and values, shown in the reader's language; registered for rows
# stored as English sentences before: notifications/stored).
_KINDS = ("kinds",)
HIT_ONE = stored.register("correlation.hit", N_(
    "Hit on case %(cases)s: %(asker)s was told that a %(kinds)s of theirs also appears in a "
    "case of your country. They may request the case."), words=_KINDS)
HIT_MANY = stored.register("correlation.hit", N_(
    "Hit on cases %(cases)s: %(asker)s was told that a %(kinds)s of theirs also appears in a "
    "case of your country. They may request the case."), words=_KINDS)
HIT_MORE = stored.register("correlation.hit", N_(
    "Hit on cases %(cases)s and %(num)s more: %(asker)s was told that a %(kinds)s of theirs "
    "also appears in a case of your country. They may request the case."), words=_KINDS)
HIT_TEAM = stored.register("correlation.hit", N_(
    "A %(kinds)s of your case %(case)s also appears in a case held by %(holder)s. Open your "
    "case to request that case."), words=_KINDS)
LINK = stored.register("correlation.link", N_(
    "New link: case %(case)s shares a %(kinds)s with your case %(other)s."), words=_KINDS)
COORDINATORS = "anice.correlation.coordinators"


def kinds_text(kinds: Iterable[IdentifierKind]) -> dict:
    """The kinds of identifier in running text ("phone number, e-mail address")."""
    return words(sorted(set(kinds)))


def _country_name(agency: Agency) -> str:
    return agency.country.name if agency.country else agency.country_code


def holder_text(agency: Agency) -> str:
    return f"{agency.name}, {_country_name(agency)}"


def asker_text(officer: Officer) -> str:
    """The officer as told to another country: its agency and country, never its name."""
    return holder_text(officer.agency)


def coordinators_of(db: Session, country_code: str) -> list[Officer]:
    """Active coordinators of a country (remembered for the transaction)."""
    transaction, known = db.info.get(COORDINATORS, (None, {}))
    if transaction is not db.get_transaction():
        known = {}
        db.info[COORDINATORS] = (db.get_transaction(), known)
    if country_code not in known:
        known[country_code] = list(db.scalars(
            select(Officer).where(policy.hit_recipients(country_code)).order_by(Officer.id)))
    return known[country_code]


def _already(db: Session, viewer: Officer, viewer_case: Case | None,
             holder_ids: list[int]) -> set[tuple[int, IdentifierKind]]:
    query = select(CorrelationHit.holder_case_id, CorrelationHit.kind).where(
        CorrelationHit.viewer_id == viewer.id, CorrelationHit.holder_case_id.in_(holder_ids))
    query = query.where(CorrelationHit.viewer_case_id == viewer_case.id if viewer_case
                        else CorrelationHit.viewer_case_id.is_(None))
    return {(case_id, IdentifierKind(kind)) for case_id, kind in db.execute(query)}


# PostgreSQL advisory lock taken by every correlation job ("ANIC"): two jobs that would
# find the same hit fresh (two RQ workers, or a retry beside the first run) run one after
# the other, so nobody is told twice. Nothing else takes it, so it is never part of a
# deadlock. SQLite has one writer at a time anyway.
JOB_LOCK = 0x414E4943


def serialise(db: Session) -> None:
    if db.get_bind().dialect.name == "postgresql":
        db.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": JOB_LOCK})


def defer_hits(db: Session, viewer: Officer, viewer_case: Case | None, hit_cases: HitCases,
                via: str) -> int:
    """Hits shown to ``viewer`` for the first time are recorded, audited and told to the
    holders' coordinators by a job once the caller's transaction commits (the officer does
    not wait for it). Returns how many holder cases had fresh hits."""
    if not hit_cases:
        return 0
    seen = _already(db, viewer, viewer_case, [c.id for c, _ in hit_cases])
    fresh = [[holder.id, sorted(k.value for k in kinds if (holder.id, k) not in seen)]
             for holder, kinds in hit_cases]
    fresh = [item for item in fresh if item[1]]
    if fresh:
        jobs.enqueue_after_commit(db, "workers.correlation.record_hits", viewer.id,
                                  viewer_case.id if viewer_case else None, fresh, via)
    return len(fresh)


def record_hits_of(db: Session, viewer_id: int, viewer_case_id: int | None,
                   holders: list[list], via: str) -> int:
    """The job of ``defer_hits``: ``holders`` is ``[[case id, [kind, ...]], ...]``. Running
    it again records nothing twice."""
    serialise(db)
    viewer = db.get(Officer, viewer_id)
    viewer_case = db.get(Case, viewer_case_id) if viewer_case_id is not None else None
    if viewer is None or (viewer_case_id is not None and viewer_case is None):
        return 0
    cases = {c.id: c for c in db.scalars(select(Case).where(
        Case.id.in_([case_id for case_id, _ in holders])))}
    hit_cases = [(cases[case_id], [IdentifierKind(k) for k in kinds])
                 for case_id, kinds in holders if case_id in cases]
    return record_hits(db, viewer, viewer_case, hit_cases, via)


def record_hits(db: Session, viewer: Officer, viewer_case: Case | None, hit_cases: HitCases,
                via: str) -> int:
    """Record the hits shown to ``viewer`` for the first time; per holder country, one
    audit row there and one notice to its coordinators (who was told, which kinds). Only
    hits policy still gives (``policy.gets_hit``): none on or from a restricted case."""
    # Asked again here: a job runs after the view, and either case may be restricted since.
    hit_cases = [(holder, kinds) for holder, kinds in hit_cases
                 if policy.gets_hit(viewer, holder, viewer_case)]
    if not hit_cases:
        return 0
    seen = _already(db, viewer, viewer_case, [c.id for c, _ in hit_cases])
    by_country: dict[str, list[tuple[Case, list[IdentifierKind]]]] = {}
    for holder, kinds in hit_cases:
        fresh = [k for k in kinds if (holder.id, k) not in seen]
        if fresh:
            by_country.setdefault(holder.country_code, []).append((holder, fresh))
    rows = [CorrelationHit(viewer_id=viewer.id,
                           viewer_case_id=viewer_case.id if viewer_case else None,
                           holder_case_id=holder.id, holder_agency_id=holder.agency_id,
                           kind=k, via=via)
            for told in by_country.values() for holder, fresh in told for k in fresh]
    db.add_all(rows)
    for country, told in sorted(by_country.items()):
        _tell_holders(db, viewer, country, told, via)
    return sum(len(told) for told in by_country.values())


def _tell_holders(db: Session, viewer: Officer, country: str,
                  told: list[tuple[Case, list[IdentifierKind]]], via: str) -> None:
    kinds = sorted({k for _, fresh in told for k in fresh})
    refs = [holder.reference for holder, _ in told]
    named = policy.names_officer_to(viewer, country)
    audit.record(db, viewer, "correlation.hit", told[0][0] if len(told) == 1 else None,
                 country_code=country, actor_label=None if named else asker_text(viewer),
                 details={"cases": refs, "kinds": [k.value for k in kinds],
                          "asker_agency": viewer.agency.code,
                          "asker_country": viewer.country_code, "via": via})
    asker = f"{viewer.name} ({asker_text(viewer)})" if named else asker_text(viewer)
    wording = HIT_ONE if len(refs) == 1 else HIT_MANY if len(refs) <= 3 else HIT_MORE
    notify(db, coordinators_of(db, country), "correlation.hit",
           msg(wording, cases=", ".join(refs[:3]), num=len(refs) - 3, asker=asker,
               kinds=kinds_text(kinds)),
           url=f"/cases/{told[0][0].id}", group=f"case:{told[0][0].id}")


def defer_announce(db: Session, actor: Officer, case: Case, identifier_ids: list[int]) -> None:
    """``announce`` the case's new identifiers by a job after the caller's commit."""
    jobs.enqueue_after_commit(db, "workers.correlation.announce", case.id, actor.id,
                              identifier_ids)


def announce_of(db: Session, case_id: int, actor_id: int, identifier_ids: list[int]) -> int:
    """The job of ``defer_announce``: identifiers removed since are not announced."""
    serialise(db)
    case, actor = db.get(Case, case_id), db.get(Officer, actor_id)
    if case is None or actor is None:
        return 0
    rows = db.execute(select(CaseIdentifier.id, CaseIdentifier.kind, CaseIdentifier.value,
                             CaseIdentifier.source).where(
        CaseIdentifier.case_id == case_id, CaseIdentifier.id.in_(identifier_ids),
        CaseIdentifier.announced_at.is_(None))).all()
    new = [links.Shared(IdentifierKind(kind), value, source) for _, kind, value, source in rows]
    if not new:
        return 0
    announce(db, actor, case, new)
    # One conditional statement, not ORM row updates: a save of the case may delete these
    # rows meanwhile (an ORM update of a deleted row raises StaleDataError).
    db.execute(update(CaseIdentifier).where(
        CaseIdentifier.id.in_([row.id for row in rows]), CaseIdentifier.announced_at.is_(None))
        .values(announced_at=utcnow()).execution_options(synchronize_session=False))
    return len(new)


def announce(db: Session, actor: Officer, case: Case, new: list[links.Shared]) -> None:
    """New identifiers of ``case`` link to other cases: tell those cases' teams, each as
    policy lets it see ``case`` (the case itself, a hit, or nothing)."""
    by_case, _common, _quiet = links.linked_cases(db, case.country_code, new, case.id)
    for other in links.load_cases(db, by_case):
        kinds = sorted({s.kind for s in by_case[other.id]})
        team = [a.officer for a in other.assignments
                if a.officer.active and a.officer_id != actor.id]
        seeing = [o for o in team if policy.linked_case_view(o, case, other) == "case"]
        told = [o for o in team if policy.linked_case_view(o, case, other) == "hit"]
        if seeing:
            notify(db, seeing, "correlation.link",
                   msg(LINK, case=case.reference, kinds=kinds_text(kinds),
                       other=other.reference),
                   url=f"/cases/{case.id}", group=f"case:{other.id}")
        if told:
            notify(db, told, "correlation.hit",
                   msg(HIT_TEAM, kinds=kinds_text(kinds), case=other.reference,
                       holder=holder_text(case.agency)),
                   url=f"/cases/{other.id}", group=f"case:{other.id}")
            for officer in told:
                record_hits(db, officer, other, [(case, kinds)], "notice")
