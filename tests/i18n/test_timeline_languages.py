"""A case's timeline in each reader's language (issue 19): every entry a service writes keeps
its sentence as message and values (``anice.text.messages``), stores it in English for the API
and the audit, and is read in whatever language the reader has, whoever wrote it and in
which language. Rows written as English sentences before the ``text`` column existed are
still read translated where their wording is registered (``anice.notifications.stored``)."""

from __future__ import annotations

import re
from html import escape

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from anice.cases import timeline, workflow
from anice.evidence import service as evidence_service
from anice.models import Role, TimelineEntry
from anice.referrals import requests
from anice.referrals import service as referrals
from anice.rights import case_matching
from anice.verification import service as verification

from ..referrals.helpers import sent, world
from ..referrals.test_requests import ask, hit  # noqa: F401  (a MY case with a hit on TH police)
from ..verification.helpers import scene, send
from .catalogs import OPEN, PSEUDO
from .pseudo import untranslated

pytestmark = pytest.mark.sqlite_only  # the words do not depend on the database

_NON_LATIN = re.compile(r"[^\x00-\u024f…‘’“”–—]")


def _entries(db, *cases) -> list[TimelineEntry]:
    return list(db.scalars(select(TimelineEntry).where(
        TimelineEntry.case_id.in_([c.id for c in cases])).order_by(TimelineEntry.id)))


def _check(entries: list[TimelineEntry], data: tuple[str, ...], kinds: set[str]) -> None:
    """Each entry's English summary, and its sentence in the pseudo-locale: all words from
    the catalog (the records' own values aside)."""
    seen = {e.kind for e in entries}
    assert kinds <= seen, f"entries missing: {kinds - seen}"
    for entry in entries:
        if entry.kind == "note":
            continue
        assert entry.text is not None, (entry.kind, entry.summary)
        assert not _NON_LATIN.search(entry.summary), entry.summary  # English, for machines
        with force_locale(PSEUDO):
            shown = timeline.shown(entry)
        assert shown.startswith(OPEN), (entry.kind, shown)
        assert untranslated(f"<p>{escape(shown)}</p>", data) == [], (entry.kind, shown)
        with force_locale("th"):
            thai = timeline.shown(entry)
        assert re.search("[\u0e00-\u0e7f]", thai), (entry.kind, thai)


def test_evidence_verification_and_match_entries(app, db, make):
    s = scene(db, make)
    sup = make.officer(Role.SUPERVISOR, country="MY", agency=s.inv.agency)
    with app.test_request_context(), force_locale("km"):  # the writer reads Khmer
        vr = send(db, s)
        verification.withdraw(db, s.inv, vr.public_id, "Sent to the wrong holder.")
        db.commit()
        again = send(db, s)
        evidence_service.record_handling(db, s.inv, s.photos[1].public_id, "transfer",
                                         "Handed to the court clerk.")
        evidence_service.shred(db, sup, s.photos[1].public_id, "Court order 12/2026.")
        case_matching.decide(db, s.inv, s.case.id, s.match.id, "rejected")
        workflow.move_case(db, s.inv, s.case.id, "under_investigation",
                           {"version": s.case.version})
        db.commit()
    answer = verification.answer(db, s.holder, again.public_id, verdict="counterfeit",
                                 statement="The stitching is wrong.", examiner="J. Tan",
                                 intent="complaint")
    db.commit()
    assert answer.verdict.value == "counterfeit"
    right = s.match.right
    data = (s.org.name, f"{right.office} {right.number}", right.mark_text, s.match.text,
            "Sent to the wrong holder.", "Handed to the court clerk.", "Court order 12/2026.",
            "J. Tan", "The stitching is wrong.", *(p.original_name for p in s.photos),
            *(p.sha256[:16] + "…" for p in s.photos), s.case.reference, "SHA", "KiB")
    entries = _entries(db, s.case)
    _check(entries, data, {"evidence_added", "verification_sent", "verification_withdrawn",
                           "verification_answered", "evidence_custody", "evidence_shredded",
                           "match", "status"})
    summaries = {e.kind: e.summary for e in entries}
    assert summaries["evidence_custody"] == (f"Transfer of evidence {s.photos[1].original_name}"
                                             ": Handed to the court clerk.")
    assert summaries["status"] == "Moved from open to under investigation"
    # The size in the reader's way of writing numbers (Indonesian: dots).
    added = next(e for e in entries if e.kind == "evidence_added")
    size = f"{s.photos[0].size:,}"
    assert size in added.summary
    with force_locale("id"):
        assert size.replace(",", ".") in timeline.shown(added)


def test_referral_and_request_entries(app, db, make, hit):  # noqa: F811
    w = world(db, make)
    referral = sent(db, w)
    referrals.decline(db, w.coord_th, referral.id, {"reason": "Not ours."})
    db.commit()
    request = ask(db, hit)
    requests.decline_request(db, hit.coord_th, request.id,
                             {"reason": "Still under investigation."})
    db.commit()
    entries = _entries(db, w.case, hit.case)
    data = (referral.reference, request.reference, "Not ours.", "Still under investigation.",
            w.coord_th.agency.name, hit.th_police.name, "Thailand", "Malaysia", "MY", "TH",
            w.case.reference)
    _check(entries, data, {"referral"})
    lines = [e.summary for e in entries if e.kind == "referral"]
    assert f"Referral {referral.reference}: Declined: Not ours." in lines
    assert any(line.startswith("Asked ") and request.reference in line for line in lines)
    assert any(line.startswith(f"Request {request.reference} declined by ") for line in lines)


def test_rows_written_before_the_text_column_are_still_read_translated(db, make):
    inv = make.officer(Role.INVESTIGATOR, country="MY")
    case = make.case(inv)
    old = TimelineEntry(case_id=case.id, actor_id=inv.id, actor_label=inv.name,
                        kind="evidence_custody", changes=[],
                        summary="Disposal of evidence scan.pdf: Destroyed by order.")
    db.add(old)
    db.commit()
    assert old.text is None
    with force_locale(PSEUDO):
        assert timeline.shown(old).startswith(OPEN)
        assert "scan.pdf" in timeline.shown(old)


def test_notices_keep_message_and_values(db, make, hit):  # noqa: F811
    """Team, hit, link and flood notices: message and values kept, English stored, each
    read in the reader's language; a notice written before the column is still read."""
    from anice.cases import items
    from anice.correlation import service as correlation
    from anice.models import Notification
    from anice.notifications import shown

    w = hit
    case = make.case(w.sup_my)
    items.assign(db, w.sup_my, case.id, w.inv_my2.id)
    correlation.flag_flood(db, w.inv_my, "30 per minute")
    db.commit()
    notes = list(db.scalars(select(Notification).order_by(Notification.id)))
    kinds = {n.kind for n in notes}
    assert {"case.assigned", "correlation.hit", "correlation.flood"} <= kinds, kinds
    data = (case.reference, w.case.reference, w.th_case.reference, w.inv_my.name,
            w.inv_my.agency.name, w.th_police.name, "Malaysia", "Thailand", "30 per minute",
            "MY", "TH")
    for note in notes:
        assert note.text is not None, (note.kind, note.message)
        assert not _NON_LATIN.search(note.message), note.message
        with force_locale(PSEUDO):
            line = shown(note)
        assert line.startswith(OPEN) and untranslated(f"<p>{escape(line)}</p>", data) == [], line
        with force_locale("th"):
            assert re.search("[\u0e00-\u0e7f]", shown(note)), note.kind
    hit_note = next(n for n in notes if n.kind == "correlation.hit")
    assert "marketplace seller id" in hit_note.message  # the kind of identifier, in words
    old = Notification(officer_id=w.inv_my2.id, kind="case.assigned",
                       message=f"You are on the team of case {case.reference}")
    db.add(old)
    db.commit()
    with force_locale(PSEUDO):
        assert shown(old).startswith(OPEN) and case.reference in shown(old)
