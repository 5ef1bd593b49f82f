"""A restricted case leaves no trace outside its reach, on either side of a link and on
every path: the case page, the API, lookups, the announce job and the hit job (which asks
the policy again when it runs). Notices and audit rows kept for another country name the
asker's agency and country, never the officer."""

from __future__ import annotations

from sqlalchemy import delete, func, select, update

from anice.cases import service as case_service
from anice.correlation import hits, index, service
from anice.models import CaseIdentifier, CorrelationHit, Notification

from .helpers import SELLER, audit_rows, identifiers, notes_of, online_case
from .test_api import api  # noqa: F401  (fixture)

MY_SHOP = {**SELLER, "url": "https://shopee.com.my/watchking"}


def restrict(db, officer, case) -> None:
    case_service.update_case(db, officer, case.id,
                             {"sensitivity": "restricted", "version": case.version})


def hits_of(db, officer) -> list[CorrelationHit]:
    db.expire_all()
    return list(db.scalars(select(CorrelationHit).where(CorrelationHit.viewer_id == officer.id)))


def assert_no_trace_at_all(db, w) -> None:
    """No hit row, no hit audit row in any trail, no hit or link notice to anyone."""
    db.expire_all()
    assert list(db.scalars(select(CorrelationHit))) == []
    assert audit_rows(db, "correlation.hit") == []
    for officer in (w.inv_my, w.inv_my2, w.sup_my, w.coord_my, w.inv_th, w.coord_th):
        assert [n.message for n in notes_of(db, officer)
                if n.kind.startswith("correlation.")] == []


def assert_th_told_nothing_of(db, w, officer) -> None:
    """``officer`` (of MY) left no hit on the TH side: no row, no TH audit row, no notice."""
    assert hits_of(db, officer) == []
    assert [a.id for a in audit_rows(db, "correlation.hit") if a.country_code == "TH"] == []
    assert [n.message for n in notes_of(db, w.coord_th) if n.kind == "correlation.hit"] == []


# --- a restricted case asks: its team gets no hit, the holder learns nothing -------------

def test_the_announce_job_tells_nothing_of_a_restricted_case_in_either_direction(db, make):
    w = make.world()
    # The finding: a seller id held only by a restricted MY case is added to a TH case.
    online_case(db, w.inv_my, MY_SHOP, sensitivity="restricted")
    th_case = online_case(db, w.inv_th, SELLER)  # announced by a job after this commit
    assert_no_trace_at_all(db, w)
    assert service.links_for(db, w.inv_th, th_case).hits == []
    # And the other way: a second restricted MY case with the seller, announced after TH's.
    online_case(db, w.inv_my2, {**MY_SHOP, "url": "https://shopee.com.my/other"},
                sensitivity="restricted")
    db.commit()
    assert_no_trace_at_all(db, w)
    # A rebuild of every case's identifiers (an operator's command) tells nobody either.
    index.rebuild(db)
    assert db.scalar(select(func.count()).select_from(CorrelationHit)) == 0
    assert audit_rows(db, "correlation.hit") == []
    assert db.scalar(select(func.count()).select_from(Notification)
                     .where(Notification.kind.like("correlation.%"))) == 0


def test_the_case_page_of_a_restricted_case_shows_and_tells_no_hit(client, auth, db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    hidden = online_case(db, w.inv_my, MY_SHOP, sensitivity="restricted")
    auth.login(w.inv_my)
    page = client.get(f"/cases/{hidden.id}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "also appears in a case held by" not in html and th_case.agency.name not in html
    assert "This case is restricted, so it shows no hits" in html
    assert_no_trace_at_all(db, w)


def test_the_links_api_of_a_restricted_case_gives_and_tells_no_hit(api, db, make):  # noqa: F811
    w = make.world()
    online_case(db, w.inv_th, SELLER)
    hidden = online_case(db, w.inv_my, MY_SHOP, sensitivity="restricted")
    response = api(w.inv_my).get(f"/cases/{hidden.id}/links")
    assert response.status_code == 200
    body = response.get_json()
    assert body["hits"] == [] and body["hits_withheld"] is True
    assert_no_trace_at_all(db, w)


def test_a_case_restricted_after_its_view_records_no_hit_when_the_job_runs(db, make):
    w = make.world()
    online_case(db, w.inv_th, SELLER)
    my_case = online_case(db, w.inv_my, MY_SHOP)
    assert len(service.links_for(db, w.inv_my, my_case).hits) == 1  # the job is queued
    restrict(db, w.inv_my, my_case)  # before the job runs (it runs after this commit)
    db.commit()
    assert_th_told_nothing_of(db, w, w.inv_my)


# --- a restricted case holds: nobody outside its reach gets a hit --------------------------

def test_a_holder_restricted_after_the_view_is_not_told_when_the_job_runs(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    my_case = online_case(db, w.inv_my, MY_SHOP)
    assert len(service.links_for(db, w.inv_my, my_case).hits) == 1
    restrict(db, w.inv_th, th_case)
    db.commit()
    assert_th_told_nothing_of(db, w, w.inv_my)


def test_a_holder_restricted_after_a_lookup_is_not_told_when_the_job_runs(db, make):
    w = make.world()
    th_case = online_case(db, w.inv_th, SELLER)
    answer = service.lookup(db, w.inv_my, {"kind": "seller_id", "value": "WatchKing88",
                                           "platform": "shopee"})
    assert len(answer["hits"]) == 1
    restrict(db, w.inv_th, th_case)
    db.commit()
    assert_th_told_nothing_of(db, w, w.inv_my)


# --- across a border: agencies and countries, never officers -------------------------------

def test_cross_border_hit_notices_and_audit_rows_name_the_agency(api, db, make):  # noqa: F811
    w = make.world()
    my_case = online_case(db, w.inv_my, MY_SHOP)
    th_case = online_case(db, w.inv_th, SELLER)  # announced: MY's team told of a hit on it
    service.links_for(db, w.inv_th, th_case)  # TH's officer shown a hit on the MY case
    db.commit()
    assert api(w.inv_my2).post("/lookups", json={"kind": "seller_id", "platform": "shopee",
                                                 "value": "watchking88"}).status_code == 200
    to_th = [n.message for n in notes_of(db, w.coord_th) if n.kind == "correlation.hit"]
    to_my = [n.message for n in notes_of(db, w.coord_my) if n.kind == "correlation.hit"]
    assert len(to_th) == 2 and len(to_my) == 1  # inv_my (notice), inv_my2 (lookup); inv_th
    for message in to_th:
        assert f"{w.inv_my.agency.name}, Malaysia" in message
        assert w.inv_my.name not in message and w.inv_my2.name not in message
        assert my_case.reference not in message
    assert f"{w.inv_th.agency.name}, Thailand" in to_my[0] and w.inv_th.name not in to_my[0]
    for row in audit_rows(db, "correlation.hit"):
        asker = {w.inv_my.id: w.inv_my, w.inv_my2.id: w.inv_my2, w.inv_th.id: w.inv_th}[
            row.actor_id]
        assert row.country_code != asker.country_code
        assert row.actor_label == f"{asker.agency.name}, {asker.agency.country.name}"
        assert asker.email not in repr(row.details) and asker.name not in repr(row.details)
    # Within a country the coordinator is told which of its officers was shown the hit.
    customs = online_case(db, w.inv_my_customs, {**MY_SHOP, "url": "https://shopee.com.my/c"})
    service.links_for(db, w.inv_my_customs, customs)
    db.commit()
    told = [n.message for n in notes_of(db, w.coord_my) if n.kind == "correlation.hit"]
    assert any(w.inv_my_customs.name in m for m in told)
    rows = [a for a in audit_rows(db, "correlation.hit") if a.actor_id == w.inv_my_customs.id]
    assert rows and rows[0].actor_label == w.inv_my_customs.email


# --- the announce job and a concurrent save ------------------------------------------------

def test_announcing_identifiers_a_concurrent_save_removed_does_not_fail(db, make, monkeypatch):
    """The announce job loads the new identifiers, then tells the linked cases' teams; a
    save committed meanwhile by another connection removed them. Marking them announced
    must not fail (it raised StaleDataError and was retried)."""
    from workers.correlation import announce

    w = make.world()
    online_case(db, w.inv_th, SELLER)
    mine = online_case(db, w.inv_my, MY_SHOP)
    ids = [row.id for row in identifiers(db, mine.id)]
    db.execute(update(CaseIdentifier).where(CaseIdentifier.id.in_(ids))
               .values(announced_at=None))  # as if its job had not run yet
    db.commit()
    engine, real = db.get_bind(), hits.announce

    def a_save_commits_meanwhile(session, actor, case, new):
        with engine.connect() as other:
            other.execute(delete(CaseIdentifier).where(CaseIdentifier.case_id == mine.id))
            other.commit()
        real(session, actor, case, new)

    monkeypatch.setattr(hits, "announce", a_save_commits_meanwhile)
    assert announce(mine.id, w.inv_my.id, ids) == {"announced": len(ids)}
    db.expire_all()
    assert identifiers(db, mine.id) == []
    # Run again (a retry): the rows are gone, nothing is announced twice.
    assert announce(mine.id, w.inv_my.id, ids) == {"announced": 0}
