"""Working-day deadlines on two calendars (issue 18): Brunei (weekend Friday and Sunday)
against Thailand (Saturday and Sunday), with the shipped 2026-2027 public holidays
(anice/data/public_holidays.csv): Songkran, Hari Raya, holidays on weekends, a detention
on a holiday, the turn of the year. The rule: day 1 is the first working day after the
detention date; the deadline is the Nth working day, inclusive."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from anice.errors import Invalid, NotFound
from anice.models import AuditEvent, Country, PublicHoliday, Role
from anice.verification import calendar, holidays

from .helpers import scene, send

D = date.fromisoformat

DEADLINES = [
    # country, detention, working days, deadline, why
    ("TH", "2026-04-10", 1, "2026-04-16", "Fri; weekend, then Songkran 13-15 April"),
    ("TH", "2026-04-10", 3, "2026-04-20", "Thu 16, Fri 17, Mon 20"),
    ("BN", "2026-04-10", 1, "2026-04-11", "a Friday (BN weekend); Saturday works in BN"),
    ("BN", "2026-04-10", 3, "2026-04-14", "Sat 11, (Sun off), Mon 13, Tue 14"),
    ("TH", "2026-04-02", 5, "2026-04-10", "Chakri Memorial Day, Mon 6 April"),
    ("BN", "2026-03-19", 3, "2026-03-28", "Hari Raya Aidilfitri 21-23 March + Tue 24 in lieu"),
    ("TH", "2026-03-19", 3, "2026-03-24", "no Hari Raya in Thailand"),
    ("TH", "2026-12-04", 1, "2026-12-08", "5 Dec on a Saturday, in lieu Mon 7 Dec"),
    ("BN", "2026-12-24", 1, "2026-12-28", "Christmas on Fri (weekend), in lieu Sat 26"),
    ("TH", "2026-04-13", 1, "2026-04-16", "detained on a holiday (Songkran)"),
    ("BN", "2026-03-22", 1, "2026-03-25", "detained on a Sunday that is Hari Raya"),
    ("TH", "2026-12-30", 3, "2027-01-06", "31 Dec and 1 Jan off, then the weekend"),
    ("BN", "2026-12-30", 3, "2027-01-05", "Thu 31 works; 1 Jan Fri, Sat 2 in lieu, Sun 3"),
    ("TH", "2026-07-24", 10, "2026-08-13", "28-30 Jul (King, Asarnha, Lent), 12 Aug"),
    ("BN", "2026-07-24", 10, "2026-08-06", "the same ten days in Brunei (Saturdays work)"),
]


@pytest.fixture
def calendars(db, make):
    make.officer()  # member states exist
    holidays.ensure_reference_calendars(db)
    db.commit()
    return db


def test_deadline_table(calendars):
    """Every row on one database (loading the reference calendars takes a second)."""
    wrong = [f"{country} {detention} + {days}: {got}, not {expected} ({why})"
             for country, detention, days, expected, why in DEADLINES
             if (got := calendar.deadline(calendars, country, D(detention), days))
             != D(expected)]
    assert not wrong, "\n".join(wrong)


def test_reference_data_is_loaded_once_with_brunei_weekend(calendars):
    db = calendars
    assert db.get(Country, "BN").weekend == "5,7"
    assert db.get(Country, "TH").weekend == "6,7"
    count = db.scalar(select(func.count()).select_from(PublicHoliday))
    assert holidays.ensure_reference_calendars(db).added == 0
    assert db.scalar(select(func.count()).select_from(PublicHoliday)) == count
    for code in ("MY", "TH", "SG", "ID", "VN", "PH"):
        for year in (2026, 2027):
            assert len(holidays.holidays_of(db, code, year)) >= 10, (code, year)


def test_pure_rule_without_a_database():
    weekend = calendar.parse_weekend("6,7")
    assert calendar.add_working_days(D("2026-01-02"), 1, weekend, set()) == D("2026-01-05")
    assert calendar.add_working_days(D("2026-01-02"), 1, weekend,
                                     {D("2026-01-05")}) == D("2026-01-06")
    assert calendar.parse_weekend("5, 6,7") == {5, 6, 7}
    for bad in ("8", "sat", "1,2,3,4"):
        with pytest.raises(Invalid) as err:
            calendar.parse_weekend(bad)
        assert err.value.field == "weekend"
    for bad in (0, 121):
        with pytest.raises(Invalid) as err:
            calendar.add_working_days(D("2026-01-02"), bad, weekend, set())
        assert err.value.field == "working_days"


def test_import_names_bad_lines_and_writes_nothing(db, make):
    admin = make.officer(Role.ADMIN)
    before = db.scalar(select(func.count()).select_from(PublicHoliday))
    text = ("country,date,name\nMY,2026-12-28,Extra day\nXX,2026-01-01,Nowhere\n"
            "MY,2026-13-01,Bad month\nMY,2026-12-29,\n")
    with pytest.raises(Invalid) as err:
        holidays.import_csv(db, admin, text)
    assert "line 3: country" in err.value.message
    assert "line 4: date" in err.value.message and "line 5: name" in err.value.message
    db.rollback()
    assert db.scalar(select(func.count()).select_from(PublicHoliday)) == before
    result = holidays.import_csv(db, admin, "country,date,name\nMY,2026-12-28,Extra day\n")
    db.commit()
    assert result.added == 1
    assert calendar.deadline(db, "MY", D("2026-12-24"), 2) == D("2026-12-29")


def test_coordinator_keeps_its_own_country_only(db, make):
    coord = make.officer(Role.COORDINATOR, country="TH")
    holidays.add_holiday(db, coord, "TH", "2026-11-24", "Loy Krathong (test)")
    holidays.set_weekend(db, coord, "TH", "6,7")
    with pytest.raises(Invalid) as err:
        holidays.import_csv(db, coord, "country,date,name\nMY,2026-11-24,Not mine\n")
    assert "line 2: country" in err.value.message
    with pytest.raises(NotFound):
        holidays.add_holiday(db, coord, "MY", "2026-11-24", "Not mine")
    with pytest.raises(NotFound):
        holidays.add_holiday(db, make.officer(), "MY", "2026-11-24", "Investigator")
    db.commit()
    assert db.scalar(select(func.count()).select_from(AuditEvent)
                     .where(AuditEvent.action == "holiday.add")) == 1


def test_cli_import_and_list(runner, db, make, tmp_path):
    make.officer()
    good = tmp_path / "h.csv"
    good.write_text("country,date,name\nSG,2026-12-28,Test day\n")
    result = runner.invoke(args=["holidays", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert "1 added" in result.output
    bad = tmp_path / "bad.csv"
    bad.write_text("country,date,name\nSG,28/12/2026,Test day\n")
    result = runner.invoke(args=["holidays", "import", str(bad)])
    assert result.exit_code != 0 and "line 2: date" in result.output
    result = runner.invoke(args=["holidays", "list", "SG", "--year", "2026"])
    assert "2026-12-28" in result.output and "weekend" in result.output


def test_remind_cli_runs_the_daily_job(runner, db, make):
    s = scene(db, make)
    send(db, s)  # due 2026-10-16
    result = runner.invoke(args=["verifications", "remind", "--today", "2026-10-19"])
    assert result.exit_code == 0, result.output
    assert "overdue notices: 1" in result.output
    result = runner.invoke(args=["verifications", "remind", "--today", "2026-10-20"])
    assert "overdue notices: 0" in result.output
