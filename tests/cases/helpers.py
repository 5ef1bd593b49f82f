"""Builders for case tests: the factory's case data and two shorthands for its builder."""

from __future__ import annotations

from datetime import date

from anice.models import Case

from ..factories import COUNTERFEIT, LISTING, ONLINE, SEIZURE, SUSPECT, Factory

__all__ = ["COUNTERFEIT", "LISTING", "ONLINE", "SEIZURE", "SUSPECT", "new_case", "opened_case",
           "today"]


def new_case(db, actor, **overrides) -> Case:
    return Factory(db).case(actor, **overrides)


def opened_case(db, actor, **overrides) -> Case:
    return Factory(db).case(actor, opened=True, **overrides)


def today() -> date:
    return date.today()
