"""The bell as grouped entries: correlation notices of one case and day are one entry,
filtered by kind, paged, "action needed" first; the bell counts entries; marking an entry
read marks its members (service and HTTP, SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from anice import notifications as notify
from anice.models import Notification


def _links(db, officer, case_id: int, n: int) -> list[Notification]:
    rows = []
    for i in range(n):
        rows += notify.notify(db, [officer], "correlation.link",
                              f"New link: case X-{case_id}-{i} shares a phone number with your "
                              f"case C-{case_id}.", url=f"/cases/{1000 + i}",
                              group=f"case:{case_id}")
    db.commit()
    return rows


def test_links_of_one_case_and_day_are_one_entry(db, make):
    inv, other = make.officer(), make.officer()
    _links(db, inv, 1, 5)
    _links(db, inv, 2, 2)
    _links(db, other, 1, 3)
    notify.notify(db, [inv], "case.assigned", "You are on the team of case C-9", "/cases/9")
    db.commit()
    rows, total = notify.entries(db, inv)
    assert total == 3 and [e.count for e in rows] == [1, 2, 5]  # newest first
    assert rows[2].unread == 5 and len(rows[2].members) == 4
    assert rows[2].newest.message.endswith("case C-1.") and "X-1-4" in rows[2].newest.message
    assert notify.unread_entries(db, inv) == 3  # not 8
    assert notify.unread_count(db, inv) == 8  # the API's count of notices is unchanged
    assert notify.unread_entries(db, other) == 1


def test_the_day_is_the_recipients(make):
    officer = make.officer(country="MY")  # Asia/Kuala_Lumpur, UTC+8
    before = datetime(2026, 12, 6, 15, 59, tzinfo=UTC)  # 23:59 local
    after = datetime(2026, 12, 6, 16, 1, tzinfo=UTC)  # 00:01 local, the next day
    same_utc_day = notify.group_key(officer, "correlation.link", "case:1", before)
    assert same_utc_day == "correlation.link:case:1:2026-12-06"
    assert notify.group_key(officer, "correlation.link", "case:1", after).endswith("2026-12-07")
    assert notify.group_key(officer, "correlation.link", None, after) is None


def test_action_needed_comes_first_while_unread(db, make):
    sup = make.officer("supervisor")
    approval = notify.notify(db, [sup], "referral.approval",
                             "Referral RF-MY-2026-000001: waits for your approval",
                             "/referrals/1")[0]
    db.commit()
    _links(db, sup, 1, 3)
    notify.notify(db, [sup], "report.ready", "Monthly report is ready", "/reports/1")
    db.commit()
    rows, _ = notify.entries(db, sup)
    assert rows[0].newest.id == approval.id and rows[0].action_needed
    notify.mark_entries_read(db, sup, [approval.id])
    db.commit()
    rows, _ = notify.entries(db, sup)
    assert rows[-1].newest.id == approval.id  # read: back in its place by time


def test_filter_by_kind_and_pages(db, make):
    inv = make.officer()
    for i in range(30):
        notify.notify(db, [inv], "referral.message", f"Referral RF-{i}: new message",
                      f"/referrals/{i}")
    _links(db, inv, 1, 4)
    rows, total = notify.entries(db, inv, page=1, per_page=25)
    assert total == 31 and len(rows) == 25
    rows, _ = notify.entries(db, inv, page=2, per_page=25)
    assert len(rows) == 6
    rows, total = notify.entries(db, inv, kind="correlation.link")
    assert total == 1 and rows[0].count == 4
    assert ("correlation.link", "New links between cases") in notify.kinds_of(db, inv)


def test_marking_an_entry_read_marks_its_members_only(db, make):
    inv, other = make.officer(), make.officer()
    group = _links(db, inv, 1, 4)
    lone = _links(db, inv, 2, 1)
    theirs = _links(db, other, 1, 2)
    assert notify.mark_entries_read(db, inv, [group[0].id]) == 4
    db.commit()
    assert notify.unread_entries(db, inv) == 1 and lone[0].read_at is None
    # Another officer's ids change nothing (and do not reach its group).
    assert notify.mark_entries_read(db, inv, [theirs[0].id]) == 0
    assert notify.unread_entries(db, other) == 1


# --- over HTTP -----------------------------------------------------------------------

def test_bell_page_groups_filters_and_pages(client, auth, db, make):
    inv = make.officer()
    group = _links(db, inv, 7, 12)
    for i in range(26):
        notify.notify(db, [inv], "referral.message", f"Referral RF-{i}: new message",
                      f"/referrals/{i}")
    notify.notify(db, [inv], "referral.info_requested",
                  "Referral RF-77: more information was requested", "/referrals/77")
    db.commit()
    auth.login(inv)
    page = client.get("/notifications/").get_data(as_text=True)
    assert 'aria-label="Notifications: 28 unread"' in page  # 26 + 1 + the group of 12
    first = page.index("RF-77: more information")
    assert "action needed" in page[:first + 200] and first < page.index("RF-25")
    assert "Page 1 of 2" in page and 'class="table-scroll" role="region"' in page
    second = client.get("/notifications/?page=2").get_data(as_text=True)
    assert "New links between cases: 12" in second or "New links between cases: 12" in page
    only = client.get("/notifications/?kind=correlation.link").get_data(as_text=True)
    assert "New links between cases: 12" in only and "RF-1:" not in only
    assert client.get("/notifications/?kind=1%3Bdrop").status_code == 422
    # One "mark read" for the entry marks the twelve.
    response = client.post("/notifications/read",
                           data={"id": group[-1].id, "next": "/notifications/"})
    assert response.status_code == 302
    assert notify.unread_entries(db, inv) == 27
    assert db.scalar(select(Notification).where(Notification.id == group[0].id)).read_at
