"""The reports suites' data set (tests/reports/helpers.py), one fixture for all of them."""

from __future__ import annotations

import pytest

from .helpers import build_world


@pytest.fixture
def world(db, make):
    return build_world(db, make)
