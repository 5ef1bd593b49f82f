"""Correlation jobs, queued after the commit of the save or view that caused them: hits
recorded and told to the holders' coordinators, new links announced to the cases' teams."""

from __future__ import annotations

from .app import app_context


def record_hits(viewer_id: int, viewer_case_id: int | None, holders: list[list],
                via: str) -> dict:
    with app_context():
        from anice import db
        from anice.correlation import hits

        count = hits.record_hits_of(db.session(), viewer_id, viewer_case_id, holders, via)
        db.commit()
        return {"recorded": count}


def announce(case_id: int, actor_id: int, identifier_ids: list[int]) -> dict:
    with app_context():
        from anice import db
        from anice.correlation import hits

        count = hits.announce_of(db.session(), case_id, actor_id, identifier_ids)
        db.commit()
        return {"announced": count}
