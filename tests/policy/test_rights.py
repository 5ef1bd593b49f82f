"""Who reads and who keeps the rights registry: a table of actors x actions x offices."""

from __future__ import annotations

import pytest

from anice import policy

from .cast import (
    ADMIN,
    COORD_MY,
    COORD_TH,
    GONE,
    INV_MY,
    INV_TH,
    PROS_MY,
    SECRETARIAT,
    SUP_MY,
)


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (SECRETARIAT, True), (COORD_MY, True), (SUP_MY, True), (INV_MY, True),
    (PROS_MY, True), (INV_TH, True), (GONE, False), (None, False)])
def test_view_rights(actor, expected):
    assert policy.can_view_rights(actor) is expected


@pytest.mark.parametrize("actor, office, expected", [
    (ADMIN, "MY", True), (ADMIN, "TH", True),
    (COORD_MY, "MY", True), (COORD_MY, "TH", False),
    (COORD_TH, "TH", True), (COORD_TH, "MY", False),
    (SECRETARIAT, "MY", False), (SUP_MY, "MY", False), (INV_MY, "MY", False),
    (PROS_MY, "MY", False), (GONE, "MY", False), (None, "MY", False)])
def test_edit_right(actor, office, expected):
    assert policy.can_edit_right(actor, office) is expected


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (COORD_MY, True), (SECRETARIAT, False), (SUP_MY, False),
    (INV_MY, False), (GONE, False), (None, False)])
def test_import_rights(actor, expected):
    assert policy.can_import_rights(actor) is expected


@pytest.mark.parametrize("actor, expected", [
    (ADMIN, True), (COORD_MY, True), (SECRETARIAT, False), (SUP_MY, False),
    (INV_MY, False), (GONE, False), (None, False)])
def test_open_status_table(actor, expected):
    assert policy.can_open_status_table(actor) is expected


@pytest.mark.parametrize("actor, office, expected", [
    (ADMIN, "MY", True), (ADMIN, "EM", True), (ADMIN, "*", True),
    (COORD_MY, "MY", True), (COORD_MY, "TH", False), (COORD_MY, "*", False),
    (COORD_TH, "TH", True), (COORD_TH, "MY", False),
    (SECRETARIAT, "MY", False), (SUP_MY, "MY", False), (INV_MY, "MY", False),
    (GONE, "MY", False), (None, "MY", False)])
def test_edit_status_table(actor, office, expected):
    assert policy.can_edit_status_table(actor, office) is expected
