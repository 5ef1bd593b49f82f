"""Date-times typed and shown in the officer's time zone, stored in UTC.

A form's ``datetime-local`` field sends a wall-clock time without an offset
("2026-10-02T14:30"); ``from_wall_clock`` places it in the officer's zone and gives the UTC
instant, refusing a time that does not exist there (clocks moved forward) or happens twice
(clocks moved back). ``wall_clock`` gives the value such a field shows for a stored instant.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext


class TimeError(ValueError):
    """A wall-clock time that names no single instant in the zone."""


def zone(name: str | None) -> ZoneInfo:
    """The zone of an IANA name; UTC for an empty or unknown one (an old row)."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def offset_text(offset: timedelta | None) -> str:
    """+07:00, +06:30, -03:00 (UTC+00:00 for none)."""
    minutes = int((offset or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    hours, rest = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}:{rest:02d}"


def zone_label(name: str, at: datetime | None = None) -> str:
    """What a form says about its times: "Asia/Bangkok, UTC+07:00"."""
    moment = (at or datetime.now(UTC)).astimezone(zone(name))
    return f"{name}, UTC{offset_text(moment.utcoffset())}"


def from_wall_clock(naive: datetime, name: str) -> datetime:
    """The UTC instant of a wall-clock time in zone ``name``."""
    tz = zone(name)
    first = naive.replace(tzinfo=tz, fold=0)
    second = naive.replace(tzinfo=tz, fold=1)
    instant = first.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != naive:
        raise TimeError(gettext("does not exist in %(zone)s (the clocks go forward at that "
                                "time)", zone=name))
    if first.utcoffset() != second.utcoffset():
        example = naive.strftime("%Y-%m-%dT%H:%M") + offset_text(first.utcoffset())
        raise TimeError(gettext("happens twice in %(zone)s (the clocks go back): add the "
                                "offset, e.g. %(example)s", zone=name, example=example))
    return instant


def wall_clock(value: datetime | None, name: str) -> str:
    """The ``YYYY-MM-DDTHH:MM`` a datetime-local field shows for ``value`` in zone ``name``."""
    if value is None:
        return ""
    return value.astimezone(zone(name)).strftime("%Y-%m-%dT%H:%M")
