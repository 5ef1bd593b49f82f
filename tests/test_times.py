"""Wall-clock times in the officer's zone <-> UTC instants (anice/text/times.py)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from anice.errors import Invalid
from anice.text.times import TimeError, from_wall_clock, wall_clock, zone_label
from anice.validation import Fields, Reading


@pytest.mark.parametrize("zone, local, utc", [
    ("Asia/Bangkok", "2026-10-02T14:30", "2026-10-02T07:30"),
    ("Asia/Yangon", "2026-10-02T14:30", "2026-10-02T08:00"),          # +06:30
    ("Asia/Kuala_Lumpur", "2026-10-02T14:30", "2026-10-02T06:30"),
    ("Asia/Jayapura", "2026-01-01T05:00", "2025-12-31T20:00"),        # across midnight
    ("UTC", "2026-10-02T14:30", "2026-10-02T14:30"),
])
def test_wall_clock_both_ways(zone, local, utc):
    instant = from_wall_clock(datetime.fromisoformat(local), zone)
    assert instant == datetime.fromisoformat(utc).replace(tzinfo=UTC)
    assert wall_clock(instant, zone) == local


def test_times_that_name_no_single_instant_are_refused():
    with pytest.raises(TimeError, match="does not exist in Europe/Berlin"):
        from_wall_clock(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")
    with pytest.raises(TimeError, match=r"happens twice in Europe/Berlin.*\+02:00"):
        from_wall_clock(datetime(2026, 10, 25, 2, 30), "Europe/Berlin")


def test_zone_label_gives_the_offset():
    assert zone_label("Asia/Yangon") == "Asia/Yangon, UTC+06:30"
    assert zone_label("Asia/Bangkok") == "Asia/Bangkok, UTC+07:00"
    assert zone_label("America/St_Johns", datetime(2026, 1, 5, tzinfo=UTC)) == \
        "America/St_Johns, UTC-03:30"


def test_fields_read_a_time_without_offset_in_the_readings_zone():
    f = Fields({"a": "2026-10-02T14:30", "b": "2026-10-02T14:30+08:00",
                "c": "2026-10-02T14:30"}, reading=Reading(zone="Asia/Yangon"))
    assert f.moment("a") == datetime(2026, 10, 2, 8, 0, tzinfo=UTC)
    assert f.moment("b") == datetime(2026, 10, 2, 6, 30, tzinfo=UTC)   # an offset wins
    assert Fields({"c": "2026-10-02T14:30"}).moment("c") == datetime(2026, 10, 2, 14, 30,
                                                                      tzinfo=UTC)
    f.done()


def test_fields_name_the_field_of_a_time_that_does_not_exist():
    f = Fields({"seen_at": "2026-03-29T02:30"}, reading=Reading(zone="Europe/Berlin"))
    assert f.moment("seen_at") is None
    with pytest.raises(Invalid) as err:
        f.done()
    assert err.value.field == "seen_at" and "does not exist" in err.value.message
